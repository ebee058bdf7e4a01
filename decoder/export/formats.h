// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/logs/reconcile.h"
#include "decoder/model/trace_store.h"

#include <memory>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace wst {

/// How a format is written.
enum class FormatShape : std::uint8_t {
    PerRun,        ///< a streaming sink per run (`-r` file), writing as the trace grows
    OneForAllRuns, ///< one streaming sink for every run (one header row for all, as CSV)
    WholeTrace,    ///< written from the whole Trace of every run once they are complete
};

/// How a streaming sink is used.
struct SinkOptions {
    /// A live capture or paced replay: write each connection as it ends, the story at the end
    /// (a file run puts the capture's story first).
    bool streaming = false;
    /// List every connection in the text summary (else a large capture lists only those with a
    /// finding; the story counts the rest).
    bool verbose = false;
    /// --server-log: the parsed logs the text summary and JSON Lines reconcile with the
    /// connections as they end (whole-trace formats read Trace::serverLogs instead), or null.
    std::shared_ptr<const logs::ServerLogs> serverLogs;
    logs::ReconcileOptions reconcile;
};

/// One output format of the trace: the one table the CLI (`--format`, `--report`) and the GUI
/// (File → Export) both iterate, so adding a format is its writer and its row here
/// (docs/ARCHITECTURE.md, "Add an export format").
struct TraceFormat {
    using SinkFactory = std::unique_ptr<TraceSink> (*)(std::ostream& out, const std::string& source,
                                                       const SinkOptions& options);
    using RunsWriter = void (*)(const std::vector<const Trace*>& runs, std::ostream& out);

    std::string_view name;    ///< the `--format` value (for "html": `--report FILE`)
    std::string_view variant; ///< "" or the `--csv-rows` value this row writes
    std::string_view suffix;  ///< file name ending, without the dot ("json", "frames.csv")
    /// File → Export entry, with its mnemonic; "" where the GUI does not offer the format
    /// (the streaming text formats describe a run as it happens, not a finished trace).
    std::string_view menuLabel;
    std::string_view fileFilter; ///< the save dialog's filter ("JSON (*.json)")
    FormatShape shape;
    /// Whether the writer reads message payloads (else Limits::keepMessagePayloads can be off:
    /// binary payloads are then counted, not unmasked or copied).
    bool needsPayloads;
    /// A `--format` choice; false for the HTML report, which the CLI writes beside any format
    /// with `--report FILE`.
    bool formatOption;
    SinkFactory makeSink; ///< PerRun and OneForAllRuns
    RunsWriter writeRuns; ///< WholeTrace
};

/// Every format, in the order `--help` and the Export menu list them.
std::span<const TraceFormat> traceFormats();
/// The row for `--format name` (and `--csv-rows variant` where the format has variants: "" is
/// its first row), or nullptr.
const TraceFormat* findTraceFormat(std::string_view name, std::string_view variant = {});
/// The `--format` choices, each once, in table order.
std::vector<std::string> traceFormatNames();

/// Writes a finished (or growing) trace in `format`. Whole-trace formats get the trace as it
/// is; a streaming sink is fed the trace's events in capture order, each connection's final
/// summary before its first event and its end after the last event, then the finish.
void writeTrace(const TraceFormat& format, const Trace& trace, std::ostream& out);

} // namespace wst
