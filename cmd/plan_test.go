package cmd

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/testdb"
)

// planFixture loads a legacy fixture of the legacy package into a new test
// database of the dialect, then runs extra.
func planFixture(t *testing.T, name string, d database.Dialect, extra ...string) testdb.Target {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "legacy", "testdata", name+"."+string(d)+".sql"))
	require.NoError(t, err)
	tgt := testdb.NewSQLite(t)
	if d == database.Postgres {
		tgt = testdb.NewPostgres(t)
	}
	db := testdb.Open(t, tgt)
	sqlDB, err := db.Gorm.DB()
	require.NoError(t, err)
	conn, err := sqlDB.Conn(context.Background())
	require.NoError(t, err)
	defer conn.Close()
	for _, q := range append([]string{string(raw)}, extra...) {
		_, err := conn.ExecContext(context.Background(), q)
		require.NoError(t, err)
	}
	return tgt
}

// planState is the database as a plan must leave it: the SQLite file's
// bytes and its directory; on PostgreSQL the schema and every row.
func planState(t *testing.T, tgt testdb.Target) string {
	t.Helper()
	if tgt.Dialect == database.SQLite {
		b, err := os.ReadFile(tgt.DSN)
		require.NoError(t, err)
		entries, err := os.ReadDir(filepath.Dir(tgt.DSN))
		require.NoError(t, err)
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		return fmt.Sprintf("%x %v", sha256.Sum256(b), names)
	}
	db, err := database.Open(context.Background(), tgt.Options())
	require.NoError(t, err)
	defer db.Close()
	ctx := context.Background()
	s, err := database.Introspect(ctx, db.Gorm)
	require.NoError(t, err)
	tables, err := database.ListTables(ctx, db.Gorm)
	require.NoError(t, err)
	var b strings.Builder
	fmt.Fprintf(&b, "%+v\n", s)
	for _, tb := range tables {
		var rows []string
		require.NoError(t, db.Gorm.Raw(`SELECT CAST(t.* AS TEXT) FROM "`+tb+`" t`).Scan(&rows).Error)
		sort.Strings(rows)
		fmt.Fprintf(&b, "%s %v\n", tb, rows)
	}
	var seqs []string
	require.NoError(t, db.Gorm.Raw(`SELECT sequencename || ' ' || COALESCE(last_value, 0) FROM pg_sequences ORDER BY 1`).Scan(&seqs).Error)
	fmt.Fprintf(&b, "sequences %v\n", seqs)
	return b.String()
}

// TestDBPlan: `db plan` in text and JSON on a database that converts and
// on one that will be refused, each left as it was; a bad resolve setting
// is a usage error; `db upgrade --dry-run` on a legacy database points to
// `db plan`.
func TestDBPlan(t *testing.T) {
	fixtures := map[database.Dialect]string{database.SQLite: "s2-create_all", database.Postgres: "s2-sql"}
	for _, d := range []database.Dialect{database.SQLite, database.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			isolate(t)
			tgt := planFixture(t, fixtures[d], d)
			backups := filepath.Join(t.TempDir(), "backups")
			t.Setenv("BACKUP_DIR", backups)
			before := planState(t, tgt)

			r := run(t, "db", "plan", "--database-url", tgt.URL)
			require.Equal(t, ExitOK, r.code, r.stderr)
			require.Contains(t, r.stdout, "strategy: convert")
			require.Contains(t, r.stdout, "clients created (")
			require.Contains(t, r.stdout, "nothing was changed")

			r = run(t, "db", "plan", "-o", "json", "--database-url", tgt.URL)
			require.Equal(t, ExitOK, r.code, r.stderr)
			var plan map[string]any
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &plan))
			require.ElementsMatch(t, []string{"backup", "clients_created", "duration_ms", "fills", "notes", "problems", "reason", "rebuilt",
				"refusals", "resolved", "shape", "state", "steps", "strategy", "tables", "timers_closed"}, mapKeys(plan))
			require.Equal(t, "convert", plan["strategy"])
			require.Equal(t, "S2", plan["shape"])
			require.Equal(t, true, plan["backup"])
			require.NotEmpty(t, plan["clients_created"])
			table := plan["tables"].([]any)[0].(map[string]any)
			require.ElementsMatch(t, []string{"table", "before", "after"}, mapKeys(table))
			fill := plan["fills"].([]any)[0].(map[string]any)
			require.ElementsMatch(t, []string{"table", "column", "filled", "cleared"}, mapKeys(fill))

			r = run(t, "db", "plan", "--resolve", "bogus=x", "--database-url", tgt.URL)
			require.Equal(t, ExitUsage, r.code, r.stderr)
			require.Contains(t, r.stderr, "resolve")

			r = run(t, "db", "upgrade", "--dry-run", "--database-url", tgt.URL)
			require.Equal(t, ExitRefused, r.code, r.stderr)
			require.Contains(t, r.stderr, "timetracker db plan")

			require.Equal(t, before, planState(t, tgt), "db plan changed the database")
			_, err := os.Stat(backups)
			require.True(t, os.IsNotExist(err), "no backup directory: %v", err)
		})
	}
}

