package migrations

import (
	"context"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/schema"
)

// Kinds of history record.
const (
	KindApplied     = "applied"
	KindRolledBack  = "rolled_back"
	KindInitialised = "initialised"
	KindBaselined   = "baselined"
)

// HistoryRecord is one row of the history table.
type HistoryRecord struct {
	MigrationID    string
	Kind           string
	StartedAt      time.Time
	DurationMS     int64
	Success        bool
	ProgramVersion string
	Error          string
}

// versionTables are created together, explicitly, so that both dialects get
// the same DDL (gormigrate would otherwise AutoMigrate its own table).
var versionTables = []schema.Table{
	{
		Name: TableName,
		Columns: []schema.Column{
			{Name: "id", Type: schema.Type{Kind: schema.Varchar, Length: 255}, NotNull: true},
		},
		Indexes: []schema.Index{{Name: "ux_timetracker_migrations_id", Columns: []string{"id"}, Unique: true}},
	},
	{
		Name: HistoryTableName,
		Columns: []schema.Column{
			{Name: "id", Type: schema.Type{Kind: schema.Integer}, NotNull: true, PrimaryKey: true},
			{Name: "migration_id", Type: schema.Type{Kind: schema.Varchar, Length: 255}, NotNull: true},
			{Name: "kind", Type: schema.Type{Kind: schema.Varchar, Length: 20}, NotNull: true},
			{Name: "started_at", Type: schema.Type{Kind: schema.Timestamp}, NotNull: true},
			{Name: "duration_ms", Type: schema.Type{Kind: schema.BigInt}, NotNull: true, Default: "0"},
			{Name: "success", Type: schema.Type{Kind: schema.Boolean}, NotNull: true},
			{Name: "program_version", Type: schema.Type{Kind: schema.Varchar, Length: 64}, NotNull: true},
			{Name: "error", Type: schema.Type{Kind: schema.Text}},
		},
		Indexes: []schema.Index{{Name: "ix_timetracker_migration_history_migration_id", Columns: []string{"migration_id"}}},
	},
}

// EnsureVersionTables creates the step table and the history table when
// they are missing.
func EnsureVersionTables(ctx context.Context, tx *gorm.DB) error {
	tables, err := database.ListTables(ctx, tx)
	if err != nil {
		return err
	}
	for _, t := range versionTables {
		if slices.Contains(tables, t.Name) {
			continue
		}
		if err := database.CreateTable(tx, t); err != nil {
			return fmt.Errorf("create %s: %w", t.Name, err)
		}
	}
	return nil
}

// insertHistory writes history rows in batches.
func insertHistory(tx *gorm.DB, recs []HistoryRecord) error {
	rows := make([]map[string]any, 0, len(recs))
	for _, r := range recs {
		var errText any
		if r.Error != "" {
			errText = truncate(r.Error, 2000)
		}
		rows = append(rows, map[string]any{
			"migration_id":    r.MigrationID,
			"kind":            r.Kind,
			"started_at":      r.StartedAt.UTC(),
			"duration_ms":     r.DurationMS,
			"success":         r.Success,
			"program_version": truncate(r.ProgramVersion, 64),
			"error":           errText,
		})
	}
	if len(rows) == 0 {
		return nil
	}
	return tx.Table(HistoryTableName).CreateInBatches(rows, 200).Error
}

// insertIDs records step IDs as applied.
func insertIDs(tx *gorm.DB, ids []string) error {
	rows := make([]map[string]any, 0, len(ids))
	for _, id := range ids {
		rows = append(rows, map[string]any{"id": id})
	}
	if len(rows) == 0 {
		return nil
	}
	return tx.Table(TableName).CreateInBatches(rows, 500).Error
}

// setAlembicMirror makes alembic_version hold exactly rev, creating the
// table with TimeTracker's own DDL when it is absent.
func setAlembicMirror(ctx context.Context, tx *gorm.DB, rev string) error {
	ok, err := database.HasTable(ctx, tx, AlembicTableName)
	if err != nil {
		return err
	}
	if !ok {
		if err := tx.Exec(`CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL,
			CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))`).Error; err != nil {
			return fmt.Errorf("create alembic_version: %w", err)
		}
	}
	if err := tx.Exec("DELETE FROM alembic_version").Error; err != nil {
		return err
	}
	if rev == "" {
		return nil
	}
	return tx.Exec("INSERT INTO alembic_version (version_num) VALUES (?)", rev).Error
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
