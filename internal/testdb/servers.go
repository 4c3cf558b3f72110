package testdb

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/timetracker/timetracker/internal/database"
)

// Extra servers for tests: PgBouncer in front of the test server, and a
// PostgreSQL cluster of the test's own (with a streaming standby). Each is
// started by the test on a free loopback port, in a temporary directory,
// and stopped when the test ends. PostgreSQL and PgBouncer refuse to run as
// root, so as root they run as the postgres user.

// PgBinDir is where Debian keeps initdb, postgres and pg_basebackup: the
// newest /usr/lib/postgresql/<major>/bin (not on PATH).
func PgBinDir() string {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	best, bestMajor := "/usr/lib/postgresql/15/bin", 0
	for _, d := range dirs {
		if major, err := strconv.Atoi(filepath.Base(filepath.Dir(d))); err == nil && major > bestMajor {
			best, bestMajor = d, major
		}
	}
	return best
}

// PgBouncerBin is Debian's pgbouncer.
const PgBouncerBin = "/usr/sbin/pgbouncer"

// FreePort asks the kernel for a loopback port nothing listens on.
func FreePort(tb testing.TB) int {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// serverDir is a temporary directory the server's user owns (mode 0700
// unless open: a socket directory must be reachable by the test).
func serverDir(tb testing.TB, prefix string) (string, *user.User) {
	tb.Helper()
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { os.RemoveAll(dir) })
	var u *user.User
	if os.Geteuid() == 0 {
		if u, err = user.Lookup("postgres"); err != nil {
			tb.Fatalf("running as root needs the postgres user for PostgreSQL and PgBouncer: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			tb.Fatal(err)
		}
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	return dir, u
}

// asUser runs name as u (nil: as ourselves), exec'd in place by setpriv so
// that signals reach the server itself.
func asUser(u *user.User, name string, args ...string) *exec.Cmd {
	if u == nil {
		return exec.Command(name, args...)
	}
	full := append([]string{"--reuid=" + u.Uid, "--regid=" + u.Gid, "--init-groups", "--", name}, args...)
	c := exec.Command("setpriv", full...)
	c.Env = append(os.Environ(), "HOME="+u.HomeDir, "USER="+u.Username)
	return c
}

func need(tb testing.TB, path string) {
	tb.Helper()
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("TIMETRACKER_REQUIRE_POSTGRES") == "1" {
			tb.Fatalf("%s is required (.ci/run installs it): %v", path, err)
		}
		tb.Skipf("%s not installed", path)
	}
}

// waitPort waits until something accepts connections on the port.
func waitPort(tb testing.TB, port int, proc *exec.Cmd, logFile string) {
	tb.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), time.Second)
		if err == nil {
			c.Close()
			return
		}
		if proc.ProcessState != nil || time.Now().After(deadline) {
			b, _ := os.ReadFile(logFile)
			tb.Fatalf("%s did not start on port %d: %v\n%s", proc.Path, port, err, b)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// stop ends a server with SIGINT (PostgreSQL: fast shutdown; PgBouncer:
// safe shutdown) and waits, killing it after a while.
func stop(proc *exec.Cmd, done chan struct{}) {
	if proc.Process == nil {
		return
	}
	_ = proc.Process.Signal(syscall.SIGINT)
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		_ = proc.Process.Kill()
		<-done
	}
}

// PgBouncer is a running pgbouncer in front of the test server.
type PgBouncer struct {
	Port int
	// SocketDir holds its Unix socket .s.PGSQL.<Port>.
	SocketDir string
	Mode      string
	// PoolSize is default_pool_size: server connections per database.
	PoolSize int
	dir      string
}

