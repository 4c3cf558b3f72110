package cmd

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/testdb"
)

// The fault suite: what operators actually meet, run against the real
// binary. Every case checks the exit code, that the error is one line, that
// no password leaks, and that the database is unchanged or the result
// complete and verified.

// faultPasswords are tried for real password authentication: the
// documented default, the name of the server, and one with every character
// a URL treats specially.
var faultPasswords = []string{"timetracker", "postgres", "p@ss:w/rd#?%"}

// faultStart is procBin.start with extra environment (later entries win).
func faultStart(t *testing.T, b procBin, env []string, args ...string) *procProc {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	c := exec.CommandContext(ctx, b.path, args...)
	c.Env = append(procEnv(t), env...)
	c.Dir = t.TempDir()
	c.WaitDelay = 5 * time.Second
	p := &procProc{cmd: c, cancel: cancel, stdout: &procBuffer{}, stderr: &procBuffer{}}
	c.Stdout, c.Stderr = p.stdout, p.stderr
	p.start = time.Now()
	if err := c.Start(); err != nil {
		cancel()
		t.Fatalf("start %v: %v", args, err)
	}
	t.Cleanup(cancel)
	return p
}

func faultRun(t *testing.T, b procBin, env []string, args ...string) procResult {
	t.Helper()
	return faultStart(t, b, env, args...).wait(t)
}

// faultCheck asserts the exit code, one error line (none on success) and
// no password in the output.
func faultCheck(t *testing.T, r procResult, code int, passwords ...string) {
	t.Helper()
	require.Equal(t, code, r.code, r)
	errLines := 0
	for _, l := range strings.Split(r.stderr, "\n") {
		if strings.HasPrefix(l, "timetracker: ") {
			errLines++
		}
	}
	if code == ExitOK {
		require.Zero(t, errLines, r)
	} else {
		require.Equal(t, 1, errLines, "one error line: %s", r)
		require.True(t, strings.HasPrefix(lastLine(r.stderr), "timetracker: "), "the error is the last line: %s", r)
		t.Logf("exit %d: %s", r.code, lastLine(r.stderr))
	}
	faultNoLeak(t, r.stdout+"\n"+r.stderr, passwords...)
}

// faultNoLeak: the password appears nowhere a password stands (in a URL,
// after password=, in PGPASSWORD), raw or percent-encoded; a password
// unlike any word (p@ss:w/rd#?%) appears nowhere at all.
func faultNoLeak(t *testing.T, out string, passwords ...string) {
	t.Helper()
	for _, pw := range passwords {
		forms := []string{pw, url.QueryEscape(pw), url.PathEscape(pw), url.UserPassword("u", pw).String()[2:]}
		for _, f := range forms {
			for _, ctx := range []string{":" + f + "@", "password=" + f, "PGPASSWORD=" + f, `"password":"` + f, `"password": "` + f} {
				require.NotContains(t, out, ctx, "password %q leaked", pw)
			}
		}
		if strings.ContainsAny(pw, "@:/#?%") {
			for _, f := range forms {
				require.NotContains(t, out, f, "password %q leaked", pw)
			}
		}
	}
}

func faultRandom(t *testing.T) string {
	b := make([]byte, 5)
	_, err := rand.Read(b)
	require.NoError(t, err)
	return hex.EncodeToString(b)
}

// faultFingerprint fingerprints every value and the schema of a database.
func faultFingerprint(t *testing.T, tgt testdb.Target) string {
	t.Helper()
	db, err := database.Open(context.Background(), tgt.Options())
	require.NoError(t, err)
	defer db.Close()
	fp, err := testdb.Fingerprint(context.Background(), db.Gorm)
	require.NoError(t, err)
	return fp
}

