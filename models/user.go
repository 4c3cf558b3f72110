package models

import "time"

// User is a TimeTracker account. The app lowercases and trims usernames.
type User struct {
	ID        int        `gorm:"primaryKey;type:integer"`
	Username  string     `gorm:"type:varchar(80);not null;uniqueIndex:ix_users_username"`
	Role      string     `gorm:"type:varchar(20);not null;default:'user'"` // user | admin
	CreatedAt time.Time  `gorm:"type:timestamp;not null;default:CURRENT_TIMESTAMP"`
	LastLogin *time.Time `gorm:"type:timestamp"`
	IsActive  bool       `gorm:"type:boolean;not null;default:true"`
	// Added by 202509100002 (TimeTracker revision 002).
	FullName *string `gorm:"type:varchar(200)"`
	// Added by 202509100003 (revision 003): light, dark, or NULL for the system theme.
	ThemePreference *string `gorm:"type:varchar(10)"`
	// Added by 202509100011 (revision 011).
	PreferredLanguage *string `gorm:"type:varchar(8)"`
}
