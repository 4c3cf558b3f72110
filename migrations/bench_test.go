package migrations_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

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

// BenchmarkCurrentRatio times Current on a 10-step and a 1,000-step history
// alternately, call by call, so that the load of a shared machine falls on
// both alike, and reports the median of each and their ratio (target:
// 1000/10 <= 1.2).
func BenchmarkCurrentRatio(b *testing.B) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		b.Run(dialect, func(b *testing.B) {
			ctx := context.Background()
			var ms []*migrations.Migrator
			for _, n := range []int{10, 1000} {
				var tgt testdb.Target
				if dialect == "sqlite" {
					tgt = testdb.NewSQLite(b)
				} else {
					tgt = testdb.NewPostgres(b)
				}
				db := testdb.Open(b, tgt)
				m := migrations.New(db.Gorm, syntheticSteps(n-len(migrations.Steps())), migrations.Options{})
				if err := m.InitFresh(ctx, migrations.CreateFromModels); err != nil {
					b.Fatal(err)
				}
				ms = append(ms, m)
			}
			times := [2][]time.Duration{}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				for j, m := range ms {
					start := time.Now()
					st, err := m.Current(ctx)
					times[j] = append(times[j], time.Since(start))
					if err != nil || !st.AtHead() {
						b.Fatalf("current: %v, at head %v", err, st.AtHead())
					}
				}
			}
			b.StopTimer()
			med := func(d []time.Duration) float64 {
				slices.Sort(d)
				return float64(d[len(d)/2].Nanoseconds())
			}
			m10, m1000 := med(times[0]), med(times[1])
			b.ReportMetric(m10, "ns/current@10")
			b.ReportMetric(m1000, "ns/current@1000")
			b.ReportMetric(m1000/m10, "ratio")
		})
	}
}
