// Package models is TimeTracker's head schema as GORM structs: the eight
// tables of the 645329c1-era baseline plus what the later versioned steps add.
//
// The structs are the schema source. Every column carries an explicit
// `type:` tag in neutral form (varchar(n), timestamp, numeric(p,s), float,
// boolean, ...); the dialect layer spells each type for PostgreSQL or SQLite.
// NOT NULL columns that have an application default in TimeTracker carry the
// same value as a database default, so rows inserted by other programs work.
// Foreign keys are belongs-to relations; TimeTracker declares none with ON
// DELETE except task_activities.
//
// Only the fresh-database path (migrations/init_schema.go) and verification
// read these structs; migration steps keep frozen copies of their own.
package models

// All returns every model in creation order: referenced tables first.
func All() []any {
	return []any{
		&User{}, &Client{}, &Project{}, &Task{}, &TimeEntry{},
		&Settings{}, &Invoice{}, &InvoiceItem{}, &TaskActivity{},
	}
}
