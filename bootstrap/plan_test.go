package bootstrap_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/timetracker/timetracker/bootstrap"
	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/testdb"
	"github.com/timetracker/timetracker/legacy"
	"github.com/timetracker/timetracker/migrations"
)

// planLoad creates a test database from a legacy fixture of the legacy
// package (one Exec on one connection, as legacy's loadFixture does) and
// runs the extra SQL statements.
func planLoad(t testing.TB, name string, d database.Dialect, extra ...string) testdb.Target {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "legacy", "testdata", name+"."+string(d)+".sql"))
	require.NoError(t, err)
	var tgt testdb.Target
	if d == database.Postgres {
		tgt = testdb.NewPostgres(t)
	} else {
		tgt = testdb.NewSQLite(t)
	}
	ctx := context.Background()
	db, err := database.Open(ctx, tgt.Options())
	require.NoError(t, err)
	defer db.Close()
	sqlDB, err := db.Gorm.DB()
	require.NoError(t, err)
	conn, err := sqlDB.Conn(ctx)
	require.NoError(t, err)
	defer conn.Close()
	_, err = conn.ExecContext(ctx, string(raw))
	require.NoError(t, err, "load %s", name)
	for _, q := range extra {
		_, err = conn.ExecContext(ctx, q)
		require.NoError(t, err, q)
	}
	return tgt
}

// planFingerprint is everything a plan must leave as it was. SQLite: the
// file's bytes, and that no journal, WAL or lock file is beside it.
// PostgreSQL: schema, triggers and rows of every table (runDumpAll), every
// relation, constraint and schema of the database, every sequence's
// position, and the advisory locks held in it.
func planFingerprint(t *testing.T, tgt testdb.Target) map[string]any {
	t.Helper()
	fp := map[string]any{}
	if tgt.Dialect == database.SQLite {
		b, err := os.ReadFile(tgt.DSN)
		require.NoError(t, err)
		sum := sha256.Sum256(b)
		fp["file"] = hex.EncodeToString(sum[:])
		entries, err := os.ReadDir(filepath.Dir(tgt.DSN))
		require.NoError(t, err)
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		fp["dir"] = names
		return fp
	}
	db := testdb.Open(t, tgt)
	fp["dump"] = runDumpAll(t, db)
	fp["relations"] = runRows(t, db.Gorm, `SELECT n.nspname, c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
		ORDER BY 1, 2`)
	fp["constraints"] = runRows(t, db.Gorm, `SELECT conrelid::regclass::text AS rel, conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
		WHERE connamespace NOT IN (SELECT oid FROM pg_namespace WHERE nspname IN ('pg_catalog', 'information_schema')) ORDER BY 1, 2`)
	fp["schemas"] = runRows(t, db.Gorm, `SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg_temp%' AND nspname NOT LIKE 'pg_toast_temp%' ORDER BY 1`)
	fp["sequences"] = runRows(t, db.Gorm, `SELECT schemaname, sequencename, last_value FROM pg_sequences ORDER BY 1, 2`)
	fp["advisory"] = runCount(t, db, `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`)
	require.NoError(t, db.Close())
	return fp
}

// planRun plans the target as `db plan` does: opened without creating
// anything, no lock, a backup directory that must stay absent.
func planRun(t *testing.T, tgt testdb.Target, opts bootstrap.Options) bootstrap.PlanReport {
	t.Helper()
	o := tgt.Options()
	o.ReadOnly = true
	db, err := database.Open(context.Background(), o)
	require.NoError(t, err)
	defer db.Close()
	rep, err := bootstrap.Plan(context.Background(), db, opts)
	require.NoError(t, err)
	return rep
}

func planCounts(rep bootstrap.PlanReport) (before, after map[string]int64) {
	before, after = map[string]int64{}, map[string]int64{}
	for _, tb := range rep.Tables {
		before[tb.Table], after[tb.Table] = tb.Before, tb.After
	}
	return before, after
}

