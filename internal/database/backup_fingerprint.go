// Fingerprints of backup files, read from what the backup wrote, to tell
// whether two backups hold the same.

package database

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"
)

// The prefixes of BackupFingerprint's values: they name how the value was
// made, so values made another way (an older row fingerprint, or a whole
// archive hashed because its header was not understood) never match.
const (
	fingerprintFile   = "file-sha256:"
	fingerprintPgDump = "pgdump-sha256:"
)

// BackupFingerprint hashes a backup file as written: equal values mean the
// backups hold the same. A SQLite copy is hashed whole: VACUUM INTO of an
// unchanged database writes the same bytes. A pg_dump archive is hashed
// with the dump time in its header read as zeros (pgDumpTimeSpan), the only
// bytes in which two dumps of an unchanged database differ; an archive
// whose header is not understood is hashed whole (it then matches no other
// dump, which costs a copy, nothing else). An in-database copy has no file
// and no fingerprint ("").
func BackupFingerprint(ctx context.Context, kind BackupKind, path string) (string, error) {
	if kind == BackupSchemaCopy {
		return "", nil
	}
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	prefix := fingerprintFile
	h := sha256.New()
	if kind == BackupPgDump {
		head := make([]byte, pgDumpHeadSize)
		n, err := io.ReadFull(f, head)
		if err != nil && err != io.ErrUnexpectedEOF {
			return "", fmt.Errorf("fingerprint %s: %w", path, err)
		}
		head = head[:n]
		if from, to, ok := pgDumpTimeSpan(head); ok {
			prefix = fingerprintPgDump
			clear(head[from:to])
		}
		h.Write(head)
	}
	if err := hashRest(ctx, h, f); err != nil {
		return "", fmt.Errorf("fingerprint %s: %w", path, err)
	}
	return prefix + hex.EncodeToString(h.Sum(nil)), nil
}

// hashRest feeds the rest of f to h, checking ctx between reads: a backup
// file may be gigabytes, and a signal must not wait for it.
func hashRest(ctx context.Context, h hash.Hash, f *os.File) error {
	buf := make([]byte, 1<<20)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, err := f.Read(buf)
		h.Write(buf[:n])
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
