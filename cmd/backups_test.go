package cmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/timetracker/timetracker/internal/testdb"
	"github.com/timetracker/timetracker/migrations"
)

// Tests of what backups users count on (issue 11, items 9, 10, 12, 13).

// backupEntry is what these tests read of `db backups -o json`.
type backupEntry struct {
	Location, Kind, State, Outcome string
}

func listBackups(t *testing.T, args ...string) []backupEntry {
	t.Helper()
	r := run(t, append([]string{"db", "backups", "-o", "json"}, args...)...)
	require.Equal(t, 0, r.code, r.stderr)
	var list []backupEntry
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &list), r.stdout)
	return list
}

func requireOneLine(t *testing.T, r result) {
	t.Helper()
	require.Equal(t, 1, strings.Count(r.stderr, "timetracker:"), "one error line: %q", r.stderr)
	require.True(t, strings.HasSuffix(r.stderr, "\n") && strings.Count(strings.TrimSpace(lastLine(r.stderr)), "\n") == 0, r.stderr)
}

// TestNoBackupBeforeAChangeThatCannotRun: a typo in --to, a downgrade of a
// newer database and a start command that does not exist are refused
// before any backup, so they cannot push real backups out of retention.
func TestNoBackupBeforeAChangeThatCannotRun(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		isolate(t)
		db := []string{"--database-url", tgt.URL, "--backup-dir", t.TempDir(), "--backup-keep", "1"}
		with := func(args ...string) []string { return append(args, db...) }
		r := run(t, with("db", "init")...)
		require.Equal(t, 0, r.code, r.stderr)
		r = run(t, with("db", "downgrade", "--to", procDowngradeTo, "--yes")...)
		require.Equal(t, 0, r.code, r.stderr)
		before := listBackups(t, db...)
		require.Len(t, before, 1)
		require.Equal(t, "succeeded", before[0].Outcome, "the manifest records that the downgrade succeeded")

		for i := 0; i < 3; i++ {
			r = run(t, with("db", "upgrade", "--to", "202509100011_typo")...)
			require.Equal(t, ExitUsage, r.code, r.stderr)
			requireOneLine(t, r)
			require.Contains(t, r.stderr, "202509100011_typo")
		}
		require.Equal(t, before, listBackups(t, db...), "no backup taken, none removed")

		conn := testdb.Open(t, tgt)
		require.NoError(t, conn.Gorm.Exec("INSERT INTO "+migrations.TableName+" (id) VALUES ('209901010000_from_the_future')").Error)
		r = run(t, with("db", "downgrade", "--to", migrations.BaselineID, "--yes")...)
		require.Equal(t, ExitRefused, r.code, r.stderr)
		requireOneLine(t, r)
		require.Equal(t, before, listBackups(t, db...), "a refused downgrade takes no backup")
		require.NoError(t, conn.Gorm.Exec("DELETE FROM "+migrations.TableName+" WHERE id = '209901010000_from_the_future'").Error)
		require.NoError(t, conn.Close())

		r = run(t, with("bootstrap", "--", "no-such-command-tt11")...)
		require.Equal(t, ExitUsage, r.code, r.stderr)
		require.Contains(t, lastLine(r.stderr), "no-such-command-tt11")
		require.Equal(t, before, listBackups(t, db...), "no backup")
		r = run(t, with("db", "current")...)
		require.Equal(t, procDowngradeTo+"\n", r.stdout, "bootstrap changed nothing")
	})
}

// TestRetentionKeepsTheBackupBeforeASucceededChange: with backup-keep 1,
// newer manual backups do not remove the backup taken before the last
// downgrade that succeeded.
func TestRetentionKeepsTheBackupBeforeASucceededChange(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		isolate(t)
		db := []string{"--database-url", tgt.URL, "--backup-dir", t.TempDir(), "--backup-keep", "1"}
		with := func(args ...string) []string { return append(args, db...) }
		r := run(t, with("db", "init")...)
		require.Equal(t, 0, r.code, r.stderr)
		r = run(t, with("db", "downgrade", "--to", procDowngradeTo, "--yes")...)
		require.Equal(t, 0, r.code, r.stderr)
		pre := listBackups(t, db...)
		require.Len(t, pre, 1)
		conn := testdb.Open(t, tgt)
		defer conn.Close()
		var last string
		for _, c := range []string{"AAA", "BBB", "CCC"} {
			require.NoError(t, conn.Gorm.Exec("UPDATE settings SET currency = ?", c).Error)
			r = run(t, with("db", "backup")...)
			require.Equal(t, 0, r.code, r.stderr)
			last = strings.TrimSpace(r.stdout)
		}
		list := listBackups(t, db...)
		var locs []string
		for _, m := range list {
			locs = append(locs, m.Location)
		}
		require.ElementsMatch(t, []string{last, pre[0].Location}, locs, "the newest, and the one before the downgrade")
		_, err := os.Stat(pre[0].Location)
		require.NoError(t, err)
	})
}

