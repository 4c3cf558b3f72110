package config

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"
	"github.com/stretchr/testify/require"
)

// isolate runs the test in an empty working directory (no timetracker.yaml)
// with every variable Load reads unset.
func isolate(t *testing.T) {
	t.Helper()
	t.Chdir(t.TempDir())
	names := []string{"POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_HOST"}
	for _, o := range options {
		names = append(names, o.envNames()...)
	}
	for _, n := range names {
		t.Setenv(n, "") // restores the old value after the test
		require.NoError(t, os.Unsetenv(n))
	}
}

func writeFile(t *testing.T, path, content string) string {
	t.Helper()
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return path
}

// load runs Load with a fresh viper and a flag set parsed from args.
func load(t *testing.T, args ...string) (Config, error) {
	t.Helper()
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	AddFlags(fs)
	require.NoError(t, fs.Parse(args))
	return Load(viper.New(), fs)
}

func mustLoad(t *testing.T, args ...string) Config {
	t.Helper()
	c, err := load(t, args...)
	require.NoError(t, err)
	return c
}

func TestLoadDefaults(t *testing.T) {
	isolate(t)
	c := mustLoad(t)

	wd, err := os.Getwd()
	require.NoError(t, err)
	defaultDB := filepath.Join(wd, "data", DefaultSQLiteFile)
	require.Equal(t, "sqlite:///"+defaultDB, c.DatabaseURL)
	require.Equal(t, Database{Dialect: SQLite, Path: defaultDB}, c.Database)
	require.Equal(t, []string{"DATABASE_URL not set: using SQLite " + defaultDB}, c.Notes)
	require.Equal(t, "./data", c.DataDir)
	wantInstance := wd // no /app/instance here: the working directory
	if st, err := os.Stat(DefaultInstanceDir); err == nil && st.IsDir() {
		wantInstance = DefaultInstanceDir
	}
	require.Equal(t, wantInstance, c.InstanceDir)
	require.Equal(t, filepath.Join("./data", "backups"), c.BackupDir)
	require.Equal(t, 10, c.BackupKeep)
	require.False(t, c.AllowNoBackup)
	require.Empty(t, c.TZ)
	require.Equal(t, "admin", c.AdminUsernames)
	require.Equal(t, "text", c.LogFormat)
	require.Empty(t, c.LogFile)
	require.Equal(t, "info", c.LogLevel)
	require.Equal(t, 60*time.Second, c.WaitTimeout)
	require.Equal(t, 2*time.Second, c.WaitInterval)
	require.Equal(t, 0, c.WaitAttempts, "off: the deadline governs")
	require.Equal(t, 5*time.Second, c.ConnectTimeout)
	require.Equal(t, 120*time.Second, c.LockTimeout)
	require.Equal(t, "advisory", c.LockMode)
	require.False(t, c.ConvertUTCShift)
	require.False(t, c.CreateMissing)
	require.Empty(t, c.ConfigFile)

	// Same without a flag set and without a viper.
	c2, err := Load(nil, nil)
	require.NoError(t, err)
	require.Equal(t, c, c2)
}

// One key at every level; peel the levels off from the top.
func TestLoadPrecedence(t *testing.T) {
	isolate(t)
	writeFile(t, DefaultConfigFile, "wait-timeout: 20s\nlog-level: warn\ndatabase-url: sqlite:////from/file.db\n")
	t.Setenv("TIMETRACKER_WAIT_TIMEOUT", "30s")
	t.Setenv("TIMETRACKER_LOG_LEVEL", "error")
	t.Setenv("DATABASE_URL", "sqlite:////from/env.db")
	flags := []string{"--wait-timeout=40s", "--log-level=debug", "--database-url=sqlite:////from/flag.db"}

	c := mustLoad(t, flags...)
	require.Equal(t, 40*time.Second, c.WaitTimeout, "flag wins")
	require.Equal(t, "debug", c.LogLevel)
	require.Equal(t, "/from/flag.db", c.Database.Path)

	c = mustLoad(t) // flags registered but not changed
	require.Equal(t, 30*time.Second, c.WaitTimeout, "env beats file")
	require.Equal(t, "error", c.LogLevel)
	require.Equal(t, "/from/env.db", c.Database.Path)

	require.NoError(t, os.Unsetenv("TIMETRACKER_WAIT_TIMEOUT"))
	require.NoError(t, os.Unsetenv("TIMETRACKER_LOG_LEVEL"))
	require.NoError(t, os.Unsetenv("DATABASE_URL"))
	c = mustLoad(t)
	require.Equal(t, 20*time.Second, c.WaitTimeout, "file beats default")
	require.Equal(t, "warn", c.LogLevel)
	require.Equal(t, "/from/file.db", c.Database.Path)

	require.NoError(t, os.Remove(DefaultConfigFile))
	c = mustLoad(t)
	require.Equal(t, 60*time.Second, c.WaitTimeout, "default")
	require.Equal(t, "info", c.LogLevel)
	require.Equal(t, SQLite, c.Database.Dialect, "no DATABASE_URL anywhere: the SQLite default")
}

