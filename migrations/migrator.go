package migrations

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"

	"github.com/timetracker/timetracker/internal/database"
)

// Options configures a Migrator.
type Options struct {
	// Version is the program version written into the history.
	Version string
	// Logger receives one line per step; nil discards.
	Logger *slog.Logger
}

// Migrator applies and reports steps on one database.
type Migrator struct {
	db    *gorm.DB
	steps []*Step
	opts  Options
}

// New returns a Migrator for db over steps (normally Steps()).
func New(db *gorm.DB, steps []*Step, opts Options) *Migrator {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Version == "" {
		opts.Version = "dev"
	}
	return &Migrator{db: db, steps: steps, opts: opts}
}

// Steps returns the steps this migrator knows.
func (m *Migrator) Steps() []*Step { return m.steps }

// StepStatus is one known step and what the database says of it.
type StepStatus struct {
	ID          string
	Description string
	Alembic     string
	Applied     bool
	// Last is the newest history record for the step, if any.
	Last *HistoryRecord
}

// Status is the version state of a database.
type Status struct {
	// Tables lists every table in the current schema.
	Tables []string
	// Initialised is true when the step table exists.
	Initialised bool
	// Steps lists every known step, in order. Current leaves it nil when
	// exactly the first steps are applied; Pending and AppliedCount work
	// either way.
	Steps []StepStatus
	// Unknown lists applied IDs this program does not know, sorted.
	Unknown []string
	// Current is the last applied known step ("" for none).
	Current string
	Head    string
	// prefix, set by Current instead of Steps: the known steps, of which
	// the first applied are applied and no other.
	prefix  []*Step
	applied int
}

// Pending returns the known steps not yet applied, in order.
func (s Status) Pending() []StepStatus {
	var out []StepStatus
	if s.Steps == nil {
		for _, st := range s.prefix[s.applied:] {
			out = append(out, StepStatus{ID: st.ID, Description: st.Description, Alembic: st.Alembic})
		}
		return out
	}
	for _, st := range s.Steps {
		if !st.Applied {
			out = append(out, st)
		}
	}
	return out
}

// AppliedCount returns how many known steps are applied.
func (s Status) AppliedCount() int {
	if s.Steps == nil {
		return s.applied
	}
	n := 0
	for _, st := range s.Steps {
		if st.Applied {
			n++
		}
	}
	return n
}

// AtHead reports whether every known step is applied and nothing unknown is.
func (s Status) AtHead() bool {
	return s.Initialised && len(s.Unknown) == 0 && len(s.Pending()) == 0
}

// Status reads the version state in two queries whatever the number of
// steps: the table list, then the applied step IDs. StepStatus.Last stays
// nil; History fills it.
func (m *Migrator) Status(ctx context.Context) (Status, error) {
	return m.status(ctx, false)
}

// Current is Status for `db current`, reading one aggregate row instead of
// every applied ID: step IDs sort by time, so when the highest applied ID is
// known and the count matches its position, exactly the steps up to it are
// applied. Anything else (holes, unknown IDs) falls back to Status. Its
// cost does not grow with the history: MAX and COUNT each in their own
// subquery, so that SQLite answers both from the index without reading
// rows, and no per-step list (Steps stays nil).
func (m *Migrator) Current(ctx context.Context) (Status, error) {
	db := m.db.WithContext(ctx)
	tables, err := database.ListTables(ctx, db)
	if err != nil {
		return Status{}, fmt.Errorf("list tables: %w", err)
	}
	if !slices.Contains(tables, TableName) {
		return m.Status(ctx)
	}
	var agg struct {
		MaxID *string
		N     int
	}
	if err := db.Raw("SELECT (SELECT MAX(id) FROM " + TableName + ") AS max_id, (SELECT COUNT(*) FROM " + TableName + ") AS n").Scan(&agg).Error; err != nil {
		return Status{}, fmt.Errorf("read %s: %w", TableName, err)
	}
	idx := -1
	if agg.MaxID != nil {
		idx = Index(m.steps, *agg.MaxID)
	}
	if agg.MaxID == nil || idx < 0 || agg.N != idx+1 {
		return m.Status(ctx)
	}
	return Status{Tables: tables, Initialised: true, Head: Head(m.steps), Current: *agg.MaxID, prefix: m.steps, applied: idx + 1}, nil
}

