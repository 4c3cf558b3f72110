// Detecting transaction pooling (PgBouncer) and the direct URL used around
// it.

package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
)

// ErrTransactionPooling is returned by Lock when the connection goes
// through a pooler (in transaction pooling, or in a mode that cannot be
// proven to keep a client on one server) and no direct URL is set: a
// session advisory lock could stay on a pooled server connection after we
// are gone. Callers switch to the lease lock.
var ErrTransactionPooling = errors.New("the connection goes through transaction pooling")

// ErrNeedsDirect is returned by PgRestore behind transaction pooling without
// a direct URL: pg_restore sets session state (search_path) that would stay
// on a pooled server connection.
var ErrNeedsDirect = errors.New("pg_restore cannot run through transaction pooling; set database-direct-url (TIMETRACKER_DATABASE_DIRECT_URL) to a URL that reaches PostgreSQL without the pooler")

type poolingCache struct {
	once   sync.Once
	pooled bool
	err    error
}

// poolProbeRounds bounds the probe; one round decides it in practice.
const poolProbeRounds = 3

// TransactionPooled reports whether the connection goes through a pooler in
// transaction (or statement) pooling, where consecutive transactions of one
// client may run on different server sessions. It asks once and remembers.
//
// Two client connections ask for their backend pid in turn, each outside a
// transaction. Directly and through session pooling each keeps its own
// backend for its whole life; through transaction pooling a pid changes, or
// both see the same one (PgBouncer hands the server released by one client
// to the next). SQLite is never pooled.
func (d *DB) TransactionPooled(ctx context.Context) (bool, error) {
	if d.Dialect != Postgres {
		return false, nil
	}
	d.pooling.once.Do(func() {
		d.pooling.pooled, d.pooling.err = probeTransactionPooling(ctx, d)
	})
	return d.pooling.pooled, d.pooling.err
}

func probeTransactionPooling(ctx context.Context, d *DB) (bool, error) {
	sqlDB, err := d.Gorm.DB()
	if err != nil {
		return false, err
	}
	a, err := sqlDB.Conn(ctx)
	if err != nil {
		return false, fmt.Errorf("pooling probe: %w", classifyPostgres(err))
	}
	defer a.Close()
	b, err := sqlDB.Conn(ctx)
	if err != nil {
		return false, fmt.Errorf("pooling probe: %w", classifyPostgres(err))
	}
	defer b.Close()
	pid := func(c *sql.Conn) (int64, error) {
		var p int64
		err := c.QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&p)
		return p, err
	}
	var firstA, firstB int64
	for i := 0; i < poolProbeRounds; i++ {
		pa, err := pid(a)
		if err != nil {
			return false, fmt.Errorf("pooling probe: %w", err)
		}
		pb, err := pid(b)
		if err != nil {
			return false, fmt.Errorf("pooling probe: %w", err)
		}
		if i == 0 {
			firstA, firstB = pa, pb
		}
		if pa == pb || pa != firstA || pb != firstB {
			return true, nil
		}
	}
	return false, nil
}

// toolDSN is the URL pg_dump and pg_restore use: the direct one when set.
func (d *DB) toolDSN() string {
	if d.direct != "" {
		return d.direct
	}
	return d.dsn
}

// dumpThroughPool reports why pg_dump must not run on this connection ("" if
// it may): behind transaction pooling it would leave its session settings
// (search_path = ”) on a pooled server connection.
func (d *DB) dumpThroughPool(ctx context.Context) (string, error) {
	if d.direct != "" {
		return "", nil
	}
	pooled, err := d.TransactionPooled(ctx)
	if err != nil || !pooled {
		return "", err
	}
	return "the connection goes through a pooler in transaction pooling, where pg_dump would leave its session settings on a pooled server connection; set database-direct-url to back up with pg_dump", nil
}

// ViaPooler reports whether the connection goes through a pooler of any
// kind: its backend is not the one whose pid the server announced when the
// connection started (a pooler answers the startup with a cancel key of
// its own). Unlike TransactionPooled it cannot be wrong about a pooler,
// which is what the advisory lock needs: whether a pooler in session
// pooling keeps a client on one server cannot be proven by asking.
func (d *DB) ViaPooler(ctx context.Context) (bool, error) {
	if d.Dialect != Postgres {
		return false, nil
	}
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
