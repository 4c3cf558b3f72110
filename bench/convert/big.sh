#!/usr/bin/env bash
# One large legacy conversion (shape SHAPE, default s2, as run.sh generates
# it) without the plain-SQL side: the whole `timetracker bootstrap` time, its peak RSS and
# the disk high-water mark (SQLite: the directory with the database, its
# journal and the backups; PostgreSQL: the database's size on the server
# plus the backup directory), sampled every half second.
# Usage: bench/convert/big.sh DIALECT N   e.g. bench/convert/big.sh sqlite 10000000
# Needs go, sqlite3, psql and GNU time (see run.sh); PG at 127.0.0.1:5432.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
dialect=${1:?dialect: sqlite or postgres}
n=${2:?N time entries}
[[ $n =~ ^[1-9][0-9]*$ ]] || { echo "big.sh: N must be a positive integer" >&2; exit 2; }
pg() { psql -qX -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres "$@"; }
work=$(mktemp -d)
db=tt_bench_big_$$
cleanup() {
  [ "$dialect" = postgres ] && pg -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
go build -o "$work/timetracker" .
mkdir -p "$work/data" "$work/backups"
echo "generating $n time entries ($dialect)..." >&2
gen_start=$(date +%s)
if [ "$dialect" = sqlite ]; then
  sed "s/:N\b/$n/g" "$here/${SHAPE:-s2}/gen.sqlite.sql" | sqlite3 -bail "$work/data/tt.db" >/dev/null
  url="sqlite:///$work/data/tt.db"
  usage() { du -sb "$work/data" "$work/backups" | awk '{s += $1} END {print s}'; }
else
  pg -d postgres -c "CREATE DATABASE $db" >/dev/null
  sed "s/:N\b/$n/g" "$here/${SHAPE:-s2}/gen.postgres.sql" | pg -d "$db" >/dev/null
  url="postgres://postgres@127.0.0.1:5432/$db?sslmode=disable"
  usage() { echo $(( $(pg -At -d postgres -c "SELECT pg_database_size('$db')") + $(du -sb "$work/backups" | cut -f1) )); }
fi
echo "generated in $(( $(date +%s) - gen_start )) s" >&2
sync
[ "$dialect" = postgres ] && pg -d postgres -c CHECKPOINT >/dev/null
before=$(usage)
peak=$before
( while :; do usage; sleep 0.5; done ) >"$work/usage.log" 2>/dev/null &
sampler=$!
echo "converting..." >&2
/usr/bin/time -o "$work/time" -f '%e %M' "$work/timetracker" bootstrap --database-url "$url" --backup-dir "$work/backups" >"$work/log" 2>&1 || { tail -20 "$work/log" >&2; kill "$sampler"; exit 1; }
kill "$sampler"; wait "$sampler" 2>/dev/null || true
after=$(usage)
while read -r u; do [ -n "$u" ] && [ "$u" -gt "$peak" ] && peak=$u; done <"$work/usage.log"
[ "$after" -gt "$peak" ] && peak=$after
read -r secs rss < "$work/time"
"$work/timetracker" db verify --database-url "$url" >/dev/null
echo "| dialect | N | seconds | peak RSS MiB | disk before MiB | disk high-water MiB | disk after MiB |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
awk -v d="$dialect" -v n="$n" -v s="$secs" -v r="$rss" -v b="$before" -v p="$peak" -v a="$after" \
  'BEGIN { printf "| %s | %d | %.1f | %.1f | %.0f | %.0f | %.0f |\n", d, n, s, r / 1024, b / 1048576, p / 1048576, a / 1048576 }'
