package bootstrap_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/timetracker/timetracker/bootstrap"
	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/schema"
	"github.com/timetracker/timetracker/internal/testdb"
	"github.com/timetracker/timetracker/migrations"
)

// Integration tests of bootstrap.Run on real databases, both dialects.

const (
	runVersion   = "run-test"
	runDowngrade = "202509100004_add_task_activities"
)

// runOpener opens the target the way the command does, counting calls.
func runOpener(tgt testdb.Target, calls *atomic.Int32) func(context.Context) (*database.DB, error) {
	return func(ctx context.Context) (*database.DB, error) {
		if calls != nil {
			calls.Add(1)
		}
		return database.Open(ctx, tgt.Options())
	}
}

// runOptions are the Options used by every test: short waits, a backup
// directory that does not exist yet, two admins and the default project.
func runOptions(t *testing.T) bootstrap.Options {
	t.Helper()
	return bootstrap.Options{
		Version:     runVersion,
		Target:      "test database",
		Wait:        bootstrap.WaitOptions{Timeout: 10 * time.Second, Interval: 20 * time.Millisecond},
		LockTimeout: 10 * time.Second,
		BackupDir:   filepath.Join(t.TempDir(), "backups"),
		BackupKeep:  10,
		Seed: bootstrap.SeedOptions{
			Admins:         []string{"alice", "bob"},
			DefaultProject: true,
		},
	}
}

// runDo runs bootstrap against the target with a bounded context.
func runDo(t *testing.T, tgt testdb.Target, opts bootstrap.Options) (bootstrap.Result, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	return bootstrap.Run(ctx, runOpener(tgt, nil), opts)
}

// runCreate brings a fresh target to head and returns an open handle.
func runCreate(t *testing.T, tgt testdb.Target, opts bootstrap.Options) *database.DB {
	t.Helper()
	res, err := runDo(t, tgt, opts)
	require.NoError(t, err)
	require.Equal(t, bootstrap.StateFresh, res.Detection.State)
	require.Equal(t, bootstrap.StrategyCreate, res.Detection.Strategy)
	return testdb.Open(t, tgt)
}

func runExec(t *testing.T, db *database.DB, q string, args ...any) {
	t.Helper()
	require.NoError(t, db.Gorm.Exec(q, args...).Error, q)
}

func runCount(t *testing.T, db *database.DB, q string, args ...any) int64 {
	t.Helper()
	var n int64
	require.NoError(t, db.Gorm.Raw(q, args...).Scan(&n).Error, q)
	return n
}

func runTables(t *testing.T, db *database.DB) []string {
	t.Helper()
	tables, err := database.ListTables(context.Background(), db.Gorm)
	require.NoError(t, err)
	return tables
}

func runRowCounts(t *testing.T, db *database.DB) map[string]int64 {
	t.Helper()
	counts, err := database.RowCounts(context.Background(), db.Gorm, runTables(t, db))
	require.NoError(t, err)
	return counts
}

// runRows renders every row of a query as one string per row, in the
// query's order.
func runRows(t *testing.T, g *gorm.DB, q string) []string {
	t.Helper()
	rows, err := g.Raw(q).Rows()
	require.NoError(t, err, q)
	defer rows.Close()
	cols, err := rows.Columns()
	require.NoError(t, err)
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		require.NoError(t, rows.Scan(ptrs...))
		parts := make([]string, len(cols))
		for i, v := range vals {
			switch x := v.(type) {
			case []byte:
				parts[i] = cols[i] + "=" + string(x)
			case time.Time:
				parts[i] = cols[i] + "=" + x.UTC().Format(time.RFC3339Nano)
			default:
				parts[i] = fmt.Sprintf("%s=%v", cols[i], x)
			}
		}
		out = append(out, strings.Join(parts, "|"))
	}
	require.NoError(t, rows.Err())
	return out
}

// runDump is the whole database: its introspected schema, triggers and the
// rows of every table (sorted, so that the physical order does not matter).
type runDump struct {
	Schema   schema.Schema
	Triggers []string
	Data     map[string][]string
}