// faultBehind makes a database at procDowngradeTo with a row of data:
// bootstrap has to back it up and upgrade it.
func faultBehind(t *testing.T, bin procBin, tgt testdb.Target) {
	t.Helper()
	r := bin.run(t, time.Minute, "db", "init", "--database-url", tgt.URL)
	require.Equal(t, ExitOK, r.code, r)
	r = bin.run(t, time.Minute, "db", "downgrade", "--to", procDowngradeTo, "--yes", "--database-url", tgt.URL)
	require.Equal(t, ExitOK, r.code, r)
	db := testdb.Open(t, tgt)
	require.NoError(t, db.Gorm.Exec("UPDATE projects SET name = 'fault suite project'").Error)
	require.NoError(t, db.Close())
}

func faultCurrent(t *testing.T, bin procBin, tgt testdb.Target) string {
	t.Helper()
	r := bin.run(t, time.Minute, "db", "current", "--database-url", tgt.URL)
	require.Equal(t, ExitOK, r.code, r)
	return strings.TrimSpace(r.stdout)
}

// faultBackupFiles lists what a backup left in dir.
func faultBackupFiles(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "timetracker-*"))
	require.NoError(t, err)
	return m
}

// faultWithPassword puts a password into a PostgreSQL URL (the trust
// server ignores it; it is there to be leaked or not).
func faultWithPassword(t *testing.T, u, pw string) string {
	t.Helper()
	p, err := url.Parse(u)
	require.NoError(t, err)
	p.User = url.UserPassword(p.User.Username(), pw)
	return p.String()
}

// faultMountTmpfs mounts a tmpfs (as root) on a new directory and unmounts
// it when the test ends.
func faultMountTmpfs(t *testing.T, opts string) string {
	t.Helper()
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", opts, "tt-fault", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here (needs root and mount permission): %v: %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("cleanup: umount %s: %v: %s: unmount it by hand", dir, err, out)
		}
	})
	return dir
}

// faultPgDump puts a pg_dump script first on PATH; $REAL is the real one,
// $FILE the --file it was given. It returns the PATH entry.
func faultPgDump(t *testing.T, script string) string {
	t.Helper()
	real, err := exec.LookPath("pg_dump")
	require.NoError(t, err)
	dir := t.TempDir()
	body := "#!/bin/sh\nREAL=" + real + "\nFILE=\nfor a in \"$@\"; do case \"$a\" in --file=*) FILE=${a#--file=};; esac; done\n" + script + "\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "pg_dump"), []byte(body), 0o755))
	return "PATH=" + dir + ":" + os.Getenv("PATH")
}

func TestFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := procBuild(t)

	t.Run("password authentication", func(t *testing.T) { faultPasswordAuth(t, bin) })
	t.Run("backup destination", func(t *testing.T) { faultBackupDestination(t, bin) })
	t.Run("pg_dump fails halfway", func(t *testing.T) { faultPgDumpFails(t, bin) })
	t.Run("signals", func(t *testing.T) { faultSignals(t, bin) })
	t.Run("server stopped mid-run", func(t *testing.T) { faultServerStopped(t, bin) })
	t.Run("sqlite locked by another writer", func(t *testing.T) { faultSQLiteLocked(t, bin) })
}

