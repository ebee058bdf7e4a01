// SPDX-License-Identifier: MIT
#pragma once

#include "capture/core/limits.h"
#include "decoder/logs/reconcile.h"
#include "decoder/model/trace_store.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace wst::golden {

using Json = nlohmann::ordered_json;

/// The captures folder: $WST_CAPTURES_DIR when set (to run these tests over other captures),
/// else the project's captures/.
std::filesystem::path capturesDir();

/// Every captures/*.pcap and *.pcapng, sorted by name.
std::vector<std::filesystem::path> listCaptures(const std::filesystem::path& dir);

/// A gtest-safe name for a capture-parameterised test: the file name with every character that
/// is not a letter or digit replaced by '_'.
std::string captureTestName(const std::filesystem::path& capture);

/// captures/<name>.expect.json for captures/<name>.pcap[ng].
std::filesystem::path expectPathFor(const std::filesystem::path& capture);

/// Runs the real pipeline (libpcap file source, decoder, analyzer) over `capture` into
/// `store`. Returns the source's open error, or "" when the capture could be read.
std::string runCapture(const std::filesystem::path& capture, TraceSink& sink,
                       const Limits& limits = {});

/// The golden projection of a trace (docs/golden-format.md); with `trace.serverLogs` set, its
/// `server_log` too.
Json projection(const Trace& trace);
/// The `server_log` part: the clock's basis, match counts by "source kind certainty mark", the
/// reconciliation's story lines.
Json serverLogProjection(const logs::ServerLogReport& r);
/// captures/<name>.server.log beside captures/<name>.pcap[ng] (may not exist).
std::vector<std::filesystem::path> serverLogPathsFor(const std::filesystem::path& capture);

/// Checks an expected file's keys (unknown keys are errors, "note"/"comment" are dropped) and
/// brings it and `actual` to the same shape: `client_port` is compared only where the
/// expected file gives it. Returns "" or a description of the problem with the file.
std::string normalise(Json& expected, Json& actual);

/// The differences between two normalised projections, one line each ("connection 2: anomalies:
/// missing [a], unexpected [b]"), or "" when they are equal.
std::string describeDifferences(const Json& expected, const Json& actual);

} // namespace wst::golden
