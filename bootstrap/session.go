package bootstrap

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sort"

	"gorm.io/gorm"

	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/migrations"
)

// LockMode says how instances keep each other out while one changes the
// schema. Its values are the lock-mode setting's words.
type LockMode string

// The lock modes.
const (
	// LockAdvisory is a session advisory lock on PostgreSQL (a lock row on
	// SQLite); behind a pooler in transaction pooling it becomes LockLease.
	LockAdvisory LockMode = "advisory"
	// LockLease is a row with an expiry, which works through any pooler.
	LockLease LockMode = "lease"
	// LockNone takes no lock: for a single instance only.
	LockNone LockMode = "none"
)

// ErrLockMode is returned by ParseLockMode for a word that names no mode.
var ErrLockMode = errors.New("unknown lock mode")

// ParseLockMode reads the lock-mode setting.
func ParseLockMode(s string) (LockMode, error) {
	switch m := LockMode(s); m {
	case LockAdvisory, LockLease, LockNone:
		return m, nil
	}
	return "", fmt.Errorf("%w %q: use %s, %s or %s", ErrLockMode, s, LockAdvisory, LockLease, LockNone)
}

// ErrBackupArgument marks a backup named to Restore that does not exist or
// cannot go into this database: the caller named the wrong one, and
// nothing was changed.
var ErrBackupArgument = errors.New("unusable backup")

// argError keeps its cause's message and matches ErrBackupArgument.
type argError struct{ err error }

func (e argError) Error() string   { return e.err.Error() }
func (e argError) Unwrap() []error { return []error{e.err, ErrBackupArgument} }

// OpenFunc connects once, without waiting; readOnly never creates a SQLite
// file.
type OpenFunc func(ctx context.Context, readOnly bool) (*database.DB, error)

// Session is what the db commands work with: one database, opened on first
// use, and the policy that surrounds a change (lock, backup, settle) shared
// with Run. Options' Version, Target, LockMode, LockTimeout, BackupDir,
// BackupKeep, AllowNoBackup, CreateMissing and Logger apply.
type Session struct {
	open  OpenFunc
	opts  Options
	log   *slog.Logger
	steps []*migrations.Step
	db    *database.DB
}

// NewSession returns a session that opens its database with open when first
// needed. The caller closes what open returns.
func NewSession(open OpenFunc, opts Options) *Session {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Session{open: open, opts: opts, log: log, steps: migrations.Steps()}
}

// session is the Session Run works with on a database already open.
func session(db *database.DB, opts Options, log *slog.Logger, steps []*migrations.Step) *Session {
	return &Session{opts: opts, log: log, steps: steps, db: db}
}

// conn opens the database once.
func (s *Session) conn(ctx context.Context, readOnly bool) (*database.DB, error) {
	if s.db != nil {
		return s.db, nil
	}
	db, err := s.open(ctx, readOnly)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", s.opts.Target, err)
	}
	s.db = db
	return db, nil
}

func (s *Session) migrator() *migrations.Migrator {
	return migrations.New(s.db.Gorm, s.steps, migrations.Options{Version: s.opts.Version, Logger: s.log})
}

// read runs reads that come before the migration lock (or need none) so
// that none waits longer than lock-timeout, logging what they wait for.
func (s *Session) read(ctx context.Context, f func(db *gorm.DB) error) error {
	return s.db.ReadBounded(ctx, s.readOptions(), f)
}

func (s *Session) readOptions() database.ReadOptions {
	return database.ReadOptions{
		Timeout: s.opts.LockTimeout,
		OnWait: func(what string) {
			s.log.Info("Waiting for " + what + "; giving up after lock-timeout")
		},
	}
}

// readOne runs f, one statement that only reads, bounded like read but
// outside a transaction: one round trip instead of four.
func (s *Session) readOne(ctx context.Context, f func(db *gorm.DB) error) error {
	opts := s.readOptions()
	opts.Autocommit = true
	return s.db.ReadBounded(ctx, opts, f)
}

// snapshot reads what detection needs with bounded waits. It needs no
// transaction: on a database that has the tables it reads, TakeSnapshot
// reads them and the catalogue in one statement, every start's one round
// trip; otherwise its reads are not one view, which detection allows for.
func (s *Session) snapshot(ctx context.Context) (Snapshot, error) {
	var snap Snapshot
	err := s.readOne(ctx, func(db *gorm.DB) error {
		var err error
		// db's context carries the read's deadline.
		snap, err = TakeSnapshot(db.Statement.Context, db)
		return err
	})
	return snap, err
}

