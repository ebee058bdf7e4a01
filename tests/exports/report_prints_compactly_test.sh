#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The HTML report of a dozen real connections, printed to PDF by headless Chromium (a report is
# printed and mailed, issue 18): at most one page per connection, and no connection section
# pushed to a new page while the page before it is more than half empty.
# usage: report_prints_compactly_test.sh WSTRACE OUTDIR CAPTURE...
set -euo pipefail
wstrace=$1 out=$2
shift 2
mkdir -p "$out"
html=$out/print.html pdf=$out/print.pdf
rm -f "$pdf"
args=()
for c in "$@"; do args+=(-r "$c"); done
"$wstrace" "${args[@]}" --report "$html" -o /dev/null || [[ $? == 1 ]]

chromium=$(command -v chromium || true)
if [[ -z $chromium ]] || ! command -v pdfinfo >/dev/null || ! command -v pdftotext >/dev/null; then
  echo "chromium or poppler-utils not installed (scripts/dev.sh installs them): skipped"; exit 77
fi
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
timeout 90 "$chromium" --headless --no-sandbox --disable-gpu --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --no-pdf-header-footer --print-to-pdf="$pdf" "file://$html" \
  >/dev/null 2>&1 || true
[[ -s $pdf ]] || { echo "FAIL: Chromium wrote no PDF"; exit 1; }

connections=$(grep -c '<section class="conn"' "$html")
pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
echo "$connections connection sections on $pages pages"
(( connections >= 10 )) || { echo "FAIL: expected about a dozen connections, got $connections"; exit 1; }
(( pages <= connections )) || { echo "FAIL: $pages pages for $connections connections"; exit 1; }

# Lines of text per page; the fullest page is what "full" means.
declare -a lines
max=0
for ((p = 1; p <= pages; p++)); do
  lines[p]=$(pdftotext -f $p -l $p -layout "$pdf" - | grep -c . || true)
  (( lines[p] > max )) && max=${lines[p]}
done
for ((p = 2; p <= pages; p++)); do
  # A page that begins with a connection heading: the page before must be at least half full.
  if pdftotext -f $p -l $p "$pdf" - | grep -m1 . | grep -q '^Connection [0-9]*:'; then
    if (( lines[p - 1] * 2 < max )); then
      echo "FAIL: page $((p - 1)) is more than half empty (${lines[p - 1]} of $max lines) before a connection section"
      exit 1
    fi
  fi
done
echo "1 passed, 0 failed"
