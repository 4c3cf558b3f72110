package cmd

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/timetracker/timetracker/bootstrap"
	"github.com/timetracker/timetracker/internal/database"
)

// BackupCmdOptions are the inputs of `db backup`.
type BackupCmdOptions struct {
	Factory *Factory
}

func newDBBackupCmd(f *Factory, runF func(context.Context, *BackupCmdOptions) error) *cobra.Command {
	opts := &BackupCmdOptions{Factory: f}
	return &cobra.Command{
		Use:   "backup",
		Short: "Back up the database into backup-dir now, verified, with a manifest",
		Args:  noArgs,
		RunE:  runWith(opts, runF, backupRun),
	}
}

func backupRun(ctx context.Context, opts *BackupCmdOptions) error {
	s, _, err := newSession(opts.Factory)
	if err != nil {
		return err
	}
	m, err := s.Backup(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(opts.Factory.IO.Out, m.Location)
	return nil
}

// BackupsOptions are the inputs of `db backups`.
type BackupsOptions struct {
	Factory *Factory
	Output  string
}

func newDBBackupsCmd(f *Factory, runF func(context.Context, *BackupsOptions) error) *cobra.Command {
	opts := &BackupsOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "backups",
		Short: "List the backups in backup-dir, newest first",
		Args:  noArgs,
		RunE:  runWith(opts, runF, backupsRun, func() error { return checkOutput(opts.Output) }),
	}
	addOutputFlag(cmd, &opts.Output)
	return cmd
}

func backupsRun(_ context.Context, opts *BackupsOptions) error {
	cfg, err := opts.Factory.Config()
	if err != nil {
		return err
	}
	list, err := bootstrap.Backups(absPath(cfg.BackupDir))
	if err != nil {
		return err
	}
	if opts.Output == "json" {
		if list == nil {
			list = []bootstrap.Manifest{}
		}
		return writeJSON(opts.Factory.IO.Out, list)
	}
	w := tabwriter.NewWriter(opts.Factory.IO.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "CREATED (UTC)\tKIND\tSTATE\tOUTCOME\tVERSION BEFORE\tROWS\tLOCATION")
	dash := func(s string) string {
		if s == "" {
			return "-"
		}
		return s
	}
	for _, m := range list {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%d\t%s\n", m.CreatedAt.UTC().Format("2006-01-02 15:04:05"), m.Kind, m.State, dash(m.Outcome), dash(m.VersionBefore), totalRows(m.Rows), m.Location)
	}
	return w.Flush()
}

func totalRows(rows map[string]int64) int64 {
	var n int64
	for _, v := range rows {
		n += v
	}
	return n
}

// RestoreOptions are the inputs of `db restore`.
type RestoreOptions struct {
	Factory *Factory
	Backup  string
	Yes     bool
}

func newDBRestoreCmd(f *Factory, runF func(context.Context, *RestoreOptions) error) *cobra.Command {
	opts := &RestoreOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "restore BACKUP --yes",
		Short: "Replace the database with a backup (from `db backups`), then show its version",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError{fmt.Errorf("restore takes one backup (a path or file name from `timetracker db backups`)")}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Backup = args[0]
			if !opts.Yes {
				return usageError{fmt.Errorf("restore replaces the current database and everything written since the backup; pass --yes to confirm")}
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return restoreRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Yes, "yes", false, "confirm replacing the current database")
	return cmd
}

func restoreRun(ctx context.Context, opts *RestoreOptions) error {
	s, cfg, err := newSession(opts.Factory)
	if err != nil {
		return err
	}
	res, err := s.Restore(ctx, opts.Backup, func(ctx context.Context) (*database.DB, error) {
		return database.Open(ctx, DatabaseOptions(cfg, true, nil))
	})
	if err != nil {
		return err
	}
	parts := make([]string, 0, len(res.Tables))
	for _, t := range res.Tables {
		parts = append(parts, fmt.Sprintf("%s=%d", t, res.Rows[t]))
	}
	out := opts.Factory.IO.Out
	fmt.Fprintf(out, "restored %s\n", res.Location)
	if res.SetAside != "" {
		fmt.Fprintf(out, "tables the backup does not hold were moved to schema %s\n", res.SetAside)
	}
	fmt.Fprintf(out, "version: %s\n", currentLabel(res.Status))
	fmt.Fprintf(out, "rows: %s\n", strings.Join(parts, " "))
	return nil
}
