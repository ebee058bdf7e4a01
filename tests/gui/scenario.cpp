// SPDX-License-Identifier: MIT
#include "tests/gui/scenario.h"

namespace wst::test {

namespace {
Endpoint endpoint(std::uint8_t last, std::uint16_t port) {
    Endpoint e;
    e.address.bytes[0] = 10;
    e.address.bytes[3] = last;
    e.port = port;
    return e;
}
} // namespace

Scenario::Scenario()
    // maxEvents 4: many small batches, so models see many inserts.
    : m_sink([this](TraceBatch&& b) { m_batches.push_back(std::move(b)); },
             std::chrono::milliseconds(100000), 4) {}

Connection Scenario::start(std::uint16_t clientPort, const char* target) {
    Connection c;
    c.id = m_next++;
    c.client = endpoint(1, clientPort);
    c.server = endpoint(2, 8080);
    m_now += 1'000'000;
    c.first = c.last = {m_now};
    c.firstPacket = m_packet + 1;
    c.sawSyn = true;
    m_sink.onConnectionStart(c);
    event(c, EventKind::TcpSyn, Direction::ClientToServer);
    event(c, EventKind::TcpSynAck, Direction::ServerToClient);
    RequestSummary r;
    r.method = "GET";
    r.target = target;
    r.httpVersion = "HTTP/1.1";
    r.host = "example.test:8080";
    r.key = kKey;
    r.version = "13";
    r.isUpgrade = true;
    r.headers = {{"Host", r.host},
                 {"Upgrade", "websocket"},
                 {"Connection", "Upgrade"},
                 {"Sec-WebSocket-Key", std::string(kKey)},
                 {"Sec-WebSocket-Version", "13"}};
    m_now += 150'000;
    r.time = {m_now};
    r.packet = m_packet + 1;
    c.request = r;
    event(c, EventKind::HttpRequest, Direction::ClientToServer, 180);
    m_sink.onConnectionUpdate(c);
    return c;
}

void Scenario::event(Connection& c, EventKind kind, Direction d, std::uint64_t length,
                     std::uint8_t opcode, std::uint16_t status, std::uint16_t closeCode) {
    Event e;
    m_now += 40'000;
    e.time = {m_now};
    e.packet = ++m_packet;
    e.connection = c.id;
    e.kind = kind;
    e.direction = d;
    e.length = length;
    e.opcode = opcode;
    e.status = status;
    e.closeCode = closeCode;
    e.frameFlags = frameflag::Fin | (d == Direction::ClientToServer ? frameflag::Mask : 0);
    c.last = e.time;
    c.lastPacket = e.packet;
    if (kind == EventKind::TcpFin) {
        c.stats[index(d)].tcpEnd = TcpEnd::Fin;
        c.stats[index(d)].tcpEndTime = e.time;
    }
    m_sink.onEvent(e, nullptr, nullptr);
}

void Scenario::message(Connection& c, Direction d, std::uint8_t opcode,
                       const std::string& payload) {
    Message m;
    m.connection = c.id;
    m.direction = d;
    m.opcode = opcode;
    m.wireLength = m.length = payload.size();
    m_now += 2'000'000;
    m.first = m.last = {m_now};
    m.firstPacket = m.lastPacket = ++m_packet;
    m.payload = payload;
    Event e;
    e.time = m.first;
    e.packet = m.firstPacket;
    e.connection = c.id;
    e.direction = d;
    e.opcode = opcode;
    e.length = payload.size();
    e.frameFlags = frameflag::Fin | (d == Direction::ClientToServer ? frameflag::Mask : 0);
    e.kind = opcode >= 8 ? EventKind::WsFrame : EventKind::WsMessage;
    if (opcode < 8) {
        // The frame first (no payload reference), then the message it completes.
        Event f = e;
        f.kind = EventKind::WsFrame;
        m_sink.onEvent(f, nullptr, nullptr);
    }
    m_sink.onEvent(e, &m, nullptr);
    auto& s = c.stats[index(d)];
    ++s.frames;
    ++s.framesByOpcode[opcode];
    if (opcode < 8) {
        ++s.messages;
        ++s.messagesByOpcode[opcode];
    }
    c.last = m.last;
}

void Scenario::anomaly(Connection& c, AnomalyId id, std::optional<Direction> d,
                       std::string detail) {
    Anomaly a;
    a.id = id;
    a.connection = c.id;
    a.direction = d;
    a.time = c.last;
    a.packet = m_packet;
    a.detail = std::move(detail);
    Event e;
    e.time = a.time;
    e.packet = a.packet;
    e.connection = c.id;
    e.kind = EventKind::Anomaly;
    e.direction = d.value_or(Direction::ClientToServer);
    m_sink.onEvent(e, nullptr, &a);
    ++c.anomaliesBySeverity[static_cast<std::size_t>(a.severity())];
}

void Scenario::response(Connection& c, int status, const char* reason, bool upgrade) {
    ResponseSummary r;
    r.status = status;
    r.reason = reason;
    r.httpVersion = "HTTP/1.1";
    if (upgrade) {
        r.accept = kAccept;
        r.headers = {{"Upgrade", "websocket"},
                     {"Connection", "Upgrade"},
                     {"Sec-WebSocket-Accept", std::string(kAccept)}};
    } else {
        r.headers = {{"Content-Type", "text/plain"}};
        r.bodyPrefix = status == 403 ? "origin not allowed" : "";
    }
    m_now += 300'000;
    r.time = {m_now};
    r.packet = m_packet + 1;
    c.responses.push_back(r);
    if (!c.handshakeLatencyNs) {
        c.handshakeLatencyNs = r.time - c.request->time;
    }
    m_now -= 40'000; // event() advances the clock again
    event(c, EventKind::HttpResponse, Direction::ServerToClient, 120, 0,
          static_cast<std::uint16_t>(status));
    m_sink.onConnectionUpdate(c);
}

void Scenario::addHealthy() {
    Connection c = start(50001, "/ws");
    response(c, 101, "Switching Protocols", true);
    c.outcome = Outcome::Upgraded;
    event(c, EventKind::Upgrade, Direction::ServerToClient);
    message(c, Direction::ClientToServer, 0x1, R"({"op":"subscribe","topic":"prices"})");
    message(c, Direction::ServerToClient, 0x1, R"({"op":"ack","id":1})");
    message(c, Direction::ServerToClient, 0x2, std::string("\x00\x01\x02\xff", 4));
    message(c, Direction::ServerToClient, 0x9, "hb");
    message(c, Direction::ClientToServer, 0xA, "hb");
    for (Direction d : {Direction::ClientToServer, Direction::ServerToClient}) {
        event(c, EventKind::WsClose, d, 2, 0x8, 0, 1000);
        c.stats[index(d)].sentClose = true;
        c.stats[index(d)].closeCode = 1000;
        c.stats[index(d)].closeTime = c.last;
    }
    c.firstClose = Direction::ClientToServer;
    event(c, EventKind::TcpFin, Direction::ServerToClient);
    event(c, EventKind::TcpFin, Direction::ClientToServer);
    c.cleanClose = true;
    c.finished = true;
    m_sink.onConnectionEnd(c);
}

void Scenario::addTwoResponses() {
    Connection c = start(50002, "/ws");
    response(c, 200, "OK", false);
    response(c, 101, "Switching Protocols", true);
    anomaly(c, AnomalyId::HijackTwoResponses, Direction::ServerToClient, "first=200, second=101");
    c.outcome = Outcome::Failed;
    event(c, EventKind::TcpFin, Direction::ClientToServer);
    anomaly(c, AnomalyId::HijackClosedAfterUpgrade, std::nullopt, "");
    event(c, EventKind::TcpFin, Direction::ServerToClient);
    c.finished = true;
    m_sink.onConnectionEnd(c);
}

void Scenario::addRefused() {
    Connection c = start(50003, "/chat");
    response(c, 403, "Forbidden", false);
    anomaly(c, AnomalyId::HttpUpgradeRefused, Direction::ServerToClient, "status=403");
    c.outcome = Outcome::Refused;
    event(c, EventKind::TcpFin, Direction::ServerToClient);
    c.finished = true;
    m_sink.onConnectionEnd(c);
}

std::vector<TraceBatch> Scenario::finish() {
    CaptureStats stats;
    stats.packets = m_packet;
    stats.source = "scenario";
    m_sink.onFinish(stats);
    return std::move(m_batches);
}

} // namespace wst::test
