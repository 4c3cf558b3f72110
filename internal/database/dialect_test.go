package database_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"

	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/schema"
)

// renamed is a real SQLite connection that calls itself another dialect.
type renamed struct{ gorm.Dialector }

func (renamed) Name() string { return "mysql" }

// TestUnknownDialect: a dialect other than PostgreSQL and SQLite is refused
// with ErrUnknownDialect, never treated as one of them.
func TestUnknownDialect(t *testing.T) {
	ctx := context.Background()
	_, err := database.Open(ctx, database.Options{Dialect: "mysql", DSN: filepath.Join(t.TempDir(), "x.db")})
	require.ErrorIs(t, err, database.ErrUnknownDialect)
	require.ErrorIs(t, err, database.ErrRejected)

	g, err := gorm.Open(renamed{sqlite.Open(filepath.Join(t.TempDir(), "y.db"))}, &gorm.Config{})
	require.NoError(t, err)
	require.NoError(t, g.Exec(`CREATE TABLE t (v INTEGER)`).Error)
	require.Equal(t, database.Dialect("mysql"), database.DialectOf(g))

	_, err = database.ListTables(ctx, g)
	require.ErrorIs(t, err, database.ErrUnknownDialect)
	_, err = database.Introspect(ctx, g)
	require.ErrorIs(t, err, database.ErrUnknownDialect)
	_, err = database.HasColumn(ctx, g, "t", "v")
	require.ErrorIs(t, err, database.ErrUnknownDialect)
	_, err = database.NewStager(ctx, g)
	require.ErrorIs(t, err, database.ErrUnknownDialect)
	require.PanicsWithError(t, `unknown database dialect "mysql"`, func() {
		database.ColumnType(g, schema.Type{Kind: schema.Integer})
	})
}