// detect takes a snapshot and detects the state, as configured.
func (s *Session) detect(ctx context.Context) (Snapshot, Detection, error) {
	snap, err := s.snapshot(ctx)
	if err != nil {
		return snap, Detection{}, err
	}
	det := Detect(snap, migrations.IDs(s.steps))
	if s.opts.CreateMissing {
		det = WithCreateMissing(det)
	}
	return snap, det, nil
}

// lockWith takes the migration lock as configured; lo says how to wait.
// Advisory mode behind transaction pooling switches to the lease lock.
func (s *Session) lockWith(ctx context.Context, lo database.LockOptions) (func() error, error) {
	switch s.opts.LockMode {
	case LockNone:
		return func() error { return nil }, nil
	case LockLease:
		return s.db.LockLease(ctx, lo)
	}
	unlock, err := s.db.Lock(ctx, lo)
	if errors.Is(err, database.ErrTransactionPooling) {
		s.log.Warn(LeaseSwitchNote)
		return s.db.LockLease(ctx, lo)
	}
	return unlock, err
}

// Lock opens the database for writing and takes the migration lock as
// configured, waiting at most lock-timeout.
func (s *Session) Lock(ctx context.Context) (unlock func() error, err error) {
	if _, err := s.conn(ctx, false); err != nil {
		return nil, err
	}
	return s.lockWith(ctx, database.LockOptions{
		Timeout: s.opts.LockTimeout,
		OnWait: func(holder string) {
			s.log.Debug("waiting for the migration lock", "holder", holder)
		},
	})
}

// ChangeBackup describes the change a backup precedes.
type ChangeBackup struct {
	// State is what the database is before the change ("behind",
	// "downgrade", "before-restore", a detected state).
	State string
	// VersionBefore is the version the database is at.
	VersionBefore string
	// Rebuild is set for a conversion, which rebuilds every table.
	Rebuild bool
}

// BackupBeforeChange takes the verified backup that precedes any change to
// an existing database, after checking there is space for it, unless
// allow-no-backup lets a failure pass (then the manifest is nil). Pass the
// manifest and the change's result to Settle.
func (s *Session) BackupBeforeChange(ctx context.Context, c ChangeBackup) (*Manifest, error) {
	if _, err := s.conn(ctx, false); err != nil {
		return nil, err
	}
	err := Preflight(ctx, s.db, PreflightOptions{BackupDir: s.opts.BackupDir, Rebuild: c.Rebuild, Logger: s.log})
	if err != nil {
		if !s.opts.AllowNoBackup {
			return nil, err
		}
		s.log.Warn("Going ahead although the space check failed, because allow-no-backup is set", "error", err)
	}
	m, err := TakeBackup(ctx, s.db, BackupOptions{
		Dir: s.opts.BackupDir, Keep: s.opts.BackupKeep, State: c.State, Change: true,
		VersionBefore: c.VersionBefore, ProgramVersion: s.opts.Version, Logger: s.log,
	})
	if err != nil {
		if s.opts.AllowNoBackup && !errors.Is(err, ErrInterrupted) {
			s.log.Warn("Backup failed; continuing because allow-no-backup is set", "error", err)
			return nil, nil
		}
		return nil, err
	}
	s.log.Info("Backup written and verified", "kind", m.Kind, "location", m.Location, "tables", len(m.Rows))
	return &m, nil
}

// Settle records in the backup's manifest whether the change it preceded
// succeeded, which retention relies on.
func (s *Session) Settle(ctx context.Context, m *Manifest, changeErr error) {
	Settle(ctx, s.db, s.opts.BackupDir, m, changeErr, s.log)
}

// Inspection is what Inspect found: the database's state, the strategy
// bootstrap would choose and, when the database is at head, the
// verification.
type Inspection struct {
	Snapshot  Snapshot
	Detection Detection
	// Verify is set when the database is migrated.
	Verify *VerifyReport
	// Server is the PostgreSQL server reached (host:port or socket file).
	Server string
	// Standby is true on a read-only standby.
	Standby bool
	steps   []*migrations.Step
}