// faultPasswordAuth: a role of the test's own with a scram-sha-256
// password, allowed by a pg_hba.conf line for its database only; the
// program connects, backs up with pg_dump, restores with pg_restore, and a
// wrong password is refused at once.
func faultPasswordAuth(t *testing.T, bin procBin) {
	admin := testdb.Open(t, testdb.Target{Dialect: database.Postgres, DSN: testdb.ServerURL(t)})
	var hba string
	require.NoError(t, admin.Gorm.Raw("SHOW hba_file").Scan(&hba).Error)
	if _, err := os.Stat(hba); err != nil {
		t.Skipf("pg_hba.conf %s is not on this machine's file system: %v", hba, err)
	}
	for _, pw := range faultPasswords {
		t.Run(pw, func(t *testing.T) {
			role := "tt_fault_" + faultRandom(t)
			require.NoError(t, admin.Gorm.Exec("SET password_encryption = 'scram-sha-256'").Error)
			require.NoError(t, admin.Gorm.Exec(fmt.Sprintf("CREATE ROLE %s LOGIN PASSWORD '%s'", role, strings.ReplaceAll(pw, "'", "''"))).Error)
			t.Cleanup(func() {
				if err := admin.Gorm.Exec("DROP ROLE IF EXISTS " + role).Error; err != nil {
					t.Errorf("cleanup: role %s is left behind: %v", role, err)
				}
			})
			tgt := testdb.NewPostgres(t)
			require.NoError(t, admin.Gorm.Exec(fmt.Sprintf("ALTER DATABASE %s OWNER TO %s", tgt.Name, role)).Error)
			faultHBA(t, admin, hba, fmt.Sprintf("host %s %s 127.0.0.1/32 scram-sha-256", tgt.Name, role))

			env := []string{"POSTGRES_USER=" + role, "POSTGRES_PASSWORD=" + pw, "POSTGRES_DB=" + tgt.Name, "POSTGRES_HOST=127.0.0.1"}
			backups := t.TempDir()
			logFile := filepath.Join(t.TempDir(), "tt.log")
			common := []string{"--backup-dir", backups, "--log-file", logFile}
			var outputs []string
			do := func(code int, args ...string) procResult {
				t.Helper()
				r := faultRun(t, bin, env, append(args, common...)...)
				outputs = append(outputs, r.stdout, r.stderr)
				faultCheck(t, r, code, pw)
				return r
			}
			do(ExitOK, "bootstrap")
			do(ExitOK, "db", "downgrade", "--to", procDowngradeTo, "--yes")
			r := do(ExitOK, "bootstrap")
			require.Contains(t, r.stderr, "Backup written and verified", r)
			do(ExitOK, "db", "verify")
			r = do(ExitOK, "db", "backups")
			require.Contains(t, r.stdout, ".pgdump", "pg_dump authenticated with the password")
			list := faultBackupFiles(t, backups)
			var dump string
			for _, f := range list {
				if strings.HasSuffix(f, ".pgdump") {
					dump = f
				}
			}
			require.NotEmpty(t, dump)
			// The newest backup was taken before the upgrade: restoring it
			// (pg_restore authenticates too) goes back to that version.
			r = do(ExitOK, "db", "restore", dump, "--yes")
			// Words that merely contain the password stay intact.
			require.Contains(t, r.stdout, "restored "+dump, "the path is intact")
			require.Contains(t, r.stdout, " timetracker_migrations=", "table names are intact")
			r = do(ExitOK, "db", "current")
			require.Equal(t, procDowngradeTo+"\n", r.stdout)

			wrong := append([]string{}, env...)
			wrong[1] = "POSTGRES_PASSWORD=" + pw + "-wrong"
			r = faultRun(t, bin, wrong, append([]string{"bootstrap", "--wait-timeout", "30s"}, common...)...)
			outputs = append(outputs, r.stdout, r.stderr)
			faultCheck(t, r, ExitUnreachable, pw, pw+"-wrong")
			require.NotContains(t, r.stderr, "retrying", "a wrong password is not retried: %s", r)

			logged, err := os.ReadFile(logFile)
			require.NoError(t, err)
			outputs = append(outputs, string(logged))
			for _, m := range procManifests(t, backups) {
				b, err := os.ReadFile(m)
				require.NoError(t, err)
				outputs = append(outputs, string(b))
			}
			faultNoLeak(t, strings.Join(outputs, "\n"), pw)
		})
	}
}

