// A fingerprint of the whole database, to tell whether it still holds what a
// backup copied.

package database

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"

	"gorm.io/gorm"
)

// Fingerprint summarises the schema and every value of the database, so
// that a backup can tell whether the database still holds exactly what it
// copied. Rows are hashed one by one and the hashes added up, so the
// order a table is read in does not matter. Tables named in skipContent
// count by their schema only: their rows change without the data changing
// (a lock lease, the history row of a failed step).
func Fingerprint(ctx context.Context, db *gorm.DB, skipContent ...string) (string, error) {
	s, err := Introspect(ctx, db)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\n", DialectOf(db))
	b, err := json.Marshal(s)
	if err != nil {
		return "", err
	}
	h.Write(b)
	tables, err := ListTables(ctx, db)
	if err != nil {
		return "", err
	}
	for _, t := range tables {
		if slices.Contains(skipContent, t) {
			continue
		}
		n, sum, err := tableSum(ctx, db, t)
		if err != nil {
			return "", fmt.Errorf("fingerprint %s: %w", t, err)
		}
		fmt.Fprintf(h, "\n%s %d %x", t, n, sum)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// tableSum reads every row of a table and adds up their hashes, in four
// 64-bit lanes.
func tableSum(ctx context.Context, db *gorm.DB, table string) (int64, [4]uint64, error) {
	var sum [4]uint64
	rows, err := db.WithContext(ctx).Raw(`SELECT * FROM "` + table + `"`).Rows()
	if err != nil {
		return 0, sum, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, sum, err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var n int64
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return 0, sum, err
		}
		rh := sha256.New()
		for _, v := range vals {
			var s string
			switch x := v.(type) {
			case nil:
				s = "\x00null"
			case []byte:
				s = string(x)
			default:
				s = fmt.Sprintf("%T:%v", x, x)
			}
			fmt.Fprintf(rh, "%d:%s|", len(s), s)
		}
		d := rh.Sum(nil)
		for i := range sum {
			sum[i] += binary.BigEndian.Uint64(d[i*8:])
		}
		n++
	}
	return n, sum, rows.Err()
}
