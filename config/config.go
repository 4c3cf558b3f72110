// Package config turns flags, environment variables and an optional YAML file
// into a validated Config. It knows nothing about cobra, drivers or logging
// handlers; the caller passes in the viper instance and the flag set.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// ErrInvalidConfig is returned (wrapped, with a one-line detail naming the
// key) by Load and Config.Validate when a setting is missing, malformed or out
// of range, or the config file cannot be read. Database URL errors from Load
// and Validate wrap both ErrInvalidConfig and ErrInvalidURL.
var ErrInvalidConfig = errors.New("invalid config")

// Accepted values of the enumerated settings.
var (
	LogFormats = []string{"text", "json"}
	LogLevels  = []string{"debug", "info", "warn", "error"}
	LockModes  = []string{"advisory", "lease", "none"}
)

// Config is the program's configuration. Load fills it from flags, the
// environment, an optional YAML file and defaults; keys are the mapstructure
// tags, which are also the flag names and the YAML keys.
type Config struct {
	// DatabaseURL is the raw URL and may contain the password: log
	// Database.Redacted() instead.
	DatabaseURL string `mapstructure:"database-url"`
	// DatabaseDirectURL reaches the same PostgreSQL database without a
	// pooler, for pg_dump, pg_restore and the advisory lock; "" = none. It
	// may contain a password, like DatabaseURL.
	DatabaseDirectURL string        `mapstructure:"database-direct-url"`
	DataDir           string        `mapstructure:"data-dir"`     // base of the default backup-dir
	InstanceDir       string        `mapstructure:"instance-dir"` // base of a relative sqlite:///X
	BackupDir         string        `mapstructure:"backup-dir"`   // default <data-dir>/backups
	BackupKeep        int           `mapstructure:"backup-keep"`  // backups to keep; 0 keeps all
	AllowNoBackup     bool          `mapstructure:"allow-no-backup"`
	TZ                string        `mapstructure:"tz"`
	AdminUsernames    string        `mapstructure:"admin-usernames"` // comma-separated; see AdminList
	LogFormat         string        `mapstructure:"log-format"`      // one of LogFormats
	LogFile           string        `mapstructure:"log-file"`        // "" = none
	LogLevel          string        `mapstructure:"log-level"`       // one of LogLevels
	WaitTimeout       time.Duration `mapstructure:"wait-timeout"`    // overall deadline for the database to answer
	WaitInterval      time.Duration `mapstructure:"wait-interval"`
	WaitAttempts      int           `mapstructure:"wait-attempts"`
	ConnectTimeout    time.Duration `mapstructure:"connect-timeout"` // per attempt
	LockTimeout       time.Duration `mapstructure:"lock-timeout"`
	LockMode          string        `mapstructure:"lock-mode"` // one of LockModes
	ConvertUTCShift   bool          `mapstructure:"convert-utc-shift"`
	CreateMissing     bool          `mapstructure:"create-missing"`
	// Resolve lists opt-in resolutions of legacy rows the conversion
	// cannot decide, "class=action,..." (docs/plan.md); cmd parses it.
	Resolve string `mapstructure:"resolve"`
	// ConfigFile is the YAML file that was read ("" if none): the one named
	// by --config / TIMETRACKER_CONFIG, or ./timetracker.yaml if present.
	ConfigFile string `mapstructure:"config"`

	Database Database `mapstructure:"-"` // DatabaseURL parsed; filled by Validate (and so by Load)
	// DatabaseDirect is DatabaseDirectURL parsed (zero when unset).
	DatabaseDirect Database `mapstructure:"-"`
	// DatabaseSource names what chose the database: "--database-url",
	// "DATABASE_URL", "TIMETRACKER_DATABASE_URL", "config file PATH", the
	// POSTGRES_* variables that were set, or "default".
	DatabaseSource string   `mapstructure:"-"`
	Notes          []string `mapstructure:"-"` // decisions taken by Load, for the caller to log; no secrets
}

// minDuration guards against unit-less numbers, which would mean nanoseconds.
const minDuration = time.Millisecond

