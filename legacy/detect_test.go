package legacy_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/timetracker/timetracker/internal/schema"
	"github.com/timetracker/timetracker/internal/schema/schematest"
	"github.com/timetracker/timetracker/legacy"
	"github.com/timetracker/timetracker/migrations"
)

// Schema builders. Every shape starts from the baseline and is mutated
// into the layout docs/conversion.md describes, as far as detection looks at it.

type fpEdit = schematest.Edit

var (
	fpBuild      = schematest.Baseline
	fpTbl        = schematest.Table
	fpDropTables = schematest.DropTables
	fpAddTable   = schematest.AddTable
	fpDropCols   = schematest.DropCols
	fpAddCols    = schematest.AddCols
	fpSetCol     = schematest.SetCol
	fpNullable   = schematest.Nullable
)

func fpRetype(table, name, typ string) fpEdit {
	return fpSetCol(table, name, func(c *schema.Column) { c.Type = schema.ParseType(typ) })
}

func fpRenameCol(table, from, to string) fpEdit {
	return func(t *testing.T, s *schema.Schema) {
		tb := fpTbl(t, s, table)
		c, ok := tb.Column(from)
		require.True(t, ok)
		c.Name = to
		for i := range tb.Indexes {
			for j := range tb.Indexes[i].Columns {
				if tb.Indexes[i].Columns[j] == from {
					tb.Indexes[i].Columns[j] = to
				}
			}
		}
	}
}

func fpAddIndex(table, name string, unique bool, cols ...string) fpEdit {
	return func(t *testing.T, s *schema.Schema) {
		tb := fpTbl(t, s, table)
		tb.Indexes = append(tb.Indexes, schema.Index{Name: name, Columns: cols, Unique: unique})
	}
}

func fpDropIndex(table, name string) fpEdit {
	return func(t *testing.T, s *schema.Schema) {
		tb := fpTbl(t, s, table)
		var ix []schema.Index
		for _, i := range tb.Indexes {
			if i.Name != name {
				ix = append(ix, i)
			}
		}
		require.Len(t, ix, len(tb.Indexes)-1, "index %s", name)
		tb.Indexes = ix
	}
}

func fpSetIndex(table, name string, f func(i *schema.Index)) fpEdit {
	return func(t *testing.T, s *schema.Schema) {
		i, ok := fpTbl(t, s, table).Index(name)
		require.True(t, ok, "index %s", name)
		f(i)
	}
}

func fpDropFK(table, column string) fpEdit {
	return func(t *testing.T, s *schema.Schema) {
		tb := fpTbl(t, s, table)
		var fks []schema.ForeignKey
		for _, fk := range tb.ForeignKeys {
			if !fpContains(fk.Columns, column) {
				fks = append(fks, fk)
			}
		}
		require.Len(t, fks, len(tb.ForeignKeys)-1, "fk on %s.%s", table, column)
		tb.ForeignKeys = fks
	}
}

func fpAddFK(table, name, column, ref, onDelete string) fpEdit {
	return func(t *testing.T, s *schema.Schema) {
		tb := fpTbl(t, s, table)
		tb.ForeignKeys = append(tb.ForeignKeys, schema.ForeignKey{Name: name, Columns: []string{column},
			RefTable: ref, RefColumns: []string{"id"}, OnDelete: onDelete})
	}
}

func fpContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

var (
	fpCompanyCols = []string{"company_name", "company_address", "company_email", "company_phone", "company_website",
		"company_logo_filename", "company_tax_id", "company_bank_info"}
	fpInvoiceCols = []string{"invoice_prefix", "invoice_start_number", "invoice_terms", "invoice_notes"}
)

// s2Edits: four tables, projects.client instead of client_id, time_entries
// without task_id, the nine base settings columns.
func fpS2Edits() []fpEdit {
	return []fpEdit{
		fpDropTables("clients", "tasks", "invoices", "invoice_items"),
		fpDropCols("projects", "client_id"),
		fpAddCols("projects", "client varchar(200) notnull"),
		fpAddIndex("projects", "ix_projects_client", false, "client"),
		fpDropCols("time_entries", "task_id"),
		fpDropCols("settings", append(append(fpCompanyCols, fpInvoiceCols...), "allow_analytics")...),
	}
}

