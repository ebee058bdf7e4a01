// SPDX-License-Identifier: MIT
#include "decoder/ws/ws_session.h"

#include "decoder/model/format.h"
#include "decoder/ws/ws_direction.h"

#include <algorithm>
#include <fmt/format.h>

namespace wst {

std::uint8_t WsFrame::flags() const {
    std::uint8_t f = 0;
    if (header.fin) {
        f |= frameflag::Fin;
    }
    if (header.rsv & 0x4) {
        f |= frameflag::Rsv1;
    }
    if (header.rsv & 0x2) {
        f |= frameflag::Rsv2;
    }
    if (header.rsv & 0x1) {
        f |= frameflag::Rsv3;
    }
    if (header.masked) {
        f |= frameflag::Mask;
    }
    return f;
}

WsSession::WsSession(ConnId connection, const WsNegotiation& negotiation, const Limits& limits,
                     WsObserver& observer, InflateBudget* captureBudget)
    : m_connection(connection)
    , m_observer(observer)
    , m_inflateBudget(limits.inflateWorkPerConnection, limits.inflateWorkPerCompressedByte)
    , m_captureBudget(captureBudget)
    , m_connectionWork(limits.inflateWorkPerConnection)
    , m_captureWork(limits.inflateWorkPerCapture)
    , m_workPerByte(limits.inflateWorkPerCompressedByte) {
    m_dirs[0] =
        std::make_unique<WsDirection>(*this, Direction::ClientToServer, negotiation, limits);
    m_dirs[1] =
        std::make_unique<WsDirection>(*this, Direction::ServerToClient, negotiation, limits);
}

WsSession::~WsSession() = default;

void WsSession::noteInflateBudgetSpent(Direction d, const SegmentInfo& at, std::uint64_t offset) {
    if (m_budgetReported) {
        return;
    }
    m_budgetReported = true;
    const bool connection = m_inflateBudget.spent();
    report(makeAnomaly(
        AnomalyId::WsDeflateBudgetExceeded, d, at, offset,
        fmt::format("expected=at most {} bytes of decompression work {} (Limits::{}) plus {} per "
                    "compressed byte, found=more (decompressed bytes, and {} per restart after "
                    "a final deflate block); the rest of this connection's compressed messages "
                    "is counted, not decompressed",
                    connection ? m_connectionWork : m_captureWork,
                    connection ? "per connection" : "per capture",
                    connection ? "inflateWorkPerConnection" : "inflateWorkPerCapture",
                    m_workPerByte, Inflater::kRestartWork)));
}

void WsSession::feed(Direction d, Bytes bytes, std::uint64_t offset, const SegmentInfo& at) {
    m_dirs[index(d)]->feed(bytes, offset, at);
}

void WsSession::onGap(Direction d, std::uint64_t offset, std::uint64_t length,
                      const SegmentInfo& at) {
    m_dirs[index(d)]->onGap(offset, length, at);
}

void WsSession::endDirection(Direction d, const SegmentInfo& at) {
    m_dirs[index(d)]->end(at);
}

void WsSession::finish(const SegmentInfo& at) {
    if (m_finished) {
        return;
    }
    m_finished = true;
    endDirection(Direction::ClientToServer, at);
    endDirection(Direction::ServerToClient, at);
    for (const Direction d : {Direction::ClientToServer, Direction::ServerToClient}) {
        const Direction peer = opposite(d);
        for (const Ping& p : m_pings[index(d)]) {
            // RFC 6455 §5.5.2: the pong is owed "as soon as is practical". A peer whose Close
            // came before the ping, or within kPongGrace after it, was ending the connection:
            // its missing pong is part of that, not a liveness problem. A peer that closed
            // later had the time to answer and did not.
            const bool peerWasClosing = closeSent(peer) && closeTime(peer) - p.at.time < kPongGrace;
            if (p.afterOwnClose || peerWasClosing) {
                continue;
            }
            reportUnanswered(d, p,
                             closeSent(peer)
                                 ? fmt::format("although the {} closed {} later",
                                               d == Direction::ClientToServer ? "server" : "client",
                                               formatDuration(closeTime(peer) - p.at.time))
                                 : std::string("before the connection ended"));
        }
        m_pings[index(d)].clear();
    }
}

bool WsSession::closeSent(Direction d) const {
    return m_dirs[index(d)]->closeSent();
}
std::optional<std::uint16_t> WsSession::closeCode(Direction d) const {
    return m_dirs[index(d)]->closeCode();
}
std::string_view WsSession::closeReason(Direction d) const {
    return m_dirs[index(d)]->closeReason();
}
Timestamp WsSession::closeTime(Direction d) const {
    return m_dirs[index(d)]->closeTime();
}
PacketNumber WsSession::closePacket(Direction d) const {
    return m_dirs[index(d)]->closePacket();
}
bool WsSession::desynced(Direction d) const {
    return m_dirs[index(d)]->desynced();
}
std::size_t WsSession::outstandingPings(Direction d) const {
    return m_pings[index(d)].size();
}

void WsSession::report(Anomaly&& anomaly) {
    anomaly.connection = m_connection;
    m_observer.onWsAnomaly(std::move(anomaly));
}

void WsSession::reportUnanswered(Direction d, const Ping& ping, std::string_view why) {
    report(makeAnomaly(
        AnomalyId::WsFramePingUnanswered, d, ping.at, ping.offset,
        fmt::format("expected=a pong echoing the ping's {}-byte payload (RFC 6455 §5.5.2, "
                    "§5.5.3), found=none {}",
                    ping.payload.size(), why)));
}

void WsSession::onPing(Direction from, Bytes payload, std::uint64_t offset, const SegmentInfo& at) {
    auto& queue = m_pings[index(from)];
    if (queue.size() == kMaxOutstandingPings) {
        reportUnanswered(from, queue.front(),
                         fmt::format("while {} newer pings were sent", kMaxOutstandingPings));
        queue.pop_front();
    }
    Ping p;
    p.payload.assign(reinterpret_cast<const char*>(payload.data()), payload.size());
    p.offset = offset;
    p.at = at;
    // RFC 6455 §5.5.2: no pong is due once the peer has received a Close frame.
    p.afterOwnClose = closeSent(from);
    queue.push_back(std::move(p));
}

void WsSession::onPong(Direction from, Bytes payload) {
    // A pong answers the ping with the same payload (§5.5.3). An endpoint may answer only
    // the most recent of several pings, so a match also settles the older ones. A pong that
    // matches nothing is an unsolicited heartbeat, which is legal.
    auto& queue = m_pings[index(opposite(from))];
    const std::string_view body(reinterpret_cast<const char*>(payload.data()), payload.size());
    const auto it = std::find_if(queue.rbegin(), queue.rend(),
                                 [&](const Ping& p) { return p.payload == body; });
    if (it != queue.rend()) {
        queue.erase(queue.begin(), it.base());
    }
}

} // namespace wst