// Ready is nil when this program's application can serve the database: at
// head and verified, or newer but holding every step this program knows.
// Otherwise it is ErrVerifyFailed or ErrNotReady.
func (i Inspection) Ready() error {
	if i.Verify != nil {
		if err := i.Verify.Err(); err != nil {
			return err
		}
	}
	// A database a newer release has migrated further still holds every
	// step this one knows, so a pod must not leave service while the
	// rollout replaces it.
	if i.Detection.State == StateNewer && holdsAll(i.Snapshot.MigrationIDs, migrations.IDs(i.steps)) {
		return nil
	}
	if i.Detection.State != StateMigrated {
		return fmt.Errorf("%w: database is %s, not at head", ErrNotReady, i.Detection.State)
	}
	return nil
}

// holdsAll reports whether applied has every one of known (and at least one
// step, so a newer Alembic database does not count).
func holdsAll(applied, known []string) bool {
	if len(applied) == 0 {
		return false
	}
	for _, id := range known {
		if !slices.Contains(applied, id) {
			return false
		}
	}
	return true
}

// Inspect reads the database (read-only, each wait bounded by
// lock-timeout), detects its state and verifies it when it is migrated.
// It changes nothing.
func (s *Session) Inspect(ctx context.Context) (Inspection, error) {
	if _, err := s.conn(ctx, true); err != nil {
		return Inspection{}, err
	}
	snap, det, err := s.detect(ctx)
	if err != nil {
		return Inspection{}, err
	}
	ins := Inspection{Snapshot: snap, Detection: det, Server: s.db.Server, Standby: s.db.Standby, steps: s.steps}
	if det.State == StateMigrated {
		head, err := migrations.HeadSchema()
		if err != nil {
			return Inspection{}, err
		}
		rep := Verify(snap, head, s.steps)
		ins.Verify = &rep
	}
	return ins, nil
}

// Verify checks the live schema (read-only) against the models and the
// step list.
func (s *Session) Verify(ctx context.Context) (VerifyReport, error) {
	if _, err := s.conn(ctx, true); err != nil {
		return VerifyReport{}, err
	}
	snap, err := s.snapshot(ctx)
	if err != nil {
		return VerifyReport{}, err
	}
	head, err := migrations.HeadSchema()
	if err != nil {
		return VerifyReport{}, err
	}
	return Verify(snap, head, s.steps), nil
}

// Current reads the current step (read-only).
func (s *Session) Current(ctx context.Context) (migrations.Status, error) {
	if _, err := s.conn(ctx, true); err != nil {
		return migrations.Status{}, err
	}
	st, err := s.migrator().Current(ctx)
	if err != nil {
		return st, fmt.Errorf("current: %w", err)
	}
	return st, nil
}

// History reads every known step with its last run (read-only).
func (s *Session) History(ctx context.Context) (migrations.Status, error) {
	if _, err := s.conn(ctx, true); err != nil {
		return migrations.Status{}, err
	}
	st, err := s.migrator().History(ctx)
	if err != nil {
		return st, fmt.Errorf("history: %w", err)
	}
	return st, nil
}

// Init creates the schema in an empty database under the lock and records
// every step; it returns the head step.
func (s *Session) Init(ctx context.Context) (string, error) {
	unlock, err := s.Lock(ctx)
	if err != nil {
		return "", err
	}
	defer unlock()
	m := s.migrator()
	if err := m.InitFresh(ctx, migrations.CreateFromModels); err != nil {
		return "", fmt.Errorf("init: %w", err)
	}
	return migrations.Head(m.Steps()), nil
}

// Backup takes a verified backup now, read-only: a backup never creates
// the database it was asked to copy.
func (s *Session) Backup(ctx context.Context) (Manifest, error) {
	if _, err := s.conn(ctx, true); err != nil {
		return Manifest{}, err
	}
	st, err := s.migrator().Status(ctx)
	if err != nil {
		return Manifest{}, err
	}
	return TakeBackup(ctx, s.db, BackupOptions{
		Dir: s.opts.BackupDir, Keep: s.opts.BackupKeep, State: "manual",
		VersionBefore: st.Current, ProgramVersion: s.opts.Version, Logger: s.log,
	})
}

