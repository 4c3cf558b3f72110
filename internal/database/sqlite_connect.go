// SQLite: opening the database file and checking that it is one.

package database

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
)

type sqliteDialect struct{}

// MemoryPath is the SQLite path of an in-memory database.
const MemoryPath = ":memory:"

var sqliteHeader = []byte("SQLite format 3\x00")

func (sqliteDialect) open(ctx context.Context, opts Options) (*gorm.DB, string, error) {
	path := opts.DSN
	params := "_busy_timeout=10000"
	if !opts.ReadOnly {
		// Write transactions take the write lock when they begin, so two
		// processes queue on the busy timeout instead of deadlocking.
		params += "&_txlock=immediate"
	}
	switch {
	case path == MemoryPath:
		path = ""
	case opts.ReadOnly:
		if err := checkSQLiteFile(path); err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				return nil, "", err
			}
			// Nothing there: inspect an empty database instead of creating a file.
			path = ""
		} else {
			// Read-write but never create: a process killed inside a write
			// transaction leaves a hot journal that only a writer can roll
			// back, and SQLite does that on the first read.
			params += "&mode=rw"
		}
	default:
		if err := prepareSQLiteFile(path); err != nil {
			return nil, "", err
		}
	}
	dsn := "file::memory:"
	if path != "" {
		dsn = "file:" + escapeSQLitePath(path) + "?" + params
	}
	g, err := gorm.Open(sqlite.Open(dsn), gormConfig(opts))
	if err != nil {
		return nil, "", fmt.Errorf("%w: %v", ErrRejected, err)
	}
	sqlDB, err := g.DB()
	if err != nil {
		return nil, "", fmt.Errorf("%w: %v", ErrRejected, err)
	}
	// One connection: SQLite serialises writers anyway, and an in-memory
	// database lives only as long as its single connection.
	sqlDB.SetMaxOpenConns(1)
	sqlDB.SetConnMaxLifetime(0)
	sqlDB.SetConnMaxIdleTime(0)
	pingCtx, cancel := context.WithTimeout(ctx, opts.ConnectTimeout)
	defer cancel()
	// A ping alone does not read the file; a query does.
	var n int
	if err := sqlDB.QueryRowContext(pingCtx, "SELECT count(*) FROM sqlite_master").Scan(&n); err != nil {
		_ = sqlDB.Close()
		return nil, "", fmt.Errorf("%w: %s: %v", ErrRejected, path, err)
	}
	return g, path, nil
}

// prepareSQLiteFile creates the file's own directory (not its parents: a
// mistyped path must not leave a tree of directories behind), checks it is
// writable and that an existing file is a SQLite database: anything else is
// an error, never a fresh database.
func prepareSQLiteFile(path string) error {
	dir := filepath.Dir(path)
	if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%w: create directory %s: %v", ErrRejected, dir, unwrapPathError(err))
	}
	probe, err := os.CreateTemp(dir, ".timetracker-write-check-*")
	if err != nil {
		return fmt.Errorf("%w: directory %s is not writable: %v", ErrRejected, dir, unwrapPathError(err))
	}
	probe.Close()
	os.Remove(probe.Name())
	if err := checkSQLiteFile(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

func checkSQLiteFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return fmt.Errorf("%w: open %s: %v", ErrRejected, path, unwrapPathError(err))
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return fmt.Errorf("%w: %s is a directory, not a SQLite database", ErrRejected, path)
	}
	head := make([]byte, len(sqliteHeader))
	n, err := io.ReadFull(f, head)
	if n == 0 && (err == io.EOF || err == nil) {
		return nil // an empty file is an empty database
	}
	if !bytes.Equal(head[:n], sqliteHeader) {
		return fmt.Errorf("%w: %s is not a SQLite database", ErrRejected, path)
	}
	return nil
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// escapeSQLitePath makes a path safe inside a file: URI.
func escapeSQLitePath(p string) string {
	r := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")
	return r.Replace(p)
}