// History is Status with each step's newest history record, still in two
// queries: the table list, then step IDs joined with their newest record.
func (m *Migrator) History(ctx context.Context) (Status, error) {
	return m.status(ctx, true)
}

func (m *Migrator) status(ctx context.Context, withHistory bool) (Status, error) {
	db := m.db.WithContext(ctx)
	tables, err := database.ListTables(ctx, db)
	if err != nil {
		return Status{}, fmt.Errorf("list tables: %w", err)
	}
	st := Status{Tables: tables, Head: Head(m.steps)}
	st.Initialised = slices.Contains(tables, TableName)
	applied := map[string]bool{}
	last := map[string]*HistoryRecord{}
	if st.Initialised {
		if withHistory && slices.Contains(tables, HistoryTableName) {
			applied, last, err = readWithHistory(db)
		} else {
			applied, err = readApplied(db)
		}
		if err != nil {
			return Status{}, fmt.Errorf("read %s: %w", TableName, err)
		}
	}
	known := make(map[string]bool, len(m.steps))
	for _, s := range m.steps {
		known[s.ID] = true
		ss := StepStatus{ID: s.ID, Description: s.Description, Alembic: s.Alembic, Applied: applied[s.ID], Last: last[s.ID]}
		if ss.Applied {
			st.Current = s.ID
		}
		st.Steps = append(st.Steps, ss)
	}
	for id := range applied {
		if !known[id] {
			st.Unknown = append(st.Unknown, id)
		}
	}
	sort.Strings(st.Unknown)
	return st, nil
}

func readApplied(db *gorm.DB) (map[string]bool, error) {
	var ids []string
	if err := db.Table(TableName).Pluck("id", &ids).Error; err != nil {
		return nil, err
	}
	applied := make(map[string]bool, len(ids))
	for _, id := range ids {
		applied[id] = true
	}
	return applied, nil
}

// readWithHistory returns applied IDs and the newest history row of every
// ID that has one, in a single query.
func readWithHistory(db *gorm.DB) (map[string]bool, map[string]*HistoryRecord, error) {
	// Scanned by hand: GORM's reflection costs more than the query itself
	// once the history holds hundreds of steps.
	rows, err := db.Raw(`SELECT ids.id, ids.applied, h.kind, h.started_at, h.duration_ms, h.success, h.program_version, h.error
		FROM (SELECT u.id AS id, MAX(u.applied) AS applied FROM (
				SELECT id, 1 AS applied FROM ` + TableName + `
				UNION ALL
				SELECT migration_id, 0 FROM ` + HistoryTableName + `) u
			GROUP BY u.id) ids
		LEFT JOIN (SELECT migration_id, MAX(id) AS last_id FROM ` + HistoryTableName + ` GROUP BY migration_id) lh
			ON lh.migration_id = ids.id
		LEFT JOIN ` + HistoryTableName + ` h ON h.id = lh.last_id`).Rows()
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	applied := map[string]bool{}
	last := map[string]*HistoryRecord{}
	for rows.Next() {
		var (
			id                   string
			isApplied            int
			kind, version, errTx sql.NullString
			started              sql.NullTime
			duration             sql.NullInt64
			success              sql.NullBool
		)
		if err := rows.Scan(&id, &isApplied, &kind, &started, &duration, &success, &version, &errTx); err != nil {
			return nil, nil, err
		}
		if isApplied == 1 {
			applied[id] = true
		}
		if !kind.Valid {
			continue
		}
		last[id] = &HistoryRecord{
			MigrationID: id, Kind: kind.String, StartedAt: started.Time.UTC(), DurationMS: duration.Int64,
			Success: success.Bool, ProgramVersion: version.String, Error: errTx.String,
		}
	}
	return applied, last, rows.Err()
}

// StepResult reports one step run by Upgrade or Downgrade.
type StepResult struct {
	ID       string
	Kind     string
	Duration time.Duration
}

// UpgradeOptions selects what Upgrade runs.
type UpgradeOptions struct {
	// To stops after this step ID ("" = head).
	To string
	// DryRun returns what would run and changes nothing.
	DryRun bool
	// OnStep is called after each step that succeeded.
	OnStep func(StepResult)
}

