package database_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/testdb"
)

func TestLeaseLock(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		ctx := context.Background()
		a := testdb.Open(t, tgt)
		b := testdb.Open(t, tgt)
		release, err := a.LockLease(ctx, database.LockOptions{Timeout: time.Second})
		require.NoError(t, err)

		var waited []string
		_, err = b.LockLease(ctx, database.LockOptions{Timeout: 300 * time.Millisecond, Interval: 50 * time.Millisecond,
			TellAfter: 100 * time.Millisecond, OnWait: func(h string) { waited = append(waited, h) }})
		require.ErrorIs(t, err, database.ErrLockTimeout)
		require.Contains(t, err.Error(), "lease held by")
		require.NotEmpty(t, waited)

		require.NoError(t, release())
		release, err = b.LockLease(ctx, database.LockOptions{Timeout: time.Second})
		require.NoError(t, err, "a released lease can be taken")
		require.NoError(t, release())
	})
}

func TestLeaseLockTakesOverExpired(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		ctx := context.Background()
		db := testdb.Open(t, tgt)
		release, err := db.LockLease(ctx, database.LockOptions{Timeout: time.Second})
		require.NoError(t, err)
		require.NoError(t, release())
		// A holder that died: its row stays, with an expiry in the past.
		require.NoError(t, db.Gorm.Exec(`INSERT INTO timetracker_lock (name, holder, acquired_at, expires_at)
			VALUES ('migrate', 'dead:1:x', '2020-01-01 00:00:00', '2020-01-01 00:00:30')`).Error)
		release, err = db.LockLease(ctx, database.LockOptions{Timeout: time.Second})
		require.NoError(t, err, "an expired lease is taken over")
		require.NoError(t, release())
	})
}

func TestAdvisoryLockTimeoutNamesHolder(t *testing.T) {
	tgt := testdb.NewPostgres(t)
	ctx := context.Background()
	a := testdb.Open(t, tgt)
	b := testdb.Open(t, tgt)
	release, err := a.Lock(ctx, database.LockOptions{Timeout: time.Second})
	require.NoError(t, err)
	_, err = b.Lock(ctx, database.LockOptions{Timeout: 200 * time.Millisecond, Interval: 50 * time.Millisecond})
	require.ErrorIs(t, err, database.ErrLockTimeout)
	require.Contains(t, err.Error(), "pid ")
	require.Contains(t, err.Error(), "timetracker")
	require.NoError(t, release())

	// A holder whose session dies (its process killed) releases the lock
	// with it: end that backend as the server would on a dropped socket.
	c := testdb.Open(t, tgt)
	_, err = c.Lock(ctx, database.LockOptions{Timeout: time.Second})
	require.NoError(t, err)
	// End only the holder's own backend: the one in this test's database
	// that holds the key. Other sessions on a shared server are not ours.
	var ended int
	require.NoError(t, b.Gorm.Raw(`SELECT count(pg_terminate_backend(l.pid)) FROM pg_locks l
		WHERE l.locktype = 'advisory' AND l.granted AND l.objid = 1414090053
		AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`).Scan(&ended).Error)
	require.Equal(t, 1, ended, "exactly the holder in this database is ended")
	release, err = b.Lock(ctx, database.LockOptions{Timeout: 2 * time.Second, Interval: 50 * time.Millisecond})
	require.NoError(t, err)
	require.NoError(t, release())
}

func TestSQLiteLockFile(t *testing.T) {
	tgt := testdb.NewSQLite(t)
	ctx := context.Background()
	a := testdb.Open(t, tgt)
	b := testdb.Open(t, tgt)
	release, err := a.Lock(ctx, database.LockOptions{Timeout: time.Second})
	require.NoError(t, err)
	_, err = b.Lock(ctx, database.LockOptions{Timeout: 200 * time.Millisecond, Interval: 50 * time.Millisecond})
	require.ErrorIs(t, err, database.ErrLockTimeout)
	require.NoError(t, release())
	release, err = b.Lock(ctx, database.LockOptions{Timeout: time.Second})
	require.NoError(t, err)
	require.NoError(t, release())
}

