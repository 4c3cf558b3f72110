package cmd

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/timetracker/timetracker/bootstrap"
	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/testdb"
)

// Replicas behind PgBouncer and on a primary with a standby: the real
// pgbouncer and PostgreSQL servers, started by the tests on free loopback
// ports (internal/testdb/servers.go).

// poolTrials is how many times each pooled scenario runs (8 bootstraps at
// once per state and trial); TIMETRACKER_POOL_TRIALS raises it (the full
// check is 10).
func poolTrials(t *testing.T) int {
	t.Helper()
	if v := os.Getenv("TIMETRACKER_POOL_TRIALS"); v != "" {
		n, err := strconv.Atoi(v)
		require.NoError(t, err, "TIMETRACKER_POOL_TRIALS")
		return n
	}
	return 2
}

// poolLegacyFixture is converted by the replicas in the legacy rounds.
const poolLegacyFixture = "../legacy/testdata/s4-create_all.postgres.sql"

// poolPrepare brings a new database on the test server to the state and
// returns it (prepared directly, not through the pooler).
func poolPrepare(t *testing.T, bin procBin, state string) testdb.Target {
	t.Helper()
	tgt := testdb.NewPostgres(t)
	switch state {
	case "fresh":
	case "behind":
		r := bin.run(t, time.Minute, "bootstrap", "--database-url", tgt.URL, "--backup-dir", t.TempDir())
		require.Equal(t, ExitOK, r.code, r)
		r = bin.run(t, time.Minute, "db", "downgrade", "--to", procDowngradeTo, "--yes", "--lock-mode", "none",
			"--database-url", tgt.URL, "--backup-dir", t.TempDir())
		require.Equal(t, ExitOK, r.code, r)
	case "legacy":
		raw, err := os.ReadFile(poolLegacyFixture)
		require.NoError(t, err)
		db := testdb.Open(t, tgt)
		sqlDB, err := db.Gorm.DB()
		require.NoError(t, err)
		_, err = sqlDB.Exec(string(raw))
		require.NoError(t, err)
		require.NoError(t, db.Close())
	default:
		t.Fatalf("unknown state %s", state)
	}
	return tgt
}

// poolWorker is the strategy the one worker of each state selects.
var poolWorker = map[string]string{
	"fresh":  procMsgCreate,
	"behind": procMsgUpgrade,
	"legacy": "Selected migration strategy: 'convert'",
}

// poolRound starts 8 bootstraps at once through url and checks: no
// failure, exactly one worker, one backup unless fresh, everyone else found
// the work done. It returns the results.
func poolRound(t *testing.T, bin procBin, state, url string, extra ...string) []procResult {
	t.Helper()
	backups := filepath.Join(t.TempDir(), "backups")
	args := append([]string{"bootstrap", "--database-url", url, "--backup-dir", backups, "--log-format", "json",
		"--lock-timeout", "90s", "--wait-timeout", "60s"}, extra...)
	rs := bin.runMany(t, procParallel, 3*time.Minute, args...)
	workers := 0
	for _, r := range rs {
		require.Equal(t, ExitOK, r.code, procAll(rs))
		require.True(t, procHasMsg(r, "=== Startup and migration complete ==="), procAll(rs))
		if procHasMsg(r, poolWorker[state]) {
			workers++
		} else {
			require.True(t, procHasMsg(r, procMsgMigrated), "the others find it migrated\n%s", r)
		}
	}
	require.Equal(t, 1, workers, "one creator, upgrader or converter\n%s", procAll(rs))
	procLogContention(t, state, rs)
	want := 1
	if state == "fresh" {
		want = 0
	}
	require.Len(t, procManifests(t, backups), want, "backups\n%s", procAll(rs))
	return rs
}

