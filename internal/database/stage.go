// Staged table rebuilds: new tables beside the old, filled, then swapped in
// one transaction.

package database

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

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
	finish(ctx context.Context, tx *gorm.DB, t schema.Table) error
	swap(ctx context.Context, tx *gorm.DB, tables []schema.Table) error
	// expressions
	intervalSeconds(expr string) string
	boolean(expr string) string
	shiftFromUTC(expr string, loc *time.Location, from, to time.Time) string
}

// ErrDependentObjects is returned by Stager.Swap when objects it would
// have to drop with the old tables (views) depend on them.
var ErrDependentObjects = errors.New("other objects depend on the tables")

// NewStager prepares a rebuild inside tx.
func NewStager(ctx context.Context, tx *gorm.DB) (*Stager, error) {
	var impl stagerImpl
	var err error
	switch d := DialectOf(tx); d {
	case Postgres:
		impl, err = newPostgresStager(ctx, tx)
	case SQLite:
		impl, err = newSQLiteStager(ctx, tx)
	default:
		return nil, fmt.Errorf("%w %q", ErrUnknownDialect, d)
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

// Finish indexes a filled staged table (and, on PostgreSQL, adds its
// foreign keys: one validating pass instead of a check per copied row), so
// later tables' lookups into it are fast.
func (s *Stager) Finish(ctx context.Context, t schema.Table) error {
	return s.impl.finish(ctx, s.tx, t)
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

// ShiftFromUTC turns a naive UTC timestamp into the wall time of loc,
// daylight saving time included, for values between from and to.
func (s *Stager) ShiftFromUTC(expr string, loc *time.Location, from, to time.Time) string {
	return s.impl.shiftFromUTC(expr, loc, from, to)
}

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

// offsetSpan is a stretch of UTC time with one UTC offset in a zone.
type offsetSpan struct {
	until  time.Time // exclusive; zero for the last span
	offset int       // seconds east of UTC
}

// offsetSpans lists the zone's offsets between from and to, found by
// stepping an hour at a time (zone transitions fall on whole hours or
// half hours, and none are closer than a day).
func offsetSpans(loc *time.Location, from, to time.Time) []offsetSpan {
	from, to = from.UTC().Truncate(time.Hour), to.UTC().Add(time.Hour)
	_, cur := from.In(loc).Zone()
	var spans []offsetSpan
	for t := from; t.Before(to); t = t.Add(30 * time.Minute) {
		if _, off := t.In(loc).Zone(); off != cur {
			// The change happened in (t-30m, t]; find the exact second.
			lo, hi := t.Add(-30*time.Minute), t
			for hi.Sub(lo) > time.Second {
				mid := lo.Add(hi.Sub(lo) / 2)
				if _, o := mid.In(loc).Zone(); o == cur {
					lo = mid
				} else {
					hi = mid
				}
			}
			spans = append(spans, offsetSpan{until: hi, offset: cur})
			cur = off
		}
	}
	return append(spans, offsetSpan{offset: cur})
}

// sqlShiftCase renders the spans as a CASE over expr; shift(expr, secs)
// renders one addition.
func sqlShiftCase(expr string, spans []offsetSpan, shift func(expr string, secs int) string) string {
	if len(spans) == 1 {
		return shift(expr, spans[0].offset)
	}
	var b strings.Builder
	b.WriteString("(CASE")
	for _, sp := range spans {
		if sp.until.IsZero() {
			fmt.Fprintf(&b, " ELSE %s END)", shift(expr, sp.offset))
			break
		}
		fmt.Fprintf(&b, " WHEN %s < '%s' THEN %s", expr, sp.until.Format("2006-01-02 15:04:05"), shift(expr, sp.offset))
	}
	return b.String()
}