// Upgrade applies pending steps in order, each step, its history row and
// the alembic_version mirror in one transaction. On a database without any
// table it creates the version tables and replays every step from the
// baseline. It checks ctx between steps, never inside one.
func (m *Migrator) Upgrade(ctx context.Context, opts UpgradeOptions) ([]StepResult, error) {
	st, err := m.Status(ctx)
	if err != nil {
		return nil, err
	}
	if len(st.Unknown) > 0 {
		return nil, fmt.Errorf("%w: it records step %s", ErrDatabaseAhead, strings.Join(st.Unknown, ", "))
	}
	if !st.Initialised && len(st.Tables) > 0 {
		return nil, fmt.Errorf("%w: found tables %s but no %s; nothing was changed; `timetracker db plan` shows what `timetracker bootstrap` would do with it (convert or adopt)", ErrNotInitialised, strings.Join(st.Tables, ", "), TableName)
	}
	last := len(m.steps) - 1
	if opts.To != "" {
		if last = Index(m.steps, opts.To); last < 0 {
			return nil, fmt.Errorf("%w %q", ErrUnknownStep, opts.To)
		}
	}
	var todo []*Step
	for i, s := range m.steps {
		if i <= last && !st.Steps[i].Applied {
			todo = append(todo, s)
		}
	}
	var results []StepResult
	if opts.DryRun {
		for _, s := range todo {
			results = append(results, StepResult{ID: s.ID, Kind: KindApplied})
		}
		return results, nil
	}
	if len(todo) == 0 {
		return nil, nil
	}
	if !st.Initialised {
		if err := EnsureVersionTables(ctx, m.db.WithContext(ctx)); err != nil {
			return nil, err
		}
	}
	g := m.gormigrate(ctx)
	for _, s := range todo {
		if err := ctx.Err(); err != nil {
			return results, err
		}
		if err := m.canBegin(ctx); err != nil {
			return results, fmt.Errorf("step %s not started: %w", s.ID, err)
		}
		start := time.Now()
		if err := noPanic(func() error { return g.MigrateTo(s.ID) }); err != nil {
			m.recordFailure(ctx, s.ID, KindApplied, start, err)
			if errors.Is(err, gormigrate.ErrUnknownPastMigration) {
				err = ErrDatabaseAhead
			}
			return results, fmt.Errorf("step %s: %w", s.ID, err)
		}
		r := StepResult{ID: s.ID, Kind: KindApplied, Duration: time.Since(start)}
		m.opts.Logger.Debug("applied step", "step", s.ID, "duration", r.Duration.Round(time.Millisecond))
		results = append(results, r)
		if opts.OnStep != nil {
			opts.OnStep(r)
		}
	}
	return results, nil
}

// PlanDowngrade checks a downgrade to step to against the status st, and
// returns the index of to and how many applied steps would be rolled back.
// Callers check it before backing up, so that a downgrade that cannot run
// takes no backup.
func (m *Migrator) PlanDowngrade(st Status, to string) (target, n int, err error) {
	target = Index(m.steps, to)
	if target < 0 {
		return -1, 0, fmt.Errorf("%w %q", ErrUnknownStep, to)
	}
	if base := Index(m.steps, BaselineID); base >= 0 && target < base {
		return -1, 0, fmt.Errorf("%w: %s is before %s", ErrBelowBaseline, to, BaselineID)
	}
	if !st.Initialised {
		return -1, 0, ErrNotInitialised
	}
	if len(st.Unknown) > 0 {
		return -1, 0, fmt.Errorf("%w: it records step %s", ErrDatabaseAhead, strings.Join(st.Unknown, ", "))
	}
	for i := target + 1; i < len(m.steps) && i < len(st.Steps); i++ {
		if st.Steps[i].Applied {
			n++
		}
	}
	return target, n, nil
}

