#!/usr/bin/env bash
# Replicas starting together: whole-process wall time of eight
# `timetracker bootstrap` started at once on a fresh database (each run gets
# a new one) against one cold start (fresh database) plus one no-op start
# (up-to-date database), side by side in one hyperfine run per round, on
# PostgreSQL and SQLite. Target: 8 at once <= 1.5 x (1 cold + 1 no-op): the
# winner creates the schema, the others add no more than one fast path.
# Reported: medians and the median of the rounds' ratios. Needs hyperfine
# and jq. Two floors are measured in the same rounds, against the same
# reference: 8 no-op starts at once on the up-to-date database (no lock,
# nothing to create) and 8 `timetracker --version` at once (process start
# alone). Eight processes on few cores pay for eight process starts and
# eight connections however the lock works; where a floor is itself above
# 1.5, so is the target's ratio.
# Usage: bench/replicas.sh [runs]   (PG at 127.0.0.1:5432, trust auth)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-15}
rounds=${ROUNDS:-3}
per=$(( (runs + rounds - 1) / rounds ))
[ "$per" -ge 2 ] || per=2
work=$(mktemp -d)
psql_() { psql -qh 127.0.0.1 -U postgres "$@"; }
trap 'rm -rf "$work"; psql_ -c "DROP DATABASE IF EXISTS tt_bench_replicas WITH (FORCE)" -c "DROP DATABASE IF EXISTS tt_bench_replicas_noop WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
go build -o "$work/timetracker" .
export TIMETRACKER_DATA_DIR="$work/data"
pg_url="postgres://postgres@127.0.0.1:5432/tt_bench_replicas?sslmode=disable"
pg_noop="postgres://postgres@127.0.0.1:5432/tt_bench_replicas_noop?sslmode=disable"
sqlite_url="sqlite:///$work/replicas.db"
sqlite_noop="sqlite:///$work/noop.db"

cat > "$work/start.sh" <<SH
#!/usr/bin/env bash
# start.sh N URL: start N bootstraps at once and fail if any fails.
set -u
pids=()
for _ in \$(seq 1 "\$1"); do
  if [ "\$2" = --version ]; then "$work/timetracker" --version >/dev/null 2>&1 & pids+=(\$!)
  else "$work/timetracker" bootstrap --database-url "\$2" --backup-dir "$work/backups" >/dev/null 2>&1 & pids+=(\$!); fi
done
rc=0
for p in "\${pids[@]}"; do wait "\$p" || rc=1; done
exit \$rc
SH
chmod +x "$work/start.sh"
pg_fresh="psql -qh 127.0.0.1 -U postgres -c 'DROP DATABASE IF EXISTS tt_bench_replicas WITH (FORCE)' -c 'CREATE DATABASE tt_bench_replicas'"
sqlite_fresh="rm -f $work/replicas.db $work/replicas.db.lock"

# The no-op references: databases already at head.
psql_ -c "DROP DATABASE IF EXISTS tt_bench_replicas_noop WITH (FORCE)" -c "CREATE DATABASE tt_bench_replicas_noop" >/dev/null
"$work/timetracker" bootstrap --database-url "$pg_noop" >/dev/null 2>&1
"$work/timetracker" bootstrap --database-url "$sqlite_noop" >/dev/null 2>&1

for r in $(seq 1 "$rounds"); do
  hyperfine --warmup 1 --runs "$per" --export-json "$work/replicas.$r.json" \
    --prepare "$pg_fresh" -n "postgres: 1 cold" "$work/start.sh 1 '$pg_url'" \
    --prepare "true" -n "postgres: 1 no-op" "$work/start.sh 1 '$pg_noop'" \
    --prepare "$pg_fresh" -n "postgres: 8 at once (fresh)" "$work/start.sh 8 '$pg_url'" \
    --prepare "$sqlite_fresh" -n "sqlite: 1 cold" "$work/start.sh 1 '$sqlite_url'" \
    --prepare "true" -n "sqlite: 1 no-op" "$work/start.sh 1 '$sqlite_noop'" \
    --prepare "$sqlite_fresh" -n "sqlite: 8 at once (fresh)" "$work/start.sh 8 '$sqlite_url'" \
    --prepare "true" -n "postgres: 8 no-ops at once" "$work/start.sh 8 '$pg_noop'" \
    --prepare "true" -n "sqlite: 8 no-ops at once" "$work/start.sh 8 '$sqlite_noop'" \
    --prepare "true" -n "8 --version at once" "$work/start.sh 8 --version" >/dev/null
done
jq -rs '
  def median: sort | if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end;
  def ms: . * 10000 | round / 10;
  (map(.results | map({(.command): .}) | add)) as $rounds |
  "| dialect | 8 at once, fresh (median ms) | 1 cold + 1 no-op (median ms) | ratio, median of \($rounds | length) rounds (target <= 1.5) | rounds ratios |",
  "| --- | ---: | ---: | ---: | --- |",
  (["postgres", "sqlite"][] as $d |
    ($rounds | map(.[$d + ": 8 at once (fresh)"].median / (.[$d + ": 1 cold"].median + .[$d + ": 1 no-op"].median))) as $ratios |
    "| \($d) | \([$rounds[] | .[$d + ": 8 at once (fresh)"].times[]] | median | ms) | \(([$rounds[] | .[$d + ": 1 cold"].times[]] | median) + ([$rounds[] | .[$d + ": 1 no-op"].times[]] | median) | ms) | \($ratios | median * 100 | round / 100) | \($ratios | map(. * 100 | round / 100) | join(" ")) |"),
  "",
  "| floor, same reference | median ms | ratio, median of rounds |",
  "| --- | ---: | ---: |",
  (["postgres", "sqlite"][] as $d |
    ($d + ": 8 no-ops at once") as $n | "8 --version at once" as $v |
    ($rounds | map(.[$n].median / (.[$d + ": 1 cold"].median + .[$d + ": 1 no-op"].median))) as $nr |
    ($rounds | map(.[$v].median / (.[$d + ": 1 cold"].median + .[$d + ": 1 no-op"].median))) as $vr |
    "| \($d): 8 no-op starts at once | \([$rounds[] | .[$n].times[]] | median | ms) | \($nr | median * 100 | round / 100) |",
    "| \($d): 8 `--version` at once | \([$rounds[] | .[$v].times[]] | median | ms) | \($vr | median * 100 | round / 100) |")
' "$work"/replicas.*.json
