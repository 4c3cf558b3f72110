package legacy

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/schema"
	"github.com/timetracker/timetracker/migrations"
)

// ErrCannotConvert is returned by Convert when the data breaks a rule the
// conversion cannot decide (a NOT NULL value it would have to invent, a
// dangling reference, duplicate invoice numbers); the error names table,
// column and ids. Nothing is changed.
var ErrCannotConvert = errors.New("cannot convert the legacy database safely")

// DefaultClient is the client of projects that name none, as TimeTracker
// itself seeds it.
const DefaultClient = "Default Client"

// ConvertOptions tune Convert.
type ConvertOptions struct {
	// CreateMissing creates missing core tables (users, projects,
	// time_entries, settings) instead of refusing a partial install.
	CreateMissing bool
	// Settings are the values of a settings row inserted into an empty table.
	Settings map[string]any
	// UTCShift (S1 only: applied while start_utc/end_utc are renamed) moves
	// the times of timer rows (source 'auto'), which S1 stored in UTC, to
	// the wall time of Zone, as later versions read them. Off by default.
	UTCShift bool
	Zone     *time.Location
	// Now stamps rows whose timestamps the database lacks entirely.
	Now    time.Time
	Logger *slog.Logger
	// Resolve holds the opt-in resolutions of undecidable rows (resolve.go).
	Resolve Resolutions
	// Prechecked says Precheck passed on exactly this data (nobody has
	// changed it since): when no resolution changes it either, Convert does
	// not run the same checks again.
	Prechecked bool
}

// TableReport is one table's row count before and after.
type TableReport struct {
	Table  string
	Before int64
	After  int64
}

// Report says what Convert did.
type Report struct {
	Tables         []TableReport
	ClientsCreated []string
	// Notes lists relaxed columns, rewritten values and kept leftovers.
	Notes []string
	// Resolved lists the resolutions applied, with their placeholders.
	Resolved []Applied
}

// Convert rebuilds the eight TimeTracker tables of a legacy database into
// the baseline inside tx, moving data with INSERT ... SELECT (its memory
// does not grow with the row count), keeping every legacy column as a
// nullable extra and every row. s is the database's introspected schema.
// The caller backs up first, runs Convert and the baseline stamp in one
// transaction, and commits only if both succeed.
func Convert(ctx context.Context, tx *gorm.DB, s schema.Schema, opts ConvertOptions) (Report, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	base, err := migrations.BaselineSchema()
	if err != nil {
		return Report{}, err
	}
	c := &converter{ctx: ctx, tx: tx.WithContext(ctx), old: s, opts: opts, log: log,
		now: "'" + opts.Now.UTC().Format("2006-01-02 15:04:05") + "'"}
	if err := c.checkCoreTables(); err != nil {
		return Report{}, err
	}
	before := map[string]int64{}
	for _, t := range base.Tables {
		if s.HasTable(t.Name) {
			n, err := c.count(`"` + t.Name + `"`)
			if err != nil {
				return Report{}, err
			}
			before[t.Name] = n
		}
	}
	added, err := c.resolve()
	if err != nil {
		return Report{}, err
	}
	if !opts.Prechecked || len(c.applied) > 0 {
		if err := c.precheck(); err != nil {
			return Report{}, err
		}
	}
	c.st, err = database.NewStager(ctx, c.tx)
	if err != nil {
		return Report{}, err
	}
	if err := c.prepareShift(); err != nil {
		return Report{}, err
	}
	var targets []schema.Table
	for _, bt := range base.Tables {
		t := c.target(bt)
		targets = append(targets, t)
		if err := c.st.Create(ctx, t); err != nil {
			return Report{}, fmt.Errorf("stage %s: %w", t.Name, err)
		}
		if err := c.fill(t, bt); err != nil {
			return Report{}, err
		}
		if err := c.st.Finish(ctx, t); err != nil {
			return Report{}, fmt.Errorf("index %s: %w", t.Name, err)
		}
	}
	if err := c.st.Swap(ctx, targets); err != nil {
		if errors.Is(err, database.ErrDependentObjects) {
			return Report{}, fmt.Errorf("%w: %v", ErrCannotConvert, err)
		}
		return Report{}, fmt.Errorf("swap tables: %w", err)
	}
	if err := c.ensureSettingsRow(); err != nil {
		return Report{}, err
	}
	rep := Report{ClientsCreated: c.clientsCreated, Notes: c.notes, Resolved: c.applied}
	for _, t := range base.Tables {
		after, err := c.count(`"` + t.Name + `"`)
		if err != nil {
			return Report{}, err
		}
		b := before[t.Name]
		ok := after == b+added[t.Name] || (t.Name == "clients" && after >= b) || (t.Name == "settings" && b == 0 && after == 1)
		if !ok {
			return Report{}, fmt.Errorf("%w: table %s had %d rows, would have %d", ErrCannotConvert, t.Name, b, after)
		}
		rep.Tables = append(rep.Tables, TableReport{Table: t.Name, Before: b, After: after})
	}
	return rep, nil
}

