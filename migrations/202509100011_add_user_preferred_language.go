package migrations

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"

	"github.com/timetracker/timetracker/internal/schema"
)

// TimeTracker revision 011 (v1.6.0): users.preferred_language.
func addUserPreferredLanguage() *Step {
	col := schema.Column{Name: "preferred_language", Type: schema.Type{Kind: schema.Varchar, Length: 8}}
	return &Step{
		Description: "add users.preferred_language",
		Alembic:     "011",
		Migration: gormigrate.Migration{
			ID:       "202509100011_add_user_preferred_language",
			Migrate:  func(tx *gorm.DB) error { return addColumnIfMissing(tx, "users", col) },
			Rollback: func(tx *gorm.DB) error { return dropColumnIfPresent(tx, "users", col.Name) },
		},
	}
}
