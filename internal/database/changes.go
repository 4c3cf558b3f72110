// Telling whether other sessions changed the database since a point.

package database

import (
	"context"

	"gorm.io/gorm"
)

// ChangeMark is where a database stood at one point, as far as commits by
// other sessions go. The zero mark is unknown.
type ChangeMark struct {
	version int64
	known   bool
}

// MarkChanges notes where db stands. SQLite: PRAGMA data_version, which
// every commit by another connection changes. PostgreSQL has nothing as
// cheap: its mark is unknown.
func MarkChanges(ctx context.Context, db *gorm.DB) (ChangeMark, error) {
	if DialectOf(db) != SQLite {
		return ChangeMark{}, nil
	}
	var v int64
	if err := db.WithContext(ctx).Raw("PRAGMA data_version").Scan(&v).Error; err != nil {
		return ChangeMark{}, err
	}
	return ChangeMark{version: v, known: true}, nil
}

// UnchangedSince reports whether no other session has committed a change
// since m was taken; false whenever it cannot tell. data_version values
// compare only on one connection: SQLite databases are opened with exactly
// one, kept for the life of the DB (sqlite_connect.go). Inside a write
// transaction the answer holds until it ends, as nobody else can commit.
func UnchangedSince(ctx context.Context, db *gorm.DB, m ChangeMark) (bool, error) {
	if !m.known {
		return false, nil
	}
	now, err := MarkChanges(ctx, db)
	if err != nil {
		return false, err
	}
	return now.known && now.version == m.version, nil
}
