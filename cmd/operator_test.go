package cmd

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/testdb"
)

// Operator-facing behaviour of the built binary: the one error line of each
// failure, and a leak scan of everything the program writes.

// opRun runs the binary with the test environment plus extra variables.
func opRun(t *testing.T, bin procBin, extraEnv []string, timeout time.Duration, args ...string) procResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	c := exec.CommandContext(ctx, bin.path, args...)
	c.Env = append(procEnv(t), extraEnv...)
	c.Dir = t.TempDir()
	var stdout, stderr bytes.Buffer
	c.Stdout, c.Stderr = &stdout, &stderr
	start := time.Now()
	err := c.Run()
	r := procResult{stdout: stdout.String(), stderr: stderr.String(), elapsed: time.Since(start)}
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr) && exitErr.ExitCode() >= 0:
		r.code = exitErr.ExitCode()
	default:
		t.Fatalf("%v: %v\n%s", args, err, r)
	}
	return r
}

// errorLine is the last line of stderr, which must be the only
// "timetracker:" line.
func opErrorLine(t *testing.T, r procResult) string {
	t.Helper()
	require.Equal(t, 1, strings.Count(r.stderr, "\ntimetracker: ")+boolInt(strings.HasPrefix(r.stderr, "timetracker: ")), "one error line: %s", r)
	line := lastLine(r.stderr)
	require.True(t, strings.HasPrefix(line, "timetracker: "), r.String())
	for _, jargon := range []string{"(after ", "context canceled", "§", "(K2)", "rows 7–12", "detect state"} {
		require.NotContains(t, line, jargon, line)
	}
	return line
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestOperatorProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := procBuild(t)

	t.Run("error lines", func(t *testing.T) { opErrorLines(t, bin) })
	t.Run("leak scan", func(t *testing.T) { opLeakScan(t, bin) })
}