func runDumpAll(t *testing.T, db *database.DB) runDump {
	t.Helper()
	ctx := context.Background()
	s, err := database.Introspect(ctx, db.Gorm)
	require.NoError(t, err)
	trg, err := database.ListTriggers(ctx, db.Gorm)
	require.NoError(t, err)
	d := runDump{Schema: s, Triggers: trg, Data: map[string][]string{}}
	for _, tb := range runTables(t, db) {
		rows := runRows(t, db.Gorm, `SELECT * FROM "`+tb+`"`)
		sort.Strings(rows)
		d.Data[tb] = rows
	}
	return d
}

func runAtHead(t *testing.T, db *database.DB) {
	t.Helper()
	st, err := migrations.New(db.Gorm, migrations.Steps(), migrations.Options{}).Status(context.Background())
	require.NoError(t, err)
	require.True(t, st.AtHead(), "at head: current %s, pending %d, unknown %v", st.Current, len(st.Pending()), st.Unknown)
}

func runDowngradeTo(t *testing.T, db *database.DB, to string) {
	t.Helper()
	res, err := migrations.New(db.Gorm, migrations.Steps(), migrations.Options{Version: runVersion}).Downgrade(context.Background(), to, nil)
	require.NoError(t, err)
	require.NotEmpty(t, res, "the downgrade rolled steps back")
}

// runDirAbsent asserts that dir was never created.
func runDirAbsent(t *testing.T, dir string) {
	t.Helper()
	_, err := os.Stat(dir)
	require.True(t, errors.Is(err, os.ErrNotExist), "%s must not exist (stat: %v)", dir, err)
}

func TestRunFreshCreatesThenFastPath(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		opts := runOptions(t)
		res, err := runDo(t, tgt, opts)
		require.NoError(t, err)
		require.Equal(t, bootstrap.StateFresh, res.Detection.State)
		require.Equal(t, bootstrap.StrategyCreate, res.Detection.Strategy)
		require.False(t, res.FastPath)
		require.Nil(t, res.Backup, "a fresh database is not backed up")
		require.True(t, res.Verify.OK(), "%v", res.Verify.Problems)
		runDirAbsent(t, opts.BackupDir)

		db := testdb.Open(t, tgt)
		runAtHead(t, db)
		require.EqualValues(t, 1, runCount(t, db, "SELECT count(*) FROM settings"))
		require.Equal(t, []string{"username=alice|role=admin", "username=bob|role=admin"},
			runRows(t, db.Gorm, "SELECT username, role FROM users ORDER BY username"))
		require.EqualValues(t, 1, runCount(t, db, "SELECT count(*) FROM clients WHERE name = 'Default Client'"))
		require.EqualValues(t, 1, runCount(t, db, `SELECT count(*) FROM projects p JOIN clients c ON c.id = p.client_id
			WHERE p.name = 'General' AND c.name = 'Default Client'`))
		require.EqualValues(t, len(migrations.Steps()), runCount(t, db, "SELECT count(*) FROM "+migrations.TableName))

		before := runDumpAll(t, db)
		countsBefore := runRowCounts(t, db)

		res, err = runDo(t, tgt, opts)
		require.NoError(t, err)
		require.True(t, res.FastPath)
		require.Equal(t, bootstrap.StateMigrated, res.Detection.State)
		require.Equal(t, bootstrap.StrategyNone, res.Detection.Strategy)
		require.Empty(t, res.Applied)
		require.Nil(t, res.Backup)
		require.Equal(t, countsBefore, runRowCounts(t, db))
		require.Equal(t, before, runDumpAll(t, db), "the second run changed nothing")
		runDirAbsent(t, opts.BackupDir)
	})
}

