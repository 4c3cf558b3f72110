package bootstrap

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/timetracker/timetracker/internal/database"
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
	// Fingerprint summarises the schema and every value the backup holds
	// (database.Fingerprint): a database that still has it is unchanged
	// since, and is not backed up again.
	Fingerprint string `json:"fingerprint,omitempty"`
	// Outcome is what became of the change the backup was taken for (one
	// of the Outcome constants); empty for a backup taken on its own.
	Outcome string `json:"outcome,omitempty"`
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
	// OutcomeFailed: the change failed after changing something, or whether
	// it did could not be checked.
	OutcomeFailed = "failed"
)

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

// fingerprintSkip are the tables whose rows do not count as data: the lock
// lease, and the history, which gains a row whenever a step fails.
var fingerprintSkip = []string{migrations.LockTableName, migrations.HistoryTableName}

// TakeBackup backs the database up, verifies it, writes its manifest and
// applies retention. A database that still holds what an existing backup
// holds (same fingerprint) is not copied again: that backup is returned,
// its manifest updated for the change that follows. Errors wrap
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
	fp, err := database.Fingerprint(ctx, db.Gorm, fingerprintSkip...)
	if err != nil {
		return Manifest{}, fmt.Errorf("%w: %v", ErrBackupFailed, err)
	}
	if same, ok := sameBackup(opts.Dir, string(db.Dialect), fp); ok {
		log.Info("The database is unchanged since an existing backup: not copying it again", "location", same.Location, "created_at", same.CreatedAt)
		if opts.Change {
			same.State, same.Outcome = opts.State, OutcomePending
			if err := writeManifest(manifestPath(opts.Dir, same), same); err != nil {
				return Manifest{}, fmt.Errorf("%w: write manifest: %v", ErrBackupFailed, err)
			}
		}
		prune(opts.Dir, opts.Keep, log)
		return same, nil
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
		Fingerprint: fp,
	}
	if opts.Change {
		m.Outcome = OutcomePending
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

// sameBackup finds the newest backup file of dir with this fingerprint
// that is still there.
func sameBackup(dir, dialect, fp string) (Manifest, bool) {
	all, err := ListBackups(dir)
	if err != nil {
		return Manifest{}, false
	}
	for _, m := range all {
		if m.Fingerprint != fp || m.Dialect != dialect || m.Kind == database.BackupSchemaCopy {
			continue
		}
		if st, err := os.Stat(m.Location); err == nil && st.Mode().IsRegular() && st.Size() > 0 {
			return m, true
		}
	}
	return Manifest{}, false
}

// Settle records in the manifest what became of the change the backup m
// preceded: succeeded when changeErr is nil, else unchanged or failed by
// comparing the database with the backup's fingerprint (failed when db is
// nil). It runs after ctx may have ended, so it has a short deadline of its
// own. Problems are logged: the change's own result matters more.
func Settle(ctx context.Context, db *database.DB, dir string, m *Manifest, changeErr error, log *slog.Logger) {
	if m == nil || m.Outcome == "" {
		return
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m.Outcome = OutcomeSucceeded
	if changeErr != nil && db == nil {
		m.Outcome = OutcomeFailed
	} else if changeErr != nil {
		m.Outcome = OutcomeFailed
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		fp, err := database.Fingerprint(cctx, db.Gorm, fingerprintSkip...)
		cancel()
		if err == nil && fp == m.Fingerprint {
			m.Outcome = OutcomeUnchanged
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
