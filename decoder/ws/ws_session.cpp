// SPDX-License-Identifier: MIT
#include "decoder/ws/ws_session.h"

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
                     WsObserver& observer)
    : m_connection(connection)
    , m_observer(observer) {
    m_dirs[0] =
        std::make_unique<WsDirection>(*this, Direction::ClientToServer, negotiation, limits);
    m_dirs[1] =
        std::make_unique<WsDirection>(*this, Direction::ServerToClient, negotiation, limits);
}

WsSession::~WsSession() = default;

void WsSession::feed(Direction d, Bytes bytes, std::uint64_t offset, Timestamp time,
                     PacketNumber packet) {
    m_dirs[index(d)]->feed(bytes, offset, time, packet);
}

void WsSession::onGap(Direction d, std::uint64_t offset, std::uint64_t length, Timestamp time,
                      PacketNumber packet) {
    m_dirs[index(d)]->onGap(offset, length, time, packet);
}

void WsSession::endDirection(Direction d, Timestamp time, PacketNumber packet) {
    m_dirs[index(d)]->end(time, packet);
}

void WsSession::finish(Timestamp time, PacketNumber packet) {
    if (m_finished) {
        return;
    }
    m_finished = true;
    endDirection(Direction::ClientToServer, time, packet);
    endDirection(Direction::ServerToClient, time, packet);
    for (const Direction d : {Direction::ClientToServer, Direction::ServerToClient}) {
        for (const Ping& p : m_pings[index(d)]) {
            // A side that sent Close is ending the connection; its missing pong is part of
            // that, not a liveness problem (ws_frame_ping_unanswered is about silence).
            if (!p.afterOwnClose && !closeSent(opposite(d))) {
                reportUnanswered(d, p, "before the connection ended");
            }
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

void WsSession::report(AnomalyId id, Direction d, std::uint64_t offset, Timestamp time,
                       PacketNumber packet, std::string detail) {
    Anomaly a;
    a.id = id;
    a.connection = m_connection;
    a.direction = d;
    a.time = time;
    a.packet = packet;
    a.streamOffset = offset;
    a.detail = std::move(detail);
    m_observer.onWsAnomaly(a);
}

void WsSession::reportUnanswered(Direction d, const Ping& ping, std::string_view why) {
    report(AnomalyId::WsFramePingUnanswered, d, ping.offset, ping.time, ping.packet,
           fmt::format("expected=a pong echoing the ping's {}-byte payload (RFC 6455 §5.5.2, "
                       "§5.5.3), found=none {}",
                       ping.payload.size(), why));
}

void WsSession::onPing(Direction from, Bytes payload, std::uint64_t offset, Timestamp time,
                       PacketNumber packet) {
    auto& queue = m_pings[index(from)];
    if (queue.size() == kMaxOutstandingPings) {
        reportUnanswered(from, queue.front(),
                         fmt::format("while {} newer pings were sent", kMaxOutstandingPings));
        queue.pop_front();
    }
    Ping p;
    p.payload.assign(reinterpret_cast<const char*>(payload.data()), payload.size());
    p.offset = offset;
    p.time = time;
    p.packet = packet;
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