func TestRunBehindUpgradesWithBackup(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		opts := runOptions(t)
		db := runCreate(t, tgt, opts)
		runDowngradeTo(t, db, runDowngrade)

		// Data the upgrade must keep: two more users and their entries,
		// at most one running timer per user.
		ts := "2026-01-02 09:00:00"
		runExec(t, db, `INSERT INTO users (username, role, is_active, created_at, full_name) VALUES ('carol', 'user', ?, ?, 'Carol C'), ('dave', 'user', ?, ?, NULL)`, true, ts, false, ts)
		proj := runCount(t, db, "SELECT id FROM projects WHERE name = 'General'")
		carol := runCount(t, db, "SELECT id FROM users WHERE username = 'carol'")
		dave := runCount(t, db, "SELECT id FROM users WHERE username = 'dave'")
		for _, e := range []struct {
			user       int64
			start, end any
		}{
			{carol, "2026-01-02 09:00:00", "2026-01-02 10:30:00"},
			{carol, "2026-01-02 11:00:00", nil},
			{dave, "2026-01-03 08:00:00", "2026-01-03 08:45:00"},
		} {
			runExec(t, db, `INSERT INTO time_entries (user_id, project_id, start_time, end_time, notes, source, billable, created_at, updated_at)
				VALUES (?, ?, ?, ?, 'work', 'manual', ?, ?, ?)`, e.user, proj, e.start, e.end, true, ts, ts)
		}
		const usersQ = "SELECT id, username, role, is_active, full_name, theme_preference FROM users ORDER BY id"
		const entriesQ = "SELECT id, user_id, project_id, start_time, end_time, notes, source, billable FROM time_entries ORDER BY id"
		usersBefore := runRows(t, db.Gorm, usersQ)
		entriesBefore := runRows(t, db.Gorm, entriesQ)
		require.Len(t, usersBefore, 4)
		require.Len(t, entriesBefore, 3)
		countsBefore := runRowCounts(t, db)

		res, err := runDo(t, tgt, opts)
		require.NoError(t, err)
		require.Equal(t, bootstrap.StateBehind, res.Detection.State)
		require.Equal(t, bootstrap.StrategyUpgrade, res.Detection.Strategy)
		require.False(t, res.FastPath)
		var applied []string
		for _, a := range res.Applied {
			applied = append(applied, a.ID)
		}
		require.Equal(t, res.Detection.Pending, applied)
		require.Len(t, applied, len(migrations.Steps())-1-migrations.Index(migrations.Steps(), runDowngrade))
		require.True(t, res.Verify.OK(), "%v", res.Verify.Problems)

		// The backup and its manifest.
		require.NotNil(t, res.Backup)
		m := *res.Backup
		require.Equal(t, string(tgt.Dialect), m.Dialect)
		require.Equal(t, string(bootstrap.StateBehind), m.State)
		require.Equal(t, runDowngrade, m.VersionBefore)
		require.Equal(t, runVersion, m.ProgramVersion)
		require.Equal(t, countsBefore, m.Rows, "the manifest counts the rows as they were")
		manifestFile := m.Location + ".json"
		switch tgt.Dialect {
		case database.SQLite:
			require.Equal(t, database.BackupKind("sqlite-file"), m.Kind)
			require.Equal(t, opts.BackupDir, filepath.Dir(m.Location))
			copyDB, err := database.Open(context.Background(), database.Options{Dialect: database.SQLite, DSN: m.Location, ReadOnly: true})
			require.NoError(t, err)
			defer copyDB.Close()
			got := runRowCounts(t, copyDB)
			require.Equal(t, m.Rows, got, "the backup file holds the counted rows")
			require.Equal(t, usersBefore, runRows(t, copyDB.Gorm, usersQ))
			require.Equal(t, entriesBefore, runRows(t, copyDB.Gorm, entriesQ))
		case database.Postgres:
			require.Contains(t, []database.BackupKind{"pg_dump", "schema-copy"}, m.Kind)
			t.Logf("PostgreSQL backup kind %s at %s", m.Kind, m.Location)
			if m.Kind == "pg_dump" {
				st, err := os.Stat(m.Location)
				require.NoError(t, err)
				require.Greater(t, st.Size(), int64(0))
				require.Equal(t, opts.BackupDir, filepath.Dir(m.Location))
			} else {
				require.EqualValues(t, 1, runCount(t, db, "SELECT count(*) FROM pg_namespace WHERE nspname = ?", m.Location))
				manifestFile = filepath.Join(opts.BackupDir, m.Location+".json")
			}
		}
		b, err := os.ReadFile(manifestFile)
		require.NoError(t, err, "manifest beside the backup")
		var onDisk bootstrap.Manifest
		require.NoError(t, json.Unmarshal(b, &onDisk))
		require.Equal(t, m.Location, onDisk.Location)
		require.Equal(t, m.Kind, onDisk.Kind)
		require.Equal(t, m.Rows, onDisk.Rows)
		require.Equal(t, m.VersionBefore, onDisk.VersionBefore)
		list, err := bootstrap.ListBackups(opts.BackupDir)
		require.NoError(t, err)
		require.Len(t, list, 1)

		// The rows survived and the database is at head.
		require.Equal(t, usersBefore, runRows(t, db.Gorm, usersQ))
		require.Equal(t, entriesBefore, runRows(t, db.Gorm, entriesQ))
		runAtHead(t, db)

		// And a further run is the fast path, without another backup.
		res, err = runDo(t, tgt, opts)
		require.NoError(t, err)
		require.True(t, res.FastPath)
		list, err = bootstrap.ListBackups(opts.BackupDir)
		require.NoError(t, err)
		require.Len(t, list, 1)
	})
}

