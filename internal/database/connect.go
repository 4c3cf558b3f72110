// Opening a database and telling a lost connection from a failed statement.

package database

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
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
	// pooler caches ViaPooler's answer: the lock and the backup of one
	// run both ask.
	pooler struct {
		sync.Mutex
		known, via bool
	}
}

// Open connects and checks the connection with a ping. Errors wrap
// ErrUnreachable or ErrRejected; a dialect other than Postgres and SQLite
// also wraps ErrUnknownDialect.
func Open(ctx context.Context, opts Options) (*DB, error) {
	impl, ok := dialects[opts.Dialect]
	if !ok {
		return nil, fmt.Errorf("%w: %w %q", ErrRejected, ErrUnknownDialect, opts.Dialect)
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

// ConnectionLost reports whether err says the connection to the server
// broke while it was in use (the server was stopped or restarted, or the
// network went away), rather than that a statement failed. A transaction
// open at that moment was rolled back by the server.
func ConnectionLost(err error) bool {
	if err == nil {
		return false
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// Class 08: connection exception; 57P01-57P03: the server is
		// shutting down, crashed or restarting.
		return strings.HasPrefix(pgErr.Code, "08") || pgErr.Code == "57P01" || pgErr.Code == "57P02" || pgErr.Code == "57P03"
	}
	var netErr net.Error
	return errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EPIPE) || errors.Is(err, net.ErrClosed) ||
		errors.As(err, &netErr)
}
