package models

import "time"

// Client is a customer; every project belongs to one.
type Client struct {
	ID                int       `gorm:"primaryKey;type:integer"`
	Name              string    `gorm:"type:varchar(200);not null;uniqueIndex:ix_clients_name"`
	Description       *string   `gorm:"type:text"`
	ContactPerson     *string   `gorm:"type:varchar(200)"`
	Email             *string   `gorm:"type:varchar(200)"`
	Phone             *string   `gorm:"type:varchar(50)"`
	Address           *string   `gorm:"type:text"`
	DefaultHourlyRate *float64  `gorm:"type:numeric(9,2)"`
	Status            string    `gorm:"type:varchar(20);not null;default:'active'"` // active | inactive
	CreatedAt         time.Time `gorm:"type:timestamp;not null;default:CURRENT_TIMESTAMP"`
	UpdatedAt         time.Time `gorm:"type:timestamp;not null;default:CURRENT_TIMESTAMP"`
}
