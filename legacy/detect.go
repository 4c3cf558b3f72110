package legacy

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/timetracker/timetracker/internal/schema"
	"github.com/timetracker/timetracker/migrations"
)

// Shape names a legacy layout (docs/conversion.md, "Shapes and their
// fingerprints").
type Shape string

// The shapes Classify and ClassifyAlembic report.
const (
	// ShapeS0 is the "combined" image's key/value prototype; never converted.
	ShapeS0 Shape = "S0"
	// ShapeS1a is v1.0.0–v1.0.4 created by create_all (start_utc/end_utc).
	ShapeS1a Shape = "S1a"
	// ShapeS1b is v1.0.0–v1.0.4 created by docker/init.sql.
	ShapeS1b Shape = "S1b"
	// ShapeS2 is v1.0.5: start_time/end_time, projects.client, no tasks.
	ShapeS2 Shape = "S2"
	// ShapeS3 adds tasks or time_entries.task_id (see Fingerprint.Variant).
	ShapeS3 Shape = "S3"
	// ShapeS4 adds invoices without client_id (see Fingerprint.Variant).
	ShapeS4 Shape = "S4"
	// ShapeS5Upgraded has both projects.client and projects.client_id.
	ShapeS5Upgraded Shape = "S5-upgraded"
	// ShapeS5Fresh has projects.client_id only, yet is not the baseline.
	ShapeS5Fresh Shape = "S5-fresh"
	// ShapeAlembicPure001 is Alembic 001 with nothing from the enhanced init.
	ShapeAlembicPure001 Shape = "S6-pure-001"
	// ShapeAlembicHybrid is Alembic 001 patched by the enhanced init.
	ShapeAlembicHybrid Shape = "S6-hybrid"
	// ShapeAlembicStamped is a legacy database stamped '001' without 001's DDL.
	ShapeAlembicStamped Shape = "S6-stamped"
	// ShapeBaseline is unversioned but matches the baseline.
	ShapeBaseline Shape = "baseline"
	// ShapePartial has TimeTracker tables but lacks a core table.
	ShapePartial Shape = "partial"
	// ShapeUnknown is any combination no rule recognises.
	ShapeUnknown Shape = "unknown"
)

// Fingerprint is the outcome of classifying a database's layout.
type Fingerprint struct {
	Shape Shape
	// Variant refines the shape: S3 "sql" | "script" | "orm" | "fix"; S4
	// "sql" | "create_all" | "dev-logo-path"; for S6-stamped the legacy
	// shape the unversioned fingerprints give, e.g. "S4-sql"; "" if none.
	Variant string
	// Evidence names the columns, tables, indexes and triggers that decided
	// the shape, one per line.
	Evidence []string
	// Notes are things to report that do not change the shape.
	Notes []string
	// Refuse is true for S0, partial and unknown: no conversion may run.
	Refuse bool
}

// TimeTracker's tables and the four core tables a database needs before
// anything may be converted; rule create-missing-tables creates the others.
var (
	ttTables   = migrations.TimeTrackerTables()
	coreTables = []string{"users", "projects", "time_entries", "settings"}
)

// Classify fingerprints a database that holds TimeTracker tables, from its
// introspected schema and its trigger names (PostgreSQL triggers; nil on
// SQLite). It never looks at version numbers, and it assumes the caller has
// already ruled out version tables (so a baseline match means "unversioned
// baseline"). The fingerprints are those of docs/conversion.md, first
// match wins.
func Classify(s schema.Schema, triggers []string) Fingerprint {
	d := newDetectView(s, triggers)
	fp := d.classify()
	fp.Notes = append(fp.Notes, d.triggerNotes()...)
	return fp
}

