// SQLite: reading the schema from sqlite_master and the pragmas.

package database

import (
	"context"
	"database/sql"
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

// sqliteColumnRow, sqliteIndexRow and sqliteForeignKeyRow are the rows of
// the three catalogue statements, scanned without reflection: a no-op start
// reads them all, and gorm's scanning was a tenth of its CPU.
type sqliteColumnRow struct {
	TableName, Name, Type string
	NotNull               int
	Dflt                  *string
	PK                    int
}

type sqliteIndexRow struct {
	TableName, IndexName, Origin, ColName string
	IsUnique, Partial                     int
	SQL                                   *string
}

type sqliteForeignKeyRow struct {
	TableName, RefTable, From, OnDelete string
	To                                  *string
	ID                                  int
}

// queryAll runs q on db's connection (the transaction, inside one) and
// appends one T per row, filled by scan.
func queryAll[T any](ctx context.Context, db *gorm.DB, q string, scan func(*sql.Rows, *T) error) ([]T, error) {
	rows, err := db.Statement.ConnPool.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var t T
		if err := scan(rows, &t); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

func (sqliteDialect) introspect(ctx context.Context, db *gorm.DB) (schema.Schema, error) {
	cols, err := queryAll(ctx, db, `SELECT m.name, p.name, p.type, p."notnull", p.dflt_value, p.pk
		FROM sqlite_master m JOIN pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
		ORDER BY m.name, p.cid`, func(r *sql.Rows, c *sqliteColumnRow) error {
		return r.Scan(&c.TableName, &c.Name, &c.Type, &c.NotNull, &c.Dflt, &c.PK)
	})
	if err != nil {
		return schema.Schema{}, err
	}
	idx, err := queryAll(ctx, db, `SELECT m.name, il.name, il."unique", il.origin, il.partial, ii.name,
			(SELECT s.sql FROM sqlite_master s WHERE s.type = 'index' AND s.name = il.name)
		FROM sqlite_master m JOIN pragma_index_list(m.name) il JOIN pragma_index_info(il.name) ii
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
		ORDER BY m.name, il.name, ii.seqno`, func(r *sql.Rows, x *sqliteIndexRow) error {
		return r.Scan(&x.TableName, &x.IndexName, &x.IsUnique, &x.Origin, &x.Partial, &x.ColName, &x.SQL)
	})
	if err != nil {
		return schema.Schema{}, err
	}
	fks, err := queryAll(ctx, db, `SELECT m.name, f.id, f."table", f."from", f."to", f.on_delete
		FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
		ORDER BY m.name, f.id, f.seq`, func(r *sql.Rows, f *sqliteForeignKeyRow) error {
		return r.Scan(&f.TableName, &f.ID, &f.RefTable, &f.From, &f.To, &f.OnDelete)
	})
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
