package cmd

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
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
	s, _, err := newSession(opts.Factory)
	if err != nil {
		return err
	}
	rep, err := s.Verify(ctx)
	if err != nil {
		return err
	}
	out := opts.Factory.IO.Out
	for _, p := range rep.Problems {
		fmt.Fprintln(out, p)
	}
	if rep.OK() {
		fmt.Fprintln(out, "verified: the schema matches the models and every step is applied")
	}
	return rep.Err()
}
