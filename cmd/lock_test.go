package cmd

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/testdb"
)

// TestFastPathTakesNoLock: with the migration lock held by someone else, a
// bootstrap of an up-to-date database still succeeds at once, because the
// no-op path never asks for the lock; one with work to do times out.
func TestFastPathTakesNoLock(t *testing.T) {
	bin := procBuild(t)
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		args := []string{"bootstrap", "--database-url", tgt.URL, "--lock-timeout", "1s", "--backup-dir", t.TempDir()}
		r := bin.run(t, time.Minute, args...)
		require.Equal(t, 0, r.code, r.String())

		var release func()
		if tgt.Dialect == database.Postgres {
			_, release = procHoldLock(t, tgt)
		} else {
			db := testdb.Open(t, tgt)
			unlock, err := db.Lock(context.Background(), database.LockOptions{Timeout: time.Second})
			require.NoError(t, err)
			release = func() { _ = unlock() }
		}
		defer release()

		r = bin.run(t, time.Minute, args...)
		require.Equal(t, 0, r.code, "the fast path must not wait for the lock: %s", r)
		require.NotContains(t, r.stderr, "Waiting for the migration lock")

		// With work pending, the same lock makes it wait, then time out.
		isolate(t)
		d := run(t, "db", "downgrade", "--to", "202509100004_add_task_activities", "--yes", "--lock-mode", "none", "--database-url", tgt.URL, "--backup-dir", t.TempDir())
		require.Equal(t, 0, d.code, d.stderr)
		r = bin.run(t, time.Minute, args...)
		require.Equal(t, ExitLockTimeout, r.code, r.String())
	})
}

// TestLoginRefusedFailsFast: a role the server refuses (here NOLOGIN; a
// wrong password is refused with the same SQLSTATE class 28) fails at
// once with exit 3 and no retry, whatever the wait settings.
func TestLoginRefusedFailsFast(t *testing.T) {
	bin := procBuild(t)
	tgt := testdb.NewPostgres(t)
	admin := testdb.Open(t, tgt)
	role := "tt_nologin_" + strings.TrimPrefix(tgt.Name, "tt_test_")
	require.NoError(t, admin.Gorm.Exec("CREATE ROLE "+role+" NOLOGIN").Error)
	t.Cleanup(func() { admin.Gorm.Exec("DROP ROLE IF EXISTS " + role) })
	u, err := url.Parse(tgt.URL)
	require.NoError(t, err)
	u.User = url.UserPassword(role, "wrong-Secret-9")
	r := bin.run(t, time.Minute, "bootstrap", "--database-url", u.String(), "--wait-timeout", "30s", "--wait-interval", "1s")
	require.Equal(t, ExitUnreachable, r.code, r.String())
	require.Less(t, r.elapsed, 10*time.Second)
	require.NotContains(t, r.stderr, "retrying")
	require.Contains(t, r.stderr, "not permitted to log in")
	require.NotContains(t, r.stderr, "wrong-Secret-9")
}
