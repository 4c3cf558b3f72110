// Package migrations holds TimeTracker's versioned schema steps, run through
// gormigrate, and the history that records each one.
//
// Steps are one ordered list (Steps). IDs are YYYYMMDDHHMM_description and
// carry the TimeTracker Alembic revision they mirror in their last digits.
// Steps are never reordered or deleted; a step that must stop doing
// something becomes a no-op. Each step lives in a file of its own with
// frozen copies of the structs it needs, and never imports package models.
package migrations

import (
	"github.com/go-gormigrate/gormigrate/v2"
)

// Table names of the version bookkeeping.
const (
	// TableName is gormigrate's table: one row per applied step ID.
	TableName = "timetracker_migrations"
	// HistoryTableName records every apply, rollback, initialisation and
	// baselining with its timing, outcome and program version.
	HistoryTableName = "timetracker_migration_history"
	// AlembicTableName is TimeTracker's own version table, kept as a mirror
	// so TimeTracker's Python images can take the database over.
	AlembicTableName = "alembic_version"
	// LockTableName is the lease lock's table (lock-mode lease only).
	LockTableName = "timetracker_lock"
)

// TimeTrackerTables returns TimeTracker's own tables, those of the
// application rather than the version bookkeeping: a database holding any of
// them is TimeTracker's. The models describe the same tables at head
// (TestTimeTrackerTablesAreTheModels). A new slice each call.
func TimeTrackerTables() []string {
	return []string{"users", "projects", "time_entries", "settings", "clients",
		"tasks", "invoices", "invoice_items", "task_activities"}
}

// BaselineID is the step whose schema legacy databases are converted into;
// nothing rolls back below it.
const BaselineID = "202509030000_baseline"

// Step is one versioned change.
type Step struct {
	gormigrate.Migration
	// Description is shown by `db history`.
	Description string
	// Alembic is the TimeTracker revision a database at this step matches;
	// alembic_version is set to it so TimeTracker does not re-run steps.
	Alembic string
}

// Steps returns every step in order. Append only.
func Steps() []*Step {
	return []*Step{
		// v1 baseline: the eight tables of TimeTracker 645329c1 (Alembic 001 + 005–009).
		baseline(),
		// TimeTracker v1.4.0–v1.6.1.
		addUserFullName(),
		addUserThemePreference(),
		addTaskActivities(),
		enforceSingleActiveTimer(),
		addUserPreferredLanguage(),
		addPDFTemplateFields(),
	}
}

// AlembicRange returns the lowest and highest TimeTracker Alembic revisions
// the steps mirror: a database stamped with one of them, or one between,
// is a TimeTracker database this program can adopt.
func AlembicRange() (first, last string) {
	for _, s := range Steps() {
		if s.Alembic == "" {
			continue
		}
		if first == "" || s.Alembic < first {
			first = s.Alembic
		}
		if s.Alembic > last {
			last = s.Alembic
		}
	}
	return first, last
}

// Head returns the last step's ID.
func Head(steps []*Step) string {
	if len(steps) == 0 {
		return ""
	}
	return steps[len(steps)-1].ID
}

// IDs lists the IDs of steps, in order.
func IDs(steps []*Step) []string {
	ids := make([]string, len(steps))
	for i, s := range steps {
		ids[i] = s.ID
	}
	return ids
}

// Index returns the position of id in steps, or -1. It searches from the
// end: the ID asked for is most often the head (db current, every start), so
// the cost does not grow with the history.
func Index(steps []*Step, id string) int {
	for i := len(steps) - 1; i >= 0; i-- {
		if steps[i].ID == id {
			return i
		}
	}
	return -1
}
