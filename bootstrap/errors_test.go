package bootstrap_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/timetracker/timetracker/bootstrap"
)

// The error line says what happened, whether anything changed and where
// the backup is, without phase lists or Go context jargon.
func TestPartialErrorLine(t *testing.T) {
	tests := []struct {
		err  *bootstrap.PartialError
		want string
	}{
		{&bootstrap.PartialError{Done: []bootstrap.Phase{bootstrap.PhaseWait, bootstrap.PhaseDetect}, Failed: bootstrap.PhaseLock, Err: context.Canceled},
			"interrupted by a signal while waiting for the migration lock; nothing was changed"},
		{&bootstrap.PartialError{Done: []bootstrap.Phase{bootstrap.PhaseWait, bootstrap.PhaseDetect, bootstrap.PhaseLock, bootstrap.PhaseDetect, bootstrap.PhaseBackup},
			Failed: bootstrap.PhaseMigrate, Err: fmt.Errorf("step 202509100011_add_user_preferred_language: disk full"),
			Changes: []string{"applied 202509100010_enforce_single_active_timer"}, Backup: "/data/backups/timetracker-1.pgdump"},
			"migration failed: step 202509100011_add_user_preferred_language: disk full; kept: applied 202509100010_enforce_single_active_timer; the step in progress was rolled back; backup taken before the change: /data/backups/timetracker-1.pgdump"},
		{&bootstrap.PartialError{Failed: bootstrap.PhaseBackup, Err: fmt.Errorf("%w: no space left on device", bootstrap.ErrBackupFailed)},
			"backup failed: no space left on device; nothing was changed"},
		{&bootstrap.PartialError{Err: fmt.Errorf("%w: admin username too long", bootstrap.ErrInvalidSeed)},
			"invalid seed value: admin username too long; nothing was changed"},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, tt.err.Error())
		require.NotContains(t, tt.err.Error(), "(after")
		require.NotContains(t, tt.err.Error(), "context canceled")
	}
}
