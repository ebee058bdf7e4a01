// SPDX-License-Identifier: MIT
#pragma once

#include "capture/core/packet_source.h"
#include "decoder/model/trace.h"

#include <functional>
#include <set>
#include <string>
#include <vector>

namespace wst {

struct ConnectionExportResult {
    std::uint64_t packetsRead = 0;
    std::uint64_t packetsWritten = 0;
    std::string error; ///< a read or write error, or ""
};

/// Copies every packet of the chosen connections from `source` (the capture the trace was made
/// from, read again from its start) to `write`, unchanged and in file order, so the result
/// opens in tcpdump, Wireshark and wstrace like the original. A packet belongs to the
/// connection whose TCP endpoints it carries (either direction) and that is the latest such
/// connection to have started at or before it — so a 4-tuple reused by several connections is
/// split where each new one began, and the final ACKs after a FIN stay with their connection.
/// `all` is every connection of the trace (needed for those boundaries); `chosen` their ids.
/// `write` returns false on a write error, which stops the export.
ConnectionExportResult exportConnections(PacketSource& source, const std::vector<Connection>& all,
                                         const std::set<ConnId>& chosen,
                                         const std::function<bool(const RawPacket&)>& write);

} // namespace wst
