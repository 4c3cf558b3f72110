package legacy_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/testdb"
	"github.com/timetracker/timetracker/legacy"
)

// Legacy database fixtures: testdata/<Name>.<Dialect>.sql creates a schema as
// a TimeTracker release left it (docs/conversion.md) and fills it with a
// few dozen awkward rows. Each file's header and row comments say what it
// holds.

// fixture is one SQL file and the classification it must get.
type fixture struct {
	Name    string
	Dialect database.Dialect
	// Shape and Variant are what legacy.Classify (or ClassifyAlembic when
	// Alembic is set) must report.
	Shape   legacy.Shape
	Variant string
	// Alembic is the alembic_version row the file writes, "" for none.
	Alembic string
}

// File is the fixture's path relative to the package directory.
func (f fixture) File() string {
	return filepath.Join("testdata", f.Name+"."+string(f.Dialect)+".sql")
}

func (f fixture) String() string { return f.Name + "." + string(f.Dialect) }

var (
	pg = database.Postgres
	sl = database.SQLite
)

// fixtures lists every file under testdata. Legacy SQLite databases only
// exist as create_all shapes (every TimeTracker SQL script skipped SQLite).
var fixtures = []fixture{
	{Name: "s1a", Dialect: pg, Shape: legacy.ShapeS1a},
	{Name: "s1a", Dialect: sl, Shape: legacy.ShapeS1a},
	{Name: "s1b", Dialect: pg, Shape: legacy.ShapeS1b},
	{Name: "s2-sql", Dialect: pg, Shape: legacy.ShapeS2},
	{Name: "s2-create_all", Dialect: sl, Shape: legacy.ShapeS2},
	{Name: "s3-sql", Dialect: pg, Shape: legacy.ShapeS3, Variant: "sql"},
	{Name: "s3-script", Dialect: pg, Shape: legacy.ShapeS3, Variant: "script"},
	{Name: "s3-orm", Dialect: pg, Shape: legacy.ShapeS3, Variant: "orm"},
	{Name: "s3-orm", Dialect: sl, Shape: legacy.ShapeS3, Variant: "orm"},
	{Name: "s3-fix", Dialect: pg, Shape: legacy.ShapeS3, Variant: "fix"},
	{Name: "s4-sql", Dialect: pg, Shape: legacy.ShapeS4, Variant: "sql"},
	{Name: "s4-create_all", Dialect: pg, Shape: legacy.ShapeS4, Variant: "create_all"},
	{Name: "s4-create_all", Dialect: sl, Shape: legacy.ShapeS4, Variant: "create_all"},
	{Name: "s4-dev-logo-path", Dialect: pg, Shape: legacy.ShapeS4, Variant: "dev-logo-path"},
	{Name: "s5-upgraded", Dialect: pg, Shape: legacy.ShapeS5Upgraded},
	{Name: "s5-fresh", Dialect: pg, Shape: legacy.ShapeS5Fresh},
	{Name: "alembic-pure-001", Dialect: pg, Shape: legacy.ShapeAlembicPure001, Alembic: "001"},
	{Name: "alembic-pure-001", Dialect: sl, Shape: legacy.ShapeAlembicPure001, Alembic: "001"},
	{Name: "alembic-hybrid", Dialect: pg, Shape: legacy.ShapeAlembicHybrid, Alembic: "010"},
	{Name: "alembic-hybrid-mixed", Dialect: pg, Shape: legacy.ShapeAlembicHybrid, Alembic: "012"},
	{Name: "alembic-stamped-s4", Dialect: pg, Shape: legacy.ShapeAlembicStamped, Variant: "S4-sql", Alembic: "001"},
	{Name: "baseline", Dialect: pg, Shape: legacy.ShapeBaseline},
	{Name: "baseline", Dialect: sl, Shape: legacy.ShapeBaseline},
}

