package database_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/testdb"
)

// TestWrittenSince: a commit by another connection after the mark is
// written, also one of a transaction that was already running at the mark;
// reads are not, nor is time. SQLite does not count the connection's own
// commits; PostgreSQL counts every session's but not the tables skipped.
func TestWrittenSince(t *testing.T) {
	ctx := context.Background()
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		a := testdb.Open(t, tgt)
		b := testdb.Open(t, tgt)
		require.NoError(t, database.Exec(a.Gorm, "CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)",
			"CREATE TABLE skipped (v INTEGER)", "INSERT INTO t (id, v) VALUES (1, 1), (2, 2)", "INSERT INTO skipped (v) VALUES (1)"))
		testdb.WaitOlderTransactions(t, a)
		written := func(m database.WriteMark) bool {
			t.Helper()
			w, err := database.WrittenSince(ctx, a.Gorm, m, "skipped")
			require.NoError(t, err)
			return w
		}
		mark := func() database.WriteMark {
			t.Helper()
			m, err := database.MarkWrites(ctx, a.Gorm)
			require.NoError(t, err)
			return m
		}

		m := mark()
		require.False(t, written(m), "nothing happened")
		var n int
		require.NoError(t, b.Gorm.Raw("SELECT count(*) FROM t").Scan(&n).Error)
		require.False(t, written(m), "another session's read")
		require.NoError(t, a.Gorm.Exec("UPDATE skipped SET v = 2").Error)
		require.False(t, written(m), "a skipped table (SQLite: its own commit)")
		require.NoError(t, a.Gorm.Exec("UPDATE t SET v = 3 WHERE id = 1").Error)
		require.Equal(t, tgt.Dialect == database.Postgres, written(m), "its own commit: only PostgreSQL sees it")

		m = mark()
		require.NoError(t, b.Gorm.Exec("UPDATE t SET v = 5 WHERE id = 2").Error)
		require.True(t, written(m), "another session changed a value")

		// A transaction that began and wrote before the mark and commits
		// after it.
		testdb.WaitOlderTransactions(t, a)
		tx := b.Gorm.Begin()
		require.NoError(t, tx.Error)
		require.NoError(t, tx.Exec("UPDATE t SET v = 6 WHERE id = 2").Error)
		if tgt.Dialect == database.Postgres {
			// A commit after that write: the mark is read from a new
			// snapshot, not from one reused from before the write.
			require.NoError(t, a.Gorm.Exec("UPDATE skipped SET v = 3").Error)
		}
		m = mark()
		require.False(t, written(m), "not committed yet")
		require.NoError(t, tx.Commit().Error)
		require.True(t, written(m), "committed after the mark")

		require.True(t, written(database.WriteMark{}), "an unknown mark")
	})
}
