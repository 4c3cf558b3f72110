package bootstrap

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/schema"
	"github.com/timetracker/timetracker/legacy"
	"github.com/timetracker/timetracker/migrations"
)

// PlanReport is what bootstrap would do to the database, found by doing it
// inside a transaction that Plan rolls back.
type PlanReport struct {
	State    State    `json:"state"`
	Shape    string   `json:"shape,omitempty"`
	Strategy Strategy `json:"strategy"`
	Reason   string   `json:"reason"`
	Advice   string   `json:"advice,omitempty"`
	// Backup is true when bootstrap would back the database up first.
	Backup bool `json:"backup"`
	// Rebuilt lists the tables a conversion rebuilds.
	Rebuilt []string `json:"rebuilt"`
	// Steps are the steps that would be applied, in order.
	Steps []string `json:"steps"`
	// Tables holds the row count of every table before and after.
	Tables         []PlanTable      `json:"tables"`
	ClientsCreated []string         `json:"clients_created"`
	TimersClosed   []int64          `json:"timers_closed"`
	Fills          []PlanFill       `json:"fills"`
	Resolved       []legacy.Applied `json:"resolved"`
	Notes          []string         `json:"notes"`
	// Refusals are the rows the conversion cannot decide, each with its
	// resolution or SQL fix.
	Refusals []legacy.Refusal `json:"refusals"`
	// Refused is the refusal bootstrap would end with ("" if none).
	Refused string `json:"refused,omitempty"`
	// Problems are the differences verification would report afterwards.
	Problems []string `json:"problems"`
	// DurationMS is how long the rehearsal took.
	DurationMS int64 `json:"duration_ms"`
}

// PlanTable is one table's rows before and after (-1: the table is absent).
type PlanTable struct {
	Table  string `json:"table"`
	Before int64  `json:"before"`
	After  int64  `json:"after"`
}

// PlanFill counts, for one baseline column of a rebuilt table, the values
// the rules fill where the legacy row had none, or clear (references to
// rows that do not exist), in the rows that existed before.
type PlanFill struct {
	Table   string `json:"table"`
	Column  string `json:"column"`
	Filled  int64  `json:"filled"`
	Cleared int64  `json:"cleared"`
}

// Err is ErrRefused, with the refusal, when bootstrap would refuse.
func (p PlanReport) Err() error {
	if p.Refused == "" {
		return nil
	}
	return fmt.Errorf("%w: bootstrap would refuse this database (nothing was changed): %s", ErrRefused, p.Refused)
}

// Plan detects the state and runs what bootstrap would run (the
// conversion and the pending steps, or the schema creation) inside one
// transaction that it rolls back: no backup, no lock, nothing kept. Both
// dialects roll DDL back, so the database is left as it was; on PostgreSQL
// the tables stay locked, as during a conversion, until the rollback. The
// returned error is for failures to plan; a refusal is in the report (see
// PlanReport.Err).
func Plan(ctx context.Context, db *database.DB, opts Options) (rep PlanReport, err error) {
	start := time.Now()
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	// The rehearsal's own log lines would read as if it had changed the
	// database ("stopped older running timers"): the report says it instead.
	r := &runner{opts: opts, log: slog.New(slog.DiscardHandler), steps: migrations.Steps(), db: db}
	log.Debug("Rehearsing bootstrap in a transaction that is rolled back", "database", opts.Target)
	rep = PlanReport{Rebuilt: []string{}, Steps: []string{}, Tables: []PlanTable{}, ClientsCreated: []string{},
		TimersClosed: []int64{}, Fills: []PlanFill{}, Resolved: []legacy.Applied{}, Notes: []string{},
		Refusals: []legacy.Refusal{}, Problems: []string{}}
	defer func() { rep.DurationMS = time.Since(start).Milliseconds() }()
	head, err := migrations.HeadSchema()
	if err != nil {
		return rep, err
	}
	snap, det, err := r.detect(ctx)
	if err != nil {
		return rep, err
	}
	rep.State, rep.Shape, rep.Strategy, rep.Reason, rep.Advice = det.State, string(det.Shape), det.Strategy, det.Reason, det.Advice
	switch det.Strategy {
	case StrategyNone:
		rep.Problems = nonNilStrings(Verify(snap, head, r.steps).Problems)
		return rep, nil
	case StrategyCreate, StrategyUpgrade, StrategyAdopt, StrategyConvert:
	default:
		rep.Refused = det.Reason
		if det.Advice != "" {
			rep.Refused += "; " + det.Advice
		}
		return rep, nil
	}
	rep.Backup = det.Strategy != StrategyCreate

	before, err := countAll(ctx, db.Gorm)
	if err != nil {
		return rep, err
	}
	running, err := runningTimers(ctx, db.Gorm)
	if err != nil {
		return rep, err
	}
	tx := db.Gorm.WithContext(ctx).Begin()
	if tx.Error != nil {
		return rep, fmt.Errorf("begin: %w", tx.Error)
	}
	defer tx.Rollback()
	err = r.rehearse(ctx, tx, det, &rep)
	var refusal *legacy.RefusalError
	switch {
	case errors.As(err, &refusal):
		rep.Refusals = refusal.Refusals
		rep.Refused = err.Error()
	case errors.Is(err, legacy.ErrCannotConvert), errors.Is(err, ErrRefused):
		rep.Refused = err.Error()
	case err != nil:
		return rep, err
	}
	after := map[string]int64{}
	if rep.Refused == "" {
		if after, err = countAll(ctx, tx); err != nil {
			return rep, err
		}
		if rep.TimersClosed, err = closedTimers(ctx, tx, running); err != nil {
			return rep, err
		}
		final, err := TakeSnapshot(ctx, tx)
		if err != nil {
			return rep, err
		}
		rep.Problems = nonNilStrings(Verify(final, head, r.steps).Problems)
	}
	rep.Tables = tableCounts(before, after, rep.Refused == "")
	if err := tx.Rollback().Error; err != nil && !errors.Is(err, sql.ErrTxDone) {
		return rep, fmt.Errorf("roll back: %w", err)
	}
	return rep, nil
}