func opErrorLines(t *testing.T, bin procBin) {
	t.Run("signal while waiting for the lock", func(t *testing.T) {
		tgt := testdb.NewPostgres(t)
		_, release := procHoldLock(t, tgt)
		defer release()
		p := bin.start(t, 60*time.Second, "bootstrap", "--database-url", tgt.URL, "--lock-timeout", "30s")
		procWaitFor(t, p, "Waiting for the migration lock", 20*time.Second)
		require.NoError(t, p.cmd.Process.Signal(syscall.SIGTERM))
		r := p.wait(t)
		require.Equal(t, ExitInterrupted, r.code, r)
		line := opErrorLine(t, r)
		require.Contains(t, line, "interrupted by a signal while waiting for the migration lock; nothing was changed", line)
		require.Contains(t, line, "next: run the same command again", line)
	})

	t.Run("backup destination unusable", func(t *testing.T) {
		tgt := testdb.NewSQLite(t)
		r := opRun(t, bin, nil, 60*time.Second, "bootstrap", "--database-url", tgt.URL)
		require.Equal(t, ExitOK, r.code, r)
		r = opRun(t, bin, nil, 60*time.Second, "db", "downgrade", "--to", procDowngradeTo, "--yes", "--database-url", tgt.URL,
			"--backup-dir", filepath.Join(t.TempDir(), "b"))
		require.Equal(t, ExitOK, r.code, r)
		notADir := filepath.Join(t.TempDir(), "file")
		require.NoError(t, os.WriteFile(notADir, nil, 0o600))
		r = opRun(t, bin, nil, 60*time.Second, "bootstrap", "--database-url", tgt.URL, "--backup-dir", filepath.Join(notADir, "backups"))
		require.Equal(t, ExitBackup, r.code, r)
		line := opErrorLine(t, r)
		require.Contains(t, line, "backup failed: create backup directory", line)
		require.Contains(t, line, "; nothing was changed", line)
		require.Contains(t, line, "--backup-dir", line)
		require.Contains(t, line, "--allow-no-backup", line)
		require.Contains(t, r.stderr, "phase=backup done=wait,detect,lock,detect", "the detail is in the log: %s", r)
	})

	t.Run("foreign database", func(t *testing.T) {
		tgt := testdb.NewSQLite(t)
		db, err := database.Open(context.Background(), tgt.Options())
		require.NoError(t, err)
		require.NoError(t, db.Gorm.Exec("CREATE TABLE notes (id INTEGER PRIMARY KEY)").Error)
		require.NoError(t, db.Close())

		r := opRun(t, bin, nil, 60*time.Second, "db", "upgrade", "--database-url", tgt.URL)
		require.Equal(t, ExitRefused, r.code, r)
		line := opErrorLine(t, r)
		require.Contains(t, line, "nothing was changed", line)
		require.Contains(t, line, "timetracker db status", line)
		require.NotContains(t, line, "to detect and adopt it", "a foreign database is not told to run bootstrap: %s", line)

		r = opRun(t, bin, nil, 60*time.Second, "bootstrap", "--database-url", tgt.URL)
		require.Equal(t, ExitRefused, r.code, r)
		line = opErrorLine(t, r)
		require.Contains(t, line, "point DATABASE_URL at TimeTracker's database", line)
		require.Contains(t, line, "nothing was changed", line)
	})

	t.Run("partial install", func(t *testing.T) {
		tgt := testdb.NewSQLite(t)
		r := opRun(t, bin, nil, 60*time.Second, "bootstrap", "--database-url", tgt.URL)
		require.Equal(t, ExitOK, r.code, r)
		db, err := database.Open(context.Background(), tgt.Options())
		require.NoError(t, err)
		for _, table := range []string{"timetracker_migrations", "timetracker_migration_history", "alembic_version", "time_entries"} {
			require.NoError(t, db.Gorm.Exec("DROP TABLE "+table).Error)
		}
		require.NoError(t, db.Close())
		r = opRun(t, bin, nil, 60*time.Second, "bootstrap", "--database-url", tgt.URL)
		require.Equal(t, ExitRefused, r.code, r)
		line := opErrorLine(t, r)
		require.Contains(t, line, "--create-missing", line)
		require.Contains(t, line, "nothing was changed", line)
	})

	t.Run("schema differs", func(t *testing.T) {
		tgt := testdb.NewSQLite(t)
		r := opRun(t, bin, nil, 60*time.Second, "bootstrap", "--database-url", tgt.URL)
		require.Equal(t, ExitOK, r.code, r)
		db, err := database.Open(context.Background(), tgt.Options())
		require.NoError(t, err)
		require.NoError(t, db.Gorm.Exec("DROP INDEX ix_time_entries_start_time").Error)
		require.NoError(t, db.Close())
		r = opRun(t, bin, nil, 60*time.Second, "bootstrap", "--database-url", tgt.URL)
		require.Equal(t, ExitVerify, r.code, r)
		line := opErrorLine(t, r)
		require.Contains(t, line, "timetracker db verify", line)
	})
}

// opRole is a login role of the test's own with a password, owning one
// database. With real password authentication (a scram-sha-256 pg_hba.conf
// line for this role alone, removed at the end) when the server's hba file
// is on this machine and writable; otherwise the password is only carried
// in the URL against the server's trust rules, which the test logs.
type opRole struct {
	name, password, db string
	realAuth           bool
}

var hbaMu sync.Mutex

func opNewRole(t *testing.T, password string) opRole {
	t.Helper()
	admin := testdb.Open(t, testdb.Target{Dialect: database.Postgres, DSN: testdb.ServerURL(t)})
	b := make([]byte, 6)
	_, err := rand.Read(b)
	require.NoError(t, err)
	role := "tt_leak_" + hex.EncodeToString(b)
	quoted := strings.ReplaceAll(password, "'", "''")
	require.NoError(t, admin.Gorm.Exec(fmt.Sprintf("CREATE ROLE %s LOGIN PASSWORD '%s'", role, quoted)).Error)
	tgt := testdb.NewPostgres(t)
	require.NoError(t, admin.Gorm.Exec(fmt.Sprintf(`ALTER DATABASE "%s" OWNER TO %s`, tgt.Name, role)).Error)
	t.Cleanup(func() {
		// The role's objects live in its database: drop that first (testdb's
		// own cleanup then finds it gone), then the role.
		if err := admin.Gorm.Exec(fmt.Sprintf(`DROP DATABASE IF EXISTS "%s" WITH (FORCE)`, tgt.Name)).Error; err != nil {
			t.Errorf("drop database %s: %v", tgt.Name, err)
		}
		if err := admin.Gorm.Exec("DROP ROLE IF EXISTS " + role).Error; err != nil {
			t.Errorf("drop role %s: %v", role, err)
		}
	})
	r := opRole{name: role, password: password, db: tgt.Name}
	r.realAuth = opAddHBA(t, admin, role)
	return r
}