func TestLoadEnv(t *testing.T) {
	tests := []struct {
		name  string
		env   map[string]string
		check func(t *testing.T, c Config)
	}{
		{"prefixed duration, int, bool, enum", map[string]string{
			"TIMETRACKER_WAIT_TIMEOUT":    "10s",
			"TIMETRACKER_WAIT_INTERVAL":   "500ms",
			"TIMETRACKER_WAIT_ATTEMPTS":   "3",
			"TIMETRACKER_CONNECT_TIMEOUT": "1m",
			"TIMETRACKER_LOCK_TIMEOUT":    "2m",
			"TIMETRACKER_BACKUP_KEEP":     "0",
			"TIMETRACKER_ALLOW_NO_BACKUP": "true",
			"TIMETRACKER_CREATE_MISSING":  "1",
			"TIMETRACKER_LOG_FORMAT":      "JSON",
			"TIMETRACKER_LOCK_MODE":       " lease ",
			"TIMETRACKER_LOG_FILE":        "/var/log/tt.log",
		}, func(t *testing.T, c Config) {
			require.Equal(t, 10*time.Second, c.WaitTimeout)
			require.Equal(t, 500*time.Millisecond, c.WaitInterval)
			require.Equal(t, 3, c.WaitAttempts)
			require.Equal(t, time.Minute, c.ConnectTimeout)
			require.Equal(t, 2*time.Minute, c.LockTimeout)
			require.Equal(t, 0, c.BackupKeep)
			require.True(t, c.AllowNoBackup)
			require.True(t, c.CreateMissing)
			require.Equal(t, "json", c.LogFormat)
			require.Equal(t, "lease", c.LockMode)
			require.Equal(t, "/var/log/tt.log", c.LogFile)
		}},
		{"unprefixed TimeTracker names", map[string]string{
			"DATABASE_URL":    "postgres://u:p@pg/tt",
			"TZ":              "Europe/Rome",
			"BACKUP_DIR":      "/backups",
			"ADMIN_USERNAMES": "alice,bob",
		}, func(t *testing.T, c Config) {
			require.Equal(t, "pg", c.Database.Host)
			require.Equal(t, "Europe/Rome", c.TZ)
			require.Equal(t, "/backups", c.BackupDir)
			require.Equal(t, "alice,bob", c.AdminUsernames)
			require.Equal(t, []string{"database from DATABASE_URL: postgresql://u:***@pg:5432/tt"}, c.Notes)
		}},
		{"prefixed forms of the unprefixed names", map[string]string{
			"TIMETRACKER_DATABASE_URL":    "postgres://u:p@pg2/tt",
			"TIMETRACKER_TZ":              "UTC",
			"TIMETRACKER_BACKUP_DIR":      "/bk",
			"TIMETRACKER_ADMIN_USERNAMES": "carol",
		}, func(t *testing.T, c Config) {
			require.Equal(t, "pg2", c.Database.Host)
			require.Equal(t, "UTC", c.TZ)
			require.Equal(t, "/bk", c.BackupDir)
			require.Equal(t, "carol", c.AdminUsernames)
		}},
		{"unprefixed beats prefixed", map[string]string{
			"DATABASE_URL":             "postgres://u:p@plain/tt",
			"TIMETRACKER_DATABASE_URL": "postgres://u:p@prefixed/tt",
			"BACKUP_DIR":               "/plain",
			"TIMETRACKER_BACKUP_DIR":   "/prefixed",
		}, func(t *testing.T, c Config) {
			require.Equal(t, "plain", c.Database.Host)
			require.Equal(t, "/plain", c.BackupDir)
		}},
		{"backup-dir follows data-dir", map[string]string{
			"TIMETRACKER_DATA_DIR": "./var",
		}, func(t *testing.T, c Config) {
			require.Equal(t, "./var", c.DataDir, "kept as given")
			require.Equal(t, filepath.Join("var", "backups"), c.BackupDir)
		}},
		{"relative sqlite against instance-dir", map[string]string{
			"DATABASE_URL":             "sqlite:///tt.db",
			"TIMETRACKER_INSTANCE_DIR": "/srv/instance",
		}, func(t *testing.T, c Config) {
			require.Equal(t, Database{Dialect: SQLite, Path: "/srv/instance/tt.db", Relative: true}, c.Database)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			isolate(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			tt.check(t, mustLoad(t))
		})
	}
}

func TestLoadConfigFile(t *testing.T) {
	t.Run("discovered in the working directory", func(t *testing.T) {
		isolate(t)
		writeFile(t, DefaultConfigFile, "backup-keep: 4\nwait-timeout: 2m\nallow-no-backup: true\nadmin-usernames: root\n")
		c := mustLoad(t)
		require.Equal(t, 4, c.BackupKeep)
		require.Equal(t, 2*time.Minute, c.WaitTimeout)
		require.True(t, c.AllowNoBackup)
		require.Equal(t, "root", c.AdminUsernames)
		wd, err := os.Getwd()
		require.NoError(t, err)
		require.Equal(t, filepath.Join(wd, DefaultConfigFile), c.ConfigFile)
	})
	t.Run("named by flag", func(t *testing.T) {
		isolate(t)
		path := writeFile(t, filepath.Join(t.TempDir(), "custom.conf"), "log-format: json\n")
		c := mustLoad(t, "--config", path)
		require.Equal(t, "json", c.LogFormat)
		require.Equal(t, path, c.ConfigFile)
	})
	t.Run("named by TIMETRACKER_CONFIG, beats discovery", func(t *testing.T) {
		isolate(t)
		writeFile(t, DefaultConfigFile, "log-format: text\n")
		path := writeFile(t, filepath.Join(t.TempDir(), "tt.yaml"), "log-format: json\n")
		t.Setenv("TIMETRACKER_CONFIG", path)
		c := mustLoad(t)
		require.Equal(t, "json", c.LogFormat)
		require.Equal(t, path, c.ConfigFile)
	})
	t.Run("empty file", func(t *testing.T) {
		isolate(t)
		writeFile(t, DefaultConfigFile, "")
		c := mustLoad(t)
		require.Equal(t, 10, c.BackupKeep)
	})

	errTests := []struct {
		name    string
		content string // written to ./timetracker.yaml unless empty
		args    []string
		wantMsg string
	}{
		{"named file missing", "", []string{"--config", "/nonexistent/tt.yaml"}, "config file: open /nonexistent/tt.yaml"},
		{"malformed YAML", "wait-timeout: [1, 2\n", nil, "config file"},
		{"unknown key", "wait_timeout: 10s\ndatabase-url: sqlite://\n", nil, "unsupported key(s) wait_timeout"},
		{"nested unknown key", "log:\n  level: debug\n", nil, "unsupported key(s) log.level"},
		{"config key in file", "config: other.yaml\n", nil, "unsupported key(s) config"},
		{"bare number for duration", "wait-timeout: 60\n", nil, "wait-timeout: invalid duration 60"},
		{"bad duration", "lock-timeout: soon\n", nil, `lock-timeout: invalid duration "soon"`},
		{"bad int", "backup-keep: many\n", nil, `backup-keep: invalid integer "many"`},
		{"bad bool", "create-missing: maybe\n", nil, `create-missing: invalid boolean "maybe"`},
	}
	for _, tt := range errTests {
		t.Run(tt.name, func(t *testing.T) {
			isolate(t)
			if tt.content != "" {
				writeFile(t, DefaultConfigFile, tt.content)
			}
			_, err := load(t, tt.args...)
			require.ErrorIs(t, err, ErrInvalidConfig)
			require.Contains(t, err.Error(), tt.wantMsg)
			require.NotContains(t, err.Error(), "\n")
		})
	}
}

func TestLoadInvalid(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		args    []string
		wantMsg string
		isURL   bool
	}{
		{"env duration", map[string]string{"TIMETRACKER_WAIT_TIMEOUT": "abc"}, nil, `invalid config: wait-timeout: invalid duration "abc"`, false},
		{"flag zero duration", nil, []string{"--wait-timeout=0s"}, "invalid config: wait-timeout must be positive", false},
		{"env int", map[string]string{"TIMETRACKER_WAIT_ATTEMPTS": "x"}, nil, `invalid config: wait-attempts: invalid integer "x"`, false},
		{"env bool", map[string]string{"TIMETRACKER_CONVERT_UTC_SHIFT": "yes"}, nil, `invalid config: convert-utc-shift: invalid boolean "yes"`, false},
		{"log format", map[string]string{"TIMETRACKER_LOG_FORMAT": "xml"}, nil, `invalid config: log-format must be one of text, json, got "xml"`, false},
		{"bad database URL", map[string]string{"DATABASE_URL": "mysql://u:S3cr3t@h/db"}, nil, `invalid config: database-url: invalid database URL: unsupported scheme "mysql"`, true},
		{"sqlite without path", nil, []string{"--database-url", "sqlite:///"}, "invalid config: database-url: invalid database URL: missing SQLite file path", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			isolate(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			_, err := load(t, tt.args...)
			require.ErrorIs(t, err, ErrInvalidConfig)
			if tt.isURL {
				require.ErrorIs(t, err, ErrInvalidURL)
			}
			require.Contains(t, err.Error(), tt.wantMsg)
			require.NotContains(t, err.Error(), "S3cr3t")
		})
	}
}

