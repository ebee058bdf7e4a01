// SPDX-License-Identifier: MIT
#include "tests/unit/analysis/conversation.h"

#include "tests/support/ws_frames.h"

#include <algorithm>

namespace wst::test {

namespace {
std::string wireText(const Buf& b) {
    return std::string(b.begin(), b.end());
}
Direction senderOf(bool masked) {
    return masked ? Direction::ClientToServer : Direction::ServerToClient;
}
} // namespace

std::string frame(std::uint8_t opcode, std::string_view payload, bool masked, bool fin,
                  std::uint8_t rsv) {
    return wireText(frame(senderOf(masked), opcode, payload, fin, rsv));
}

std::string clientText(std::string_view text) {
    return frame(0x1, text, true);
}
std::string serverText(std::string_view text) {
    return frame(0x1, text, false);
}

std::string closeFrame(std::uint16_t code, std::string_view reason, bool masked) {
    return wireText(frame(senderOf(masked), 0x8, closeBody(code, reason)));
}

Conversation::Conversation(bool sawSyn, Limits limits, ConnId id)
    : m_limits(limits) {
    m_info.id = id;
    m_info.client.address.bytes = {10, 0, 0, 1};
    m_info.client.port = static_cast<std::uint16_t>(40000 + id - 1); // id 1: 40000
    m_info.server.address.bytes = {10, 0, 0, 2};
    m_info.server.port = 8080;
    m_info.sawSyn = sawSyn;
    m_info.first = next(0);
    m_analyzer = std::make_unique<ConnectionAnalyzer>(m_info, m_store, m_limits);
    // RFC 8441 WebSocket streams of an HTTP/2 conversation become connections 2, 3, ...
    m_analyzer->setIdAllocator([next = m_info.id]() mutable { return ++next; });
    if (!sawSyn) {
        m_analyzer->onNotice(C2S, TcpNotice::PartialConnection, m_info.first, 0, 0);
    }
}

SegmentInfo Conversation::next(std::int64_t afterNs) {
    m_time.ns += afterNs;
    return SegmentInfo{++m_packet, m_time};
}

Conversation& Conversation::handshake() {
    m_analyzer->onSyn(C2S, false, m_info.first);
    m_analyzer->onSyn(S2C, true, next(20 * kUs));
    return *this;
}

Conversation& Conversation::send(Direction d, std::string_view bytes, std::int64_t afterNs) {
    const SegmentInfo info = next(afterNs);
    auto* p = reinterpret_cast<const std::uint8_t*>(bytes.data());
    TcpSegment seg;
    seg.payload = Bytes(p, bytes.size());
    seg.payloadLengthOnWire = static_cast<std::uint32_t>(bytes.size());
    seg.seq = static_cast<std::uint32_t>(m_offset[index(d)] + 1); // ISN 0, SYN takes one
    m_analyzer->onSegment(d, seg, info);
    m_analyzer->onData(d, m_offset[index(d)], Bytes(p, bytes.size()), info);
    m_offset[index(d)] += bytes.size();
    return *this;
}

Conversation& Conversation::ack(Direction d, std::int64_t afterNs) {
    TcpSegment seg;
    seg.flags = tcpflag::Ack;
    m_analyzer->onSegment(d, seg, next(afterNs));
    return *this;
}

Conversation& Conversation::sendSplit(Direction d, std::string_view bytes, std::size_t chunk,
                                      std::int64_t afterNs) {
    for (std::size_t i = 0; i < bytes.size(); i += chunk) {
        send(d, bytes.substr(i, chunk), i == 0 ? afterNs : 0);
    }
    return *this;
}

Conversation& Conversation::gap(Direction d, std::uint64_t length, std::int64_t afterNs) {
    m_analyzer->onGap(d, m_offset[index(d)], length, next(afterNs));
    m_offset[index(d)] += length;
    return *this;
}

Conversation& Conversation::fin(Direction d, std::int64_t afterNs) {
    m_closed[index(d)] = true;
    m_analyzer->onClose(d, CloseReason::Fin, next(afterNs));
    return *this;
}

// Like FlowTable: a RST ends both directions; a direction already ended by its FIN is not
// closed again, so a RST after FIN shows only as the peer's PeerReset.
Conversation& Conversation::rst(Direction d, std::int64_t afterNs) {
    const SegmentInfo info = next(afterNs);
    if (!m_closed[index(d)]) {
        m_closed[index(d)] = true;
        m_analyzer->onClose(d, CloseReason::Rst, info);
    }
    if (!m_closed[index(opposite(d))]) {
        m_closed[index(opposite(d))] = true;
        m_analyzer->onClose(opposite(d), CloseReason::PeerReset, info);
    }
    return *this;
}

Conversation& Conversation::notice(Direction d, TcpNotice n) {
    m_analyzer->onNotice(d, n, next(0), m_offset[index(d)], 1);
    return *this;
}

Conversation& Conversation::end(std::int64_t afterNs) {
    if (!m_ended) {
        m_ended = true;
        m_analyzer->finish(next(afterNs));
    }
    return *this;
}

const Connection& Conversation::connection() const {
    const Connection* c = m_store.connection(m_info.id);
    static const Connection kNone;
    return c != nullptr ? *c : kNone;
}

std::size_t Conversation::count(AnomalyId id) const {
    return static_cast<std::size_t>(std::count_if(m_store.anomalies.begin(),
                                                  m_store.anomalies.end(),
                                                  [&](const Anomaly& a) { return a.id == id; }));
}

const Anomaly* Conversation::first(AnomalyId id) const {
    for (const Anomaly& a : m_store.anomalies) {
        if (a.id == id) {
            return &a;
        }
    }
    return nullptr;
}

std::vector<AnomalyId> Conversation::ids() const {
    std::vector<AnomalyId> out;
    for (const Anomaly& a : m_store.anomalies) {
        out.push_back(a.id);
    }
    return out;
}

std::size_t Conversation::events(EventKind k) const {
    return static_cast<std::size_t>(std::count_if(m_store.events.begin(), m_store.events.end(),
                                                  [&](const Event& e) { return e.kind == k; }));
}

} // namespace wst::test
