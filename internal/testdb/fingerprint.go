// A fingerprint of the whole database, for tests that prove a command
// changed nothing.

package testdb

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/timetracker/timetracker/internal/database"
)

// Fingerprint summarises the schema and every value of the database, so
// that a test can tell whether the database still holds exactly what it
// held. Rows are hashed one by one and the hashes added up, so the
// order a table is read in does not matter. Tables named in skipContent
// count by their schema only: their rows change without the data changing
// (a lock lease, the history row of a failed step).
func Fingerprint(ctx context.Context, db *gorm.DB, skipContent ...string) (string, error) {
	s, err := database.Introspect(ctx, db)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\n", database.DialectOf(db))
	b, err := json.Marshal(s)
	if err != nil {
		return "", err
	}
	h.Write(b)
	tables, err := database.ListTables(ctx, db)
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
// 64-bit lanes. Values are encoded by type.
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
	rh := sha256.New()
	var buf []byte
	var d [sha256.Size]byte
	var n int64
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return 0, sum, err
		}
		buf = buf[:0]
		for _, v := range vals {
			buf = appendValue(buf, v)
		}
		rh.Reset()
		rh.Write(buf)
		rh.Sum(d[:0])
		for i := range sum {
			sum[i] += binary.BigEndian.Uint64(d[i*8:])
		}
		n++
	}
	return n, sum, rows.Err()
}

// appendValue appends a tag byte for the value's type, then the value,
// length-prefixed where its length varies.
func appendValue(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, 0)
	case int64:
		return binary.BigEndian.AppendUint64(append(b, 1), uint64(x))
	case float64:
		return binary.BigEndian.AppendUint64(append(b, 2), math.Float64bits(x))
	case bool:
		if x {
			return append(b, 3, 1)
		}
		return append(b, 3, 0)
	case string:
		b = binary.BigEndian.AppendUint32(append(b, 4), uint32(len(x)))
		return append(b, x...)
	case []byte:
		b = binary.BigEndian.AppendUint32(append(b, 5), uint32(len(x)))
		return append(b, x...)
	case time.Time:
		_, off := x.Zone()
		b = binary.BigEndian.AppendUint64(append(b, 6), uint64(x.UnixNano()))
		return binary.BigEndian.AppendUint32(b, uint32(off))
	}
	s := fmt.Sprintf("%T:%v", v, v)
	b = binary.BigEndian.AppendUint32(append(b, 7), uint32(len(s)))
	return append(b, s...)
}
