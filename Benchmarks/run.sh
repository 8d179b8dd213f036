#!/usr/bin/env bash
# Times kensho against its peers on this machine, in the same run: every workload is
# run by kensho and by each peer in turn (alternating, the order rotated each round),
# R timed rounds after one untimed warm-up, and the median wall time is reported with
# the ratio kensho/peer and the peak RSS. Every tool's result count is checked against
# the expected count and against kensho's; a difference is a MISMATCH and makes the
# script exit 1. See Benchmarks/README.md.
#
# Adding a workload: write `data_NAME` (calls `generate` for the files it needs) and
# `workload_NAME` (calls `workload` once and `tool` once per tool) below, and add NAME
# to ALL_WORKLOADS.

set -euo pipefail

usage() {
  cat <<'EOF'
usage: bash Benchmarks/run.sh [options]

  --rows N        rows per generated table (default 1000000)
  --runs R        timed rounds per workload (default 5)
  --warmup W      untimed rounds first (default 1)
  --shared N      matching keys in the join workload (default rows/100)
  --seed S        generator seed (default 1)
  --only LIST     workloads to run, comma-separated (default: all)
  --peers LIST    tools to run besides kensho, comma-separated (default: all)
  --kensho PATH   use this kensho binary; do not build
  --no-build      do not run `swift build -c release` (use .build/release/kensho if present)
  --no-install    do not install anything (skip the tools that are missing)
  --timeout SEC   give up on one command after SEC seconds (default 900)
  -h, --help      this text

Writes the table to stdout and to Benchmarks/results/latest.md (raw timings in
Benchmarks/results/latest.tsv). Exit status: 0 ok, 1 a count mismatch or a failed
tool, 2 usage.
EOF
}

ARGS=$*
ROWS=1000000 RUNS=5 WARMUP=1 SHARED="" SEED=1 ONLY="" PEERS="" KENSHO="" KENSHO_GIVEN=0 BUILD=1 INSTALL=1 TIMEOUT=900
die_usage() { echo "run.sh: error: $*" >&2; echo "usage: bash Benchmarks/run.sh [--rows N] [--runs R] [--help]" >&2; exit 2; }
need_int() { [[ ${2-} =~ ^[0-9]+$ ]] || die_usage "$1 needs a whole number, got '${2-}'"; }
while [ $# -gt 0 ]; do
  case $1 in
    --rows) need_int "$1" "${2-}"; ROWS=$2; shift 2 ;;
    --runs) need_int "$1" "${2-}"; RUNS=$2; shift 2 ;;
    --warmup) need_int "$1" "${2-}"; WARMUP=$2; shift 2 ;;
    --shared) need_int "$1" "${2-}"; SHARED=$2; shift 2 ;;
    --seed) need_int "$1" "${2-}"; SEED=$2; shift 2 ;;
    --timeout) need_int "$1" "${2-}"; TIMEOUT=$2; shift 2 ;;
    --only) [ -n "${2-}" ] || die_usage "--only needs a list"; ONLY=$2; shift 2 ;;
    --peers) [ -n "${2-}" ] || die_usage "--peers needs a list"; PEERS=$2; shift 2 ;;
    --kensho) [ -n "${2-}" ] || die_usage "--kensho needs a path"; KENSHO=$2; KENSHO_GIVEN=1; BUILD=0; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --no-install) INSTALL=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die_usage "unknown option '$1'" ;;
  esac
