#!/usr/bin/env bash
# Legacy conversion benchmark: `timetracker bootstrap` converting a legacy
# TimeTracker database of one shape (docs/conversion.md) with N time
# entries, 10,000 projects and 2,000 client names, next to the same
# transformation written as a plain SQL script run by the database's own
# client, side by side in one run, on SQLite and PostgreSQL. The plain
# side's time includes its backup, as bootstrap's does: `sqlite3 VACUUM
# INTO` / `pg_dump --format=custom`, then SHAPE/plain.<dialect>.sql. Each
# contender gets its own freshly generated copy (SHAPE/gen.<dialect>.sql,
# the legacy schema of legacy/testdata/SHAPE.<dialect>.sql). Reported: wall
# seconds of each, their ratio (target <= 1.3) and timetracker's peak RSS
# (target: the same at every N). Both results must pass `timetracker db
# verify`, hold N time entries and 10,000 projects, the same number of
# clients, the same rows and the same schema (column order included).
# A shape is run on the dialects it has files for.
#
# Needs go, sqlite3, psql and pg_dump (PostgreSQL at 127.0.0.1:5432, user
# postgres, trust auth; PGHOST/PGPORT/PGUSER override), and GNU time at
# /usr/bin/time (Debian: apt-get install -y time).
# REPEAT=k runs each pair k times, each on freshly generated copies, odd
# repeats with timetracker first and even ones with the plain side first;
# the row reports medians (the ratio: the median of the repeats' ratios)
# and every repeat's ratio. Single PostgreSQL pairs vary by about 15%.
# Usage: bench/convert/run.sh [N...]   (default: 100000 1000000)
#        REPEAT=3 SHAPES=all DIALECTS=postgres bench/convert/run.sh 1000000
#        DIALECTS="sqlite" bench/convert/run.sh 20000
#        SHAPES="s2 alembic-pure-001" bench/convert/run.sh 100000
# SHAPES defaults to s2; SHAPES=all runs every directory under bench/convert.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000)
for n in "${sizes[@]}"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: N must be a positive integer, got '$n'" >&2; exit 2; }
done
read -r -a dialects <<<"${DIALECTS:-sqlite postgres}"
repeat=${REPEAT:-1}
[[ $repeat =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: REPEAT must be a positive integer, got '$repeat'" >&2; exit 2; }
shapes_arg=${SHAPES:-s2}
if [ "$shapes_arg" = all ]; then
  shapes_arg=$(cd "$here" && for d in */; do [ -f "$d/plain.sqlite.sql" ] || [ -f "$d/plain.postgres.sql" ] && echo "${d%/}"; done | tr '\n' ' ')
fi
read -r -a shapes <<<"$shapes_arg"
for shape in "${shapes[@]}"; do
  [ -d "$here/$shape" ] || { echo "run.sh: no shape '$shape' under $here" >&2; exit 2; }
done

if [ ! -x /usr/bin/time ]; then
  echo "run.sh: /usr/bin/time (GNU time) is missing; install it with: apt-get install -y time" >&2
  exit 2
fi
for tool in go sqlite3 psql pg_dump; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing" >&2; exit 2; }
done

pg_host=${PGHOST:-127.0.0.1}
pg_port=${PGPORT:-5432}
pg_user=${PGUSER:-postgres}
pg_args=(-qX -v ON_ERROR_STOP=1 -h "$pg_host" -p "$pg_port" -U "$pg_user")
pg() { psql "${pg_args[@]}" "$@"; }
pg_url() { echo "postgres://$pg_user@$pg_host:$pg_port/$1?sslmode=disable"; }

work=$(mktemp -d)
pg_dbs=()
cleanup() {
  local db
  for db in "${pg_dbs[@]}"; do
    pg -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

echo "building timetracker..." >&2
go build -o "$work/timetracker" .
tt="$work/timetracker"

# timed NAME CMD...: runs CMD under GNU time, its output in $work/NAME.log;
# sets secs and rss_kib. On failure prints the log's end and exits.
timed() {
  local name=$1; shift
  local rc=0
  /usr/bin/time -o "$work/$name.time" -f '%e %M' "$@" >"$work/$name.log" 2>&1 || rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "run.sh: $name failed (exit $rc): $*" >&2
    tail -n 20 "$work/$name.log" >&2
    exit 1
  fi
  read -r secs rss_kib < <(tail -n 1 "$work/$name.time")
}

# median V...: the median of the numbers given.
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { printf "%.2f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Generate one legacy database (the target is a file path or a PG database).
gen_sqlite() { rm -f "$2"; sed "s/:N\b/$1/g" "$here/$shape/gen.sqlite.sql" | sqlite3 -bail "$2" >/dev/null; }
gen_postgres() {
  pg -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $2 WITH (FORCE)" -c "CREATE DATABASE $2" >/dev/null
  sed "s/:N\b/$1/g" "$here/$shape/gen.postgres.sql" | pg -d "$2" >/dev/null
}

# count DIALECT DB TABLE
count() {
  if [ "$1" = sqlite ]; then sqlite3 "$2" "SELECT count(*) FROM $3"; else pg -At -d "$2" -c "SELECT count(*) FROM $3"; fi
}

# rows DIALECT DB: the converted rows, each line led by its table: every
# column of users, projects, tasks, task_activities, time_entries, settings,
# invoices and invoice_items (the schemas are compared first, so column
# order is the same on both sides), and id, name and status of clients (the
# clients a conversion creates carry its own time).
rows() {
  local t q
  for t in users projects tasks task_activities time_entries settings invoices invoice_items "clients:id, name, status"; do
    q="SELECT ${t#*:} FROM ${t%%:*} ORDER BY id"
    [ "${t#*:}" != "$t" ] || q="SELECT * FROM $t ORDER BY id"
    if [ "$1" = sqlite ]; then sqlite3 "$2" "$q"; else pg -d "$2" -c "COPY ($q) TO STDOUT"; fi | sed "s/^/${t%%:*}: /"
  done
}

# schema DIALECT DB: the whole schema in a canonical text form: every table's
# columns in order (name, type, NOT NULL, default), indexes, constraints
# and triggers. Both results must give the same text: the same schema,
# column order included.
schema() {
  if [ "$1" = sqlite ]; then
    sqlite3 "$2" "SELECT 'column', m.name, p.cid, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid" \
      "SELECT 'index', m.name, il.name, il.\"unique\", il.partial, group_concat(ii.name, ','), (SELECT replace(sql, '\"', '') FROM sqlite_master s WHERE s.type = 'index' AND s.name = il.name) FROM sqlite_master m JOIN pragma_index_list(m.name) il JOIN pragma_index_info(il.name) ii WHERE m.type = 'table' GROUP BY m.name, il.name ORDER BY m.name, il.name" \
      "SELECT 'fk', m.name, f.\"table\", f.\"from\", f.\"to\", f.on_delete, f.on_update FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f WHERE m.type = 'table' ORDER BY m.name, f.\"table\", f.\"from\"" \
      "SELECT 'trigger', name, tbl_name, replace(sql, '\"', '') FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
  else
    pg -At -d "$2" -c "SELECT 'column', c.relname, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid) FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' ORDER BY c.relname, a.attnum" \
      -c "SELECT 'index', tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY tablename, indexname" \
      -c "SELECT 'constraint', conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = current_schema()::regnamespace ORDER BY 2, 3" \
      -c "SELECT 'trigger', tgrelid::regclass::text, tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal ORDER BY 2, 3"
  fi
}

# check DIALECT DB URL WHO N: verify, row counts (clients are compared by
# digest).
check() {
  local dialect=$1 db=$2 url=$3 who=$4 n=$5 got
  if ! "$tt" db verify --database-url "$url" >"$work/verify.log" 2>&1; then
    echo "run.sh: $dialect N=$n: timetracker db verify failed on the $who result:" >&2
    cat "$work/verify.log" >&2
    exit 1
  fi
  got=$(count "$dialect" "$db" time_entries)
  [ "$got" = "$n" ] || { echo "run.sh: $dialect N=$n: $who result has $got time entries, want $n" >&2; exit 1; }
  got=$(count "$dialect" "$db" projects)
  [ "$got" = 10000 ] || { echo "run.sh: $dialect N=$n: $who result has $got projects, want 10000" >&2; exit 1; }
}

results=()
for shape in "${shapes[@]}"; do
for dialect in "${dialects[@]}"; do
  if [ ! -f "$here/$shape/gen.$dialect.sql" ]; then
    echo "$shape: no $dialect version (no $shape/gen.$dialect.sql), skipped" >&2
    continue
  fi
  for n in "${sizes[@]}"; do
    ratios=() tts=() plains=() backups=() scripts=() rss_max=0
    for rep in $(seq 1 "$repeat"); do
      echo "$shape $dialect N=$n: generating two legacy databases..." >&2
      rm -rf "$work/tt-data" "$work/plain-backup"
      mkdir -p "$work/plain-backup"
      if [ "$dialect" = sqlite ]; then
        tt_db="$work/tt.db" plain_db="$work/plain.db"
        gen_sqlite "$n" "$tt_db"
        gen_sqlite "$n" "$plain_db"
        tt_url="sqlite:///$tt_db" plain_url="sqlite:///$plain_db"
      else
        tt_db="tt_bench_conv_$$_tt" plain_db="tt_bench_conv_$$_plain"
        pg_dbs+=("$tt_db" "$plain_db")
        gen_postgres "$n" "$tt_db"
        gen_postgres "$n" "$plain_db"
        tt_url=$(pg_url "$tt_db") plain_url=$(pg_url "$plain_db")
      fi

      # Start each contender from the same state: dirty pages written out.
      settle() { sync; if [ "$dialect" = postgres ]; then pg -d postgres -c CHECKPOINT >/dev/null; fi; }

      # Odd repeats run timetracker first, even ones the plain side first, so
      # that neither always meets a cache or a server the other just warmed.
      run_tt() {
        echo "$shape $dialect N=$n: timetracker bootstrap..." >&2
        settle
        TIMETRACKER_DATA_DIR="$work/tt-data" timed "tt-$shape-$dialect-$n" "$tt" bootstrap --database-url "$tt_url"
        tt_secs=$secs tt_rss=$rss_kib
      }
      run_plain() {
        echo "$shape $dialect N=$n: plain SQL script..." >&2
        # The script records today's steps, from the golden list the tests keep.
        steps=$(sed -e '/^$/d' -e "s/.*/('&')/" migrations/testdata/step_ids.golden | paste -sd, -)
        sed "s/@STEP_IDS@/$steps/" "$here/$shape/plain.$dialect.sql" >"$work/plain.$dialect.sql"
        settle
        if [ "$dialect" = sqlite ]; then
          timed "backup-$shape-$dialect-$n" sqlite3 "$plain_db" "VACUUM INTO '$work/plain-backup/backup.sqlite'"
          backup_secs=$secs
          timed "plain-$shape-$dialect-$n" sh -c 'sqlite3 "$1" < "$2"' sh "$plain_db" "$work/plain.sqlite.sql"
        else
          timed "backup-$shape-$dialect-$n" pg_dump --format=custom -h "$pg_host" -p "$pg_port" -U "$pg_user" \
            -f "$work/plain-backup/backup.pgdump" "$plain_db"
          backup_secs=$secs
          timed "plain-$shape-$dialect-$n" psql "${pg_args[@]}" -d "$plain_db" -f "$work/plain.postgres.sql"
        fi
        script_secs=$secs
      }
      if [ $((rep % 2)) = 1 ]; then run_tt; run_plain; else run_plain; run_tt; fi

      echo "$shape $dialect N=$n: verifying both results..." >&2
      check "$dialect" "$tt_db" "$tt_url" bootstrap "$n"
      check "$dialect" "$plain_db" "$plain_url" plain "$n"
      schema "$dialect" "$tt_db" >"$work/schema-tt.txt"
      schema "$dialect" "$plain_db" >"$work/schema-plain.txt"
      if ! diff -u "$work/schema-plain.txt" "$work/schema-tt.txt" >"$work/schema.diff"; then
        echo "run.sh: $shape $dialect N=$n: the two final schemas differ (- plain, + bootstrap):" >&2
        cat "$work/schema.diff" >&2
        exit 1
      fi
      rows "$dialect" "$tt_db" >"$work/rows-tt.txt"
      rows "$dialect" "$plain_db" >"$work/rows-plain.txt"
      if ! cmp -s "$work/rows-plain.txt" "$work/rows-tt.txt"; then
        echo "run.sh: $shape $dialect N=$n: the rows differ between the bootstrap and the plain result (- plain, + bootstrap; first lines):" >&2
        diff -u "$work/rows-plain.txt" "$work/rows-tt.txt" | head -n 30 >&2
        exit 1
      fi

      ratios+=("$(awk -v t="$tt_secs" -v b="$backup_secs" -v s="$script_secs" 'BEGIN { printf "%.2f", t / (b + s) }')")
      tts+=("$tt_secs") plains+=("$(awk -v b="$backup_secs" -v s="$script_secs" 'BEGIN { printf "%.2f", b + s }')")
      backups+=("$backup_secs") scripts+=("$script_secs")
      [ "$tt_rss" -le "$rss_max" ] || rss_max=$tt_rss
      if [ "$dialect" = sqlite ]; then
        rm -f "$tt_db" "$plain_db" "$tt_db.lock"
      else
        pg -d postgres -c "DROP DATABASE IF EXISTS $tt_db WITH (FORCE)" -c "DROP DATABASE IF EXISTS $plain_db WITH (FORCE)" >/dev/null
      fi
    done
    results+=("$(printf '| %s | %s | %d | %s | %s | %s | %.1f | %s | %s | %s |' "$shape" "$dialect" "$n" \
      "$(median "${tts[@]}")" "$(median "${plains[@]}")" "$(median "${ratios[@]}")" "$(awk -v m="$rss_max" 'BEGIN { print m / 1024 }')" \
      "$(median "${backups[@]}")" "$(median "${scripts[@]}")" "${ratios[*]}")")
  done
done
done

echo
echo "| shape | dialect | N | timetracker s | plain s | ratio | timetracker max RSS MiB | plain backup s | plain script s | ratio of each repeat |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
printf '%s\n' "${results[@]}"
echo
echo "timetracker s: whole \`timetracker bootstrap\` (detect, backup, convert, steps, verify)."
echo "plain s = plain backup s (VACUUM INTO / pg_dump --format=custom) + plain script s."
echo "With REPEAT > 1: medians over the repeats; ratio = the median of the repeats' ratios."
echo "Target: ratio <= 1.3; max RSS of the timetracker process the same at every N"
echo "(on PostgreSQL the server's memory is not in it). Both results verified, same rows."
