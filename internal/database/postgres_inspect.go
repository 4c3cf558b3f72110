// PostgreSQL: reading the schema from the catalogs.

package database

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"github.com/timetracker/timetracker/internal/schema"
)

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

func (postgresDialect) introspect(ctx context.Context, db *gorm.DB) (schema.Schema, error) {
	s, _, err := postgresIntrospect(ctx, db, nil)
	return s, err
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

// The catalogue statement reads the tables, columns, indexes and foreign
// keys of the current schema in one statement, as rows of text tagged t, c,
// i and f: one round trip instead of four. It is most of a no-op start's
// cost, and in a fresh backend most of that is planning, so it joins
// nothing: the tables (and their indexes) of the schema are read once, and
// every other branch takes their oids as an array, which plans as one index
// scan each.
// Tables, index and key columns come back as oids and attribute numbers and
// are named from the t and c rows. Column defaults are deparsed without
// their table (relid 0): a default cannot refer to a column, and naming the
// table makes the server open every table, which is much of a fresh
// backend's cost. Generated columns, whose expressions do refer to columns,
// keep it.
//
// postgresCatalogueWith is its first part, the tables, and
// postgresCatalogueRows the rest; postgresIntrospect puts the reads of
// version tables between them, so that on a database without those (fresh,
// legacy) the statement fails before the server analyses the rest, and is
// then sent again without them.
const postgresCatalogueWith = `WITH t AS MATERIALIZED (
		SELECT oid, relname, relkind FROM pg_class
		WHERE relnamespace = to_regnamespace(current_schema()) AND relkind IN ('r', 'p', 'i'))
	`

const postgresCatalogueRows = `SELECT 't', oid::text, relname::text, relkind::text, NULL, NULL, NULL, NULL FROM t
	UNION ALL
	SELECT 'c', a.attrelid::text, a.attnum::text, a.attname::text,
			format_type(a.atttypid, a.atttypmod), a.attnotnull::text,
			CASE WHEN a.atthasdef THEN (SELECT pg_get_expr(d.adbin, CASE WHEN a.attgenerated = '' THEN 0 ELSE d.adrelid END)
				FROM pg_attrdef d WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum) END, NULL
		FROM pg_attribute a
		WHERE a.attrelid = ANY(ARRAY(SELECT oid FROM t WHERE relkind <> 'i')) AND a.attnum > 0 AND NOT a.attisdropped
	UNION ALL
	SELECT 'i', ix.indrelid::text, ix.indexrelid::text, ix.indisunique::text, ix.indisprimary::text,
			pg_get_expr(ix.indpred, ix.indrelid), ix.indkey::text, NULL
		FROM pg_index ix WHERE ix.indrelid = ANY(ARRAY(SELECT oid FROM t WHERE relkind <> 'i'))
	UNION ALL
	SELECT 'f', c.conrelid::text, c.conname::text, c.confrelid::text,
			(SELECT relname::text FROM pg_class WHERE oid = c.confrelid),
			c.confdeltype::text, c.conkey::text, c.confkey::text
		FROM pg_constraint c
		WHERE c.contype = 'f' AND c.conrelid = ANY(ARRAY(SELECT oid FROM t WHERE relkind <> 'i'))`

type pgColumnRow struct {
	Rel     uint32
	Table   string
	Num     int
	Name    string
	Type    string
	NotNull bool
	Default *string
}

type pgIndexRow struct {
	Rel     uint32
	Index   uint32
	Name    string
	Unique  bool
	Primary bool
	Where   *string
	Keys    string
}

type pgForeignKeyRow struct {
	Name     string
	Rel      uint32
	RefRel   uint32
	RefTable string
	OnDelete string
	Keys     string
	RefKeys  string
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

// postgresIntrospect runs the catalogue statement, with the rows of each
// read first, tagged v and the read's index.
func postgresIntrospect(ctx context.Context, db *gorm.DB, reads []TableRead) (schema.Schema, [][]string, error) {
	// ConnPool is the transaction when db is one, so a snapshot taken inside
	// a transaction sees that transaction's view.
	conn := db.WithContext(ctx).Statement.ConnPool
	q := postgresCatalogueWith
	for i, r := range reads {
		q += fmt.Sprintf(`SELECT 'v', '%d', CAST("%s" AS text), NULL, NULL, NULL, NULL, NULL FROM "%s"
	UNION ALL
	`, i, r.Column, r.Table)
	}
	q += postgresCatalogueRows
	rows, err := conn.QueryContext(ctx, q)
	if err != nil {
		return schema.Schema{}, nil, err
	}
	defer rows.Close()
	var (
		cols []pgColumnRow
		idx  []pgIndexRow
		fks  []pgForeignKeyRow
		vals = make([][]string, len(reads))
		// names holds the schema's tables and indexes by oid.
		names = map[uint32]string{}
	)
	for i := range vals {
		vals[i] = []string{}
	}
	oid := func(s *string) uint32 {
		n, _ := strconv.ParseUint(deref(s), 10, 32)
		return uint32(n)
	}
	for rows.Next() {
		var kind string
		var f [7]*string
		if err := rows.Scan(&kind, &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6]); err != nil {
			return schema.Schema{}, nil, err
		}
		switch kind {
		case "t":
			names[oid(f[0])] = deref(f[1])
		case "c":
			num, _ := strconv.Atoi(deref(f[1]))
			cols = append(cols, pgColumnRow{Rel: oid(f[0]), Num: num, Name: deref(f[2]),
				Type: deref(f[3]), NotNull: deref(f[4]) == "true", Default: f[5]})
		case "i":
			idx = append(idx, pgIndexRow{Rel: oid(f[0]), Index: oid(f[1]), Unique: deref(f[2]) == "true",
				Primary: deref(f[3]) == "true", Where: f[4], Keys: deref(f[5])})
		case "f":
			fks = append(fks, pgForeignKeyRow{Rel: oid(f[0]), Name: deref(f[1]), RefRel: oid(f[2]), RefTable: deref(f[3]),
				OnDelete: deref(f[4]), Keys: deref(f[5]), RefKeys: deref(f[6])})
		case "v":
			i, _ := strconv.Atoi(deref(f[0]))
			vals[i] = append(vals[i], deref(f[1]))
		}
	}
	if err := rows.Err(); err != nil {
		return schema.Schema{}, nil, err
	}
	for i := range cols {
		cols[i].Table = names[cols[i].Rel]
	}
	for i := range idx {
		idx[i].Name = names[idx[i].Index]
	}
	// The union has no order of its own; the schema is built in name order.
	slices.SortStableFunc(cols, func(a, b pgColumnRow) int {
		if c := strings.Compare(a.Table, b.Table); c != 0 {
			return c
		}
		return a.Num - b.Num
	})
	slices.SortStableFunc(idx, func(a, b pgIndexRow) int { return strings.Compare(a.Name, b.Name) })
	slices.SortStableFunc(fks, func(a, b pgForeignKeyRow) int { return strings.Compare(a.Name, b.Name) })
	return postgresSchema(cols, idx, fks), vals, nil
}

func postgresSchema(cols []pgColumnRow, idx []pgIndexRow, fks []pgForeignKeyRow) schema.Schema {
	type colKey struct {
		rel uint32
		num int
	}
	var s schema.Schema
	tableOf := map[uint32]int{}
	colName := make(map[colKey]string, len(cols))
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
			n, _ := strconv.Atoi(f)
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

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
