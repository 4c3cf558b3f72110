package bootstrap_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/timetracker/timetracker/bootstrap"
	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/testdb"
	"github.com/timetracker/timetracker/migrations"
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
			// That write is older than the backup's mark.
			testdb.WaitOlderTransactions(t, db)
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
		// The change got this far: a step committed (each step changes the
		// schema or the recorded steps in its transaction).
		runExec(t, db, "CREATE INDEX ix_settings_currency ON settings (currency)")
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

// backupFiles lists the files of a backup directory.
func backupFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestBackupDedupAfterWrite: a backup whose file holds what an existing one
// holds is removed, and the existing one returned and relabelled for the
// change that follows; a changed value is a new backup. A manifest of an
// older version (a fingerprint of rows) still loads, and matches nothing.
func TestBackupDedupAfterWrite(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		ctx := context.Background()
		db := runCreate(t, tgt, runOptions(t))
		dir := t.TempDir()
		first, err := bootstrap.TakeBackup(ctx, db, bootstrap.BackupOptions{Dir: dir, State: "manual"})
		require.NoError(t, err)
		prefix := map[database.Dialect]string{database.SQLite: "file-sha256:", database.Postgres: "pgdump-sha256:"}[tgt.Dialect]
		require.Contains(t, first.Fingerprint, prefix)
		files := backupFiles(t, dir)
		require.Len(t, files, 2, "the backup and its manifest")

		again, err := bootstrap.TakeBackup(ctx, db, bootstrap.BackupOptions{Dir: dir, State: "behind", Change: true})
		require.NoError(t, err)
		require.Equal(t, first.Location, again.Location, "the existing backup")
		require.Equal(t, first.CreatedAt, again.CreatedAt)
		require.Equal(t, files, backupFiles(t, dir), "the second copy was removed")
		list, err := bootstrap.ListBackups(dir)
		require.NoError(t, err)
		require.Len(t, list, 1)
		require.Equal(t, "behind", list[0].State)
		require.Equal(t, bootstrap.OutcomePending, list[0].Outcome)

		var currency string
		require.NoError(t, db.Gorm.Raw("SELECT currency FROM settings").Scan(&currency).Error)
		runExec(t, db, "UPDATE settings SET currency = 'ZZZ'")
		changed, err := bootstrap.TakeBackup(ctx, db, bootstrap.BackupOptions{Dir: dir, State: "manual"})
		require.NoError(t, err)
		require.NotEqual(t, first.Location, changed.Location)
		require.NotEqual(t, first.Fingerprint, changed.Fingerprint)

		// The first backup's manifest as an older version wrote it: its
		// fingerprint summarised rows. The database back as it was then
		// is not matched to it.
		old := list[0]
		old.Fingerprint = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"
		b, err := json.Marshal(old)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(old.Location+".json", b, 0o600))
		runExec(t, db, "UPDATE settings SET currency = ?", currency)
		back, err := bootstrap.TakeBackup(ctx, db, bootstrap.BackupOptions{Dir: dir, State: "manual"})
		require.NoError(t, err)
		require.NotEqual(t, first.Location, back.Location)
		if tgt.Dialect == database.SQLite {
			require.Equal(t, first.Fingerprint, back.Fingerprint, "the same file as the first")
		}
		list, err = bootstrap.ListBackups(dir)
		require.NoError(t, err)
		require.Len(t, list, 3, "the older manifest loads")
	})
}

