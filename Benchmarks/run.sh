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
# to ALL_WORKLOADS. A peer that cannot compute the same answer is declared with
# `cannot` (what it cannot do, and the range or value its own answer must have).

set -euo pipefail

usage() {
  cat <<'EOF'
usage: bash Benchmarks/run.sh [options]

  --rows N        rows per generated table (default 1000000)
  --runs R        timed rounds per workload (default 5)
  --warmup W      untimed rounds first (default 1)
  --shared N      matching keys / shared people in the join workloads (default rows/100)
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
ALL_WORKLOADS=(load_count join_text_key fingerprint fingerprint_1core join_fingerprint sweep tree_diff latency)
# (each has data_NAME and workload_NAME below)
for w in ${ONLY//,/ }; do
  [[ " ${ALL_WORKLOADS[*]} " == *" $w "* ]] || die_usage "unknown workload '$w' (known: ${ALL_WORKLOADS[*]})"
done
[ "$SHARED" -le "$ROWS" ] || die_usage "--shared $SHARED is more than --rows $ROWS"
DUPS=$(( ROWS / 10 ))                                        # fingerprint: re-spelled second rows
SYSTEMS=40 SYSROWS=$(( ROWS * 3 / 2 < 30000 ? 30000 : ROWS * 3 / 2 ))  # sweep: files, rows in all
FILES=$(( ROWS * 3 / 1000 < 300 ? 300 : ROWS * 3 / 1000 ))    # tree_diff: files in the before tree

# Everything runs from the repository root with relative paths, so the commands in the
# report can be pasted as they are and hold no path of this machine.
[ -z "$KENSHO" ] || KENSHO=$(realpath -m -- "$KENSHO")
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ -n "$KENSHO" ]; then  # relative to the root when it lies inside the repository
  rel=$(realpath -m --relative-to=. -- "$KENSHO")
  [[ $rel == ../* ]] || KENSHO=$rel
  [[ $KENSHO == */* ]] || KENSHO=./$KENSHO  # a bare name would be looked up in PATH
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
have taskset || missing_pkgs+=(util-linux)
have iconv || missing_pkgs+=(libc-bin)
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
# polars-hash (a polars plugin: SHA-256 as an expression) is optional: without it the
# polars peer of the fingerprint workloads hashes with hashlib through map_elements.
if [ "$INSTALL" = 1 ] && [ -x "$VENV/bin/pip" ] && py_has polars && ! py_has polars_hash; then
  say "installing polars-hash into $VENV (log: $B/results/install.log)"
  "$VENV/bin/pip" install -q polars-hash >>"$B/results/install.log" 2>&1 \
    || warn "pip install polars-hash failed; the polars peer will hash with hashlib (see $B/results/install.log)"
fi
POLARS_HASHING="hashlib through map_elements (polars-hash is not installed)"
py_has polars_hash && POLARS_HASHING="polars-hash $("$PY" -c 'from importlib.metadata import version; print(version("polars-hash"))' 2>/dev/null)"

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
gen_jobs=() after_steps=()
declare -A GEN_SCHEDULED
marker() { case $1 in */) echo "${1}manifest.json" ;; *) echo "$1.meta.json" ;; esac; }
generate() { # TARGET... -- generate.py ARGS...  (a TARGET ending in / is a directory with a manifest.json)
  local targets=() t fresh=1
  while [ "$1" != -- ]; do targets+=("$1"); shift; done; shift
  for t in "${targets[@]}"; do [ -z "${GEN_SCHEDULED[$t]-}" ] || return 0; done  # another workload's
  for t in "${targets[@]}"; do
    GEN_SCHEDULED[$t]=1
    [ -f "$(marker "$t")" ] && [ "$(cat "${t%/}.stamp" 2>/dev/null)" = "$GEN_SUM" ] || fresh=0
  done
  [ $fresh = 1 ] && return 0
  say "generating ${targets[*]}"
  (
    for t in "${targets[@]}"; do
      rm -f "$(marker "$t")" "${t%/}.stamp"
      case $t in */) rm -rf "$t" ;; esac
    done
    python3 "$B/generate.py" "$@" >&2
    for t in "${targets[@]}"; do echo "$GEN_SUM" >"${t%/}.stamp"; done
  ) &
  gen_jobs+=($!)
}
after() { after_steps+=("$1"); }  # a data step that needs the first generators' files
meta() { # FILE_OR_DIR/ KEY.KEY... -> a value from FILE.meta.json or DIR/manifest.json
  python3 -c 'import json, sys
v = json.load(open(sys.argv[1], encoding="utf-8"))
for k in sys.argv[2].split("."): v = v[k]
print(v)' "$(marker "$1")" "$2"
}
th() { # 1000000 -> 1,000,000
  local s=$1 out=""
  while [ ${#s} -gt 3 ]; do out=",${s: -3}$out"; s=${s:0:${#s}-3}; done
  printf '%s' "$s$out"
}
size_mb() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf (b < 1e7 ? "%.1f MB" : "%.0f MB"), b / 1e6 }'; }

# ---------------------------------------------------------------------------
# Workload registry.

declare -A W_TITLE W_EXPECT W_FORM W_TRUTH W_TOOLS CMD NOTE CANNOT RANGE T_EXPECT STMT_J STMT_M STMT_ROWS
WORKLOADS=()
workload() { # NAME TITLE EXPECTED [FORM]
  # FORM: count (the last field of the last line is a number: the default), classes (lines
  # `class,n`, compared as one sorted list), none (nothing to check: start-up times)
  WORKLOADS+=("$1"); W_TITLE[$1]=$2; W_EXPECT[$1]=$3; W_FORM[$1]=${4:-count}; W_TOOLS[$1]=""; W_TRUTH[$1]=""
}
truth() { W_TRUTH[$1]=$2; }  # WORKLOAD TEXT: the ground truth, in words, printed under the table
tool() { # WORKLOAD TOOL COMMAND [NOTE] - COMMAND is one shell command line; it prints the count last
  if [[ $2 != kensho* ]] && [ -n "$PEERS" ] && [[ ",$PEERS," != *",$2,"* ]]; then return 0; fi
  W_TOOLS[$1]+="$2 "; CMD[$1/$2]=$3; NOTE[$1/$2]=${4-}
}
cannot() { # WORKLOAD TOOL WHAT [LO HI | =VALUE]
  # The tool cannot compute what kensho computes (WHAT says why); its answer is reported
  # against the truth, not marked a mismatch, as long as it lies in [LO, HI] (or equals
  # VALUE, what this tool must answer by its own rules); outside that it is a MISMATCH.
  [[ " ${W_TOOLS[$1]} " == *" $2 "* ]] || return 0
  CANNOT[$1/$2]=$3
  case ${4-} in =*) T_EXPECT[$1/$2]=${4#=} ;; '') ;; *) RANGE[$1/$2]="$4 $5" ;; esac
}
stmt() { # WORKLOAD TOOL JOURNAL STATEMENT [ROWS]: also report the journal's ms= for STATEMENT
  [[ " ${W_TOOLS[$1]} " == *" $2 "* ]] || return 0
  STMT_J[$1/$2]=$3; STMT_M[$1/$2]=$4; STMT_ROWS[$1/$2]=${5-}
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

# The best-effort person key of the peers, per field: lower case, every space, hyphen-like
# character and bracket removed (polars also applies NFKC first: keyed_polars.py). DuckDB
# has no NFKC; neither has era dates, date parsing across formats, or kana folding.
DUCK_KEY="create macro k(x) as lower(regexp_replace(x, '[ 　‐‑–—－−()（）-]', '', 'g'));"
FP_DEF="fingerprint person = name + birthdate + phone"
CANNOT_DUCK="no NFKC (full-width digits, letters and hyphens stay as typed), no era dates (昭和50年4月3日), no date parsing (1975/4/3 and 1975-04-03 differ): its key cannot unify the re-spelled copies"
CANNOT_POLARS="NFKC, but no era dates (昭和50年4月3日) and no date parsing (1975/4/3 and 1975-04-03 differ; 19750403 agrees once hyphens are stripped): its key cannot unify the re-spelled copies"
journal() { echo "$B/results/journal-$1.kensho"; }  # kensho writes it; run_one deletes it before each run

# (c) key and fingerprint name + birthdate + phone over 1M patron rows, count distinct.
data_fingerprint() {
  local f=$B/data/patrons-$ROWS-d$DUPS-s$SEED.csv
  generate "$f" -- patrons -o "$f" --rows "$ROWS" --duplicates "$DUPS" --seed "$SEED"
}
data_fingerprint_1core() { data_fingerprint; }
workload_fingerprint() { fingerprint_workload fingerprint ""; }
workload_fingerprint_1core() { fingerprint_workload fingerprint_1core "taskset -c 0 "; }
fingerprint_workload() { # NAME PREFIX
  local w=$1 pre=$2 f=$B/data/patrons-$ROWS-d$DUPS-s$SEED.csv people threads="" penv="" j
  people=$(meta "$f" people)
  j=$(journal "$w")
  if [ -n "$pre" ]; then threads="set threads = 1; "; penv="env POLARS_MAX_THREADS=1 "; fi
  workload "$w" "fingerprint name + birthdate + phone over $(th "$ROWS") patron rows$([ -n "$pre" ] && echo ', every tool on one core (taskset -c 0)'), count the distinct fingerprints" "$people"
  truth "$w" "$(th "$ROWS") rows hold $(th "$people") distinct people: $(th "$DUPS") of them appear a second time, re-spelled as a re-keyed copy is (other separators and widths, 1975/4/3, 昭和50年4月3日, 19750403, full-width digits, 090(1234)5678)."
  tool "$w" kensho "${pre}$(q "$KENSHO") --journal $j -c $(q "load \"$f\" as p; $FP_DEF; p | fingerprint person | distinct person | count") --format csv" \
    "name, date and phone keyers, SHA-256 fingerprint"
  stmt "$w" kensho "$j" "p | fingerprint person" "$ROWS"
  if have_duckdb; then
    tool "$w" duckdb "${pre}$(duck "$threads$DUCK_KEY select count(distinct sha256(k(氏名) || '|' || k(生年月日) || '|' || k(電話番号))) from read_csv('$f', all_varchar=true)")" \
      "lower + regexp_replace of spaces, hyphens and brackets per field, sha256"
    cannot "$w" duckdb "$CANNOT_DUCK" "$people" "$ROWS"
  fi
  if py_has polars; then
    tool "$w" polars "${pre}${penv}$PY $B/peers/keyed_polars.py distinct $(q "$f")" \
      "str.normalize('NFKC') + lower + spaces, hyphens and brackets removed per field, SHA-256 by $POLARS_HASHING"
    cannot "$w" polars "$CANNOT_POLARS" "$people" "$ROWS"
  fi
  return 0
}

# (d) join two patron files on the fingerprint.
data_join_fingerprint() {
  data_load_count  # the first file is load_count's
  after data2_join_fingerprint
}
data2_join_fingerprint() {
  local a=$B/data/patrons-$ROWS-s$SEED.csv b=$B/data/patrons-$ROWS-shared$SHARED-s$SEED.csv
  generate "$b" -- patrons -o "$b" --rows "$ROWS" --seed "$(( SEED + 1 ))" --shared-with "$a" --shared "$SHARED"
}
workload_join_fingerprint() {
  local w=join_fingerprint a=$B/data/patrons-$ROWS-s$SEED.csv b=$B/data/patrons-$ROWS-shared$SHARED-s$SEED.csv j
  j=$(journal $w)
  workload $w "join two $(th "$ROWS")-row patron files on fingerprint name + birthdate + phone, count the matches" "$SHARED"
  truth $w "the files share exactly $(th "$SHARED") people (nobody else), every one re-spelled in the second file (half-width kana, U+3000 or no spaces, y/m/d, era or compact dates, full-width digits, no hyphens)."
  tool $w kensho "$(q "$KENSHO") --journal $j -c $(q "load \"$a\" as a; load \"$b\" as b; $FP_DEF; a | join b on person | count") --format csv" \
    "fingerprint join (both sides keyed and hashed)"
  stmt $w kensho "$j" "a | join b on person" "$(( 2 * ROWS ))"
  if have_duckdb; then
    tool $w duckdb "$(duck "$DUCK_KEY select count(*) from (select sha256(k(氏名) || '|' || k(生年月日) || '|' || k(電話番号)) h from read_csv('$a', all_varchar=true)) a join (select sha256(k(氏名) || '|' || k(生年月日) || '|' || k(電話番号)) h from read_csv('$b', all_varchar=true)) b using (h)")" \
      "hash join on the best-effort key (as in fingerprint)"
    cannot $w duckdb "$CANNOT_DUCK" 0 "$SHARED"
  fi
  if py_has polars; then
    tool $w polars "$PY $B/peers/keyed_polars.py join $(q "$a") $(q "$b")" \
      "lazy join on the best-effort key (as in fingerprint), SHA-256 by $POLARS_HASHING"
    cannot $w polars "$CANNOT_POLARS" 0 "$SHARED"
  fi
  return 0
}

