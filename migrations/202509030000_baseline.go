package migrations

import (
	"fmt"
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"

	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/schema"
)

// The baseline: TimeTracker's eight tables as its models stood at 645329c1
// (Alembic 001 plus 005–009). Frozen: never edit these structs; later
// changes are later steps.

type baselineUser struct {
	ID        int        `gorm:"primaryKey;type:integer"`
	Username  string     `gorm:"type:varchar(80);not null;uniqueIndex:ix_users_username"`
	Role      string     `gorm:"type:varchar(20);not null;default:'user'"`
	CreatedAt time.Time  `gorm:"type:timestamp;not null;default:CURRENT_TIMESTAMP"`
	LastLogin *time.Time `gorm:"type:timestamp"`
	IsActive  bool       `gorm:"type:boolean;not null;default:true"`
}

func (baselineUser) TableName() string { return "users" }

type baselineClient struct {
	ID                int       `gorm:"primaryKey;type:integer"`
	Name              string    `gorm:"type:varchar(200);not null;uniqueIndex:ix_clients_name"`
	Description       *string   `gorm:"type:text"`
	ContactPerson     *string   `gorm:"type:varchar(200)"`
	Email             *string   `gorm:"type:varchar(200)"`
	Phone             *string   `gorm:"type:varchar(50)"`
	Address           *string   `gorm:"type:text"`
	DefaultHourlyRate *float64  `gorm:"type:numeric(9,2)"`
	Status            string    `gorm:"type:varchar(20);not null;default:'active'"`
	CreatedAt         time.Time `gorm:"type:timestamp;not null;default:CURRENT_TIMESTAMP"`
	UpdatedAt         time.Time `gorm:"type:timestamp;not null;default:CURRENT_TIMESTAMP"`
}

func (baselineClient) TableName() string { return "clients" }

type baselineProject struct {
	ID          int             `gorm:"primaryKey;type:integer"`
	Name        string          `gorm:"type:varchar(200);not null;index:ix_projects_name"`
	ClientID    int             `gorm:"type:integer;not null;index:ix_projects_client_id"`
	Client      *baselineClient `gorm:"foreignKey:ClientID"`
	Description *string         `gorm:"type:text"`
	Billable    bool            `gorm:"type:boolean;not null;default:true"`
	HourlyRate  *float64        `gorm:"type:numeric(9,2)"`
	BillingRef  *string         `gorm:"type:varchar(100)"`
	Status      string          `gorm:"type:varchar(20);not null;default:'active'"`
	CreatedAt   time.Time       `gorm:"type:timestamp;not null;default:CURRENT_TIMESTAMP"`
	UpdatedAt   time.Time       `gorm:"type:timestamp;not null;default:CURRENT_TIMESTAMP"`
}

func (baselineProject) TableName() string { return "projects" }

type baselineTask struct {
	ID             int              `gorm:"primaryKey;type:integer"`
	ProjectID      int              `gorm:"type:integer;not null;index:ix_tasks_project_id"`
	Project        *baselineProject `gorm:"foreignKey:ProjectID"`
	Name           string           `gorm:"type:varchar(200);not null;index:ix_tasks_name"`
	Description    *string          `gorm:"type:text"`
	Status         string           `gorm:"type:varchar(20);not null;default:'todo';index:ix_tasks_status"`
	Priority       string           `gorm:"type:varchar(20);not null;default:'medium'"`
	EstimatedHours *float64         `gorm:"type:float"`
	DueDate        *time.Time       `gorm:"type:date;index:ix_tasks_due_date"`
	AssignedTo     *int             `gorm:"type:integer;index:ix_tasks_assigned_to"`
	Assignee       *baselineUser    `gorm:"foreignKey:AssignedTo"`
	CreatedBy      int              `gorm:"type:integer;not null;index:ix_tasks_created_by"`
	Creator        *baselineUser    `gorm:"foreignKey:CreatedBy"`
	CreatedAt      time.Time        `gorm:"type:timestamp;not null;default:CURRENT_TIMESTAMP"`
	UpdatedAt      time.Time        `gorm:"type:timestamp;not null;default:CURRENT_TIMESTAMP"`
	StartedAt      *time.Time       `gorm:"type:timestamp"`
	CompletedAt    *time.Time       `gorm:"type:timestamp"`
}

