package cmd

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/spf13/cobra"
	"gorm.io/gorm"

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
	cmd.AddCommand(newDBPlanCmd(f, nil))
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
	unlock, err := s.db.Lock(ctx, lo)
	if errors.Is(err, database.ErrTransactionPooling) {
		s.log.Warn(bootstrap.LeaseSwitchNote)
		return s.db.LockLease(ctx, lo)
	}
	return unlock, err
}

// snapshot reads what detection needs, waiting at most lock-timeout for a
// lock another session holds and saying what it waits for.
func (s *session) snapshot(ctx context.Context) (bootstrap.Snapshot, error) {
	var snap bootstrap.Snapshot
	err := s.db.ReadBounded(ctx, database.ReadOptions{
		Timeout: s.cfg.LockTimeout,
		OnWait:  func(what string) { s.log.Info("Waiting for " + what + "; giving up after lock-timeout") },
	}, func(db *gorm.DB) error {
		var err error
		snap, err = bootstrap.TakeSnapshot(ctx, db)
		return err
	})
	return snap, err
}

type stepResult = migrations.StepResult

// backupBeforeChange takes the verified backup that precedes any change to
// an existing database (db upgrade, db downgrade, db restore), unless
// allow-no-backup lets a failure pass (then the manifest is nil). Pass the
// manifest and the change's result to settle.
func (s *session) backupBeforeChange(ctx context.Context, f *Factory, state string, st migrations.Status) (*bootstrap.Manifest, error) {
	err := bootstrap.Preflight(ctx, s.db, bootstrap.PreflightOptions{BackupDir: absPath(s.cfg.BackupDir), Logger: s.log})
	if err != nil {
		if !s.cfg.AllowNoBackup {
			return nil, err
		}
		s.log.Warn("Going ahead although the space check failed, because allow-no-backup is set", "error", err)
	}
	m, err := bootstrap.TakeBackup(ctx, s.db, bootstrap.BackupOptions{
		Dir: absPath(s.cfg.BackupDir), Keep: s.cfg.BackupKeep, State: state, Change: true,
		VersionBefore: st.Current, ProgramVersion: f.Version, Logger: s.log,
	})
	if err != nil {
		if s.cfg.AllowNoBackup && !errors.Is(err, bootstrap.ErrInterrupted) {
			s.log.Warn("Backup failed; continuing because allow-no-backup is set", "error", err)
			return nil, nil
		}
		return nil, err
	}
	s.log.Info("Backup written and verified", "kind", m.Kind, "location", m.Location)
	return &m, nil
}

// settle records in the backup's manifest whether the change it preceded
// succeeded, which retention relies on.
func (s *session) settle(ctx context.Context, m *bootstrap.Manifest, changeErr error) {
	bootstrap.Settle(ctx, s.db, absPath(s.cfg.BackupDir), m, changeErr, s.log)
}
