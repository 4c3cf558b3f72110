package bootstrap_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/timetracker/timetracker/bootstrap"
	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/testdb"
)

// TestRunNoOpCatchesDrift changes an up-to-date database behind the
// program's back, one change at a time, and runs the no-op start again: it
// must fail verification naming the change, whatever the fast path reads.
// SQLite cannot alter a column in place, so there the change is written
// into the table's definition in sqlite_master, as a hand edit would be.
func TestRunNoOpCatchesDrift(t *testing.T) {
	type change struct {
		name     string
		postgres []string
		// sqlite: table, the text of its CREATE statement to replace, and
		// what replaces it; or plain statements.
		sqliteTable, from, to string
		sqlite                []string
		problem               string
	}
	changes := []change{
		{
			name:     "dropped column",
			postgres: []string{"ALTER TABLE users DROP COLUMN theme_preference"},
			sqlite:   []string{"ALTER TABLE users DROP COLUMN theme_preference"},
			problem:  "table users: column theme_preference: missing",
		},
		{
			name:        "changed type",
			postgres:    []string{"ALTER TABLE users ALTER COLUMN theme_preference TYPE INTEGER USING NULL"},
			sqliteTable: "users", from: "theme_preference VARCHAR(10)", to: "theme_preference INTEGER",
			problem: "table users: column theme_preference: type",
		},
		{
			name:        "nullability",
			postgres:    []string{"ALTER TABLE time_entries ALTER COLUMN source DROP NOT NULL"},
			sqliteTable: "time_entries", from: "source VARCHAR(20) NOT NULL", to: "source VARCHAR(20)",
			problem: "table time_entries: column source",
		},
		{
			name:     "missing index",
			postgres: []string{"DROP INDEX ix_time_entries_start_time"},
			sqlite:   []string{"DROP INDEX ix_time_entries_start_time"},
			problem:  "ix_time_entries_start_time",
		},
		{
			name:        "missing foreign key",
			postgres:    []string{"ALTER TABLE projects DROP CONSTRAINT projects_client_id_fkey"},
			sqliteTable: "projects", from: ",\n\tCONSTRAINT projects_client_id_fkey FOREIGN KEY (client_id) REFERENCES clients (id)", to: "",
			problem: "table projects: foreign key (client_id) -> clients: missing",
		},
	}
	for _, dialect := range []database.Dialect{database.SQLite, database.Postgres} {
		for _, c := range changes {
			t.Run(string(dialect)+"/"+strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
				tgt := testdb.NewSQLite(t)
				if dialect == database.Postgres {
					tgt = testdb.NewPostgres(t)
				}
				opts := runOptions(t)
				db := runCreate(t, tgt, opts)
				res, err := runDo(t, tgt, opts)
				require.NoError(t, err)
				require.True(t, res.FastPath, "the second start is a no-op")

				if tgt.Dialect == database.Postgres {
					for _, q := range c.postgres {
						runExec(t, db, q)
					}
				} else {
					for _, q := range c.sqlite {
						runExec(t, db, q)
					}
					if c.sqliteTable != "" {
						var sql string
						require.NoError(t, db.Gorm.Raw("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", c.sqliteTable).Scan(&sql).Error)
						require.Contains(t, sql, c.from)
						runExec(t, db, "PRAGMA writable_schema = ON")
						runExec(t, db, "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?", strings.Replace(sql, c.from, c.to, 1), c.sqliteTable)
						runExec(t, db, "PRAGMA writable_schema = OFF")
					}
				}

				res, err = runDo(t, tgt, opts)
				require.ErrorIs(t, err, bootstrap.ErrVerifyFailed)
				require.False(t, res.FastPath)
				require.Contains(t, strings.Join(res.Verify.Problems, "\n"), c.problem)
			})
		}
	}
}