func TestRunDeletedDefaultsStayDeleted(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		opts := runOptions(t)
		db := runCreate(t, tgt, opts)
		runExec(t, db, "DELETE FROM projects WHERE name = 'General'")
		runExec(t, db, "DELETE FROM clients WHERE name = 'Default Client'")
		runExec(t, db, "DELETE FROM users WHERE username = 'bob'")
		check := func() {
			t.Helper()
			require.EqualValues(t, 0, runCount(t, db, "SELECT count(*) FROM projects"))
			require.EqualValues(t, 0, runCount(t, db, "SELECT count(*) FROM clients"))
			require.Equal(t, []string{"username=alice"}, runRows(t, db.Gorm, "SELECT username FROM users ORDER BY username"))
			require.EqualValues(t, 1, runCount(t, db, "SELECT count(*) FROM settings"))
		}

		res, err := runDo(t, tgt, opts)
		require.NoError(t, err)
		require.True(t, res.FastPath)
		check()

		// Not on the upgrade path either.
		runDowngradeTo(t, db, runDowngrade)
		res, err = runDo(t, tgt, opts)
		require.NoError(t, err)
		require.Equal(t, bootstrap.StrategyUpgrade, res.Detection.Strategy)
		check()
	})
}

// runRefused runs bootstrap on a database it must refuse and checks that
// nothing changed, returning the result and error for further checks.
func runRefused(t *testing.T, tgt testdb.Target, db *database.DB, opts bootstrap.Options) (bootstrap.Result, error) {
	t.Helper()
	before := runDumpAll(t, db)
	res, err := runDo(t, tgt, opts)
	require.Error(t, err)
	after := runDumpAll(t, db)
	require.Equal(t, before.Schema, after.Schema, "schema unchanged")
	require.Equal(t, before.Triggers, after.Triggers)
	require.Equal(t, before.Data, after.Data, "data unchanged")
	runDirAbsent(t, opts.BackupDir)
	require.Nil(t, res.Backup)
	require.Empty(t, res.Applied)
	return res, err
}

func TestRunForeignRefused(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		db := testdb.Open(t, tgt)
		runExec(t, db, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body VARCHAR(100) NOT NULL, pinned BOOLEAN)")
		runExec(t, db, "CREATE INDEX ix_notes_body ON notes (body)")
		runExec(t, db, "INSERT INTO notes (id, body, pinned) VALUES (1, 'first', ?), (2, 'second', ?), (3, 'third', NULL)", true, false)
		notesBefore := runRows(t, db.Gorm, "SELECT * FROM notes ORDER BY id")
		require.Len(t, notesBefore, 3)

		res, err := runRefused(t, tgt, db, runOptions(t))
		require.ErrorIs(t, err, bootstrap.ErrRefused)
		require.Equal(t, bootstrap.StateForeign, res.Detection.State)
		require.Contains(t, err.Error(), "notes")
		require.Equal(t, notesBefore, runRows(t, db.Gorm, "SELECT * FROM notes ORDER BY id"))
		require.Equal(t, []string{"notes"}, runTables(t, db), "no version table was created")
	})
}

