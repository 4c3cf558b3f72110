package migrations

import (
	"fmt"

	"gorm.io/gorm"

	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/schema"
)

// addColumnIfMissing adds a column unless it already exists: a step whose
// artifact is present only records itself (databases adopted from
// TimeTracker may already have it).
func addColumnIfMissing(tx *gorm.DB, table string, c schema.Column) error {
	ok, err := database.HasColumn(tx.Statement.Context, tx, table, c.Name)
	if err != nil {
		return err
	}
	if ok {
		stepLogger(tx).Info("column already present; recording step only", "table", table, "column", c.Name)
		return nil
	}
	return database.Exec(tx, database.AddColumnSQL(tx, table, c))
}

func dropColumnIfPresent(tx *gorm.DB, table, column string) error {
	ok, err := database.HasColumn(tx.Statement.Context, tx, table, column)
	if err != nil || !ok {
		return err
	}
	return database.Exec(tx, fmt.Sprintf("ALTER TABLE %s DROP COLUMN %s", table, column))
}
