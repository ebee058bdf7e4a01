#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The HTML report, made by the real wstrace from a real capture, opened in headless Chromium
# (Debian's): it must render (a screenshot of real size) and refer to nothing outside itself.
# usage: report_in_chromium_test.sh WSTRACE CAPTURE OUTDIR
set -euo pipefail
wstrace=$1 capture=$2 out=$3
mkdir -p "$out"
html=$out/report.html png=$out/report.png
rm -f "$png"

"$wstrace" -r "$capture" --report "$html" -o /dev/null

# No external resource: no http(s) URL except the SVG namespace name, no script, no link.
if sed 's#xmlns="http://www.w3.org/2000/svg"##g' "$html" | grep -Eq 'https?://|<script|<link|<img|@import'; then
  echo "FAIL: the report refers to something outside itself"; exit 1
fi

chromium=$(command -v chromium || true)
if [[ -z $chromium ]]; then
  echo "chromium not installed (scripts/install-deps.sh installs it): skipped"; exit 77
fi
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
timeout 60 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --window-size=1200,1600 --screenshot="$png" "file://$html" \
  >/dev/null 2>&1 || true
[[ -s $png ]] || { echo "FAIL: Chromium wrote no screenshot"; exit 1; }
size=$(stat -c %s "$png")
# A blank page compresses to a few KB; a rendered report with tables and a ladder is far larger.
(( size > 40000 )) || { echo "FAIL: the screenshot is nearly empty ($size bytes)"; exit 1; }
echo "report rendered in Chromium: $png ($size bytes)"
echo "1 passed, 0 failed"
