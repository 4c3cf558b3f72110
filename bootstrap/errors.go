package bootstrap

import (
	"context"
	"errors"
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

// PartialError is returned by Run when a phase failed, possibly after
// others had completed; Err says why. Its text is the one line an operator
// reads: what happened, whether anything changed, where the backup is.
// Done keeps the completed phases for the log.
type PartialError struct {
	Done   []Phase
	Failed Phase
	Err    error
	// Changes lists what was committed before the failure, in order.
	Changes []string
	// Backup is the backup taken before the change, if one was.
	Backup string
}

// doing says what a phase was doing, in the operator's words.
var doing = map[Phase]string{
	PhaseWait:    "waiting for the database",
	PhaseLock:    "waiting for the migration lock",
	PhaseDetect:  "reading the database state",
	PhaseBackup:  "backing up",
	PhaseMigrate: "migrating",
	PhaseVerify:  "verifying the schema",
}

func (e *PartialError) Error() string {
	// The causes name what they were doing ("timed out waiting for the
	// migration lock", "backup failed: ..."), except an interruption and a
	// failed step.
	what := e.Err.Error()
	switch {
	case errors.Is(e.Err, context.Canceled) && !errors.Is(e.Err, ErrInterrupted):
		what = "interrupted by a signal"
		if d, ok := doing[e.Failed]; ok {
			what += " while " + d
		}
	case e.Failed == PhaseMigrate && !errors.Is(e.Err, ErrInterrupted) && !errors.Is(e.Err, ErrRefused):
		what = "migration failed: " + what
	}
	parts := []string{what}
	switch {
	case len(e.Changes) == 0:
		parts = append(parts, "nothing was changed")
	case e.Failed == PhaseMigrate:
		parts = append(parts, "kept: "+strings.Join(e.Changes, ", ")+"; the step in progress was rolled back")
	default:
		parts = append(parts, "done before the failure: "+strings.Join(e.Changes, ", "))
	}
	if e.Backup != "" {
		parts = append(parts, "backup taken before the change: "+e.Backup)
	}
	return strings.Join(parts, "; ")
}

func (e *PartialError) Unwrap() error { return e.Err }
