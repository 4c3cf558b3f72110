package bootstrap

import (
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"testing"

	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/testdb"
)

// TestPlanSQLiteLargeAndWAL: a database larger than SQLite's page cache
// (the rehearsal spills pages into the file and the rollback restores
// them from the journal), in rollback-journal and in WAL mode, is
// byte-identical after a plan and nothing is left beside it.
func TestPlanSQLiteLargeAndWAL(t *testing.T) {
	for _, mode := range []string{"delete", "wal"} {
		t.Run(mode, func(t *testing.T) {
			tgt := testdb.NewSQLite(t)
			benchGenerate(t, tgt, 20000)
			db := testdb.Open(t, tgt)
			if err := db.Gorm.Exec("PRAGMA journal_mode = " + mode).Error; err != nil {
				t.Fatal(err)
			}
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			state := func() [32]byte {
				b, err := os.ReadFile(tgt.DSN)
				if err != nil {
					t.Fatal(err)
				}
				entries, err := os.ReadDir(filepath.Dir(tgt.DSN))
				if err != nil {
					t.Fatal(err)
				}
				if len(entries) != 1 {
					t.Fatalf("beside the database: %v", entries)
				}
				return sha256.Sum256(b)
			}
			before := state()
			if st, _ := os.Stat(tgt.DSN); st.Size() < 4<<20 {
				t.Fatalf("the database is %d bytes, not larger than the page cache", st.Size())
			}
			opts := tgt.Options()
			opts.ReadOnly = true
			pdb, err := database.Open(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := Plan(context.Background(), pdb, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Strategy != StrategyConvert || rep.Refused != "" || len(rep.Fills) == 0 {
				t.Fatalf("plan: %+v", rep)
			}
			if err := pdb.Close(); err != nil {
				t.Fatal(err)
			}
			if before != state() {
				t.Fatal("the plan changed the database file")
			}
		})
	}
}