func TestRunNewerStepRefused(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		opts := runOptions(t)
		db := runCreate(t, tgt, opts)
		const future = "209912310000_from_the_future"
		runExec(t, db, "INSERT INTO "+migrations.TableName+" (id) VALUES (?)", future)

		res, err := runRefused(t, tgt, db, opts)
		// Detection refuses before any migrator runs: the error is
		// ErrRefused, not the migrator's ErrDatabaseAhead.
		require.ErrorIs(t, err, bootstrap.ErrRefused)
		require.NotErrorIs(t, err, migrations.ErrDatabaseAhead)
		require.Equal(t, bootstrap.StateNewer, res.Detection.State)
		require.Equal(t, bootstrap.StrategyRefuse, res.Detection.Strategy)
		require.Equal(t, []string{future}, res.Detection.Unknown)
		require.Contains(t, err.Error(), future)
	})
}

// TestRunBlankAlembicRefused: a NULL revision in a hand-made alembic_version
// (no NOT NULL) is read on both dialects (SQLite failed to read it) and
// refused as unknown, not as newer, with nothing changed.
func TestRunBlankAlembicRefused(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		db := testdb.Open(t, tgt)
		runExec(t, db, "CREATE TABLE "+migrations.AlembicTableName+" (version_num VARCHAR(32))")
		runExec(t, db, "INSERT INTO "+migrations.AlembicTableName+" (version_num) VALUES (NULL)")
		runExec(t, db, "CREATE TABLE users (id INTEGER PRIMARY KEY, username VARCHAR(80) NOT NULL)")
		runExec(t, db, "INSERT INTO users (id, username) VALUES (1, 'admin')")

		res, err := runRefused(t, tgt, db, runOptions(t))
		require.ErrorIs(t, err, bootstrap.ErrRefused)
		require.Equal(t, bootstrap.StateUnknown, res.Detection.State)
		require.Contains(t, err.Error(), "empty revision")
		require.NotContains(t, err.Error(), "newer")
	})
}

func TestRunNewerAlembicRefused(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		opts := runOptions(t)
		db := runCreate(t, tgt, opts)
		// TimeTracker tables managed by an Alembic newer than 012, no
		// timetracker version tables.
		runExec(t, db, "DROP TABLE "+migrations.HistoryTableName)
		runExec(t, db, "DROP TABLE "+migrations.TableName)
		runExec(t, db, "UPDATE "+migrations.AlembicTableName+" SET version_num = '013'")
		require.Equal(t, []string{"version_num=013"}, runRows(t, db.Gorm, "SELECT version_num FROM "+migrations.AlembicTableName))

		res, err := runRefused(t, tgt, db, opts)
		require.ErrorIs(t, err, bootstrap.ErrRefused)
		require.NotErrorIs(t, err, migrations.ErrDatabaseAhead)
		require.Equal(t, bootstrap.StateNewer, res.Detection.State)
		require.Equal(t, "013", res.Detection.Alembic)
		require.Contains(t, err.Error(), "013")
		require.NotContains(t, runTables(t, db), migrations.TableName)
	})
}

func TestRunWaitRetriesUnreachable(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		var calls atomic.Int32
		open := func(ctx context.Context) (*database.DB, error) {
			if calls.Add(1) <= 2 {
				return nil, fmt.Errorf("%w: connection refused (simulated)", database.ErrUnreachable)
			}
			return database.Open(ctx, tgt.Options())
		}
		opts := runOptions(t)
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		res, err := bootstrap.Run(ctx, open, opts)
		require.NoError(t, err)
		require.EqualValues(t, 3, calls.Load())
		require.Equal(t, bootstrap.StrategyCreate, res.Detection.Strategy)
		runAtHead(t, testdb.Open(t, tgt))
	})
}

