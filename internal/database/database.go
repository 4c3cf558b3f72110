// Package database opens TimeTracker's database and hides the differences
// between PostgreSQL and SQLite: connection errors, DDL spelling,
// introspection and locking. Nothing outside this package branches on the
// dialect. One concern a file: connect.go, inspect.go, ddl.go, lock.go,
// backup.go, stage.go and the others hold what both dialects share, and
// postgres_<concern>.go and sqlite_<concern>.go each dialect's part.
package database

import (
	"context"
	"errors"
	"fmt"

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

// ErrUnknownDialect is returned for a dialect other than PostgreSQL and
// SQLite, in Options or behind a GORM handle; nothing was done with the
// database. No code path guesses a dialect.
var ErrUnknownDialect = errors.New("unknown database dialect")

// lookup returns the dialect of a GORM handle, including a transaction
// handed to a migration step.
func lookup(db *gorm.DB) (dialect, error) {
	d := DialectOf(db)
	impl, ok := dialects[d]
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknownDialect, d)
	}
	return impl, nil
}

// of is lookup for the SQL renderers, which return no error: handles come
// from Open, which refuses other dialects, so an unknown one is a
// programming error and panics rather than rendering another dialect's SQL.
func of(db *gorm.DB) dialect {
	impl, err := lookup(db)
	if err != nil {
		panic(err)
	}
	return impl
}

// DialectOf reports the dialect of a GORM handle: GORM's name for it, which
// for the supported dialects is Postgres or SQLite.
func DialectOf(db *gorm.DB) Dialect {
	return Dialect(db.Dialector.Name())
}
