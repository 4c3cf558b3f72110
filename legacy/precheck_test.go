package legacy_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/timetracker/timetracker/bootstrap"
	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/testdb"
)

// TestConvertPrecheckFolded: the pre-checks of one table run as one pass;
// every failing check is still named with its own ids, also when so many
// rows fail that the pass falls back to one query per check.
func TestConvertPrecheckFolded(t *testing.T) {
	cases := []struct {
		name    string
		dialect database.Dialect
		fixture string
		break_  string
		want    []string
	}{
		{"two checks", database.SQLite, "s2-create_all",
			`UPDATE time_entries SET project_id = 999 WHERE id IN (1, 2); UPDATE time_entries SET user_id = 999 WHERE id = 3`,
			[]string{"time_entries: project_id is NULL or points at no projects row (ids 1, 2)", "time_entries: user_id is NULL or points at no users row (ids 3)"}},
		{"two checks", database.Postgres, "s2-sql",
			`UPDATE time_entries SET project_id = NULL WHERE id IN (1, 2); UPDATE time_entries SET user_id = NULL WHERE id = 3`,
			[]string{"time_entries: project_id is NULL or points at no projects row (ids 1, 2)", "time_entries: user_id is NULL or points at no users row (ids 3)"}},
		{"many rows", database.SQLite, "s2-create_all",
			`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
				INSERT INTO time_entries (id, user_id, project_id, start_time, source, billable, created_at, updated_at)
				SELECT 1000 + i, 1, 999, '2025-08-28 09:00:00', 'manual', 1, '2025-08-28', '2025-08-28' FROM n;
			UPDATE time_entries SET user_id = 999 WHERE id = 1200`,
			[]string{"time_entries: project_id is NULL or points at no projects row (ids 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 1015, 1016, 1017, 1018, 1019, 1020)",
				"time_entries: user_id is NULL or points at no users row (ids 1200)"}},
	}
	for _, tc := range cases {
		t.Run(tc.name+"."+string(tc.dialect), func(t *testing.T) {
			tgt := loadFixture(t, fixtureNamed(t, tc.fixture, tc.dialect))
			db := testdb.Open(t, tgt)
			require.NoError(t, db.Gorm.Exec(tc.break_).Error)
			before := snapshotAll(t, db.Gorm)
			_, err := runBootstrap(t, tgt)
			require.ErrorIs(t, err, bootstrap.ErrRefused)
			for _, w := range tc.want {
				require.ErrorContains(t, err, w)
			}
			require.Equal(t, before, snapshotAll(t, db.Gorm), "no value changed")
		})
	}
}
