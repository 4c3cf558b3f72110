package bootstrap

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
)

// SeedOptions are the defaults written into a database this run created.
type SeedOptions struct {
	// Admins are usernames (already trimmed, lowercased, deduplicated) to
	// create as active admins.
	Admins []string
	// Settings holds column values of the settings row taken from the
	// environment (timezone, currency, ...); other columns keep their
	// database defaults.
	Settings map[string]any
	// DefaultProject also creates TimeTracker's 'Default Client' and its
	// 'General' project, as TimeTracker's own initialisation did.
	DefaultProject bool
}

// seed runs inside the transaction that created the schema, so a database
// is seeded exactly once: deleting a default later never brings it back.
func seed(tx *gorm.DB, opts SeedOptions, now time.Time) error {
	ts := now.UTC().Format("2006-01-02 15:04:05")
	var n int64
	if err := tx.Raw("SELECT count(*) FROM settings").Scan(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		cols := []string{"created_at", "updated_at"}
		vals := []any{ts, ts}
		keys := make([]string, 0, len(opts.Settings))
		for k := range opts.Settings {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			cols = append(cols, k)
			vals = append(vals, opts.Settings[k])
		}
		q := fmt.Sprintf("INSERT INTO settings (%s) VALUES (%s)", strings.Join(cols, ", "), placeholders(len(cols)))
		if err := tx.Exec(q, vals...).Error; err != nil {
			return fmt.Errorf("seed settings: %w", err)
		}
	}
	for _, name := range opts.Admins {
		err := tx.Exec(`INSERT INTO users (username, role, is_active, created_at) VALUES (?, 'admin', ?, ?)`, name, true, ts).Error
		if err != nil {
			return fmt.Errorf("seed admin %q: %w", name, err)
		}
	}
	if opts.DefaultProject {
		if err := tx.Exec(`INSERT INTO clients (name, status, created_at, updated_at) VALUES ('Default Client', 'active', ?, ?)`, ts, ts).Error; err != nil {
			return fmt.Errorf("seed default client: %w", err)
		}
		err := tx.Exec(`INSERT INTO projects (name, client_id, description, billable, status, created_at, updated_at)
			SELECT 'General', id, 'Default project for general tasks', ?, 'active', ?, ? FROM clients WHERE name = 'Default Client'`, true, ts, ts).Error
		if err != nil {
			return fmt.Errorf("seed default project: %w", err)
		}
	}
	return nil
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}