// Downgrade runs the Rollback of every applied step after to, newest first,
// each in its own transaction. It never goes below the baseline.
func (m *Migrator) Downgrade(ctx context.Context, to string, onStep func(StepResult)) ([]StepResult, error) {
	st, err := m.Status(ctx)
	if err != nil {
		return nil, err
	}
	target, _, err := m.PlanDowngrade(st, to)
	if err != nil {
		return nil, err
	}
	g := m.gormigrate(ctx)
	var results []StepResult
	for i := len(m.steps) - 1; i > target; i-- {
		if !st.Steps[i].Applied {
			continue
		}
		if err := ctx.Err(); err != nil {
			return results, err
		}
		s := m.steps[i]
		if err := m.canBegin(ctx); err != nil {
			return results, fmt.Errorf("roll back %s not started: %w", s.ID, err)
		}
		start := time.Now()
		if err := noPanic(func() error { return g.RollbackMigration(m.wrap(ctx, i)) }); err != nil {
			m.recordFailure(ctx, s.ID, KindRolledBack, start, err)
			return results, fmt.Errorf("roll back %s: %w", s.ID, err)
		}
		st.Steps[i].Applied = false
		r := StepResult{ID: s.ID, Kind: KindRolledBack, Duration: time.Since(start)}
		m.opts.Logger.Debug("rolled back step", "step", s.ID, "duration", r.Duration.Round(time.Millisecond))
		results = append(results, r)
		if onStep != nil {
			onStep(r)
		}
	}
	return results, nil
}

// InitFresh builds an empty database in one transaction: the version
// tables, then create (the schema from the models), then every step
// recorded as applied with kind "initialised" and the alembic mirror at head.
func (m *Migrator) InitFresh(ctx context.Context, create func(tx *gorm.DB) error) error {
	st, err := m.Status(ctx)
	if err != nil {
		return err
	}
	if len(st.Unknown) > 0 {
		return fmt.Errorf("%w: it records step %s", ErrDatabaseAhead, strings.Join(st.Unknown, ", "))
	}
	if others := appTables(st.Tables); len(others) > 0 || st.AppliedCount() > 0 {
		return fmt.Errorf("%w: found tables %s", ErrNotEmpty, strings.Join(st.Tables, ", "))
	}
	start := time.Now()
	return m.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := EnsureVersionTables(ctx, tx); err != nil {
			return err
		}
		if err := create(tx); err != nil {
			return fmt.Errorf("create schema: %w", err)
		}
		return m.record(ctx, tx, IDs(m.steps), KindInitialised, start)
	})
}

// Stamp records ids as applied with the given kind (KindBaselined for an
// adopted database) inside the caller's transaction, and points the alembic
// mirror at the last of them.
func (m *Migrator) Stamp(ctx context.Context, tx *gorm.DB, ids []string, kind string, start time.Time) error {
	if err := EnsureVersionTables(ctx, tx); err != nil {
		return err
	}
	return m.record(ctx, tx, ids, kind, start)
}

func (m *Migrator) record(ctx context.Context, tx *gorm.DB, ids []string, kind string, start time.Time) error {
	if err := insertIDs(tx, ids); err != nil {
		return fmt.Errorf("record steps: %w", err)
	}
	dur := time.Since(start).Milliseconds()
	recs := make([]HistoryRecord, 0, len(ids))
	for _, id := range ids {
		recs = append(recs, HistoryRecord{MigrationID: id, Kind: kind, StartedAt: start, DurationMS: dur, Success: true, ProgramVersion: m.opts.Version})
	}
	if err := insertHistory(tx, recs); err != nil {
		return fmt.Errorf("record history: %w", err)
	}
	if len(ids) == 0 {
		return nil
	}
	return setAlembicMirror(ctx, tx, m.alembicFor(ids[len(ids)-1]))
}

// alembicFor returns the mirror revision of the newest step at or before id
// that declares one.
func (m *Migrator) alembicFor(id string) string {
	for i := Index(m.steps, id); i >= 0; i-- {
		if m.steps[i].Alembic != "" {
			return m.steps[i].Alembic
		}
	}
	return ""
}

// gormigrate returns a gormigrate instance over the wrapped steps.
// canBegin opens and closes a transaction. gormigrate does not check that
// the transaction it begins for a step exists: when it cannot (a SQLite
// file another connection is writing, a server gone), the driver then
// panics. Beginning first reports why instead.
func (m *Migrator) canBegin(ctx context.Context) error {
	if _, inTx := m.db.Statement.ConnPool.(gorm.TxCommitter); inTx {
		return nil // running inside a transaction of the caller (db plan): nothing to begin
	}
	tx := m.db.WithContext(context.WithoutCancel(ctx)).Begin()
	if tx.Error != nil {
		return fmt.Errorf("begin a transaction: %w", tx.Error)
	}
	return tx.Rollback().Error
}

