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
		errors.Is(err, bootstrap.ErrBackupArgument),
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

// nextStep is the advice appended to an error line that carries none of its
// own, by what went wrong, naming real flags and commands.
func nextStep(err error) string {
	var ue usageError
	switch {
	case errors.As(err, &ue), errors.Is(err, config.ErrInvalidConfig), errors.Is(err, config.ErrInvalidURL),
		errors.Is(err, bootstrap.ErrInvalidSeed), errors.Is(err, bootstrap.ErrBackupArgument),
		errors.Is(err, migrations.ErrUnknownStep), errors.Is(err, migrations.ErrBelowBaseline):
		return "" // the message names the setting or argument to fix
	case errors.Is(err, bootstrap.ErrRefused):
		return "" // the refusal carries its own advice
	case errors.Is(err, database.ErrLockTimeout):
		return "next: wait for that instance to finish, or raise --lock-timeout (TIMETRACKER_LOCK_TIMEOUT) above your slowest migration"
	case errors.Is(err, database.ErrLockWait):
		return "next: end or wait for the session named above, or raise --lock-timeout"
	case errors.Is(err, context.Canceled), errors.Is(err, bootstrap.ErrInterrupted):
		return "next: run the same command again; it continues from the last completed step"
	case errors.Is(err, bootstrap.ErrTimeout), errors.Is(err, database.ErrUnreachable):
		return "next: check that the server runs and the host and port of --database-url (DATABASE_URL); for a slow start raise --wait-timeout"
	case errors.Is(err, database.ErrRejected):
		return "next: check the user, password and database name of --database-url (DATABASE_URL), or that the SQLite file and its directory are usable"
	case errors.Is(err, bootstrap.ErrNotReady):
		return "next: `timetracker bootstrap` brings a database that is behind to head; a newer one needs a newer image or a restored backup"
	case errors.Is(err, bootstrap.ErrVerifyFailed):
		return "next: `timetracker db verify` lists each difference; fix them by hand or restore a backup (`timetracker db backups`, `timetracker db restore FILE --yes`)"
	case errors.Is(err, bootstrap.ErrBackupFailed):
		return "next: free space or fix permissions in --backup-dir (BACKUP_DIR), or pass --allow-no-backup to go on without a backup at your own risk"
	case errors.Is(err, migrations.ErrDatabaseAhead):
		return "next: run a newer timetracker that knows these steps, or restore a backup taken before them"
	case errors.Is(err, migrations.ErrNotInitialised):
		return "next: `timetracker db status` says what this database is; `timetracker bootstrap` adopts or converts TimeTracker's own tables and refuses another application's"
	case errors.Is(err, migrations.ErrNotEmpty):
		return "next: db init fills only an empty database; `timetracker db status` says what this one holds"
	}
	return "next: run again with --log-level debug and read the log"
}

// errorLine is the one line printed for a failed command: what happened
// (with, for bootstrap, whether anything changed and where the backup is)
// and what to do next.
func errorLine(err error) string {
	line := oneLine(err.Error())
	if next := nextStep(err); next != "" {
		line += "; " + next
	}
	return line
}
