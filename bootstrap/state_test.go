package bootstrap_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/timetracker/timetracker/bootstrap"
	"github.com/timetracker/timetracker/internal/schema"
	"github.com/timetracker/timetracker/internal/schema/schematest"
	"github.com/timetracker/timetracker/legacy"
	"github.com/timetracker/timetracker/migrations"
)

// Snapshot builders: the baseline mutated into the shapes detection must
// tell apart. legacy's own tests cover every shape and variant; these cover
// how Detect turns fingerprints and version rows into states.

type stEdit = schematest.Edit

var (
	stSchema     = schematest.Baseline
	stDropTables = schematest.DropTables
	stDropCols   = schematest.DropCols
	stNullable   = schematest.Nullable
)

// stTables is a schema of bare tables, for version and foreign tables.
func stTables(names ...string) schema.Schema {
	var s schema.Schema
	for _, n := range names {
		s.Tables = append(s.Tables, schema.Table{Name: n,
			Columns: []schema.Column{{Name: "id", Type: schema.Type{Kind: schema.Integer}, NotNull: true, PrimaryKey: true}}})
	}
	return s
}

func stWith(s schema.Schema, names ...string) schema.Schema {
	s.Tables = append(s.Tables, stTables(names...).Tables...)
	return s
}

// stAddCol adds a column "name type [notnull]".
func stAddCol(table, desc string) stEdit { return schematest.AddCols(table, desc) }

func stS2() []stEdit {
	return []stEdit{
		stDropTables("clients", "tasks", "invoices", "invoice_items"),
		stDropCols("projects", "client_id"), stAddCol("projects", "client varchar(200) notnull"),
		stDropCols("time_entries", "task_id"),
	}
}

func stS1a() []stEdit {
	return append(stS2(), stDropCols("time_entries", "start_time", "end_time"),
		stAddCol("time_entries", "start_utc timestamp notnull"), stAddCol("time_entries", "end_utc timestamp"))
}

// stS4SQL: S2 plus tasks and invoices (without client_id) of the SQL script.
func stS4SQL() []stEdit {
	return []stEdit{
		stDropTables("clients"),
		stDropCols("projects", "client_id"), stAddCol("projects", "client varchar(200) notnull"),
		stAddCol("tasks", "actual_hours numeric(5,2)"),
		stDropCols("invoices", "client_id"), stNullable("invoices", "created_at"),
	}
}

func stS5Fresh() []stEdit {
	return []stEdit{stNullable("projects", "client_id"), stDropCols("invoices", "client_id")}
}

func stS0() []stEdit {
	return []stEdit{stAddCol("settings", "key varchar(100) notnull"), stAddCol("users", "password_hash varchar(255) notnull"),
		stDropCols("time_entries", "project_id")}
}

func stPure001() []stEdit {
	return []stEdit{
		stNullable("projects", "client_id"),
		stDropCols("time_entries", "duration_seconds"), stAddCol("time_entries", "duration interval"),
		stDropCols("settings", "company_logo_filename"), stAddCol("settings", "logo_path varchar(500)"),
		stDropCols("invoices", "total_amount"), stAddCol("invoices", "total numeric(10,2)"),
		stDropCols("invoice_items", "total_amount", "time_entry_ids"),
		stAddCol("invoice_items", "total numeric(10,2)"), stAddCol("invoice_items", "time_entry_id integer"),
	}
}

func stHybrid() []stEdit {
	return append(stPure001(), stAddCol("time_entries", "duration_seconds integer"),
		stAddCol("invoices", "total_amount numeric(10,2)"))
}

func stKnown() []string {
	var ids []string
	for _, s := range migrations.Steps() {
		ids = append(ids, s.ID)
	}
	return ids
}

