package bootstrap

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/timetracker/timetracker/internal/database"
)

// ErrNoSpace is returned (wrapping ErrBackupFailed: exit 7) when a
// filesystem lacks the space a backup and a change would take; it is
// raised before either starts, so nothing was changed.
var ErrNoSpace = fmt.Errorf("%w: not enough free space", ErrBackupFailed)

// PreflightOptions say what is about to happen.
type PreflightOptions struct {
	// BackupDir receives the backup ("" when no backup is taken).
	BackupDir string
	// Rebuild is set for a conversion, which rebuilds every table: a
	// SQLite file then grows by about its size until the commit.
	Rebuild bool
	Logger  *slog.Logger
}

// Preflight estimates the space a backup (and, for a conversion, the
// rebuilt tables) will take and refuses with ErrNoSpace, naming the
// numbers and the path, when the backup directory's filesystem or, for
// SQLite, the database file's does not have it free. Where both are on one
// filesystem their needs add up. A rebuild on PostgreSQL takes the
// server's space, which cannot be seen from here: it is logged only.
// The estimate gets a margin of a tenth plus 1 MiB (manifest, journal).
func Preflight(ctx context.Context, db *database.DB, opts PreflightOptions) error {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	sizes, err := db.EstimateSizes(ctx)
	if err != nil {
		// Not knowing the size is no reason to refuse: the backup itself is
		// still verified.
		log.Warn("could not estimate the space needed; going ahead without the check", "error", err)
		return nil
	}
	type need struct {
		what, path string
		bytes      int64
	}
	var needs []need
	if opts.BackupDir != "" {
		needs = append(needs, need{"the backup", opts.BackupDir, sizes.Backup})
	}
	if opts.Rebuild {
		if db.Path != "" {
			needs = append(needs, need{"the rebuilt tables", db.Path, sizes.Rebuild})
		} else if db.Dialect == database.Postgres {
			log.Info("the conversion rebuilds the tables on the PostgreSQL server: it needs about this much free space there", "bytes", sizes.Rebuild, "size", humanBytes(sizes.Rebuild))
		}
	}
	// Group by filesystem: the backup next to a SQLite file takes from the
	// same free space as its growth.
	type fsNeed struct {
		free  int64
		bytes int64
		whats []string
		paths []string
	}
	var order []uint64
	byFS := map[uint64]*fsNeed{}
	for _, n := range needs {
		dev, free, ok := freeSpace(n.path)
		if !ok {
			log.Debug("free space unknown; not checked", "path", n.path)
			continue
		}
		f := byFS[dev]
		if f == nil {
			f = &fsNeed{free: free}
			byFS[dev] = f
			order = append(order, dev)
		}
		f.bytes += n.bytes
		f.whats = append(f.whats, n.what)
		f.paths = append(f.paths, n.path)
	}
	for _, dev := range order {
		f := byFS[dev]
		want := f.bytes + f.bytes/10 + 1<<20
		log.Debug("free space check", "paths", strings.Join(f.paths, ", "), "needed", want, "free", f.free)
		if want > f.free {
			return fmt.Errorf("%w for %s: %s needs about %s, %s is free there; nothing was changed; free some space or set backup-dir (BACKUP_DIR) to a larger disk",
				ErrNoSpace, strings.Join(f.whats, " and "), strings.Join(f.paths, " and "), humanBytes(want), humanBytes(f.free))
		}
	}
	return nil
}

// freeSpace is the space available to us on the filesystem that holds
// path, or would hold it: the nearest existing ancestor is asked, as the
// backup directory may not exist yet.
func freeSpace(path string) (dev uint64, free int64, ok bool) {
	p, err := filepath.Abs(path)
	if err != nil {
		return 0, 0, false
	}
	for {
		if _, err := os.Stat(p); err == nil {
			return statFS(p)
		}
		parent := filepath.Dir(p)
		if parent == p {
			return 0, 0, false
		}
		p = parent
	}
}

func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
