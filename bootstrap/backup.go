package bootstrap

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/timetracker/timetracker/internal/database"
)

// Manifest describes a backup; it is written beside the backup file as
// <file>.json.
type Manifest struct {
	CreatedAt      time.Time        `json:"created_at"`
	Dialect        string           `json:"dialect"`
	Kind           string           `json:"kind"`
	Location       string           `json:"location"`
	State          string           `json:"state"`
	VersionBefore  string           `json:"version_before"`
	ProgramVersion string           `json:"program_version"`
	Rows           map[string]int64 `json:"rows"`
}

// BackupOptions configure TakeBackup.
type BackupOptions struct {
	Dir            string
	Keep           int // 0 keeps every backup
	State          string
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

// TakeBackup backs the database up, verifies it, writes its manifest and
// applies retention. Errors wrap ErrBackupFailed.
func TakeBackup(ctx context.Context, db *database.DB, opts BackupOptions) (Manifest, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := CheckBackupDir(opts.Dir); err != nil {
		return Manifest{}, err
	}
	start := time.Now()
	res, err := db.Backup(ctx, database.BackupRequest{
		Dir:   opts.Dir,
		Stamp: database.StampNow(),
		OnFallback: func(reason string) {
			log.Warn("pg_dump cannot back up this server; copying the tables into a backup schema inside the database instead", "reason", reason)
		},
	})
	if err != nil {
		return Manifest{}, fmt.Errorf("%w: %v", ErrBackupFailed, err)
	}
	m := Manifest{
		CreatedAt: start.UTC(), Dialect: string(db.Dialect), Kind: res.Kind, Location: res.Location,
		State: opts.State, VersionBefore: opts.VersionBefore, ProgramVersion: opts.ProgramVersion, Rows: res.Rows,
	}
	name := manifestPath(opts.Dir, m)
	b, _ := json.MarshalIndent(m, "", "  ")
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o600); err != nil {
		return Manifest{}, fmt.Errorf("%w: write manifest: %v", ErrBackupFailed, err)
	}
	if err := os.Rename(tmp, name); err != nil {
		return Manifest{}, fmt.Errorf("%w: write manifest: %v", ErrBackupFailed, err)
	}
	prune(opts.Dir, opts.Keep, log)
	return m, nil
}

func manifestPath(dir string, m Manifest) string {
	if m.Kind == "schema-copy" {
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
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		var m Manifest
		if json.Unmarshal(b, &m) == nil && m.Location != "" {
			out = append(out, m)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].CreatedAt.After(out[j].CreatedAt) })
	return out, nil
}

// prune keeps the newest keep backups that are files; in-database copies
// are listed but never dropped by us.
func prune(dir string, keep int, log *slog.Logger) {
	if keep <= 0 {
		return
	}
	all, err := ListBackups(dir)
	if err != nil {
		return
	}
	files := 0
	for _, m := range all {
		if m.Kind == "schema-copy" || !strings.HasPrefix(m.Location, dir) {
			continue
		}
		files++
		if files <= keep {
			continue
		}
		os.Remove(m.Location)
		os.Remove(m.Location + ".json")
		log.Info("removed old backup (retention)", "path", m.Location, "keep", keep)
	}
}
