// The migration lock: options, the wait, and the dialect's lock.

package database

import (
	"context"
	"errors"
	"time"
)

// LockOptions bounds the wait for the migration lock.
type LockOptions struct {
	// Timeout is how long to keep trying before ErrLockTimeout.
	Timeout time.Duration
	// Interval is the pause between tries (default 20ms).
	Interval time.Duration
	// OnWait, if set, is told once per try that the lock is busy.
	OnWait func(holder string)
	// Abandon, if set, is asked after each busy try whether waiting is
	// still needed (another instance may have finished the work); true
	// makes Lock return ErrLockAbandoned without the lock.
	Abandon func() bool
}

// ErrLockAbandoned is returned by Lock and LockLease when Abandon said the
// lock is no longer needed.
var ErrLockAbandoned = errors.New("lock no longer needed")

func (o LockOptions) interval() time.Duration {
	if o.Interval <= 0 {
		return 20 * time.Millisecond
	}
	return o.Interval
}

// pause is one busy round of a lock wait: tell OnWait, ask Abandon, sleep.
func (o LockOptions) pause(ctx context.Context, holder func() string) error {
	if o.OnWait != nil {
		o.OnWait(holder())
	}
	if o.Abandon != nil && o.Abandon() {
		return ErrLockAbandoned
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(o.interval()):
		return nil
	}
}

// Lock takes the migration lock: a session advisory lock on PostgreSQL (on a
// connection of its own, polled with pg_try_advisory_lock), an exclusive
// lock file beside a SQLite database. It returns the function that releases
// it. Errors wrap ErrLockTimeout when the wait ran out.
func (d *DB) Lock(ctx context.Context, opts LockOptions) (func() error, error) {
	return d.impl.lock(ctx, d, opts)
}
