package database

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"

	"github.com/timetracker/timetracker/internal/schema"
)

// postgresCatalogue reads columns, indexes and foreign keys of the current
// schema as three JSON arrays of one row: one round trip instead of three.
// Index and key columns come back as attribute numbers and are named from
// the column rows: per-row array subqueries cost more than the rest of a
// cold start. Column defaults are deparsed without their table (relid 0):
// a default cannot refer to a column, and naming the table makes the server
// open every table, which is most of a fresh backend's cost. Generated
// columns, whose expressions do refer to columns, keep it.
const postgresCatalogue = `SELECT
	(SELECT json_agg(json_build_object('r', cl.oid::int8, 't', cl.relname, 'n', a.attnum, 'c', a.attname,
			'y', format_type(a.atttypid, a.atttypmod), 'nn', a.attnotnull,
			'd', pg_get_expr(d.adbin, CASE WHEN a.attgenerated = '' THEN 0 ELSE d.adrelid END))
			ORDER BY cl.relname, a.attnum)
		FROM pg_class cl
		JOIN pg_namespace n ON n.oid = cl.relnamespace
		JOIN pg_attribute a ON a.attrelid = cl.oid AND a.attnum > 0 AND NOT a.attisdropped
		LEFT JOIN pg_attrdef d ON d.adrelid = cl.oid AND d.adnum = a.attnum
		WHERE n.nspname = current_schema() AND cl.relkind IN ('r', 'p')),
	(SELECT json_agg(json_build_object('r', ix.indrelid::int8, 'i', i.relname, 'u', ix.indisunique, 'p', ix.indisprimary,
			'w', pg_get_expr(ix.indpred, ix.indrelid), 'k', ix.indkey::text) ORDER BY i.relname)
		FROM pg_index ix
		JOIN pg_class i ON i.oid = ix.indexrelid
		JOIN pg_class t ON t.oid = ix.indrelid
		JOIN pg_namespace n ON n.oid = t.relnamespace
		WHERE n.nspname = current_schema()),
	(SELECT json_agg(json_build_object('f', c.conname, 'r', c.conrelid::int8, 'rr', c.confrelid::int8, 'rt', rt.relname,
			'del', c.confdeltype::text, 'k', c.conkey::text, 'rk', c.confkey::text) ORDER BY c.conname)
		FROM pg_constraint c
		JOIN pg_class t ON t.oid = c.conrelid
		JOIN pg_class rt ON rt.oid = c.confrelid
		JOIN pg_namespace n ON n.oid = t.relnamespace
		WHERE c.contype = 'f' AND n.nspname = current_schema())`

type pgColumnRow struct {
	Rel     uint32  `json:"r"`
	Table   string  `json:"t"`
	Num     int     `json:"n"`
	Name    string  `json:"c"`
	Type    string  `json:"y"`
	NotNull bool    `json:"nn"`
	Default *string `json:"d"`
}

type pgIndexRow struct {
	Rel     uint32  `json:"r"`
	Name    string  `json:"i"`
	Unique  bool    `json:"u"`
	Primary bool    `json:"p"`
	Where   *string `json:"w"`
	Keys    string  `json:"k"`
}

type pgForeignKeyRow struct {
	Name     string `json:"f"`
	Rel      uint32 `json:"r"`
	RefRel   uint32 `json:"rr"`
	RefTable string `json:"rt"`
	OnDelete string `json:"del"`
	Keys     string `json:"k"`
	RefKeys  string `json:"rk"`
}

func (postgresDialect) introspect(ctx context.Context, db *gorm.DB) (schema.Schema, error) {
	s, _, err := postgresIntrospect(ctx, db, nil)
	return s, err
}

// introspectWith reads the catalogue and the tables of reads in one
// statement. A read of an absent table fails the whole statement, so
// outside a transaction it is tried first (the common case: they all
// exist) and, on an undefined table, the catalogue is read alone and the
// reads follow for the tables it lists. Inside a transaction a failed
// statement would abort it: there the reads always follow.
func (postgresDialect) introspectWith(ctx context.Context, db *gorm.DB, reads []TableRead) (schema.Schema, [][]string, error) {
	if _, inTx := db.Statement.ConnPool.(gorm.TxCommitter); !inTx && len(reads) > 0 {
		s, rows, err := postgresIntrospect(ctx, db, reads)
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != "42P01" { // undefined_table
			return s, rows, err
		}
	}
	s, _, err := postgresIntrospect(ctx, db, nil)
	if err != nil {
		return s, nil, err
	}
	rows, err := readTables(ctx, db, s, reads)
	return s, rows, err
}

