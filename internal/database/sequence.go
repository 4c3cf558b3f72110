package database

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// SequenceMark is the position of the sequence behind a table's id column,
// taken before work that a rollback undoes except for the sequence:
// PostgreSQL's nextval is never rolled back. SQLite has no sequence to
// mark (a rolled-back transaction restores its file), so its mark is empty.
type SequenceMark struct {
	table  string
	seq    string
	last   int64
	called bool
}

// MarkSequence reads the position of table's id sequence; an empty mark
// when the table, its sequence or the dialect has none.
func MarkSequence(ctx context.Context, db *gorm.DB, table string) (SequenceMark, error) {
	if DialectOf(db) != Postgres {
		return SequenceMark{}, nil
	}
	db = db.WithContext(ctx)
	var seqs []*string
	if err := db.Raw(`SELECT pg_get_serial_sequence(c.oid::regclass::text, 'id') FROM pg_class c
		WHERE c.oid = to_regclass(?)`, `"`+table+`"`).Scan(&seqs).Error; err != nil {
		return SequenceMark{}, fmt.Errorf("find the sequence of %s: %w", table, err)
	}
	if len(seqs) == 0 || seqs[0] == nil {
		return SequenceMark{}, nil
	}
	m := SequenceMark{table: table, seq: *seqs[0]}
	var pos struct {
		LastValue int64
		IsCalled  bool
	}
	if err := db.Raw("SELECT last_value, is_called FROM " + m.seq).Scan(&pos).Error; err != nil {
		return SequenceMark{}, fmt.Errorf("read %s: %w", m.seq, err)
	}
	m.last, m.called = pos.LastValue, pos.IsCalled
	return m, nil
}

// Rewind puts the sequence back where it was marked, unless a row now uses
// an id past the mark (another writer committed one meanwhile: then the
// sequence stays). The table is locked against inserts while it decides.
func (m SequenceMark) Rewind(ctx context.Context, db *gorm.DB) error {
	if m.seq == "" {
		return nil
	}
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`LOCK TABLE "` + m.table + `" IN EXCLUSIVE MODE`).Error; err != nil {
			return err
		}
		var max int64
		if err := tx.Raw(`SELECT COALESCE(MAX(id), 0) FROM "` + m.table + `"`).Scan(&max).Error; err != nil {
			return err
		}
		if max > m.last {
			return nil
		}
		return tx.Exec("SELECT setval(?::regclass, ?, ?)", m.seq, m.last, m.called).Error
	})
}