// TestUnchangedDatabaseIsBackedUpOnce: backing up a database that still
// holds what a backup holds reuses that backup, also when a bootstrap
// fails at the same step at every start (a crash loop).
func TestUnchangedDatabaseIsBackedUpOnce(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		isolate(t)
		backups := t.TempDir()
		db := []string{"--database-url", tgt.URL, "--backup-dir", backups}
		with := func(args ...string) []string { return append(args, db...) }
		r := run(t, with("db", "init")...)
		require.Equal(t, 0, r.code, r.stderr)
		r = run(t, with("db", "backup")...)
		require.Equal(t, 0, r.code, r.stderr)
		first := r.stdout
		r = run(t, with("db", "backup")...)
		require.Equal(t, 0, r.code, r.stderr)
		require.Equal(t, first, r.stdout, "the same backup")
		require.Len(t, listBackups(t, db...), 1)

		// A step that fails at every start: a table holds the name of the
		// index step 202509100010 creates.
		r = run(t, with("db", "downgrade", "--to", procDowngradeTo, "--yes")...)
		require.Equal(t, 0, r.code, r.stderr)
		conn := testdb.Open(t, tgt)
		require.NoError(t, conn.Gorm.Exec("CREATE TABLE ux_time_entries_one_active_per_user (id INTEGER PRIMARY KEY)").Error)
		// Rows written so far are older than the first start's backup: a
		// transaction of another test running across both would make
		// them count as written during the failed change.
		testdb.WaitOlderTransactions(t, conn)
		require.NoError(t, conn.Close())
		list := listBackups(t, db...)
		require.Len(t, list, 1, "the downgrade reused the backup: nothing had changed since")
		require.Equal(t, "downgrade", list[0].State)
		for i := 0; i < 3; i++ {
			r = run(t, with("bootstrap")...)
			require.Equal(t, ExitError, r.code, r.stderr)
		}
		list = listBackups(t, db...)
		require.Len(t, list, 2, "one backup for the three failed starts")
		require.Equal(t, "behind", list[0].State)
		require.Equal(t, "unchanged", list[0].Outcome, "the failed step changed nothing")
		r = run(t, with("db", "current")...)
		require.Equal(t, procDowngradeTo+"\n", r.stdout)
	})
}

// TestRestoreFromAnyPath: db restore takes the path of a backup file
// anywhere, with or without its manifest; a backup of the other dialect is
// refused with a line saying so, before anything is done.
func TestRestoreFromAnyPath(t *testing.T) {
	isolate(t)
	lite := testdb.NewSQLite(t)
	liteArgs := []string{"--database-url", lite.URL, "--backup-dir", t.TempDir()}
	r := run(t, append([]string{"bootstrap"}, liteArgs...)...)
	require.Equal(t, 0, r.code, r.stderr)
	r = run(t, append([]string{"db", "backup"}, liteArgs...)...)
	require.Equal(t, 0, r.code, r.stderr)
	elsewhere := filepath.Join(t.TempDir(), "copy of backup.sqlite")
	b, err := os.ReadFile(strings.TrimSpace(r.stdout))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(elsewhere, b, 0o600))

	conn := testdb.Open(t, lite)
	require.NoError(t, conn.Gorm.Exec("DELETE FROM projects").Error)
	require.NoError(t, conn.Close())
	r = run(t, append([]string{"db", "restore", elsewhere, "--yes"}, liteArgs...)...)
	require.Equal(t, 0, r.code, r.stderr)
	require.Contains(t, r.stdout, "restored "+elsewhere)
	conn = testdb.Open(t, lite)
	var n int64
	require.NoError(t, conn.Gorm.Raw("SELECT count(*) FROM projects").Scan(&n).Error)
	require.NoError(t, conn.Close())
	require.Equal(t, int64(1), n, "the project is back")

	pg := testdb.NewPostgres(t)
	pgArgs := []string{"--database-url", pg.URL, "--backup-dir", t.TempDir()}
	r = run(t, append([]string{"bootstrap"}, pgArgs...)...)
	require.Equal(t, 0, r.code, r.stderr)
	r = run(t, append([]string{"db", "backup"}, pgArgs...)...)
	require.Equal(t, 0, r.code, r.stderr)
	pgdump := strings.TrimSpace(r.stdout)
	require.True(t, strings.HasSuffix(pgdump, ".pgdump"), pgdump)

	for _, c := range []struct {
		backup string
		args   []string
		words  []string
	}{
		{pgdump, liteArgs, []string{"PostgreSQL", "SQLite"}},
		{elsewhere, pgArgs, []string{"SQLite", "PostgreSQL"}},
	} {
		before := listBackups(t, c.args...)
		r = run(t, append([]string{"db", "restore", c.backup, "--yes"}, c.args...)...)
		require.Equal(t, ExitUsage, r.code, r.stderr)
		requireOneLine(t, r)
		for _, w := range c.words {
			require.Contains(t, r.stderr, w)
		}
		require.Contains(t, r.stderr, "nothing was changed")
		require.Equal(t, before, listBackups(t, c.args...), "no backup before a restore that cannot run")
	}
}

