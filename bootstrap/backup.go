package bootstrap

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/schema"
	"github.com/timetracker/timetracker/migrations"
)

// Manifest describes a backup; it is written beside the backup file as
// <file>.json.
type Manifest struct {
	CreatedAt      time.Time           `json:"created_at"`
	Dialect        string              `json:"dialect"`
	Kind           database.BackupKind `json:"kind"`
	Location       string              `json:"location"`
	State          string              `json:"state"`
	VersionBefore  string              `json:"version_before"`
	ProgramVersion string              `json:"program_version"`
	Rows           map[string]int64    `json:"rows"`
	// Fingerprint is a hash of the backup file as written
	// (database.BackupFingerprint): a new backup with the same one holds
	// the same, and is dropped for this one. Manifests of older versions
	// hold a hash of another kind here, which no new one matches.
	Fingerprint string `json:"fingerprint,omitempty"`
	// LeftFingerprint is the fingerprint a backup of the database had
	// after the change this backup preceded failed without changing
	// anything (OutcomeUnchanged): the same data, but the history of steps
	// holds the failure. A new backup with it is dropped for this one too,
	// so a change that fails at every start keeps one backup.
	LeftFingerprint string `json:"left_fingerprint,omitempty"`
	// Outcome is what became of the change the backup was taken for (one
	// of the Outcome constants); empty for a backup taken on its own.
	Outcome string `json:"outcome,omitempty"`
	// signature is changeSignature when the backup was taken, and mark
	// where other sessions' commits stood before it, for Settle; not
	// written: a manifest read from disk has neither.
	signature string
	mark      database.WriteMark
}

// The outcomes of the change a backup preceded (Manifest.Outcome).
// Retention relies on them, see prune.
const (
	// OutcomePending: the change has not reported back: it is running, or
	// its process was killed.
	OutcomePending = "pending"
	// OutcomeSucceeded: the change was made.
	OutcomeSucceeded = "succeeded"
	// OutcomeUnchanged: the change failed and the database still holds
	// exactly what the backup holds.
	OutcomeUnchanged = "unchanged"
	// OutcomeFailed: the change failed after changing something, another
	// session wrote meanwhile, or neither could be ruled out.
	OutcomeFailed = "failed"
)

// stateBeforeRestore is the State of the backup a restore takes of the
// database it replaces.
const stateBeforeRestore = "before-restore"

// KindOrphan marks, in the output of `db backups`, a file of backup-dir
// that belongs to no manifest (see ListOrphans).
const KindOrphan database.BackupKind = "orphan"

// orphanGrace is how long a file without manifest is left alone: a backup
// still being written has one until it finishes.
const orphanGrace = time.Hour

// BackupOptions configure TakeBackup.
type BackupOptions struct {
	Dir  string
	Keep int // 0 keeps every backup
	// State says what the backup is for: "manual", or the change it
	// precedes.
	State string
	// Change says a change follows: the manifest's outcome is pending until
	// Settle records it.
	Change         bool
	VersionBefore  string
	ProgramVersion string
	Logger         *slog.Logger
}

// CheckBackupDir creates the directory (0700) and proves it is writable,
// before anything else happens.
func CheckBackupDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("%w: create backup directory %s: %v", ErrBackupFailed, dir, err)
	}
	f, err := os.CreateTemp(dir, ".write-check-*")
	if err != nil {
		return fmt.Errorf("%w: backup directory %s is not writable: %v", ErrBackupFailed, dir, err)
	}
	f.Close()
	os.Remove(f.Name())
	return nil
}

// signatureSkip are the tables whose rows do not count as data: the lock
// lease, and the history, which gains a row whenever a step fails.
var signatureSkip = []string{migrations.LockTableName, migrations.HistoryTableName}

// TakeBackup backs the database up, verifies it, writes its manifest and
// applies retention. A backup whose file holds what an existing backup's
// holds (same fingerprint) is not kept: that backup is returned, its
// manifest updated for the change that follows. Errors wrap
// ErrBackupFailed, or ErrInterrupted when ctx ended.
func TakeBackup(ctx context.Context, db *database.DB, opts BackupOptions) (Manifest, error) {
	m, err := takeBackup(ctx, db, opts)
	if err != nil && ctx.Err() != nil {
		return Manifest{}, fmt.Errorf("%w during the backup: %v", ErrInterrupted, ctx.Err())
	}
	return m, err
}

