package database_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/timetracker/timetracker/internal/database"
	"github.com/timetracker/timetracker/internal/testdb"
)

// TestBackupFingerprintOfUnchangedDatabase: two backups of an unchanged
// database have the same fingerprint, although pg_dump writes the time of
// each dump into its archive; one changed value gives another.
func TestBackupFingerprintOfUnchangedDatabase(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, tgt testdb.Target) {
		ctx := context.Background()
		db := testdb.Open(t, tgt)
		require.NoError(t, database.Exec(db.Gorm, `CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)`,
			`INSERT INTO t (id, v) VALUES (1, 'a'), (2, 'b')`))
		dir := t.TempDir()
		backup := func() (database.BackupResult, string) {
			t.Helper()
			res, err := db.Backup(ctx, database.BackupRequest{Dir: dir, Stamp: database.StampNow(), FileOnly: true})
			require.NoError(t, err)
			fp, err := database.BackupFingerprint(ctx, res.Kind, res.Location)
			require.NoError(t, err)
			return res, fp
		}
		first, a := backup()
		if first.Kind == database.BackupPgDump {
			require.True(t, strings.HasPrefix(a, "pgdump-sha256:"), a)
			time.Sleep(1100 * time.Millisecond) // another second in the dump time
		} else {
			require.True(t, strings.HasPrefix(a, "file-sha256:"), a)
		}
		second, b := backup()
		require.NotEqual(t, first.Location, second.Location)
		require.Equal(t, a, b, "an unchanged database")
		if first.Kind == database.BackupPgDump {
			x, err := os.ReadFile(first.Location)
			require.NoError(t, err)
			y, err := os.ReadFile(second.Location)
			require.NoError(t, err)
			require.NotEqual(t, x, y, "the archives differ in their dump time")
		}

		require.NoError(t, database.Exec(db.Gorm, `UPDATE t SET v = 'c' WHERE id = 2`))
		_, c := backup()
		require.NotEqual(t, a, c, "a changed value")
	})
}

// TestBackupFingerprintPgDumpHeader: in a pg_dump archive only the seven
// ints of the dump time are left out, for archives with a one-byte
// compression (1.15 on) and an int one (before); a header not understood
// hashes the whole file, under another prefix. An in-database copy has
// no fingerprint.
func TestBackupFingerprintPgDumpHeader(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	// archive writes a header with int size 4: compression, then the dump
	// time (sign byte + 4 bytes each), then the rest.
	archive := func(minor byte, second byte, rest string) string {
		b := []byte{'P', 'G', 'D', 'M', 'P', 1, minor, 0, 4, 8, 1}
		if minor >= 15 {
			b = append(b, 0)
		} else {
			b = append(b, 1, 1, 0, 0, 0)
		}
		for i := 0; i < 7; i++ {
			b = append(b, 0, second+byte(i), 0, 0, 0)
		}
		b = append(b, rest...)
		f, err := os.CreateTemp(dir, "*.pgdump")
		require.NoError(t, err)
		_, err = f.Write(b)
		require.NoError(t, err)
		require.NoError(t, f.Close())
		return f.Name()
	}
	fp := func(kind database.BackupKind, path string) string {
		t.Helper()
		s, err := database.BackupFingerprint(ctx, kind, path)
		require.NoError(t, err)
		return s
	}
	for _, minor := range []byte{14, 15, 16} {
		a := fp(database.BackupPgDump, archive(minor, 10, "dbname and data"))
		require.True(t, strings.HasPrefix(a, "pgdump-sha256:"), a)
		require.Equal(t, a, fp(database.BackupPgDump, archive(minor, 40, "dbname and data")), "only the time differs: 1.%d", minor)
		require.NotEqual(t, a, fp(database.BackupPgDump, archive(minor, 10, "dbname and datA")), "the data differs: 1.%d", minor)
	}
	require.NotEqual(t, fp(database.BackupPgDump, archive(14, 10, "x")), fp(database.BackupPgDump, archive(15, 10, "x")))

	odd := archive(15, 10, "x")
	b, err := os.ReadFile(odd)
	require.NoError(t, err)
	b[10] = 3 // the tar format
	require.NoError(t, os.WriteFile(odd, b, 0o600))
	whole := fp(database.BackupPgDump, odd)
	require.True(t, strings.HasPrefix(whole, "file-sha256:"), whole)
	require.Equal(t, whole, fp(database.BackupSQLiteFile, odd), "hashed whole, as any file")
	b[20]++ // in the dump time, were the header understood
	require.NoError(t, os.WriteFile(odd, b, 0o600))
	require.NotEqual(t, whole, fp(database.BackupPgDump, odd))

	short := filepath.Join(dir, "short.pgdump")
	require.NoError(t, os.WriteFile(short, []byte("PGDMP"), 0o600))
	require.True(t, strings.HasPrefix(fp(database.BackupPgDump, short), "file-sha256:"))

	big := filepath.Join(dir, "big.sqlite")
	require.NoError(t, os.WriteFile(big, bytes.Repeat([]byte("x"), 3<<20), 0o600))
	require.True(t, strings.HasPrefix(fp(database.BackupSQLiteFile, big), "file-sha256:"))
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = database.BackupFingerprint(cancelled, database.BackupSQLiteFile, big)
	require.ErrorIs(t, err, context.Canceled)

	require.Equal(t, "", fp(database.BackupSchemaCopy, "timetracker_backup_x"))
}
