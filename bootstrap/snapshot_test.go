package bootstrap_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/timetracker/timetracker/bootstrap"
	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/testdb"
)

// TestSnapshotTriggers: triggers are listed only where they can tell
// legacy shapes apart, beside a TimeTracker table. A database without one
// (replicas starting together on a fresh database all take this snapshot)
// makes no trigger query: a trigger on another application's table is not
// seen.
func TestSnapshotTriggers(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		ctx := context.Background()
		db := testdb.Open(t, tgt)
		trigger := func(table string) []string {
			if tgt.Dialect == database.Postgres {
				return []string{
					"CREATE TABLE " + table + " (id integer PRIMARY KEY, note text)",
					"CREATE FUNCTION " + table + "_touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
					"CREATE TRIGGER " + table + "_touch BEFORE UPDATE ON " + table + " FOR EACH ROW EXECUTE FUNCTION " + table + "_touch()",
				}
			}
			return []string{
				"CREATE TABLE " + table + " (id integer PRIMARY KEY, note text)",
				"CREATE TRIGGER " + table + "_touch AFTER UPDATE ON " + table + " BEGIN SELECT 1; END",
			}
		}
		for _, stmt := range trigger("inventory") {
			require.NoError(t, db.Gorm.Exec(stmt).Error)
		}
		snap, err := bootstrap.TakeSnapshot(ctx, db.Gorm)
		require.NoError(t, err)
		require.Empty(t, snap.Triggers, "no TimeTracker table: no trigger listed")

		for _, stmt := range trigger("clients") {
			require.NoError(t, db.Gorm.Exec(stmt).Error)
		}
		snap, err = bootstrap.TakeSnapshot(ctx, db.Gorm)
		require.NoError(t, err)
		require.ElementsMatch(t, []string{"clients_touch", "inventory_touch"}, snap.Triggers, "beside a TimeTracker table, every trigger is listed")
	})
}
