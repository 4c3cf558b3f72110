// The lease lock: a row in a table, for connections that cannot hold a
// session lock.

package database

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"github.com/timetracker/timetracker/internal/schema"
)

// LeaseTable holds the lease lock: one row while an instance migrates.
const LeaseTable = "timetracker_lock"

// leaseTTL is how long a lease lasts unless renewed; a holder that dies
// blocks others for at most this long.
const leaseTTL = 30 * time.Second

var timestampType = schema.Type{Kind: schema.Timestamp}

// LockLease takes the migration lock as a lease row with an expiry, for
// connections that cannot hold a session lock (PgBouncer in transaction
// pooling). Every statement commits on its own. The lease is renewed in the
// background until released. Expiry uses the instances' clocks, which must
// agree to within a few seconds.
func (d *DB) LockLease(ctx context.Context, opts LockOptions) (func() error, error) {
	if err := d.createLeaseTable(ctx); err != nil {
		return nil, fmt.Errorf("create %s: %w", LeaseTable, err)
	}
	holder := leaseHolderID()
	l := &lease{db: d.Gorm, id: holder, interval: opts.interval()}
	if err := acquire(ctx, l, opts); err != nil {
		if errors.Is(err, errWaitedOut) {
			return nil, fmt.Errorf("%w after %s: %s", ErrLockTimeout, opts.Timeout, l.holder(ctx))
		}
		return nil, err
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(leaseTTL / 3)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				now := time.Now().UTC()
				d.Gorm.Exec(`UPDATE `+LeaseTable+` SET expires_at = ? WHERE name = 'migrate' AND holder = ?`, now.Add(leaseTTL), holder)
			}
		}
	}()
	return func() error {
		close(stop)
		wg.Wait()
		return d.Gorm.Exec(`DELETE FROM `+LeaseTable+` WHERE name = 'migrate' AND holder = ?`, holder).Error
	}, nil
}

// lease is the lease lock as acquire waits for it: polled, one statement
// a try.
type lease struct {
	db       *gorm.DB
	id       string
	interval time.Duration
}

// try inserts the lease, or takes over an expired one; RETURNING yields a
// row only when it did.
func (l *lease) try(ctx context.Context) (bool, error) {
	now := time.Now().UTC()
	var got []string
	err := l.db.WithContext(ctx).Raw(`INSERT INTO `+LeaseTable+` (name, holder, acquired_at, expires_at) VALUES ('migrate', ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, acquired_at = excluded.acquired_at, expires_at = excluded.expires_at
		WHERE `+LeaseTable+`.expires_at < ? RETURNING holder`, l.id, now, now.Add(leaseTTL), now).Scan(&got).Error
	if err != nil {
		return false, fmt.Errorf("take lease: %w", err)
	}
	return len(got) == 1 && got[0] == l.id, nil
}

func (l *lease) wait(ctx context.Context, d time.Duration) (bool, error) {
	if d <= 0 {
		return false, nil
	}
	select {
	case <-ctx.Done():
		return false, ctx.Err()
	case <-time.After(min(l.interval, d)):
		return true, nil
	}
}

func (l *lease) holder(ctx context.Context) string {
	var current struct {
		Holder    string
		ExpiresAt time.Time
	}
	err := l.db.WithContext(ctx).Raw(`SELECT holder, expires_at FROM ` + LeaseTable + ` WHERE name = 'migrate'`).Scan(&current).Error
	if err != nil || current.Holder == "" {
		return "lease held by another instance"
	}
	return fmt.Sprintf("lease held by %s until %s", current.Holder, current.ExpiresAt.UTC().Format(time.RFC3339))
}

func leaseHolderID() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s:%d:%s", host, os.Getpid(), hex.EncodeToString(b))
}

// leaseCreateKey serialises the creation of the lease table ("TTLK" in
// ASCII); a transaction-level advisory lock ends with its transaction, so it
// is safe behind transaction pooling.
const leaseCreateKey = 0x54544C4B

// createLeaseTable creates the lease table unless it exists. In PostgreSQL
// CREATE TABLE IF NOT EXISTS is not safe under concurrency: two sessions
// both see no table and one fails on the unique index of pg_type. Creation
// is serialised under a transaction-level advisory lock, and a duplicate
// error from a session that does not take that lock (an older program)
// means the table is there. SQLite serialises writers itself.
func (d *DB) createLeaseTable(ctx context.Context) error {
	db := d.Gorm.WithContext(ctx)
	if ok, err := HasTable(ctx, db, LeaseTable); err != nil || ok {
		return err
	}
	create := fmt.Sprintf(`CREATE TABLE IF NOT EXISTS %s (
		name VARCHAR(64) NOT NULL PRIMARY KEY,
		holder VARCHAR(255) NOT NULL,
		acquired_at %s NOT NULL,
		expires_at %s NOT NULL)`, LeaseTable, d.impl.columnType(timestampType), d.impl.columnType(timestampType))
	if d.Dialect != Postgres {
		return db.Exec(create).Error
	}
	err := db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec("SELECT pg_advisory_xact_lock(?)", int64(leaseCreateKey)).Error; err != nil {
			return err
		}
		return tx.Exec(create).Error
	})
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && (pgErr.Code == "23505" || pgErr.Code == "42P07" || pgErr.Code == "42710") {
		return nil // unique_violation on pg_type, duplicate_table, duplicate_object: created meanwhile
	}
	return err
}
