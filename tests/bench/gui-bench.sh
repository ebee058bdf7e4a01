#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# GUI load benchmark of issue 8 ("the 1 GB capture opens and is usable within 3 s, peak memory at
# most 0.3x the file size"), outside CI. Builds Release with the GUI (build-release-gui/), then
# opens each cached load-test capture (tests/bench/data/, made by run-bench.sh) in the real
# MainWindow offscreen and prints: seconds until the connection list showed rows, until the load
# finished with every connection listed, and to select the busiest connection afterwards; the
# longest stall of a 10 ms timer during the load; peak RSS (/usr/bin/time -v) and its ratio to
# the file size; then File → Export → JSON of the whole trace: its seconds and the peak RSS before
# and after it (EXPORT_COPY=1 copies the trace first, as the GUI did before issue 14).
#   tests/bench/gui-bench.sh               # 100M and 1G, one run each
#   SIZES=1G RUNS=3 tests/bench/gui-bench.sh
# Wall times depend on what else runs; on a shared machine pause other jobs while measuring.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
sizes=${SIZES:-"100M 1G"}
runs=${RUNS:-1}
data=$root/tests/bench/data
bin=$root/build-release-gui

cmake -S . -B "$bin" -G Ninja -DCMAKE_BUILD_TYPE=Release -DWST_BUILD_GUI=ON >/dev/null
cmake --build "$bin" -j "$(nproc)" --target wst_gui_load_bench >/dev/null
bench=$bin/tests/bench/wst_gui_load_bench

results=$(mktemp)
trap 'rm -f "$results" "$results".*' EXIT
for size in $sizes; do
  f=$data/loadtest-$size.pcap
  if [[ ! -s $f ]]; then
    echo "gui-bench: $f is missing; run tests/bench/run-bench.sh once to generate it" >&2
    exit 2
  fi
  cat "$f" >/dev/null # warm the page cache: measure decoding and the GUI, not the disk
  for ((i = 0; i < runs; i++)); do
    env QT_QPA_PLATFORM=offscreen QT_SCALE_FACTOR=1 ${EXPORT_COPY:+WST_BENCH_EXPORT_COPY=1} \
      /usr/bin/time -v -o "$results.time" "$bench" "$f" >"$results.json" 2>"$results.err" || {
      echo "gui-bench: $f failed:" >&2; tail -5 "$results.err" >&2; exit 1; }
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$results.time")
    cpu=$(awk -F': ' '/User time|System time/ {s+=$2} END {print s}' "$results.time")
    echo "$(cat "$results.json") $rss $cpu" >>"$results"
  done
done

echo "Machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end of the runs"
python3 - "$results" <<'PY'
import json, sys
print(f"{'capture':<20}{'MB':>7}{'rows s':>8}{'loaded s':>9}{'select s':>9}{'cpu s':>7}"
      f"{'stall ms':>9}{'peak RSS MiB':>13}{'RSS/file':>9}{'export s':>9}{'RSS before':>11}"
      f"{'after MiB':>10}  1 GB target (3 s, 0.30x)")
for line in open(sys.argv[1]):
    text, rss, cpu = line.rsplit(" ", 2)
    r = json.loads(text)
    mb = r["file_bytes"] / 1e6
    ratio = int(rss) * 1024 / r["file_bytes"]
    # The issue states its target for the 1 GB capture; a small file is dominated by Qt itself.
    ok = "—"
    if r["file_bytes"] >= 1e9:
        ok = "met" if r["loaded_s"] + r["select_s"] <= 3.0 and ratio <= 0.30 else "missed"
    print(f"{r['file']:<20}{mb:>7.0f}{r['first_rows_s']:>8.2f}{r['loaded_s']:>9.2f}"
          f"{r['select_s']:>9.3f}{float(cpu):>7.2f}{r['worst_gap_ms']:>9}"
          f"{int(rss) / 1024:>13.0f}{ratio:>9.2f}{r['export_s']:>9.2f}"
          f"{r['loaded_rss_kb'] / 1024:>11.0f}{r['peak_rss_kb'] / 1024:>10.0f}  {ok}")
PY
