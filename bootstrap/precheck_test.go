package bootstrap_test

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/timetracker/timetracker/bootstrap"
	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/testdb"
)

// onMessage is a slog handler that runs f once, when a record's message
// starts with prefix: a seam between two phases of a run.
type onMessage struct {
	prefix string
	once   *sync.Once
	f      func()
}

func (h onMessage) Enabled(context.Context, slog.Level) bool { return true }
func (h onMessage) Handle(_ context.Context, r slog.Record) error {
	if strings.HasPrefix(r.Message, h.prefix) {
		h.once.Do(h.f)
	}
	return nil
}
func (h onMessage) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h onMessage) WithGroup(string) slog.Handler      { return h }

// The conversion skips its refusal checks only when nobody wrote since they
// passed before the backup: a row written in between that the rules must
// refuse (an entry whose project is gone) is still refused, and the
// database is left as it was.
func TestConversionRechecksWhatChangedAfterTheBackup(t *testing.T) {
	// An update leaves a new row version; a delete leaves none, only a
	// count that moved.
	writes := map[string]string{
		"update": "UPDATE time_entries SET project_id = 987654 WHERE id = (SELECT min(id) FROM time_entries)",
		"delete": "DELETE FROM projects WHERE id = (SELECT project_id FROM time_entries WHERE id = (SELECT min(id) FROM time_entries))",
	}
	for name, write := range writes {
		t.Run(name, func(t *testing.T) { recheckAfterWrite(t, write) })
	}
}

func recheckAfterWrite(t *testing.T, write string) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		ctx := context.Background()
		tgt = planLoad(t, "s1a", tgt.Dialect)
		other, err := database.Open(ctx, tgt.Options())
		require.NoError(t, err)
		defer other.Close()
		// The fixture's rows must be older than the mark the run takes, or
		// PostgreSQL counts them as written and the checks run anyway.
		testdb.WaitOlderTransactions(t, other)
		var wrote error
		opts := runOptions(t)
		opts.Logger = slog.New(onMessage{prefix: "Backup written", once: &sync.Once{}, f: func() {
			q := write
			if tgt.Dialect == database.Postgres {
				// The fixture's foreign key would stop the update: a
				// replica-role session skips it, as a restore might.
				q = "SET session_replication_role = replica; " + q + "; RESET session_replication_role"
			}
			wrote = other.Gorm.Exec(q).Error
		}})
		_, err = bootstrap.Run(ctx, runOpener(tgt, nil), opts)
		require.NoError(t, wrote)
		require.ErrorIs(t, err, bootstrap.ErrRefused)
		require.Contains(t, err.Error(), "project_id")
		var n int64
		require.NoError(t, other.Gorm.Raw("SELECT count(*) FROM time_entries o WHERE NOT EXISTS (SELECT 1 FROM projects p WHERE p.id = o.project_id)").Scan(&n).Error)
		require.Positive(t, n, "the database is as the other session left it")
	})
}
