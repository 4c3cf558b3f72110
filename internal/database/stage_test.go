package database_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/testdb"
)

// TestShiftFromUTC compares the SQL shift with Go's zone database for
// moments around both DST changes of two zones.
func TestShiftFromUTC(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		db := testdb.Open(t, tgt)
		ctx := context.Background()
		for _, zone := range []string{"Europe/Brussels", "America/New_York", "Asia/Kolkata"} {
			loc, err := time.LoadLocation(zone)
			require.NoError(t, err)
			from := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
			to := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			err = db.Gorm.Transaction(func(tx *gorm.DB) error {
				st, err := database.NewStager(ctx, tx)
				require.NoError(t, err)
				for _, u := range []time.Time{
					time.Date(2025, 3, 30, 0, 59, 59, 0, time.UTC), time.Date(2025, 3, 30, 1, 0, 0, 0, time.UTC),
					time.Date(2025, 10, 26, 0, 59, 59, 0, time.UTC), time.Date(2025, 10, 26, 1, 0, 0, 0, time.UTC),
					time.Date(2025, 3, 9, 6, 59, 0, 0, time.UTC), time.Date(2025, 3, 9, 7, 0, 0, 0, time.UTC),
					time.Date(2025, 11, 2, 6, 0, 0, 0, time.UTC), time.Date(2024, 7, 1, 12, 0, 0, 0, time.UTC),
				} {
					lit := "'" + u.Format("2006-01-02 15:04:05") + "'"
					if tgt.Dialect == database.Postgres {
						lit = "CAST(" + lit + " AS TIMESTAMP)"
					}
					var got string
					require.NoError(t, tx.Raw("SELECT CAST("+st.ShiftFromUTC(lit, loc, from, to)+" AS TEXT)").Scan(&got).Error)
					require.Equal(t, u.In(loc).Format("2006-01-02 15:04:05"), got, "%s in %s", u, zone)
				}
				return gorm.ErrInvalidTransaction // roll back the staging schema
			})
			require.ErrorIs(t, err, gorm.ErrInvalidTransaction)
		}
	})
}
