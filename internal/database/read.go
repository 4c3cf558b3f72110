// Reads bounded in time, that give up instead of waiting behind another
// session's lock.

package database

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// ErrLockWait is returned by ReadBounded when another session held a lock
// the reads needed for the whole timeout; nothing was changed.
var ErrLockWait = errors.New("timed out waiting for a lock held by another session")

// ReadOptions bound the reads of ReadBounded.
type ReadOptions struct {
	// Timeout is the longest any statement may wait for a lock or run.
	Timeout time.Duration
	// OnWait, if set, is told (once per holder) what a statement waits
	// for, e.g. `a lock on table settings held by pid 42 (application
	// "psql", client 127.0.0.1)`.
	OnWait func(what string)
	// Autocommit runs f's statements outside a transaction, each bounded by
	// a client deadline that has the server cancel it: none of the BEGIN,
	// SET LOCAL and COMMIT round trips, which are a fifth of a no-op start.
	// For f that reads what it needs in one statement (a snapshot); its
	// statements are not one view of the database.
	Autocommit bool
}

// ReadBounded runs f, which only reads, so that it cannot wait without
// limit. PostgreSQL: in a read-only transaction with SET LOCAL lock_timeout
// and statement_timeout (transaction-scoped, so a pooled connection stays
// clean behind PgBouncer), while a watcher on another connection names the
// session a statement waits for; a timeout wraps ErrLockWait. SQLite: f runs
// as it is, bounded by the busy timeout every connection has.
func (d *DB) ReadBounded(ctx context.Context, opts ReadOptions, f func(db *gorm.DB) error) error {
	if d.Dialect != Postgres {
		return f(d.Gorm.WithContext(ctx))
	}
	return postgresReadBounded(ctx, d, opts, f)
}