// ClassifyAlembic is Classify for a database that has one alembic_version
// row in migrations.AlembicRange. The revision is reported but never trusted: the
// subtype comes from the Alembic 001 markers alone. For a stamped legacy
// database the shape Classify gives is reported in Variant and Evidence.
func ClassifyAlembic(s schema.Schema, triggers []string, revision string) Fingerprint {
	d := newDetectView(s, triggers)
	rev := fmt.Sprintf("alembic_version = '%s'", revision)
	if !IsAlembicRevision(revision) {
		first, last := migrations.AlembicRange()
		return Fingerprint{Shape: ShapeUnknown, Refuse: true,
			Evidence: []string{fmt.Sprintf("%s, not one of '%s'..'%s'", rev, first, last)}}
	}
	base := d.classify()
	if base.Refuse {
		// Whatever the revision says, S0, a missing core table or an
		// unrecognised projects table cannot be converted.
		base.Evidence = append([]string{rev}, base.Evidence...)
		base.Notes = append(base.Notes, d.triggerNotes()...)
		return base
	}

	var markers, twins []string
	marker := func(table, col string) bool {
		if d.has(table, col) {
			markers = append(markers, fmt.Sprintf("%s has %s (Alembic 001)", table, col))
			return true
		}
		return false
	}
	twin := func(table, legacyCol, col string) {
		if d.has(table, col) {
			twins = append(twins, fmt.Sprintf("%s has %s and %s", table, legacyCol, col))
		}
	}
	if marker("time_entries", "duration") {
		twin("time_entries", "duration", "duration_seconds")
	}
	if marker("settings", "logo_path") {
		twin("settings", "logo_path", "company_logo_filename")
	}
	if marker("invoices", "total") {
		twin("invoices", "total", "total_amount")
	}
	if marker("invoice_items", "time_entry_id") {
		twin("invoice_items", "time_entry_id", "time_entry_ids")
	}

	fp := Fingerprint{Evidence: []string{rev}}
	switch {
	case len(markers) > 0 && len(twins) > 0:
		fp.Shape = ShapeAlembicHybrid
		fp.Evidence = append(fp.Evidence, markers...)
		fp.Evidence = append(fp.Evidence, twins...)
		if revision >= "005" {
			// 005–008 add the same twins, so an Alembic-upgraded pure 001
			// reads as hybrid; the conversion is the same for both.
			fp.Notes = append(fp.Notes, "revisions 005–008 add the same columns as the enhanced init: pure 001 upgraded by Alembic and hybrid look alike")
		}
	case len(markers) > 0:
		fp.Shape = ShapeAlembicPure001
		fp.Evidence = append(fp.Evidence, markers...)
		fp.Evidence = append(fp.Evidence, "none of duration_seconds, company_logo_filename, total_amount, time_entry_ids beside their Alembic 001 twins")
	default:
		fp.Shape = ShapeAlembicStamped
		fp.Variant = string(base.Shape)
		if base.Variant != "" {
			fp.Variant += "-" + base.Variant
		}
		fp.Evidence = append(fp.Evidence,
			"no Alembic 001 marker (time_entries.duration, settings.logo_path, invoices.total, invoice_items.time_entry_id)",
			"tables laid out as "+fp.Variant)
		fp.Evidence = append(fp.Evidence, base.Evidence...)
		fp.Notes = append(fp.Notes, base.Notes...)
	}
	if fp.Shape != ShapeAlembicStamped {
		if lm := d.legacyMarkers(); len(lm) > 0 {
			fp.Notes = append(fp.Notes, "legacy markers beside Alembic 001: "+strings.Join(lm, ", "))
		}
		if miss := d.missing(baselineTableNames()); len(miss) > 0 {
			fp.Notes = append(fp.Notes, "missing tables, created by the conversion (rule create-missing-tables): "+strings.Join(miss, ", "))
		}
	}
	fp.Notes = append(fp.Notes, d.triggerNotes()...)
	return fp
}

// IsAlembicRevision reports whether rev is one of TimeTracker's Alembic
// revisions this program can adopt: three digits, from the first to the
// last revision the steps mirror (migrations.AlembicRange).
func IsAlembicRevision(rev string) bool {
	if len(rev) != 3 {
		return false
	}
	for _, c := range rev {
		if c < '0' || c > '9' {
			return false
		}
	}
	first, last := migrations.AlembicRange()
	return rev >= first && rev <= last
}

// detectView answers the column, index and trigger questions the rules ask.
type detectView struct {
	s        schema.Schema
	triggers []string
}

func newDetectView(s schema.Schema, triggers []string) detectView {
	return detectView{s: s, triggers: triggers}
}

func (d detectView) table(name string) (*schema.Table, bool) { return d.s.Table(name) }

func (d detectView) hasTable(name string) bool { return d.s.HasTable(name) }

// has reports whether table exists and has column.
func (d detectView) has(table, column string) bool {
	t, ok := d.s.Table(table)
	return ok && t.HasColumn(column)
}

