package cmd

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/require"

	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/testdb"
	"github.com/timetracker/timetracker/migrations"
)

// isolate clears the environment variables the program reads.
func isolate(t *testing.T) {
	t.Helper()
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "TIMETRACKER_") || strings.HasPrefix(name, "POSTGRES_") ||
			name == "DATABASE_URL" || name == "BACKUP_DIR" || name == "ADMIN_USERNAMES" {
			t.Setenv(name, "")
			os.Unsetenv(name)
		}
	}
	t.Setenv("TIMETRACKER_DATA_DIR", t.TempDir())
}

type result struct {
	code   int
	stdout string
	stderr string
}

func run(t *testing.T, args ...string) result {
	t.Helper()
	ios, out, errOut := Test()
	code := Execute(context.Background(), ios, "test-version", args)
	return result{code: code, stdout: out.String(), stderr: errOut.String()}
}

func TestNewDBUpgradeCmd(t *testing.T) {
	tests := []struct {
		args    []string
		want    UpgradeOptions
		wantErr bool
	}{
		{args: nil, want: UpgradeOptions{}},
		{args: []string{"--to", "202509100004_add_task_activities"}, want: UpgradeOptions{To: "202509100004_add_task_activities"}},
		{args: []string{"--dry-run"}, want: UpgradeOptions{DryRun: true}},
		{args: []string{"extra"}, wantErr: true},
		{args: []string{"--bogus"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var got *UpgradeOptions
			c := newDBUpgradeCmd(&Factory{}, func(_ context.Context, o *UpgradeOptions) error { got = o; return nil })
			c.SetArgs(tt.args)
			c.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
			c.SilenceErrors, c.SilenceUsage = true, true
			err := c.Execute()
			if tt.wantErr {
				require.Error(t, err)
				require.Equal(t, ExitUsage, ExitCode(err))
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want.To, got.To)
			require.Equal(t, tt.want.DryRun, got.DryRun)
		})
	}
}

func TestNewDBDowngradeCmd(t *testing.T) {
	tests := []struct {
		args    []string
		wantTo  string
		wantErr string
	}{
		{args: []string{"--to", migrations.BaselineID, "--yes"}, wantTo: migrations.BaselineID},
		{args: []string{"--yes"}, wantErr: "--to is required"},
		{args: []string{"--to", migrations.BaselineID}, wantErr: "--yes"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var got *DowngradeOptions
			c := newDBDowngradeCmd(&Factory{}, func(_ context.Context, o *DowngradeOptions) error { got = o; return nil })
			c.SetArgs(tt.args)
			c.SilenceErrors, c.SilenceUsage = true, true
			err := c.Execute()
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				require.Equal(t, ExitUsage, ExitCode(err))
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.wantTo, got.To)
			require.True(t, got.Yes)
		})
	}
}

func TestNewDBCurrentAndHistoryCmd(t *testing.T) {
	for _, args := range [][]string{nil, {"-o", "json"}, {"--output", "text"}} {
		var cur *CurrentOptions
		c := newDBCurrentCmd(&Factory{}, func(_ context.Context, o *CurrentOptions) error { cur = o; return nil })
		c.SetArgs(args)
		require.NoError(t, c.Execute())
		var hist *HistoryOptions
		h := newDBHistoryCmd(&Factory{}, func(_ context.Context, o *HistoryOptions) error { hist = o; return nil })
		h.SetArgs(args)
		require.NoError(t, h.Execute())
		want := "text"
		if len(args) == 2 {
			want = args[1]
		}
		require.Equal(t, want, cur.Output)
		require.Equal(t, want, hist.Output)
	}
	c := newDBCurrentCmd(&Factory{}, func(context.Context, *CurrentOptions) error { return nil })
	c.SetArgs([]string{"-o", "yaml"})
	c.SilenceErrors, c.SilenceUsage = true, true
	err := c.Execute()
	require.Error(t, err)
	require.Equal(t, ExitUsage, ExitCode(err))
}

