// PostgreSQL: how column types, defaults and primary keys are spelled.

package database

import (
	"fmt"
	"strings"

	"github.com/timetracker/timetracker/internal/schema"
)

func (postgresDialect) columnType(t schema.Type) string {
	switch t.Kind {
	case schema.Varchar:
		return fmt.Sprintf("VARCHAR(%d)", t.Length)
	case schema.Numeric:
		return fmt.Sprintf("NUMERIC(%d,%d)", t.Precision, t.Scale)
	case schema.Timestamp:
		return "TIMESTAMP WITHOUT TIME ZONE"
	case schema.TimestampTZ:
		return "TIMESTAMP WITH TIME ZONE"
	case schema.Float:
		return "DOUBLE PRECISION"
	case schema.Unknown:
		return t.Raw
	}
	return strings.ToUpper(string(t.Kind))
}

func (postgresDialect) defaultValue(c schema.Column) string { return c.Default }

func (postgresDialect) primaryKey(c schema.Column) string {
	return c.Name + " SERIAL NOT NULL PRIMARY KEY"
}