// rehearse runs the strategy inside tx.
func (r *runner) rehearse(ctx context.Context, tx *gorm.DB, det Detection, rep *PlanReport) error {
	m := migrations.New(tx, r.steps, migrations.Options{Version: r.opts.Version, Logger: r.log})
	var base schema.Schema
	var counted []tableNulls
	switch det.Strategy {
	case StrategyCreate:
		err := m.InitFresh(ctx, func(tx *gorm.DB) error {
			if err := migrations.CreateFromModels(tx); err != nil {
				return err
			}
			return seed(tx, r.opts.Seed, time.Now())
		})
		if err != nil {
			return err
		}
		for _, s := range r.steps {
			rep.Steps = append(rep.Steps, s.ID)
		}
		return nil
	case StrategyAdopt:
		if err := m.Stamp(ctx, tx, []string{migrations.BaselineID}, migrations.KindBaselined, time.Now()); err != nil {
			return fmt.Errorf("stamp baseline: %w", err)
		}
	case StrategyConvert:
		old, err := database.Introspect(ctx, tx)
		if err != nil {
			return err
		}
		if base, err = migrations.BaselineSchema(); err != nil {
			return err
		}
		for _, bt := range base.Tables {
			rep.Rebuilt = append(rep.Rebuilt, bt.Name)
			if ot, ok := old.Table(bt.Name); ok {
				nc, err := nullCounts(ctx, tx, bt, ot, -1)
				if err != nil {
					return err
				}
				counted = append(counted, nc)
			}
		}
		conv, err := r.convertIn(ctx, tx, m, time.Now())
		if err != nil {
			return err
		}
		rep.ClientsCreated = nonNilStrings(conv.ClientsCreated)
		rep.Notes = nonNilStrings(conv.Notes)
		if conv.Resolved != nil {
			rep.Resolved = conv.Resolved
		}
		rep.Steps = append(rep.Steps, migrations.BaselineID)
	}
	res, err := m.Upgrade(ctx, migrations.UpgradeOptions{})
	for _, s := range res {
		rep.Steps = append(rep.Steps, s.ID)
	}
	if err != nil {
		return err
	}
	if len(counted) > 0 {
		// After every step, so a step's fills count too.
		fills, err := countFills(ctx, tx, base, counted)
		if err != nil {
			return err
		}
		rep.Fills = fills
	}
	return nil
}

// countAll counts the rows of every table.
func countAll(ctx context.Context, g *gorm.DB) (map[string]int64, error) {
	tables, err := database.ListTables(ctx, g)
	if err != nil {
		return nil, err
	}
	return database.RowCounts(ctx, g, tables)
}

// tableCounts merges the counts; a table absent on one side shows -1.
func tableCounts(before, after map[string]int64, ran bool) []PlanTable {
	names := map[string]bool{}
	for t := range before {
		names[t] = true
	}
	for t := range after {
		names[t] = true
	}
	out := []PlanTable{}
	for t := range names {
		pt := PlanTable{Table: t, Before: -1, After: -1}
		if n, ok := before[t]; ok {
			pt.Before = n
		}
		if n, ok := after[t]; ok {
			pt.After = n
		}
		if !ran {
			pt.After = pt.Before
		}
		out = append(out, pt)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Table < out[j].Table })
	return out
}

