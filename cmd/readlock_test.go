package cmd

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/testdb"
)

// Detection reads are bounded: while another session holds an ACCESS
// EXCLUSIVE lock on settings, bootstrap says what it waits for and whom,
// then gives up after lock-timeout with exit 6 and one line, changing
// nothing.
func TestDetectionWaitIsBoundedAndNamed(t *testing.T) {
	isolate(t)
	tgt := testdb.NewPostgres(t)
	r := run(t, "bootstrap", "--database-url", tgt.URL)
	require.Equal(t, ExitOK, r.code, r.stderr)

	db, err := database.Open(context.Background(), tgt.Options())
	require.NoError(t, err)
	defer db.Close()
	sqlDB, err := db.Gorm.DB()
	require.NoError(t, err)
	ctx := context.Background()
	tx, err := sqlDB.BeginTx(ctx, nil)
	require.NoError(t, err)
	defer tx.Rollback() //nolint:errcheck // ends the holder's lock
	var pid int
	require.NoError(t, tx.QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&pid))
	_, err = tx.ExecContext(ctx, "LOCK TABLE settings IN ACCESS EXCLUSIVE MODE")
	require.NoError(t, err)

	// The test's own bound, so a regression fails instead of hanging.
	rctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	ios, out, errOut := Test()
	code := Execute(rctx, ios, "test-version", []string{"bootstrap", "--database-url", tgt.URL, "--lock-timeout", "2s"})
	stderr := errOut.String()
	require.Equal(t, ExitLockTimeout, code, stderr)
	require.Empty(t, out.String())
	require.Contains(t, stderr, fmt.Sprintf("Waiting for a lock on table settings held by pid %d", pid))
	last := lastLine(stderr)
	require.Contains(t, last, fmt.Sprintf("table settings held by pid %d", pid), last)
	require.Contains(t, last, "nothing was changed", last)
	require.Contains(t, last, "--lock-timeout", last)
	require.NotContains(t, last, "(after", last)
	// The statement that gave up was cancelled on the server: no backend of
	// this database is left queued behind the holder.
	var waiting int
	require.NoError(t, tx.QueryRowContext(ctx, `SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
		WHERE NOT l.granted AND a.datname = current_database()`).Scan(&waiting))
	require.Zero(t, waiting, "a backend still waits for the lock")

	ios, _, errOut = Test()
	code = Execute(rctx, ios, "test-version", []string{"db", "status", "--database-url", tgt.URL, "--lock-timeout", "1s"})
	require.Equal(t, ExitLockTimeout, code, errOut.String())
	require.Contains(t, lastLine(errOut.String()), fmt.Sprintf("table settings held by pid %d", pid))
}
