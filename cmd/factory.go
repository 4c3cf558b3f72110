package cmd

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"github.com/timetracker/timetracker/config"
	"github.com/timetracker/timetracker/internal/database"
)

// Factory hands commands their dependencies lazily, so that --help and
// argument errors never load configuration or touch the database.
type Factory struct {
	IO      *IOStreams
	Version string
	// Config loads and validates the configuration once.
	Config func() (config.Config, error)
	// Logger returns the logger configured by Config (a default one if the
	// configuration cannot be loaded).
	Logger func() *slog.Logger
	// OpenDB connects once, without waiting. readOnly never creates a
	// SQLite file.
	OpenDB func(ctx context.Context, readOnly bool) (*database.DB, error)
	// Close releases what the factory opened.
	Close func()
}

// NewFactory wires the real configuration, logger and database over the
// root command's persistent flags.
func NewFactory(io *IOStreams, version string, flags *pflag.FlagSet) *Factory {
	f := &Factory{IO: io, Version: version}
	var (
		cfgOnce  sync.Once
		cfg      config.Config
		cfgErr   error
		logger   *slog.Logger
		closeLog = func() {}
		db       *database.DB
	)
	f.Config = func() (config.Config, error) {
		cfgOnce.Do(func() {
			cfg, cfgErr = config.Load(viper.New(), flags)
			if cfgErr != nil {
				return
			}
			io.Redactor.Add(cfg.Database.Password)
			io.Redactor.Add(cfg.DatabaseDirect.Password)
			for _, d := range []config.Database{cfg.Database, cfg.DatabaseDirect} {
				for k, v := range d.Params {
					if strings.Contains(strings.ToLower(k), "pass") && k != "passfile" && len(v) > 0 {
						io.Redactor.Add(v[len(v)-1])
					}
				}
			}
			loc := time.Local
			if cfg.TZ != "" {
				if l, err := time.LoadLocation(cfg.TZ); err == nil {
					loc = l
				}
			}
			logger, closeLog = newLogger(io.ErrOut, cfg.LogFormat, cfg.LogLevel, cfg.LogFile, loc, io.Redactor)
			// Which database was chosen, and why, is said at info by
			// every command: acting on the wrong one is the costliest
			// configuration mistake.
			for _, n := range cfg.Notes {
				logger.Info(n)
			}
		})
		return cfg, cfgErr
	}
	f.Logger = func() *slog.Logger {
		if _, err := f.Config(); err != nil || logger == nil {
			l, _ := newLogger(io.ErrOut, "text", "info", "", time.Local, io.Redactor)
			return l
		}
		return logger
	}
	f.OpenDB = func(ctx context.Context, readOnly bool) (*database.DB, error) {
		if db != nil {
			return db, nil
		}
		c, err := f.Config()
		if err != nil {
			return nil, err
		}
		var err2 error
		db, err2 = database.Open(ctx, DatabaseOptions(c, readOnly, f.Logger()))
		return db, err2
	}
	f.Close = func() {
		if db != nil {
			db.Close()
		}
		closeLog()
	}
	return f
}

// DatabaseOptions turns the configuration into database.Options.
func DatabaseOptions(c config.Config, readOnly bool, log *slog.Logger) database.Options {
	opts := database.Options{DSN: c.Database.DSN(), ConnectTimeout: c.ConnectTimeout, ReadOnly: readOnly}
	switch c.Database.Dialect {
	case config.Postgres:
		opts.Dialect = database.Postgres
		opts.DirectDSN = c.DatabaseDirect.DSN()
	case config.SQLite:
		opts.Dialect = database.SQLite
		opts.DSN = c.Database.Path
	}
	if log != nil && log.Enabled(context.Background(), slog.LevelDebug) {
		opts.Logger = log
	}
	return opts
}

// absPath is for messages: the absolute form of a path, or the path itself.
func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}
