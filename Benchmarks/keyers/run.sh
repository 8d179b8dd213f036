#!/usr/bin/env bash
# Keyer throughput: builds main.swift with the KenshoKeyers sources into one optimized
# binary (no package changes, no test-suite timing) and runs it.
#   bash Benchmarks/keyers/run.sh [ROWS]      (default 1000000)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
# Compile inside the scratch directory: swiftc leaves module files in the current one.
sources=$(find "$root/Sources/KenshoKeyers" -name '*.swift' | sort)
(cd "$out" && swiftc -O -wmo -module-name KeyerBenchmark $sources "$root/Benchmarks/keyers/main.swift" \
  -o "$out/keyer-benchmark")
"$out/keyer-benchmark" "${1:-1000000}"