// runningTimers are the ids of time entries without an end, in whichever
// column the layout keeps it.
func runningTimers(ctx context.Context, g *gorm.DB) (map[int64]bool, error) {
	out := map[int64]bool{}
	var end string
	for _, col := range []string{"end_time", "end_utc"} {
		ok, err := database.HasColumn(ctx, g, "time_entries", col)
		if err != nil {
			return nil, err
		}
		if ok {
			end = col
			break
		}
	}
	if end == "" {
		return out, nil
	}
	var ids []int64
	if err := g.WithContext(ctx).Raw(`SELECT id FROM time_entries WHERE "` + end + `" IS NULL`).Scan(&ids).Error; err != nil {
		return nil, err
	}
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// closedTimers are the running timers that have an end afterwards.
func closedTimers(ctx context.Context, tx *gorm.DB, running map[int64]bool) ([]int64, error) {
	closed := []int64{}
	if len(running) == 0 {
		return closed, nil
	}
	still, err := runningTimers(ctx, tx)
	if err != nil {
		return nil, err
	}
	for id := range running {
		if !still[id] {
			closed = append(closed, id)
		}
	}
	sort.Slice(closed, func(i, j int) bool { return closed[i] < closed[j] })
	return closed, nil
}

// tableNulls is how many rows of a table hold NULL in each column (an
// absent column counts as all NULL), among rows with id <= maxID.
type tableNulls struct {
	table string
	rows  int64
	maxID int64
	nulls map[string]int64
}

// nullCounts counts, in one scan, the NULLs of every baseline column of a
// table as it is now (have: its present shape), among rows with id <=
// maxID (all rows when maxID < 0).
func nullCounts(ctx context.Context, tx *gorm.DB, bt schema.Table, have *schema.Table, maxID int64) (tableNulls, error) {
	tn := tableNulls{table: bt.Name, nulls: map[string]int64{}}
	exprs := []string{"count(*)", "COALESCE(MAX(id), 0)"}
	var cols []string
	for _, col := range bt.Columns {
		if col.PrimaryKey || !have.HasColumn(col.Name) {
			continue
		}
		cols = append(cols, col.Name)
		exprs = append(exprs, fmt.Sprintf(`SUM(CASE WHEN "%s" IS NULL THEN 1 ELSE 0 END)`, col.Name))
	}
	q := fmt.Sprintf(`SELECT %s FROM "%s"`, strings.Join(exprs, ", "), bt.Name)
	if maxID >= 0 {
		q += fmt.Sprintf(" WHERE id <= %d", maxID)
	}
	vals := make([]*int64, len(exprs))
	ptrs := make([]any, len(exprs))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := tx.WithContext(ctx).Raw(q).Row().Scan(ptrs...); err != nil {
		return tn, fmt.Errorf("count values of %s: %w", bt.Name, err)
	}
	tn.rows, tn.maxID = deref(vals[0]), deref(vals[1])
	for _, col := range bt.Columns {
		if !col.PrimaryKey {
			tn.nulls[col.Name] = tn.rows // absent: every row lacks a value
		}
	}
	for i, c := range cols {
		tn.nulls[c] = deref(vals[i+2])
	}
	return tn, nil
}

// countFills compares the NULLs of every baseline column in the legacy
// rows before and after: fewer NULLs are values a rule filled, more are
// values a rule cleared (orphan references). Rows added by the conversion
// (created clients, a settings row) are left out by id.
func countFills(ctx context.Context, tx *gorm.DB, base schema.Schema, before []tableNulls) ([]PlanFill, error) {
	out := []PlanFill{}
	now, err := database.Introspect(ctx, tx)
	if err != nil {
		return nil, err
	}
	for _, b := range before {
		bt, ok := base.Table(b.table)
		if !ok || b.rows == 0 {
			continue
		}
		have, ok := now.Table(b.table)
		if !ok {
			continue
		}
		a, err := nullCounts(ctx, tx, *bt, have, b.maxID)
		if err != nil {
			return nil, err
		}
		for _, col := range bt.Columns {
			if col.PrimaryKey {
				continue
			}
			d := b.nulls[col.Name] - a.nulls[col.Name]
			switch {
			case d > 0:
				out = append(out, PlanFill{Table: b.table, Column: col.Name, Filled: d})
			case d < 0:
				out = append(out, PlanFill{Table: b.table, Column: col.Name, Cleared: -d})
			}
		}
	}
	return out, nil
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
