package testdb

import (
	"testing"
	"time"

	"github.com/timetracker/timetracker/internal/database"
)

// WaitOlderTransactions waits until every PostgreSQL transaction of the
// server that began before the call has ended. database.WrittenSince
// counts the rows of every transaction that committed while an older one
// was running (in any database of the server: another test's), so a test
// that needs the rows it wrote to be older than a mark it takes next waits
// here first. SQLite has nothing to wait for.
func WaitOlderTransactions(tb testing.TB, db *database.DB) {
	tb.Helper()
	if db.Dialect != database.Postgres {
		return
	}
	var now int64
	if err := db.Gorm.Raw("SELECT txid_current()").Scan(&now).Error; err != nil {
		tb.Fatalf("txid_current: %v", err)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		var oldest int64
		if err := db.Gorm.Raw("SELECT txid_snapshot_xmin(txid_current_snapshot())").Scan(&oldest).Error; err != nil {
			tb.Fatalf("txid_current_snapshot: %v", err)
		}
		if oldest > now {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("a transaction of the server older than txid %d is still running after 2 minutes (see pg_stat_activity)", now)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