// The two failing waits need no database, so they run once.
func TestRunWaitTimeout(t *testing.T) {
	var calls atomic.Int32
	open := func(context.Context) (*database.DB, error) {
		calls.Add(1)
		return nil, fmt.Errorf("%w: connection refused (simulated)", database.ErrUnreachable)
	}
	opts := runOptions(t)
	opts.Wait = bootstrap.WaitOptions{Timeout: time.Second, Interval: 100 * time.Millisecond}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	start := time.Now()
	_, err := bootstrap.Run(ctx, open, opts)
	elapsed := time.Since(start)
	require.ErrorIs(t, err, bootstrap.ErrTimeout)
	require.Contains(t, err.Error(), "connection refused (simulated)", "the last cause is named")
	require.Less(t, elapsed, 5*time.Second, "the wait honours its deadline")
	require.Greater(t, calls.Load(), int32(1), "it retried")
	var pe *bootstrap.PartialError
	require.ErrorAs(t, err, &pe)
	require.Equal(t, bootstrap.PhaseWait, pe.Failed)
	require.Empty(t, pe.Done)
}

func TestRunWaitRejectedNotRetried(t *testing.T) {
	var calls atomic.Int32
	open := func(context.Context) (*database.DB, error) {
		calls.Add(1)
		return nil, fmt.Errorf("%w: database \"nope\" does not exist (simulated)", database.ErrRejected)
	}
	opts := runOptions(t)
	opts.Wait = bootstrap.WaitOptions{Timeout: 10 * time.Second, Interval: 100 * time.Millisecond}
	_, err := bootstrap.Run(context.Background(), open, opts)
	require.ErrorIs(t, err, database.ErrRejected)
	require.NotErrorIs(t, err, bootstrap.ErrTimeout)
	require.EqualValues(t, 1, calls.Load())
}

func TestRunVerifyFailureNamesColumn(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		opts := runOptions(t)
		db := runCreate(t, tgt, opts)
		runExec(t, db, "ALTER TABLE users DROP COLUMN full_name")

		res, err := runDo(t, tgt, opts)
		require.ErrorIs(t, err, bootstrap.ErrVerifyFailed)
		require.Contains(t, err.Error(), "full_name")
		require.Equal(t, bootstrap.StateMigrated, res.Detection.State)
		require.False(t, res.Verify.OK())
		require.Contains(t, strings.Join(res.Verify.Problems, "\n"), "table users: column full_name: missing")
		var pe *bootstrap.PartialError
		require.ErrorAs(t, err, &pe)
		require.Equal(t, bootstrap.PhaseVerify, pe.Failed)
		has, herr := database.HasColumn(context.Background(), db.Gorm, "users", "full_name")
		require.NoError(t, herr)
		require.False(t, has, "verification reports, it does not repair")
	})
}

// TestRunFastPathSnapshotIsConsistent makes another instance finish an
// upgrade while this one takes its first snapshot: after the catalogue has
// been read (old schema) and before timetracker_migrations is read (all
// steps). The database is at head and valid, so Run must succeed. The
// process test "concurrent sqlite" hits the same window by chance. On
// PostgreSQL one statement reads both, so there is no such window.
func TestRunFastPathSnapshotIsConsistent(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		if tgt.Dialect == database.Postgres {
			t.Skip("PostgreSQL reads the catalogue and timetracker_migrations in one statement")
		}
		opts := runOptions(t)
		db := runCreate(t, tgt, opts)
		runDowngradeTo(t, db, runDowngrade)
		other := testdb.Open(t, tgt)

		fired := false
		open := func(ctx context.Context) (*database.DB, error) {
			d, err := database.Open(ctx, tgt.Options())
			if err != nil {
				return nil, err
			}
			err = d.Gorm.Callback().Query().Before("gorm:query").Register("test:concurrent_upgrade", func(g *gorm.DB) {
				if fired || g.Statement.Table != migrations.TableName {
					return
				}
				fired = true
				// The other instance upgrades and commits, on its own connection.
				_, err := migrations.New(other.Gorm, migrations.Steps(), migrations.Options{Version: "other"}).Upgrade(context.Background(), migrations.UpgradeOptions{})
				if err != nil {
					t.Errorf("concurrent upgrade: %v", err)
				}
			})
			return d, err
		}
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		res, err := bootstrap.Run(ctx, open, opts)
		require.True(t, fired, "the concurrent upgrade ran inside the first snapshot")
		runAtHead(t, db)
		require.NoError(t, err, "detected %s (%s); a database another instance has just brought to head is valid", res.Detection.State, res.Detection.Reason)
	})
}
