package bootstrap

import (
	"fmt"
	"slices"
	"strings"

	"github.com/timetracker/timetracker/internal/schema"
	"github.com/timetracker/timetracker/legacy"
	"github.com/timetracker/timetracker/migrations"
)

// State is what Detect found in the database (docs/operations.md lists the
// states, docs/conversion.md the legacy shapes).
type State string

// The states, in the order Detect tests them.
const (
	// StateFresh: no TimeTracker table and no version rows that matter.
	StateFresh State = "fresh"
	// StateMigrated: our version table, every ID known, at head.
	StateMigrated State = "migrated"
	// StateBehind: our version table, known IDs, steps pending.
	StateBehind State = "behind"
	// StateNewer: our table has IDs this program does not know, or
	// alembic_version holds a revision above the last one the steps mirror
	// (migrations.AlembicRange) or more than one row.
	StateNewer State = "newer"
	// StateLegacy: TimeTracker tables without a version table; the
	// fingerprint says which shape (including legacy.ShapeBaseline).
	StateLegacy State = "legacy"
	// StateAlembic: one alembic_version row in migrations.AlembicRange and
	// no rows in our table.
	StateAlembic State = "alembic"
	// StateForeign: tables, none of them TimeTracker's or version tables.
	StateForeign State = "foreign"
	// StateUnknown: anything else, e.g. our version table without
	// TimeTracker tables, S0, partial and unknown shapes.
	StateUnknown State = "unknown"
)

// Strategy is what bootstrap does about a State.
type Strategy string

// The strategies.
const (
	// StrategyCreate: fresh; create from the models, stamp, seed.
	StrategyCreate Strategy = "create"
	// StrategyNone: migrated; nothing to do.
	StrategyNone Strategy = "none"
	// StrategyUpgrade: behind; back up, apply the pending steps.
	StrategyUpgrade Strategy = "upgrade"
	// StrategyConvert: legacy (not baseline) and alembic; back up, convert
	// to the baseline, stamp, apply the steps.
	StrategyConvert Strategy = "convert"
	// StrategyAdopt: legacy baseline; verify, stamp the baseline, apply
	// the steps.
	StrategyAdopt Strategy = "adopt"
	// StrategyRefuse: change nothing and exit non-zero.
	StrategyRefuse Strategy = "refuse"
)

// Snapshot is what detection reads: the introspected schema and the version
// rows. The caller fills it (and leaves SQLite's internal sqlite_% tables
// out of Schema).
type Snapshot struct {
	Schema   schema.Schema
	Triggers []string
	// MigrationIDs are the rows of timetracker_migrations; nil when that
	// table is absent.
	MigrationIDs []string
	// AlembicVersions are the rows of alembic_version; nil when that table
	// is absent.
	AlembicVersions []string
	// SettingsRows counts the rows of settings (0 when it is absent).
	SettingsRows int
}

// Detection is the outcome of Detect.
type Detection struct {
	State    State
	Strategy Strategy
	// Shape is set for legacy and alembic states and for refusals decided
	// by the shape (S0, partial, unknown); "" otherwise.
	Shape legacy.Shape
	// Fingerprint is nil unless the state came from legacy classification.
	Fingerprint *legacy.Fingerprint
	// Pending lists the known step IDs not applied (behind), in step order.
	Pending []string
	// Unknown lists the IDs of our table this program does not know (newer).
	Unknown []string
	// Alembic is the alembic_version value found, if any (comma-joined when
	// there are several rows).
	Alembic string
	// Reason says in one line why this state, naming what decided it.
	Reason string
	// Advice says in one line, for refusals, what the operator can do.
	Advice string
}

// ttTableNames are TimeTracker's tables; versionTableNames are the
// bookkeeping tables a database may carry without being anyone else's.
var (
	ttTableNames      = migrations.TimeTrackerTables()
	versionTableNames = []string{migrations.TableName, migrations.HistoryTableName, migrations.AlembicTableName, migrations.LockTableName}
)

// Detect classifies a snapshot against the known step IDs (in step order).
// It is pure: no I/O. Rules are tested in order and the first match wins
// (empty, migrated, behind, newer and foreign here; the legacy and Alembic
// shapes through package legacy, as docs/conversion.md lists them).
func Detect(snap Snapshot, known []string) Detection {
	d := detect(snap, known)
	// Whatever decided the state, the operator sees the Alembic value.
	d.Alembic = strings.Join(snap.AlembicVersions, ",")
	return d
}

