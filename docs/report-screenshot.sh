#!/usr/bin/env bash
# Renders an HTML report in headless Chromium (Debian's package) and saves a PNG, to see
# it as a reader will: offline (every host name fails to resolve, so any external
# resource would show up missing) and with Japanese fonts.
#
#   bash docs/report-screenshot.sh examples/out/report.html report.png
set -euo pipefail
report=${1:?usage: report-screenshot.sh REPORT.html OUT.png}
out=${2:?usage: report-screenshot.sh REPORT.html OUT.png}
missing=()
command -v chromium >/dev/null || missing+=(chromium)
fc-list :lang=ja 2>/dev/null | grep -q . || missing+=(fonts-noto-cjk)
if [ ${#missing[@]} -gt 0 ]; then
  run() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
  run apt-get update -qq
  DEBIAN_FRONTEND=noninteractive run apt-get install -y -qq "${missing[@]}"
fi
chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,2400 \
  --host-resolver-rules="MAP * ~NOTFOUND" --screenshot="$out" "file://$(realpath "$report")" 2>/dev/null
echo "wrote $out"