// fixtureNamed returns the fixture with that name and dialect.
func fixtureNamed(t *testing.T, name string, d database.Dialect) fixture {
	t.Helper()
	for _, f := range fixtures {
		if f.Name == name && f.Dialect == d {
			return f
		}
	}
	t.Fatalf("no fixture %s.%s", name, d)
	return fixture{}
}

// loadFixture creates a fresh test database (a temp SQLite file, or a
// PostgreSQL database that is dropped when the test ends; PostgreSQL
// fixtures skip without TEST_POSTGRES_URL) and runs the fixture's SQL in it.
// The whole file goes through one Exec on one connection: pgx sends it with
// the simple protocol (database.Open sets it), which runs a multi-statement
// string as one implicit transaction; mattn's SQLite driver steps through
// every statement of the string. TestFixturesClassify checks that every
// INSERT arrived.
func loadFixture(t *testing.T, f fixture) testdb.Target {
	t.Helper()
	raw, err := os.ReadFile(f.File())
	require.NoError(t, err)
	var tgt testdb.Target
	switch f.Dialect {
	case database.Postgres:
		tgt = testdb.NewPostgres(t)
	case database.SQLite:
		tgt = testdb.NewSQLite(t)
	default:
		t.Fatalf("fixture %s: unknown dialect", f)
	}
	ctx := context.Background()
	db, err := database.Open(ctx, tgt.Options())
	require.NoError(t, err)
	defer db.Close()
	sqlDB, err := db.Gorm.DB()
	require.NoError(t, err)
	conn, err := sqlDB.Conn(ctx)
	require.NoError(t, err)
	defer conn.Close()
	_, err = conn.ExecContext(ctx, string(raw))
	require.NoError(t, err, "load %s", f.File())
	return tgt
}

// nullMarker stands for SQL NULL in snapshotRows; no stored text can equal it
// (PostgreSQL text cannot hold NUL).
const nullMarker = "\x00NULL"

// snapshotRows returns every row of table ordered by id, each value turned
// into a string the way the application would read it, so that rows can be
// compared column by column before and after a conversion:
//   - NULL is nullMarker;
//   - booleans are "true"/"false", whether stored as BOOLEAN, 0/1 or the
//     text 'true'/'false' (Alembic 001 on SQLite);
//   - numbers are canonical decimals without trailing zeros ("120.5",
//     "1000", "0.01"), so NUMERIC(9,2) → NUMERIC(10,2) or NUMERIC →
//     DOUBLE PRECISION compare equal when no value changed;
//   - DATE is "YYYY-MM-DD", timestamps are "YYYY-MM-DD HH:MM:SS[.ffffff]"
//     (fraction without trailing zeros);
//   - PostgreSQL INTERVAL is its text form ("01:30:00").
//
// The storage form itself (SQLite text vs integer, the text layout of a
// DATETIME) is deliberately not part of the snapshot.
func snapshotRows(t *testing.T, db *gorm.DB, table string) []map[string]any {
	t.Helper()
	rows, err := db.Raw(`SELECT * FROM "` + strings.ReplaceAll(table, `"`, `""`) + `" ORDER BY id`).Rows()
	require.NoError(t, err, "snapshot %s", table)
	defer rows.Close()
	cols, err := rows.Columns()
	require.NoError(t, err)
	types, err := rows.ColumnTypes()
	require.NoError(t, err)
	var out []map[string]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		require.NoError(t, rows.Scan(ptrs...))
		row := make(map[string]any, len(cols))
		for i, c := range cols {
			row[c] = normalizeValue(vals[i], types[i].DatabaseTypeName())
		}
		out = append(out, row)
	}
	require.NoError(t, rows.Err())
	return out
}