// faultHBA puts line at the top of pg_hba.conf and reloads; the cleanup
// removes it and reloads again, and fails the test loudly if it cannot.
func faultHBA(t *testing.T, admin *database.DB, hba, line string) {
	t.Helper()
	edit := func(f func(lines []string) []string) error {
		b, err := os.ReadFile(hba)
		if err != nil {
			return err
		}
		st, err := os.Stat(hba)
		if err != nil {
			return err
		}
		lines := f(strings.Split(string(b), "\n"))
		if err := os.WriteFile(hba, []byte(strings.Join(lines, "\n")), st.Mode().Perm()); err != nil {
			return err
		}
		var ok bool
		return admin.Gorm.Raw("SELECT pg_reload_conf()").Scan(&ok).Error
	}
	require.NoError(t, edit(func(lines []string) []string { return append([]string{line}, lines...) }))
	t.Cleanup(func() {
		err := edit(func(lines []string) []string {
			out := lines[:0:0]
			for _, l := range lines {
				if l != line {
					out = append(out, l)
				}
			}
			return out
		})
		if err != nil {
			t.Errorf("CLEANUP FAILED: remove the line %q from %s by hand and reload PostgreSQL: %v", line, hba, err)
		}
	})
	// The reload is asynchronous: wait until a wrong password is refused,
	// which the trust lines below ours would accept.
	f := strings.Fields(line)
	probe := fmt.Sprintf("postgres://%s:wrong-%s@127.0.0.1:5432/%s?sslmode=disable", f[2], faultRandom(t), f[1])
	deadline := time.Now().Add(10 * time.Second)
	for {
		db, err := database.Open(context.Background(), database.Options{Dialect: database.Postgres, DSN: probe, ConnectTimeout: 5 * time.Second})
		if err != nil {
			return
		}
		db.Close()
		if time.Now().After(deadline) {
			t.Fatalf("pg_hba.conf line %q is not in force after a reload", line)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// faultBackupDestination: an unwritable backup-dir, one too small for the
// dump, and one that fills up after the dump, before the manifest.
func faultBackupDestination(t *testing.T, bin procBin) {
	const pw = "p@ss:w/rd#?%"
	cases := []struct {
		name  string
		mount string
		env   func(t *testing.T, dir string) []string
		dial  []database.Dialect
	}{
		{name: "read-only", mount: "ro,size=1m", dial: []database.Dialect{database.SQLite, database.Postgres}},
		{name: "full", mount: "size=16k", dial: []database.Dialect{database.SQLite, database.Postgres}},
		{name: "full after the dump", mount: "size=2m", dial: []database.Dialect{database.Postgres},
			env: func(t *testing.T, dir string) []string {
				return []string{faultPgDump(t, `"$REAL" "$@" || exit $?
dd if=/dev/zero of="`+dir+`/filler" bs=4096 2>/dev/null
exit 0`)}
			}},
	}
	for _, c := range cases {
		for _, d := range c.dial {
			t.Run(c.name+" "+string(d), func(t *testing.T) {
				tgt := testdb.NewSQLite(t)
				if d == database.Postgres {
					tgt = testdb.NewPostgres(t)
				}
				faultBehind(t, bin, tgt)
				before := faultFingerprint(t, tgt)
				dir := faultMountTmpfs(t, c.mount)
				var env []string
				if c.env != nil {
					env = c.env(t, dir)
				}
				u := tgt.URL
				if d == database.Postgres {
					u = faultWithPassword(t, u, pw)
				}
				r := faultRun(t, bin, env, "bootstrap", "--database-url", u, "--backup-dir", dir)
				faultCheck(t, r, ExitBackup, pw)
				require.Contains(t, lastLine(r.stderr), dir, "the line names the backup directory: %s", r)
				require.Empty(t, faultBackupFiles(t, dir), "nothing half-written is left")
				require.Equal(t, procDowngradeTo, faultCurrent(t, bin, tgt), "not migrated")
				require.Equal(t, before, faultFingerprint(t, tgt), "the database is unchanged")
			})
		}
	}
}

// faultPgDumpFails: pg_dump writes half an archive and fails.
func faultPgDumpFails(t *testing.T, bin procBin) {
	const pw = "p@ss:w/rd#?%"
	tgt := testdb.NewPostgres(t)
	faultBehind(t, bin, tgt)
	before := faultFingerprint(t, tgt)
	path := faultPgDump(t, `"$REAL" "$@" || exit $?
size=$(stat -c %s "$FILE")
truncate -s $((size / 2)) "$FILE"
echo "pg_dump: error: could not write to output file: No space left on device" >&2
exit 1`)
	backups := t.TempDir()
	r := faultRun(t, bin, []string{path}, "bootstrap", "--database-url", faultWithPassword(t, tgt.URL, pw), "--backup-dir", backups)
	faultCheck(t, r, ExitBackup, pw)
	require.Contains(t, lastLine(r.stderr), "pg_dump", r)
	require.Empty(t, faultBackupFiles(t, backups), "the half archive is removed")
	require.Equal(t, procDowngradeTo, faultCurrent(t, bin, tgt))
	require.Equal(t, before, faultFingerprint(t, tgt))

	// The next start, with a working pg_dump, backs up and migrates.
	r = faultRun(t, bin, nil, "bootstrap", "--database-url", tgt.URL, "--backup-dir", backups)
	faultCheck(t, r, ExitOK)
	require.Len(t, procManifests(t, backups), 1)
	require.Contains(t, faultCurrent(t, bin, tgt), "(head)")
}

// faultSignals: SIGTERM and SIGINT while waiting for the server, waiting
// for the lock, backing up and converting: exit 8, and the database is as
// before or converted, never in between.
func faultSignals(t *testing.T, bin procBin) {
	const pw = "p@ss:w/rd#?%"
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			t.Run("waiting", func(t *testing.T) {
				u := fmt.Sprintf("postgres://postgres:%s@127.0.0.1:%d/tt_never?sslmode=disable", url.QueryEscape(pw), procReservePort(t))
				p := faultStart(t, bin, nil, "bootstrap", "--database-url", u, "--wait-timeout", "2m", "--wait-interval", "200ms", "--connect-timeout", "1s")
				procWaitFor(t, p, "retrying", 30*time.Second)
				require.NoError(t, p.cmd.Process.Signal(sig))
				faultCheck(t, p.wait(t), ExitInterrupted, pw)
			})
			t.Run("lock wait", func(t *testing.T) {
				tgt := testdb.NewPostgres(t)
				_, release := procHoldLock(t, tgt)
				p := faultStart(t, bin, nil, "bootstrap", "--database-url", faultWithPassword(t, tgt.URL, pw), "--lock-timeout", "2m")
				procWaitFor(t, p, "Waiting for the migration lock", 30*time.Second)
				require.NoError(t, p.cmd.Process.Signal(sig))
				faultCheck(t, p.wait(t), ExitInterrupted, pw)
				release()
				tables, err := database.ListTables(context.Background(), testdb.Open(t, tgt).Gorm)
				require.NoError(t, err)
				require.Empty(t, tables, "nothing was created")
			})
			t.Run("backup", func(t *testing.T) {
				tgt := testdb.NewPostgres(t)
				faultBehind(t, bin, tgt)
				before := faultFingerprint(t, tgt)
				marker := filepath.Join(t.TempDir(), "pg_dump-started")
				path := faultPgDump(t, `touch "`+marker+`"
printf 'PGDMP partial' > "$FILE"
exec sleep 120`)
				backups := t.TempDir()
				p := faultStart(t, bin, []string{path}, "bootstrap", "--database-url", faultWithPassword(t, tgt.URL, pw), "--backup-dir", backups)
				deadline := time.Now().Add(time.Minute)
				for {
					if _, err := os.Stat(marker); err == nil {
						break
					}
					require.True(t, time.Now().Before(deadline), "pg_dump never started: %s", p.stderr.String())
					time.Sleep(20 * time.Millisecond)
				}
				require.NoError(t, p.cmd.Process.Signal(sig))
				faultCheck(t, p.wait(t), ExitInterrupted, pw)
				require.Empty(t, faultBackupFiles(t, backups), "the interrupted backup is removed")
				require.Equal(t, procDowngradeTo, faultCurrent(t, bin, tgt))
				require.Equal(t, before, faultFingerprint(t, tgt))
			})
			// Converting: SIGTERM on PostgreSQL, SIGINT on SQLite (each
			// conversion takes a while to set up).
			t.Run("converting", func(t *testing.T) {
				tgt := testdb.NewSQLite(t)
				if sig == syscall.SIGTERM {
					tgt = testdb.NewPostgres(t)
				}
				t.Logf("on %s", tgt.Dialect)
				db := testdb.Open(t, tgt)
				s2Legacy(t, db.Gorm, tgt.Dialect)
				sum := contentHash(t, db.Gorm)
				require.NoError(t, db.Close())
				u := tgt.URL
				if tgt.Dialect == database.Postgres {
					u = faultWithPassword(t, u, pw)
				}
				backups := t.TempDir()
				p := faultStart(t, bin, nil, "bootstrap", "--database-url", u, "--backup-dir", backups)
				procWaitFor(t, p, "Backup written", time.Minute)
				require.NoError(t, p.cmd.Process.Signal(sig))
				r := p.wait(t)
				if r.code == ExitOK {
					t.Logf("the conversion finished before the signal arrived")
				} else {
					faultCheck(t, r, ExitInterrupted, pw)
				}
				st := bin.run(t, time.Minute, "db", "status", "-o", "json", "--database-url", tgt.URL)
				require.Equal(t, ExitOK, st.code, st)
				untouched := strings.Contains(st.stdout, `"state": "legacy"`)
				converted := strings.Contains(st.stdout, `"state": "migrated"`) || strings.Contains(st.stdout, `"state": "behind"`)
				require.True(t, untouched || converted, "legacy or converted, nothing in between: %s", st.stdout)
				r = bin.run(t, 3*time.Minute, "bootstrap", "--database-url", tgt.URL, "--backup-dir", backups)
				faultCheck(t, r, ExitOK)
				db = testdb.Open(t, tgt)
				require.Equal(t, sum, contentHash(t, db.Gorm), "nothing lost")
			})
		})
	}
}

