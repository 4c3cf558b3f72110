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
	// Timeout is the overall deadline.
	Timeout time.Duration
	// Interval is the pause between attempts.
	Interval time.Duration
	// Attempts caps the number of attempts (0 = no cap besides Timeout).
	Attempts int
}

// Wait calls open until it succeeds, the deadline passes or the attempts
// run out (ErrTimeout), or it fails in a way waiting cannot heal (returned
// at once: wrong password, unknown database, not a SQLite file). Only
// errors wrapping database.ErrUnreachable are retried.
func Wait(ctx context.Context, open func(context.Context) (*database.DB, error), opts WaitOptions, log *slog.Logger) (*database.DB, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	deadline := time.Now().Add(opts.Timeout)
	for attempt := 1; ; attempt++ {
		db, err := open(ctx)
		if err == nil {
			return db, nil
		}
		if !errors.Is(err, database.ErrUnreachable) {
			return nil, err
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%w while waiting for the database", ErrInterrupted)
		}
		if (opts.Attempts > 0 && attempt >= opts.Attempts) || time.Now().Add(opts.Interval).After(deadline) {
			return nil, fmt.Errorf("%w after %d attempts in %s: %w", ErrTimeout, attempt, opts.Timeout, err)
		}
		log.Info("database not reachable yet, retrying", "attempt", attempt, "error", err)
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("%w while waiting for the database", ErrInterrupted)
		case <-time.After(opts.Interval):
		}
	}
}