// TestBackupOfMissingSQLiteFile: db backup of a SQLite file that does not
// exist says so and creates neither the file nor its directory.
func TestBackupOfMissingSQLiteFile(t *testing.T) {
	isolate(t)
	dir := filepath.Join(t.TempDir(), "sub")
	path := filepath.Join(dir, "none.db")
	r := run(t, "db", "backup", "--database-url", "sqlite:///"+path, "--backup-dir", t.TempDir())
	require.Equal(t, ExitUnreachable, r.code, r.stderr)
	requireOneLine(t, r)
	require.Contains(t, r.stderr, "no SQLite database at "+path)
	_, err := os.Stat(dir)
	require.ErrorIs(t, err, os.ErrNotExist, "nothing created")
}

// TestOrphansAreListedAndRemoved: files a backup interrupted by a full disk
// or a crash left behind (no manifest) are listed by db backups and removed
// by retention once they are not being written any more.
func TestOrphansAreListedAndRemoved(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		isolate(t)
		backups := t.TempDir()
		db := []string{"--database-url", tgt.URL, "--backup-dir", backups, "--backup-keep", "5"}
		r := run(t, append([]string{"db", "init"}, db...)...)
		require.Equal(t, 0, r.code, r.stderr)
		old := time.Now().Add(-2 * time.Hour)
		stale := []string{
			filepath.Join(backups, "timetracker-20260101T000000.000000Z.pgdump"),
			filepath.Join(backups, "timetracker-20260101T000000.000000Z.pgdump.json.tmp"),
			filepath.Join(backups, "timetracker-20260101T000001.000000Z.sqlite.tmp"),
		}
		for _, p := range stale {
			require.NoError(t, os.WriteFile(p, []byte("partial"), 0o600))
			require.NoError(t, os.Chtimes(p, old, old))
		}
		// A backup whose manifest names another directory (backup-dir was
		// moved) is not an orphan.
		moved := filepath.Join(backups, "timetracker-20250101T000000.000000Z.sqlite")
		require.NoError(t, os.WriteFile(moved, []byte("SQLite format 3\x00"), 0o600))
		require.NoError(t, os.WriteFile(moved+".json", []byte(`{"kind":"sqlite-file","dialect":"sqlite","location":"/elsewhere/timetracker-20250101T000000.000000Z.sqlite"}`), 0o600))
		require.NoError(t, os.Chtimes(moved, old, old))
		require.NoError(t, os.Chtimes(moved+".json", old, old))
		fresh := filepath.Join(backups, "timetracker-20260101T000002.000000Z.pgdump.tmp")
		require.NoError(t, os.WriteFile(fresh, []byte("being written"), 0o600))

		list := listBackups(t, db...)
		var orphans []string
		for _, m := range list {
			if m.Kind == "orphan" {
				orphans = append(orphans, m.Location)
			}
		}
		require.ElementsMatch(t, append(stale, fresh), orphans)
		require.Contains(t, list, backupEntry{Location: moved, Kind: "sqlite-file"}, "listed where it is now")
		r = run(t, append([]string{"db", "backups"}, db...)...)
		require.Contains(t, r.stdout, "orphan")

		r = run(t, append([]string{"db", "backup"}, db...)...)
		require.Equal(t, 0, r.code, r.stderr)
		for _, p := range stale {
			_, err := os.Stat(p)
			require.ErrorIs(t, err, os.ErrNotExist, "retention removed %s", p)
		}
		_, err := os.Stat(fresh)
		require.NoError(t, err, "a file still being written is left alone")
		_, err = os.Stat(moved)
		require.NoError(t, err, "a backup with its manifest is kept")
	})
}

