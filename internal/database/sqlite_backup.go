// SQLite: backup with VACUUM INTO, and restore by putting the backup file in
// place of the database.

package database

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
)

// backup writes VACUUM INTO a temporary file in req.Dir, checks its row
// counts against the live database, then renames it into place (0600).
func (sqliteDialect) backup(ctx context.Context, d *DB, req BackupRequest) (BackupResult, error) {
	if err := d.Exists(); err != nil {
		return BackupResult{}, err
	}
	if d.Path == "" {
		return BackupResult{}, errors.New("an in-memory database cannot be backed up")
	}
	tables, err := ListTables(ctx, d.Gorm)
	if err != nil {
		return BackupResult{}, err
	}
	rows, err := RowCounts(ctx, d.Gorm, tables)
	if err != nil {
		return BackupResult{}, err
	}
	file, err := reserveBackupFile(req.Dir, req.Stamp, ".sqlite")
	if err != nil {
		return BackupResult{}, err
	}
	defer file.Discard()
	if err := d.Gorm.WithContext(ctx).Exec("VACUUM INTO ?", file.Tmp).Error; err != nil {
		return BackupResult{}, fmt.Errorf("vacuum into %s: %w", file.Tmp, err)
	}
	copyDB, err := Open(ctx, Options{Dialect: SQLite, DSN: file.Tmp, ReadOnly: true})
	if err != nil {
		return BackupResult{}, fmt.Errorf("open backup: %w", err)
	}
	got, err := RowCounts(ctx, copyDB.Gorm, tables)
	copyDB.Close()
	if err == nil {
		err = compareCounts(rows, got)
	}
	if err != nil {
		return BackupResult{}, err
	}
	if err := file.Keep(); err != nil {
		return BackupResult{}, err
	}
	return BackupResult{Kind: BackupSQLiteFile, Location: file.Final, Rows: rows}, nil
}

// restore puts a copy of the file back in place of the database.
func (sqliteDialect) restore(_ context.Context, d *DB, kind BackupKind, location string) (string, error) {
	if kind != BackupSQLiteFile {
		return "", fmt.Errorf("%w: a %s backup is not a SQLite backup", ErrCannotRestore, kind)
	}
	return "", d.RestoreFile(location)
}

// RestoreFile replaces this SQLite database with a backup file: streamed to
// a temporary file beside it, synced, then renamed over it, after closing
// every connection. Journal and WAL files of the replaced database are
// removed so SQLite cannot replay them onto the restored one.
func (d *DB) RestoreFile(backup string) error {
	if d.Dialect != SQLite || d.Path == "" {
		return errors.New("restore a file: the target is not a SQLite file")
	}
	src, err := os.Open(backup)
	if err != nil {
		return err
	}
	defer src.Close()
	tmp := d.Path + ".restore.tmp"
	dst, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		os.Remove(tmp)
		return err
	}
	if err := dst.Sync(); err != nil {
		dst.Close()
		os.Remove(tmp)
		return err
	}
	if err := dst.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := d.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	for _, suffix := range []string{"-journal", "-wal", "-shm"} {
		os.Remove(d.Path + suffix)
	}
	return os.Rename(tmp, d.Path)
}
