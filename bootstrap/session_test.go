package bootstrap_test

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/timetracker/timetracker/bootstrap"
	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/testdb"
	"github.com/timetracker/timetracker/migrations"
)

// The behaviour of each db command, through the Session it calls and
// without cobra, on both dialects.

// sessOpen opens the target as the factory does and closes what it opened
// when the test ends.
func sessOpen(t *testing.T, tgt testdb.Target) bootstrap.OpenFunc {
	return func(ctx context.Context, readOnly bool) (*database.DB, error) {
		o := tgt.Options()
		o.ReadOnly = readOnly
		db, err := database.Open(ctx, o)
		if err == nil {
			t.Cleanup(func() { db.Close() })
		}
		return db, err
	}
}

func sessOptions(t *testing.T) bootstrap.Options {
	return bootstrap.Options{
		Version:     runVersion,
		Target:      "test database",
		LockMode:    bootstrap.LockAdvisory,
		LockTimeout: 10 * time.Second,
		BackupDir:   filepath.Join(t.TempDir(), "backups"),
		BackupKeep:  10,
	}
}

func sessCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// sessInit brings the target to head with db init's function.
func sessInit(t *testing.T, tgt testdb.Target, opts bootstrap.Options) {
	t.Helper()
	head, err := bootstrap.NewSession(sessOpen(t, tgt), opts).Init(sessCtx(t))
	require.NoError(t, err)
	require.Equal(t, migrations.Head(migrations.Steps()), head)
}

func sessBackups(t *testing.T, dir string) []bootstrap.Manifest {
	t.Helper()
	list, err := bootstrap.ListBackups(dir)
	require.NoError(t, err)
	return list
}

func TestParseLockMode(t *testing.T) {
	for _, s := range []string{"advisory", "lease", "none"} {
		m, err := bootstrap.ParseLockMode(s)
		require.NoError(t, err)
		require.Equal(t, s, string(m))
	}
	_, err := bootstrap.ParseLockMode("flock")
	require.ErrorIs(t, err, bootstrap.ErrLockMode)
	require.ErrorContains(t, err, `"flock"`)
}

func TestSessionInspect(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		opts := sessOptions(t)
		ins, err := bootstrap.NewSession(sessOpen(t, tgt), opts).Inspect(sessCtx(t))
		require.NoError(t, err)
		require.Equal(t, bootstrap.StateFresh, ins.Detection.State)
		require.Equal(t, bootstrap.StrategyCreate, ins.Detection.Strategy)
		require.Nil(t, ins.Verify, "only a migrated database is verified")
		require.ErrorIs(t, ins.Ready(), bootstrap.ErrNotReady)

		sessInit(t, tgt, opts)
		ins, err = bootstrap.NewSession(sessOpen(t, tgt), opts).Inspect(sessCtx(t))
		require.NoError(t, err)
		require.Equal(t, bootstrap.StateMigrated, ins.Detection.State)
		require.NotNil(t, ins.Verify)
		require.True(t, ins.Verify.OK(), ins.Verify.Problems)
		require.NoError(t, ins.Ready())

		// A step a later release added: newer, still ready (it holds every
		// step this program knows), and Verify names the unknown step.
		db := testdb.Open(t, tgt)
		runExec(t, db, "INSERT INTO "+migrations.TableName+" (id) VALUES (?)", "299901010000_later")
		ins, err = bootstrap.NewSession(sessOpen(t, tgt), opts).Inspect(sessCtx(t))
		require.NoError(t, err)
		require.Equal(t, bootstrap.StateNewer, ins.Detection.State)
		require.NoError(t, ins.Ready())
		rep, err := bootstrap.NewSession(sessOpen(t, tgt), opts).Verify(sessCtx(t))
		require.NoError(t, err)
		require.ErrorIs(t, rep.Err(), bootstrap.ErrVerifyFailed)
		require.Contains(t, rep.Problems, "step 299901010000_later is unknown to this program (the database is newer)")

		// Half way: behind, not ready.
		runExec(t, db, "DELETE FROM "+migrations.TableName+" WHERE id = ?", "299901010000_later")
		runDowngradeTo(t, db, runDowngrade)
		ins, err = bootstrap.NewSession(sessOpen(t, tgt), opts).Inspect(sessCtx(t))
		require.NoError(t, err)
		require.Equal(t, bootstrap.StateBehind, ins.Detection.State)
		require.NotEmpty(t, ins.Detection.Pending)
		require.ErrorIs(t, ins.Ready(), bootstrap.ErrNotReady)
	})
}

