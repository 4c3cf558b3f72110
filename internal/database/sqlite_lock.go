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

// sqliteLock takes an exclusive flock on <file>.lock. The kernel drops the
// lock when the process dies, so a killed bootstrap never leaves a stale
// lock behind.
func (sqliteDialect) lock(ctx context.Context, d *DB, opts LockOptions) (func() error, error) {
	if d.Path == "" {
		return func() error { return nil }, nil
	}
	name := d.Path + ".lock"
	f, err := os.OpenFile(name, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	if err := acquire(ctx, &lockFile{f: f}, opts); err != nil {
		f.Close()
		if errors.Is(err, errWaitedOut) {
			return nil, fmt.Errorf("%w after %s: %s is held by another process", ErrLockTimeout, opts.Timeout, name)
		}
		return nil, err
	}
	return func() error {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		return f.Close()
	}, nil
}

// lockFile is the lock file as acquire waits for it.
type lockFile struct {
	f *os.File
	// released, while a wait is under way, receives when it ends.
	released chan error
}

func (l *lockFile) try(context.Context) (bool, error) {
	err := syscall.Flock(int(l.f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("lock %s: %w", l.f.Name(), err)
	}
	return true, nil
}

// wait blocks in a shared flock on a descriptor of its own, which the
// holder's exclusive lock blocks, and drops it at once: the kernel wakes
// every waiter when the holder releases or dies. A blocked flock cannot be
// interrupted, so it runs in a goroutine; one that outlives a timeout ends
// when the holder releases, or with the process.
func (l *lockFile) wait(ctx context.Context, d time.Duration) (bool, error) {
	if d <= 0 {
		return false, nil
	}
	if l.released == nil {
		ch, name := make(chan error, 1), l.f.Name()
		l.released = ch
		go func() { ch <- waitUnlocked(name) }()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case err := <-l.released:
		l.released = nil
		return err == nil, err
	case <-t.C:
		return false, nil
	case <-ctx.Done():
		return false, ctx.Err()
	}
}

// waitUnlocked returns once no process holds name exclusively.
func waitUnlocked(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("open lock file: %w", err)
	}
	defer f.Close() // drops the shared lock
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_SH)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("wait for %s: %w", name, err)
	}
	return nil
}

func (l *lockFile) holder(context.Context) string {
	return "another process holds " + l.f.Name()
}
