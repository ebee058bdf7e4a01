// SPDX-License-Identifier: MIT
// ConnectionAnalyzer, WebSocket phase: WsSession's frames and messages as events, HTTP text
// inside the stream, midstream recognition, and the closing patterns (http_no_response,
// hijack_closed_after_upgrade and the ws_close_* ids, with ping and idle timeouts named in their
// details; docs/anomalies.md) that need TCP timing and both directions in view.
#include "decoder/analysis/patterns.h"
#include "decoder/analysis/session_observer.h"
#include "decoder/model/format.h"

#include <fmt/format.h>

namespace wst {
namespace {

constexpr std::int64_t kMs = 1'000'000;
constexpr std::int64_t kSecond = 1'000'000'000;

std::string_view sideName(Direction d) {
    return d == Direction::ClientToServer ? "client" : "server";
}

std::string closeText(const DirectionStats& st) {
    return st.closeCode ? fmt::format("Close {}", *st.closeCode) : std::string("Close");
}

} // namespace

bool ConnectionAnalyzer::webSocketPhase() const {
    // Close rules apply to connections both sides believe upgraded; a failed handshake gets
    // none (the client never spoke WebSocket).
    return (m_upgraded && m_handshakeOk) || m_conn.outcome == Outcome::Midstream;
}

void ConnectionAnalyzer::createSession(bool handshakeSeen) {
    if (m_session) {
        return;
    }
    WsNegotiation n;
    n.handshakeSeen = handshakeSeen;
    n.deflate = m_conn.deflate;
    n.clientToServer = InflateParams{m_deflate[0].windowBits, m_deflate[0].noContextTakeover};
    n.serverToClient = InflateParams{m_deflate[1].windowBits, m_deflate[1].noContextTakeover};
    m_observer = std::make_unique<SessionObserver>(*this);
    m_session = std::make_unique<WsSession>(m_conn.id, n, m_limits, *m_observer);
}

void ConnectionAnalyzer::flushControlFrame(const Message* m) {
    if (!m_controlPending) {
        return;
    }
    m_controlPending = false;
    emit(m_controlEvent, m);
}

void ConnectionAnalyzer::sessionFrame(const WsFrame& f) {
    flushControlFrame(nullptr);
    const Direction d = f.direction;
    DirectionStats& st = m_conn.stats[index(d)];
    ++st.frames;
    ++st.framesByOpcode[f.header.opcode & 0x0f];
    m_lastFrameTime = std::max(m_lastFrameTime, f.first);
    if (m_side[index(d)].ws) {
        m_side[index(d)].ws->frameReported(f.streamOffset + f.header.headerLength +
                                           f.header.payloadLength);
    }

    Event e;
    e.kind = EventKind::WsFrame;
    e.time = f.first;
    e.packet = f.firstPacket;
    e.streamOffset = f.streamOffset;
    e.length = f.header.payloadLength;
    e.direction = d;
    e.opcode = f.header.opcode;
    e.frameFlags = f.flags();
    if (!f.header.isControl()) {
        emit(e);
        return;
    }
    if (f.header.opcode == 0x8) {
        Event c = e;
        c.kind = EventKind::WsClose;
        c.closeCode = f.closeCode.value_or(0);
        if (!st.sentClose) {
            // RFC 6455 §5.5.1: the first Close each way is the closing handshake.
            st.sentClose = true;
            st.closeCode = f.closeCode;
            st.closeReason.assign(f.closeReason.substr(0, 123));
            st.closeTime = f.first;
            if (!m_conn.firstClose) {
                m_conn.firstClose = d;
            }
        }
        // The frame event carries the payload, which WsSession reports right after.
        m_controlEvent = e;
        m_controlPending = true;
        emit(c);
        update();
        return;
    }
    m_controlEvent = e;
    m_controlPending = true;
}

void ConnectionAnalyzer::sessionMessage(const Message& m, std::uint64_t offset) {
    if (m.opcode >= 0x8) {
        flushControlFrame(&m); // WsSession fills in the connection id
        return;
    }
    flushControlFrame(nullptr);
    DirectionStats& st = m_conn.stats[index(m.direction)];
    ++st.messages;
    ++st.messagesByOpcode[m.opcode & 0x0f];
    Event e;
    e.kind = EventKind::WsMessage;
    e.time = m.first;
    e.packet = m.firstPacket;
    e.streamOffset = offset;
    e.length = m.length;
    e.direction = m.direction;
    e.opcode = m.opcode;
    e.frameFlags = static_cast<std::uint8_t>(frameflag::Fin | (m.compressed ? frameflag::Rsv1 : 0));
    emit(e, &m);
}

void ConnectionAnalyzer::wsHttpHead(Direction d, const HttpHead& head, const SegmentInfo& start,
                                    std::uint64_t offset) {
    flushControlFrame(nullptr);
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
    const bool interim = head.status >= 100 && head.status < 200 && head.status != 101;
    if (!head.isRequest && m_conn.responses.size() < 16) {
        m_conn.responses.push_back(summarise(head, start));
    }
    if (!head.isRequest && !interim) {
        ++m_finalResponses;
    }
    if (!head.isRequest && d == Direction::ServerToClient && m_upgraded && framesBefore == 0) {
        // hijack_two_responses: the 101, then at once another answer where the first frame should
        // start.
        report(AnomalyId::HijackTwoResponses, d, start, offset,
               fmt::format("first=101 Switching Protocols, then={} {} {} later, where the first "
                           "frame should start; late error after the 101 (Go ≤1.20 sends "
                           "WriteHeader(101) at once and a failed Hijack adds http.Error, or two "
                           "Node ws servers share one HTTP server)",
                           head.status, head.reason,
                           formatDuration(start.time - m_upgradeAt.time)));
    }
    // hijack_http_in_websocket: HTTP text at a frame boundary. Peers read "HT" as a non-final
    // Close with RSV1.
    report(AnomalyId::HijackHttpInWebSocket, d, start, offset,
           fmt::format("expected=frame header, found={} after {} {} frame(s); the peer reads it "
                       "as a frame: \"RSV1 set, FIN not set on control\"",
                       quoteBytes(found), framesBefore, sideName(d)));
    update();
}

void ConnectionAnalyzer::wsHttpGarbage(Direction d, std::string_view reason, const SegmentInfo& at,
                                       std::uint64_t offset) {
    report(AnomalyId::HijackHttpInWebSocket, d, at, offset,
           fmt::format("expected=frame header, found=HTTP-looking text that does not parse ({})",
                       reason));
}

void ConnectionAnalyzer::wsRecognised(Direction d, bool masked, const SegmentInfo& at,
                                      std::uint64_t offset, std::uint64_t skipped) {
    if (m_session) {
        // A known stream found its footing again (after HTTP text that did not parse).
        report(AnomalyId::WsFrameResynced, d, at, offset,
               fmt::format("skipped={} bytes of unparseable text", skipped));
        return;
    }
    bool swapped = false;
    Direction now = d;
    if (!m_roleKnown) {
        m_roleKnown = true;
        const Direction client = masked ? d : opposite(d);
        if (client != Direction::ClientToServer) {
            flip();
            swapped = true;
            now = opposite(d);
        }
        // RFC 6455 §5.1: from now on each side is held to its masking rule.
        for (int i = 0; i < 2; ++i) {
            if (m_side[i].ws) {
                m_side[i].ws->setMasked(i == index(Direction::ClientToServer));
            }
        }
    }
    if (!m_upgraded && m_conn.outcome != Outcome::Refused) {
        m_conn.outcome = Outcome::Midstream;
    }
    createSession(/*handshakeSeen=*/false);
    std::string lost;
    if (now == Direction::ServerToClient && m_awaitingAnswer) {
        // The request was seen but its answer was lost in a gap: frames prove an upgrade.
        m_awaitingAnswer = false;
        lost = "; the upgrade request was seen but its answer was not captured";
        Side& c = m_side[index(Direction::ClientToServer)];
        if (c.mode == Mode::AwaitUpgrade) {
            startWebSocket(Direction::ClientToServer, false);
            releasePending(true);
        }
    }
    report(AnomalyId::WsHandshakeNotSeen, std::nullopt, at, offset,
           fmt::format("first frame at offset {} of the {} stream ({} bytes skipped) is {}{}{}",
                       offset, toString(now), skipped,
                       masked ? "masked: sent by the client" : "unmasked: sent by the server",
                       swapped ? "; client and server swapped from the port-based guess" : "",
                       lost));
    update();
}

void ConnectionAnalyzer::onTcpEnd(Direction d, bool rst, const SegmentInfo& info) {
    DirectionStats& me = m_conn.stats[index(d)];
    if (me.tcpEnd == TcpEnd::None) {
        me.tcpEnd = rst ? TcpEnd::Rst : TcpEnd::Fin;
        me.tcpEndTime = info.time;
        m_tcpEndPacket[index(d)] = info.packet;
    }
    if (!m_conn.firstTcpEnd) {
        m_conn.firstTcpEnd = d;
    }
    m_resetSeen = m_resetSeen || rst;
    const std::string_view how = rst ? "RST" : "FIN";
    const auto& c2s = m_conn.stats[0];
    const auto& s2c = m_conn.stats[1];

    // TCP phase: reset before any byte flowed (nothing listening, accept-queue overflow).
    if (rst && m_delivered[0] == 0 && m_delivered[1] == 0 && m_conn.sawSyn) {
        if (m_idCounts[static_cast<std::size_t>(AnomalyId::TcpRstDuringHandshake)] == 0) {
            report(AnomalyId::TcpRstDuringHandshake, d, info, 0,
                   fmt::format("{} sent RST {} after the first packet, before any data",
                               sideName(d), formatDuration(info.time - m_conn.first)));
        }
        return;
    }

    resolveEarlyData(!m_serverGapWhileAwaiting);
    // HTTP phase, http_no_response: the upgrade request never got an answer.
    if (m_awaitingAnswer && m_delivered[1] == m_serverBytesAtRequest) {
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
        report(AnomalyId::HttpNoResponse, d, info, m_streamEnd[index(d)], std::move(detail));
        m_conn.outcome = Outcome::Failed;
        return;
    }

    if (!webSocketPhase()) {
        return;
    }
    const Direction peerDir = opposite(d);
    const DirectionStats& peer = m_conn.stats[index(peerDir)];
    const std::int64_t sinceUpgrade = info.time - m_upgradeAt.time;
    if (d == Direction::ServerToClient && !m_serverEnded) {
        m_serverEnded = true;
        // hijack_closed_after_upgrade: the server closed TCP first, right after its 101, before
        // any frame or Close.
        if (m_upgraded && !me.sentClose && !peer.sentClose && s2c.frames == 0 &&
            c2s.tcpEnd == TcpEnd::None && sinceUpgrade < kSecond) {
            std::string detail = fmt::format("server {} {} after the 101; no frame, no Close "
                                             "frame; the client reports 1006 (abnormal closure)",
                                             how, formatDuration(sinceUpgrade));
            if (sinceUpgrade < 100 * kMs) {
                detail += "; the handler returned right after Upgrade";
            }
            report(AnomalyId::HijackClosedAfterUpgrade, d, info, m_streamEnd[index(d)],
                   std::move(detail));
        }
    }
    if (!me.sentClose && !peer.sentClose && !m_endWithoutClose) {
        // ws_close_missing / ws_close_idle_timeout: closed while open. Whether a Close ever came
        // is known only at the end.
        m_endWithoutClose = true;
        m_endWithoutCloseDir = d;
        m_endWithoutCloseAt = info;
        const Timestamp lastActivity = std::max(m_lastFrameTime, m_upgradeAt.time);
        const std::int64_t idle = info.time - lastActivity;
        std::string detail = fmt::format("{} {} while the WebSocket was open, without a Close "
                                         "frame; {} since the last frame; the {} reports 1006",
                                         sideName(d), how, formatDuration(idle), sideName(peerDir));
        const std::size_t pings = m_session ? m_session->outstandingPings(d) : 0;
        if (pings > 0) {
            detail += fmt::format("; ping timeout: {} ping(s) from the {} unanswered (gorilla "
                                  "pongWait pattern)",
                                  pings, sideName(d));
        } else {
            const std::string known = knownTimeout(idle, WaitKind::Idle);
            if (!known.empty()) {
                detail += fmt::format("; {}", known);
                // ws_close_idle_timeout: the proxy or load balancer in front of the server closes
                // idle tunnels.
                m_endWasIdleTimeout = d == Direction::ServerToClient;
            }
        }
        m_endWithoutCloseDetail = std::move(detail);
    }
    if (me.sentClose && !peer.sentClose && d == Direction::ClientToServer &&
        info.time - me.closeTime < 10 * kMs) {
        // ws_close_abnormal, the k6 pattern: Close, then TCP closed at once. A server doing the
        // same is within RFC 6455 §7.1.1 (the server closes TCP first) and §7.1.7.
        closeAbnormal(d, info,
                      fmt::format("client closed TCP ({}) {} after its {}, without waiting for "
                                  "the server's Close (k6/ws socket.close() and gorilla's "
                                  "protocol-error path do this)",
                                  how, formatDuration(info.time - me.closeTime), closeText(me)));
    }
}

void ConnectionAnalyzer::onPeerReset(Direction d, const SegmentInfo& info) {
    // The other side reset the connection. Its own onClose came first unless that direction
    // had already ended with a FIN: then this is the only sign of the RST.
    const Direction resetter = opposite(d);
    DirectionStats& r = m_conn.stats[index(resetter)];
    if (r.tcpEnd != TcpEnd::Fin) {
        return;
    }
    m_resetSeen = true;
    Event e;
    e.kind = EventKind::TcpRst;
    e.time = info.time;
    e.packet = info.packet;
    e.direction = resetter;
    e.streamOffset = m_streamEnd[index(resetter)];
    emit(e);
    update();
}

void ConnectionAnalyzer::closeAbnormal(Direction d, const SegmentInfo& info, std::string detail) {
    if (m_idCounts[static_cast<std::size_t>(AnomalyId::WsCloseAbnormal)] > 0) {
        return;
    }
    report(AnomalyId::WsCloseAbnormal, d, info, m_streamEnd[index(d)], std::move(detail));
}

void ConnectionAnalyzer::concludeClose(const SegmentInfo& last) {
    if (!webSocketPhase()) {
        return;
    }
    if (!m_conn.firstClose) {
        if (m_endWithoutClose) {
            report(m_endWasIdleTimeout ? AnomalyId::WsCloseIdleTimeout : AnomalyId::WsCloseMissing,
                   m_endWithoutCloseDir, m_endWithoutCloseAt,
                   m_streamEnd[index(m_endWithoutCloseDir)], std::move(m_endWithoutCloseDetail));
        }
        return;
    }
    // ws_close_not_answered: the first Close never got one back.
    const Direction x = *m_conn.firstClose;
    const Direction p = opposite(x);
    const DirectionStats& sx = m_conn.stats[index(x)];
    const DirectionStats& sp = m_conn.stats[index(p)];
    if (sp.sentClose) {
        return;
    }
    const bool xEnded = sx.tcpEnd != TcpEnd::None;
    const bool pEnded = sp.tcpEnd != TcpEnd::None;
    if (pEnded && sp.tcpEndTime <= sx.closeTime) {
        return; // the peer had closed TCP before the Close arrived: it could not answer
    }
    if (xEnded && sx.tcpEndTime - sx.closeTime < 10 * kMs &&
        (!pEnded || sx.tcpEndTime <= sp.tcpEndTime)) {
        return; // the sender did not wait for a reply (ws_close_abnormal for a client)
    }
    auto how = [](const DirectionStats& st) { return st.tcpEnd == TcpEnd::Rst ? "RST" : "FIN"; };
    std::string detail;
    SegmentInfo at = last;
    if (pEnded && (!xEnded || sp.tcpEndTime <= sx.tcpEndTime)) {
        detail = fmt::format("the {} closed TCP ({}) {} after the {}'s {} without a Close reply",
                             sideName(p), how(sp), formatDuration(sp.tcpEndTime - sx.closeTime),
                             sideName(x), closeText(sx));
        at = SegmentInfo{m_tcpEndPacket[index(p)], sp.tcpEndTime};
    } else if (xEnded) {
        const std::int64_t wait = sx.tcpEndTime - sx.closeTime;
        detail = fmt::format("no Close reply; the {} closed TCP ({}) {} after its {}", sideName(x),
                             how(sx), formatDuration(wait), closeText(sx));
        const std::string known = knownTimeout(wait, WaitKind::CloseWait);
        if (!known.empty()) {
            detail += fmt::format("; {}", known);
        }
        at = SegmentInfo{m_tcpEndPacket[index(x)], sx.tcpEndTime};
    } else if (last.time - sx.closeTime >= 5 * kSecond) {
        detail = fmt::format("{} sent {}; no Close reply in the {} until the capture ended",
                             sideName(x), closeText(sx), formatDuration(last.time - sx.closeTime));
    } else {
        return; // the capture ended while the reply could still come
    }
    report(AnomalyId::WsCloseNotAnswered, p, at, 0, std::move(detail));
}

} // namespace wst
