package bootstrap

import (
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/timetracker/timetracker/internal/schema"
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

// Validate checks the seed values against the columns they go into (head
// is the schema of the models), so that a value the database would refuse
// stops the run before anything is done. Errors wrap ErrInvalidSeed.
func (o SeedOptions) Validate(head schema.Schema) error {
	limit := func(table, column string) int {
		t, ok := head.Table(table)
		if !ok {
			return 0
		}
		c, ok := t.Column(column)
		if !ok || c.Type.Kind != schema.Varchar {
			return 0
		}
		return c.Type.Length
	}
	if n := limit("users", "username"); n > 0 {
		for _, name := range o.Admins {
			if utf8.RuneCountInString(name) > n {
				return fmt.Errorf("%w: admin username %q is %d characters long; users.username holds at most %d (fix ADMIN_USERNAMES)",
					ErrInvalidSeed, name, utf8.RuneCountInString(name), n)
			}
		}
	}
	keys := make([]string, 0, len(o.Settings))
	for k := range o.Settings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v, ok := o.Settings[k].(string)
		if !ok {
			continue
		}
		if n := limit("settings", k); n > 0 && utf8.RuneCountInString(v) > n {
			return fmt.Errorf("%w: settings.%s holds at most %d characters, got %q", ErrInvalidSeed, k, n, v)
		}
	}
	return nil
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
