package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"

	"github.com/timetracker/timetracker/internal/redact"
	"github.com/timetracker/timetracker/internal/schema"
)

type postgresDialect struct{}

func (postgresDialect) open(ctx context.Context, opts Options) (*gorm.DB, string, error) {
	sqlDB, err := openPostgresPool(opts.DSN, opts.ConnectTimeout)
	if err != nil {
		return nil, "", err
	}
	// The simple protocol is set on the pool: a short-lived process gains
	// nothing from prepared statements, and PgBouncer in transaction pooling
	// cannot keep them.
	g, err := gorm.Open(postgres.New(postgres.Config{Conn: sqlDB}), gormConfig(opts))
	if err != nil {
		_ = sqlDB.Close()
		return nil, "", classifyPostgres(err)
	}
	sqlDB.SetMaxOpenConns(4)
	sqlDB.SetMaxIdleConns(2)
	return g, "", nil
}

// ErrInvalidParams is returned by Open when the driver cannot use the URL's
// parameters (an unknown sslmode, an sslrootcert file that does not exist):
// a configuration error that waiting cannot heal.
var ErrInvalidParams = errors.New("invalid database URL parameters")

// ErrStandby is returned (wrapped with ErrUnreachable, so that a wait
// retries: a standby may be promoted) by Open when a connection that must
// write lands on a read-only standby.
var ErrStandby = errors.New("database is a read-only standby")

// openPostgresPool parses the URL with the driver first, so that a
// malformed parameter is a configuration error and never a connection
// attempt; it adds a connect timeout and an application name (so a lock
// holder can be named) unless the URL sets them.
func openPostgresPool(dsn string, timeout time.Duration) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		// The parse error quotes the URL; keep only what it found wrong.
		var pce *pgconn.ParseConfigError
		if errors.As(err, &pce) && pce.Unwrap() != nil {
			err = pce.Unwrap()
		}
		return nil, fmt.Errorf("%w: %v", ErrInvalidParams, err)
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = max(timeout.Round(time.Second), time.Second)
	}
	if cfg.RuntimeParams["application_name"] == "" {
		cfg.RuntimeParams["application_name"] = "timetracker"
	}
	cfg.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	return stdlib.OpenDB(*cfg, pingOnlyIdle()...), nil
}

// checkPostgres pings on one connection, notes the server address it
// reached and whether that server is a standby, which a connection that
// must write refuses.
func checkPostgres(ctx context.Context, d *DB, opts Options) error {
	sqlDB, err := d.Gorm.DB()
	if err != nil {
		return classifyPostgres(err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, opts.ConnectTimeout)
	defer cancel()
	conn, err := sqlDB.Conn(pingCtx)
	if err != nil {
		return classifyPostgres(err)
	}
	defer conn.Close()
	d.Server = remoteAddr(conn)
	if err := conn.QueryRowContext(pingCtx, "SELECT pg_is_in_recovery()").Scan(&d.Standby); err != nil {
		return classifyPostgres(err)
	}
	if d.Standby && !opts.ReadOnly {
		return fmt.Errorf("%w: %w (%s, pg_is_in_recovery() is true; it may yet be promoted): to reach the primary, list every node in the URL with target_session_attrs=read-write",
			ErrUnreachable, ErrStandby, d.Server)
	}
	return nil
}

// remoteAddr is the address a pooled connection reached: host:port, or the
// socket file.
func remoteAddr(conn *sql.Conn) string {
	addr := ""
	_ = conn.Raw(func(dc any) error {
		if c, ok := dc.(*stdlib.Conn); ok {
			addr = c.Conn().PgConn().Conn().RemoteAddr().String()
		}
		return nil
	})
	return addr
}

// classifyPostgres sorts connection errors into those that waiting can heal
// and those it cannot. The driver's messages name user and database but
// never the password.
func classifyPostgres(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "57P03", "53300": // cannot_connect_now (starting up), too_many_connections
			return fmt.Errorf("%w: %s", ErrUnreachable, pgErr.Message)
		case "28P01", "28000":
			return fmt.Errorf("%w: authentication failed: %s", ErrRejected, pgErr.Message)
		case "3D000":
			return fmt.Errorf("%w: %s", ErrRejected, pgErr.Message)
		}
		return fmt.Errorf("%w: %s (SQLSTATE %s)", ErrRejected, pgErr.Message, pgErr.Code)
	}
	var netErr net.Error
	var dnsErr *net.DNSError
	switch {
	case errors.As(err, &dnsErr):
		return fmt.Errorf("%w: host %s not found", ErrUnreachable, dnsErr.Name)
	case errors.As(err, &netErr), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%w: %s", ErrUnreachable, shortError(err))
	}
	msg := err.Error()
	if strings.Contains(msg, "connection refused") || strings.Contains(msg, "i/o timeout") || strings.Contains(msg, "no such host") ||
		strings.Contains(msg, "no such file or directory") && strings.Contains(msg, ".s.PGSQL.") {
		return fmt.Errorf("%w: %s", ErrUnreachable, shortError(err))
	}
	return fmt.Errorf("%w: %s", ErrRejected, shortError(err))
}

