// Package legacygen generates legacy TimeTracker databases for the
// conversion's property test. Given the schema of a legacy database (a
// fixture of legacy/testdata, introspected), Script draws from a seed the
// SQL that empties its tables and fills them with rows meant to break the
// converter's assumptions: ids with gaps and high values, id sequences
// behind and far ahead of max(id), client names that differ only by
// surrounding whitespace, case or Unicode normalisation, whitespace-only
// names, zero-width characters, values at the column's length and
// precision limits, NULL in nullable columns, timestamps with and without
// fractions and at the Europe/Rome DST changes, several running timers per
// user, orphans of every kind the conversion rules handle, and, in "dirty"
// seeds, the data the rules refuse (dangling required references,
// duplicate invoice numbers, invoices whose project was deleted).
//
// The same schema, dialect and seed always give the same script. Only
// _test.go files import this package.
package legacygen

import (
	"fmt"
	"math/rand"
	"strconv"
	"strings"
	"time"

	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/schema"
	"github.com/timetracker/timetracker/migrations"
)

// Order is the order tables are filled in (references point backwards).
var Order = []string{"users", "clients", "projects", "tasks", "time_entries", "settings", "invoices", "invoice_items", "task_activities"}

// Refs maps the reference columns of legacy tables to the table they
// point at, whether or not the schema declares a foreign key.
var Refs = map[string]string{
	"projects.client_id":          "clients",
	"tasks.project_id":            "projects",
	"tasks.assigned_to":           "users",
	"tasks.created_by":            "users",
	"time_entries.user_id":        "users",
	"time_entries.project_id":     "projects",
	"time_entries.task_id":        "tasks",
	"invoices.project_id":         "projects",
	"invoices.client_id":          "clients",
	"invoices.created_by":         "users",
	"invoice_items.invoice_id":    "invoices",
	"invoice_items.time_entry_id": "time_entries",
	"task_activities.task_id":     "tasks",
	"task_activities.user_id":     "users",
}

// required references make the conversion refuse when NULL or dangling.
var required = map[string]bool{
	"time_entries.user_id": true, "time_entries.project_id": true, "tasks.project_id": true,
	"tasks.created_by": true, "invoices.project_id": true, "invoice_items.invoice_id": true,
	"task_activities.task_id": true,
}

// derived are NOT NULL baseline columns without a default whose value a
// conversion rule derives, so a legacy NULL there is not a refusal.
var derived = map[string]bool{
	"projects.client_id": true, "invoices.client_id": true, "invoices.client_name": true,
	"invoices.created_by": true, "invoices.total_amount": true, "invoice_items.total_amount": true,
}

// Awkward client names: equal after trimming, differing in case or in
// Unicode normalisation (NFC and NFD "Zoë"), blank, with zero-width
// characters, quotes and backslashes.
var clientNames = []string{
	"Acme", " Acme", "Acme ", "  Acme  ", "acme", "ACME", "\tAcme\n", "Acme\u200b", "\u200bAcme", "\u00a0Acme\u00a0",
	"Zo\u00eb", "Zoe\u0308", " Zo\u00eb ", "Default Client", " Default Client ", "default client",
	"", " ", "   ", "\t", "\u3000", "\u200b", "O'Reilly & Söhne", `Back\slash "Quote"`, "Zürich GmbH", "100%_Match",
	"日本株式会社", "🙂 Emoji Ltd",
}

var texts = []string{
	"", " ", "plain", "line one\nline two", "tab\there", "quote ' and \"double\"", `C:\path\to`, "Zo\u00eb", "Zoe\u0308",
	"zero\u200bwidth", "emoji 🙂", "trailing  ", "%_ like", "NULL", "null", "-- comment", "'; DROP TABLE users; --",
}

// Gen holds the state of one script.
type gen struct {
	r       *rand.Rand
	dialect database.Dialect
	s       schema.Schema
	base    schema.Schema
	dirty   bool
	alembic bool
	ids     map[string][]int64
	out     strings.Builder
	starts  map[int64]time.Time
	running map[string]bool
	unique  map[string]map[string]bool
}

// Dirty reports whether seed draws data the rules may refuse: about one
// seed in four.
func Dirty(seed int64) bool { return seed%4 == 3 }

