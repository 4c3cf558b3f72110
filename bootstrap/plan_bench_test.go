package bootstrap

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/testdb"
	"github.com/timetracker/timetracker/migrations"
)

// BenchmarkPlanVsConvert times `db plan` (Plan) next to the conversion it
// rehearses (what bootstrap runs once it holds the lock and has its
// backup: the conversion, the baseline stamp and the pending steps) on the
// same generated legacy S2 database (bench/convert/s2/gen.*.sql), each on a
// fresh copy, alternating, in one run. It reports both times per
// operation and plan/convert, whose target is at most 1.5. Entries:
// TIMETRACKER_BENCH_ENTRIES (default 20000).
//
//	go test ./bootstrap -run '^$' -bench PlanVsConvert -benchtime 3x
func BenchmarkPlanVsConvert(b *testing.B) {
	n := 20000
	if v := os.Getenv("TIMETRACKER_BENCH_ENTRIES"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 100 {
			b.Fatalf("TIMETRACKER_BENCH_ENTRIES must be a number >= 100, got %q", v)
		}
	}
	b.Run("sqlite", func(b *testing.B) {
		tmpl := testdb.NewSQLite(b)
		benchGenerate(b, tmpl, n)
		raw, err := os.ReadFile(tmpl.DSN)
		if err != nil {
			b.Fatal(err)
		}
		dir := b.TempDir()
		i := 0
		benchCompare(b, func() testdb.Target {
			i++
			path := filepath.Join(dir, fmt.Sprintf("copy%d.db", i))
			if err := os.WriteFile(path, raw, 0o600); err != nil {
				b.Fatal(err)
			}
			return testdb.Target{Dialect: database.SQLite, DSN: path}
		}, func(testdb.Target) {})
	})
	b.Run("postgres", func(b *testing.B) {
		tmpl := testdb.NewPostgres(b)
		benchGenerate(b, tmpl, n)
		server := testdb.ServerURL(b)
		admin := testdb.Open(b, testdb.Target{Dialect: database.Postgres, DSN: server})
		i := 0
		benchCompare(b, func() testdb.Target {
			i++
			name := fmt.Sprintf("%s_c%d", tmpl.Name, i)
			if err := admin.Gorm.Exec("CREATE DATABASE " + name + " TEMPLATE " + tmpl.Name).Error; err != nil {
				b.Fatal(err)
			}
			u, _ := url.Parse(tmpl.DSN)
			u.Path = "/" + name
			return testdb.Target{Dialect: database.Postgres, DSN: u.String(), Name: name}
		}, func(t testdb.Target) {
			if err := admin.Gorm.Exec("DROP DATABASE " + t.Name + " WITH (FORCE)").Error; err != nil {
				b.Error(err)
			}
		})
	})
}

// benchCompare runs plan and conversion on fresh copies, alternating which
// goes first, and reports their times and ratio.
func benchCompare(b *testing.B, fresh func() testdb.Target, drop func(testdb.Target)) {
	ctx := context.Background()
	var planTime, convTime time.Duration
	timed := func(f func(db *database.DB) error) time.Duration {
		t := fresh()
		defer drop(t)
		db, err := database.Open(ctx, t.Options())
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		start := time.Now()
		if err := f(db); err != nil {
			b.Fatal(err)
		}
		return time.Since(start)
	}
	plan := func(db *database.DB) error {
		rep, err := Plan(ctx, db, Options{LockMode: "none"})
		if err == nil && (rep.Strategy != StrategyConvert || rep.Refused != "") {
			err = fmt.Errorf("plan: strategy %s, refused %q", rep.Strategy, rep.Refused)
		}
		return err
	}
	convert := func(db *database.DB) error {
		r := &runner{opts: Options{LockMode: "none"}, log: slog.New(slog.DiscardHandler), steps: migrations.Steps(), db: db}
		if _, det, err := r.detect(ctx); err != nil || det.Strategy != StrategyConvert {
			return fmt.Errorf("detect: %v %v", det.Strategy, err)
		}
		m := migrations.New(db.Gorm, r.steps, migrations.Options{Logger: r.log})
		var res Result
		if err := r.convert(ctx, m, &res); err != nil {
			return err
		}
		return r.applyPending(ctx, m, &res)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%2 == 0 {
			planTime += timed(plan)
			convTime += timed(convert)
		} else {
			convTime += timed(convert)
			planTime += timed(plan)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(planTime.Milliseconds())/float64(b.N), "plan-ms/op")
	b.ReportMetric(float64(convTime.Milliseconds())/float64(b.N), "convert-ms/op")
	b.ReportMetric(planTime.Seconds()/convTime.Seconds(), "plan/convert")
}

// benchGenerate fills the target with bench/convert/s2/gen.<dialect>.sql for
// n time entries (psql meta-commands and VACUUM, which a multi-statement
// string cannot run, dropped).
func benchGenerate(b testing.TB, t testdb.Target, n int) {
	raw, err := os.ReadFile(filepath.Join("..", "bench", "convert", "s2", "gen."+string(t.Dialect)+".sql"))
	if err != nil {
		b.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(raw), "\n") {
		if !strings.HasPrefix(l, `\`) && !strings.HasPrefix(l, "VACUUM") {
			lines = append(lines, l)
		}
	}
	sql := regexp.MustCompile(`:N\b`).ReplaceAllString(strings.Join(lines, "\n"), strconv.Itoa(n))
	db := testdb.Open(b, t)
	sqlDB, err := db.Gorm.DB()
	if err != nil {
		b.Fatal(err)
	}
	if _, err := sqlDB.ExecContext(context.Background(), sql); err != nil {
		b.Fatalf("generate: %v", err)
	}
	if err := db.Close(); err != nil {
		b.Fatal(err)
	}
}
