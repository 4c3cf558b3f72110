// PostgreSQL: opening the connection pool, checking the server it reached,
// and classifying connection errors.

package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"

	"github.com/timetracker/timetracker/internal/redact"
)

type postgresDialect struct{}

func (postgresDialect) open(ctx context.Context, opts Options) (*gorm.DB, string, error) {
	sqlDB, err := openPostgresPool(opts.DSN, opts.ConnectTimeout)
	if err != nil {
		return nil, "", err
	}
	// The simple protocol is set on the pool: a short-lived process gains
	// nothing from prepared statements, and PgBouncer in transaction pooling
	// cannot keep them.
	g, err := gorm.Open(postgres.New(postgres.Config{Conn: sqlDB}), gormConfig(opts))
	if err != nil {
		_ = sqlDB.Close()
		return nil, "", classifyPostgres(err)
	}
	sqlDB.SetMaxOpenConns(4)
	sqlDB.SetMaxIdleConns(2)
	return g, "", nil
}

// ErrInvalidParams is returned by Open when the driver cannot use the URL's
// parameters (an unknown sslmode, an sslrootcert file that does not exist):
// a configuration error that waiting cannot heal.
var ErrInvalidParams = errors.New("invalid database URL parameters")

// ErrStandby is returned (wrapped with ErrUnreachable, so that a wait
// retries: a standby may be promoted) by Open when a connection that must
// write lands on a read-only standby.
var ErrStandby = errors.New("database is a read-only standby")

// openPostgresPool parses the URL with the driver first, so that a
// malformed parameter is a configuration error and never a connection
// attempt; it adds a connect timeout and an application name (so a lock
// holder can be named) unless the URL sets them.
func openPostgresPool(dsn string, timeout time.Duration) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		// The parse error quotes the URL; keep only what it found wrong.
		var pce *pgconn.ParseConfigError
		if errors.As(err, &pce) && pce.Unwrap() != nil {
			err = pce.Unwrap()
		}
		return nil, fmt.Errorf("%w: %v", ErrInvalidParams, err)
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = max(timeout.Round(time.Second), time.Second)
	}
	if cfg.RuntimeParams["application_name"] == "" {
		cfg.RuntimeParams["application_name"] = "timetracker"
	}
	cfg.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	return stdlib.OpenDB(*cfg, pingOnlyIdle()...), nil
}

// checkPostgres pings on one connection, notes the server address it
// reached and whether that server is a standby, which a connection that
// must write refuses.
func checkPostgres(ctx context.Context, d *DB, opts Options) error {
	sqlDB, err := d.Gorm.DB()
	if err != nil {
		return classifyPostgres(err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, opts.ConnectTimeout)
	defer cancel()
	conn, err := sqlDB.Conn(pingCtx)
	if err != nil {
		return classifyPostgres(err)
	}
	defer conn.Close()
	var hotStandby string
	d.Server, hotStandby = remoteAddr(conn)
	switch hotStandby {
	case "on", "off":
		// PostgreSQL 14 and later report in_hot_standby when the session
		// starts: no round trip on every start.
		d.Standby = hotStandby == "on"
	default:
		// Older servers, and poolers that do not pass the report on.
		if err := conn.QueryRowContext(pingCtx, "SELECT pg_is_in_recovery()").Scan(&d.Standby); err != nil {
			return classifyPostgres(err)
		}
	}
	if d.Standby && !opts.ReadOnly {
		return fmt.Errorf("%w: %w (%s, pg_is_in_recovery() is true; it may yet be promoted): to reach the primary, list every node in the URL with target_session_attrs=read-write",
			ErrUnreachable, ErrStandby, d.Server)
	}
	return nil
}

// remoteAddr is the address a pooled connection reached (host:port, or the
// socket file) and the server's in_hot_standby report ("" when it sent
// none).
func remoteAddr(conn *sql.Conn) (addr, hotStandby string) {
	if pc := pgConn(conn); pc != nil {
		addr = pc.Conn().RemoteAddr().String()
		hotStandby = pc.ParameterStatus("in_hot_standby")
	}
	return addr, hotStandby
}

// pgConn is the driver connection under conn, nil if it is not pgx's.
func pgConn(conn *sql.Conn) *pgconn.PgConn {
	var pc *pgconn.PgConn
	_ = conn.Raw(func(dc any) error {
		if c, ok := dc.(*stdlib.Conn); ok {
			pc = c.Conn().PgConn()
		}
		return nil
	})
	return pc
}

// classifyPostgres sorts connection errors into those that waiting can heal
// and those it cannot. The driver's messages name user and database but
// never the password.
func classifyPostgres(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "57P03", "53300": // cannot_connect_now (starting up), too_many_connections
			return fmt.Errorf("%w: %s", ErrUnreachable, pgErr.Message)
		case "28P01", "28000":
			return fmt.Errorf("%w: authentication failed: %s", ErrRejected, pgErr.Message)
		case "3D000":
			return fmt.Errorf("%w: %s", ErrRejected, pgErr.Message)
		}
		return fmt.Errorf("%w: %s (SQLSTATE %s)", ErrRejected, pgErr.Message, pgErr.Code)
	}
	var netErr net.Error
	var dnsErr *net.DNSError
	switch {
	case errors.As(err, &dnsErr):
		return fmt.Errorf("%w: host %s not found", ErrUnreachable, dnsErr.Name)
	case errors.As(err, &netErr), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%w: %s", ErrUnreachable, shortError(err))
	}
	msg := err.Error()
	if strings.Contains(msg, "connection refused") || strings.Contains(msg, "i/o timeout") || strings.Contains(msg, "no such host") ||
		strings.Contains(msg, "no such file or directory") && strings.Contains(msg, ".s.PGSQL.") {
		return fmt.Errorf("%w: %s", ErrUnreachable, shortError(err))
	}
	return fmt.Errorf("%w: %s", ErrRejected, shortError(err))
}

// shortError keeps the last, most specific part of a driver error chain,
// without any secret the driver quoted from its configuration.
func shortError(err error) string {
	msg := redact.String(err.Error())
	if i := strings.LastIndex(msg, "): "); i >= 0 {
		msg = msg[i+3:]
	}
	return msg
}

// pingOnlyIdle makes the driver ping a pooled connection before reuse only
// when it sat idle for over a second, as by default. The driver counts a
// connection never reused as idle since forever, so the connection Open
// has just pinged would be pinged again: its idle time counts from when it
// connected instead.
func pingOnlyIdle() []stdlib.OptionOpenDB {
	var connected sync.Map // *pgx.Conn -> time.Time, until its first reuse
	return []stdlib.OptionOpenDB{
		stdlib.OptionAfterConnect(func(_ context.Context, c *pgx.Conn) error {
			connected.Store(c, time.Now())
			return nil
		}),
		stdlib.OptionShouldPing(func(_ context.Context, p stdlib.ShouldPingParams) bool {
			if at, ok := connected.LoadAndDelete(p.Conn); ok {
				return time.Since(at.(time.Time)) > time.Second
			}
			return p.IdleDuration > time.Second
		}),
	}
}
