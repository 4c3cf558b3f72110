package database

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/timetracker/timetracker/internal/schema"
)

// TableRead names one column of a small table to read along with the
// catalogue (a version table, say).
type TableRead struct {
	Table, Column string
}

// IntrospectWith is Introspect plus the values, as text, of each read
// column, in the order of reads: nil for a table that does not exist. On
// PostgreSQL, outside a transaction, it all takes one round trip; a
// no-op start spends most of its time on these reads.
func IntrospectWith(ctx context.Context, db *gorm.DB, reads ...TableRead) (schema.Schema, [][]string, error) {
	var (
		s    schema.Schema
		rows [][]string
		err  error
	)
	if pg, ok := of(db).(postgresDialect); ok {
		s, rows, err = pg.introspectWith(ctx, db, reads)
	} else {
		if s, err = of(db).introspect(ctx, db); err == nil {
			rows, err = readTables(ctx, db, s, reads)
		}
	}
	if err != nil {
		return schema.Schema{}, nil, fmt.Errorf("introspect: %w", err)
	}
	s.Sort()
	return s, rows, nil
}

// readTables reads each column of reads whose table s holds, one query
// each.
func readTables(ctx context.Context, db *gorm.DB, s schema.Schema, reads []TableRead) ([][]string, error) {
	out := make([][]string, len(reads))
	for i, r := range reads {
		if !s.HasTable(r.Table) {
			continue
		}
		vals := []string{}
		if err := db.WithContext(ctx).Table(r.Table).Select(fmt.Sprintf(`CAST("%s" AS TEXT)`, r.Column)).Scan(&vals).Error; err != nil {
			return nil, fmt.Errorf("read %s: %w", r.Table, err)
		}
		out[i] = vals
	}
	return out, nil
}
