// SPDX-License-Identifier: MIT
// ConnectionAnalyzer, HTTP phase: request and response heads, bodies, the upgrade hand-off and
// the answer patterns (http_upgrade_*, hijack_two_responses, hijack_error_with_output,
// the start of HTTP/2, ws_handshake_early_client_data; GinLogs200 notes the 101 for the verdict).
#include "decoder/analysis/connection_analyzer.h"
#include "decoder/analysis/http2_session.h"
#include "decoder/analysis/http_reader.h"
#include "decoder/analysis/patterns.h"
#include "decoder/analysis/proxy_legs.h"
#include "decoder/http/fingerprint.h"
#include "decoder/http/handshake_validator.h"
#include "decoder/http/http_body_tracker.h"
#include "decoder/http/ws_extensions.h"
#include "decoder/model/format.h"

#include <fmt/format.h>

namespace wst {
namespace {

constexpr std::size_t kMaxResponsesKept = 16;
constexpr std::size_t kMaxHeadersKept = 64;

std::string_view text(Bytes b) {
    return {reinterpret_cast<const char*>(b.data()), b.size()};
}

/// True if `b` starts with a status line's "HTTP/1.", or is a non-empty beginning of it (the
/// rest is in the next segment; the head parser decides then).
bool mayStartStatusLine(Bytes b) {
    constexpr std::string_view kStatus = "HTTP/1.";
    const std::string_view t = text(b);
    return t.size() >= kStatus.size() ? t.starts_with(kStatus)
                                      : !t.empty() && kStatus.starts_with(t);
}

std::vector<Header> copyHeaders(const HttpHead& h) {
    std::vector<Header> out;
    out.reserve(std::min(h.headers.size(), kMaxHeadersKept));
    for (const HeaderView& v : h.headers) {
        if (out.size() == kMaxHeadersKept) {
            break;
        }
        out.push_back({std::string(v.name), std::string(v.value)});
    }
    return out;
}

std::string firstLine(Bytes b, std::size_t max = 60) {
    const std::string_view t = text(b);
    return quoteBytes(t.substr(0, t.find("\r\n")), max);
}

/// The server connection preface: a SETTINGS frame on stream 0 (RFC 9113 §3.4, §6.5), whole
/// in the first bytes. No HTTP/1.x answer starts with a zero length byte and type 0x04.
bool startsLikeHttp2Settings(Bytes b) {
    if (b.size() < h2::FrameHeader::kSize) {
        return false;
    }
    const h2::FrameHeader h = h2::FrameHeader::parse(b.data());
    return h.type == static_cast<std::uint8_t>(h2::FrameType::Settings) && h.streamId == 0 &&
           (h.flags & ~h2::flag::Ack) == 0 && h.length % 6 == 0 && h.length <= 6 * 64;
}

/// The HTTP/2 connection preface parses as a request head "PRI * HTTP/2.0" (RFC 9113 §3.4);
/// "SM\r\n\r\n" follows it.
bool isHttp2Preface(const HttpHead& h) {
    return h.method == "PRI" && h.target == "*" && h.version == "HTTP/2.0";
}

} // namespace

ResponseSummary ConnectionAnalyzer::summarise(const HttpHead& h, const SegmentInfo& start) const {
    ResponseSummary r;
    r.status = h.status;
    r.reason = h.reason;
    r.httpVersion = h.version;
    r.accept = h.header("Sec-WebSocket-Accept");
    r.protocol = h.header("Sec-WebSocket-Protocol");
    for (const ExtensionElement& e : parseExtensions(h)) {
        r.extensions.emplace_back(e.text);
    }
    r.server = h.header("Server");
    r.headers = copyHeaders(h);
    const Fingerprint f = fingerprintServer(h);
    r.fingerprint = f.alternative.empty() ? std::string(f.name)
                                          : fmt::format("{} or {}", f.name, f.alternative);
    r.fingerprintEvidence = f.evidence;
    r.packet = start.packet;
    r.time = start.time;
    return r;
}

std::size_t ConnectionAnalyzer::httpStep(Direction d, std::uint64_t offset, Bytes bytes,
                                         const SegmentInfo& info) {
    Side& s = m_side[index(d)];
    if (!s.http) {
        s.http = std::make_unique<HttpReader>(d == Direction::ClientToServer
                                                  ? HttpHeadParser::Kind::Request
                                                  : HttpHeadParser::Kind::Response,
                                              m_limits);
    }
    HttpReader& r = *s.http;
    if (d == Direction::ServerToClient && m_requests == 0 && !m_h2 && !r.inBody() &&
        startsLikeHttp2Settings(bytes)) {
        // A prior-knowledge HTTP/2 server sends its SETTINGS at once, often before the client's
        // preface arrives (RFC 9113 §3.4): HTTP/2 from here, the client's preface still to come.
        startHttp2("prior_knowledge", h2::kClientPreface);
        return 0;
    }
    // hijack_two_responses with a close-delimited first answer: its "body" starts with the next
    // status line.
    if (d == Direction::ServerToClient && r.bodyUntilClose() && r.bodyBytes() == 0 &&
        m_upgradeRequested && mayStartStatusLine(bytes)) {
        r.restartHead();
    }
    const bool inBody = r.inBody();
    const auto step = r.feed(text(bytes), offset, info);
    switch (step.what) {
    case HttpReader::What::NeedMore:
        return step.consumed;
    case HttpReader::What::Head:
        if (http2Step(d, r)) {
            return step.consumed;
        }
        if (d == Direction::ClientToServer) {
            onRequestHead(r);
        } else {
            onResponseHead(r);
        }
        return step.consumed;
    case HttpReader::What::BodyDone:
        if (d == Direction::ServerToClient) {
            onResponseBodyDone(r);
        } else if (m_unanswered.waiting()) {
            s.mode = Mode::AwaitUpgrade; // the upgrade request's body ended
        }
        return step.consumed;
    case HttpReader::What::Error:
        return onHttpError(d, step.consumed, bytes, offset, info, inBody);
    }
    return bytes.size();
}

void ConnectionAnalyzer::noteUpstreamLeg(ConnId upstream, const ProxyLegs::Link& link) {
    if (m_conn.proxyLeg) {
        return;
    }
    m_conn.proxyLeg = ProxyLeg{upstream, true, link.delay};
    m_upstreamStripped = link.stripped;
    update();
}

void ConnectionAnalyzer::noteUpstreamAnswer(int status) {
    if (m_upstreamStatus == 0) {
        m_upstreamStatus = status;
    }
}

std::string ConnectionAnalyzer::proxyLegNote() const {
    if (!m_conn.proxyLeg || !m_conn.proxyLeg->otherIsUpstream) {
        return {};
    }
    const ProxyLeg& leg = *m_conn.proxyLeg;
    int status = 0; // this connection's first final answer
    std::string_view server;
    for (const ResponseSummary& r : m_conn.responses) {
        if (r.status == 101 || r.status >= 200) {
            status = r.status;
            server = headerValue(r, "Server");
            break;
        }
    }
    const std::string proxy =
        server.empty() ? std::string("the proxy") : fmt::format("the proxy ({})", server);
    // The backend refused the copy, and this leg's answer is the same refusal: the proxy passed
    // the backend's answer on.
    const bool relayedRefusal =
        m_upstreamStatus >= 200 && m_upstreamStatus != 101 && status == m_upstreamStatus;
    if (m_upstreamStripped) {
        // Both legs of the proxy seen: certain, where http_upgrade_stripped on one leg guesses.
        const std::string how = fmt::format(
            "it forwarded this upgrade request {} later without Upgrade/Connection, dropping the "
            "hop-by-hop headers (RFC 9110 §7.6.1; nginx: proxy_http_version 1.1 and "
            "proxy_set_header Upgrade $http_upgrade, Connection \"upgrade\")",
            formatDuration(leg.delayNs));
        if (relayedRefusal) {
            return fmt::format("{} stripped Upgrade on the back leg (connection #{}), which is why "
                               "its backend answered {}: {}",
                               proxy, leg.other, m_upstreamStatus, how);
        }
        return fmt::format("{} stripped Upgrade on the back leg (connection #{}): {}", proxy,
                           leg.other, how);
    }
    if (relayedRefusal) {
        return fmt::format("the backend refused the upgrade on the back leg (connection #{}) with "
                           "{}, and {} relayed its answer: look at the backend, not the proxy",
                           leg.other, m_upstreamStatus, proxy);
    }
    return {};
}

void ConnectionAnalyzer::startHttp2(std::string_view start, std::string_view clientPreface) {
    if (!m_h2) {
        std::function<ConnId()> newId = m_newId;
        if (!newId) {
            newId = [] { return ConnId{0}; };
        }
        m_h2 = std::make_unique<Http2Session>(
            m_conn, m_sink, m_limits, std::move(newId),
            [this](Anomaly&& a) { report(std::move(a)); }, m_captureInflate, start, clientPreface);
    }
    for (Side& s : m_side) {
        s.mode = Mode::Http2;
    }
    if (m_conn.outcome == Outcome::TcpOnly) {
        m_conn.outcome = Outcome::HttpOnly;
    }
    update();
}

bool ConnectionAnalyzer::http2Step(Direction d, const HttpReader& r) {
    // HTTP/2 in cleartext (docs/http2.md): prior knowledge starts with the preface, which parses
    // as the head "PRI * HTTP/2.0" (RFC 9113 §3.4; "SM\r\n\r\n" follows it); h2c is an
    // HTTP/1.1 request with Upgrade: h2c, answered by a 101 after which the server sends frames
    // and the client its whole preface (RFC 7540 §3.2). Each extended CONNECT stream inside
    // becomes a WebSocket connection of its own (Http2Session).
    const HttpHead& h = r.head();
    if (d == Direction::ClientToServer && isHttp2Preface(h)) {
        startHttp2(m_h2cRequested ? "h2c_upgrade" : "prior_knowledge",
                   h2::kClientPreface.substr(18));
        return true;
    }
    if (d == Direction::ClientToServer && h.hasToken("Upgrade", "h2c") &&
        !h.hasToken("Upgrade", "websocket")) {
        m_h2cRequested = true;
        return false; // the h2c request itself is HTTP/1.1: analyse it as such
    }
    if (d == Direction::ServerToClient && m_h2cRequested && h.status == 101) {
        startHttp2("h2c_upgrade", h2::kClientPreface);
        return true;
    }
    return false;
}

Event ConnectionAnalyzer::headEvent(const HttpReader& r, EventKind kind, Direction d) const {
    Event e;
    e.kind = kind;
    e.time = r.headStart().time;
    e.packet = r.headStart().packet;
    e.streamOffset = r.headOffset();
    e.length = r.headLength();
    e.direction = d;
    return e;
}

void ConnectionAnalyzer::onRequestHead(const HttpReader& r) {
    const HttpHead& h = r.head();
    // http_upgrade_ignored waits for a second head until the connection ends (a late 101 is
    // hijack_two_responses instead). A new request ends the wait early: what follows answers it,
    // not the upgrade request.
    const auto& server = m_side[index(Direction::ServerToClient)].http;
    if (m_refusal.waiting() && server && !server->inBody()) {
        resolvePendingAnswer(true);
    }
    ++m_requests;
    m_lastMethod.assign(h.method);
    const bool attempt = isWebSocketAttempt(h);

    emit(headEvent(r, EventKind::HttpRequest, Direction::ClientToServer));

    if (!m_conn.request || (attempt && !m_conn.request->isUpgrade)) {
        RequestSummary q;
        q.method = h.method;
        q.target = h.target;
        q.httpVersion = h.version;
        q.host = h.header("Host");
        q.origin = h.header("Origin");
        q.userAgent = h.header("User-Agent");
        q.key = h.header("Sec-WebSocket-Key");
        q.version = h.header("Sec-WebSocket-Version");
        for (std::string_view p : parseSubprotocols(h)) {
            q.protocols.emplace_back(p);
        }
        for (const ExtensionElement& x : parseExtensions(h)) {
            q.extensions.emplace_back(x.text);
        }
        q.headers = copyHeaders(h);
        q.isUpgrade = attempt;
        q.packet = r.headStart().packet;
        q.time = r.headStart().time;
        m_conn.request = std::move(q);
    }
    if (attempt && m_legs != nullptr) {
        ProxyLegs::Request leg;
        leg.conn = m_conn.id;
        leg.time = r.headStart().time;
        leg.method = h.method;
        leg.target = h.target;
        leg.key = h.header("Sec-WebSocket-Key");
        leg.upgradeHeaders =
            h.hasToken("Upgrade", "websocket") && h.hasToken("Connection", "upgrade");
        leg.client = m_conn.client;
        if (const auto link = m_legs->onRequest(leg); link && !m_conn.proxyLeg) {
            // This is the proxy's copy: the back leg (the caller's update() below says so).
            m_conn.proxyLeg = ProxyLeg{link->clientLeg, false, link->delay};
            if (m_legs->onLink) {
                m_legs->onLink(link->clientLeg, m_conn.id, *link);
            }
        }
    }

    Side& s = m_side[index(Direction::ClientToServer)];
    if (!attempt) {
        if (m_conn.outcome == Outcome::TcpOnly) {
            m_conn.outcome = Outcome::HttpOnly;
        }
        s.http->startBody(requestBodyFraming(h));
        update();
        return;
    }

    // Keep the request for validateResponse (the bytes here vanish after this call).
    m_requestText.assign(r.headText());
    HttpHeadParser reparse(HttpHeadParser::Kind::Request, m_limits.httpHeadBytes);
    reparse.parse(m_requestText, m_requestHead);

    m_failedRequestChecks.clear();
    const HandshakeReport checks = validateRequest(h);
    for (const HandshakeCheck& c : checks.checks) {
        if (c.result == CheckResult::Failed && c.anomaly) {
            m_failedRequestChecks.push_back(c.name);
            report(*c.anomaly, Direction::ClientToServer, r.headStart(), r.headOffset(), c.detail);
        }
    }
    m_upgradeRequested = true;
    m_unanswered.onRequest(r.headEnd(), m_delivered[index(Direction::ServerToClient)]);
    m_earlyData.onRequest();
    if (m_conn.outcome == Outcome::TcpOnly || m_conn.outcome == Outcome::HttpOnly) {
        m_conn.outcome = Outcome::Failed; // until a valid 101 arrives
    }
    s.http->startBody(requestBodyFraming(h));
    if (!s.http->inBody()) {
        s.mode = Mode::AwaitUpgrade;
    }
    update();
}

bool ConnectionAnalyzer::onResponseHead(const HttpReader& r) {
    const HttpHead& h = r.head();
    Event e = headEvent(r, EventKind::HttpResponse, Direction::ServerToClient);
    e.status = static_cast<std::uint16_t>(h.status);
    emit(e);

    if (m_conn.responses.size() < kMaxResponsesKept) {
        m_conn.responses.push_back(summarise(h, r.headStart()));
    }
    resolveEarlyData(!m_unanswered.serverGap());
    Side& s = m_side[index(Direction::ServerToClient)];
    const bool interim = h.status >= 100 && h.status < 200 && h.status != 101;
    if (interim) {
        // 100 Continue, 103 Early Hints: the final answer is still to come (RFC 9110 §15.2).
        s.http->startBody(BodyFraming{});
        update();
        return false;
    }
    ++m_finalResponses;
    if (m_finalResponses == 1 && m_conn.proxyLeg && !m_conn.proxyLeg->otherIsUpstream &&
        m_legs != nullptr && m_legs->onUpstreamAnswer) {
        m_legs->onUpstreamAnswer(m_conn.proxyLeg->other, m_conn.id, h.status);
    }
    const bool second = m_finalResponses > std::max<std::uint32_t>(m_requests, 1);
    if (second) {
        // hijack_two_responses: a second answer to one request. The client believed the first one.
        const ResponseSummary* prev = nullptr;
        for (std::size_t i = m_conn.responses.size() - 1; i-- > 0;) {
            const int st = m_conn.responses[i].status;
            if (st == 101 || st >= 200) {
                prev = &m_conn.responses[i];
                break;
            }
        }
        const int firstStatus = prev != nullptr ? prev->status : 0;
        std::string detail =
            fmt::format("first={} {}, then={} {} {} later", firstStatus,
                        prev != nullptr ? prev->reason : "", h.status, h.reason,
                        formatDuration(prev != nullptr ? r.headStart().time - prev->time : 0));
        if (m_bodyCutByHead) {
            detail += "; the second head cut the first answer's chunked body";
        }
        if (h.status == 101) {
            detail += fmt::format("; headers flushed before the hijack (Go: WriteHeader, Write or "
                                  "Flush before Upgrade): the client saw {} and failed, the server "
                                  "believes it upgraded",
                                  firstStatus);
        } else if (firstStatus == 101) {
            detail += "; late error after the 101 (Go ≤1.20 informational 101 and a failed "
                      "Hijack)";
        }
        report(AnomalyId::HijackTwoResponses, Direction::ServerToClient, r.headStart(),
               r.headOffset(), std::move(detail));
        m_refusal.supersede();
        m_conn.outcome = Outcome::Failed;
    }
    if (h.status == 101) {
        upgradeBothWays(h, r.headStart(), second);
        return true;
    }
    const bool answersUpgrade = m_unanswered.waiting();
    m_unanswered.onAnswer();
    s.http->startBody(responseBodyFraming(h, m_lastMethod));
    if (answersUpgrade && !second) {
        m_conn.outcome = Outcome::Refused;
        m_refusal.onAnswer(m_conn.responses.size() - 1, r.headStart(), r.headOffset());
        if (!s.http->inBody()) {
            onResponseBodyDone(*s.http);
        }
        releasePending(false);
    } else if (!m_upgradeRequested && m_conn.outcome == Outcome::TcpOnly) {
        m_conn.outcome = Outcome::HttpOnly;
    }
    update();
    return false;
}

void ConnectionAnalyzer::upgradeBothWays(const HttpHead& h, const SegmentInfo& start, bool second) {
    m_unanswered.onAnswer();
    const std::uint64_t headOffset = m_side[index(Direction::ServerToClient)].http->headOffset();
    if (!m_upgraded) {
        m_upgraded = true;
        m_upgradeAt = start;
        if (m_upgradeRequested && !second) {
            m_conn.handshakeLatencyNs = start.time - m_unanswered.requestEnd().time;
        }
    }
    bool ok = m_upgradeRequested && !second;
    if (m_upgradeRequested) {
        const HandshakeReport rep = validateResponse(m_requestHead, h);
        for (const HandshakeCheck& c : rep.checks) {
            if (c.result == CheckResult::Failed && c.anomaly) {
                report(*c.anomaly, Direction::ServerToClient, start, headOffset, c.detail);
                if (!second) {
                    m_clientRejected.onMismatch(*c.anomaly);
                }
                // Clients fail on these (RFC 6455 §4.1 items 2–4). A subprotocol or extension
                // mismatch fails some clients and not others (gorilla/k6 accept them), so the
                // connection still counts as upgraded.
                switch (*c.anomaly) {
                case AnomalyId::WsHandshakeWrongAccept:
                case AnomalyId::WsHandshakeMissingAccept:
                case AnomalyId::WsHandshakeMultipleAccept:
                case AnomalyId::WsHandshakeResponseMissingUpgrade:
                case AnomalyId::WsHandshakeResponseMissingConnection:
                    ok = false;
                    break;
                default:
                    break;
                }
            }
        }
        const auto& dp = rep.negotiated.deflate;
        m_conn.deflate = dp.enabled;
        m_deflate = dp;
    }
    m_handshakeOk = ok;
    if (!second) {
        m_conn.outcome = ok ? Outcome::Upgraded : Outcome::Failed;
    }

    Event e;
    e.kind = EventKind::Upgrade;
    e.time = start.time;
    e.packet = start.packet;
    e.direction = Direction::ServerToClient;
    e.streamOffset = headOffset;
    emit(e);

    m_ginLogs200.onUpgrade(m_conn.responses.back(), ok, start, headOffset);

    startWebSocket(Direction::ServerToClient, false);
    Side& c = m_side[index(Direction::ClientToServer)];
    if (c.mode == Mode::AwaitUpgrade) {
        startWebSocket(Direction::ClientToServer, false);
        releasePending(true);
    } else if (c.mode == Mode::Http && (!c.http || c.http->atHeadStart())) {
        startWebSocket(Direction::ClientToServer, false);
    }
    update();
}

void ConnectionAnalyzer::onResponseBodyDone(const HttpReader& r) {
    if (m_conn.responses.empty()) {
        return;
    }
    ResponseSummary& rs = m_conn.responses.back();
    rs.bodyPrefix = r.bodyPrefix();
    // hijack_error_with_output: the library's error text, then the application's own output in the
    // same body.
    if (m_upgradeRequested && looksLikeGorillaError(rs)) {
        const std::string_view extra = appendedErrorOutput(rs.status, rs.reason, rs.bodyPrefix);
        if (!extra.empty()) {
            report(AnomalyId::HijackErrorWithOutput, Direction::ServerToClient,
                   SegmentInfo{rs.packet, rs.time}, r.headOffset(),
                   fmt::format("status={} {}; library text={}, then appended={}; the server log "
                               "may show another status (gin ≤1.8 logs the overriding code)",
                               rs.status, rs.reason, quoteBytes(rs.reason + "\n"),
                               quoteBytes(extra)));
        }
    }
    resolvePendingAnswer(false);
}

void ConnectionAnalyzer::resolvePendingAnswer(bool connectionEnding) {
    for (Anomaly& a :
         m_refusal.resolve(m_conn.responses, m_conn.request ? &*m_conn.request : nullptr,
                           m_failedRequestChecks, connectionEnding)) {
        report(std::move(a));
    }
}

std::size_t ConnectionAnalyzer::onHttpError(Direction d, std::size_t at, Bytes bytes,
                                            std::uint64_t offset, const SegmentInfo& info,
                                            bool inBody) {
    Side& s = m_side[index(d)];
    const Bytes rest = bytes.subspan(std::min(at, bytes.size()));
    const std::uint64_t off = offset + at;
    if (inBody) {
        report(AnomalyId::HttpBodyMalformed, d, info, off,
               fmt::format("{}; found={}", s.http->errorReason(), firstLine(rest)));
        if (mayStartStatusLine(rest) && d == Direction::ServerToClient) {
            // hijack_two_responses: the next response head starts where a chunk size should be (RFC
            // 9112 §7.1 broken by the second answer); parse it as the head it is.
            m_bodyCutByHead = true;
            s.http->restartHead();
            return at;
        }
        s.mode = Mode::Opaque;
        return bytes.size();
    }
    // Frame bytes where HTTP was expected, after an upgrade that did not happen.
    FrameExpectations exp;
    exp.masked = d == Direction::ClientToServer;
    if (m_upgradeRequested && !m_upgraded && isPlausibleFrameHeader(rest, exp)) {
        FrameHeader fh;
        isPlausibleFrameHeader(rest, exp, &fh);
        const std::string answer =
            m_conn.responses.empty() ? std::string("no answer yet")
                                     : fmt::format("answered {} {}", m_conn.responses.back().status,
                                                   m_conn.responses.back().reason);
        report(AnomalyId::WsFrameAfterFailedHandshake, d, info, off,
               fmt::format("the {} sent a {} frame ({} payload bytes) although the upgrade was {}",
                           sideName(d), opcodeName(fh.opcode), fh.payloadLength, answer));
        s.http->restartHead();
        startWebSocket(d, false);
        return at;
    }
    if (s.http->errorReason() == "head too large") { // HttpHeadParser's size-limit reason
        report(AnomalyId::HttpHeadTooLarge, d, info, off,
               fmt::format("expected=a head within {} bytes (--max-head), found={}",
                           m_limits.httpHeadBytes, firstLine(rest, 40)));
    } else {
        report(AnomalyId::HttpHeadMalformed, d, info, off,
               fmt::format("{}; found={}", s.http->errorReason(), firstLine(rest, 40)));
    }
    s.mode = Mode::Opaque;
    return bytes.size();
}

void ConnectionAnalyzer::holdEarlyClientBytes(std::uint64_t offset, Bytes bytes,
                                              const SegmentInfo& info) {
    m_earlyData.onClientBytes(
        bytes, offset, info, m_unanswered.requestEnd().time,
        m_unanswered.serverSilent(m_delivered[index(Direction::ServerToClient)]));
    const std::size_t room =
        m_pending.size() < m_limits.httpHeadBytes ? m_limits.httpHeadBytes - m_pending.size() : 0;
    const std::size_t keep = std::min(room, bytes.size());
    if (m_pendingChunks.size() >= 256) {
        return; // bounded: the rest of the early bytes are dropped (counted in the stats)
    }
    if (keep > 0) {
        PendingChunk c;
        c.offset = offset;
        c.length = keep;
        c.at = m_pending.size();
        c.info = info;
        m_pending.append(reinterpret_cast<const char*>(bytes.data()), keep);
        m_pendingChunks.push_back(c);
    }
    if (keep < bytes.size()) {
        PendingChunk g;
        g.offset = offset + keep;
        g.length = bytes.size() - keep;
        g.gap = true;
        g.info = info;
        m_pendingChunks.push_back(g);
    }
}

void ConnectionAnalyzer::resolveEarlyData(bool confirmed) {
    if (Finding f = m_earlyData.resolve(confirmed)) {
        report(std::move(*f));
    }
}

void ConnectionAnalyzer::releasePending(bool upgraded) {
    Side& c = m_side[index(Direction::ClientToServer)];
    if (!upgraded && c.mode == Mode::AwaitUpgrade) {
        c.mode = Mode::Http;
        if (c.http) {
            c.http->restartHead();
        }
    }
    const std::vector<PendingChunk> chunks = std::move(m_pendingChunks);
    const std::string data = std::move(m_pending);
    m_pendingChunks.clear();
    m_pending.clear();
    for (const PendingChunk& ch : chunks) {
        if (ch.gap) {
            Side& side = m_side[index(Direction::ClientToServer)];
            if (side.mode == Mode::WebSocket) {
                side.ws->gap(ch.offset, ch.length, ch.info);
            } else if (side.mode == Mode::Http) {
                side.http->restartHead();
                side.mode = Mode::Detect;
            }
            continue;
        }
        dispatch(Direction::ClientToServer, ch.offset,
                 Bytes(reinterpret_cast<const std::uint8_t*>(data.data()) + ch.at, ch.length),
                 ch.info);
    }
}

} // namespace wst
