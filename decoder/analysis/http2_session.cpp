// SPDX-License-Identifier: MIT
// Http2Session: HTTP/2 frames in, RFC 8441 WebSocket streams out as connections of their own.
#include "decoder/analysis/http2_session.h"

#include "decoder/analysis/anomaly_limit.h"
#include "decoder/analysis/deferred/deferred.h"
#include "decoder/analysis/patterns.h"
#include "decoder/http/handshake_validator.h"
#include "decoder/http/http_head_parser.h"
#include "decoder/http/ws_extensions.h"
#include "decoder/model/format.h"
#include "decoder/verdict/verdict.h"
#include "decoder/ws/close_code.h"
#include "decoder/ws/ws_session.h"

#include <algorithm>
#include <fmt/format.h>

namespace wst {
namespace {

constexpr std::size_t kMaxHeadersKept = 64;
constexpr std::size_t kMaxWebSocketsListed = 4096;

std::string_view field(const std::vector<h2::HeaderField>& fields, std::string_view name) {
    for (const h2::HeaderField& f : fields) {
        if (f.name == name) {
            return f.value;
        }
    }
    return {};
}

bool hasField(const std::vector<h2::HeaderField>& fields, std::string_view name) {
    return std::any_of(fields.begin(), fields.end(),
                       [name](const h2::HeaderField& f) { return f.name == name; });
}

/// An HTTP/1.1-shaped view of an HTTP/2 header list (regular fields only; HTTP/2 names are
/// lower case, RFC 9113 §8.2.1), so the subprotocol and extension rules of decoder/http apply
/// unchanged. Views point into `fields`.
HttpHead asHead(const std::vector<h2::HeaderField>& fields, bool request, int status) {
    HttpHead h;
    h.isRequest = request;
    h.status = status;
    h.version = "HTTP/2";
    h.versionMajor = 2;
    for (const h2::HeaderField& f : fields) {
        if (!f.name.empty() && f.name[0] != ':') {
            h.headers.push_back({f.name, f.value});
        }
    }
    return h;
}

std::vector<Header> copyFields(const std::vector<h2::HeaderField>& fields) {
    std::vector<Header> out;
    for (const h2::HeaderField& f : fields) {
        if (out.size() == kMaxHeadersKept) {
            break;
        }
        out.push_back({f.name, f.value});
    }
    return out;
}

void count(Http2FrameCounts& c, const h2::FrameAt& f) {
    ++c[index(f.direction)][std::min<std::size_t>(f.header.type, h2::kKnownFrameTypes)];
}

} // namespace

/// One RFC 8441 WebSocket stream as a connection: its handshake, its WsSession, its end.
class H2WebSocket final : public WsObserver {
public:
    H2WebSocket(ConnId id, const Connection& parent, std::uint32_t streamId, TraceSink& sink,
                const Limits& limits, InflateBudget* captureInflate)
        : m_sink(sink)
        , m_limits(limits)
        , m_captureInflate(captureInflate)
        , m_anomalyLimit(limits.anomaliesPerConnectionAndId) {
        m_conn.id = id;
        m_conn.client = parent.client;
        m_conn.server = parent.server;
        m_conn.sawSyn = parent.sawSyn;
        m_conn.outcome = Outcome::HttpOnly;
        m_conn.h2stream.emplace();
        m_conn.h2stream->connection = parent.id;
        m_conn.h2stream->streamId = streamId;
    }

    ConnId id() const { return m_conn.id; }
    Http2Stream& link() { return *m_conn.h2stream; }
    bool upgraded() const { return m_upgraded; }
    bool ended() const { return m_finished; }
    /// END_STREAM both ways: the stream is closed (RFC 9113 §5.1). A refused stream stays
    /// half-closed until then, a reset or the connection's end, so its frames are still counted.
    bool over() const {
        return m_conn.stats[0].tcpEnd != TcpEnd::None && m_conn.stats[1].tcpEnd != TcpEnd::None;
    }