func TestLoadPostgresEnv(t *testing.T) {
	const secret = "p@ss:S3cr3t/%x"
	tests := []struct {
		name      string
		env       map[string]string
		want      Database
		wantNotes []string
	}{
		{"a sqlite DATABASE_URL wins over POSTGRES_*",
			map[string]string{"DATABASE_URL": "sqlite:////data/tt.db", "POSTGRES_PASSWORD": secret},
			Database{Dialect: SQLite, Path: "/data/tt.db"},
			[]string{"database from DATABASE_URL: sqlite:////data/tt.db",
				"ignoring POSTGRES_PASSWORD: the database given by DATABASE_URL wins (POSTGRES_* apply only when no database URL is given)"}},
		{"no URL anywhere, defaults filled",
			map[string]string{"POSTGRES_PASSWORD": secret},
			Database{Dialect: Postgres, Host: "db", Port: 5432, User: "timetracker", Password: secret, Name: "timetracker"},
			[]string{"database from POSTGRES_PASSWORD (no DATABASE_URL given): postgresql://timetracker:***@db:5432/timetracker"}},
		{"empty URL, all variables",
			map[string]string{"POSTGRES_DB": "tt db", "POSTGRES_USER": "Tim@x", "POSTGRES_PASSWORD": secret, "POSTGRES_HOST": "pg.local"},
			Database{Dialect: Postgres, Host: "pg.local", Port: 5432, User: "Tim@x", Password: secret, Name: "tt db"},
			[]string{"database from POSTGRES_DB, POSTGRES_USER, POSTGRES_PASSWORD (no DATABASE_URL given): postgresql://Tim%40x:***@pg.local:5432/tt%20db"}},
		{"host alone does not trigger",
			map[string]string{"DATABASE_URL": "sqlite:////data/tt.db", "POSTGRES_HOST": "pg"},
			Database{Dialect: SQLite, Path: "/data/tt.db"},
			[]string{"database from DATABASE_URL: sqlite:////data/tt.db"}},
		{"empty variables count as unset",
			map[string]string{"DATABASE_URL": "sqlite:////data/tt.db", "POSTGRES_DB": "", "POSTGRES_PASSWORD": ""},
			Database{Dialect: SQLite, Path: "/data/tt.db"},
			[]string{"database from DATABASE_URL: sqlite:////data/tt.db"}},
		{"postgres URL kept",
			map[string]string{"DATABASE_URL": "postgresql://a:b@h/d", "POSTGRES_DB": "other"},
			Database{Dialect: Postgres, Host: "h", Port: 5432, User: "a", Password: "b", Name: "d"},
			[]string{"database from DATABASE_URL: postgresql://a:***@h:5432/d",
				"ignoring POSTGRES_DB: the database given by DATABASE_URL wins (POSTGRES_* apply only when no database URL is given)"}},
		{"ipv6 host bracketed",
			map[string]string{"POSTGRES_USER": "u", "POSTGRES_HOST": "::1"},
			Database{Dialect: Postgres, Host: "::1", Port: 5432, User: "u", Password: "timetracker", Name: "timetracker"},
			[]string{"database from POSTGRES_USER (no DATABASE_URL given): postgresql://u:***@[::1]:5432/timetracker"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			isolate(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			c := mustLoad(t)
			require.Equal(t, tt.want, c.Database)
			require.Equal(t, tt.wantNotes, c.Notes)
			secretsIn(t, strings.Join(c.Notes, "\n"), "S3cr3t", "p@ss")
		})
	}
}

// An explicit database URL, from any level, beats the POSTGRES_* variables
// every TimeTracker container carries; they are only the fallback.
func TestDatabaseURLBeatsPostgresEnv(t *testing.T) {
	setPG := func(t *testing.T) {
		t.Setenv("POSTGRES_USER", "tt")
		t.Setenv("POSTGRES_PASSWORD", "S3cr3t")
		t.Setenv("POSTGRES_DB", "tt")
	}
	t.Run("flag over POSTGRES_* and DATABASE_URL", func(t *testing.T) {
		isolate(t)
		setPG(t)
		t.Setenv("DATABASE_URL", "postgresql://u:S3cr3t@h/d")
		c := mustLoad(t, "--database-url", "sqlite:////flag/x.db")
		require.Equal(t, Database{Dialect: SQLite, Path: "/flag/x.db"}, c.Database)
		require.Equal(t, "--database-url", c.DatabaseSource)
		require.Contains(t, c.Notes, "database from --database-url: sqlite:////flag/x.db")
	})
	t.Run("flag over POSTGRES_*", func(t *testing.T) {
		isolate(t)
		setPG(t)
		c := mustLoad(t, "--database-url", "sqlite:////flag/x.db")
		require.Equal(t, SQLite, c.Database.Dialect)
		require.Equal(t, "/flag/x.db", c.Database.Path)
	})
	t.Run("config file over POSTGRES_*", func(t *testing.T) {
		isolate(t)
		setPG(t)
		writeFile(t, DefaultConfigFile, "database-url: sqlite:////file/x.db\n")
		c := mustLoad(t)
		require.Equal(t, "/file/x.db", c.Database.Path)
		require.True(t, strings.HasPrefix(c.DatabaseSource, "config file "), c.DatabaseSource)
	})
	t.Run("POSTGRES_* when nothing else", func(t *testing.T) {
		isolate(t)
		setPG(t)
		c := mustLoad(t)
		require.Equal(t, Postgres, c.Database.Dialect)
		require.Equal(t, "POSTGRES_DB, POSTGRES_USER, POSTGRES_PASSWORD", c.DatabaseSource)
	})
	t.Run("default", func(t *testing.T) {
		isolate(t)
		c := mustLoad(t)
		require.Equal(t, "default", c.DatabaseSource)
	})
}

func TestValidate(t *testing.T) {
	valid := func() Config {
		return Config{
			DatabaseURL: "sqlite:///tt.db", DataDir: "/data", InstanceDir: "/app/instance", BackupDir: "/data/backups",
			BackupKeep: 10, AdminUsernames: "admin", LogFormat: "text", LogLevel: "info",
			WaitTimeout: time.Minute, WaitInterval: time.Second, WaitAttempts: 30, ConnectTimeout: 5 * time.Second,
			LockTimeout: 2 * time.Minute, LockMode: "advisory",
		}
	}
	c := valid()
	require.NoError(t, c.Validate())
	require.Equal(t, Database{Dialect: SQLite, Path: "/app/instance/tt.db", Relative: true}, c.Database)

	tests := []struct {
		name   string
		mutate func(c *Config)
		want   string // the whole error text
		isURL  bool
	}{
		{"wait-timeout zero", func(c *Config) { c.WaitTimeout = 0 }, "invalid config: wait-timeout must be positive", false},
		{"wait-interval negative", func(c *Config) { c.WaitInterval = -time.Second }, "invalid config: wait-interval must be positive", false},
		{"connect-timeout unitless", func(c *Config) { c.ConnectTimeout = 5 }, "invalid config: connect-timeout is 5ns; give a unit, e.g. 30s", false},
		{"lock-timeout zero", func(c *Config) { c.LockTimeout = 0 }, "invalid config: lock-timeout must be positive", false},
		{"wait-attempts negative", func(c *Config) { c.WaitAttempts = -1 }, "invalid config: wait-attempts must be 0 (no cap: wait-timeout alone ends the wait) or more, got -1", false},
		{"backup-keep negative", func(c *Config) { c.BackupKeep = -1 }, "invalid config: backup-keep must be 0 (keep all) or more, got -1", false},
		{"log-format", func(c *Config) { c.LogFormat = "xml" }, `invalid config: log-format must be one of text, json, got "xml"`, false},
		{"log-level", func(c *Config) { c.LogLevel = "verbose" }, `invalid config: log-level must be one of debug, info, warn, error, got "verbose"`, false},
		{"lock-mode", func(c *Config) { c.LockMode = "flock" }, `invalid config: lock-mode must be one of advisory, lease, none, got "flock"`, false},
		{"data-dir empty", func(c *Config) { c.DataDir = "" }, "invalid config: data-dir must not be empty", false},
		{"instance-dir empty", func(c *Config) { c.InstanceDir = " " }, "invalid config: instance-dir must not be empty", false},
		{"backup-dir empty", func(c *Config) { c.BackupDir = "" }, "invalid config: backup-dir must not be empty", false},
		{"database-url empty", func(c *Config) { c.DatabaseURL = "" }, "invalid config: database-url must not be empty", false},
		{"database-url bad", func(c *Config) { c.DatabaseURL = "postgresql://u:S3cr3t@h" },
			"invalid config: database-url: invalid database URL: missing database name (add /dbname after the host)", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := valid()
			tt.mutate(&c)
			err := c.Validate()
			require.ErrorIs(t, err, ErrInvalidConfig)
			require.Equal(t, tt.want, err.Error())
			if tt.isURL {
				require.ErrorIs(t, err, ErrInvalidURL)
			}
		})
	}

	t.Run("prefilled Database without URL", func(t *testing.T) {
		c := valid()
		c.DatabaseURL = ""
		c.Database = Database{Dialect: SQLite, Path: "/data/tt.db"}
		require.NoError(t, c.Validate())
	})

	for _, u := range []string{"sqlite://", "sqlite:///:memory:", "sqlite://?cache=shared", "sqlite:///file::memory:", "sqlite:////tmp/file::memory:?cache=shared", "sqlite:///file:x?mode=memory"} {
		t.Run("in-memory "+u, func(t *testing.T) {
			c := valid()
			c.DatabaseURL = u
			err := c.Validate()
			require.ErrorIs(t, err, ErrInvalidConfig)
			require.ErrorIs(t, err, ErrInvalidURL)
			require.Contains(t, err.Error(), "in-memory SQLite database vanishes")
		})
	}
}