// Validate checks every setting and parses DatabaseURL into c.Database (when
// DatabaseURL is empty, an already filled c.Database is accepted). It
// returns the first problem as a one-line error wrapping ErrInvalidConfig that
// names the key, e.g. "invalid config: wait-timeout must be positive"; URL
// problems also wrap ErrInvalidURL.
func (c *Config) Validate() error {
	for _, s := range []struct{ key, val string }{
		{"data-dir", c.DataDir},
		{"instance-dir", c.InstanceDir},
		{"backup-dir", c.BackupDir},
	} {
		if strings.TrimSpace(s.val) == "" {
			return invalid("%s must not be empty", s.key)
		}
	}
	if c.BackupKeep < 0 {
		return invalid("backup-keep must be 0 (keep all) or more, got %d", c.BackupKeep)
	}
	for _, e := range []struct {
		key, val string
		allowed  []string
	}{
		{"log-format", c.LogFormat, LogFormats},
		{"log-level", c.LogLevel, LogLevels},
		{"lock-mode", c.LockMode, LockModes},
	} {
		if !slices.Contains(e.allowed, e.val) {
			return invalid("%s must be one of %s, got %q", e.key, strings.Join(e.allowed, ", "), e.val)
		}
	}
	for _, d := range []struct {
		key string
		val time.Duration
	}{
		{"wait-timeout", c.WaitTimeout},
		{"wait-interval", c.WaitInterval},
		{"connect-timeout", c.ConnectTimeout},
		{"lock-timeout", c.LockTimeout},
	} {
		if d.val <= 0 {
			return invalid("%s must be positive", d.key)
		}
		if d.val < minDuration {
			return invalid("%s is %s; give a unit, e.g. 30s", d.key, d.val)
		}
	}
	if err := checkZone(c.TZ); err != nil {
		return err
	}
	if c.WaitAttempts < 0 {
		return invalid("wait-attempts must be 0 (no cap: wait-timeout alone ends the wait) or more, got %d", c.WaitAttempts)
	}

	switch {
	case strings.TrimSpace(c.DatabaseURL) != "":
		db, err := ParseDatabaseURL(c.DatabaseURL, c.InstanceDir)
		if err != nil {
			return fmt.Errorf("%w: database-url: %w", ErrInvalidConfig, err)
		}
		c.Database = db
	case c.Database.Dialect == "":
		return invalid("database-url must not be empty")
	}
	if c.DatabaseDirectURL != "" {
		db, err := ParseDatabaseURL(c.DatabaseDirectURL, c.InstanceDir)
		if err != nil {
			return fmt.Errorf("%w: database-direct-url: %w", ErrInvalidConfig, err)
		}
		if db.Dialect != Postgres || c.Database.Dialect != Postgres {
			return invalid("database-direct-url is for PostgreSQL behind a pooler; both it and database-url must be postgresql:// URLs")
		}
		if db.Name != c.Database.Name {
			return invalid("database-direct-url names database %q, database-url %q; both must reach the same database", db.Name, c.Database.Name)
		}
		c.DatabaseDirect = db
	}
	if c.Database.Dialect == SQLite && isMemoryPath(c.Database.Path) {
		return fmt.Errorf("%w: database-url: %w: an in-memory SQLite database vanishes when the program exits and can never serve TimeTracker; give a file, e.g. sqlite:////data/timetracker.db",
			ErrInvalidConfig, ErrInvalidURL)
	}
	return nil
}

// isMemoryPath reports a SQLite path that means an in-memory database:
// ":memory:" (sqlite://, sqlite:///:memory:) or a file name in SQLite's URI
// form (file::memory:, file:x?mode=memory), which would only create an oddly
// named file.
func isMemoryPath(p string) bool {
	base := filepath.Base(p)
	return p == MemoryPath || base == MemoryPath || strings.HasPrefix(base, "file:")
}

// checkZone refuses a TZ that names no zone: TimeTracker would store it in
// its settings and then silently use UTC, and the log would be in UTC too.
// "Local" is Go's name for the system zone, unknown to TimeTracker.
func checkZone(tz string) error {
	if tz == "" {
		return nil
	}
	if _, err := time.LoadLocation(tz); err != nil || tz == "Local" || utf8.RuneCountInString(tz) > maxZoneLen {
		return invalid("tz: unknown time zone %q; use a name from the tz database such as Europe/Berlin or UTC, or unset TZ for the system zone", tz)
	}
	return nil
}

