package schema

import (
	"fmt"
	"strings"
	"sync"

	gormschema "gorm.io/gorm/schema"
)

// FromModels builds a Schema from GORM model structs, in the order given.
// Every column must carry an explicit `type:` tag (GORM's own defaults, such
// as timestamptz and bigserial, are not TimeTracker's types); indexes take
// their names from the index tags and foreign keys come from belongs-to
// relations, named <table>_<column>_fkey as PostgreSQL names them.
func FromModels(models ...any) (Schema, error) {
	cache := &sync.Map{}
	var out Schema
	for _, m := range models {
		s, err := gormschema.Parse(m, cache, gormschema.NamingStrategy{})
		if err != nil {
			return Schema{}, fmt.Errorf("parse model %T: %w", m, err)
		}
		t, err := tableFromGorm(s)
		if err != nil {
			return Schema{}, err
		}
		out.Tables = append(out.Tables, t)
	}
	return out, nil
}

func tableFromGorm(s *gormschema.Schema) (Table, error) {
	t := Table{Name: s.Table}
	for _, name := range s.DBNames {
		f := s.FieldsByDBName[name]
		typ, ok := f.TagSettings["TYPE"]
		if !ok {
			return Table{}, fmt.Errorf("model %s: field %s has no type tag", s.Name, f.Name)
		}
		t.Columns = append(t.Columns, Column{
			Name:       name,
			Type:       ParseType(typ),
			NotNull:    f.NotNull || f.PrimaryKey,
			PrimaryKey: f.PrimaryKey,
			Default:    f.TagSettings["DEFAULT"],
		})
	}
	for _, idx := range s.ParseIndexes() {
		ix := Index{Name: idx.Name, Unique: idx.Class == "UNIQUE", Where: idx.Where}
		for _, f := range idx.Fields {
			ix.Columns = append(ix.Columns, f.DBName)
		}
		t.Indexes = append(t.Indexes, ix)
	}
	// Relationships is a map; walk fields in declaration order instead so the
	// foreign keys come out in a stable order.
	for _, f := range s.Fields {
		rel, ok := s.Relationships.Relations[f.Name]
		if !ok {
			continue
		}
		c := rel.ParseConstraint()
		if c == nil || c.Schema != s {
			continue
		}
		fk := ForeignKey{RefTable: c.ReferenceSchema.Table, OnDelete: strings.ToUpper(c.OnDelete)}
		for _, k := range c.ForeignKeys {
			fk.Columns = append(fk.Columns, k.DBName)
		}
		for _, r := range c.References {
			fk.RefColumns = append(fk.RefColumns, r.DBName)
		}
		fk.Name = fmt.Sprintf("%s_%s_fkey", t.Name, strings.Join(fk.Columns, "_"))
		t.ForeignKeys = append(t.ForeignKeys, fk)
	}
	return t, nil
}
