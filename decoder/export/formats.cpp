// SPDX-License-Identifier: MIT
#include "decoder/export/formats.h"

#include "decoder/export/csv_writer.h"
#include "decoder/export/event_log_writer.h"
#include "decoder/export/har_writer.h"
#include "decoder/export/html_report.h"
#include "decoder/export/json_writer.h"
#include "decoder/export/jsonl_writer.h"
#include "decoder/export/text_summary.h"

#include <algorithm>

namespace wst {

namespace {

using Runs = std::vector<const Trace*>;

template <CsvWriter::Rows rows>
std::unique_ptr<TraceSink> makeCsv(std::ostream& out, const std::string&, const SinkOptions&) {
    return std::make_unique<CsvWriter>(out, rows);
}

const TraceFormat kFormats[] = {
    {"text", "", "txt", "", "", FormatShape::PerRun, false, true,
     [](std::ostream& out, const std::string& source,
        const SinkOptions& options) -> std::unique_ptr<TraceSink> {
         auto writer =
             std::make_unique<TextSummaryWriter>(out, source, options.streaming, options.verbose);
         if (options.serverLogs) {
             writer->reconcileLogs(options.serverLogs, options.reconcile);
         }
         return writer;
     },
     nullptr},
    {"json", "", "json", "&JSON…", "JSON (*.json)", FormatShape::WholeTrace, true, true, nullptr,
     [](const Runs& runs, std::ostream& out) { writeJson(runs, out); }},
    {"jsonl", "", "jsonl", "", "", FormatShape::PerRun, true, true,
     [](std::ostream& out, const std::string& source,
        const SinkOptions& options) -> std::unique_ptr<TraceSink> {
         auto writer = std::make_unique<JsonlWriter>(out, source);
         if (options.serverLogs) {
             writer->reconcileLogs(options.serverLogs, options.reconcile);
         }
         return writer;
     },
     nullptr},
    {"csv", "frames", "frames.csv", "CSV, one row per &frame…", "CSV (*.csv)",
     FormatShape::OneForAllRuns, true, true, makeCsv<CsvWriter::Rows::Frames>, nullptr},
    {"csv", "messages", "messages.csv", "CSV, one row per &message…", "CSV (*.csv)",
     FormatShape::OneForAllRuns, true, true, makeCsv<CsvWriter::Rows::Messages>, nullptr},
    {"har", "", "har", "&HAR (Chrome DevTools)…", "HAR (*.har)", FormatShape::WholeTrace, true,
     true, nullptr, [](const Runs& runs, std::ostream& out) { writeHar(runs, out); }},
    {"events", "", "events.txt", "", "", FormatShape::PerRun, true, true,
     [](std::ostream& out, const std::string&, const SinkOptions&) -> std::unique_ptr<TraceSink> {
         return std::make_unique<EventLogWriter>(out);
     },
     nullptr},
    {"html", "", "html", "HTML &Report…", "HTML (*.html)", FormatShape::WholeTrace, true, false,
     nullptr, [](const Runs& runs, std::ostream& out) { writeHtmlReport(runs, out); }},
};

} // namespace

std::span<const TraceFormat> traceFormats() {
    return kFormats;
}

const TraceFormat* findTraceFormat(std::string_view name, std::string_view variant) {
    for (const TraceFormat& f : kFormats) {
        if (f.name == name && (variant.empty() || f.variant == variant || f.variant.empty())) {
            return &f;
        }
    }
    return nullptr;
}

std::vector<std::string> traceFormatNames() {
    std::vector<std::string> names;
    for (const TraceFormat& f : kFormats) {
        if (f.formatOption && std::find(names.begin(), names.end(), f.name) == names.end()) {
            names.emplace_back(f.name);
        }
    }
    return names;
}

void writeTrace(const TraceFormat& format, const Trace& trace, std::ostream& out) {
    if (format.shape == FormatShape::WholeTrace) {
        format.writeRuns(Runs{&trace}, out);
        return;
    }
    const std::unique_ptr<TraceSink> sink = format.makeSink(out, trace.stats.source, {});
    std::vector<bool> started(trace.connections.size() + 1, false);
    for (const Event& e : trace.events) {
        if (const Connection* c = trace.connection(e.connection); c && !started[c->id]) {
            started[c->id] = true;
            sink->onConnectionStart(*c);
        }
        sink->onEvent(e, trace.messageOf(e), trace.anomalyOf(e));
    }
    for (const Anomaly& a : trace.anomalies) {
        if (a.connection == 0) {
            sink->onCaptureAnomaly(a);
        }
    }
    for (const Connection& c : trace.connections) {
        if (started[c.id]) {
            sink->onConnectionEnd(c);
        }
    }
    sink->onFinish(trace.stats);
}

} // namespace wst
