// SQLite: staging under prefixed table names.

package database

import (
	"context"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/timetracker/timetracker/internal/schema"
)

// sqliteStager stages tables under a prefix. legacy_alter_table keeps the
// final RENAME from rewriting other tables' references, which already name
// the final tables.
type sqliteStager struct{}

const sqliteStagePrefix = "_tt_new_"

func newSQLiteStager(ctx context.Context, tx *gorm.DB) (stagerImpl, error) {
	if err := tx.WithContext(ctx).Exec("PRAGMA legacy_alter_table = ON").Error; err != nil {
		return nil, err
	}
	return sqliteStager{}, nil
}

func (sqliteStager) newName(t string) string { return `"` + sqliteStagePrefix + t + `"` }
func (sqliteStager) oldName(t string) string { return `"` + t + `"` }

func (sqliteStager) create(ctx context.Context, tx *gorm.DB, t schema.Table) error {
	staged := t
	staged.Name = sqliteStagePrefix + t.Name
	staged.Indexes = nil
	return Exec(tx.WithContext(ctx), CreateTableSQL(tx, staged)...)
}

// finish builds the table's indexes now when their names are free; names
// the old tables still use wait for the swap.
func (sqliteStager) finish(ctx context.Context, tx *gorm.DB, t schema.Table) error {
	tx = tx.WithContext(ctx)
	for _, ix := range t.Indexes {
		var n int64
		if err := tx.Raw(`SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = ?`, ix.Name).Scan(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			if err := Exec(tx, CreateIndexSQL(`"`+sqliteStagePrefix+t.Name+`"`, ix)); err != nil {
				return err
			}
		}
	}
	return nil
}

func (sqliteStager) swap(ctx context.Context, tx *gorm.DB, tables []schema.Table) error {
	tx = tx.WithContext(ctx)
	existing, err := ListTables(ctx, tx)
	if err != nil {
		return err
	}
	for i := len(tables) - 1; i >= 0; i-- {
		if slices.Contains(existing, tables[i].Name) {
			if err := Exec(tx, `DROP TABLE "`+tables[i].Name+`"`); err != nil {
				return err
			}
		}
	}
	for _, t := range tables {
		if err := Exec(tx, fmt.Sprintf(`ALTER TABLE "%s%s" RENAME TO "%s"`, sqliteStagePrefix, t.Name, t.Name)); err != nil {
			return err
		}
		for _, ix := range t.Indexes {
			ok, err := HasIndex(ctx, tx, t.Name, ix.Name)
			if err != nil {
				return err
			}
			if !ok {
				if err := Exec(tx, CreateIndexSQL(t.Name, ix)); err != nil {
					return err
				}
			}
		}
	}
	if err := Exec(tx, "PRAGMA legacy_alter_table = OFF"); err != nil {
		return err
	}
	// Foreign keys are not enforced on this connection (nor by TimeTracker);
	// check them all once before the commit.
	var problems []struct {
		Table  string
		Rowid  *int64
		Parent string
	}
	if err := tx.Raw(`SELECT "table" AS "table", rowid AS rowid, parent AS parent FROM pragma_foreign_key_check`).Scan(&problems).Error; err != nil {
		return fmt.Errorf("foreign key check: %w", err)
	}
	if len(problems) > 0 {
		p := problems[0]
		id := int64(0)
		if p.Rowid != nil {
			id = *p.Rowid
		}
		return fmt.Errorf("foreign key check failed: %d row(s), first %s row %d references a missing %s", len(problems), p.Table, id, p.Parent)
	}
	return nil
}

func (sqliteStager) intervalSeconds(expr string) string {
	return fmt.Sprintf("CAST(strftime('%%s', %s) AS INTEGER)", expr)
}

func (sqliteStager) boolean(expr string) string {
	return fmt.Sprintf("(CASE WHEN lower(CAST(%[1]s AS TEXT)) IN ('true', 't', '1') THEN 1 WHEN lower(CAST(%[1]s AS TEXT)) IN ('false', 'f', '0') THEN 0 ELSE %[1]s END)", expr)
}

// shiftFromUTC adds the zone's offset of each row's moment; SQLite has no
// zone database, so the offsets come from Go's. The text keeps any
// fractional seconds the value had.
func (sqliteStager) shiftFromUTC(expr string, loc *time.Location, from, to time.Time) string {
	return sqlShiftCase(expr, offsetSpans(loc, from, to), func(e string, secs int) string {
		return fmt.Sprintf("(datetime(%[1]s, '%+[2]d seconds') || substr(%[1]s, 20))", e, secs)
	})
}
