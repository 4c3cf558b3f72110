package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
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
	"github.com/timetracker/timetracker/migrations"
)

// End-to-end tests of `timetracker bootstrap` as a real process: built once,
// run concurrently, signalled, exec'ing its successor. They share one
// top-level test so that the binary lives in that test's temp directory.

const (
	procDowngradeTo = "202509100004_add_task_activities"
	// procLockKey is the advisory lock key of internal/database/postgres_lock.go
	// ("TIME" in ASCII).
	procLockKey  = int64(0x54494D45)
	procParallel = 8
)

// procBin is the binary under test.
type procBin struct {
	path string
}

func procBuild(t *testing.T) procBin {
	t.Helper()
	// Every test that starts the binary (kill, concurrency, fault and
	// process tests) is slow: `make test-short` leaves them to `make test`.
	if testing.Short() {
		t.Skip("-short: builds and starts the binary")
	}
	path := filepath.Join(t.TempDir(), "timetracker")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	c := exec.CommandContext(ctx, "go", "build", "-ldflags", "-X main.version=proc-test", "-o", path, "github.com/timetracker/timetracker")
	out, err := c.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	return procBin{path: path}
}

// procEnv is the test's environment without anything the program reads,
// with a data directory of the test's own.
func procEnv(t *testing.T) []string {
	t.Helper()
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if name == "DATABASE_URL" || strings.HasPrefix(name, "TIMETRACKER_") || strings.HasPrefix(name, "POSTGRES_") ||
			name == "BACKUP_DIR" || name == "ADMIN_USERNAMES" {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "TIMETRACKER_DATA_DIR="+t.TempDir())
}

// procBuffer is a bytes.Buffer safe to read while a process writes it.
type procBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (p *procBuffer) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.b.Write(b)
}

func (p *procBuffer) String() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.b.String()
}

type procResult struct {
	code    int
	stdout  string
	stderr  string
	elapsed time.Duration
}

func (r procResult) String() string {
	return fmt.Sprintf("exit %d after %s\nstdout:\n%s\nstderr:\n%s", r.code, r.elapsed.Round(time.Millisecond), r.stdout, r.stderr)
}

// procProc is a started process.
type procProc struct {
	cmd    *exec.Cmd
	cancel context.CancelFunc
	stdout *procBuffer
	stderr *procBuffer
	start  time.Time
}

func (b procBin) start(t *testing.T, timeout time.Duration, args ...string) *procProc {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	c := exec.CommandContext(ctx, b.path, args...)
	c.Env = procEnv(t)
	// No ./timetracker.yaml from the package directory.
	c.Dir = t.TempDir()
	c.WaitDelay = 5 * time.Second
	p := &procProc{cmd: c, cancel: cancel, stdout: &procBuffer{}, stderr: &procBuffer{}}
	c.Stdout, c.Stderr = p.stdout, p.stderr
	p.start = time.Now()
	if err := c.Start(); err != nil {
		cancel()
		t.Fatalf("start %v: %v", args, err)
	}
	t.Cleanup(func() {
		cancel()
	})
	return p
}

// wait returns the result; a process killed by its timeout fails the test.
func (p *procProc) wait(t *testing.T) procResult {
	t.Helper()
	err := p.cmd.Wait()
	defer p.cancel()
	r := procResult{stdout: p.stdout.String(), stderr: p.stderr.String(), elapsed: time.Since(p.start)}
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		r.code = 0
	case errors.As(err, &exitErr) && exitErr.ExitCode() >= 0:
		r.code = exitErr.ExitCode()
	default:
		t.Fatalf("%v: %v (killed by the test's timeout?)\n%s", p.cmd.Args, err, r)
	}
	return r
}

func (b procBin) run(t *testing.T, timeout time.Duration, args ...string) procResult {
	t.Helper()
	return b.start(t, timeout, args...).wait(t)
}

