package migrations

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"

	"github.com/timetracker/timetracker/internal/schema"
)

// TimeTracker revision 003 (v1.5.0): users.theme_preference ('light',
// 'dark', NULL = follow the system). TimeTracker's own 003 is unguarded and
// fails on a duplicate column; this one only records itself then.
func addUserThemePreference() *Step {
	col := schema.Column{Name: "theme_preference", Type: schema.Type{Kind: schema.Varchar, Length: 10}}
	return &Step{
		Description: "add users.theme_preference",
		Alembic:     "003",
		Migration: gormigrate.Migration{
			ID:       "202509100003_add_user_theme_preference",
			Migrate:  func(tx *gorm.DB) error { return addColumnIfMissing(tx, "users", col) },
			Rollback: func(tx *gorm.DB) error { return dropColumnIfPresent(tx, "users", col.Name) },
		},
	}
}
