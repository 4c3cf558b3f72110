package database

import (
	"context"
	"time"
)

// LockOptions bounds the wait for the migration lock.
type LockOptions struct {
	// Timeout is how long to keep trying before ErrLockTimeout.
	Timeout time.Duration
	// Interval is the pause between tries (default 200ms).
	Interval time.Duration
	// OnWait, if set, is told once per try that the lock is busy.
	OnWait func(holder string)
}

func (o LockOptions) interval() time.Duration {
	if o.Interval <= 0 {
		return 200 * time.Millisecond
	}
	return o.Interval
}

// Lock takes the migration lock: a session advisory lock on PostgreSQL (on a
// connection of its own, polled with pg_try_advisory_lock), an exclusive
// lock file beside a SQLite database. It returns the function that releases
// it. Errors wrap ErrLockTimeout when the wait ran out.
func (d *DB) Lock(ctx context.Context, opts LockOptions) (func() error, error) {
	return d.impl.lock(ctx, d, opts)
}
