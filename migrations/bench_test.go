package migrations_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/timetracker/timetracker/internal/testdb"
	"github.com/timetracker/timetracker/migrations"
)

// BenchmarkStatus measures what `db current` (Current) and `db history`
// (History) cost on a database whose history holds 10 or 1,000 steps. The
// query count is fixed; the figure grows only with the rows read.
func BenchmarkStatus(b *testing.B) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		for _, n := range []int{10, 1000} {
			for _, history := range []bool{false, true} {
				name := "current"
				if history {
					name = "history"
				}
				b.Run(fmt.Sprintf("%s/%s/steps=%d", dialect, name, n), func(b *testing.B) {
					var tgt testdb.Target
					if dialect == "sqlite" {
						tgt = testdb.NewSQLite(b)
					} else {
						tgt = testdb.NewPostgres(b)
					}
					db := testdb.Open(b, tgt)
					ctx := context.Background()
					steps := syntheticSteps(n - len(migrations.Steps()))
					m := migrations.New(db.Gorm, steps, migrations.Options{})
					if err := m.InitFresh(ctx, migrations.CreateFromModels); err != nil {
						b.Fatal(err)
					}
					b.ResetTimer()
					for i := 0; i < b.N; i++ {
						read := m.Current
						if history {
							read = m.History
						}
						st, err := read(ctx)
						if err != nil {
							b.Fatal(err)
						}
						if !st.AtHead() || st.AppliedCount() != n {
							b.Fatalf("status: %d applied", st.AppliedCount())
						}
					}
				})
			}
		}
	}
}
