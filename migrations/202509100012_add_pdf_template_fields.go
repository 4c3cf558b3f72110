package migrations

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"

	"github.com/timetracker/timetracker/internal/schema"
)

// TimeTracker revision 012 (v1.6.1): settings.invoice_pdf_template_html and
// _css, nullable (the app treats NULL as ”).
func addPDFTemplateFields() *Step {
	cols := []schema.Column{
		{Name: "invoice_pdf_template_html", Type: schema.Type{Kind: schema.Text}},
		{Name: "invoice_pdf_template_css", Type: schema.Type{Kind: schema.Text}},
	}
	return &Step{
		Description: "add settings.invoice_pdf_template_html and _css",
		Alembic:     "012",
		Migration: gormigrate.Migration{
			ID: "202509100012_add_pdf_template_fields",
			Migrate: func(tx *gorm.DB) error {
				for _, c := range cols {
					if err := addColumnIfMissing(tx, "settings", c); err != nil {
						return err
					}
				}
				return nil
			},
			Rollback: func(tx *gorm.DB) error {
				for i := len(cols) - 1; i >= 0; i-- {
					if err := dropColumnIfPresent(tx, "settings", cols[i].Name); err != nil {
						return err
					}
				}
				return nil
			},
		},
	}
}