func takeBackup(ctx context.Context, db *database.DB, opts BackupOptions) (Manifest, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := db.Exists(); err != nil {
		return Manifest{}, fmt.Errorf("%w; nothing was backed up or created (check --database-url)", err)
	}
	if err := CheckBackupDir(opts.Dir); err != nil {
		return Manifest{}, err
	}
	start := time.Now()
	// Settle compares the schema and row counts after the change with
	// these (the backup counts the rows), and looks for commits of other
	// sessions since the mark, taken first: what they wrote from then on
	// may be missing from the backup.
	var before schema.Schema
	var mark database.WriteMark
	if opts.Change {
		var err error
		if mark, err = database.MarkWrites(ctx, db.Gorm); err != nil {
			// Without a mark a failed change is never unchanged.
			log.Warn("could not mark where the database's commits stand; a failed change will be recorded as failed", "error", err)
		}
		if before, err = database.Introspect(ctx, db.Gorm); err != nil {
			return Manifest{}, fmt.Errorf("%w: %v", ErrBackupFailed, err)
		}
	}
	res, err := db.Backup(ctx, database.BackupRequest{
		Dir:   opts.Dir,
		Stamp: database.StampNow(),
		OnFallback: func(reason string) {
			log.Warn("pg_dump cannot back up this server; copying the tables into a backup schema inside the database instead", "reason", reason)
		},
	})
	if err != nil {
		return Manifest{}, fmt.Errorf("%w in %s: %v", ErrBackupFailed, opts.Dir, err)
	}
	m := Manifest{
		CreatedAt: start.UTC(), Dialect: string(db.Dialect), Kind: res.Kind, Location: res.Location,
		State: opts.State, VersionBefore: opts.VersionBefore, ProgramVersion: opts.ProgramVersion, Rows: res.Rows,
	}
	if opts.Change {
		m.Outcome = OutcomePending
		m.signature, m.mark = changeSignature(db.Dialect, before, res.Rows), mark
	}
	if m.Fingerprint, err = database.BackupFingerprint(ctx, res.Kind, res.Location); err != nil {
		// A file that cannot be read back is not a backup to rely on.
		os.Remove(m.Location)
		return Manifest{}, fmt.Errorf("%w: %v (the backup file was removed)", ErrBackupFailed, err)
	}
	if same, ok := sameBackup(opts.Dir, m); ok {
		// The new file holds what same's holds: one copy is enough.
		if err := os.Remove(m.Location); err != nil {
			log.Warn("could not remove the second copy of an unchanged database; retention removes it within the hour", "path", m.Location, "error", err)
		}
		log.Info("The database is unchanged since an existing backup: not keeping another copy", "location", same.Location, "created_at", same.CreatedAt)
		same.signature, same.mark = m.signature, m.mark
		if opts.Change {
			same.State, same.Outcome = opts.State, OutcomePending
			if err := writeManifest(manifestPath(opts.Dir, same), same); err != nil {
				return Manifest{}, fmt.Errorf("%w: write manifest: %v", ErrBackupFailed, err)
			}
		}
		prune(opts.Dir, opts.Keep, log)
		return same, nil
	}
	if err := writeManifest(manifestPath(opts.Dir, m), m); err != nil {
		// A backup nobody can find is not kept: it would fill the disk
		// that just ran out.
		if m.Kind != database.BackupSchemaCopy {
			os.Remove(m.Location)
		} else {
			log.Warn("the in-database backup has no manifest; drop its schema once you do not need it", "schema", m.Location)
		}
		return Manifest{}, fmt.Errorf("%w: write the manifest in %s: %v (the backup file was removed)", ErrBackupFailed, opts.Dir, err)
	}
	prune(opts.Dir, opts.Keep, log)
	return m, nil
}

// sameBackup finds the newest other backup file of dir, of m's dialect and
// kind, that holds what m holds (its fingerprint, or the one it had after
// a failed change left the database unchanged) and is still there.
func sameBackup(dir string, m Manifest) (Manifest, bool) {
	if m.Fingerprint == "" {
		return Manifest{}, false
	}
	all, err := ListBackups(dir)
	if err != nil {
		return Manifest{}, false
	}
	for _, b := range all {
		if b.Location == m.Location || b.Dialect != m.Dialect || b.Kind != m.Kind ||
			(b.Fingerprint != m.Fingerprint && b.LeftFingerprint != m.Fingerprint) {
			continue
		}
		if st, err := os.Stat(b.Location); err == nil && st.Mode().IsRegular() && st.Size() > 0 {
			return b, true
		}
	}
	return Manifest{}, false
}