// TestLockAbandon: Abandon is asked when the holder released the lock,
// before the waiter tries again.
func TestLockAbandon(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		ctx := context.Background()
		a := testdb.Open(t, tgt)
		b := testdb.Open(t, tgt)
		release, err := a.Lock(ctx, database.LockOptions{Timeout: time.Second})
		require.NoError(t, err)
		asked := 0
		_, err = b.Lock(ctx, database.LockOptions{Timeout: 5 * time.Second,
			// The holder finishes while b waits.
			TellAfter: time.Millisecond,
			OnWait:    func(string) { require.NoError(t, release()) },
			Abandon:   func() bool { asked++; return true },
		})
		require.ErrorIs(t, err, database.ErrLockAbandoned)
		require.Equal(t, 1, asked)
		release, err = b.Lock(ctx, database.LockOptions{Timeout: time.Second, Abandon: func() bool { asked++; return true }})
		require.NoError(t, err, "a free lock is taken without asking")
		require.Equal(t, 1, asked)
		require.NoError(t, release())
	})
}

// TestLockWaiterOneConnection: a waiter for the advisory lock does all its
// reads (the holder lookup, Abandon's) on the one connection it queues on.
// Taking the lock on a connection of its own made every waiter open a
// second backend, seven of them at once when eight replicas start together.
func TestLockWaiterOneConnection(t *testing.T) {
	tgt := testdb.NewPostgres(t)
	ctx := context.Background()
	holder := testdb.Open(t, tgt)
	release, err := holder.Lock(ctx, database.LockOptions{Timeout: time.Second})
	require.NoError(t, err)
	waiter := testdb.Open(t, tgt)
	var before int64
	require.NoError(t, waiter.Gorm.Raw("SELECT pg_backend_pid()").Scan(&before).Error)

	var queuedPid, abandonPid int64
	released := make(chan error, 1)
	_, err = waiter.Lock(ctx, database.LockOptions{Timeout: time.Minute, TellAfter: time.Millisecond,
		OnWait: func(string) {
			// Release once the waiter queues (seen from the holder).
			go func() {
				for end := time.Now().Add(30 * time.Second); queuedPid == 0 && time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
					err := holder.Gorm.Raw(`SELECT coalesce(max(pid), 0) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
						AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`).Scan(&queuedPid).Error
					if err != nil {
						released <- err
						return
					}
				}
				released <- release()
			}()
		},
		Abandon: func() bool {
			require.NoError(t, waiter.Gorm.Raw("SELECT pg_backend_pid()").Scan(&abandonPid).Error)
			return true
		},
	})
	require.ErrorIs(t, err, database.ErrLockAbandoned)
	require.NoError(t, <-released)
	require.Equal(t, before, queuedPid, "the waiter queues on the connection it already had")
	require.Equal(t, before, abandonPid, "Abandon reads on that connection too")
	sqlDB, err := waiter.Gorm.DB()
	require.NoError(t, err)
	require.Equal(t, 1, sqlDB.Stats().OpenConnections, "the waiter opened no other connection")
}

// TestLockWaitersQueue: waiters do not poll while the holder works. Each
// queues on the lock itself (shown by the server's pg_locks, the kernel's
// /proc/locks), which a polling waiter never does, and looks up the holder
// once, only when the wait outlasts TellAfter; the holder's release wakes
// them all, and each asks Abandon once.
func TestLockWaitersQueue(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		t.Run("told", func(t *testing.T) { testLockWaitersQueue(t, tgt, time.Millisecond) })
		t.Run("released before TellAfter", func(t *testing.T) { testLockWaitersQueue(t, tgt, time.Hour) })
	})
}

