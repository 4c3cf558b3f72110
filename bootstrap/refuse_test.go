package bootstrap_test

import (
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/timetracker/timetracker/bootstrap"
	"github.com/timetracker/timetracker/internal/testdb"
	"github.com/timetracker/timetracker/legacy"
)

// TestRunPrototypeRefused: TimeTracker's key/value prototype (S0) is
// refused and left as it was.
func TestRunPrototypeRefused(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		db := testdb.Open(t, tgt)
		runExec(t, db, "CREATE TABLE users (id INTEGER PRIMARY KEY, username VARCHAR(50) NOT NULL, email VARCHAR(100), password_hash VARCHAR(255) NOT NULL, is_admin BOOLEAN)")
		runExec(t, db, "CREATE TABLE projects (id INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL, color VARCHAR(7), is_active BOOLEAN)")
		runExec(t, db, "CREATE TABLE time_entries (id INTEGER PRIMARY KEY, user_id INTEGER, task_id INTEGER, start_time TIMESTAMP, duration_minutes INTEGER, description TEXT)")
		runExec(t, db, `CREATE TABLE settings (id INTEGER PRIMARY KEY, "key" VARCHAR(100) UNIQUE, value TEXT)`)
		runExec(t, db, `INSERT INTO users VALUES (1, 'admin', 'a@example.com', 'pbkdf2:x', true)`)
		runExec(t, db, `INSERT INTO settings VALUES (1, 'timezone', 'Europe/Rome')`)
		res, err := runRefused(t, tgt, db, runOptions(t))
		require.ErrorIs(t, err, bootstrap.ErrRefused)
		require.Equal(t, bootstrap.StateUnknown, res.Detection.State)
		require.Equal(t, legacy.ShapeS0, res.Detection.Shape)
	})
}

// TestRunVersionTableAloneRefused: our version table with rows but no
// TimeTracker table is unknown: refused, unchanged.
func TestRunVersionTableAloneRefused(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		db := testdb.Open(t, tgt)
		runExec(t, db, "CREATE TABLE timetracker_migrations (id VARCHAR(255) NOT NULL)")
		runExec(t, db, "INSERT INTO timetracker_migrations VALUES ('202509030000_baseline')")
		res, err := runRefused(t, tgt, db, runOptions(t))
		require.ErrorIs(t, err, bootstrap.ErrRefused)
		require.Equal(t, bootstrap.StateUnknown, res.Detection.State)
	})
}

// TestRunWarnsAboutSeveralSettingsRows: the settings singleton is not
// enforced by the database; extra rows are reported, never deleted.
func TestRunWarnsAboutSeveralSettingsRows(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		opts := runOptions(t)
		db := runCreate(t, tgt, opts)
		runExec(t, db, "INSERT INTO settings (timezone) VALUES ('UTC')")
		var logs strings.Builder
		opts.Logger = slog.New(slog.NewTextHandler(&logs, nil))
		_, err := runDo(t, tgt, opts)
		require.NoError(t, err)
		require.Contains(t, logs.String(), "settings has more than one row")
		require.Equal(t, int64(2), runCount(t, db, "SELECT count(*) FROM settings"))
	})
}