// TestDBCommands runs each db command end to end on both dialects.
func TestDBCommands(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		isolate(t)
		db := []string{"--database-url", tgt.URL}
		with := func(args ...string) []string { return append(args, db...) }
		// Derived from the list, so that adding a step needs no change here.
		steps := migrations.Steps()
		head := migrations.Head(steps)
		const downTo = "202509100004_add_task_activities"
		after := len(steps) - 1 - migrations.Index(steps, downTo)

		r := run(t, with("db", "current")...)
		require.Equal(t, 0, r.code, r.stderr)
		require.Empty(t, r.stdout)

		r = run(t, with("db", "upgrade", "--dry-run", "--to", "202509100002_add_user_full_name")...)
		require.Equal(t, 0, r.code, r.stderr)
		require.Equal(t, "would apply 202509030000_baseline\nwould apply 202509100002_add_user_full_name\n", r.stdout)

		r = run(t, with("db", "init")...)
		require.Equal(t, 0, r.code, r.stderr)
		require.Contains(t, r.stdout, "initialised")

		r = run(t, with("db", "init")...)
		require.Equal(t, ExitRefused, r.code)
		require.Contains(t, r.stderr, "database is not empty")

		r = run(t, with("db", "current")...)
		require.Equal(t, 0, r.code, r.stderr)
		require.Equal(t, head+" (head)\n", r.stdout)

		r = run(t, with("db", "current", "-o", "json")...)
		require.Equal(t, 0, r.code, r.stderr)
		var cur currentJSON
		require.NoError(t, json.Unmarshal([]byte(r.stdout), &cur))
		require.True(t, cur.AtHead)
		require.Equal(t, head, *cur.Current)

		r = run(t, with("db", "downgrade", "--to", downTo, "--yes")...)
		require.Equal(t, 0, r.code, r.stderr)
		require.Equal(t, after, strings.Count(r.stdout, "rolled back "))

		r = run(t, with("db", "current")...)
		require.Equal(t, downTo+"\n", r.stdout)

		r = run(t, with("db", "history", "-o", "json")...)
		require.Equal(t, 0, r.code, r.stderr)
		var hist historyJSON
		require.NoError(t, json.Unmarshal([]byte(r.stdout), &hist))
		require.Len(t, hist.Steps, len(steps))
		last := hist.Steps[len(steps)-1]
		require.Equal(t, "pending", last.Status)
		require.Equal(t, "rolled_back", last.Last.Kind)
		require.Equal(t, "test-version", last.Last.ProgramVersion)
		require.Equal(t, "initialised", hist.Steps[0].Last.Kind)

		r = run(t, with("db", "upgrade")...)
		require.Equal(t, 0, r.code, r.stderr)
		require.Equal(t, after, strings.Count(r.stdout, "applied "))

		r = run(t, with("db", "history")...)
		require.Equal(t, 0, r.code, r.stderr)
		require.Contains(t, r.stdout, head+" (head, current)")

		r = run(t, with("db", "upgrade", "--to", "nope")...)
		require.Equal(t, ExitUsage, r.code)

		r = run(t, with("db", "downgrade", "--to", "nope", "--yes")...)
		require.Equal(t, ExitUsage, r.code)
	})
}

func TestBadConfigIsUsageError(t *testing.T) {
	isolate(t)
	for _, u := range []string{"mysql://u:p@h/db", "postgresql://u:p@h:99999/db", "not a url", "sqlite:///"} {
		r := run(t, "db", "current", "--database-url", u)
		require.Equal(t, ExitUsage, r.code, u)
		require.Equal(t, 1, strings.Count(r.stderr, "\n"), "one line: %q", r.stderr)
	}
	r := run(t, "db", "current", "--database-url", "postgresql://u:pw@127.0.0.1:1/db", "--connect-timeout", "1s")
	require.Equal(t, ExitUnreachable, r.code, r.stderr)
}