// faultCluster is a PostgreSQL server of the test's own.
type faultCluster struct {
	bin, data, sock string
	port            int
	cred            *syscall.Credential
}

// faultNewCluster runs initdb and starts a server on a free loopback port,
// as the postgres OS user (PostgreSQL refuses to run as root).
func faultNewCluster(t *testing.T) *faultCluster {
	t.Helper()
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(bins) == 0 {
		t.Skip("no PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb) to start a second cluster")
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		t.Skipf("no postgres OS user to run a second cluster as: %v", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if os.Getuid() != 0 && os.Getuid() != uid {
		t.Skip("a second cluster needs root (to run it as postgres) or the postgres user")
	}
	root, err := os.MkdirTemp("", "tt-fault-cluster-")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(root) })
	require.NoError(t, os.Chmod(root, 0o755))
	require.NoError(t, os.Chown(root, uid, gid))
	c := &faultCluster{bin: filepath.Dir(bins[len(bins)-1]), data: filepath.Join(root, "data"), sock: root, port: procReservePort(t)}
	if os.Getuid() == 0 {
		c.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	}
	c.run(t, "initdb", "-D", c.data, "--auth=trust", "-U", "postgres", "--no-sync", "-E", "UTF8")
	c.start(t)
	t.Cleanup(func() {
		cmd := exec.Command(filepath.Join(c.bin, "pg_ctl"), "-D", c.data, "-m", "immediate", "-w", "stop")
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
		_ = cmd.Run() // already stopped is fine
	})
	return c
}