func normalizeValue(v any, dbType string) string {
	typ := strings.ToUpper(dbType)
	switch x := v.(type) {
	case nil:
		return nullMarker
	case bool:
		return strconv.FormatBool(x)
	case int64:
		if isBoolType(typ) {
			return strconv.FormatBool(x != 0)
		}
		return strconv.FormatInt(x, 10)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case int:
		return strconv.Itoa(x)
	case float64:
		return canonicalNumber(strconv.FormatFloat(x, 'f', -1, 64))
	case float32:
		return canonicalNumber(strconv.FormatFloat(float64(x), 'f', -1, 32))
	case time.Time:
		if typ == "DATE" {
			return x.Format("2006-01-02")
		}
		return x.Format("2006-01-02 15:04:05.999999")
	case []byte:
		return normalizeText(string(x), typ)
	case string:
		return normalizeText(x, typ)
	default:
		return fmt.Sprint(x)
	}
}

func normalizeText(s, typ string) string {
	switch {
	case isBoolType(typ):
		switch strings.ToLower(s) {
		case "1", "true", "t":
			return "true"
		case "0", "false", "f":
			return "false"
		}
	case isNumberType(typ):
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return canonicalNumber(s)
		}
	}
	return s
}

func isBoolType(typ string) bool { return typ == "BOOL" || typ == "BOOLEAN" }

func isNumberType(typ string) bool {
	for _, p := range []string{"NUMERIC", "DECIMAL", "FLOAT", "DOUBLE", "REAL"} {
		if strings.HasPrefix(typ, p) {
			return true
		}
	}
	return false
}

// canonicalNumber drops trailing fractional zeros: "120.50" → "120.5",
// "1000.00" → "1000", "-0.00" → "0".
func canonicalNumber(s string) string {
	if strings.ContainsAny(s, "eE") || !strings.Contains(s, ".") {
		if s == "-0" {
			return "0"
		}
		return s
	}
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" || s == "" || s == "-" {
		return "0"
	}
	return s
}

// alembicVersions returns the alembic_version rows, nil without the table.
func alembicVersions(t *testing.T, db *gorm.DB) []string {
	t.Helper()
	ok, err := database.HasTable(context.Background(), db, "alembic_version")
	require.NoError(t, err)
	if !ok {
		return nil
	}
	var out []string
	require.NoError(t, db.Raw(`SELECT version_num FROM alembic_version ORDER BY version_num`).Scan(&out).Error)
	return out
}

var insertRE = regexp.MustCompile(`(?m)^INSERT INTO (\w+) `)

// insertCounts counts the INSERT statements per table in a fixture file.
func insertCounts(raw string) map[string]int64 {
	out := map[string]int64{}
	for _, m := range insertRE.FindAllStringSubmatch(raw, -1) {
		out[m[1]]++
	}
	return out
}

// TestFixturesClassify proves the fixtures are what they claim: each one
// loads completely, carries only the version tables it should, and is
// recognised by legacy.Classify / ClassifyAlembic as its declared shape and
// variant, without a refusal.
func TestFixturesClassify(t *testing.T) {
	for _, f := range fixtures {
		t.Run(f.String(), func(t *testing.T) {
			t.Parallel()
			tgt := loadFixture(t, f)
			db := testdb.Open(t, tgt)
			ctx := context.Background()

			tables, err := database.ListTables(ctx, db.Gorm)
			require.NoError(t, err)
			require.NotContains(t, tables, "timetracker_migrations")

			raw, err := os.ReadFile(f.File())
			require.NoError(t, err)
			counts, err := database.RowCounts(ctx, db.Gorm, tables)
			require.NoError(t, err)
			for table, n := range insertCounts(string(raw)) {
				require.Equal(t, n, counts[table], "%s: rows in %s", f.File(), table)
			}

			s, err := database.Introspect(ctx, db.Gorm)
			require.NoError(t, err)
			triggers, err := database.ListTriggers(ctx, db.Gorm)
			require.NoError(t, err)

			var fp legacy.Fingerprint
			if f.Alembic != "" {
				require.Equal(t, []string{f.Alembic}, alembicVersions(t, db.Gorm))
				fp = legacy.ClassifyAlembic(s, triggers, f.Alembic)
			} else {
				require.NotContains(t, tables, "alembic_version")
				fp = legacy.Classify(s, triggers)
			}
			msg := fmt.Sprintf("%s\nevidence: %q\nnotes: %q", f.File(), fp.Evidence, fp.Notes)
			t.Logf("%s: %s %q\nevidence: %q\nnotes: %q", f.File(), fp.Shape, fp.Variant, fp.Evidence, fp.Notes)
			require.Equal(t, f.Shape, fp.Shape, msg)
			require.Equal(t, f.Variant, fp.Variant, msg)
			require.False(t, fp.Refuse, msg)
			if f.Shape == legacy.ShapeBaseline {
				require.ElementsMatch(t, []string{"users", "clients", "projects", "tasks", "time_entries", "settings",
					"invoices", "invoice_items"}, tables, "a baseline fixture holds exactly the 8 baseline tables")
			}

			for _, table := range tables {
				if table == "alembic_version" {
					continue
				}
				snap := snapshotRows(t, db.Gorm, table)
				require.Len(t, snap, int(counts[table]), table)
				if f.Dialect == database.Postgres {
					requireSequencePastMax(t, db.Gorm, table)
				}
			}
		})
	}
}

