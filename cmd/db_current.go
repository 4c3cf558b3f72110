package cmd

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/timetracker/timetracker/migrations"
)

// CurrentOptions are the inputs of `db current`.
type CurrentOptions struct {
	Factory *Factory
	Output  string
}

// currentJSON is the documented shape of `db current -o json`.
type currentJSON struct {
	Current     *string  `json:"current"`
	Head        string   `json:"head"`
	AtHead      bool     `json:"at_head"`
	Initialised bool     `json:"initialised"`
	Pending     int      `json:"pending"`
	Unknown     []string `json:"unknown"`
}

func newDBCurrentCmd(f *Factory, runF func(context.Context, *CurrentOptions) error) *cobra.Command {
	opts := &CurrentOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "current",
		Short: "Print the current step, marked (head) when up to date",
		Args:  noArgs,
		RunE:  runWith(opts, runF, currentRun, func() error { return checkOutput(opts.Output) }),
	}
	addOutputFlag(cmd, &opts.Output)
	return cmd
}

func currentRun(ctx context.Context, opts *CurrentOptions) error {
	s, _, err := newSession(opts.Factory)
	if err != nil {
		return err
	}
	st, err := s.Current(ctx)
	if err != nil {
		return err
	}
	out := opts.Factory.IO.Out
	if opts.Output == "json" {
		v := currentJSON{Head: st.Head, AtHead: st.AtHead(), Initialised: st.Initialised, Pending: len(st.Pending()), Unknown: nonNil(st.Unknown)}
		if st.Current != "" {
			v.Current = &st.Current
		}
		return writeJSON(out, v)
	}
	if st.Current == "" && len(st.Unknown) == 0 {
		fmt.Fprintln(opts.Factory.IO.ErrOut, "no steps applied: the database is not initialised")
		return nil
	}
	if st.Current != "" {
		fmt.Fprintln(out, currentLabel(st))
	}
	for _, id := range st.Unknown {
		fmt.Fprintf(out, "%s (unknown: the database is newer than this program)\n", id)
	}
	return nil
}

// currentLabel is the current step with alembic's (head) marker.
func currentLabel(st migrations.Status) string {
	if st.Current == "" {
		return "(none)"
	}
	if st.AtHead() {
		return st.Current + " (head)"
	}
	return st.Current
}

func writeJSON(w interface{ Write([]byte) (int, error) }, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