// noPanic turns a panic of gormigrate or the driver (see canBegin, for
// what changed in between) into an error.
func noPanic(f func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("the step's transaction failed: %v", p)
		}
	}()
	return f()
}

func (m *Migrator) gormigrate(ctx context.Context) *gormigrate.Gormigrate {
	// Steps run to completion once started: a cancelled context would only
	// roll back half a step. Cancellation is checked between steps instead.
	db := m.db.WithContext(context.WithoutCancel(ctx))
	list := make([]*gormigrate.Migration, len(m.steps))
	for i := range m.steps {
		list[i] = m.wrap(ctx, i)
	}
	// A migrator over a transaction (db plan runs every step inside one it
	// rolls back) cannot begin another: the steps then share the caller's.
	_, inTx := m.db.Statement.ConnPool.(gorm.TxCommitter)
	return gormigrate.New(db, &gormigrate.Options{
		TableName:                 TableName,
		IDColumnName:              "id",
		IDColumnSize:              255,
		UseTransaction:            !inTx,
		ValidateUnknownMigrations: true,
	}, list)
}

// wrap adds, inside the step's transaction, its history row and the
// alembic_version mirror.
func (m *Migrator) wrap(ctx context.Context, i int) *gormigrate.Migration {
	s := m.steps[i]
	ctx = withLogger(context.WithoutCancel(ctx), m.opts.Logger)
	w := &gormigrate.Migration{ID: s.ID}
	w.Migrate = func(tx *gorm.DB) error {
		start := time.Now()
		tx = tx.WithContext(ctx)
		if err := s.Migrate(tx); err != nil {
			return err
		}
		rec := HistoryRecord{MigrationID: s.ID, Kind: KindApplied, StartedAt: start, DurationMS: time.Since(start).Milliseconds(), Success: true, ProgramVersion: m.opts.Version}
		if err := insertHistory(tx, []HistoryRecord{rec}); err != nil {
			return err
		}
		return setAlembicMirror(ctx, tx, m.alembicFor(s.ID))
	}
	if s.Rollback != nil {
		w.Rollback = func(tx *gorm.DB) error {
			start := time.Now()
			tx = tx.WithContext(ctx)
			if err := s.Rollback(tx); err != nil {
				return err
			}
			rec := HistoryRecord{MigrationID: s.ID, Kind: KindRolledBack, StartedAt: start, DurationMS: time.Since(start).Milliseconds(), Success: true, ProgramVersion: m.opts.Version}
			if err := insertHistory(tx, []HistoryRecord{rec}); err != nil {
				return err
			}
			prev := ""
			if i > 0 {
				prev = m.alembicFor(m.steps[i-1].ID)
			}
			return setAlembicMirror(ctx, tx, prev)
		}
	}
	return w
}

// recordFailure writes a failed attempt outside the rolled-back transaction.
func (m *Migrator) recordFailure(ctx context.Context, id, kind string, start time.Time, stepErr error) {
	db := m.db.WithContext(context.WithoutCancel(ctx))
	rec := HistoryRecord{MigrationID: id, Kind: kind, StartedAt: start, DurationMS: time.Since(start).Milliseconds(), Success: false, ProgramVersion: m.opts.Version, Error: stepErr.Error()}
	if err := insertHistory(db, []HistoryRecord{rec}); err != nil {
		m.opts.Logger.Warn("could not record failed step in history", "step", id, "error", err)
	}
}

// appTables returns the tables that are not version bookkeeping.
func appTables(tables []string) []string {
	var out []string
	for _, t := range tables {
		if t != TableName && t != HistoryTableName && t != AlembicTableName && t != LockTableName {
			out = append(out, t)
		}
	}
	return out
}

type loggerKey struct{}

func withLogger(ctx context.Context, l *slog.Logger) context.Context {
	return context.WithValue(ctx, loggerKey{}, l)
}

// stepLogger returns the migrator's logger inside a step.
func stepLogger(tx *gorm.DB) *slog.Logger {
	if tx.Statement != nil && tx.Statement.Context != nil {
		if l, ok := tx.Statement.Context.Value(loggerKey{}).(*slog.Logger); ok {
			return l
		}
	}
	return slog.New(slog.DiscardHandler)
}
