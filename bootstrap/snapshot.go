package bootstrap

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/migrations"
)

// TakeSnapshot reads what detection needs in a handful of catalogue
// queries: the schema, triggers, and the rows of both version tables.
func TakeSnapshot(ctx context.Context, db *gorm.DB) (Snapshot, error) {
	s, err := database.Introspect(ctx, db)
	if err != nil {
		return Snapshot{}, err
	}
	snap := Snapshot{Schema: s}
	if s.HasTable(migrations.TableName) {
		snap.MigrationIDs = []string{}
		if err := db.WithContext(ctx).Table(migrations.TableName).Pluck("id", &snap.MigrationIDs).Error; err != nil {
			return Snapshot{}, fmt.Errorf("read %s: %w", migrations.TableName, err)
		}
	}
	// Triggers only tell legacy shapes apart; a managed database needs none.
	if len(snap.MigrationIDs) == 0 {
		if snap.Triggers, err = database.ListTriggers(ctx, db); err != nil {
			return Snapshot{}, fmt.Errorf("list triggers: %w", err)
		}
	}
	if s.HasTable(migrations.AlembicTableName) {
		snap.AlembicVersions = []string{}
		if err := db.WithContext(ctx).Table(migrations.AlembicTableName).Pluck("version_num", &snap.AlembicVersions).Error; err != nil {
			return Snapshot{}, fmt.Errorf("read %s: %w", migrations.AlembicTableName, err)
		}
		for i, v := range snap.AlembicVersions {
			snap.AlembicVersions[i] = strings.TrimSpace(v)
		}
	}
	return snap, nil
}