func (c *faultCluster) run(t *testing.T, tool string, args ...string) {
	t.Helper()
	cmd := exec.Command(filepath.Join(c.bin, tool), args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	cmd.Dir = c.sock
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s: %s", tool, out)
}

func (c *faultCluster) start(t *testing.T) {
	t.Helper()
	c.run(t, "pg_ctl", "-D", c.data, "-l", filepath.Join(c.sock, "server.log"), "-w", "-o",
		fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off", c.port, c.sock), "start")
}

func (c *faultCluster) stop(t *testing.T) {
	t.Helper()
	c.run(t, "pg_ctl", "-D", c.data, "-m", "fast", "-w", "stop")
}

func (c *faultCluster) url(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, db)
}

// faultServerStopped: the server goes away while bootstrap converts a
// legacy database: the database is legacy or converted after a restart, and
// the next bootstrap completes with every value.
func faultServerStopped(t *testing.T, bin procBin) {
	const pw = "p@ss:w/rd#?%"
	c := faultNewCluster(t)
	admin, err := database.Open(context.Background(), database.Options{Dialect: database.Postgres, DSN: c.url("postgres"), ConnectTimeout: 10 * time.Second})
	require.NoError(t, err)
	require.NoError(t, admin.Gorm.Exec("CREATE DATABASE tt_fault").Error)
	require.NoError(t, admin.Close())
	tgt := testdb.Target{Dialect: database.Postgres, DSN: c.url("tt_fault"), URL: c.url("tt_fault"), Name: "tt_fault"}
	db, err := database.Open(context.Background(), tgt.Options())
	require.NoError(t, err)
	s2Legacy(t, db.Gorm, database.Postgres)
	sum := contentHash(t, db.Gorm)
	require.NoError(t, db.Close())

	backups := t.TempDir()
	p := faultStart(t, bin, nil, "bootstrap", "--database-url", faultWithPassword(t, tgt.URL, pw), "--backup-dir", backups)
	procWaitFor(t, p, "Backup written", time.Minute)
	c.stop(t)
	r := p.wait(t)
	if r.code == ExitOK {
		t.Logf("the conversion finished before the server stopped")
	} else {
		faultCheck(t, r, ExitUnreachable, pw)
	}
	c.start(t)
	st := bin.run(t, time.Minute, "db", "status", "-o", "json", "--database-url", tgt.URL)
	require.Equal(t, ExitOK, st.code, st)
	untouched := strings.Contains(st.stdout, `"state": "legacy"`)
	converted := strings.Contains(st.stdout, `"state": "migrated"`) || strings.Contains(st.stdout, `"state": "behind"`)
	require.True(t, untouched || converted, "legacy or converted, nothing in between: %s", st.stdout)
	r = bin.run(t, 3*time.Minute, "bootstrap", "--database-url", tgt.URL, "--backup-dir", backups)
	faultCheck(t, r, ExitOK)
	db, err = database.Open(context.Background(), tgt.Options())
	require.NoError(t, err)
	defer db.Close()
	require.Equal(t, sum, contentHash(t, db.Gorm), "nothing lost")
}

// faultSQLiteLocked: another connection holds the SQLite file in an
// exclusive transaction (nobody may read) or a write transaction (nobody
// may write); bootstrap gives up with one line and changes nothing, and
// succeeds once the other writer is gone.
func faultSQLiteLocked(t *testing.T, bin procBin) {
	for _, c := range []struct {
		begin string
		code  int
	}{{"BEGIN EXCLUSIVE", ExitUnreachable}, {"BEGIN IMMEDIATE", ExitError}} {
		t.Run(c.begin, func(t *testing.T) {
			tgt := testdb.NewSQLite(t)
			faultBehind(t, bin, tgt)
			before := faultFingerprint(t, tgt)

			other, err := sql.Open("sqlite3", "file:"+tgt.Name)
			require.NoError(t, err)
			defer other.Close()
			conn, err := other.Conn(context.Background())
			require.NoError(t, err)
			_, err = conn.ExecContext(context.Background(), c.begin)
			require.NoError(t, err)
			_, err = conn.ExecContext(context.Background(), "UPDATE settings SET currency = currency")
			require.NoError(t, err)

			backups := t.TempDir()
			r := faultRun(t, bin, nil, "bootstrap", "--database-url", tgt.URL, "--backup-dir", backups)
			faultCheck(t, r, c.code)
			require.Contains(t, lastLine(r.stderr), "locked", r)

			_, err = conn.ExecContext(context.Background(), "ROLLBACK")
			require.NoError(t, err)
			require.NoError(t, conn.Close())
			require.Equal(t, procDowngradeTo, faultCurrent(t, bin, tgt))
			require.Equal(t, before, faultFingerprint(t, tgt))

			r = faultRun(t, bin, nil, "bootstrap", "--database-url", tgt.URL, "--backup-dir", backups)
			faultCheck(t, r, ExitOK)
			require.Contains(t, faultCurrent(t, bin, tgt), "(head)")
			require.Len(t, procManifests(t, backups), 1, "one backup, reused by the second start if the first took it")
		})
	}
}