func testLockWaitersQueue(t *testing.T, tgt testdb.Target, tellAfter time.Duration) {
	if tgt.Dialect != database.Postgres {
		if _, err := os.Stat("/proc/locks"); err != nil {
			t.Skip("no /proc/locks to see the waiters")
		}
	}
	ctx := context.Background()
	holder := testdb.Open(t, tgt)
	release, err := holder.Lock(ctx, database.LockOptions{Timeout: time.Second})
	require.NoError(t, err)

	const n = 3
	var (
		mu            sync.Mutex
		asked, waited int
		done          bool // the holder's work
		wg            sync.WaitGroup
	)
	errs := make(chan error, n)
	for range n {
		db := testdb.Open(t, tgt)
		wg.Add(1)
		go func() {
			defer wg.Done()
			unlock, err := db.Lock(ctx, database.LockOptions{
				Timeout:   time.Minute,
				TellAfter: tellAfter,
				OnWait:    func(string) { mu.Lock(); waited++; mu.Unlock() },
				Abandon:   func() bool { mu.Lock(); defer mu.Unlock(); asked++; return done },
			})
			if err == nil {
				err = unlock()
			}
			errs <- err
		}()
	}
	want := n // holder lookups
	if tellAfter == time.Hour {
		want = 0
	}
	require.Eventually(t, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return waited == want && queued(t, holder, tgt) == n
	}, 30*time.Second, 10*time.Millisecond, "every waiter queues on the lock")
	mu.Lock()
	require.Equal(t, want, waited, "the holder is looked up once a waiter, after TellAfter")
	require.Zero(t, asked, "Abandon is not asked while the holder works")
	done = true
	mu.Unlock()

	require.NoError(t, release())
	wg.Wait()
	close(errs)
	for err := range errs {
		require.ErrorIs(t, err, database.ErrLockAbandoned, "every waiter finds the work done")
	}
	require.Equal(t, n, asked, "Abandon is asked once a waiter, after the release")
}

// queued counts the waiters blocked on the migration lock of tgt.
func queued(t *testing.T, db *database.DB, tgt testdb.Target) int {
	if tgt.Dialect == database.Postgres {
		var n int
		require.NoError(t, db.Gorm.Raw(`SELECT count(*) FROM pg_locks l WHERE l.locktype = 'advisory' AND NOT l.granted
			AND l.objid = 1414090053 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`).Scan(&n).Error)
		return n
	}
	fi, err := os.Stat(db.Path + ".lock")
	require.NoError(t, err)
	ino := fmt.Sprintf(":%d", fi.Sys().(*syscall.Stat_t).Ino)
	locks, err := os.ReadFile("/proc/locks")
	require.NoError(t, err)
	n := 0
	// A blocked request: "2: -> FLOCK  ADVISORY  READ 42 fe:00:1234 0 EOF".
	for _, line := range strings.Split(string(locks), "\n") {
		f := strings.Fields(line)
		if len(f) > 6 && f[1] == "->" && strings.HasSuffix(f[6], ino) {
			n++
		}
	}
	return n
}

// TestLeaseLockConcurrentFirstUse: replicas starting together on a database
// without the lease table all get the lease in turn. CREATE TABLE IF NOT
// EXISTS alone fails some of them on pg_type's unique index.
func TestLeaseLockConcurrentFirstUse(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		for trial := 0; trial < 3; trial++ {
			tgt := tgt
			if tgt.Dialect == database.Postgres {
				tgt = testdb.NewPostgres(t)
			} else {
				tgt = testdb.NewSQLite(t)
			}
			const n = 8
			dbs := make([]*database.DB, n)
			for i := range dbs {
				dbs[i] = testdb.Open(t, tgt)
			}
			var (
				wg      sync.WaitGroup
				mu      sync.Mutex
				holding int
				errs    []error
			)
			start := make(chan struct{})
			for _, db := range dbs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					release, err := db.LockLease(context.Background(), database.LockOptions{Timeout: 30 * time.Second, Interval: 10 * time.Millisecond})
					if err != nil {
						mu.Lock()
						errs = append(errs, err)
						mu.Unlock()
						return
					}
					mu.Lock()
					holding++
					if holding > 1 {
						errs = append(errs, fmt.Errorf("%d holders at once", holding))
					}
					mu.Unlock()
					time.Sleep(5 * time.Millisecond)
					mu.Lock()
					holding--
					mu.Unlock()
					if err := release(); err != nil {
						mu.Lock()
						errs = append(errs, err)
						mu.Unlock()
					}
				}()
			}
			close(start)
			wg.Wait()
			require.Empty(t, errs, "trial %d", trial)
			var live int64
			require.NoError(t, dbs[0].Gorm.Raw("SELECT count(*) FROM timetracker_lock").Scan(&live).Error)
			require.Zero(t, live, "every lease was released")
		}
	})
}

