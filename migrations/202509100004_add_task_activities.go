package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"

	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/schema"
)

// Frozen for this step: only the keys the foreign keys point at.
type taskActivitiesTaskRef struct {
	ID int `gorm:"primaryKey;type:integer"`
}

func (taskActivitiesTaskRef) TableName() string { return "tasks" }

type taskActivitiesUserRef struct {
	ID int `gorm:"primaryKey;type:integer"`
}

func (taskActivitiesUserRef) TableName() string { return "users" }

type taskActivity0004 struct {
	ID        int                    `gorm:"primaryKey;type:integer"`
	TaskID    int                    `gorm:"type:integer;not null;index:idx_task_activities_task_id"`
	Task      *taskActivitiesTaskRef `gorm:"foreignKey:TaskID;constraint:OnDelete:CASCADE"`
	UserID    *int                   `gorm:"type:integer;index:idx_task_activities_user_id"`
	User      *taskActivitiesUserRef `gorm:"foreignKey:UserID;constraint:OnDelete:SET NULL"`
	Event     string                 `gorm:"type:varchar(50);not null;index:idx_task_activities_event"`
	Details   *string                `gorm:"type:text"`
	CreatedAt time.Time              `gorm:"type:timestamp;not null;default:CURRENT_TIMESTAMP;index:idx_task_activities_created_at"`
}

func (taskActivity0004) TableName() string { return "task_activities" }

// TimeTracker revision 004 (v1.5.1): the task_activities table. TimeTracker
// also emitted ix_task_activities_* from inline flags; an existing table with
// either index set is accepted as is.
func addTaskActivities() *Step {
	return &Step{
		Description: "add table task_activities",
		Alembic:     "009", // TimeTracker's 005–009 only patch the baseline, which already has them.
		Migration: gormigrate.Migration{
			ID: "202509100004_add_task_activities",
			Migrate: func(tx *gorm.DB) error {
				ok, err := database.HasTable(tx.Statement.Context, tx, "task_activities")
				if err != nil {
					return err
				}
				if ok {
					stepLogger(tx).Info("table task_activities already present; recording step only")
					return nil
				}
				s, err := schema.FromModels(&taskActivity0004{})
				if err != nil {
					return err
				}
				return database.CreateTable(tx, s.Tables[0])
			},
			Rollback: func(tx *gorm.DB) error {
				return database.Exec(tx, "DROP TABLE IF EXISTS task_activities")
			},
		},
	}
}