// s1aEdits: S2 with the pre-v1.0.5 column names (create_all indexes follow).
func fpS1aEdits() []fpEdit {
	return append(fpS2Edits(),
		fpRenameCol("time_entries", "start_time", "start_utc"),
		fpRenameCol("time_entries", "end_time", "end_utc"),
		fpSetIndex("time_entries", "ix_time_entries_start_time", func(i *schema.Index) { i.Name = "ix_time_entries_start_utc" }),
		fpSetIndex("time_entries", "ix_time_entries_end_time", func(i *schema.Index) { i.Name = "ix_time_entries_end_utc" }),
	)
}

// fpTasksTable re-adds the baseline tasks table (dropped by fpS2Edits).
func fpTasksTable() fpEdit {
	return func(t *testing.T, s *schema.Schema) {
		b, err := migrations.BaselineSchema()
		require.NoError(t, err)
		tasks, _ := b.Table("tasks")
		s.Tables = append(s.Tables, *tasks)
	}
}

func fpS3Edits(variant string) []fpEdit {
	e := fpS2Edits()
	switch variant {
	case "sql":
		e = append(e, fpTasksTable(), fpAddCols("tasks", "actual_hours numeric(5,2)"),
			fpSetCol("tasks", "status", func(c *schema.Column) { c.Default = "'pending'" }),
			fpAddCols("time_entries", "task_id integer"))
	case "script":
		e = append(e, fpTasksTable(), fpAddCols("tasks", "actual_hours numeric(5,2)"), fpDropCols("tasks", "started_at", "completed_at"),
			fpAddCols("time_entries", "task_id integer"), fpAddFK("time_entries", "fk_time_entries_task_id", "task_id", "tasks", ""))
	case "orm":
		e = append(e, fpTasksTable())
	case "fix":
		e = append(e, fpAddCols("time_entries", "task_id integer"))
	}
	return e
}

// fpInvoiceTables re-adds invoices (without client_id) and invoice_items.
func fpInvoiceTables() fpEdit {
	return func(t *testing.T, s *schema.Schema) {
		b, err := migrations.BaselineSchema()
		require.NoError(t, err)
		inv, _ := b.Table("invoices")
		items, _ := b.Table("invoice_items")
		s.Tables = append(s.Tables, *inv, *items)
		fpDropCols("invoices", "client_id")(t, s)
	}
}

func fpS4Edits(variant string) []fpEdit {
	e := append(fpS3Edits("sql"), fpInvoiceTables(),
		fpAddCols("settings", "company_name varchar(200) notnull", "company_address text notnull",
			"company_email varchar(200) notnull", "company_phone varchar(50) notnull", "company_website varchar(200) notnull",
			"company_tax_id varchar(100)", "company_bank_info text",
			"invoice_prefix varchar(10) notnull", "invoice_start_number integer notnull",
			"invoice_terms text notnull", "invoice_notes text notnull"))
	switch variant {
	case "sql":
		e = append(e, fpAddCols("settings", "company_logo_filename varchar(255) notnull default=''"),
			fpDropIndex("invoices", "ix_invoices_invoice_number"),
			fpAddIndex("invoices", "invoices_invoice_number_key", true, "invoice_number"))
	case "sql-created-at":
		e = append(e, fpAddCols("settings", "company_logo_filename varchar(255)"), fpNullable("invoices", "created_at"))
	case "create_all":
		e = append(e, fpAddCols("settings", "company_logo_filename varchar(255)"))
	case "dev-logo-path":
		e = append(e, fpAddCols("settings", "company_logo_path varchar(255)"),
			fpDropIndex("invoices", "ix_invoices_invoice_number"),
			fpAddIndex("invoices", "invoices_invoice_number_key", true, "invoice_number"))
	}
	return e
}

func fpS5UpgradedEdits() []fpEdit {
	return append(fpS4Edits("sql"),
		fpAddTable("clients", "id integer pk", "name varchar(200) notnull", "status varchar(20) notnull default='active'"),
		fpAddCols("projects", "client_id integer"),
		fpAddFK("projects", "fk_projects_client_id", "client_id", "clients", "CASCADE"),
		fpAddIndex("projects", "idx_projects_client_id", false, "client_id"),
		fpAddCols("settings", "allow_analytics boolean notnull default=true"),
	)
}

func fpS5FreshEdits() []fpEdit {
	return []fpEdit{
		fpNullable("projects", "client_id"), fpDropFK("projects", "client_id"),
		fpDropCols("invoices", "client_id"),
		fpSetCol("tasks", "status", func(c *schema.Column) { c.Default = "'pending'" }),
		fpAddCols("tasks", "actual_hours numeric(5,2)"),
	}
}

