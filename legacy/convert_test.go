package legacy_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/timetracker/timetracker/bootstrap"
	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/testdb"
)

var appTables = []string{"users", "clients", "projects", "tasks", "time_entries", "settings", "invoices", "invoice_items"}

type tableRows map[string]map[string]map[string]any // table -> id -> column -> value

func snapshotAll(t *testing.T, db *gorm.DB) tableRows {
	t.Helper()
	tables, err := database.ListTables(context.Background(), db)
	require.NoError(t, err)
	out := tableRows{}
	for _, table := range appTables {
		if !slices.Contains(tables, table) {
			continue
		}
		out[table] = map[string]map[string]any{}
		for _, r := range snapshotRows(t, db, table) {
			out[table][r["id"].(string)] = r
		}
	}
	return out
}

func runBootstrap(t *testing.T, tgt testdb.Target) (bootstrap.Result, error) {
	t.Helper()
	return bootstrap.Run(context.Background(), func(ctx context.Context) (*database.DB, error) {
		return database.Open(ctx, tgt.Options())
	}, bootstrap.Options{Version: "test", Target: tgt.Name, BackupDir: t.TempDir(), LockTimeout: 30e9})
}

// allowed reports whether a value may change, and how, under the
// conversion's documented rules (K1–K12 and step 010).
func allowed(table, col, old, new string, before tableRows, oldRow map[string]any) bool {
	if old == new {
		return true
	}
	if old == nullMarker {
		return true // a rule filled a NULL (timestamps, source, defaults, ids)
	}
	exists := func(tbl, id string) bool { _, ok := before[tbl][id]; return ok }
	switch table + "." + col {
	case "tasks.status":
		return old == "pending" && new == "todo"
	case "time_entries.task_id":
		return new == nullMarker && !exists("tasks", old)
	case "tasks.assigned_to":
		return new == nullMarker && !exists("users", old)
	case "projects.client_id", "invoices.client_id":
		return !exists("clients", old)
	case "settings.company_logo_filename", "invoices.client_name", "invoice_items.time_entry_ids":
		return old == ""
	case "invoices.total_amount", "invoice_items.total_amount":
		total, ok := oldRow["total"].(string)
		return ok && old == "0" && new == total
	case "invoices.created_by":
		return !exists("users", old)
	}
	return false
}

// TestConvertEveryFixture converts every legacy fixture with bootstrap and
// checks every row and value that was there, column by column, then that a
// second bootstrap is a no-op.
func TestConvertEveryFixture(t *testing.T) {
	for _, f := range fixtures {
		t.Run(f.String(), func(t *testing.T) {
			t.Parallel() // each fixture has a database of its own
			tgt := loadFixture(t, f)
			db := testdb.Open(t, tgt)
			before := snapshotAll(t, db.Gorm)

			res, err := runBootstrap(t, tgt)
			require.NoError(t, err)
			want := bootstrap.StrategyConvert
			if f.Name == "baseline" {
				want = bootstrap.StrategyAdopt
			}
			require.Equal(t, want, res.Detection.Strategy)
			require.True(t, res.Verify.OK(), "%v", res.Verify.Problems)
			require.NotNil(t, res.Backup, "a backup precedes any change")

			after := snapshotAll(t, db.Gorm)
			for table, rows := range before {
				require.Len(t, after[table], len(rows), "table %s keeps every row", table)
				for id, oldRow := range rows {
					newRow, ok := after[table][id]
					require.True(t, ok, "%s id %s survives", table, id)
					for col, ov := range oldRow {
						target := col
						if table == "time_entries" && (col == "start_utc" || col == "end_utc") {
							if _, kept := newRow[col]; !kept {
								target = strings.Replace(col, "_utc", "_time", 1)
							}
						}
						nv, ok := newRow[target]
						require.True(t, ok, "%s.%s is kept", table, col)
						if table == "time_entries" && oldRow["end_time"] == nullMarker && oldRow["end_utc"] == nil &&
							(target == "end_time" || target == "duration_seconds" || target == "updated_at") {
							// Step 010 may stop an older running timer; on PostgreSQL
							// the kept update_time_entries_updated_at trigger stamps it.
							continue
						}
						if table == "time_entries" && oldRow["end_utc"] == nullMarker &&
							(target == "end_time" || target == "duration_seconds" || target == "updated_at") {
							continue
						}
						require.True(t, allowed(table, target, ov.(string), nv.(string), before, oldRow),
							"%s id %s column %s: %q became %q", table, id, target, ov, nv)
					}
				}
			}
			checkProjectClients(t, before, after)
			if f.Dialect == database.SQLite {
				// K11: booleans are stored as 0/1, as SQLAlchemy reads them.
				for _, q := range []string{"users.is_active", "projects.billable", "time_entries.billable", "settings.single_active_timer", "settings.allow_analytics"} {
					table, col, _ := strings.Cut(q, ".")
					var n int64
					require.NoError(t, db.Gorm.Raw(`SELECT count(*) FROM "`+table+`" WHERE typeof("`+col+`") <> 'integer'`).Scan(&n).Error)
					require.Zero(t, n, "%s holds non-integer booleans", q)
				}
			}

			again, err := runBootstrap(t, tgt)
			require.NoError(t, err)
			require.True(t, again.FastPath, "a second bootstrap is a no-op")
			require.Equal(t, after, snapshotAll(t, db.Gorm))
		})
	}
}