// shortError keeps the last, most specific part of a driver error chain,
// without any secret the driver quoted from its configuration.
func shortError(err error) string {
	msg := redact.String(err.Error())
	if i := strings.LastIndex(msg, "): "); i >= 0 {
		msg = msg[i+3:]
	}
	return msg
}

func (postgresDialect) columnType(t schema.Type) string {
	switch t.Kind {
	case schema.Varchar:
		return fmt.Sprintf("VARCHAR(%d)", t.Length)
	case schema.Numeric:
		return fmt.Sprintf("NUMERIC(%d,%d)", t.Precision, t.Scale)
	case schema.Timestamp:
		return "TIMESTAMP WITHOUT TIME ZONE"
	case schema.TimestampTZ:
		return "TIMESTAMP WITH TIME ZONE"
	case schema.Float:
		return "DOUBLE PRECISION"
	case schema.Unknown:
		return t.Raw
	}
	return strings.ToUpper(string(t.Kind))
}

func (postgresDialect) defaultValue(c schema.Column) string { return c.Default }

func (postgresDialect) primaryKey(c schema.Column) string {
	return c.Name + " SERIAL NOT NULL PRIMARY KEY"
}

func (postgresDialect) listTables(ctx context.Context, db *gorm.DB) ([]string, error) {
	var names []string
	err := db.WithContext(ctx).Raw(`SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY c.relname`).Scan(&names).Error
	return names, err
}

func (postgresDialect) listColumns(ctx context.Context, db *gorm.DB, table string) ([]string, error) {
	var names []string
	err := db.WithContext(ctx).Raw(`SELECT a.attname FROM pg_attribute a
		JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = current_schema() AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped
		ORDER BY a.attnum`, table).Scan(&names).Error
	return names, err
}

func (postgresDialect) listIndexes(ctx context.Context, db *gorm.DB, table string) ([]string, error) {
	var names []string
	err := db.WithContext(ctx).Raw(`SELECT indexname FROM pg_indexes
		WHERE schemaname = current_schema() AND tablename = ? ORDER BY indexname`, table).Scan(&names).Error
	return names, err
}

func (postgresDialect) listTriggers(ctx context.Context, db *gorm.DB) ([]string, error) {
	var names []string
	err := db.WithContext(ctx).Raw(`SELECT t.tgname FROM pg_trigger t
		JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = current_schema() AND NOT t.tgisinternal ORDER BY t.tgname`).Scan(&names).Error
	return names, err
}

func postgresOnDelete(code string) string {
	switch code {
	case "c":
		return "CASCADE"
	case "n":
		return "SET NULL"
	case "d":
		return "SET DEFAULT"
	case "r":
		return "RESTRICT"
	}
	return ""
}

