// SPDX-License-Identifier: MIT
#pragma once

// The server-log reconciliation (decoder/logs/reconcile.h) in every output's words: JSON
// objects for the JSON and JSONL writers, and plain lines for the text summary and the HTML
// report (docs/server-logs.md).

#include "decoder/export/json_fields.h"
#include "decoder/logs/reconcile.h"

#include <string>
#include <vector>

namespace wst::json {

/// One log entry with its match: file, line, source, kind, time, what it states, the
/// connection, certainty, candidates, mark and reason.
Json logLine(const logs::ServerLogReport& r, const logs::LogMatch& m);
/// A connection's `log_lines`: its matched entries in log order ([] when none).
Json logLinesOf(const logs::ServerLogReport& r, ConnId id);
/// The capture's `logs` section: files with their counts, the clock, the story, the table by
/// path, and the entries that matched no connection.
Json logsSection(const logs::ServerLogReport& r);

} // namespace wst::json

namespace wst {

/// "gin.log:57" — the file's name (not its directory) and the entry's first line.
std::string logLocation(const logs::ServerLogReport& r, const logs::LogLine& e);
/// One line for a matched entry, as the text summary prints it under a connection:
/// "gin.log:57  [GIN] … | 200 | … — contradicts the wire (address): gin's Logger prints …".
std::string logMatchLine(const logs::ServerLogReport& r, const logs::LogMatch& m);
/// The table by path as aligned text lines (header first): path, what the log claims, what the
/// wire shows.
std::vector<std::string> logPathTable(const logs::ServerLogReport& r);
/// "gin.log: 618 lines, 310 entries (300 gin, …), 12 unrecognised" per file.
std::vector<std::string> logFileLines(const logs::ServerLogReport& r);

} // namespace wst
