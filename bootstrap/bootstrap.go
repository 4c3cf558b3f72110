package bootstrap

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/schema"
	"github.com/timetracker/timetracker/legacy"
	"github.com/timetracker/timetracker/migrations"
)

// Options configure Run.
type Options struct {
	// Version is the program version, recorded in history and manifests.
	Version string
	// Target names the database for the log, password masked.
	Target string
	Wait   WaitOptions
	// CreateMissing lets a legacy conversion create missing core tables.
	CreateMissing bool
	// Resolve holds the opt-in resolutions for rows the conversion rules
	// cannot decide (docs/plan.md); none by default.
	Resolve legacy.Resolutions
	// UTCShift shifts S1 timer rows from UTC to the app zone (settings.timezone
	// of the database, else TZ).
	UTCShift bool
	TZ       string
	// LockMode is LockAdvisory (also when empty), LockLease (a row with an
	// expiry, for PgBouncer in transaction pooling) or LockNone.
	LockMode    LockMode
	LockTimeout time.Duration
	// BackupDir receives backups taken before changing an existing database.
	BackupDir     string
	BackupKeep    int
	AllowNoBackup bool
	Seed          SeedOptions
	Logger        *slog.Logger
}

// Result reports what Run found and did.
type Result struct {
	Detection Detection
	// FastPath is true when the database was already at head and verified
	// without taking the lock.
	FastPath bool
	Applied  []migrations.StepResult
	Backup   *Manifest
	Verify   VerifyReport
	// Conversion reports a legacy conversion, if one ran.
	Conversion *legacy.Report
}

// Run brings the database to head: wait, detect (and return at once when
// it is already at head), lock, detect again, back up what exists, apply
// the strategy, verify. It refuses, changing nothing, every state it cannot
// handle. Errors are *PartialError wrapping the sentinels of errors.go or
// of the database and migrations packages.
func Run(ctx context.Context, open func(context.Context) (*database.DB, error), opts Options) (Result, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	r := &runner{opts: opts, log: log, steps: migrations.Steps()}
	res, err := r.run(ctx, open)
	if err != nil && ctx.Err() != nil && !errors.Is(err, ctx.Err()) && !errors.Is(err, ErrInterrupted) {
		// A signal's cancellation can surface as the driver's own error (the
		// connection it dropped mid-statement): still an interruption.
		err = fmt.Errorf("%w: %w", ctx.Err(), err)
	}
	if err != nil && ctx.Err() == nil && !errors.Is(err, database.ErrUnreachable) && database.ConnectionLost(err) {
		// The server went away mid-run: a reason to check it and start
		// again, like a server that was never reachable.
		err = fmt.Errorf("%w: the connection was lost: %w", database.ErrUnreachable, err)
	}
	if err != nil {
		pe := &PartialError{Done: r.done, Failed: r.phase, Err: err, Changes: r.changes}
		if res.Backup != nil {
			pe.Backup = res.Backup.Location
		}
		return res, pe
	}
	return res, nil
}

type runner struct {
	opts  Options
	log   *slog.Logger
	steps []*migrations.Step
	db    *database.DB
	snap  Snapshot
	// waited and waitedReport are what ended a lock wait early.
	waited       Detection
	waitedReport VerifyReport
	phase        Phase
	done         []Phase
	// changes lists what was committed, for the error of a later failure.
	changes []string
	// prechecked marks where the database stood when the conversion's
	// refusal checks passed before the backup.
	prechecked *precheckMark
}

func (r *runner) enter(p Phase) {
	if r.phase != "" {
		r.done = append(r.done, r.phase)
	}
	r.phase = p
}