// TestRelativeSQLiteURLOutsideTheImage: without /app/instance (outside
// TimeTracker's image) a relative sqlite:/// URL is resolved against the
// working directory, and only the database's own directory is created.
func TestRelativeSQLiteURLOutsideTheImage(t *testing.T) {
	if _, err := os.Stat("/app"); err == nil {
		t.Skip("/app exists here: this checks a machine without TimeTracker's layout")
	}
	isolate(t)
	wd := t.TempDir()
	t.Chdir(wd)
	r := run(t, "db", "init", "--database-url", "sqlite:///sub/tt.db")
	t.Cleanup(func() {
		if _, err := os.Stat("/app"); err == nil {
			os.RemoveAll("/app")
			t.Error("/app was created")
		}
	})
	require.Equal(t, 0, r.code, r.stderr)
	_, err := os.Stat(filepath.Join(wd, "sub", "tt.db"))
	require.NoError(t, err, "relative to the working directory")

	// Only the database's own directory is created, not a chain.
	deep := filepath.Join(t.TempDir(), "a", "b", "tt.db")
	r = run(t, "db", "init", "--database-url", "sqlite:///"+deep)
	require.Equal(t, ExitUnreachable, r.code, r.stderr)
	requireOneLine(t, r)
	_, err = os.Stat(filepath.Dir(filepath.Dir(deep)))
	require.ErrorIs(t, err, os.ErrNotExist)
}

// TestStatusCheckOnANewerDatabase: the readiness probe keeps a pod of the
// previous release in service once a newer release has migrated the
// database further; a database behind this binary is not ready.
func TestStatusCheckOnANewerDatabase(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		isolate(t)
		db := []string{"--database-url", tgt.URL, "--backup-dir", t.TempDir()}
		with := func(args ...string) []string { return append(args, db...) }
		r := run(t, with("db", "init")...)
		require.Equal(t, 0, r.code, r.stderr)
		r = run(t, with("db", "status", "--check")...)
		require.Equal(t, 0, r.code, r.stderr)

		conn := testdb.Open(t, tgt)
		require.NoError(t, conn.Gorm.Exec("INSERT INTO "+migrations.TableName+" (id) VALUES ('209901010000_from_the_future')").Error)
		r = run(t, with("db", "status", "--check")...)
		require.Equal(t, 0, r.code, "newer, with every step this binary knows: ready\n%s%s", r.stdout, r.stderr)
		require.Contains(t, r.stdout, "newer")
		require.NoError(t, conn.Gorm.Exec("DELETE FROM "+migrations.TableName+" WHERE id = '209901010000_from_the_future'").Error)
		require.NoError(t, conn.Close())

		r = run(t, with("db", "downgrade", "--to", procDowngradeTo, "--yes")...)
		require.Equal(t, 0, r.code, r.stderr)
		r = run(t, with("db", "status", "--check")...)
		require.Equal(t, ExitVerify, r.code, "behind: not ready")
	})
}

// TestRestoreOfASchemaCopyTakesNoBackup: a backup that cannot be restored
// automatically is refused before the state it would replace is backed up.
func TestRestoreOfASchemaCopyTakesNoBackup(t *testing.T) {
	isolate(t)
	tgt := testdb.NewPostgres(t)
	db := []string{"--database-url", tgt.URL, "--backup-dir", t.TempDir()}
	r := run(t, append([]string{"bootstrap"}, db...)...)
	require.Equal(t, 0, r.code, r.stderr)
	t.Setenv("PATH", t.TempDir()) // no pg_dump: an in-database copy
	r = run(t, append([]string{"db", "backup"}, db...)...)
	require.Equal(t, 0, r.code, r.stderr)
	copyName := strings.TrimSpace(r.stdout)
	require.True(t, strings.HasPrefix(copyName, "timetracker_backup_"), copyName)
	before := listBackups(t, db...)
	r = run(t, append([]string{"db", "restore", copyName, "--yes"}, db...)...)
	require.Equal(t, ExitError, r.code, r.stderr)
	requireOneLine(t, r)
	require.Contains(t, r.stderr, "by hand")
	require.Equal(t, before, listBackups(t, db...), "no backup before a restore that cannot run")
}