func TestDetect(t *testing.T) {
	known := stKnown()
	require.GreaterOrEqual(t, len(known), 4)
	require.Equal(t, migrations.BaselineID, known[0])
	ours := stTables(migrations.TableName, migrations.HistoryTableName)

	tests := []struct {
		name     string
		snap     func(t *testing.T) bootstrap.Snapshot
		state    bootstrap.State
		strategy bootstrap.Strategy
		shape    legacy.Shape
		variant  string   // of the fingerprint
		reason   []string // substrings of Reason
		advice   string   // substring of Advice
		pending  []string
		unknown  []string
		alembic  string
	}{
		// 1. fresh
		{name: "zero tables", snap: func(t *testing.T) bootstrap.Snapshot { return bootstrap.Snapshot{} },
			state: bootstrap.StateFresh, strategy: bootstrap.StrategyCreate, reason: []string{"no TimeTracker table"}},
		{name: "empty version tables", snap: func(t *testing.T) bootstrap.Snapshot {
			return bootstrap.Snapshot{Schema: stWith(ours, migrations.AlembicTableName), MigrationIDs: []string{}, AlembicVersions: []string{}}
		}, state: bootstrap.StateFresh, strategy: bootstrap.StrategyCreate, reason: []string{"empty version table(s)"}},
		{name: "history table only", snap: func(t *testing.T) bootstrap.Snapshot {
			return bootstrap.Snapshot{Schema: stTables(migrations.HistoryTableName)}
		}, state: bootstrap.StateFresh, strategy: bootstrap.StrategyCreate},
		{name: "stale alembic row", snap: func(t *testing.T) bootstrap.Snapshot {
			return bootstrap.Snapshot{Schema: stTables(migrations.AlembicTableName), AlembicVersions: []string{"005"}}
		}, state: bootstrap.StateFresh, strategy: bootstrap.StrategyCreate, alembic: "005",
			reason: []string{"stale alembic_version row(s) '005'", "will be replaced"}},
		{name: "stale alembic row above 012", snap: func(t *testing.T) bootstrap.Snapshot {
			return bootstrap.Snapshot{Schema: stTables(migrations.AlembicTableName), AlembicVersions: []string{"013"}}
		}, state: bootstrap.StateFresh, strategy: bootstrap.StrategyCreate, alembic: "013", reason: []string{"stale"}},

		// 2. foreign
		{name: "foreign tables", snap: func(t *testing.T) bootstrap.Snapshot {
			return bootstrap.Snapshot{Schema: stTables("wp_posts", "wp_users")}
		}, state: bootstrap.StateForeign, strategy: bootstrap.StrategyRefuse, reason: []string{"wp_posts, wp_users"}, advice: "DATABASE_URL"},
		{name: "foreign tables beside an empty alembic_version", snap: func(t *testing.T) bootstrap.Snapshot {
			return bootstrap.Snapshot{Schema: stTables("orders", migrations.AlembicTableName), AlembicVersions: []string{}}
		}, state: bootstrap.StateUnknown, strategy: bootstrap.StrategyRefuse, reason: []string{"orders", "alembic_version"}},
		{name: "another Alembic application", snap: func(t *testing.T) bootstrap.Snapshot {
			return bootstrap.Snapshot{Schema: stTables("orders", migrations.AlembicTableName), AlembicVersions: []string{"ae1027a6acf"}}
		}, state: bootstrap.StateUnknown, strategy: bootstrap.StrategyRefuse, alembic: "ae1027a6acf", reason: []string{"no TimeTracker table"}},

		// 3. ours
		{name: "migrated", snap: func(t *testing.T) bootstrap.Snapshot {
			return bootstrap.Snapshot{Schema: stWith(stSchema(t), migrations.TableName, migrations.HistoryTableName), MigrationIDs: known}
		}, state: bootstrap.StateMigrated, strategy: bootstrap.StrategyNone, reason: []string{known[len(known)-1]}},
		{name: "migrated wins over its alembic mirror", snap: func(t *testing.T) bootstrap.Snapshot {
			return bootstrap.Snapshot{Schema: stWith(stSchema(t), migrations.TableName, migrations.AlembicTableName),
				MigrationIDs: known, AlembicVersions: []string{"012"}}
		}, state: bootstrap.StateMigrated, strategy: bootstrap.StrategyNone, alembic: "012"},
		{name: "behind lists pending in step order", snap: func(t *testing.T) bootstrap.Snapshot {
			// Rows in any order, with a gap: pending follows the step list.
			return bootstrap.Snapshot{Schema: stWith(stSchema(t), migrations.TableName), MigrationIDs: []string{known[2], known[0]}}
		}, state: bootstrap.StateBehind, strategy: bootstrap.StrategyUpgrade,
			pending: append([]string{known[1]}, known[3:]...), reason: []string{known[1]}},
		{name: "newer: unknown step", snap: func(t *testing.T) bootstrap.Snapshot {
			return bootstrap.Snapshot{Schema: stWith(stSchema(t), migrations.TableName),
				MigrationIDs: append(append([]string{}, known...), "209901010000_from_the_future")}
		}, state: bootstrap.StateNewer, strategy: bootstrap.StrategyRefuse, unknown: []string{"209901010000_from_the_future"},
			reason: []string{"database is newer than this program (step 209901010000_from_the_future)"}, advice: "newer"},
		{name: "newer wins over missing TimeTracker tables", snap: func(t *testing.T) bootstrap.Snapshot {
			return bootstrap.Snapshot{Schema: ours, MigrationIDs: []string{known[0], "209901010000_x", "209901010001_y"}}
		}, state: bootstrap.StateNewer, strategy: bootstrap.StrategyRefuse, unknown: []string{"209901010000_x", "209901010001_y"},
			reason: []string{"(steps 209901010000_x, 209901010001_y)"}},
		{name: "our table without TimeTracker tables", snap: func(t *testing.T) bootstrap.Snapshot {
			return bootstrap.Snapshot{Schema: ours, MigrationIDs: known}
		}, state: bootstrap.StateUnknown, strategy: bootstrap.StrategyRefuse,
			reason: []string{"no TimeTracker table exists"}, advice: "restore"},
		{name: "our table without the baseline", snap: func(t *testing.T) bootstrap.Snapshot {
			return bootstrap.Snapshot{Schema: stWith(stSchema(t), migrations.TableName), MigrationIDs: known[1:]}
		}, state: bootstrap.StateUnknown, strategy: bootstrap.StrategyRefuse, reason: []string{"lacks the baseline step"}},

		// 4. S0
		{name: "S0", snap: func(t *testing.T) bootstrap.Snapshot {
			return bootstrap.Snapshot{Schema: stSchema(t, stS0()...)}
		}, state: bootstrap.StateUnknown, strategy: bootstrap.StrategyRefuse, shape: legacy.ShapeS0,
			reason: []string{"settings has key"}, advice: "key/value prototype"},
		{name: "S0 wins over a newer alembic revision", snap: func(t *testing.T) bootstrap.Snapshot {
			return bootstrap.Snapshot{Schema: stWith(stSchema(t, stS0()...), migrations.AlembicTableName), AlembicVersions: []string{"013"}}
		}, state: bootstrap.StateUnknown, strategy: bootstrap.StrategyRefuse, shape: legacy.ShapeS0, alembic: "013", advice: "cannot be converted"},

		// 5. newer Alembic; a blank revision is unknown, not newer
		{name: "alembic blank revision", snap: func(t *testing.T) bootstrap.Snapshot {
			return bootstrap.Snapshot{Schema: stWith(stSchema(t), migrations.AlembicTableName), AlembicVersions: []string{" "}}
		}, state: bootstrap.StateUnknown, strategy: bootstrap.StrategyRefuse, alembic: " ",
			reason: []string{"alembic_version holds an empty revision (' ')"}, advice: "set alembic_version.version_num"},
		{name: "alembic NULL beside a revision", snap: func(t *testing.T) bootstrap.Snapshot {
			return bootstrap.Snapshot{Schema: stWith(stSchema(t), migrations.AlembicTableName), AlembicVersions: []string{"005", ""}}
		}, state: bootstrap.StateUnknown, strategy: bootstrap.StrategyRefuse, alembic: "005,",
			reason: []string{"empty revision ('005', '')"}},
		{name: "alembic 013", snap: func(t *testing.T) bootstrap.Snapshot {
			return bootstrap.Snapshot{Schema: stWith(stSchema(t), migrations.AlembicTableName), AlembicVersions: []string{"013"}}
		}, state: bootstrap.StateNewer, strategy: bootstrap.StrategyRefuse, alembic: "013",
			reason: []string{"database is newer than this program (Alembic revision 013)"}},
		{name: "alembic 000", snap: func(t *testing.T) bootstrap.Snapshot {
			return bootstrap.Snapshot{Schema: stWith(stSchema(t), migrations.AlembicTableName), AlembicVersions: []string{"000"}}
		}, state: bootstrap.StateNewer, strategy: bootstrap.StrategyRefuse, alembic: "000",
			reason: []string{"(Alembic revision 000)"}},
		{name: "alembic two rows", snap: func(t *testing.T) bootstrap.Snapshot {
			return bootstrap.Snapshot{Schema: stWith(stSchema(t), migrations.AlembicTableName), AlembicVersions: []string{"001", "002"}}
		}, state: bootstrap.StateNewer, strategy: bootstrap.StrategyRefuse, alembic: "001,002",
			reason: []string{"database is newer than this program (Alembic revision 001,002", "2 rows"}, advice: "exactly one row"},

		// 6. Alembic
		{name: "alembic pure 001", snap: func(t *testing.T) bootstrap.Snapshot {
			return bootstrap.Snapshot{Schema: stWith(stSchema(t, stPure001()...), migrations.AlembicTableName), AlembicVersions: []string{"001"}}
		}, state: bootstrap.StateAlembic, strategy: bootstrap.StrategyConvert, shape: legacy.ShapeAlembicPure001, alembic: "001",
			reason: []string{"revision 001", "time_entries has duration"}},
		{name: "alembic hybrid", snap: func(t *testing.T) bootstrap.Snapshot {
			return bootstrap.Snapshot{Schema: stWith(stSchema(t, stHybrid()...), migrations.AlembicTableName), AlembicVersions: []string{"001"}}
		}, state: bootstrap.StateAlembic, strategy: bootstrap.StrategyConvert, shape: legacy.ShapeAlembicHybrid, alembic: "001"},
		{name: "alembic stamped S4", snap: func(t *testing.T) bootstrap.Snapshot {
			return bootstrap.Snapshot{Schema: stWith(stSchema(t, stS4SQL()...), migrations.AlembicTableName), AlembicVersions: []string{"001"}}
		}, state: bootstrap.StateAlembic, strategy: bootstrap.StrategyConvert, shape: legacy.ShapeAlembicStamped, variant: "S4-sql",
			alembic: "001", reason: []string{"S6-stamped (S4-sql)"}},
		{name: "alembic at 012 over a partial database", snap: func(t *testing.T) bootstrap.Snapshot {
			return bootstrap.Snapshot{Schema: stWith(stSchema(t, stDropTables("settings")), migrations.AlembicTableName), AlembicVersions: []string{"012"}}
		}, state: bootstrap.StateUnknown, strategy: bootstrap.StrategyRefuse, shape: legacy.ShapePartial, alembic: "012",
			reason: []string{"missing core table(s): settings"}, advice: "missing core tables"},
		{name: "empty our table does not hide alembic", snap: func(t *testing.T) bootstrap.Snapshot {
			return bootstrap.Snapshot{Schema: stWith(stSchema(t, stPure001()...), migrations.TableName, migrations.AlembicTableName),
				MigrationIDs: []string{}, AlembicVersions: []string{"004"}}
		}, state: bootstrap.StateAlembic, strategy: bootstrap.StrategyConvert, shape: legacy.ShapeAlembicPure001, alembic: "004"},

		// 7–12. legacy
		{name: "unversioned baseline", snap: func(t *testing.T) bootstrap.Snapshot {
			return bootstrap.Snapshot{Schema: stSchema(t)}
		}, state: bootstrap.StateLegacy, strategy: bootstrap.StrategyAdopt, shape: legacy.ShapeBaseline, reason: []string{"unversioned database: all 8 baseline tables match the baseline"}},
		{name: "S1a", snap: func(t *testing.T) bootstrap.Snapshot {
			return bootstrap.Snapshot{Schema: stSchema(t, stS1a()...)}
		}, state: bootstrap.StateLegacy, strategy: bootstrap.StrategyConvert, shape: legacy.ShapeS1a, reason: []string{"time_entries has start_utc"}},
		{name: "S1b by trigger", snap: func(t *testing.T) bootstrap.Snapshot {
			return bootstrap.Snapshot{Schema: stSchema(t, stS1a()...), Triggers: []string{"update_users_updated_at"}}
		}, state: bootstrap.StateLegacy, strategy: bootstrap.StrategyConvert, shape: legacy.ShapeS1b},
		{name: "S2", snap: func(t *testing.T) bootstrap.Snapshot {
			return bootstrap.Snapshot{Schema: stSchema(t, stS2()...)}
		}, state: bootstrap.StateLegacy, strategy: bootstrap.StrategyConvert, shape: legacy.ShapeS2},
		{name: "S4 sql with an empty alembic_version", snap: func(t *testing.T) bootstrap.Snapshot {
			return bootstrap.Snapshot{Schema: stWith(stSchema(t, stS4SQL()...), migrations.AlembicTableName), AlembicVersions: []string{}}
		}, state: bootstrap.StateLegacy, strategy: bootstrap.StrategyConvert, shape: legacy.ShapeS4, variant: "sql",
			reason: []string{"S4 (sql)"}},
		{name: "S5 fresh", snap: func(t *testing.T) bootstrap.Snapshot {
			return bootstrap.Snapshot{Schema: stSchema(t, stS5Fresh()...)}
		}, state: bootstrap.StateLegacy, strategy: bootstrap.StrategyConvert, shape: legacy.ShapeS5Fresh},
		{name: "S5 upgraded", snap: func(t *testing.T) bootstrap.Snapshot {
			return bootstrap.Snapshot{Schema: stSchema(t, append(stS5Fresh(), stAddCol("projects", "client varchar(200) notnull"))...)}
		}, state: bootstrap.StateLegacy, strategy: bootstrap.StrategyConvert, shape: legacy.ShapeS5Upgraded},
		{name: "partial", snap: func(t *testing.T) bootstrap.Snapshot {
			return bootstrap.Snapshot{Schema: stSchema(t, stDropTables("users", "time_entries"))}
		}, state: bootstrap.StateUnknown, strategy: bootstrap.StrategyRefuse, shape: legacy.ShapePartial,
			reason: []string{"missing core table(s): users, time_entries"}, advice: "restore the missing core tables"},
		{name: "projects with neither client column", snap: func(t *testing.T) bootstrap.Snapshot {
			return bootstrap.Snapshot{Schema: stSchema(t, append(stS2(), stDropCols("projects", "client"))...)}
		}, state: bootstrap.StateUnknown, strategy: bootstrap.StrategyRefuse, shape: legacy.ShapeUnknown,
			reason: []string{"projects has neither client nor client_id"}, advice: "known layouts"},
		{name: "legacy beside unrelated tables", snap: func(t *testing.T) bootstrap.Snapshot {
			return bootstrap.Snapshot{Schema: stWith(stSchema(t, stS2()...), "notes_app")}
		}, state: bootstrap.StateLegacy, strategy: bootstrap.StrategyConvert, shape: legacy.ShapeS2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := bootstrap.Detect(tc.snap(t), known)
			require.Equal(t, tc.state, d.State, "reason: %s", d.Reason)
			require.Equal(t, tc.strategy, d.Strategy)
			require.Equal(t, tc.shape, d.Shape)
			require.Equal(t, tc.pending, d.Pending)
			require.Equal(t, tc.unknown, d.Unknown)
			require.Equal(t, tc.alembic, d.Alembic)
			require.NotEmpty(t, d.Reason)
			require.NotContains(t, d.Reason, "\n")
			for _, r := range tc.reason {
				require.Contains(t, d.Reason, r)
			}
			if d.Strategy == bootstrap.StrategyRefuse {
				require.NotEmpty(t, d.Advice, "every refusal says what to do")
				require.Contains(t, d.Advice, tc.advice)
			} else {
				require.Empty(t, d.Advice)
			}
			if tc.shape == "" {
				require.Nil(t, d.Fingerprint)
			} else {
				require.NotNil(t, d.Fingerprint)
				require.Equal(t, tc.shape, d.Fingerprint.Shape)
				require.Equal(t, tc.variant, d.Fingerprint.Variant)
				require.Equal(t, d.Strategy == bootstrap.StrategyRefuse, d.Fingerprint.Refuse)
			}
		})
	}
}