// TestPlanConvertChangesNothing: on a database that converts, the plan
// reports what bootstrap then does, and leaves the database byte-identical
// (SQLite) or identical in content, schema, sequences and locks
// (PostgreSQL), with no backup written.
func TestPlanConvertChangesNothing(t *testing.T) {
	for _, tc := range []struct {
		name string
		d    database.Dialect
	}{
		{"s2-create_all", database.SQLite},
		{"alembic-pure-001", database.SQLite},
		{"s2-sql", database.Postgres},
		{"alembic-pure-001", database.Postgres},
		{"s5-upgraded", database.Postgres},
	} {
		t.Run(tc.name+"."+string(tc.d), func(t *testing.T) {
			tgt := planLoad(t, tc.name, tc.d)
			before := planFingerprint(t, tgt)
			opts := runOptions(t)
			rep := planRun(t, tgt, opts)
			require.Equal(t, before, planFingerprint(t, tgt), "the plan changed the database")
			runDirAbsent(t, opts.BackupDir)

			require.Equal(t, bootstrap.StrategyConvert, rep.Strategy)
			require.Empty(t, rep.Refused)
			require.Empty(t, rep.Refusals)
			require.Empty(t, rep.Problems)
			require.True(t, rep.Backup)
			require.Len(t, rep.Rebuilt, 8)
			require.NotEmpty(t, rep.Fills, "a conversion fills at least one value")
			planBefore, planAfter := planCounts(rep)

			db := testdb.Open(t, tgt)
			require.Equal(t, planBefore["time_entries"], runCount(t, db, "SELECT count(*) FROM time_entries"))
			if strings.HasPrefix(tc.name, "s2") {
				// S2 projects have no client_id: K3 fills every one.
				require.Contains(t, rep.Fills, bootstrap.PlanFill{Table: "projects", Column: "client_id", Filled: planBefore["projects"]})
			}

			// What bootstrap does is what the plan said.
			res, err := runDo(t, tgt, opts)
			require.NoError(t, err)
			require.NotNil(t, res.Conversion)
			require.Equal(t, rep.ClientsCreated, append([]string{}, res.Conversion.ClientsCreated...))
			var applied []string
			applied = append(applied, "202509030000_baseline")
			for _, a := range res.Applied {
				applied = append(applied, a.ID)
			}
			require.Equal(t, rep.Steps, applied)
			got := runRowCounts(t, db)
			for table, n := range got {
				require.Equal(t, n, planAfter[table], "rows of %s after", table)
			}
			var closed []int64
			require.NoError(t, db.Gorm.Raw("SELECT id FROM time_entries WHERE end_time IS NOT NULL AND duration_seconds = 0 AND end_time = start_time ORDER BY id").Scan(&closed).Error)
			for _, id := range rep.TimersClosed {
				require.Contains(t, closed, id, "timer %d was closed", id)
			}
		})
	}
}

// TestPlanRefusedChangesNothing: on a database that will be refused, the
// plan names the rows and the resolution, exits as refused and changes
// nothing; without the resolution bootstrap refuses the same way.
func TestPlanRefusedChangesNothing(t *testing.T) {
	for _, d := range []database.Dialect{database.SQLite, database.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			tgt := planLoad(t, "alembic-pure-001", d, "UPDATE invoices SET project_id = NULL WHERE id IN (1, 2, 4)")
			before := planFingerprint(t, tgt)
			opts := runOptions(t)
			rep := planRun(t, tgt, opts)
			require.Equal(t, before, planFingerprint(t, tgt), "the plan changed the database")
			runDirAbsent(t, opts.BackupDir)

			require.Equal(t, bootstrap.StrategyConvert, rep.Strategy)
			require.ErrorIs(t, rep.Err(), bootstrap.ErrRefused)
			require.Len(t, rep.Refusals, 1)
			r := rep.Refusals[0]
			require.Equal(t, legacy.ClassInvoicesWithoutProject, r.Class)
			require.Equal(t, []int64{1, 2, 4}, r.IDs)
			require.Equal(t, "invoices-without-project=placeholder-project", r.Resolution)
			for _, tb := range rep.Tables {
				require.Equal(t, tb.Before, tb.After, "a refused plan reports no change to %s", tb.Table)
			}

			_, err := runDo(t, tgt, opts)
			require.ErrorIs(t, err, bootstrap.ErrRefused)
			require.ErrorContains(t, err, "--resolve invoices-without-project=placeholder-project")
			require.ErrorContains(t, err, "timetracker db plan")
			// Bootstrap's SQLite lock file stays beside the database by design.
			require.Equal(t, before["file"], planFingerprint(t, tgt)["file"], "the refusal changed the database")
		})
	}
}

