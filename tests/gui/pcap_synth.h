// SPDX-License-Identifier: MIT
#pragma once

// Writes classic pcap files (Ethernet/IPv4/TCP) of many WebSocket connections, for tests that
// need a large capture: each connection does the TCP handshake, a valid RFC 6455 upgrade,
// `messages` masked text messages from the client each echoed by the server, a Close each way
// and FIN both ways.

#include <cstdint>
#include <string>

namespace wst::test {

struct SynthOptions {
    int connections = 1000;
    int messages = 4;
    /// Connections overlap: a new one starts every `spacingUs` microseconds.
    std::int64_t spacingUs = 2000;
};

/// Returns the number of packets written, or -1 if the file could not be written.
long long writeSyntheticCapture(const std::string& path, const SynthOptions& options);

} // namespace wst::test
