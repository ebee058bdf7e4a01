#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Live capture at 1 Gbit/s on loopback (issue 8), outside CI; needs root, tcpreplay and
# tcprewrite (Debian package tcpreplay). Replays a generated WebSocket load-test capture onto
# `lo` with tcpreplay while `wstrace -i lo` analyses it, then prints per rate: what tcpreplay
# sent (packets, Mbit/s, packets/s), what the kernel counted for wstrace (pcap_stats: received by
# filter, dropped by kernel / interface), the packets wstrace analysed, the WebSocket frames it
# found against the generator's ground truth, and wstrace's CPU time.
#   tests/bench/live-bench.sh                        # 1G capture at 1000 Mbit/s and top speed
#   SIZE=100M RATES="1000" tests/bench/live-bench.sh
#   BUFFER_KIB=2048 tests/bench/live-bench.sh        # wstrace -B (default: wstrace's own)
#   WSTRACE_ARGS=--immediate-mode tests/bench/live-bench.sh   # more wstrace options
#   FORMAT=jsonl tests/bench/live-bench.sh           # output: json (default), jsonl or text
#
# The replayed packets are not a real TCP connection: they are written to lo as Ethernet frames
# and analysed exactly as captured. Their destination MAC is rewritten once (tcprewrite, cached
# beside the capture) from lo's 00:00:00:00:00:00 to a locally administered address, so the
# kernel's IP layer discards them (PACKET_OTHERHOST) instead of answering every segment for a
# port nobody listens on with a RST — packet sockets still see them. The server port is moved
# to $PORT for the same reason (nothing else on lo should match the filter).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
size=${SIZE:-1G}
rates=${RATES:-"1000 topspeed"}
port=${PORT:-28080}
format=${FORMAT:-json}
data=$root/tests/bench/data
bin=$root/build-release

[[ $(id -u) == 0 ]] || { echo "live-bench: needs root (live capture and tcpreplay on lo)" >&2; exit 77; }
for tool in tcpreplay tcprewrite python3; do
  command -v $tool >/dev/null || { echo "live-bench: $tool not found (apt-get install tcpreplay)" >&2; exit 77; }
done

mkdir -p "$data"
cmake -S . -B "$bin" -G Ninja -DCMAKE_BUILD_TYPE=Release -DWST_BUILD_GUI=OFF >/dev/null
cmake --build "$bin" -j "${JOBS:-2}" --target wstrace wst_gen_loadtest >/dev/null
wstrace=$bin/app/cli/wstrace

src=$data/loadtest-$size.pcap
truth=$data/loadtest-$size.json
if [[ ! -s $src || ! -s $truth ]]; then
  "$bin/tests/bench/wst_gen_loadtest" --size "$size" --seed 1 -o "$src" --truth "$truth" >&2
fi
lo_file=$data/loadtest-$size-lo$port.pcap
if [[ ! -s $lo_file || $lo_file -ot $src ]]; then
  tcprewrite --enet-dmac=02:00:00:00:00:01 --portmap=8080:"$port" --fixcsum -i "$src" -o "$lo_file"
fi
cat "$lo_file" >/dev/null # page cache: tcpreplay should not wait for the disk

