#!/usr/bin/env bash
# The test command: installs missing system packages, builds, and runs every test
# (Swift Testing; the REPL tests drive the real binary on a pseudo-terminal).
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/install-deps
swift build --build-tests
swift test