// UpgradeResult is what Upgrade did or, for a dry run, would do.
type UpgradeResult struct {
	// Applied lists the steps applied (or that would be).
	Applied []migrations.StepResult
	// Status is the database's status after a run that applied nothing.
	Status migrations.Status
}

// Upgrade applies the pending steps up to to (head when empty), each in its
// own transaction, under the lock and after a backup of an initialised
// database; onStep is called after each. A dry run opens read-only and
// only lists them. An unknown step ID is refused before anything else.
func (s *Session) Upgrade(ctx context.Context, to string, dryRun bool, onStep func(migrations.StepResult)) (UpgradeResult, error) {
	var res UpgradeResult
	if to != "" && migrations.Index(s.steps, to) < 0 {
		return res, fmt.Errorf("upgrade: %w %q (`timetracker db history` lists the step IDs); nothing was changed", migrations.ErrUnknownStep, to)
	}
	if dryRun {
		if _, err := s.conn(ctx, true); err != nil {
			return res, err
		}
		todo, err := s.migrator().Upgrade(ctx, migrations.UpgradeOptions{To: to, DryRun: true})
		if errors.Is(err, migrations.ErrNotInitialised) {
			// A legacy or Alembic database: bootstrap converts or adopts it.
			return res, fmt.Errorf("upgrade: %w; `timetracker db plan` shows what `timetracker bootstrap` would do with it (convert or adopt), changing nothing", err)
		}
		if err != nil {
			return res, fmt.Errorf("upgrade: %w", err)
		}
		res.Applied = todo
		return res, nil
	}
	unlock, err := s.Lock(ctx)
	if err != nil {
		return res, err
	}
	defer unlock()
	m := s.migrator()
	st, err := m.Status(ctx)
	if err != nil {
		return res, err
	}
	todo, err := m.Upgrade(ctx, migrations.UpgradeOptions{To: to, DryRun: true})
	if err != nil {
		return res, fmt.Errorf("upgrade: %w", err)
	}
	var backup *Manifest
	if st.Initialised && len(todo) > 0 {
		if backup, err = s.BackupBeforeChange(ctx, ChangeBackup{State: "behind", VersionBefore: st.Current}); err != nil {
			return res, err
		}
	}
	res.Applied, err = m.Upgrade(ctx, migrations.UpgradeOptions{To: to, OnStep: onStep})
	s.Settle(ctx, backup, err)
	if err != nil {
		return res, changeFailed("upgrade", "applied", err, len(res.Applied), backup)
	}
	if len(res.Applied) == 0 {
		if res.Status, err = m.Status(ctx); err != nil {
			return res, err
		}
	}
	return res, nil
}

// Downgrade rolls back every applied step after to, newest first, under
// the lock and after a backup. A downgrade that cannot run (unknown step,
// newer database) is refused before the backup.
func (s *Session) Downgrade(ctx context.Context, to string, onStep func(migrations.StepResult)) ([]migrations.StepResult, error) {
	unlock, err := s.Lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	m := s.migrator()
	st, err := m.Status(ctx)
	if err != nil {
		return nil, err
	}
	_, n, err := m.PlanDowngrade(st, to)
	if err != nil {
		return nil, fmt.Errorf("downgrade: %w; nothing was changed", err)
	}
	var backup *Manifest
	if n > 0 {
		if backup, err = s.BackupBeforeChange(ctx, ChangeBackup{State: "downgrade", VersionBefore: st.Current}); err != nil {
			return nil, err
		}
	}
	res, err := m.Downgrade(ctx, to, onStep)
	s.Settle(ctx, backup, err)
	if err != nil {
		return res, changeFailed("downgrade", "rolled back", err, len(res), backup)
	}
	return res, nil
}

// changeFailed says, in the error line, what a failed upgrade or downgrade
// left behind: how many steps had committed (each step is one transaction,
// so the failed one left nothing) and where the backup taken before it is.
func changeFailed(op, did string, err error, done int, backup *Manifest) error {
	tail := "nothing was changed"
	if done > 0 {
		tail = fmt.Sprintf("%d step(s) %s before the failure, the failed step changed nothing", done, did)
	}
	if backup != nil {
		tail += "; the backup taken before is " + backup.Location +
			" (`timetracker db restore " + backup.Location + " --yes` puts it back)"
	}
	return fmt.Errorf("%s: %w; %s", op, err, tail)
}