// pure001Edits: Alembic 001 as TimeTracker's revision 001 creates it, as far as detection and
// verification look.
func fpPure001Edits() []fpEdit {
	return []fpEdit{
		fpAddCols("users", "updated_at timestamp notnull default=CURRENT_TIMESTAMP"),
		fpNullable("projects", "client_id"), fpNullable("projects", "created_at"), fpNullable("projects", "updated_at"),
		fpDropCols("tasks", "started_at", "completed_at"), fpRetype("tasks", "estimated_hours", "numeric(5,2)"),
		fpDropCols("time_entries", "duration_seconds"), fpAddCols("time_entries", "duration interval"),
		fpDropCols("settings", "backup_retention_days", "backup_time", "export_delimiter", "company_logo_filename",
			"company_tax_id", "company_bank_info", "invoice_prefix", "invoice_start_number", "invoice_terms", "invoice_notes"),
		fpAddCols("settings", "logo_path varchar(500)"),
		fpDropCols("invoices", "total_amount", "client_name", "client_email", "client_address", "created_by"),
		fpAddCols("invoices", "total numeric(10,2)"),
		fpDropCols("invoice_items", "total_amount", "time_entry_ids"),
		fpAddCols("invoice_items", "total numeric(10,2)", "time_entry_id integer"),
	}
}

func fpHybridEdits() []fpEdit {
	return append(fpPure001Edits(),
		fpAddCols("time_entries", "duration_seconds integer"),
		fpAddCols("invoices", "total_amount numeric(10,2) notnull default=0"),
		fpAddCols("invoice_items", "total_amount numeric(10,2) notnull", "time_entry_ids varchar(500)"),
		fpAddCols("settings", "company_logo_filename varchar(255) notnull default=''"),
	)
}

