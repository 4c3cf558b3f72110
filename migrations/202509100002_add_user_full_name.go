package migrations

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"

	"github.com/timetracker/timetracker/internal/schema"
)

// TimeTracker revision 002 (v1.4.0): users.full_name.
func addUserFullName() *Step {
	col := schema.Column{Name: "full_name", Type: schema.Type{Kind: schema.Varchar, Length: 200}}
	return &Step{
		Description: "add users.full_name",
		Alembic:     "002",
		Migration: gormigrate.Migration{
			ID:       "202509100002_add_user_full_name",
			Migrate:  func(tx *gorm.DB) error { return addColumnIfMissing(tx, "users", col) },
			Rollback: func(tx *gorm.DB) error { return dropColumnIfPresent(tx, "users", col.Name) },
		},
	}
}
