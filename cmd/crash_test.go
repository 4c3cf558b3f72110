package cmd

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/testdb"
)

// crashRows is large enough that a conversion takes a while to kill.
const crashRows = 120000

// s2Legacy creates a TimeTracker v1.0.5 (S2, create_all) database with
// crashRows time entries, set-based.
func s2Legacy(t *testing.T, db *gorm.DB, dialect database.Dialect) {
	t.Helper()
	ddl := []string{
		`CREATE TABLE users (id INTEGER NOT NULL PRIMARY KEY, username VARCHAR(80) NOT NULL, role VARCHAR(20) NOT NULL, created_at TIMESTAMP NOT NULL, last_login TIMESTAMP, is_active BOOLEAN NOT NULL)`,
		`CREATE UNIQUE INDEX ix_users_username ON users (username)`,
		`CREATE TABLE projects (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(200) NOT NULL, client VARCHAR(200) NOT NULL, description TEXT, billable BOOLEAN NOT NULL, hourly_rate NUMERIC(9,2), billing_ref VARCHAR(100), status VARCHAR(20) NOT NULL, created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL)`,
		`CREATE TABLE time_entries (id INTEGER NOT NULL PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id), project_id INTEGER NOT NULL REFERENCES projects (id), start_time TIMESTAMP NOT NULL, end_time TIMESTAMP, duration_seconds INTEGER, notes TEXT, tags VARCHAR(500), source VARCHAR(20) NOT NULL, billable BOOLEAN NOT NULL, created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL)`,
		`CREATE INDEX ix_time_entries_start_time ON time_entries (start_time)`,
		`CREATE TABLE settings (id INTEGER NOT NULL PRIMARY KEY, timezone VARCHAR(50) NOT NULL, currency VARCHAR(3) NOT NULL, rounding_minutes INTEGER NOT NULL, single_active_timer BOOLEAN NOT NULL, allow_self_register BOOLEAN NOT NULL, idle_timeout_minutes INTEGER NOT NULL, backup_retention_days INTEGER NOT NULL, backup_time VARCHAR(5) NOT NULL, export_delimiter VARCHAR(1) NOT NULL, created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL)`,
		`INSERT INTO settings VALUES (1, 'Europe/Rome', 'EUR', 1, true, true, 30, 30, '02:00', ',', '2025-08-28 10:00:00', '2025-08-28 10:00:00')`,
	}
	series := func(n int) string {
		if dialect == database.Postgres {
			return fmt.Sprintf("(SELECT generate_series AS i FROM generate_series(1, %d))", n)
		}
		return fmt.Sprintf("(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < %d) SELECT i FROM s)", n)
	}
	ts := func(expr string) string {
		if dialect == database.Postgres {
			return fmt.Sprintf("(TIMESTAMP '2025-08-28 00:00:00' + (%s) * INTERVAL '1 second')", expr)
		}
		return fmt.Sprintf("datetime('2025-08-28 00:00:00', '+' || (%s) || ' seconds')", expr)
	}
	data := []string{
		`INSERT INTO users SELECT i, 'user' || i, CASE WHEN i = 1 THEN 'admin' ELSE 'user' END, '2025-08-28 09:00:00', NULL, true FROM ` + series(20) + ` s`,
		`INSERT INTO projects SELECT i, 'Project ' || i, CASE WHEN i % 7 = 0 THEN ' Client ' || (i % 50) || ' ' WHEN i % 11 = 0 THEN '' ELSE 'Client ' || (i % 50) END, NULL, true, 95.50, NULL, 'active', '2025-08-28 09:00:00', '2025-08-28 09:00:00' FROM ` + series(300) + ` s`,
		`INSERT INTO time_entries SELECT i, 1 + i % 20, 1 + i % 300, ` + ts("i * 60") + `, CASE WHEN i > ` + fmt.Sprint(crashRows-20) + ` THEN NULL ELSE ` + ts("i * 60 + 1800") + ` END, 1800, 'note ' || i || ' — ünïcode', 'a,b', CASE WHEN i % 2 = 0 THEN 'auto' ELSE 'manual' END, true, '2025-08-28 09:00:00', '2025-08-28 09:00:00' FROM ` + series(crashRows) + ` s`,
	}
	for _, q := range append(ddl, data...) {
		require.NoError(t, db.Exec(q).Error, q)
	}
}

// contentHash fingerprints every value that must survive a conversion.
func contentHash(t *testing.T, db *gorm.DB) string {
	t.Helper()
	h := sha256.New()
	for _, q := range []string{
		`SELECT id, username, role, CAST(created_at AS TEXT) FROM users ORDER BY id`,
		`SELECT id, name, COALESCE(client, '<null>'), CAST(hourly_rate AS TEXT) FROM projects ORDER BY id`,
		`SELECT id, user_id, project_id, CAST(start_time AS TEXT), COALESCE(CAST(end_time AS TEXT), '<null>'), COALESCE(notes, '<null>'), source, CAST(duration_seconds AS TEXT) FROM time_entries ORDER BY id`,
	} {
		rows, err := db.Raw(q).Rows()
		require.NoError(t, err, q)
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			require.NoError(t, rows.Scan(ptrs...))
			for _, v := range vals {
				fmt.Fprintf(h, "%v|", normalizeValue(v))
			}
			h.Write([]byte("\n"))
		}
		require.NoError(t, rows.Err())
		rows.Close()
	}
	return hex.EncodeToString(h.Sum(nil))
}

