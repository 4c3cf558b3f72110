package config

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"
)

// EnvPrefix prefixes the environment variable of every key, with '-' turned
// into '_' (TIMETRACKER_WAIT_TIMEOUT). database-url, backup-dir, tz and
// admin-usernames are also read from their unprefixed TimeTracker names,
// which take precedence over the prefixed ones.
const EnvPrefix = "TIMETRACKER_"

// DefaultSQLiteFile is the database used when neither DATABASE_URL nor
// POSTGRES_* is set: a SQLite file in the data directory, so the program
// works with no configuration at all.
const DefaultSQLiteFile = "timetracker.db"

// DefaultConfigFile is read from the current directory when no config file is
// named; a missing one is fine.
const DefaultConfigFile = "timetracker.yaml"

// DefaultInstanceDir is TimeTracker's instance folder in its image, the
// base of relative sqlite:/// URLs when it exists.
const DefaultInstanceDir = "/app/instance"

// Defaults of the POSTGRES_* rule, as in TimeTracker's app/__init__.py.
const (
	defaultPostgresUser     = "timetracker"
	defaultPostgresPassword = "timetracker"
	defaultPostgresDB       = "timetracker"
	defaultPostgresHost     = "db"
)

// option describes one key: its default (whose type is the flag's type), its
// unprefixed TimeTracker variable if any, and its help text.
type option struct {
	key      string
	def      any // string, bool, int or time.Duration
	plainEnv string
	usage    string
}

var options = []option{
	{"database-url", "", "DATABASE_URL", "database URL: postgresql://user:password@host:5432/db, sqlite:///relative/to/instance-dir.db or sqlite:////absolute.db (default: built from POSTGRES_DB/_USER/_PASSWORD/_HOST if set, else sqlite <data-dir>/" + DefaultSQLiteFile + ")"},
	{"database-direct-url", "", "", "PostgreSQL URL that bypasses a connection pooler (PgBouncer): pg_dump, pg_restore and the advisory lock use it when set (default: none; behind transaction pooling backups are then copied inside the database)"},
	{"data-dir", "./data", "", "data directory: holds the default SQLite database and, unless backup-dir is set, <data-dir>/backups (the image sets /data)"},
	{"instance-dir", DefaultInstanceDir, "", "TimeTracker instance folder: base of relative sqlite:///X paths (when left at " + DefaultInstanceDir + " and that does not exist, as outside TimeTracker's image: the working directory)"},
	{"backup-dir", "", "BACKUP_DIR", "directory for backups taken before changing an existing database (default <data-dir>/backups)"},
	{"backup-keep", 10, "", "number of backups to keep (0 keeps all)"},
	{"allow-no-backup", false, "", "continue when the backup fails (default: abort)"},
	{"tz", "", "TZ", "time zone for log timestamps and the settings seed, e.g. Europe/Rome (default: the system zone)"},
	{"admin-usernames", "admin", "ADMIN_USERNAMES", "comma-separated usernames to create or promote as admins"},
	{"log-format", "text", "", "log format: " + strings.Join(LogFormats, "|")},
	{"log-file", "", "", "also write the log to this file (default: none)"},
	{"log-level", "info", "", "log level: " + strings.Join(LogLevels, "|")},
	{"wait-timeout", 60 * time.Second, "", "how long to wait for the database to become reachable (this deadline alone ends the wait)"},
	{"wait-interval", 2 * time.Second, "", "pause between connection attempts"},
	{"wait-attempts", 0, "", "also stop waiting after this many connection attempts (0, the default: only wait-timeout ends the wait)"},
	{"connect-timeout", 5 * time.Second, "", "timeout of one connection attempt"},
	{"lock-timeout", 120 * time.Second, "", "how long to wait for the migration lock"},
	{"lock-mode", "advisory", "", "locking between instances: " + strings.Join(LockModes, "|")},
	{"convert-utc-shift", false, "", "legacy S1 conversion: shift timer entries (source 'auto', stored in UTC) to the local zone of settings.timezone, else TZ"},
	{"create-missing", false, "", "legacy conversion: create missing core tables of a partially installed database instead of refusing it"},
	{"resolve", "", "", "legacy conversion: opt-in resolutions of rows the rules cannot decide, class=action[,...], e.g. invoices-without-project=placeholder-project (see docs/plan.md)"},
	{"config", "", "", "YAML config file (default: ./" + DefaultConfigFile + " if present)"},
}