// TestAdvisoryLockHolderSameDatabase: advisory locks are per database, so
// the holder named in a timeout is the one in this database even when
// another database on the same server holds the same key.
func TestAdvisoryLockHolderSameDatabase(t *testing.T) {
	ctx := context.Background()
	other, mine := testdb.NewPostgres(t), testdb.NewPostgres(t)
	pidOf := func(db *database.DB) int {
		var pid int
		require.NoError(t, db.Gorm.Raw(`SELECT l.pid FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.objid = 1414090053
			AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`).Scan(&pid).Error)
		return pid
	}
	o := testdb.Open(t, other)
	releaseOther, err := o.Lock(ctx, database.LockOptions{Timeout: time.Second})
	require.NoError(t, err)
	defer releaseOther()
	a := testdb.Open(t, mine)
	release, err := a.Lock(ctx, database.LockOptions{Timeout: time.Second})
	require.NoError(t, err, "a lock held in another database does not block this one")
	defer release()
	otherPid, minePid := pidOf(o), pidOf(a)
	require.NotZero(t, otherPid)
	require.NotZero(t, minePid)

	b := testdb.Open(t, mine)
	_, err = b.Lock(ctx, database.LockOptions{Timeout: 200 * time.Millisecond, Interval: 50 * time.Millisecond})
	require.ErrorIs(t, err, database.ErrLockTimeout)
	require.Contains(t, err.Error(), fmt.Sprintf("pid %d ", minePid))
	require.NotContains(t, err.Error(), fmt.Sprintf("pid %d ", otherPid))
}

// TestAdvisoryLockWaiterOutlivesKilledHolder: a waiter queued on the lock is
// woken when the holder's session ends (its process killed), and takes it.
func TestAdvisoryLockWaiterOutlivesKilledHolder(t *testing.T) {
	tgt := testdb.NewPostgres(t)
	ctx := context.Background()
	holder, b := testdb.Open(t, tgt), testdb.Open(t, tgt)
	_, err := holder.Lock(ctx, database.LockOptions{Timeout: time.Second})
	require.NoError(t, err)
	got := make(chan error, 1)
	go func() {
		release, err := b.Lock(ctx, database.LockOptions{Timeout: time.Minute})
		if err == nil {
			err = release()
		}
		got <- err
	}()
	require.Eventually(t, func() bool { return queued(t, b, tgt) == 1 }, 30*time.Second, 10*time.Millisecond)
	// End only the holder's own backend, as the server does on a dropped
	// socket.
	var ended int
	require.NoError(t, b.Gorm.Raw(`SELECT count(pg_terminate_backend(l.pid)) FROM pg_locks l
		WHERE l.locktype = 'advisory' AND l.granted AND l.mode = 'ExclusiveLock' AND l.objid = 1414090053
		AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`).Scan(&ended).Error)
	require.Equal(t, 1, ended)
	require.NoError(t, <-got, "the waiter takes the lock of the dead holder")
}

// A direct connection is not taken for one through a pooler (cmd's
// PgBouncer tests see the other side: every worker switches to the lease).
func TestViaPoolerDirect(t *testing.T) {
	ctx := context.Background()
	tgt := testdb.NewPostgres(t)
	db, err := database.Open(ctx, tgt.Options())
	require.NoError(t, err)
	defer db.Close()
	via, err := db.ViaPooler(ctx)
	require.NoError(t, err)
	require.False(t, via)
}
