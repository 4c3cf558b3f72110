package models

import "time"

// Task is a unit of work inside a project.
type Task struct {
	ID             int        `gorm:"primaryKey;type:integer"`
	ProjectID      int        `gorm:"type:integer;not null;index:ix_tasks_project_id"`
	Project        *Project   `gorm:"foreignKey:ProjectID"`
	Name           string     `gorm:"type:varchar(200);not null;index:ix_tasks_name"`
	Description    *string    `gorm:"type:text"`
	Status         string     `gorm:"type:varchar(20);not null;default:'todo';index:ix_tasks_status"` // todo | in_progress | review | done | cancelled
	Priority       string     `gorm:"type:varchar(20);not null;default:'medium'"`                     // low | medium | high | urgent
	EstimatedHours *float64   `gorm:"type:float"`
	DueDate        *time.Time `gorm:"type:date;index:ix_tasks_due_date"`
	AssignedTo     *int       `gorm:"type:integer;index:ix_tasks_assigned_to"`
	Assignee       *User      `gorm:"foreignKey:AssignedTo"`
	CreatedBy      int        `gorm:"type:integer;not null;index:ix_tasks_created_by"`
	Creator        *User      `gorm:"foreignKey:CreatedBy"`
	CreatedAt      time.Time  `gorm:"type:timestamp;not null;default:CURRENT_TIMESTAMP"`
	UpdatedAt      time.Time  `gorm:"type:timestamp;not null;default:CURRENT_TIMESTAMP"`
	StartedAt      *time.Time `gorm:"type:timestamp"`
	CompletedAt    *time.Time `gorm:"type:timestamp"`
}