func detect(snap Snapshot, known []string) Detection {
	var tt, others, versions []string
	for _, t := range snap.Schema.Tables {
		switch {
		case slices.Contains(ttTableNames, t.Name):
			tt = append(tt, t.Name)
		case slices.Contains(versionTableNames, t.Name):
			versions = append(versions, t.Name)
		default:
			others = append(others, t.Name)
		}
	}
	alembic := strings.Join(snap.AlembicVersions, ",")

	// 1. fresh. Tables other than version tables rule it out, else rule 2
	// (foreign) could never match. An alembic row without any TimeTracker
	// table describes nothing that exists: it is replaced.
	if len(tt) == 0 && len(others) == 0 && len(snap.MigrationIDs) == 0 {
		d := Detection{State: StateFresh, Strategy: StrategyCreate, Reason: "no TimeTracker table"}
		switch {
		case len(snap.AlembicVersions) > 0:
			d.Reason += fmt.Sprintf("; stale alembic_version row(s) %s without TimeTracker tables will be replaced", detQuote(snap.AlembicVersions))
		case len(versions) > 0:
			d.Reason += "; empty version table(s) " + strings.Join(versions, ", ")
		}
		return d
	}

	// 2. foreign.
	if len(tt) == 0 && len(versions) == 0 && snap.MigrationIDs == nil && snap.AlembicVersions == nil {
		return detRefuse(StateForeign,
			fmt.Sprintf("no TimeTracker or version table; found %s", detListTables(others)),
			"point DATABASE_URL at TimeTracker's database or at an empty one; this program never touches another application's tables")
	}

	// 3. ours.
	if len(snap.MigrationIDs) > 0 {
		return detectOurs(snap.MigrationIDs, known, len(tt) > 0)
	}

	// Rules 4–12 all describe TimeTracker content; without any, the
	// version tables sit beside someone else's tables.
	if len(tt) == 0 {
		return detRefuse(StateUnknown,
			fmt.Sprintf("no TimeTracker table, but %s beside version table(s) %s", detListTables(others), strings.Join(detVersionTables(versions, snap), ", ")),
			"point DATABASE_URL at TimeTracker's database or at an empty one; if these tables are leftovers, remove them by hand")
	}

	fp := legacy.Classify(snap.Schema, snap.Triggers)

	// 4. S0.
	if fp.Shape == legacy.ShapeS0 {
		return detRefuseShape(fp, "TimeTracker prototype S0: "+strings.Join(fp.Evidence, "; "),
			"S0 is TimeTracker's short-lived key/value prototype (the 'combined' image of 2025-08-26): its time entries have no project, so it cannot be converted; export the data by hand and start on an empty database")
	}

	// 5. newer or odd Alembic. A blank revision (NULL or '') names none: the
	// database is not newer, its revision is unknown.
	if slices.ContainsFunc(snap.AlembicVersions, func(v string) bool { return strings.TrimSpace(v) == "" }) {
		return detRefuse(StateUnknown,
			fmt.Sprintf("alembic_version holds an empty revision (%s): the database's Alembic revision is unknown", detQuote(snap.AlembicVersions)),
			"set alembic_version.version_num to the revision the database was last upgraded to (TimeTracker's are 001 to "+alembicHead()+"), or restore a backup")
	}
	if n := len(snap.AlembicVersions); n > 1 || (n == 1 && !legacy.IsAlembicRevision(snap.AlembicVersions[0])) {
		d := detRefuse(StateNewer,
			fmt.Sprintf("database is newer than this program (Alembic revision %s)", alembic),
			"run a TimeTracker image that knows this revision, or restore a backup taken at Alembic revision "+alembicHead()+" or earlier")
		if n > 1 {
			d.Reason = fmt.Sprintf("database is newer than this program (Alembic revision %s: %d rows in alembic_version, TimeTracker keeps one)", alembic, n)
			d.Advice = "inspect alembic_version: TimeTracker keeps exactly one row; restore a backup or leave the database to the TimeTracker image that wrote it"
		}
		return d
	}

	// 6. Alembic-managed TimeTracker.
	if len(snap.AlembicVersions) == 1 {
		rev := snap.AlembicVersions[0]
		afp := legacy.ClassifyAlembic(snap.Schema, snap.Triggers, rev)
		if afp.Refuse {
			return detRefuseShape(afp, fmt.Sprintf("Alembic revision %s but shape %s: %s", rev, afp.Shape, strings.Join(afp.Evidence, "; ")),
				detShapeAdvice(afp.Shape))
		}
		return Detection{State: StateAlembic, Strategy: StrategyConvert, Shape: afp.Shape, Fingerprint: &afp,
			Reason: fmt.Sprintf("managed by TimeTracker's Alembic (revision %s), %s: %s", rev, detShapeLabel(afp), strings.Join(afp.Evidence, "; "))}
	}

	// 7–12. unversioned TimeTracker tables.
	switch {
	case fp.Refuse:
		what := "unrecognised TimeTracker layout"
		if fp.Shape == legacy.ShapePartial {
			what = "incomplete TimeTracker database"
		}
		return detRefuseShape(fp, fmt.Sprintf("%s (%s): %s", what, fp.Shape, strings.Join(fp.Evidence, "; ")), detShapeAdvice(fp.Shape))
	case fp.Shape == legacy.ShapeBaseline:
		return Detection{State: StateLegacy, Strategy: StrategyAdopt, Shape: fp.Shape, Fingerprint: &fp,
			Reason: "unversioned database: " + strings.Join(fp.Evidence, "; ")}
	default:
		return Detection{State: StateLegacy, Strategy: StrategyConvert, Shape: fp.Shape, Fingerprint: &fp,
			Reason: fmt.Sprintf("unversioned legacy layout %s: %s", detShapeLabel(fp), strings.Join(fp.Evidence, "; "))}
	}
}

