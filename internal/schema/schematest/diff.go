package schematest

import (
	"fmt"
	"sort"
	"strings"

	"github.com/timetracker/timetracker/internal/schema"
)

// Diff lists every difference between two schemas (want vs got): tables,
// columns, types, nullability, defaults, indexes and foreign keys. Column
// order and constraint names of foreign keys are ignored. An empty result
// means the schemas are equal. It is stricter than schema.Verify, which
// accepts what TimeTracker tolerates; tests use it to prove two ways of
// building a schema give the same result.
func Diff(want, got schema.Schema) []string {
	var out []string
	for _, wt := range want.Tables {
		gt, ok := got.Table(wt.Name)
		if !ok {
			out = append(out, fmt.Sprintf("table %s: missing", wt.Name))
			continue
		}
		out = append(out, diffTable(wt, *gt)...)
	}
	for _, gt := range got.Tables {
		if !want.HasTable(gt.Name) {
			out = append(out, fmt.Sprintf("table %s: unexpected", gt.Name))
		}
	}
	return out
}

func diffTable(want, got schema.Table) []string {
	var out []string
	p := func(format string, args ...any) {
		out = append(out, fmt.Sprintf("table %s: ", want.Name)+fmt.Sprintf(format, args...))
	}
	for _, wc := range want.Columns {
		gc, ok := got.Column(wc.Name)
		if !ok {
			p("column %s: missing", wc.Name)
			continue
		}
		if !wc.Type.Equal(gc.Type) {
			p("column %s: type %s, want %s", wc.Name, gc.Type, wc.Type)
		}
		if wc.NotNull != gc.NotNull {
			p("column %s: %s, want %s", wc.Name, nullWord(gc.NotNull), nullWord(wc.NotNull))
		}
		if wc.PrimaryKey != gc.PrimaryKey {
			p("column %s: primary key %v, want %v", wc.Name, gc.PrimaryKey, wc.PrimaryKey)
		}
		if wd, gd := schema.NormalizeDefault(wc.Default, wc.Type.Kind), schema.NormalizeDefault(gc.Default, gc.Type.Kind); wd != gd {
			p("column %s: default %q, want %q", wc.Name, gd, wd)
		}
	}
	for _, gc := range got.Columns {
		if !want.HasColumn(gc.Name) {
			p("column %s: unexpected", gc.Name)
		}
	}
	wi, gi := indexKeys(want.Indexes), indexKeys(got.Indexes)
	for _, k := range setDiff(wi, gi) {
		p("index %s: missing", k)
	}
	for _, k := range setDiff(gi, wi) {
		p("index %s: unexpected", k)
	}
	wf, gf := fkKeys(want.ForeignKeys), fkKeys(got.ForeignKeys)
	for _, k := range setDiff(wf, gf) {
		p("foreign key %s: missing", k)
	}
	for _, k := range setDiff(gf, wf) {
		p("foreign key %s: unexpected", k)
	}
	return out
}

func nullWord(notNull bool) string {
	if notNull {
		return "NOT NULL"
	}
	return "NULL"
}

func indexKeys(ix []schema.Index) []string {
	var out []string
	for _, i := range ix {
		out = append(out, indexKey(i))
	}
	return out
}

func indexKey(i schema.Index) string {
	s := i.Name + " (" + strings.Join(i.Columns, ", ") + ")"
	if i.Unique {
		s = "unique " + s
	}
	if i.Where != "" {
		s += " WHERE " + strings.ToLower(i.Where)
	}
	return s
}

func fkKeys(fks []schema.ForeignKey) []string {
	var out []string
	for _, f := range fks {
		out = append(out, fkKey(f))
	}
	return out
}

func fkKey(f schema.ForeignKey) string {
	s := fmt.Sprintf("(%s) -> %s(%s)", strings.Join(f.Columns, ", "), f.RefTable, strings.Join(f.RefColumns, ", "))
	if f.OnDelete != "" {
		s += " ON DELETE " + f.OnDelete
	}
	return s
}

// setDiff returns the elements of a not in b, sorted.
func setDiff(a, b []string) []string {
	in := map[string]bool{}
	for _, x := range b {
		in[x] = true
	}
	var out []string
	for _, x := range a {
		if !in[x] {
			out = append(out, x)
		}
	}
	sort.Strings(out)
	return out
}
