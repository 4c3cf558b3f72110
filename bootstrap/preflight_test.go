package bootstrap_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/timetracker/timetracker/bootstrap"
	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/testdb"
)

// preflightTmpfs mounts a small, real tmpfs for the test and unmounts it
// in cleanup. Mounting needs root (CI runs as root); elsewhere the test
// is skipped, saying why.
func preflightTmpfs(t *testing.T, size string) string {
	t.Helper()
	dir := t.TempDir()
	out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput()
	if err != nil {
		t.Skipf("cannot mount a tmpfs here (needs root): %v: %s", err, strings.TrimSpace(string(out)))
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", dir, err, out)
		}
	})
	return dir
}

// preflightFill adds about 3 MB of time entries (notes of 1,000 bytes).
func preflightFill(t *testing.T, db *database.DB) {
	t.Helper()
	if db.Dialect == database.Postgres {
		runExec(t, db, `INSERT INTO time_entries (user_id, project_id, start_time, end_time, notes, source, billable, created_at, updated_at)
			SELECT 1, 1, '2025-01-01 09:00', '2025-01-01 10:00', repeat(md5(i::text), 32), 'manual', true, now(), now()
			FROM generate_series(1, 3000) i`)
		return
	}
	runExec(t, db, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
		INSERT INTO time_entries (user_id, project_id, start_time, end_time, notes, source, billable, created_at, updated_at)
		SELECT 1, 1, '2025-01-01 09:00', '2025-01-01 10:00', hex(randomblob(500)), 'manual', 1, '2025-01-01', '2025-01-01' FROM n`)
}

// TestPreflightRefusesWhenTheBackupDoesNotFit: an upgrade whose backup
// directory is on a 1 MiB filesystem, for a database of about 3 MB, is
// refused before anything happens (exit 7: ErrBackupFailed), naming the
// path and the numbers; the database is unchanged and no backup file is
// left behind.
func TestPreflightRefusesWhenTheBackupDoesNotFit(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		opts := runOptions(t)
		db := runCreate(t, tgt, opts)
		preflightFill(t, db)
		runDowngradeTo(t, db, runDowngrade)
		before := runDumpAll(t, db)

		opts.BackupDir = filepath.Join(preflightTmpfs(t, "1m"), "backups")
		res, err := runDo(t, tgt, opts)
		require.ErrorIs(t, err, bootstrap.ErrNoSpace)
		require.ErrorIs(t, err, bootstrap.ErrBackupFailed)
		require.Equal(t, bootstrap.StrategyUpgrade, res.Detection.Strategy)
		msg := err.Error()
		require.Contains(t, msg, "for the backup: "+opts.BackupDir+" needs about ")
		require.Contains(t, msg, "MiB, 1.0 MiB is free there; nothing was changed")
		require.Contains(t, msg, "backup-dir")
		require.Nil(t, res.Backup)
		require.Equal(t, before, runDumpAll(t, db), "nothing changed")
		entries, _ := os.ReadDir(opts.BackupDir)
		require.Empty(t, entries, "no backup file left behind")
	})
}

// TestPreflightRefusesWhenTheConversionDoesNotFit: a legacy SQLite file of
// about 2 MB on a 3 MiB filesystem cannot be converted there (the rebuilt
// tables grow the file by about its size until the commit, plus the
// margin): refused before the backup, the file unchanged.
func TestPreflightRefusesWhenTheConversionDoesNotFit(t *testing.T) {
	fixture, err := os.ReadFile(filepath.Join("..", "legacy", "testdata", "s1a.sqlite.sql"))
	require.NoError(t, err)
	// Built on the test's disk, then copied onto the small filesystem.
	built := testdb.NewSQLite(t)
	db := testdb.Open(t, built)
	runExec(t, db, string(fixture))
	runExec(t, db, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
		INSERT INTO time_entries (id, user_id, project_id, start_utc, end_utc, duration_seconds, notes, tags, source, billable, created_at, updated_at)
		SELECT 1000 + i, 1, 2, '2025-08-18 09:00:00', '2025-08-18 10:30:00', 5400, hex(randomblob(500)), NULL, 'manual', 1, '2025-08-18 10:30:05', '2025-08-18 10:30:05' FROM n`)
	require.NoError(t, db.Close())
	raw, err := os.ReadFile(built.DSN)
	require.NoError(t, err)
	path := filepath.Join(preflightTmpfs(t, "3m"), "timetracker.db")
	require.NoError(t, os.WriteFile(path, raw, 0o600))
	tgt := testdb.Target{Dialect: database.SQLite, DSN: path, URL: "sqlite:///" + path, Name: path}
	db = testdb.Open(t, tgt)
	before := runDumpAll(t, db)

	opts := runOptions(t) // backups on the test's own disk: they fit
	res, err := runDo(t, tgt, opts)
	require.ErrorIs(t, err, bootstrap.ErrNoSpace)
	require.Equal(t, bootstrap.StrategyConvert, res.Detection.Strategy)
	require.Contains(t, err.Error(), "for the rebuilt tables: "+path+" needs about ")
	require.Nil(t, res.Backup)
	require.Equal(t, before, runDumpAll(t, db), "nothing changed")
	runDirAbsent(t, opts.BackupDir)
}
