#!/usr/bin/env bash
# The test command: installs missing system packages, builds, starts a throwaway
# PostgreSQL for the warehouse tests (unless KENSHO_TEST_PG_URL names one), and runs
# every test (Swift Testing; the REPL tests drive the real binary on a pseudo-terminal).
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/install-deps --tests
swift build --build-tests
if [ -z "${KENSHO_TEST_PG_URL:-}" ]; then
  eval "$(bash .ci/start-postgres)"
  stop_postgres() {
    local stop=("$KENSHO_TEST_PG_BIN/pg_ctl" -D "$KENSHO_TEST_PG_DIR" stop -m fast)
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "${stop[@]}" >/dev/null; else "${stop[@]}" >/dev/null; fi
    rm -rf "$(dirname "$KENSHO_TEST_PG_DIR")"
  }
  trap stop_postgres EXIT
fi
swift test