// Precheck runs Convert's refusals alone, only reading: a missing core
// table and the rows the rules cannot decide (those of a class opts.Resolve
// resolves are skipped, as Convert skips them). Bootstrap calls it before
// its backup, so that a database the rules refuse costs no backup;
// Convert checks again inside its own transaction.
func Precheck(ctx context.Context, tx *gorm.DB, s schema.Schema, opts ConvertOptions) error {
	c := &converter{ctx: ctx, tx: tx.WithContext(ctx), old: s, opts: opts, log: slog.New(slog.DiscardHandler), beforeResolve: true}
	if err := c.checkCoreTables(); err != nil {
		return err
	}
	return c.precheck()
}

func (c *converter) checkCoreTables() error {
	for _, name := range coreTables {
		if !c.old.HasTable(name) && !c.opts.CreateMissing {
			return fmt.Errorf("%w: table %s is missing (a partial install); pass --create-missing (TIMETRACKER_CREATE_MISSING=true) to create it empty; `timetracker db plan --create-missing` shows what that would do", ErrCannotConvert, name)
		}
	}
	return nil
}

type converter struct {
	// beforeResolve marks Precheck: the classes opts.Resolve resolves are
	// not checked, as their rows have not been resolved yet.
	beforeResolve  bool
	ctx            context.Context
	tx             *gorm.DB
	old            schema.Schema
	opts           ConvertOptions
	log            *slog.Logger
	st             *database.Stager
	now            string
	clientsCreated []string
	notes          []string
	applied        []Applied
	// shift, when set, renders the S1 UTC shift of an expression.
	shift func(expr string) string
	// joins are added to the FROM of a table's fill (join).
	joins map[string][]string
}

// prepareShift readies rule utc-shift: only when rule time-columns-rename renames
// start_utc, for rows with source 'auto', over the range the data spans.
func (c *converter) prepareShift() error {
	if !c.opts.UTCShift {
		return nil
	}
	if !c.has("time_entries", "start_utc") || c.has("time_entries", "start_time") {
		c.notes = append(c.notes, "utc shift requested but this is not an S1 database (no start_utc to rename): nothing shifted")
		return nil
	}
	if c.opts.Zone == nil {
		return fmt.Errorf("%w: utc shift needs a time zone (settings.timezone or TZ)", ErrCannotConvert)
	}
	var r struct{ Lo, Hi *string }
	end := "start_utc"
	if c.has("time_entries", "end_utc") {
		end = "end_utc"
	}
	err := c.tx.Raw(fmt.Sprintf(`SELECT CAST(MIN(start_utc) AS TEXT) AS lo, CAST(MAX(COALESCE(%s, start_utc)) AS TEXT) AS hi
		FROM time_entries WHERE source = 'auto'`, end)).Scan(&r).Error
	if err != nil || r.Lo == nil || r.Hi == nil {
		return err
	}
	lo, err1 := time.Parse("2006-01-02 15:04:05", firstN(*r.Lo, 19))
	hi, err2 := time.Parse("2006-01-02 15:04:05", firstN(*r.Hi, 19))
	if err1 != nil || err2 != nil {
		return fmt.Errorf("%w: cannot read the time range of timer rows for the utc shift", ErrCannotConvert)
	}
	lo, hi = lo.Add(-48*time.Hour), hi.Add(48*time.Hour)
	c.shift = func(expr string) string {
		return fmt.Sprintf(`(CASE WHEN o."source" = 'auto' THEN %s ELSE %s END)`, c.st.ShiftFromUTC(expr, c.opts.Zone, lo, hi), expr)
	}
	c.notes = append(c.notes, "timer rows (source 'auto') shifted from UTC to "+c.opts.Zone.String())
	return nil
}

