package migrations_test

import (
	"testing"

	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/testdb"
)

// newTarget returns another empty database of the same dialect.
func newTarget(t *testing.T, d database.Dialect) testdb.Target {
	if d == database.SQLite {
		return testdb.NewSQLite(t)
	}
	return testdb.NewPostgres(t)
}
