// SPDX-License-Identifier: MIT
#include "decoder/export/har_writer.h"

#include "decoder/export/encoding.h"
#include "decoder/export/json_fields.h"
#include "decoder/export/log_fields.h"
#include "wst/version.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

namespace wst {
namespace {

using nlohmann::ordered_json;

double millis(std::int64_t ns) {
    return static_cast<double>(ns) / 1e6;
}

ordered_json headerList(const std::vector<Header>& headers) {
    ordered_json list = ordered_json::array();
    for (const Header& h : headers)
        list.push_back({{"name", h.name}, {"value", h.value}});
    return list;
}

std::string requestUrl(const Connection& c) {
    const RequestSummary& r = *c.request;
    const std::string host = r.host.empty() ? c.server.toString() : r.host;
    // HAR wants an absolute URL; the capture cannot tell ws from wss beyond the port, and TLS
    // traffic is never decoded, so everything wstrace sees is ws://.
    return "ws://" + host + (r.target.empty() ? "/" : r.target);
}

/// The head's length on the wire (its HttpRequest/HttpResponse event), or -1 when unknown.
std::int64_t headBytes(const Trace& trace, const std::vector<std::uint32_t>& index, EventKind kind,
                       PacketNumber packet) {
    for (std::uint32_t i : index) {
        const Event& e = trace.events[i];
        if (e.kind == kind && e.packet == packet)
            return static_cast<std::int64_t>(e.length);
    }
    return -1;
}

ordered_json request(const Connection& c, const Trace& trace,
                     const std::vector<std::uint32_t>& index) {
    ordered_json req;
    req["method"] = c.request ? c.request->method : "GET";
    req["url"] = c.request ? requestUrl(c) : "ws://" + c.server.toString() + "/";
    req["httpVersion"] = c.request ? c.request->httpVersion : "HTTP/1.1";
    req["cookies"] = ordered_json::array();
    req["headers"] = c.request ? headerList(c.request->headers) : ordered_json::array();
    req["queryString"] = ordered_json::array();
    req["headersSize"] =
        c.request ? headBytes(trace, index, EventKind::HttpRequest, c.request->packet) : -1;
    req["bodySize"] = 0;
    return req;
}

/// The response the client acted on (responseActedOn); where no final answer was captured,
/// the first head. The other heads are listed in _wstrace.responses.
const ResponseSummary* actedOn(const Connection& c) {
    if (const ResponseSummary* r = responseActedOn(c)) {
        return r;
    }
    return c.responses.empty() ? nullptr : &c.responses.front();
}

/// The response body's size: Content-Length where sent, else the bytes captured of it.
std::int64_t bodyBytes(const ResponseSummary& r) {
    if (r.status == 101)
        return 0;
    for (const Header& h : r.headers) {
        if (h.name.size() == 14 &&
            std::equal(h.name.begin(), h.name.end(), "content-length", [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) == b;
            })) {
            std::int64_t n = 0;
            const auto [ptr, ec] =
                std::from_chars(h.value.data(), h.value.data() + h.value.size(), n);
            if (ec == std::errc() && ptr == h.value.data() + h.value.size() && n >= 0)
                return n;
        }
    }
    return static_cast<std::int64_t>(r.bodyPrefix.size());
}

std::string headerValue(const ResponseSummary& r, std::string_view lowerName) {
    for (const Header& h : r.headers) {
        if (h.name.size() == lowerName.size() &&
            std::equal(h.name.begin(), h.name.end(), lowerName.begin(), [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) == b;
            }))
            return h.value;
    }
    return {};
}

ordered_json response(const Connection& c, const Trace& trace,
                      const std::vector<std::uint32_t>& index) {
    const ResponseSummary* r = actedOn(c);
    ordered_json res;
    res["status"] = r ? r->status : 0;
    res["statusText"] = r ? r->reason : "";
    // Where the verdict found a problem, DevTools' Status column says so next to the code
    // (it shows statusText); the wire's reason phrase stays in _wstrace.responses and the
    // headline alone in the response's comment (HAR 1.2 §response: an optional string).
    if (c.finished && c.verdict.rootCause) {
        res["statusText"] = fmt::format("{}{}wstrace: {}", r ? r->reason : "",
                                        r && !r->reason.empty() ? " — " : "", c.verdict.headline);
        res["comment"] = c.verdict.headline;
    }
    // Chrome's importer reads _error as the request's failure (the Status column says
    // "(failed)"): where the client never ran WebSocket, the verdict says why.
    if (c.finished && c.verdict.rootCause && c.outcome != Outcome::Upgraded &&
        c.outcome != Outcome::Midstream)
        res["_error"] = c.verdict.headline;
    res["httpVersion"] = r ? r->httpVersion : "HTTP/1.1";
    res["cookies"] = ordered_json::array();
    res["headers"] = r ? headerList(r->headers) : ordered_json::array();
    // A non-101 answer's body is what the client read instead of a WebSocket (the reason lives
    // there); its captured prefix is the content.
    const std::string mime = r ? headerValue(*r, "content-type") : std::string();
    ordered_json content = {{"size", r ? static_cast<std::int64_t>(r->bodyPrefix.size()) : 0},
                            {"mimeType", mime.empty() ? "x-unknown" : mime}};
    if (r && !r->bodyPrefix.empty())
        content["text"] = r->bodyPrefix;
    res["content"] = std::move(content);
    res["redirectURL"] = "";
    res["headersSize"] = r ? headBytes(trace, index, EventKind::HttpResponse, r->packet) : -1;
    res["bodySize"] = r ? bodyBytes(*r) : 0;
    return res;
}

