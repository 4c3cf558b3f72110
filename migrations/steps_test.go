package migrations_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/schema/schematest"
	"github.com/timetracker/timetracker/internal/testdb"
	"github.com/timetracker/timetracker/migrations"
)

// loadFixture fills a baseline database with rows whose purpose is noted,
// in raw SQL so the test does not depend on today's models.
func loadFixture(t *testing.T, db *gorm.DB) {
	t.Helper()
	// Once step 010 has run, the database allows one running timer per user.
	oneRunning, err := database.HasIndex(context.Background(), db, "time_entries", "ux_time_entries_one_active_per_user")
	require.NoError(t, err)
	older := "NULL"
	if oneRunning {
		older = "start_time"
	}
	stmts := []string{
		`INSERT INTO users (id, username, role, is_active) VALUES (1, 'admin', 'admin', true), (2, 'zoë', 'user', true), (3, 'idle', 'user', false)`,
		`INSERT INTO clients (id, name) VALUES (1, 'Acme ÄÖÜ')`,
		`INSERT INTO projects (id, name, client_id, hourly_rate) VALUES (1, 'General', 1, 9999999.99)`,
		`INSERT INTO tasks (id, project_id, name, created_by) VALUES (1, 1, 'Design', 1)`,
		// user 1 has three running timers (010 keeps the newest, id 3);
		// user 2 has one running and one finished; ids 4 and 5 tie on start_time.
		`INSERT INTO time_entries (id, user_id, project_id, task_id, start_time, end_time, duration_seconds, notes) VALUES
			(1, 1, 1, 1, '2025-09-01 08:00:00', '2025-09-01 08:00:00', NULL, 'oldest running'),
			(2, 1, 1, NULL, '2025-09-01 09:00:00', '2025-09-01 09:00:00', NULL, 'older running'),
			(3, 1, 1, NULL, '2025-09-01 10:00:00', NULL, NULL, 'newest running: kept'),
			(4, 2, 1, NULL, '2025-09-02 10:00:00', '2025-09-02 10:00:00', NULL, 'tie, lower id'),
			(5, 2, 1, NULL, '2025-09-02 10:00:00', NULL, NULL, 'tie, higher id: kept'),
			(6, 2, 1, NULL, '2025-09-02 07:00:00', '2025-09-02 08:00:00', 3600, 'finished')`,
		`INSERT INTO settings (id, company_name) VALUES (1, 'Ünïcode GmbH')`,
		`UPDATE time_entries SET end_time = ` + older + ` WHERE id IN (1, 2, 4)`,
	}
	for _, s := range stmts {
		require.NoError(t, db.Exec(s).Error, s)
	}
}

type entryRow struct {
	ID              int
	EndTime         *string
	DurationSeconds *int
	Notes           string
}

func rowCounts(t *testing.T, db *gorm.DB) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, table := range []string{"users", "clients", "projects", "tasks", "time_entries", "settings", "invoices", "invoice_items"} {
		var n int64
		require.NoError(t, db.Table(table).Count(&n).Error)
		out[table] = n
	}
	return out
}

