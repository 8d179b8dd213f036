#!/usr/bin/env bash
# Builds the fuzz harnesses (release, libFuzzer) and runs each target over its corpus,
# one after another. See README.md.
#
#   Fuzz/run.sh [--smoke] [--seconds N] [--runs N] [--asan] [--scratch DIR] [TARGET...]
#
#   TARGET     csv encoding json language keyers journal (default: all)
#   --seconds  time per target (default 60); --smoke is 5 seconds each, for CI
#   --runs     stop a target after N executions (whichever of the two comes first)
#   --asan     add AddressSanitizer (a separate, slower build; ~8x fewer exec/s)
#   --scratch  build in DIR instead of .build (rebuild while a long run still uses .build)
#
# Each target runs over a scratch copy of Corpus/TARGET under .work/ (so what it adds
# never lands in the committed corpus), with its dictionary, a 10 s hang limit and a
# 2 GiB memory limit. A crash, hang or memory blow-up is saved under
# .work/artifacts/TARGET/ and makes the script exit 1 once every target has run.
set -euo pipefail
cd "$(dirname "$0")"

all_targets=(csv encoding json language keyers journal)
seconds=60
runs=""
sanitizers=(--sanitize=fuzzer)
scratch=.build
targets=()
while [ $# -gt 0 ]; do
    case "$1" in
        --smoke) seconds=5 ;;
        --seconds) seconds="$2"; shift ;;
        --runs) runs="$2"; shift ;;
        --asan) sanitizers+=(--sanitize=address); scratch=.build-asan ;;
        --scratch) scratch="$2"; shift ;;
        -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
        *)
            [[ " ${all_targets[*]} " == *" $1 "* ]] || { echo "run.sh: unknown target $1 (${all_targets[*]})" >&2; exit 2; }
            targets+=("$1") ;;
    esac
    shift
done
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")

# -enable-testing lets the harnesses `@testable import` the engine's internals.
build=(swift build -c release "${sanitizers[@]}" -Xswiftc -enable-testing --scratch-path "$scratch")
mkdir -p .work
echo "building: ${build[*]}"
started=$(date +%s)
if ! "${build[@]}" > .work/build.log 2>&1; then
    grep -E "error:" .work/build.log | head -20 >&2
    echo "run.sh: build failed; the log is Fuzz/.work/build.log" >&2
    exit 1
fi
bin=$("${build[@]}" --show-bin-path)
echo "built in $(( $(date +%s) - started )) s"

# The executable of a target: csv -> FuzzCSV, journal -> FuzzJournal.
executable() {
    case "$1" in
        csv) echo FuzzCSV ;; json) echo FuzzJSON ;;
        *) echo "Fuzz$(tr '[:lower:]' '[:upper:]' <<< "${1:0:1}")${1:1}" ;;
    esac
}

# The longest input a target is given. Most bugs show on small inputs, and a shorter
# input runs faster: a keyer sees one cell, a journal seed is cut to its first entries,
# JSON keeps room for nesting past the 256-level limit. Thresholds that matter only at
# larger sizes (the CSV scanner's two-part split) are lowered by the harnesses instead.
max_len() {
    case "$1" in
        keyers) echo 256 ;; json) echo 2048 ;; *) echo 1024 ;;
    esac
}

failed=0
summary=()
for target in "${targets[@]}"; do
    work=".work/corpus/$target"
    artifacts=".work/artifacts/$target"
    log=".work/$target.log"
    rm -rf "$work"
    mkdir -p "$work" "$artifacts"
    cp Corpus/"$target"/* "$work"/
    options=(-timeout=10 -rss_limit_mb=2048 -max_len="$(max_len "$target")" -max_total_time="$seconds" -print_final_stats=1
             -artifact_prefix="$artifacts/" -dict="Dictionaries/$target.dict")
    [ -n "$runs" ] && options+=(-runs="$runs")
    echo "fuzzing $target for ${seconds} s${runs:+ or $runs runs}"
    begin=$(date +%s%N)
    status=0
    # Swift's backtracer would take the crash signal first and libFuzzer would save nothing.
    SWIFT_BACKTRACE=enable=no "$bin/$(executable "$target")" "${options[@]}" "$work" > "$log" 2>&1 || status=$?
    wall=$(( ($(date +%s%N) - begin) / 1000000000 ))
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    if [ "$status" -eq 0 ]; then
        result=ok
    else
        result="FAILED (exit $status)"
        failed=1
        grep -E "invariant failed|ERROR: libFuzzer|Fatal error|deadly signal|Test unit written|==ERROR" "$log" | head -8 | sed "s/^/  $target: /"
        echo "  $target: full log in Fuzz/$log"
    fi
    corpus=$(find "$work" -type f | wc -l)
    summary+=("$(printf '%-9s %14s %9s %9d s %8s %7s  %s' "$target" "${executions:-?}" "${rate:-?}" "$wall" \
                  "$(max_len "$target")" "$corpus" "$result")")
done

printf '\n%-9s %14s %9s %11s %8s %7s  %s\n' target executions exec/s wall max_len corpus result
printf '%s\n' "${summary[@]}"
exit $failed
