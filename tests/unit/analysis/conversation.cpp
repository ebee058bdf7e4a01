// SPDX-License-Identifier: MIT
#include "tests/unit/analysis/conversation.h"

#include <algorithm>
#include <fmt/format.h>

namespace wst::test {

std::string upgradeRequest(std::string_view extra, std::string_view target) {
    return fmt::format("GET {} HTTP/1.1\r\nHost: example.com\r\nUser-Agent: Grafana k6/0.50\r\n"
                       "Connection: Upgrade\r\nSec-WebSocket-Key: {}\r\n"
                       "Sec-WebSocket-Version: 13\r\nUpgrade: websocket\r\n{}\r\n",
                       target, kKey, extra);
}

std::string gorilla101(std::string_view extra) {
    return fmt::format("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                       "Connection: Upgrade\r\nSec-WebSocket-Accept: {}\r\n{}\r\n",
                       kAccept, extra);
}

std::string nginx101() {
    return fmt::format("HTTP/1.1 101 Switching Protocols\r\nServer: nginx/1.22.1\r\n"
                       "Date: Tue, 24 Nov 2026 20:00:00 GMT\r\nConnection: upgrade\r\n"
                       "Upgrade: websocket\r\nSec-WebSocket-Accept: {}\r\n\r\n",
                       kAccept);
}

std::string gorillaError(int status, std::string_view reason, std::string_view body) {
    return fmt::format("HTTP/1.1 {} {}\r\nContent-Type: text/plain; charset=utf-8\r\n"
                       "Sec-Websocket-Version: 13\r\nX-Content-Type-Options: nosniff\r\n"
                       "Date: Tue, 24 Nov 2026 20:00:00 GMT\r\nContent-Length: {}\r\n\r\n{}",
                       status, reason, body.size(), body);
}

std::string frame(std::uint8_t opcode, std::string_view payload, bool masked, bool fin,
                  std::uint8_t rsv) {
    std::string f;
    f += static_cast<char>((fin ? 0x80 : 0) | (rsv << 4) | (opcode & 0x0f));
    const std::uint8_t maskBit = masked ? 0x80 : 0;
    const std::size_t n = payload.size();
    if (n < 126) {
        f += static_cast<char>(maskBit | n);
    } else if (n <= 0xffff) {
        f += static_cast<char>(maskBit | 126);
        f += static_cast<char>(n >> 8);
        f += static_cast<char>(n & 0xff);
    } else {
        f += static_cast<char>(maskBit | 127);
        for (int i = 7; i >= 0; --i) {
            f += static_cast<char>((static_cast<std::uint64_t>(n) >> (8 * i)) & 0xff);
        }
    }
    static constexpr std::uint8_t kMask[4] = {0x37, 0xfa, 0x21, 0x3d}; // RFC 6455 §5.7
    if (masked) {
        f.append(reinterpret_cast<const char*>(kMask), 4);
    }
    for (std::size_t i = 0; i < n; ++i) {
        f += masked ? static_cast<char>(payload[i] ^ kMask[i % 4]) : payload[i];
    }
    return f;
}

std::string clientText(std::string_view text) {
    return frame(0x1, text, true);
}
std::string serverText(std::string_view text) {
    return frame(0x1, text, false);
}

std::string closeFrame(std::uint16_t code, std::string_view reason, bool masked) {
    std::string body;
    body += static_cast<char>(code >> 8);
    body += static_cast<char>(code & 0xff);
    body += reason;
    return frame(0x8, body, masked);
}

Conversation::Conversation(bool sawSyn, Limits limits, ConnId id)
    : m_limits(limits) {
    m_info.id = id;
    m_info.client.address.bytes = {10, 0, 0, 1};
    m_info.client.port = 40000;
    m_info.server.address.bytes = {10, 0, 0, 2};
    m_info.server.port = 8080;
    m_info.sawSyn = sawSyn;
    m_info.first = next(0);
    m_analyzer = std::make_unique<ConnectionAnalyzer>(m_info, m_store, m_limits);
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
    const Connection* c = m_store.connection(1);
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