work=$(mktemp -d)
cap_pid=""
cleanup() {
  [[ -n $cap_pid ]] && kill -INT "$cap_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "capture: $(basename "$lo_file"), $(stat -c %s "$lo_file") bytes; format $format;" \
  "wstrace options: ${BUFFER_KIB:+-B $BUFFER_KIB }${WSTRACE_ARGS:-(defaults)}"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the runs"
results=$work/results
for rate in $rates; do
  out=$work/out.$format err=$work/err.txt timing=$work/time.txt
  buffer=()
  [[ -n ${BUFFER_KIB:-} ]] && buffer=(-B "$BUFFER_KIB")
  read -r -a extra <<<"${WSTRACE_ARGS:-}"
  # GNU time ignores SIGINT while it waits, so the signal goes to wstrace, its child.
  /usr/bin/time -v -o "$timing" "$wstrace" -i lo -f "tcp port $port" "${buffer[@]}" "${extra[@]}" \
    --format "$format" -o "$out" 2>"$err" &
  time_pid=$!
  for _ in $(seq 100); do
    grep -q listening "$err" 2>/dev/null && break
    sleep 0.1
  done
  cap_pid=$(pgrep -P "$time_pid" | head -1)
  [[ -n $cap_pid ]] || { echo "live-bench: wstrace did not start" >&2; cat "$err" >&2; exit 1; }
  if [[ $rate == topspeed ]]; then speed=(--topspeed); else speed=(--mbps="$rate"); fi
  # --preload-pcap: the file is read into memory first, so the disk does not pace the replay.
  tcpreplay -i lo --preload-pcap "${speed[@]}" "$lo_file" >"$work/replay.txt" 2>&1
  sleep 2 # let wstrace drain the buffer
  # wstrace's CPU while capturing (utime + stime, clock ticks), before a JSON document is
  # written at the end.
  capture_ticks=$(awk '{print $14 + $15}' "/proc/$cap_pid/stat")
  kill -INT "$cap_pid"
  wait "$time_pid" || { echo "live-bench: wstrace failed" >&2; cat "$err" >&2; exit 1; }
  cap_pid=""
  python3 - "$rate" "$work/replay.txt" "$err" "$timing" "$out" "$format" "$truth" \
    "$(awk -v t="$capture_ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN {print t / hz}')" >>"$results" <<'PY'
import json, re, sys
rate, replay, err, timing, out, fmt, truth, capture_cpu = sys.argv[1:]
r = open(replay).read()
sent = re.search(r"Actual: (\d+) packets \((\d+) bytes\) sent in ([\d.]+) seconds", r)
rated = re.search(r"Rated: [\d.]+ Bps, ([\d.]+) Mbps, ([\d.]+) pps", r)
failed = re.search(r"Failed packets:\s+(\d+)", r)
t = open(timing).read()
cpu = sum(float(m) for m in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", t))
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1))
line = re.search(r"(\d+) packets received by filter, (\d+) dropped by kernel, (\d+) dropped by "
                 r"interface", open(err).read())
frames = None
if fmt == "text":
    text = open(out, errors="replace").read()
    stats = {"packets": int(re.search(r"totals +(\d+) packets", text).group(1))}
    stats.update(zip(("received_by_filter", "dropped_by_kernel", "dropped_by_interface"),
                     map(int, line.groups())))
elif fmt == "json":
    cap = json.load(open(out))["captures"][0]
    stats = cap["stats"]
    frames = sum(c[d]["frames"] for c in cap["connections"] for d in ("c2s", "s2c"))
else:
    frames = 0
    for l in open(out):
        j = json.loads(l)
        if j["type"] == "connection_end":
            frames += sum(j["connection"][d]["frames"] for d in ("c2s", "s2c"))
        elif j["type"] == "finish":
            stats = j["stats"]
counters = tuple(stats[k] for k in ("received_by_filter", "dropped_by_kernel",
                                    "dropped_by_interface"))
assert line and tuple(map(int, line.groups())) == counters, "stderr and stats disagree"
want = json.load(open(truth))["totals"]["frames"]
secs = float(sent.group(3))
print(json.dumps({"rate": rate, "sent": int(sent.group(1)), "secs": secs,
                  "mbps": float(rated.group(1)), "pps": float(rated.group(2)),
                  "failed": int(failed.group(1)) if failed else 0,
                  "received": counters[0], "kdrop": counters[1], "ifdrop": counters[2],
                  "analysed": stats["packets"], "frames": frames, "truth": want,
                  "cpu": cpu, "capture_cpu": float(capture_cpu), "rss_mib": rss / 1024}))
PY
done

python3 - "$results" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
# "capture cpu" is wstrace's user + sys time until the replay ended (the JSON document is
# written after that; "total cpu" includes it); "busy" is that over the replay's duration, and
# "1-core kpps" the packet rate at which that work would fill one core.
print(f"{'rate':>6}{'sent pkts':>10}{'Mbit/s':>7}{'kpps':>6}{'received':>9}{'k-drop':>8}"
      f"{'if-drop':>8}{'analysed':>9}{'frames/truth':>16}{'capture cpu':>12}{'busy':>6}"
      f"{'1-core kpps':>12}{'total cpu':>10}{'RSS MiB':>8}")
for r in rows:
    label = "top" if r["rate"] == "topspeed" else r["rate"]
    frames = "-" if r["frames"] is None else f"{r['frames']}/{r['truth']}"
    busy = r["capture_cpu"] / r["secs"] if r["secs"] > 0 else 0
    ceiling = r["analysed"] / r["capture_cpu"] / 1e3 if r["capture_cpu"] > 0 else 0
    print(f"{label:>6}{r['sent']:>10}{r['mbps']:>7.0f}{r['pps'] / 1e3:>6.0f}{r['received']:>9}"
          f"{r['kdrop']:>8}{r['ifdrop']:>8}{r['analysed']:>9}{frames:>16}"
          f"{r['capture_cpu']:>11.2f}s{100 * busy:>5.0f}%{ceiling:>12.0f}{r['cpu']:>9.2f}s"
          f"{r['rss_mib']:>8.0f}")
PY