// postgresIntrospect runs postgresCatalogue, with one more JSON column per
// read: the read column's values as text.
func postgresIntrospect(ctx context.Context, db *gorm.DB, reads []TableRead) (schema.Schema, [][]string, error) {
	// ConnPool is the transaction when db is one, so a snapshot taken inside
	// a transaction sees that transaction's view.
	conn := db.WithContext(ctx).Statement.ConnPool
	q := postgresCatalogue
	for _, r := range reads {
		q += fmt.Sprintf(`,
	(SELECT json_agg("%s"::text) FROM "%s")`, r.Column, r.Table)
	}
	raw := make([]*string, 3+len(reads))
	dest := make([]any, len(raw))
	for i := range raw {
		dest[i] = &raw[i]
	}
	if err := conn.QueryRowContext(ctx, q).Scan(dest...); err != nil {
		return schema.Schema{}, nil, err
	}
	var (
		cols []pgColumnRow
		idx  []pgIndexRow
		fks  []pgForeignKeyRow
	)
	for i, v := range []any{&cols, &idx, &fks} {
		if raw[i] == nil {
			continue // json_agg of no rows
		}
		if err := json.Unmarshal([]byte(*raw[i]), v); err != nil {
			return schema.Schema{}, nil, fmt.Errorf("decode catalogue: %w", err)
		}
	}
	var rows [][]string
	for i := range reads {
		vals := []string{}
		if v := raw[3+i]; v != nil {
			if err := json.Unmarshal([]byte(*v), &vals); err != nil {
				return schema.Schema{}, nil, fmt.Errorf("decode %s: %w", reads[i].Table, err)
			}
		}
		rows = append(rows, vals)
	}
	return postgresSchema(cols, idx, fks), rows, nil
}

func postgresSchema(cols []pgColumnRow, idx []pgIndexRow, fks []pgForeignKeyRow) schema.Schema {
	type colKey struct {
		rel uint32
		num int
	}
	var s schema.Schema
	tableOf := map[uint32]int{}
	colName := map[colKey]string{}
	for _, r := range cols {
		i, ok := tableOf[r.Rel]
		if !ok {
			s.Tables = append(s.Tables, schema.Table{Name: r.Table})
			i = len(s.Tables) - 1
			tableOf[r.Rel] = i
		}
		t := schema.ParseType(r.Type)
		c := schema.Column{Name: r.Name, Type: t, NotNull: r.NotNull}
		if r.Default != nil {
			c.Default = schema.NormalizeDefault(*r.Default, t.Kind)
		}
		s.Tables[i].Columns = append(s.Tables[i].Columns, c)
		colName[colKey{r.Rel, r.Num}] = r.Name
	}
	// names turns "1 2" (int2vector) or "{1,2}" (array) into column names.
	names := func(rel uint32, nums string) []string {
		var out []string
		for _, f := range strings.FieldsFunc(strings.Trim(nums, "{}"), func(r rune) bool { return r == ' ' || r == ',' }) {
			var n int
			fmt.Sscan(f, &n)
			out = append(out, colName[colKey{rel, n}])
		}
		return out
	}
	for _, r := range idx {
		i, ok := tableOf[r.Rel]
		if !ok {
			continue
		}
		t := &s.Tables[i]
		columns := names(r.Rel, r.Keys)
		if r.Primary {
			if len(columns) == 1 {
				if c, ok := t.Column(columns[0]); ok {
					c.PrimaryKey = true
					// The serial's sequence default is implied by the key.
					if strings.HasPrefix(c.Default, "nextval(") {
						c.Default = ""
					}
				}
			}
			continue
		}
		where := ""
		if r.Where != nil {
			where = normalizePredicate(*r.Where)
		}
		t.Indexes = append(t.Indexes, schema.Index{Name: r.Name, Columns: columns, Unique: r.Unique, Where: where})
	}
	for _, r := range fks {
		i, ok := tableOf[r.Rel]
		if !ok {
			continue
		}
		s.Tables[i].ForeignKeys = append(s.Tables[i].ForeignKeys, schema.ForeignKey{
			Name: r.Name, Columns: names(r.Rel, r.Keys), RefTable: r.RefTable,
			RefColumns: names(r.RefRel, r.RefKeys), OnDelete: postgresOnDelete(r.OnDelete),
		})
	}
	return s
}

// pingOnlyIdle makes the driver ping a pooled connection before reuse only
// when it sat idle for over a second, as by default. The driver counts a
// connection never reused as idle since forever, so the connection Open
// has just pinged would be pinged again: its idle time counts from when it
// connected instead.
func pingOnlyIdle() []stdlib.OptionOpenDB {
	var connected sync.Map // *pgx.Conn -> time.Time, until its first reuse
	return []stdlib.OptionOpenDB{
		stdlib.OptionAfterConnect(func(_ context.Context, c *pgx.Conn) error {
			connected.Store(c, time.Now())
			return nil
		}),
		stdlib.OptionShouldPing(func(_ context.Context, p stdlib.ShouldPingParams) bool {
			if at, ok := connected.LoadAndDelete(p.Conn); ok {
				return time.Since(at.(time.Time)) > time.Second
			}
			return p.IdleDuration > time.Second
		}),
	}
}

// connectOnce opens the pool's first connection and puts it back: the
// server has accepted us once the session is established, so a ping after
// it would only add a round trip.
func connectOnce(ctx context.Context, db *sql.DB) error {
	c, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	return c.Close()
}