func (d detectView) column(table, column string) (*schema.Column, bool) {
	t, ok := d.s.Table(table)
	if !ok {
		return nil, false
	}
	return t.Column(column)
}

func (d detectView) hasIndex(table, index string) bool {
	t, ok := d.s.Table(table)
	if !ok {
		return false
	}
	_, ok = t.Index(index)
	return ok
}

func (d detectView) hasTrigger(name string) bool { return slices.Contains(d.triggers, name) }

// missing returns the names in want that are not tables of the schema.
func (d detectView) missing(want []string) []string {
	var out []string
	for _, n := range want {
		if !d.hasTable(n) {
			out = append(out, n)
		}
	}
	return out
}

func (d detectView) present(names []string) []string {
	var out []string
	for _, n := range names {
		if d.hasTable(n) {
			out = append(out, n)
		}
	}
	return out
}

// classify applies the fingerprints in order. Two refusals run before the
// S1–S5 fingerprints: a missing core table and a projects table with
// neither client column. Every S1–S5 shape has both, and the rules cannot
// supply them safely, so those databases are refused however they are
// marked.
func (d detectView) classify() Fingerprint {
	if fp, ok := d.s0(); ok {
		return fp
	}
	if len(d.present(ttTables)) == 0 {
		return Fingerprint{Shape: ShapeUnknown, Refuse: true,
			Evidence: []string{"no TimeTracker table (" + strings.Join(ttTables, ", ") + ")"}}
	}
	if len(MatchesBaseline(d.s)) == 0 {
		fp := Fingerprint{Shape: ShapeBaseline,
			Evidence: []string{"all 8 baseline tables match the baseline"}}
		fp.Notes = append(fp.Notes, DuplicateForeignKeys(d.s)...)
		return fp
	}
	if miss := d.missing(coreTables); len(miss) > 0 {
		return Fingerprint{Shape: ShapePartial, Refuse: true, Evidence: []string{
			"missing core table(s): " + strings.Join(miss, ", "),
			"TimeTracker tables present: " + strings.Join(d.present(ttTables), ", "),
		}}
	}
	hasClient, hasClientID := d.has("projects", "client"), d.has("projects", "client_id")
	if !hasClient && !hasClientID {
		return Fingerprint{Shape: ShapeUnknown, Refuse: true,
			Evidence: []string{"projects has neither client nor client_id"}}
	}

	var fp Fingerprint
	switch {
	case d.has("time_entries", "start_utc") || d.has("time_entries", "end_utc"):
		fp = d.s1()
	case !d.has("time_entries", "start_time"):
		return Fingerprint{Shape: ShapeUnknown, Refuse: true,
			Evidence: []string{"time_entries has neither start_time nor start_utc/end_utc"}}
	case hasClientID && hasClient:
		fp = Fingerprint{Shape: ShapeS5Upgraded, Evidence: []string{"projects has client_id and client"}}
		fp.Notes = append(fp.Notes, duplicateSeedNote)
		if n, ok := d.column("projects", "client"); ok && n.NotNull && n.Default == "" {
			fp.Notes = append(fp.Notes, "projects.client is NOT NULL without default: the app cannot insert projects until it is converted")
		}
	case hasClientID:
		fp = Fingerprint{Shape: ShapeS5Fresh, Evidence: []string{"projects has client_id and no client"}}
		diffs := MatchesBaseline(d.s)
		const show = 3
		for i, diff := range diffs {
			if i == show {
				fp.Evidence = append(fp.Evidence, fmt.Sprintf("not baseline: %d more difference(s)", len(diffs)-show))
				break
			}
			fp.Evidence = append(fp.Evidence, "not baseline: "+diff)
		}
		fp.Notes = append(fp.Notes, duplicateSeedNote)
	default:
		fp = d.s234()
	}
	if miss := d.missing(baselineTableNames()); len(miss) > 0 {
		fp.Notes = append(fp.Notes, "missing tables, created by the conversion (rule create-missing-tables): "+strings.Join(miss, ", "))
	}
	if d.has("time_entries", "task_id") && !d.hasFK("time_entries", "task_id", "tasks") {
		fp.Notes = append(fp.Notes, "time_entries.task_id has no foreign key: orphan values become NULL (rule entry-orphan-task)")
	}
	return fp
}

const duplicateSeedNote = "v1.2.0–v1.2.3 inserted a 'General' project and a settings row on every start: duplicates are kept and reported"

