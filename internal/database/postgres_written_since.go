// PostgreSQL: which rows were written since a transaction, by their xmin.

package database

import (
	"context"
	"fmt"
	"slices"

	"gorm.io/gorm"
)

// postgresOldestRunning is the oldest transaction still running, as the
// 32-bit xid a row's xmin holds (txid values carry an epoch above it).
// Every transaction that commits from now on has this xid or a later one.
func postgresOldestRunning(ctx context.Context, db *gorm.DB) (uint32, error) {
	var x int64
	err := db.WithContext(ctx).Raw("SELECT txid_snapshot_xmin(txid_current_snapshot()) % 4294967296").Scan(&x).Error
	return uint32(x), err
}

// postgresWrittenSince tells whether a visible row of a table of the
// current schema, skip aside, was written by transaction xid or a later
// one: age() counts back from now, so a smaller or equal age is as new or
// newer. Rows frozen by an older server have the age INT_MAX: not written.
func postgresWrittenSince(ctx context.Context, db *gorm.DB, xid uint32, skip []string) (bool, error) {
	tables, err := ListTables(ctx, db)
	if err != nil {
		return false, err
	}
	for _, t := range tables {
		if slices.Contains(skip, t) {
			continue
		}
		var written bool
		q := fmt.Sprintf(`SELECT EXISTS (SELECT 1 FROM %s WHERE age(xmin) <= age('%d'::xid))`, quote(t), xid)
		if err := db.WithContext(ctx).Raw(q).Scan(&written).Error; err != nil {
			return false, fmt.Errorf("scan %s: %w", t, err)
		}
		if written {
			return true, nil
		}
	}
	return false, nil
}
