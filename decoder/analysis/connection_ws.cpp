// SPDX-License-Identifier: MIT
// ConnectionAnalyzer, WebSocket phase: frames, messages, HTTP text inside the stream,
// midstream recognition, and the closing patterns of anomalies-research.md A6–A8, A16, B8, B9,
// B11, B12 that need both directions in view.
#include "connection_analyzer.h"
#include "model/format.h"
#include "patterns.h"

#include <fmt/format.h>

namespace wst {
namespace {

constexpr std::int64_t kMs = 1'000'000;
constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::size_t kPingsTracked = 32;

std::string_view sideName(Direction d) {
    return d == Direction::ClientToServer ? "client" : "server";
}

std::uint64_t fnv1a(std::string_view s) {
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (char c : s) {
        h = (h ^ static_cast<std::uint8_t>(c)) * 0x100000001b3ull;
    }
    return h;
}

std::uint8_t frameFlags(const FrameHeader& h) {
    return static_cast<std::uint8_t>((h.fin ? frameflag::Fin : 0) |
                                     ((h.rsv & 4) != 0 ? frameflag::Rsv1 : 0) |
                                     ((h.rsv & 2) != 0 ? frameflag::Rsv2 : 0) |
                                     ((h.rsv & 1) != 0 ? frameflag::Rsv3 : 0) |
                                     (h.masked ? frameflag::Mask : 0));
}

std::string closeText(const DirectionStats& st) {
    return st.closeCode ? fmt::format("Close {}", *st.closeCode) : std::string("Close");
}

} // namespace

bool ConnectionAnalyzer::webSocketPhase() const {
    return m_upgraded || m_conn.outcome == Outcome::Midstream;
}

void ConnectionAnalyzer::wsFrame(Direction d, const FrameHeader& h, std::uint64_t offset,
                                 const SegmentInfo& start, const Message* control) {
    DirectionStats& st = m_conn.stats[index(d)];
    ++st.frames;
    ++st.framesByOpcode[h.opcode & 0x0f];
    m_lastFrameTime = std::max(m_lastFrameTime, start.time);

    Event e;
    e.kind = EventKind::WsFrame;
    e.time = start.time;
    e.packet = start.packet;
    e.streamOffset = offset;
    e.length = h.payloadLength;
    e.direction = d;
    e.opcode = h.opcode;
    e.frameFlags = frameFlags(h);
    Message* msg = nullptr;
    Message local;
    if (control != nullptr) {
        local = *control; // the sink may keep it; the stream reuses its own
        local.connection = m_conn.id;
        msg = &local;
    }
    emit(e, msg);
    if (control == nullptr) {
        return;
    }

    const std::string& p = control->payload;
    if (h.opcode == 0x8) {
        // RFC 6455 §5.5.1: an optional 2-byte code, then a UTF-8 reason.
        std::optional<std::uint16_t> code;
        if (p.size() >= 2) {
            code = static_cast<std::uint16_t>((static_cast<std::uint8_t>(p[0]) << 8) |
                                              static_cast<std::uint8_t>(p[1]));
        }
        Event c = e;
        c.kind = EventKind::WsClose;
        c.closeCode = code.value_or(0);
        emit(c);
        if (!st.sentClose) {
            st.sentClose = true;
            st.closeCode = code;
            st.closeReason = p.size() > 2 ? p.substr(2, 123) : std::string();
            st.closeTime = start.time;
            if (!m_conn.firstClose) {
                m_conn.firstClose = d;
            }
            update();
        }
    } else if (h.opcode == 0x9) {
        auto& pings = m_pings[index(d)];
        if (pings.size() == kPingsTracked) {
            pings.erase(pings.begin());
        }
        pings.push_back({fnv1a(p), start.time, start.packet, offset});
    } else if (h.opcode == 0xA) {
        // RFC 6455 §5.5.3: a Pong echoes the Ping's data; it answers that ping and, as
        // libraries may answer only the latest, every older one too. Unsolicited pongs are fine.
        auto& pings = m_pings[index(opposite(d))];
        const std::uint64_t hash = fnv1a(p);
        for (std::size_t i = pings.size(); i-- > 0;) {
            if (pings[i].hash == hash) {
                pings.erase(pings.begin(), pings.begin() + static_cast<std::ptrdiff_t>(i) + 1);
                ++m_pingsAnswered[index(opposite(d))];
                m_lastPongTime[index(opposite(d))] = start.time;
                break;
            }
        }
    }
}

void ConnectionAnalyzer::wsMessage(Direction d, const Message& m, std::uint64_t offset) {
    DirectionStats& st = m_conn.stats[index(d)];
    ++st.messages;
    ++st.messagesByOpcode[m.opcode & 0x0f];
    Event e;
    e.kind = EventKind::WsMessage;
    e.time = m.first;
    e.packet = m.firstPacket;
    e.streamOffset = offset;
    e.length = m.length;
    e.direction = d;
    e.opcode = m.opcode;
    e.frameFlags = static_cast<std::uint8_t>(frameflag::Fin | (m.compressed ? frameflag::Rsv1 : 0));
    Message out = m;
    out.connection = m_conn.id;
    emit(e, &out);
}

void ConnectionAnalyzer::wsAnomaly(Direction d, AnomalyId id, const SegmentInfo& at,
                                   std::uint64_t offset, std::string detail) {
    report(id, d, at, offset, std::move(detail));
}

void ConnectionAnalyzer::wsHttpHead(Direction d, const HttpHead& head, const SegmentInfo& start,
                                    std::uint64_t offset) {
    Event e;
    e.kind = head.isRequest ? EventKind::HttpRequest : EventKind::HttpResponse;
    e.time = start.time;
    e.packet = start.packet;
    e.streamOffset = offset;
    e.length = head.headLength;
    e.direction = d;
    e.status = static_cast<std::uint16_t>(head.status);
    emit(e);
    const std::string found = head.isRequest
                                  ? fmt::format("{} {} {}", head.method, head.target, head.version)
                                  : fmt::format("{} {} {}", head.version, head.status, head.reason);
    const std::uint64_t framesBefore =
        m_conn.stats[index(d)].frames - m_side[index(d)].framesAtUpgrade;
    if (!head.isRequest && m_conn.responses.size() < 16) {
        m_conn.responses.push_back(summarise(head, start));
    }
    const bool interim = head.status >= 100 && head.status < 200 && head.status != 101;
    if (!head.isRequest && !interim) {
        ++m_finalResponses;
    }
    if (!head.isRequest && d == Direction::ServerToClient && m_upgraded && framesBefore == 0) {
        // A3b: the 101, then right away another answer where the first frame should be.
        report(AnomalyId::HijackTwoResponses, d, start, offset,
               fmt::format("first=101 Switching Protocols, then={} {} {} later, where the first "
                           "frame should start; late error after the 101 (Go ≤1.20 sends "
                           "WriteHeader(101) at once and a failed Hijack adds http.Error, or two "
                           "Node ws servers share one HTTP server); the client reads it as a "
                           "frame: \"RSV1 set, FIN not set on control\"",
                           head.status, head.reason, formatDuration(start.time - m_upgradeAt.time)));
        m_conn.outcome = Outcome::Failed;
    } else {
        // A5: HTTP text at a frame boundary, after frames.
        report(AnomalyId::HijackHttpInWebSocket, d, start, offset,
               fmt::format("expected=frame header, found={} after {} {} frames", quoteBytes(found),
                           framesBefore, sideName(d)));
    }
    update();
}

void ConnectionAnalyzer::wsHttpGarbage(Direction d, std::string_view reason, const SegmentInfo& at,
                                       std::uint64_t offset) {
    report(AnomalyId::HijackHttpInWebSocket, d, at, offset,
           fmt::format("expected=frame header, found=HTTP-looking text that does not parse ({})",
                       reason));
}

void ConnectionAnalyzer::wsRecognised(Direction d, bool masked, const SegmentInfo& at,
                                      std::uint64_t offset) {
    bool swapped = false;
    if (!m_roleKnown) {
        m_roleKnown = true;
        const Direction client = masked ? d : opposite(d);
        if (client != Direction::ClientToServer) {
            flip();
            swapped = true;
        }
        // RFC 6455 §5.1: from now on each side is held to its masking rule.
        for (int i = 0; i < 2; ++i) {
            if (m_side[i].ws) {
                m_side[i].ws->setMasked(i == index(Direction::ClientToServer));
            }
        }
    }
    if (m_conn.outcome == Outcome::TcpOnly) {
        m_conn.outcome = Outcome::Midstream;
    }
    if (m_idCounts[static_cast<std::size_t>(AnomalyId::WsHandshakeNotSeen)] == 0) {
        const Direction now = swapped ? opposite(d) : d;
        report(AnomalyId::WsHandshakeNotSeen, std::nullopt, at, offset,
               fmt::format("first frame at offset {} of the {} stream is {}{}", offset,
                           toString(now), masked ? "masked: sent by the client" :
                                                   "unmasked: sent by the server",
                           swapped ? "; client and server swapped from the port-based guess" : ""));
    }
    update();
}

void ConnectionAnalyzer::onTcpEnd(Direction d, bool rst, const SegmentInfo& info) {
    DirectionStats& me = m_conn.stats[index(d)];
    if (me.tcpEnd == TcpEnd::None) {
        me.tcpEnd = rst ? TcpEnd::Rst : TcpEnd::Fin;
        me.tcpEndTime = info.time;
    }
    if (!m_conn.firstTcpEnd) {
        m_conn.firstTcpEnd = d;
    }
    const std::string_view how = rst ? "RST" : "FIN";
    const auto& c2s = m_conn.stats[0];
    const auto& s2c = m_conn.stats[1];

    // TCP phase: reset before any byte flowed (refused port, accept-queue overflow).
    if (rst && c2s.bytes == 0 && s2c.bytes == 0 && m_conn.sawSyn) {
        report(AnomalyId::TcpRstDuringHandshake, d, info, 0,
               fmt::format("{} sent RST {} after the first packet, before any data", sideName(d),
                           formatDuration(info.time - m_conn.first)));
        return;
    }

    // HTTP phase, A6/A8: the upgrade request never got an answer.
    if (m_awaitingAnswer && s2c.bytes == m_serverBytesAtRequest) {
        m_awaitingAnswer = false;
        const std::int64_t wait = info.time - m_requestEnd.time;
        std::string detail;
        if (d == Direction::ServerToClient) {
            detail = fmt::format("server {} {} after the request, no response byte", how,
                                 formatDuration(wait));
            if (m_earlyDataReported) {
                detail += "; the client had sent data before the 101: gorilla ≤1.5.3 closes such "
                          "connections (\"client sent data before handshake is complete\")";
            }
        } else {
            detail = fmt::format("client gave up ({}) {} after the request, no response byte", how,
                                 formatDuration(wait));
            const std::string known = knownTimeout(wait, WaitKind::Handshake);
            if (!known.empty()) {
                detail += fmt::format("; {}", known);
            }
        }
        report(AnomalyId::HttpNoResponse, d, info, me.bytes, std::move(detail));
        m_conn.outcome = Outcome::Failed;
        return;
    }

    if (!webSocketPhase()) {
        return;
    }
    const Direction peerDir = opposite(d);
    const DirectionStats& peer = m_conn.stats[index(peerDir)];
    if (!me.sentClose && !peer.sentClose) {
        if (m_closeMissingReported) {
            return;
        }
        m_closeMissingReported = true;
        const std::int64_t sinceUpgrade = info.time - m_upgradeAt.time;
        const bool noFrames = s2c.frames == 0 && (d == Direction::ServerToClient || c2s.frames == 0);
        if (m_upgraded && noFrames && sinceUpgrade < kSecond) {
            // A7: the handler returned (or failed) right after Upgrade.
            std::string detail =
                fmt::format("{} {} {} after the 101; no frame, no Close frame; the client "
                            "reports 1006 (abnormal closure)",
                            sideName(d), how, formatDuration(sinceUpgrade));
            if (d == Direction::ServerToClient && sinceUpgrade < 100 * kMs) {
                detail += "; the handler returned right after Upgrade";
            } else if (d == Direction::ClientToServer) {
                detail += m_handshakeOk ? "; the client dropped the connection"
                                        : "; the client rejected the handshake (see the "
                                          "handshake anomalies)";
            }
            report(AnomalyId::HijackClosedAfterUpgrade, d, info, me.bytes, std::move(detail));
            return;
        }
        // B11/A16/B8: closed while open, without a Close frame.
        const Timestamp lastActivity =
            m_lastFrameTime > m_upgradeAt.time ? m_lastFrameTime : m_upgradeAt.time;
        const std::int64_t idle = info.time - lastActivity;
        std::string detail = fmt::format("{} {} while the WebSocket was open; no Close frame "
                                         "either way; {} since the last frame; {} reports 1006",
                                         sideName(d), how, formatDuration(idle),
                                         sideName(peerDir));
        const auto& pings = m_pings[index(d)];
        if (!pings.empty()) {
            const Timestamp lastPong = m_lastPongTime[index(d)];
            detail += fmt::format("; ping timeout: {} ping(s) from the {} unanswered", pings.size(),
                                  sideName(d));
            if (lastPong.ns != 0) {
                detail += fmt::format(", closed {} after the last pong (pongWait)",
                                      formatDuration(info.time - lastPong));
            }
        } else {
            const std::string known = knownTimeout(idle, WaitKind::Idle);
            if (!known.empty()) {
                detail += fmt::format("; {}", known);
            }
        }
        report(AnomalyId::WsCloseMissing, d, info, me.bytes, std::move(detail));
        return;
    }
    if (m_closeNotAnsweredReported) {
        return;
    }
    if (peer.sentClose && !me.sentClose) {
        // B9: this side got a Close and closed TCP without answering it.
        m_closeNotAnsweredReported = true;
        report(AnomalyId::WsCloseNotAnswered, d, info, me.bytes,
               fmt::format("{} sent {} {} earlier; the {} closed TCP ({}) without a Close reply",
                           sideName(peerDir), closeText(peer),
                           formatDuration(info.time - peer.closeTime), sideName(d), how));
    } else if (me.sentClose && !peer.sentClose) {
        const std::int64_t wait = info.time - me.closeTime;
        if (d == Direction::ClientToServer && wait < 10 * kMs) {
            // B9, k6/ws pattern: Close, then TCP closed at once.
            m_closeNotAnsweredReported = true;
            report(AnomalyId::WsCloseAbnormal, d, info, me.bytes,
                   fmt::format("client closed TCP ({}) {} after its {}, without waiting for the "
                               "server's Close (k6/ws socket.close() does this)",
                               how, formatDuration(wait), closeText(me)));
        } else if (wait >= 10 * kMs) {
            m_closeNotAnsweredReported = true;
            std::string detail = fmt::format(
                "{} sent {}; no Close reply within {}, then the {} closed TCP ({})", sideName(d),
                closeText(me), formatDuration(wait), sideName(d), how);
            const std::string known = knownTimeout(wait, WaitKind::CloseWait);
            if (!known.empty()) {
                detail += fmt::format("; {}", known);
            }
            report(AnomalyId::WsCloseNotAnswered, peerDir, info, me.bytes, std::move(detail));
        }
        // A server that sends Close and FIN together is within RFC 6455 §7.1.1 (research B12).
    }
}

void ConnectionAnalyzer::concludeClose(const SegmentInfo& last) {
    if (!webSocketPhase() || m_closeNotAnsweredReported) {
        return;
    }
    for (Direction d : {Direction::ClientToServer, Direction::ServerToClient}) {
        const DirectionStats& me = m_conn.stats[index(d)];
        const DirectionStats& peer = m_conn.stats[index(opposite(d))];
        if (me.sentClose && !peer.sentClose && me.tcpEnd == TcpEnd::None &&
            peer.tcpEnd == TcpEnd::None && last.time - me.closeTime >= 5 * kSecond) {
            report(AnomalyId::WsCloseNotAnswered, opposite(d), last, 0,
                   fmt::format("{} sent {}; no Close reply in the {} until the capture ended",
                               sideName(d), closeText(me), formatDuration(last.time - me.closeTime)));
            m_closeNotAnsweredReported = true;
            return;
        }
    }
}

void ConnectionAnalyzer::concludePings(const SegmentInfo& last) {
    (void)last;
    for (Direction d : {Direction::ClientToServer, Direction::ServerToClient}) {
        const auto& pings = m_pings[index(d)];
        std::size_t late = 0;
        const Ping* first = nullptr;
        for (const Ping& p : pings) {
            // RFC 6455 §5.5.2: answer "as soon as is practical"; 5 s is far past that.
            if (m_conn.last - p.time >= 5 * kSecond) {
                ++late;
                first = first != nullptr ? first : &p;
            }
        }
        if (late == 0) {
            continue;
        }
        report(AnomalyId::WsFramePingUnanswered, d, SegmentInfo{first->packet, first->time},
               first->offset,
               fmt::format("{} ping(s) from the {} got no matching pong from the {} within 5 s "
                           "({} answered)",
                           late, sideName(d), sideName(opposite(d)), m_pingsAnswered[index(d)]));
    }
}

} // namespace wst