// Script returns the SQL that empties the TimeTracker tables of a database
// with schema s and fills them from seed. On SQLite it first turns
// foreign-key enforcement off for the connection, as TimeTracker never
// turned it on.
func Script(s schema.Schema, dialect database.Dialect, seed int64) (string, error) {
	base, err := migrations.BaselineSchema()
	if err != nil {
		return "", err
	}
	g := &gen{r: rand.New(rand.NewSource(seed)), dialect: dialect, s: s, base: base, dirty: Dirty(seed),
		ids: map[string][]int64{}, starts: map[int64]time.Time{}, running: map[string]bool{}, unique: map[string]map[string]bool{}}
	g.alembic = g.has("time_entries", "duration") || g.has("settings", "logo_path")
	fmt.Fprintf(&g.out, "-- legacygen seed %d (%s, dirty=%v)\n", seed, dialect, g.dirty)
	if dialect == database.SQLite {
		g.out.WriteString("PRAGMA foreign_keys = OFF;\n")
	}
	for i := len(Order) - 1; i >= 0; i-- {
		if s.HasTable(Order[i]) {
			fmt.Fprintf(&g.out, "DELETE FROM %s;\n", Order[i])
		}
	}
	for _, name := range Order {
		t, ok := s.Table(name)
		if !ok {
			continue
		}
		g.fill(t)
	}
	if dialect == database.Postgres {
		g.sequences()
	}
	return g.out.String(), nil
}

func (g *gen) has(table, col string) bool {
	t, ok := g.s.Table(table)
	return ok && t.HasColumn(col)
}

func (g *gen) p(x float64) bool { return g.r.Float64() < x }

func (g *gen) pick(list []string) string { return list[g.r.Intn(len(list))] }

func (g *gen) count(table string) int {
	switch table {
	case "users":
		return 1 + g.r.Intn(6)
	case "clients":
		return g.r.Intn(9)
	case "projects":
		return 1 + g.r.Intn(10)
	case "settings":
		return g.r.Intn(4)
	case "time_entries":
		return g.r.Intn(26)
	case "invoice_items":
		return g.r.Intn(13)
	}
	return g.r.Intn(9)
}

// nextIDs draws n ids: a start of 1, a few hundred or near 2^31, then
// steps of one or with gaps.
func (g *gen) nextIDs(n int) []int64 {
	var id int64
	switch g.r.Intn(4) {
	case 0, 1:
		id = 1
	case 2:
		id = 2 + g.r.Int63n(1000)
	default:
		id = 1_000_000 + g.r.Int63n(2_000_000_000)
	}
	out := make([]int64, n)
	for i := range out {
		out[i] = id
		if g.p(0.5) {
			id++
		} else {
			id += 2 + g.r.Int63n(500)
		}
	}
	return out
}

func (g *gen) fill(t *schema.Table) {
	n := g.count(t.Name)
	// Without a row to point at, a clean seed cannot give rows that need one.
	for _, c := range t.Columns {
		ref, ok := Refs[t.Name+"."+c.Name]
		if !ok || len(g.ids[ref]) > 0 {
			continue
		}
		enforced := g.dialect == database.Postgres && hasFK(t, c.Name)
		if (required[t.Name+"."+c.Name] && !g.dirty) || (c.NotNull && enforced) {
			n = 0
		}
	}
	ids := g.nextIDs(n)
	g.ids[t.Name] = ids
	for i, id := range ids {
		cols := []string{"id"}
		vals := []string{strconv.FormatInt(id, 10)}
		row := map[string]string{}
		for _, c := range t.Columns {
			if c.PrimaryKey || c.Name == "id" {
				continue
			}
			v := g.value(t, c, id, i, row)
			row[c.Name] = v
			cols = append(cols, `"`+c.Name+`"`)
			vals = append(vals, v)
		}
		fmt.Fprintf(&g.out, "INSERT INTO %s (%s) VALUES (%s);\n", t.Name, strings.Join(cols, ", "), strings.Join(vals, ", "))
	}
}

// sequences leaves each id sequence behind max(id), at it, or far ahead.
func (g *gen) sequences() {
	for _, name := range Order {
		ids := g.ids[name]
		if !g.s.HasTable(name) || len(ids) == 0 {
			continue
		}
		max := ids[len(ids)-1]
		var v int64
		switch g.r.Intn(3) {
		case 0:
			v = 1
		case 1:
			v = max
		default:
			v = max + 1_000_000
		}
		fmt.Fprintf(&g.out, "SELECT setval(pg_get_serial_sequence('%s', 'id'), %d);\n", name, v)
	}
}

