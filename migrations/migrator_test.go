package migrations_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/testdb"
	"github.com/timetracker/timetracker/migrations"
)

// countingLogger counts the statements GORM runs.
type countingLogger struct{ n atomic.Int64 }

func (c *countingLogger) LogMode(logger.LogLevel) logger.Interface { return c }
func (c *countingLogger) Info(context.Context, string, ...any)     {}
func (c *countingLogger) Warn(context.Context, string, ...any)     {}
func (c *countingLogger) Error(context.Context, string, ...any)    {}
func (c *countingLogger) Trace(context.Context, time.Time, func() (string, int64), error) {
	c.n.Add(1)
}

func openCounting(t *testing.T, tgt testdb.Target) (*database.DB, *countingLogger) {
	t.Helper()
	counter := &countingLogger{}
	opts := tgt.Options()
	opts.GormLogger = counter
	db, err := database.Open(context.Background(), opts)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db, counter
}

// syntheticSteps is the real list followed by n no-op steps, to show that
// reading the status does not grow with the number of steps.
func syntheticSteps(n int) []*migrations.Step {
	if n < 0 {
		n = 0
	}
	steps := migrations.Steps()
	for i := 0; i < n; i++ {
		steps = append(steps, &migrations.Step{
			Description: "synthetic no-op",
			Migration: gormigrate.Migration{
				ID:       fmt.Sprintf("209901010000_synthetic_%05d", i),
				Migrate:  func(*gorm.DB) error { return nil },
				Rollback: func(*gorm.DB) error { return nil },
			},
		})
	}
	return steps
}

func TestStatusQueryCount(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		ctx := context.Background()
		for _, n := range []int{0, 1000} {
			db, counter := openCounting(t, newTarget(t, tgt.Dialect))
			m := migrations.New(db.Gorm, syntheticSteps(n), migrations.Options{})
			require.NoError(t, m.InitFresh(ctx, migrations.CreateFromModels))
			counter.n.Store(0)
			st, err := m.Status(ctx)
			require.NoError(t, err)
			require.True(t, st.AtHead())
			require.Equal(t, len(m.Steps()), st.AppliedCount())
			require.LessOrEqual(t, counter.n.Load(), int64(2), "status with %d steps", len(m.Steps()))

			counter.n.Store(0)
			st, err = m.History(ctx)
			require.NoError(t, err)
			require.Equal(t, len(m.Steps()), st.AppliedCount())
			for _, s := range st.Steps {
				require.NotNil(t, s.Last, "every step has a history record: %s", s.ID)
				require.True(t, s.Last.Success)
			}
			require.LessOrEqual(t, counter.n.Load(), int64(2), "history with %d steps", len(m.Steps()))
		}
	})
}

func TestUpgradeDowngradeRecordsHistory(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		ctx := context.Background()
		db := testdb.Open(t, tgt)
		steps := migrations.Steps()
		m := migrations.New(db.Gorm, steps, migrations.Options{Version: "1.2.3"})
		// Counts are derived from the list, so that adding a step needs no
		// change here.
		at003 := migrations.Index(steps, "202509100003_add_user_theme_preference") + 1
		at002 := migrations.Index(steps, "202509100002_add_user_full_name") + 1

		res, err := m.Upgrade(ctx, migrations.UpgradeOptions{To: "202509100003_add_user_theme_preference", DryRun: true})
		require.NoError(t, err)
		require.Len(t, res, 3)
		tables, err := database.ListTables(ctx, db.Gorm)
		require.NoError(t, err)
		require.Empty(t, tables, "dry run changes nothing")

		res, err = m.Upgrade(ctx, migrations.UpgradeOptions{To: "202509100003_add_user_theme_preference"})
		require.NoError(t, err)
		require.Len(t, res, 3)
		st, err := m.Status(ctx)
		require.NoError(t, err)
		require.Equal(t, "202509100003_add_user_theme_preference", st.Current)
		require.Len(t, st.Pending(), len(steps)-at003)
		require.Equal(t, "003", alembic(t, db))

		_, err = m.Upgrade(ctx, migrations.UpgradeOptions{})
		require.NoError(t, err)
		require.Equal(t, headAlembic(steps), alembic(t, db))

		res, err = m.Downgrade(ctx, "202509100002_add_user_full_name", nil)
		require.NoError(t, err)
		require.Len(t, res, len(steps)-at002)
		st, err = m.History(ctx)
		require.NoError(t, err)
		require.Equal(t, "202509100002_add_user_full_name", st.Current)
		require.Equal(t, migrations.KindRolledBack, st.Steps[3].Last.Kind)
		require.Equal(t, "1.2.3", st.Steps[3].Last.ProgramVersion)
		require.Equal(t, "002", alembic(t, db))
		ok, err := database.HasTable(ctx, db.Gorm, "task_activities")
		require.NoError(t, err)
		require.False(t, ok)

		_, err = m.Downgrade(ctx, "000000000000_before", nil)
		require.ErrorIs(t, err, migrations.ErrUnknownStep)

		// Up again to head: the rolled-back steps apply cleanly.
		_, err = m.Upgrade(ctx, migrations.UpgradeOptions{})
		require.NoError(t, err)
		st, err = m.Status(ctx)
		require.NoError(t, err)
		require.True(t, st.AtHead())
	})
}

func TestBaselineCannotBeRolledBack(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		ctx := context.Background()
		db := testdb.Open(t, tgt)
		steps := append([]*migrations.Step{{Description: "before", Migration: gormigrate.Migration{
			ID: "202001010000_before", Migrate: func(*gorm.DB) error { return nil }, Rollback: func(*gorm.DB) error { return nil },
		}}}, migrations.Steps()...)
		m := migrations.New(db.Gorm, steps, migrations.Options{})
		_, err := m.Downgrade(ctx, "202001010000_before", nil)
		require.ErrorIs(t, err, migrations.ErrBelowBaseline)
	})
}

