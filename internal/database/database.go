// Package database opens TimeTracker's database and hides the differences
// between PostgreSQL and SQLite: connection errors, DDL spelling,
// introspection and locking. Nothing outside this package branches on the
// dialect; each dialect lives in its own file.
package database

import (
	"context"
	"errors"

	"gorm.io/gorm"

	"github.com/timetracker/timetracker/internal/schema"
)

// Dialect names a supported database.
type Dialect string

// The supported dialects.
const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

var (
	// ErrUnreachable is returned by Open when the database cannot be reached
	// yet (connection refused, host not resolvable, server starting up);
	// waiting may help.
	ErrUnreachable = errors.New("database unreachable")
	// ErrRejected is returned by Open when the server answered but refused us
	// (wrong password, unknown database or role), or the SQLite file cannot
	// be used (not a database, directory not writable); waiting will not help.
	ErrRejected = errors.New("database rejected the connection")
	// ErrLockTimeout is returned by Lock when another process held the
	// migration lock for the whole wait.
	ErrLockTimeout = errors.New("timed out waiting for the migration lock")
)

// dialect is what each dialect file implements.
type dialect interface {
	open(ctx context.Context, opts Options) (*gorm.DB, string, error)
	columnType(t schema.Type) string
	defaultValue(c schema.Column) string
	primaryKey(c schema.Column) string
	listTables(ctx context.Context, db *gorm.DB) ([]string, error)
	listColumns(ctx context.Context, db *gorm.DB, table string) ([]string, error)
	listIndexes(ctx context.Context, db *gorm.DB, table string) ([]string, error)
	listTriggers(ctx context.Context, db *gorm.DB) ([]string, error)
	backup(ctx context.Context, d *DB, req BackupRequest) (BackupResult, error)
	restore(ctx context.Context, d *DB, kind BackupKind, location string) (string, error)
	introspect(ctx context.Context, db *gorm.DB) (schema.Schema, error)
	lock(ctx context.Context, d *DB, opts LockOptions) (func() error, error)
}

var dialects = map[Dialect]dialect{
	Postgres: postgresDialect{},
	SQLite:   sqliteDialect{},
}

// of returns the dialect of a GORM handle, including a transaction handed to
// a migration step.
func of(db *gorm.DB) dialect {
	if db.Dialector.Name() == "postgres" {
		return postgresDialect{}
	}
	return sqliteDialect{}
}

// DialectOf reports the dialect of a GORM handle.
func DialectOf(db *gorm.DB) Dialect {
	if db.Dialector.Name() == "postgres" {
		return Postgres
	}
	return SQLite
}