    void touch(const SegmentInfo& at) {
        m_conn.last = std::max(m_conn.last, at.time);
        m_conn.lastPacket = std::max(m_conn.lastPacket, at.packet);
    }

    void report(AnomalyId id, std::optional<Direction> d, const SegmentInfo& at,
                std::uint64_t offset, std::string detail) {
        report(makeAnomaly(id, d, at, offset, std::move(detail)));
    }

    /// The extended CONNECT. `enabled`: the server had sent SETTINGS_ENABLE_CONNECT_PROTOCOL=1.
    void onRequest(const h2::FrameAt& f, const std::vector<h2::HeaderField>& fields, bool enabled,
                   bool serverSettingsSeen) {
        m_conn.first = m_conn.last = f.at.time;
        m_conn.firstPacket = m_conn.lastPacket = f.at.packet;
        m_requestFields = fields;
        const HttpHead head = asHead(m_requestFields, true, 0);
        RequestSummary q;
        q.method = "CONNECT";
        q.target = field(fields, ":path");
        q.httpVersion = "HTTP/2";
        q.host = field(fields, ":authority");
        q.origin = field(fields, "origin");
        q.userAgent = field(fields, "user-agent");
        q.version = field(fields, "sec-websocket-version");
        for (std::string_view p : parseSubprotocols(head)) {
            q.protocols.emplace_back(p);
        }
        for (const ExtensionElement& e : parseExtensions(head)) {
            q.extensions.emplace_back(e.text);
        }
        q.headers = copyFields(fields);
        q.isUpgrade = true;
        q.packet = f.at.packet;
        q.time = f.at.time;
        m_conn.request = std::move(q);
        m_requestAt = f.at;
        m_sink.onConnectionStart(m_conn);

        Event e;
        e.kind = EventKind::HttpRequest;
        e.time = f.at.time;
        e.packet = f.at.packet;
        e.direction = Direction::ClientToServer;
        emit(e);

        // RFC 8441 §4: :scheme, :path and :authority are required on an extended CONNECT (a
        // classic CONNECT has only :authority); RFC 6455 §4.1 item 9 via RFC 8441 §5: version 13.
        std::vector<std::string_view> missing;
        for (std::string_view name : {":scheme", ":path", ":authority"}) {
            if (!hasField(fields, name)) {
                missing.push_back(name);
            }
        }
        if (!missing.empty()) {
            report(AnomalyId::H2WsConnectMalformed, Direction::ClientToServer, f.at, 0,
                   fmt::format("stream {}: expected=:scheme, :path and :authority, missing={}",
                               link().streamId, fmt::join(missing, ", ")));
        }
        if (const std::string_view v = field(fields, "sec-websocket-version"); v != "13") {
            report(AnomalyId::H2WsConnectMalformed, Direction::ClientToServer, f.at, 0,
                   fmt::format("stream {}: expected=sec-websocket-version: 13, found={}",
                               link().streamId, v.empty() ? "(absent)" : quoteBytes(v)));
        }
        if (!enabled) {
            m_connectBeforeSetting = true;
            m_serverSettingsSeen = serverSettingsSeen;
        }
    }

    /// Concludes h2_ws_connect_not_enabled once the answer (or the end) shows what followed.
    void concludeSetting(const SegmentInfo* enabledLater) {
        if (!m_connectBeforeSetting) {
            return;
        }
        m_connectBeforeSetting = false;
        const std::string before =
            m_serverSettingsSeen
                ? "the server's SETTINGS before it had no SETTINGS_ENABLE_CONNECT_PROTOCOL=1"
                : "no SETTINGS from the server had arrived yet";
        const std::string after =
            enabledLater
                ? fmt::format("the server enabled it later (packet {})", enabledLater->packet)
                : std::string("the server never sent SETTINGS_ENABLE_CONNECT_PROTOCOL=1 "
                              "in the capture: it does not support RFC 8441, and a "
                              "browser would have used HTTP/1.1 for this WebSocket");
        report(AnomalyId::H2WsConnectNotEnabled, Direction::ClientToServer, m_requestAt, 0,
               fmt::format("stream {}: CONNECT :protocol websocket sent, but {}; {}",
                           link().streamId, before, after));
    }

