// SQLite: reading the schema from sqlite_master and the pragmas.

package database

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"gorm.io/gorm"

	"github.com/timetracker/timetracker/internal/schema"
)

func (sqliteDialect) listTables(ctx context.Context, db *gorm.DB) ([]string, error) {
	var names []string
	err := db.WithContext(ctx).Raw(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`).Scan(&names).Error
	return names, err
}

func (sqliteDialect) listColumns(ctx context.Context, db *gorm.DB, table string) ([]string, error) {
	var names []string
	err := db.WithContext(ctx).Raw(`SELECT name FROM pragma_table_info(?) ORDER BY cid`, table).Scan(&names).Error
	return names, err
}

func (sqliteDialect) listIndexes(ctx context.Context, db *gorm.DB, table string) ([]string, error) {
	var names []string
	err := db.WithContext(ctx).Raw(`SELECT name FROM pragma_index_list(?) ORDER BY name`, table).Scan(&names).Error
	return names, err
}

func (sqliteDialect) listTriggers(ctx context.Context, db *gorm.DB) ([]string, error) {
	var names []string
	err := db.WithContext(ctx).Raw(`SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name`).Scan(&names).Error
	return names, err
}

var indexWhere = regexp.MustCompile(`(?is)\)\s*WHERE\s+(.*)$`)

func (sqliteDialect) introspect(ctx context.Context, db *gorm.DB) (schema.Schema, error) {
	db = db.WithContext(ctx)
	var cols []struct {
		TableName, Name, Type string
		NotNull               int
		Dflt                  *string
		PK                    int
	}
	err := db.Raw(`SELECT m.name AS table_name, p.name AS name, p.type AS type, p."notnull" AS not_null,
			p.dflt_value AS dflt, p.pk AS pk
		FROM sqlite_master m JOIN pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
		ORDER BY m.name, p.cid`).Scan(&cols).Error
	if err != nil {
		return schema.Schema{}, err
	}
	var idx []struct {
		TableName, IndexName, Origin, ColName string
		IsUnique, Partial                     int
		SQL                                   *string
	}
	err = db.Raw(`SELECT m.name AS table_name, il.name AS index_name, il."unique" AS is_unique,
			il.origin AS origin, il.partial AS partial, ii.name AS col_name,
			(SELECT s.sql FROM sqlite_master s WHERE s.type = 'index' AND s.name = il.name) AS sql
		FROM sqlite_master m JOIN pragma_index_list(m.name) il JOIN pragma_index_info(il.name) ii
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
		ORDER BY m.name, il.name, ii.seqno`).Scan(&idx).Error
	if err != nil {
		return schema.Schema{}, err
	}
	var fks []struct {
		TableName, RefTable, From, OnDelete string
		To                                  *string
		ID                                  int
	}
	err = db.Raw(`SELECT m.name AS table_name, f.id AS id, f."table" AS ref_table, f."from" AS "from",
			f."to" AS "to", f.on_delete AS on_delete
		FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
		ORDER BY m.name, f.id, f.seq`).Scan(&fks).Error
	if err != nil {
		return schema.Schema{}, err
	}

	var s schema.Schema
	pos := map[string]int{}
	for _, c := range cols {
		i, ok := pos[c.TableName]
		if !ok {
			s.Tables = append(s.Tables, schema.Table{Name: c.TableName})
			i = len(s.Tables) - 1
			pos[c.TableName] = i
		}
		typ := schema.ParseType(c.Type)
		def := ""
		if c.Dflt != nil {
			def = schema.NormalizeDefault(*c.Dflt, typ.Kind)
		}
		pk := c.PK == 1 && typ.Kind == schema.Integer
		s.Tables[i].Columns = append(s.Tables[i].Columns, schema.Column{
			Name: c.Name, Type: typ, NotNull: c.NotNull == 1 || pk, PrimaryKey: pk, Default: def,
		})
	}
	for _, ix := range idx {
		i, ok := pos[ix.TableName]
		if !ok || ix.Origin == "pk" {
			continue
		}
		t := &s.Tables[i]
		if n := len(t.Indexes); n > 0 && t.Indexes[n-1].Name == ix.IndexName {
			t.Indexes[n-1].Columns = append(t.Indexes[n-1].Columns, ix.ColName)
			continue
		}
		where := ""
		if ix.Partial == 1 && ix.SQL != nil {
			if m := indexWhere.FindStringSubmatch(*ix.SQL); m != nil {
				where = normalizePredicate(m[1])
			}
		}
		t.Indexes = append(t.Indexes, schema.Index{Name: ix.IndexName, Columns: []string{ix.ColName}, Unique: ix.IsUnique == 1, Where: where})
	}
	lastID := map[string]int{}
	for _, fk := range fks {
		i, ok := pos[fk.TableName]
		if !ok {
			continue
		}
		t := &s.Tables[i]
		ref := "id"
		if fk.To != nil && *fk.To != "" {
			ref = *fk.To
		}
		if id, seen := lastID[fk.TableName]; seen && id == fk.ID && len(t.ForeignKeys) > 0 {
			last := &t.ForeignKeys[len(t.ForeignKeys)-1]
			last.Columns = append(last.Columns, fk.From)
			last.RefColumns = append(last.RefColumns, ref)
			continue
		}
		lastID[fk.TableName] = fk.ID
		onDelete := strings.ToUpper(fk.OnDelete)
		if onDelete == "NO ACTION" {
			onDelete = ""
		}
		// SQLite does not report constraint names; use PostgreSQL's convention.
		t.ForeignKeys = append(t.ForeignKeys, schema.ForeignKey{
			Name: fmt.Sprintf("%s_%s_fkey", fk.TableName, fk.From), Columns: []string{fk.From},
			RefTable: fk.RefTable, RefColumns: []string{ref}, OnDelete: onDelete,
		})
	}
	return s, nil
}
