#!/usr/bin/env bash
# What journaling costs: the same 1,000-statement script run with --no-journal and with
# a journal (written, chained, flushed with fdatasync), alternating, R rounds each;
# prints the median wall and CPU times and the overhead in percent.
#
#   bash Benchmarks/journal-overhead.sh [ROWS] [ROUNDS]
#
# ROWS (default 20000) sizes the table the statements run over: at 2,000 rows each
# statement takes well under a millisecond and the journal's fixed cost per statement
# (one write(2), a result digest, a chain hash) shows most; at 20,000 and up it is lost
# in the work. Needs a release build (.build/release/kensho).
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-20000} ROUNDS=${2:-15}
KENSHO=$PWD/.build/release/kensho
[ -x "$KENSHO" ] || { echo "journal-overhead.sh: build first: swift build -c release --product kensho" >&2; exit 2; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 Benchmarks/generate.py patrons -o "$WORK/p.csv" --rows "$ROWS" --seed 1 >/dev/null 2>&1
{
  echo 'load "p.csv" as p'
  for i in $(seq 1 333); do
    echo "p | count"
    echo "p | where 郵便番号 like '1%' | count"
    echo "p | count by 郵便番号 | limit 3"
  done
} >"$WORK/script.kensho"

run() { # run MODE: prints "wall_ms cpu_ms"
  local start end cpu
  rm -f "$WORK/j.kensho"
  start=$EPOCHREALTIME
  if [ "$1" = journal ]; then
    /usr/bin/time -o times.txt -f '%U %S' "$KENSHO" run script.kensho --journal j.kensho >/dev/null 2>&1
  else
    /usr/bin/time -o times.txt -f '%U %S' "$KENSHO" run script.kensho --no-journal >/dev/null 2>&1
  fi
  end=$EPOCHREALTIME
  cpu=$(tail -1 times.txt)
  awk -v s="$start" -v e="$end" -v c="$cpu" 'BEGIN { split(c, t, " "); printf "%.1f %.1f\n", (e - s) * 1000, (t[1] + t[2]) * 1000 }'
}

cd "$WORK"
run plain >/dev/null; run journal >/dev/null  # warm-up
: >plain.txt; : >journal.txt
for _ in $(seq 1 "$ROUNDS"); do
  run plain >>plain.txt
  run journal >>journal.txt
done
median() { sort -n -k"$2" "$1" | awk -v k="$2" '{ v[NR] = $k } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
pw=$(median plain.txt 1) jw=$(median journal.txt 1) pc=$(median plain.txt 2) jc=$(median journal.txt 2)
echo "1,000 statements over $ROWS rows, $ROUNDS rounds, load average $(cut -d' ' -f1 /proc/loadavg)"
printf '  --no-journal  wall %8.1f ms  cpu %8.1f ms\n' "$pw" "$pc"
printf '  journaled     wall %8.1f ms  cpu %8.1f ms\n' "$jw" "$jc"
awk -v a="$pw" -v b="$jw" -v c="$pc" -v d="$jc" 'BEGIN { printf "  overhead      wall %+7.1f %%     cpu %+7.1f %%\n", (b - a) * 100 / a, (d - c) * 100 / c }'
