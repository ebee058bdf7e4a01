// SPDX-License-Identifier: MIT
#include "decoder/export/json_fields.h"

#include "decoder/export/encoding.h"
#include "decoder/ws/utf8.h"
#include "wst/version.h"

#include <array>
#include <cstring>
#include <fmt/compile.h>
#include <fmt/format.h>
#include <iterator>

namespace wst {

bool isValidUtf8(std::string_view s) {
    // One validator for the whole tool: the streaming one the frame decoder uses (vectorised).
    return isValidUtf8(Bytes(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
}

namespace json {

namespace {

Json optionalDirection(const std::optional<Direction>& d) {
    return d ? Json(directionName(*d)) : Json(nullptr);
}

Json headers(const std::vector<Header>& hs) {
    Json out = Json::array();
    for (const Header& h : hs) {
        out.push_back(Json::array({h.name, h.value}));
    }
    return out;
}

Json opcodeCounts(const std::array<std::uint64_t, 16>& counts) {
    Json out = Json::object();
    for (std::size_t op = 0; op < counts.size(); ++op) {
        if (counts[op] != 0) {
            out[std::string(opcodeName(static_cast<std::uint8_t>(op)))] = counts[op];
        }
    }
    return out;
}

Json request(const RequestSummary& r) {
    return Json{{"method", r.method},
                {"target", r.target},
                {"http_version", r.httpVersion},
                {"host", r.host},
                {"origin", r.origin},
                {"user_agent", r.userAgent},
                {"key", r.key},
                {"version", r.version},
                {"protocols", r.protocols},
                {"extensions", r.extensions},
                {"is_upgrade", r.isUpgrade},
                {"packet", r.packet},
                {"time_ns", r.time.ns},
                {"headers", headers(r.headers)}};
}

Json response(const ResponseSummary& r) {
    return Json{{"status", r.status},
                {"reason", r.reason},
                {"http_version", r.httpVersion},
                {"accept", r.accept},
                {"protocol", r.protocol},
                {"extensions", r.extensions},
                {"server", r.server},
                {"fingerprint", r.fingerprint},
                {"fingerprint_evidence", r.fingerprintEvidence},
                {"body_prefix", r.bodyPrefix},
                {"packet", r.packet},
                {"time_ns", r.time.ns},
                {"headers", headers(r.headers)}};
}

Json direction(const DirectionStats& d) {
    return Json{
        {"packets", d.packets},
        {"bytes", d.bytes},
        {"gaps", d.gaps},
        {"gap_bytes", d.gapBytes},
        {"frames", d.frames},
        {"messages", d.messages},
        {"frames_by_opcode", opcodeCounts(d.framesByOpcode)},
        {"messages_by_opcode", opcodeCounts(d.messagesByOpcode)},
        {"sent_close", d.sentClose},
        {"close_code", d.closeCode ? Json(*d.closeCode) : Json(nullptr)},
        {"close_reason", d.closeReason},
        {"close_time_ns", d.sentClose ? Json(d.closeTime.ns) : Json(nullptr)},
        {"tcp_end", toString(d.tcpEnd)},
        {"tcp_end_time_ns", d.tcpEnd != TcpEnd::None ? Json(d.tcpEndTime.ns) : Json(nullptr)}};
}

} // namespace

std::string_view directionName(Direction d) {
    return toString(d);
}

Json generator() {
    return Json{{"name", "wstrace"}, {"version", kVersion}};
}

Json stats(const CaptureStats& s) {
    return Json{
        {"source", s.source},
        {"packets", s.packets},
        {"bytes", s.bytes},
        {"tcp_packets", s.tcpPackets},
        {"undecodable", s.undecodable},
        {"received_by_filter", s.kernel ? Json(s.kernel->receivedByFilter) : Json(nullptr)},
        {"dropped_by_kernel", s.kernel ? Json(s.kernel->droppedByKernel) : Json(nullptr)},
        {"dropped_by_interface", s.kernel ? Json(s.kernel->droppedByInterface) : Json(nullptr)},
        {"first_ns", s.first.ns},
        {"last_ns", s.last.ns},
        {"error", s.error.empty() ? Json(nullptr) : Json(s.error)}};
}

namespace {

Json h2Frames(const Http2FrameCounts& f) {
    const auto side = [](const std::array<std::uint64_t, 11>& counts) {
        static constexpr const char* kNames[] = {
            "DATA", "HEADERS", "PRIORITY",      "RST_STREAM",   "SETTINGS", "PUSH_PROMISE",
            "PING", "GOAWAY",  "WINDOW_UPDATE", "CONTINUATION", "UNKNOWN"};
        Json j = Json::object();
        for (std::size_t i = 0; i < counts.size(); ++i) {
            if (counts[i] != 0) {
                j[kNames[i]] = counts[i];
            }
        }
        return j;
    };
    return Json{{"c2s", side(f[0])}, {"s2c", side(f[1])}};
}

Json http2(const Connection& c) {
    if (!c.http2) {
        return nullptr;
    }
    const Http2Summary& h = *c.http2;
    return Json{{"start", h.start},
                {"frames", h2Frames(h.frames)},
                {"streams", h.streams},
                {"websockets", h.webSockets},
                {"enable_connect_protocol",
                 h.enableConnectProtocol ? Json(*h.enableConnectProtocol) : Json(nullptr)},
                {"goaway_code", h.goawayCode ? Json(*h.goawayCode) : Json(nullptr)},
                {"goaway_by", optionalDirection(h.goawayBy)}};
}

Json h2Stream(const Connection& c) {
    if (!c.h2stream) {
        return nullptr;
    }
    const Http2Stream& s = *c.h2stream;
    return Json{{"connection", s.connection},
                {"stream_id", s.streamId},
                {"frames", h2Frames(s.frames)},
                {"end", s.end},
                {"reset_code", s.resetCode ? Json(*s.resetCode) : Json(nullptr)},
                {"reset_by", optionalDirection(s.resetBy)}};
}

} // namespace

Json tls(const TlsSummary& t) {
    return Json{{"version", t.version},
                {"offered_versions", t.offeredVersions},
                {"sni", t.sni},
                {"alpn_offered", t.alpnOffered},
                {"alpn_chosen", t.alpnChosen.empty() ? Json(nullptr) : Json(t.alpnChosen)},
                {"cipher_suite", t.cipherSuite},
                {"certificate", t.certSubject.empty() ? Json(nullptr)
                                                      : Json{{"subject", t.certSubject},
                                                             {"issuer", t.certIssuer},
                                                             {"not_before", t.certNotBefore},
                                                             {"not_after", t.certNotAfter}}},
                {"alerts", t.alerts},
                {"encrypted_records", t.encryptedRecords},
                {"encrypted_bytes", t.encryptedBytes},
                {"decryption", t.decryption}};
}

Json connection(const Connection& c) {
    Json responses = Json::array();
    for (const ResponseSummary& r : c.responses) {
        responses.push_back(response(r));
    }
    return Json{{"id", c.id},
                {"client", c.client.toString()},
                {"server", c.server.toString()},
                {"outcome", toString(c.outcome)},
                {"saw_syn", c.sawSyn},
                {"first_ns", c.first.ns},
                {"last_ns", c.last.ns},
                {"first_packet", c.firstPacket},
                {"last_packet", c.lastPacket},
                {"request", c.request ? request(*c.request) : Json(nullptr)},
                {"responses", std::move(responses)},
                {"handshake_latency_ns",
                 c.handshakeLatencyNs ? Json(*c.handshakeLatencyNs) : Json(nullptr)},
                {"deflate", c.deflate},
                {"c2s", direction(c.stats[index(Direction::ClientToServer)])},
                {"s2c", direction(c.stats[index(Direction::ServerToClient)])},
                {"first_close", optionalDirection(c.firstClose)},
                {"first_tcp_end", optionalDirection(c.firstTcpEnd)},
                {"clean_close", c.cleanClose},
                {"anomaly_counts", Json{{"info", c.anomaliesBySeverity[0]},
                                        {"warning", c.anomaliesBySeverity[1]},
                                        {"error", c.anomaliesBySeverity[2]}}},
                {"notes", c.notes},
                {"proxy_leg", c.proxyLeg ? Json{{"other", c.proxyLeg->other},
                                                {"other_is_upstream", c.proxyLeg->otherIsUpstream},
                                                {"delay_ns", c.proxyLeg->delayNs}}
                                         : Json(nullptr)},
                {"http2", http2(c)},
                {"h2_stream", h2Stream(c)},
                {"tls", c.tls ? tls(*c.tls) : Json(nullptr)},
                {"verdict", c.finished ? verdict(c.verdict) : Json(nullptr)},
                {"finished", c.finished}};
}

namespace {

Json peer(const PeerView& p) {
    return Json{{"belief", toString(p.belief)}, {"story", p.story}};
}

Json index(std::int32_t i) {
    return i < 0 ? Json(nullptr) : Json(i);
}

} // namespace

Json verdict(const Verdict& v) {
    Json causedBy = Json::array();
    for (const std::int32_t i : v.causedBy) {
        causedBy.push_back(index(i));
    }
    return Json{{"headline", v.headline},
                {"client", peer(v.client)},
                {"server", peer(v.server)},
                {"root_cause", v.rootCause ? Json(anomalyName(*v.rootCause)) : Json(nullptr)},
                {"severity", v.severity ? Json(toString(*v.severity)) : Json(nullptr)},
                {"root", index(v.root)},
                {"caused_by", std::move(causedBy)},
                {"root_causes", Json{{"info", v.rootsBySeverity[0]},
                                     {"warning", v.rootsBySeverity[1]},
                                     {"error", v.rootsBySeverity[2]}}},
                {"what_to_do", v.whatToDo},
                {"access_log_shows_200", v.accessLogShows200},
                {"access_log_may_show_200", v.accessLogMayShow200}};
}

Json story(const CaptureStory& s) {
    Json groups = Json::array();
    for (const StoryGroup& g : s.groups()) {
        groups.push_back(
            Json{{"label", g.label},
                 {"outcome", toString(g.outcome)},
                 {"root_cause", g.rootCause ? Json(anomalyName(*g.rootCause)) : Json(nullptr)},
                 {"severity", g.severity ? Json(toString(*g.severity)) : Json(nullptr)},
                 {"clean_close", g.cleanClose},
                 {"count", g.count},
                 {"connections", g.examples},
                 {"explanation", g.explanation},
                 {"what_to_do", g.whatToDo}});
    }
    return Json{{"connections", s.connections()},
                {"groups", std::move(groups)},
                {"access_log_shows_200", s.accessLogShows200()},
                {"access_log_may_show_200", s.accessLogMayShow200()},
                {"lines", s.lines()}};
}

std::optional<std::string_view> payloadText(const Message& m) {
    // Text messages (opcode 1) are shown as text when they are valid UTF-8; a retained prefix
    // may end inside a character, which is then cut back to the last whole one.
    if (m.opcode != 0x1) {
        return std::nullopt;
    }
    const std::string_view text = m.payload;
    if ((m.validText && text.size() == m.length) || isValidUtf8(text)) {
        return text; // the decoder checked all of it, or this check did
    }
    if (m.length <= text.size()) {
        return std::nullopt; // the whole message is there and it is not UTF-8
    }
    for (std::size_t back = 1; back <= 3 && back <= text.size(); ++back) {
        if (isValidUtf8(text.substr(0, text.size() - back))) {
            return text.substr(0, text.size() - back);
        }
    }
    return std::nullopt;
}

Json payload(const Message& m) {
    if (const auto text = payloadText(m)) {
        return Json{{"encoding", "text"}, {"data", std::string(*text)}};
    }
    return Json{{"encoding", "base64"}, {"data", base64Encode(m.payload)}};
}

Json anomaly(const Anomaly& a) {
    const AnomalyInfo& info = anomalyInfo(a.id);
    return Json{{"id", info.name},
                {"severity", toString(info.severity)},
                {"title", info.title},
                {"rfc", info.rfc},
                {"connection", a.connection},
                {"direction", optionalDirection(a.direction)},
                {"time_ns", a.time.ns},
                {"packet", a.packet},
                {"offset", a.streamOffset},
                {"detail", a.detail}};
}

Json catalogEntry(AnomalyId id) {
    const AnomalyInfo& info = anomalyInfo(id);
    return Json{
        {"severity", toString(info.severity)}, {"title", info.title},   {"rfc", info.rfc},
        {"explanation", info.explanation},     {"causes", info.causes}, {"hint", info.hint}};
}

namespace {

constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighs = 0x8080808080808080ULL;

bool hasZeroByte(std::uint64_t w) {
    return ((w - kOnes) & ~w & kHighs) != 0;
}

/// True if any of the eight bytes at `p` must be escaped in a JSON string.
bool needsEscape8(const char* p) {
    std::uint64_t w = 0;
    std::memcpy(&w, p, sizeof w);
    const bool control = ((w - kOnes * 0x20) & ~w & kHighs) != 0; // a byte below 0x20
    return control || hasZeroByte(w ^ (kOnes * '"')) || hasZeroByte(w ^ (kOnes * '\\'));
}

} // namespace

void appendString(std::string& out, std::string_view s) {
    // The escaping nlohmann::json's serializer uses (RFC 8259 §7), so both paths give the same
    // bytes: short forms for \b \t \n \f \r, \u00xx for other control characters.
    static constexpr auto kEscape = [] {
        std::array<bool, 256> t{};
        for (int c = 0; c < 0x20; ++c) {
            t[static_cast<std::size_t>(c)] = true;
        }
        t['"'] = t['\\'] = true;
        return t;
    }();
    out += '"';
    std::size_t plain = 0;
    std::size_t i = 0;
    for (; i < s.size(); ++i) {
        // Mostly plain text: step over eight bytes at a time while none is a control
        // character, '"' or '\\' (the usual has-zero-byte / has-byte-below word tests).
        while (s.size() - i >= 8 && !needsEscape8(s.data() + i)) {
            i += 8;
        }
        if (i == s.size()) {
            break;
        }
        const auto c = static_cast<unsigned char>(s[i]);
        if (!kEscape[c]) {
            continue;
        }
        out.append(s.data() + plain, i - plain);
        plain = i + 1;
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\r':
            out += "\\r";
            break;
        default:
            fmt::format_to(std::back_inserter(out), "\\u{:04x}", c);
        }
    }
    out.append(s.data() + plain, s.size() - plain);
    out += '"';
}

void appendMessage(std::string& out, const Message& m) {
    auto it = std::back_inserter(out);
    fmt::format_to(
        it,
        FMT_COMPILE(R"({{"connection":{},"direction":"{}","opcode":"{}","compressed":{},)"
                    R"("complete":{},"frames":{},"wire_length":{},"length":{},"first_ns":{},)"
                    R"("last_ns":{},"first_packet":{},"last_packet":{},"payload_truncated":{},)"
                    R"("payload":{{"encoding":)"),
        m.connection, directionName(m.direction), opcodeName(m.opcode), m.compressed, m.complete,
        m.frames, m.wireLength, m.length, m.first.ns, m.last.ns, m.firstPacket, m.lastPacket,
        m.payload.size() < m.length);
    if (const auto text = payloadText(m)) {
        out += R"("text","data":)";
        appendString(out, *text);
    } else {
        out += R"("base64","data":")";
        appendBase64(out, m.payload);
        out += '"';
    }
    out += "}}";
}

void appendEvent(std::string& out, const Event& e, const Message* embedded, bool refs,
                 std::int64_t originNs) {
    auto it = std::back_inserter(out);
    fmt::format_to(it,
                   FMT_COMPILE(R"({{"time_ns":{},"rel_ns":{},"packet":{},"connection":{},)"
                               R"("direction":"{}","kind":"{}","offset":{},"length":{})"),
                   e.time.ns, e.time.ns - originNs, e.packet, e.connection,
                   directionName(e.direction), toString(e.kind), e.streamOffset, e.length);
    switch (e.kind) {
    case EventKind::WsFrame:
        fmt::format_to(it,
                       FMT_COMPILE(R"(,"opcode":"{}","fin":{},"rsv1":{},"rsv2":{},"rsv3":{},)"
                                   R"("masked":{})"),
                       opcodeName(e.opcode), (e.frameFlags & frameflag::Fin) != 0,
                       (e.frameFlags & frameflag::Rsv1) != 0, (e.frameFlags & frameflag::Rsv2) != 0,
                       (e.frameFlags & frameflag::Rsv3) != 0,
                       (e.frameFlags & frameflag::Mask) != 0);
        break;
    case EventKind::WsMessage:
        fmt::format_to(it, FMT_COMPILE(R"(,"opcode":"{}")"), opcodeName(e.opcode));
        break;
    case EventKind::WsClose:
        if (e.closeCode == 0) {
            out += R"(,"close_code":null)";
        } else {
            fmt::format_to(it, FMT_COMPILE(R"(,"close_code":{})"), e.closeCode);
        }
        break;
    case EventKind::HttpResponse:
        fmt::format_to(it, FMT_COMPILE(R"(,"status":{})"), e.status);
        break;
    default:
        break;
    }
    if (embedded) {
        out += R"(,"message":)";
        appendMessage(out, *embedded);
    } else if (refs && e.ref != Event::kNoRef) {
        fmt::format_to(it, FMT_COMPILE(R"(,"{}":{})"),
                       e.kind == EventKind::Anomaly ? "anomaly" : "message", e.ref);
    }
    out += '}';
}

std::string dump(const Json& j, int indent) {
    return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

} // namespace json
} // namespace wst