// baselineCol is the baseline's column of the same name, if any.
func (g *gen) baselineCol(table, col string) (*schema.Column, bool) {
	bt, ok := g.base.Table(table)
	if !ok {
		return nil, false
	}
	return bt.Column(col)
}

// mayBeNull reports whether a clean seed may leave the column NULL: the
// conversion fills it (a default, a rule) or keeps it nullable.
func (g *gen) mayBeNull(table string, c schema.Column) bool {
	if c.NotNull || (table == "time_entries" && (c.Name == "end_time" || c.Name == "end_utc")) {
		return false // running timers are drawn on their own
	}
	if g.dirty {
		return true
	}
	key := table + "." + c.Name
	if required[key] {
		return false
	}
	if table == "time_entries" && (c.Name == "start_time" || c.Name == "start_utc") {
		return false
	}
	bc, ok := g.baselineCol(table, c.Name)
	return !ok || !bc.NotNull || bc.Default != "" || derived[key] || c.Name == "created_at" || c.Name == "updated_at"
}

func (g *gen) value(t *schema.Table, c schema.Column, id int64, i int, row map[string]string) string {
	key := t.Name + "." + c.Name
	if ref, ok := Refs[key]; ok {
		return g.ref(t, c, ref)
	}
	nullP := 0.15
	if g.mayBeNull(t.Name, c) && g.p(nullP) {
		return "NULL"
	}
	switch key {
	case "users.username":
		return g.uniq(key, g.pick([]string{"admin", "Admin", " bob", "zo\u00eb", "zoe\u0308", "user"}), id, c)
	case "users.role":
		if i == 0 && !g.dirty {
			return lit("admin")
		}
		return lit(g.pick([]string{"admin", "user", "user", "Admin"}))
	case "users.is_active":
		if i == 0 && !g.dirty {
			return g.boolean(true)
		}
		return g.boolean(g.p(0.7))
	case "clients.name":
		return g.uniq(key, g.pick(clientNames), id, c)
	case "projects.client", "invoices.client_name":
		return g.str(c, g.pick(clientNames))
	case "clients.status", "projects.status", "tasks.status", "tasks.priority", "invoices.status", "time_entries.source":
		return lit(g.pick(enums[key]))
	case "invoices.invoice_number":
		return g.invoiceNumber(t, c, id)
	case "time_entries.start_time", "time_entries.start_utc":
		if key == "time_entries.start_time" && g.has("time_entries", "start_utc") {
			// The enhanced init's empty twin beside S1's start_utc.
			if s, ok := row["start_utc"]; ok && g.p(0.3) && g.dirty {
				return s
			}
			return "NULL"
		}
		ts := g.timestamp()
		g.starts[id] = ts
		return g.ts(ts)
	case "time_entries.end_time", "time_entries.end_utc":
		if key == "time_entries.end_time" && g.has("time_entries", "end_utc") {
			return "NULL"
		}
		if g.p(0.3) && g.mayRun(t, row["user_id"]) {
			return "NULL" // a running timer; several per user are likely
		}
		return g.ts(g.starts[id].Add(time.Duration(g.r.Intn(36000)) * time.Second))
	case "time_entries.duration":
		secs := g.r.Int63n(10 * 86400)
		if g.dialect == database.Postgres {
			return lit(fmt.Sprintf("%d seconds", secs))
		}
		return lit(time.Unix(secs, 0).UTC().Format("2006-01-02 15:04:05"))
	case "time_entries.tags":
		return g.str(c, g.pick([]string{"", "a,b", " spaced , tags ", strings.Repeat("t,", 300)}))
	case "settings.company_logo_filename", "settings.company_logo_path", "settings.logo_path":
		return g.str(c, g.pick([]string{"", "logo.png", "/app/uploads/logos/a b.png", `C:\logos\win.png`, "dir/", "mixed\\dir/x.svg", "/trailing/"}))
	case "settings.currency":
		return lit(g.pick([]string{"EUR", "USD", "CHF"}))
	case "settings.timezone":
		return lit(g.pick([]string{"Europe/Rome", "Europe/Brussels", "UTC", "America/New_York"}))
	case "settings.backup_time":
		return lit(g.pick([]string{"02:00", "23:59", "00:00"}))
	case "settings.export_delimiter":
		return lit(g.pick([]string{",", ";", "\t"}))
	case "invoice_items.time_entry_ids":
		return g.str(c, g.pick([]string{"", "1", "1,2,3", " 4 , 5 "}))
	}
	return g.generic(c)
}