func fpS0Edits() []fpEdit {
	return []fpEdit{
		fpDropTables("clients", "invoices", "invoice_items", "settings"),
		fpAddTable("settings", "id integer pk", "key varchar(100) notnull", "value text"),
		fpAddCols("users", "email varchar(200)", "password_hash varchar(255) notnull"),
		fpDropCols("time_entries", "project_id"),
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		name     string
		edits    []fpEdit
		triggers []string
		shape    legacy.Shape
		variant  string
		refuse   bool
		evidence []string // each must appear among Evidence
		notes    []string // each must be a substring of some Note
	}{
		{name: "baseline", shape: legacy.ShapeBaseline},
		{name: "baseline with tolerated extras", edits: []fpEdit{
			fpAddCols("users", "updated_at timestamp notnull default=CURRENT_TIMESTAMP"),
			fpRetype("users", "username", "varchar(120)"),
			fpAddFK("invoices", "fk_invoices_created_by_users", "created_by", "users", "SET NULL"),
		}, shape: legacy.ShapeBaseline, notes: []string{"duplicate foreign key invoices.created_by -> users"}},

		{name: "S0 full prototype", edits: fpS0Edits(), shape: legacy.ShapeS0, refuse: true,
			evidence: []string{"settings has key (key/value settings)", "users has password_hash", "time_entries has no project_id"}},
		{name: "S0 by settings.key", edits: []fpEdit{fpAddCols("settings", "key varchar(100)")}, shape: legacy.ShapeS0, refuse: true,
			evidence: []string{"settings has key (key/value settings)"}},
		{name: "S0 by users.password_hash", edits: []fpEdit{fpAddCols("users", "password_hash varchar(255)")}, shape: legacy.ShapeS0, refuse: true},
		{name: "S0 by time_entries without project_id", edits: []fpEdit{fpDropCols("time_entries", "project_id")}, shape: legacy.ShapeS0, refuse: true},
		{name: "no time_entries is partial, not S0", edits: []fpEdit{fpDropTables("time_entries")}, shape: legacy.ShapePartial, refuse: true,
			evidence: []string{"missing core table(s): time_entries"}},

		{name: "S1a", edits: fpS1aEdits(), shape: legacy.ShapeS1a,
			evidence: []string{"time_entries has start_utc", "time_entries has end_utc"}},
		{name: "S1a with only end_utc", edits: append(fpS2Edits(), fpRenameCol("time_entries", "end_time", "end_utc")), shape: legacy.ShapeS1a,
			evidence: []string{"time_entries has end_utc"}},
		{name: "S1b by users.updated_at", edits: append(fpS1aEdits(), fpAddCols("users", "updated_at timestamp notnull default=CURRENT_TIMESTAMP")),
			shape: legacy.ShapeS1b, evidence: []string{"users has updated_at"}},
		{name: "S1b by trigger", edits: fpS1aEdits(), triggers: []string{"update_users_updated_at"},
			shape: legacy.ShapeS1b, evidence: []string{"trigger update_users_updated_at exists"}, notes: []string{"PostgreSQL triggers present"}},
		{name: "S1b by index", edits: append(fpS1aEdits(), fpAddIndex("time_entries", "idx_time_entries_start_utc", false, "start_utc")),
			shape: legacy.ShapeS1b, evidence: []string{"index idx_time_entries_start_utc exists"}},
		{name: "S1 wins over later markers", edits: append(fpS1aEdits(), fpTasksTable(), fpInvoiceTables()), shape: legacy.ShapeS1a},

		{name: "S2", edits: fpS2Edits(), shape: legacy.ShapeS2,
			evidence: []string{"projects has client and no client_id", "time_entries has start_time"},
			notes:    []string{"missing tables, created by the conversion (rule create-missing-tables): clients, tasks, invoices, invoice_items"}},
		{name: "S2 with a v1.2.0 clients table", edits: append(fpS2Edits(), fpAddTable("clients", "id integer pk", "name varchar(200) notnull")),
			shape: legacy.ShapeS2, notes: []string{"clients table present (v1.2.0 create_all)"}},

		{name: "S3 sql", edits: fpS3Edits("sql"), shape: legacy.ShapeS3, variant: "sql",
			evidence: []string{"tasks has actual_hours and started_at"}, notes: []string{"time_entries.task_id has no foreign key"}},
		{name: "S3 script", edits: fpS3Edits("script"), shape: legacy.ShapeS3, variant: "script",
			evidence: []string{"tasks has actual_hours and no started_at"}},
		{name: "S3 orm", edits: fpS3Edits("orm"), shape: legacy.ShapeS3, variant: "orm", evidence: []string{"tasks has no actual_hours"}},
		{name: "S3 fix", edits: fpS3Edits("fix"), shape: legacy.ShapeS3, variant: "fix",
			evidence: []string{"time_entries has task_id", "no tasks table"}},

		{name: "S4 sql by constraint name", edits: fpS4Edits("sql"), shape: legacy.ShapeS4, variant: "sql",
			evidence: []string{"invoices exists", "invoices has unique constraint invoices_invoice_number_key"},
			notes:    []string{"tasks as S3 variant sql"}},
		{name: "S4 sql by nullable created_at", edits: fpS4Edits("sql-created-at"), shape: legacy.ShapeS4, variant: "sql",
			evidence: []string{"invoices.created_at is nullable"}},
		{name: "S4 create_all", edits: fpS4Edits("create_all"), shape: legacy.ShapeS4, variant: "create_all"},
		{name: "S4 dev logo path", edits: fpS4Edits("dev-logo-path"), shape: legacy.ShapeS4, variant: "dev-logo-path",
			evidence: []string{"settings has company_logo_path"}},

		{name: "S5 upgraded", edits: fpS5UpgradedEdits(), shape: legacy.ShapeS5Upgraded,
			evidence: []string{"projects has client_id and client"}, notes: []string{"duplicates are kept"}},
		{name: "S5 fresh", edits: fpS5FreshEdits(), shape: legacy.ShapeS5Fresh,
			evidence: []string{"projects has client_id and no client", "not baseline: table projects: column client_id: NULL allowed, want NOT NULL"}},
		{name: "S5 fresh half-built (#20)", edits: append(fpS5FreshEdits(), fpDropTables("tasks", "invoices", "invoice_items")),
			shape: legacy.ShapeS5Fresh, notes: []string{"missing tables, created by the conversion (rule create-missing-tables): tasks, invoices, invoice_items"}},

		{name: "partial: settings missing", edits: append(fpS4Edits("sql"), fpDropTables("settings")), shape: legacy.ShapePartial, refuse: true,
			evidence: []string{"missing core table(s): settings"}},
		{name: "partial: only clients", edits: []fpEdit{fpDropTables("users", "projects", "tasks", "time_entries", "settings", "invoices", "invoice_items")},
			shape: legacy.ShapePartial, refuse: true,
			evidence: []string{"missing core table(s): users, projects, time_entries, settings", "TimeTracker tables present: clients"}},
		{name: "projects with neither client nor client_id", edits: append(fpS2Edits(), fpDropCols("projects", "client")),
			shape: legacy.ShapeUnknown, refuse: true, evidence: []string{"projects has neither client nor client_id"}},
		{name: "projects with neither, even with S1 markers", edits: append(fpS1aEdits(), fpDropCols("projects", "client")),
			shape: legacy.ShapeUnknown, refuse: true},
		{name: "time_entries without any start column", edits: append(fpS2Edits(), fpDropCols("time_entries", "start_time")),
			shape: legacy.ShapeUnknown, refuse: true, evidence: []string{"time_entries has neither start_time nor start_utc/end_utc"}},
		{name: "no TimeTracker table", edits: []fpEdit{fpDropTables("users", "clients", "projects", "tasks", "time_entries", "settings", "invoices", "invoice_items")},
			shape: legacy.ShapeUnknown, refuse: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fp := legacy.Classify(fpBuild(t, tc.edits...), tc.triggers)
			require.Equal(t, tc.shape, fp.Shape, "evidence: %q", fp.Evidence)
			require.Equal(t, tc.variant, fp.Variant)
			require.Equal(t, tc.refuse, fp.Refuse)
			require.NotEmpty(t, fp.Evidence)
			for _, e := range tc.evidence {
				require.Contains(t, fp.Evidence, e)
			}
			for _, n := range tc.notes {
				require.True(t, fpAnyContains(fp.Notes, n), "note %q not in %q", n, fp.Notes)
			}
		})
	}
}

