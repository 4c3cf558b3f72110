package models

import "time"

// Settings is the application's settings singleton: the app reads the first
// row and inserts one when the table is empty. Nothing enforces one row.
type Settings struct {
	ID                  int     `gorm:"primaryKey;type:integer"`
	Timezone            string  `gorm:"type:varchar(50);not null;default:'Europe/Rome'"`
	Currency            string  `gorm:"type:varchar(3);not null;default:'EUR'"`
	RoundingMinutes     int     `gorm:"type:integer;not null;default:1"`
	SingleActiveTimer   bool    `gorm:"type:boolean;not null;default:true"`
	AllowSelfRegister   bool    `gorm:"type:boolean;not null;default:true"`
	IdleTimeoutMinutes  int     `gorm:"type:integer;not null;default:30"`
	BackupRetentionDays int     `gorm:"type:integer;not null;default:30"`
	BackupTime          string  `gorm:"type:varchar(5);not null;default:'02:00'"`
	ExportDelimiter     string  `gorm:"type:varchar(1);not null;default:','"`
	CompanyName         string  `gorm:"type:varchar(200);not null;default:'Your Company Name'"`
	CompanyAddress      string  `gorm:"type:text;not null;default:'Your Company Address'"`
	CompanyEmail        string  `gorm:"type:varchar(200);not null;default:'info@yourcompany.com'"`
	CompanyPhone        string  `gorm:"type:varchar(50);not null;default:'+1 (555) 123-4567'"`
	CompanyWebsite      string  `gorm:"type:varchar(200);not null;default:'www.yourcompany.com'"`
	CompanyLogoFilename *string `gorm:"type:varchar(255);default:''"`
	CompanyTaxID        *string `gorm:"column:company_tax_id;type:varchar(100);default:''"`
	CompanyBankInfo     *string `gorm:"type:text;default:''"`
	InvoicePrefix       string  `gorm:"type:varchar(10);not null;default:'INV'"`
	InvoiceStartNumber  int     `gorm:"type:integer;not null;default:1000"`
	InvoiceTerms        string  `gorm:"type:text;not null;default:'Payment is due within 30 days of invoice date.'"`
	InvoiceNotes        string  `gorm:"type:text;not null;default:'Thank you for your business!'"`
	AllowAnalytics      bool    `gorm:"type:boolean;not null;default:true"`
	// Added by 202509100012 (revision 012).
	InvoicePDFTemplateHTML *string   `gorm:"column:invoice_pdf_template_html;type:text"`
	InvoicePDFTemplateCSS  *string   `gorm:"column:invoice_pdf_template_css;type:text"`
	CreatedAt              time.Time `gorm:"type:timestamp;not null;default:CURRENT_TIMESTAMP"`
	UpdatedAt              time.Time `gorm:"type:timestamp;not null;default:CURRENT_TIMESTAMP"`
}

// TableName keeps the singular-looking name plural as TimeTracker has it.
func (Settings) TableName() string { return "settings" }
