package cmd

import (
	"context"

	"github.com/spf13/cobra"
)

// BootstrapOptions are the inputs of `bootstrap`.
type BootstrapOptions struct {
	Factory *Factory
	// Command is run (exec'd) after a successful bootstrap.
	Command []string
}

func newBootstrapCmd(f *Factory, runF func(context.Context, *BootstrapOptions) error) *cobra.Command {
	opts := &BootstrapOptions{Factory: f}
	return &cobra.Command{
		Use:   "bootstrap [-- command [args...]]",
		Short: "Wait for the database, lock, detect, back up, migrate, verify, then start the app",
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Command = args
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return bootstrapRun(cmd.Context(), opts)
		},
	}
}

func bootstrapRun(ctx context.Context, opts *BootstrapOptions) error {
	return nil
}
