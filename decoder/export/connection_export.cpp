// SPDX-License-Identifier: MIT
#include "decoder/export/connection_export.h"

#include "capture/net/packet_decoder.h"

#include <algorithm>
#include <map>

namespace wst {
namespace {

using EndpointPair = std::pair<Endpoint, Endpoint>;

EndpointPair ordered(const Endpoint& a, const Endpoint& b) {
    return a < b ? EndpointPair{a, b} : EndpointPair{b, a};
}

struct Start {
    PacketNumber firstPacket;
    ConnId id;
};

} // namespace

ConnectionExportResult exportConnections(PacketSource& source, const std::vector<Connection>& all,
                                         const std::set<ConnId>& chosen,
                                         const std::function<bool(const RawPacket&)>& write) {
    // Only the 4-tuples of chosen connections matter, but every connection on such a tuple
    // marks a boundary.
    std::map<EndpointPair, std::vector<Start>> starts;
    for (const Connection& c : all)
        if (chosen.count(c.id))
            starts[ordered(c.client, c.server)];
    for (const Connection& c : all) {
        auto it = starts.find(ordered(c.client, c.server));
        if (it != starts.end())
            it->second.push_back({c.firstPacket, c.id});
    }
    for (auto& [pair, list] : starts)
        std::sort(list.begin(), list.end(),
                  [](const Start& a, const Start& b) { return a.firstPacket < b.firstPacket; });

    ConnectionExportResult result;
    RawPacket packet;
    for (;;) {
        const ReadStatus status = source.next(packet);
        if (status == ReadStatus::Timeout)
            continue;
        if (status == ReadStatus::EndOfFile)
            break;
        if (status == ReadStatus::Error) {
            result.error = source.errorMessage();
            break;
        }
        ++result.packetsRead;
        const DecodedPacket decoded = decodePacket(packet);
        if (decoded.status != DecodeStatus::Ok)
            continue;
        auto it = starts.find(ordered(decoded.tcp.source, decoded.tcp.destination));
        if (it == starts.end())
            continue;
        const std::vector<Start>& list = it->second;
        // The latest connection on this tuple that started at or before this packet.
        auto owner =
            std::upper_bound(list.begin(), list.end(), packet.number,
                             [](PacketNumber n, const Start& s) { return n < s.firstPacket; });
        if (owner == list.begin() || !chosen.count(std::prev(owner)->id))
            continue;
        if (!write(packet)) {
            result.error = "write failed";
            break;
        }
        ++result.packetsWritten;
    }
    return result;
}

} // namespace wst
