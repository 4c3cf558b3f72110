package cmd

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/timetracker/timetracker/migrations"
)

// InitOptions are the inputs of `db init`.
type InitOptions struct {
	Factory *Factory
}

func newDBInitCmd(f *Factory, runF func(context.Context, *InitOptions) error) *cobra.Command {
	opts := &InitOptions{Factory: f}
	return &cobra.Command{
		Use:   "init",
		Short: "Create the schema in an empty database and record every step as applied",
		Long: `Create TimeTracker's schema from the models in one transaction and record every
step as applied. Refuses a database that already has tables: use bootstrap to
detect, convert or upgrade an existing one.`,
		Args: noArgs,
		RunE: runWith(opts, runF, initRun),
	}
}

func initRun(ctx context.Context, opts *InitOptions) error {
	s, err := openSession(ctx, opts.Factory, false)
	if err != nil {
		return err
	}
	unlock, err := s.lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	if err := s.migrator.InitFresh(ctx, migrations.CreateFromModels); err != nil {
		return fmt.Errorf("init: %w", err)
	}
	fmt.Fprintf(opts.Factory.IO.Out, "initialised %s at %s\n", s.cfg.Database.Redacted(), migrations.Head(s.migrator.Steps()))
	return nil
}