// TestDetectCoversEveryStateAndStrategy keeps the table above honest when a
// state or strategy is added.
func TestDetectCoversEveryStateAndStrategy(t *testing.T) {
	known := stKnown()
	snaps := []bootstrap.Snapshot{
		{},
		{Schema: stTables("wp_posts")},
		{Schema: stWith(stSchema(t), migrations.TableName), MigrationIDs: known},
		{Schema: stWith(stSchema(t), migrations.TableName), MigrationIDs: known[:1]},
		{Schema: stWith(stSchema(t), migrations.TableName), MigrationIDs: []string{"209901010000_x"}},
		{Schema: stSchema(t)},
		{Schema: stSchema(t, stS2()...)},
		{Schema: stWith(stSchema(t, stPure001()...), migrations.AlembicTableName), AlembicVersions: []string{"001"}},
		{Schema: stSchema(t, stS0()...)},
	}
	states := map[bootstrap.State]bool{}
	strategies := map[bootstrap.Strategy]bool{}
	for _, s := range snaps {
		d := bootstrap.Detect(s, known)
		states[d.State] = true
		strategies[d.Strategy] = true
	}
	for _, st := range []bootstrap.State{bootstrap.StateFresh, bootstrap.StateMigrated, bootstrap.StateBehind, bootstrap.StateNewer,
		bootstrap.StateLegacy, bootstrap.StateAlembic, bootstrap.StateForeign, bootstrap.StateUnknown} {
		require.True(t, states[st], "state %s not reached", st)
	}
	for _, st := range []bootstrap.Strategy{bootstrap.StrategyCreate, bootstrap.StrategyNone, bootstrap.StrategyUpgrade,
		bootstrap.StrategyConvert, bootstrap.StrategyAdopt, bootstrap.StrategyRefuse} {
		require.True(t, strategies[st], "strategy %s not reached", st)
	}
}