func (baselineTask) TableName() string { return "tasks" }

type baselineTimeEntry struct {
	ID              int              `gorm:"primaryKey;type:integer"`
	UserID          int              `gorm:"type:integer;not null;index:ix_time_entries_user_id"`
	User            *baselineUser    `gorm:"foreignKey:UserID"`
	ProjectID       int              `gorm:"type:integer;not null;index:ix_time_entries_project_id"`
	Project         *baselineProject `gorm:"foreignKey:ProjectID"`
	TaskID          *int             `gorm:"type:integer;index:ix_time_entries_task_id"`
	Task            *baselineTask    `gorm:"foreignKey:TaskID"`
	StartTime       time.Time        `gorm:"type:timestamp;not null;index:ix_time_entries_start_time"`
	EndTime         *time.Time       `gorm:"type:timestamp;index:ix_time_entries_end_time"`
	DurationSeconds *int             `gorm:"type:integer"`
	Notes           *string          `gorm:"type:text"`
	Tags            *string          `gorm:"type:varchar(500)"`
	Source          string           `gorm:"type:varchar(20);not null;default:'manual'"`
	Billable        bool             `gorm:"type:boolean;not null;default:true"`
	CreatedAt       time.Time        `gorm:"type:timestamp;not null;default:CURRENT_TIMESTAMP"`
	UpdatedAt       time.Time        `gorm:"type:timestamp;not null;default:CURRENT_TIMESTAMP"`
}

func (baselineTimeEntry) TableName() string { return "time_entries" }

type baselineSettings struct {
	ID                  int       `gorm:"primaryKey;type:integer"`
	Timezone            string    `gorm:"type:varchar(50);not null;default:'Europe/Rome'"`
	Currency            string    `gorm:"type:varchar(3);not null;default:'EUR'"`
	RoundingMinutes     int       `gorm:"type:integer;not null;default:1"`
	SingleActiveTimer   bool      `gorm:"type:boolean;not null;default:true"`
	AllowSelfRegister   bool      `gorm:"type:boolean;not null;default:true"`
	IdleTimeoutMinutes  int       `gorm:"type:integer;not null;default:30"`
	BackupRetentionDays int       `gorm:"type:integer;not null;default:30"`
	BackupTime          string    `gorm:"type:varchar(5);not null;default:'02:00'"`
	ExportDelimiter     string    `gorm:"type:varchar(1);not null;default:','"`
	CompanyName         string    `gorm:"type:varchar(200);not null;default:'Your Company Name'"`
	CompanyAddress      string    `gorm:"type:text;not null;default:'Your Company Address'"`
	CompanyEmail        string    `gorm:"type:varchar(200);not null;default:'info@yourcompany.com'"`
	CompanyPhone        string    `gorm:"type:varchar(50);not null;default:'+1 (555) 123-4567'"`
	CompanyWebsite      string    `gorm:"type:varchar(200);not null;default:'www.yourcompany.com'"`
	CompanyLogoFilename *string   `gorm:"type:varchar(255);default:''"`
	CompanyTaxID        *string   `gorm:"column:company_tax_id;type:varchar(100);default:''"`
	CompanyBankInfo     *string   `gorm:"type:text;default:''"`
	InvoicePrefix       string    `gorm:"type:varchar(10);not null;default:'INV'"`
	InvoiceStartNumber  int       `gorm:"type:integer;not null;default:1000"`
	InvoiceTerms        string    `gorm:"type:text;not null;default:'Payment is due within 30 days of invoice date.'"`
	InvoiceNotes        string    `gorm:"type:text;not null;default:'Thank you for your business!'"`
	AllowAnalytics      bool      `gorm:"type:boolean;not null;default:true"`
	CreatedAt           time.Time `gorm:"type:timestamp;not null;default:CURRENT_TIMESTAMP"`
	UpdatedAt           time.Time `gorm:"type:timestamp;not null;default:CURRENT_TIMESTAMP"`
}

