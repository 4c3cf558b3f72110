package database_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/testdb"
)

// A commit by another connection moves the mark; the connection's own
// commits and reads do not, nor does time. PostgreSQL cannot tell: never
// unchanged.
func TestUnchangedSince(t *testing.T) {
	ctx := context.Background()
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		a, err := database.Open(ctx, tgt.Options())
		require.NoError(t, err)
		defer a.Close()
		require.NoError(t, a.Gorm.Exec("CREATE TABLE t (v INTEGER)").Error)
		mark, err := database.MarkChanges(ctx, a.Gorm)
		require.NoError(t, err)
		same, err := database.UnchangedSince(ctx, a.Gorm, mark)
		require.NoError(t, err)
		if tgt.Dialect == database.Postgres {
			require.False(t, same, "PostgreSQL has no change mark")
			return
		}
		require.True(t, same, "nothing happened")
		require.NoError(t, a.Gorm.Exec("INSERT INTO t VALUES (1)").Error)
		same, err = database.UnchangedSince(ctx, a.Gorm, mark)
		require.NoError(t, err)
		require.True(t, same, "its own commit is not another session's")

		b, err := database.Open(ctx, tgt.Options())
		require.NoError(t, err)
		defer b.Close()
		var n int
		require.NoError(t, b.Gorm.Raw("SELECT count(*) FROM t").Scan(&n).Error)
		same, err = database.UnchangedSince(ctx, a.Gorm, mark)
		require.NoError(t, err)
		require.True(t, same, "another session's read is no change")
		require.NoError(t, b.Gorm.Exec("UPDATE t SET v = 2").Error)
		same, err = database.UnchangedSince(ctx, a.Gorm, mark)
		require.NoError(t, err)
		require.False(t, same, "another session committed")
		same, err = database.UnchangedSince(ctx, a.Gorm, database.ChangeMark{})
		require.NoError(t, err)
		require.False(t, same, "an unknown mark")
	})
}