// runMany starts n identical processes at once and waits for all.
func (b procBin) runMany(t *testing.T, n int, timeout time.Duration, args ...string) []procResult {
	t.Helper()
	procs := make([]*procProc, n)
	for i := range procs {
		procs[i] = b.start(t, timeout, args...)
	}
	out := make([]procResult, n)
	for i, p := range procs {
		out[i] = p.wait(t)
	}
	return out
}

// procMsgs returns the "msg" of every JSON log line on stderr.
func procMsgs(stderr string) []string {
	var out []string
	for _, line := range strings.Split(stderr, "\n") {
		var rec struct {
			Msg string `json:"msg"`
		}
		if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg != "" {
			out = append(out, rec.Msg)
		}
	}
	return out
}

func procHasMsg(r procResult, msg string) bool {
	for _, m := range procMsgs(r.stderr) {
		if m == msg {
			return true
		}
	}
	return false
}

func procCountMsgPrefix(r procResult, prefix string) int {
	n := 0
	for _, m := range procMsgs(r.stderr) {
		if strings.HasPrefix(m, prefix) {
			n++
		}
	}
	return n
}

func procAll(rs []procResult) string {
	var b strings.Builder
	for i, r := range rs {
		fmt.Fprintf(&b, "--- process %d: %s\n", i, r)
	}
	return b.String()
}

// procLogContention reports how many processes waited for the lock, so a
// run where they did not overlap at all is visible in -v output.
func procLogContention(t *testing.T, round string, rs []procResult) {
	t.Helper()
	waited := 0
	for _, r := range rs {
		if procCountMsgPrefix(r, "Waiting for the migration lock") > 0 {
			waited++
		}
	}
	t.Logf("%s round: %d of %d processes waited for the migration lock", round, waited, len(rs))
}

func procManifests(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	return m
}

const (
	procMsgCreate   = "Selected migration strategy: 'create'"
	procMsgUpgrade  = "Selected migration strategy: 'upgrade'"
	procMsgNone     = "Selected migration strategy: 'none'"
	procMsgMigrated = "Detected database state: 'migrated'"
)

// procConcurrentScenario starts 8 bootstraps on a fresh database, then
// downgrades it and starts 8 more: one creates, then one upgrades with
// one backup, and every other process finds the work done.
func procConcurrentScenario(t *testing.T, bin procBin, dbURL string) {
	backups := filepath.Join(t.TempDir(), "backups")
	args := []string{"bootstrap", "--database-url", dbURL, "--backup-dir", backups, "--log-format", "json", "--lock-timeout", "60s"}

	rs := bin.runMany(t, procParallel, 90*time.Second, args...)
	creators := 0
	for _, r := range rs {
		require.Equal(t, ExitOK, r.code, procAll(rs))
		require.True(t, procHasMsg(r, "=== Startup and migration complete ==="), procAll(rs))
		switch {
		case procHasMsg(r, procMsgCreate):
			creators++
		default:
			require.True(t, procHasMsg(r, procMsgMigrated) && procHasMsg(r, procMsgNone), "the others find it migrated\n%s", r)
		}
	}
	require.Equal(t, 1, creators, procAll(rs))
	procLogContention(t, "create", rs)
	require.Empty(t, procManifests(t, backups), "creating a fresh database takes no backup")

	r := bin.run(t, 60*time.Second, "db", "downgrade", "--to", procDowngradeTo, "--yes", "--database-url", dbURL)
	require.Equal(t, ExitOK, r.code, r)
	// The steps after procDowngradeTo, counted from the list.
	after := len(migrations.Steps()) - 1 - migrations.Index(migrations.Steps(), procDowngradeTo)
	require.Equal(t, after, strings.Count(r.stdout, "rolled back "), r)

	rs = bin.runMany(t, procParallel, 90*time.Second, args...)
	upgraders := 0
	for _, r := range rs {
		require.Equal(t, ExitOK, r.code, procAll(rs))
		applied := procCountMsgPrefix(r, "Applied step ")
		switch {
		case procHasMsg(r, procMsgUpgrade):
			upgraders++
			require.Equal(t, after, applied, r)
			require.Equal(t, 1, procCountMsgPrefix(r, "Backup written and verified"), r)
		default:
			require.True(t, procHasMsg(r, procMsgMigrated) && procHasMsg(r, procMsgNone), "the others find it migrated\n%s", r)
			require.Zero(t, applied, r)
		}
	}
	require.Equal(t, 1, upgraders, procAll(rs))
	procLogContention(t, "upgrade", rs)
	require.Len(t, procManifests(t, backups), 1, "exactly one backup")
	tmp, err := filepath.Glob(filepath.Join(backups, "*.tmp"))
	require.NoError(t, err)
	require.Empty(t, tmp, "no half-written backup")

	r = bin.run(t, 60*time.Second, "db", "current", "--database-url", dbURL)
	require.Equal(t, ExitOK, r.code, r)
	require.Contains(t, r.stdout, "(head)")
}

