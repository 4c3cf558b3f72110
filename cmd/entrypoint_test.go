package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/testdb"
)

// The image's user (Dockerfile: USER 1000:1000).
const imageUID, imageGID = 1000, 1000

// imageContainer is a directory laid out like the image: the binary in a
// directory on PATH, an empty data directory owned by the image's user
// (the /data volume), and a working directory that user cannot write.
type imageContainer struct {
	bin     string // .../usr/local/bin/timetracker
	dataDir string // /data
	workDir string // WORKDIR /
	env     []string
}

func newImageContainer(t *testing.T, built procBin) imageContainer {
	t.Helper()
	// t.TempDir's directories are 0700: uid 1000 could not reach anything
	// inside them. The parent must let others through, as /tmp does.
	parent := os.TempDir()
	if !traversableByOthers(parent) {
		parent = "/tmp"
	}
	require.True(t, traversableByOthers(parent), "no temp directory uid %d can reach (TMPDIR=%s)", imageUID, os.TempDir())
	root, err := os.MkdirTemp(parent, "tt-image-")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(root) })
	require.NoError(t, os.Chmod(root, 0o755))

	binDir := filepath.Join(root, "usr", "local", "bin")
	require.NoError(t, os.MkdirAll(binDir, 0o755))
	bin := filepath.Join(binDir, "timetracker")
	copyFile(t, built.path, bin, 0o755)

	dataDir := filepath.Join(root, "data")
	require.NoError(t, os.Mkdir(dataDir, 0o750))
	require.NoError(t, os.Chown(dataDir, imageUID, imageGID))

	workDir := filepath.Join(root, "workdir")
	require.NoError(t, os.Mkdir(workDir, 0o755))
	require.NoError(t, os.Chmod(workDir, 0o555))

	return imageContainer{
		bin: bin, dataDir: dataDir, workDir: workDir,
		// What the image sets, and nothing else: no DATABASE_URL, so the
		// SQLite default in the data directory.
		env: []string{
			"PATH=" + binDir + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
			"HOME=" + dataDir,
			"TZ=Europe/Rome",
			"TIMETRACKER_DATA_DIR=" + dataDir,
		},
	}
}

// traversableByOthers reports whether every directory from / down to dir
// lets other users through (o+x).
func traversableByOthers(dir string) bool {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return false
	}
	for {
		info, err := os.Stat(dir)
		if err != nil || !info.IsDir() || info.Mode().Perm()&0o001 == 0 {
			return false
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return true
		}
		dir = parent
	}
}

func copyFile(t *testing.T, from, to string, mode os.FileMode) {
	t.Helper()
	in, err := os.Open(from)
	require.NoError(t, err)
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
	require.NoError(t, err)
	_, err = io.Copy(out, in)
	require.NoError(t, err)
	require.NoError(t, out.Close())
	require.NoError(t, os.Chmod(to, mode))
}

// start runs the container: argv is ENTRYPOINT ["timetracker", "bootstrap",
// "--"] followed by the CMD, as uid/gid 1000 in the read-only working
// directory. It returns the result and the pid the process was started as.
func (c imageContainer) start(t *testing.T, cmdArgs ...string) (procResult, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	p := exec.CommandContext(ctx, c.bin)
	p.Args = append([]string{"timetracker", "bootstrap", "--"}, cmdArgs...)
	p.Env = c.env
	p.Dir = c.workDir
	p.SysProcAttr = &syscall.SysProcAttr{
		Credential: &syscall.Credential{Uid: imageUID, Gid: imageGID, Groups: []uint32{}},
	}
	p.WaitDelay = 5 * time.Second
	stdout, stderr := &procBuffer{}, &procBuffer{}
	p.Stdout, p.Stderr = stdout, stderr
	begin := time.Now()
	require.NoError(t, p.Start())
	pid := p.Process.Pid
	err := p.Wait()
	r := procResult{stdout: stdout.String(), stderr: stderr.String(), elapsed: time.Since(begin)}
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr) && exitErr.ExitCode() >= 0:
		r.code = exitErr.ExitCode()
	default:
		t.Fatalf("%v: %v\n%s", p.Args, err, r)
	}
	return r, pid
}