func TestSessionLock(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		opts := sessOptions(t)
		sessInit(t, tgt, opts)
		ctx := sessCtx(t)
		for _, mode := range []bootstrap.LockMode{bootstrap.LockAdvisory, bootstrap.LockLease} {
			t.Run(string(mode), func(t *testing.T) {
				o := opts
				o.LockMode = mode
				unlock, err := bootstrap.NewSession(sessOpen(t, tgt), o).Lock(ctx)
				require.NoError(t, err)
				o.LockTimeout = 300 * time.Millisecond
				second := bootstrap.NewSession(sessOpen(t, tgt), o)
				_, err = second.Lock(ctx)
				require.ErrorIs(t, err, database.ErrLockTimeout, "a second session waits lock-timeout, then gives up")
				// A change behind the lock is refused without a backup.
				_, err = second.Upgrade(ctx, "", false, nil)
				require.ErrorIs(t, err, database.ErrLockTimeout)
				runDirAbsent(t, o.BackupDir)

				require.NoError(t, unlock())
				unlock2, err := second.Lock(ctx)
				require.NoError(t, err, "free once released")
				require.NoError(t, unlock2())
			})
		}
		t.Run("none", func(t *testing.T) {
			unlock, err := bootstrap.NewSession(sessOpen(t, tgt), opts).Lock(ctx)
			require.NoError(t, err)
			defer unlock()
			o := opts
			o.LockMode, o.LockTimeout = bootstrap.LockNone, 300*time.Millisecond
			unlock2, err := bootstrap.NewSession(sessOpen(t, tgt), o).Lock(ctx)
			require.NoError(t, err, "lock-mode none takes no lock")
			require.NoError(t, unlock2())
		})
	})
}

func TestSessionBackupBeforeChangeAndSettle(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		opts := sessOptions(t)
		sessInit(t, tgt, opts)
		ctx := sessCtx(t)
		s := bootstrap.NewSession(sessOpen(t, tgt), opts)
		m, err := s.BackupBeforeChange(ctx, bootstrap.ChangeBackup{State: "behind", VersionBefore: "v1"})
		require.NoError(t, err)
		require.NotNil(t, m)
		require.FileExists(t, m.Location)
		list := sessBackups(t, opts.BackupDir)
		require.Len(t, list, 1)
		require.Equal(t, bootstrap.OutcomePending, list[0].Outcome)
		require.Equal(t, "behind", list[0].State)
		require.Equal(t, "v1", list[0].VersionBefore)
		s.Settle(ctx, m, nil)
		require.Equal(t, bootstrap.OutcomeSucceeded, sessBackups(t, opts.BackupDir)[0].Outcome)

		// A failed change that left the database as it was: unchanged.
		testdb.WaitOlderTransactions(t, testdb.Open(t, tgt))
		m, err = s.BackupBeforeChange(ctx, bootstrap.ChangeBackup{State: "downgrade"})
		require.NoError(t, err)
		s.Settle(ctx, m, context.Canceled)
		got := map[string]string{}
		for _, b := range sessBackups(t, opts.BackupDir) {
			got[b.Location] = b.Outcome
		}
		require.Equal(t, bootstrap.OutcomeUnchanged, got[m.Location])

		// A backup directory that cannot be created: refused, unless
		// allow-no-backup lets the change go on without one.
		file := filepath.Join(t.TempDir(), "file")
		require.NoError(t, os.WriteFile(file, nil, 0o600))
		o := opts
		o.BackupDir = filepath.Join(file, "backups")
		_, err = bootstrap.NewSession(sessOpen(t, tgt), o).BackupBeforeChange(ctx, bootstrap.ChangeBackup{State: "behind"})
		require.ErrorIs(t, err, bootstrap.ErrBackupFailed)
		o.AllowNoBackup = true
		m, err = bootstrap.NewSession(sessOpen(t, tgt), o).BackupBeforeChange(ctx, bootstrap.ChangeBackup{State: "behind"})
		require.NoError(t, err)
		require.Nil(t, m)
	})
}