// checkProjectClients: a project that had no valid client gets the client
// named like its trimmed legacy client text, or 'Default Client'.
func checkProjectClients(t *testing.T, before, after tableRows) {
	t.Helper()
	for id, oldRow := range before["projects"] {
		newRow := after["projects"][id]
		if cid, ok := oldRow["client_id"].(string); ok && cid != nullMarker {
			if _, valid := before["clients"][cid]; valid {
				require.Equal(t, cid, newRow["client_id"], "project %s keeps its client", id)
				continue
			}
		}
		want := "Default Client"
		if name, ok := oldRow["client"].(string); ok && name != nullMarker && strings.TrimSpace(name) != "" {
			want = strings.TrimSpace(name)
		}
		client := after["clients"][newRow["client_id"].(string)]
		require.NotNil(t, client, "project %s points at a client", id)
		require.Equal(t, want, client["name"], "project %s", id)
	}
}

// TestConvertRefusesUndecidableData: rows the rules cannot convert are
// named, and the database is left exactly as it was.
func TestConvertRefusesUndecidableData(t *testing.T) {
	cases := []struct {
		fixture string
		dialect database.Dialect
		break_  string
		want    string
	}{
		{"s2-create_all", database.SQLite, `UPDATE time_entries SET project_id = 999 WHERE id IN (1, 2)`, "time_entries: project_id is NULL or points at no projects row (ids 1, 2)"},
		{"s1b", database.Postgres, `UPDATE time_entries SET user_id = NULL WHERE id = 3`, "time_entries: user_id is NULL or points at no users row (ids 3)"},
		{"s4-create_all", database.SQLite, `DROP INDEX IF EXISTS ix_invoices_invoice_number; UPDATE invoices SET invoice_number = (SELECT invoice_number FROM invoices WHERE id = 1)`, "invoice_number is used more than once"},
	}
	for _, tc := range cases {
		t.Run(tc.fixture+"."+string(tc.dialect), func(t *testing.T) {
			tgt := loadFixture(t, fixtureNamed(t, tc.fixture, tc.dialect))
			db := testdb.Open(t, tgt)
			require.NoError(t, db.Gorm.Exec(tc.break_).Error)
			before := snapshotAll(t, db.Gorm)
			tablesBefore, err := database.ListTables(context.Background(), db.Gorm)
			require.NoError(t, err)

			_, err = runBootstrap(t, tgt)
			require.ErrorIs(t, err, bootstrap.ErrRefused)
			require.ErrorContains(t, err, tc.want)

			tablesAfter, err := database.ListTables(context.Background(), db.Gorm)
			require.NoError(t, err)
			require.Equal(t, tablesBefore, tablesAfter, "no table created or dropped")
			require.Equal(t, before, snapshotAll(t, db.Gorm), "no value changed")
		})
	}
}

// TestConvertCreateMissing: a partial install is refused, unless the
// operator passes create-missing; then the missing table is created empty
// (settings gets its one row) and nothing else changes.
func TestConvertCreateMissing(t *testing.T) {
	tgt := loadFixture(t, fixtureNamed(t, "s2-create_all", database.SQLite))
	db := testdb.Open(t, tgt)
	require.NoError(t, db.Gorm.Exec("DROP TABLE settings").Error)
	before := snapshotAll(t, db.Gorm)

	_, err := runBootstrap(t, tgt)
	require.ErrorIs(t, err, bootstrap.ErrRefused)
	require.ErrorContains(t, err, "settings")

	res, err := bootstrap.Run(context.Background(), func(ctx context.Context) (*database.DB, error) {
		return database.Open(ctx, tgt.Options())
	}, bootstrap.Options{Version: "test", BackupDir: t.TempDir(), LockTimeout: 30e9, CreateMissing: true})
	require.NoError(t, err)
	require.Equal(t, bootstrap.StrategyConvert, res.Detection.Strategy)
	after := snapshotAll(t, db.Gorm)
	require.Len(t, after["settings"], 1)
	for table, rows := range before {
		require.Len(t, after[table], len(rows), table)
	}
}