    void onResponse(const h2::FrameAt& f, const std::vector<h2::HeaderField>& fields,
                    const SegmentInfo* enabledLater) {
        touch(f.at);
        const std::string_view statusText = field(fields, ":status");
        int status = 0;
        for (char ch : statusText.substr(0, 3)) {
            status = ch >= '0' && ch <= '9' ? status * 10 + (ch - '0') : status;
        }
        const bool interim = status >= 100 && status < 200 && status != 101;
        ResponseSummary r;
        r.status = status;
        r.httpVersion = "HTTP/2";
        r.protocol = field(fields, "sec-websocket-protocol");
        const HttpHead head = asHead(fields, false, 101);
        for (const ExtensionElement& e : parseExtensions(head)) {
            r.extensions.emplace_back(e.text);
        }
        r.server = field(fields, "server");
        r.headers = copyFields(fields);
        r.packet = f.at.packet;
        r.time = f.at.time;
        if (m_conn.responses.size() < 16) {
            m_conn.responses.push_back(r);
        }
        if (!m_answered && !interim) {
            m_conn.handshakeLatencyNs = f.at.time - m_requestAt.time;
        }
        Event e;
        e.kind = EventKind::HttpResponse;
        e.time = f.at.time;
        e.packet = f.at.packet;
        e.direction = Direction::ServerToClient;
        e.status = static_cast<std::uint16_t>(std::clamp(status, 0, 999));
        emit(e);
        if (interim || m_answered) {
            return; // 1xx before the answer; trailers after it
        }
        m_answered = true;
        concludeSetting(enabledLater);
        if (status == 101) {
            report(AnomalyId::H2WsStatus101, Direction::ServerToClient, f.at, 0,
                   fmt::format("stream {}: expected=:status 200, found=101; HTTP/2 forbids 101 "
                               "(RFC 9113 §8.6)",
                               link().streamId));
            m_conn.outcome = Outcome::Failed;
            return;
        }
        if (status < 200 || status >= 300) {
            report(AnomalyId::H2WsConnectRefused, Direction::ServerToClient, f.at, 0,
                   fmt::format("stream {}: expected=:status 200, found={}", link().streamId,
                               statusText.empty() ? "(absent)" : statusText));
            m_conn.outcome = Outcome::Refused;
            return;
        }
        // The 101 rules that still apply on HTTP/2 (RFC 8441 §5): subprotocol, extensions,
        // permessage-deflate. Upgrade, Connection and Accept do not exist here; the response is
        // checked as if it were the 101 and only those checks are taken.
        const HttpHead request = asHead(m_requestFields, true, 0);
        const HandshakeReport rep = validateResponse(request, head);
        m_handshakeOk = true;
        for (const HandshakeCheck& c : rep.checks) {
            const std::string_view n = c.name;
            if (c.result != CheckResult::Failed || !c.anomaly ||
                (n != "Sec-WebSocket-Protocol" && n != "Sec-WebSocket-Extensions" &&
                 n != "permessage-deflate")) {
                continue;
            }
            report(*c.anomaly, Direction::ServerToClient, f.at, 0,
                   fmt::format("stream {}: {}", link().streamId, c.detail));
            if (anomalyInfo(*c.anomaly).severity == Severity::Error) {
                m_handshakeOk = false;
            }
        }
        m_conn.deflate = rep.negotiated.deflate.enabled;
        m_conn.outcome = m_handshakeOk ? Outcome::Upgraded : Outcome::Failed;
        m_upgraded = true;
        Event u;
        u.kind = EventKind::Upgrade;
        u.time = f.at.time;
        u.packet = f.at.packet;
        u.direction = Direction::ServerToClient;
        emit(u);
        WsNegotiation neg;
        neg.deflate = rep.negotiated.deflate;
        m_session = std::make_unique<WsSession>(m_conn.id, neg, m_limits, *this, m_captureInflate);
        m_sink.onConnectionUpdate(m_conn);
    }

