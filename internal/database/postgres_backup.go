// PostgreSQL: backup with pg_dump (or a schema copy when pg_dump cannot be
// used) and restore with pg_restore.

package database

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"

	"gorm.io/gorm"

	"github.com/timetracker/timetracker/internal/redact"
)

// backup runs pg_dump into req.Dir; when pg_dump is missing or refuses the
// server (older major version) it copies every table into a schema named
// timetracker_backup_<stamp> instead. Either way the row counts are checked.
func (postgresDialect) backup(ctx context.Context, d *DB, req BackupRequest) (BackupResult, error) {
	tables, err := ListTables(ctx, d.Gorm)
	if err != nil {
		return BackupResult{}, err
	}
	rows, err := RowCounts(ctx, d.Gorm, tables)
	if err != nil {
		return BackupResult{}, err
	}
	reason, err := d.dumpThroughPool(ctx)
	if err != nil {
		return BackupResult{}, err
	}
	if reason == "" {
		res, err := pgDump(ctx, d, req, tables, rows)
		if err == nil {
			return res, nil
		}
		if !errors.Is(err, errPgDumpUnusable) {
			return BackupResult{}, err
		}
		reason = err.Error()
	}
	if req.FileOnly {
		return BackupResult{}, fmt.Errorf("no pg_dump archive: %s", reason)
	}
	if req.OnFallback != nil {
		req.OnFallback(reason)
	}
	return schemaCopy(ctx, d, req, tables, rows)
}

var errPgDumpUnusable = errors.New("pg_dump unusable")

func pgDump(ctx context.Context, d *DB, req BackupRequest, tables []string, rows map[string]int64) (BackupResult, error) {
	bin, err := exec.LookPath("pg_dump")
	if err != nil {
		return BackupResult{}, fmt.Errorf("%w: pg_dump not found in PATH", errPgDumpUnusable)
	}
	file, err := reserveBackupFile(req.Dir, req.Stamp, ".pgdump")
	if err != nil {
		return BackupResult{}, err
	}
	defer file.Discard()
	cmd, err := d.pgTool(ctx, bin, "--format=custom", "--no-owner", "--file="+file.Tmp)
	if err != nil {
		return BackupResult{}, fmt.Errorf("%w: %v", errPgDumpUnusable, err)
	}
	defer cleanupTool(cmd)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		// pg_dump may quote its connection string: keep secrets out.
		msg := redact.String(strings.TrimSpace(stderr.String()))
		if strings.Contains(msg, "server version mismatch") {
			return BackupResult{}, fmt.Errorf("%w: %s", errPgDumpUnusable, firstLine(msg))
		}
		return BackupResult{}, fmt.Errorf("pg_dump: %v: %s", err, firstLine(msg))
	}
	// The archive must hold the data of every table.
	if restore, err := exec.LookPath("pg_restore"); err == nil {
		withData, err := archiveEntries(ctx, restore, file.Tmp, "TABLE DATA")
		if err != nil {
			return BackupResult{}, fmt.Errorf("%w: %v", ErrBackupVerify, err)
		}
		for _, t := range tables {
			if !withData[t] {
				return BackupResult{}, fmt.Errorf("%w: the archive lacks the data of table %s", ErrBackupVerify, t)
			}
		}
	}
	if err := file.Keep(); err != nil {
		return BackupResult{}, err
	}
	return BackupResult{Kind: BackupPgDump, Location: file.Final, Rows: rows}, nil
}

func schemaCopy(ctx context.Context, d *DB, req BackupRequest, tables []string, rows map[string]int64) (BackupResult, error) {
	name := "timetracker_backup_" + strings.ToLower(strings.NewReplacer(".", "_", "-", "_").Replace(req.Stamp))
	err := d.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`CREATE SCHEMA "` + name + `"`).Error; err != nil {
			return err
		}
		for _, t := range tables {
			if err := tx.Exec(fmt.Sprintf(`CREATE TABLE "%s"."%s" AS TABLE "%s"`, name, t, t)).Error; err != nil {
				return fmt.Errorf("copy %s: %w", t, err)
			}
		}
		got := map[string]int64{}
		for _, t := range tables {
			var n int64
			if err := tx.Raw(fmt.Sprintf(`SELECT count(*) FROM "%s"."%s"`, name, t)).Scan(&n).Error; err != nil {
				return err
			}
			got[t] = n
		}
		return compareCounts(rows, got)
	})
	if err != nil {
		return BackupResult{}, fmt.Errorf("in-database backup: %w", err)
	}
	return BackupResult{Kind: BackupSchemaCopy, Location: name, Rows: rows}, nil
}

