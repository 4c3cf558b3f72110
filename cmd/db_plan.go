package cmd

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/timetracker/timetracker/bootstrap"
)

// PlanOptions are the inputs of `db plan`.
type PlanOptions struct {
	Factory *Factory
	Output  string
}

func newDBPlanCmd(f *Factory, runF func(context.Context, *PlanOptions) error) *cobra.Command {
	opts := &PlanOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "Show what bootstrap would do, by doing it in a transaction that is rolled back; changes nothing",
		Long: `Detect the state and run what bootstrap would run (a legacy conversion and the
pending steps, or the schema creation) inside one transaction that is rolled
back. Prints the strategy, the tables rebuilt, rows per table before and after,
the clients that would be created, the timers that would be closed, how many
values each rule fills, the resolutions that would apply, and every refusal with
its ids and what to do about it. No backup, no lock, nothing kept. Exits 5 when
bootstrap would refuse. See docs/plan.md.`,
		Args: noArgs,
		RunE: runWith(opts, runF, planRun, func() error { return checkOutput(opts.Output) }),
	}
	addOutputFlag(cmd, &opts.Output)
	return cmd
}

func planRun(ctx context.Context, opts *PlanOptions) error {
	cfg, err := opts.Factory.Config()
	if err != nil {
		return err
	}
	bopts, err := bootstrapOptions(cfg, opts.Factory.Version, opts.Factory.Logger())
	if err != nil {
		return err
	}
	rep, err := bootstrap.NewSession(opts.Factory.OpenDB, bopts).Plan(ctx)
	if err != nil {
		return err
	}
	out := opts.Factory.IO.Out
	if opts.Output == "json" {
		if err := writeJSON(out, rep); err != nil {
			return err
		}
	} else {
		writePlan(out, rep)
	}
	return rep.Err()
}

func writePlan(w io.Writer, p bootstrap.PlanReport) {
	state := string(p.State)
	if p.Shape != "" {
		state += " (" + p.Shape + ")"
	}
	fmt.Fprintf(w, "state:    %s\nstrategy: %s\nreason:   %s\n", state, p.Strategy, p.Reason)
	if p.Advice != "" {
		fmt.Fprintf(w, "advice:   %s\n", p.Advice)
	}
	if p.Backup {
		fmt.Fprintln(w, "backup:   bootstrap backs the database up first")
	}
	if len(p.Rebuilt) > 0 {
		fmt.Fprintf(w, "rebuilt:  %s\n", strings.Join(p.Rebuilt, ", "))
	}
	if len(p.Steps) > 0 {
		fmt.Fprintf(w, "steps:    %s\n", strings.Join(p.Steps, ", "))
	}
	if len(p.Tables) > 0 {
		fmt.Fprintln(w, "rows (before -> after):")
		for _, t := range p.Tables {
			fmt.Fprintf(w, "  %-34s %s -> %s\n", t.Table, count(t.Before), count(t.After))
		}
	}
	if len(p.ClientsCreated) > 0 {
		fmt.Fprintf(w, "clients created (%d): %s\n", len(p.ClientsCreated), quoteAll(p.ClientsCreated))
	}
	if len(p.TimersClosed) > 0 {
		fmt.Fprintf(w, "timers closed (%d), time_entries ids: %s\n", len(p.TimersClosed), joinInts(p.TimersClosed))
	}
	if len(p.Fills) > 0 {
		fmt.Fprintln(w, "values the rules fill (or clear) in existing rows:")
		for _, f := range p.Fills {
			if f.Cleared > 0 {
				fmt.Fprintf(w, "  %-40s cleared %d\n", f.Table+"."+f.Column, f.Cleared)
				continue
			}
			fmt.Fprintf(w, "  %-40s filled %d\n", f.Table+"."+f.Column, f.Filled)
		}
	}
	for _, a := range p.Resolved {
		fmt.Fprintf(w, "resolution %s: %d rows attached to placeholders; created %s\n", a.Class, a.Updated, strings.Join(a.Created, "; "))
	}
	for _, n := range p.Notes {
		fmt.Fprintf(w, "note:     %s\n", n)
	}
	for _, r := range p.Refusals {
		fmt.Fprintf(w, "refusal:  %s: %s (ids %s)\n          %s\n", r.Table, r.Problem, joinInts(r.IDs), r.Advice())
	}
	if p.Refused != "" && len(p.Refusals) == 0 {
		fmt.Fprintf(w, "refused:  %s\n", p.Refused)
	}
	for _, pr := range p.Problems {
		fmt.Fprintf(w, "verify:   %s\n", pr)
	}
	fmt.Fprintf(w, "nothing was changed: the rehearsal was rolled back (%d ms)\n", p.DurationMS)
}

func count(n int64) string {
	if n < 0 {
		return "absent"
	}
	return fmt.Sprint(n)
}

func quoteAll(s []string) string {
	q := make([]string, len(s))
	for i, x := range s {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ", ")
}

func joinInts(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = fmt.Sprint(id)
	}
	return strings.Join(s, ", ")
}