// requireSequencePastMax checks that the id sequence will hand out an id
// above every explicit one of the fixture.
func requireSequencePastMax(t *testing.T, db *gorm.DB, table string) {
	t.Helper()
	var seq *string
	require.NoError(t, db.Raw(`SELECT pg_get_serial_sequence(?, 'id')`, table).Scan(&seq).Error)
	require.NotNil(t, seq, "%s.id has no sequence", table)
	var st struct {
		LastValue int64
		IsCalled  bool
	}
	require.NoError(t, db.Raw(`SELECT last_value, is_called FROM `+*seq).Scan(&st).Error)
	var maxID *int64
	require.NoError(t, db.Raw(`SELECT max(id) FROM "`+table+`"`).Scan(&maxID).Error)
	if maxID == nil {
		return
	}
	next := st.LastValue
	if st.IsCalled {
		next++
	}
	require.Greater(t, next, *maxID, "%s: next id %d collides with existing ids", table, next)
}

// TestFixturesListed keeps the fixture list and testdata in step.
func TestFixturesListed(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.sql"))
	require.NoError(t, err)
	var listed []string
	for _, f := range fixtures {
		listed = append(listed, f.File())
		require.FileExists(t, f.File())
	}
	sort.Strings(files)
	sort.Strings(listed)
	require.Equal(t, files, listed)
}

// TestSnapshotRowsNormalizes pins the value forms snapshotRows produces.
func TestSnapshotRowsNormalizes(t *testing.T) {
	for _, tc := range []struct {
		v    any
		typ  string
		want string
	}{
		{nil, "TEXT", nullMarker},
		{true, "BOOL", "true"},
		{int64(0), "BOOLEAN", "false"},
		{"true", "BOOLEAN", "true"},
		{"false", "BOOLEAN", "false"},
		{int64(1000), "NUMERIC", "1000"},
		{"1000.00", "NUMERIC", "1000"},
		{"120.50", "NUMERIC", "120.5"},
		{120.5, "FLOAT8", "120.5"},
		{99999999.99, "NUMERIC", "99999999.99"},
		{"0.00", "NUMERIC", "0"},
		{"01:30:00", "INTERVAL", "01:30:00"},
		{time.Date(2025, 8, 30, 9, 0, 0, 0, time.UTC), "TIMESTAMP", "2025-08-30 09:00:00"},
		{time.Date(2025, 8, 30, 9, 0, 0, 120044000, time.UTC), "DATETIME", "2025-08-30 09:00:00.120044"},
		{time.Date(2025, 8, 30, 0, 0, 0, 0, time.UTC), "DATE", "2025-08-30"},
		{[]byte("Zürich GmbH"), "VARCHAR", "Zürich GmbH"},
		{" Acme ", "VARCHAR", " Acme "},
	} {
		require.Equal(t, tc.want, normalizeValue(tc.v, tc.typ), "%#v as %s", tc.v, tc.typ)
	}
}
