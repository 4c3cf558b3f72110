package models

import "time"

// TaskActivity records what happened to a task (step 202509100004, revision
// 004). Unlike the baseline tables its foreign keys cascade in the database.
type TaskActivity struct {
	ID        int       `gorm:"primaryKey;type:integer"`
	TaskID    int       `gorm:"type:integer;not null;index:idx_task_activities_task_id"`
	Task      *Task     `gorm:"foreignKey:TaskID;constraint:OnDelete:CASCADE"`
	UserID    *int      `gorm:"type:integer;index:idx_task_activities_user_id"`
	User      *User     `gorm:"foreignKey:UserID;constraint:OnDelete:SET NULL"`
	Event     string    `gorm:"type:varchar(50);not null;index:idx_task_activities_event"`
	Details   *string   `gorm:"type:text"`
	CreatedAt time.Time `gorm:"type:timestamp;not null;default:CURRENT_TIMESTAMP;index:idx_task_activities_created_at"`
}
