package models

import "time"

// TimeEntry is a span of work. EndTime NULL means the timer is running; the
// partial unique index (step 202509100010) allows one running timer per user.
type TimeEntry struct {
	ID              int        `gorm:"primaryKey;type:integer"`
	UserID          int        `gorm:"type:integer;not null;index:ix_time_entries_user_id;uniqueIndex:ux_time_entries_one_active_per_user,where:end_time IS NULL"`
	User            *User      `gorm:"foreignKey:UserID"`
	ProjectID       int        `gorm:"type:integer;not null;index:ix_time_entries_project_id"`
	Project         *Project   `gorm:"foreignKey:ProjectID"`
	TaskID          *int       `gorm:"type:integer;index:ix_time_entries_task_id"`
	Task            *Task      `gorm:"foreignKey:TaskID"`
	StartTime       time.Time  `gorm:"type:timestamp;not null;index:ix_time_entries_start_time"`
	EndTime         *time.Time `gorm:"type:timestamp;index:ix_time_entries_end_time"`
	DurationSeconds *int       `gorm:"type:integer"`
	Notes           *string    `gorm:"type:text"`
	Tags            *string    `gorm:"type:varchar(500)"`                          // comma-separated
	Source          string     `gorm:"type:varchar(20);not null;default:'manual'"` // manual | auto
	Billable        bool       `gorm:"type:boolean;not null;default:true"`
	CreatedAt       time.Time  `gorm:"type:timestamp;not null;default:CURRENT_TIMESTAMP"`
	UpdatedAt       time.Time  `gorm:"type:timestamp;not null;default:CURRENT_TIMESTAMP"`
}
