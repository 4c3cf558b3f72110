// PostgreSQL: the migration lock as a session advisory lock on a connection
// of its own.

package database

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// advisoryLockKey identifies the migration lock among the server's advisory
// locks ("TIME" in ASCII). Every timetracker process uses the same key.
const advisoryLockKey = 0x54494D45

// lock polls pg_try_advisory_lock on a dedicated connection: a blocking
// pg_advisory_lock could not honour the deadline, and a session lock held by
// a process that dies is released with its connection.
//
// Behind transaction pooling a session lock would outlive us on a pooled
// server connection: the lock is then taken on a connection to the direct
// URL, or refused with ErrTransactionPooling when there is none.
func (postgresDialect) lock(ctx context.Context, d *DB, opts LockOptions) (func() error, error) {
	pooled, err := d.TransactionPooled(ctx)
	if err != nil {
		return nil, err
	}
	sqlDB, err := d.Gorm.DB()
	if err != nil {
		return nil, err
	}
	closeDB := func() error { return nil }
	if pooled {
		if d.direct == "" {
			return nil, ErrTransactionPooling
		}
		if sqlDB, err = openPostgresPool(d.direct, 10*time.Second); err != nil {
			return nil, fmt.Errorf("database-direct-url: %w", err)
		}
		closeDB = sqlDB.Close
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		_ = closeDB()
		return nil, fmt.Errorf("lock connection: %w", classifyPostgres(err))
	}
	return advisoryLock(ctx, d, &lockConn{Conn: conn, closeDB: closeDB}, opts)
}

// lockConn is the lock's connection; closing it also closes the pool of
// the direct URL when the lock has one of its own.
type lockConn struct {
	*sql.Conn
	closeDB func() error
}

func (c *lockConn) Close() error {
	err := c.Conn.Close()
	_ = c.closeDB()
	return err
}

func advisoryLock(ctx context.Context, d *DB, conn *lockConn, opts LockOptions) (func() error, error) {
	deadline := time.Now().Add(opts.Timeout)
	for {
		var got bool
		if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1)", int64(advisoryLockKey)).Scan(&got); err != nil {
			conn.Close()
			return nil, fmt.Errorf("try advisory lock: %w", err)
		}
		if got {
			break
		}
		holder := func() string { return lockHolder(ctx, d.Gorm) }
		if time.Now().After(deadline) {
			conn.Close()
			return nil, fmt.Errorf("%w after %s: held by %s", ErrLockTimeout, opts.Timeout, holder())
		}
		if err := opts.pause(ctx, holder); err != nil {
			conn.Close()
			return nil, err
		}
	}
	return func() error {
		// Unlock on a fresh context: the caller's may already be cancelled.
		uctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, err := conn.ExecContext(uctx, "SELECT pg_advisory_unlock($1)", int64(advisoryLockKey))
		cerr := conn.Close()
		if err != nil {
			return err
		}
		return cerr
	}, nil
}

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
		WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = $1 AND l.objsubid = 1
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