// TestConvertRefusesDependentViews: a view on the legacy tables would be
// dropped with them, so the conversion refuses and changes nothing.
func TestConvertRefusesDependentViews(t *testing.T) {
	tgt := loadFixture(t, fixtureNamed(t, "s2-sql", database.Postgres))
	db := testdb.Open(t, tgt)
	require.NoError(t, db.Gorm.Exec("CREATE VIEW project_names AS SELECT id, name FROM projects").Error)
	before := snapshotAll(t, db.Gorm)
	_, err := runBootstrap(t, tgt)
	require.ErrorIs(t, err, bootstrap.ErrRefused)
	require.ErrorContains(t, err, "project_names")
	require.Equal(t, before, snapshotAll(t, db.Gorm))
	var n int64
	require.NoError(t, db.Gorm.Raw("SELECT count(*) FROM project_names").Scan(&n).Error)
	require.Positive(t, n, "the view is still there")
}

// TestConvertCreatesClientsBesideExistingOnes is the regression test for
// issue 9: a database whose clients table already holds rows, and whose
// projects name clients it does not hold yet, converts. The created clients
// get ids after the existing ones (on PostgreSQL the staged table's id
// sequence starts at 1 while the copied rows keep their ids), every existing
// client keeps its id and name, and the projects point at the new clients.
func TestConvertCreatesClientsBesideExistingOnes(t *testing.T) {
	cases := []struct {
		fixture string
		dialect database.Dialect
		break_  string
		want    map[string]string // project id -> client name
	}{
		// S5-upgraded: TimeTracker's client-model migration filled clients,
		// later projects name clients it never created.
		{"s5-upgraded", database.Postgres, `UPDATE projects SET client = 'Initech', client_id = NULL WHERE id = 7;
			UPDATE projects SET client = '  Umbrella  ', client_id = NULL WHERE id = 5`,
			map[string]string{"7": "Initech", "5": "Umbrella"}},
		// Alembic 001 on SQLite: projects without a client and no
		// 'Default Client' row.
		{"alembic-pure-001", database.SQLite, `UPDATE clients SET name = 'Default Client (old)' WHERE id = 1;
			UPDATE projects SET client_id = NULL WHERE id = 7`,
			map[string]string{"7": "Default Client", "5": "Default Client"}},
	}
	for _, tc := range cases {
		t.Run(tc.fixture+"."+string(tc.dialect), func(t *testing.T) {
			tgt := loadFixture(t, fixtureNamed(t, tc.fixture, tc.dialect))
			db := testdb.Open(t, tgt)
			require.NoError(t, db.Gorm.Exec(tc.break_).Error)
			before := snapshotAll(t, db.Gorm)
			require.NotEmpty(t, before["clients"])

			res, err := runBootstrap(t, tgt)
			require.NoError(t, err)
			require.Equal(t, bootstrap.StrategyConvert, res.Detection.Strategy)
			require.True(t, res.Verify.OK(), "%v", res.Verify.Problems)

			after := snapshotAll(t, db.Gorm)
			for id, c := range before["clients"] {
				require.Equal(t, c["name"], after["clients"][id]["name"], "client %s keeps its id and name", id)
			}
			for pid, name := range tc.want {
				cid := after["projects"][pid]["client_id"].(string)
				require.Equal(t, name, after["clients"][cid]["name"], "project %s", pid)
				_, existed := before["clients"][cid]
				require.False(t, existed, "project %s got a new client, not an existing id", pid)
			}
			checkProjectClients(t, before, after)

			// The id sequence continues after every client.
			require.NoError(t, db.Gorm.Exec(`INSERT INTO clients (name) VALUES ('After Conversion')`).Error)

			again, err := runBootstrap(t, tgt)
			require.NoError(t, err)
			require.True(t, again.FastPath)
		})
	}
}