// TestSettleUnchangedOrFailed: a failed change that left the schema and
// the row counts as they were (the history of steps aside) is unchanged,
// and the next backup of that database is the same backup; one that
// changed the schema or counts failed, and so did a failed restore and a
// change whose manifest was read from disk.
func TestSettleUnchangedOrFailed(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		ctx := context.Background()
		db := runCreate(t, tgt, runOptions(t))
		// The rows written so far are older than the first backup's mark.
		testdb.WaitOlderTransactions(t, db)
		dir := t.TempDir()
		stepFailed := errors.New("step failed")
		take := func(state string) bootstrap.Manifest {
			t.Helper()
			m, err := bootstrap.TakeBackup(ctx, db, bootstrap.BackupOptions{Dir: dir, State: state, Change: true})
			require.NoError(t, err)
			return m
		}
		failStep := func() {
			t.Helper()
			runExec(t, db, "INSERT INTO "+migrations.HistoryTableName+
				" (migration_id, kind, started_at, duration_ms, success, program_version, error) VALUES ('x', 'applied', ?, 1, false, 'test', 'boom')", time.Now().UTC())
		}

		m := take("behind")
		failStep()
		bootstrap.Settle(ctx, db, dir, &m, stepFailed, nil)
		require.Equal(t, bootstrap.OutcomeUnchanged, m.Outcome)
		require.NotEmpty(t, m.LeftFingerprint)
		require.NotEqual(t, m.Fingerprint, m.LeftFingerprint, "the history holds the failure")
		files := backupFiles(t, dir)
		require.Len(t, files, 2, "the copy fingerprinted for Settle is gone")

		// The next start: the same backup, though the history grew.
		again := take("behind")
		require.Equal(t, m.Location, again.Location)
		require.Equal(t, files, backupFiles(t, dir))
		failStep()
		runExec(t, db, "CREATE TABLE partial_step (id INTEGER)")
		bootstrap.Settle(ctx, db, dir, &again, stepFailed, nil)
		require.Equal(t, bootstrap.OutcomeFailed, again.Outcome, "a schema change")

		counted := take("behind")
		require.NotEqual(t, m.Location, counted.Location)
		runExec(t, db, "INSERT INTO partial_step (id) VALUES (1)")
		bootstrap.Settle(ctx, db, dir, &counted, stepFailed, nil)
		require.Equal(t, bootstrap.OutcomeFailed, counted.Outcome, "a row more")

		restore := take("before-restore")
		bootstrap.Settle(ctx, db, dir, &restore, stepFailed, nil)
		require.Equal(t, bootstrap.OutcomeFailed, restore.Outcome, "a failed restore")

		runExec(t, db, "DELETE FROM partial_step")
		last := take("behind")
		list, err := bootstrap.ListBackups(dir)
		require.NoError(t, err)
		var fromDisk bootstrap.Manifest
		for _, b := range list {
			if b.Location == last.Location {
				fromDisk = b
			}
		}
		require.Equal(t, bootstrap.OutcomePending, fromDisk.Outcome)
		bootstrap.Settle(ctx, db, dir, &fromDisk, stepFailed, nil)
		require.Equal(t, bootstrap.OutcomeFailed, fromDisk.Outcome, "no signature to compare")

		bootstrap.Settle(ctx, nil, dir, &counted, stepFailed, nil)
		require.Equal(t, bootstrap.OutcomeFailed, counted.Outcome, "no database")
	})
}

// TestSettleAnotherSessionWrote: a failed change during which another
// session changed a value (the schema and every count as they were) failed:
// the backup lacks that value, so no fingerprint of what was left is
// recorded and the next start's backup is kept. Without that write the
// same failure is unchanged.
func TestSettleAnotherSessionWrote(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		ctx := context.Background()
		db := runCreate(t, tgt, runOptions(t))
		other := testdb.Open(t, tgt)
		dir := t.TempDir()
		stepFailed := errors.New("step failed")
		take := func() bootstrap.Manifest {
			t.Helper()
			// What was written before is older than the backup's mark.
			testdb.WaitOlderTransactions(t, db)
			m, err := bootstrap.TakeBackup(ctx, db, bootstrap.BackupOptions{Dir: dir, State: "behind", Change: true})
			require.NoError(t, err)
			return m
		}
		failStep := func() {
			t.Helper()
			runExec(t, db, "INSERT INTO "+migrations.HistoryTableName+
				" (migration_id, kind, started_at, duration_ms, success, program_version, error) VALUES ('x', 'applied', ?, 1, false, 'test', 'boom')", time.Now().UTC())
		}
		onDisk := func(m bootstrap.Manifest) bootstrap.Manifest {
			t.Helper()
			list, err := bootstrap.ListBackups(dir)
			require.NoError(t, err)
			for _, b := range list {
				if b.Location == m.Location {
					return b
				}
			}
			t.Fatalf("no manifest for %s", m.Location)
			return bootstrap.Manifest{}
		}

		m := take()
		failStep()
		require.NoError(t, other.Gorm.Exec("UPDATE settings SET currency = 'QQQ'").Error)
		bootstrap.Settle(ctx, db, dir, &m, stepFailed, nil)
		require.Equal(t, bootstrap.OutcomeFailed, m.Outcome, "another session changed a value")
		require.Empty(t, m.LeftFingerprint)
		require.Equal(t, bootstrap.OutcomeFailed, onDisk(m).Outcome)
		require.Empty(t, onDisk(m).LeftFingerprint)

		// The next start: a backup of its own, which holds the value.
		next := take()
		require.NotEqual(t, m.Location, next.Location, "the first backup lacks the value")
		failStep()
		bootstrap.Settle(ctx, db, dir, &next, stepFailed, nil)
		require.Equal(t, bootstrap.OutcomeUnchanged, next.Outcome, "nobody else wrote")
		require.NotEmpty(t, next.LeftFingerprint)
		again := take()
		require.Equal(t, next.Location, again.Location, "the start after that reuses it")
	})
}
