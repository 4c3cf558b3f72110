// PostgreSQL: the migration lock as a session advisory lock on a connection
// of its own.

package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
)

// advisoryLockKey identifies the migration lock among the server's advisory
// locks ("TIME" in ASCII). Every timetracker process uses the same key.
const advisoryLockKey = 0x54494D45

// lock takes pg_try_advisory_lock on a connection it keeps until unlock: a
// session lock held by a process that dies is released with its
// connection. Waiters queue in shared mode (advisory.wait) instead of
// polling.
//
// Behind a pooler a session lock could outlive us on a pooled server
// connection: the lock is then taken on a connection to the direct URL, or
// refused with ErrTransactionPooling when there is none.
func (postgresDialect) lock(ctx context.Context, d *DB, opts LockOptions) (func() error, error) {
	// Through any pooler: the transaction pooling probe can take transaction
	// pooling for session pooling, and two instances would then both hold
	// the lock on pooled servers.
	pooled, err := d.ViaPooler(ctx)
	if err != nil {
		return nil, err
	}
	sqlDB, err := d.Gorm.DB()
	if err != nil {
		return nil, err
	}
	a := &advisory{d: d, pool: sqlDB, closePool: func() error { return nil }}
	if pooled {
		if d.direct == "" {
			return nil, ErrTransactionPooling
		}
		if a.pool, err = openPostgresPool(d.direct, 10*time.Second); err != nil {
			return nil, fmt.Errorf("database-direct-url: %w", err)
		}
		a.closePool = a.pool.Close
	}
	if err := acquire(ctx, a, opts); err != nil {
		a.close()
		if errors.Is(err, errWaitedOut) {
			return nil, fmt.Errorf("%w after %s: held by %s", ErrLockTimeout, opts.Timeout, lockHolder(ctx, d.Gorm))
		}
		return nil, err
	}
	return func() error {
		// Unlock on a fresh context: the caller's may already be cancelled.
		uctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, err := a.conn.ExecContext(uctx, "SELECT pg_advisory_unlock($1)", int64(advisoryLockKey))
		cerr := a.close()
		if err != nil {
			return err
		}
		return cerr
	}, nil
}

// advisory is the advisory lock as acquire waits for it. Its connection is
// taken from the pool for each try and each wait, and handed back between
// them (no lock is held on it then): the holder lookup and Abandon's reads
// reuse it, so a waiter opens no second connection. With eight replicas
// starting at once those would be seven more backends started right when
// the holder finishes.
type advisory struct {
	d    *DB
	pool *sql.DB
	// closePool closes pool when it is the direct URL's, opened for the
	// lock alone.
	closePool func() error
	// conn is the connection taken from pool, nil between uses; it stays
	// taken while the lock is held.
	conn *sql.Conn
}

func (a *advisory) take(ctx context.Context) (*sql.Conn, error) {
	if a.conn == nil {
		c, err := a.pool.Conn(ctx)
		if err != nil {
			return nil, fmt.Errorf("lock connection: %w", classifyPostgres(err))
		}
		a.conn = c
	}
	return a.conn, nil
}

// handBack returns the connection to the pool; a connection the driver
// found broken is discarded there.
func (a *advisory) handBack() error {
	if a.conn == nil {
		return nil
	}
	err := a.conn.Close()
	a.conn = nil
	return err
}

func (a *advisory) close() error {
	err := a.handBack()
	_ = a.closePool()
	return err
}

func (a *advisory) try(ctx context.Context) (bool, error) {
	conn, err := a.take(ctx)
	if err != nil {
		return false, err
	}
	var got bool
	if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1)", int64(advisoryLockKey)).Scan(&got); err != nil {
		return false, fmt.Errorf("try advisory lock: %w", err)
	}
	if !got {
		_ = a.handBack()
	}
	return got, nil
}

// waitReleased queues for the key in shared mode, which the holder's
// exclusive lock blocks, in a statement of its own: the server wakes every
// waiter when the holder releases (or its session ends), and the lock ends
// with the statement's implicit transaction, also when it fails. Both
// statements are one implicit transaction, so SET LOCAL bounds this wait
// only; no arguments keeps it one simple query.
const waitReleased = "SET LOCAL lock_timeout = %d; SELECT pg_advisory_xact_lock_shared(%d)"

// wait blocks until the holder releases, or d passes (lock_timeout,
// 55P03). A client deadline a little later backs lock_timeout up. When the
// wait's context ends (a signal, the deadline) the driver drops the
// connection, which a backend queued for a lock does not notice: the server
// is asked to cancel the statement too, and wait returns once it took the
// request, so no backend stays queued (and is later granted the lock).
func (a *advisory) wait(ctx context.Context, d time.Duration) (bool, error) {
	ms := d.Milliseconds()
	if ms < 1 {
		return false, nil // lock_timeout = 0 would wait for ever
	}
	conn, err := a.take(ctx)
	if err != nil {
		return false, err
	}
	defer func() { _ = a.handBack() }()
	wctx, cancel := context.WithTimeout(ctx, d+time.Second)
	defer cancel()
	pc := pgConn(conn)
	cancelled := make(chan struct{})
	stopCancel := context.AfterFunc(wctx, func() {
		defer close(cancelled)
		if pc != nil {
			cctx, done := context.WithTimeout(context.Background(), 2*time.Second)
			defer done()
			_ = pc.CancelRequest(cctx)
		}
	})
	_, err = conn.ExecContext(wctx, fmt.Sprintf(waitReleased, ms, advisoryLockKey))
	if !stopCancel() {
		<-cancelled
	}
	var pgErr *pgconn.PgError
	lockTimeout := errors.As(err, &pgErr) && pgErr.Code == "55P03"
	if lockTimeout || (err != nil && wctx.Err() != nil && ctx.Err() == nil) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("wait for advisory lock: %w", err)
	}
	return true, nil
}

func (a *advisory) holder(ctx context.Context) string { return lockHolder(ctx, a.d.Gorm) }

// lockHolder describes the session holding the migration lock, for the
// operator: pid, application, client address and since when.
func lockHolder(ctx context.Context, db *gorm.DB) string {
	var rows []struct {
		Pid         int
		Application string
		Client      *string
		Since       *time.Time
	}
	err := db.WithContext(ctx).Raw(`SELECT a.pid AS pid, a.application_name AS application,
			host(a.client_addr) AS client, a.backend_start AS since
		FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
		WHERE l.locktype = 'advisory' AND l.granted AND l.mode = 'ExclusiveLock' AND l.classid = 0 AND l.objid = $1 AND l.objsubid = 1
			AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
		advisoryLockKey).Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return "another session (not visible to this user)"
	}
	r := rows[0]
	client := "local socket"
	if r.Client != nil {
		client = *r.Client
	}
	since := ""
	if r.Since != nil {
		since = ", connected since " + r.Since.Format(time.RFC3339)
	}
	return fmt.Sprintf("pid %d (application %q, client %s%s)", r.Pid, r.Application, client, since)
}
