package cmd

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/timetracker/timetracker/internal/testdb"
)

// TestPasswordParamNeverOnToolCommandLine: a password given as ?password=
// reaches pg_dump and pg_restore through the environment, never through
// their command line, where ps shows it. The tools are the real ones,
// behind a wrapper that records the command line it was given.
func TestPasswordParamNeverOnToolCommandLine(t *testing.T) {
	tgt := testdb.NewPostgres(t)
	isolate(t)
	const secret = "Qz-Secret-77"
	dir := t.TempDir()
	record := filepath.Join(dir, "calls.txt")
	for _, tool := range []string{"pg_dump", "pg_restore"} {
		real, err := lookPathOutside(tool, dir)
		require.NoError(t, err)
		script := fmt.Sprintf("#!/bin/sh\nprintf '%%s cmdline: %%s\\n' %s \"$*\" >> %s\nprintf '%%s env: %%s\\n' %s \"$(env | grep -c '^PGPASSWORD=%s$')\" >> %s\nexec %s \"$@\"\n",
			tool, record, tool, secret, record, real)
		require.NoError(t, os.WriteFile(filepath.Join(dir, tool), []byte(script), 0o755))
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))

	u := tgt.URL + "&password=" + secret
	backups := t.TempDir()
	r := run(t, "bootstrap", "--database-url", u, "--backup-dir", backups)
	require.Equal(t, ExitOK, r.code, r.stderr)
	r = run(t, "db", "backup", "--database-url", u, "--backup-dir", backups)
	require.Equal(t, ExitOK, r.code, r.stderr)
	archive := strings.TrimSpace(r.stdout)
	r = run(t, "db", "restore", archive, "--yes", "--database-url", u, "--backup-dir", backups)
	require.Equal(t, ExitOK, r.code, r.stderr)

	calls, err := os.ReadFile(record)
	require.NoError(t, err)
	text := string(calls)
	require.Contains(t, text, "pg_dump cmdline: ")
	require.Contains(t, text, "pg_restore cmdline: ")
	require.Contains(t, text, "--dbname=postgres://postgres@127.0.0.1:5432/"+tgt.Name)
	require.NotContains(t, text, secret, "no password on a command line")
	// Every call that connects (--list reads a file only) got PGPASSWORD.
	require.Equal(t, strings.Count(text, "--dbname="), strings.Count(text, "env: 1"), text)
	// Two pg_dump (db backup, and restore's own backup of the state it
	// replaces: found the same as the first and removed) and one pg_restore.
	require.Equal(t, 2, strings.Count(text, "pg_dump cmdline: "), text)
	require.Equal(t, 3, strings.Count(text, "--dbname="), "two pg_dump, one pg_restore: %s", text)
}

func lookPathOutside(tool, dir string) (string, error) {
	for _, p := range filepath.SplitList(os.Getenv("PATH")) {
		if p == dir {
			continue
		}
		if st, err := os.Stat(filepath.Join(p, tool)); err == nil && !st.IsDir() {
			return filepath.Join(p, tool), nil
		}
	}
	return "", fmt.Errorf("%s not in PATH", tool)
}

// TestURLConfigErrorsFailFast: what no wait can fix is a configuration
// error: exit 2 at once, one line naming the problem, no retry. Before,
// an unknown sslmode or a missing sslrootcert was retried as "unreachable"
// for the whole wait (the classifier read "timeout" in the driver's parse
// error quoting connect_timeout=5), then exit 3.
func TestURLConfigErrorsFailFast(t *testing.T) {
	server := testdb.ServerURL(t)
	isolate(t)
	base := strings.Replace(server, "/postgres?", "/tt_never_created?", 1)
	tests := []struct{ name, url, want string }{
		{"unknown sslmode", strings.Replace(base, "sslmode=disable", "sslmode=bogus", 1), "sslmode is invalid"},
		{"missing sslrootcert", strings.Replace(base, "sslmode=disable", "sslmode=verify-full&sslrootcert=/nonexistent/ca.pem", 1), "/nonexistent/ca.pem"},
		{"hash in host", "postgresql://postgres@ho#st:5432/db", `contains '#'`},
		{"space in host", "postgresql://postgres@ho st:5432/db", `contains ' '`},
		{"brace in host", "postgresql://postgres@{host}:5432/db", `contains '{'`},
		{"raw password with @:/#?%", "postgresql://postgres:p@ss:w/rd#?%@127.0.0.1:5432/db", "%40"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			r := run(t, "bootstrap", "--database-url", tt.url, "--wait-timeout", "30s", "--wait-interval", "1s")
			require.Equal(t, ExitUsage, r.code, r.stderr)
			require.Less(t, time.Since(start), 10*time.Second, "no wait: %s", r.stderr)
			require.NotContains(t, r.stderr, "retrying")
			require.Contains(t, r.stderr, tt.want)
			lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
			require.True(t, strings.HasPrefix(lines[len(lines)-1], "timetracker: "), r.stderr)
			require.NotContains(t, r.stderr, "p@ss")
			require.NotContains(t, r.stderr, "port must be")
		})
	}
}