func (baselineSettings) TableName() string { return "settings" }

type baselineInvoice struct {
	ID            int              `gorm:"primaryKey;type:integer"`
	InvoiceNumber string           `gorm:"type:varchar(50);not null;uniqueIndex:ix_invoices_invoice_number"`
	ProjectID     int              `gorm:"type:integer;not null;index:ix_invoices_project_id"`
	Project       *baselineProject `gorm:"foreignKey:ProjectID"`
	ClientName    string           `gorm:"type:varchar(200);not null"`
	ClientEmail   *string          `gorm:"type:varchar(200)"`
	ClientAddress *string          `gorm:"type:text"`
	ClientID      int              `gorm:"type:integer;not null;index:ix_invoices_client_id"`
	Client        *baselineClient  `gorm:"foreignKey:ClientID"`
	IssueDate     time.Time        `gorm:"type:date;not null;default:CURRENT_DATE"`
	DueDate       time.Time        `gorm:"type:date;not null"`
	Status        string           `gorm:"type:varchar(20);not null;default:'draft'"`
	Subtotal      float64          `gorm:"type:numeric(10,2);not null;default:0"`
	TaxRate       float64          `gorm:"type:numeric(5,2);not null;default:0"`
	TaxAmount     float64          `gorm:"type:numeric(10,2);not null;default:0"`
	TotalAmount   float64          `gorm:"type:numeric(10,2);not null;default:0"`
	Notes         *string          `gorm:"type:text"`
	Terms         *string          `gorm:"type:text"`
	CreatedBy     int              `gorm:"type:integer;not null"`
	Creator       *baselineUser    `gorm:"foreignKey:CreatedBy"`
	CreatedAt     time.Time        `gorm:"type:timestamp;not null;default:CURRENT_TIMESTAMP"`
	UpdatedAt     time.Time        `gorm:"type:timestamp;not null;default:CURRENT_TIMESTAMP"`
}

func (baselineInvoice) TableName() string { return "invoices" }

type baselineInvoiceItem struct {
	ID           int              `gorm:"primaryKey;type:integer"`
	InvoiceID    int              `gorm:"type:integer;not null;index:ix_invoice_items_invoice_id"`
	Invoice      *baselineInvoice `gorm:"foreignKey:InvoiceID"`
	Description  string           `gorm:"type:varchar(500);not null"`
	Quantity     float64          `gorm:"type:numeric(10,2);not null;default:1"`
	UnitPrice    float64          `gorm:"type:numeric(10,2);not null"`
	TotalAmount  float64          `gorm:"type:numeric(10,2);not null"`
	TimeEntryIDs *string          `gorm:"column:time_entry_ids;type:varchar(500)"`
	CreatedAt    time.Time        `gorm:"type:timestamp;not null;default:CURRENT_TIMESTAMP"`
}

func (baselineInvoiceItem) TableName() string { return "invoice_items" }

// BaselineSchema returns the baseline tables in creation order; legacy
// conversion builds its target from it.
func BaselineSchema() (schema.Schema, error) {
	return schema.FromModels(&baselineUser{}, &baselineClient{}, &baselineProject{}, &baselineTask{},
		&baselineTimeEntry{}, &baselineSettings{}, &baselineInvoice{}, &baselineInvoiceItem{})
}

func baseline() *Step {
	return &Step{
		Description: "baseline: the eight TimeTracker tables (models @645329c1)",
		Alembic:     "001",
		Migration: gormigrate.Migration{
			ID: BaselineID,
			Migrate: func(tx *gorm.DB) error {
				s, err := BaselineSchema()
				if err != nil {
					return err
				}
				for _, t := range s.Tables {
					if err := database.CreateTable(tx, t); err != nil {
						return fmt.Errorf("create %s: %w", t.Name, err)
					}
				}
				return nil
			},
			Rollback: func(*gorm.DB) error { return ErrBelowBaseline },
		},
	}
}
