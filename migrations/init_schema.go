package migrations

import (
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/schema"
)

// A fresh database is built from today's models, not by replaying history.
// The package does not parse the models at run time: head_schema.go holds
// what they describe, written by genhead, and TestHeadSchemaMatchesModels
// keeps the two equal.
//go:generate go run ./genhead

// HeadSchema returns the schema the models describe.
func HeadSchema() (schema.Schema, error) {
	return headSchema(), nil
}

// CreateFromModels creates every table of the models in dependency order.
// Migrator.InitFresh runs it inside its transaction.
func CreateFromModels(tx *gorm.DB) error {
	s, err := HeadSchema()
	if err != nil {
		return err
	}
	// One round trip for the whole schema: both drivers run a script of
	// several statements in one Exec.
	var stmts []string
	for _, t := range s.Tables {
		stmts = append(stmts, database.CreateTableSQL(tx, t)...)
	}
	if err := tx.Exec(strings.Join(stmts, ";\n")).Error; err != nil {
		return fmt.Errorf("create schema: %w", err)
	}
	return nil
}