# (e) a sweep over ~40 libraries' exports: who is in two or more of them.
SYS_DIR=$B/data/systems-$SYSTEMS-$SYSROWS-s$SEED
data_sweep() {
  generate "$SYS_DIR/" -- systems -o "$SYS_DIR" --systems "$SYSTEMS" --rows "$SYSROWS" --seed "$SEED"
  after data2_sweep
}
data2_sweep() { # UTF-8 copies for the peers (iconv for the CP932 files), made once, not timed
  local src=$SYS_DIR dst=$SYS_DIR-utf8 f enc
  [ -d "$dst" ] && [ "$(cat "$dst.stamp" 2>/dev/null)" = "$GEN_SUM" ] && return 0
  say "converting $src to UTF-8 in $dst (for the peers; not timed)"
  rm -rf "$dst" "$dst.stamp"
  mkdir -p "$dst"
  while IFS=$'\t' read -r f enc; do
    if [ "$enc" = cp932 ]; then
      iconv -f CP932 -t UTF-8 "$src/$f" >"$dst/$f" || { echo "run.sh: error: iconv -f CP932 failed on $src/$f" >&2; exit 1; }
    else
      cp "$src/$f" "$dst/$f"
    fi
  done < <(python3 -c 'import json, sys
for f in json.load(open(sys.argv[1], encoding="utf-8"))["files"]: print(f["file"], f["encoding"], sep="\t")' "$src/manifest.json")
  echo "$GEN_SUM" >"$dst.stamp"
}
workload_sweep() {
  local w=sweep u=$SYS_DIR-utf8 rows people cp j
  rows=$(meta "$SYS_DIR/" truth.rows_of_those_people)
  people=$(meta "$SYS_DIR/" truth.people_in_two_or_more_files)
  cp=$(python3 -c 'import json, sys; print(sum(f["encoding"] == "cp932" for f in json.load(open(sys.argv[1]))["files"]))' "$SYS_DIR/manifest.json")
  j=$(journal $w)
  workload $w "sweep $SYSTEMS libraries' exports ($(th "$SYSROWS") rows, $cp files CP932, three header dialects): count the rows of people found in two or more files" "$rows"
  truth $w "$(th "$people") people are in two or more files (leaked lists, re-spelled in 70% of the copies), in $(th "$rows") rows (DIR/manifest.json)."
  tool $w kensho "$(q "$KENSHO") --journal $j -c $(q "load \"$SYS_DIR/*.csv\"; $FP_DEF; occurrences person | count") --format csv" \
    "the raw files, CP932 detected per file; the columns found by role from three header dialects"
  stmt $w kensho "$j" "occurrences person" "$SYSROWS"
  if have_duckdb; then
    tool $w duckdb "$(duck "$DUCK_KEY with r as (select filename f, sha256(k(coalesce(氏名, 名前, name)) || '|' || k(coalesce(生年月日, birthdate)) || '|' || k(coalesce(電話番号, 電話, tel))) h from read_csv('$u/*.csv', all_varchar=true, union_by_name=true, filename=true)) select count(*) from r where h in (select h from r group by h having count(distinct f) >= 2)")" \
      "UTF-8 copies made with iconv beforehand (not timed); read_csv over the glob with union_by_name, the three dialects' columns mapped by hand with coalesce; best-effort key"
    cannot $w duckdb "reads no CP932 (given UTF-8 copies); $CANNOT_DUCK" 0 "$rows"
  fi
  if py_has polars; then
    tool $w polars "$PY $B/peers/keyed_polars.py sweep $(q "$u")" \
      "UTF-8 copies made with iconv beforehand (not timed); one scan_csv per file, columns mapped by hand; best-effort key, SHA-256 by $POLARS_HASHING"
    cannot $w polars "reads no CP932 (given UTF-8 copies); $CANNOT_POLARS" 0 "$rows"
  fi
  return 0
}

