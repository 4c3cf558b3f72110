package cmd

import (
	"context"
	"errors"

	"github.com/timetracker/timetracker/bootstrap"
	"github.com/timetracker/timetracker/config"
	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/migrations"
)

// Exit codes. README.md lists them; a test keeps the two in step.
const (
	ExitOK          = 0 // success
	ExitError       = 1 // any other error
	ExitUsage       = 2 // bad flags, arguments, configuration or DATABASE_URL
	ExitUnreachable = 3 // database unreachable, or it refused the connection
	ExitVerify      = 4 // the live schema does not match the models, or (db status --check) is not at head
	ExitRefused     = 5 // refused: the database state is unknown, foreign, newer or unsafe; nothing was changed
	ExitLockTimeout = 6 // another instance held the migration lock for the whole wait
	ExitBackup      = 7 // the backup before a change failed; nothing was changed
	ExitInterrupted = 8 // stopped by a signal (waiting, lock wait, backup, between steps)
)

// usageError marks errors in how the command was called.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// ExitCode maps an error to the process exit code.
func ExitCode(err error) int {
	var ue usageError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &ue),
		errors.Is(err, config.ErrInvalidConfig),
		errors.Is(err, config.ErrInvalidURL),
		errors.Is(err, database.ErrInvalidParams),
		errors.Is(err, database.ErrNeedsDirect),
		errors.Is(err, bootstrap.ErrInvalidSeed),
		errors.Is(err, migrations.ErrUnknownStep),
		errors.Is(err, migrations.ErrBelowBaseline):
		return ExitUsage
	case errors.Is(err, database.ErrLockTimeout), errors.Is(err, database.ErrLockWait):
		return ExitLockTimeout
	case errors.Is(err, context.Canceled), errors.Is(err, bootstrap.ErrInterrupted):
		return ExitInterrupted
	case errors.Is(err, database.ErrUnreachable), errors.Is(err, database.ErrRejected), errors.Is(err, bootstrap.ErrTimeout),
		errors.Is(err, database.ErrNoDatabase):
		return ExitUnreachable
	case errors.Is(err, bootstrap.ErrVerifyFailed), errors.Is(err, bootstrap.ErrNotReady):
		return ExitVerify
	case errors.Is(err, bootstrap.ErrBackupFailed):
		return ExitBackup
	case errors.Is(err, migrations.ErrDatabaseAhead),
		errors.Is(err, migrations.ErrNotEmpty),
		errors.Is(err, migrations.ErrNotInitialised),
		errors.Is(err, bootstrap.ErrRefused):
		return ExitRefused
	}
	return ExitError
}
