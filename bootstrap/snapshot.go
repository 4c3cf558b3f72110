package bootstrap

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"

	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/schema"
	"github.com/timetracker/timetracker/migrations"
)

// TakeSnapshot reads what detection needs: the schema, the rows of both
// version tables and of settings (one round trip on PostgreSQL), and the
// triggers when the database is not ours.
func TakeSnapshot(ctx context.Context, db *gorm.DB) (Snapshot, error) {
	s, rows, err := database.IntrospectWith(ctx, db,
		database.TableRead{Table: migrations.TableName, Column: "id"},
		database.TableRead{Table: migrations.AlembicTableName, Column: "version_num"},
		database.TableRead{Table: "settings", Column: "id"})
	if err != nil {
		return Snapshot{}, err
	}
	snap := Snapshot{Schema: s, MigrationIDs: rows[0], AlembicVersions: rows[1], SettingsRows: len(rows[2])}
	// Triggers only tell legacy shapes apart: a managed database, or one
	// without a TimeTracker table (fresh replicas starting together, say),
	// needs none.
	hasTT := slices.ContainsFunc(s.Tables, func(t schema.Table) bool { return slices.Contains(ttTableNames, t.Name) })
	if len(snap.MigrationIDs) == 0 && hasTT {
		if snap.Triggers, err = database.ListTriggers(ctx, db); err != nil {
			return Snapshot{}, fmt.Errorf("list triggers: %w", err)
		}
	}
	for i, v := range snap.AlembicVersions {
		snap.AlembicVersions[i] = strings.TrimSpace(v)
	}
	return snap, nil
}