// mayRun reports whether user may get another running timer: always,
// unless the schema has TimeTracker's partial unique index (revision 010)
// and the user has one already.
func (g *gen) mayRun(t *schema.Table, user string) bool {
	for _, ix := range t.Indexes {
		if ix.Unique && len(ix.Columns) == 1 && ix.Columns[0] == "user_id" {
			if g.running[user] {
				return false
			}
			g.running[user] = true
		}
	}
	return true
}

var enums = map[string][]string{
	"clients.status":      {"active", "inactive"},
	"projects.status":     {"active", "archived"},
	"tasks.status":        {"pending", "todo", "in_progress", "review", "done", "cancelled"},
	"tasks.priority":      {"low", "medium", "high", "urgent"},
	"invoices.status":     {"draft", "sent", "paid", "overdue", "cancelled"},
	"time_entries.source": {"manual", "auto"},
}

func (g *gen) ref(t *schema.Table, c schema.Column, ref string) string {
	key := t.Name + "." + c.Name
	ids := g.ids[ref]
	enforced := g.dialect == database.Postgres && hasFK(t, c.Name)
	nullOK := !c.NotNull && (!required[key] || g.dirty)
	danglingOK := !enforced && (!required[key] || g.dirty)
	x := g.r.Float64()
	switch {
	case nullOK && x < 0.15:
		return "NULL"
	case danglingOK && x < 0.3 || len(ids) == 0:
		if len(ids) == 0 && !danglingOK {
			return "NULL"
		}
		return strconv.FormatInt(g.dangling(ids), 10)
	}
	return strconv.FormatInt(ids[g.r.Intn(len(ids))], 10)
}

// dangling is an id no row has: in a gap, right after the highest id (where
// the conversion may create a row) or far beyond it.
func (g *gen) dangling(ids []int64) int64 {
	taken := map[int64]bool{}
	var max int64
	for _, id := range ids {
		taken[id] = true
		if id > max {
			max = id
		}
	}
	cands := []int64{max + 1, max + 2, max + 1000, 0}
	for _, id := range ids {
		if !taken[id+1] && id+1 < max {
			cands = append(cands, id+1)
		}
	}
	return cands[g.r.Intn(len(cands))]
}

func hasFK(t *schema.Table, col string) bool {
	for _, fk := range t.ForeignKeys {
		if len(fk.Columns) == 1 && fk.Columns[0] == col {
			return true
		}
	}
	return false
}

func (g *gen) uniq(key, s string, id int64, c schema.Column) string {
	if g.unique[key] == nil {
		g.unique[key] = map[string]bool{}
	}
	v := g.fit(c, s)
	if g.unique[key][v] || (key == "clients.name" && g.p(0.3)) {
		v = g.fit(c, fmt.Sprintf("%s %d", s, id))
		if g.p(0.2) {
			// At the length limit.
			v = g.fit(c, fmt.Sprintf("%d%s", id, strings.Repeat("ë", 400)))
		}
	}
	if g.unique[key][v] {
		v = strconv.FormatInt(id, 10)
	}
	g.unique[key][v] = true
	return lit(v)
}

// invoiceNumber is unique, unless the column allows duplicates and the
// seed is dirty.
func (g *gen) invoiceNumber(t *schema.Table, c schema.Column, id int64) string {
	uniq := false
	for _, ix := range t.Indexes {
		if ix.Unique && len(ix.Columns) == 1 && ix.Columns[0] == "invoice_number" {
			uniq = true
		}
	}
	v := fmt.Sprintf("INV-2025%02d%02d-%03d", 1+g.r.Intn(12), 1+g.r.Intn(28), id%1000)
	if g.unique["inv"] == nil {
		g.unique["inv"] = map[string]bool{}
	}
	if g.unique["inv"][v] && (uniq || !g.dirty) {
		v = fmt.Sprintf("INV-%d", id)
	}
	if !uniq && g.dirty && len(g.unique["inv"]) > 0 && g.p(0.3) {
		for k := range g.unique["inv"] {
			if v == "" || k < v {
				v = k
			}
		}
	}
	g.unique["inv"][v] = true
	return lit(g.fit(c, v))
}

