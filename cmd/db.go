package cmd

import (
	"fmt"

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
	mode, err := lockMode(cfg)
	if err != nil {
		return nil, cfg, err
	}
	return bootstrap.NewSession(f.OpenDB, bootstrap.Options{
		Version:       f.Version,
		Target:        cfg.Database.Redacted(),
		LockMode:      mode,
		LockTimeout:   cfg.LockTimeout,
		BackupDir:     absPath(cfg.BackupDir),
		BackupKeep:    cfg.BackupKeep,
		AllowNoBackup: cfg.AllowNoBackup,
		CreateMissing: cfg.CreateMissing,
		Logger:        f.Logger(),
	}), cfg, nil
}

// lockMode reads the lock-mode setting (config.Load has checked it).
func lockMode(cfg config.Config) (bootstrap.LockMode, error) {
	m, err := bootstrap.ParseLockMode(cfg.LockMode)
	if err != nil {
		return "", fmt.Errorf("%w: lock-mode: %w", config.ErrInvalidConfig, err)
	}
	return m, nil
}