func TestAddFlags(t *testing.T) {
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	AddFlags(fs)
	var names []string
	fs.VisitAll(func(f *pflag.Flag) { names = append(names, f.Name) })
	require.ElementsMatch(t, []string{
		"database-url", "database-direct-url", "data-dir", "instance-dir", "backup-dir", "backup-keep", "allow-no-backup", "tz",
		"admin-usernames", "log-format", "log-file", "log-level", "wait-timeout", "wait-interval", "wait-attempts",
		"connect-timeout", "lock-timeout", "lock-mode", "convert-utc-shift", "create-missing", "resolve", "config",
	}, names)

	usage := fs.FlagUsages()
	for _, want := range []string{
		"(env DATABASE_URL, TIMETRACKER_DATABASE_URL)",
		"(env TZ, TIMETRACKER_TZ)",
		"(env BACKUP_DIR, TIMETRACKER_BACKUP_DIR)",
		"(env ADMIN_USERNAMES, TIMETRACKER_ADMIN_USERNAMES)",
		"(env TIMETRACKER_WAIT_TIMEOUT) (default 1m0s)",
		"(env TIMETRACKER_LOG_FORMAT) (default \"text\")",
		"(env TIMETRACKER_CONFIG)",
		"else sqlite <data-dir>/timetracker.db",
	} {
		require.Contains(t, usage, want)
	}
	require.NotContains(t, usage, "timetracker:timetracker@", "help shows the default URL redacted")

	// Every key has a Config field with the same mapstructure name.
	var c Config
	attrs := c.attrs()
	require.Len(t, attrs, len(options))
	for i, o := range options {
		require.Equal(t, o.key, attrs[i].Key)
	}
}

