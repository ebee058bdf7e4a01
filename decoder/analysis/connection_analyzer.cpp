// SPDX-License-Identifier: MIT
// ConnectionAnalyzer: the StreamSink entry points, phase dispatch and anomaly reporting. The
// HTTP phase is in connection_http.cpp, the WebSocket phase and close patterns in
// connection_ws.cpp, the deferred patterns in deferred/.
#include "decoder/analysis/connection_analyzer.h"

#include "decoder/analysis/http2_session.h"
#include "decoder/analysis/http_reader.h"
#include "decoder/analysis/patterns.h"
#include "decoder/analysis/session_observer.h"
#include "decoder/http/fingerprint.h"
#include "decoder/model/format.h"
#include "decoder/verdict/verdict.h"
#include "decoder/ws/close_code.h"
#include "decoder/ws/frame_parser.h"

#include <fmt/format.h>

namespace wst {
namespace {

bool startsWith(Bytes b, std::string_view prefix) {
    return b.size() >= prefix.size() &&
           std::string_view(reinterpret_cast<const char*>(b.data()), prefix.size()) == prefix;
}

bool startsLikeRequest(Bytes b) {
    static constexpr std::string_view kMethods[] = {
        "GET ",   "POST ",    "PUT ",   "HEAD ",         "DELETE ", "OPTIONS ",
        "PATCH ", "CONNECT ", "TRACE ", "PRI * HTTP/2.0"}; // the HTTP/2 preface (RFC 9113 §3.4)
    for (std::string_view m : kMethods) {
        if (startsWith(b, m)) {
            return true;
        }
    }
    return false;
}

/// The first bytes of a direction whose SYN was seen are a WebSocket frame header, not HTTP:
/// the handshake happened before the capture could see it (RFC 6455 §5.2 header; MASK bit
/// by the known role, §5.1). A first byte A–Z is left to HTTP (a method or "HTTP/1.").
bool startsLikeFrame(Bytes b, Direction d) {
    if (b.empty() || (b[0] >= 'A' && b[0] <= 'Z')) {
        return false;
    }
    FrameExpectations exp;
    exp.masked = d == Direction::ClientToServer;
    exp.allowedRsv = 0x4; // the negotiation is unknown (RFC 7692 §6)
    return isPlausibleFrameHeader(b, exp);
}

std::string_view noticeDetail(TcpNotice n) {
    switch (n) {
    case TcpNotice::PartialConnection:
        return "no SYN captured";
    case TcpNotice::OverlapConflict:
        return "retransmission differs; kept the first copy, which a Linux receiver takes too "
               "(in-order delivery: bytes already in sequence win)";
    case TcpNotice::OverlapConflictLaterWins:
        return "retransmission differs; kept the first copy, but a Linux receiver takes the "
               "later one (it starts lower in sequence or covers the first)";
    case TcpNotice::RstOutOfWindow:
        return "RST outside the receive window, ignored (RFC 5961 §3.2): likely injection or "
               "a confused middlebox";
    case TcpNotice::FinOutOfWindow:
        return "FIN out of sequence order, ignored (RFC 9293 §3.10.7.4): likely injection or a "
               "confused middlebox";
    case TcpNotice::SynInConnection:
        return "SYN with a new ISN in an open connection, ignored until the peer accepts it "
               "(RFC 5961 §4): likely injection or a confused middlebox";
    case TcpNotice::BufferLimitExceeded:
        return "out-of-order buffer full";
    case TcpNotice::DataAfterFin:
        return "payload after FIN";
    case TcpNotice::DataAfterRst:
        return "payload after RST";
    case TcpNotice::SynAfterClose:
    case TcpNotice::ZeroWindow:
        break;
    }
    return "";
}

} // namespace

ConnectionAnalyzer::ConnectionAnalyzer(const ConnectionInfo& info, TraceSink& sink,
                                       const Limits& limits)
    : m_sink(sink)
    , m_limits(limits)
    , m_anomalyLimit(limits.anomaliesPerConnectionAndId) {
    m_conn.id = info.id;
    m_conn.client = info.client;
    m_conn.server = info.server;
    m_conn.first = m_conn.last = info.first.time;
    m_conn.firstPacket = m_conn.lastPacket = info.first.packet;
    m_conn.sawSyn = info.sawSyn;
    m_roleKnown = info.sawSyn;
    for (Side& s : m_side) {
        s.mode = info.sawSyn ? Mode::Http : Mode::Detect;
    }
    m_sink.onConnectionStart(m_conn);
}

ConnectionAnalyzer::~ConnectionAnalyzer() = default;

void ConnectionAnalyzer::emit(Event e, const Message* message) {
    e.connection = m_conn.id;
    e.ref = Event::kNoRef;
    m_sink.onEvent(e, message, nullptr);
}

void ConnectionAnalyzer::report(Anomaly&& a) {
    if (static_cast<std::size_t>(a.id) >= kAnomalyIdCount) {
        return;
    }
    if (a.id == AnomalyId::WsFrameInvalidUtf8 && a.direction == Direction::ClientToServer) {
        m_clientInvalidUtf8 = true; // a fact for narrowFingerprints
    }
    ++m_conn.anomaliesBySeverity[static_cast<std::size_t>(a.severity())];
    const bool kept = m_anomalyLimit.admit(a.id);
    if (m_anomalyLimit.count(a.id) == 1) {
        m_conn.anomalyIds.push_back(a.id);
    }
    if (!kept) {
        ++m_conn.anomaliesDropped;
        return;
    }
    a.connection = m_conn.id;
    m_findings.push_back(VerdictFinding::of(a));
    Event e;
    e.kind = EventKind::Anomaly;
    e.time = a.time;
    e.packet = a.packet;
    e.streamOffset = a.streamOffset;
    e.connection = m_conn.id;
    e.direction = a.direction.value_or(Direction::ClientToServer);
    m_sink.onEvent(e, nullptr, &a);
}

// ---- StreamSink --------------------------------------------------------------------------------

void ConnectionAnalyzer::onSyn(Direction dir, bool withAck, const SegmentInfo& info) {
    const Direction d = map(dir);
    m_conn.last = std::max(m_conn.last, info.time);
    m_conn.lastPacket = std::max(m_conn.lastPacket, info.packet);
    Event e;
    e.kind = withAck ? EventKind::TcpSynAck : EventKind::TcpSyn;
    e.time = info.time;
    e.packet = info.packet;
    e.direction = d;
    emit(e);
}

void ConnectionAnalyzer::onData(Direction dir, std::uint64_t offset, Bytes bytes,
                                const SegmentInfo& info) {
    if (bytes.empty() || m_finished) {
        return;
    }
    Direction d = map(dir);
    m_conn.last = std::max(m_conn.last, info.time);
    m_conn.lastPacket = std::max(m_conn.lastPacket, info.packet);
    if (m_tls || startTls(d, bytes)) {
        m_delivered[index(d)] += bytes.size();
        m_streamEnd[index(d)] = std::max(m_streamEnd[index(d)], offset + bytes.size());
        m_tls->onData(d, offset, bytes, info);
        return;
    }
    if (d == Direction::ServerToClient && m_delivered[index(d)] == 0 && m_requests > 0) {
        checkHttpToTlsPort(d, offset, bytes, info);
    }
    Side& side = m_side[index(d)];
    if (side.mode == Mode::Http && m_delivered[index(d)] == 0 && startsLikeFrame(bytes, d)) {
        side.mode = Mode::Detect; // SYN seen, handshake not: recognise the frames (midstream)
    }
    if (side.mode == Mode::Detect) {
        d = decideMode(d, bytes, info);
    }
    m_delivered[index(d)] += bytes.size();
    m_streamEnd[index(d)] = std::max(m_streamEnd[index(d)], offset + bytes.size());
    dispatch(d, offset, bytes, info);
}

void ConnectionAnalyzer::dispatch(Direction d, std::uint64_t offset, Bytes bytes,
                                  const SegmentInfo& info) {
    while (!bytes.empty()) {
        Side& s = m_side[index(d)];
        std::size_t used = bytes.size();
        switch (s.mode) {
        case Mode::Detect:
            d = decideMode(d, bytes, info);
            continue;
        case Mode::Http:
            used = httpStep(d, offset, bytes, info);
            break;
        case Mode::AwaitUpgrade:
            holdEarlyClientBytes(offset, bytes, info);
            break;
        case Mode::WebSocket:
            s.ws->feed(bytes, offset, info);
            break;
        case Mode::Http2:
            m_h2->feed(d, bytes, offset, info);
            break;
        case Mode::Opaque:
            break;
        }
        bytes = bytes.subspan(used);
        offset += used;
    }
}

Direction ConnectionAnalyzer::decideMode(Direction d, Bytes bytes, const SegmentInfo& info) {
    (void)info;
    // No SYN: which side is the client is a guess (FlowTable's port heuristic). HTTP text
    // settles it; otherwise frames will (their MASK bit, RFC 6455 §5.1).
    const bool response = startsWith(bytes, "HTTP/1.");
    const bool request = startsLikeRequest(bytes);
    if (response || request) {
        if (!m_roleKnown) {
            m_roleKnown = true;
            const bool wrong = (response && d == Direction::ClientToServer) ||
                               (request && d == Direction::ServerToClient);
            if (wrong) {
                flip();
                d = opposite(d);
            }
        }
        Side& s = m_side[index(d)];
        s.mode = Mode::Http;
        for (Side& other : m_side) {
            if (other.mode == Mode::Detect) {
                other.mode = Mode::Http;
            }
        }
        return d;
    }
    startWebSocket(d, /*midstream=*/true);
    return d;
}

void ConnectionAnalyzer::flip() {
    m_flipped = !m_flipped;
    std::swap(m_side[0], m_side[1]);
    std::swap(m_conn.client, m_conn.server);
    std::swap(m_conn.stats[0], m_conn.stats[1]);
    std::swap(m_delivered[0], m_delivered[1]);
    std::swap(m_streamEnd[0], m_streamEnd[1]);
    m_halfOpen.swapDirections();
    for (int i = 0; i < 2; ++i) {
        if (m_side[i].ws) {
            m_side[i].ws->setDirection(static_cast<Direction>(i));
        }
    }
    update();
}

void ConnectionAnalyzer::startWebSocket(Direction d, bool midstream) {
    if (!midstream) {
        // The frame rules know the handshake (or its failure) when it was seen.
        createSession(/*handshakeSeen=*/m_upgradeRequested || m_upgraded);
    }
    Side& s = m_side[index(d)];
    std::optional<bool> masked;
    if (m_roleKnown) {
        masked = d == Direction::ClientToServer; // RFC 6455 §5.1
    }
    WsStreamOwner& owner = *this;
    s.ws = std::make_unique<WsStream>(owner, d, m_limits, midstream, masked);
    s.mode = Mode::WebSocket;
    s.framesAtUpgrade = m_conn.stats[index(d)].frames;
}

void ConnectionAnalyzer::onGap(Direction dir, std::uint64_t offset, std::uint64_t length,
                               const SegmentInfo& info) {
    if (m_finished) {
        return;
    }
    const Direction d = map(dir);
    DirectionStats& st = m_conn.stats[index(d)];
    ++st.gaps;
    st.gapBytes += length;
    m_streamEnd[index(d)] = std::max(m_streamEnd[index(d)], offset + length);
    Event e;
    e.kind = EventKind::TcpGap;
    e.time = info.time;
    e.packet = info.packet;
    e.direction = d;
    e.streamOffset = offset;
    e.length = length;
    emit(e);
    report(AnomalyId::TcpGap, d, info, offset,
           fmt::format("missing={} bytes at offset {}", length, offset));
    if (m_tls) {
        m_tls->onGap(d, offset, length, info);
        return;
    }
    if (d == Direction::ServerToClient && m_unanswered.waiting()) {
        // The answer may be in the lost bytes: nothing before it can be called early.
        m_unanswered.onServerGap();
        resolveEarlyData(false);
    }
    Side& s = m_side[index(d)];
    switch (s.mode) {
    case Mode::Http:
        // The head or body in progress is lost; look at what comes next afresh.
        if (s.http) {
            s.http->restartHead();
        }
        s.mode = Mode::Detect;
        break;
    case Mode::AwaitUpgrade: {
        // Client bytes were lost while it waited: they may hold early frames.
        m_earlyData.onClientGap(length);
        PendingChunk c;
        c.offset = offset;
        c.length = length;
        c.gap = true;
        c.info = info;
        if (m_pendingChunks.size() < 256) {
            m_pendingChunks.push_back(c);
        }
        break;
    }
    case Mode::WebSocket:
        s.ws->gap(offset, length, info);
        break;
    case Mode::Http2:
        m_h2->gap(d, offset, length, info);
        break;
    case Mode::Detect:
    case Mode::Opaque:
        break;
    }
}

void ConnectionAnalyzer::onClose(Direction dir, CloseReason reason, const SegmentInfo& info) {
    if (m_finished) {
        return;
    }
    const Direction d = map(dir);
    m_conn.last = std::max(m_conn.last, info.time);
    m_conn.lastPacket = std::max(m_conn.lastPacket, info.packet);
    Side& s = m_side[index(d)];
    if (s.mode == Mode::WebSocket) {
        s.ws->end(info);
    }
    if (s.mode == Mode::Http2) {
        m_h2->end(d, info);
    }
    if (s.mode == Mode::Http && s.http && s.http->bodyUntilClose() &&
        d == Direction::ServerToClient) {
        onResponseBodyDone(*s.http);
    }
    if (reason == CloseReason::Fin || reason == CloseReason::Rst) {
        const bool rst = reason == CloseReason::Rst;
        Event e;
        e.kind = rst ? EventKind::TcpRst : EventKind::TcpFin;
        e.time = info.time;
        e.packet = info.packet;
        e.direction = d;
        e.streamOffset = m_streamEnd[index(d)];
        emit(e);
        onTcpEnd(d, rst, info);
        update();
    } else if (reason == CloseReason::PeerReset) {
        onPeerReset(d, info);
    }
}

void ConnectionAnalyzer::onSegment(Direction dir, const TcpSegment& segment,
                                   const SegmentInfo& info) {
    const Direction d = map(dir);
    DirectionStats& st = m_conn.stats[index(d)];
    ++st.packets;
    st.bytes += segment.payloadLengthOnWire;
    m_halfOpen.onSegment(d, segment, info);
}

void ConnectionAnalyzer::onNotice(Direction dir, TcpNotice notice, const SegmentInfo& info,
                                  std::uint64_t offset, std::uint64_t value) {
    if (m_finished) {
        return;
    }
    const Direction d = map(dir);
    std::optional<AnomalyId> id;
    switch (notice) {
    case TcpNotice::PartialConnection:
        id = AnomalyId::TcpPartialConnection;
        break;
    case TcpNotice::OverlapConflict:
    case TcpNotice::OverlapConflictLaterWins:
        id = AnomalyId::TcpOverlapConflict;
        break;
    case TcpNotice::RstOutOfWindow:
        id = AnomalyId::TcpRstOutOfWindow;
        break;
    case TcpNotice::FinOutOfWindow:
        id = AnomalyId::TcpFinOutOfWindow;
        break;
    case TcpNotice::SynInConnection:
        id = AnomalyId::TcpSynInConnection;
        break;
    case TcpNotice::BufferLimitExceeded:
        id = AnomalyId::TcpBufferLimitExceeded;
        break;
    case TcpNotice::DataAfterFin:
        id = AnomalyId::TcpDataAfterFin;
        break;
    case TcpNotice::DataAfterRst:
        id = AnomalyId::TcpDataAfterRst;
        break;
    case TcpNotice::SynAfterClose:
    case TcpNotice::ZeroWindow:
        break; // facts, not anomalies
    }
    if (!id) {
        return;
    }
    std::string detail;
    switch (notice) {
    case TcpNotice::RstOutOfWindow:
    case TcpNotice::FinOutOfWindow:
        detail = fmt::format("{}; expected=sequence in the receive window from offset {}, "
                             "found={:+} from it",
                             noticeDetail(notice), offset, static_cast<std::int64_t>(value));
        break;
    case TcpNotice::SynInConnection:
        detail = fmt::format("{}; offset={}, isn={}", noticeDetail(notice), offset, value);
        break;
    default:
        detail = fmt::format("{}; offset={}, bytes={}", noticeDetail(notice), offset, value);
        break;
    }
    report(*id, notice == TcpNotice::PartialConnection ? std::nullopt : std::optional{d}, info,
           offset, std::move(detail));
}

bool ConnectionAnalyzer::startTls(Direction& d, Bytes bytes) {
    if (m_delivered[index(d)] != 0 || m_delivered[index(opposite(d))] != 0 ||
        !looksLikeClientHello(bytes)) {
        return false;
    }
    if (d == Direction::ServerToClient) {
        if (m_roleKnown) {
            return false; // the server spoke first: not a ClientHello to read as one
        }
        flip(); // no SYN: the side that sends the ClientHello is the client (RFC 8446 §2)
        d = opposite(d);
    }
    m_roleKnown = true;
    for (Side& s : m_side) {
        s.mode = Mode::Opaque; // the HTTP and WebSocket phases see nothing without keys
    }
    m_conn.tls.emplace();
    m_tls = std::make_unique<TlsStream>(static_cast<TlsObserver&>(*this));
    update();
    return true;
}

void ConnectionAnalyzer::checkHttpToTlsPort(Direction d, std::uint64_t offset, Bytes bytes,
                                            const SegmentInfo& info) {
    const std::string_view text(reinterpret_cast<const char*>(bytes.data()),
                                std::min<std::size_t>(bytes.size(), 4096));
    std::string found;
    if (looksLikeTlsRecord(bytes) && bytes[0] == 21) {
        found = "a TLS alert record";
    } else if (startsWith(bytes, "HTTP/1.")) {
        // The words TLS servers answer plain HTTP with: nginx, Go crypto/tls, Apache.
        for (std::string_view phrase :
             {"plain HTTP request was sent to HTTPS port", "HTTP request to an HTTPS server",
              "speaking plain HTTP to an SSL-enabled server"}) {
            if (text.find(phrase) != std::string_view::npos) {
                found = fmt::format("\"{}\"", phrase);
                break;
            }
        }
    }
    if (found.empty()) {
        return;
    }
    report(AnomalyId::TlsHttpToTlsPort, d, info, offset,
           fmt::format("expected=an HTTP response, found={} (the server expects TLS)", found));
    if (bytes[0] == 21) {
        m_side[index(d)].mode = Mode::Opaque; // nothing more to read as HTTP
    }
}

void ConnectionAnalyzer::concludeTls(const SegmentInfo& last) {
    if (!m_tls) {
        return;
    }
    TlsSummary summary = m_tls->summary();
    const bool failed = m_tls->fatalAlert() || m_tls->serverNotTls();
    if (failed) {
        summary.decryption = "nothing to decrypt: the TLS handshake failed";
        m_conn.outcome = Outcome::Failed;
    } else if (m_tls->encryptedSeen()) {
        summary.decryption = "no keys: give the key log with --tls-keylog to see the WebSocket";
        std::string alpn =
            summary.alpnChosen.empty()
                ? (summary.version == "TLS 1.3" ? "chosen ALPN encrypted" : "no ALPN chosen")
                : "ALPN " + summary.alpnChosen + " chosen";
        report(AnomalyId::TlsEncrypted, std::nullopt, last, 0,
               fmt::format("{}, SNI {}, {}{}", summary.version.empty() ? "TLS" : summary.version,
                           summary.sni.empty() ? "none" : summary.sni, alpn,
                           summary.encryptedRecords != 0
                               ? fmt::format(", {} encrypted records ({} bytes)",
                                             summary.encryptedRecords, summary.encryptedBytes)
                               : std::string()));
    } else {
        summary.decryption = "no encrypted data seen";
    }
    m_conn.tls = std::move(summary);
}

void ConnectionAnalyzer::narrowFingerprints() {
    // What the server did besides each 101, for narrowServerFingerprint.
    ServerBehaviour later;
    const auto closeFact = [](const DirectionStats& st) {
        CloseFact f;
        f.sent = st.sentClose;
        f.code = st.closeCode;
        f.reason = st.closeReason;
        return f;
    };
    const DirectionStats& c2s = m_conn.stats[index(Direction::ClientToServer)];
    const DirectionStats& s2c = m_conn.stats[index(Direction::ServerToClient)];
    later.clientClose = closeFact(c2s);
    later.serverClose = closeFact(s2c);
    later.serverCloseAnswered = m_conn.firstClose == Direction::ClientToServer && s2c.sentClose;
    later.clientSentInvalidUtf8 = m_clientInvalidUtf8;
    bool go = false;
    for (std::size_t i = 0; i < m_conn.responses.size(); ++i) {
        ResponseSummary& r = m_conn.responses[i];
        if (r.status != 101) {
            continue;
        }
        later.otherAnswers.clear();
        for (std::size_t j = 0; j < m_conn.responses.size(); ++j) {
            if (j != i) {
                later.otherAnswers.push_back(fingerprintServer(m_conn.responses[j]));
            }
        }
        const NarrowedFingerprint n = narrowServerFingerprint(fingerprintServer(r), later);
        r.fingerprint = n.name;
        r.fingerprintEvidence = n.evidence;
        go = n.serverIsGo; // the last 101 is the one the connection ran on
    }
    m_conn.serverIsGo = go;
}

std::string ConnectionAnalyzer::clientSentWhileWaiting() const {
    return m_side[index(Direction::ClientToServer)].mode == Mode::AwaitUpgrade
               ? m_earlyData.waiting().describe()
               : std::string();
}

void ConnectionAnalyzer::decodeUnansweredClientFrames() {
    // The client's frames sent before an answer that never came are still frames it sent: decode
    // them (stats, timeline), as a 101 would have. Bytes that are not all frames stay held.
    const WaitingClientData& w = m_earlyData.waiting();
    Side& c = m_side[index(Direction::ClientToServer)];
    if (c.mode != Mode::AwaitUpgrade || m_pendingChunks.empty() || w.frames() == 0 ||
        !w.allFrames()) {
        return;
    }
    startWebSocket(Direction::ClientToServer, false);
    releasePending(true);
}

void ConnectionAnalyzer::finish(const SegmentInfo& last) {
    if (m_finished) {
        return;
    }
    m_conn.last = std::max(m_conn.last, last.time);
    m_conn.lastPacket = std::max(m_conn.lastPacket, last.packet);
    concludeTls(last);
    for (Side& s : m_side) {
        if (s.mode == Mode::WebSocket) {
            s.ws->end(last);
        }
    }
    if (m_side[index(Direction::ServerToClient)].mode == Mode::Http) {
        const auto& r = m_side[index(Direction::ServerToClient)].http;
        if (r && r->bodyUntilClose()) {
            onResponseBodyDone(*r);
        }
    }
    resolvePendingAnswer(true);
    resolveEarlyData(!m_unanswered.serverGap());
    for (const Direction d : {Direction::ClientToServer, Direction::ServerToClient}) {
        if (Finding f = m_halfOpen.conclude(d, m_conn.stats[index(d)].tcpEnd,
                                            m_streamEnd[index(opposite(d))])) {
            report(std::move(*f));
        }
    }
    if (Finding f = m_unanswered.conclude(last, m_delivered[index(Direction::ServerToClient)],
                                          m_streamEnd[index(Direction::ServerToClient)],
                                          clientSentWhileWaiting())) {
        report(std::move(*f));
        m_conn.outcome = Outcome::Failed;
    }
    decodeUnansweredClientFrames();
    if (m_conn.outcome == Outcome::Upgraded) {
        const DirectionStats& client = m_conn.stats[index(Direction::ClientToServer)];
        if (auto why = m_clientRejected.conclude(client.frames, client.tcpEnd)) {
            m_conn.outcome = Outcome::Failed;
            m_conn.notes.push_back(std::move(*why));
        }
    }
    narrowFingerprints();
    bool ambiguous = false;
    for (const ResponseSummary& r : m_conn.responses) {
        if (r.status == 101) {
            ambiguous = r.fingerprint.find(" or ") != std::string::npos;
        }
    }
    m_accessLog200 = m_ginLogs200.conclude(m_conn.serverIsGo, ambiguous,
                                           reported(AnomalyId::HijackTwoResponses) ||
                                               reported(AnomalyId::HijackHttpInWebSocket));
    if (m_accessLog200 != GinLogs200::Conclusion::None) {
        m_conn.notes.emplace_back(GinLogs200::note(m_accessLog200));
    }
    if (std::string note = proxyLegNote(); !note.empty()) {
        m_conn.notes.push_back(std::move(note));
    }
    if (m_session) {
        m_session->finish(last); // unanswered pings, cut messages
    }
    if (m_h2) {
        m_h2->finish(last); // its WebSocket streams end with it
    }
    flushControlFrame(nullptr);
    concludeClose(last);

    // Outcome from what was seen.
    bool frames = false;
    for (const auto& st : m_conn.stats) {
        frames = frames || st.frames > 0;
    }
    if (m_conn.outcome == Outcome::TcpOnly && frames) {
        m_conn.outcome = Outcome::Midstream;
    }
    const auto& c2s = m_conn.stats[0];
    const auto& s2c = m_conn.stats[1];
    // RFC 6455 §7.1.1-§7.1.4: the closing handshake completed (Close both ways), neither Close
    // reports a failure (a client answering the server's Close with 1002 did not end well),
    // and TCP was closed in order by both sides (FIN, no reset, nothing left open).
    const auto closedWell = [](const DirectionStats& st) {
        return st.sentClose && !(st.closeCode && closeCodeIsFailure(*st.closeCode)) &&
               st.tcpEnd == TcpEnd::Fin;
    };
    m_conn.cleanClose = closedWell(c2s) && closedWell(s2c) && !m_resetSeen;
    decideVerdict(m_conn, m_findings);
    m_conn.verdict.accessLogShows200 = m_accessLog200 == GinLogs200::Conclusion::Certain;
    m_conn.verdict.accessLogMayShow200 = m_accessLog200 == GinLogs200::Conclusion::IfGin;
    m_findings = {};
    m_finished = true;
    m_conn.finished = true;
    m_sink.onConnectionEnd(m_conn);
}

} // namespace wst