// TestEachStepKeepsData runs every step after the baseline on a database
// holding data, checks that every row survives, then rolls it back and
// checks that the rows survive again and the schema is exactly as before.
// Steps listed in artifacts also have what they add checked both ways.
func TestEachStepKeepsData(t *testing.T) {
	steps := migrations.Steps()
	artifacts := map[string]func(ctx context.Context, db *gorm.DB) (bool, error){
		"202509100002_add_user_full_name": func(ctx context.Context, db *gorm.DB) (bool, error) {
			return database.HasColumn(ctx, db, "users", "full_name")
		},
		"202509100003_add_user_theme_preference": func(ctx context.Context, db *gorm.DB) (bool, error) {
			return database.HasColumn(ctx, db, "users", "theme_preference")
		},
		"202509100004_add_task_activities": func(ctx context.Context, db *gorm.DB) (bool, error) {
			return database.HasTable(ctx, db, "task_activities")
		},
		"202509100010_enforce_single_active_timer": func(ctx context.Context, db *gorm.DB) (bool, error) {
			return database.HasIndex(ctx, db, "time_entries", "ux_time_entries_one_active_per_user")
		},
		"202509100011_add_user_preferred_language": func(ctx context.Context, db *gorm.DB) (bool, error) {
			return database.HasColumn(ctx, db, "users", "preferred_language")
		},
		"202509100012_add_pdf_template_fields": func(ctx context.Context, db *gorm.DB) (bool, error) {
			return database.HasColumn(ctx, db, "settings", "invoice_pdf_template_css")
		},
	}
	for id := range artifacts {
		require.GreaterOrEqual(t, migrations.Index(steps, id), 1, "artifact for %s: not a step after the baseline", id)
	}
	for i := 1; i < len(steps); i++ {
		step := steps[i]
		t.Run(step.ID, func(t *testing.T) {
			t.Parallel() // each step has databases of its own
			testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
				ctx := context.Background()
				db := testdb.Open(t, tgt)
				m := migrations.New(db.Gorm, steps, migrations.Options{})
				_, err := m.Upgrade(ctx, migrations.UpgradeOptions{To: steps[i-1].ID})
				require.NoError(t, err)
				loadFixture(t, db.Gorm)
				before := rowCounts(t, db.Gorm)
				schemaBefore, err := database.Introspect(ctx, db.Gorm)
				require.NoError(t, err)
				artifact, hasArtifact := artifacts[step.ID]

				_, err = m.Upgrade(ctx, migrations.UpgradeOptions{To: step.ID})
				require.NoError(t, err)
				if hasArtifact {
					has, err := artifact(ctx, db.Gorm)
					require.NoError(t, err)
					require.True(t, has, "artifact of %s", step.ID)
				}
				require.Equal(t, before, rowCounts(t, db.Gorm), "no row lost")
				var company string
				require.NoError(t, db.Gorm.Raw("SELECT company_name FROM settings WHERE id = 1").Scan(&company).Error)
				require.Equal(t, "Ünïcode GmbH", company)

				if step.ID == "202509100010_enforce_single_active_timer" {
					checkSingleActiveTimer(t, db.Gorm)
				}

				_, err = m.Downgrade(ctx, steps[i-1].ID, nil)
				require.NoError(t, err)
				if hasArtifact {
					has, err := artifact(ctx, db.Gorm)
					require.NoError(t, err)
					require.False(t, has, "rollback of %s removes its artifact", step.ID)
				}
				require.Equal(t, before, rowCounts(t, db.Gorm), "rollback loses no row")
				schemaAfter, err := database.Introspect(ctx, db.Gorm)
				require.NoError(t, err)
				require.Empty(t, schematest.Diff(schemaBefore, schemaAfter), "rollback of %s restores the schema", step.ID)
			})
		})
	}
}

func checkSingleActiveTimer(t *testing.T, db *gorm.DB) {
	t.Helper()
	var running []int
	require.NoError(t, db.Raw("SELECT id FROM time_entries WHERE end_time IS NULL ORDER BY id").Scan(&running).Error)
	require.Equal(t, []int{3, 5}, running, "the newest running timer per user is kept")
	var stopped []struct {
		ID              int
		Same            int
		DurationSeconds *int
	}
	require.NoError(t, db.Raw(`SELECT id, CASE WHEN end_time = start_time THEN 1 ELSE 0 END AS same, duration_seconds
		FROM time_entries WHERE id IN (1, 2, 4) ORDER BY id`).Scan(&stopped).Error)
	require.Len(t, stopped, 3)
	for _, s := range stopped {
		require.Equal(t, 1, s.Same, "entry %d stops at its start", s.ID)
		require.NotNil(t, s.DurationSeconds)
		require.Equal(t, 0, *s.DurationSeconds)
	}
	var finished entryRow
	require.NoError(t, db.Raw("SELECT id, duration_seconds, notes FROM time_entries WHERE id = 6").Scan(&finished).Error)
	require.Equal(t, 3600, *finished.DurationSeconds, "finished entries are untouched")
	// The index now refuses a second running timer.
	err := db.Exec(`INSERT INTO time_entries (id, user_id, project_id, start_time) VALUES (100, 1, 1, '2025-09-03 10:00:00')`).Error
	require.Error(t, err)
}