// StartPgBouncer starts pgbouncer in the given pool_mode ("transaction" or
// "session") in front of TEST_POSTGRES_URL's server, for every database
// name, with trust authentication of the server's user.
func StartPgBouncer(tb testing.TB, mode string) *PgBouncer {
	tb.Helper()
	need(tb, PgBouncerBin)
	server, err := url.Parse(ServerURL(tb))
	if err != nil {
		tb.Fatal(err)
	}
	dir, u := serverDir(tb, "tt-pgbouncer-")
	port := FreePort(tb)
	pgUser := server.User.Username()
	if pgUser == "" {
		pgUser = "postgres"
	}
	host, pgPort := server.Hostname(), server.Port()
	if pgPort == "" {
		pgPort = "5432"
	}
	// Session pooling gives each client a server of its own: 8 instances
	// starting together hold up to 4 connections each.
	poolSize := 20
	if mode == "session" {
		poolSize = 32
	}
	ini := fmt.Sprintf(`[databases]
* = host=%s port=%s user=%s

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = %d
unix_socket_dir = %s
auth_type = trust
auth_file = %s
pool_mode = %s
default_pool_size = %d
max_client_conn = 1000
server_idle_timeout = 10
logfile = %s
pidfile = %s
admin_users = %s
`, host, pgPort, pgUser, port, dir, filepath.Join(dir, "users.txt"), mode, poolSize,
		filepath.Join(dir, "pgbouncer.log"), filepath.Join(dir, "pgbouncer.pid"), pgUser)
	for name, content := range map[string]string{"pgbouncer.ini": ini, "users.txt": fmt.Sprintf("%q \"\"\n", pgUser)} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	proc := asUser(u, PgBouncerBin, filepath.Join(dir, "pgbouncer.ini"))
	b := &PgBouncer{Port: port, SocketDir: dir, Mode: mode, PoolSize: poolSize, dir: dir}
	startServer(tb, proc, port, filepath.Join(dir, "pgbouncer.log"))
	return b
}

func startServer(tb testing.TB, proc *exec.Cmd, port int, logFile string) {
	tb.Helper()
	out, err := os.Create(logFile + ".out")
	if err != nil {
		tb.Fatal(err)
	}
	proc.Stdout, proc.Stderr = out, out
	if err := proc.Start(); err != nil {
		tb.Fatalf("start %s: %v", proc.Path, err)
	}
	done := make(chan struct{})
	go func() { _ = proc.Wait(); out.Close(); close(done) }()
	tb.Cleanup(func() { stop(proc, done) })
	waitPort(tb, port, proc, logFile+".out")
}

// URL is tgt's database through this pgbouncer.
func (b *PgBouncer) URL(tb testing.TB, tgt Target) string {
	tb.Helper()
	u, err := url.Parse(tgt.URL)
	if err != nil {
		tb.Fatal(err)
	}
	u.Host = fmt.Sprintf("127.0.0.1:%d", b.Port)
	return u.String()
}

// Target is tgt's database through this pgbouncer.
func (b *PgBouncer) Target(tb testing.TB, tgt Target) Target {
	u := b.URL(tb, tgt)
	return Target{Dialect: database.Postgres, DSN: u, URL: u, Name: tgt.Name}
}

// Cluster is a PostgreSQL server of the test's own.
type Cluster struct {
	Port int
	// SocketDir holds the server's Unix socket .s.PGSQL.<Port>.
	SocketDir string
	DataDir   string
	user      *user.User
}