// envNames returns the variables bound to o's key, highest precedence first.
func (o option) envNames() []string {
	prefixed := EnvPrefix + strings.ToUpper(strings.ReplaceAll(o.key, "-", "_"))
	if o.plainEnv != "" {
		return []string{o.plainEnv, prefixed}
	}
	return []string{prefixed}
}

// AddFlags registers one flag per configuration key, named like the key
// (--database-url, --data-dir, --wait-timeout, ...). The help text names the
// environment variables; static defaults are the flag defaults, so pflag
// prints them.
func AddFlags(fs *pflag.FlagSet) {
	for _, o := range options {
		usage := o.usage + " (env " + strings.Join(o.envNames(), ", ") + ")"
		switch def := o.def.(type) {
		case string:
			fs.String(o.key, def, usage)
		case bool:
			fs.Bool(o.key, def, usage)
		case int:
			fs.Int(o.key, def, usage)
		case time.Duration:
			fs.Duration(o.key, def, usage)
		default:
			panic("config: unsupported option type for " + o.key)
		}
	}
}

// Load reads the configuration into a Config and validates it.
//
// Precedence per key: a flag of fs that was set on the command line, then the
// environment, then the YAML config file, then the default. fs may be nil,
// and may lack some of the flags AddFlags registers. The config file is the
// one named by --config / TIMETRACKER_CONFIG (it must exist and parse), else
// ./timetracker.yaml if it exists; unknown keys in it are an error.
//
// The database URL follows the same precedence (--database-url, then
// DATABASE_URL / TIMETRACKER_DATABASE_URL, then the file's database-url).
// Only when none of them gives one, and any of POSTGRES_DB, POSTGRES_USER,
// POSTGRES_PASSWORD is set, is the URL built from POSTGRES_*; else the
// SQLite file <data-dir>/timetracker.db is used. DatabaseSource names the
// choice, and Notes record it (and POSTGRES_* variables that were ignored). backup-dir defaults to
// <data-dir>/backups. Load creates no files or directories.
//
// Errors wrap ErrInvalidConfig (and ErrInvalidURL for URL problems).
func Load(v *viper.Viper, fs *pflag.FlagSet) (Config, error) {
	if v == nil {
		v = viper.New()
	}
	for _, o := range options {
		v.SetDefault(o.key, o.def)
		if err := v.BindEnv(append([]string{o.key}, o.envNames()...)...); err != nil {
			return Config{}, fmt.Errorf("%w: %s: bind env: %v", ErrInvalidConfig, o.key, err)
		}
		if fs == nil {
			continue
		}
		if f := fs.Lookup(o.key); f != nil {
			if err := v.BindPFlag(o.key, f); err != nil {
				return Config{}, fmt.Errorf("%w: %s: bind flag: %v", ErrInvalidConfig, o.key, err)
			}
		}
	}

	file, err := readConfigFile(v)
	if err != nil {
		return Config{}, err
	}
	if err := checkTypes(v); err != nil {
		return Config{}, err
	}

	var c Config
	if err := v.Unmarshal(&c); err != nil {
		return Config{}, fmt.Errorf("%w: %s", ErrInvalidConfig, oneLine(err.Error()))
	}
	c.ConfigFile = file
	for _, s := range []*string{&c.LogFormat, &c.LogLevel, &c.LockMode} {
		*s = strings.ToLower(strings.TrimSpace(*s))
	}
	c.DatabaseURL = strings.TrimSpace(c.DatabaseURL)
	c.DatabaseDirectURL = strings.TrimSpace(c.DatabaseDirectURL)

	c.DatabaseSource = databaseURLSource(v, fs, file)
	pgURL, pgSet := postgresEnvURL()
	switch {
	case c.DatabaseSource != "":
		c.Notes = append(c.Notes, fmt.Sprintf("database from %s: %s", c.DatabaseSource, redactOrHide(c.DatabaseURL, c.InstanceDir)))
		if len(pgSet) > 0 {
			c.Notes = append(c.Notes, fmt.Sprintf("ignoring %s: the database given by %s wins (POSTGRES_* apply only when no database URL is given)",
				strings.Join(pgSet, ", "), c.DatabaseSource))
		}
	case pgURL != "":
		c.DatabaseURL = pgURL
		c.DatabaseSource = strings.Join(pgSet, ", ")
		c.Notes = append(c.Notes, fmt.Sprintf(
			"database from %s (no DATABASE_URL given): %s", c.DatabaseSource, redactOrHide(pgURL, "")))
	case strings.TrimSpace(c.DataDir) != "":
		abs, err := filepath.Abs(filepath.Join(c.DataDir, DefaultSQLiteFile))
		if err != nil {
			return Config{}, fmt.Errorf("%w: data-dir: %v", ErrInvalidConfig, err)
		}
		c.DatabaseURL = "sqlite:///" + abs
		c.DatabaseSource = "default"
		c.Notes = append(c.Notes, "DATABASE_URL not set: using SQLite "+abs)
	}
	// Outside TimeTracker's image there is no /app/instance: a relative
	// sqlite:/// URL is then resolved against the working directory rather
	// than creating /app/instance.
	if c.InstanceDir == DefaultInstanceDir {
		if st, err := os.Stat(DefaultInstanceDir); err != nil || !st.IsDir() {
			if wd, err := os.Getwd(); err == nil {
				c.InstanceDir = wd
			}
		}
	}
	if strings.TrimSpace(c.BackupDir) == "" && strings.TrimSpace(c.DataDir) != "" {
		c.BackupDir = filepath.Join(c.DataDir, "backups")
	}

	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// databaseURLSource names where a user-given database URL came from, by
// precedence: "--database-url", "DATABASE_URL", "TIMETRACKER_DATABASE_URL",
// "config file PATH"; "" when the user gave none.
func databaseURLSource(v *viper.Viper, fs *pflag.FlagSet, file string) string {
	if fs != nil {
		if f := fs.Lookup("database-url"); f != nil && f.Changed && strings.TrimSpace(f.Value.String()) != "" {
			return "--database-url"
		}
	}
	for _, name := range []string{"DATABASE_URL", EnvPrefix + "DATABASE_URL"} {
		if strings.TrimSpace(os.Getenv(name)) != "" {
			return name
		}
	}
	if file != "" && v.InConfig("database-url") && strings.TrimSpace(v.GetString("database-url")) != "" {
		return "config file " + file
	}
	return ""
}

// readConfigFile merges the YAML config file, if any, into v and returns its
// path ("" when none was read).
func readConfigFile(v *viper.Viper) (string, error) {
	path := strings.TrimSpace(v.GetString("config"))
	if path == "" {
		switch info, err := os.Stat(DefaultConfigFile); {
		case errors.Is(err, os.ErrNotExist):
			return "", nil
		case err != nil:
			return "", fmt.Errorf("%w: config file: %v", ErrInvalidConfig, err)
		case info.IsDir():
			return "", nil
		}
		abs, err := filepath.Abs(DefaultConfigFile)
		if err != nil {
			return "", fmt.Errorf("%w: config file: %v", ErrInvalidConfig, err)
		}
		path = abs
	}

	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("%w: config file: %v", ErrInvalidConfig, err)
	}
	// Parse into a separate instance first, so the keys of the file alone
	// can be checked.
	fv := viper.New()
	fv.SetConfigType("yaml")
	if err := fv.ReadConfig(bytes.NewReader(data)); err != nil {
		return "", fmt.Errorf("%w: config file %s: %s", ErrInvalidConfig, path, oneLine(err.Error()))
	}
	known := make(map[string]bool, len(options))
	for _, o := range options {
		known[o.key] = true
	}
	var unknown []string
	for _, k := range fv.AllKeys() {
		if !known[k] || k == "config" {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return "", fmt.Errorf("%w: config file %s: unsupported key(s) %s (keys are the flag names except config, e.g. wait-timeout)",
			ErrInvalidConfig, path, strings.Join(unknown, ", "))
	}
	if err := v.MergeConfigMap(fv.AllSettings()); err != nil {
		return "", fmt.Errorf("%w: config file %s: %s", ErrInvalidConfig, path, oneLine(err.Error()))
	}
	return path, nil
}

// checkTypes reports a value that cannot become its key's type with a one-line
// error naming the key, before Unmarshal would report it less clearly. A
// bare number is refused for durations: it would mean nanoseconds.
func checkTypes(v *viper.Viper) error {
	for _, o := range options {
		raw := v.Get(o.key)
		var ok bool
		switch o.def.(type) {
		case string:
			continue
		case time.Duration:
			switch x := raw.(type) {
			case time.Duration:
				ok = true
			case string:
				_, err := time.ParseDuration(strings.TrimSpace(x))
				ok = err == nil
			}
			if !ok {
				return fmt.Errorf("%w: %s: invalid duration %s (use a unit, e.g. 30s or 2m)", ErrInvalidConfig, o.key, quote(raw))
			}
		case int:
			switch x := raw.(type) {
			case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
				ok = true
			case string:
				_, err := strconv.Atoi(strings.TrimSpace(x))
				ok = err == nil
			}
			if !ok {
				return fmt.Errorf("%w: %s: invalid integer %s", ErrInvalidConfig, o.key, quote(raw))
			}
		case bool:
			switch x := raw.(type) {
			case bool:
				ok = true
			case string:
				_, err := strconv.ParseBool(strings.TrimSpace(x))
				ok = err == nil
			}
			if !ok {
				return fmt.Errorf("%w: %s: invalid boolean %s (use true or false)", ErrInvalidConfig, o.key, quote(raw))
			}
		}
	}
	return nil
}

func quote(v any) string {
	if s, ok := v.(string); ok {
		return strconv.Quote(s)
	}
	return fmt.Sprintf("%v", v)
}

// postgresEnvURL applies TimeTracker's POSTGRES_* rule: when any of
// POSTGRES_DB, POSTGRES_USER, POSTGRES_PASSWORD is set (non-empty), it
// returns postgresql://USER:PASSWORD@HOST:5432/DB with defaults for the unset
// ones (an empty variable counts as unset), and the names of the variables
// that triggered it. It returns "" when none is set.
func postgresEnvURL() (string, []string) {
	var set []string
	for _, name := range []string{"POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD"} {
		if os.Getenv(name) != "" {
			set = append(set, name)
		}
	}
	if len(set) == 0 {
		return "", nil
	}
	get := func(name, def string) string {
		if s := os.Getenv(name); s != "" {
			return s
		}
		return def
	}
	user := get("POSTGRES_USER", defaultPostgresUser)
	password := get("POSTGRES_PASSWORD", defaultPostgresPassword)
	db := get("POSTGRES_DB", defaultPostgresDB)
	host := get("POSTGRES_HOST", defaultPostgresHost)
	u := "postgresql://" + url.UserPassword(user, password).String() + "@" +
		net.JoinHostPort(host, strconv.Itoa(DefaultPostgresPort)) + "/" + url.PathEscape(db)
	return u, set
}

func redactOrHide(raw, instanceDir string) string {
	if db, err := ParseDatabaseURL(raw, instanceDir); err == nil {
		return db.Redacted()
	}
	return "an invalid URL (see the error below)"
}

// oneLine folds a multi-line error text into one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