# (f) two trees of a web server, before and after: what changed, by class.
TREE_DIR=$B/data/trees-$FILES-s$SEED
data_tree_diff() {
  generate "$TREE_DIR/" -- trees -o "$TREE_DIR" --files "$FILES" --seed "$SEED"
}
workload_tree_diff() {
  local w=tree_diff t=$TREE_DIR classes hd nb na bb j
  classes=$(python3 -c 'import json, sys
c = json.load(open(sys.argv[1]))["classes"]; print(" ".join(f"{k}:{v}" for k, v in sorted(c.items()) if v))' "$t/manifest.json")
  # hashdeep's four classes follow from the truth: matched = same, moved = moved + copied,
  # new = modified + new, known files not found = modified + deleted, less one per
  # duplicate pair replaced by one copy (that copy "uses" one of the pair's two entries)
  hd=$(python3 -c 'import json, sys
m = json.load(open(sys.argv[1])); c = m["classes"]; g = m["scenarios"]["duplicate_pairs_replaced_by_one_copy"]
print(" ".join(f"{k}:{v}" for k, v in sorted({"matched": c["same"], "moved": c["moved"] + c["copied"], "new": c["modified"] + c["new"], "not_found": c["modified"] + c["deleted"] - g}.items()) if v))' "$t/manifest.json")
  nb=$(meta "$t/" files_before); na=$(meta "$t/" files_after); bb=$(meta "$t/" bytes_before)
  j=$(journal $w)
  workload $w "diff two trees of a web server ($(th "$nb") files, $(awk -v b="$bb" 'BEGIN { printf "%.0f", b / 1e6 }') MB before; $(th "$na") files after): count the changes by class" "$classes" classes
  truth $w "$(echo "$classes" | sed 's/:/ /g; s/ \([a-z]\)/, \1/g') (DIR/manifest.json lists every change)."
  tool $w kensho "$(q "$KENSHO") --journal $j -c $(q "load \"$t/before\" as before; load \"$t/after\" as after; diff before after | count by class") --format csv" \
    "both trees hashed (SHA-256) into manifests, then compared"
  stmt $w kensho "$j" "diff before after"
  tool $w script "python3 $B/peers/tree_diff.py $(q "$t/before") $(q "$t/after")" \
    "a plain Python script: hashlib over both trees (one core), dicts and sets for the six classes"
  if have hashdeep; then
    tool $w hashdeep "bash $B/peers/hashdeep_audit.sh $(q "$t/before") $(q "$t/after")" \
      "hashdeep -c sha256 -r -l of before into a known list, then hashdeep -c sha256 -a -v -k of after; its audit summary"
    cannot $w hashdeep "four classes only (matched, moved, new, known not found): a copy is 'moved', a modified file is 'new' plus 'known file not found', a move and a copy cannot be told apart; so its answer is compared with the four counts the truth implies" "=$hd"
  fi
  return 0
}

# (g) latency: start-up, and a count by over a loaded 1M-row table.
data_latency() { data_load_count; }
workload_latency() {
  local p=$B/data/patrons-$ROWS-s$SEED.csv n j
  workload latency_start "start-up: an empty session, process start to exit" - none
  tool latency_start kensho "$(q "$KENSHO") --no-journal -c ''" "-c with no statements"
  tool latency_start kensho-stdin "echo '' | $(q "$KENSHO") --no-journal" "an empty line on standard input (the non-terminal REPL)"
  [ -n "$DUCKDB" ] && tool latency_start duckdb "$DUCKDB -c ''" "the DuckDB CLI, for scale"
  have sqlite3 && tool latency_start sqlite3 "sqlite3 :memory: ''" "for scale"
  tool latency_start harness "true" "the harness alone (time, timeout, bash, exec): part of every number here"
  n=$(meta "$p" distinct.郵便番号)
  j=$(journal latency_count_by)
  workload latency_count_by "count by 郵便番号 over a loaded $(th "$ROWS")-row patron table, counting the groups" "$n"
  tool latency_count_by kensho "$(q "$KENSHO") --journal $j -c $(q "load \"$p\" as p; p | count by 郵便番号 | count") --format csv" \
    "the statement's own time is the line under the table; the wall time includes the load"
  stmt latency_count_by kensho "$j" "p | count by 郵便番号" "$ROWS"
  if have_duckdb; then
    tool latency_count_by duckdb "$(duck "select count(*) from (select 郵便番号 from read_csv('$p', all_varchar=true) group by all)")" \
      "whole process, reading the file included: compare with kensho's wall time, not with the statement's"
  fi
  return 0
}

