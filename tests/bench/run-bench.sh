#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The full benchmark of issue 8, outside CI: builds Release (build-release/), generates the
# 100 MB and 1 GB load-test captures once (tests/bench/data/, cached, never committed) and
# prints wstrace beside tshark: wall time, MB/s, packets/s, peak RSS and the speed ratio, the
# JSONL export throughput, and frame counts against the ground truth with 2 % reordered and
# 1 % duplicated segments.
#   tests/bench/run-bench.sh            # 100M and 1G
#   SIZES="100M" tests/bench/run-bench.sh
#   NO_TSHARK=1 tests/bench/run-bench.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
sizes=${SIZES:-"100M 1G"}
data=$root/tests/bench/data
bin=$root/build-release
mkdir -p "$data"

cmake -S . -B "$bin" -G Ninja -DCMAKE_BUILD_TYPE=Release -DWST_BUILD_GUI=OFF >/dev/null
cmake --build "$bin" -j "$(nproc)" --target wstrace wst_gen_loadtest >/dev/null
wstrace=$bin/app/cli/wstrace
gen=$bin/tests/bench/wst_gen_loadtest

capture() { # capture NAME SIZE [generator options...] -> path of the cached capture
  local name=$1 size=$2; shift 2
  local f=$data/$name.pcap
  if [[ ! -s $f || ! -s $data/$name.json ]]; then
    "$gen" --size "$size" --seed 1 -o "$f" --truth "$data/$name.json" "$@" >&2
  fi
  echo "$f"
}

# measure LABEL FILE CMD... : appends "label file wall_s rss_kb" to $results
results=$(mktemp)
trap 'rm -f "$results" "$results".*' EXIT
measure() {
  local label=$1 file=$2; shift 2
  # Warm the page cache so both tools read from memory.
  cat "$file" >/dev/null
  /usr/bin/time -v -o "$results.time" "$@" >/dev/null 2>"$results.err" || {
    echo "run-bench: '$label' failed:" >&2; tail -5 "$results.err" >&2; return 1; }
  local wall rss cpu
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$results.time")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$results.time")
  cpu=$(awk -F': ' '/User time|System time/ {s+=$2} END {print s}' "$results.time")
  echo "$label $file $wall $rss $cpu" >>"$results"
}

for size in $sizes; do
  f=$(capture "loadtest-$size" "$size")
  # Best of three for wstrace (a second each); the default uses two threads (--threads).
  for run in 1 2 3; do
    measure "wstrace(text)" "$f" "$wstrace" -r "$f" --format text -o /dev/null
    measure "wstrace(text,1t)" "$f" "$wstrace" --threads 1 -r "$f" --format text -o /dev/null
    measure "wstrace(jsonl)" "$f" "$wstrace" -r "$f" --format jsonl -o /dev/null
  done
  if [[ -z ${NO_TSHARK:-} ]]; then
    measure "tshark" "$f" tshark -r "$f" -Y websocket -T fields -e frame.number -e websocket.opcode
  fi
done

echo "Machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end of the runs"
python3 - "$results" <<'PY'
import json, os, sys
rows = [l.split() for l in open(sys.argv[1])]
# Wall time is what a person waits; CPU time (user + sys) is what the work costs, and stays
# comparable when other jobs share the machine. Ratios are tshark's time over wstrace's.
print(f"{'capture':<24}{'tool':<18}{'wall s':>8}{'cpu s':>8}{'MB/s':>8}{'Mpkt/s':>8}"
      f"{'peak RSS MiB':>13}{'x tshark wall':>14}{'x tshark cpu':>13}")
tshark = {r[1]: (float(r[2]), float(r[4])) for r in rows if r[0] == "tshark"}
best = {}
for r in rows:  # the fastest of the repeated runs of each tool on each file, in first-run order
    key = (r[0], r[1])
    if key not in best or float(r[2]) < float(best[key][2]):
        best[key] = r
for label, f, wall, rss, cpu in best.values():
    wall = max(float(wall), 0.005)
    cpu = max(float(cpu), 0.005)
    truth = json.load(open(os.path.splitext(f)[0] + ".json"))["totals"]
    mb = os.path.getsize(f) / 1e6
    rw = rc = ""
    if f in tshark and label != "tshark":
        rw = f"{tshark[f][0] / wall:.1f}x"
        rc = f"{tshark[f][1] / cpu:.1f}x"
    print(f"{os.path.basename(f):<24}{label:<18}{wall:>8.2f}{cpu:>8.2f}{mb / wall:>8.0f}"
          f"{truth['packets'] / wall / 1e6:>8.2f}{int(rss) / 1024:>13.0f}{rw:>14}{rc:>13}")
PY

# Exactness with reordering and duplication: frames found vs the sidecar's truth.
f=$(capture "loadtest-100M-r2d1" 100M --reorder 2 --duplicate 1)
want=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['totals']['frames'])" "${f%.pcap}.json")
got_w=$("$wstrace" -r "$f" --format jsonl | python3 -c '
import json, sys
n = 0
for line in sys.stdin:
    j = json.loads(line)
    if j.get("type") == "connection_end":
        c = j["connection"]
        n += c["c2s"]["frames"] + c["s2c"]["frames"]
print(n)')
echo
echo "Frames with 2 % reordered, 1 % duplicated segments ($(basename "$f")): truth $want"
verdict() { [[ $1 == "$want" ]] && echo "exact" || echo "off by $(($1 - want))"; }
echo "  wstrace: $got_w ($(verdict "$got_w"))"
if [[ -z ${NO_TSHARK:-} ]]; then
  got_t=$(tshark -r "$f" -Y websocket -T fields -e websocket.opcode 2>/dev/null | tr ',' '\n' | grep -c .)
  echo "  tshark:  $got_t ($(verdict "$got_t"), default preferences)"
fi
