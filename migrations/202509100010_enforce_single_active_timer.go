package migrations

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"

	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/schema"
)

const singleActiveTimerIndex = "ux_time_entries_one_active_per_user"

// olderRunningTimers selects every running timer that has a newer running
// timer of the same user, by (start_time, id). The same SQL suits both dialects.
const olderRunningTimers = `FROM time_entries WHERE end_time IS NULL AND EXISTS (
	SELECT 1 FROM time_entries newer
	WHERE newer.user_id = time_entries.user_id AND newer.end_time IS NULL
	AND (newer.start_time > time_entries.start_time
		OR (newer.start_time = time_entries.start_time AND newer.id > time_entries.id)))`

// TimeTracker revision 010 (v1.5.2): at most one running timer per user.
// A data step first: among each user's running timers it keeps the newest
// and stops the others at their start (duration 0; the ids are logged).
// Then the partial unique index. TimeTracker swallowed errors in both
// parts; here either fails the step and its transaction.
func enforceSingleActiveTimer() *Step {
	index := schema.Index{Name: singleActiveTimerIndex, Columns: []string{"user_id"}, Unique: true, Where: "end_time IS NULL"}
	return &Step{
		Description: "close all but the newest running timer per user; unique index on running timers",
		Alembic:     "010",
		Migration: gormigrate.Migration{
			ID: "202509100010_enforce_single_active_timer",
			Migrate: func(tx *gorm.DB) error {
				ctx := tx.Statement.Context
				var ids []int64
				if err := tx.Raw("SELECT id " + olderRunningTimers + " ORDER BY id").Scan(&ids).Error; err != nil {
					return err
				}
				if len(ids) > 0 {
					err := tx.Exec("UPDATE time_entries SET end_time = start_time, duration_seconds = 0 WHERE id IN (SELECT id " + olderRunningTimers + ")").Error
					if err != nil {
						return err
					}
					stepLogger(tx).Warn("stopped older running timers so each user has one", "count", len(ids), "time_entry_ids", ids)
				}
				ok, err := database.HasIndex(ctx, tx, "time_entries", singleActiveTimerIndex)
				if err != nil || ok {
					return err
				}
				return database.Exec(tx, database.CreateIndexSQL("time_entries", index))
			},
			Rollback: func(tx *gorm.DB) error {
				// The stopped timers stay stopped: which were running is not kept.
				return database.Exec(tx, "DROP INDEX IF EXISTS "+singleActiveTimerIndex)
			},
		},
	}
}
