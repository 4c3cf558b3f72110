package legacy

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/timetracker/timetracker/internal/schema"
)

// ErrBadResolution is returned by ParseResolutions for a class or an
// action that does not exist.
var ErrBadResolution = errors.New("unknown resolution")

// Classes of data the conversion rules cannot decide. Each refusal names
// its class; docs/plan.md lists them with their resolution or SQL fix.
const (
	ClassMissingTable           = "missing-table"
	ClassTasksWithoutProject    = "tasks-without-project"
	ClassTasksWithoutCreator    = "tasks-without-creator"
	ClassEntriesWithoutUser     = "time-entries-without-user"
	ClassEntriesWithoutProject  = "time-entries-without-project"
	ClassEntriesTwoStartTimes   = "time-entries-two-start-times"
	ClassEntriesWithoutStart    = "time-entries-without-start"
	ClassInvoicesWithoutProject = "invoices-without-project"
	ClassDuplicateInvoiceNumber = "duplicate-invoice-numbers"
	ClassInvoicesWithoutCreator = "invoices-without-creator"
	ClassItemsWithoutInvoice    = "invoice-items-without-invoice"
	ClassMissingValue           = "missing-required-value"
	ClassDependentViews         = "dependent-views"
)

// The actions a resolution can take.
const (
	// ActionPlaceholderProject attaches rows whose project is missing to a
	// placeholder project: a dangling id gets a project re-created under
	// that id ("Missing project #<id>"), a NULL one the project "Missing
	// project" (for invoices: one per client of the invoices).
	ActionPlaceholderProject = "placeholder-project"
	// ActionPlaceholderUser does the same with users: "missing-user-<id>"
	// re-created under a dangling id, "missing-user" for NULL; inactive,
	// role 'user'.
	ActionPlaceholderUser = "placeholder-user"
	// ActionKeepStartTime keeps start_time where start_time and start_utc
	// disagree; start_utc stays, unchanged, in its kept legacy column.
	ActionKeepStartTime = "keep-start-time"
)

// resolvable lists the action each class accepts; classes absent here have
// no safe automatic resolution and get a SQL fix in their message instead.
var resolvable = map[string]string{
	ClassTasksWithoutProject:    ActionPlaceholderProject,
	ClassTasksWithoutCreator:    ActionPlaceholderUser,
	ClassEntriesWithoutUser:     ActionPlaceholderUser,
	ClassEntriesWithoutProject:  ActionPlaceholderProject,
	ClassEntriesTwoStartTimes:   ActionKeepStartTime,
	ClassInvoicesWithoutProject: ActionPlaceholderProject,
}

// Resolutions are the opt-in resolutions the operator chose: class →
// action. The zero value resolves nothing.
type Resolutions map[string]string

// ParseResolutions reads the resolve setting: "class=action" items
// separated by commas or spaces. Errors wrap ErrBadResolution.
func ParseResolutions(s string) (Resolutions, error) {
	out := Resolutions{}
	for _, item := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\t' }) {
		class, action, ok := strings.Cut(item, "=")
		class, action = strings.TrimSpace(class), strings.TrimSpace(action)
		want, known := resolvable[class]
		switch {
		case !ok:
			return nil, fmt.Errorf("%w: %q is not class=action", ErrBadResolution, item)
		case !known:
			return nil, fmt.Errorf("%w: %q has no automatic resolution (the classes that have one: %s)", ErrBadResolution, class, strings.Join(ResolvableClasses(), ", "))
		case action != want:
			return nil, fmt.Errorf("%w: %s accepts only %s=%s", ErrBadResolution, class, class, want)
		}
		out[class] = action
	}
	return out, nil
}

// ResolvableClasses lists "class=action" for every class that has a
// resolution, sorted.
func ResolvableClasses() []string {
	var out []string
	for c, a := range resolvable {
		out = append(out, c+"="+a)
	}
	sort.Strings(out)
	return out
}