func TestSessionUpgrade(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		opts := sessOptions(t)
		sessInit(t, tgt, opts)
		db := testdb.Open(t, tgt)
		runDowngradeTo(t, db, runDowngrade)
		ctx := sessCtx(t)
		steps := migrations.Steps()
		pending := migrations.IDs(steps)[migrations.Index(steps, runDowngrade)+1:]
		require.NotEmpty(t, pending)
		before := runDumpAll(t, db)

		// An unknown step ID is refused before anything, the backup included.
		_, err := bootstrap.NewSession(sessOpen(t, tgt), opts).Upgrade(ctx, "299901010000_typo", false, nil)
		require.ErrorIs(t, err, migrations.ErrUnknownStep)
		require.ErrorContains(t, err, "nothing was changed")
		runDirAbsent(t, opts.BackupDir)

		// A dry run lists the steps and changes nothing.
		res, err := bootstrap.NewSession(sessOpen(t, tgt), opts).Upgrade(ctx, "", true, nil)
		require.NoError(t, err)
		require.Equal(t, pending, stepIDs(res.Applied))
		require.Equal(t, before, runDumpAll(t, db))
		runDirAbsent(t, opts.BackupDir)

		// --to stops after that step, having backed up first.
		var seen []string
		res, err = bootstrap.NewSession(sessOpen(t, tgt), opts).Upgrade(ctx, pending[0], false, func(r migrations.StepResult) { seen = append(seen, r.ID) })
		require.NoError(t, err)
		require.Equal(t, pending[:1], stepIDs(res.Applied))
		require.Equal(t, pending[:1], seen)
		list := sessBackups(t, opts.BackupDir)
		require.Len(t, list, 1)
		require.Equal(t, "behind", list[0].State)
		require.Equal(t, runDowngrade, list[0].VersionBefore)
		require.Equal(t, bootstrap.OutcomeSucceeded, list[0].Outcome)

		res, err = bootstrap.NewSession(sessOpen(t, tgt), opts).Upgrade(ctx, "", false, nil)
		require.NoError(t, err)
		require.Equal(t, pending[1:], stepIDs(res.Applied))
		runAtHead(t, db)

		// At head: nothing applied, no backup, and the status says where.
		res, err = bootstrap.NewSession(sessOpen(t, tgt), opts).Upgrade(ctx, "", false, nil)
		require.NoError(t, err)
		require.Empty(t, res.Applied)
		require.True(t, res.Status.AtHead())
		require.Len(t, sessBackups(t, opts.BackupDir), 2)
	})
}

func stepIDs(rs []migrations.StepResult) []string {
	ids := make([]string, len(rs))
	for i, r := range rs {
		ids[i] = r.ID
	}
	return ids
}

