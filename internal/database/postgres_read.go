// PostgreSQL: bounded reads, and naming what a waiting statement is blocked
// on.

package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
)

// readWatchDelay is how long a statement may wait before the watcher looks
// for what it waits for, and then how often it looks again.
const readWatchDelay = 500 * time.Millisecond

func postgresReadBounded(ctx context.Context, d *DB, opts ReadOptions, f func(db *gorm.DB) error) error {
	if opts.Autocommit {
		return postgresReadAutocommit(ctx, d, opts, f)
	}
	// 0 leaves the reads unbounded, as lock_timeout = 0 means.
	ms := opts.Timeout.Milliseconds()
	if opts.Timeout > 0 && ms < 1 {
		ms = 1
	}
	var w waitWatch
	err := d.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// set_config(..., true) is SET LOCAL: it ends with the transaction.
		// One round trip for both.
		var pid int
		if err := tx.Raw("SELECT pg_backend_pid() AS pid, set_config('lock_timeout', ?, true), set_config('statement_timeout', ?, true)",
			fmt.Sprint(ms), fmt.Sprint(ms)).Row().Scan(&pid, new(string), new(string)); err != nil {
			return err
		}
		stop := w.start(ctx, d, pid, opts.OnWait)
		err := f(tx)
		stop()
		return err
	}, &sql.TxOptions{ReadOnly: true})
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && (pgErr.Code == "55P03" || pgErr.Code == "57014") && ctx.Err() == nil {
		return w.gaveUp(opts.Timeout)
	}
	return err
}

// postgresReadAutocommit runs f on one connection without a transaction,
// under a deadline of opts.Timeout. When the deadline passes the driver
// drops the connection, which a backend waiting for a lock does not notice
// (the driver's own cancel request is sent in the background): the server
// is asked to cancel the statement, and the read returns once it has taken
// the request, so no backend stays queued behind the lock.
func postgresReadAutocommit(ctx context.Context, d *DB, opts ReadOptions, f func(db *gorm.DB) error) error {
	rctx, cancel := ctx, context.CancelFunc(func() {})
	if opts.Timeout > 0 {
		rctx, cancel = context.WithTimeout(ctx, opts.Timeout)
	}
	defer cancel()
	var w waitWatch
	err := d.Gorm.WithContext(rctx).Connection(func(db *gorm.DB) error {
		pc := connOf(db)
		pid := 0
		if pc != nil {
			pid = int(pc.PID())
		}
		cancelled := make(chan struct{})
		stopCancel := context.AfterFunc(rctx, func() {
			defer close(cancelled)
			if pc != nil && ctx.Err() == nil {
				cctx, done := context.WithTimeout(context.Background(), 2*time.Second)
				defer done()
				_ = pc.CancelRequest(cctx)
			}
		})
		stop := w.start(rctx, d, pid, opts.OnWait)
		err := f(db)
		stop()
		if !stopCancel() {
			<-cancelled
		}
		return err
	})
	if err != nil && rctx.Err() != nil && ctx.Err() == nil {
		return w.gaveUp(opts.Timeout)
	}
	return err
}

// connOf is the driver connection of db's pinned connection, nil if there
// is none. Its PID is the backend pid the server announced at the start:
// behind a pooler the pooler's own number, which names no waiting backend
// (the watcher then finds nothing to tell).
func connOf(db *gorm.DB) *pgconn.PgConn {
	conn, ok := db.Statement.ConnPool.(*sql.Conn)
	if !ok {
		return nil
	}
	return pgConn(conn)
}

// waitWatch names, from another connection, what a reading backend waits
// for, and remembers it for the error of a read that gave up.
type waitWatch struct {
	mu   sync.Mutex
	last string
}

// start watches backend pid until the returned stop is called.
func (w *waitWatch) start(ctx context.Context, d *DB, pid int, onWait func(string)) (stop func()) {
	if pid == 0 {
		return func() {}
	}
	wctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		seen := map[string]bool{}
		for {
			select {
			case <-wctx.Done():
				return
			case <-time.After(readWatchDelay):
			}
			what := blockedOn(wctx, d.Gorm, pid)
			if what == "" {
				continue
			}
			w.mu.Lock()
			w.last = what
			w.mu.Unlock()
			if !seen[what] && onWait != nil {
				seen[what] = true
				onWait(what)
			}
		}
	}()
	return func() {
		cancel()
		<-done
	}
}

// gaveUp is the error of a read that waited timeout.
func (w *waitWatch) gaveUp(timeout time.Duration) error {
	w.mu.Lock()
	what := w.last
	w.mu.Unlock()
	if what == "" {
		what = "a lock held by another session"
	}
	return fmt.Errorf("%w: gave up after %s waiting for %s", ErrLockWait, timeout, what)
}

// blockedOn describes what backend pid waits for, or "" when it waits for
// nothing: the lock's object and the session holding it.
func blockedOn(ctx context.Context, db *gorm.DB, pid int) string {
	var rows []struct {
		Object  string
		Holder  int
		AppName string
		Client  string
	}
	err := db.WithContext(ctx).Raw(`SELECT
			CASE WHEN l.relation IS NOT NULL THEN 'table ' || coalesce(c.relname, l.relation::text) ELSE l.locktype END AS object,
			b.pid AS holder, coalesce(a.application_name, '') AS app_name, coalesce(host(a.client_addr), 'local socket') AS client
		FROM pg_locks l
		LEFT JOIN pg_class c ON c.oid = l.relation
		CROSS JOIN LATERAL unnest(pg_blocking_pids(l.pid)) AS b(pid)
		LEFT JOIN pg_stat_activity a ON a.pid = b.pid
		WHERE l.pid = ? AND NOT l.granted
		ORDER BY b.pid LIMIT 1`, pid).Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return ""
	}
	r := rows[0]
	return fmt.Sprintf("a lock on %s held by pid %d (application %q, client %s)", r.Object, r.Holder, r.AppName, r.Client)
}