// detectOurs is rule 3: timetracker_migrations has rows.
func detectOurs(ids, known []string, hasTT bool) Detection {
	var unknown []string
	applied := map[string]bool{}
	for _, id := range ids {
		applied[id] = true
		if !slices.Contains(known, id) && !slices.Contains(unknown, id) {
			unknown = append(unknown, id)
		}
	}
	if len(unknown) > 0 {
		word := "step"
		if len(unknown) > 1 {
			word = "steps"
		}
		d := detRefuse(StateNewer,
			fmt.Sprintf("database is newer than this program (%s %s)", word, strings.Join(unknown, ", ")),
			"run a newer timetracker that knows these steps, or restore a backup taken before they were applied")
		d.Unknown = unknown
		return d
	}
	if !hasTT {
		return detRefuse(StateUnknown,
			fmt.Sprintf("%s has %d row(s) but no TimeTracker table exists", migrations.TableName, len(ids)),
			fmt.Sprintf("restore the TimeTracker tables from a backup, or drop %s and %s to start on an empty database", migrations.TableName, migrations.HistoryTableName))
	}
	if !applied[migrations.BaselineID] {
		return detRefuse(StateUnknown,
			fmt.Sprintf("%s lacks the baseline step %s", migrations.TableName, migrations.BaselineID),
			fmt.Sprintf("inspect %s and %s: every managed database starts with the baseline; restore a backup taken before the damage", migrations.TableName, migrations.HistoryTableName))
	}
	var pending []string
	for _, id := range known {
		if !applied[id] {
			pending = append(pending, id)
		}
	}
	if len(pending) == 0 {
		head := ""
		if len(known) > 0 {
			head = known[len(known)-1]
		}
		return Detection{State: StateMigrated, Strategy: StrategyNone,
			Reason: fmt.Sprintf("%s holds all %d known steps (head %s)", migrations.TableName, len(known), head)}
	}
	return Detection{State: StateBehind, Strategy: StrategyUpgrade, Pending: pending,
		Reason: fmt.Sprintf("%s lacks %d known step(s), first %s", migrations.TableName, len(pending), pending[0])}
}

func detRefuse(st State, reason, advice string) Detection {
	return Detection{State: st, Strategy: StrategyRefuse, Reason: reason, Advice: advice}
}

// detRefuseShape is a refusal decided by legacy classification: the state is
// unknown, and the fingerprint goes along for the report.
func detRefuseShape(fp legacy.Fingerprint, reason, advice string) Detection {
	d := detRefuse(StateUnknown, reason, advice)
	d.Shape = fp.Shape
	d.Fingerprint = &fp
	return d
}

func detShapeAdvice(s legacy.Shape) string {
	if s == legacy.ShapePartial {
		return "restore the missing core tables from a backup, or run bootstrap again with --create-missing (TIMETRACKER_CREATE_MISSING=true) to let the conversion create them empty; `timetracker db plan --create-missing` shows what that would do"
	}
	return "this program converts only TimeTracker's known layouts (S1–S6): check the columns named above, restore a backup, or convert by hand"
}

func detShapeLabel(fp legacy.Fingerprint) string {
	if fp.Variant == "" {
		return string(fp.Shape)
	}
	return fmt.Sprintf("%s (%s)", fp.Shape, fp.Variant)
}

func detQuote(vs []string) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = "'" + v + "'"
	}
	return strings.Join(q, ", ")
}

// alembicHead is the highest Alembic revision the steps mirror.
func alembicHead() string {
	_, last := migrations.AlembicRange()
	return last
}

// detListTables names up to five tables, so the Reason stays one line.
func detListTables(names []string) string {
	const limit = 5
	word := "table"
	if len(names) > 1 {
		word = "tables"
	}
	if len(names) <= limit {
		return word + " " + strings.Join(names, ", ")
	}
	return fmt.Sprintf("%d tables: %s, …", len(names), strings.Join(names[:limit], ", "))
}

// detVersionTables names the version tables present, by name or by their rows.
func detVersionTables(present []string, snap Snapshot) []string {
	out := slices.Clone(present)
	if snap.MigrationIDs != nil && !slices.Contains(out, migrations.TableName) {
		out = append(out, migrations.TableName)
	}
	if snap.AlembicVersions != nil && !slices.Contains(out, migrations.AlembicTableName) {
		out = append(out, migrations.AlembicTableName)
	}
	return out
}

// WithCreateMissing turns the refusal of a partial install (a core table
// missing) into a conversion that creates the missing tables empty: what
// the operator asks for with create-missing. Other detections pass through.
func WithCreateMissing(det Detection) Detection {
	if det.Strategy != StrategyRefuse || det.Shape != legacy.ShapePartial {
		return det
	}
	det.State, det.Strategy = StateLegacy, StrategyConvert
	det.Reason += " (create-missing: the missing tables will be created empty)"
	det.Advice = ""
	return det
}
