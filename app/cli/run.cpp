// SPDX-License-Identifier: MIT
#include "app/cli/run.h"

#include "app/cli/connection_subset.h"
#include "app/cli/input.h"
#include "app/cli/stop_signals.h"
#include "capture/replay/replay_source.h"
#include "decoder/export/csv_writer.h"
#include "decoder/export/formats.h"
#include "decoder/logs/reconcile.h"
#include "decoder/model/sink_fanout.h"
#include "decoder/pipeline/pipeline.h"

#include <cstdio>
#include <fmt/format.h>
#include <fstream>
#include <iostream>
#include <memory>
#include <unistd.h>

namespace wst::cli {

namespace {

/// Progress goes to stderr only when a person is watching it.
std::function<void(const CaptureStats&)> progressPrinter() {
    if (isatty(STDERR_FILENO) == 0) {
        return {};
    }
    return [](const CaptureStats& s) {
        fmt::print(stderr, "\r\033[K{}: {} packets, {} bytes", s.source, s.packets, s.bytes);
        std::fflush(stderr);
    };
}

void clearProgress() {
    if (isatty(STDERR_FILENO) != 0) {
        fmt::print(stderr, "\r\033[K");
    }
}

} // namespace

int run(const Config& config) {
    StopSignals signals;

    // Open every input first: a missing or unreadable file is reported before any output.
    std::vector<std::unique_ptr<PacketSource>> sources;
    bool inputError = false;
    if (!config.interface.empty()) {
        std::string error, notice;
        auto live = openLive(config, error, notice);
        if (!live) {
            fmt::print(stderr, "wstrace: {}\n", error);
            return kExitInputError;
        }
        fmt::print(stderr, "{}", notice);
        std::fflush(stderr);
        sources.push_back(std::move(live));
    }
    for (const std::string& path : config.files) {
        std::string error;
        auto source = openFile(path, error);
        if (!source) {
            fmt::print(stderr, "wstrace: {}\n", error);
            inputError = true;
            continue;
        }
        sources.push_back(std::move(source));
    }
    if (inputError) {
        return kExitInputError;
    }

    // Server logs are read before any output too: a log that is not one is an input error.
    std::shared_ptr<logs::ServerLogs> serverLogs;
    logs::ReconcileOptions reconcile;
    if (!config.serverLogs.empty()) {
        std::optional<logs::CustomFormat> custom;
        if (!config.logFormat.empty()) {
            std::string error;
            custom = logs::CustomFormat::compile(config.logFormat, error);
            if (!custom) {
                fmt::print(stderr, "wstrace: {}\n", error);
                return kExitInputError;
            }
        }
        serverLogs = std::make_shared<logs::ServerLogs>();
        for (const std::string& path : config.serverLogs) {
            std::string error;
            if (!logs::readLogFile(path, *serverLogs, error, custom ? &*custom : nullptr)) {
                fmt::print(stderr, "wstrace: {}\n", error);
                inputError = true;
            }
        }
        if (inputError) {
            return kExitInputError;
        }
        if (config.logClockOffsetSeconds) {
            reconcile.clockOffsetNs =
                static_cast<std::int64_t>(*config.logClockOffsetSeconds * 1e9);
        }
    }

    std::ofstream file;
    std::ostream* out = &std::cout;
    std::ostream discard(nullptr); // --connections -w without --format/-o: nothing on stdout
    if (config.quiet) {
        out = &discard;
    }
    if (!config.output.empty() && config.output != "-") {
        file.open(config.output, std::ios::binary | std::ios::trunc);
        if (!file) {
            fmt::print(stderr, "wstrace: {}: cannot open for writing\n", config.output);
            return kExitInputError;
        }
        out = &file;
    }

    const TraceFormat& format = *config.format;
    const TraceFormat* report = config.report.empty() ? nullptr : findTraceFormat("html");
    AnomalyTally tally;
    std::unique_ptr<TraceSink> shared; // a OneForAllRuns format's sink (CSV: one header row)
    if (format.shape == FormatShape::OneForAllRuns) {
        shared = format.makeSink(*out, {},
                                 SinkOptions{!config.interface.empty(), config.verbose, {}, {}});
    }
    // Whole-trace formats (JSON, HAR) and the HTML report need each run's whole Trace, kept
    // until they are written; the streaming formats keep only what they need.
    const bool wholeTrace = format.shape == FormatShape::WholeTrace;
    std::vector<std::unique_ptr<Trace>> traces;
    ConnectionCollector collector; // --connections: summaries to find the packets again

    for (std::size_t i = 0; i < sources.size() && !signals.stopped(); ++i) {
        // --replay-speed paces the file at its recorded times; stop signals still end it.
        std::optional<ReplaySource> replay;
        if (config.replaySpeed && config.interface.empty()) {
            replay.emplace(*sources[i], *config.replaySpeed);
        }
        PacketSource& source = replay ? static_cast<PacketSource&>(*replay) : *sources[i];
        std::unique_ptr<TraceSink> writer;
        if (format.shape == FormatShape::PerRun) {
            // A live capture or a paced replay is told as it happens; a file, story first.
            const SinkOptions sinkOptions{!config.interface.empty() || replay.has_value(),
                                          config.verbose, serverLogs, reconcile};
            writer = format.makeSink(*out, source.describe(), sinkOptions);
        }
        if (auto* csv = dynamic_cast<CsvWriter*>(shared.get())) {
            csv->setSource(source.describe()); // the CSV's source column (several -r files)
        }
        if (wholeTrace || report) {
            traces.push_back(std::make_unique<Trace>());
        }
        TraceSink& primary = wholeTrace ? *traces.back() : shared ? *shared : *writer;
        FanoutSink fanout{&primary, &tally};
        if (report && !wholeTrace) {
            fanout.add(*traces.back());
        }
        if (!config.connections.empty()) {
            fanout.add(collector);
        }

        const bool live = !config.interface.empty() && i == 0;
        Pipeline::Options options;
        options.limits = config.limits;
        // The text summary shows no payload: binary ones are then counted, not unmasked and
        // copied (a fifth of the analysis of a load test). Identical summary either way.
        options.limits.keepMessagePayloads =
            format.needsPayloads || (report != nullptr && report->needsPayloads);
        options.live = live;
        options.progress = progressPrinter();
        // Live captures and paced replays are slower than one thread; files gain from two.
        options.analysisThread = config.threads > 1 && !live && !replay;
        Pipeline pipeline(source, fanout, std::move(options));
        signals.arm([&pipeline] { pipeline.stop(); });
        const CaptureStats stats = pipeline.run();
        signals.arm({});
        clearProgress();
        if (live) {
            if (const std::string counters = liveCounterReport(stats); !counters.empty()) {
                fmt::print(stderr, "wstrace: {}\n", counters);
            }
        }
        if (!stats.error.empty()) {
            fmt::print(stderr, "wstrace: {}\n", stats.error);
            inputError = true;
        }
        if (serverLogs && (wholeTrace || report)) {
            traces.back()->serverLogs =
                logs::reconcile(serverLogs, traces.back()->connections, reconcile);
        }
    }

    std::vector<const Trace*> runs;
    for (const auto& t : traces) {
        runs.push_back(t.get());
    }
    if (wholeTrace) {
        format.writeRuns(runs, *out);
    }
    if (report) {
        std::ofstream reportFile(config.report, std::ios::binary | std::ios::trunc);
        if (reportFile) {
            report->writeRuns(runs, reportFile);
        }
        if (!reportFile) {
            fmt::print(stderr, "wstrace: {}: cannot write the report\n", config.report);
            return kExitInputError;
        }
    }
    out->flush();
    if (!config.quiet && !*out) {
        fmt::print(stderr, "wstrace: {}: write failed\n",
                   config.output.empty() ? "stdout" : config.output);
        return kExitInputError;
    }
    if (inputError) {
        return kExitInputError;
    }
    if (!config.connections.empty()) {
        const std::set<ConnId> chosen(config.connections.begin(), config.connections.end());
        const int rc = writeConnectionSubset(config.files.front(), collector.connections, chosen,
                                             config.saveFile);
        if (rc != kExitOk) {
            return rc;
        }
    }
    if (config.failOn && tally.atLeast(*config.failOn)) {
        return kExitAnomalies;
    }
    return kExitOk;
}

} // namespace wst::cli
