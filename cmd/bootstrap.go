package cmd

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/timetracker/timetracker/bootstrap"
	"github.com/timetracker/timetracker/config"
	"github.com/timetracker/timetracker/internal/database"
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
	// The command to start is checked before the database is touched: a
	// typo must not leave a migrated database and a failed start.
	if len(opts.Command) > 0 {
		if _, err := exec.LookPath(opts.Command[0]); err != nil {
			return usageError{fmt.Errorf("cannot start %q after the bootstrap: %v; nothing was changed (check the command after --)", opts.Command[0], err)}
		}
	}
	cfg, err := f.Config()
	if err != nil {
		return err
	}
	log := f.Logger()
	log.Info("=== TimeTracker database bootstrap starting ===", "version", f.Version)
	for _, n := range cfg.Notes {
		log.Info(n)
	}
	if cfg.Database.Relative {
		log.Warn("relative sqlite:/// path resolved against the instance folder", "path", cfg.Database.Path, "instance_dir", cfg.InstanceDir)
	}
	bopts := bootstrapOptions(cfg, f.Version, log)
	open := func(ctx context.Context) (*database.DB, error) {
		return database.Open(ctx, DatabaseOptions(cfg, false, log))
	}
	res, err := bootstrap.Run(ctx, open, bopts)
	if err != nil {
		log.Error("Bootstrap failed", "error", err)
		return err
	}
	log.Info("=== Startup and migration complete ===", "state", string(res.Detection.State), "strategy", string(res.Detection.Strategy), "applied", len(res.Applied))
	if len(opts.Command) == 0 {
		return nil
	}
	path, err := exec.LookPath(opts.Command[0])
	if err != nil {
		return usageError{fmt.Errorf("cannot start %q: %v", opts.Command[0], err)}
	}
	log.Info("Starting application...", "command", strings.Join(opts.Command, " "))
	f.Close()
	if err := opts.Exec(path, opts.Command, os.Environ()); err != nil {
		return fmt.Errorf("exec %s: %w", path, err)
	}
	return nil
}

func bootstrapOptions(cfg config.Config, version string, log *slog.Logger) bootstrap.Options {
	return bootstrap.Options{
		Version: version,
		Target:  cfg.Database.Redacted(),
		Wait: bootstrap.WaitOptions{
			Timeout: cfg.WaitTimeout, Interval: cfg.WaitInterval, Attempts: cfg.WaitAttempts,
		},
		LockMode:      cfg.LockMode,
		LockTimeout:   cfg.LockTimeout,
		BackupDir:     absPath(cfg.BackupDir),
		BackupKeep:    cfg.BackupKeep,
		AllowNoBackup: cfg.AllowNoBackup,
		CreateMissing: cfg.CreateMissing,
		UTCShift:      cfg.ConvertUTCShift,
		TZ:            cfg.TZ,
		Seed: bootstrap.SeedOptions{
			Admins:         config.AdminList(cfg.AdminUsernames),
			Settings:       settingsFromEnv(cfg, log),
			DefaultProject: true,
		},
		Logger: log,
	}
}

// settingsFromEnv returns the settings row values TimeTracker's Settings
// constructor takes from the environment; unset variables keep the
// database defaults, unreadable ones are reported and skipped.
func settingsFromEnv(cfg config.Config, log *slog.Logger) map[string]any {
	out := map[string]any{}
	if cfg.TZ != "" {
		out["timezone"] = cfg.TZ
	}
	if v := os.Getenv("CURRENCY"); v != "" {
		out["currency"] = v
	}
	if v := os.Getenv("BACKUP_TIME"); v != "" {
		out["backup_time"] = v
	}
	for env, col := range map[string]string{
		"ROUNDING_MINUTES": "rounding_minutes", "IDLE_TIMEOUT_MINUTES": "idle_timeout_minutes",
		"BACKUP_RETENTION_DAYS": "backup_retention_days",
	} {
		if v := os.Getenv(env); v != "" {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				log.Warn("ignoring "+env+": not a whole number", "value", v)
				continue
			}
			out[col] = n
		}
	}
	// TimeTracker reads these as value.lower() == 'true'.
	for env, col := range map[string]string{"SINGLE_ACTIVE_TIMER": "single_active_timer", "ALLOW_SELF_REGISTER": "allow_self_register"} {
		if v := os.Getenv(env); v != "" {
			out[col] = strings.ToLower(strings.TrimSpace(v)) == "true"
		}
	}
	return out
}
