package database

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/timetracker/timetracker/internal/schema"
)

// Stager rebuilds tables inside one transaction: new versions are created
// beside the old ones (a schema of their own on PostgreSQL, prefixed names
// on SQLite), filled with INSERT ... SELECT from the old ones, then swapped
// into place. Nothing is visible to others until the transaction commits.
type Stager struct {
	tx   *gorm.DB
	impl stagerImpl
}

// stagerImpl is what each dialect file provides.
type stagerImpl interface {
	// newName is how SQL refers to the staged table t.
	newName(t string) string
	// oldName is how SQL refers to the existing table t.
	oldName(t string) string
	create(ctx context.Context, tx *gorm.DB, t schema.Table) error
	swap(ctx context.Context, tx *gorm.DB, tables []schema.Table) error
	// expressions
	intervalSeconds(expr string) string
	boolean(expr string) string
}

// NewStager prepares a rebuild inside tx.
func NewStager(ctx context.Context, tx *gorm.DB) (*Stager, error) {
	var impl stagerImpl
	var err error
	if DialectOf(tx) == Postgres {
		impl, err = newPostgresStager(ctx, tx)
	} else {
		impl, err = newSQLiteStager(ctx, tx)
	}
	if err != nil {
		return nil, fmt.Errorf("prepare rebuild: %w", err)
	}
	return &Stager{tx: tx, impl: impl}, nil
}

// New is the SQL name of the staged version of table t.
func (s *Stager) New(t string) string { return s.impl.newName(t) }

// Old is the SQL name of the existing table t.
func (s *Stager) Old(t string) string { return s.impl.oldName(t) }

// Create creates the staged table (no indexes yet; Swap adds them).
func (s *Stager) Create(ctx context.Context, t schema.Table) error {
	return s.impl.create(ctx, s.tx, t)
}

// Fill copies rows: INSERT INTO New(t) (columns) SELECT exprs FROM from.
func (s *Stager) Fill(t schema.Table, exprs []string, from string) error {
	cols := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		cols[i] = quote(c.Name)
	}
	q := fmt.Sprintf("INSERT INTO %s (%s) SELECT %s FROM %s", s.New(t.Name), join(cols), join(exprs), from)
	if err := s.tx.Exec(q).Error; err != nil {
		return fmt.Errorf("copy %s: %w", t.Name, err)
	}
	return nil
}

// Swap drops the old tables (listed in dependency order; dropped in
// reverse) and puts the staged ones in their place with their indexes.
func (s *Stager) Swap(ctx context.Context, tables []schema.Table) error {
	return s.impl.swap(ctx, s.tx, tables)
}

// IntervalSeconds converts an interval (PostgreSQL) or a DATETIME holding
// one (SQLite, seconds since 1970-01-01) to whole seconds.
func (s *Stager) IntervalSeconds(expr string) string { return s.impl.intervalSeconds(expr) }

// Boolean reads a boolean column, turning SQLite's text 'true'/'false'
// (Alembic 001's rendered server defaults) into 1/0.
func (s *Stager) Boolean(expr string) string { return s.impl.boolean(expr) }

// CastTo casts an expression to the dialect's spelling of a type.
func (s *Stager) CastTo(expr string, t schema.Type) string {
	return fmt.Sprintf("CAST(%s AS %s)", expr, ColumnType(s.tx, t))
}

func quote(name string) string { return `"` + name + `"` }

func join(parts []string) string {
	out := ""
	for i, p := range parts {
		if i > 0 {
			out += ", "
		}
		out += p
	}
	return out
}