func TestSessionDowngrade(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		opts := sessOptions(t)
		sessInit(t, tgt, opts)
		db := testdb.Open(t, tgt)
		ctx := sessCtx(t)

		// Refused before any backup: an unknown step, and a newer database.
		_, err := bootstrap.NewSession(sessOpen(t, tgt), opts).Downgrade(ctx, "nope", nil)
		require.ErrorIs(t, err, migrations.ErrUnknownStep)
		runExec(t, db, "INSERT INTO "+migrations.TableName+" (id) VALUES (?)", "299901010000_later")
		before := runDumpAll(t, db)
		_, err = bootstrap.NewSession(sessOpen(t, tgt), opts).Downgrade(ctx, runDowngrade, nil)
		require.ErrorIs(t, err, migrations.ErrDatabaseAhead)
		require.ErrorContains(t, err, "nothing was changed")
		require.Equal(t, before, runDumpAll(t, db))
		runDirAbsent(t, opts.BackupDir)
		runExec(t, db, "DELETE FROM "+migrations.TableName+" WHERE id = ?", "299901010000_later")

		var seen []string
		res, err := bootstrap.NewSession(sessOpen(t, tgt), opts).Downgrade(ctx, runDowngrade, func(r migrations.StepResult) { seen = append(seen, r.ID) })
		require.NoError(t, err)
		require.NotEmpty(t, res)
		require.Equal(t, stepIDs(res), seen)
		st, err := bootstrap.NewSession(sessOpen(t, tgt), opts).Current(ctx)
		require.NoError(t, err)
		require.Equal(t, runDowngrade, st.Current)
		list := sessBackups(t, opts.BackupDir)
		require.Len(t, list, 1)
		require.Equal(t, "downgrade", list[0].State)
		require.Equal(t, bootstrap.OutcomeSucceeded, list[0].Outcome)

		// Nothing left to roll back: no backup either.
		res, err = bootstrap.NewSession(sessOpen(t, tgt), opts).Downgrade(ctx, runDowngrade, nil)
		require.NoError(t, err)
		require.Empty(t, res)
		require.Len(t, sessBackups(t, opts.BackupDir), 1)
	})
}

func TestSessionRestore(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		opts := sessOptions(t)
		sessInit(t, tgt, opts)
		db := testdb.Open(t, tgt)
		ctx := sessCtx(t)
		runExec(t, db, "INSERT INTO users (username, role, is_active, created_at) VALUES ('carol', 'user', ?, ?)", true, time.Now().UTC())
		before := runDumpAll(t, db)
		m, err := bootstrap.NewSession(sessOpen(t, tgt), opts).Backup(ctx)
		require.NoError(t, err)
		require.Equal(t, "manual", m.State)

		// A backup of the other dialect is the wrong argument: refused,
		// nothing backed up or changed.
		other := filepath.Join(t.TempDir(), "other.bak")
		head := "SQLite format 3\x00"
		if tgt.Dialect == database.SQLite {
			head = "PGDMP"
		}
		require.NoError(t, os.WriteFile(other, []byte(head+"................"), 0o600))
		_, err = bootstrap.NewSession(sessOpen(t, tgt), opts).Restore(ctx, other, nil)
		require.ErrorIs(t, err, bootstrap.ErrBackupArgument)
		require.ErrorContains(t, err, "nothing was changed")
		_, err = bootstrap.NewSession(sessOpen(t, tgt), opts).Restore(ctx, "no-such-backup", nil)
		require.ErrorIs(t, err, bootstrap.ErrBackupArgument)
		require.Len(t, sessBackups(t, opts.BackupDir), 1)

		// Round trip: change, restore, the same contents again.
		runExec(t, db, "DELETE FROM users WHERE username = 'carol'")
		runDowngradeTo(t, db, runDowngrade)
		db.Close()
		reopen := func(ctx context.Context) (*database.DB, error) {
			o := tgt.Options()
			o.ReadOnly = true
			return database.Open(ctx, o)
		}
		res, err := bootstrap.NewSession(sessOpen(t, tgt), opts).Restore(ctx, filepath.Base(m.Location), reopen)
		require.NoError(t, err)
		require.Equal(t, m.Location, res.Location)
		require.True(t, res.Status.AtHead())
		require.Equal(t, m.Rows["users"], res.Rows["users"])
		require.Equal(t, before, runDumpAll(t, testdb.Open(t, tgt)))

		// The state it replaced was backed up first, and that change settled.
		var pre []bootstrap.Manifest
		for _, b := range sessBackups(t, opts.BackupDir) {
			if b.State == "before-restore" {
				pre = append(pre, b)
			}
		}
		require.Len(t, pre, 1)
		require.Equal(t, runDowngrade, pre[0].VersionBefore)
		require.Equal(t, bootstrap.OutcomeSucceeded, pre[0].Outcome)
	})
}

