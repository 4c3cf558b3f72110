// Package testdb gives each test a database of its own, on SQLite (a file in
// the test's temp dir) and on PostgreSQL (a database with a random name,
// dropped when the test ends).
//
// PostgreSQL tests run when TEST_POSTGRES_URL names a server (any database
// on it; tests create their own). Without it they skip, unless
// TIMETRACKER_REQUIRE_POSTGRES=1, which CI sets: then a skip is a failure.
package testdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/timetracker/timetracker/internal/database"
)

// Target is one test database.
type Target struct {
	Dialect database.Dialect
	// DSN is what database.Open takes.
	DSN string
	// URL is the DATABASE_URL form, for running the binary.
	URL string
	// Name is the PostgreSQL database name or the SQLite file path.
	Name string
}

// Options returns database.Options for the target.
func (t Target) Options() database.Options {
	return database.Options{Dialect: t.Dialect, DSN: t.DSN, ConnectTimeout: 10 * time.Second}
}

// ForEach runs f as a subtest once per dialect.
func ForEach(t *testing.T, f func(t *testing.T, tgt Target)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { f(t, NewSQLite(t)) })
	t.Run("postgres", func(t *testing.T) { f(t, NewPostgres(t)) })
}

// NewSQLite returns a SQLite file (not yet created) in the test's temp dir.
func NewSQLite(tb testing.TB) Target {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "timetracker.db")
	return Target{Dialect: database.SQLite, DSN: path, URL: "sqlite:///" + path, Name: path}
}

// ServerURL returns TEST_POSTGRES_URL, skipping (or failing, in CI) when unset.
func ServerURL(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv("TEST_POSTGRES_URL")
	if u == "" {
		if os.Getenv("TIMETRACKER_REQUIRE_POSTGRES") == "1" {
			tb.Fatal("TEST_POSTGRES_URL is not set but TIMETRACKER_REQUIRE_POSTGRES=1: PostgreSQL tests must run")
		}
		tb.Skip("TEST_POSTGRES_URL not set")
	}
	reachOnce.Do(func() {
		db, err := database.Open(context.Background(), database.Options{Dialect: database.Postgres, DSN: u, ConnectTimeout: 5 * time.Second})
		if err != nil {
			reachErr = err
			return
		}
		db.Close()
	})
	if reachErr != nil {
		if os.Getenv("TIMETRACKER_REQUIRE_POSTGRES") == "1" {
			tb.Fatalf("PostgreSQL at TEST_POSTGRES_URL is required but unreachable: %v", reachErr)
		}
		tb.Skipf("PostgreSQL at TEST_POSTGRES_URL unreachable: %v", reachErr)
	}
	return u
}

var (
	reachOnce sync.Once
	reachErr  error
)

// NewPostgres creates an empty database with a random name and drops it
// when the test ends.
func NewPostgres(tb testing.TB) Target {
	tb.Helper()
	server := ServerURL(tb)
	admin := Open(tb, Target{Dialect: database.Postgres, DSN: server})
	name := "tt_test_" + randomHex(6)
	if err := admin.Gorm.Exec("CREATE DATABASE " + name).Error; err != nil {
		tb.Fatalf("create database: %v", err)
	}
	tb.Cleanup(func() {
		// WITH (FORCE) ends only this database's backends: every one of
		// them was opened by this test (or by a process it started).
		admin, err := database.Open(context.Background(), Target{Dialect: database.Postgres, DSN: server}.Options())
		if err != nil {
			tb.Errorf("cleanup: database %s is left behind: connect: %v", name, err)
			return
		}
		defer admin.Close()
		if err := admin.Gorm.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)").Error; err != nil {
			tb.Errorf("cleanup: database %s is left behind: %v", name, err)
		}
	})
	u, err := url.Parse(server)
	if err != nil {
		tb.Fatalf("TEST_POSTGRES_URL: %v", err)
	}
	u.Path = "/" + name
	return Target{Dialect: database.Postgres, DSN: u.String(), URL: u.String(), Name: name}
}

// Open opens the target and closes it when the test ends.
func Open(tb testing.TB, t Target) *database.DB {
	tb.Helper()
	db, err := database.Open(context.Background(), t.Options())
	if err != nil {
		tb.Fatalf("open %s: %v", t.Dialect, err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