func (r *runner) run(ctx context.Context, open func(context.Context) (*database.DB, error)) (res Result, err error) {
	head, err := migrations.HeadSchema()
	if err != nil {
		return res, err
	}
	if err := r.opts.Seed.Validate(head); err != nil {
		return res, err
	}
	r.enter(PhaseWait)
	r.log.Info("Waiting for database to be available...", "database", r.opts.Target)
	db, err := Wait(ctx, open, r.opts.Wait, r.log)
	if err != nil {
		return res, err
	}
	defer db.Close()
	// The manifest of the backup taken before the change records how the
	// change ended; retention relies on it.
	defer func() { Settle(ctx, db, r.opts.BackupDir, res.Backup, err, r.log) }()
	r.db = db
	if db.Server != "" {
		r.log.Info("✓ Database is available", "dialect", string(db.Dialect), "server", db.Server)
	} else {
		r.log.Info("✓ Database is available", "dialect", string(db.Dialect))
	}

	r.enter(PhaseDetect)
	r.log.Info("Analyzing database state...")
	snap, det, err := r.detect(ctx)
	if err != nil {
		return res, err
	}
	if det.State == StateMigrated {
		// Fast path: at head already and verified from the same snapshot, no
		// lock. The snapshot's reads are not one transaction, so a replica
		// upgrading meanwhile can make it inconsistent: anything short of a
		// clean verification goes the slow way, under the lock.
		if rep := Verify(snap, head, r.steps); rep.OK() {
			res.Detection, res.FastPath = det, true
			r.logDetection(det)
			return res, r.report(ctx, rep, &res)
		}
	}

	r.enter(PhaseLock)
	unlock, err := r.lock(ctx, head)
	if errors.Is(err, database.ErrLockAbandoned) {
		// Another instance finished while we waited: at head and verified.
		res.Detection, res.FastPath = r.waited, true
		r.logDetection(r.waited)
		return res, r.report(ctx, r.waitedReport, &res)
	}
	if err != nil {
		return res, err
	}
	defer func() {
		if err := unlock(); err != nil {
			r.log.Warn("releasing the migration lock failed", "error", err)
		}
	}()
	r.enter(PhaseDetect)
	// Another instance may have done the work while we waited for the lock.
	if _, det, err = r.detect(ctx); err != nil {
		return res, err
	}
	res.Detection = det
	r.logDetection(det)

	m := migrations.New(db.Gorm, r.steps, migrations.Options{Version: r.opts.Version, Logger: r.log})
	switch det.Strategy {
	case StrategyNone:
	case StrategyCreate:
		r.enter(PhaseMigrate)
		start := time.Now()
		err := m.InitFresh(ctx, func(tx *gorm.DB) error {
			if err := migrations.CreateFromModels(tx); err != nil {
				return err
			}
			return seed(tx, r.opts.Seed, time.Now())
		})
		if err != nil {
			return res, err
		}
		r.changes = append(r.changes, "created the schema")
		r.log.Info("Created the schema from the models and recorded every step", "steps", len(r.steps), "admins", len(r.opts.Seed.Admins), "duration", time.Since(start))
	case StrategyUpgrade, StrategyAdopt:
		if err := r.backup(ctx, det, &res); err != nil {
			return res, err
		}
		r.enter(PhaseMigrate)
		if det.Strategy == StrategyAdopt {
			start := time.Now()
			err := db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
				return m.Stamp(ctx, tx, []string{migrations.BaselineID}, migrations.KindBaselined, start)
			})
			if err != nil {
				return res, fmt.Errorf("stamp baseline: %w", err)
			}
			r.changes = append(r.changes, "recorded the baseline")
			r.log.Info("Adopted the database: it matches the baseline; recorded "+migrations.BaselineID, "duration", time.Since(start))
		}
		if err := r.applyPending(ctx, m, &res); err != nil {
			return res, err
		}
	case StrategyConvert:
		if err := r.precheck(ctx); err != nil {
			return res, err
		}
		if err := r.backup(ctx, det, &res); err != nil {
			return res, err
		}
		r.enter(PhaseMigrate)
		if err := r.convert(ctx, m, &res); err != nil {
			return res, err
		}
		if err := r.applyPending(ctx, m, &res); err != nil {
			return res, err
		}
	default:
		msg := det.Reason
		if det.Advice != "" {
			msg += "; " + det.Advice
		}
		return res, fmt.Errorf("%w: %s", ErrRefused, msg)
	}

	r.enter(PhaseVerify)
	snap, err = TakeSnapshot(ctx, db.Gorm)
	if err != nil {
		return res, err
	}
	r.snap = snap
	return res, r.verify(ctx, snap, head, &res)
}