func TestNotASQLiteFile(t *testing.T) {
	isolate(t)
	path := filepath.Join(t.TempDir(), "notes.db")
	require.NoError(t, os.WriteFile(path, []byte("this is not a database, it is a text file\n"), 0o644))
	r := run(t, "db", "init", "--database-url", "sqlite:///"+path)
	require.Equal(t, ExitUnreachable, r.code)
	require.Contains(t, r.stderr, "is not a SQLite database")
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, "this is not a database, it is a text file\n", string(b), "the file is untouched")
}

// TestNoPasswordInOutput runs every command with a password in the URL,
// including failing ones, with text and JSON logs and a log file, and
// scans everything written.
func TestNoPasswordInOutput(t *testing.T) {
	isolate(t)
	const password = "S3cr3t-Pw@x/y:z%"
	tgt := testdb.NewPostgres(t)
	u, err := url.Parse(tgt.URL)
	require.NoError(t, err)
	u.User = url.UserPassword("postgres", password)
	withPw := u.String()
	bad := *u
	bad.Host = "127.0.0.1:1"
	unreachable := bad.String()
	logFile := filepath.Join(t.TempDir(), "tt.log")

	var outputs []string
	for _, format := range []string{"text", "json"} {
		common := []string{"--log-format", format, "--log-file", logFile, "--log-level", "debug", "--connect-timeout", "1s"}
		for _, args := range [][]string{
			{"db", "init"}, {"db", "current"}, {"db", "current", "-o", "json"}, {"db", "history"},
			{"db", "history", "-o", "json"}, {"db", "upgrade"}, {"db", "upgrade", "--dry-run"},
			{"db", "downgrade", "--to", migrations.BaselineID, "--yes"}, {"db", "init"},
		} {
			r := run(t, append(append(args, "--database-url", withPw), common...)...)
			outputs = append(outputs, r.stdout, r.stderr)
			r = run(t, append(append(args, "--database-url", unreachable), common...)...)
			require.NotEqual(t, 0, r.code)
			outputs = append(outputs, r.stdout, r.stderr)
		}
		r := run(t, append([]string{"db", "current", "--database-url", "postgresql://u:" + url.QueryEscape(password) + "@host:99999/db"}, common...)...)
		require.Equal(t, ExitUsage, r.code)
		outputs = append(outputs, r.stdout, r.stderr)
	}
	b, err := os.ReadFile(logFile)
	require.NoError(t, err)
	outputs = append(outputs, string(b))
	all := strings.Join(outputs, "\n")
	require.Contains(t, all, "applied", "the commands did run")
	for _, secret := range []string{password, url.QueryEscape(password), url.PathEscape(password), "S3cr3t"} {
		require.NotContains(t, all, secret)
	}
}

// TestUpgradeAndDowngradeBackUpFirst: changing an existing database from
// the db commands is preceded by a verified backup, too.
func TestUpgradeAndDowngradeBackUpFirst(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		isolate(t)
		backups := t.TempDir()
		db := []string{"--database-url", tgt.URL, "--backup-dir", backups}
		r := run(t, append([]string{"db", "init"}, db...)...)
		require.Equal(t, 0, r.code, r.stderr)
		r = run(t, append([]string{"db", "downgrade", "--to", migrations.BaselineID, "--yes"}, db...)...)
		require.Equal(t, 0, r.code, r.stderr)
		r = run(t, append([]string{"db", "upgrade"}, db...)...)
		require.Equal(t, 0, r.code, r.stderr)
		r = run(t, append([]string{"db", "upgrade"}, db...)...) // nothing to do: no backup
		require.Equal(t, 0, r.code, r.stderr)
		r = run(t, append([]string{"db", "backups", "-o", "json"}, db...)...)
		require.Equal(t, 0, r.code, r.stderr)
		var list []map[string]any
		require.NoError(t, json.Unmarshal([]byte(r.stdout), &list))
		require.Len(t, list, 2, "one backup before the downgrade, one before the upgrade")
	})
}

