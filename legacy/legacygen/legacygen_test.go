package legacygen_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/legacy/legacygen"
	"github.com/timetracker/timetracker/migrations"
)

// TestScriptIsReproducible: a seed always gives the same script, and
// different seeds give different ones.
func TestScriptIsReproducible(t *testing.T) {
	s, err := migrations.BaselineSchema()
	require.NoError(t, err)
	for _, d := range []database.Dialect{database.Postgres, database.SQLite} {
		a, err := legacygen.Script(s, d, 42)
		require.NoError(t, err)
		b, err := legacygen.Script(s, d, 42)
		require.NoError(t, err)
		require.Equal(t, a, b, "seed 42 on %s", d)
		c, err := legacygen.Script(s, d, 43)
		require.NoError(t, err)
		require.NotEqual(t, a, c)
		require.Contains(t, a, "INSERT INTO projects")
		require.Equal(t, d == database.Postgres, strings.Contains(a, "setval("), "sequences are set on PostgreSQL only")
	}
}