// maxZoneLen is the width of settings.timezone.
const maxZoneLen = 50

// SystemZone names the system's time zone for the settings row when TZ is
// unset: the zoneinfo file /etc/localtime links to, else /etc/timezone, else
// UTC (Go's time.Local is UTC without /etc/localtime).
func SystemZone() string {
	return systemZone("/etc/timezone", "/etc/localtime")
}

func systemZone(timezoneFile, localtime string) string {
	valid := func(name string) bool {
		_, err := time.LoadLocation(name)
		return name != "" && name != "Local" && err == nil && utf8.RuneCountInString(name) <= maxZoneLen
	}
	// /etc/localtime first: it is what time.Local, and so the log, uses.
	if target, err := filepath.EvalSymlinks(localtime); err == nil {
		if _, name, ok := strings.Cut(filepath.ToSlash(target), "zoneinfo/"); ok && valid(name) {
			return name
		}
	}
	if b, err := os.ReadFile(timezoneFile); err == nil {
		if name := strings.TrimSpace(string(b)); valid(name) {
			return name
		}
	}
	return "UTC"
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidConfig, fmt.Sprintf(format, args...))
}

// AdminList splits an ADMIN_USERNAMES value: on ',', trimmed, lower-cased
// (TimeTracker lower-cases usernames at login), empty items dropped,
// duplicates removed keeping the first. It never returns nil.
func AdminList(s string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, item := range strings.Split(s, ",") {
		name := strings.ToLower(strings.TrimSpace(item))
		if name == "" || seen[name] {
			continue
		}
		seen[name] = true
		out = append(out, name)
	}
	return out
}

// attrs lists every setting by key, with the database URL redacted.
func (c Config) attrs() []slog.Attr {
	return []slog.Attr{
		slog.String("database-url", c.redactedURL()),
		slog.String("database-direct-url", c.DatabaseDirect.Redacted()),
		slog.String("data-dir", c.DataDir),
		slog.String("instance-dir", c.InstanceDir),
		slog.String("backup-dir", c.BackupDir),
		slog.Int("backup-keep", c.BackupKeep),
		slog.Bool("allow-no-backup", c.AllowNoBackup),
		slog.String("tz", c.TZ),
		slog.String("admin-usernames", c.AdminUsernames),
		slog.String("log-format", c.LogFormat),
		slog.String("log-file", c.LogFile),
		slog.String("log-level", c.LogLevel),
		slog.Duration("wait-timeout", c.WaitTimeout),
		slog.Duration("wait-interval", c.WaitInterval),
		slog.Int("wait-attempts", c.WaitAttempts),
		slog.Duration("connect-timeout", c.ConnectTimeout),
		slog.Duration("lock-timeout", c.LockTimeout),
		slog.String("lock-mode", c.LockMode),
		slog.Bool("convert-utc-shift", c.ConvertUTCShift),
		slog.Bool("create-missing", c.CreateMissing),
		slog.String("resolve", c.Resolve),
		slog.String("config", c.ConfigFile),
	}
}

func (c Config) redactedURL() string {
	if c.Database.Dialect != "" {
		return c.Database.Redacted()
	}
	if strings.TrimSpace(c.DatabaseURL) == "" {
		return ""
	}
	if db, err := ParseDatabaseURL(c.DatabaseURL, c.InstanceDir); err == nil {
		return db.Redacted()
	}
	return "(invalid, hidden)"
}

// LogValue makes slog log every setting with the database URL redacted.
func (c Config) LogValue() slog.Value { return slog.GroupValue(c.attrs()...) }

// String renders "key=value ..." for every setting, the database URL
// redacted, so %v and %+v never show the password.
func (c Config) String() string {
	var b strings.Builder
	for i, a := range c.attrs() {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s=%q", a.Key, a.Value.String())
	}
	return b.String()
}

// GoString keeps %#v from printing the password.
func (c Config) GoString() string { return "config.Config{" + c.String() + "}" }