# Generate the data of all selected workloads at once (the generators run in
# parallel, one per core), then register the workloads.
selected=()
for w in "${ALL_WORKLOADS[@]}"; do
  if [ -z "$ONLY" ] || [[ ",$ONLY," == *",$w,"* ]]; then selected+=("$w"); fi
done
for w in "${selected[@]}"; do "data_$w"; done
wait_generators() {
  local ok=1 j
  for j in "${gen_jobs[@]}"; do wait "$j" || ok=0; done
  gen_jobs=()
  [ $ok = 1 ] || { echo "run.sh: error: data generation failed" >&2; exit 1; }
}
wait_generators
for f in "${after_steps[@]}"; do "$f"; done  # steps that need the files made above
wait_generators
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
printf 'workload\ttool\tround\twall_s\tmaxrss_kb\tcount\texit\tstatement_ms\n' >"$RAW"
declare -A COUNT STATUS

answer_of() { # FORM OUTPUT_FILE -> the answer a tool printed
  case $1 in
    count) awk 'NF { last = $0 } END { n = split(last, f, ","); v = f[n]; gsub(/[" \r\t]/, "", v); print v }' "$2" ;;
    classes) tr -d '\r"' <"$2" | awk -F, '$1 ~ /^[a-z_]+$/ && $2 ~ /^[0-9]+$/ && $2 > 0 { print $1 ":" $2 }' | sort | paste -sd' ' ;;
    none) echo - ;;
  esac
}
statement_ms() { # JOURNAL STATEMENT -> the ms= of the first entry that starts with STATEMENT
  awk -v s="$2" 'index($0, s) == 1 { hit = 1; next }
    hit && /^--= / { for (i = 2; i <= NF; i++) if ($i ~ /^ms=/) { print substr($i, 4); exit } }' "$1" 2>/dev/null
}
judge() { # WORKLOAD TOOL ANSWER -> sets STATUS
  local w=$1 t=$2 a=$3 want=${W_EXPECT[$1]} lo hi
  if [ -n "${CANNOT[$w/$t]-}" ]; then
    if [ -n "${T_EXPECT[$w/$t]-}" ]; then
      if [ "$a" = "${T_EXPECT[$w/$t]}" ]; then STATUS[$w/$t]="cannot do the same (see notes); its own answer is as predicted"
      else STATUS[$w/$t]="**MISMATCH**: answered $a, its own rules give ${T_EXPECT[$w/$t]}"; fi
    else
      read -r lo hi <<<"${RANGE[$w/$t]:-0 999999999999}"
      if (( a < lo || a > hi )); then STATUS[$w/$t]="**MISMATCH**: counted $a, outside the possible $lo–$hi"
      elif (( a > want )); then STATUS[$w/$t]="cannot do the same (see notes): $(th $(( a - want ))) more than the truth ($(pct "$a" "$want"))"
      elif (( a < want )); then STATUS[$w/$t]="cannot do the same (see notes): $(th $(( want - a ))) fewer than the truth ($(pct "$a" "$want"))"
      else STATUS[$w/$t]="cannot do the same (see notes), yet counted the truth"; fi
    fi
  elif [ "$a" != "$want" ]; then
    STATUS[$w/$t]="**MISMATCH**: counted $a, expected $want"
  fi
  [[ ${STATUS[$w/$t]} != *MISMATCH* ]] || warn "MISMATCH: $w/$t: ${STATUS[$w/$t]#*: }"
}
pct() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%+.1f%%", 100 * (a - b) / b; else printf "–" }'; }

