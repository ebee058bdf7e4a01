// SPDX-License-Identifier: MIT
// ConnectionAnalyzer, WebSocket phase: WsSession's frames and messages as events, HTTP text
// inside the stream, midstream recognition, and the closing patterns that need TCP timing and
// both directions in view (http_no_response, hijack_closed_after_upgrade, ws_close_*).
#include "decoder/analysis/patterns.h"
#include "decoder/analysis/session_observer.h"
#include "decoder/model/format.h"

#include <fmt/format.h>

namespace wst {
namespace {

constexpr std::int64_t kMs = 1'000'000;
constexpr std::int64_t kSecond = 1'000'000'000;

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
    n.deflate = m_deflate;
    m_observer = std::make_unique<SessionObserver>(*this);
    m_session = std::make_unique<WsSession>(m_conn.id, n, m_limits, *m_observer, m_captureInflate);
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
    e.headerLength = f.header.headerLength;
    e.maskKey = f.header.maskKey;
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
    // hijack_http_in_websocket: HTTP text at a frame boundary. Peers read "HT" as a non-final Close
    // with RSV1.
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
    if (now == Direction::ServerToClient && m_unanswered.waiting()) {
        // The request was seen but its answer was lost in a gap: frames prove an upgrade.
        m_unanswered.onAnswer();
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
        m_closeNotAnswered.onTcpEnd(d, info.packet);
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
        if (!reported(AnomalyId::TcpRstDuringHandshake)) {
            report(AnomalyId::TcpRstDuringHandshake, d, info, 0,
                   fmt::format("{} sent RST {} after the first packet, before any data",
                               sideName(d), formatDuration(info.time - m_conn.first)));
        }
        return;
    }

    resolveEarlyData(!m_unanswered.serverGap());
    if (Finding f = m_unanswered.onTcpEnd(d, rst, info, m_delivered[1], m_streamEnd[index(d)],
                                          m_earlyData.reported(), clientSentWhileWaiting())) {
        report(std::move(*f));
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
        // hijack_closed_after_upgrade: the server closed TCP first, right after its 101, before any
        // frame or Close.
        if (m_upgraded && !me.sentClose && !peer.sentClose && s2c.frames == 0 &&
            c2s.tcpEnd == TcpEnd::None && sinceUpgrade < kSecond) {
            std::string detail = fmt::format("server {} {} after the 101 with no frame and "
                                             "no Close frame of its own; the client reports "
                                             "1006 (abnormal closure)",
                                             how, formatDuration(sinceUpgrade));
            if (sinceUpgrade < 100 * kMs) {
                detail += fmt::format("; {}", closedAfterUpgradeCause());
            }
            report(AnomalyId::HijackClosedAfterUpgrade, d, info, m_streamEnd[index(d)],
                   std::move(detail));
        }
    }
    if (!me.sentClose && !peer.sentClose) {
        const bool first = !m_endWithoutClose.noted();
        const Timestamp lastActivity = std::max(m_lastFrameTime, m_upgradeAt.time);
        const std::size_t pings = m_session ? m_session->outstandingPings(d) : 0;
        m_endWithoutClose.onTcpEnd(d, rst, info, lastActivity, pings);
        if (first) {
            noteLegEnd(d, info, lastActivity, pings);
        }
    }
    if (me.sentClose && !peer.sentClose && d == Direction::ClientToServer &&
        info.time - me.closeTime < 10 * kMs) {
        // ws_close_abnormal, the k6 pattern: Close, then TCP closed at once. A server doing the
        // same is within RFC 6455 §7.1.1 and §7.1.7 (it closes TCP first).
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
    if (reported(AnomalyId::WsCloseAbnormal)) {
        return;
    }
    report(AnomalyId::WsCloseAbnormal, d, info, m_streamEnd[index(d)], std::move(detail));
}

void ConnectionAnalyzer::noteLegEnd(Direction d, const SegmentInfo& info, Timestamp lastActivity,
                                    std::size_t outstandingPings) {
    if (m_legs == nullptr || !m_conn.proxyLeg) {
        return;
    }
    ProxyIdleTimeout::LegEnd e;
    e.conn = m_conn.id;
    e.other = m_conn.proxyLeg->other;
    e.backLeg = !m_conn.proxyLeg->otherIsUpstream;
    e.ended = d;
    e.end = info.time;
    e.lastActivity = lastActivity;
    e.outstandingPings = outstandingPings;
    if (const auto m = m_legs->idle().onLegEnd(e)) {
        noteProxyIdleTimeout(*m);
        if (m_legs->onIdleTimeout) {
            m_legs->onIdleTimeout(ProxyIdleTimeout::swapped(*m));
        }
    }
}

void ConnectionAnalyzer::noteProxyIdleTimeout(const ProxyIdleTimeout::Match& m) {
    m_endWithoutClose.onProxyIdleTimeout(ProxyIdleTimeout::detail(m));
}

std::string_view ConnectionAnalyzer::closedAfterUpgradeCause() const {
    // The likely cause by what the 101's fingerprint leaves possible (not yet narrowed: this is
    // reported at the FIN). Go's handlers close by returning (a deferred Close); node ws keeps
    // the socket until the app calls terminate() or destroys it.
    std::string_view fp;
    for (const ResponseSummary& r : m_conn.responses) {
        if (r.status == 101) {
            fp = r.fingerprint;
        }
    }
    const bool gorilla = fp.find("gorilla/websocket") != std::string_view::npos;
    const bool node = fp.find("node ws") != std::string_view::npos;
    if (gorilla && node) {
        return "the handler ended the connection right after Upgrade (gorilla/websocket: it "
               "returned with a deferred Close; node ws: terminate() in the connection handler)";
    }
    if (gorilla || fp == "Go net/http") {
        return "the handler returned right after Upgrade";
    }
    if (node) {
        return "the connection handler called terminate() right after the upgrade";
    }
    return "the server's handler ended the connection right after the upgrade";
}

void ConnectionAnalyzer::concludeClose(const SegmentInfo& last) {
    if (!webSocketPhase()) {
        return;
    }
    Finding f = m_conn.firstClose
                    ? m_closeNotAnswered.conclude(*m_conn.firstClose, m_conn.stats, last)
                    : m_endWithoutClose.conclude(m_streamEnd);
    if (f) {
        report(std::move(*f));
    }
}

} // namespace wst
