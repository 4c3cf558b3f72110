package cmd

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/timetracker/timetracker/migrations"
)

// DowngradeOptions are the inputs of `db downgrade`.
type DowngradeOptions struct {
	Factory *Factory
	To      string
	Yes     bool
}

func newDBDowngradeCmd(f *Factory, runF func(context.Context, *DowngradeOptions) error) *cobra.Command {
	opts := &DowngradeOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "downgrade --to ID --yes",
		Short: "Roll back the steps after ID (never below the baseline)",
		Long: `Run the Rollback of every applied step after --to, newest first, each in its
own transaction. Rolling back drops the columns and tables those steps added,
with their data, so it asks for --yes and backs the database up first. It never
goes below the baseline.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.To == "" {
				return usageError{fmt.Errorf("--to is required")}
			}
			if !opts.Yes {
				return usageError{fmt.Errorf("downgrade drops the data of the rolled-back steps; pass --yes to confirm")}
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return downgradeRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.To, "to", "", "the step to go back to (it stays applied)")
	cmd.Flags().BoolVar(&opts.Yes, "yes", false, "confirm that the data of rolled-back steps is dropped")
	return cmd
}

func downgradeRun(ctx context.Context, opts *DowngradeOptions) error {
	s, _, err := newSession(opts.Factory)
	if err != nil {
		return err
	}
	out := opts.Factory.IO.Out
	res, err := s.Downgrade(ctx, opts.To, func(r migrations.StepResult) {
		fmt.Fprintf(out, "rolled back %s (%s)\n", r.ID, r.Duration.Round(time.Millisecond))
	})
	if err != nil {
		return err
	}
	if len(res) == 0 {
		fmt.Fprintf(out, "nothing to roll back: database is at or below %s\n", opts.To)
	}
	return nil
}
