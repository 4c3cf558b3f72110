package models

import "time"

// Project groups tasks and time entries of one client.
type Project struct {
	ID          int       `gorm:"primaryKey;type:integer"`
	Name        string    `gorm:"type:varchar(200);not null;index:ix_projects_name"`
	ClientID    int       `gorm:"type:integer;not null;index:ix_projects_client_id"`
	Client      *Client   `gorm:"foreignKey:ClientID"`
	Description *string   `gorm:"type:text"`
	Billable    bool      `gorm:"type:boolean;not null;default:true"`
	HourlyRate  *float64  `gorm:"type:numeric(9,2)"`
	BillingRef  *string   `gorm:"type:varchar(100)"`
	Status      string    `gorm:"type:varchar(20);not null;default:'active'"` // active | archived
	CreatedAt   time.Time `gorm:"type:timestamp;not null;default:CURRENT_TIMESTAMP"`
	UpdatedAt   time.Time `gorm:"type:timestamp;not null;default:CURRENT_TIMESTAMP"`
}
