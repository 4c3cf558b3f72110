package cmd

import (
	"fmt"
	"log/slog"

	"github.com/spf13/cobra"

	"github.com/timetracker/timetracker/bootstrap"
	"github.com/timetracker/timetracker/config"
)

func newDBCmd(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "db",
		Short: "Create, upgrade, inspect and verify the database",
		Args:  unknownSubcommand,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newDBInitCmd(f, nil))
	cmd.AddCommand(newDBUpgradeCmd(f, nil))
	cmd.AddCommand(newDBDowngradeCmd(f, nil))
	cmd.AddCommand(newDBCurrentCmd(f, nil))
	cmd.AddCommand(newDBHistoryCmd(f, nil))
	cmd.AddCommand(newDBStatusCmd(f, nil))
	cmd.AddCommand(newDBPlanCmd(f, nil))
	cmd.AddCommand(newDBVerifyCmd(f, nil))
	cmd.AddCommand(newDBBackupCmd(f, nil))
	cmd.AddCommand(newDBBackupsCmd(f, nil))
	cmd.AddCommand(newDBRestoreCmd(f, nil))
	return cmd
}

// newSession loads the configuration and builds the session a db command
// calls; the database is opened, without waiting, when first needed.
func newSession(f *Factory) (*bootstrap.Session, config.Config, error) {
	cfg, err := f.Config()
	if err != nil {
		return nil, cfg, err
	}
	o, err := sessionOptions(cfg, f.Version, f.Logger())
	if err != nil {
		return nil, cfg, err
	}
	return bootstrap.NewSession(f.OpenDB, o), cfg, nil
}

// sessionOptions are the options every command shares: which database, the
// lock and the backups.
func sessionOptions(cfg config.Config, version string, log *slog.Logger) (bootstrap.Options, error) {
	mode, err := bootstrap.ParseLockMode(cfg.LockMode)
	if err != nil {
		return bootstrap.Options{}, fmt.Errorf("%w: lock-mode: %w", config.ErrInvalidConfig, err)
	}
	return bootstrap.Options{
		Version:       version,
		Target:        cfg.Database.Redacted(),
		LockMode:      mode,
		LockTimeout:   cfg.LockTimeout,
		BackupDir:     absPath(cfg.BackupDir),
		BackupKeep:    cfg.BackupKeep,
		AllowNoBackup: cfg.AllowNoBackup,
		CreateMissing: cfg.CreateMissing,
		Logger:        log,
	}, nil
}
