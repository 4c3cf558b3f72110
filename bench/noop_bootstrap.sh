#!/usr/bin/env bash
# Whole-process time of a no-op `timetracker bootstrap` on an up-to-date
# database next to `goose status` on the same database, side by side in one
# hyperfine run, on SQLite and PostgreSQL, reporting medians and the ratio
# to goose (target <= 1.0). Also a cold start on an empty database. Needs
# hyperfine and jq (apt); goose v3.29.0 is the reference: $GOOSE, else
# goose in $(go env GOPATH)/bin, else installed into a temporary GOBIN.
# Usage: bench/noop_bootstrap.sh [runs]   (PG at 127.0.0.1:5432, trust auth)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-30}
work=$(mktemp -d)
trap 'rm -rf "$work"; psql -qh 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS tt_bench_noop WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
goose=${GOOSE:-$(go env GOPATH)/bin/goose}
if [ ! -x "$goose" ]; then
  echo "installing goose v3.29.0 into $work/gobin (reference only, not kept)..." >&2
  GOBIN="$work/gobin" GOFLAGS= go install github.com/pressly/goose/v3/cmd/goose@v3.29.0
  goose="$work/gobin/goose"
fi
go build -o "$work/timetracker" .
mkdir -p "$work/goose-migrations"
cat > "$work/goose-migrations/00001_noop.sql" <<'SQL'
-- +goose Up
SELECT 1;
-- +goose Down
SELECT 1;
SQL
export TIMETRACKER_DATA_DIR="$work/data"

# SQLite: an up-to-date database, also known to goose.
sqlite_db="$work/data/timetracker.db"
"$work/timetracker" bootstrap --database-url "sqlite:///$sqlite_db" >/dev/null 2>&1
"$goose" -dir "$work/goose-migrations" sqlite3 "$sqlite_db" up >/dev/null 2>&1

# PostgreSQL: the same.
psql -qh 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS tt_bench_noop WITH (FORCE)" -c "CREATE DATABASE tt_bench_noop" >/dev/null
pg_url="postgres://postgres@127.0.0.1:5432/tt_bench_noop?sslmode=disable"
"$work/timetracker" bootstrap --database-url "$pg_url" >/dev/null 2>&1
"$goose" -dir "$work/goose-migrations" postgres "$pg_url" up >/dev/null 2>&1

# The machine may be shared: the runs are split into short rounds (PER
# runs of each command, all four side by side), and the ratio reported is
# the median of the rounds' ratios, so a load change hurts both sides alike.
per=${PER:-3}
rounds=$(( (runs + per - 1) / per ))
for r in $(seq 1 "$rounds"); do
  hyperfine -N --warmup 1 --runs "$per" --export-json "$work/noop.$r.json" \
    -n "sqlite: timetracker bootstrap (no-op)" "$work/timetracker bootstrap --database-url sqlite:///$sqlite_db" \
    -n "sqlite: goose status" "$goose -dir $work/goose-migrations sqlite3 $sqlite_db status" \
    -n "postgres: timetracker bootstrap (no-op)" "$work/timetracker bootstrap --database-url $pg_url" \
    -n "postgres: goose status" "$goose -dir $work/goose-migrations postgres $pg_url status" >/dev/null
done
# Per dialect: median of every run of each side, and the median of the
# rounds' ratios (each round's medians).
jq -rs '
  def median: sort | if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end;
  def ms: . * 10000 | round / 10;
  (map(.results | map({(.command): .}) | add)) as $rounds |
  "| what | timetracker median ms | goose status median ms | ratio, median of \($rounds | length) rounds (target <= 1.0) | rounds ratios |",
  "| --- | ---: | ---: | ---: | --- |",
  (["sqlite", "postgres"][] as $d |
    ($d + ": timetracker bootstrap (no-op)") as $t | ($d + ": goose status") as $g |
    ($rounds | map(.[$t].median / .[$g].median)) as $ratios |
    "| \($d) no-op bootstrap | \([$rounds[] | .[$t].times[]] | median | ms) | \([$rounds[] | .[$g].times[]] | median | ms) | \($ratios | median * 100 | round / 100) | \($ratios | map(. * 100 | round / 100) | join(" ")) |")
' "$work"/noop.*.json

# Cold start (skip with COLD=0).
[ "${COLD:-1}" = 1 ] || exit 0
# create the schema in an empty database each run.
cold_pg="postgres://postgres@127.0.0.1:5432/tt_bench_cold?sslmode=disable"
hyperfine -N --warmup 1 --runs "$runs" \
  --prepare "rm -f $work/cold.db $work/cold.db.lock" \
  -n "sqlite: timetracker bootstrap (cold, empty database)" "$work/timetracker bootstrap --database-url sqlite:///$work/cold.db" \
  --prepare "psql -qh 127.0.0.1 -U postgres -c 'DROP DATABASE IF EXISTS tt_bench_cold WITH (FORCE)' -c 'CREATE DATABASE tt_bench_cold'" \
  -n "postgres: timetracker bootstrap (cold, empty database)" "$work/timetracker bootstrap --database-url $cold_pg"
psql -qh 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS tt_bench_cold WITH (FORCE)" >/dev/null