// applyPending runs the pending steps, each in its own transaction; a
// signal stops it between steps.
func (r *runner) applyPending(ctx context.Context, m *migrations.Migrator, res *Result) error {
	applied, err := m.Upgrade(ctx, migrations.UpgradeOptions{OnStep: func(s migrations.StepResult) {
		r.changes = append(r.changes, "applied "+s.ID)
		r.log.Info("Applied step "+s.ID, "duration", s.Duration)
	}})
	res.Applied = applied
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("%w by a signal between steps", ErrInterrupted)
	}
	return err
}

func (r *runner) detect(ctx context.Context) (Snapshot, Detection, error) {
	snap, det, err := r.session().detect(ctx)
	if err != nil {
		return snap, Detection{}, fmt.Errorf("cannot read the database state: %w", err)
	}
	r.snap = snap
	return snap, det, nil
}

// session is the Session holding the policy Run shares with the db
// commands (bounded reads, detection, lock, backup before a change).
func (r *runner) session() *Session { return session(r.db, r.opts, r.log, r.steps) }

// read runs reads that come before the migration lock (or need none) so
// that none waits longer than lock-timeout, logging what they wait for.
func (r *runner) read(ctx context.Context, f func(db *gorm.DB) error) error {
	return r.session().read(ctx, f)
}

func (r *runner) logDetection(det Detection) {
	state := string(det.State)
	if det.Shape != "" {
		state = string(det.Shape)
	}
	r.log.Info(fmt.Sprintf("Detected database state: '%s'", state), "reason", det.Reason)
	r.log.Info(fmt.Sprintf("Selected migration strategy: '%s'", det.Strategy))
}

func (r *runner) lock(ctx context.Context, head schema.Schema) (func() error, error) {
	lo := database.LockOptions{
		Timeout: r.opts.LockTimeout,
		OnBusy: func() {
			r.log.Info("Waiting for the migration lock held by another instance")
		},
		// Looked up only for a wait longer than a replica's.
		OnWait: func(holder string) {
			r.log.Info("Still waiting for the migration lock", "holder", holder)
		},
		// Replicas starting together need not take the lock in turn only
		// to find the work done: when the holder releases, look whether it
		// is.
		Abandon: func() bool {
			// A cheap probe first: until the version table holds every
			// step (the holder failed, or a lease is still held), the full
			// snapshot is not worth its catalogue queries.
			var n int64
			err := r.session().readOne(ctx, func(db *gorm.DB) error {
				counts, err := database.RowCounts(db.Statement.Context, db, []string{migrations.TableName})
				n = counts[migrations.TableName]
				return err
			})
			if err != nil || n < int64(len(r.steps)) {
				return false
			}
			snap, det, err := r.detect(ctx)
			if err != nil || det.State != StateMigrated {
				return false
			}
			rep := Verify(snap, head, r.steps)
			if !rep.OK() {
				return false
			}
			r.waited, r.waitedReport = det, rep
			return true
		},
	}
	return r.session().lockWith(ctx, lo)
}

// LeaseSwitchNote is logged when advisory mode meets a pooler.
// Switching (rather than refusing) keeps replicas that share one
// configuration starting; every one of them detects the pooler alike.
const LeaseSwitchNote = "The connection goes through a pooler (such as PgBouncer), " +
	"where a session advisory lock could stay on a pooled server connection: using the lease lock instead. " +
	"Set lock-mode=lease to say so, or database-direct-url to keep the advisory lock on a direct connection"

func (r *runner) backup(ctx context.Context, det Detection, res *Result) error {
	r.enter(PhaseBackup)
	m, err := r.session().BackupBeforeChange(ctx, ChangeBackup{
		State: string(det.State), VersionBefore: versionOf(r.snap, r.steps, det), Rebuild: det.Strategy == StrategyConvert,
	})
	if err != nil {
		return err
	}
	res.Backup = m
	return nil
}