// TestDBPlanRefused: a database bootstrap would refuse: the plan lists
// the refusal with its ids and resolution, exits 5 and changes nothing.
func TestDBPlanRefused(t *testing.T) {
	for _, d := range []database.Dialect{database.SQLite, database.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			isolate(t)
			tgt := planFixture(t, "alembic-pure-001", d, "UPDATE invoices SET project_id = NULL WHERE id IN (1, 2)")
			before := planState(t, tgt)
			r := run(t, "db", "plan", "-o", "json", "--database-url", tgt.URL)
			require.Equal(t, ExitRefused, r.code, r.stderr)
			require.Equal(t, 1, strings.Count(r.stderr, "timetracker: "), "one error line: %s", r.stderr)
			require.Contains(t, r.stderr, "--resolve invoices-without-project=placeholder-project")
			var plan struct {
				Strategy string
				Refused  string
				Refusals []struct {
					Class, Table, Problem, Resolution, SQL string
					IDs                                    []int64
				}
			}
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &plan))
			require.NotEmpty(t, plan.Refused)
			require.Len(t, plan.Refusals, 1)
			require.Equal(t, "invoices-without-project", plan.Refusals[0].Class)
			require.Equal(t, []int64{1, 2}, plan.Refusals[0].IDs)
			require.Equal(t, "invoices-without-project=placeholder-project", plan.Refusals[0].Resolution)

			r = run(t, "db", "plan", "--database-url", tgt.URL)
			require.Equal(t, ExitRefused, r.code, r.stderr)
			require.Contains(t, r.stdout, "refusal:  invoices: project_id is NULL or points at no projects row (ids 1, 2)")

			// With the resolution (as an environment variable) it converts.
			t.Setenv("TIMETRACKER_RESOLVE", "invoices-without-project=placeholder-project")
			r = run(t, "db", "plan", "--database-url", tgt.URL)
			require.Equal(t, ExitOK, r.code, r.stderr)
			require.Contains(t, r.stdout, "resolution invoices-without-project: 2 rows attached to placeholders")
			require.Equal(t, before, planState(t, tgt), "db plan changed the database")
		})
	}
}

func mapKeys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestRefusedConversionTakesNoBackup: rows the rules cannot decide are
// found before the backup, so a refused conversion (however many replicas
// try it, however often a container restarts) writes no backup and changes
// nothing.
func TestRefusedConversionTakesNoBackup(t *testing.T) {
	for _, d := range []database.Dialect{database.SQLite, database.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			isolate(t)
			tgt := planFixture(t, "alembic-pure-001", d, "UPDATE invoices SET project_id = NULL WHERE id IN (1, 2)")
			backups := filepath.Join(t.TempDir(), "backups")
			before := planState(t, tgt)
			for range 2 {
				r := run(t, "bootstrap", "--lock-mode", "none", "--database-url", tgt.URL, "--backup-dir", backups)
				require.Equal(t, ExitRefused, r.code, r.stderr)
				require.Contains(t, r.stderr, "--resolve invoices-without-project=placeholder-project")
				require.Contains(t, r.stderr, "nothing was changed")
			}
			entries, _ := os.ReadDir(backups)
			require.Empty(t, entries, "no backup before a refused conversion")
			require.Equal(t, before, planState(t, tgt))
		})
	}
}
