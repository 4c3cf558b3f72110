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
	// 0 leaves the reads unbounded, as lock_timeout = 0 means.
	ms := opts.Timeout.Milliseconds()
	if opts.Timeout > 0 && ms < 1 {
		ms = 1
	}
	var (
		mu   sync.Mutex
		last string // what the reads last waited for
	)
	err := d.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// set_config(..., true) is SET LOCAL: it ends with the transaction.
		// One round trip for both, on every start's detection.
		var pid int
		if err := tx.Raw("SELECT pg_backend_pid() AS pid, set_config('lock_timeout', ?, true), set_config('statement_timeout', ?, true)",
			fmt.Sprint(ms), fmt.Sprint(ms)).Row().Scan(&pid, new(string), new(string)); err != nil {
			return err
		}
		wctx, stop := context.WithCancel(ctx)
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
				mu.Lock()
				last = what
				mu.Unlock()
				if !seen[what] && opts.OnWait != nil {
					seen[what] = true
					opts.OnWait(what)
				}
			}
		}()
		err := f(tx)
		stop()
		<-done
		return err
	}, &sql.TxOptions{ReadOnly: true})
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && (pgErr.Code == "55P03" || pgErr.Code == "57014") && ctx.Err() == nil {
		mu.Lock()
		what := last
		mu.Unlock()
		if what == "" {
			what = "a lock held by another session"
		}
		return fmt.Errorf("%w: gave up after %s waiting for %s", ErrLockWait, opts.Timeout, what)
	}
	return err
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