// opAddHBA puts "host all ROLE 127.0.0.1/32 scram-sha-256" first in the
// server's pg_hba.conf and reloads; the cleanup removes exactly that line.
func opAddHBA(t *testing.T, admin *database.DB, role string) bool {
	t.Helper()
	var file string
	if err := admin.Gorm.Raw("SHOW hba_file").Scan(&file).Error; err != nil || file == "" {
		t.Logf("no hba_file: password carried in the URL only, against trust auth")
		return false
	}
	line := fmt.Sprintf("host all %s 127.0.0.1/32 scram-sha-256 # timetracker leak scan", role)
	hbaMu.Lock()
	defer hbaMu.Unlock()
	old, err := os.ReadFile(file)
	if err != nil {
		t.Logf("pg_hba.conf not readable here (%v): password carried in the URL only, against trust auth", err)
		return false
	}
	if err := os.WriteFile(file, append([]byte(line+"\n"), old...), 0); err != nil {
		t.Logf("pg_hba.conf not writable here (%v): password carried in the URL only, against trust auth", err)
		return false
	}
	require.NoError(t, admin.Gorm.Exec("SELECT pg_reload_conf()").Error)
	t.Cleanup(func() {
		hbaMu.Lock()
		defer hbaMu.Unlock()
		cur, err := os.ReadFile(file)
		if err != nil {
			t.Errorf("read %s: %v", file, err)
			return
		}
		var kept []string
		for _, l := range strings.SplitAfter(string(cur), "\n") {
			if strings.TrimRight(l, "\n") != line {
				kept = append(kept, l)
			}
		}
		if err := os.WriteFile(file, []byte(strings.Join(kept, "")), 0); err != nil {
			t.Errorf("restore %s: %v", file, err)
		}
		admin.Gorm.Exec("SELECT pg_reload_conf()")
	})
	// The reload is asynchronous: wait until a wrong password is refused.
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		u, _ := url.Parse(testdb.ServerURL(t))
		u.User = url.UserPassword(role, "wrong-password")
		db, err := database.Open(context.Background(), database.Options{Dialect: database.Postgres, DSN: u.String(), ConnectTimeout: 5 * time.Second})
		if err != nil {
			return true
		}
		db.Close()
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("the scram-sha-256 line for %s did not take effect", role)
	return false
}

func (r opRole) url(t *testing.T, db string) string {
	t.Helper()
	u, err := url.Parse(testdb.ServerURL(t))
	require.NoError(t, err)
	u.User = url.UserPassword(r.name, r.password)
	u.Path = "/" + db
	return u.String()
}

// queryURL carries the password as ?password= instead of in the user info.
func (r opRole) queryURL(t *testing.T) string {
	t.Helper()
	u, err := url.Parse(testdb.ServerURL(t))
	require.NoError(t, err)
	u.User = url.User(r.name)
	u.Path = "/" + r.db
	q := u.Query()
	q.Set("password", r.password)
	u.RawQuery = q.Encode()
	return u.String()
}

