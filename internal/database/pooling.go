// Detecting a pooler (PgBouncer) and the direct URL used around it.

package database

import (
	"context"
	"errors"
	"fmt"
)

// ErrTransactionPooling is returned by Lock when the connection goes
// through a pooler (in transaction pooling, or in a mode that cannot be
// proven to keep a client on one server) and no direct URL is set: a
// session advisory lock could stay on a pooled server connection after we
// are gone. Callers switch to the lease lock.
var ErrTransactionPooling = errors.New("the connection goes through a connection pooler")

// ErrNeedsDirect is returned by PgRestore behind a pooler without a direct
// URL: pg_restore sets session state (search_path) that would stay on a
// pooled server connection in transaction pooling, which cannot be told
// from session pooling by asking.
var ErrNeedsDirect = errors.New("pg_restore cannot run through a connection pooler; set database-direct-url (TIMETRACKER_DATABASE_DIRECT_URL) to a URL that reaches PostgreSQL without the pooler")

// toolDSN is the URL pg_dump and pg_restore use: the direct one when set.
func (d *DB) toolDSN() string {
	if d.direct != "" {
		return d.direct
	}
	return d.dsn
}

// dumpThroughPool reports why pg_dump must not run on this connection ("" if
// it may): behind transaction pooling it would leave its session settings
// (search_path = ”) on a pooled server connection, where the next client
// finds none of its tables. Transaction pooling cannot be told from session
// pooling by asking (a pool that hands the same servers back looks like
// either), so pg_dump runs through no pooler.
func (d *DB) dumpThroughPool(ctx context.Context) (string, error) {
	if d.direct != "" {
		return "", nil
	}
	pooled, err := d.ViaPooler(ctx)
	if err != nil || !pooled {
		return "", err
	}
	return "the connection goes through a pooler (such as PgBouncer), where pg_dump could leave its session settings on a pooled server connection; set database-direct-url to back up with pg_dump", nil
}

// ViaPooler reports whether the connection goes through a pooler of any
// kind: its backend is not the one whose pid the server announced when the
// connection started (a pooler answers the startup with a cancel key of
// its own). It cannot be wrong about a pooler, which is what the advisory
// lock, pg_dump and pg_restore need: whether a pooler in session pooling
// keeps a client on one server cannot be proven by asking. Every connection
// of a DB reaches the same kind of endpoint, so it asks once.
func (d *DB) ViaPooler(ctx context.Context) (bool, error) {
	if d.Dialect != Postgres {
		return false, nil
	}
	d.pooler.Lock()
	defer d.pooler.Unlock()
	if d.pooler.known {
		return d.pooler.via, nil
	}
	via, err := askViaPooler(ctx, d)
	if err == nil {
		d.pooler.known, d.pooler.via = true, via
	}
	return via, err
}

func askViaPooler(ctx context.Context, d *DB) (bool, error) {
	sqlDB, err := d.Gorm.DB()
	if err != nil {
		return false, err
	}
	c, err := sqlDB.Conn(ctx)
	if err != nil {
		return false, fmt.Errorf("pooler check: %w", classifyPostgres(err))
	}
	defer c.Close()
	var pid int64
	if err := c.QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		return false, fmt.Errorf("pooler check: %w", err)
	}
	pc := pgConn(c)
	return pc == nil || int64(pc.PID()) != pid, nil
}