// changeSignature summarises the schema and the row count of each table,
// the tables of signatureSkip by their schema only: cheap to take before
// and after a change, without reading a row.
func changeSignature(dialect database.Dialect, s schema.Schema, rows map[string]int64) string {
	h := sha256.New()
	b, _ := json.Marshal(s) // a schema.Schema always marshals
	fmt.Fprintf(h, "%s\n%s", dialect, b)
	tables := slices.Sorted(maps.Keys(rows))
	for _, t := range tables {
		if !slices.Contains(signatureSkip, t) {
			fmt.Fprintf(h, "\n%s %d", t, rows[t])
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// leftUnchanged tells whether a failed change left the database as the
// backup m found it: changeSignature now is the one taken with the backup,
// and no other session has written since (database.WrittenSince; on
// PostgreSQL a seq scan of every table, on this failure path only). For
// our own change counts are enough: every change bootstrap and the db
// commands make runs in one transaction that also changes the schema or
// the recorded steps (rows of timetracker_migrations), so a failed change
// that left the schema and the row counts as they were was rolled back
// whole. Another session (the running application) may have updated
// values meanwhile, which the backup lacks. A restore replaces values
// without necessarily changing the schema or counts, so a failed one is
// never unchanged. Neither is a change whose backup has no signature or
// mark (a manifest read from disk).
func leftUnchanged(ctx context.Context, db *database.DB, m Manifest) bool {
	if m.signature == "" || m.State == stateBeforeRestore {
		return false
	}
	// Settle runs after ctx may have ended: a short deadline of its own.
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	s, err := database.Introspect(cctx, db.Gorm)
	if err != nil {
		return false
	}
	tables, err := database.ListTables(cctx, db.Gorm)
	if err != nil {
		return false
	}
	rows, err := database.RowCounts(cctx, db.Gorm, tables)
	if err != nil || changeSignature(db.Dialect, s, rows) != m.signature {
		return false
	}
	written, err := database.WrittenSince(cctx, db.Gorm, m.mark, signatureSkip...)
	return err == nil && !written
}

// leftFingerprint fingerprints the database a failed change left
// unchanged, through a copy made for it and removed: the history of steps
// now holds the failure, so the next backup's file differs from m's
// although the data does not; with this fingerprint in m's manifest that
// backup is recognised as m (sameBackup). "" when ctx ended or the copy
// failed: the next backup is then kept, nothing worse.
func leftFingerprint(ctx context.Context, db *database.DB, dir string, m Manifest, log *slog.Logger) string {
	if m.Kind == database.BackupSchemaCopy || ctx.Err() != nil {
		return ""
	}
	res, err := db.Backup(ctx, database.BackupRequest{Dir: dir, Stamp: database.StampNow(), FileOnly: true})
	if err != nil {
		log.Warn("could not fingerprint the database the failed change left; its next backup will be kept", "error", err)
		return ""
	}
	defer os.Remove(res.Location)
	fp, err := database.BackupFingerprint(ctx, res.Kind, res.Location)
	if err != nil || res.Kind != m.Kind {
		return ""
	}
	return fp
}

// Settle records in the manifest what became of the change the backup m
// preceded: succeeded when changeErr is nil, else unchanged (leftUnchanged)
// or failed (always when db is nil). Problems are logged: the change's own
// result matters more.
func Settle(ctx context.Context, db *database.DB, dir string, m *Manifest, changeErr error, log *slog.Logger) {
	if m == nil || m.Outcome == "" {
		return
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m.Outcome = OutcomeSucceeded
	if changeErr != nil {
		m.Outcome = OutcomeFailed
		if db != nil && leftUnchanged(ctx, db, *m) {
			m.Outcome = OutcomeUnchanged
			// Checked again after the copy: a commit of another session
			// while it was made would put in it what m's file lacks.
			if fp := leftFingerprint(ctx, db, dir, *m, log); fp != "" && leftUnchanged(ctx, db, *m) {
				m.LeftFingerprint = fp
			}
		}
	}
	if err := writeManifest(manifestPath(dir, *m), *m); err != nil {
		log.Warn("could not record the outcome in the backup manifest", "location", m.Location, "outcome", m.Outcome, "error", err)
	}
}

// writeManifest writes name atomically: a temporary file, synced, renamed
// over it. On failure nothing is left behind.
func writeManifest(name string, m Manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	tmp := name + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(append(b, '\n'))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, name)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

func manifestPath(dir string, m Manifest) string {
	if m.Kind == database.BackupSchemaCopy {
		return filepath.Join(dir, m.Location+".json")
	}
	return m.Location + ".json"
}

// ListBackups reads every manifest in dir, newest first.
func ListBackups(dir string) ([]Manifest, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	var out []Manifest
	for _, p := range paths {
		m, err := readManifest(p)
		if err != nil {
			continue
		}
		// backup-dir was moved: the file is beside its manifest.
		if sib := strings.TrimSuffix(p, ".json"); m.Kind != "schema-copy" && sib != m.Location && filepath.Base(sib) == filepath.Base(m.Location) {
			if _, err := os.Stat(m.Location); err != nil {
				if _, err := os.Stat(sib); err == nil {
					m.Location = sib
				}
			}
		}
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].CreatedAt.After(out[j].CreatedAt) })
	return out, nil
}

func readManifest(path string) (Manifest, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Manifest{}, err
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return Manifest{}, err
	}
	if m.Location == "" {
		return Manifest{}, errors.New("not a backup manifest")
	}
	return m, nil
}

// Orphan is a file of backup-dir that no manifest accounts for: what a
// backup interrupted by a crash or a full disk left, or one still being
// written (InProgress: it or a file of the same backup changed within the
// last hour).
type Orphan struct {
	Path       string
	Size       int64
	ModTime    time.Time
	InProgress bool
}

// ListOrphans lists the backup files of dir (timetracker-*) that belong to
// no manifest, and half-written manifests.
func ListOrphans(dir string) ([]Orphan, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "timetracker-*"))
	if err != nil {
		return nil, err
	}
	manifests, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	// A file with a manifest beside it is a backup, wherever the manifest
	// says it was written (backup-dir may have been moved).
	known := map[string]bool{}
	for _, p := range manifests {
		if m, err := readManifest(p); err == nil {
			known[p] = true
			known[strings.TrimSuffix(p, ".json")] = true
			known[m.Location] = true
		}
	}
	// The newest change among the files of one backup (same name up to
	// .tmp and .json).
	newest := map[string]time.Time{}
	type file struct {
		path, group string
		info        os.FileInfo
	}
	var files []file
	for _, p := range paths {
		st, err := os.Lstat(p)
		if err != nil || !st.Mode().IsRegular() {
			continue
		}
		g := strings.TrimSuffix(strings.TrimSuffix(p, ".tmp"), ".json")
		if st.ModTime().After(newest[g]) {
			newest[g] = st.ModTime()
		}
		files = append(files, file{p, g, st})
	}
	var out []Orphan
	for _, f := range files {
		if known[f.path] {
			continue
		}
		out = append(out, Orphan{Path: f.path, Size: f.info.Size(), ModTime: f.info.ModTime(),
			InProgress: time.Since(newest[f.group]) < orphanGrace})
	}
	return out, nil
}

