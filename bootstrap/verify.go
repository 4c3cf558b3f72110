package bootstrap

import (
	"fmt"
	"strings"

	"github.com/timetracker/timetracker/internal/schema"
	"github.com/timetracker/timetracker/migrations"
)

// VerifyReport is the outcome of checking a live database against the
// models and the step list.
type VerifyReport struct {
	// Problems lists every difference; empty means verified.
	Problems []string
}

// OK reports whether nothing is wrong.
func (r VerifyReport) OK() bool { return len(r.Problems) == 0 }

// Err returns ErrVerifyFailed naming the problems, or nil.
func (r VerifyReport) Err() error {
	if r.OK() {
		return nil
	}
	return fmt.Errorf("%w: %d problem(s): %s", ErrVerifyFailed, len(r.Problems), strings.Join(r.Problems, "; "))
}

// Verify checks a snapshot against the head schema (the models) and the
// step list: every table, column, type family, nullability, unique index,
// index and foreign key, and every known step applied, nothing unknown. It
// runs no query of its own: the snapshot already holds the catalogue.
func Verify(snap Snapshot, head schema.Schema, steps []*migrations.Step) VerifyReport {
	r := VerifyReport{Problems: schema.Verify(head, snap.Schema)}
	applied := map[string]bool{}
	for _, id := range snap.MigrationIDs {
		applied[id] = true
	}
	if snap.MigrationIDs == nil {
		r.Problems = append(r.Problems, "version table "+migrations.TableName+" is missing")
	}
	known := map[string]bool{}
	for _, s := range steps {
		known[s.ID] = true
		if snap.MigrationIDs != nil && !applied[s.ID] {
			r.Problems = append(r.Problems, "step "+s.ID+" is not applied")
		}
	}
	for _, id := range snap.MigrationIDs {
		if !known[id] {
			r.Problems = append(r.Problems, "step "+id+" is unknown to this program (the database is newer)")
		}
	}
	return r
}