func normalizeValue(v any) string {
	switch x := v.(type) {
	case []byte:
		return string(x)
	case time.Time:
		return x.Format("2006-01-02 15:04:05")
	}
	s := fmt.Sprint(v)
	// PostgreSQL renders timestamps cast to text without a zone; SQLite keeps
	// the stored text. Both are "YYYY-MM-DD HH:MM:SS" here.
	return strings.TrimSuffix(s, ".000000")
}

// TestConversionSurvivesKill kills bootstrap at several points of a legacy
// conversion: each time the database is left either untouched or
// converted, the next bootstrap completes, and no value is lost.
func TestConversionSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	bin := procBuild(t)
	testdb.ForEach(t, func(t *testing.T, _ testdb.Target) {
		dialect := database.SQLite
		if strings.HasSuffix(t.Name(), "postgres") {
			dialect = database.Postgres
		}
		fresh := func() (testdb.Target, string) {
			var tgt testdb.Target
			if dialect == database.Postgres {
				tgt = testdb.NewPostgres(t)
			} else {
				tgt = testdb.NewSQLite(t)
			}
			db := testdb.Open(t, tgt)
			s2Legacy(t, db.Gorm, dialect)
			sum := contentHash(t, db.Gorm)
			require.NoError(t, db.Close())
			return tgt, sum
		}
		args := func(tgt testdb.Target) []string {
			return []string{"bootstrap", "--database-url", tgt.URL, "--backup-dir", t.TempDir()}
		}

		// An uninterrupted run gives the time to spread the kills over.
		tgt, sum := fresh()
		r := bin.run(t, 3*time.Minute, args(tgt)...)
		require.Equal(t, 0, r.code, r.String())
		full := r.elapsed
		db := testdb.Open(t, tgt)
		require.Equal(t, sum, contentHash(t, db.Gorm), "an uninterrupted conversion keeps every value")
		db.Close()

		// Kill points: fractions of the uninterrupted run, and the moment
		// a log line shows a phase has just finished.
		type killPoint struct {
			frac  float64
			after string
		}
		points := []killPoint{{frac: 0.1}, {frac: 0.3}, {frac: 0.5}, {frac: 0.7}, {frac: 0.9},
			{after: "Backup written"}, {after: "Converted the legacy database"}, {after: "Applied step 202509100004"}}
		outcomes := map[string]int{}
		for _, kp := range points {
			tgt, sum := fresh()
			p := bin.start(t, 3*time.Minute, args(tgt)...)
			frac := kp.frac
			if kp.after == "" {
				time.Sleep(time.Duration(float64(full) * kp.frac))
			} else {
				deadline := time.Now().Add(time.Minute)
				for !strings.Contains(p.stderr.String(), kp.after) && time.Now().Before(deadline) {
					time.Sleep(time.Millisecond)
				}
				frac = float64(time.Since(p.start)) / float64(full)
			}
			_ = p.cmd.Process.Signal(syscall.SIGKILL)
			_ = p.cmd.Wait() // killed: no exit code to check
			p.cancel()
			killed := p.stderr.String()

			st := run(t, "db", "status", "-o", "json", "--database-url", tgt.URL)
			require.Equal(t, 0, st.code, st.stderr)
			state := "other"
			switch {
			case strings.Contains(st.stdout, `"state": "legacy"`):
				state = "untouched"
			case strings.Contains(st.stdout, `"state": "behind"`), strings.Contains(st.stdout, `"state": "migrated"`):
				state = "converted"
			}
			require.NotEqual(t, "other", state, "after a kill at %.0f%% the database must be legacy or converted: %s\n%s", frac*100, st.stdout, killed)
			outcomes[state]++

			r := bin.run(t, 3*time.Minute, args(tgt)...)
			require.Equal(t, 0, r.code, "after a kill at %.0f%%: %s", frac*100, r)
			db := testdb.Open(t, tgt)
			require.Equal(t, sum, contentHash(t, db.Gorm), "after a kill at %.0f%% and a restart nothing is lost", frac*100)
			db.Close()
		}
		t.Logf("full conversion %s; kill outcomes: %v", full.Round(time.Millisecond), outcomes)
	})
}

// TestConcurrentConversion starts two bootstraps on one legacy database:
// one converts, the other waits for the lock and finds it migrated.
func TestConcurrentConversion(t *testing.T) {
	bin := procBuild(t)
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		db := testdb.Open(t, tgt)
		s2Legacy(t, db.Gorm, tgt.Dialect)
		sum := contentHash(t, db.Gorm)
		require.NoError(t, db.Close())
		backups := t.TempDir()
		rs := bin.runMany(t, 2, 3*time.Minute, "bootstrap", "--database-url", tgt.URL, "--backup-dir", backups)
		converted, idle := 0, 0
		for _, r := range rs {
			require.Equal(t, 0, r.code, r.String())
			if strings.Contains(r.stderr, "Selected migration strategy: 'convert'") {
				converted++
			}
			if strings.Contains(r.stderr, "Selected migration strategy: 'none'") {
				idle++
			}
		}
		require.Equal(t, 1, converted, procAll(rs))
		require.Equal(t, 1, idle, procAll(rs))
		require.Len(t, procManifests(t, backups), 1, "one backup")
		db = testdb.Open(t, tgt)
		require.Equal(t, sum, contentHash(t, db.Gorm))
	})
}
