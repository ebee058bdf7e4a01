#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs every Debian package wstrace needs to build, run and test, skipping what is there.
# Usage: scripts/install-deps.sh [--with-peers]
#   --with-peers  also install the real WebSocket peers used by captures/gen (Go, Python, node,
#                 nginx, Chromium); not needed to build or test.
set -euo pipefail

build_pkgs=(
  build-essential cmake ninja-build pkg-config git
  qt6-base-dev qt6-base-dev-tools qt6-svg-dev libqt6svg6 libgl-dev
  libpcap-dev libfmt-dev zlib1g-dev libssl-dev libcli11-dev nlohmann-json3-dev
  libnghttp2-dev # HPACK (decoder/http2)
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev
  xvfb xauth fonts-dejavu-core
  tcpdump tshark libcap2-bin util-linux time python3 python3-websockets
  tcpreplay # tests/live/replay_loopback_test.py and tests/bench/live-bench.sh
  chromium poppler-utils # tests/exports: the HTML report rendered and printed to PDF
  jq # tests/exports: JSON read as jq reads it (exact times)
)
peer_pkgs=(
  golang-go golang-github-gorilla-websocket-dev golang-github-gin-gonic-gin-dev
  nginx
)

want=("${build_pkgs[@]}")
if [[ "${1:-}" == "--with-peers" ]]; then
  want+=("${peer_pkgs[@]}")
  # node and npm may come from outside Debian (the image ships them); install only when absent.
  command -v node >/dev/null && command -v npm >/dev/null || want+=(nodejs npm)
fi

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#want[@]} packages present"
  exit 0
fi

sudo=""
[[ $(id -u) -ne 0 ]] && sudo="sudo"
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer no without a prompt.
echo "wireshark-common wireshark-common/install-setuid boolean false" | $sudo debconf-set-selections
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
