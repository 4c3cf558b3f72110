// Telling whether other sessions wrote to the database since a point, for
// a failed change that claims to have left it as a backup found it.

package database

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// WriteMark is where a database stood, as far as commits by other sessions
// go (MarkWrites). The zero mark is unknown: WrittenSince then says
// written.
type WriteMark struct {
	dialect Dialect
	// sqlite is PRAGMA data_version.
	sqlite int64
	// xid is the oldest PostgreSQL transaction still running, as a 32-bit
	// xid.
	xid   uint32
	known bool
}

// MarkWrites notes where db stands, for WrittenSince. SQLite: PRAGMA
// data_version, which every commit by another connection changes.
// PostgreSQL: the oldest transaction still running, so that the rows of
// every transaction that commits later can be told by their xmin.
func MarkWrites(ctx context.Context, db *gorm.DB) (WriteMark, error) {
	switch d := DialectOf(db); d {
	case SQLite:
		v, err := sqliteDataVersion(ctx, db)
		return WriteMark{dialect: d, sqlite: v, known: err == nil}, err
	case Postgres:
		x, err := postgresOldestRunning(ctx, db)
		return WriteMark{dialect: d, xid: x, known: err == nil}, err
	}
	return WriteMark{}, fmt.Errorf("%w %q", ErrUnknownDialect, DialectOf(db))
}

// WrittenSince reports whether another session may have committed a
// change to a table other than skip since m was taken; true whenever it
// cannot tell. SQLite: data_version moved, which compares only on one
// connection: SQLite databases are opened with exactly one, kept for the
// life of the DB (sqlite_connect.go); its own commits do not count, and
// skip does not apply. PostgreSQL: a row of a table of the current schema
// has an xmin from m's oldest running transaction on (a seq scan of every
// table), whichever session wrote it, this one included; that may include
// transactions that committed just before m, never misses one after. A
// delete leaves no row to see: compare the row counts too.
func WrittenSince(ctx context.Context, db *gorm.DB, m WriteMark, skip ...string) (bool, error) {
	if !m.known || m.dialect != DialectOf(db) {
		return true, nil
	}
	switch m.dialect {
	case SQLite:
		v, err := sqliteDataVersion(ctx, db)
		return err != nil || v != m.sqlite, err
	case Postgres:
		w, err := postgresWrittenSince(ctx, db, m.xid, skip)
		return err != nil || w, err
	}
	return true, nil
}