    void onData(Direction d, Bytes data, const SegmentInfo& at) {
        touch(at);
        DirectionStats& st = m_conn.stats[index(d)];
        st.bytes += data.size();
        std::uint64_t& off = m_offset[index(d)];
        if (m_session) {
            m_session->feed(d, data, off, at);
        }
        off += data.size();
    }

    void onDataGap(Direction d, std::uint64_t length, const SegmentInfo& at) {
        DirectionStats& st = m_conn.stats[index(d)];
        ++st.gaps;
        st.gapBytes += length;
        std::uint64_t& off = m_offset[index(d)];
        if (m_session) {
            m_session->onGap(d, off, length, at);
        }
        off += length;
    }

    void onEndStream(Direction d, const SegmentInfo& at) {
        touch(at);
        DirectionStats& st = m_conn.stats[index(d)];
        if (st.tcpEnd != TcpEnd::None) {
            return;
        }
        st.tcpEnd = TcpEnd::Fin;
        st.tcpEndTime = at.time;
        if (!m_conn.firstTcpEnd) {
            m_conn.firstTcpEnd = d;
        }
        if (m_session) {
            m_session->endDirection(d, at);
        }
        flushControlFrame(nullptr);
    }

    void onReset(Direction d, std::uint32_t code, const SegmentInfo& at) {
        touch(at);
        Http2Stream& l = link();
        l.resetCode = code;
        l.resetBy = d;
        l.end = "rst_stream";
        DirectionStats& st = m_conn.stats[index(d)];
        st.tcpEnd = TcpEnd::Rst;
        st.tcpEndTime = at.time;
        if (!m_conn.firstTcpEnd) {
            m_conn.firstTcpEnd = d;
        }
        m_reset = true;
        if (!m_upgraded) {
            return; // the CONNECT was refused by a reset: the refusal is the finding
        }
        const bool closed = m_conn.stats[0].sentClose && m_conn.stats[1].sentClose;
        std::vector<std::string> cut;
        for (const Direction x : {Direction::ClientToServer, Direction::ServerToClient}) {
            if (midMessage(x)) {
                cut.push_back(std::string(sideName(x)));
            }
        }
        const std::string what =
            fmt::format("stream {}: RST_STREAM {} ({}) from the {}: {}", l.streamId,
                        h2::errorCodeName(code), code, sideName(d), h2::errorCodeMeaning(code));
        if (!cut.empty()) {
            report(AnomalyId::H2WsStreamResetMidMessage, d, at, m_offset[index(d)],
                   fmt::format("{}; a message of the {} was cut", what, fmt::join(cut, " and ")));
        } else if (!closed) {
            report(AnomalyId::H2WsStreamReset, d, at, m_offset[index(d)],
                   fmt::format("{}; Close frames: client {}, server {}", what,
                               m_conn.stats[0].sentClose ? "sent" : "none",
                               m_conn.stats[1].sentClose ? "sent" : "none"));
        }
    }

    void onGoaway(Direction d, std::uint32_t lastStream, std::uint32_t code,
                  const SegmentInfo& at) {
        if (!m_upgraded || m_goawayReported) {
            return;
        }
        m_goawayReported = true;
        report(AnomalyId::H2WsGoawayOpenStreams, d, at, m_offset[index(d)],
               fmt::format("GOAWAY {} ({}) from the {} with last stream id {} while WebSocket "
                           "stream {} was open: {}",
                           h2::errorCodeName(code), code, sideName(d), lastStream, link().streamId,
                           h2::errorCodeMeaning(code)));
    }