func (r *runner) verify(ctx context.Context, snap Snapshot, head schema.Schema, res *Result) error {
	return r.report(ctx, Verify(snap, head, r.steps), res)
}

// report logs a verification and turns its problems into the error.
func (r *runner) report(ctx context.Context, rep VerifyReport, res *Result) error {
	r.enter(PhaseVerify)
	r.log.Info("Verifying database integrity...")
	res.Verify = rep
	if !rep.OK() {
		for _, p := range rep.Problems {
			r.log.Error("schema difference: " + p)
		}
		return rep.Err()
	}
	r.log.Info("✓ Database integrity verified")
	r.reportDuplicateSeeds(ctx)
	return nil
}

// reportDuplicateSeeds warns about what several TimeTracker releases left
// behind: more than one settings row (the app reads an undefined one of
// them) and repeated 'General' projects. Nothing is deleted.
func (r *runner) reportDuplicateSeeds(ctx context.Context) {
	if r.snap.SettingsRows < 2 {
		return
	}
	var rows []struct {
		ID        int64
		UpdatedAt *string
	}
	err := r.read(ctx, func(db *gorm.DB) error {
		return db.Raw("SELECT id, CAST(updated_at AS TEXT) AS updated_at FROM settings ORDER BY id").Scan(&rows).Error
	})
	if err != nil {
		r.log.Warn("could not check settings for duplicate rows", "error", err)
		return
	}
	if len(rows) < 2 {
		return
	}
	var parts []string
	for _, row := range rows {
		at := "NULL"
		if row.UpdatedAt != nil {
			at = *row.UpdatedAt
		}
		parts = append(parts, fmt.Sprintf("id %d (updated %s)", row.ID, at))
	}
	r.log.Warn("settings has more than one row; TimeTracker reads one of them without an order. Keep the one you use and delete the others by hand",
		"rows", strings.Join(parts, ", "))
}

// versionOf names the version a database was at, for the backup manifest:
// the last applied known step, else the Alembic revision, else "none".
func versionOf(snap Snapshot, steps []*migrations.Step, det Detection) string {
	applied := map[string]bool{}
	for _, id := range snap.MigrationIDs {
		applied[id] = true
	}
	v := ""
	for _, s := range steps {
		if applied[s.ID] {
			v = s.ID
		}
	}
	switch {
	case v != "":
		return v
	case det.Alembic != "":
		return "alembic " + det.Alembic
	}
	return "none"
}

// convert rebuilds a legacy or Alembic-managed database into the baseline
// and records the baseline in the same transaction: killed at any point, the
// database is either untouched or converted and stamped.
func (r *runner) convert(ctx context.Context, m *migrations.Migrator, res *Result) error {
	start := time.Now()
	var rep legacy.Report
	err := r.db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		rep, err = r.convertIn(ctx, tx, m, start)
		return err
	})
	if err != nil {
		return convertError(err)
	}
	res.Conversion = &rep
	r.changes = append(r.changes, "converted the tables to the baseline")
	for _, t := range rep.Tables {
		r.log.Info("Converted table "+t.Table, "rows_before", t.Before, "rows_after", t.After)
	}
	if n := len(rep.ClientsCreated); n > 0 {
		names := rep.ClientsCreated
		more := ""
		if n > 20 {
			names, more = names[:20], fmt.Sprintf(" and %d more", n-20)
		}
		r.log.Info("Created clients from project client names", "count", n, "names", strings.Join(names, ", ")+more)
	}
	for _, n := range rep.Notes {
		r.log.Info("Conversion note: " + n)
	}
	for _, a := range rep.Resolved {
		r.log.Info("Applied resolution "+a.Class, "rows_updated", a.Updated, "placeholders", strings.Join(a.Created, "; "))
	}
	r.log.Info("Converted the legacy database into the baseline and recorded "+migrations.BaselineID, "duration", time.Since(start))
	return nil
}

