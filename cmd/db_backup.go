package cmd

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/timetracker/timetracker/bootstrap"
	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/migrations"
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
	// Read-only: a backup never creates the database it was asked to copy.
	s, err := openSession(ctx, opts.Factory, true)
	if err != nil {
		return err
	}
	st, err := s.migrator.Status(ctx)
	if err != nil {
		return err
	}
	m, err := bootstrap.TakeBackup(ctx, s.db, bootstrap.BackupOptions{
		Dir: absPath(s.cfg.BackupDir), Keep: s.cfg.BackupKeep, State: "manual",
		VersionBefore: st.Current, ProgramVersion: opts.Factory.Version, Logger: s.log,
	})
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
	dir := absPath(cfg.BackupDir)
	list, err := bootstrap.ListBackups(dir)
	if err != nil {
		return err
	}
	// Files no manifest accounts for are listed too, so that they can be
	// found and removed (retention removes them once an hour old).
	orphans, err := bootstrap.ListOrphans(dir)
	if err != nil {
		return err
	}
	for _, o := range orphans {
		state := "no manifest"
		if o.InProgress {
			state = "no manifest yet (being written?)"
		}
		list = append(list, bootstrap.Manifest{CreatedAt: o.ModTime, Kind: bootstrap.KindOrphan, Location: o.Path, State: state})
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
	s, err := openSession(ctx, opts.Factory, false)
	if err != nil {
		return err
	}
	m, err := bootstrap.FindBackup(absPath(s.cfg.BackupDir), opts.Backup)
	if err != nil {
		return usageError{err}
	}
	if m.Dialect != string(s.db.Dialect) {
		return usageError{fmt.Errorf("%s is a backup of a %s database and the database to restore into is %s: restore it into a %s database (check --database-url); nothing was changed",
			m.Location, dialectName(m.Dialect), dialectName(string(s.db.Dialect)), dialectName(m.Dialect))}
	}
	if err := bootstrap.CanRestore(s.db, m); err != nil {
		return fmt.Errorf("restore: %w; nothing was changed", err)
	}
	unlock, err := s.lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	// The state being replaced is backed up too: a restore is a change.
	st, err := s.migrator.Status(ctx)
	if err != nil {
		return err
	}
	before, err := s.backupBeforeChange(ctx, opts.Factory, "before-restore", st)
	if err != nil {
		return err
	}
	setAside, err := bootstrap.Restore(ctx, s.db, m)
	if err != nil {
		s.settle(ctx, before, err)
		return fmt.Errorf("restore: %w", err)
	}
	// Reopen: the SQLite file was replaced under the old handle.
	db, err := database.Open(ctx, DatabaseOptions(s.cfg, true, nil))
	if err != nil {
		return err
	}
	defer db.Close()
	st, err = migrations.New(db.Gorm, migrations.Steps(), migrations.Options{}).Status(ctx)
	if err != nil {
		return err
	}
	tables, _ := database.ListTables(ctx, db.Gorm)
	counts, _ := database.RowCounts(ctx, db.Gorm, tables)
	names := make([]string, 0, len(counts))
	for t := range counts {
		names = append(names, t)
	}
	sort.Strings(names)
	var parts []string
	for _, t := range names {
		if want, ok := m.Rows[t]; ok && want != counts[t] {
			return fmt.Errorf("restore: table %s has %d rows, the backup manifest says %d", t, counts[t], want)
		}
		parts = append(parts, fmt.Sprintf("%s=%d", t, counts[t]))
	}
	out := opts.Factory.IO.Out
	s.settle(ctx, before, nil)
	fmt.Fprintf(out, "restored %s\n", m.Location)
	if setAside != "" {
		fmt.Fprintf(out, "tables the backup does not hold were moved to schema %s\n", setAside)
	}
	fmt.Fprintf(out, "version: %s\n", currentLabel(st))
	fmt.Fprintf(out, "rows: %s\n", strings.Join(parts, " "))
	return nil
}

// dialectName names a dialect for people.
func dialectName(d string) string {
	switch d {
	case string(database.Postgres):
		return "PostgreSQL"
	case string(database.SQLite):
		return "SQLite"
	}
	return d
}