    void finish(const SegmentInfo& last, const SegmentInfo* enabledLater) {
        if (m_finished) {
            return;
        }
        touch(last);
        concludeSetting(enabledLater);
        Http2Stream& l = link();
        const bool bothEnded =
            m_conn.stats[0].tcpEnd == TcpEnd::Fin && m_conn.stats[1].tcpEnd == TcpEnd::Fin;
        if (l.end.empty()) {
            l.end = bothEnded ? "end_stream" : "connection_end";
        }
        if (!m_answered) {
            report(AnomalyId::HttpNoResponse, Direction::ServerToClient, last, 0,
                   fmt::format("stream {}: the extended CONNECT got no :status before the "
                               "stream or capture ended",
                               l.streamId));
            m_conn.outcome = Outcome::Failed;
        }
        if (m_session) {
            m_session->finish(last);
        }
        flushControlFrame(nullptr);
        const DirectionStats& c2s = m_conn.stats[0];
        const DirectionStats& s2c = m_conn.stats[1];
        if (m_upgraded && m_handshakeOk && !m_reset && !c2s.sentClose && !s2c.sentClose &&
            (c2s.tcpEnd == TcpEnd::Fin || s2c.tcpEnd == TcpEnd::Fin)) {
            report(AnomalyId::WsCloseMissing, m_conn.firstTcpEnd, last, 0,
                   fmt::format("stream {}: END_STREAM without any Close frame (RFC 8441 §6: the "
                               "stream's end is the TCP close)",
                               l.streamId));
        }
        const auto closedWell = [](const DirectionStats& st) {
            return st.sentClose && !(st.closeCode && closeCodeIsFailure(*st.closeCode)) &&
                   st.tcpEnd == TcpEnd::Fin;
        };
        m_conn.cleanClose = closedWell(c2s) && closedWell(s2c) && !m_reset;
        decideVerdict(m_conn, m_findings);
        m_findings = {};
        m_finished = true;
        m_conn.finished = true;
        m_sink.onConnectionEnd(m_conn);
    }

private:
    bool midMessage(Direction d) const {
        const std::size_t i = index(d);
        return m_cut[i] || m_openMessage[i] || m_offset[i] > m_frameEnd[i];
    }

    void emit(Event e, const Message* m = nullptr) {
        e.connection = m_conn.id;
        e.ref = Event::kNoRef;
        m_sink.onEvent(e, m, nullptr);
    }

