package schema

import (
	"fmt"
	"strings"
)

// Verify checks a live schema against the one it must provide, under the
// rules of "matches the baseline": every wanted column exists with the same
// type family (a wider VARCHAR or NUMERIC is accepted; TIMESTAMP must not
// carry a time zone); NOT NULL where wanted; extra columns only if nullable
// or defaulted; each unique index is met by any unique index on exactly
// those columns; each foreign key exists to the same target (any ON DELETE,
// any name); each index exists on the same columns (any name, a unique one
// will do). It returns one line per problem; none means it matches.
func Verify(want, got Schema) []string {
	var out []string
	for _, wt := range want.Tables {
		gt, ok := got.Table(wt.Name)
		if !ok {
			out = append(out, fmt.Sprintf("table %s: missing", wt.Name))
			continue
		}
		out = append(out, verifyTable(wt, *gt)...)
	}
	return out
}

func verifyTable(want, got Table) []string {
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
		if !typeCompatible(wc.Type, gc.Type) {
			note := ""
			if gc.Type.Kind == TimestampTZ {
				note = " (TimeTracker's timestamps are without time zone)"
			}
			p("column %s: type %s, want %s%s", wc.Name, gc.Type, wc.Type, note)
		}
		if wc.NotNull && !gc.NotNull {
			p("column %s: NULL allowed, want NOT NULL", wc.Name)
		}
	}
	for _, gc := range got.Columns {
		if !want.HasColumn(gc.Name) && gc.NotNull && NormalizeDefault(gc.Default, gc.Type.Kind) == "" && !gc.PrimaryKey {
			p("column %s: extra NOT NULL column without a default (inserts by the app would fail)", gc.Name)
		}
	}
	for _, wi := range want.Indexes {
		if !hasIndexOn(got, wi) {
			kind := "index"
			if wi.Unique {
				kind = "unique index"
			}
			p("%s on (%s)%s: missing (wanted as %s)", kind, strings.Join(wi.Columns, ", "), whereSuffix(wi.Where), wi.Name)
		}
	}
	for _, wf := range want.ForeignKeys {
		n := 0
		for _, gf := range got.ForeignKeys {
			if sameList(gf.Columns, wf.Columns) && gf.RefTable == wf.RefTable {
				n++
			}
		}
		if n == 0 {
			p("foreign key (%s) -> %s: missing", strings.Join(wf.Columns, ", "), wf.RefTable)
		}
	}
	return out
}

// typeCompatible accepts the same kind with at least the wanted size.
func typeCompatible(want, got Type) bool {
	if want.Kind != got.Kind {
		// SQLite reports serial keys and plain integers alike.
		return want.Kind == Integer && got.Kind == BigInt
	}
	switch want.Kind {
	case Varchar:
		return got.Length == 0 || got.Length >= want.Length
	case Numeric:
		if got.Precision == 0 {
			return true
		}
		return got.Scale == want.Scale && got.Precision >= want.Precision
	}
	return true
}

func hasIndexOn(t Table, want Index) bool {
	for _, gi := range t.Indexes {
		if !sameList(gi.Columns, want.Columns) {
			continue
		}
		if want.Unique && !gi.Unique {
			continue
		}
		if !strings.EqualFold(normalizeWhere(gi.Where), normalizeWhere(want.Where)) {
			continue
		}
		return true
	}
	return false
}

func normalizeWhere(w string) string {
	w = strings.TrimSpace(w)
	for strings.HasPrefix(w, "(") && strings.HasSuffix(w, ")") {
		w = strings.TrimSpace(w[1 : len(w)-1])
	}
	return strings.Join(strings.Fields(w), " ")
}

func whereSuffix(w string) string {
	if w == "" {
		return ""
	}
	return " WHERE " + w
}

func sameList(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
