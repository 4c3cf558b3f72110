package database

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"time"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"

	"github.com/timetracker/timetracker/internal/schema"
)

type sqliteDialect struct{}

// MemoryPath is the SQLite path of an in-memory database.
const MemoryPath = ":memory:"

var sqliteHeader = []byte("SQLite format 3\x00")

func (sqliteDialect) open(ctx context.Context, opts Options) (*gorm.DB, string, error) {
	path := opts.DSN
	params := "_busy_timeout=10000"
	if !opts.ReadOnly {
		// Write transactions take the write lock when they begin, so two
		// processes queue on the busy timeout instead of deadlocking.
		params += "&_txlock=immediate"
	}
	switch {
	case path == MemoryPath:
		path = ""
	case opts.ReadOnly:
		if err := checkSQLiteFile(path); err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				return nil, "", err
			}
			// Nothing there: inspect an empty database instead of creating a file.
			path = ""
		} else {
			// Read-write but never create: a process killed inside a write
			// transaction leaves a hot journal that only a writer can roll
			// back, and SQLite does that on the first read.
			params += "&mode=rw"
		}
	default:
		if err := prepareSQLiteFile(path); err != nil {
			return nil, "", err
		}
	}
	dsn := "file::memory:"
	if path != "" {
		dsn = "file:" + escapeSQLitePath(path) + "?" + params
	}
	g, err := gorm.Open(sqlite.Open(dsn), gormConfig(opts))
	if err != nil {
		return nil, "", fmt.Errorf("%w: %v", ErrRejected, err)
	}
	sqlDB, err := g.DB()
	if err != nil {
		return nil, "", fmt.Errorf("%w: %v", ErrRejected, err)
	}
	// One connection: SQLite serialises writers anyway, and an in-memory
	// database lives only as long as its single connection.
	sqlDB.SetMaxOpenConns(1)
	sqlDB.SetConnMaxLifetime(0)
	sqlDB.SetConnMaxIdleTime(0)
	pingCtx, cancel := context.WithTimeout(ctx, opts.ConnectTimeout)
	defer cancel()
	// A ping alone does not read the file; a query does.
	var n int
	if err := g.WithContext(pingCtx).Raw("SELECT count(*) FROM sqlite_master").Scan(&n).Error; err != nil {
		_ = sqlDB.Close()
		return nil, "", fmt.Errorf("%w: %s: %v", ErrRejected, path, err)
	}
	return g, path, nil
}

// prepareSQLiteFile creates the file's own directory (not its parents: a
// mistyped path must not leave a tree of directories behind), checks it is
// writable and that an existing file is a SQLite database: anything else is
// an error, never a fresh database.
func prepareSQLiteFile(path string) error {
	dir := filepath.Dir(path)
	if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%w: create directory %s: %v", ErrRejected, dir, unwrapPathError(err))
	}
	probe, err := os.CreateTemp(dir, ".timetracker-write-check-*")
	if err != nil {
		return fmt.Errorf("%w: directory %s is not writable: %v", ErrRejected, dir, unwrapPathError(err))
	}
	probe.Close()
	os.Remove(probe.Name())
	if err := checkSQLiteFile(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

func checkSQLiteFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return fmt.Errorf("%w: open %s: %v", ErrRejected, path, unwrapPathError(err))
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return fmt.Errorf("%w: %s is a directory, not a SQLite database", ErrRejected, path)
	}
	head := make([]byte, len(sqliteHeader))
	n, err := io.ReadFull(f, head)
	if n == 0 && (err == io.EOF || err == nil) {
		return nil // an empty file is an empty database
	}
	if !bytes.Equal(head[:n], sqliteHeader) {
		return fmt.Errorf("%w: %s is not a SQLite database", ErrRejected, path)
	}
	return nil
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// escapeSQLitePath makes a path safe inside a file: URI.
func escapeSQLitePath(p string) string {
	r := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")
	return r.Replace(p)
}

func (sqliteDialect) columnType(t schema.Type) string {
	switch t.Kind {
	case schema.Varchar:
		return fmt.Sprintf("VARCHAR(%d)", t.Length)
	case schema.Numeric:
		return fmt.Sprintf("NUMERIC(%d, %d)", t.Precision, t.Scale)
	case schema.Timestamp, schema.TimestampTZ:
		return "DATETIME"
	case schema.Float:
		return "FLOAT"
	case schema.Unknown:
		return t.Raw
	}
	return strings.ToUpper(string(t.Kind))
}

// defaultValue spells booleans as 1/0, the way SQLAlchemy stores them.
func (sqliteDialect) defaultValue(c schema.Column) string {
	if c.Type.Kind == schema.Boolean {
		switch strings.ToLower(c.Default) {
		case "true":
			return "1"
		case "false":
			return "0"
		}
	}
	return c.Default
}

