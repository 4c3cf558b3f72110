package migrations_test

import (
	"context"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/schema/schematest"
	"github.com/timetracker/timetracker/internal/testdb"
	"github.com/timetracker/timetracker/migrations"
)

// TestTimeTrackerTablesAreTheModels: the list that tells TimeTracker's
// database from another application's names exactly the models' tables.
func TestTimeTrackerTablesAreTheModels(t *testing.T) {
	head, err := migrations.HeadSchema()
	require.NoError(t, err)
	var names []string
	for _, tb := range head.Tables {
		names = append(names, tb.Name)
	}
	require.ElementsMatch(t, names, migrations.TimeTrackerTables())
}

// TestAlembicRange: the revisions adopted run from the baseline's to the
// newest step's that matches one (a step of ours alone has none).
func TestAlembicRange(t *testing.T) {
	steps := migrations.Steps()
	first, last := migrations.AlembicRange()
	require.Equal(t, "001", first)
	newest := ""
	for _, s := range steps {
		if s.Alembic == "" {
			continue
		}
		newest = s.Alembic
		require.True(t, s.Alembic >= first && s.Alembic <= last, s.ID)
	}
	require.Equal(t, newest, last)
}

var idPattern = regexp.MustCompile(`^[0-9]{12}_[a-z0-9_]+$`)

// TestStepList guards the list: IDs well formed, unique, strictly
// increasing, and no ID that was ever released is missing or moved.
func TestStepList(t *testing.T) {
	steps := migrations.Steps()
	require.Equal(t, migrations.BaselineID, steps[0].ID, "the baseline comes first")
	for i, s := range steps {
		require.Regexp(t, idPattern, s.ID)
		require.NotNil(t, s.Migrate, s.ID)
		require.NotNil(t, s.Rollback, "%s needs a Rollback", s.ID)
		require.NotEmpty(t, s.Description, s.ID)
		if i > 0 {
			require.Less(t, steps[i-1].ID, s.ID, "steps must be in strictly increasing ID order")
		}
	}
	golden, err := os.ReadFile("testdata/step_ids.golden")
	require.NoError(t, err)
	released := strings.Fields(string(golden))
	require.GreaterOrEqual(t, len(steps), len(released), "a released step was removed")
	for i, id := range released {
		require.Equal(t, id, steps[i].ID, "released step %d was renamed, removed or moved", i)
	}
}

// TestFreshEqualsReplay proves that creating a database from the models
// and replaying the baseline plus every step give the same schema.
func TestFreshEqualsReplay(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		ctx := context.Background()
		fresh := testdb.Open(t, tgt)
		require.NoError(t, migrations.New(fresh.Gorm, migrations.Steps(), migrations.Options{}).
			InitFresh(ctx, migrations.CreateFromModels))

		var replayTarget testdb.Target
		if tgt.Dialect == database.SQLite {
			replayTarget = testdb.NewSQLite(t)
		} else {
			replayTarget = testdb.NewPostgres(t)
		}
		replay := testdb.Open(t, replayTarget)
		res, err := migrations.New(replay.Gorm, migrations.Steps(), migrations.Options{}).
			Upgrade(ctx, migrations.UpgradeOptions{})
		require.NoError(t, err)
		require.Len(t, res, len(migrations.Steps()))

		a, err := database.Introspect(ctx, fresh.Gorm)
		require.NoError(t, err)
		b, err := database.Introspect(ctx, replay.Gorm)
		require.NoError(t, err)
		require.Empty(t, schematest.Diff(a, b), "fresh (models) vs replayed steps")

		// The models' own description matches what the database reports.
		head, err := migrations.HeadSchema()
		require.NoError(t, err)
		for _, want := range head.Tables {
			got, ok := a.Table(want.Name)
			require.True(t, ok, want.Name)
			require.Len(t, got.Columns, len(want.Columns), want.Name)
			require.Len(t, got.Indexes, len(want.Indexes), want.Name)
			require.Len(t, got.ForeignKeys, len(want.ForeignKeys), want.Name)
		}
	})
}