func TestAdminList(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{" Admin, bob,,ADMIN , carol ", []string{"admin", "bob", "carol"}},
		{"admin", []string{"admin"}},
		{"", []string{}},
		{" , ,", []string{}},
		{"Bob,alice,BOB,Alice", []string{"bob", "alice"}},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, AdminList(tt.in), tt.in)
	}
}

func TestConfigOutputHidesPassword(t *testing.T) {
	isolate(t)
	t.Setenv("DATABASE_URL", "postgresql://user:S3cr3t-pw!@host/db?password=S3cr3t-pw!")
	c := mustLoad(t)

	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("config", "config", c)
	slog.New(slog.NewTextHandler(&buf, nil)).Info("config", "config", c)
	out := strings.Join([]string{
		fmt.Sprintf("%v|%+v|%#v|%s", c, c, c, c),
		buf.String(),
	}, "\n")
	secretsIn(t, out, "S3cr3t")
	require.Contains(t, out, "postgresql://user:***@host:5432/db")

	// A URL that does not parse is hidden entirely.
	bad := Config{DatabaseURL: "postgresql://user:S3cr3t-pw!@host"}
	secretsIn(t, bad.String(), "S3cr3t")
}

func TestDatabaseDirectURL(t *testing.T) {
	base := func() Config {
		return Config{DataDir: "d", InstanceDir: "i", BackupDir: "b", LogFormat: "text", LogLevel: "info", LockMode: "advisory",
			WaitTimeout: time.Second, WaitInterval: time.Second, ConnectTimeout: time.Second, LockTimeout: time.Second, WaitAttempts: 1,
			DatabaseURL: "postgresql://app:pooled-Secret@pgbouncer:6432/tt"}
	}
	c := base()
	c.DatabaseDirectURL = "postgresql://app:direct-Secret@db-1:5432,db-2:5432/tt?target_session_attrs=read-write"
	require.NoError(t, c.Validate())
	require.Equal(t, "postgresql://app:***@db-1:5432,db-2:5432/tt?target_session_attrs=read-write", c.DatabaseDirect.Redacted())
	require.NotContains(t, c.String(), "direct-Secret")
	require.Contains(t, c.String(), `database-direct-url="postgresql://app:***@db-1:5432`)

	for _, bad := range []struct{ url, want string }{
		{"sqlite:////x.db", "both it and database-url must be postgresql://"},
		{"postgresql://app:pw@db/other", `names database "other"`},
		{"postgresql://app:pw@d#b/tt", "database-direct-url: invalid database URL"},
	} {
		c := base()
		c.DatabaseDirectURL = bad.url
		err := c.Validate()
		require.ErrorIs(t, err, ErrInvalidConfig, bad.url)
		require.Contains(t, err.Error(), bad.want)
	}
}