// s0 is the S0 fingerprint. A missing time_entries table is not S0 (it is partial):
// only an existing time_entries without project_id marks the prototype.
func (d detectView) s0() (Fingerprint, bool) {
	var ev []string
	if d.has("settings", "key") {
		ev = append(ev, "settings has key (key/value settings)")
	}
	if d.has("users", "password_hash") {
		ev = append(ev, "users has password_hash")
	}
	if d.hasTable("time_entries") && !d.has("time_entries", "project_id") {
		ev = append(ev, "time_entries has no project_id")
	}
	if len(ev) == 0 {
		return Fingerprint{}, false
	}
	return Fingerprint{Shape: ShapeS0, Evidence: ev, Refuse: true,
		Notes: []string{"S0 is the short-lived key/value prototype of the 'combined' image (docker/init.sql @88645a24): time entries have no project, so it cannot be converted"}}, true
}

// s1 is the S1a/S1b fingerprint.
func (d detectView) s1() Fingerprint {
	fp := Fingerprint{}
	for _, c := range []string{"start_utc", "end_utc"} {
		if d.has("time_entries", c) {
			fp.Evidence = append(fp.Evidence, "time_entries has "+c)
		}
	}
	var b []string
	if d.has("users", "updated_at") {
		b = append(b, "users has updated_at")
	}
	if d.hasTrigger("update_users_updated_at") {
		b = append(b, "trigger update_users_updated_at exists")
	}
	if d.hasIndex("time_entries", "idx_time_entries_start_utc") {
		b = append(b, "index idx_time_entries_start_utc exists")
	}
	if len(b) > 0 {
		fp.Shape = ShapeS1b
		fp.Evidence = append(fp.Evidence, b...)
	} else {
		fp.Shape = ShapeS1a
		fp.Evidence = append(fp.Evidence, "no S1b marker (users.updated_at, trigger update_users_updated_at, index idx_time_entries_start_utc)")
	}
	if d.has("time_entries", "start_time") || d.has("time_entries", "end_time") {
		fp.Notes = append(fp.Notes, "time_entries also has start_time/end_time: rule time-columns-rename keeps start_time where it holds a value and refuses a conflict")
	}
	fp.Notes = append(fp.Notes, "timer rows (source='auto') hold UTC, manual rows local time: values are kept unless the opt-in shift is requested")
	return fp
}

// s234 is the S2/S3/S4 fingerprint: projects has client and no client_id, time_entries
// has start_time.
func (d detectView) s234() Fingerprint {
	ev := []string{"projects has client and no client_id", "time_entries has start_time"}
	taskVariant, taskEv := d.s3Variant()
	var fp Fingerprint
	switch {
	case d.hasTable("invoices"):
		fp = Fingerprint{Shape: ShapeS4, Evidence: append(ev, "invoices exists")}
		variant, vev := d.s4Variant()
		fp.Variant = variant
		fp.Evidence = append(fp.Evidence, vev...)
		if taskVariant != "" {
			fp.Notes = append(fp.Notes, fmt.Sprintf("tasks as S3 variant %s (%s)", taskVariant, strings.Join(taskEv, ", ")))
		}
		if d.has("invoices", "client_id") {
			fp.Notes = append(fp.Notes, "invoices already has client_id")
		}
	case taskVariant != "":
		fp = Fingerprint{Shape: ShapeS3, Variant: taskVariant, Evidence: append(ev, taskEv...)}
	default:
		fp = Fingerprint{Shape: ShapeS2, Evidence: append(ev, "no tasks table, no time_entries.task_id, no invoices table")}
	}
	if d.hasTable("clients") {
		fp.Notes = append(fp.Notes, "clients table present (v1.2.0 create_all): reported, not a shape change", duplicateSeedNote)
	}
	return fp
}

// s3Variant names how tasks arrived (the S3 variants), or "" when neither
// tasks nor time_entries.task_id exists.
func (d detectView) s3Variant() (string, []string) {
	if !d.hasTable("tasks") {
		if d.has("time_entries", "task_id") {
			return "fix", []string{"time_entries has task_id", "no tasks table"}
		}
		return "", nil
	}
	ev := []string{"tasks exists"}
	switch {
	case d.has("tasks", "actual_hours") && d.has("tasks", "started_at"):
		return "sql", append(ev, "tasks has actual_hours and started_at")
	case d.has("tasks", "actual_hours"):
		return "script", append(ev, "tasks has actual_hours and no started_at")
	default:
		return "orm", append(ev, "tasks has no actual_hours")
	}
}