// normalizePredicate turns PostgreSQL's "(end_time IS NULL)" into the form
// the models and SQLite use: "end_time IS NULL".
func normalizePredicate(p string) string {
	p = strings.TrimSpace(p)
	for strings.HasPrefix(p, "(") && strings.HasSuffix(p, ")") {
		p = strings.TrimSpace(p[1 : len(p)-1])
	}
	return p
}

// advisoryLockKey identifies the migration lock among the server's advisory
// locks ("TIME" in ASCII). Every timetracker process uses the same key.
const advisoryLockKey = 0x54494D45

// lock polls pg_try_advisory_lock on a dedicated connection: a blocking
// pg_advisory_lock could not honour the deadline, and a session lock held by
// a process that dies is released with its connection.
//
// Behind transaction pooling a session lock would outlive us on a pooled
// server connection: the lock is then taken on a connection to the direct
// URL, or refused with ErrTransactionPooling when there is none.
func (postgresDialect) lock(ctx context.Context, d *DB, opts LockOptions) (func() error, error) {
	pooled, err := d.TransactionPooled(ctx)
	if err != nil {
		return nil, err
	}
	sqlDB, err := d.Gorm.DB()
	if err != nil {
		return nil, err
	}
	closeDB := func() error { return nil }
	if pooled {
		if d.direct == "" {
			return nil, ErrTransactionPooling
		}
		if sqlDB, err = openPostgresPool(d.direct, 10*time.Second); err != nil {
			return nil, fmt.Errorf("database-direct-url: %w", err)
		}
		closeDB = sqlDB.Close
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		_ = closeDB()
		return nil, fmt.Errorf("lock connection: %w", classifyPostgres(err))
	}
	return advisoryLock(ctx, d, &lockConn{Conn: conn, closeDB: closeDB}, opts)
}

// lockConn is the lock's connection; closing it also closes the pool of
// the direct URL when the lock has one of its own.
type lockConn struct {
	*sql.Conn
	closeDB func() error
}

func (c *lockConn) Close() error {
	err := c.Conn.Close()
	_ = c.closeDB()
	return err
}

func advisoryLock(ctx context.Context, d *DB, conn *lockConn, opts LockOptions) (func() error, error) {
	deadline := time.Now().Add(opts.Timeout)
	for {
		var got bool
		if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1)", int64(advisoryLockKey)).Scan(&got); err != nil {
			conn.Close()
			return nil, fmt.Errorf("try advisory lock: %w", err)
		}
		if got {
			break
		}
		holder := func() string { return lockHolder(ctx, d.Gorm) }
		if time.Now().After(deadline) {
			conn.Close()
			return nil, fmt.Errorf("%w after %s: held by %s", ErrLockTimeout, opts.Timeout, holder())
		}
		if err := opts.pause(ctx, holder); err != nil {
			conn.Close()
			return nil, err
		}
	}
	return func() error {
		// Unlock on a fresh context: the caller's may already be cancelled.
		uctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, err := conn.ExecContext(uctx, "SELECT pg_advisory_unlock($1)", int64(advisoryLockKey))
		cerr := conn.Close()
		if err != nil {
			return err
		}
		return cerr
	}, nil
}

