// SQLite: how column types, defaults and primary keys are spelled.

package database

import (
	"fmt"
	"strings"

	"github.com/timetracker/timetracker/internal/schema"
)

func (sqliteDialect) columnType(t schema.Type) string {
	switch t.Kind {
	case schema.Varchar:
		return fmt.Sprintf("VARCHAR(%d)", t.Length)
	case schema.Numeric:
		return fmt.Sprintf("NUMERIC(%d, %d)", t.Precision, t.Scale)
	case schema.Timestamp, schema.TimestampTZ:
		return "DATETIME"
	case schema.Float:
		return "FLOAT"
	case schema.Unknown:
		return t.Raw
	}
	return strings.ToUpper(string(t.Kind))
}

// defaultValue spells booleans as 1/0, the way SQLAlchemy stores them.
func (sqliteDialect) defaultValue(c schema.Column) string {
	if c.Type.Kind == schema.Boolean {
		switch strings.ToLower(c.Default) {
		case "true":
			return "1"
		case "false":
			return "0"
		}
	}
	return c.Default
}

// primaryKey declares a rowid alias, without AUTOINCREMENT, as SQLAlchemy does.
func (sqliteDialect) primaryKey(c schema.Column) string {
	return c.Name + " INTEGER NOT NULL PRIMARY KEY"
}