// procReservePort returns a local port nothing listens on (for now).
func procReservePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := l.Addr().(*net.TCPAddr).Port
	require.NoError(t, l.Close())
	return port
}

// procDelayedProxy reserves a port that refuses connections until delay has
// passed, then forwards every connection to target.
func procDelayedProxy(t *testing.T, delay time.Duration, target string) int {
	t.Helper()
	port := procReservePort(t)
	done := make(chan struct{})
	var (
		mu    sync.Mutex
		l     net.Listener
		conns []net.Conn
		wg    sync.WaitGroup
	)
	track := func(c net.Conn) bool {
		mu.Lock()
		defer mu.Unlock()
		select {
		case <-done:
			c.Close()
			return false
		default:
		}
		conns = append(conns, c)
		return true
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		select {
		case <-done:
			return
		case <-time.After(delay):
		}
		var err error
		var ln net.Listener
		for i := 0; i < 50; i++ {
			if ln, err = net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		if err != nil {
			t.Errorf("proxy: listen on %d: %v", port, err)
			return
		}
		mu.Lock()
		l = ln
		mu.Unlock()
		for {
			in, err := ln.Accept()
			if err != nil {
				return
			}
			out, err := net.Dial("tcp", target)
			if err != nil {
				in.Close()
				continue
			}
			if !track(in) || !track(out) {
				in.Close()
				out.Close()
				return
			}
			wg.Add(2)
			go func() { defer wg.Done(); io.Copy(out, in); out.Close() }()
			go func() { defer wg.Done(); io.Copy(in, out); in.Close() }()
		}
	}()
	t.Cleanup(func() {
		mu.Lock()
		close(done)
		if l != nil {
			l.Close()
		}
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return port
}

// procWithHost returns u with another host:port.
func procWithHost(t *testing.T, u, host string) string {
	t.Helper()
	p, err := url.Parse(u)
	require.NoError(t, err)
	p.Host = host
	return p.String()
}

func procWithDB(t *testing.T, u, name string) string {
	t.Helper()
	p, err := url.Parse(u)
	require.NoError(t, err)
	p.Path = "/" + name
	return p.String()
}

// procHoldLock takes the advisory lock on a dedicated connection and
// returns the holder's backend pid and the function that releases it.
func procHoldLock(t *testing.T, tgt testdb.Target) (pid int, release func()) {
	t.Helper()
	ctx := context.Background()
	db, err := database.Open(ctx, tgt.Options())
	require.NoError(t, err)
	sqlDB, err := db.Gorm.DB()
	require.NoError(t, err)
	conn, err := sqlDB.Conn(ctx)
	require.NoError(t, err)
	_, err = conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", procLockKey)
	require.NoError(t, err)
	require.NoError(t, conn.QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&pid))
	var once sync.Once
	release = func() {
		once.Do(func() {
			_, err := conn.ExecContext(ctx, "SELECT pg_advisory_unlock($1)", procLockKey)
			require.NoError(t, err)
			conn.Close()
			db.Close()
		})
	}
	t.Cleanup(release)
	return pid, release
}

func procAdvisoryLocks(t *testing.T, db *database.DB) int64 {
	t.Helper()
	var n int64
	require.NoError(t, db.Gorm.Raw(`SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted
		AND classid = 0 AND objid = ? AND objsubid = 1
		AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`, procLockKey).Scan(&n).Error)
	return n
}

func procWaitFor(t *testing.T, p *procProc, substr string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !strings.Contains(p.stderr.String(), substr) {
		if time.Now().After(deadline) {
			t.Fatalf("no %q on stderr within %s:\n%s", substr, within, p.stderr.String())
		}
		if p.cmd.ProcessState != nil {
			t.Fatalf("process ended before %q:\n%s", substr, p.stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestBootstrapProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := procBuild(t)

	t.Run("concurrent postgres", func(t *testing.T) {
		tgt := testdb.NewPostgres(t)
		procConcurrentScenario(t, bin, tgt.URL)
	})

	t.Run("concurrent sqlite", func(t *testing.T) {
		tgt := testdb.NewSQLite(t)
		procConcurrentScenario(t, bin, tgt.URL)
		_, err := os.Stat(tgt.Name)
		require.NoError(t, err)
	})

	t.Run("postgres appears later", func(t *testing.T) {
		tgt := testdb.NewPostgres(t)
		port := procDelayedProxy(t, 2*time.Second, "127.0.0.1:5432")
		u := procWithHost(t, tgt.URL, fmt.Sprintf("127.0.0.1:%d", port))
		r := bin.run(t, 60*time.Second, "bootstrap", "--database-url", u, "--wait-interval", "300ms", "--wait-timeout", "20s", "--connect-timeout", "2s")
		require.Equal(t, ExitOK, r.code, r)
		require.Contains(t, r.stderr, "database not reachable yet, retrying", "it did wait: %s", r)
		require.Contains(t, r.stderr, "Selected migration strategy: 'create'", r)
	})

	t.Run("postgres never appears", func(t *testing.T) {
		port := procReservePort(t)
		u := fmt.Sprintf("postgres://postgres@127.0.0.1:%d/tt_never?sslmode=disable", port)
		r := bin.run(t, 30*time.Second, "bootstrap", "--database-url", u, "--wait-timeout", "2s", "--wait-interval", "200ms", "--connect-timeout", "1s")
		require.Equal(t, ExitUnreachable, r.code, r)
		require.Less(t, r.elapsed, 10*time.Second, "the wait is bounded: %s", r)
		require.Contains(t, r.stderr, "retrying", r)
		require.Contains(t, r.stderr, "timed out waiting for the database", r)
	})

	t.Run("wrong database name", func(t *testing.T) {
		u := procWithDB(t, testdb.ServerURL(t), "tt_does_not_exist_xyz")
		r := bin.run(t, 30*time.Second, "bootstrap", "--database-url", u, "--wait-timeout", "10s", "--wait-interval", "200ms")
		require.Equal(t, ExitUnreachable, r.code, r)
		require.NotContains(t, r.stderr, "retrying", "a rejection is not retried: %s", r)
		require.Contains(t, r.stderr, "tt_does_not_exist_xyz", r)
	})

	t.Run("exec replaces the process", func(t *testing.T) {
		tgt := testdb.NewSQLite(t)
		p := bin.start(t, 60*time.Second, "bootstrap", "--database-url", tgt.URL, "--", "sh", "-c", "echo started-app $$; exit 7")
		pid := p.cmd.Process.Pid
		r := p.wait(t)
		require.Equal(t, 7, r.code, r)
		// The shell runs under the pid that was started: exec, not a child.
		require.Equal(t, fmt.Sprintf("started-app %d\n", pid), r.stdout, r)
		require.Contains(t, r.stderr, "Starting application...", r)
		require.NotContains(t, r.stderr, "timetracker:", "no error line: %s", r)

		// Without a command: exit 0, the default SQLite file in the data dir.
		p = bin.start(t, 60*time.Second, "bootstrap")
		dataDir := ""
		for _, kv := range p.cmd.Env {
			if v, ok := strings.CutPrefix(kv, "TIMETRACKER_DATA_DIR="); ok {
				dataDir = v
			}
		}
		require.NotEmpty(t, dataDir)
		r = p.wait(t)
		require.Equal(t, ExitOK, r.code, r)
		require.Empty(t, r.stdout)
		require.Contains(t, r.stderr, "=== Startup and migration complete ===", r)
		_, err := os.Stat(filepath.Join(dataDir, "timetracker.db"))
		require.NoError(t, err, "default database in TIMETRACKER_DATA_DIR")
	})

	t.Run("lock", func(t *testing.T) {
		tgt := testdb.NewPostgres(t)
		check := testdb.Open(t, tgt)
		holderPid, release := procHoldLock(t, tgt)
		require.EqualValues(t, 1, procAdvisoryLocks(t, check))

		// SIGTERM while waiting for the lock.
		p := bin.start(t, 60*time.Second, "bootstrap", "--database-url", tgt.URL, "--lock-timeout", "30s")
		procWaitFor(t, p, "Waiting for the migration lock", 20*time.Second)
		require.NoError(t, p.cmd.Process.Signal(syscall.SIGTERM))
		r := p.wait(t)
		require.Equal(t, ExitInterrupted, r.code, r)
		require.Less(t, r.elapsed, 25*time.Second, "it stopped on the signal, not at the lock timeout: %s", r)
		tables, err := database.ListTables(context.Background(), check.Gorm)
		require.NoError(t, err)
		require.Empty(t, tables, "nothing was created")

		// Lock still held: a short lock timeout names the holder.
		r = bin.run(t, 60*time.Second, "bootstrap", "--database-url", tgt.URL, "--lock-timeout", "1s")
		require.Equal(t, ExitLockTimeout, r.code, r)
		require.Contains(t, r.stderr, fmt.Sprintf("pid %d", holderPid), r)
		release()
		require.EqualValues(t, 0, procAdvisoryLocks(t, check))

		// A holder whose connection dies leaves no stale lock.
		stale, err := database.Open(context.Background(), tgt.Options())
		require.NoError(t, err)
		sqlDB, err := stale.Gorm.DB()
		require.NoError(t, err)
		conn, err := sqlDB.Conn(context.Background())
		require.NoError(t, err)
		_, err = conn.ExecContext(context.Background(), "SELECT pg_advisory_lock($1)", procLockKey)
		require.NoError(t, err)
		require.EqualValues(t, 1, procAdvisoryLocks(t, check))
		conn.Close()
		require.NoError(t, stale.Close())

		r = bin.run(t, 60*time.Second, "bootstrap", "--database-url", tgt.URL, "--lock-timeout", "10s")
		require.Equal(t, ExitOK, r.code, r)
		require.Contains(t, r.stderr, "Selected migration strategy: 'create'", r)
	})

	t.Run("no password in output", func(t *testing.T) {
		const (
			secret  = "Pw-S3cret@x"
			encoded = "Pw-S3cret%40x"
		)
		withPw := func(u string) string {
			t.Helper()
			p, err := url.Parse(u)
			require.NoError(t, err)
			p.User = url.UserPassword("postgres", secret)
			s := p.String()
			require.Contains(t, s, "postgres:"+encoded+"@")
			return s
		}
		logFile := filepath.Join(t.TempDir(), "tt.log")
		backups := filepath.Join(t.TempDir(), "backups")
		var outputs []string
		formats := []string{"text", "json"}
		n := 0
		runPw := func(want int, timeout time.Duration, args ...string) procResult {
			t.Helper()
			n++
			args = append(args, "--log-file", logFile, "--log-format", formats[n%2], "--backup-dir", backups)
			r := bin.run(t, timeout, args...)
			outputs = append(outputs, r.stdout, r.stderr)
			require.Equal(t, want, r.code, r)
			return r
		}

		// Concurrent scenario: fresh, then behind (backup with pg_dump).
		tgt := testdb.NewPostgres(t)
		u := withPw(tgt.URL)
		runPw(ExitOK, 60*time.Second, "bootstrap", "--database-url", u)
		runPw(ExitOK, 60*time.Second, "db", "downgrade", "--to", procDowngradeTo, "--yes", "--database-url", u)
		r := runPw(ExitOK, 60*time.Second, "bootstrap", "--database-url", u)
		require.Contains(t, r.stderr, "Backup written and verified", r)
		require.Len(t, procManifests(t, backups), 2, "one before the downgrade, one before the upgrade")
		// Failing: another database is in the way (a foreign table).
		foreign := testdb.NewPostgres(t)
		require.NoError(t, testdb.Open(t, foreign).Gorm.Exec("CREATE TABLE notes (id integer primary key)").Error)
		runPw(ExitRefused, 60*time.Second, "bootstrap", "--database-url", withPw(foreign.URL))

		// Server appearing later, and never.
		late := testdb.NewPostgres(t)
		port := procDelayedProxy(t, 2*time.Second, "127.0.0.1:5432")
		runPw(ExitOK, 60*time.Second, "bootstrap", "--database-url", procWithHost(t, withPw(late.URL), fmt.Sprintf("127.0.0.1:%d", port)),
			"--wait-interval", "300ms", "--wait-timeout", "20s", "--connect-timeout", "2s")
		closed := procReservePort(t)
		runPw(ExitUnreachable, 30*time.Second, "bootstrap", "--database-url", procWithHost(t, withPw(late.URL), fmt.Sprintf("127.0.0.1:%d", closed)),
			"--wait-timeout", "2s", "--wait-interval", "200ms", "--connect-timeout", "1s")

		// Wrong database name.
		runPw(ExitUnreachable, 30*time.Second, "bootstrap", "--database-url", withPw(procWithDB(t, testdb.ServerURL(t), "tt_does_not_exist_xyz")))

		// Lock: fresh run succeeds once the lock is free, fails while held.
		locked := testdb.NewPostgres(t)
		_, release := procHoldLock(t, locked)
		r = runPw(ExitLockTimeout, 60*time.Second, "bootstrap", "--database-url", withPw(locked.URL), "--lock-timeout", "1s")
		require.Contains(t, r.stderr, "pid", r)
		p := bin.start(t, 60*time.Second, "bootstrap", "--database-url", withPw(locked.URL), "--lock-timeout", "30s",
			"--log-file", logFile, "--log-format", "json", "--backup-dir", backups)
		procWaitFor(t, p, "Waiting for the migration lock", 20*time.Second)
		require.NoError(t, p.cmd.Process.Signal(syscall.SIGTERM))
		r = p.wait(t)
		outputs = append(outputs, r.stdout, r.stderr)
		require.Equal(t, ExitInterrupted, r.code, r)
		release()
		runPw(ExitOK, 60*time.Second, "bootstrap", "--database-url", withPw(locked.URL), "--lock-timeout", "10s")

		logged, err := os.ReadFile(logFile)
		require.NoError(t, err)
		require.Contains(t, string(logged), "Selected migration strategy", "the log file was written")
		outputs = append(outputs, string(logged))
		for _, m := range procManifests(t, backups) {
			b, err := os.ReadFile(m)
			require.NoError(t, err)
			outputs = append(outputs, string(b))
		}
		all := strings.Join(outputs, "\n")
		require.Contains(t, all, "postgres:***@", "URLs are shown masked")
		for _, s := range []string{"Pw-S3cret", secret, encoded} {
			require.NotContains(t, all, s)
		}
	})
}
