// SPDX-License-Identifier: MIT
#pragma once

#include "capture/core/limits.h"
#include "capture/source/live_source.h"
#include "decoder/export/formats.h"
#include "decoder/model/anomaly.h"

#include <optional>
#include <string>
#include <vector>

namespace wst::cli {

/// Everything the command line decided, validated.
struct Config {
    std::vector<std::string> files;                 ///< -r, in order; each is its own run
    std::string interface;                          ///< -i
    std::string filter;                             ///< -f (BPF)
    int bufferKiB = kDefaultLiveBufferBytes / 1024; ///< -B: kernel capture buffer for -i, KiB
    /// --immediate-mode: each packet handed over as it arrives (libpcap immediate mode). Off by
    /// default: on Linux that mode rings one MTU-sized slot per packet (64 KiB on lo), so a
    /// buffer holds few packets and a 1 Gbit/s burst overflows it; without it packets are
    /// packed into blocks, delivered within the 250 ms read timeout.
    bool immediateMode = false;
    std::string saveFile;              ///< -w: the live capture, or with -r the chosen connections
    std::vector<ConnId> connections;   ///< --connections: ids whose packets -w writes (with -r)
    std::string output;                ///< -o; "" or "-" is stdout
    std::string report;                ///< --report: a self-contained HTML report, or ""
    std::optional<double> replaySpeed; ///< --replay-speed: pace -r files (0 = unpaced)
    /// --format (with --csv-rows): a row of traceFormats(), never null.
    const TraceFormat* format = findTraceFormat("text");
    std::optional<Severity> failOn;
    bool verbose = false; ///< -v: the text summary lists every connection
    /// --server-log: the server's own logs, reconciled with the wire (docs/server-logs.md).
    std::vector<std::string> serverLogs;
    std::string logFormat;                       ///< --log-format: a regex with named groups
    std::optional<double> logClockOffsetSeconds; ///< --log-clock-offset: log clock - capture
    Limits limits;
    /// --threads: 2 decodes HTTP/WebSocket on a second thread while the first reads and
    /// reassembles (files only; same output); 1 does everything on one thread.
    unsigned threads = 2;
    /// Write no trace output: -r FILE --connections … -w OUT without --format or -o, quiet as
    /// tcpdump and tshark are when they write a file (issue 18).
    bool quiet = false;
};

/// Exit codes (docs/cli.md).
inline constexpr int kExitOk = 0;
inline constexpr int kExitAnomalies = 1;  ///< anomalies at or above --fail-on
inline constexpr int kExitInputError = 2; ///< usage or input error

/// Runs the files (or the live capture) in `config` and writes the chosen format. Messages
/// about unreadable inputs go to stderr, one line each, naming the file.
int run(const Config& config);

} // namespace wst::cli