// lockHolder describes the session holding the migration lock, for the
// operator: pid, application, client address and since when.
func lockHolder(ctx context.Context, db *gorm.DB) string {
	var rows []struct {
		Pid         int
		Application string
		Client      *string
		Since       *time.Time
	}
	err := db.WithContext(ctx).Raw(`SELECT a.pid AS pid, a.application_name AS application,
			host(a.client_addr) AS client, a.backend_start AS since
		FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
		WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = $1 AND l.objsubid = 1
			AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
		advisoryLockKey).Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return "another session (not visible to this user)"
	}
	r := rows[0]
	client := "local socket"
	if r.Client != nil {
		client = *r.Client
	}
	since := ""
	if r.Since != nil {
		since = ", connected since " + r.Since.Format(time.RFC3339)
	}
	return fmt.Sprintf("pid %d (application %q, client %s%s)", r.Pid, r.Application, client, since)
}

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
	return BackupResult{Kind: "pg_dump", Location: file.Final, Rows: rows}, nil
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
	return BackupResult{Kind: "schema-copy", Location: name, Rows: rows}, nil
}

// PgRestore runs pg_restore --clean --if-exists --single-transaction of an
// archive into this database, the password through the environment. Tables
// the archive does not hold (created after the backup, e.g. by a
// conversion) would otherwise survive beside the restored ones; they are
// moved, not dropped, into a schema timetracker_restore_<stamp>, whose
// name is returned ("" when nothing was moved).
func (d *DB) PgRestore(ctx context.Context, bin, archive string) (string, error) {
	if d.direct == "" {
		pooled, err := d.TransactionPooled(ctx)
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

// postgresStager stages tables in a schema of their own, so their index,
// constraint and sequence names cannot collide with the old tables'; the
// swap drops the old tables and moves the new ones (with their sequences)
// into the current schema. Triggers on the old tables and foreign keys from
// other tables into them are recreated after the swap.
type postgresStager struct {
	schema     string // the current schema
	searchPath string
}

const postgresStageSchema = "tt_convert"

func newPostgresStager(ctx context.Context, tx *gorm.DB) (stagerImpl, error) {
	tx = tx.WithContext(ctx)
	var s postgresStager
	if err := tx.Raw("SELECT current_schema()").Scan(&s.schema).Error; err != nil {
		return nil, err
	}
	if err := tx.Raw("SHOW search_path").Scan(&s.searchPath).Error; err != nil {
		return nil, err
	}
	// Never DROP ... IF EXISTS here: a crashed conversion rolls its staging
	// schema back with it, so an existing one is somebody else's.
	if err := Exec(tx, `CREATE SCHEMA `+postgresStageSchema); err != nil {
		return nil, fmt.Errorf("schema %s already exists or cannot be created: %w", postgresStageSchema, err)
	}
	return s, nil
}

func (s postgresStager) newName(t string) string { return postgresStageSchema + `."` + t + `"` }
func (s postgresStager) oldName(t string) string { return `"` + s.schema + `"."` + t + `"` }

func (s postgresStager) create(ctx context.Context, tx *gorm.DB, t schema.Table) error {
	staged := t
	staged.Indexes = nil
	staged.ForeignKeys = nil
	return s.inStage(ctx, tx, CreateTableSQL(tx, staged)...)
}

// finish indexes the filled table and adds its foreign keys, each
// validated in one pass.
func (s postgresStager) finish(ctx context.Context, tx *gorm.DB, t schema.Table) error {
	var stmts []string
	for _, ix := range t.Indexes {
		stmts = append(stmts, CreateIndexSQL(t.Name, ix))
	}
	for _, fk := range t.ForeignKeys {
		stmts = append(stmts, fmt.Sprintf("ALTER TABLE %s ADD %s", t.Name, foreignKeyDef(fk)))
	}
	return s.inStage(ctx, tx, stmts...)
}

// inStage runs statements with the staging schema first on the path, so
// unqualified names, foreign keys' targets included, resolve to it.
func (s postgresStager) inStage(ctx context.Context, tx *gorm.DB, stmts ...string) error {
	tx = tx.WithContext(ctx)
	if err := Exec(tx, fmt.Sprintf(`SET LOCAL search_path TO %s, "%s"`, postgresStageSchema, s.schema)); err != nil {
		return err
	}
	if err := Exec(tx, stmts...); err != nil {
		return err
	}
	return Exec(tx, "SET LOCAL search_path TO "+s.searchPath)
}

func (s postgresStager) swap(ctx context.Context, tx *gorm.DB, tables []schema.Table) error {
	tx = tx.WithContext(ctx)
	names := make([]string, len(tables))
	for i, t := range tables {
		names[i] = t.Name
	}
	var triggers []string
	if err := tx.Raw(`SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t
		JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = ? AND c.relname IN ? AND NOT t.tgisinternal ORDER BY t.tgname`, s.schema, names).Scan(&triggers).Error; err != nil {
		return fmt.Errorf("read triggers: %w", err)
	}
	var external []string
	if err := tx.Raw(`SELECT format('ALTER TABLE %I.%I ADD CONSTRAINT %I ', n.nspname, c.relname, con.conname) || pg_get_constraintdef(con.oid)
		FROM pg_constraint con
		JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		JOIN pg_class r ON r.oid = con.confrelid JOIN pg_namespace rn ON rn.oid = r.relnamespace
		WHERE con.contype = 'f' AND rn.nspname = ? AND r.relname IN ?
		AND NOT (n.nspname = ? AND c.relname IN ?)`, s.schema, names, s.schema, names).Scan(&external).Error; err != nil {
		return fmt.Errorf("read foreign keys into rebuilt tables: %w", err)
	}
	// DROP ... CASCADE below would take views on the old tables with it.
	var views []string
	if err := tx.Raw(`SELECT DISTINCT vn.nspname || '.' || v.relname FROM pg_depend d
		JOIN pg_rewrite rw ON rw.oid = d.objid
		JOIN pg_class v ON v.oid = rw.ev_class JOIN pg_namespace vn ON vn.oid = v.relnamespace
		JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace n ON n.oid = t.relnamespace
		WHERE d.classid = 'pg_rewrite'::regclass AND n.nspname = ? AND t.relname IN ? AND v.oid <> t.oid
		ORDER BY 1`, s.schema, names).Scan(&views).Error; err != nil {
		return fmt.Errorf("read views: %w", err)
	}
	if len(views) > 0 {
		return fmt.Errorf("%w: views %s depend on the tables; drop them (and recreate them after the conversion)",
			ErrDependentObjects, strings.Join(views, ", "))
	}
	existing, err := ListTables(ctx, tx)
	if err != nil {
		return err
	}
	for i := len(tables) - 1; i >= 0; i-- {
		if slices.Contains(existing, tables[i].Name) {
			if err := Exec(tx, fmt.Sprintf(`DROP TABLE "%s"."%s" CASCADE`, s.schema, tables[i].Name)); err != nil {
				return err
			}
		}
	}
	for _, t := range tables {
		if err := Exec(tx, fmt.Sprintf(`ALTER TABLE %s."%s" SET SCHEMA "%s"`, postgresStageSchema, t.Name, s.schema)); err != nil {
			return err
		}
	}
	if err := Exec(tx, "DROP SCHEMA "+postgresStageSchema); err != nil {
		return err
	}
	for _, t := range tables {
		// Rows were copied with their ids; the sequence continues after them.
		if err := Exec(tx, fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('"%[1]s"', 'id'), COALESCE((SELECT MAX(id) FROM "%[1]s"), 0) + 1, false)`, t.Name)); err != nil {
			return err
		}
	}
	if err := Exec(tx, triggers...); err != nil {
		return fmt.Errorf("recreate trigger: %w", err)
	}
	if err := Exec(tx, external...); err != nil {
		return fmt.Errorf("recreate foreign key: %w", err)
	}
	return nil
}

