#!/usr/bin/env bash
# 8 replicas starting together vs one: whole-process wall time of
# `timetracker bootstrap` on a fresh database (each run gets a new one), one
# process against eight started at once, side by side in one hyperfine run,
# on PostgreSQL and SQLite. Target: 8 within 1.5x of 1.
# Usage: bench/replicas.sh [runs]   (PG at 127.0.0.1:5432, trust auth)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-15}
work=$(mktemp -d)
trap 'rm -rf "$work"; psql -qh 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS tt_bench_replicas WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
go build -o "$work/timetracker" .
export TIMETRACKER_DATA_DIR="$work/data"
pg_url="postgres://postgres@127.0.0.1:5432/tt_bench_replicas?sslmode=disable"
sqlite_url="sqlite:///$work/replicas.db"

cat > "$work/start.sh" <<SH
#!/usr/bin/env bash
# start.sh N URL: start N bootstraps at once and fail if any fails.
set -u
pids=()
for _ in \$(seq 1 "\$1"); do "$work/timetracker" bootstrap --database-url "\$2" --backup-dir "$work/backups" >/dev/null 2>&1 & pids+=(\$!); done
rc=0
for p in "\${pids[@]}"; do wait "\$p" || rc=1; done
exit \$rc
SH
chmod +x "$work/start.sh"
pg_fresh="psql -qh 127.0.0.1 -U postgres -c 'DROP DATABASE IF EXISTS tt_bench_replicas WITH (FORCE)' -c 'CREATE DATABASE tt_bench_replicas'"
sqlite_fresh="rm -f $work/replicas.db $work/replicas.db.lock"

hyperfine --warmup 1 --runs "$runs" \
  --prepare "$pg_fresh" -n "postgres: 1 replica (fresh)" "$work/start.sh 1 '$pg_url'" \
  --prepare "$pg_fresh" -n "postgres: 8 replicas at once (fresh)" "$work/start.sh 8 '$pg_url'" \
  --prepare "$sqlite_fresh" -n "sqlite: 1 replica (fresh)" "$work/start.sh 1 '$sqlite_url'" \
  --prepare "$sqlite_fresh" -n "sqlite: 8 replicas at once (fresh)" "$work/start.sh 8 '$sqlite_url'"

# The common restart: the database is already at head (no-op, no lock).
"$work/timetracker" bootstrap --database-url "$pg_url" >/dev/null 2>&1
"$work/timetracker" bootstrap --database-url "$sqlite_url" >/dev/null 2>&1
hyperfine --warmup 2 --runs "$runs" \
  -n "postgres: 1 replica (up to date)" "$work/start.sh 1 '$pg_url'" \
  -n "postgres: 8 replicas at once (up to date)" "$work/start.sh 8 '$pg_url'" \
  -n "sqlite: 1 replica (up to date)" "$work/start.sh 1 '$sqlite_url'" \
  -n "sqlite: 8 replicas at once (up to date)" "$work/start.sh 8 '$sqlite_url'"
