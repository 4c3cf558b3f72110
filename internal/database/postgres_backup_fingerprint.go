// PostgreSQL: where a pg_dump custom archive records when it was made, so
// that a fingerprint can leave it out.

package database

// pgDumpHeadSize is read from the start of an archive: enough for every
// field up to the end of the dump time, whatever the int size.
const pgDumpHeadSize = 256

// pgDumpTimeSpan finds the dump time in the header of a pg_dump custom
// archive: "PGDMP", the archive version (major, minor, revision), the int
// size, the offset size and the format (one byte each), the compression
// (from archive version 1.15 one byte, before it one int), then the dump
// time as seven ints (second, minute, hour, day, month, year, DST). An int
// is a sign byte followed by int-size bytes. ok is false for a header this
// does not understand.
func pgDumpTimeSpan(head []byte) (from, to int, ok bool) {
	const archCustom = 1 // pg_dump's archiveFormat for --format=custom
	if len(head) < 11 || string(head[:5]) != "PGDMP" {
		return 0, 0, false
	}
	major, minor, intSize, format := head[5], head[6], int(head[8]), head[10]
	// Before 1.4 the header held no dump time.
	if major != 1 || minor < 4 || intSize < 1 || intSize > 8 || format != archCustom {
		return 0, 0, false
	}
	from = 11
	if minor >= 15 {
		from++
	} else {
		from += 1 + intSize
	}
	to = from + 7*(1+intSize)
	if to > len(head) {
		return 0, 0, false
	}
	return from, to, true
}
