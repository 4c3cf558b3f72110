package testdb_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/testdb"
)

// TestFingerprint: the same content gives the same fingerprint whatever
// the order rows are stored in; a changed value, an added row, a schema
// change give another; a table left out counts by its schema only.
func TestFingerprint(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		db := testdb.Open(t, tgt)
		ctx := context.Background()
		exec := func(q string) {
			t.Helper()
			require.NoError(t, db.Gorm.Exec(q).Error, q)
		}
		fp := func(skip ...string) string {
			t.Helper()
			s, err := testdb.Fingerprint(ctx, db.Gorm, skip...)
			require.NoError(t, err)
			return s
		}
		exec("CREATE TABLE t (id INTEGER PRIMARY KEY, rate NUMERIC(9,2), at TIMESTAMP, note TEXT, ok BOOLEAN, raw " + map[database.Dialect]string{database.Postgres: "BYTEA", database.SQLite: "BLOB"}[tgt.Dialect] + ")")
		exec("CREATE TABLE log (id INTEGER PRIMARY KEY, msg TEXT)")
		exec("INSERT INTO t VALUES (1, 95.50, '2025-08-28 10:00:00', 'ünï', true, NULL), (2, NULL, NULL, NULL, false, NULL)")
		a := fp()
		require.Equal(t, a, fp(), "stable")

		// The same rows stored in another order.
		exec("DELETE FROM t WHERE id = 1")
		exec("INSERT INTO t VALUES (1, 95.50, '2025-08-28 10:00:00', 'ünï', true, NULL)")
		require.Equal(t, a, fp(), "row order does not matter")

		exec("UPDATE t SET note = 'uni' WHERE id = 1")
		b := fp()
		require.NotEqual(t, a, b, "a changed value")
		exec("UPDATE t SET note = 'ünï' WHERE id = 1")
		require.Equal(t, a, fp())

		exec("INSERT INTO t VALUES (3, 1, NULL, NULL, true, NULL)")
		require.NotEqual(t, a, fp(), "an added row")
		exec("DELETE FROM t WHERE id = 3")

		exec("CREATE INDEX ix_t_note ON t (note)")
		require.NotEqual(t, a, fp(), "a schema change")
		exec("DROP INDEX ix_t_note")
		require.Equal(t, a, fp())

		skipped := fp("log")
		exec("INSERT INTO log VALUES (1, 'a failed step')")
		require.NotEqual(t, a, fp(), "log rows count")
		require.Equal(t, skipped, fp("log"), "unless the table is left out")
	})
}