// String renders the resolutions as the setting takes them, sorted.
func (r Resolutions) String() string {
	var out []string
	for c, a := range r {
		out = append(out, c+"="+a)
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

// Refusal is one class of rows the conversion cannot decide.
type Refusal struct {
	Class   string  `json:"class"`
	Table   string  `json:"table"`
	Problem string  `json:"problem"`
	IDs     []int64 `json:"ids"`
	// Resolution is the resolve setting that resolves it ("" when there is
	// no safe automatic one); SQL a fix to run by hand otherwise.
	Resolution string `json:"resolution,omitempty"`
	SQL        string `json:"sql,omitempty"`
}

// Advice says what to do about the refusal, in one sentence.
func (r Refusal) Advice() string {
	if r.Resolution != "" {
		return "resolve with --resolve " + r.Resolution + " (see docs/plan.md)"
	}
	if r.SQL != "" {
		return "fix by hand, e.g. " + r.SQL + " (see docs/plan.md)"
	}
	return "see docs/plan.md"
}

// RefusalError is returned by Convert when rows break a rule it cannot
// decide; it wraps ErrCannotConvert. Nothing was changed.
type RefusalError struct {
	Refusals []Refusal
}

func (e *RefusalError) Error() string {
	parts := make([]string, len(e.Refusals))
	for i, r := range e.Refusals {
		parts[i] = fmt.Sprintf("%s: %s (ids %s); %s", r.Table, r.Problem, joinIDs(r.IDs), r.Advice())
	}
	return ErrCannotConvert.Error() + ": " + strings.Join(parts, "; ") + "; `timetracker db plan` shows every case before anything changes"
}

func (e *RefusalError) Unwrap() error { return ErrCannotConvert }

// refusal completes a refusal of class with its resolution or SQL fix.
func refusal(class, table, problem string, ids []int64) Refusal {
	r := Refusal{Class: class, Table: table, Problem: problem, IDs: ids}
	if a, ok := resolvable[class]; ok {
		r.Resolution = class + "=" + a
	}
	in := joinIDs(ids)
	switch class {
	case ClassEntriesWithoutStart:
		r.SQL = fmt.Sprintf("UPDATE time_entries SET start_time = created_at WHERE id IN (%s) AND start_time IS NULL", in)
	case ClassDuplicateInvoiceNumber:
		r.SQL = "UPDATE invoices SET invoice_number = invoice_number || '-' || id WHERE id IN (SELECT id FROM invoices i WHERE EXISTS (SELECT 1 FROM invoices o WHERE o.invoice_number = i.invoice_number AND o.id < i.id))"
	case ClassInvoicesWithoutCreator:
		r.SQL = "UPDATE users SET role = 'admin' WHERE id = <id of the user to make admin>"
	case ClassMissingValue:
		col, _, _ := strings.Cut(problem, " ")
		r.SQL = fmt.Sprintf("UPDATE %s SET %s = <value> WHERE id IN (%s)", table, col, in)
	case ClassItemsWithoutInvoice:
		r.SQL = fmt.Sprintf("UPDATE invoice_items SET invoice_id = <an existing invoice id> WHERE id IN (%s)", in)
	}
	return r
}

// resolve applies the chosen resolutions to the legacy tables inside the
// conversion's transaction, before the checks, and returns the rows it
// added per table. Placeholders get explicit ids (max + 1), so no sequence
// of the old tables moves.
func (c *converter) resolve() (map[string]int64, error) {
	added := map[string]int64{}
	if len(c.opts.Resolve) == 0 {
		return added, nil
	}
	r := resolver{c: c, added: added, projects: map[string]int64{}}
	type ref struct{ class, table, column string }
	for _, x := range []ref{
		{ClassTasksWithoutProject, "tasks", "project_id"},
		{ClassEntriesWithoutProject, "time_entries", "project_id"},
		{ClassInvoicesWithoutProject, "invoices", "project_id"},
		{ClassTasksWithoutCreator, "tasks", "created_by"},
		{ClassEntriesWithoutUser, "time_entries", "user_id"},
	} {
		if c.opts.Resolve[x.class] == "" || !c.has(x.table, x.column) {
			continue
		}
		var err error
		if strings.HasSuffix(x.column, "project_id") {
			err = r.placeholderProjects(x.class, x.table)
		} else {
			err = r.placeholderUsers(x.class, x.table, x.column)
		}
		if err != nil {
			return nil, fmt.Errorf("resolve %s: %w", x.class, err)
		}
	}
	return added, nil
}

// skipped reports a check the operator resolved by accepting the rule's
// choice (nothing to change in the data).
func (c *converter) skipped(class string) bool {
	if c.beforeResolve && c.opts.Resolve[class] != "" {
		return true // the resolution will change these rows first
	}
	return class == ClassEntriesTwoStartTimes && c.opts.Resolve[class] == ActionKeepStartTime
}

// Applied is one resolution as it was applied.
type Applied struct {
	Class string `json:"class"`
	// Created lists the placeholder rows, as "table id name".
	Created []string `json:"created"`
	// Updated is how many rows now point at a placeholder.
	Updated int64 `json:"updated"`
}

type resolver struct {
	c     *converter
	added map[string]int64
	// projects maps a client name to its "Missing project" placeholder.
	projects map[string]int64
}

func (r *resolver) note(class, created string, updated int64) {
	for i := range r.c.applied {
		if r.c.applied[i].Class == class {
			if created != "" {
				r.c.applied[i].Created = append(r.c.applied[i].Created, created)
			}
			r.c.applied[i].Updated += updated
			return
		}
	}
	a := Applied{Class: class, Updated: updated, Created: []string{}}
	if created != "" {
		a.Created = append(a.Created, created)
	}
	r.c.applied = append(r.c.applied, a)
}

// danglingIDs are the distinct values of table.column that point at no
// row of ref.
func (r *resolver) danglingIDs(table, column, ref string) ([]int64, error) {
	var ids []int64
	q := fmt.Sprintf(`SELECT DISTINCT o."%[2]s" FROM "%[1]s" o WHERE o."%[2]s" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "%[3]s" x WHERE x.id = o."%[2]s") ORDER BY 1`, table, column, ref)
	err := r.c.tx.Raw(q).Scan(&ids).Error
	return ids, err
}

// placeholderProjects re-creates dangling projects under their ids and
// attaches rows without a project to "Missing project" (per client for
// invoices).
func (r *resolver) placeholderProjects(class, table string) error {
	if !r.c.old.HasTable("projects") {
		return nil
	}
	dangling, err := r.danglingIDs(table, "project_id", "projects")
	if err != nil {
		return err
	}
	for _, id := range dangling {
		client, err := r.clientOf(table, fmt.Sprintf(`o.project_id = %d`, id))
		if err != nil {
			return err
		}
		name := fmt.Sprintf("Missing project #%d", id)
		if err := r.insertProject(id, name, client); err != nil {
			return err
		}
		var n int64
		if err := r.c.tx.Raw(fmt.Sprintf(`SELECT count(*) FROM "%s" WHERE project_id = %d`, table, id)).Scan(&n).Error; err != nil {
			return err
		}
		r.note(class, fmt.Sprintf("projects %d %q (client %q)", id, name, client), n)
	}
	var nullIDs []int64
	if err := r.c.tx.Raw(fmt.Sprintf(`SELECT id FROM "%s" WHERE project_id IS NULL ORDER BY id`, table)).Scan(&nullIDs).Error; err != nil {
		return err
	}
	for _, rowID := range nullIDs {
		client, err := r.clientOf(table, fmt.Sprintf("o.id = %d", rowID))
		if err != nil {
			return err
		}
		pid, ok := r.projects[client]
		if !ok {
			if pid, err = r.nextID("projects"); err != nil {
				return err
			}
			if err := r.insertProject(pid, "Missing project", client); err != nil {
				return err
			}
			r.projects[client] = pid
			r.note(class, fmt.Sprintf("projects %d %q (client %q)", pid, "Missing project", client), 0)
		}
		if err := r.c.tx.Exec(fmt.Sprintf(`UPDATE "%s" SET project_id = ? WHERE id = ?`, table), pid, rowID).Error; err != nil {
			return err
		}
		r.note(class, "", 1)
	}
	return nil
}

// clientOf is the client name of the first row of table matching where
// (alias o): for invoices their client (client_id, else the trimmed
// client_name), else Default Client.
func (r *resolver) clientOf(table, where string) (string, error) {
	if table != "invoices" {
		return DefaultClient, nil
	}
	var parts []string
	if r.c.has("invoices", "client_id") && r.c.old.HasTable("clients") {
		parts = append(parts, `(SELECT x.name FROM "clients" x WHERE x.id = o.client_id)`)
	}
	if r.c.has("invoices", "client_name") {
		parts = append(parts, `NULLIF(TRIM(o.client_name), '')`)
	}
	parts = append(parts, "'"+DefaultClient+"'")
	var names []string
	err := r.c.tx.Raw(fmt.Sprintf(`SELECT %s FROM "invoices" o WHERE %s ORDER BY o.id LIMIT 1`, coalesce(parts), where)).Scan(&names).Error
	if err != nil || len(names) == 0 {
		return DefaultClient, err
	}
	return names[0], nil
}

// insertProject adds a placeholder project under client: by name in a
// legacy projects.client column, by id in projects.client_id (the client
// row is found by name, or added).
func (r *resolver) insertProject(id int64, name, client string) error {
	vals := map[string]any{"id": id, "name": name, "status": "active", "billable": false,
		"description": "Placeholder created by timetracker's conversion for rows whose project was missing (docs/plan.md)"}
	if r.c.has("projects", "client") {
		vals["client"] = client
	}
	if r.c.has("projects", "client_id") && r.c.old.HasTable("clients") {
		cid, err := r.clientID(client)
		if err != nil {
			return err
		}
		vals["client_id"] = cid
	}
	return r.insert("projects", vals)
}

func (r *resolver) clientID(name string) (int64, error) {
	var ids []int64
	if err := r.c.tx.Raw(`SELECT id FROM "clients" WHERE name = ? ORDER BY id LIMIT 1`, name).Scan(&ids).Error; err != nil {
		return 0, err
	}
	if len(ids) > 0 {
		return ids[0], nil
	}
	id, err := r.nextID("clients")
	if err != nil {
		return 0, err
	}
	return id, r.insert("clients", map[string]any{"id": id, "name": name, "status": "active"})
}

// placeholderUsers re-creates dangling users under their ids and points
// NULL references at one "missing-user".
func (r *resolver) placeholderUsers(class, table, column string) error {
	if !r.c.old.HasTable("users") {
		return nil
	}
	dangling, err := r.danglingIDs(table, column, "users")
	if err != nil {
		return err
	}
	for _, id := range dangling {
		name := fmt.Sprintf("missing-user-%d", id)
		if err := r.insert("users", map[string]any{"id": id, "username": name, "role": "user", "is_active": false}); err != nil {
			return err
		}
		var n int64
		if err := r.c.tx.Raw(fmt.Sprintf(`SELECT count(*) FROM "%s" WHERE "%s" = %d`, table, column, id)).Scan(&n).Error; err != nil {
			return err
		}
		r.note(class, fmt.Sprintf("users %d %q", id, name), n)
	}
	var n int64
	if err := r.c.tx.Raw(fmt.Sprintf(`SELECT count(*) FROM "%s" WHERE "%s" IS NULL`, table, column)).Scan(&n).Error; err != nil || n == 0 {
		return err
	}
	var ids []int64
	if err := r.c.tx.Raw(`SELECT id FROM "users" WHERE username = 'missing-user'`).Scan(&ids).Error; err != nil {
		return err
	}
	var id int64
	if len(ids) > 0 {
		id = ids[0]
	} else {
		if id, err = r.nextID("users"); err != nil {
			return err
		}
		if err := r.insert("users", map[string]any{"id": id, "username": "missing-user", "role": "user", "is_active": false}); err != nil {
			return err
		}
		r.note(class, fmt.Sprintf("users %d %q", id, "missing-user"), 0)
	}
	if err := r.c.tx.Exec(fmt.Sprintf(`UPDATE "%s" SET "%s" = ? WHERE "%s" IS NULL`, table, column, column), id).Error; err != nil {
		return err
	}
	r.note(class, "", n)
	return nil
}

func (r *resolver) nextID(table string) (int64, error) {
	var id int64
	err := r.c.tx.Raw(fmt.Sprintf(`SELECT COALESCE(MAX(id), 0) + 1 FROM "%s"`, table)).Scan(&id).Error
	return id, err
}

// insert adds one row to a legacy table: vals for the columns it has, and
// a neutral value (empty text, zero, false, the conversion's time) for any
// other NOT NULL column without a default.
func (r *resolver) insert(table string, vals map[string]any) error {
	t, ok := r.c.old.Table(table)
	if !ok {
		return fmt.Errorf("table %s is missing", table)
	}
	var cols, ph []string
	var args []any
	for _, col := range t.Columns {
		v, given := vals[col.Name]
		if !given {
			if !col.NotNull || col.Default != "" {
				continue
			}
			v = neutral(col, r.c.now)
		}
		cols = append(cols, `"`+col.Name+`"`)
		if lit, ok := v.(sqlLiteral); ok {
			ph = append(ph, string(lit))
			continue
		}
		ph = append(ph, "?")
		args = append(args, v)
	}
	q := fmt.Sprintf(`INSERT INTO "%s" (%s) VALUES (%s)`, table, strings.Join(cols, ", "), strings.Join(ph, ", "))
	if err := r.c.tx.Exec(q, args...).Error; err != nil {
		return fmt.Errorf("add placeholder to %s: %w", table, err)
	}
	r.added[table]++
	return nil
}

// sqlLiteral is a value written into the statement as it is (the
// conversion's time, a quoted literal both dialects read as a timestamp).
type sqlLiteral string

// neutral is the value a placeholder row gets in a required column no
// resolution names; now is the conversion's time as a SQL literal.
func neutral(col schema.Column, now string) any {
	switch col.Type.Kind {
	case schema.Boolean:
		return false
	case schema.Integer, schema.BigInt, schema.Numeric, schema.Float:
		return 0
	case schema.Timestamp, schema.TimestampTZ:
		return sqlLiteral(now)
	case schema.Date:
		return sqlLiteral("'" + strings.Trim(now, "'")[:10] + "'")
	}
	return ""
}
