// Package database opens TimeTracker's database and hides the differences
// between PostgreSQL and SQLite: connection errors, DDL spelling,
// introspection and locking. Nothing outside this package branches on the
// dialect; each dialect lives in its own file.
package database

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"

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

// Options says how to open a database.
type Options struct {
	Dialect Dialect
	// DSN is a PostgreSQL URL (postgres://...) or a SQLite file path or
	// ":memory:".
	DSN string
	// ConnectTimeout bounds one connection attempt.
	ConnectTimeout time.Duration
	// ReadOnly never creates a SQLite file: an absent one is inspected as an
	// empty in-memory database. An existing file is opened read-write so a
	// hot journal left by a killed writer can be rolled back. Without it, a
	// PostgreSQL standby is refused (ErrStandby).
	ReadOnly bool
	// DirectDSN reaches the same PostgreSQL database without a pooler; pg_dump,
	// pg_restore and the advisory lock use it when set.
	DirectDSN string
	// Logger receives SQL statements at debug level; nil discards them.
	Logger *slog.Logger
	// GormLogger replaces the statement logger entirely (tests count queries).
	GormLogger logger.Interface
}

// DB is an open database.
type DB struct {
	Gorm    *gorm.DB
	Dialect Dialect
	// Path is the SQLite file ("" for PostgreSQL and in-memory databases).
	Path string
	// Server is the address the first connection reached (PostgreSQL:
	// host:port or the socket file), for the log and db status.
	Server string
	// Standby is true when that server is a read-only standby.
	Standby bool
	dsn     string
	direct  string
	impl    dialect
	pooling poolingCache
}

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
	introspect(ctx context.Context, db *gorm.DB) (schema.Schema, error)
	lock(ctx context.Context, d *DB, opts LockOptions) (func() error, error)
}

var dialects = map[Dialect]dialect{
	Postgres: postgresDialect{},
	SQLite:   sqliteDialect{},
}

// Open connects and checks the connection with a ping. Errors wrap
// ErrUnreachable or ErrRejected.
func Open(ctx context.Context, opts Options) (*DB, error) {
	impl, ok := dialects[opts.Dialect]
	if !ok {
		return nil, fmt.Errorf("%w: unsupported dialect %q", ErrRejected, opts.Dialect)
	}
	if opts.ConnectTimeout <= 0 {
		opts.ConnectTimeout = 5 * time.Second
	}
	g, path, err := impl.open(ctx, opts)
	if err != nil {
		return nil, err
	}
	d := &DB{Gorm: g, Dialect: opts.Dialect, Path: path, dsn: opts.DSN, direct: opts.DirectDSN, impl: impl}
	if opts.Dialect == Postgres {
		if err := checkPostgres(ctx, d, opts); err != nil {
			_ = d.Close()
			return nil, err
		}
	}
	return d, nil
}

// Exists returns an error wrapping ErrNoDatabase when the database was
// opened read-only on a SQLite file that does not exist (and is inspected
// as an empty in-memory database instead).
func (d *DB) Exists() error {
	if d.Dialect == SQLite && d.Path == "" && d.dsn != MemoryPath && d.dsn != "" {
		return fmt.Errorf("%w: no SQLite database at %s", ErrNoDatabase, d.dsn)
	}
	return nil
}

// Close closes every connection.
func (d *DB) Close() error {
	sqlDB, err := d.Gorm.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// gormConfig is shared by both dialects: quiet unless asked.
func gormConfig(opts Options) *gorm.Config {
	l := opts.GormLogger
	if l == nil {
		l = logger.Discard
		if opts.Logger != nil {
			l = slogLogger{log: opts.Logger}
		}
	}
	return &gorm.Config{
		Logger:                 l,
		SkipDefaultTransaction: true,
		// Open pings once itself, with the connect timeout.
		DisableAutomaticPing:                     true,
		DisableForeignKeyConstraintWhenMigrating: true,
	}
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

// ListTables lists the base tables of the current schema (PostgreSQL) or the
// file (SQLite, without its internal sqlite_ tables), sorted.
func ListTables(ctx context.Context, db *gorm.DB) ([]string, error) {
	return of(db).listTables(ctx, db)
}

// Introspect reads every table of the current schema with its columns,
// indexes and foreign keys, in a fixed number of catalogue queries.
func Introspect(ctx context.Context, db *gorm.DB) (schema.Schema, error) {
	s, err := of(db).introspect(ctx, db)
	if err != nil {
		return schema.Schema{}, fmt.Errorf("introspect: %w", err)
	}
	s.Sort()
	return s, nil
}

// HasTable reports whether the current schema has the table.
func HasTable(ctx context.Context, db *gorm.DB, table string) (bool, error) {
	tables, err := ListTables(ctx, db)
	if err != nil {
		return false, err
	}
	return slices.Contains(tables, table), nil
}

// HasColumn reports whether the table has the column (false if the table
// does not exist).
func HasColumn(ctx context.Context, db *gorm.DB, table, column string) (bool, error) {
	cols, err := of(db).listColumns(ctx, db, table)
	if err != nil {
		return false, err
	}
	return slices.Contains(cols, column), nil
}

// HasIndex reports whether the table has an index of that name.
func HasIndex(ctx context.Context, db *gorm.DB, table, index string) (bool, error) {
	names, err := of(db).listIndexes(ctx, db, table)
	if err != nil {
		return false, err
	}
	return slices.Contains(names, index), nil
}

// ListTriggers lists trigger names of the current schema, sorted; legacy
// PostgreSQL databases carry TimeTracker's update_<table>_updated_at ones.
func ListTriggers(ctx context.Context, db *gorm.DB) ([]string, error) {
	return of(db).listTriggers(ctx, db)
}
