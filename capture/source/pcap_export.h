// SPDX-License-Identifier: MIT
#pragma once

#include "core/types.h"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace wst {

/// One connection to copy out of a capture: its two endpoints (either direction matches) and,
/// because a 4-tuple can be reused, the packet-number range it lives in.
struct ConnectionSelector {
    Endpoint client;
    Endpoint server;
    PacketNumber firstPacket = 1;
    PacketNumber lastPacket = std::numeric_limits<PacketNumber>::max();
};

struct ExportResult {
    std::uint64_t packetsRead = 0;
    std::uint64_t packetsWritten = 0;
    std::string error; ///< "" on success; one line naming the file otherwise
};

/// Copies every TCP packet of the selected connections from the capture at `input` (pcap or
/// pcapng) to a new pcapng file at `output`, in file order with their original timestamps and
/// bytes: "export these connections" in the GUI and CLI. Reads the input once; memory does not
/// depend on its size.
ExportResult exportConnections(const std::string& input, const std::string& output,
                               const std::vector<ConnectionSelector>& connections);

} // namespace wst
