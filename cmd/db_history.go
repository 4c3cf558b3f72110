package cmd

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/timetracker/timetracker/migrations"
)

// HistoryOptions are the inputs of `db history`.
type HistoryOptions struct {
	Factory *Factory
	Output  string
}

// historyJSON is the documented shape of `db history -o json`.
type historyJSON struct {
	Head    string            `json:"head"`
	Current *string           `json:"current"`
	Steps   []historyStepJSON `json:"steps"`
	Unknown []string          `json:"unknown"`
}

type historyStepJSON struct {
	ID          string          `json:"id"`
	Description string          `json:"description"`
	Alembic     string          `json:"alembic_revision"`
	Status      string          `json:"status"` // applied | pending
	Last        *historyRecJSON `json:"last"`
}

type historyRecJSON struct {
	Kind           string    `json:"kind"` // applied | rolled_back | initialised | baselined
	StartedAt      time.Time `json:"started_at"`
	DurationMS     int64     `json:"duration_ms"`
	Success        bool      `json:"success"`
	ProgramVersion string    `json:"program_version"`
	Error          string    `json:"error,omitempty"`
}

func newDBHistoryCmd(f *Factory, runF func(context.Context, *HistoryOptions) error) *cobra.Command {
	opts := &HistoryOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "history",
		Short: "List every known step, applied or pending, with when and how it ran",
		Args:  noArgs,
		RunE:  runWith(opts, runF, historyRun, func() error { return checkOutput(opts.Output) }),
	}
	addOutputFlag(cmd, &opts.Output)
	return cmd
}

func historyRun(ctx context.Context, opts *HistoryOptions) error {
	s, _, err := newSession(opts.Factory)
	if err != nil {
		return err
	}
	st, err := s.History(ctx)
	if err != nil {
		return err
	}
	if opts.Output == "json" {
		return writeJSON(opts.Factory.IO.Out, historyToJSON(st))
	}
	w := tabwriter.NewWriter(opts.Factory.IO.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tSTATUS\tLAST\tSTARTED (UTC)\tDURATION\tVERSION\tDESCRIPTION")
	for _, ss := range st.Steps {
		id := ss.ID
		switch {
		case ss.ID == st.Head && ss.ID == st.Current:
			id += " (head, current)"
		case ss.ID == st.Head:
			id += " (head)"
		case ss.ID == st.Current:
			id += " (current)"
		}
		status := "pending"
		if ss.Applied {
			status = "applied"
		}
		kind, started, dur, version := "-", "-", "-", "-"
		if r := ss.Last; r != nil {
			kind = r.Kind
			if !r.Success {
				kind += " FAILED"
			}
			started = r.StartedAt.UTC().Format("2006-01-02 15:04:05")
			dur = (time.Duration(r.DurationMS) * time.Millisecond).String()
			version = r.ProgramVersion
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", id, status, kind, started, dur, version, ss.Description)
	}
	for _, id := range st.Unknown {
		fmt.Fprintf(w, "%s\tunknown\t-\t-\t-\t-\tnot known to this program: the database is newer\n", id)
	}
	return w.Flush()
}

func historyToJSON(st migrations.Status) historyJSON {
	v := historyJSON{Head: st.Head, Unknown: nonNil(st.Unknown), Steps: []historyStepJSON{}}
	if st.Current != "" {
		v.Current = &st.Current
	}
	for _, ss := range st.Steps {
		j := historyStepJSON{ID: ss.ID, Description: ss.Description, Alembic: ss.Alembic, Status: "pending"}
		if ss.Applied {
			j.Status = "applied"
		}
		if r := ss.Last; r != nil {
			j.Last = &historyRecJSON{Kind: r.Kind, StartedAt: r.StartedAt.UTC(), DurationMS: r.DurationMS, Success: r.Success, ProgramVersion: r.ProgramVersion, Error: r.Error}
		}
		v.Steps = append(v.Steps, j)
	}
	return v
}