func fpAnyContains(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func TestClassifyAlembic(t *testing.T) {
	tests := []struct {
		name     string
		edits    []fpEdit
		revision string
		shape    legacy.Shape
		variant  string
		refuse   bool
		evidence []string
		notes    []string
	}{
		{name: "pure 001", edits: fpPure001Edits(), revision: "001", shape: legacy.ShapeAlembicPure001,
			evidence: []string{"alembic_version = '001'", "time_entries has duration (Alembic 001)", "settings has logo_path (Alembic 001)",
				"invoices has total (Alembic 001)", "invoice_items has time_entry_id (Alembic 001)"}},
		{name: "hybrid", edits: fpHybridEdits(), revision: "001", shape: legacy.ShapeAlembicHybrid,
			evidence: []string{"time_entries has duration and duration_seconds", "invoices has total and total_amount",
				"invoice_items has time_entry_id and time_entry_ids", "settings has logo_path and company_logo_filename"}},
		{name: "hybrid with one table's batch rolled back", edits: append(fpPure001Edits(), fpAddCols("time_entries", "duration_seconds integer")),
			revision: "001", shape: legacy.ShapeAlembicHybrid},
		{name: "hybrid-looking at 008", edits: fpHybridEdits(), revision: "008", shape: legacy.ShapeAlembicHybrid,
			notes: []string{"look alike"}},
		{name: "stamped S4", edits: fpS4Edits("sql"), revision: "001", shape: legacy.ShapeAlembicStamped, variant: "S4-sql",
			evidence: []string{"tables laid out as S4-sql", "invoices exists"}},
		{name: "stamped S1b", edits: append(fpS1aEdits(), fpAddCols("users", "updated_at timestamp notnull default=CURRENT_TIMESTAMP")),
			revision: "001", shape: legacy.ShapeAlembicStamped, variant: "S1b"},
		{name: "stamped S5-upgraded at 003", edits: fpS5UpgradedEdits(), revision: "003", shape: legacy.ShapeAlembicStamped,
			variant: "S5-upgraded", evidence: []string{"alembic_version = '003'"}},
		{name: "stamped baseline", revision: "012", shape: legacy.ShapeAlembicStamped, variant: "baseline"},
		{name: "stamped partial is refused", edits: append(fpS4Edits("sql"), fpDropTables("users")), revision: "001",
			shape: legacy.ShapePartial, refuse: true, evidence: []string{"alembic_version = '001'", "missing core table(s): users"}},
		{name: "pure 001 missing a core table is refused", edits: append(fpPure001Edits(), fpDropTables("settings")), revision: "001",
			shape: legacy.ShapePartial, refuse: true},
		{name: "S0 under Alembic is refused", edits: fpS0Edits(), revision: "001", shape: legacy.ShapeS0, refuse: true},
		{name: "revision outside 001..012", revision: "013", shape: legacy.ShapeUnknown, refuse: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fp := legacy.ClassifyAlembic(fpBuild(t, tc.edits...), nil, tc.revision)
			require.Equal(t, tc.shape, fp.Shape, "evidence: %q", fp.Evidence)
			require.Equal(t, tc.variant, fp.Variant)
			require.Equal(t, tc.refuse, fp.Refuse)
			for _, e := range tc.evidence {
				require.Contains(t, fp.Evidence, e)
			}
			for _, n := range tc.notes {
				require.True(t, fpAnyContains(fp.Notes, n), "note %q not in %q", n, fp.Notes)
			}
		})
	}
}

