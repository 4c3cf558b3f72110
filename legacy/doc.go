// Package legacy recognises the database layouts TimeTracker left behind
// before this program managed them (unversioned releases v1.0.0–v1.2.2 and
// Alembic-managed ones), so that bootstrap can convert or refuse them.
package legacy