// TestResolveInvoicesWithoutProject: with the resolution, invoices without
// a project get one "Missing project" per client, and a dangling project
// id (SQLite only: PostgreSQL's foreign key keeps it from happening) gets a
// project re-created under that id; the plan shows it first and changes
// nothing, bootstrap then does it and nothing else changes.
func TestResolveInvoicesWithoutProject(t *testing.T) {
	for _, d := range []database.Dialect{database.SQLite, database.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			extra := []string{"UPDATE invoices SET project_id = NULL WHERE id IN (1, 2, 4)"}
			if d == database.SQLite {
				extra = append(extra, "UPDATE invoices SET project_id = 77 WHERE id = 3")
			}
			tgt := planLoad(t, "alembic-pure-001", d, extra...)
			db := testdb.Open(t, tgt)
			const invoicesQ = "SELECT id, invoice_number, client_id, issue_date, status, subtotal, notes FROM invoices ORDER BY id"
			const projectsQ = "SELECT id, name, status FROM projects ORDER BY id"
			invoicesBefore := runRows(t, db.Gorm, invoicesQ)
			projectsBefore := runRows(t, db.Gorm, projectsQ)
			entriesBefore := runRows(t, db.Gorm, "SELECT id, user_id, project_id, notes FROM time_entries ORDER BY id")
			nProjects := runCount(t, db, "SELECT count(*) FROM projects")

			opts := runOptions(t)
			opts.Resolve = legacy.Resolutions{legacy.ClassInvoicesWithoutProject: legacy.ActionPlaceholderProject}
			fp := planFingerprint(t, tgt)
			rep := planRun(t, tgt, opts)
			require.Equal(t, fp, planFingerprint(t, tgt), "the plan changed the database")
			require.Empty(t, rep.Refused)
			require.Len(t, rep.Resolved, 1)
			wantCreated := 3
			if d == database.SQLite {
				wantCreated = 4
			}
			require.Len(t, rep.Resolved[0].Created, wantCreated, "%v", rep.Resolved[0].Created)
			require.EqualValues(t, wantCreated, rep.Resolved[0].Updated)
			_, planAfter := planCounts(rep)
			require.Equal(t, nProjects+int64(wantCreated), planAfter["projects"])

			res, err := runDo(t, tgt, opts)
			require.NoError(t, err)
			require.Equal(t, rep.Resolved, res.Conversion.Resolved)
			require.Equal(t, nProjects+int64(wantCreated), runCount(t, db, "SELECT count(*) FROM projects"))
			// Each invoice without a project now has its client's placeholder.
			for id, client := range map[int]string{1: "Acme", 2: "Zürich GmbH", 4: "acme"} {
				require.Equal(t, []string{"name=Missing project|client=" + client},
					runRows(t, db.Gorm, `SELECT p.name AS name, c.name AS client FROM invoices i JOIN projects p ON p.id = i.project_id
						JOIN clients c ON c.id = p.client_id WHERE i.id = `+strconv.Itoa(id)), "invoice %d", id)
			}
			if d == database.SQLite {
				require.Equal(t, []string{"id=77|name=Missing project #77|client=Globex"},
					runRows(t, db.Gorm, `SELECT p.id AS id, p.name AS name, c.name AS client FROM invoices i JOIN projects p ON p.id = i.project_id
						JOIN clients c ON c.id = p.client_id WHERE i.id = 3`))
			}
			// Everything else is as it was.
			require.Equal(t, invoicesBefore, runRows(t, db.Gorm, invoicesQ))
			after := runRows(t, db.Gorm, projectsQ)
			require.Equal(t, projectsBefore, after[:len(projectsBefore)], "existing projects unchanged")
			require.Equal(t, entriesBefore, runRows(t, db.Gorm, "SELECT id, user_id, project_id, notes FROM time_entries ORDER BY id"))
		})
	}
}

