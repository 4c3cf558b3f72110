package cmd

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
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
	s, cfg, err := newSession(opts.Factory)
	if err != nil {
		return err
	}
	head, err := s.Init(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(opts.Factory.IO.Out, "initialised %s at %s\n", cfg.Database.Redacted(), head)
	return nil
}
