package bootstrap

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

// A failed upgrade or downgrade says what it left and where the backup is,
// with the command that puts it back.
func TestChangeFailedLine(t *testing.T) {
	cause := errors.New("step 202509100011_add_user_preferred_language: boom")
	b := &Manifest{Location: "/data/backups/timetracker-20261126T101500Z.sqlite"}

	err := changeFailed("upgrade", "applied", cause, 1, b)
	require.ErrorIs(t, err, cause)
	require.Equal(t, "upgrade: step 202509100011_add_user_preferred_language: boom; 1 step(s) applied before the failure, "+
		"the failed step changed nothing; the backup taken before is /data/backups/timetracker-20261126T101500Z.sqlite "+
		"(`timetracker db restore /data/backups/timetracker-20261126T101500Z.sqlite --yes` puts it back)", err.Error())

	err = changeFailed("downgrade", "rolled back", cause, 0, nil)
	require.Equal(t, "downgrade: step 202509100011_add_user_preferred_language: boom; nothing was changed", err.Error())
}
