// Rendering and running DDL from the schema description.

package database

import (
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/timetracker/timetracker/internal/schema"
)

// CreateTableSQL renders CREATE TABLE and its CREATE INDEX statements.
func CreateTableSQL(db *gorm.DB, t schema.Table) []string {
	d := of(db)
	var defs []string
	for _, c := range t.Columns {
		defs = append(defs, columnDef(d, c))
	}
	for _, fk := range t.ForeignKeys {
		defs = append(defs, foreignKeyDef(fk))
	}
	stmts := []string{fmt.Sprintf("CREATE TABLE %s (\n\t%s\n)", t.Name, strings.Join(defs, ",\n\t"))}
	for _, ix := range t.Indexes {
		stmts = append(stmts, CreateIndexSQL(t.Name, ix))
	}
	return stmts
}

// CreateTable runs CreateTableSQL.
func CreateTable(db *gorm.DB, t schema.Table) error {
	return Exec(db, CreateTableSQL(db, t)...)
}

// CreateIndexSQL renders one CREATE INDEX; the same text suits both dialects.
func CreateIndexSQL(table string, ix schema.Index) string {
	unique := ""
	if ix.Unique {
		unique = "UNIQUE "
	}
	where := ""
	if ix.Where != "" {
		where = " WHERE " + ix.Where
	}
	return fmt.Sprintf("CREATE %sINDEX %s ON %s (%s)%s", unique, ix.Name, table, strings.Join(ix.Columns, ", "), where)
}

// AddColumnSQL renders ALTER TABLE ... ADD COLUMN.
func AddColumnSQL(db *gorm.DB, table string, c schema.Column) string {
	return fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s", table, columnDef(of(db), c))
}

// ColumnType spells a neutral type in the dialect of db.
func ColumnType(db *gorm.DB, t schema.Type) string {
	return of(db).columnType(t)
}

// Exec runs statements in order, stopping at the first error.
func Exec(db *gorm.DB, stmts ...string) error {
	for _, s := range stmts {
		if err := db.Exec(s).Error; err != nil {
			return fmt.Errorf("%s: %w", firstLine(s), err)
		}
	}
	return nil
}

func columnDef(d dialect, c schema.Column) string {
	if c.PrimaryKey {
		return d.primaryKey(c)
	}
	s := c.Name + " " + d.columnType(c.Type)
	if c.NotNull {
		s += " NOT NULL"
	}
	if c.Default != "" {
		s += " DEFAULT " + d.defaultValue(c)
	}
	return s
}

func foreignKeyDef(fk schema.ForeignKey) string {
	s := fmt.Sprintf("CONSTRAINT %s FOREIGN KEY (%s) REFERENCES %s (%s)",
		fk.Name, strings.Join(fk.Columns, ", "), fk.RefTable, strings.Join(fk.RefColumns, ", "))
	if fk.OnDelete != "" && fk.OnDelete != "NO ACTION" {
		s += " ON DELETE " + fk.OnDelete
	}
	return s
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return strings.TrimSpace(s[:i])
	}
	return s
}
