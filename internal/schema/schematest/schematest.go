// Package schematest builds schemas for tests: the baseline, mutated into
// the layouts detection and verification must tell apart. Test code only.
package schematest

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/timetracker/timetracker/internal/schema"
	"github.com/timetracker/timetracker/migrations"
)

// Edit changes a schema in place.
type Edit func(t *testing.T, s *schema.Schema)

// Baseline returns the baseline schema with edits applied in order.
func Baseline(t *testing.T, edits ...Edit) schema.Schema {
	t.Helper()
	s, err := migrations.BaselineSchema()
	require.NoError(t, err)
	for _, e := range edits {
		e(t, &s)
	}
	return s
}

// Table returns the named table, failing the test if it is absent.
func Table(t *testing.T, s *schema.Schema, name string) *schema.Table {
	t.Helper()
	tb, ok := s.Table(name)
	require.True(t, ok, "table %s", name)
	return tb
}

// Col parses "name type [notnull] [pk] [default=expr]".
func Col(desc string) schema.Column {
	f := strings.Fields(desc)
	c := schema.Column{Name: f[0], Type: schema.ParseType(f[1])}
	for _, o := range f[2:] {
		switch {
		case o == "notnull":
			c.NotNull = true
		case o == "pk":
			c.PrimaryKey, c.NotNull = true, true
		case strings.HasPrefix(o, "default="):
			c.Default = strings.TrimPrefix(o, "default=")
		}
	}
	return c
}

// DropTables removes tables.
func DropTables(names ...string) Edit {
	return func(t *testing.T, s *schema.Schema) {
		s.Tables = slices.DeleteFunc(s.Tables, func(tb schema.Table) bool { return slices.Contains(names, tb.Name) })
	}
}

// AddTable adds a table of columns described as for Col.
func AddTable(name string, cols ...string) Edit {
	return func(t *testing.T, s *schema.Schema) {
		tb := schema.Table{Name: name}
		for _, c := range cols {
			tb.Columns = append(tb.Columns, Col(c))
		}
		s.Tables = append(s.Tables, tb)
	}
}

// DropCols removes columns with every index and foreign key on them.
func DropCols(table string, names ...string) Edit {
	return func(t *testing.T, s *schema.Schema) {
		tb := Table(t, s, table)
		for _, n := range names {
			require.True(t, tb.HasColumn(n), "%s.%s", table, n)
			tb.Columns = slices.DeleteFunc(tb.Columns, func(c schema.Column) bool { return c.Name == n })
			tb.Indexes = slices.DeleteFunc(tb.Indexes, func(i schema.Index) bool { return slices.Contains(i.Columns, n) })
			tb.ForeignKeys = slices.DeleteFunc(tb.ForeignKeys, func(fk schema.ForeignKey) bool { return slices.Contains(fk.Columns, n) })
		}
	}
}

// AddCols adds columns described as for Col.
func AddCols(table string, descs ...string) Edit {
	return func(t *testing.T, s *schema.Schema) {
		tb := Table(t, s, table)
		for _, d := range descs {
			tb.Columns = append(tb.Columns, Col(d))
		}
	}
}

// SetCol changes one column.
func SetCol(table, name string, f func(c *schema.Column)) Edit {
	return func(t *testing.T, s *schema.Schema) {
		c, ok := Table(t, s, table).Column(name)
		require.True(t, ok, "%s.%s", table, name)
		f(c)
	}
}

// Nullable drops NOT NULL from a column.
func Nullable(table, name string) Edit {
	return SetCol(table, name, func(c *schema.Column) { c.NotNull = false })
}
