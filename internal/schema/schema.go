// Package schema describes tables without reference to any SQL dialect. It is
// the common form in which GORM models, the frozen structs of migration steps
// and introspected live databases are rendered, compared and verified.
package schema

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Kind is the family of a column type; dialects map each kind to their own
// spelling (e.g. Timestamp is TIMESTAMP on PostgreSQL and DATETIME on SQLite).
type Kind string

// The kinds used by TimeTracker's schema, plus Interval for legacy Alembic
// databases and Unknown for anything else found in a live database.
const (
	Integer   Kind = "integer"
	BigInt    Kind = "bigint"
	Varchar   Kind = "varchar"
	Text      Kind = "text"
	Boolean   Kind = "boolean"
	Timestamp Kind = "timestamp"
	// TimestampTZ is PostgreSQL's timestamp with time zone, which TimeTracker
	// never uses: verification reports it.
	TimestampTZ Kind = "timestamptz"
	Date        Kind = "date"
	Numeric     Kind = "numeric"
	Float       Kind = "float"
	Interval    Kind = "interval"
	Unknown     Kind = "unknown"
)

// Type is a column type: a kind plus its length (varchar) or precision and
// scale (numeric). Raw keeps the spelling found in a live database.
type Type struct {
	Kind      Kind
	Length    int
	Precision int
	Scale     int
	Raw       string
}

// String renders the type in neutral form, e.g. varchar(80), numeric(9,2).
func (t Type) String() string {
	switch {
	case t.Kind == Varchar && t.Length > 0:
		return fmt.Sprintf("varchar(%d)", t.Length)
	case t.Kind == Numeric && t.Precision > 0:
		return fmt.Sprintf("numeric(%d,%d)", t.Precision, t.Scale)
	case t.Kind == Unknown && t.Raw != "":
		return t.Raw
	}
	return string(t.Kind)
}

// Equal reports whether two types are the same, ignoring their raw spelling.
func (t Type) Equal(o Type) bool {
	return t.Kind == o.Kind && t.Length == o.Length && t.Precision == o.Precision && t.Scale == o.Scale
}

// ParseType reads a SQL type as either dialect spells it: PostgreSQL's
// information_schema names ("character varying", "timestamp without time
// zone", "double precision") and SQLite's declared types ("VARCHAR(80)",
// "DATETIME", "FLOAT").
func ParseType(s string) Type {
	raw := strings.TrimSpace(s)
	lower := strings.ToLower(raw)
	base, args := lower, ""
	if i := strings.IndexByte(lower, '('); i >= 0 {
		base = strings.TrimSpace(lower[:i])
		args = strings.TrimSuffix(strings.TrimSpace(lower[i+1:]), ")")
	}
	t := Type{Raw: raw}
	switch base {
	case "integer", "int", "int4", "serial", "smallint", "int2":
		t.Kind = Integer
	case "bigint", "int8", "bigserial":
		t.Kind = BigInt
	case "varchar", "character varying", "nvarchar", "character", "char":
		t.Kind = Varchar
		t.Length, _ = strconv.Atoi(strings.TrimSpace(args))
	case "text", "clob":
		t.Kind = Text
	case "boolean", "bool":
		t.Kind = Boolean
	case "timestamp", "timestamp without time zone", "datetime":
		t.Kind = Timestamp
		if strings.Contains(lower, "with time zone") && !strings.Contains(lower, "without") {
			t.Kind = TimestampTZ
		}
	case "timestamptz", "timestamp with time zone":
		t.Kind = TimestampTZ
	case "date":
		t.Kind = Date
	case "numeric", "decimal":
		t.Kind = Numeric
		if args != "" {
			parts := strings.SplitN(args, ",", 2)
			t.Precision, _ = strconv.Atoi(strings.TrimSpace(parts[0]))
			if len(parts) == 2 {
				t.Scale, _ = strconv.Atoi(strings.TrimSpace(parts[1]))
			}
		}
	case "float", "double precision", "double", "real", "float8":
		t.Kind = Float
	case "interval":
		t.Kind = Interval
	default:
		t.Kind = Unknown
	}
	return t
}

// Column is one column of a table.
type Column struct {
	Name string
	Type Type
	// NotNull is true for NOT NULL columns and for the primary key.
	NotNull bool
	// PrimaryKey marks the single-column integer key that each table has;
	// dialects render it as SERIAL or INTEGER PRIMARY KEY.
	PrimaryKey bool
	// Default is the SQL default expression in neutral form ('user',
	// CURRENT_TIMESTAMP, true, 0), or "" for none.
	Default string
}

// Index is an index on one table. Where holds the predicate of a partial
// index without the WHERE keyword.
type Index struct {
	Name    string
	Columns []string
	Unique  bool
	Where   string
}

// ForeignKey is a foreign key from Columns to RefTable(RefColumns).
// OnDelete is "" for the default (NO ACTION), else e.g. "CASCADE".
type ForeignKey struct {
	Name       string
	Columns    []string
	RefTable   string
	RefColumns []string
	OnDelete   string
}

// Table is a table with its columns in order, indexes and foreign keys.
type Table struct {
	Name        string
	Columns     []Column
	Indexes     []Index
	ForeignKeys []ForeignKey
}

// Column returns the named column.
func (t *Table) Column(name string) (*Column, bool) {
	for i := range t.Columns {
		if t.Columns[i].Name == name {
			return &t.Columns[i], true
		}
	}
	return nil, false
}

// HasColumn reports whether the table has the named column.
func (t *Table) HasColumn(name string) bool {
	_, ok := t.Column(name)
	return ok
}

// Index returns the named index.
func (t *Table) Index(name string) (*Index, bool) {
	for i := range t.Indexes {
		if t.Indexes[i].Name == name {
			return &t.Indexes[i], true
		}
	}
	return nil, false
}

// Schema is an ordered set of tables; creation order respects foreign keys.
type Schema struct {
	Tables []Table
}

// Table returns the named table.
func (s *Schema) Table(name string) (*Table, bool) {
	for i := range s.Tables {
		if s.Tables[i].Name == name {
			return &s.Tables[i], true
		}
	}
	return nil, false
}

// HasTable reports whether the schema has the named table.
func (s *Schema) HasTable(name string) bool {
	_, ok := s.Table(name)
	return ok
}

// TableNames returns the table names, sorted.
func (s *Schema) TableNames() []string {
	names := make([]string, 0, len(s.Tables))
	for _, t := range s.Tables {
		names = append(names, t.Name)
	}
	sort.Strings(names)
	return names
}

// Sort orders tables by name and their indexes and foreign keys by name, so
// two introspections of equal schemas compare equal.
func (s *Schema) Sort() {
	sort.Slice(s.Tables, func(i, j int) bool { return s.Tables[i].Name < s.Tables[j].Name })
	for i := range s.Tables {
		t := &s.Tables[i]
		sort.Slice(t.Indexes, func(a, b int) bool { return t.Indexes[a].Name < t.Indexes[b].Name })
		sort.Slice(t.ForeignKeys, func(a, b int) bool {
			return strings.Join(t.ForeignKeys[a].Columns, ",") < strings.Join(t.ForeignKeys[b].Columns, ",")
		})
	}
}
