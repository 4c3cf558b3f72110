// PostgreSQL: staging in a schema of its own.

package database

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/timetracker/timetracker/internal/schema"
)

// postgresStager stages tables in a schema of their own, so their index,
// constraint and sequence names cannot collide with the old tables'; the
// swap drops the old tables and moves the new ones (with their sequences)
// into the current schema. Triggers on the old tables and foreign keys from
// other tables into them are recreated after the swap.
type postgresStager struct {
	schema     string // the current schema
	searchPath string
}

const postgresStageSchema = "tt_convert"

func newPostgresStager(ctx context.Context, tx *gorm.DB) (stagerImpl, error) {
	tx = tx.WithContext(ctx)
	var s postgresStager
	if err := tx.Raw("SELECT current_schema()").Scan(&s.schema).Error; err != nil {
		return nil, err
	}
	if err := tx.Raw("SHOW search_path").Scan(&s.searchPath).Error; err != nil {
		return nil, err
	}
	// Never DROP ... IF EXISTS here: a crashed conversion rolls its staging
	// schema back with it, so an existing one is somebody else's.
	if err := Exec(tx, `CREATE SCHEMA `+postgresStageSchema); err != nil {
		return nil, fmt.Errorf("schema %s already exists or cannot be created: %w", postgresStageSchema, err)
	}
	return s, nil
}

func (s postgresStager) newName(t string) string { return postgresStageSchema + `."` + t + `"` }
func (s postgresStager) oldName(t string) string { return `"` + s.schema + `"."` + t + `"` }

func (s postgresStager) create(ctx context.Context, tx *gorm.DB, t schema.Table) error {
	staged := t
	staged.Indexes = nil
	staged.ForeignKeys = nil
	return s.inStage(ctx, tx, CreateTableSQL(tx, staged)...)
}

// finish indexes the filled table and adds its foreign keys, each
// validated in one pass.
func (s postgresStager) finish(ctx context.Context, tx *gorm.DB, t schema.Table) error {
	var stmts []string
	for _, ix := range t.Indexes {
		stmts = append(stmts, CreateIndexSQL(t.Name, ix))
	}
	for _, fk := range t.ForeignKeys {
		stmts = append(stmts, fmt.Sprintf("ALTER TABLE %s ADD %s", t.Name, foreignKeyDef(fk)))
	}
	return s.inStage(ctx, tx, stmts...)
}

// inStage runs statements with the staging schema first on the path, so
// unqualified names, foreign keys' targets included, resolve to it.
func (s postgresStager) inStage(ctx context.Context, tx *gorm.DB, stmts ...string) error {
	tx = tx.WithContext(ctx)
	if err := Exec(tx, fmt.Sprintf(`SET LOCAL search_path TO %s, "%s"`, postgresStageSchema, s.schema)); err != nil {
		return err
	}
	if err := Exec(tx, stmts...); err != nil {
		return err
	}
	return Exec(tx, "SET LOCAL search_path TO "+s.searchPath)
}

func (s postgresStager) swap(ctx context.Context, tx *gorm.DB, tables []schema.Table) error {
	tx = tx.WithContext(ctx)
	names := make([]string, len(tables))
	for i, t := range tables {
		names[i] = t.Name
	}
	var triggers []string
	if err := tx.Raw(`SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t
		JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = ? AND c.relname IN ? AND NOT t.tgisinternal ORDER BY t.tgname`, s.schema, names).Scan(&triggers).Error; err != nil {
		return fmt.Errorf("read triggers: %w", err)
	}
	var external []string
	if err := tx.Raw(`SELECT format('ALTER TABLE %I.%I ADD CONSTRAINT %I ', n.nspname, c.relname, con.conname) || pg_get_constraintdef(con.oid)
		FROM pg_constraint con
		JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		JOIN pg_class r ON r.oid = con.confrelid JOIN pg_namespace rn ON rn.oid = r.relnamespace
		WHERE con.contype = 'f' AND rn.nspname = ? AND r.relname IN ?
		AND NOT (n.nspname = ? AND c.relname IN ?)`, s.schema, names, s.schema, names).Scan(&external).Error; err != nil {
		return fmt.Errorf("read foreign keys into rebuilt tables: %w", err)
	}
	// DROP ... CASCADE below would take views on the old tables with it.
	var views []string
	if err := tx.Raw(`SELECT DISTINCT vn.nspname || '.' || v.relname FROM pg_depend d
		JOIN pg_rewrite rw ON rw.oid = d.objid
		JOIN pg_class v ON v.oid = rw.ev_class JOIN pg_namespace vn ON vn.oid = v.relnamespace
		JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace n ON n.oid = t.relnamespace
		WHERE d.classid = 'pg_rewrite'::regclass AND n.nspname = ? AND t.relname IN ? AND v.oid <> t.oid
		ORDER BY 1`, s.schema, names).Scan(&views).Error; err != nil {
		return fmt.Errorf("read views: %w", err)
	}
	if len(views) > 0 {
		return fmt.Errorf("%w: views %s depend on the tables; drop them (and recreate them after the conversion)",
			ErrDependentObjects, strings.Join(views, ", "))
	}
	existing, err := ListTables(ctx, tx)
	if err != nil {
		return err
	}
	for i := len(tables) - 1; i >= 0; i-- {
		if slices.Contains(existing, tables[i].Name) {
			if err := Exec(tx, fmt.Sprintf(`DROP TABLE "%s"."%s" CASCADE`, s.schema, tables[i].Name)); err != nil {
				return err
			}
		}
	}
	for _, t := range tables {
		if err := Exec(tx, fmt.Sprintf(`ALTER TABLE %s."%s" SET SCHEMA "%s"`, postgresStageSchema, t.Name, s.schema)); err != nil {
			return err
		}
	}
	if err := Exec(tx, "DROP SCHEMA "+postgresStageSchema); err != nil {
		return err
	}
	for _, t := range tables {
		// Rows were copied with their ids; the sequence continues after them.
		if err := Exec(tx, fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('"%[1]s"', 'id'), COALESCE((SELECT MAX(id) FROM "%[1]s"), 0) + 1, false)`, t.Name)); err != nil {
			return err
		}
	}
	if err := Exec(tx, triggers...); err != nil {
		return fmt.Errorf("recreate trigger: %w", err)
	}
	if err := Exec(tx, external...); err != nil {
		return fmt.Errorf("recreate foreign key: %w", err)
	}
	return nil
}

func (postgresStager) intervalSeconds(expr string) string {
	return fmt.Sprintf("CAST(EXTRACT(EPOCH FROM %s) AS INTEGER)", expr)
}

func (postgresStager) boolean(expr string) string { return expr }

// shiftFromUTC uses the server's time zone database when it knows the zone.
func (postgresStager) shiftFromUTC(expr string, loc *time.Location, from, to time.Time) string {
	return sqlShiftCase(expr, offsetSpans(loc, from, to), func(e string, secs int) string {
		return fmt.Sprintf("(%s + INTERVAL '%d seconds')", e, secs)
	})
}