func TestUnwritableLogFileIsAWarning(t *testing.T) {
	isolate(t)
	r := run(t, "db", "current", "--log-file", "/nonexistent-dir/sub/tt.log", "--database-url", "sqlite:///"+filepath.Join(t.TempDir(), "x.db"))
	require.Equal(t, 0, r.code, r.stderr)
	require.Contains(t, r.stderr, "cannot write the log file")
}

// TestBackupAndRestore: db backup, a change, db restore --yes puts the
// data back and prints the version it restored to.
func TestBackupAndRestore(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		isolate(t)
		db := []string{"--database-url", tgt.URL, "--backup-dir", t.TempDir()}
		r := run(t, append([]string{"bootstrap"}, db...)...)
		require.Equal(t, 0, r.code, r.stderr)
		r = run(t, append([]string{"db", "backup"}, db...)...)
		require.Equal(t, 0, r.code, r.stderr)
		backup := strings.TrimSpace(r.stdout)

		conn := testdb.Open(t, tgt)
		require.NoError(t, conn.Gorm.Exec("DELETE FROM projects").Error)
		require.NoError(t, conn.Gorm.Exec("CREATE TABLE made_after_backup (id INTEGER PRIMARY KEY)").Error)
		require.NoError(t, conn.Close())

		r = run(t, append([]string{"db", "restore", filepath.Base(backup)}, db...)...)
		require.Equal(t, ExitUsage, r.code, "restore asks for --yes")
		r = run(t, append([]string{"db", "restore", filepath.Base(backup), "--yes"}, db...)...)
		require.Equal(t, 0, r.code, r.stderr)
		require.Contains(t, r.stdout, "version: "+migrations.Head(migrations.Steps())+" (head)")

		r2 := run(t, append([]string{"db", "backups", "-o", "json"}, db...)...)
		require.Contains(t, r2.stdout, `"state": "before-restore"`, "the replaced state was backed up")
		conn = testdb.Open(t, tgt)
		var n int64
		require.NoError(t, conn.Gorm.Raw("SELECT count(*) FROM projects").Scan(&n).Error)
		require.Equal(t, int64(1), n, "the deleted project is back")
		tables, err := database.ListTables(context.Background(), conn.Gorm)
		require.NoError(t, err)
		require.NotContains(t, tables, "made_after_backup", "the database is as it was at the backup")
		if tgt.Dialect == database.Postgres {
			require.Contains(t, r.stdout, "moved to schema timetracker_restore_", "set aside, not dropped")
		}
	})
}

func TestUnknownCommandsAreUsageErrors(t *testing.T) {
	isolate(t)
	for _, args := range [][]string{{"nosuch"}, {"db", "nosuch"}, {"db", "current", "extra"}, {"--bogus"}} {
		r := run(t, args...)
		require.Equal(t, ExitUsage, r.code, "%v", args)
		require.Equal(t, 1, strings.Count(r.stderr, "\n"), "one line: %q", r.stderr)
	}
	r := run(t, "db")
	require.Equal(t, 0, r.code)
	require.Contains(t, r.stdout, "Available Commands")
}

// The flag names the database: POSTGRES_* variables (set in every
// TimeTracker container) must not redirect a command to the server.
func TestDatabaseURLFlagBeatsPostgresEnv(t *testing.T) {
	isolate(t)
	t.Setenv("POSTGRES_HOST", "127.0.0.1")
	t.Setenv("POSTGRES_USER", "postgres")
	t.Setenv("POSTGRES_DB", "tt_no_such_database_for_ops")
	path := filepath.Join(t.TempDir(), "x.db")
	r := run(t, "db", "init", "--database-url", "sqlite:///"+path)
	require.Equal(t, ExitOK, r.code, r.stderr)
	require.FileExists(t, path)
	require.Contains(t, r.stderr, "database from --database-url: sqlite:///"+path)
	require.Contains(t, r.stderr, "ignoring POSTGRES_DB, POSTGRES_USER")
	r = run(t, "db", "current", "--database-url", "sqlite:///"+path)
	require.Equal(t, ExitOK, r.code, r.stderr)
	require.Contains(t, r.stdout, "(head)")
}