// checkOwnedByImageUser fails on a file in dir that uid 1000 does not own.
func checkOwnedByImageUser(t *testing.T, dir string) []string {
	t.Helper()
	var names []string
	err := filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		st := info.Sys().(*syscall.Stat_t)
		require.EqualValues(t, imageUID, st.Uid, "%s is owned by uid %d", path, st.Uid)
		if path != dir {
			names = append(names, strings.TrimPrefix(path, dir+string(filepath.Separator)))
		}
		return nil
	})
	require.NoError(t, err)
	return names
}

// TestImageEntrypoint starts the binary the way the container image does:
// `timetracker bootstrap -- <CMD>` with the image's environment, as the
// non-root user 1000, from a working directory it cannot write. The first
// start creates the SQLite default in the data directory and execs the CMD;
// the next one is a no-op that still execs it; an empty CMD only migrates.
func TestImageEntrypoint(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	if os.Geteuid() != 0 {
		t.Skip("needs root to start the binary as uid 1000, the image's user")
	}
	c := newImageContainer(t, procBuild(t))
	app := []string{"sh", "-c", "echo app-started $$; id -u; id -g"}

	// First start: fresh database.
	r, pid := c.start(t, app...)
	require.Equal(t, ExitOK, r.code, r)
	require.Equal(t, fmt.Sprintf("app-started %d\n%d\n%d\n", pid, imageUID, imageGID), r.stdout,
		"the CMD runs as uid/gid 1000 under the entrypoint's pid (exec: PID 1 in a container)\n%s", r)
	require.Contains(t, r.stderr, "DATABASE_URL not set: using SQLite "+filepath.Join(c.dataDir, "timetracker.db"), r)
	require.Contains(t, r.stderr, "Selected migration strategy: 'create'", r)
	require.Contains(t, r.stderr, "=== Startup and migration complete ===", r)
	require.Contains(t, r.stderr, "Starting application... command=\"sh -c echo app-started $$; id -u; id -g\"", r)
	require.NotContains(t, r.stderr, "timetracker:", "no error line\n%s", r)

	files := checkOwnedByImageUser(t, c.dataDir)
	require.Contains(t, files, "timetracker.db", "the SQLite default lives in TIMETRACKER_DATA_DIR")
	entries, err := os.ReadDir(c.workDir)
	require.NoError(t, err)
	require.Empty(t, entries, "nothing is written to the working directory")

	// Second start: nothing to do, no backup, the app starts again.
	r, pid = c.start(t, app...)
	require.Equal(t, ExitOK, r.code, r)
	require.Equal(t, fmt.Sprintf("app-started %d\n%d\n%d\n", pid, imageUID, imageGID), r.stdout, r)
	require.Contains(t, r.stderr, "Detected database state: 'migrated'", r)
	require.Contains(t, r.stderr, "Selected migration strategy: 'none'", r)
	require.NotContains(t, r.stderr, "Backup written", r)
	require.NotContains(t, r.stderr, "Applied step", r)

	// Empty CMD: the one-shot migrator exits 0 and starts nothing.
	r, _ = c.start(t)
	require.Equal(t, ExitOK, r.code, r)
	require.Empty(t, r.stdout, r)
	require.Contains(t, r.stderr, "Selected migration strategy: 'none'", r)
	require.NotContains(t, r.stderr, "Starting application...", r)

	// A CMD that is not in the image is a usage error, before anything runs.
	r, _ = c.start(t, "no-such-app")
	require.Equal(t, ExitUsage, r.code, r)
	require.Contains(t, r.stderr, `cannot start "no-such-app"`, r)

	// Still only uid 1000's files, and no backup was ever needed.
	files = checkOwnedByImageUser(t, c.dataDir)
	for _, f := range files {
		require.NotContains(t, f, "backups"+string(filepath.Separator), "unexpected backup %s", f)
	}

	// TZ seeded the settings row of the fresh database.
	db := testdb.Open(t, testdb.Target{Dialect: database.SQLite, DSN: filepath.Join(c.dataDir, "timetracker.db")})
	var tz string
	require.NoError(t, db.Gorm.Raw("SELECT timezone FROM settings").Scan(&tz).Error)
	require.Equal(t, "Europe/Rome", tz)
}
