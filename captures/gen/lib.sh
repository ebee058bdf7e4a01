# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# Helpers for captures/gen/generate.sh: bounded background processes (stopped by PID, never by
# name), packet capture start/stop, readiness waits. Sourced, not run.

declare -A WST_PIDS=()   # name -> PID of a background process this script started

# bg NAME LOGFILE SECONDS CMD...: start CMD in the background under `timeout SECONDS`.
bg() {
  local name=$1 logf=$2 secs=$3
  shift 3
  timeout "$secs" "$@" >"$logf" 2>&1 &
  WST_PIDS[$name]=$!
}

# bg_group NAME LOGFILE SECONDS CMD...: like bg, in its own process group (for programs that
# spawn children, such as Chromium), so stop_bg can signal the group it started.
bg_group() {
  local name=$1 logf=$2 secs=$3
  shift 3
  setsid timeout "$secs" "$@" >"$logf" 2>&1 &
  WST_PIDS[$name]=-$!
}

# stop_bg NAME: TERM the process (or group) started under NAME, wait up to 3 s, then KILL.
stop_bg() {
  local name=$1 pid=${WST_PIDS[$1]:-}
  [[ -z $pid ]] && return 0
  kill -TERM -- "$pid" 2>/dev/null || true
  local i
  for ((i = 0; i < 30; i++)); do
    kill -0 -- "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL -- "$pid" 2>/dev/null || true
  wait "${pid#-}" 2>/dev/null || true
  unset "WST_PIDS[$name]"
}

stop_all() {
  local n
  for n in "${!WST_PIDS[@]}"; do stop_bg "$n"; done
}

# wait_exit NAME SECONDS: wait for a background process to end by itself (bounded).
wait_exit() {
  local pid=${WST_PIDS[$1]:-} i
  [[ -z $pid ]] && return 0
  for ((i = 0; i < $2 * 10; i++)); do
    kill -0 -- "$pid" 2>/dev/null || { wait "${pid#-}" 2>/dev/null || true; unset "WST_PIDS[$1]"; return 0; }
    sleep 0.1
  done
  echo "gen: $1 still running after $2 s; stopping it" >&2
  stop_bg "$1"
}

# wait_line FILE PATTERN SECONDS: wait until FILE contains PATTERN (bounded); fail otherwise.
wait_line() {
  local i
  for ((i = 0; i < $3 * 10; i++)); do
    grep -q -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "gen: '$2' did not appear in $1 within $3 s" >&2
  cat "$1" >&2 || true
  return 1
}

# cap_start FILE TOOL IFACE LINKTYPE FILTER: start capturing into $OUT/FILE.
#   TOOL tcpdump writes classic pcap (LINKTYPE "" = the interface default, e.g. LINUX_SLL2
#   for -i any with tcpdump 4.99; LINUX_SLL forces cooked v1); TOOL dumpcap writes pcapng.
cap_start() {
  local file=$1 tool=$2 iface=$3 lt=$4 filter=$5 err=$WORK/capture.err
  rm -f "$OUT/$file"
  if [[ $tool == tcpdump ]]; then
    # No --immediate-mode: on "any" it loses packets under load (measured: 145 of 208 on a
    # 200-message ping-pong); buffered delivery loses none if cap_stop waits out the 1 s
    # TPACKET_V3 block timeout.
    local lty=()
    [[ -n $lt ]] && lty=(-y "$lt")
    bg capture "$err" 120 tcpdump -i "$iface" "${lty[@]}" -Z root -U \
      -s 262144 -w "$OUT/$file" "$filter"
    wait_line "$err" 'listening on' 10
  else
    bg capture "$err" 120 dumpcap -i "$iface" -f "$filter" -s 262144 -w "$OUT/$file" -q
    wait_line "$err" 'Capturing on' 10
  fi
  sleep 0.5 # the readiness line can come just before the filter is in place
  CAP_FILE=$file
}

cap_stop() {
  sleep 2.5 # the last FIN/ACKs, and one TPACKET_V3 block timeout (1 s)
  stop_bg capture
  echo "gen: wrote $CAP_FILE ($(stat -c %s "$OUT/$CAP_FILE") bytes)"
}

# run SECONDS CMD...: a foreground peer with a time bound; its output goes to the work log.
run() {
  local secs=$1
  shift
  echo "+ $*" >>"$WORK/peers.log"
  timeout "$secs" "$@" >>"$WORK/peers.log" 2>&1 || echo "gen: '$*' exited with $?" >>"$WORK/peers.log"
}