func TestSessionCurrentAndHistory(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		opts := sessOptions(t)
		ctx := sessCtx(t)
		st, err := bootstrap.NewSession(sessOpen(t, tgt), opts).Current(ctx)
		require.NoError(t, err)
		require.False(t, st.Initialised)
		require.Empty(t, st.Current)

		sessInit(t, tgt, opts)
		st, err = bootstrap.NewSession(sessOpen(t, tgt), opts).Current(ctx)
		require.NoError(t, err)
		require.True(t, st.AtHead())
		require.Equal(t, migrations.Head(migrations.Steps()), st.Current)

		runDowngradeTo(t, testdb.Open(t, tgt), runDowngrade)
		h, err := bootstrap.NewSession(sessOpen(t, tgt), opts).History(ctx)
		require.NoError(t, err)
		require.Len(t, h.Steps, len(migrations.Steps()))
		i := migrations.Index(migrations.Steps(), runDowngrade)
		for j, ss := range h.Steps {
			require.Equal(t, j <= i, ss.Applied, ss.ID)
			require.NotNil(t, ss.Last, ss.ID)
		}
		require.Equal(t, "rolled_back", h.Steps[i+1].Last.Kind)
	})
}

func TestBackupsListsOrphans(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		opts := sessOptions(t)
		sessInit(t, tgt, opts)
		m, err := bootstrap.NewSession(sessOpen(t, tgt), opts).Backup(sessCtx(t))
		require.NoError(t, err)
		stray := filepath.Join(opts.BackupDir, "timetracker-stray.db")
		require.NoError(t, os.WriteFile(stray, []byte("x"), 0o600))
		list, err := bootstrap.Backups(opts.BackupDir)
		require.NoError(t, err)
		require.Len(t, list, 2)
		require.Equal(t, m.Location, list[0].Location)
		require.Equal(t, bootstrap.KindOrphan, list[1].Kind)
		require.Equal(t, stray, list[1].Location)
	})
}

func TestSessionInit(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		opts := sessOptions(t)
		ctx := sessCtx(t)
		// Under the lock: a second instance holding it makes init wait, then give up.
		held := bootstrap.NewSession(sessOpen(t, tgt), opts)
		unlock, err := held.Lock(ctx)
		require.NoError(t, err)
		o := opts
		o.LockTimeout = 300 * time.Millisecond
		_, err = bootstrap.NewSession(sessOpen(t, tgt), o).Init(ctx)
		require.ErrorIs(t, err, database.ErrLockTimeout)
		require.NoError(t, unlock())

		sessInit(t, tgt, opts)
		db := testdb.Open(t, tgt)
		runAtHead(t, db)
		before := runDumpAll(t, db)
		_, err = bootstrap.NewSession(sessOpen(t, tgt), opts).Init(ctx)
		require.ErrorIs(t, err, migrations.ErrNotEmpty)
		require.ErrorContains(t, err, "init: ")
		require.Equal(t, before, runDumpAll(t, db))
	})
}

// TestSessionLockBehindTransactionPooling: advisory mode through PgBouncer
// in transaction pooling takes the lease lock instead, saying so, as Run
// does (one implementation), and it still keeps a second session out.
func TestSessionLockBehindTransactionPooling(t *testing.T) {
	tgt := testdb.StartPgBouncer(t, "transaction").Target(t, testdb.NewPostgres(t))
	opts := sessOptions(t)
	var logged strings.Builder
	opts.Logger = slog.New(slog.NewTextHandler(&logged, nil))
	ctx := sessCtx(t)
	unlock, err := bootstrap.NewSession(sessOpen(t, tgt), opts).Lock(ctx)
	require.NoError(t, err)
	require.Contains(t, logged.String(), "using the lease lock instead")
	o := opts
	o.LockTimeout, o.Logger = 300*time.Millisecond, nil
	_, err = bootstrap.NewSession(sessOpen(t, tgt), o).Lock(ctx)
	require.ErrorIs(t, err, database.ErrLockTimeout)
	require.NoError(t, unlock())
}