func firstN(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func (c *converter) has(table, column string) bool {
	t, ok := c.old.Table(table)
	return ok && t.HasColumn(column)
}

func (c *converter) count(from string) (int64, error) {
	var n int64
	err := c.tx.Raw("SELECT count(*) FROM " + from).Scan(&n).Error
	return n, err
}

func (c *converter) ids(query string) ([]int64, error) {
	var ids []int64
	err := c.tx.Raw(fmt.Sprintf("%s LIMIT %d", query, idLimit)).Scan(&ids).Error
	return ids, err
}

// target is the rebuilt table: the baseline's columns (a legacy column that
// is wider keeps its width) plus every other legacy column, nullable.
func (c *converter) target(bt schema.Table) schema.Table {
	t := bt
	t.Columns = append([]schema.Column(nil), bt.Columns...)
	old, ok := c.old.Table(bt.Name)
	if !ok {
		return t
	}
	for i, col := range t.Columns {
		if oc, ok := old.Column(col.Name); ok && oc.Type.Kind == col.Type.Kind {
			switch {
			case col.Type.Kind == schema.Varchar && (oc.Type.Length == 0 || oc.Type.Length > col.Type.Length):
				t.Columns[i].Type = oc.Type
			case col.Type.Kind == schema.Numeric && oc.Type.Scale == col.Type.Scale && oc.Type.Precision > col.Type.Precision:
				t.Columns[i].Type = oc.Type
			}
		}
	}
	if bt.Name == "settings" {
		// Rule logo-basename: the file name comes from a legacy logo column
		// that may be wider (Alembic 001's logo_path is VARCHAR(500)).
		for _, lc := range []string{"company_logo_path", "logo_path"} {
			oc, ok := old.Column(lc)
			col, _ := t.Column("company_logo_filename")
			if ok && col != nil && oc.Type.Kind == schema.Varchar && col.Type.Kind == schema.Varchar &&
				(oc.Type.Length == 0 || (col.Type.Length != 0 && oc.Type.Length > col.Type.Length)) {
				col.Type = oc.Type
			}
		}
	}
	for _, oc := range old.Columns {
		if bt.HasColumn(oc.Name) || c.renamed(bt.Name, oc.Name) {
			continue
		}
		extra := schema.Column{Name: oc.Name, Type: oc.Type, Default: plainDefault(oc.Default)}
		if oc.NotNull {
			c.notes = append(c.notes, fmt.Sprintf("%s.%s kept, now nullable", bt.Name, oc.Name))
		}
		t.Columns = append(t.Columns, extra)
	}
	return t
}

// plainDefault keeps a kept column's default when it is a constant or the
// current time, and drops anything that calls into the old schema
// (sequences, functions).
func plainDefault(def string) string {
	d := strings.TrimSpace(def)
	switch {
	case d == "":
		return ""
	case d == "CURRENT_TIMESTAMP" || d == "CURRENT_DATE" || strings.EqualFold(d, "true") || strings.EqualFold(d, "false"):
		return d
	case strings.HasPrefix(d, "'") && strings.HasSuffix(d, "'") && !strings.Contains(d[1:len(d)-1], "'"):
		return d
	}
	if _, err := strconv.ParseFloat(d, 64); err == nil {
		return d
	}
	return ""
}

// renamed reports legacy columns that become a baseline column (rule
// time-columns-rename).
func (c *converter) renamed(table, column string) bool {
	return table == "time_entries" && ((column == "start_utc" && !c.has(table, "start_time")) ||
		(column == "end_utc" && !c.has(table, "end_time")))
}

func (c *converter) fill(t, bt schema.Table) error {
	if t.Name == "clients" {
		if err := c.fillClients(t, bt); err != nil {
			return err
		}
		return nil
	}
	if !c.old.HasTable(t.Name) {
		return nil
	}
	exprs := make([]string, len(t.Columns))
	for i, col := range t.Columns {
		e, err := c.expr(t.Name, col, bt.HasColumn(col.Name))
		if err != nil {
			return err
		}
		exprs[i] = e
	}
	return c.st.Fill(t, exprs, strings.Join(append([]string{c.st.Old(t.Name) + " o"}, c.joins[t.Name]...), " "))
}

// join adds a join to the FROM of table's fill, once.
func (c *converter) join(table, clause string) {
	if c.joins == nil {
		c.joins = map[string][]string{}
	}
	if !slices.Contains(c.joins[table], clause) {
		c.joins[table] = append(c.joins[table], clause)
	}
}

// fillClients copies existing clients, then creates one client per distinct
// trimmed projects.client name (empty or NULL: 'Default Client') that no
// client has yet (rules project-client, create-clients, default-client).
func (c *converter) fillClients(t, bt schema.Table) error {
	if c.old.HasTable("clients") {
		exprs := make([]string, len(t.Columns))
		for i, col := range t.Columns {
			e, err := c.expr("clients", col, bt.HasColumn(col.Name))
			if err != nil {
				return err
			}
			exprs[i] = e
		}
		if err := c.st.Fill(t, exprs, c.st.Old("clients")+" o"); err != nil {
			return err
		}
	}
	if !c.old.HasTable("projects") {
		return nil
	}
	name := c.projectClientName("o")
	needs := "1 = 1"
	if c.has("projects", "client_id") && c.old.HasTable("clients") {
		needs = fmt.Sprintf("NOT EXISTS (SELECT 1 FROM %s x WHERE x.id = o.client_id)", c.st.Old("clients"))
	}
	var names []string
	// The distinct names first, then the anti-join: the name expression
	// (a trim over every kind of white space) runs once per project, and
	// the staged clients table has no index yet.
	q := fmt.Sprintf(`SELECT n FROM (SELECT DISTINCT %s AS n FROM %s o WHERE %s) names
		WHERE NOT EXISTS (SELECT 1 FROM %s c WHERE c.name = names.n) ORDER BY 1`,
		name, c.st.Old("projects"), needs, c.st.New("clients"))
	if err := c.tx.Raw(q).Scan(&names).Error; err != nil {
		return fmt.Errorf("clients of projects: %w", err)
	}
	if len(names) == 0 {
		return nil
	}
	// One set-based insert, in name order, with ids after the highest
	// copied one: the staged table's id sequence (PostgreSQL) still starts
	// at 1, whatever ids the copied clients hold.
	var maxID int64
	if err := c.tx.Raw(`SELECT COALESCE(MAX(id), 0) FROM ` + c.st.New("clients")).Scan(&maxID).Error; err != nil {
		return fmt.Errorf("clients of projects: %w", err)
	}
	ins := fmt.Sprintf(`INSERT INTO %s (id, name, status, created_at, updated_at)
		SELECT %d + ROW_NUMBER() OVER (ORDER BY n), n, 'active', %s, %s FROM (SELECT DISTINCT %s AS n FROM %s o WHERE %s) names
		WHERE NOT EXISTS (SELECT 1 FROM %s c WHERE c.name = names.n)`,
		c.st.New("clients"), maxID, c.now, c.now, name, c.st.Old("projects"), needs, c.st.New("clients"))
	if err := c.tx.Exec(ins).Error; err != nil {
		return fmt.Errorf("create clients of projects: %w", err)
	}
	c.clientsCreated = names
	return nil
}

// projectClientName is the client name a project goes by (rules
// client-name-trim, default-client).
func (c *converter) projectClientName(alias string) string {
	if c.has("projects", "client") {
		return fmt.Sprintf("COALESCE(NULLIF(%s, ''), '%s')", trimName(alias+".client"), DefaultClient)
	}
	return "'" + DefaultClient + "'"
}

// nameSpace is what Python's str.strip() removes, as TimeTracker's Client
// and Project constructors trim names: ASCII whitespace, the separators
// U+001C–U+001F and Unicode's spaces (no-break space, ideographic space).
// Zero-width characters are not whitespace and stay.
const nameSpace = " \t\n\v\f\r\x1c\x1d\x1e\x1f\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"

// trimName trims a client name (rule client-name-trim); TRIM(x, chars)
// reads the same on PostgreSQL and SQLite.
func trimName(expr string) string {
	return fmt.Sprintf("TRIM(%s, '%s')", expr, nameSpace)
}

// expr is the SELECT expression, over the old table aliased o, for one
// column of the rebuilt table.
func (c *converter) expr(table string, col schema.Column, baseline bool) (string, error) {
	has := func(name string) bool { return c.has(table, name) }
	o := func(name string) string { return `o."` + name + `"` }
	newT := c.st.New
	oldT := c.st.Old
	if !baseline {
		return o(col.Name), nil // a kept legacy column, as it is
	}
	if e, ok := c.rule(table, col, has, o, newT, oldT); ok {
		return e, nil
	}
	if !has(col.Name) {
		switch {
		case col.Default != "":
			return col.Default, nil
		case !col.NotNull:
			return "NULL", nil
		}
		return "", fmt.Errorf("%w: %s.%s is missing and has no default to fill it with", ErrCannotConvert, table, col.Name)
	}
	e := o(col.Name)
	var oc *schema.Column
	if t, ok := c.old.Table(table); ok {
		oc, _ = t.Column(col.Name)
	}
	switch {
	case col.Type.Kind == schema.Boolean:
		e = c.st.Boolean(e)
	case oc != nil && oc.Type.Kind != col.Type.Kind:
		e = c.st.CastTo(e, col.Type)
	}
	if col.NotNull && col.Default != "" {
		e = fmt.Sprintf("COALESCE(%s, %s)", e, sqlDefault(col))
	}
	return e, nil
}

func sqlDefault(col schema.Column) string {
	if col.Type.Kind == schema.Boolean {
		if strings.EqualFold(col.Default, "true") {
			return "1 = 1"
		}
		return "1 = 0"
	}
	return col.Default
}

// rule holds the column rules of docs/conversion.md; ok is false where
// rule copy-values applies.
func (c *converter) rule(table string, col schema.Column, has func(string) bool, o func(string) string,
	newT, oldT func(string) string) (string, bool) {
	ts := func(cands ...string) string {
		var parts []string
		for _, x := range cands {
			if has(x) {
				parts = append(parts, o(x))
			}
		}
		parts = append(parts, c.now)
		return "COALESCE(" + strings.Join(parts, ", ") + ")"
	}
	switch table + "." + col.Name {
	case "time_entries.start_time":
		if !has("start_time") {
			if c.shift != nil {
				return c.shift(o("start_utc")), true
			}
			return o("start_utc"), true
		}
		if has("start_utc") {
			return fmt.Sprintf("COALESCE(%s, %s)", o("start_time"), o("start_utc")), true
		}
	case "time_entries.end_time":
		if !has("end_time") && has("end_utc") {
			if c.shift != nil {
				return c.shift(o("end_utc")), true
			}
			return o("end_utc"), true
		}
		if has("end_time") && has("end_utc") {
			return fmt.Sprintf("COALESCE(%s, %s)", o("end_time"), o("end_utc")), true
		}
	case "time_entries.task_id":
		if !has("task_id") || !c.old.HasTable("tasks") {
			return "NULL", true
		}
		// A join, not a subquery per row: the server hashes the tasks once
		// instead of looking one up for every entry.
		c.join(table, fmt.Sprintf("LEFT JOIN %s task_kept ON task_kept.id = %s", newT("tasks"), o("task_id")))
		return "task_kept.id", true
	case "time_entries.duration_seconds":
		switch {
		case has("duration") && has("duration_seconds"):
			return fmt.Sprintf("COALESCE(%s, %s)", o("duration_seconds"), c.st.IntervalSeconds(o("duration"))), true
		case has("duration"):
			return c.st.IntervalSeconds(o("duration")), true
		}
	case "time_entries.created_at":
		start := "start_time"
		if !has(start) {
			start = "start_utc"
		}
		return ts("created_at", "updated_at", start), true
	case "time_entries.updated_at":
		start := "start_time"
		if !has(start) {
			start = "start_utc"
		}
		return ts("updated_at", "created_at", start), true
	case "projects.client_id":
		var parts []string
		if has("client_id") && c.old.HasTable("clients") {
			// Looked up among the legacy clients: a dangling id must not
			// land on a client this conversion creates.
			parts = append(parts, fmt.Sprintf("(SELECT x.id FROM %s x WHERE x.id = %s)", oldT("clients"), o("client_id")))
		}
		parts = append(parts, fmt.Sprintf("(SELECT x.id FROM %s x WHERE x.name = %s)", newT("clients"), c.projectClientName("o")))
		return coalesce(parts), true
	case "tasks.status":
		if has("status") {
			return fmt.Sprintf("(CASE WHEN %[1]s IS NULL OR %[1]s = 'pending' THEN 'todo' ELSE %[1]s END)", o("status")), true
		}
	case "tasks.assigned_to":
		if has("assigned_to") {
			return fmt.Sprintf("(SELECT x.id FROM %s x WHERE x.id = %s)", newT("users"), o("assigned_to")), true
		}
	case "settings.company_logo_filename":
		legacyCol := ""
		for _, x := range []string{"company_logo_path", "logo_path"} {
			if has(x) {
				legacyCol = x
				break
			}
		}
		current := "''"
		if has("company_logo_filename") {
			current = o("company_logo_filename")
		}
		if legacyCol == "" {
			return current, true
		}
		// Basename after the last / or \, in SQL both dialects share.
		y := fmt.Sprintf("replace(%s, '\\', '/')", o(legacyCol))
		base := fmt.Sprintf("replace(%s, rtrim(%s, replace(%s, '/', '')), '')", y, y, y)
		return fmt.Sprintf("(CASE WHEN COALESCE(%[1]s, '') = '' AND COALESCE(%[2]s, '') <> '' THEN %[3]s ELSE %[1]s END)", current, o(legacyCol), base), true
	case "invoices.client_id":
		return c.invoiceClientID(has, o, newT), true
	case "invoices.client_name":
		byID := fmt.Sprintf("(SELECT x.name FROM %s x WHERE x.id = %s)", newT("clients"), c.invoiceClientID(has, o, newT))
		if !has("client_name") {
			return byID, true
		}
		return fmt.Sprintf("(CASE WHEN COALESCE(%[1]s, '') = '' THEN %[2]s ELSE %[1]s END)", o("client_name"), byID), true
	case "invoices.total_amount", "invoice_items.total_amount":
		switch {
		case has("total") && has("total_amount"):
			return fmt.Sprintf("(CASE WHEN %[1]s IS NULL OR (%[1]s = 0 AND %[2]s IS NOT NULL AND %[2]s <> 0) THEN %[2]s ELSE %[1]s END)", o("total_amount"), o("total")), true
		case has("total"):
			return fmt.Sprintf("COALESCE(%s, 0)", o("total")), true
		}
	case "invoices.created_by":
		admin := fmt.Sprintf("(SELECT x.id FROM %s x WHERE x.role = 'admin' AND x.is_active = %s ORDER BY x.created_at, x.id LIMIT 1)", newT("users"), "(1 = 1)")
		if has("created_by") {
			return fmt.Sprintf("COALESCE((SELECT x.id FROM %s x WHERE x.id = %s), %s)", newT("users"), o("created_by"), admin), true
		}
		return admin, true
	case "invoice_items.time_entry_ids":
		if has("time_entry_id") {
			current := "NULL"
			if has("time_entry_ids") {
				current = o("time_entry_ids")
			}
			return fmt.Sprintf("(CASE WHEN COALESCE(%[1]s, '') = '' AND %[2]s IS NOT NULL THEN CAST(%[2]s AS VARCHAR(500)) ELSE %[1]s END)", current, o("time_entry_id")), true
		}
	}
	if col.Name == "created_at" {
		return ts("created_at", "updated_at"), true
	}
	if col.Name == "updated_at" {
		return ts("updated_at", "created_at"), true
	}
	return "", false
}

// invoiceClientID picks an invoice's client (rule invoice-client): its own client_id if it
// exists, else the client named like TRIM(client_name), else its project's.
func (c *converter) invoiceClientID(has func(string) bool, o func(string) string, newT func(string) string) string {
	var parts []string
	if has("client_id") && c.old.HasTable("clients") {
		// Among the legacy clients, as for projects (rule project-client).
		parts = append(parts, fmt.Sprintf("(SELECT x.id FROM %s x WHERE x.id = %s)", c.st.Old("clients"), o("client_id")))
	}
	if has("client_name") {
		parts = append(parts, fmt.Sprintf("(SELECT x.id FROM %s x WHERE x.name = %s)", newT("clients"), trimName(o("client_name"))))
	}
	parts = append(parts, fmt.Sprintf("(SELECT x.client_id FROM %s x WHERE x.id = %s)", newT("projects"), o("project_id")))
	return coalesce(parts)
}

// coalesce renders COALESCE, which SQLite refuses with a single argument.
func coalesce(parts []string) string {
	if len(parts) == 1 {
		return parts[0]
	}
	return "COALESCE(" + strings.Join(parts, ", ") + ")"
}

// precheck refuses data the rules cannot decide, naming the rows.
func (c *converter) precheck() error {
	classOf := map[string]string{
		"tasks.project_id": ClassTasksWithoutProject, "tasks.created_by": ClassTasksWithoutCreator,
		"time_entries.user_id": ClassEntriesWithoutUser, "time_entries.project_id": ClassEntriesWithoutProject,
		"invoices.project_id": ClassInvoicesWithoutProject, "invoice_items.invoice_id": ClassItemsWithoutInvoice,
	}
	var checks []check
	dangling := func(table, col, ref string, nullToo bool) {
		if !c.has(table, col) {
			return
		}
		cond := fmt.Sprintf(`o."%s" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "%s" x WHERE x.id = o."%s")`, col, ref, col)
		if !c.old.HasTable(ref) {
			cond = fmt.Sprintf(`o."%s" IS NOT NULL`, col)
		}
		if nullToo {
			cond = fmt.Sprintf(`o."%s" IS NULL OR (%s)`, col, cond)
		}
		checks = append(checks, check{table: table, what: col + " is NULL or points at no " + ref + " row", cond: cond, class: classOf[table+"."+col]})
	}
	if c.old.HasTable("tasks") {
		dangling("tasks", "project_id", "projects", true)
		dangling("tasks", "created_by", "users", true)
	}
	if c.old.HasTable("time_entries") {
		dangling("time_entries", "user_id", "users", true)
		dangling("time_entries", "project_id", "projects", true)
		if c.has("time_entries", "start_time") && c.has("time_entries", "start_utc") {
			checks = append(checks, check{table: "time_entries", what: "has both start_time and start_utc values",
				cond: `o.start_time IS NOT NULL AND o.start_utc IS NOT NULL AND o.start_time <> o.start_utc`, class: ClassEntriesTwoStartTimes})
		}
		start := "start_time"
		if !c.has("time_entries", start) {
			start = "start_utc"
		}
		if c.has("time_entries", start) {
			other := ""
			if start == "start_time" && c.has("time_entries", "start_utc") {
				other = " AND o.start_utc IS NULL"
			}
			checks = append(checks, check{table: "time_entries", what: "has no start time",
				cond: fmt.Sprintf(`o."%s" IS NULL%s`, start, other), class: ClassEntriesWithoutStart})
		}
	}
	if c.old.HasTable("invoices") {
		dangling("invoices", "project_id", "projects", true)
		checks = append(checks, check{table: "invoices", what: "invoice_number is used more than once (invoices are never renumbered)",
			query: `SELECT MIN(o.id) FROM "invoices" o GROUP BY o.invoice_number HAVING count(*) > 1`, class: ClassDuplicateInvoiceNumber})
		noCreator := `o.created_by IS NULL OR NOT EXISTS (SELECT 1 FROM "users" x WHERE x.id = o.created_by)`
		if !c.has("invoices", "created_by") {
			noCreator = "1 = 1"
		}
		checks = append(checks, check{table: "invoices", what: "has no creator and there is no active admin to assign",
			cond: fmt.Sprintf(`(%s) AND NOT EXISTS (SELECT 1 FROM "users" x WHERE x.role = 'admin' AND lower(CAST(x.is_active AS TEXT)) IN ('true', 't', '1'))`, noCreator), class: ClassInvoicesWithoutCreator})
	}
	if c.old.HasTable("invoice_items") {
		dangling("invoice_items", "invoice_id", "invoices", true)
	}
	// A NOT NULL baseline column without a default and without a rule must
	// already hold a value in every row.
	base, _ := migrations.BaselineSchema()
	for _, bt := range base.Tables {
		old, ok := c.old.Table(bt.Name)
		if !ok {
			continue
		}
		for _, col := range bt.Columns {
			oc, ok := old.Column(col.Name)
			if !ok || !col.NotNull || col.Default != "" || oc.NotNull || col.PrimaryKey || ruled[bt.Name+"."+col.Name] || classOf[bt.Name+"."+col.Name] != "" {
				continue
			}
			checks = append(checks, check{table: bt.Name, what: col.Name + " is NULL (the baseline requires a value and none can be derived)",
				cond: fmt.Sprintf(`o."%s" IS NULL`, col.Name), class: ClassMissingValue})
		}
	}
	var kept []check
	for _, ch := range checks {
		if !c.skipped(ch.class) {
			kept = append(kept, ch)
		}
	}
	found, err := c.runChecks(kept)
	if err != nil {
		return err
	}
	var refusals []Refusal
	for i, ch := range kept {
		if ids := found[i]; len(ids) > 0 {
			refusals = append(refusals, refusal(ch.class, ch.table, ch.what, ids))
		}
	}
	if len(refusals) > 0 {
		sort.Slice(refusals, func(i, j int) bool {
			return refusals[i].Table+": "+refusals[i].Problem < refusals[j].Table+": "+refusals[j].Problem
		})
		return &RefusalError{Refusals: refusals}
	}
	return nil
}

// check is one pre-check: the ids of the rows of table where cond holds
// (alias o), or the ids query returns.
type check struct {
	table, what, cond, query string
	// class names the refusal, and so its resolution (resolve.go).
	class string
}

// idLimit caps the ids a pre-check reports.
const idLimit = 20

// runChecks returns the ids each check finds (at most idLimit). The
// conditions on one table are folded into one pass over it, instead of one
// scan per check: on a clean database, which is the usual case, that pass
// returns no row. When it returns many rows, so that one check's could
// crowd out another's, the checks of that table run one by one instead.
func (c *converter) runChecks(checks []check) ([][]int64, error) {
	found := make([][]int64, len(checks))
	done := make([]bool, len(checks))
	var tables []string
	byTable := map[string][]int{}
	for i, ch := range checks {
		if ch.cond == "" {
			continue
		}
		if _, ok := byTable[ch.table]; !ok {
			tables = append(tables, ch.table)
		}
		byTable[ch.table] = append(byTable[ch.table], i)
	}
	for _, table := range tables {
		idx := byTable[table]
		if len(idx) < 2 {
			continue
		}
		var flags, conds []string
		for _, i := range idx {
			flags = append(flags, fmt.Sprintf("CASE WHEN %s THEN 1 ELSE 0 END", checks[i].cond))
			conds = append(conds, "("+checks[i].cond+")")
		}
		limit := idLimit * len(idx)
		rows, err := c.tx.Raw(fmt.Sprintf(`SELECT o.id, %s FROM "%s" o WHERE %s ORDER BY o.id LIMIT %d`,
			strings.Join(flags, ", "), table, strings.Join(conds, " OR "), limit+1)).Rows()
		if err != nil {
			return nil, fmt.Errorf("check %s: %w", table, err)
		}
		hits := make([][]int64, len(idx))
		n := 0
		for rows.Next() {
			n++
			vals := make([]int64, len(idx)+1)
			ptrs := make([]any, len(vals))
			for j := range vals {
				ptrs[j] = &vals[j]
			}
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return nil, fmt.Errorf("check %s: %w", table, err)
			}
			for j := range idx {
				if vals[j+1] == 1 && len(hits[j]) < idLimit {
					hits[j] = append(hits[j], vals[0])
				}
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("check %s: %w", table, err)
		}
		if n > limit {
			continue // one by one below
		}
		for j, i := range idx {
			found[i], done[i] = hits[j], true
		}
	}
	for i, ch := range checks {
		if done[i] {
			continue
		}
		q := ch.query
		if q == "" {
			q = fmt.Sprintf(`SELECT o.id FROM "%s" o WHERE %s ORDER BY o.id`, ch.table, ch.cond)
		}
		ids, err := c.ids(q)
		if err != nil {
			return nil, fmt.Errorf("check %s: %w", ch.table, err)
		}
		found[i] = ids
	}
	return found, nil
}

// ruled lists NOT NULL columns whose value a rule derives.
var ruled = map[string]bool{
	"time_entries.start_time": true, "projects.client_id": true, "invoices.client_id": true,
	"invoices.client_name": true, "invoices.created_by": true, "invoices.total_amount": true,
	"invoice_items.total_amount": true,
}

func joinIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = fmt.Sprint(id)
	}
	return strings.Join(s, ", ")
}

// ensureSettingsRow inserts the settings row an empty table lacks (rule
// settings-row).
func (c *converter) ensureSettingsRow() error {
	n, err := c.count("settings")
	if err != nil || n > 0 {
		return err
	}
	cols := []string{"created_at", "updated_at"}
	vals := []any{}
	ph := []string{c.now, c.now}
	keys := make([]string, 0, len(c.opts.Settings))
	for k := range c.opts.Settings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		cols = append(cols, k)
		vals = append(vals, c.opts.Settings[k])
		ph = append(ph, "?")
	}
	c.notes = append(c.notes, "settings was empty: inserted one row with defaults")
	return c.tx.Exec(fmt.Sprintf("INSERT INTO settings (%s) VALUES (%s)", strings.Join(cols, ", "), strings.Join(ph, ", ")), vals...).Error
}