func (postgresStager) intervalSeconds(expr string) string {
	return fmt.Sprintf("CAST(EXTRACT(EPOCH FROM %s) AS INTEGER)", expr)
}

func (postgresStager) boolean(expr string) string { return expr }

// shiftFromUTC uses the server's time zone database when it knows the zone.
func (postgresStager) shiftFromUTC(expr string, loc *time.Location, from, to time.Time) string {
	return sqlShiftCase(expr, offsetSpans(loc, from, to), func(e string, secs int) string {
		return fmt.Sprintf("(%s + INTERVAL '%d seconds')", e, secs)
	})
}

// pgTool prepares a PostgreSQL client tool (pg_dump, pg_restore) for this
// database, through the direct URL when one is set: the URL without secrets
// as --dbname (every host and target_session_attrs kept, so libpq picks the
// same server the driver did), the password in PGPASSWORD and any other
// secret parameter (sslpassword) in a service file of mode 0600, never on
// the command line, where ps shows it. cleanupTool removes that file.
func (d *DB) pgTool(ctx context.Context, bin string, args ...string) (*exec.Cmd, error) {
	target, password, secrets, err := splitSecrets(d.toolDSN())
	if err != nil {
		return nil, err
	}
	env := append(os.Environ(), "PGPASSWORD="+password, "PGCONNECT_TIMEOUT=10")
	service := ""
	if len(secrets) > 0 {
		f, err := os.CreateTemp("", "timetracker-pgservice-*")
		if err != nil {
			return nil, err
		}
		var b strings.Builder
		b.WriteString("[timetracker]\n")
		for _, kv := range secrets {
			b.WriteString(kv + "\n")
		}
		_, werr := f.WriteString(b.String())
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			os.Remove(f.Name())
			return nil, werr
		}
		service = f.Name()
		env = append(env, "PGSERVICEFILE="+service)
		sep := "?"
		if strings.Contains(target, "?") {
			sep = "&"
		}
		target += sep + "service=timetracker"
	}
	cmd := exec.CommandContext(ctx, bin, append(args, "--dbname="+target)...)
	cmd.Env = env
	toolFiles.Store(cmd, service)
	return cmd, nil
}