// restore puts a pg_dump archive back with pg_restore; a schema copy is
// left for the operator to copy back by hand.
func (postgresDialect) restore(ctx context.Context, d *DB, kind BackupKind, location string) (string, error) {
	switch kind {
	case BackupPgDump:
		bin, err := exec.LookPath("pg_restore")
		if err != nil {
			return "", fmt.Errorf("%w: pg_restore not found in PATH", ErrCannotRestore)
		}
		return d.PgRestore(ctx, bin, location)
	case BackupSchemaCopy:
		return "", fmt.Errorf("%w: %s backup %s: copy its tables back by hand (they are in that schema)", ErrCannotRestore, kind, location)
	}
	return "", fmt.Errorf("%w: a %s backup is not a PostgreSQL backup", ErrCannotRestore, kind)
}

// PgRestore runs pg_restore --clean --if-exists --single-transaction of an
// archive into this database, the password through the environment. Tables
// the archive does not hold (created after the backup, e.g. by a
// conversion) would otherwise survive beside the restored ones; they are
// moved, not dropped, into a schema timetracker_restore_<stamp>, whose
// name is returned ("" when nothing was moved).
func (d *DB) PgRestore(ctx context.Context, bin, archive string) (string, error) {
	if d.direct == "" {
		pooled, err := d.ViaPooler(ctx)
		if err != nil {
			return "", err
		}
		if pooled {
			return "", ErrNeedsDirect
		}
	}
	inArchive, err := archiveEntries(ctx, bin, archive, "TABLE")
	if err != nil {
		return "", err
	}
	cmd, err := d.pgTool(ctx, bin, "--clean", "--if-exists", "--no-owner", "--single-transaction", archive)
	if err != nil {
		return "", err
	}
	defer cleanupTool(cmd)
	current, err := ListTables(ctx, d.Gorm)
	if err != nil {
		return "", err
	}
	moved := ""
	var extra []string
	for _, t := range current {
		if !inArchive[t] {
			extra = append(extra, t)
		}
	}
	if len(extra) > 0 {
		moved = "timetracker_restore_" + strings.ToLower(strings.NewReplacer(".", "_", "-", "_").Replace(StampNow()))
		err := d.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			stmts := []string{`CREATE SCHEMA "` + moved + `"`}
			for _, t := range extra {
				stmts = append(stmts, fmt.Sprintf(`ALTER TABLE "%s" SET SCHEMA "%s"`, t, moved))
			}
			return Exec(tx, stmts...)
		})
		if err != nil {
			return "", fmt.Errorf("set aside tables the backup does not hold: %w", err)
		}
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return moved, fmt.Errorf("pg_restore: %v: %s", err, redact.String(firstLine(strings.TrimSpace(stderr.String()))))
	}
	return moved, nil
}

// archiveEntries lists the tables that have an entry of the given type
// ("TABLE" or "TABLE DATA") in a pg_dump archive, from lines of pg_restore
// --list such as "215; 1259 16390 TABLE public users postgres".
func archiveEntries(ctx context.Context, restoreBin, archive, entry string) (map[string]bool, error) {
	out, err := exec.CommandContext(ctx, restoreBin, "--list", archive).Output()
	if err != nil {
		return nil, fmt.Errorf("pg_restore --list: %w", err)
	}
	found := map[string]bool{}
	for _, line := range strings.Split(string(out), "\n") {
		_, rest, ok := strings.Cut(line, " "+entry+" ")
		if !ok || (entry == "TABLE" && strings.Contains(line, " TABLE DATA ")) {
			continue
		}
		if f := strings.Fields(rest); len(f) >= 2 {
			found[f[1]] = true
		}
	}
	return found, nil
}
