package models

import "time"

// Invoice bills a client for a project. client_name is a denormalised copy.
type Invoice struct {
	ID            int       `gorm:"primaryKey;type:integer"`
	InvoiceNumber string    `gorm:"type:varchar(50);not null;uniqueIndex:ix_invoices_invoice_number"`
	ProjectID     int       `gorm:"type:integer;not null;index:ix_invoices_project_id"`
	Project       *Project  `gorm:"foreignKey:ProjectID"`
	ClientName    string    `gorm:"type:varchar(200);not null"`
	ClientEmail   *string   `gorm:"type:varchar(200)"`
	ClientAddress *string   `gorm:"type:text"`
	ClientID      int       `gorm:"type:integer;not null;index:ix_invoices_client_id"`
	Client        *Client   `gorm:"foreignKey:ClientID"`
	IssueDate     time.Time `gorm:"type:date;not null;default:CURRENT_DATE"`
	DueDate       time.Time `gorm:"type:date;not null"`
	Status        string    `gorm:"type:varchar(20);not null;default:'draft'"` // draft | sent | paid | overdue | cancelled
	Subtotal      float64   `gorm:"type:numeric(10,2);not null;default:0"`
	TaxRate       float64   `gorm:"type:numeric(5,2);not null;default:0"` // percent
	TaxAmount     float64   `gorm:"type:numeric(10,2);not null;default:0"`
	TotalAmount   float64   `gorm:"type:numeric(10,2);not null;default:0"`
	Notes         *string   `gorm:"type:text"`
	Terms         *string   `gorm:"type:text"`
	CreatedBy     int       `gorm:"type:integer;not null"`
	Creator       *User     `gorm:"foreignKey:CreatedBy"`
	CreatedAt     time.Time `gorm:"type:timestamp;not null;default:CURRENT_TIMESTAMP"`
	UpdatedAt     time.Time `gorm:"type:timestamp;not null;default:CURRENT_TIMESTAMP"`
}

// InvoiceItem is one line of an invoice; the app computes total_amount as
// quantity × unit_price. time_entry_ids is a comma-separated list, no FK.
type InvoiceItem struct {
	ID           int       `gorm:"primaryKey;type:integer"`
	InvoiceID    int       `gorm:"type:integer;not null;index:ix_invoice_items_invoice_id"`
	Invoice      *Invoice  `gorm:"foreignKey:InvoiceID"`
	Description  string    `gorm:"type:varchar(500);not null"`
	Quantity     float64   `gorm:"type:numeric(10,2);not null;default:1"` // hours
	UnitPrice    float64   `gorm:"type:numeric(10,2);not null"`
	TotalAmount  float64   `gorm:"type:numeric(10,2);not null"`
	TimeEntryIDs *string   `gorm:"column:time_entry_ids;type:varchar(500)"`
	CreatedAt    time.Time `gorm:"type:timestamp;not null;default:CURRENT_TIMESTAMP"`
}