done
[ "$RUNS" -ge 1 ] || die_usage "--runs must be at least 1"
[ "$ROWS" -ge 100 ] || die_usage "--rows must be at least 100"
[ -n "$SHARED" ] || SHARED=$(( ROWS / 100 ))
ALL_WORKLOADS=(load_count join_text_key)  # each has data_NAME and workload_NAME below
for w in ${ONLY//,/ }; do
  [[ " ${ALL_WORKLOADS[*]} " == *" $w "* ]] || die_usage "unknown workload '$w' (known: ${ALL_WORKLOADS[*]})"
done
[ "$SHARED" -le "$ROWS" ] || die_usage "--shared $SHARED is more than --rows $ROWS"

# Everything runs from the repository root with relative paths, so the commands in the
# report can be pasted as they are and hold no path of this machine.
[ -z "$KENSHO" ] || KENSHO=$(realpath -m -- "$KENSHO")
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ -n "$KENSHO" ]; then  # relative to the root when it lies inside the repository
  rel=$(realpath -m --relative-to=. -- "$KENSHO")
  [[ $rel == ../* ]] || KENSHO=$rel
fi
B=Benchmarks
mkdir -p "$B/data" "$B/results"
say() { printf '%s\n' "run.sh: $*" >&2; }
warn() { printf '%s\n' "run.sh: warning: $*" >&2; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# ---------------------------------------------------------------------------
# Tools: install what is missing (Debian packages as root; Python ones in a venv).

have() { command -v "$1" >/dev/null 2>&1; }
missing_pkgs=()
have sqlite3 || missing_pkgs+=(sqlite3)
have mlr || missing_pkgs+=(miller)
have hashdeep || missing_pkgs+=(hashdeep)
[ -x /usr/bin/time ] || missing_pkgs+=(time)
have python3 || missing_pkgs+=(python3)
python3 -c 'import venv, ensurepip' 2>/dev/null || missing_pkgs+=(python3-venv)
if [ ${#missing_pkgs[@]} -gt 0 ]; then
  if [ "$INSTALL" = 1 ] && [ "$(id -u)" = 0 ] && have apt-get; then
    say "installing ${missing_pkgs[*]} (log: $B/results/install.log)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing_pkgs[@]}"; } \
      >>"$B/results/install.log" 2>&1 || warn "apt-get install ${missing_pkgs[*]} failed; see $B/results/install.log"
  else
    warn "missing ${missing_pkgs[*]} (run as root, or install them yourself)"
  fi
fi
[ -x /usr/bin/time ] || { echo "run.sh: error: /usr/bin/time (Debian package 'time') is needed to measure peak RSS" >&2; exit 1; }
have python3 || { echo "run.sh: error: python3 is needed to generate the data" >&2; exit 1; }

VENV=$B/.venv
PY=$VENV/bin/python
py_ok() { [ -x "$PY" ] && "$PY" -c 'import duckdb, polars, pandas, duckdb_cli' 2>/dev/null; }
if ! py_ok && [ "$INSTALL" = 1 ]; then
  say "installing duckdb, duckdb-cli, polars, pandas into $VENV (log: $B/results/install.log)"
  { { [ -x "$PY" ] || python3 -m venv "$VENV"; } && "$VENV/bin/pip" install -q duckdb duckdb-cli polars pandas; } \
    >>"$B/results/install.log" 2>&1 || warn "pip install into $VENV failed; see $B/results/install.log"
fi
[ -x "$PY" ] || PY=python3
py_has() { "$PY" -c "import $1" 2>/dev/null; }

# The DuckDB CLI from the duckdb-cli wheel (a native binary; its Python launcher would
# add a process and an interpreter start); else the duckdb Python module.
DUCKDB=""
if py_has duckdb_cli; then
  d=$("$PY" -c 'import duckdb_cli, os; print(os.path.join(os.path.dirname(duckdb_cli.__file__), "duckdb"))')
  [ -x "$d" ] && DUCKDB=$(realpath --relative-to=. "$d")
fi
[ -n "$DUCKDB" ] || { have duckdb && DUCKDB=duckdb; } || true

# kensho: a release build at the repository root. A failed build is not replaced by
# whatever older binary is lying in .build: the peers are timed alone instead.
KENSHO_NOTE=""
if [ -z "$KENSHO" ]; then
  KENSHO=.build/release/kensho
  if [ "$BUILD" = 1 ]; then
    say "building kensho: swift build -c release (log: $B/results/build.log)"
    if ! swift build -c release >"$B/results/build.log" 2>&1; then
      KENSHO_NOTE="swift build -c release failed (see $B/results/build.log)"
      tail -n 15 "$B/results/build.log" >&2
    fi
  fi
fi
if [ -z "$KENSHO_NOTE" ] && [ ! -x "$KENSHO" ]; then KENSHO_NOTE="not built ($KENSHO missing)"; fi
[ -z "$KENSHO_NOTE" ] || warn "kensho: $KENSHO_NOTE; timing the peers only"

# ---------------------------------------------------------------------------
# Data, generated once: a file is complete when its .meta.json exists and the stamp
# matches this generator.

GEN_SUM=$(sha256sum "$B/generate.py" | cut -c1-16)
gen_jobs=()
generate() { # TARGET... -- generate.py ARGS...
  local targets=() t fresh=1
  while [ "$1" != -- ]; do targets+=("$1"); shift; done; shift
  for t in "${targets[@]}"; do
    [ -f "$t.meta.json" ] && [ "$(cat "$t.stamp" 2>/dev/null)" = "$GEN_SUM" ] || fresh=0
  done
  [ $fresh = 1 ] && return 0
  say "generating ${targets[*]}"
  (
    rm -f "${targets[@]/%/.meta.json}"
    python3 "$B/generate.py" "$@" >&2
    for t in "${targets[@]}"; do echo "$GEN_SUM" >"$t.stamp"; done
  ) &
  gen_jobs+=($!)
}
th() { # 1000000 -> 1,000,000
  local s=$1 out=""
  while [ ${#s} -gt 3 ]; do out=",${s: -3}$out"; s=${s:0:${#s}-3}; done
  printf '%s' "$s$out"
}
size_mb() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf (b < 1e7 ? "%.1f MB" : "%.0f MB"), b / 1e6 }'; }

# ---------------------------------------------------------------------------
# Workload registry.

declare -A W_TITLE W_EXPECT W_TOOLS CMD NOTE
WORKLOADS=()
workload() { # NAME TITLE EXPECTED_COUNT
  WORKLOADS+=("$1"); W_TITLE[$1]=$2; W_EXPECT[$1]=$3; W_TOOLS[$1]=""
}
tool() { # WORKLOAD TOOL COMMAND [NOTE] - COMMAND is one shell command line; it prints the count last
  if [ "$2" != kensho ] && [ -n "$PEERS" ] && [[ ",$PEERS," != *",$2,"* ]]; then return 0; fi
  W_TOOLS[$1]+="$2 "; CMD[$1/$2]=$3; NOTE[$1/$2]=${4-}
}
q() { # quote one word for a command line, readably
  local s=$1
  if [[ $s =~ ^[A-Za-z0-9_./=:,+-]+$ ]]; then printf '%s' "$s"
  elif [[ $s != *"'"* ]]; then printf "'%s'" "$s"
  elif [[ $s != *[\"\$\`\\!]* ]]; then printf '"%s"' "$s"
  else printf '%q' "$s"; fi
}

# DuckDB: the CLI when there is one, else the Python module (the SQL is passed as an argument).
duck() { # SQL
  if [ -n "$DUCKDB" ]; then echo "$DUCKDB -csv -noheader -c $(q "$1")"
  else echo "$PY -c 'import duckdb, sys; print(duckdb.sql(sys.argv[1]).fetchone()[0])' $(q "$1")"; fi
}
have_duckdb() { [ -n "$DUCKDB" ] || py_has duckdb; }

# (a) load a patron CSV and count its rows.
data_load_count() {
  local p=$B/data/patrons-$ROWS-s$SEED.csv
  generate "$p" -- patrons -o "$p" --rows "$ROWS" --seed "$SEED"
}
workload_load_count() {
  local p=$B/data/patrons-$ROWS-s$SEED.csv
  workload load_count "load a $(th "$ROWS")-row patron CSV ($(size_mb "$p"), UTF-8, quoted newlines) and count the rows" "$ROWS"
  tool load_count kensho "$(q "$KENSHO") --no-journal -c $(q "load \"$p\" as p; p | count") --format csv"
  if have_duckdb; then
    tool load_count duckdb "$(duck "select count(*) from read_csv('$p')")" \
      "count(*) straight over read_csv: DuckDB may skip building the columns"
    tool load_count duckdb-table "$(duck "create table p as from read_csv('$p'); select count(*) from p")" \
      "materializes the table first, as kensho's load does"
  fi
  have sqlite3 && tool load_count sqlite3 "sqlite3 -batch :memory: $(q ".import --csv $p p") 'select count(*) from p;'" \
    "in-memory database; .import --csv makes every column TEXT"
  py_has polars && tool load_count polars \
    "$PY -c 'import polars as pl, sys; print(pl.read_csv(sys.argv[1], infer_schema=False).height)' $(q "$p")" \
    "read_csv with every column as String (no type inference), materialized"
  py_has pandas && tool load_count pandas \
    "$PY -c 'import pandas as pd, sys; print(len(pd.read_csv(sys.argv[1], dtype=str)))' $(q "$p")" \
    "read_csv with dtype=str, C parser"
  return 0
}

# (b) inner join of two tables on a text key, counting the matches.
data_join_text_key() {
  local a=$B/data/keys-a-$ROWS-$SHARED-s$SEED.csv b=$B/data/keys-b-$ROWS-$SHARED-s$SEED.csv
  generate "$a" "$b" -- keys -o "$a" -b "$b" --rows "$ROWS" --shared "$SHARED" --seed "$SEED"
}
workload_join_text_key() {
  local a=$B/data/keys-a-$ROWS-$SHARED-s$SEED.csv b=$B/data/keys-b-$ROWS-$SHARED-s$SEED.csv
  workload join_text_key "inner join of two $(th "$ROWS")-row tables on a text key ($(th "$SHARED") matches), count the result" "$SHARED"
  tool join_text_key kensho "$(q "$KENSHO") --no-journal -c $(q "load \"$a\" as a; load \"$b\" as b; a | join b on key | count") --format csv"
  if have_duckdb; then
    tool join_text_key duckdb "$(duck "select count(*) from read_csv('$a', columns={'key': 'VARCHAR'}) a join read_csv('$b', columns={'key': 'VARCHAR'}) b using (key)")" \
      "hash join over read_csv, key typed VARCHAR"
  fi
  have sqlite3 && tool join_text_key sqlite3 \
    "sqlite3 -batch :memory: $(q ".import --csv $a a") $(q ".import --csv $b b") 'select count(*) from a join b using (key);'" \
    "no explicit index: SQLite's planner builds an automatic covering index on b(key) for the join"
  py_has polars && tool join_text_key polars \
    "$PY -c 'import polars as pl, sys; s = {\"key\": pl.String}; print(pl.scan_csv(sys.argv[1], schema=s).join(pl.scan_csv(sys.argv[2], schema=s), on=\"key\").select(pl.len()).collect().item())' $(q "$a") $(q "$b")" \
    "lazy scan_csv + join, key typed String"
  py_has pandas && tool join_text_key pandas \
    "$PY -c 'import pandas as pd, sys; print(len(pd.read_csv(sys.argv[1], dtype=str).merge(pd.read_csv(sys.argv[2], dtype=str), on=\"key\")))' $(q "$a") $(q "$b")" \
    "read_csv dtype=str + merge"
  return 0
}

# Generate the data of all selected workloads at once (the generators run in
# parallel, one per core), then register the workloads.
selected=()
for w in "${ALL_WORKLOADS[@]}"; do
  if [ -z "$ONLY" ] || [[ ",$ONLY," == *",$w,"* ]]; then selected+=("$w"); fi
done
for w in "${selected[@]}"; do "data_$w"; done
ok=1
for j in "${gen_jobs[@]}"; do wait "$j" || ok=0; done
[ $ok = 1 ] || { echo "run.sh: error: data generation failed" >&2; exit 1; }
for w in "${selected[@]}"; do "workload_$w"; done
for t in ${PEERS//,/ }; do
  [[ " ${W_TOOLS[*]} " == *" $t "* ]] || warn "--peers: no workload has a tool '$t'"
done

# ---------------------------------------------------------------------------
# Timing.

FAILED=0
LOAD_START=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo ?)
if awk -v l="$LOAD_START" -v n="$(nproc)" 'BEGIN { exit !(l + 0 > n / 2) }'; then
  warn "load average $LOAD_START on $(nproc) cores: other work is running, the timings will be noisy"
fi
RAW=$B/results/latest.tsv
printf 'workload\ttool\tround\twall_s\tmaxrss_kb\tcount\texit\n' >"$RAW"
declare -A COUNT STATUS

run_one() { # WORKLOAD TOOL ROUND(0 = warm-up) -> appends to RAW, sets COUNT/STATUS
  local w=$1 t=$2 r=$3 rc=0 wall rss count
  /usr/bin/time -f '%e %M' -o "$TMP/time" timeout "$TIMEOUT" bash -c "exec ${CMD[$w/$t]}" \
    >"$TMP/out" 2>"$TMP/err" </dev/null || rc=$?
  read -r wall rss < <(tail -n 1 "$TMP/time")
  count=$(awk 'NF { last = $0 } END { n = split(last, f, ","); v = f[n]; gsub(/[" \r\t]/, "", v); print v }' "$TMP/out")
  if [ "$rc" != 0 ] || ! [[ $count =~ ^[0-9]+$ ]]; then
    local why="exit $rc"; [ "$rc" = 124 ] && why="timed out after ${TIMEOUT}s"
    STATUS[$w/$t]="failed ($why): $(grep -m1 -v '^[[:space:]]*$' "$TMP/err" | cut -c1-160)"
    warn "$w/$t round $r: ${STATUS[$w/$t]}"
    return 1
  fi
  COUNT[$w/$t]=$count
  [ "$r" = 0 ] || printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$w" "$t" "$r" "$wall" "$rss" "$count" "$rc" >>"$RAW"
  local want=${W_EXPECT[$w]}
  if [ "$count" != "$want" ]; then
    STATUS[$w/$t]="**MISMATCH**: counted $count, expected $want"
    warn "MISMATCH: $w/$t counted $count, expected $want"
  fi
  return 0
}

for w in "${WORKLOADS[@]}"; do
  read -r -a tools <<<"${W_TOOLS[$w]}"
  live=()
  for t in "${tools[@]}"; do
    if [ "$t" = kensho ] && [ -n "$KENSHO_NOTE" ]; then STATUS[$w/$t]=$KENSHO_NOTE; continue; fi
    STATUS[$w/$t]=ok; live+=("$t")
  done
  total=$(( WARMUP + RUNS ))
  for (( r = 1; r <= total; r++ )); do
    timed=$(( r - WARMUP )); (( timed < 0 )) && timed=0
    n=${#live[@]}
    (( n > 0 )) || break
    say "$w: round $r/$total$([ "$timed" = 0 ] && echo ' (warm-up)')"
    next=()
    for (( i = 0; i < n; i++ )); do  # rotate the order every round
      t=${live[$(( (i + r - 1) % n ))]}
      if run_one "$w" "$t" "$timed"; then next+=("$t"); else FAILED=1; fi
    done
    live=()  # keep the original order for the rotation
    for t in "${tools[@]}"; do [[ " ${next[*]} " == *" $t "* ]] && live+=("$t"); done
  done
done

# ---------------------------------------------------------------------------
# Report.

LOAD_END=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo ?)

stat_of() { # WORKLOAD TOOL -> "median min max maxrss_kb n"
  awk -F'\t' -v w="$1" -v t="$2" '
    $1 == w && $2 == t { v[n++] = $4; if ($5 > rss) rss = $5 }
    END {
      if (n == 0) { print "- - - - 0"; exit }
      for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (v[j] < v[i]) { x = v[i]; v[i] = v[j]; v[j] = x }
      med = (n % 2) ? v[int(n / 2)] : (v[n / 2 - 1] + v[n / 2]) / 2
      printf "%.2f %.2f %.2f %s %d\n", med, v[0], v[n - 1], rss, n
    }' "$RAW"
}

report() {
  local cpu dver sver pver pdver kver
  cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
  dver=$({ [ -n "$DUCKDB" ] && "$DUCKDB" --version 2>/dev/null | awk '{ print $1 }'; } || { py_has duckdb && "$PY" -c 'import duckdb; print(duckdb.__version__, "(Python)")'; } || echo none)
  sver=$(sqlite3 --version 2>/dev/null | awk '{ print $1 }' || echo none)
  pver=$(py_has polars && "$PY" -c 'import polars; print(polars.__version__)' || echo none)
  pdver=$(py_has pandas && "$PY" -c 'import pandas; print(pandas.__version__)' || echo none)
  kver=$(git log -1 --format=%h 2>/dev/null || echo "no commit")
  [ -n "$(git status --porcelain -- Sources Package.swift 2>/dev/null)" ] && kver="$kver + uncommitted changes"
  [ "$KENSHO_GIVEN" = 1 ] && kver="given with --kensho (not built from $kver)"
  echo "# kensho benchmarks"
  echo
  echo "- run: $(date -u +%Y-%m-%dT%H:%MZ), \`bash Benchmarks/run.sh${ARGS:+ $ARGS}\` ($(th "$ROWS") rows, $RUNS rounds, seed $SEED)"
  echo "- machine: $cpu, $(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 }') GiB, $(uname -sr);" \
    "load average $LOAD_START before the timing, $LOAD_END after (above $(nproc) means other work shared the cores)"
  echo "- tools: kensho $kver (release), DuckDB $dver, SQLite $sver, polars $pver, pandas $pdver, $("$PY" --version 2>&1)"
  echo
  echo "Median wall time of $RUNS timed rounds after $WARMUP warm-up round(s); the tools alternate and the"
  echo "order rotates each round. **kensho ÷ tool** is kensho's median over the tool's: above 1 kensho is"
  echo "slower. Peak RSS is the largest of the timed rounds (\`/usr/bin/time -f '%e %M'\`)."
  local w t s med lo hi rss n ratio kmed
  for w in "${WORKLOADS[@]}"; do
    echo
    echo "## $w: ${W_TITLE[$w]}"
    echo
    echo "| tool | median s | min s | max s | kensho ÷ tool | peak RSS MB | count | check |"
    echo "|---|---:|---:|---:|---:|---:|---:|---|"
    read -r kmed _ <<<"$(stat_of "$w" kensho)"
    for t in ${W_TOOLS[$w]}; do
      read -r med lo hi rss n <<<"$(stat_of "$w" "$t")"
      ratio="–"
      if [ "$n" -gt 0 ] && [ "$kmed" != - ] && [ "$t" != kensho ]; then
        ratio=$(awk -v a="$kmed" -v b="$med" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "–" }')
      fi
      [ "$rss" = - ] || rss=$(awk -v k="$rss" 'BEGIN { printf "%.0f", k / 1024 }')
      echo "| $t | $med | $lo | $hi | $ratio | $rss | ${COUNT[$w/$t]:-–} | ${STATUS[$w/$t]} |"
    done
    echo
    echo "Commands (from the repository root):"
    echo
    for t in ${W_TOOLS[$w]}; do
      echo "- $t: \`${CMD[$w/$t]}\`${NOTE[$w/$t]:+ — ${NOTE[$w/$t]}}"
    done
  done
  for w in "${WORKLOADS[@]}"; do
    for t in ${W_TOOLS[$w]}; do
      if [[ ${STATUS[$w/$t]} == *MISMATCH* ]]; then
        echo
        echo "**COUNT MISMATCH: see the check column. A timing of a wrong answer means nothing.**"
        return 0
      fi
    done
  done
}

for w in "${WORKLOADS[@]}"; do  # every peer must also agree with kensho itself
  k=${COUNT[$w/kensho]-}
  for t in ${W_TOOLS[$w]}; do
    c=${COUNT[$w/$t]-}
    if [ "$t" != kensho ] && [ -n "$k" ] && [ -n "$c" ] && [ "$c" != "$k" ]; then
      STATUS[$w/$t]="**MISMATCH** with kensho, which counted $k"
      warn "MISMATCH: $w/$t counted $c, kensho $k"
    fi
    [[ ${STATUS[$w/$t]} == *MISMATCH* ]] && FAILED=1
  done
done
report | tee "$B/results/latest.md"
say "written $B/results/latest.md and $RAW"
exit $FAILED