// TestResolveEntriesPlaceholders: time entries whose user or project is
// missing are refused without the resolutions; with them, the missing
// rows are re-created under their ids (users inactive), NULL ones point at
// one placeholder, and each entry keeps every other value.
func TestResolveEntriesPlaceholders(t *testing.T) {
	for _, tc := range []struct {
		name   string
		d      database.Dialect
		break_ []string
		// users and projects the resolution must leave, as "id name".
		users, projects []string
	}{
		{"s2-create_all", database.SQLite,
			[]string{"UPDATE time_entries SET project_id = 999 WHERE id IN (1, 2)", "UPDATE time_entries SET user_id = 998 WHERE id = 3"},
			[]string{"id=998|username=missing-user-998|role=user"}, []string{"id=999|name=Missing project #999"}},
		{"s1b", database.Postgres,
			[]string{"UPDATE time_entries SET user_id = NULL WHERE id = 3"},
			[]string{"username=missing-user|role=user"}, nil},
	} {
		t.Run(tc.name+"."+string(tc.d), func(t *testing.T) {
			tgt := planLoad(t, tc.name, tc.d, tc.break_...)
			db := testdb.Open(t, tgt)
			const entriesQ = "SELECT id, start_time, notes FROM time_entries ORDER BY id"
			opts := runOptions(t)
			fp := planFingerprint(t, tgt)
			_, err := runDo(t, tgt, opts)
			require.ErrorIs(t, err, bootstrap.ErrRefused)
			require.ErrorContains(t, err, "--resolve time-entries-without-")
			require.Equal(t, fp["file"], planFingerprint(t, tgt)["file"])
			fp = planFingerprint(t, tgt)
			usersBefore := runCount(t, db, "SELECT count(*) FROM users")

			opts.Resolve, err = legacy.ParseResolutions("time-entries-without-user=placeholder-user, time-entries-without-project=placeholder-project")
			require.NoError(t, err)
			rep := planRun(t, tgt, opts)
			require.Empty(t, rep.Refused)
			require.Equal(t, fp, planFingerprint(t, tgt), "the plan changed the database")
			res, err := runDo(t, tgt, opts)
			require.NoError(t, err)
			require.Equal(t, rep.Resolved, res.Conversion.Resolved)
			require.Equal(t, usersBefore+1, runCount(t, db, "SELECT count(*) FROM users"))
			for _, u := range tc.users {
				q := "SELECT id, username, role FROM users WHERE username LIKE 'missing-user%' AND is_active = false"
				if tc.d == database.Postgres {
					q = "SELECT username, role FROM users WHERE username LIKE 'missing-user%' AND is_active = false"
				}
				require.Equal(t, []string{u}, runRows(t, db.Gorm, q))
			}
			for _, p := range tc.projects {
				require.Equal(t, []string{p}, runRows(t, db.Gorm, "SELECT id, name FROM projects WHERE name LIKE 'Missing project%'"))
			}
			if tc.d == database.SQLite {
				require.EqualValues(t, 2, runCount(t, db, "SELECT count(*) FROM time_entries WHERE project_id = 999"))
				require.EqualValues(t, 1, runCount(t, db, "SELECT count(*) FROM time_entries WHERE user_id = 998"))
			} else {
				require.EqualValues(t, 1, runCount(t, db, "SELECT count(*) FROM time_entries e JOIN users u ON u.id = e.user_id WHERE e.id = 3 AND u.username = 'missing-user'"))
			}
			require.Len(t, runRows(t, db.Gorm, entriesQ), int(runCount(t, db, "SELECT count(*) FROM time_entries")))
		})
	}
}

// TestResolveKeepStartTime: an entry whose start_time and start_utc
// disagree is refused; keep-start-time keeps start_time and start_utc
// stays, unchanged, in its kept column.
func TestResolveKeepStartTime(t *testing.T) {
	tgt := planLoad(t, "s1a", database.SQLite,
		"ALTER TABLE time_entries ADD COLUMN start_time DATETIME",
		"UPDATE time_entries SET start_time = '2020-02-02 02:02:02' WHERE id = 1")
	db := testdb.Open(t, tgt)
	utc := runRows(t, db.Gorm, "SELECT start_utc FROM time_entries WHERE id = 1")
	opts := runOptions(t)
	_, err := runDo(t, tgt, opts)
	require.ErrorContains(t, err, "--resolve time-entries-two-start-times=keep-start-time")
	opts.Resolve = legacy.Resolutions{legacy.ClassEntriesTwoStartTimes: legacy.ActionKeepStartTime}
	_, err = runDo(t, tgt, opts)
	require.NoError(t, err)
	require.Equal(t, []string{"start_time=2020-02-02T02:02:02Z"}, runRows(t, db.Gorm, "SELECT start_time FROM time_entries WHERE id = 1"))
	require.Equal(t, utc, runRows(t, db.Gorm, "SELECT start_utc FROM time_entries WHERE id = 1"))
}