func opLeakScan(t *testing.T, bin procBin) {
	// Subtests are numbered: a test's temp directories carry its name, and
	// the password must not reach the paths that way.
	for i, password := range []string{"timetracker", "postgres", "p@ss:w/rd#?%"} {
		t.Run(fmt.Sprintf("password%d", i+1), func(t *testing.T) {
			role := opNewRole(t, password)
			t.Logf("role %s, real password authentication: %v", role.name, role.realAuth)
			logFile := filepath.Join(t.TempDir(), "tt.log")
			backups := filepath.Join(t.TempDir(), "timetracker", "backups")
			var outputs []string
			n := 0
			do := func(want int, env []string, args ...string) procResult {
				t.Helper()
				n++
				format := []string{"text", "json"}[n%2]
				args = append(args, "--log-file", logFile, "--log-format", format, "--backup-dir", backups, "--connect-timeout", "2s")
				r := opRun(t, bin, env, 90*time.Second, args...)
				outputs = append(outputs, r.stdout, r.stderr)
				require.Equal(t, want, r.code, "%v\n%s", args, r)
				return r
			}
			u := role.url(t, role.db)

			do(ExitOK, nil, "bootstrap", "--database-url", u, "--log-level", "debug")
			do(ExitOK, nil, "db", "status", "-o", "json", "--database-url", u)
			do(ExitOK, nil, "db", "current", "-o", "json", "--database-url", u)
			do(ExitOK, nil, "db", "history", "-o", "json", "--database-url", u)
			do(ExitOK, nil, "db", "verify", "--database-url", u)
			do(ExitOK, nil, "db", "downgrade", "--to", procDowngradeTo, "--yes", "--database-url", u)
			do(ExitOK, nil, "db", "upgrade", "--dry-run", "--database-url", u)
			do(ExitOK, nil, "bootstrap", "--database-url", u) // behind: pg_dump backup, upgrade
			r := do(ExitOK, nil, "db", "backup", "--database-url", u)
			backup := strings.TrimSpace(r.stdout)
			do(ExitOK, nil, "db", "backups", "-o", "json", "--database-url", u)
			do(ExitOK, nil, "db", "restore", backup, "--yes", "--database-url", u)
			// The password as ?password=, and through POSTGRES_*.
			do(ExitOK, nil, "db", "status", "--database-url", role.queryURL(t), "--log-level", "debug")
			do(ExitOK, []string{"POSTGRES_USER=" + role.name, "POSTGRES_PASSWORD=" + password, "POSTGRES_DB=" + role.db, "POSTGRES_HOST=127.0.0.1"},
				"db", "current")
			// Failures: unknown database, unreachable server, a refused
			// command, a malformed URL, a wrong password (real auth only).
			do(ExitUnreachable, nil, "bootstrap", "--database-url", role.url(t, "tt_no_such_db_leak"), "--log-level", "debug")
			closed := procReservePort(t)
			do(ExitUnreachable, nil, "bootstrap", "--database-url", procWithHost(t, u, fmt.Sprintf("127.0.0.1:%d", closed)),
				"--wait-timeout", "1s", "--wait-interval", "200ms")
			do(ExitRefused, nil, "db", "init", "--database-url", u)
			do(ExitUsage, nil, "db", "upgrade", "--to", "no_such_step", "--database-url", u)
			do(ExitUsage, nil, "db", "current", "--database-url", "postgresql://"+role.name+":"+url.QueryEscape(password)+"@127.0.0.1:99999/db")
			if role.realAuth {
				wrong := role.url(t, role.db)
				wrong = strings.Replace(wrong, url.UserPassword(role.name, password).String(), url.UserPassword(role.name, password+"x").String(), 1)
				r = do(ExitUnreachable, nil, "db", "status", "--database-url", wrong)
				require.Contains(t, r.stderr, "authentication failed", r)
			}

			logged, err := os.ReadFile(logFile)
			require.NoError(t, err)
			outputs = append(outputs, string(logged))
			manifests := procManifests(t, backups)
			require.NotEmpty(t, manifests)
			for _, m := range manifests {
				b, err := os.ReadFile(m)
				require.NoError(t, err)
				outputs = append(outputs, string(b))
			}
			all := strings.Join(outputs, "\n")

			// Nothing of the password, in any form that marks it as one.
			forms := []string{password, url.QueryEscape(password), url.PathEscape(password), strings.TrimPrefix(url.UserPassword("u", password).String(), "u:")}
			for _, f := range forms {
				for _, around := range []string{":" + f + "@", "password=" + f, `"password":"` + f, `"password": "` + f, "PASSWORD=" + f} {
					opAbsent(t, all, around)
				}
			}
			if password == "p@ss:w/rd#?%" {
				// Unlike ordinary words: no trace of it at all.
				for _, f := range append(forms, "p@ss", "p%40ss") {
					opAbsent(t, all, f)
				}
			}
			// And everything else intact.
			require.Contains(t, all, "timetracker: ", "the program's name in error lines")
			require.Contains(t, all, "timetracker_migrations")
			require.Contains(t, all, filepath.Join(backups, "timetracker-"))
			require.Contains(t, all, "dialect=postgres")
			require.Contains(t, all, role.name+":***@", "URLs are shown, masked")
		})
	}
}

// opAbsent fails with the place where needle occurs, not the whole output.
func opAbsent(t *testing.T, all, needle string) {
	t.Helper()
	if i := strings.Index(all, needle); i >= 0 {
		from, to := max(0, i-200), min(len(all), i+len(needle)+200)
		t.Fatalf("found %q in the output:\n...%s...", needle, all[from:to])
	}
}
