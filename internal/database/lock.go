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
	// Interval is the pause between tries of the lease lock (default
	// 20ms). The advisory lock and the lock file are waited for without
	// polling: the wait ends when the holder releases.
	Interval time.Duration
	// OnBusy, if set, is called once, when the lock is first found busy.
	OnBusy func()
	// OnWait, if set, is told once, when the wait has lasted TellAfter,
	// who holds the lock.
	OnWait func(holder string)
	// TellAfter is how long a wait lasts before OnWait is told (default
	// 1s). Looking the holder up costs the server a query against
	// pg_stat_activity; replicas starting together wait less than this
	// for the one doing the work, and skip it.
	TellAfter time.Duration
	// Abandon, if set, is asked whether waiting is still needed (another
	// instance may have finished the work) each time the holder released
	// the lock, before trying again (the lease lock: after each pause).
	// True makes Lock return ErrLockAbandoned without the lock.
	Abandon func() bool
}

// ErrLockAbandoned is returned by Lock and LockLease when Abandon said the
// lock is no longer needed.
var ErrLockAbandoned = errors.New("lock no longer needed")

func (o LockOptions) tellAfter() time.Duration {
	if o.TellAfter <= 0 {
		return time.Second
	}
	return o.TellAfter
}

func (o LockOptions) interval() time.Duration {
	if o.Interval <= 0 {
		return 20 * time.Millisecond
	}
	return o.Interval
}

// waitable is a lock as acquire waits for it.
type waitable interface {
	// try takes the lock if it is free.
	try(ctx context.Context) (bool, error)
	// wait returns when the holder may have released the lock, false
	// when d passed first.
	wait(ctx context.Context, d time.Duration) (bool, error)
	// holder says who holds the lock, for OnWait.
	holder(ctx context.Context) string
}

// errWaitedOut is acquire's timeout; each lock names its holder in the
// ErrLockTimeout it returns instead.
var errWaitedOut = errors.New("lock wait timed out")

// acquire takes l, waiting at most opts.Timeout (then errWaitedOut). The
// holder is looked up only to tell OnWait once, after TellAfter, and
// Abandon is asked only when the holder released: while the holder works, a
// waiter costs the server nothing (the lease lock excepted).
func acquire(ctx context.Context, l waitable, opts LockOptions) error {
	start := time.Now()
	deadline, tellAt := start.Add(opts.Timeout), start.Add(opts.tellAfter())
	told := opts.OnWait == nil
	for first := true; ; first = false {
		got, err := l.try(ctx)
		if err != nil || got {
			return err
		}
		if first && opts.OnBusy != nil {
			opts.OnBusy()
		}
		if !told && !time.Now().Before(tellAt) {
			told = true
			opts.OnWait(l.holder(ctx))
		}
		until := deadline
		if !told && tellAt.Before(until) {
			until = tellAt
		}
		released, err := l.wait(ctx, time.Until(until))
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return err
		}
		if !released {
			if time.Now().Before(deadline) {
				continue // the time to tell OnWait came first
			}
			return errWaitedOut
		}
		// The holder's work may be what we wanted the lock for.
		if opts.Abandon != nil && opts.Abandon() {
			return ErrLockAbandoned
		}
	}
}

// Lock takes the migration lock: a session advisory lock on PostgreSQL (on a
// connection of its own), an exclusive lock file beside a SQLite database.
// A waiter blocks until the holder releases, then asks Abandon, then tries
// again. It returns the function that releases the lock. Errors wrap
// ErrLockTimeout when the wait ran out.
func (d *DB) Lock(ctx context.Context, opts LockOptions) (func() error, error) {
	return d.impl.lock(ctx, d, opts)
}