// primaryKey declares a rowid alias, without AUTOINCREMENT, as SQLAlchemy does.
func (sqliteDialect) primaryKey(c schema.Column) string {
	return c.Name + " INTEGER NOT NULL PRIMARY KEY"
}

func (sqliteDialect) listTables(ctx context.Context, db *gorm.DB) ([]string, error) {
	var names []string
	err := db.WithContext(ctx).Raw(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`).Scan(&names).Error
	return names, err
}

func (sqliteDialect) listColumns(ctx context.Context, db *gorm.DB, table string) ([]string, error) {
	var names []string
	err := db.WithContext(ctx).Raw(`SELECT name FROM pragma_table_info(?) ORDER BY cid`, table).Scan(&names).Error
	return names, err
}

func (sqliteDialect) listIndexes(ctx context.Context, db *gorm.DB, table string) ([]string, error) {
	var names []string
	err := db.WithContext(ctx).Raw(`SELECT name FROM pragma_index_list(?) ORDER BY name`, table).Scan(&names).Error
	return names, err
}

func (sqliteDialect) listTriggers(ctx context.Context, db *gorm.DB) ([]string, error) {
	var names []string
	err := db.WithContext(ctx).Raw(`SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name`).Scan(&names).Error
	return names, err
}

var indexWhere = regexp.MustCompile(`(?is)\)\s*WHERE\s+(.*)$`)

func (sqliteDialect) introspect(ctx context.Context, db *gorm.DB) (schema.Schema, error) {
	db = db.WithContext(ctx)
	var cols []struct {
		TableName, Name, Type string
		NotNull               int
		Dflt                  *string
		PK                    int
	}
	err := db.Raw(`SELECT m.name AS table_name, p.name AS name, p.type AS type, p."notnull" AS not_null,
			p.dflt_value AS dflt, p.pk AS pk
		FROM sqlite_master m JOIN pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
		ORDER BY m.name, p.cid`).Scan(&cols).Error
	if err != nil {
		return schema.Schema{}, err
	}
	var idx []struct {
		TableName, IndexName, Origin, ColName string
		IsUnique, Partial                     int
		SQL                                   *string
	}
	err = db.Raw(`SELECT m.name AS table_name, il.name AS index_name, il."unique" AS is_unique,
			il.origin AS origin, il.partial AS partial, ii.name AS col_name,
			(SELECT s.sql FROM sqlite_master s WHERE s.type = 'index' AND s.name = il.name) AS sql
		FROM sqlite_master m JOIN pragma_index_list(m.name) il JOIN pragma_index_info(il.name) ii
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
		ORDER BY m.name, il.name, ii.seqno`).Scan(&idx).Error
	if err != nil {
		return schema.Schema{}, err
	}
	var fks []struct {
		TableName, RefTable, From, OnDelete string
		To                                  *string
		ID                                  int
	}
	err = db.Raw(`SELECT m.name AS table_name, f.id AS id, f."table" AS ref_table, f."from" AS "from",
			f."to" AS "to", f.on_delete AS on_delete
		FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
		ORDER BY m.name, f.id, f.seq`).Scan(&fks).Error
	if err != nil {
		return schema.Schema{}, err
	}

	var s schema.Schema
	pos := map[string]int{}
	for _, c := range cols {
		i, ok := pos[c.TableName]
		if !ok {
			s.Tables = append(s.Tables, schema.Table{Name: c.TableName})
			i = len(s.Tables) - 1
			pos[c.TableName] = i
		}
		typ := schema.ParseType(c.Type)
		def := ""
		if c.Dflt != nil {
			def = schema.NormalizeDefault(*c.Dflt, typ.Kind)
		}
		pk := c.PK == 1 && typ.Kind == schema.Integer
		s.Tables[i].Columns = append(s.Tables[i].Columns, schema.Column{
			Name: c.Name, Type: typ, NotNull: c.NotNull == 1 || pk, PrimaryKey: pk, Default: def,
		})
	}
	for _, ix := range idx {
		i, ok := pos[ix.TableName]
		if !ok || ix.Origin == "pk" {
			continue
		}
		t := &s.Tables[i]
		if n := len(t.Indexes); n > 0 && t.Indexes[n-1].Name == ix.IndexName {
			t.Indexes[n-1].Columns = append(t.Indexes[n-1].Columns, ix.ColName)
			continue
		}
		where := ""
		if ix.Partial == 1 && ix.SQL != nil {
			if m := indexWhere.FindStringSubmatch(*ix.SQL); m != nil {
				where = normalizePredicate(m[1])
			}
		}
		t.Indexes = append(t.Indexes, schema.Index{Name: ix.IndexName, Columns: []string{ix.ColName}, Unique: ix.IsUnique == 1, Where: where})
	}
	lastID := map[string]int{}
	for _, fk := range fks {
		i, ok := pos[fk.TableName]
		if !ok {
			continue
		}
		t := &s.Tables[i]
		ref := "id"
		if fk.To != nil && *fk.To != "" {
			ref = *fk.To
		}
		if id, seen := lastID[fk.TableName]; seen && id == fk.ID && len(t.ForeignKeys) > 0 {
			last := &t.ForeignKeys[len(t.ForeignKeys)-1]
			last.Columns = append(last.Columns, fk.From)
			last.RefColumns = append(last.RefColumns, ref)
			continue
		}
		lastID[fk.TableName] = fk.ID
		onDelete := strings.ToUpper(fk.OnDelete)
		if onDelete == "NO ACTION" {
			onDelete = ""
		}
		// SQLite does not report constraint names; use PostgreSQL's convention.
		t.ForeignKeys = append(t.ForeignKeys, schema.ForeignKey{
			Name: fmt.Sprintf("%s_%s_fkey", fk.TableName, fk.From), Columns: []string{fk.From},
			RefTable: fk.RefTable, RefColumns: []string{ref}, OnDelete: onDelete,
		})
	}
	return s, nil
}

// sqliteLock takes an exclusive flock on <file>.lock, polling until the
// deadline. The kernel drops the lock when the process dies, so a killed
// bootstrap never leaves a stale lock behind.
func (sqliteDialect) lock(ctx context.Context, d *DB, opts LockOptions) (func() error, error) {
	if d.Path == "" {
		return func() error { return nil }, nil
	}
	name := d.Path + ".lock"
	f, err := os.OpenFile(name, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	deadline := time.Now().Add(opts.Timeout)
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", name, err)
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, fmt.Errorf("%w after %s: %s is held by another process", ErrLockTimeout, opts.Timeout, name)
		}
		if err := opts.pause(ctx, func() string { return "another process holds " + name }); err != nil {
			f.Close()
			return nil, err
		}
	}
	return func() error {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		return f.Close()
	}, nil
}

// backup writes VACUUM INTO a temporary file in req.Dir, checks its row
// counts against the live database, then renames it into place (0600).
func (sqliteDialect) backup(ctx context.Context, d *DB, req BackupRequest) (BackupResult, error) {
	if err := d.Exists(); err != nil {
		return BackupResult{}, err
	}
	if d.Path == "" {
		return BackupResult{}, errors.New("an in-memory database cannot be backed up")
	}
	tables, err := ListTables(ctx, d.Gorm)
	if err != nil {
		return BackupResult{}, err
	}
	rows, err := RowCounts(ctx, d.Gorm, tables)
	if err != nil {
		return BackupResult{}, err
	}
	file, err := reserveBackupFile(req.Dir, req.Stamp, ".sqlite")
	if err != nil {
		return BackupResult{}, err
	}
	defer file.Discard()
	if err := d.Gorm.WithContext(ctx).Exec("VACUUM INTO ?", file.Tmp).Error; err != nil {
		return BackupResult{}, fmt.Errorf("vacuum into %s: %w", file.Tmp, err)
	}
	copyDB, err := Open(ctx, Options{Dialect: SQLite, DSN: file.Tmp, ReadOnly: true})
	if err != nil {
		return BackupResult{}, fmt.Errorf("open backup: %w", err)
	}
	got, err := RowCounts(ctx, copyDB.Gorm, tables)
	copyDB.Close()
	if err == nil {
		err = compareCounts(rows, got)
	}
	if err != nil {
		return BackupResult{}, err
	}
	if err := file.Keep(); err != nil {
		return BackupResult{}, err
	}
	return BackupResult{Kind: "sqlite-file", Location: file.Final, Rows: rows}, nil
}

// sqliteStager stages tables under a prefix. legacy_alter_table keeps the
// final RENAME from rewriting other tables' references, which already name
// the final tables.
type sqliteStager struct{}

const sqliteStagePrefix = "_tt_new_"

func newSQLiteStager(ctx context.Context, tx *gorm.DB) (stagerImpl, error) {
	if err := tx.WithContext(ctx).Exec("PRAGMA legacy_alter_table = ON").Error; err != nil {
		return nil, err
	}
	return sqliteStager{}, nil
}

func (sqliteStager) newName(t string) string { return `"` + sqliteStagePrefix + t + `"` }
func (sqliteStager) oldName(t string) string { return `"` + t + `"` }

func (sqliteStager) create(ctx context.Context, tx *gorm.DB, t schema.Table) error {
	staged := t
	staged.Name = sqliteStagePrefix + t.Name
	staged.Indexes = nil
	return Exec(tx.WithContext(ctx), CreateTableSQL(tx, staged)...)
}

// finish builds the table's indexes now when their names are free; names
// the old tables still use wait for the swap.
func (sqliteStager) finish(ctx context.Context, tx *gorm.DB, t schema.Table) error {
	tx = tx.WithContext(ctx)
	for _, ix := range t.Indexes {
		var n int64
		if err := tx.Raw(`SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = ?`, ix.Name).Scan(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			if err := Exec(tx, CreateIndexSQL(`"`+sqliteStagePrefix+t.Name+`"`, ix)); err != nil {
				return err
			}
		}
	}
	return nil
}

func (sqliteStager) swap(ctx context.Context, tx *gorm.DB, tables []schema.Table) error {
	tx = tx.WithContext(ctx)
	existing, err := ListTables(ctx, tx)
	if err != nil {
		return err
	}
	for i := len(tables) - 1; i >= 0; i-- {
		if slices.Contains(existing, tables[i].Name) {
			if err := Exec(tx, `DROP TABLE "`+tables[i].Name+`"`); err != nil {
				return err
			}
		}
	}
	for _, t := range tables {
		if err := Exec(tx, fmt.Sprintf(`ALTER TABLE "%s%s" RENAME TO "%s"`, sqliteStagePrefix, t.Name, t.Name)); err != nil {
			return err
		}
		for _, ix := range t.Indexes {
			ok, err := HasIndex(ctx, tx, t.Name, ix.Name)
			if err != nil {
				return err
			}
			if !ok {
				if err := Exec(tx, CreateIndexSQL(t.Name, ix)); err != nil {
					return err
				}
			}
		}
	}
	if err := Exec(tx, "PRAGMA legacy_alter_table = OFF"); err != nil {
		return err
	}
	// Foreign keys are not enforced on this connection (nor by TimeTracker);
	// check them all once before the commit.
	var problems []struct {
		Table  string
		Rowid  *int64
		Parent string
	}
	if err := tx.Raw(`SELECT "table" AS "table", rowid AS rowid, parent AS parent FROM pragma_foreign_key_check`).Scan(&problems).Error; err != nil {
		return fmt.Errorf("foreign key check: %w", err)
	}
	if len(problems) > 0 {
		p := problems[0]
		id := int64(0)
		if p.Rowid != nil {
			id = *p.Rowid
		}
		return fmt.Errorf("foreign key check failed: %d row(s), first %s row %d references a missing %s", len(problems), p.Table, id, p.Parent)
	}
	return nil
}

func (sqliteStager) intervalSeconds(expr string) string {
	return fmt.Sprintf("CAST(strftime('%%s', %s) AS INTEGER)", expr)
}

func (sqliteStager) boolean(expr string) string {
	return fmt.Sprintf("(CASE WHEN lower(CAST(%[1]s AS TEXT)) IN ('true', 't', '1') THEN 1 WHEN lower(CAST(%[1]s AS TEXT)) IN ('false', 'f', '0') THEN 0 ELSE %[1]s END)", expr)
}

// shiftFromUTC adds the zone's offset of each row's moment; SQLite has no
// zone database, so the offsets come from Go's. The text keeps any
// fractional seconds the value had.
func (sqliteStager) shiftFromUTC(expr string, loc *time.Location, from, to time.Time) string {
	return sqlShiftCase(expr, offsetSpans(loc, from, to), func(e string, secs int) string {
		return fmt.Sprintf("(datetime(%[1]s, '%+[2]d seconds') || substr(%[1]s, 20))", e, secs)
	})
}

// RestoreFile replaces this SQLite database with a backup file: streamed to
// a temporary file beside it, synced, then renamed over it, after closing
// every connection. Journal and WAL files of the replaced database are
// removed so SQLite cannot replay them onto the restored one.
func (d *DB) RestoreFile(backup string) error {
	if d.Dialect != SQLite || d.Path == "" {
		return errors.New("restore a file: the target is not a SQLite file")
	}
	src, err := os.Open(backup)
	if err != nil {
		return err
	}
	defer src.Close()
	tmp := d.Path + ".restore.tmp"
	dst, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		os.Remove(tmp)
		return err
	}
	if err := dst.Sync(); err != nil {
		dst.Close()
		os.Remove(tmp)
		return err
	}
	if err := dst.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := d.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	for _, suffix := range []string{"-journal", "-wal", "-shm"} {
		os.Remove(d.Path + suffix)
	}
	return os.Rename(tmp, d.Path)
}
