#!/usr/bin/env bash
# The example investigation, end to end: installs missing system packages, builds
# kensho (release), and runs examples/walkthrough.kensho from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/install-deps
swift build -c release --product kensho
.build/release/kensho run examples/walkthrough.kensho "$@"