// s4Variant applies the S4 variant markers, the development logo column
// first because it can appear on top of either install path.
func (d detectView) s4Variant() (string, []string) {
	if d.has("settings", "company_logo_path") {
		return "dev-logo-path", []string{"settings has company_logo_path"}
	}
	var ev []string
	if ix, ok := d.indexNamed("invoices", "invoices_invoice_number_key"); ok && ix.Unique {
		ev = append(ev, "invoices has unique constraint invoices_invoice_number_key")
	}
	if c, ok := d.column("invoices", "created_at"); ok && !c.NotNull {
		ev = append(ev, "invoices.created_at is nullable")
	}
	if len(ev) > 0 {
		return "sql", ev
	}
	return "create_all", []string{"no SQL-script marker (invoices_invoice_number_key, nullable invoices.created_at)"}
}

func (d detectView) indexNamed(table, name string) (*schema.Index, bool) {
	t, ok := d.table(table)
	if !ok {
		return nil, false
	}
	return t.Index(name)
}

func (d detectView) hasFK(table, column, ref string) bool {
	t, ok := d.table(table)
	if !ok {
		return false
	}
	for _, fk := range t.ForeignKeys {
		if len(fk.Columns) == 1 && fk.Columns[0] == column && fk.RefTable == ref {
			return true
		}
	}
	return false
}

// legacyMarkers lists the S1–S5 markers of a stamped legacy database.
func (d detectView) legacyMarkers() []string {
	var out []string
	if d.has("projects", "client") {
		out = append(out, "projects.client")
	}
	if d.hasTable("invoices") && !d.has("invoices", "client_id") {
		out = append(out, "invoices without client_id")
	}
	if d.has("time_entries", "start_utc") {
		out = append(out, "time_entries.start_utc")
	}
	if d.has("tasks", "actual_hours") {
		out = append(out, "tasks.actual_hours")
	}
	return out
}

func (d detectView) triggerNotes() []string {
	if len(d.triggers) == 0 {
		return nil
	}
	return []string{"PostgreSQL triggers present (left in place, they overwrite updated_at): " + strings.Join(d.triggers, ", ")}
}

var baselineOnce = sync.OnceValues(migrations.BaselineSchema)

func baselineTableNames() []string {
	b, err := baselineOnce()
	if err != nil {
		return nil
	}
	names := make([]string, 0, len(b.Tables))
	for _, t := range b.Tables {
		names = append(names, t.Name)
	}
	return names
}

// MatchesBaseline reports the differences between s and the baseline under
// the verification rules: every baseline column exists with the same
// type family (a wider VARCHAR or NUMERIC precision is accepted, PostgreSQL
// timestamptz is not), NOT NULL where the baseline says NOT NULL, extra
// columns only if nullable or defaulted, the unique requirements met by any
// unique index on exactly that column, every foreign key to the right target
// (any ON DELETE) and every listed index on the same column (any name).
// Defaults of baseline columns are not compared: a create_all database has
// none. An empty result means s matches.
func MatchesBaseline(s schema.Schema) []string {
	base, err := baselineOnce()
	if err != nil {
		return []string{"baseline schema: " + err.Error()}
	}
	return schema.Verify(base, s)
}

// DuplicateForeignKeys lists the foreign keys that exist more than once
// with the same columns and target, e.g. the enhanced init's CASCADE key
// beside Alembic 009's fk_invoices_created_by_users. They do not stop a
// match; they are reported.
func DuplicateForeignKeys(s schema.Schema) []string {
	var out []string
	for _, t := range s.Tables {
		seen := map[string][]string{}
		var order []string
		for _, fk := range t.ForeignKeys {
			k := fmt.Sprintf("%s.%s -> %s", t.Name, strings.Join(fk.Columns, ", "), fk.RefTable)
			if _, ok := seen[k]; !ok {
				order = append(order, k)
			}
			seen[k] = append(seen[k], fk.Name)
		}
		for _, k := range order {
			if names := seen[k]; len(names) > 1 {
				out = append(out, fmt.Sprintf("duplicate foreign key %s: %s", k, strings.Join(names, ", ")))
			}
		}
	}
	return out
}