// TestRefusalsNameTheirFix: classes without an automatic resolution carry
// a SQL fix instead.
func TestRefusalsNameTheirFix(t *testing.T) {
	tgt := planLoad(t, "s4-create_all", database.SQLite,
		"DROP INDEX IF EXISTS ix_invoices_invoice_number",
		"UPDATE invoices SET invoice_number = (SELECT invoice_number FROM invoices WHERE id = 1) WHERE id = 2",
		"UPDATE invoice_items SET invoice_id = 404 WHERE id = 1")
	fp := planFingerprint(t, tgt)
	rep := planRun(t, tgt, runOptions(t))
	require.Equal(t, fp, planFingerprint(t, tgt))
	classes := map[string]legacy.Refusal{}
	for _, r := range rep.Refusals {
		classes[r.Class] = r
	}
	require.Contains(t, classes, legacy.ClassDuplicateInvoiceNumber)
	require.Contains(t, classes, legacy.ClassItemsWithoutInvoice)
	require.Contains(t, classes[legacy.ClassDuplicateInvoiceNumber].SQL, "UPDATE invoices SET invoice_number")
	require.Empty(t, classes[legacy.ClassDuplicateInvoiceNumber].Resolution)
	require.Equal(t, []int64{1}, classes[legacy.ClassItemsWithoutInvoice].IDs)
	require.ErrorContains(t, rep.Err(), "fix by hand, e.g. UPDATE invoice_items SET invoice_id")
}

func TestParseResolutions(t *testing.T) {
	r, err := legacy.ParseResolutions("")
	require.NoError(t, err)
	require.Empty(t, r)
	r, err = legacy.ParseResolutions(" invoices-without-project=placeholder-project,tasks-without-creator=placeholder-user ")
	require.NoError(t, err)
	require.Equal(t, "invoices-without-project=placeholder-project,tasks-without-creator=placeholder-user", r.String())
	for _, bad := range []string{"invoices-without-project", "invoices-without-project=delete", "duplicate-invoice-numbers=renumber", "nope=x"} {
		_, err := legacy.ParseResolutions(bad)
		require.ErrorIs(t, err, legacy.ErrBadResolution, bad)
	}
	all := legacy.ResolvableClasses()
	require.True(t, sort.StringsAreSorted(all))
	_, err = legacy.ParseResolutions(strings.Join(all, ","))
	require.NoError(t, err)
}

// planLoosen drops a table's foreign keys and the NOT NULL of a column,
// as hand-edited PostgreSQL databases have them, so a test can store what
// SQLite (which TimeTracker never ran with foreign keys on) can hold anyway.
func planLoosen(table, column string) string {
	return `DO $$ DECLARE r record; BEGIN
		FOR r IN SELECT conname FROM pg_constraint WHERE conrelid = '` + table + `'::regclass AND contype = 'f' LOOP
			EXECUTE 'ALTER TABLE ` + table + ` DROP CONSTRAINT ' || quote_ident(r.conname);
		END LOOP;
		ALTER TABLE ` + table + ` ALTER COLUMN ` + column + ` DROP NOT NULL; END $$`
}

