// SPDX-License-Identifier: MIT
// wstrace: the command-line face of the decoder (docs/cli.md). Parses options, then run().
#include "app/cli/run.h"
#include "app/cli/size_option.h"
#include "capture/core/limit_ranges.h"
#include "decoder/model/anomaly.h"
#include "wst/version.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <iostream>
#include <thread>

namespace {

using namespace wst;
using namespace wst::cli;

void listAnomalies(bool markdown) {
    if (markdown) {
        std::cout << anomalyCatalogMarkdown();
        return;
    }
    for (const AnomalyInfo& info : anomalyCatalog()) {
        fmt::print("{:<42} {:<7} {}\n", info.name, toString(info.severity), info.title);
    }
}

} // namespace

int main(int argc, char** argv) {
    std::ios::sync_with_stdio(false);

    CLI::App app{"wstrace: decode WebSocket connections from pcap/pcapng files or live traffic "
                 "and explain what went wrong.",
                 "wstrace"};
    app.set_version_flag("--version", fmt::format("wstrace {}", kVersion));
    app.get_formatter()->column_width(34);

    Config config;
    std::string format = "text";
    std::string csvRows = "frames";
    std::string failOn;
    bool list = false;

    app.add_option("-r,--read", config.files,
                   "Read packets from FILE (pcap or pcapng; - for standard input; "
                   "a pipe or FIFO is read as a stream); repeat "
                   "for several files, each analysed on its own")
        ->type_name("FILE")
        ->allow_extra_args(false);
    app.add_option("-i,--interface", config.interface, "Capture live on IFACE")->type_name("IFACE");
    app.add_option("-f,--filter", config.filter, "BPF capture filter for -i")->type_name("BPF");
    auto* bufferOption = app.add_option("-B,--buffer-size", config.bufferKiB,
                                        "With -i: kernel capture buffer in KiB (as tcpdump -B)")
                             ->type_name("KIB")
                             ->default_val(config.bufferKiB)
                             ->check(countRange(64, 1024 * 1024));
    auto* immediateOption =
        app.add_flag("--immediate-mode", config.immediateMode,
                     "With -i: hand over each packet at once (lower latency, drops sooner)");
    app.add_option("-w,--write", config.saveFile,
                   "With -i: also save the packets to FILE "
                   "(pcapng)")
        ->type_name("FILE");
    // The choices come from the format table (decoder/export/formats.h); text is its first row.
    const std::vector<std::string> formats = traceFormatNames();
    std::vector<std::string> formatChoices = formats;
    formatChoices.emplace_back("markdown");
    app.add_option("--format", format,
                   fmt::format("Output: {} (default), {}; with --list-anomalies also markdown",
                               formats.front(),
                               fmt::join(formats.begin() + 1, formats.end(), ", ")))
        ->check(CLI::IsMember(formatChoices));
    double replaySpeed = -1;
    auto* replayOption =
        app.add_option("--replay-speed", replaySpeed,
                       "Replay -r files at their recorded pace times N (0.5, 1, 2, 10; 0 = as "
                       "fast as possible), printing events as they happen")
            ->type_name("N")
            ->check(finiteRange(0, 1e6));
    app.add_option("--connections", config.connections,
                   "With -r and -w: write only the packets of these connections (ids as "
                   "printed) to the -w file, as pcapng")
        ->delimiter(',')
        ->type_name("ID,...");
    app.add_option("--report", config.report,
                   "Also write a self-contained HTML report (ladder diagrams, "
                   "handshake checks, anomalies) to FILE")
        ->type_name("FILE.html");
    app.add_option("--csv-rows", csvRows, "CSV rows: frames (default) or messages")
        ->check(CLI::IsMember({"frames", "messages"}));
    app.add_option("-o,--output", config.output, "Write the output to FILE (default stdout)")
        ->type_name("FILE");
    app.add_option("--fail-on", failOn,
                   "Exit with 1 when a root cause of this severity or worse was found (a "
                   "finding that follows from another does not count)")
        ->check(CLI::IsMember({"info", "warning", "error"}));
    app.add_flag("-v,--verbose", config.verbose,
                 "Text summary: list every connection (a capture of more than 10 lists only "
                 "those with a finding; the verdict at the top counts the rest)");
    app.add_option("--server-log", config.serverLogs,
                   "Reconcile the server's own log with the wire: gin, Go net/http, gorilla, "
                   "nginx access/error and JSON logs, recognised by content; repeat for several")
        ->type_name("FILE")
        ->allow_extra_args(false)
        ->group("Server logs");
    app.add_option("--log-format", config.logFormat,
                   "A regular expression with named groups (time, status, method, path, client, "
                   "latency, key, ...) for log lines wstrace does not know")
        ->type_name("REGEX")
        ->group("Server logs");
    double clockOffset = 0;
    auto* clockOption =
        app.add_option("--log-clock-offset", clockOffset,
                       "Seconds the log's clock is ahead of the capture's (a time zone: 3600 "
                       "for UTC+01:00); default: measured from exact matches")
            ->type_name("SECONDS")
            ->check(finiteRange(-1e9, 1e9))
            ->group("Server logs");
    app.add_flag("--list-anomalies", list, "Print the anomaly catalog and exit");
    config.threads = std::thread::hardware_concurrency() > 1 ? 2 : 1;
    app.add_option("--threads", config.threads,
                   "Threads for -r files: 2 reads and reassembles on one while the other "
                   "decodes (default on machines with 2 or more CPUs), 1 uses one; the output "
                   "is the same")
        ->default_val(config.threads)
        ->check(countRange(1, 2));

    // Every size and count has a range that keeps the tool working (docs/limits.md, "Sizes
    // and counts on the command line"); a value outside it, or a negative one, is exit 2.
    Limits& limits = config.limits;
    auto sizeOption = [&app](const char* name, std::size_t& field, LimitRange range,
                             const char* what) {
        app.add_option(name, field, fmt::format("{} (K, M, G = KiB, MiB, GiB)", what))
            ->transform(byteSizeRange(range.min, range.max))
            ->type_name("BYTES")
            ->default_val(field)
            ->default_str(formatSize(field))
            ->group("Limits");
    };
    auto countOption = [&app](const char* name, std::size_t& field, LimitRange range,
                              const char* what) {
        app.add_option(name, field, what)
            ->transform(countRange(range.min, range.max))
            ->type_name("N")
            ->default_val(field)
            ->group("Limits");
    };
    sizeOption("--max-reassembly-bytes", limits.reassemblyBytesPerDirection,
               limit_range::reassemblyBytesPerDirection,
               "Out-of-order bytes buffered per TCP direction");
    sizeOption("--max-payload-prefix", limits.payloadPrefixBytes, limit_range::payloadPrefixBytes,
               "Payload bytes kept per message for output");
    sizeOption("--max-inflated", limits.inflatedBytesPerMessage,
               limit_range::inflatedBytesPerMessage,
               "Decompressed bytes per permessage-deflate message");
    sizeOption("--max-inflate-work", limits.inflateWorkPerConnection,
               limit_range::inflateWorkPerConnection,
               "Decompression work per connection (decompressed bytes, 32k per stream restart), "
               "plus 256 per compressed byte");
    sizeOption("--max-inflate-work-total", limits.inflateWorkPerCapture,
               limit_range::inflateWorkPerCapture,
               "Decompression work for the whole capture, plus 256 per compressed byte");
    sizeOption("--max-head", limits.httpHeadBytes, limit_range::httpHeadBytes,
               "Largest HTTP request or response head");
    countOption("--max-connections", limits.maxConnections, limit_range::maxConnections,
                "Connections tracked at once; past it the least recently active one ends");
    countOption("--max-anomalies-per-id", limits.anomaliesPerConnectionAndId,
                limit_range::anomaliesPerConnectionAndId,
                "Anomalies of one id kept per connection; more are only counted");
    double idleSeconds = static_cast<double>(limits.idleTimeoutNs) / 1e9;
    app.add_option("--idle-timeout", idleSeconds,
                   "Live capture: expire a connection idle this many seconds")
        ->default_val(idleSeconds)
        ->check(finiteRange(0.001, 1e9))
        ->group("Limits");

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        fmt::print(stderr, "wstrace: {} (see wstrace --help)\n", e.what());
        return kExitInputError;
    }

    auto usage = [](std::string_view message) {
        fmt::print(stderr, "wstrace: {} (see wstrace --help)\n", message);
        return kExitInputError;
    };

    if (list) {
        if (format != "text" && format != "markdown") {
            return usage("--list-anomalies prints text or markdown");
        }
        listAnomalies(format == "markdown");
        return kExitOk;
    }
    if (format == "markdown") {
        return usage("--format markdown is only for --list-anomalies");
    }
    if (config.files.empty() && config.interface.empty()) {
        return usage("nothing to read: give -r FILE or -i IFACE");
    }
    if (!config.files.empty() && !config.interface.empty()) {
        return usage("-r and -i cannot be combined");
    }
    if (std::count(config.files.begin(), config.files.end(), "-") > 1) {
        return usage("-r - (standard input) can be given once");
    }
    if (!config.connections.empty()) {
        if (config.files.size() == 1 && config.files[0] == "-") {
            // The capture is read twice: to number the connections, then to copy their packets.
            return usage("--connections reads the capture twice and needs a file, not -r -");
        }
        if (config.files.size() != 1 || config.saveFile.empty()) {
            return usage("--connections needs one -r FILE and -w OUT.pcapng");
        }
    } else if (!config.saveFile.empty() && config.interface.empty()) {
        return usage("-w saves a live capture (with -i) or chosen connections (with -r and "
                     "--connections)");
    }
    if (!config.filter.empty() && config.interface.empty()) {
        return usage("-f filters a live capture and needs -i");
    }
    if ((bufferOption->count() > 0 || immediateOption->count() > 0) && config.interface.empty()) {
        return usage("-B and --immediate-mode set up a live capture and need -i");
    }

    if ((!config.logFormat.empty() || clockOption->count() > 0) && config.serverLogs.empty()) {
        return usage(
            "--log-format and --log-clock-offset read server logs: give --server-log FILE");
    }
    if (!config.serverLogs.empty() && !config.interface.empty()) {
        return usage("--server-log reconciles a finished log with a saved capture: capture with "
                     "-i IFACE -w FILE, then run -r FILE --server-log LOG");
    }
    if (clockOption->count() > 0) {
        config.logClockOffsetSeconds = clockOffset;
    }
    config.format = findTraceFormat(format, csvRows);
    config.quiet = !config.connections.empty() && app.get_option("--format")->count() == 0 &&
                   config.output.empty() && config.report.empty();
    if (replayOption->count() > 0) {
        if (config.files.empty()) {
            return usage("--replay-speed replays files and needs -r");
        }
        config.replaySpeed = replaySpeed;
        // A replay is watched as it happens: one line per event unless a format was chosen.
        if (app.get_option("--format")->count() == 0) {
            config.format = findTraceFormat("events");
        }
    }
    limits.idleTimeoutNs = static_cast<std::int64_t>(idleSeconds * 1e9);
    if (!failOn.empty()) {
        config.failOn = severityFromName(failOn);
    }
    return run(config);
}
