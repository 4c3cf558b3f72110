package cmd

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/timetracker/timetracker/bootstrap"
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
	// Everything knowable is checked before anything else, the backup
	// included: here the step ID, under the lock what there is to apply.
	if opts.To != "" && migrations.Index(migrations.Steps(), opts.To) < 0 {
		return fmt.Errorf("upgrade: %w %q (`timetracker db history` lists the step IDs); nothing was changed", migrations.ErrUnknownStep, opts.To)
	}
	s, err := openSession(ctx, opts.Factory, opts.DryRun)
	if err != nil {
		return err
	}
	out := opts.Factory.IO.Out
	if opts.DryRun {
		res, err := s.migrator.Upgrade(ctx, migrations.UpgradeOptions{To: opts.To, DryRun: true})
		if errors.Is(err, migrations.ErrNotInitialised) {
			// A legacy or Alembic database: bootstrap converts or adopts it.
			return fmt.Errorf("upgrade: %w; `timetracker db plan` shows what `timetracker bootstrap` would do with it (convert or adopt), changing nothing", err)
		}
		if err != nil {
			return fmt.Errorf("upgrade: %w", err)
		}
		if len(res) == 0 {
			fmt.Fprintln(out, "nothing to apply")
		}
		for _, r := range res {
			fmt.Fprintf(out, "would apply %s\n", r.ID)
		}
		return nil
	}
	unlock, err := s.lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	st, err := s.migrator.Status(ctx)
	if err != nil {
		return err
	}
	todo, err := s.migrator.Upgrade(ctx, migrations.UpgradeOptions{To: opts.To, DryRun: true})
	if err != nil {
		return fmt.Errorf("upgrade: %w", err)
	}
	var backup *bootstrap.Manifest
	if st.Initialised && len(todo) > 0 {
		if backup, err = s.backupBeforeChange(ctx, opts.Factory, "behind", st); err != nil {
			return err
		}
	}
	res, err := s.migrator.Upgrade(ctx, migrations.UpgradeOptions{
		To: opts.To,
		OnStep: func(r migrations.StepResult) {
			fmt.Fprintf(out, "applied %s (%s)\n", r.ID, r.Duration.Round(time.Millisecond))
		},
	})
	s.settle(ctx, backup, err)
	if err != nil {
		return fmt.Errorf("upgrade: %w", err)
	}
	if len(res) == 0 {
		st, err := s.migrator.Status(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "nothing to apply: database is at %s\n", currentLabel(st))
	}
	return nil
}
