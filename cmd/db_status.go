package cmd

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
)

// StatusOptions are the inputs of `db status`.
type StatusOptions struct {
	Factory *Factory
	Output  string
	// Check makes the command a readiness probe: exit 0 only when the
	// database is at head and verified, or newer but holding every step
	// this binary knows.
	Check bool
}

// statusJSON is the documented shape of `db status -o json`.
type statusJSON struct {
	State    string   `json:"state"`
	Shape    string   `json:"shape,omitempty"`
	Strategy string   `json:"strategy"`
	Reason   string   `json:"reason"`
	Advice   string   `json:"advice,omitempty"`
	Pending  []string `json:"pending"`
	Unknown  []string `json:"unknown"`
	Alembic  string   `json:"alembic_revision,omitempty"`
	Verified *bool    `json:"verified,omitempty"`
	Problems []string `json:"problems,omitempty"`
	// Server is the PostgreSQL server reached (host:port or socket file).
	Server string `json:"server,omitempty"`
	// Standby is true on a read-only standby (pg_is_in_recovery()).
	Standby bool `json:"standby,omitempty"`
}

func newDBStatusCmd(f *Factory, runF func(context.Context, *StatusOptions) error) *cobra.Command {
	opts := &StatusOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show the detected state and the strategy bootstrap would choose; changes nothing",
		Args:  noArgs,
		RunE:  runWith(opts, runF, statusRun, func() error { return checkOutput(opts.Output) }),
	}
	addOutputFlag(cmd, &opts.Output)
	cmd.Flags().BoolVar(&opts.Check, "check", false, "readiness probe: exit 0 only if the database is reachable and at head and verified, or newer (migrated by a later release) with every step this binary knows")
	return cmd
}

func statusRun(ctx context.Context, opts *StatusOptions) error {
	s, _, err := newSession(opts.Factory)
	if err != nil {
		return err
	}
	ins, err := s.Inspect(ctx)
	if err != nil {
		return err
	}
	det := ins.Detection
	v := statusJSON{
		State: string(det.State), Shape: string(det.Shape), Strategy: string(det.Strategy),
		Reason: det.Reason, Advice: det.Advice, Pending: nonNil(det.Pending), Unknown: nonNil(det.Unknown), Alembic: det.Alembic,
		Server: ins.Server, Standby: ins.Standby,
	}
	if ins.Verify != nil {
		ok := ins.Verify.OK()
		v.Verified, v.Problems = &ok, ins.Verify.Problems
	}
	out := opts.Factory.IO.Out
	if opts.Output == "json" {
		if err := writeJSON(out, v); err != nil {
			return err
		}
	} else {
		state := v.State
		if v.Shape != "" {
			state += " (" + v.Shape + ")"
		}
		if v.Server != "" {
			fmt.Fprintf(out, "server:   %s\n", v.Server)
		}
		if v.Standby {
			fmt.Fprintf(out, "standby:  true (read-only; bootstrap waits for it to be promoted)\n")
		}
		fmt.Fprintf(out, "state:    %s\nstrategy: %s\nreason:   %s\n", state, v.Strategy, v.Reason)
		if v.Advice != "" {
			fmt.Fprintf(out, "advice:   %s\n", v.Advice)
		}
		for _, p := range v.Pending {
			fmt.Fprintf(out, "pending:  %s\n", p)
		}
		if v.Verified != nil {
			fmt.Fprintf(out, "verified: %v\n", *v.Verified)
			for _, p := range v.Problems {
				fmt.Fprintf(out, "  - %s\n", p)
			}
		}
	}
	if opts.Check {
		return ins.Ready()
	}
	return nil
}