// TestEachResolution: every resolution, on both dialects: refused without
// its option (the message names it, nothing changes), converted with it,
// with the documented placeholder in place and every row kept.
func TestEachResolution(t *testing.T) {
	for _, tc := range []struct {
		class, fixture string
		d              database.Dialect
		break_         []string
		// check must return want once converted.
		check string
		want  []string
	}{
		{legacy.ClassTasksWithoutProject, "alembic-pure-001", database.SQLite,
			[]string{"UPDATE tasks SET project_id = 555 WHERE id = 1"},
			"SELECT p.id AS id, p.name AS name, c.name AS client FROM tasks t JOIN projects p ON p.id = t.project_id JOIN clients c ON c.id = p.client_id WHERE t.id = 1",
			[]string{"id=555|name=Missing project #555|client=Default Client"}},
		{legacy.ClassTasksWithoutProject, "alembic-pure-001", database.Postgres,
			[]string{planLoosen("tasks", "project_id"), "UPDATE tasks SET project_id = NULL WHERE id = 1"},
			"SELECT p.name AS name, c.name AS client FROM tasks t JOIN projects p ON p.id = t.project_id JOIN clients c ON c.id = p.client_id WHERE t.id = 1",
			[]string{"name=Missing project|client=Default Client"}},
		{legacy.ClassTasksWithoutCreator, "alembic-pure-001", database.SQLite,
			[]string{"UPDATE tasks SET created_by = 556 WHERE id = 1"},
			"SELECT u.id AS id, u.username AS username, u.role AS role FROM tasks t JOIN users u ON u.id = t.created_by WHERE t.id = 1 AND u.is_active = false",
			[]string{"id=556|username=missing-user-556|role=user"}},
		{legacy.ClassTasksWithoutCreator, "alembic-pure-001", database.Postgres,
			[]string{planLoosen("tasks", "created_by"), "UPDATE tasks SET created_by = 556 WHERE id = 1"},
			"SELECT u.id AS id, u.username AS username, u.role AS role FROM tasks t JOIN users u ON u.id = t.created_by WHERE t.id = 1 AND u.is_active = false",
			[]string{"id=556|username=missing-user-556|role=user"}},
		{legacy.ClassEntriesWithoutProject, "s1a", database.Postgres,
			[]string{planLoosen("time_entries", "project_id"), "UPDATE time_entries SET project_id = NULL WHERE id = 2"},
			"SELECT p.name AS name, c.name AS client FROM time_entries e JOIN projects p ON p.id = e.project_id JOIN clients c ON c.id = p.client_id WHERE e.id = 2",
			[]string{"name=Missing project|client=Default Client"}},
		{legacy.ClassEntriesWithoutUser, "s1a", database.SQLite,
			[]string{"UPDATE time_entries SET user_id = 997 WHERE id = 2"},
			"SELECT u.id AS id, u.username AS username FROM time_entries e JOIN users u ON u.id = e.user_id WHERE e.id = 2 AND u.is_active = false",
			[]string{"id=997|username=missing-user-997"}},
		{legacy.ClassEntriesTwoStartTimes, "s1a", database.Postgres,
			[]string{"ALTER TABLE time_entries ADD COLUMN start_time TIMESTAMP", "UPDATE time_entries SET start_time = '2020-02-02 02:02:02' WHERE id = 1"},
			"SELECT start_time FROM time_entries WHERE id = 1",
			[]string{"start_time=2020-02-02T02:02:02Z"}},
	} {
		t.Run(tc.class+"."+string(tc.d), func(t *testing.T) {
			tgt := planLoad(t, tc.fixture, tc.d, tc.break_...)
			db := testdb.Open(t, tgt)
			counts := runRowCounts(t, db)
			opts := runOptions(t)
			_, err := runDo(t, tgt, opts)
			require.ErrorIs(t, err, bootstrap.ErrRefused)
			require.ErrorContains(t, err, "--resolve "+tc.class+"=")
			require.Equal(t, counts, runRowCounts(t, db), "the refusal changed nothing")

			opts.Resolve = legacy.Resolutions{}
			for _, c := range legacy.ResolvableClasses() {
				if class, action, _ := strings.Cut(c, "="); class == tc.class {
					opts.Resolve[class] = action
				}
			}
			rep := planRun(t, tgt, opts)
			require.Empty(t, rep.Refused)
			require.Equal(t, counts, runRowCounts(t, db), "the plan changed nothing")
			res, err := runDo(t, tgt, opts)
			require.NoError(t, err)
			require.ElementsMatch(t, rep.Resolved, res.Conversion.Resolved)
			require.Equal(t, tc.want, runRows(t, db.Gorm, tc.check))
			after := runRowCounts(t, db)
			for _, table := range []string{"time_entries", "tasks", "invoices"} {
				if n, ok := counts[table]; ok {
					require.Equal(t, n, after[table], "rows of %s kept", table)
				}
			}
		})
	}
}

// TestPlanUpgradeChangesNothing: a database behind head: the plan lists
// the pending steps and the timers they close, and changes nothing.
func TestPlanUpgradeChangesNothing(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		opts := runOptions(t)
		db := runCreate(t, tgt, opts)
		runDowngradeTo(t, db, runDowngrade)
		proj := runCount(t, db, "SELECT id FROM projects WHERE name = 'General'")
		admin := runCount(t, db, "SELECT id FROM users WHERE username = 'alice'")
		for _, start := range []string{"2026-01-02 09:00:00", "2026-01-02 11:00:00"} {
			runExec(t, db, `INSERT INTO time_entries (user_id, project_id, start_time, source, billable, created_at, updated_at)
				VALUES (?, ?, ?, 'manual', ?, ?, ?)`, admin, proj, start, true, start, start)
		}
		older := runCount(t, db, "SELECT id FROM time_entries WHERE start_time = '2026-01-02 09:00:00'")
		require.NoError(t, db.Close())
		before := planFingerprint(t, tgt)
		rep := planRun(t, tgt, opts)
		require.Equal(t, before, planFingerprint(t, tgt), "the plan changed the database")
		runDirAbsent(t, opts.BackupDir)
		require.Equal(t, bootstrap.StrategyUpgrade, rep.Strategy)
		steps := migrations.Steps()
		require.Len(t, rep.Steps, len(steps)-1-migrations.Index(steps, runDowngrade))
		require.Equal(t, []int64{older}, rep.TimersClosed)
		require.Empty(t, rep.Problems)
		require.NoError(t, rep.Err())
	})
}
