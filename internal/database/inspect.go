// Reading the schema of the database: tables, columns, indexes, triggers.

package database

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"

	"github.com/timetracker/timetracker/internal/schema"
)

// ListTables lists the base tables of the current schema (PostgreSQL) or the
// file (SQLite, without its internal sqlite_ tables), sorted.
func ListTables(ctx context.Context, db *gorm.DB) ([]string, error) {
	impl, err := lookup(db)
	if err != nil {
		return nil, err
	}
	return impl.listTables(ctx, db)
}

// Introspect reads every table of the current schema with its columns,
// indexes and foreign keys, in a fixed number of catalogue queries.
func Introspect(ctx context.Context, db *gorm.DB) (schema.Schema, error) {
	impl, err := lookup(db)
	if err != nil {
		return schema.Schema{}, err
	}
	s, err := impl.introspect(ctx, db)
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
	impl, err := lookup(db)
	if err != nil {
		return false, err
	}
	cols, err := impl.listColumns(ctx, db, table)
	if err != nil {
		return false, err
	}
	return slices.Contains(cols, column), nil
}

// HasIndex reports whether the table has an index of that name.
func HasIndex(ctx context.Context, db *gorm.DB, table, index string) (bool, error) {
	impl, err := lookup(db)
	if err != nil {
		return false, err
	}
	names, err := impl.listIndexes(ctx, db, table)
	if err != nil {
		return false, err
	}
	return slices.Contains(names, index), nil
}

// ListTriggers lists trigger names of the current schema, sorted; legacy
// PostgreSQL databases carry TimeTracker's update_<table>_updated_at ones.
func ListTriggers(ctx context.Context, db *gorm.DB) ([]string, error) {
	impl, err := lookup(db)
	if err != nil {
		return nil, err
	}
	return impl.listTriggers(ctx, db)
}

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

// readTables reads the columns of reads whose tables s holds, in one
// statement (a union): nil for a table s does not hold.
func readTables(ctx context.Context, db *gorm.DB, s schema.Schema, reads []TableRead) ([][]string, error) {
	out := make([][]string, len(reads))
	var parts []string
	for i, r := range reads {
		if s.HasTable(r.Table) {
			out[i] = []string{}
			parts = append(parts, fmt.Sprintf(`SELECT %d, CAST("%s" AS text) FROM "%s"`, i, r.Column, r.Table))
		}
	}
	if len(parts) == 0 {
		return out, nil
	}
	rows, err := db.Statement.ConnPool.QueryContext(ctx, strings.Join(parts, " UNION ALL "))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", readNames(reads, s), err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			i int
			v *string
		)
		if err := rows.Scan(&i, &v); err != nil {
			return nil, err
		}
		out[i] = append(out[i], deref(v))
	}
	return out, rows.Err()
}

// readNames lists the tables of reads that s holds, for an error.
func readNames(reads []TableRead, s schema.Schema) string {
	var names []string
	for _, r := range reads {
		if s.HasTable(r.Table) {
			names = append(names, r.Table)
		}
	}
	return strings.Join(names, ", ")
}