// toolFiles remembers the service file of each prepared command.
var toolFiles sync.Map

func cleanupTool(cmd *exec.Cmd) {
	if v, ok := toolFiles.LoadAndDelete(cmd); ok && v.(string) != "" {
		os.Remove(v.(string))
	}
}

// splitSecrets takes a postgres:// URL as config.Database.DSN writes it
// (user info percent-encoded, so its '@' is the last one before the path)
// apart into the URL without secrets, the password (user info or
// ?password=), and other secret parameters as key=value lines.
func splitSecrets(dsn string) (target, password string, secrets []string, err error) {
	rest, ok := strings.CutPrefix(dsn, "postgres://")
	if !ok {
		if rest, ok = strings.CutPrefix(dsn, "postgresql://"); !ok {
			return "", "", nil, errors.New("malformed URL")
		}
	}
	netloc, path := rest, ""
	if i := strings.IndexAny(rest, "/?"); i >= 0 {
		netloc, path = rest[:i], rest[i:]
	}
	if i := strings.LastIndexByte(netloc, '@'); i >= 0 {
		userinfo := netloc[:i]
		netloc = netloc[i+1:]
		user, pw, hasPW := strings.Cut(userinfo, ":")
		if hasPW {
			if password, err = url.PathUnescape(pw); err != nil {
				return "", "", nil, errors.New("malformed URL")
			}
		}
		netloc = user + "@" + netloc
	}
	if base, query, ok := strings.Cut(path, "?"); ok {
		q, err := url.ParseQuery(query)
		if err != nil {
			return "", "", nil, errors.New("malformed URL")
		}
		for k, v := range q {
			if !strings.Contains(strings.ToLower(k), "pass") || k == "passfile" {
				continue
			}
			if k == "password" {
				if password == "" && len(v) > 0 {
					password = v[len(v)-1]
				}
			} else if len(v) > 0 {
				secrets = append(secrets, k+"="+v[len(v)-1])
			}
			delete(q, k)
		}
		path = base
		if len(q) > 0 {
			path += "?" + q.Encode()
		}
	}
	return "postgres://" + netloc + path, password, secrets, nil
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
