// Estimates of the disk space a change will take, for the preflight check.

package database

import (
	"context"
	"fmt"
)

// Sizes estimates, in bytes, what changing the database will take.
type Sizes struct {
	// Backup is about the size of a backup: the bytes in use of a SQLite
	// file (what VACUUM INTO writes), the tables without their indexes on
	// PostgreSQL (a pg_dump archive holds the rows, compressed, and index
	// definitions only).
	Backup int64
	// Rebuild is about what rebuilding every table takes beside the old
	// ones until the change commits: the bytes in use of a SQLite file, the
	// tables with their indexes on PostgreSQL.
	Rebuild int64
}

// EstimateSizes reads the sizes of the current schema's tables (SQLite: of
// the file) from the catalogue; it reads no rows.
func (d *DB) EstimateSizes(ctx context.Context) (Sizes, error) {
	db := d.Gorm.WithContext(ctx)
	var s Sizes
	if d.Dialect == SQLite {
		var used int64
		err := db.Raw(`SELECT (SELECT page_count FROM pragma_page_count()) - (SELECT freelist_count FROM pragma_freelist_count())`).Scan(&used).Error
		if err != nil {
			return s, fmt.Errorf("estimate size: %w", err)
		}
		var pageSize int64
		if err := db.Raw(`SELECT page_size FROM pragma_page_size()`).Scan(&pageSize).Error; err != nil {
			return s, fmt.Errorf("estimate size: %w", err)
		}
		s.Backup = used * pageSize
		s.Rebuild = s.Backup
		return s, nil
	}
	var row struct{ Tables, Total int64 }
	err := db.Raw(`SELECT COALESCE(SUM(pg_table_size(c.oid)), 0) AS tables, COALESCE(SUM(pg_total_relation_size(c.oid)), 0) AS total
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')`).Scan(&row).Error
	if err != nil {
		return s, fmt.Errorf("estimate size: %w", err)
	}
	s.Backup, s.Rebuild = row.Tables, row.Total
	return s, nil
}