// An in-memory SQLite database would be migrated and vanish with the
// process: every command refuses it with exit 2 and one line.
func TestInMemorySQLiteRefused(t *testing.T) {
	isolate(t)
	commands := [][]string{
		{"bootstrap"}, {"db", "init"}, {"db", "upgrade"}, {"db", "downgrade", "--to", "202509100004_add_task_activities", "--yes"},
		{"db", "current"}, {"db", "history"}, {"db", "status"}, {"db", "verify"}, {"db", "backup"}, {"db", "backups"},
		{"db", "restore", "x.sqlite", "--yes"},
	}
	for _, u := range []string{"sqlite://", "sqlite:///:memory:", "sqlite:///file::memory:?cache=shared"} {
		for _, c := range commands {
			r := run(t, append(c, "--database-url", u)...)
			require.Equal(t, ExitUsage, r.code, "%s %v: %s", u, c, r.stderr)
			require.Equal(t, 1, strings.Count(r.stderr, "\n"), "one line: %q", r.stderr)
			require.Contains(t, r.stderr, "in-memory SQLite database vanishes", r.stderr)
		}
	}
}

// A password that is an ordinary word is masked where it stands (in a
// URL), not wherever its text appears: with the documented default
// "timetracker" and with "postgres", paths, table names, the program's name
// and dialect names stay intact, and the password still never shows.
func TestWordPasswordsKeepOutputReadable(t *testing.T) {
	for _, password := range []string{"timetracker", "postgres"} {
		t.Run(password, func(t *testing.T) {
			isolate(t)
			tgt := testdb.NewPostgres(t)
			u, err := url.Parse(tgt.URL)
			require.NoError(t, err)
			u.User = url.UserPassword("postgres", password)
			dbURL := u.String()
			logFile := filepath.Join(t.TempDir(), "tt.log")
			common := []string{"--database-url", dbURL, "--log-file", logFile}

			r := run(t, append([]string{"bootstrap"}, common...)...)
			require.Equal(t, ExitOK, r.code, r.stderr)
			require.Contains(t, r.stderr, "dialect=postgres")
			require.Contains(t, r.stderr, `database="postgresql://postgres:***@`)
			all := r.stdout + r.stderr

			r = run(t, append([]string{"db", "status", "-o", "json"}, common...)...)
			require.Equal(t, ExitOK, r.code, r.stderr)
			require.Contains(t, r.stdout, `"reason": "timetracker_migrations holds`)
			all += r.stdout + r.stderr

			backups := filepath.Join(t.TempDir(), "timetracker", "backups")
			r = run(t, append([]string{"db", "backup", "--backup-dir", backups}, common...)...)
			require.Equal(t, ExitOK, r.code, r.stderr)
			require.Contains(t, r.stdout, filepath.Join(backups, "timetracker-"))
			all += r.stdout + r.stderr

			r = run(t, append([]string{"db", "downgrade", "--to", "no_such_step", "--yes"}, common...)...)
			require.NotEqual(t, ExitOK, r.code)
			require.True(t, strings.HasPrefix(lastLine(r.stderr), "timetracker: "), r.stderr)
			all += r.stdout + r.stderr

			b, err := os.ReadFile(logFile)
			require.NoError(t, err)
			all += string(b)
			require.Contains(t, string(b), "dialect=postgres")
			require.NotContains(t, all, ":"+password+"@")
			require.NotContains(t, all, "password="+password)
			require.NotContains(t, all, "***_")
			require.NotContains(t, all, "-***")
		})
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

// Values TimeTracker could not use are refused with exit 2 before anything
// is done (no database file appears); with no TZ the seeded zone is the
// system zone, never a default from nowhere.
func TestSeedValuesCheckedFirst(t *testing.T) {
	long := strings.Repeat("a", 81)
	for _, tt := range []struct{ env, value, want string }{
		{"TZ", "Mars/Olympus", `unknown time zone "Mars/Olympus"`},
		{"ROUNDING_MINUTES", "abc", `ROUNDING_MINUTES must be a whole number from 1 to 60, got "abc"`},
		{"ROUNDING_MINUTES", "0", "ROUNDING_MINUTES must be a whole number from 1 to 60"},
		{"ROUNDING_MINUTES", "61", "ROUNDING_MINUTES must be a whole number from 1 to 60"},
		{"IDLE_TIMEOUT_MINUTES", "x", "IDLE_TIMEOUT_MINUTES must be a whole number"},
		{"BACKUP_TIME", "25:00", "BACKUP_TIME must be HH:MM"},
		{"CURRENCY", "EURO", "CURRENCY holds at most 3 characters"},
		{"ADMIN_USERNAMES", "admin," + long, "users.username holds at most 80"},
	} {
		t.Run(tt.env+"="+tt.value, func(t *testing.T) {
			isolate(t)
			t.Setenv(tt.env, tt.value)
			path := filepath.Join(t.TempDir(), "tt.db")
			r := run(t, "bootstrap", "--database-url", "sqlite:///"+path)
			require.Equal(t, ExitUsage, r.code, r.stderr)
			require.Contains(t, lastLine(r.stderr), tt.want)
			require.NoFileExists(t, path, "nothing was done")
		})
	}

	t.Run("no TZ: the system zone", func(t *testing.T) {
		isolate(t)
		t.Setenv("TZ", "")
		require.NoError(t, os.Unsetenv("TZ"))
		tgt := testdb.NewSQLite(t)
		r := run(t, "bootstrap", "--database-url", tgt.URL)
		require.Equal(t, ExitOK, r.code, r.stderr)
		db, err := database.Open(context.Background(), tgt.Options())
		require.NoError(t, err)
		defer db.Close()
		var zone string
		require.NoError(t, db.Gorm.Raw("SELECT timezone FROM settings").Scan(&zone).Error)
		want := "UTC"
		if target, err := filepath.EvalSymlinks("/etc/localtime"); err == nil {
			if _, name, ok := strings.Cut(target, "zoneinfo/"); ok {
				want = name
			}
		}
		require.Equal(t, want, zone)
	})
}

// wait-timeout alone ends the wait: more attempts than the old cap of 30
// fit in it, and the message reports the real elapsed time.
func TestWaitDeadlineGoverns(t *testing.T) {
	isolate(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := l.Addr().(*net.TCPAddr).Port
	require.NoError(t, l.Close()) // nothing listens there now: connection refused
	r := run(t, "bootstrap", "--database-url", fmt.Sprintf("postgresql://u:pw@127.0.0.1:%d/db", port),
		"--wait-timeout", "3s", "--wait-interval", "20ms", "--connect-timeout", "1s")
	require.Equal(t, ExitUnreachable, r.code, r.stderr)
	retries := strings.Count(r.stderr, "database not reachable yet, retrying")
	require.Greater(t, retries, 30, "the deadline, not an attempt cap, ended the wait")
	m := regexp.MustCompile(`no answer within wait-timeout 3s \((\d+) attempts, ([0-9.]+)s elapsed\)`).FindStringSubmatch(lastLine(r.stderr))
	require.NotNil(t, m, r.stderr)
	attempts, _ := strconv.Atoi(m[1])
	require.Equal(t, retries+1, attempts, "the count is the real one")
	elapsed, _ := strconv.ParseFloat(m[2], 64)
	require.GreaterOrEqual(t, elapsed, 2.9, "the elapsed time is the real one, not the setting")

	r = run(t, "bootstrap", "--database-url", fmt.Sprintf("postgresql://u:pw@127.0.0.1:%d/db", port),
		"--wait-timeout", "30s", "--wait-interval", "20ms", "--wait-attempts", "3")
	require.Equal(t, ExitUnreachable, r.code, r.stderr)
	require.Contains(t, lastLine(r.stderr), "no answer after wait-attempts 3")
}