// StartCluster creates a cluster with initdb (trust authentication, the
// superuser postgres, replication allowed from loopback) and starts it.
func StartCluster(tb testing.TB) *Cluster {
	tb.Helper()
	need(tb, filepath.Join(PgBinDir(), "initdb"))
	dir, u := serverDir(tb, "tt-cluster-")
	c := &Cluster{SocketDir: dir, DataDir: filepath.Join(dir, "data"), user: u}
	out, err := asUser(u, filepath.Join(PgBinDir(), "initdb"), "-D", c.DataDir, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8").CombinedOutput()
	if err != nil {
		tb.Fatalf("initdb: %v\n%s", err, out)
	}
	c.start(tb)
	return c
}

func (c *Cluster) start(tb testing.TB) {
	tb.Helper()
	c.Port = FreePort(tb)
	proc := asUser(c.user, filepath.Join(PgBinDir(), "postgres"), "-D", c.DataDir, "-p", strconv.Itoa(c.Port),
		"-k", c.SocketDir, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "max_connections=100")
	startServer(tb, proc, c.Port, filepath.Join(c.SocketDir, "postgres.log"))
	// Accepting TCP is not yet accepting sessions.
	deadline := time.Now().Add(60 * time.Second)
	for {
		db, err := database.Open(context.Background(), database.Options{Dialect: database.Postgres, DSN: c.URL("postgres"), ConnectTimeout: 5 * time.Second, ReadOnly: true})
		if err == nil {
			db.Close()
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("cluster on port %d: %v", c.Port, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// URL is a database of this cluster over TCP.
func (c *Cluster) URL(dbname string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.Port, dbname)
}

// CreateDatabase creates a database on the cluster.
func (c *Cluster) CreateDatabase(tb testing.TB, name string) Target {
	tb.Helper()
	admin, err := database.Open(context.Background(), database.Options{Dialect: database.Postgres, DSN: c.URL("postgres"), ConnectTimeout: 5 * time.Second})
	if err != nil {
		tb.Fatal(err)
	}
	defer admin.Close()
	if err := admin.Gorm.Exec("CREATE DATABASE " + name).Error; err != nil {
		tb.Fatal(err)
	}
	u := c.URL(name)
	return Target{Dialect: database.Postgres, DSN: u, URL: u, Name: name}
}

// Standby makes a hot standby of c with pg_basebackup -R and starts it; it
// streams from c.
func (c *Cluster) Standby(tb testing.TB) *Cluster {
	tb.Helper()
	dir, u := serverDir(tb, "tt-standby-")
	s := &Cluster{SocketDir: dir, DataDir: filepath.Join(dir, "data"), user: u}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := asUser(u, filepath.Join(PgBinDir(), "pg_basebackup"), "-h", "127.0.0.1", "-p", strconv.Itoa(c.Port), "-U", "postgres",
		"-D", s.DataDir, "-R", "-X", "stream", "--no-sync")
	if out, err := exec.CommandContext(ctx, cmd.Path, cmd.Args[1:]...).CombinedOutput(); err != nil {
		tb.Fatalf("pg_basebackup: %v\n%s", err, out)
	}
	s.start(tb)
	return s
}

// Promote ends recovery on a standby.
func (c *Cluster) Promote(tb testing.TB) {
	tb.Helper()
	db, err := database.Open(context.Background(), database.Options{Dialect: database.Postgres, DSN: c.URL("postgres"), ConnectTimeout: 5 * time.Second, ReadOnly: true})
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	var ok bool
	if err := db.Gorm.Raw("SELECT pg_promote(true, 60)").Scan(&ok).Error; err != nil || !ok {
		tb.Fatalf("promote: %v (%v)", err, ok)
	}
}

// WaitForDatabase waits until a standby has replayed the creation of a
// database on its primary.
func (c *Cluster) WaitForDatabase(tb testing.TB, dbname string) {
	tb.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		db, err := database.Open(context.Background(), database.Options{Dialect: database.Postgres, DSN: c.URL(dbname), ConnectTimeout: 5 * time.Second, ReadOnly: true})
		if err == nil {
			db.Close()
			return
		}
		if time.Now().After(deadline) || !strings.Contains(err.Error(), "does not exist") {
			tb.Fatalf("standby never showed database %s: %v", dbname, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Drop drops a test database now rather than when the test ends, ending
// its sessions (a pooler's idle server connections among them): tests that
// make many databases through a pooler must not fill the shared server.
func Drop(tb testing.TB, tgt Target) {
	tb.Helper()
	admin, err := database.Open(context.Background(), Target{Dialect: database.Postgres, DSN: ServerURL(tb)}.Options())
	if err != nil {
		tb.Fatalf("drop %s: %v", tgt.Name, err)
	}
	defer admin.Close()
	if err := admin.Gorm.Exec("DROP DATABASE IF EXISTS " + tgt.Name + " WITH (FORCE)").Error; err != nil {
		tb.Fatalf("drop %s: %v", tgt.Name, err)
	}
}
