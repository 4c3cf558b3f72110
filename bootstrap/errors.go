package bootstrap

import (
	"errors"
	"fmt"
	"strings"
)

var (
	// ErrTimeout is returned by Wait when the database did not become
	// reachable before the deadline or the attempts ran out.
	ErrTimeout = errors.New("timed out waiting for the database")
	// ErrRefused is returned by Run when the detected state is one this
	// program will not touch (foreign, newer, unknown, prototype); nothing
	// was changed.
	ErrRefused = errors.New("refused to change the database")
	// ErrVerifyFailed is returned by Verify and Run when the live schema
	// does not match the models.
	ErrVerifyFailed = errors.New("schema verification failed")
	// ErrBackupFailed is returned by Run when the backup before a change
	// failed and the operator did not allow going on without one.
	ErrBackupFailed = errors.New("backup failed")
	// ErrNotReady is returned by the readiness check (db status --check)
	// when the database is reachable but not at head.
	ErrNotReady = errors.New("database not ready")
	// ErrInvalidSeed is returned by SeedOptions.Validate and Run, before
	// anything is done, when a seed value does not fit its column.
	ErrInvalidSeed = errors.New("invalid seed value")
	// ErrInterrupted is returned by Run when a signal stopped it between
	// steps.
	ErrInterrupted = errors.New("interrupted")
)

// Phase is one stage of a bootstrap run.
type Phase string

// The phases, in order.
const (
	PhaseWait    Phase = "wait"
	PhaseLock    Phase = "lock"
	PhaseDetect  Phase = "detect"
	PhaseBackup  Phase = "backup"
	PhaseMigrate Phase = "migrate"
	PhaseVerify  Phase = "verify"
)

// PartialError is returned by Run when a phase failed after others had
// completed; Err says why.
type PartialError struct {
	Done   []Phase
	Failed Phase
	Err    error
}

func (e *PartialError) Error() string {
	done := make([]string, len(e.Done))
	for i, p := range e.Done {
		done[i] = string(p)
	}
	if e.Failed == "" {
		return e.Err.Error()
	}
	if len(done) == 0 {
		return fmt.Sprintf("%s: %v", e.Failed, e.Err)
	}
	return fmt.Sprintf("%s (after %s): %v", e.Failed, strings.Join(done, ", "), e.Err)
}

func (e *PartialError) Unwrap() error { return e.Err }
