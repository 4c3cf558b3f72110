// SQLite: the migration lock as a lock file beside the database.

package database

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// sqliteLock takes an exclusive flock on <file>.lock, polling until the
// deadline. The kernel drops the lock when the process dies, so a killed
// bootstrap never leaves a stale lock behind.
func (sqliteDialect) lock(ctx context.Context, d *DB, opts LockOptions) (func() error, error) {
	if d.Path == "" {
		return func() error { return nil }, nil
	}
	name := d.Path + ".lock"
	f, err := os.OpenFile(name, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	deadline := time.Now().Add(opts.Timeout)
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", name, err)
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, fmt.Errorf("%w after %s: %s is held by another process", ErrLockTimeout, opts.Timeout, name)
		}
		if err := opts.pause(ctx, func() string { return "another process holds " + name }); err != nil {
			f.Close()
			return nil, err
		}
	}
	return func() error {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		return f.Close()
	}, nil
}