func (g *gen) generic(c schema.Column) string {
	switch c.Type.Kind {
	case schema.Integer, schema.BigInt:
		return strconv.FormatInt(g.pickInt(), 10)
	case schema.Varchar, schema.Text:
		return g.str(c, g.pick(texts))
	case schema.Boolean:
		return g.boolean(g.p(0.5))
	case schema.Timestamp, schema.TimestampTZ:
		return g.ts(g.timestamp())
	case schema.Date:
		return lit(g.timestamp().Format("2006-01-02"))
	case schema.Numeric:
		return g.numeric(c.Type)
	case schema.Float:
		return g.pick([]string{"0", "1.5", "0.25", "999.99", "123456.75", "-2.5"})
	case schema.Interval:
		return lit(fmt.Sprintf("%d seconds", g.r.Intn(86400)))
	}
	return "NULL"
}

func (g *gen) pickInt() int64 {
	switch g.r.Intn(4) {
	case 0:
		return 0
	case 1:
		return 2147483647
	}
	return g.r.Int63n(10000)
}

// numeric draws a value of NUMERIC(p,s) from its extremes and between.
func (g *gen) numeric(t schema.Type) string {
	p, s := t.Precision, t.Scale
	if p == 0 {
		p, s = 12, 2
	}
	limit := int64(1)
	for range p {
		limit *= 10
	}
	var n int64
	switch g.r.Intn(5) {
	case 0:
		n = limit - 1
	case 1:
		n = 0
	case 2:
		n = 1
	case 3:
		n = -(limit - 1)
	default:
		n = g.r.Int63n(limit)
	}
	neg := n < 0
	if neg {
		n = -n
	}
	digits := fmt.Sprintf("%0*d", s+1, n)
	v := digits
	if s > 0 {
		v = digits[:len(digits)-s] + "." + digits[len(digits)-s:]
	}
	if neg {
		v = "-" + v
	}
	return v
}

func (g *gen) boolean(b bool) string {
	if g.dialect == database.Postgres {
		return strconv.FormatBool(b)
	}
	if g.alembic && g.p(0.5) {
		return lit(strconv.FormatBool(b)) // Alembic 001's text server default on SQLite
	}
	if b {
		return "1"
	}
	return "0"
}

// timestamp draws a naive wall time in 2025, often within an hour of a DST
// change of Europe/Rome (02:00–03:00 on 30 March does not exist there,
// 02:00–03:00 on 26 October happens twice), with or without a fraction.
func (g *gen) timestamp() time.Time {
	var t time.Time
	switch g.r.Intn(3) {
	case 0:
		t = time.Date(2025, 3, 30, 1, 30, 0, 0, time.UTC).Add(time.Duration(g.r.Intn(7200)) * time.Second)
	case 1:
		t = time.Date(2025, 10, 26, 1, 30, 0, 0, time.UTC).Add(time.Duration(g.r.Intn(7200)) * time.Second)
	default:
		t = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(g.r.Int63n(365*86400)) * time.Second)
	}
	switch g.r.Intn(4) {
	case 0:
		t = t.Add(time.Duration(g.r.Intn(1_000_000)) * time.Microsecond)
	case 1:
		t = t.Add(500 * time.Millisecond)
	case 2:
		t = t.Add(time.Microsecond)
	}
	return t
}

func (g *gen) ts(t time.Time) string {
	s := t.Format("2006-01-02 15:04:05")
	if us := t.Nanosecond() / 1000; us != 0 {
		s += fmt.Sprintf(".%06d", us)
		if g.p(0.5) {
			s = strings.TrimRight(s, "0")
		}
	}
	return lit(s)
}

// str fits s to the column, sometimes padding it to the length limit.
func (g *gen) str(c schema.Column, s string) string {
	if c.Type.Kind == schema.Varchar && c.Type.Length > 0 && g.p(0.1) {
		s += strings.Repeat("ë", c.Type.Length)
	}
	return lit(g.fit(c, s))
}

// fit cuts s to the column's length in characters, as PostgreSQL counts.
func (g *gen) fit(c schema.Column, s string) string {
	if c.Type.Kind != schema.Varchar || c.Type.Length <= 0 {
		return s
	}
	r := []rune(s)
	if len(r) > c.Type.Length {
		r = r[:c.Type.Length]
	}
	return string(r)
}

// lit renders a string literal both dialects read the same way
// (standard_conforming_strings on PostgreSQL).
func lit(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// Tables lists the TimeTracker tables of s in fill order.
func Tables(s schema.Schema) []string {
	var out []string
	for _, n := range Order {
		if s.HasTable(n) {
			out = append(out, n)
		}
	}
	return out
}
