#!/usr/bin/env bash
# The warehouse at scale (docs/scale.md): a generated sweep of ROWS rows over 40
# libraries' exports (10.2M rows, 1.5 GB, by default; a third of the files CP932),
# streamed into a warehouse file by file with `push "FILE"`, then swept with
# `occurrences` in SQL — on one PostgreSQL, and on the three-instance postgres_fdw setup
# of docs/scale-fdw.sh — and compared with the embedded engine's answer on the same
# files. Reports, per phase: wall time, rows/s, and kensho's peak memory.
#
#   bash Benchmarks/warehouse.sh                 # 10.2M rows
#   bash Benchmarks/warehouse.sh --rows 1000000  # smaller
#
# Sweeps above 1.5M rows are a 300,000-row generated sweep inflated by
# Benchmarks/tools/inflate-sweep.py (each replica a different person, planted copies
# kept): the generator's uniqueness checks make 10M people take over an hour.
#   bash Benchmarks/warehouse.sh --no-fdw --no-embedded
#
# Needs PostgreSQL (apt-get install postgresql) and a release build of kensho (built if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
rows=10200000 fdw=yes embedded=yes
while [ $# -gt 0 ]; do
  case $1 in
    --rows) rows=$2; shift ;;
    --no-fdw) fdw=no ;;
    --no-embedded) embedded=no ;;
    *) echo "usage: $0 [--rows N] [--no-fdw] [--no-embedded]" >&2; exit 2 ;;
  esac
  shift
done
data=Benchmarks/data/wh-$rows
kensho=.build/release/kensho
[ -x "$kensho" ] || swift build -c release --product kensho
if [ ! -f "$data/manifest.json" ]; then
  if [ "$rows" -le 1500000 ]; then
    python3 Benchmarks/generate.py systems -o "$data" --systems 40 --rows "$rows" >&2
  else
    base=Benchmarks/data/wh-300000
    [ -f "$base/manifest.json" ] || python3 Benchmarks/generate.py systems -o "$base" --systems 40 --rows 300000 >&2
    python3 Benchmarks/tools/inflate-sweep.py "$base" "$data" $((rows / 300000))
  fi
fi
files=$(ls "$data"/*.csv | sort)
bytes=$(cat $files | wc -c)
echo "# warehouse benchmark: $(echo "$files" | wc -l) files, $((bytes / 1048576)) MiB, load average $(cut -d' ' -f1-3 /proc/loadavg)"
work=$(mktemp -d /tmp/kensho-wh-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
recipe='fingerprint person = name + birthdate + phone'

# Runs a kensho script under /usr/bin/time; prints "seconds peak_MiB".
measure() {
  /usr/bin/time -f '%e %M' -o "$work/time" "$kensho" run "$1" --no-journal --format csv > "$2" 2> "$work/stderr" \
    || { cat "$work/stderr" >&2; exit 1; }
  read -r seconds kib < "$work/time"
  echo "$seconds $((kib / 1024))"
}

# What is compared: every copy found (fingerprint, spread, dataset, source, line, in
# order) and the whole matrix.
answers() {  # scope
  echo "occurrences person$1 | select fingerprint, spread, _dataset, _source, _line"
  echo "matrix person$1"
}

sweep() {  # name url
  local name=$1 url=$2 push query
  { echo "$recipe"; echo "attach postgres \"$url\" as wh"
    for f in $files; do echo "push \"$f\" using person to wh"; done; } > "$work/push.kensho"
  read -r push_s push_mib < <(measure "$work/push.kensho" /dev/null)
  local pushed
  pushed=$(grep -o 'pushed [^ ]* to wh: [0-9,]* rows' "$work/stderr" | awk '{gsub(",", "", $5); s += $5} END {print s}')
  printf '%s\nattach postgres "%s" as wh\n%s\n' "$recipe" "$url" "$(answers ' in wh.*')" > "$work/query.kensho"
  read -r query_s query_mib < <(measure "$work/query.kensho" "$work/$name.csv")
  echo "| $name | $pushed | $push_s s | $(python3 -c "print(f'{$pushed / $push_s:,.0f}')") | $push_mib MiB | $query_s s | $query_mib MiB |"
}

echo
echo "| where | rows pushed | push | rows/s | kensho peak (push) | sweep (occurrences, in SQL) | kensho peak (sweep) |"
echo "|---|---:|---:|---:|---:|---:|---:|"
eval "$(KENSHO_PG_SETTINGS='-c work_mem=256MB -c shared_buffers=1GB -c max_wal_size=8GB' bash .ci/start-postgres)"
single_stop() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$KENSHO_TEST_PG_BIN/pg_ctl" -D "$KENSHO_TEST_PG_DIR" stop -m fast >/dev/null
  else "$KENSHO_TEST_PG_BIN/pg_ctl" -D "$KENSHO_TEST_PG_DIR" stop -m fast >/dev/null; fi
  rm -rf "$(dirname "$KENSHO_TEST_PG_DIR")"
}
sweep "one PostgreSQL" "$KENSHO_TEST_PG_URL"
single_stop

if [ "$fdw" = yes ]; then
  eval "$(KENSHO=$kensho KENSHO_PG_SETTINGS="-c work_mem=256MB -c shared_buffers=512MB -c max_wal_size=8GB" bash docs/scale-fdw.sh --keep 2>/dev/null)"
  sweep "coordinator + 2 postgres_fdw shards" "$KENSHO_FDW_URL"
  eval "$KENSHO_FDW_STOP"
  cmp -s "$work/one PostgreSQL.csv" "$work/coordinator + 2 postgres_fdw shards.csv" \
    || { echo "the fdw warehouse's answer differs from the single server's" >&2; exit 1; }
fi

if [ "$embedded" = yes ]; then
  { for f in $files; do echo "load \"$f\""; done; echo "$recipe"
    answers ''; } > "$work/embedded.kensho"
  read -r s mib < <(measure "$work/embedded.kensho" "$work/embedded.csv")
  echo "| embedded engine (load + sweep) | – | – | – | – | $s s | $mib MiB |"
  cmp -s "$work/one PostgreSQL.csv" "$work/embedded.csv" \
    && echo && echo "Same answers from the warehouse and the embedded engine: $(($(wc -l < "$work/embedded.csv") - 2)) rows of occurrences and matrix, row for row." \
    || { echo "the warehouse's answer differs from the embedded engine's" >&2; diff "$work/one PostgreSQL.csv" "$work/embedded.csv" | head >&2; exit 1; }
fi
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
