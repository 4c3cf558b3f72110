// Package cmd wires the command line: cobra commands, configuration,
// logging, output and exit codes. It is the only package that knows about
// cobra, viper and the concrete database drivers.
package cmd

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/timetracker/timetracker/config"
)

// Main runs the program and returns its exit code.
func Main(version string) int {
	ios := System()
	// The notification is not stopped: the process exits next, and
	// signal.Stop can wait milliseconds for the signal goroutine, a tenth of
	// a no-op start.
	ctx, _ := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	return Execute(ctx, ios, version, os.Args[1:])
}

// Execute runs one command line and returns the exit code; errors are
// printed as one line on ErrOut.
func Execute(ctx context.Context, ios *IOStreams, version string, args []string) int {
	root, f := NewRootCmd(ios, version)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	f.Close()
	if err != nil {
		fmt.Fprintf(ios.ErrOut, "timetracker: %s\n", errorLine(err))
	}
	return ExitCode(err)
}

// NewRootCmd builds the command tree over a fresh Factory.
func NewRootCmd(ios *IOStreams, version string) (*cobra.Command, *Factory) {
	root := &cobra.Command{
		Use:   "timetracker",
		Short: "Bring TimeTracker's database to a known, verified schema",
		Long: `timetracker creates, upgrades, converts and verifies the database of TimeTracker
on PostgreSQL or SQLite, and can start the application once the database is ready.`,
		Version:       version,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetVersionTemplate("timetracker version {{.Version}}\n")
	root.SetOut(ios.Out)
	root.SetErr(ios.ErrOut)
	config.AddFlags(root.PersistentFlags())
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.Args = unknownSubcommand
	root.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
	f := NewFactory(ios, version, root.PersistentFlags())

	root.AddCommand(newDBCmd(f))
	root.AddCommand(newBootstrapCmd(f, nil))
	return root, f
}

// unknownSubcommand rejects words that name no subcommand, as a usage error.
func unknownSubcommand(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageError{fmt.Errorf("unknown command %q for %q (see %s --help)", args[0], cmd.CommandPath(), cmd.CommandPath())}
	}
	return nil
}

// noArgs rejects positional arguments as a usage error.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageError{fmt.Errorf("%s takes no arguments, got %q", cmd.CommandPath(), args[0])}
	}
	return nil
}

// runWith is a command's RunE: the checks, then runF when a test injects
// one, else run.
func runWith[O any](opts *O, runF, run func(context.Context, *O) error, checks ...func() error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, _ []string) error {
		for _, check := range checks {
			if err := check(); err != nil {
				return err
			}
		}
		if runF != nil {
			return runF(cmd.Context(), opts)
		}
		return run(cmd.Context(), opts)
	}
}

// addOutputFlag registers -o/--output.
func addOutputFlag(cmd *cobra.Command, output *string) {
	cmd.Flags().StringVarP(output, "output", "o", "text", "output format: text or json")
}

// checkOutput validates -o.
func checkOutput(o string) error {
	if o != "text" && o != "json" {
		return usageError{fmt.Errorf("--output must be text or json, got %q", o)}
	}
	return nil
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\r", " ")
	s = strings.ReplaceAll(s, "\n", " ")
	return strings.Join(strings.Fields(s), " ")
}
