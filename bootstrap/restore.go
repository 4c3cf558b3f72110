package bootstrap

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/timetracker/timetracker/internal/database"
)

// ErrCannotRestore is returned by Restore for a backup it cannot put back
// automatically (an in-database schema copy); it is
// database.ErrCannotRestore.
var ErrCannotRestore = database.ErrCannotRestore

// FindBackup resolves a backup given as a file name or manifest inside
// dir, or as the path of a backup file anywhere (its manifest beside it is
// read when there is one; without, the file's first bytes say whether it
// is a SQLite file or a pg_dump archive).
func FindBackup(dir, ref string) (Manifest, error) {
	all, err := ListBackups(dir)
	if err != nil {
		return Manifest{}, err
	}
	ref = strings.TrimSuffix(ref, ".json")
	abs, _ := filepath.Abs(ref)
	for _, m := range all {
		if m.Location == ref || m.Location == abs || filepath.Base(m.Location) == ref || m.Location == filepath.Join(dir, ref) {
			return m, nil
		}
	}
	st, err := os.Stat(ref)
	if err != nil {
		return Manifest{}, fmt.Errorf("no backup %q: it is neither a file nor a backup in %s (`timetracker db backups` lists them)", ref, dir)
	}
	if !st.Mode().IsRegular() {
		return Manifest{}, fmt.Errorf("%s is not a backup file", abs)
	}
	kind, dialect := sniffBackup(abs)
	if kind == "" {
		return Manifest{}, fmt.Errorf("%s is neither a SQLite database nor a pg_dump archive (custom format)", abs)
	}
	m, err := readManifest(abs + ".json")
	if err != nil || m.Kind != kind {
		m = Manifest{Kind: kind, Dialect: dialect, State: "file"}
	}
	m.Location = abs
	return m, nil
}

// sniffBackup tells a backup file's kind and dialect by its first bytes.
func sniffBackup(path string) (kind database.BackupKind, dialect string) {
	f, err := os.Open(path)
	if err != nil {
		return "", ""
	}
	defer f.Close()
	head := make([]byte, 16)
	n, _ := io.ReadFull(f, head)
	switch {
	case bytes.HasPrefix(head[:n], []byte("SQLite format 3\x00")):
		return database.BackupSQLiteFile, string(database.SQLite)
	case bytes.HasPrefix(head[:n], []byte("PGDMP")):
		return database.BackupPgDump, string(database.Postgres)
	}
	return "", ""
}

// Restore puts a backup back: a SQLite copy replaces the database file (a
// copy in the same directory, renamed over it); a pg_dump archive is
// restored with pg_restore --clean in a single transaction, after tables
// the archive lacks are moved into a schema of their own (its name is
// returned). The caller holds the migration lock and has asked the operator.
func Restore(ctx context.Context, db *database.DB, m Manifest) (string, error) {
	if err := CanRestore(db, m); err != nil {
		return "", err
	}
	return db.Restore(ctx, m.Kind, m.Location)
}

// CanRestore checks, before anything is backed up or changed, that Restore
// can put m back into db. Errors wrap ErrCannotRestore.
func CanRestore(db *database.DB, m Manifest) error {
	if m.Dialect != string(db.Dialect) {
		return fmt.Errorf("%w: the backup is of a %s database, the target is %s", ErrCannotRestore, m.Dialect, db.Dialect)
	}
	switch m.Kind {
	case database.BackupSQLiteFile:
		return nil
	case database.BackupPgDump:
		if _, err := exec.LookPath("pg_restore"); err != nil {
			return fmt.Errorf("%w: pg_restore not found in PATH", ErrCannotRestore)
		}
		return nil
	}
	return fmt.Errorf("%w: %s backup %s: copy its tables back by hand (they are in that schema)", ErrCannotRestore, m.Kind, m.Location)
}
