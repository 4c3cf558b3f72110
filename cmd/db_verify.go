package cmd

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/timetracker/timetracker/bootstrap"
	"github.com/timetracker/timetracker/migrations"
)

// VerifyOptions are the inputs of `db verify`.
type VerifyOptions struct {
	Factory *Factory
}

func newDBVerifyCmd(f *Factory, runF func(context.Context, *VerifyOptions) error) *cobra.Command {
	opts := &VerifyOptions{Factory: f}
	return &cobra.Command{
		Use:   "verify",
		Short: "Check the live schema against the models and print each difference",
		Args:  noArgs,
		RunE:  runWith(opts, runF, verifyRun),
	}
}

func verifyRun(ctx context.Context, opts *VerifyOptions) error {
	s, err := openSession(ctx, opts.Factory, true)
	if err != nil {
		return err
	}
	snap, err := s.snapshot(ctx)
	if err != nil {
		return err
	}
	head, err := migrations.HeadSchema()
	if err != nil {
		return err
	}
	rep := bootstrap.Verify(snap, head, migrations.Steps())
	out := opts.Factory.IO.Out
	for _, p := range rep.Problems {
		fmt.Fprintln(out, p)
	}
	if rep.OK() {
		fmt.Fprintln(out, "verified: the schema matches the models and every step is applied")
	}
	return rep.Err()
}