/// HAR 1.2 timings that add up to the entry's `time` (every phase non-negative, send/wait/receive
/// always present): connect from SYN to SYN-ACK, send up to the request head, wait from the
/// request's last byte to the answer's head (the handshake latency), receive the rest of the
/// connection's life (the WebSocket session; DevTools calls it "Content download").
struct HarTimes {
    Timestamp start;
    std::int64_t totalNs = 0;
    ordered_json timings;
};

HarTimes harTimes(const Connection& c, const Trace& trace,
                  const std::vector<std::uint32_t>& index) {
    std::optional<Timestamp> syn, synAck;
    for (std::uint32_t i : index) {
        const Event& e = trace.events[i];
        if (e.kind == EventKind::TcpSyn && !syn) {
            syn = e.time;
        } else if (e.kind == EventKind::TcpSynAck && syn && !synAck) {
            synAck = e.time;
        }
    }
    const Timestamp request = c.request ? c.request->time : c.first;
    HarTimes t;
    t.start = syn && syn->ns <= request.ns ? *syn : request;
    const Timestamp end = c.last.ns > t.start.ns ? c.last : t.start;
    t.totalNs = end - t.start;

    std::int64_t connect = -1;
    std::int64_t at = 0; // ns after start accounted for so far
    if (syn && synAck && t.start.ns == syn->ns && synAck->ns >= syn->ns && synAck->ns <= end.ns) {
        connect = *synAck - *syn;
        at = connect;
    }
    const std::int64_t requestAt = request - t.start;
    const std::int64_t send = std::max<std::int64_t>(0, requestAt - at);
    at = std::min(t.totalNs, at + send);
    std::int64_t wait = 0;
    if (c.handshakeLatencyNs) {
        wait = std::clamp<std::int64_t>(*c.handshakeLatencyNs, 0, t.totalNs - at);
    } else if (const ResponseSummary* r = actedOn(c)) {
        // No latency where the upgrade failed: the acted-on head's time after the request's.
        wait = std::clamp<std::int64_t>(r->time - request, 0, t.totalNs - at);
    } else if (c.responses.empty()) {
        wait = t.totalNs - at; // no answer came: the client waited until the end
    }
    at += wait;
    const std::int64_t receive = t.totalNs - at;
    // Sum in nanoseconds, then convert each: `time` is their sum to the double's precision.
    t.timings = {{"blocked", -1},
                 {"dns", -1},
                 {"connect", connect < 0 ? -1.0 : millis(connect)},
                 {"send", millis(send)},
                 {"wait", millis(wait)},
                 {"receive", millis(receive)},
                 {"ssl", -1}};
    return t;
}

/// DevTools' error frame (WebSocketFrameType "error", opcode -1 as Chrome gives protocol
/// errors): shown in red among the messages, where a reader of the Messages tab looks.
ordered_json errorFrame(Timestamp t, std::string text) {
    return {{"type", "error"}, {"time", t.seconds()}, {"opcode", -1}, {"data", std::move(text)}};
}

