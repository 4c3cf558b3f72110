package database_test

import (
	"context"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/schema"
	"github.com/timetracker/timetracker/internal/testdb"
)

// TestIntrospectWith: the reads return each present table's values as text
// (NULL as ""), nil for an absent table, and the schema equals Introspect's,
// outside and inside a transaction, on both dialects.
func TestIntrospectWith(t *testing.T) {
	ctx := context.Background()
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		db := testdb.Open(t, tgt)
		require.NoError(t, database.Exec(db.Gorm,
			`CREATE TABLE parent (id INTEGER PRIMARY KEY, name VARCHAR(20) NOT NULL DEFAULT 'x')`,
			`CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id) ON DELETE CASCADE, note TEXT)`,
			`CREATE UNIQUE INDEX ix_child_note ON child (note) WHERE note IS NOT NULL`,
			`INSERT INTO parent (id, name) VALUES (1, 'a'), (2, 'b')`,
			`INSERT INTO child (id, parent_id, note) VALUES (1, 1, NULL), (2, 2, 'n')`))
		reads := []database.TableRead{{Table: "child", Column: "note"}, {Table: "absent", Column: "v"}, {Table: "parent", Column: "id"}}
		want, err := database.Introspect(ctx, db.Gorm)
		require.NoError(t, err)
		require.Len(t, want.Tables, 2)

		check := func(t *testing.T, g *gorm.DB) {
			s, vals, err := database.IntrospectWith(ctx, g, reads...)
			require.NoError(t, err)
			require.Equal(t, want, s)
			require.Len(t, vals, 3)
			slices.Sort(vals[0])
			require.Equal(t, []string{"", "n"}, vals[0])
			require.Nil(t, vals[1], "an absent table reads as nil")
			slices.Sort(vals[2])
			require.Equal(t, []string{"1", "2"}, vals[2])
		}
		t.Run("autocommit", func(t *testing.T) { check(t, db.Gorm) })
		t.Run("transaction", func(t *testing.T) {
			require.NoError(t, db.Gorm.Transaction(func(tx *gorm.DB) error {
				check(t, tx)
				return nil
			}))
		})

		// Nothing to read: the schema alone, no statement over no tables.
		s, vals, err := database.IntrospectWith(ctx, db.Gorm, database.TableRead{Table: "absent", Column: "v"})
		require.NoError(t, err)
		require.Equal(t, want, s)
		require.Equal(t, [][]string{nil}, vals)

		child := want.Tables[slices.IndexFunc(want.Tables, func(t schema.Table) bool { return t.Name == "child" })]
		require.Len(t, child.ForeignKeys, 1)
		require.Equal(t, "CASCADE", child.ForeignKeys[0].OnDelete)
		require.Len(t, child.Indexes, 1)
		require.True(t, child.Indexes[0].Unique)
		require.NotEmpty(t, child.Indexes[0].Where)
	})
}
