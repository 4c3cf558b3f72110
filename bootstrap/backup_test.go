package bootstrap_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/timetracker/timetracker/bootstrap"
	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/testdb"
)

// TestBackupRetention keeps the newest Keep backups (files and manifests)
// and verifies each one against the live row counts.
func TestBackupRetention(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		db := runCreate(t, tgt, runOptions(t))
		dir := t.TempDir()
		var made []bootstrap.Manifest
		for i := 0; i < 3; i++ {
			// A change between backups: an unchanged database is not copied again.
			runExec(t, db, "UPDATE settings SET currency = ?", []string{"AAA", "BBB", "CCC"}[i])
			m, err := bootstrap.TakeBackup(context.Background(), db, bootstrap.BackupOptions{Dir: dir, Keep: 2, State: "manual"})
			require.NoError(t, err)
			require.Equal(t, int64(1), m.Rows["settings"], "row counts recorded")
			made = append(made, m)
		}
		list, err := bootstrap.ListBackups(dir)
		require.NoError(t, err)
		require.Len(t, list, 2, "keep the newest two")
		require.Equal(t, made[2].Location, list[0].Location)
		require.Equal(t, made[1].Location, list[1].Location)
		if made[0].Kind != "schema-copy" {
			_, err := os.Stat(made[0].Location)
			require.ErrorIs(t, err, os.ErrNotExist, "the oldest backup file was removed")
		}
		st, err := os.Stat(filepath.Join(dir))
		require.NoError(t, err)
		require.True(t, st.IsDir())
		for _, m := range list {
			fi, err := os.Stat(m.Location)
			require.NoError(t, err)
			require.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "backups are private")
		}
	})
}

// TestBackupFallsBackToSchemaCopy: without a usable pg_dump the backup is a
// verified copy of every table into a schema of its own, and says so.
func TestBackupFallsBackToSchemaCopy(t *testing.T) {
	tgt := testdb.NewPostgres(t)
	db := runCreate(t, tgt, runOptions(t))
	t.Setenv("PATH", t.TempDir()) // no pg_dump here
	m, err := bootstrap.TakeBackup(context.Background(), db, bootstrap.BackupOptions{Dir: t.TempDir(), State: "manual"})
	require.NoError(t, err)
	require.Equal(t, database.BackupKind("schema-copy"), m.Kind)
	for table, n := range m.Rows {
		require.Equal(t, n, runCount(t, db, `SELECT count(*) FROM "`+m.Location+`"."`+table+`"`), table)
	}
	_, err = bootstrap.Restore(context.Background(), db, m)
	require.ErrorIs(t, err, bootstrap.ErrCannotRestore)
}

// TestRetentionByOutcome: with Keep 1, retention keeps the newest backup,
// the newest one before a change that succeeded, and every one before a
// change that failed after changing something or never reported back; it
// removes older manual backups and those whose change left the database
// unchanged.
func TestRetentionByOutcome(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		ctx := context.Background()
		db := runCreate(t, tgt, runOptions(t))
		dir := t.TempDir()
		n := 0
		take := func(change bool) bootstrap.Manifest {
			t.Helper()
			n++
			runExec(t, db, "UPDATE settings SET currency = ?", fmt.Sprintf("C%02d", n))
			state := "manual"
			if change {
				state = "behind"
			}
			m, err := bootstrap.TakeBackup(ctx, db, bootstrap.BackupOptions{Dir: dir, Keep: 1, State: state, Change: change})
			require.NoError(t, err)
			return m
		}
		succeeded := take(true)
		bootstrap.Settle(ctx, db, dir, &succeeded, nil, nil)
		require.Equal(t, bootstrap.OutcomeSucceeded, succeeded.Outcome)
		failed := take(true)
		runExec(t, db, "UPDATE settings SET currency = 'XXX'") // the change got this far
		bootstrap.Settle(ctx, db, dir, &failed, errors.New("step failed"), nil)
		require.Equal(t, bootstrap.OutcomeFailed, failed.Outcome)
		pending := take(true)
		unchanged := take(true)
		bootstrap.Settle(ctx, db, dir, &unchanged, errors.New("step failed"), nil)
		require.Equal(t, bootstrap.OutcomeUnchanged, unchanged.Outcome)
		manual := take(false)
		newest := take(false)

		list, err := bootstrap.ListBackups(dir)
		require.NoError(t, err)
		var got []string
		for _, m := range list {
			got = append(got, m.Location)
		}
		require.Equal(t, []string{newest.Location, pending.Location, failed.Location, succeeded.Location}, got)
		for _, gone := range []bootstrap.Manifest{unchanged, manual} {
			if gone.Kind != "schema-copy" {
				_, err := os.Stat(gone.Location)
				require.ErrorIs(t, err, os.ErrNotExist)
			}
		}
	})
}