func TestUnknownStepsMeanNewerDatabase(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		ctx := context.Background()
		db := testdb.Open(t, tgt)
		newer := migrations.New(db.Gorm, syntheticSteps(1), migrations.Options{})
		require.NoError(t, newer.InitFresh(ctx, migrations.CreateFromModels))

		m := migrations.New(db.Gorm, migrations.Steps(), migrations.Options{})
		st, err := m.Status(ctx)
		require.NoError(t, err)
		require.Equal(t, []string{"209901010000_synthetic_00000"}, st.Unknown)
		require.False(t, st.AtHead())
		_, err = m.Upgrade(ctx, migrations.UpgradeOptions{})
		require.ErrorIs(t, err, migrations.ErrDatabaseAhead)
		_, err = m.Downgrade(ctx, migrations.BaselineID, nil)
		require.ErrorIs(t, err, migrations.ErrDatabaseAhead)
		require.ErrorIs(t, m.InitFresh(ctx, migrations.CreateFromModels), migrations.ErrDatabaseAhead)
	})
}

func TestInitFreshRefusesTables(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		ctx := context.Background()
		db := testdb.Open(t, tgt)
		require.NoError(t, db.Gorm.Exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)").Error)
		m := migrations.New(db.Gorm, migrations.Steps(), migrations.Options{})
		err := m.InitFresh(ctx, migrations.CreateFromModels)
		require.ErrorIs(t, err, migrations.ErrNotEmpty)
		require.Contains(t, err.Error(), "notes")
		_, err = m.Upgrade(ctx, migrations.UpgradeOptions{})
		require.ErrorIs(t, err, migrations.ErrNotInitialised)
		tables, err := database.ListTables(ctx, db.Gorm)
		require.NoError(t, err)
		require.Equal(t, []string{"notes"}, tables, "a refusal changes nothing")
	})
}

func TestFailedStepRollsBackAndIsRecorded(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		ctx := context.Background()
		db := testdb.Open(t, tgt)
		boom := errors.New("boom")
		steps := append(migrations.Steps(), &migrations.Step{Description: "fails halfway", Migration: gormigrate.Migration{
			ID: "209901010000_fails",
			Migrate: func(tx *gorm.DB) error {
				if err := tx.Exec("ALTER TABLE users ADD COLUMN half_done VARCHAR(10)").Error; err != nil {
					return err
				}
				return boom
			},
			Rollback: func(*gorm.DB) error { return nil },
		}})
		m := migrations.New(db.Gorm, steps, migrations.Options{})
		_, err := m.Upgrade(ctx, migrations.UpgradeOptions{})
		require.ErrorIs(t, err, boom)
		st, err := m.History(ctx)
		require.NoError(t, err)
		require.Equal(t, migrations.Head(migrations.Steps()), st.Current, "the steps before the failure stay applied")
		last := st.Steps[len(st.Steps)-1]
		require.False(t, last.Applied)
		require.NotNil(t, last.Last)
		require.False(t, last.Last.Success)
		require.Contains(t, last.Last.Error, "boom")
		ok, err := database.HasColumn(ctx, db.Gorm, "users", "half_done")
		require.NoError(t, err)
		require.False(t, ok, "the failed step's DDL was rolled back")
	})
}

// headAlembic is the Alembic revision a database at head mirrors: that of
// the newest step declaring one.
func headAlembic(steps []*migrations.Step) string {
	for i := len(steps) - 1; i >= 0; i-- {
		if steps[i].Alembic != "" {
			return steps[i].Alembic
		}
	}
	return ""
}

func alembic(t *testing.T, db *database.DB) string {
	t.Helper()
	var v []string
	require.NoError(t, db.Gorm.Raw("SELECT version_num FROM alembic_version").Scan(&v).Error)
	require.Len(t, v, 1)
	return strings.TrimSpace(v[0])
}

// TestCurrentMatchesStatus: the aggregate shortcut of Current gives the
// same answer as the full read, and falls back when the IDs have holes or
// unknown entries.
func TestCurrentMatchesStatus(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		ctx := context.Background()
		db, counter := openCounting(t, tgt)
		m := migrations.New(db.Gorm, migrations.Steps(), migrations.Options{})
		same := func() {
			t.Helper()
			a, err := m.Current(ctx)
			require.NoError(t, err)
			b, err := m.Status(ctx)
			require.NoError(t, err)
			require.Equal(t, b.Current, a.Current)
			require.Equal(t, b.AtHead(), a.AtHead())
			require.Equal(t, len(b.Pending()), len(a.Pending()))
			require.Equal(t, b.Unknown, a.Unknown)
		}
		same() // nothing there
		_, err := m.Upgrade(ctx, migrations.UpgradeOptions{To: "202509100004_add_task_activities"})
		require.NoError(t, err)
		same()
		counter.n.Store(0)
		_, err = m.Current(ctx)
		require.NoError(t, err)
		require.Equal(t, int64(2), counter.n.Load(), "table list and one aggregate row")
		// A hole: a later step recorded without an earlier one.
		require.NoError(t, db.Gorm.Exec("DELETE FROM timetracker_migrations WHERE id = '202509100002_add_user_full_name'").Error)
		same()
		require.NoError(t, db.Gorm.Exec("INSERT INTO timetracker_migrations (id) VALUES ('209901010000_from_the_future')").Error)
		same()
		st, err := m.Current(ctx)
		require.NoError(t, err)
		require.Equal(t, []string{"209901010000_from_the_future"}, st.Unknown)
	})
}