// poolCheckClean asserts that nothing stayed behind on the pooled server
// connections of tgt's database: no advisory lock, no live lease row, no
// session whose search_path changed, nothing idle in a transaction.
// Holding as many transactions through the pooler as it has server
// connections for the database makes it hand out every one of them.
func poolCheckClean(t *testing.T, b *testdb.PgBouncer, tgt testdb.Target) {
	t.Helper()
	ctx := context.Background()
	direct := testdb.Open(t, tgt)
	var locks int64
	require.NoError(t, direct.Gorm.Raw(`SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'
		AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`).Scan(&locks).Error)
	require.Zero(t, locks, "no advisory lock is held in the database")
	var leaseTable *string
	require.NoError(t, direct.Gorm.Raw(`SELECT to_regclass('timetracker_lock')::text`).Scan(&leaseTable).Error)
	if leaseTable != nil {
		var live int64
		require.NoError(t, direct.Gorm.Raw(`SELECT count(*) FROM timetracker_lock`).Scan(&live).Error)
		require.Zero(t, live, "no lease row is left")
	}
	var servers []int64
	require.NoError(t, direct.Gorm.Raw(`SELECT pid FROM pg_stat_activity WHERE datname = current_database()
		AND pid <> pg_backend_pid() AND backend_type = 'client backend'`).Scan(&servers).Error)
	var stuck int64
	require.NoError(t, direct.Gorm.Raw(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
		AND state LIKE 'idle in transaction%'`).Scan(&stuck).Error)
	require.Zero(t, stuck, "no pooled server connection is idle in a transaction")
	require.NoError(t, direct.Close())

	// The simple protocol: a prepared statement would itself stay behind on
	// a pooled server connection.
	pooled, err := sql.Open("pgx", b.URL(t, tgt)+"&default_query_exec_mode=simple_protocol")
	require.NoError(t, err)
	defer pooled.Close()
	seen := map[int64]string{}
	var txs []*sql.Tx
	defer func() {
		for _, tx := range txs {
			_ = tx.Rollback()
		}
	}()
	// Every server connection, and a new one, unless the pool is full (one
	// more transaction would wait for ever).
	for i := 0; i < min(len(servers)+1, b.PoolSize); i++ {
		tx, err := pooled.BeginTx(ctx, nil)
		require.NoError(t, err)
		txs = append(txs, tx)
		var pid int64
		var path string
		require.NoError(t, tx.QueryRowContext(ctx, "SELECT pg_backend_pid(), current_setting('search_path')").Scan(&pid, &path))
		seen[pid] = path
	}
	// PgBouncer closes server connections idle for server_idle_timeout:
	// the ones still there must all have been handed out.
	var alive []int64
	check := testdb.Open(t, tgt)
	require.NoError(t, check.Gorm.Raw(`SELECT pid FROM pg_stat_activity WHERE pid IN ?`, append(servers, 0)).Scan(&alive).Error)
	require.NoError(t, check.Close())
	for _, pid := range alive {
		path, ok := seen[pid]
		require.True(t, ok, "server connection %d was handed out (seen %v)", pid, seen)
		require.Equal(t, `"$user", public`, path, "server connection %d has the default search_path", pid)
	}
	require.NotEmpty(t, seen)
	t.Logf("pool of %s in %s pooling: %d server connections, all clean", tgt.Name, b.Mode, len(servers))
}

// TestPgBouncerReplicas: 8 bootstraps at once through PgBouncer, in every
// lock mode docs/operations.md allows behind each pooling mode, on a
// fresh, a behind and a legacy database, several trials each.
func TestPgBouncerReplicas(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PgBouncer and runs the binary")
	}
	bin := procBuild(t)
	trials := poolTrials(t)
	for _, c := range []struct{ pooling, lockMode string }{
		{"transaction", "lease"},
		{"transaction", "advisory"}, // switches to the lease lock, logged
		{"session", "advisory"},
		{"session", "lease"},
	} {
		t.Run(c.pooling+" pooling, "+c.lockMode+" lock", func(t *testing.T) {
			b := testdb.StartPgBouncer(t, c.pooling)
			for trial := 1; trial <= trials; trial++ {
				for _, state := range []string{"fresh", "behind", "legacy"} {
					tgt := poolPrepare(t, bin, state)
					rs := poolRound(t, bin, state, b.URL(t, tgt), "--lock-mode", c.lockMode)
					for _, r := range rs {
						switch {
						case c.lockMode == "advisory" && procHasMsg(r, poolWorker[state]):
							// Behind any pooler: whether session pooling keeps a client on
							// one server cannot be proven by asking.
							require.True(t, procHasMsg(r, bootstrap.LeaseSwitchNote), "the worker switched to the lease lock\n%s", r)
						}
						if state != "fresh" && procHasMsg(r, poolWorker[state]) {
							// No direct URL: never pg_dump through a pooler, whose
							// transaction pooling would keep pg_dump's search_path ('')
							// for the next client: with a probe that took it for session
							// pooling, waiters failed on a missing timetracker_lock.
							require.Contains(t, r.stderr, `"kind":"schema-copy"`, r)
						}
					}
					poolCheckClean(t, b, tgt)
					testdb.Drop(t, tgt)
					t.Logf("trial %d, %s: 8 of 8 succeeded, one worker, pool clean", trial, state)
				}
			}
		})
	}
}

// TestPgBouncerDirectURL: with database-direct-url, a bootstrap behind
// transaction pooling keeps the advisory lock (on a direct connection) and
// backs up with pg_dump through the direct URL; restores need it.
func TestPgBouncerDirectURL(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PgBouncer and runs the binary")
	}
	bin := procBuild(t)
	b := testdb.StartPgBouncer(t, "transaction")
	tgt := poolPrepare(t, bin, "behind")
	rs := poolRound(t, bin, "behind", b.URL(t, tgt), "--database-direct-url", tgt.URL)
	for _, r := range rs {
		require.False(t, procHasMsg(r, bootstrap.LeaseSwitchNote), r)
		if procHasMsg(r, procMsgUpgrade) {
			require.Contains(t, r.stderr, `"kind":"pg_dump"`, r)
		}
	}
	poolCheckClean(t, b, tgt)

	// Restore through the pooler: refused without the direct URL (exit 2,
	// nothing changed), done with it.
	backups := t.TempDir()
	r := bin.run(t, time.Minute, "db", "backup", "--database-url", b.URL(t, tgt), "--database-direct-url", tgt.URL, "--backup-dir", backups)
	require.Equal(t, ExitOK, r.code, r)
	archive := strings.TrimSpace(r.stdout)
	require.True(t, strings.HasSuffix(archive, ".pgdump"), r)
	r = bin.run(t, time.Minute, "db", "restore", archive, "--yes", "--database-url", b.URL(t, tgt), "--backup-dir", backups)
	require.Equal(t, ExitUsage, r.code, r)
	require.Contains(t, r.stderr, "database-direct-url", r)
	r = bin.run(t, time.Minute, "db", "restore", archive, "--yes", "--database-url", b.URL(t, tgt), "--database-direct-url", tgt.URL, "--backup-dir", backups)
	require.Equal(t, ExitOK, r.code, r)
	require.Contains(t, r.stdout, "restored "+archive, r)
	poolCheckClean(t, b, tgt)

	// db backup through transaction pooling without the direct URL: the
	// in-database copy, with the reason logged.
	r = bin.run(t, time.Minute, "db", "backup", "--database-url", b.URL(t, tgt), "--backup-dir", t.TempDir())
	require.Equal(t, ExitOK, r.code, r)
	require.True(t, strings.HasPrefix(strings.TrimSpace(r.stdout), "timetracker_backup_"), r)
	require.Contains(t, r.stderr, "goes through a pooler", r)
	poolCheckClean(t, b, tgt)
}

// TestPooledAdvisoryDetected: a pooler is told from a direct connection in
// either pooling mode; the advisory lock is refused through either, and
// pg_restore too.
func TestPooledAdvisoryDetected(t *testing.T) {
	tgt := testdb.NewPostgres(t)
	ctx := context.Background()
	for _, mode := range []string{"transaction", "session", ""} {
		target := tgt
		if mode != "" {
			target = testdb.StartPgBouncer(t, mode).Target(t, tgt)
		}
		db := testdb.Open(t, target)
		pooled, err := db.ViaPooler(ctx)
		require.NoError(t, err)
		require.Equal(t, mode != "", pooled, "pooling %q", mode)
		_, err = db.PgRestore(ctx, "pg_restore", "/nonexistent.pgdump")
		if mode != "" {
			require.ErrorIs(t, err, database.ErrNeedsDirect, "pooling %q", mode)
		} else {
			require.NotErrorIs(t, err, database.ErrNeedsDirect)
		}
		// The advisory lock is never taken through a pooler, whatever its mode.
		release, err := db.Lock(ctx, database.LockOptions{Timeout: time.Second})
		if mode != "" {
			require.ErrorIs(t, err, database.ErrTransactionPooling)
		} else {
			require.NoError(t, err)
			require.NoError(t, release())
		}
		require.NoError(t, db.Close())
	}
}

// TestStandbyAndMultiHost: a second cluster created by the test is the
// primary, a pg_basebackup -R copy of it the standby.
func TestStandbyAndMultiHost(t *testing.T) {
	if testing.Short() {
		t.Skip("creates two clusters and runs the binary")
	}
	bin := procBuild(t)
	primary := testdb.StartCluster(t)
	standby := primary.Standby(t)
	primary.CreateDatabase(t, "tt_ha")
	standby.WaitForDatabase(t, "tt_ha")
	onStandby := standby.URL("tt_ha")

	// Read-only commands work on a standby and say what it is.
	r := bin.run(t, time.Minute, "db", "status", "--database-url", onStandby)
	require.Equal(t, ExitOK, r.code, r)
	require.Contains(t, r.stdout, fmt.Sprintf("server:   127.0.0.1:%d", standby.Port), r)
	require.Contains(t, r.stdout, "standby:  true", r)

	// bootstrap waits for a promotion within the deadline, then exit 3.
	r = bin.run(t, time.Minute, "bootstrap", "--database-url", onStandby, "--wait-timeout", "3s", "--wait-interval", "500ms")
	require.Equal(t, ExitUnreachable, r.code, r)
	require.Contains(t, r.stderr, "database is a read-only standby", r)
	require.Contains(t, r.stderr, "retrying", "it waited: %s", r)

	// Multi-host: the standby first; target_session_attrs=read-write finds
	// the primary, for bootstrap and for pg_dump.
	multi := fmt.Sprintf("postgresql://postgres@127.0.0.1:%d,127.0.0.1:%d/tt_ha?sslmode=disable&target_session_attrs=read-write", standby.Port, primary.Port)
	backups := t.TempDir()
	r = bin.run(t, time.Minute, "bootstrap", "--database-url", multi, "--backup-dir", backups)
	require.Equal(t, ExitOK, r.code, r)
	require.Contains(t, r.stderr, fmt.Sprintf("server=127.0.0.1:%d", primary.Port), r)
	r = bin.run(t, time.Minute, "db", "downgrade", "--to", procDowngradeTo, "--yes", "--database-url", multi, "--backup-dir", backups)
	require.Equal(t, ExitOK, r.code, r)
	r = bin.run(t, time.Minute, "db", "backup", "--database-url", multi, "--backup-dir", backups)
	require.Equal(t, ExitOK, r.code, r)
	archive := strings.TrimSpace(r.stdout)
	require.True(t, strings.HasSuffix(archive, ".pgdump"), r)
	r = bin.run(t, time.Minute, "bootstrap", "--database-url", multi, "--backup-dir", backups)
	require.Equal(t, ExitOK, r.code, r)
	require.Contains(t, r.stderr, procMsgUpgrade, r)
	r = bin.run(t, time.Minute, "db", "restore", archive, "--yes", "--database-url", multi, "--backup-dir", backups)
	require.Equal(t, ExitOK, r.code, r)
	require.Contains(t, r.stdout, "version: "+procDowngradeTo, r)
	r = bin.run(t, time.Minute, "db", "status", "-o", "json", "--database-url", multi)
	require.Equal(t, ExitOK, r.code, r)
	require.Contains(t, r.stdout, fmt.Sprintf(`"server": "127.0.0.1:%d"`, primary.Port), r)

	// A first host that is down: the second is reached.
	closed := testdb.FreePort(t)
	down := fmt.Sprintf("postgresql://postgres@127.0.0.1:%d,127.0.0.1:%d/tt_ha?sslmode=disable", closed, primary.Port)
	r = bin.run(t, time.Minute, "bootstrap", "--database-url", down, "--backup-dir", backups)
	require.Equal(t, ExitOK, r.code, r)
	require.Contains(t, r.stderr, fmt.Sprintf("server=127.0.0.1:%d", primary.Port), r)
	require.Contains(t, r.stderr, procMsgUpgrade, r)

	// Unix sockets, both spellings: status, backup, restore, bootstrap.
	sock := fmt.Sprintf("postgresql://postgres@/tt_ha?host=%s&port=%d", primary.SocketDir, primary.Port)
	pathHost := fmt.Sprintf("postgresql://postgres@%s:%d/tt_ha", strings.ReplaceAll(primary.SocketDir, "/", "%2F"), primary.Port)
	for _, u := range []string{sock, pathHost} {
		r = bin.run(t, time.Minute, "db", "status", "--database-url", u)
		require.Equal(t, ExitOK, r.code, r)
		require.Contains(t, r.stdout, filepath.Join(primary.SocketDir, fmt.Sprintf(".s.PGSQL.%d", primary.Port)), r)
		r = bin.run(t, time.Minute, "db", "backup", "--database-url", u, "--backup-dir", backups)
		require.Equal(t, ExitOK, r.code, r)
		archive := strings.TrimSpace(r.stdout)
		require.True(t, strings.HasSuffix(archive, ".pgdump"), r)
		r = bin.run(t, time.Minute, "db", "restore", archive, "--yes", "--database-url", u, "--backup-dir", backups)
		require.Equal(t, ExitOK, r.code, r)
		r = bin.run(t, time.Minute, "bootstrap", "--database-url", u, "--backup-dir", backups)
		require.Equal(t, ExitOK, r.code, r)
		r = bin.run(t, time.Minute, "db", "current", "--database-url", u)
		require.Equal(t, ExitOK, r.code, r)
		require.Contains(t, r.stdout, "(head)", r)
	}

	// Promoted while bootstrap waits: it goes on.
	p := bin.start(t, 2*time.Minute, "bootstrap", "--database-url", onStandby, "--wait-timeout", "90s", "--wait-interval", "500ms",
		"--wait-attempts", "1000", "--backup-dir", backups)
	procWaitFor(t, p, "database is a read-only standby", 30*time.Second)
	standby.Promote(t)
	r = p.wait(t)
	require.Equal(t, ExitOK, r.code, r)
	require.Contains(t, r.stderr, "=== Startup and migration complete ===", r)
}
