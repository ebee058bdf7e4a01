// SPDX-License-Identifier: MIT
#include "app/cli/run.h"

#include "app/cli/connection_subset.h"
#include "app/cli/input.h"
#include "app/cli/stop_signals.h"
#include "capture/replay/replay_source.h"
#include "decoder/export/event_log_writer.h"
#include "decoder/export/har_writer.h"
#include "decoder/export/html_report.h"
#include "decoder/export/json_writer.h"
#include "decoder/export/jsonl_writer.h"
#include "decoder/export/text_summary.h"
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

/// The per-run writer for the streaming formats; JSON collects a TraceStore per run instead.
std::unique_ptr<TraceSink> makeWriter(const Config& config, std::ostream& out,
                                      const std::string& source) {
    switch (config.format) {
    case Format::Text:
        return std::make_unique<TextSummaryWriter>(out, source);
    case Format::Jsonl:
        return std::make_unique<JsonlWriter>(out, source);
    case Format::Json:
    case Format::Har:
        return std::make_unique<TraceStore>();
    case Format::Events:
        return std::make_unique<EventLogWriter>(out);
    case Format::Csv:
        return nullptr; // one writer for all runs, made by run()
    }
    return nullptr;
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

    std::ofstream file;
    std::ostream* out = &std::cout;
    if (!config.output.empty() && config.output != "-") {
        file.open(config.output, std::ios::binary | std::ios::trunc);
        if (!file) {
            fmt::print(stderr, "wstrace: {}: cannot open for writing\n", config.output);
            return kExitInputError;
        }
        out = &file;
    }

    AnomalyTally tally;
    std::unique_ptr<CsvWriter> csv;
    if (config.format == Format::Csv) {
        csv = std::make_unique<CsvWriter>(*out, config.csvRows);
    }
    // JSON and HAR are whole documents: their TraceStores are kept until they are written. An
    // HTML report needs the whole trace too, whatever the main format.
    const bool wholeTrace = config.format == Format::Json || config.format == Format::Har;
    std::vector<std::unique_ptr<TraceSink>> stores;
    std::vector<std::unique_ptr<TraceStore>> reportStores;
    ConnectionCollector collector; // --connections: summaries to find the packets again

    for (std::size_t i = 0; i < sources.size() && !signals.stopped(); ++i) {
        // --replay-speed paces the file at its recorded times; stop signals still end it.
        std::optional<ReplaySource> replay;
        if (config.replaySpeed && config.interface.empty()) {
            replay.emplace(*sources[i], *config.replaySpeed);
        }
        PacketSource& source = replay ? static_cast<PacketSource&>(*replay) : *sources[i];
        std::unique_ptr<TraceSink> writer = makeWriter(config, *out, source.describe());
        TraceSink& primary = csv ? static_cast<TraceSink&>(*csv) : *writer;
        FanoutSink fanout{&primary, &tally};
        if (!config.report.empty() && !wholeTrace) {
            reportStores.push_back(std::make_unique<TraceStore>());
            fanout.add(*reportStores.back());
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
            config.format != Format::Text || !config.report.empty();
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
        if (wholeTrace) {
            stores.push_back(std::move(writer));
        }
    }

    std::vector<const TraceStore*> runs;
    for (const auto& s : stores) {
        runs.push_back(static_cast<const TraceStore*>(s.get()));
    }
    for (const auto& s : reportStores) {
        runs.push_back(s.get());
    }
    if (config.format == Format::Json) {
        writeJson(runs, *out);
    } else if (config.format == Format::Har) {
        writeHar(runs, *out);
    }
    if (!config.report.empty()) {
        std::ofstream report(config.report, std::ios::binary | std::ios::trunc);
        if (report) {
            writeHtmlReport(runs, report);
        }
        if (!report) {
            fmt::print(stderr, "wstrace: {}: cannot write the report\n", config.report);
            return kExitInputError;
        }
    }
    out->flush();
    if (!*out) {
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