run_one() { # WORKLOAD TOOL ROUND(0 = warm-up) -> appends to RAW, sets COUNT/STATUS
  local w=$1 t=$2 r=$3 rc=0 wall rss count t0 t1 ms="" j=${STMT_J[$1/$2]-} form=${W_FORM[$1]}
  [ -z "$j" ] || rm -f "$j"  # kensho never continues a journal
  # wall time from bash's microsecond clock (the time(1) %e has 10 ms steps: too coarse
  # for start-up times); it includes starting time, timeout and bash (latency_start's
  # `harness` row: a few milliseconds on this VM)
  t0=$EPOCHREALTIME
  /usr/bin/time -f '%e %M' -o "$TMP/time" timeout "$TIMEOUT" bash -c "exec ${CMD[$w/$t]}" \
    >"$TMP/out" 2>"$TMP/err" </dev/null || rc=$?
  t1=$EPOCHREALTIME
  read -r wall rss < <(tail -n 1 "$TMP/time")
  [ -z "$t0" ] || wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')
  count=$(answer_of "$form" "$TMP/out")
  local valid=1
  case $form in
    count) [[ $count =~ ^[0-9]+$ ]] || valid=0 ;;
    classes) [ -n "$count" ] || valid=0 ;;
  esac
  if [ "$rc" != 0 ] || [ $valid = 0 ]; then
    local why="exit $rc"; [ "$rc" = 124 ] && why="timed out after ${TIMEOUT}s"; [ "$rc" = 0 ] && why="no answer printed"
    STATUS[$w/$t]="failed ($why): $(grep -m1 -v '^[[:space:]]*$' "$TMP/err" | cut -c1-160)"
    warn "$w/$t round $r: ${STATUS[$w/$t]}"
    return 1
  fi
  if [ -n "$j" ]; then
    ms=$(statement_ms "$j" "${STMT_M[$w/$t]}")
    [ -n "$ms" ] || warn "$w/$t round $r: no ms= for '${STMT_M[$w/$t]}' in $j"
  fi
  COUNT[$w/$t]=$count
  [ "$r" = 0 ] || printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$w" "$t" "$r" "$wall" "$rss" "$count" "$rc" "$ms" >>"$RAW"
  [ "$form" = none ] || judge "$w" "$t" "$count"
  return 0
}

