package bootstrap

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/timetracker/timetracker/internal/database"
)

// ErrCannotRestore is returned by Restore for a backup it cannot put back
// automatically (an in-database schema copy).
var ErrCannotRestore = errors.New("cannot restore this backup automatically")

// FindBackup resolves a backup given as a path, a file name inside dir, or
// a manifest path.
func FindBackup(dir, ref string) (Manifest, error) {
	all, err := ListBackups(dir)
	if err != nil {
		return Manifest{}, err
	}
	ref = strings.TrimSuffix(ref, ".json")
	for _, m := range all {
		if m.Location == ref || filepath.Base(m.Location) == ref || m.Location == filepath.Join(dir, ref) {
			return m, nil
		}
	}
	return Manifest{}, fmt.Errorf("no backup %q in %s (see `timetracker db backups`)", ref, dir)
}

// Restore puts a backup back: a SQLite copy replaces the database file (a
// copy in the same directory, renamed over it); a pg_dump archive is
// restored with pg_restore --clean in a single transaction, after tables
// the archive lacks are moved into a schema of their own (its name is
// returned). The caller holds the migration lock and has asked the operator.
func Restore(ctx context.Context, db *database.DB, m Manifest) (string, error) {
	if m.Dialect != string(db.Dialect) {
		return "", fmt.Errorf("%w: the backup is of a %s database, the target is %s", ErrCannotRestore, m.Dialect, db.Dialect)
	}
	switch m.Kind {
	case "sqlite-file":
		return "", db.RestoreFile(m.Location)
	case "pg_dump":
		bin, err := exec.LookPath("pg_restore")
		if err != nil {
			return "", fmt.Errorf("%w: pg_restore not found in PATH", ErrCannotRestore)
		}
		return db.PgRestore(ctx, bin, m.Location)
	}
	return "", fmt.Errorf("%w: %s backup %s: copy its tables back by hand (they are in that schema)", ErrCannotRestore, m.Kind, m.Location)
}