ordered_json messages(const Connection& c, const Trace& trace,
                      const std::vector<std::uint32_t>& index, std::uint64_t& truncated) {
    // (time, order) keeps each note right after the message it is about and findings in place.
    std::vector<std::pair<std::int64_t, ordered_json>> items;
    for (std::uint32_t i : index) {
        const Event& e = trace.events[i];
        if (e.kind != EventKind::WsMessage || e.ref == Event::kNoRef)
            continue;
        const Message& m = trace.messages[e.ref];
        // Chrome's DevTools only list data messages here (CDP frames of text and binary).
        if (m.opcode != 1 && m.opcode != 2)
            continue;
        ordered_json item;
        item["type"] = m.direction == Direction::ClientToServer ? "send" : "receive";
        item["time"] = m.last.seconds();
        item["opcode"] = m.opcode;
        // Text goes as UTF-8; invalid sequences are replaced when dumping (a note says so).
        item["data"] = m.opcode == 1 ? m.payload : base64Encode(m.payload);
        items.emplace_back(m.last.ns, std::move(item));
        const char* dir = m.direction == Direction::ClientToServer ? "sent" : "received";
        if (!m.complete) {
            ++truncated;
            items.emplace_back(m.last.ns,
                               errorFrame(m.last, fmt::format("wstrace: the {} message above is "
                                                              "incomplete: {} bytes seen, then the "
                                                              "stream ended or broke (packet {})",
                                                              dir, m.length, m.lastPacket)));
        } else if (m.payload.size() < m.length) {
            ++truncated;
            items.emplace_back(
                m.last.ns, errorFrame(m.last, fmt::format("wstrace: the {} message above has {} "
                                                          "bytes; only the first {} are kept here",
                                                          dir, m.length, m.payload.size())));
        }
        if (m.opcode == 1 && !m.validText && m.complete && m.payload.size() == m.length &&
            !isValidUtf8(std::string_view(m.payload)))
            items.emplace_back(
                m.last.ns,
                errorFrame(m.last, fmt::format("wstrace: the {} text message above is not valid "
                                               "UTF-8; invalid bytes are shown as U+FFFD",
                                               dir)));
    }
    // Every root finding of the verdict where DevTools shows it (consequences are in _wstrace).
    const auto& anomalies = trace.anomaliesOf(c.id);
    for (std::size_t k = 0; k < anomalies.size(); ++k) {
        const Anomaly& a = trace.anomalies[anomalies[k]];
        if (c.finished && k < c.verdict.causedBy.size() && c.verdict.causedBy[k] >= 0)
            continue;
        items.emplace_back(a.time.ns,
                           errorFrame(a.time, fmt::format("wstrace {}: {} — {} (packet {})",
                                                          toString(a.severity()), anomalyName(a.id),
                                                          a.detail, a.packet)));
    }
    std::stable_sort(items.begin(), items.end(),
                     [](const auto& x, const auto& y) { return x.first < y.first; });
    ordered_json list = ordered_json::array();
    for (auto& [t, item] : items)
        list.push_back(std::move(item));
    return list;
}

bool isWebSocketEntry(const Connection& c) {
    return (c.request && c.request->isUpgrade) || c.outcome == Outcome::Midstream;
}

void appendEntries(const Trace& trace, ordered_json& entries) {
    for (const Connection& c : trace.connections) {
        if (!isWebSocketEntry(c))
            continue;
        const auto& index = trace.eventsOf(c.id);
        std::uint64_t truncated = 0;
        const HarTimes times = harTimes(c, trace, index);
        const ordered_json& t = times.timings;
        double total = 0;
        for (const char* k : {"connect", "send", "wait", "receive"}) {
            if (t[k].get<double>() >= 0)
                total += t[k].get<double>();
        }

        ordered_json entry;
        entry["startedDateTime"] = isoTime(times.start);
        entry["time"] = total;
        entry["request"] = request(c, trace, index);
        entry["response"] = response(c, trace, index);
        entry["cache"] = ordered_json::object();
        entry["timings"] = t;
        entry["serverIPAddress"] = c.server.address.toString();
        // DevTools reads `connection` as the server's port (Remote Address); wstrace's own
        // connection id, qualified by the capture file, goes in _connectionId and _wstrace.
        entry["connection"] = std::to_string(c.server.port);
        entry["_connectionId"] = fmt::format("{}#{}", trace.stats.source, c.id);
        entry["_resourceType"] = "websocket";
        entry["_webSocketMessages"] = messages(c, trace, index, truncated);

        // In the connection's report order, so _wstrace.verdict's root and caused_by index it.
        ordered_json findings = ordered_json::array();
        for (std::uint32_t i : trace.anomaliesOf(c.id)) {
            const Anomaly& a = trace.anomalies[i];
            findings.push_back({{"id", anomalyName(a.id)},
                                {"severity", toString(a.severity())},
                                {"packet", a.packet},
                                {"detail", a.detail}});
        }
        ordered_json heads = ordered_json::array(); // every response head, in wire order
        for (const ResponseSummary& r : c.responses) {
            heads.push_back({{"status", r.status},
                             {"statusText", r.reason},
                             {"packet", r.packet},
                             {"actedOn", &r == actedOn(c)}});
        }
        entry["_wstrace"] = {{"connection", c.id},
                             {"source", trace.stats.source},
                             {"outcome", toString(c.outcome)},
                             {"verdict", c.finished ? json::verdict(c.verdict) : ordered_json()},
                             {"truncated", truncated},
                             {"responses", std::move(heads)},
                             {"anomalies", std::move(findings)}};
        if (trace.serverLogs) {
            // The server's own lines about this connection (--server-log), as in the JSON.
            entry["_wstrace"]["log_lines"] = json::logLinesOf(*trace.serverLogs, c.id);
        }
        entries.push_back(std::move(entry));
    }
}

} // namespace

void writeHar(const Trace& trace, std::ostream& out) {
    writeHar({&trace}, out);
}

void writeHar(const std::vector<const Trace*>& runs, std::ostream& out) {
    ordered_json entries = ordered_json::array();
    for (const Trace* run : runs)
        appendEntries(*run, entries);

    ordered_json har;
    har["log"] = {{"version", "1.2"},
                  {"creator", {{"name", "wstrace"}, {"version", kVersion}}},
                  {"pages", ordered_json::array()},
                  {"entries", std::move(entries)}};
    out << har.dump(1, ' ', false, ordered_json::error_handler_t::replace) << '\n';
}

} // namespace wst
