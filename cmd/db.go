package cmd

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/spf13/cobra"

	"github.com/timetracker/timetracker/bootstrap"
	"github.com/timetracker/timetracker/config"
	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/migrations"
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
	cmd.AddCommand(newDBVerifyCmd(f, nil))
	cmd.AddCommand(newDBBackupCmd(f, nil))
	cmd.AddCommand(newDBBackupsCmd(f, nil))
	cmd.AddCommand(newDBRestoreCmd(f, nil))
	return cmd
}

// session is what a db command works with once the database is open.
type session struct {
	cfg      config.Config
	db       *database.DB
	migrator *migrations.Migrator
	log      *slog.Logger
}

// openSession loads configuration and opens the database without waiting.
func openSession(ctx context.Context, f *Factory, readOnly bool) (*session, error) {
	cfg, err := f.Config()
	if err != nil {
		return nil, err
	}
	db, err := f.OpenDB(ctx, readOnly)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", cfg.Database.Redacted(), err)
	}
	log := f.Logger()
	return &session{
		cfg:      cfg,
		db:       db,
		migrator: migrations.New(db.Gorm, migrations.Steps(), migrations.Options{Version: f.Version, Logger: log}),
		log:      log,
	}, nil
}

// lock takes the migration lock as configured.
func (s *session) lock(ctx context.Context) (func() error, error) {
	if s.cfg.LockMode == "none" {
		return func() error { return nil }, nil
	}
	lo := database.LockOptions{
		Timeout: s.cfg.LockTimeout,
		OnWait: func(holder string) {
			s.log.Debug("waiting for the migration lock", "holder", holder)
		},
	}
	if s.cfg.LockMode == "lease" {
		return s.db.LockLease(ctx, lo)
	}
	return s.db.Lock(ctx, lo)
}

type stepResult = migrations.StepResult

// backupBeforeChange takes the verified backup that precedes any change to
// an existing database (db upgrade, db downgrade), unless allow-no-backup
// lets a failure pass.
func (s *session) backupBeforeChange(ctx context.Context, f *Factory, state string, st migrations.Status) error {
	err := bootstrap.Preflight(ctx, s.db, bootstrap.PreflightOptions{BackupDir: absPath(s.cfg.BackupDir), Logger: s.log})
	if err != nil {
		if !s.cfg.AllowNoBackup {
			return err
		}
		s.log.Warn("Going ahead although the space check failed, because allow-no-backup is set", "error", err)
	}
	m, err := bootstrap.TakeBackup(ctx, s.db, bootstrap.BackupOptions{
		Dir: absPath(s.cfg.BackupDir), Keep: s.cfg.BackupKeep, State: state,
		VersionBefore: st.Current, ProgramVersion: f.Version, Logger: s.log,
	})
	if err != nil {
		if s.cfg.AllowNoBackup {
			s.log.Warn("Backup failed; continuing because allow-no-backup is set", "error", err)
			return nil
		}
		return err
	}
	s.log.Info("Backup written and verified", "kind", m.Kind, "location", m.Location)
	return nil
}