for w in "${WORKLOADS[@]}"; do
  read -r -a tools <<<"${W_TOOLS[$w]}"
  live=()
  for t in "${tools[@]}"; do
    if [[ $t == kensho* ]] && [ -n "$KENSHO_NOTE" ]; then STATUS[$w/$t]=$KENSHO_NOTE; continue; fi
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

stat_of() { # WORKLOAD TOOL [COLUMN] -> "median min max maxrss_kb n" of wall_s (or of COLUMN)
  awk -F'\t' -v w="$1" -v t="$2" -v c="${3:-4}" '
    function f(x) { return x < 1 ? sprintf("%.3f", x) : sprintf("%.2f", x) }  # ms where they matter
    $1 == w && $2 == t && $c != "" { v[n++] = $c + 0; if ($5 > rss) rss = $5 }
    END {
      if (n == 0) { print "- - - - 0"; exit }
      for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (v[j] < v[i]) { x = v[i]; v[i] = v[j]; v[j] = x }
      med = (n % 2) ? v[int(n / 2)] : (v[n / 2 - 1] + v[n / 2]) / 2
      if (c == 4) printf "%s %s %s %s %d\n", f(med), f(v[0]), f(v[n - 1]), rss, n
      else printf "%s %s %s %s %d\n", med, v[0], v[n - 1], rss, n
    }' "$RAW"
}

