// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>

namespace wst::bench {

/// What the k6-style load-test capture generator makes (tests/bench/gen_loadtest.cpp).
struct LoadTestOptions {
    std::uint64_t targetBytes = 100ULL << 20; ///< stop opening/exchanging near this file size
    std::uint32_t clients = 1000;             ///< concurrent connections (k6 VUs)
    double reorderPct = 0;                    ///< data segments delivered 1–3 packets late
    double duplicatePct = 0; ///< data segments captured twice (spurious retransmission)
    std::uint64_t seed = 1;
    std::uint16_t mss = 1448; ///< Ethernet MTU 1500 less IPv4, TCP and timestamp option
    std::string output;       ///< pcap path
    std::string truth;        ///< sidecar JSON path, or empty
};

struct LoadTestResult {
    std::uint64_t bytes = 0;
    std::uint64_t packets = 0;
    std::uint64_t connections = 0;
    std::uint64_t frames = 0;
    std::uint64_t messages = 0;
};

/// Writes the capture (and the sidecar) deterministically for the options' seed. The sidecar
/// is JSON: {"generator", "options", "totals": {packets, bytes, connections, frames, messages,
/// framesByOpcode, messagesByOpcode, reordered, duplicated}, "connections": [{"client":
/// "127.0.0.1:32768", "server": "127.0.0.1:8080", "c2s"/"s2c": {"frames", "messages",
/// "framesByOpcode", "messagesByOpcode", "closeCode"}}]}. Opcode maps are keyed by opcode name
/// ("continuation", "text", "binary", "close", "ping", "pong"); "frames" counts every frame,
/// "messages" the data messages (text and binary, by their first frame's opcode), as the trace
/// model counts them. Throws std::runtime_error on I/O errors.
LoadTestResult generateLoadTest(const LoadTestOptions& options);

} // namespace wst::bench