    void report(Anomaly&& a) {
        if (static_cast<std::size_t>(a.id) >= kAnomalyIdCount) {
            return;
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

    void flushControlFrame(const Message* m) {
        if (m_controlPending) {
            m_controlPending = false;
            emit(m_controlEvent, m);
        }
    }

    // WsObserver: the same events a ConnectionAnalyzer makes of a TCP direction's frames.
    void onWsFrame(const WsFrame& f) override {
        flushControlFrame(nullptr);
        const Direction d = f.direction;
        DirectionStats& st = m_conn.stats[index(d)];
        ++st.frames;
        ++st.framesByOpcode[f.header.opcode & 0x0f];
        m_frameEnd[index(d)] = f.streamOffset + f.header.headerLength + f.header.payloadLength;
        m_cut[index(d)] = m_cut[index(d)] || !f.complete; // cut by END_STREAM before the reset
        if (!f.header.isControl()) {
            m_openMessage[index(d)] = !f.header.fin;
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
                st.sentClose = true;
                st.closeCode = f.closeCode;
                st.closeReason.assign(f.closeReason.substr(0, 123));
                st.closeTime = f.first;
                if (!m_conn.firstClose) {
                    m_conn.firstClose = d;
                }
            }
            emit(c);
        }
        m_controlEvent = e;
        m_controlPending = true;
    }

    void onWsMessage(const Message& m, std::uint64_t offset) override {
        if (m.opcode >= 0x8) {
            flushControlFrame(&m);
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
        e.frameFlags =
            static_cast<std::uint8_t>(frameflag::Fin | (m.compressed ? frameflag::Rsv1 : 0));
        emit(e, &m);
    }

    void onWsAnomaly(Anomaly&& a) override { report(std::move(a)); }

    TraceSink& m_sink;
    const Limits& m_limits;
    InflateBudget* m_captureInflate;
    Connection m_conn;
    AnomalyLimit m_anomalyLimit;
    std::vector<VerdictFinding> m_findings;
    std::vector<h2::HeaderField> m_requestFields;
    SegmentInfo m_requestAt;
    std::unique_ptr<WsSession> m_session;
    std::array<std::uint64_t, 2> m_offset{};   ///< DATA payload bytes per direction
    std::array<std::uint64_t, 2> m_frameEnd{}; ///< end of the last WebSocket frame reported
    std::array<bool, 2> m_openMessage{};       ///< a fragmented message is open
    std::array<bool, 2> m_cut{};               ///< a frame was cut by the stream's end
    Event m_controlEvent;
    bool m_controlPending = false;
    bool m_connectBeforeSetting = false;
    bool m_serverSettingsSeen = false;
    bool m_answered = false;
    bool m_upgraded = false;
    bool m_handshakeOk = false;
    bool m_reset = false;
    bool m_goawayReported = false;
    bool m_finished = false;
};

Http2Session::Http2Session(Connection& parent, TraceSink& sink, const Limits& limits,
                           std::function<ConnId()> newId,
                           std::function<void(Anomaly&&)> reportParent,
                           InflateBudget* captureInflate, std::string_view start,
                           std::string_view clientPreface)
    : m_parent(parent)
    , m_sink(sink)
    , m_limits(limits)
    , m_newId(std::move(newId))
    , m_reportParent(std::move(reportParent))
    , m_captureInflate(captureInflate)
    , m_decoder(limits, *this, clientPreface) {
    m_parent.http2 = Http2Summary{};
    m_parent.http2->start = start;
}

Http2Session::~Http2Session() = default;

void Http2Session::feed(Direction d, Bytes bytes, std::uint64_t offset, const SegmentInfo& at) {
    m_decoder.feed(d, bytes, offset, at);
}

void Http2Session::gap(Direction d, std::uint64_t offset, std::uint64_t length,
                       const SegmentInfo& at) {
    m_decoder.gap(d, offset, length, at);
}

void Http2Session::end(Direction d, const SegmentInfo& at) {
    m_decoder.end(d, at);
}

void Http2Session::finish(const SegmentInfo& last) {
    const SegmentInfo* later = m_enabled ? &m_enabledAt : nullptr;
    for (auto& [id, ws] : m_ws) {
        ws->finish(last, later);
    }
    m_ws.clear();
}

H2WebSocket* Http2Session::stream(std::uint32_t id) {
    const auto it = m_ws.find(id);
    return it == m_ws.end() ? nullptr : it->second.get();
}

void Http2Session::close(std::uint32_t id, const SegmentInfo& at) {
    const auto it = m_ws.find(id);
    if (it == m_ws.end()) {
        return;
    }
    it->second->finish(at, m_enabled ? &m_enabledAt : nullptr);
    m_ws.erase(it);
}

void Http2Session::onFrame(const h2::FrameAt& f) {
    count(m_parent.http2->frames, f);
    if (H2WebSocket* ws = f.header.streamId ? stream(f.header.streamId) : nullptr) {
        count(ws->link().frames, f);
        ws->touch(f.at);
    }
}

void Http2Session::onSettings(const h2::FrameAt& f, std::span<const h2::Setting> settings) {
    if (f.direction != Direction::ServerToClient || f.header.has(h2::flag::Ack)) {
        return;
    }
    m_serverSettingsSeen = true;
    for (const h2::Setting& s : settings) {
        if (s.id == h2::setting::EnableConnectProtocol) {
            m_parent.http2->enableConnectProtocol = s.value;
            if (s.value == 1 && !m_enabled) {
                m_enabled = true;
                m_enabledAt = f.at;
            }
        }
    }
}

void Http2Session::onHeaders(const h2::FrameAt& f, const std::vector<h2::HeaderField>& fields,
                             bool endStream) {
    if (f.header.type != static_cast<std::uint8_t>(h2::FrameType::Headers)) {
        return; // PUSH_PROMISE: decoded for HPACK's sake only
    }
    const std::uint32_t id = f.header.streamId;
    if (f.direction == Direction::ClientToServer) {
        if (stream(id)) {
            // trailers on a WebSocket stream: nothing to learn
        } else if (field(fields, ":method") == "CONNECT" &&
                   field(fields, ":protocol") == "websocket") {
            ++m_parent.http2->streams;
            const ConnId child = m_ws.size() < kMaxWebSocketStreams ? m_newId() : ConnId{0};
            if (child == 0) {
                ++m_ignoredConnects; // over the bound, or no ids to give: counted only
            } else {
                auto ws = std::make_unique<H2WebSocket>(child, m_parent, id, m_sink, m_limits,
                                                        m_captureInflate);
                count(ws->link().frames, f);
                ws->onRequest(f, fields, m_enabled, m_serverSettingsSeen);
                if (m_parent.http2->webSockets.size() < kMaxWebSocketsListed) {
                    m_parent.http2->webSockets.push_back(ws->id());
                }
                m_ws.emplace(id, std::move(ws));
                m_sink.onConnectionUpdate(m_parent);
            }
        } else {
            ++m_parent.http2->streams;
        }
    } else if (H2WebSocket* ws = stream(id)) {
        ws->onResponse(f, fields, m_enabled ? &m_enabledAt : nullptr);
    }
    if (endStream) {
        if (H2WebSocket* ws = stream(id)) {
            ws->onEndStream(f.direction, f.at);
            if (ws->over()) {
                close(id, f.at);
            }
        }
    }
}

void Http2Session::onData(const h2::FrameAt& f, Bytes data, std::uint64_t, const SegmentInfo& at) {
    if (H2WebSocket* ws = stream(f.header.streamId)) {
        ws->onData(f.direction, data, at);
    }
}

void Http2Session::onDataGap(const h2::FrameAt& f, std::uint64_t, std::uint64_t length,
                             const SegmentInfo& at) {
    if (H2WebSocket* ws = stream(f.header.streamId)) {
        ws->onDataGap(f.direction, length, at);
    }
}

void Http2Session::onDataEnd(const h2::FrameAt& f, const SegmentInfo& at) {
    if (!f.header.has(h2::flag::EndStream)) {
        return;
    }
    if (H2WebSocket* ws = stream(f.header.streamId)) {
        ws->onEndStream(f.direction, at);
        if (ws->over()) {
            close(f.header.streamId, at);
        }
    }
}

void Http2Session::onRstStream(const h2::FrameAt& f, std::uint32_t code) {
    if (H2WebSocket* ws = stream(f.header.streamId)) {
        ws->onReset(f.direction, code, f.at);
        close(f.header.streamId, f.at);
    }
}

void Http2Session::onGoaway(const h2::FrameAt& f, std::uint32_t lastStream, std::uint32_t code,
                            std::string_view) {
    if (!m_parent.http2->goawayCode) {
        m_parent.http2->goawayCode = code;
        m_parent.http2->goawayBy = f.direction;
    }
    for (auto& [id, ws] : m_ws) {
        ws->onGoaway(f.direction, lastStream, code, f.at);
    }
}

void Http2Session::onWindowUpdate(const h2::FrameAt&, std::uint32_t) {}

void Http2Session::onAnomaly(Anomaly&& a) {
    m_reportParent(std::move(a));
}

} // namespace wst