# Heap allocations of kensho's load per MB of CSV (Benchmarks/tools/malloc-count.c,
# preloaded): columns are built without an allocation per cell, so the count stays
# near the fixed cost of starting up whatever the file's size.
allocations_section() {
  command -v cc >/dev/null || return 0
  local lib=$B/results/malloc-count.so out=$B/results/malloc-count.txt f base n bytes size per
  cc -shared -fPIC -O2 -o "$lib" "$B/tools/malloc-count.c" 2>/dev/null || return 0
  MALLOC_COUNT_OUT=$out LD_PRELOAD=$lib "$KENSHO" --no-journal -c '' >/dev/null 2>&1 || return 0
  read -r _ base _ _ <"$out"
  echo
  echo "## allocations: heap allocations of a load, per MB of CSV"
  echo
  echo "| file | MB | allocations | minus start-up | per MB |"
  echo "|---|---:|---:|---:|---:|"
  for f in "$B/data/patrons-$ROWS-s$SEED.csv" "$B"/data/systems-40-*-s"$SEED"/*.csv; do
    [ -f "$f" ] || continue
    MALLOC_COUNT_OUT=$out LD_PRELOAD=$lib "$KENSHO" --no-journal -c "load $(q "$f") as x" >/dev/null 2>&1 || continue
    read -r _ n _ bytes <"$out"
    size=$(stat -c %s "$f")
    per=$(awk -v n="$n" -v b="$base" -v s="$size" 'BEGIN { printf "%.1f", (n - b) / (s / 1048576) }')
    echo "| ${f#"$B"/data/} | $(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1048576 }') | $(th "$n") | $(th $((n - base))) | $per |"
    [[ $f == */systems-40-* ]] && break  # one file of the sweep is enough
  done
  echo
  echo "Start-up alone (an empty session) makes $(th "$base") allocations. A load's own count is about the"
  echo "same for a 3 MB and a 157 MB file: it is per load and per column, not per row or cell, so per MB"
  echo "it falls as files grow. Large buffers (the file, the"
  echo "columns) come from mmap and are not heap allocations; the counter sees malloc, calloc, realloc"
  echo "and the aligned forms."
}

