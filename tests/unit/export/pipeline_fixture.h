// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/model/trace_sink.h"

#include <filesystem>
#include <nlohmann/json.hpp>

namespace wst::test {

/// A small WebSocket load-test capture from the deterministic generator (tests/bench/gen),
/// written once per test binary, and its ground-truth sidecar.
struct GeneratedCapture {
    std::filesystem::path pcap;
    nlohmann::json truth;
};
const GeneratedCapture& generatedCapture();

/// Runs the real pipeline (PcapFileSource → … → sink) over `pcap`.
void runPipeline(const std::filesystem::path& pcap, TraceSink& sink);

} // namespace wst::test
