package database_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/testdb"
)

// TestRestoreByKind: each dialect puts back its own kind of backup, and
// refuses the other dialect's kind with ErrCannotRestore, changing nothing.
func TestRestoreByKind(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		ctx := context.Background()
		db := testdb.Open(t, tgt)
		require.NoError(t, database.Exec(db.Gorm, `CREATE TABLE t (v INTEGER)`, `INSERT INTO t (v) VALUES (1)`))
		res, err := db.Backup(ctx, database.BackupRequest{Dir: t.TempDir(), Stamp: database.StampNow()})
		require.NoError(t, err)
		require.NoError(t, database.Exec(db.Gorm, `UPDATE t SET v = 2`))

		foreign := database.BackupPgDump
		if tgt.Dialect == database.Postgres {
			foreign = database.BackupSQLiteFile
		}
		_, err = db.Restore(ctx, foreign, res.Location)
		require.ErrorIs(t, err, database.ErrCannotRestore)
		require.Equal(t, 2, value(t, db), "a refused restore changes nothing")

		_, err = db.Restore(ctx, res.Kind, res.Location)
		if res.Kind == database.BackupSchemaCopy {
			require.ErrorIs(t, err, database.ErrCannotRestore, "a schema copy is put back by hand")
			return
		}
		require.NoError(t, err)
		require.Equal(t, 1, value(t, testdb.Open(t, tgt)), "the backup's value is back")
	})
}

func value(t *testing.T, db *database.DB) int {
	t.Helper()
	var v int
	require.NoError(t, db.Gorm.Raw(`SELECT v FROM t`).Scan(&v).Error)
	return v
}
