// SPDX-License-Identifier: MIT
#include "tests/unit/export/trace_fixture.h"

namespace wst::test {
namespace {

constexpr std::int64_t kStart = 1'700'000'000'000'000'000;

Timestamp at(std::int64_t micros) {
    return {kStart + micros * 1000};
}

Endpoint endpoint(std::uint8_t last, std::uint16_t port) {
    Endpoint e;
    e.address.bytes = {127, 0, 0, last};
    e.port = port;
    return e;
}

} // namespace

Trace smallUpgradedTrace() {
    Trace store;
    Connection c;
    c.id = 1;
    c.client = endpoint(1, 40000);
    c.server = endpoint(2, 8080);
    c.first = at(0);
    c.sawSyn = true;
    store.onConnectionStart(c);

    auto event = [&](EventKind kind, Direction dir, std::int64_t micros, PacketNumber packet) {
        Event e;
        e.kind = kind;
        e.direction = dir;
        e.time = at(micros);
        e.packet = packet;
        e.connection = 1;
        return e;
    };
    const Direction c2s = Direction::ClientToServer, s2c = Direction::ServerToClient;
    store.onEvent(event(EventKind::TcpSyn, c2s, 0, 1), nullptr, nullptr);
    store.onEvent(event(EventKind::TcpSynAck, s2c, 50, 2), nullptr, nullptr);
    store.onEvent(event(EventKind::HttpRequest, c2s, 100, 4), nullptr, nullptr);
    Event response = event(EventKind::HttpResponse, s2c, 1100, 6);
    response.status = 101;
    store.onEvent(response, nullptr, nullptr);
    store.onEvent(event(EventKind::Upgrade, s2c, 1100, 6), nullptr, nullptr);

    auto message = [&](Direction dir, std::uint8_t opcode, std::string payload, std::int64_t micros,
                       PacketNumber packet) {
        Message m;
        m.connection = 1;
        m.direction = dir;
        m.opcode = opcode;
        m.length = m.wireLength = payload.size();
        m.first = m.last = at(micros);
        m.firstPacket = m.lastPacket = packet;
        m.payload = std::move(payload);
        Event e = event(EventKind::WsMessage, dir, micros, packet);
        e.opcode = opcode;
        e.length = m.length;
        store.onEvent(e, &m, nullptr);
    };
    message(c2s, 1, "hello <server>", 2000, 8);
    message(s2c, 1, "{\"echo\":\"hello\"}", 2500, 10);
    message(c2s, 2, std::string("\x00\x01\x02\xff", 4), 3000, 12);
    // A data frame (drawn as its message) and a ping frame (drawn on its own).
    Event frame = event(EventKind::WsFrame, c2s, 3000, 12);
    frame.opcode = 2;
    frame.length = 4;
    store.onEvent(frame, nullptr, nullptr);
    Event ping = event(EventKind::WsFrame, c2s, 3500, 13);
    ping.opcode = 9;
    ping.length = 4;
    store.onEvent(ping, nullptr, nullptr);

    Anomaly a;
    a.id = AnomalyId::WsFrameResynced;
    a.connection = 1;
    a.time = at(1100);
    a.packet = 6;
    a.detail = "resynced at a plausible frame header";
    Event ae = event(EventKind::Anomaly, s2c, 1100, 6);
    store.onEvent(ae, nullptr, &a);

    Event close = event(EventKind::WsClose, c2s, 4000, 14);
    close.closeCode = 1000;
    store.onEvent(close, nullptr, nullptr);
    store.onEvent(event(EventKind::TcpFin, s2c, 4500, 16), nullptr, nullptr);

    c.last = at(4600);
    c.outcome = Outcome::Upgraded;
    RequestSummary req;
    req.method = "GET";
    req.target = "/ws?room=1";
    req.httpVersion = "HTTP/1.1";
    req.host = "127.0.0.2:8080";
    req.key = "dGhlIHNhbXBsZSBub25jZQ==";
    req.isUpgrade = true;
    req.headers = {{"Host", "127.0.0.2:8080"},
                   {"Upgrade", "websocket"},
                   {"Connection", "Upgrade"},
                   {"Sec-WebSocket-Key", req.key},
                   {"Sec-WebSocket-Version", "13"}};
    req.time = at(100);
    req.packet = 4;
    c.request = req;
    ResponseSummary res;
    res.status = 101;
    res.reason = "Switching Protocols";
    res.httpVersion = "HTTP/1.1";
    res.accept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";
    res.headers = {
        {"Upgrade", "websocket"}, {"Connection", "Upgrade"}, {"Sec-WebSocket-Accept", res.accept}};
    res.fingerprint = "gorilla/websocket";
    res.packet = 6;
    res.time = at(1100);
    c.responses.push_back(res);
    c.handshakeLatencyNs = 1'000'000;
    c.stats[0].messages = 2;
    c.stats[1].messages = 1;
    c.stats[0].sentClose = true;
    c.stats[0].closeCode = 1000;
    c.stats[1].tcpEnd = TcpEnd::Fin;
    c.anomaliesBySeverity[0] = 1;
    c.finished = true;
    store.onConnectionEnd(c);

    CaptureStats stats;
    stats.packets = 16;
    stats.first = at(0);
    stats.last = at(4600);
    stats.source = "fixture.pcap";
    store.onFinish(stats);
    return store;
}

} // namespace wst::test