report() {
  local cpu dver sver pver pdver kver
  cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
  dver=$({ [ -n "$DUCKDB" ] && "$DUCKDB" --version 2>/dev/null | awk '{ print $1 }'; } || { py_has duckdb && "$PY" -c 'import duckdb; print(duckdb.__version__, "(Python)")'; } || echo none)
  sver=$(sqlite3 --version 2>/dev/null | awk '{ print $1 }' || echo none)
  pver=$(py_has polars && "$PY" -c 'import polars; print(polars.__version__)' || echo none)
  pdver=$(py_has pandas && "$PY" -c 'import pandas; print(pandas.__version__)' || echo none)
  hver=$(hashdeep -V 2>/dev/null || echo none)
  kver=$(git log -1 --format=%h 2>/dev/null || echo "no commit")
  [ -n "$(git status --porcelain -- Sources Package.swift 2>/dev/null)" ] && kver="$kver + uncommitted changes"
  [ "$KENSHO_GIVEN" = 1 ] && kver="given with --kensho (not built from $kver)"
  echo "# kensho benchmarks"
  echo
  echo "- run: $(date -u +%Y-%m-%dT%H:%MZ), \`bash Benchmarks/run.sh${ARGS:+ $ARGS}\` ($(th "$ROWS") rows, $RUNS rounds, seed $SEED)"
  echo "- machine: $cpu, $(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 }') GiB, $(uname -sr);" \
    "load average $LOAD_START before the timing, $LOAD_END after (above $(nproc) means other work shared the cores)"
  echo "- tools: kensho $kver (release), DuckDB $dver, SQLite $sver, polars $pver (SHA-256: $POLARS_HASHING), pandas $pdver, hashdeep $hver, $("$PY" --version 2>&1)"
  echo
  echo "Median wall time of $RUNS timed rounds after $WARMUP warm-up round(s); the tools alternate and the"
  echo "order rotates each round. **kensho ÷ tool** is kensho's median over the tool's: above 1 kensho is"
  echo "slower. Wall time is taken around each command with bash's microsecond clock, so it includes"
  echo "starting time, timeout and bash (the \`harness\` row of \`latency_start\`); peak RSS is the largest of the timed rounds"
  echo "(\`/usr/bin/time -f '%M'\`). A tool that cannot compute what kensho computes is marked so, with"
  echo "what it cannot do in the notes, and its answer is compared with the truth, not with kensho's."
  local w t s med lo hi rss n ratio kmed rate
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
    [ -z "${W_TRUTH[$w]}" ] || { echo; echo "Truth (from the generator): ${W_TRUTH[$w]}"; }
    for t in ${W_TOOLS[$w]}; do
      [ -n "${STMT_J[$w/$t]-}" ] || continue
      read -r med lo hi _ n <<<"$(stat_of "$w" "$t" 8)"
      echo
      if [ "$n" = 0 ]; then echo "$t: no statement time (no \`ms=\` in the journal)."; continue; fi
      rate=""
      if [ -n "${STMT_ROWS[$w/$t]}" ] && awk -v m="$med" 'BEGIN { exit !(m > 0) }'; then
        rate=$(awk -v r="${STMT_ROWS[$w/$t]}" -v m="$med" 'BEGIN { printf "%.0f", r * 1000 / m }')
        rate="; $(th "${STMT_ROWS[$w/$t]}") rows in, $(th "$rate") rows/s"
        [ "$w" != fingerprint_1core ] || rate="$rate (the bar: 1,000,000 rows/s on one core: $(awk -v r="${STMT_ROWS[$w/$t]}" -v m="$med" 'BEGIN { print (r * 1000 / m >= 1e6) ? "met" : "**not met**" }'))"
      fi
      echo "$t, the statement \`${STMT_M[$w/$t]} …\` alone (the journal's \`ms=\`: no process start, no load):" \
        "median $med ms, min $lo, max $hi$rate."
    done
    echo
    echo "Commands (from the repository root):"
    echo
    for t in ${W_TOOLS[$w]}; do
      echo "- $t: \`${CMD[$w/$t]}\`${NOTE[$w/$t]:+ — ${NOTE[$w/$t]}}"
    done
    local notes=0
    for t in ${W_TOOLS[$w]}; do
      [ -n "${CANNOT[$w/$t]-}" ] || continue
      [ $notes = 1 ] || { echo; echo "Notes:"; echo; notes=1; }
      echo "- $t cannot do the same: ${CANNOT[$w/$t]}."
    done
  done
  allocations_section
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
    if [ "$t" != kensho ] && [ -z "${CANNOT[$w/$t]-}" ] && [ -n "$k" ] && [ -n "$c" ] && [ "$c" != "$k" ]; then
      STATUS[$w/$t]="**MISMATCH** with kensho, which counted $k"
      warn "MISMATCH: $w/$t counted $c, kensho $k"
    fi
    [[ ${STATUS[$w/$t]} == *MISMATCH* ]] && FAILED=1
  done
done
report | tee "$B/results/latest.md"
say "written $B/results/latest.md and $RAW"
exit $FAILED