func TestTZ(t *testing.T) {
	for _, tz := range []string{"Mars/Olympus", "Local", "Europe/Nowhere", "+01:00"} {
		t.Run(tz, func(t *testing.T) {
			isolate(t)
			t.Setenv("TZ", tz)
			_, err := load(t)
			require.ErrorIs(t, err, ErrInvalidConfig)
			require.Contains(t, err.Error(), "unknown time zone")
		})
	}
	isolate(t)
	t.Setenv("TZ", "Asia/Tokyo")
	require.Equal(t, "Asia/Tokyo", mustLoad(t).TZ)
}

func TestSystemZone(t *testing.T) {
	dir := t.TempDir()
	tzFile, link := filepath.Join(dir, "timezone"), filepath.Join(dir, "localtime")
	require.Equal(t, "UTC", systemZone(tzFile, link), "neither file: UTC")
	writeFile(t, tzFile, "America/Denver\n")
	require.Equal(t, "America/Denver", systemZone(tzFile, link))
	if _, err := os.Stat("/usr/share/zoneinfo/Asia/Tokyo"); err != nil {
		t.Skip("no zoneinfo files on this machine")
	}
	require.NoError(t, os.Symlink("/usr/share/zoneinfo/Asia/Tokyo", link))
	require.Equal(t, "Asia/Tokyo", systemZone(tzFile, link), "the link wins: it is what time.Local uses")
	writeFile(t, tzFile, "Mars/Olympus\n")
	require.NoError(t, os.Remove(link))
	require.Equal(t, "UTC", systemZone(tzFile, link), "an unknown name is not used")
}
