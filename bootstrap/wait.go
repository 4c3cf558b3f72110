package bootstrap

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/timetracker/timetracker/internal/database"
)

// WaitOptions bound the wait for the database.
type WaitOptions struct {
	// Timeout is the overall deadline: it alone ends the wait, however many
	// attempts fit in it. Zero means one attempt, bounded only by the
	// connection's own timeout.
	Timeout time.Duration
	// Interval is the pause between attempts.
	Interval time.Duration
	// Attempts, if above 0, also stops the wait after that many attempts
	// (kept for configurations that set it; off by default).
	Attempts int
}

// Wait calls open until it succeeds, the deadline passes (or the optional
// attempt cap is reached: ErrTimeout, naming the real elapsed time and the
// number of attempts), or it fails in a way waiting cannot heal (returned
// at once: wrong password, unknown database, not a SQLite file). Only
// errors wrapping database.ErrUnreachable are retried. No attempt runs past
// the deadline.
func Wait(ctx context.Context, open func(context.Context) (*database.DB, error), opts WaitOptions, log *slog.Logger) (*database.DB, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	start := time.Now()
	if opts.Timeout <= 0 {
		return open(ctx)
	}
	deadline := start.Add(opts.Timeout)
	for attempt := 1; ; attempt++ {
		actx, cancel := context.WithDeadline(ctx, deadline)
		db, err := open(actx)
		cancel()
		if err == nil {
			return db, nil
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%w while waiting for the database", ErrInterrupted)
		}
		if !errors.Is(err, database.ErrUnreachable) {
			return nil, err
		}
		remaining := time.Until(deadline)
		elapsed := time.Since(start).Round(100 * time.Millisecond)
		switch {
		case remaining <= 0:
			return nil, fmt.Errorf("%w: no answer within wait-timeout %s (%d attempts, %s elapsed): %w", ErrTimeout, opts.Timeout, attempt, elapsed, err)
		case opts.Attempts > 0 && attempt >= opts.Attempts:
			return nil, fmt.Errorf("%w: no answer after wait-attempts %d (%s elapsed of wait-timeout %s): %w", ErrTimeout, attempt, elapsed, opts.Timeout, err)
		}
		log.Info("database not reachable yet, retrying", "attempt", attempt, "elapsed", elapsed, "error", err)
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("%w while waiting for the database", ErrInterrupted)
		case <-time.After(min(opts.Interval, remaining)):
		}
	}
}
