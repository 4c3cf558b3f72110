#!/usr/bin/env bash
# Whole-process time of a no-op `timetracker bootstrap` on an up-to-date
# database next to `goose status` on the same database, side by side in one
# hyperfine run, on SQLite and PostgreSQL. Also a cold start on an empty
# database. Needs hyperfine (apt) and goose v3.29.0:
#   go install github.com/pressly/goose/v3/cmd/goose@v3.29.0
# Usage: bench/noop_bootstrap.sh [runs]   (PG at 127.0.0.1:5432, trust auth)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-30}
goose=${GOOSE:-$(go env GOPATH)/bin/goose}
work=$(mktemp -d)
trap 'rm -rf "$work"; psql -qh 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS tt_bench_noop WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
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

hyperfine -N --warmup 3 --runs "$runs" --export-markdown "$work/noop.md" \
  -n "sqlite: timetracker bootstrap (no-op)" "$work/timetracker bootstrap --database-url sqlite:///$sqlite_db" \
  -n "sqlite: goose status" "$goose -dir $work/goose-migrations sqlite3 $sqlite_db status" \
  -n "postgres: timetracker bootstrap (no-op)" "$work/timetracker bootstrap --database-url $pg_url" \
  -n "postgres: goose status" "$goose -dir $work/goose-migrations postgres $pg_url status"
cat "$work/noop.md"

# Cold start: create the schema in an empty database each run.
cold_pg="postgres://postgres@127.0.0.1:5432/tt_bench_cold?sslmode=disable"
hyperfine -N --warmup 1 --runs "$runs" \
  --prepare "rm -f $work/cold.db $work/cold.db.lock" \
  -n "sqlite: timetracker bootstrap (cold, empty database)" "$work/timetracker bootstrap --database-url sqlite:///$work/cold.db" \
  --prepare "psql -qh 127.0.0.1 -U postgres -c 'DROP DATABASE IF EXISTS tt_bench_cold WITH (FORCE)' -c 'CREATE DATABASE tt_bench_cold'" \
  -n "postgres: timetracker bootstrap (cold, empty database)" "$work/timetracker bootstrap --database-url $cold_pg"
psql -qh 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS tt_bench_cold WITH (FORCE)" >/dev/null
