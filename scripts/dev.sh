#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# One entry point for a fresh Debian machine; safe to run again at any time.
#   scripts/dev.sh run    install what is missing, build, open the GUI on a bundled capture
#   scripts/dev.sh test   install what is missing, build, run every test (also under ASan+UBSan,
#                         and the threaded pipeline's tests under TSan)
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-run}
jobs=$(nproc)
demo=captures/gin-write-after-upgrade.pcapng

build() { # build DIR [cmake options...]
  local dir=$1; shift
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
  cmake --build "$dir" -j "$jobs"
}

scripts/install-deps.sh
build build

case "$mode" in
run)
  [[ -f $demo ]] || demo=$(ls captures/*.pcap* 2>/dev/null | head -n 1 || true)
  if [[ -x build/app/gui/wstrace-gui ]]; then
    if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" && -z "${QT_QPA_PLATFORM:-}" ]]; then
      echo "dev.sh: no display found. Run the GUI under a virtual display with:"
      echo "  xvfb-run -a scripts/dev.sh run"
      echo "Meanwhile, the same capture through the CLI:"
      exec build/app/cli/wstrace -r "$demo"
    fi
    exec build/app/gui/wstrace-gui "$demo"
  fi
  exec build/app/cli/wstrace -r "$demo"
  ;;
test)
  ctest --test-dir build --output-on-failure -j "$jobs"
  # The whole suite again with AddressSanitizer and UndefinedBehaviorSanitizer.
  build build-asan -DWST_SANITIZE=ON
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure -j "$jobs"
  # The code that runs on two threads (the analysis thread, stopping a run from another
  # thread) under ThreadSanitizer: the pipeline tests only, so the build stays small.
  CC=clang CXX=clang++ cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DWST_BUILD_GUI=OFF -DWST_TSAN=ON >/dev/null
  cmake --build build-tsan -j "$jobs" --target wst_pipeline_tests
  TSAN_OPTIONS=halt_on_error=1 ctest --test-dir build-tsan --output-on-failure -R '^pipeline\.'
  ;;
*)
  echo "usage: scripts/dev.sh run|test" >&2
  exit 2
  ;;
esac