// RestoreResult is what Restore put back.
type RestoreResult struct {
	// Location is the backup restored.
	Location string
	// SetAside is the schema that received tables the backup does not
	// hold ("" when none).
	SetAside string
	// Status is the restored database's version.
	Status migrations.Status
	// Tables and Rows are the restored tables, sorted, and their rows.
	Tables []string
	Rows   map[string]int64
}

// Restore replaces the database with the backup ref (a path, or a name in
// backup-dir), after checking it can go back into this database and
// backing up the state it replaces, under the lock. reopen opens the
// restored database read-only (a SQLite file was replaced under the old
// handle); the row counts read through it must match the backup's manifest.
// A backup that does not exist or is of the other dialect is
// ErrBackupArgument.
func (s *Session) Restore(ctx context.Context, ref string, reopen func(context.Context) (*database.DB, error)) (RestoreResult, error) {
	var res RestoreResult
	db, err := s.conn(ctx, false)
	if err != nil {
		return res, err
	}
	m, err := FindBackup(s.opts.BackupDir, ref)
	if err != nil {
		return res, argError{err}
	}
	if m.Dialect != string(db.Dialect) {
		return res, argError{fmt.Errorf("%s is a backup of a %s database and the database to restore into is %s: restore it into a %s database (check --database-url); nothing was changed",
			m.Location, dialectName(m.Dialect), dialectName(string(db.Dialect)), dialectName(m.Dialect))}
	}
	if err := CanRestore(db, m); err != nil {
		return res, fmt.Errorf("restore: %w; nothing was changed", err)
	}
	unlock, err := s.Lock(ctx)
	if err != nil {
		return res, err
	}
	defer unlock()
	// The state being replaced is backed up too: a restore is a change.
	st, err := s.migrator().Status(ctx)
	if err != nil {
		return res, err
	}
	before, err := s.BackupBeforeChange(ctx, ChangeBackup{State: stateBeforeRestore, VersionBefore: st.Current})
	if err != nil {
		return res, err
	}
	res.Location = m.Location
	if res.SetAside, err = Restore(ctx, db, m); err != nil {
		s.Settle(ctx, before, err)
		return res, fmt.Errorf("restore: %w", err)
	}
	rdb, err := reopen(ctx)
	if err != nil {
		return res, err
	}
	defer rdb.Close()
	if res.Status, err = migrations.New(rdb.Gorm, s.steps, migrations.Options{}).Status(ctx); err != nil {
		return res, err
	}
	tables, _ := database.ListTables(ctx, rdb.Gorm)
	res.Rows, _ = database.RowCounts(ctx, rdb.Gorm, tables)
	for t := range res.Rows {
		res.Tables = append(res.Tables, t)
	}
	sort.Strings(res.Tables)
	for _, t := range res.Tables {
		if want, ok := m.Rows[t]; ok && want != res.Rows[t] {
			return res, fmt.Errorf("restore: table %s has %d rows, the backup manifest says %d", t, res.Rows[t], want)
		}
	}
	s.Settle(ctx, before, nil)
	return res, nil
}

// Plan rehearses what Run would do (read-only open), changing nothing.
func (s *Session) Plan(ctx context.Context) (PlanReport, error) {
	db, err := s.conn(ctx, true)
	if err != nil {
		return PlanReport{}, err
	}
	rep, err := Plan(ctx, db, s.opts)
	if err != nil {
		return rep, fmt.Errorf("plan: %w", err)
	}
	return rep, nil
}

// Backups lists the backups in dir, newest first, followed by the files no
// manifest accounts for (kind KindOrphan), so that they can be found and
// removed (retention removes them once an hour old).
func Backups(dir string) ([]Manifest, error) {
	list, err := ListBackups(dir)
	if err != nil {
		return nil, err
	}
	orphans, err := ListOrphans(dir)
	if err != nil {
		return nil, err
	}
	for _, o := range orphans {
		state := "no manifest"
		if o.InProgress {
			state = "no manifest yet (being written?)"
		}
		list = append(list, Manifest{CreatedAt: o.ModTime, Kind: KindOrphan, Location: o.Path, State: state})
	}
	return list, nil
}

// dialectName names a dialect for people.
func dialectName(d string) string {
	switch d {
	case string(database.Postgres):
		return "PostgreSQL"
	case string(database.SQLite):
		return "SQLite"
	}
	return d
}
