package cmd

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/timetracker/timetracker/migrations"
)

// UpgradeOptions are the inputs of `db upgrade`.
type UpgradeOptions struct {
	Factory *Factory
	To      string
	DryRun  bool
}

func newDBUpgradeCmd(f *Factory, runF func(context.Context, *UpgradeOptions) error) *cobra.Command {
	opts := &UpgradeOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "upgrade",
		Short: "Apply pending steps, each in its own transaction",
		Long: `Apply the pending steps in order. Each step, its history row and the
alembic_version mirror commit together, so a failure leaves the previous step
in place. On an empty database the baseline and every step are replayed.`,
		Args: noArgs,
		RunE: runWith(opts, runF, upgradeRun),
	}
	cmd.Flags().StringVar(&opts.To, "to", "", "stop after this step ID (default: head)")
	cmd.Flags().BoolVar(&opts.DryRun, "dry-run", false, "list the steps that would run and change nothing")
	return cmd
}

func upgradeRun(ctx context.Context, opts *UpgradeOptions) error {
	s, _, err := newSession(opts.Factory)
	if err != nil {
		return err
	}
	out := opts.Factory.IO.Out
	res, err := s.Upgrade(ctx, opts.To, opts.DryRun, func(r migrations.StepResult) {
		fmt.Fprintf(out, "applied %s (%s)\n", r.ID, r.Duration.Round(time.Millisecond))
	})
	if err != nil {
		return err
	}
	if opts.DryRun {
		if len(res.Applied) == 0 {
			fmt.Fprintln(out, "nothing to apply")
		}
		for _, r := range res.Applied {
			fmt.Fprintf(out, "would apply %s\n", r.ID)
		}
		return nil
	}
	if len(res.Applied) == 0 {
		fmt.Fprintf(out, "nothing to apply: database is at %s\n", currentLabel(res.Status))
	}
	return nil
}
