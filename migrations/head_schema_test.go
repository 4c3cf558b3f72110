package migrations_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/timetracker/timetracker/internal/schema"
	"github.com/timetracker/timetracker/migrations"
	"github.com/timetracker/timetracker/models"
)

// The generated head schema is what the models describe; after a model
// changes this fails until `go generate ./migrations` is run.
func TestHeadSchemaMatchesModels(t *testing.T) {
	want, err := schema.FromModels(models.All()...)
	require.NoError(t, err)
	got, err := migrations.HeadSchema()
	require.NoError(t, err)
	require.Equal(t, want, got, "migrations/head_schema.go is stale: run go generate ./migrations")
	// Each call builds its own copy: callers may change what they get.
	got.Tables[0].Columns[0].Name = "changed"
	again, err := migrations.HeadSchema()
	require.NoError(t, err)
	require.Equal(t, want, again)
}