// prune applies retention to the backup files of dir. It never removes:
//   - the newest keep backups;
//   - for each kind of change (State), the newest backup whose change
//     succeeded: the copy of the database as it was before the change
//     that made it what it is;
//   - a backup whose change is pending or failed: it may be the only copy
//     of what the change lost; remove it by hand once checked.
//
// Backups whose change failed without changing anything, and manual ones,
// go once they are older than the newest keep. In-database copies are
// listed but never dropped by us. Orphans (ListOrphans) that are not in
// progress are removed, whatever keep is.
func prune(dir string, keep int, log *slog.Logger) {
	if orphans, err := ListOrphans(dir); err == nil {
		for _, o := range orphans {
			if o.InProgress {
				continue
			}
			if err := os.Remove(o.Path); err == nil {
				log.Info("removed a file of an unfinished backup (no manifest)", "path", o.Path)
			}
		}
	}
	if keep <= 0 {
		return
	}
	all, err := ListBackups(dir)
	if err != nil {
		return
	}
	files := 0
	succeeded := map[string]bool{}
	for _, m := range all {
		if m.Kind == database.BackupSchemaCopy || !strings.HasPrefix(m.Location, dir) {
			continue
		}
		files++
		newestOfChange := m.Outcome == OutcomeSucceeded && !succeeded[m.State]
		if m.Outcome == OutcomeSucceeded {
			succeeded[m.State] = true
		}
		if files <= keep || newestOfChange || m.Outcome == OutcomePending || m.Outcome == OutcomeFailed {
			continue
		}
		os.Remove(m.Location)
		os.Remove(m.Location + ".json")
		log.Info("removed old backup (retention)", "path", m.Location, "keep", keep)
	}
}