func TestIsAlembicRevision(t *testing.T) {
	first, last := migrations.AlembicRange()
	n, err := strconv.Atoi(last)
	require.NoError(t, err)
	above := fmt.Sprintf("%03d", n+1)
	for _, r := range []string{first, "002", "009", "010", "011", last} {
		require.True(t, legacy.IsAlembicRevision(r), r)
	}
	for _, r := range []string{"", "000", above, "1", "01", "0001", "00a", " 001", "abc", last + " "} {
		require.False(t, legacy.IsAlembicRevision(r), r)
	}
}

func TestMatchesBaseline(t *testing.T) {
	tests := []struct {
		name  string
		edits []fpEdit
		diffs []string // exact; nil = matches
	}{
		{name: "baseline itself"},
		{name: "wider varchar", edits: []fpEdit{fpRetype("users", "username", "character varying(255)")}},
		{name: "unbounded varchar", edits: []fpEdit{fpRetype("clients", "email", "varchar")}},
		{name: "narrower varchar", edits: []fpEdit{fpRetype("users", "username", "varchar(40)")},
			diffs: []string{"table users: column username: type varchar(40), want varchar(80)"}},
		{name: "wider numeric", edits: []fpEdit{fpRetype("projects", "hourly_rate", "numeric(12,2)")}},
		{name: "unconstrained numeric", edits: []fpEdit{fpRetype("invoices", "subtotal", "numeric")}},
		{name: "numeric with another scale", edits: []fpEdit{fpRetype("invoices", "tax_rate", "numeric(7,3)")},
			diffs: []string{"table invoices: column tax_rate: type numeric(7,3), want numeric(5,2)"}},
		{name: "narrower numeric", edits: []fpEdit{fpRetype("invoice_items", "unit_price", "numeric(9,2)")},
			diffs: []string{"table invoice_items: column unit_price: type numeric(9,2), want numeric(10,2)"}},
		{name: "timestamptz rejected", edits: []fpEdit{fpRetype("users", "created_at", "timestamp with time zone")},
			diffs: []string{"table users: column created_at: type timestamptz, want timestamp (TimeTracker's timestamps are without time zone)"}},
		{name: "sqlite datetime accepted", edits: []fpEdit{fpRetype("users", "created_at", "DATETIME"), fpRetype("tasks", "estimated_hours", "FLOAT")}},
		{name: "other family rejected", edits: []fpEdit{fpRetype("tasks", "estimated_hours", "numeric(5,2)")},
			diffs: []string{"table tasks: column estimated_hours: type numeric(5,2), want float"}},
		{name: "missing NOT NULL", edits: []fpEdit{fpNullable("users", "role")},
			diffs: []string{"table users: column role: NULL allowed, want NOT NULL"}},
		{name: "NOT NULL on a nullable baseline column is tolerated", edits: []fpEdit{
			fpSetCol("settings", "company_logo_filename", func(c *schema.Column) { c.NotNull = true })}},
		{name: "missing column", edits: []fpEdit{fpDropCols("invoices", "client_id")},
			diffs: []string{"table invoices: column client_id: missing", "table invoices: index on (client_id): missing (wanted as ix_invoices_client_id)",
				"table invoices: foreign key (client_id) -> clients: missing"}},
		{name: "missing table", edits: []fpEdit{fpDropTables("invoice_items")}, diffs: []string{"table invoice_items: missing"}},
		{name: "extra nullable column", edits: []fpEdit{fpAddCols("projects", "client varchar(200)")}},
		{name: "extra NOT NULL column with default", edits: []fpEdit{fpAddCols("users", "updated_at timestamp notnull default=CURRENT_TIMESTAMP")}},
		{name: "extra NOT NULL column without default", edits: []fpEdit{fpAddCols("projects", "client varchar(200) notnull")},
			diffs: []string{"table projects: column client: extra NOT NULL column without a default (inserts by the app would fail)"}},
		{name: "extra NOT NULL column with default NULL", edits: []fpEdit{fpAddCols("projects", "client varchar(200) notnull default=NULL")},
			diffs: []string{"table projects: column client: extra NOT NULL column without a default (inserts by the app would fail)"}},
		{name: "unique met by a constraint under another name", edits: []fpEdit{
			fpDropIndex("users", "ix_users_username"), fpAddIndex("users", "users_username_key", true, "username")}},
		{name: "unique met by sqlite autoindex plus plain index", edits: []fpEdit{
			fpSetIndex("clients", "ix_clients_name", func(i *schema.Index) { i.Unique = false }),
			fpAddIndex("clients", "sqlite_autoindex_clients_1", true, "name")}},
		{name: "missing unique index", edits: []fpEdit{fpSetIndex("invoices", "ix_invoices_invoice_number", func(i *schema.Index) { i.Unique = false })},
			diffs: []string{"table invoices: unique index on (invoice_number): missing (wanted as ix_invoices_invoice_number)"}},
		{name: "unique over two columns does not count", edits: []fpEdit{
			fpDropIndex("users", "ix_users_username"), fpAddIndex("users", "ux_users_username_role", true, "username", "role")},
			diffs: []string{"table users: unique index on (username): missing (wanted as ix_users_username)"}},
		{name: "partial unique does not count", edits: []fpEdit{
			fpSetIndex("users", "ix_users_username", func(i *schema.Index) { i.Where = "is_active" })},
			diffs: []string{"table users: unique index on (username): missing (wanted as ix_users_username)"}},
		{name: "index under another name", edits: []fpEdit{
			fpDropIndex("tasks", "ix_tasks_status"), fpAddIndex("tasks", "idx_tasks_status", false, "status")}},
		{name: "unique index serves as plain index", edits: []fpEdit{
			fpDropIndex("projects", "ix_projects_name"), fpAddIndex("projects", "ux_projects_name", true, "name")}},
		{name: "missing index", edits: []fpEdit{fpDropIndex("time_entries", "ix_time_entries_end_time")},
			diffs: []string{"table time_entries: index on (end_time): missing (wanted as ix_time_entries_end_time)"}},
		{name: "missing FK", edits: []fpEdit{fpDropFK("time_entries", "task_id")},
			diffs: []string{"table time_entries: foreign key (task_id) -> tasks: missing"}},
		{name: "FK with any ON DELETE", edits: []fpEdit{fpDropFK("tasks", "project_id"), fpAddFK("tasks", "tasks_project_id_fkey", "project_id", "projects", "CASCADE")}},
		{name: "FK to the wrong table", edits: []fpEdit{fpDropFK("invoices", "client_id"), fpAddFK("invoices", "x", "client_id", "users", "")},
			diffs: []string{"table invoices: foreign key (client_id) -> clients: missing"}},
		{name: "sqlite FK with implicit key", edits: []fpEdit{fpSetFKRef("projects", "client_id", nil)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.diffs, legacy.MatchesBaseline(fpBuild(t, tc.edits...)))
		})
	}
}

func fpSetFKRef(table, column string, ref []string) fpEdit {
	return func(t *testing.T, s *schema.Schema) {
		tb := fpTbl(t, s, table)
		for i := range tb.ForeignKeys {
			if fpContains(tb.ForeignKeys[i].Columns, column) {
				tb.ForeignKeys[i].RefColumns = ref
				return
			}
		}
		t.Fatalf("no fk on %s.%s", table, column)
	}
}

func TestDuplicateForeignKeys(t *testing.T) {
	require.Empty(t, legacy.DuplicateForeignKeys(fpBuild(t)))
	s := fpBuild(t, fpAddFK("invoices", "fk_invoices_created_by_users", "created_by", "users", "SET NULL"))
	require.Equal(t, []string{"duplicate foreign key invoices.created_by -> users: invoices_created_by_fkey, fk_invoices_created_by_users"},
		legacy.DuplicateForeignKeys(s))
	require.Empty(t, legacy.MatchesBaseline(s), "duplicates are reported, not a mismatch")
}
