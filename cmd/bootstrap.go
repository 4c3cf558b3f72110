package cmd

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/timetracker/timetracker/bootstrap"
	"github.com/timetracker/timetracker/config"
	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/legacy"
)

// BootstrapOptions are the inputs of `bootstrap`.
type BootstrapOptions struct {
	Factory *Factory
	// Command is exec'd after a successful bootstrap (empty: just exit 0).
	Command []string
	// Exec replaces the process; tests substitute it.
	Exec func(argv0 string, argv []string, env []string) error
}

func newBootstrapCmd(f *Factory, runF func(context.Context, *BootstrapOptions) error) *cobra.Command {
	opts := &BootstrapOptions{Factory: f, Exec: syscall.Exec}
	return &cobra.Command{
		Use:   "bootstrap [-- command [args...]]",
		Short: "Wait for the database, lock, detect, back up, migrate, verify, then start the app",
		Long: `Run at every container start. Waits for the database, detects its state, takes
the migration lock when there is work, backs up an existing database before
changing it, creates or upgrades the schema, verifies it against the models,
then replaces itself with the command after --, if any.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if dash := cmd.ArgsLenAtDash(); dash > 0 {
				return usageError{fmt.Errorf("put the command to start after --, e.g. timetracker bootstrap -- gunicorn app:app")}
			}
			opts.Command = args
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return bootstrapRun(cmd.Context(), opts)
		},
	}
}

func bootstrapRun(ctx context.Context, opts *BootstrapOptions) error {
	f := opts.Factory
	cfg, err := f.Config()
	if err != nil {
		return err
	}
	// The command to start is checked before the database is touched: a
	// typo must not leave a migrated database and a failed start.
	var path string
	if len(opts.Command) > 0 {
		if path, err = exec.LookPath(opts.Command[0]); err != nil {
			return usageError{fmt.Errorf("cannot start %q after the bootstrap: %v; nothing was changed (check the command after --)", opts.Command[0], err)}
		}
	}
	log := f.Logger() // logs cfg.Notes: which database, from where
	log.Info("=== TimeTracker database bootstrap starting ===", "version", f.Version)
	if cfg.Database.Relative {
		log.Warn("relative sqlite:/// path resolved against the instance folder", "path", cfg.Database.Path, "instance_dir", cfg.InstanceDir)
	}
	bopts, err := bootstrapOptions(cfg, f.Version, log)
	if err != nil {
		return err
	}
	open := func(ctx context.Context) (*database.DB, error) {
		return database.Open(ctx, DatabaseOptions(cfg, false, log))
	}
	res, err := bootstrap.Run(ctx, open, bopts)
	if err != nil {
		// The detail (phases done, the raw cause) goes to the log; the
		// error line stays one readable line.
		var pe *bootstrap.PartialError
		if errors.As(err, &pe) {
			log.Error("Bootstrap failed", "phase", string(pe.Failed), "done", phaseList(pe.Done), "error", pe.Err)
		} else {
			log.Error("Bootstrap failed", "error", err)
		}
		return err
	}
	log.Info("=== Startup and migration complete ===", "state", string(res.Detection.State), "strategy", string(res.Detection.Strategy), "applied", len(res.Applied))
	if len(opts.Command) == 0 {
		return nil
	}
	log.Info("Starting application...", "command", strings.Join(opts.Command, " "))
	f.Close()
	if err := opts.Exec(path, opts.Command, os.Environ()); err != nil {
		return fmt.Errorf("exec %s: %w", path, err)
	}
	return nil
}

func phaseList(ps []bootstrap.Phase) string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = string(p)
	}
	return strings.Join(out, ",")
}

// bootstrapOptions are sessionOptions plus what only a bootstrap (and db
// plan, which rehearses one) uses: the wait, the seed values, the
// conversion's time zone and resolutions.
func bootstrapOptions(cfg config.Config, version string, log *slog.Logger) (bootstrap.Options, error) {
	o, err := sessionOptions(cfg, version, log)
	if err != nil {
		return o, err
	}
	settings, err := settingsFromEnv(cfg)
	if err != nil {
		return o, err
	}
	if o.Resolve, err = legacy.ParseResolutions(cfg.Resolve); err != nil {
		return o, fmt.Errorf("%w: resolve: %w", config.ErrInvalidConfig, err)
	}
	o.Wait = bootstrap.WaitOptions{Timeout: cfg.WaitTimeout, Interval: cfg.WaitInterval, Attempts: cfg.WaitAttempts}
	o.UTCShift, o.TZ = cfg.ConvertUTCShift, cfg.TZ
	o.Seed = bootstrap.SeedOptions{Admins: config.AdminList(cfg.AdminUsernames), Settings: settings, DefaultProject: true}
	return o, nil
}

// settingsFromEnv returns the settings row values TimeTracker's Settings
// constructor takes from the environment; unset variables keep the
// database defaults, except the time zone: TZ, else the system zone, as
// documented. A value TimeTracker could not use is a configuration error
// (exit 2), found before anything is done; docs/operations.md lists the
// rule for each.
func settingsFromEnv(cfg config.Config) (map[string]any, error) {
	out := map[string]any{"timezone": cfg.TZ}
	if cfg.TZ == "" {
		out["timezone"] = config.SystemZone()
	}
	if v := strings.TrimSpace(os.Getenv("CURRENCY")); v != "" {
		if utf8.RuneCountInString(v) > 3 {
			return nil, fmt.Errorf("%w: CURRENCY holds at most 3 characters (an ISO 4217 code such as EUR), got %q", config.ErrInvalidConfig, v)
		}
		out["currency"] = v
	}
	if v := strings.TrimSpace(os.Getenv("BACKUP_TIME")); v != "" {
		if _, err := time.Parse("15:04", v); err != nil || len(v) != 5 {
			return nil, fmt.Errorf("%w: BACKUP_TIME must be HH:MM (00:00 to 23:59), got %q", config.ErrInvalidConfig, v)
		}
		out["backup_time"] = v
	}
	for _, n := range []struct {
		env, col string
		min, max int
	}{
		{"ROUNDING_MINUTES", "rounding_minutes", 1, 60},
		{"IDLE_TIMEOUT_MINUTES", "idle_timeout_minutes", 1, 1440},
		{"BACKUP_RETENTION_DAYS", "backup_retention_days", 1, 36500},
	} {
		v := strings.TrimSpace(os.Getenv(n.env))
		if v == "" {
			continue
		}
		i, err := strconv.Atoi(v)
		if err != nil || i < n.min || i > n.max {
			return nil, fmt.Errorf("%w: %s must be a whole number from %d to %d, got %q", config.ErrInvalidConfig, n.env, n.min, n.max, v)
		}
		out[n.col] = i
	}
	// TimeTracker reads these as value.lower() == 'true'.
	for env, col := range map[string]string{"SINGLE_ACTIVE_TIMER": "single_active_timer", "ALLOW_SELF_REGISTER": "allow_self_register"} {
		if v := os.Getenv(env); v != "" {
			out[col] = strings.ToLower(strings.TrimSpace(v)) == "true"
		}
	}
	return out, nil
}