// precheck refuses, before any backup, a database the conversion would
// refuse: eight replicas starting on it then write no backups at all.
func (r *runner) precheck(ctx context.Context) error {
	err := r.db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		mark, err := database.MarkWrites(ctx, tx)
		if err != nil {
			return err
		}
		s, err := database.Introspect(ctx, tx)
		if err != nil {
			return err
		}
		if err := legacy.Precheck(ctx, tx, s, legacy.ConvertOptions{CreateMissing: r.opts.CreateMissing, Resolve: r.opts.Resolve}); err != nil {
			return err
		}
		rows, err := database.RowCounts(ctx, tx, s.TableNames())
		if err != nil {
			return err
		}
		r.prechecked = &precheckMark{mark: mark, rows: rows}
		return nil
	})
	if err != nil {
		return convertError(err)
	}
	return nil
}

// precheckMark is where the database stood when the conversion's refusal
// checks passed: the writes mark and the row counts (a delete leaves no
// row for WrittenSince to see).
type precheckMark struct {
	mark database.WriteMark
	rows map[string]int64
}

// holds reports whether the checks still hold in tx, whose schema is s:
// nobody wrote (the lock lease and the history aside) and every table has
// the rows it had; false when that cannot be told.
func (p *precheckMark) holds(ctx context.Context, tx *gorm.DB, s schema.Schema) (bool, error) {
	written, err := database.WrittenSince(ctx, tx, p.mark, signatureSkip...)
	if err != nil || written {
		return false, err
	}
	rows, err := database.RowCounts(ctx, tx, s.TableNames())
	if err != nil {
		return false, err
	}
	return maps.Equal(rows, p.rows), nil
}

// convertIn converts and stamps the baseline inside tx; db plan runs it in
// a transaction it rolls back.
func (r *runner) convertIn(ctx context.Context, tx *gorm.DB, m *migrations.Migrator, start time.Time) (legacy.Report, error) {
	// Read the schema inside the transaction that changes it.
	s, err := database.Introspect(ctx, tx)
	if err != nil {
		return legacy.Report{}, err
	}
	opts := legacy.ConvertOptions{CreateMissing: r.opts.CreateMissing, Settings: r.opts.Seed.Settings, Logger: r.log, Resolve: r.opts.Resolve}
	if r.opts.UTCShift {
		opts.UTCShift = true
		if opts.Zone, err = r.appZone(tx); err != nil {
			return legacy.Report{}, err
		}
	}
	if r.prechecked != nil {
		// When nobody wrote since the checks before the backup passed, the
		// conversion need not run them again.
		if opts.Prechecked, err = r.prechecked.holds(ctx, tx, s); err != nil {
			return legacy.Report{}, err
		}
	}
	rep, err := legacy.Convert(ctx, tx, s, opts)
	if err != nil {
		return rep, err
	}
	return rep, m.Stamp(ctx, tx, []string{migrations.BaselineID}, migrations.KindBaselined, start)
}

// convertError makes data the rules cannot decide a refusal.
func convertError(err error) error {
	if errors.Is(err, legacy.ErrCannotConvert) {
		return fmt.Errorf("%w: %v", ErrRefused, err)
	}
	if errors.Is(err, ErrRefused) {
		return err
	}
	return fmt.Errorf("convert: %w", err)
}

// appZone is TimeTracker's app zone: settings.timezone, else TZ.
func (r *runner) appZone(tx *gorm.DB) (*time.Location, error) {
	var zones []string
	_ = tx.Raw("SELECT timezone FROM settings ORDER BY id LIMIT 1").Scan(&zones).Error
	candidates := append(zones, r.opts.TZ)
	for _, z := range candidates {
		if z == "" {
			continue
		}
		loc, err := time.LoadLocation(z)
		if err == nil {
			return loc, nil
		}
		r.log.Warn("unknown time zone for the UTC shift", "zone", z)
	}
	return nil, fmt.Errorf("%w: the UTC shift needs a time zone: settings.timezone and TZ are unset or unknown", ErrRefused)
}
