package migrations

import "errors"

var (
	// ErrDatabaseAhead is returned by Migrator.Upgrade, Downgrade and
	// InitFresh when the database records step IDs this program does not
	// know: it was migrated by a newer version.
	ErrDatabaseAhead = errors.New("database is newer than this program")
	// ErrUnknownStep is returned by Migrator.Upgrade and Downgrade when --to
	// names no known step.
	ErrUnknownStep = errors.New("unknown step")
	// ErrBelowBaseline is returned by Migrator.Downgrade for a target before
	// the baseline, and by the baseline's Rollback.
	ErrBelowBaseline = errors.New("cannot roll back below the baseline")
	// ErrNotEmpty is returned by Migrator.InitFresh when the database already
	// has tables.
	ErrNotEmpty = errors.New("database is not empty")
	// ErrNotInitialised is returned by Migrator.Upgrade and Downgrade when the
	// database has no version table (use init or bootstrap first).
	ErrNotInitialised = errors.New("database has no version table")
)
