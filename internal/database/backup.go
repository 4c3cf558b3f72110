// Backups: where they go, what they report, and the checks shared by both
// dialects.

package database

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"gorm.io/gorm"
)

// BackupRequest says where a backup goes.
type BackupRequest struct {
	// Dir receives the file (SQLite copy or pg_dump archive).
	Dir string
	// Stamp names the backup (e.g. 20260102T150405Z); the dialect adds
	// its own extension.
	Stamp string
	// OnFallback is told why a PostgreSQL backup fell back from pg_dump to
	// an in-database copy.
	OnFallback func(reason string)
	// FileOnly makes a PostgreSQL backup fail instead of falling back to an
	// in-database copy, for a copy that is only fingerprinted.
	FileOnly bool
}

// BackupKind says how a backup was made, and so how it is put back. The
// strings are stored in backup manifests: they must never change.
type BackupKind string

// The kinds of backup.
const (
	// BackupSQLiteFile is a copy of the SQLite file (VACUUM INTO).
	BackupSQLiteFile BackupKind = "sqlite-file"
	// BackupPgDump is a pg_dump archive in custom format.
	BackupPgDump BackupKind = "pg_dump"
	// BackupSchemaCopy is a copy of every table into a schema of the same
	// PostgreSQL database, made when pg_dump cannot be used.
	BackupSchemaCopy BackupKind = "schema-copy"
)

// BackupResult describes a finished, verified backup.
type BackupResult struct {
	Kind BackupKind
	// Location is the file path, or the schema name of an in-database copy.
	Location string
	// Rows is the row count of every table at the time of the backup.
	Rows map[string]int64
}

// ErrNoDatabase is returned by Backup when the SQLite file does not exist
// (the database was opened read-only, which creates nothing).
var ErrNoDatabase = errors.New("no database to back up")

// ErrBackupVerify is returned by Backup when the copy does not hold what
// the database held.
var ErrBackupVerify = errors.New("backup verification failed")

// Backup copies the whole database and verifies the copy's row counts:
// SQLite with VACUUM INTO a temporary name, renamed when complete;
// PostgreSQL with pg_dump --format=custom (password through the environment,
// never the command line) or, when pg_dump is missing or older than the
// server, a copy of every table into a schema of its own.
func (d *DB) Backup(ctx context.Context, req BackupRequest) (BackupResult, error) {
	return d.impl.backup(ctx, d, req)
}

// ErrCannotRestore is returned by Restore for a backup it cannot put back
// automatically: an in-database schema copy, a backup of the other dialect,
// or a pg_dump archive without pg_restore in PATH.
var ErrCannotRestore = errors.New("cannot restore this backup automatically")

// Restore puts back a backup of this database's dialect: a SQLite copy
// replaces the database file (RestoreFile); a pg_dump archive is restored
// with pg_restore (PgRestore), which returns the schema it moved the tables
// the archive lacks into. Other kinds wrap ErrCannotRestore.
func (d *DB) Restore(ctx context.Context, kind BackupKind, location string) (string, error) {
	return d.impl.restore(ctx, d, kind, location)
}

// RowCounts counts the rows of each table.
func RowCounts(ctx context.Context, db *gorm.DB, tables []string) (map[string]int64, error) {
	out := make(map[string]int64, len(tables))
	for _, t := range tables {
		var n int64
		row := db.Statement.ConnPool.QueryRowContext(ctx, `SELECT count(*) FROM "`+t+`"`)
		if err := row.Scan(&n); err != nil {
			return nil, fmt.Errorf("count %s: %w", t, err)
		}
		out[t] = n
	}
	return out, nil
}

func compareCounts(want, got map[string]int64) error {
	for t, n := range want {
		if got[t] != n {
			return fmt.Errorf("%w: table %s has %d rows in the backup, %d in the database", ErrBackupVerify, t, got[t], n)
		}
	}
	return nil
}

// StampNow is a sortable UTC timestamp for backup names.
func StampNow() string { return time.Now().UTC().Format("20060102T150405.000000Z") }

// backupFile is a backup being written: the final name is reserved
// exclusively (a backup never replaces another), the content goes to Tmp
// and is renamed over it by Keep; Discard removes both unless Keep ran.
type backupFile struct {
	Final, Tmp string
	kept       bool
}

func reserveBackupFile(dir, stamp, ext string) (*backupFile, error) {
	final := filepath.Join(dir, "timetracker-"+stamp+ext)
	f, err := os.OpenFile(final, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("reserve backup name: %w", err)
	}
	f.Close()
	return &backupFile{Final: final, Tmp: final + ".tmp"}, nil
}

// Keep makes the finished temporary file the backup (mode 0600).
func (b *backupFile) Keep() error {
	if err := os.Chmod(b.Tmp, 0o600); err != nil {
		return err
	}
	if err := os.Rename(b.Tmp, b.Final); err != nil {
		return err
	}
	b.kept = true
	return nil
}

// Discard removes what an unfinished backup left; a no-op after Keep.
func (b *backupFile) Discard() {
	if !b.kept {
		os.Remove(b.Tmp)
		os.Remove(b.Final)
	}
}
