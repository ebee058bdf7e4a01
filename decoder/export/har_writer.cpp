// SPDX-License-Identifier: MIT
#include "decoder/export/har_writer.h"

#include "decoder/export/encoding.h"
#include "decoder/export/json_fields.h"
#include "decoder/export/log_fields.h"
#include "wst/version.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

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

ordered_json request(const Connection& c) {
    ordered_json req;
    req["method"] = c.request ? c.request->method : "GET";
    req["url"] = c.request ? requestUrl(c) : "ws://" + c.server.toString() + "/";
    req["httpVersion"] = c.request ? c.request->httpVersion : "HTTP/1.1";
    req["cookies"] = ordered_json::array();
    req["headers"] = c.request ? headerList(c.request->headers) : ordered_json::array();
    req["queryString"] = ordered_json::array();
    req["headersSize"] = -1;
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

ordered_json response(const Connection& c) {
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
    res["httpVersion"] = r ? r->httpVersion : "HTTP/1.1";
    res["cookies"] = ordered_json::array();
    res["headers"] = r ? headerList(r->headers) : ordered_json::array();
    res["content"] = {{"size", 0}, {"mimeType", "x-unknown"}};
    res["redirectURL"] = "";
    res["headersSize"] = -1;
    res["bodySize"] = -1;
    return res;
}

ordered_json timings(const Connection& c, const Trace& trace,
                     const std::vector<std::uint32_t>& index) {
    double connect = -1;
    Timestamp syn;
    bool haveSyn = false;
    for (std::uint32_t i : index) {
        const Event& e = trace.events[i];
        if (e.kind == EventKind::TcpSyn && !haveSyn) {
            syn = e.time;
            haveSyn = true;
        } else if (e.kind == EventKind::TcpSynAck && haveSyn) {
            connect = millis(e.time - syn);
            break;
        }
    }
    const double wait = c.handshakeLatencyNs ? millis(*c.handshakeLatencyNs) : -1;
    return {{"blocked", -1}, {"dns", -1},    {"connect", connect}, {"send", 0},
            {"wait", wait},  {"receive", 0}, {"ssl", -1}};
}

ordered_json messages(const Trace& trace, const std::vector<std::uint32_t>& index,
                      std::uint64_t& truncated) {
    ordered_json list = ordered_json::array();
    for (std::uint32_t i : index) {
        const Event& e = trace.events[i];
        if (e.kind != EventKind::WsMessage || e.ref == Event::kNoRef)
            continue;
        const Message& m = trace.messages[e.ref];
        // Chrome's DevTools only list data messages here (CDP frames of text and binary).
        if (m.opcode != 1 && m.opcode != 2)
            continue;
        if (m.payload.size() < m.length)
            ++truncated;
        ordered_json item;
        item["type"] = m.direction == Direction::ClientToServer ? "send" : "receive";
        item["time"] = m.last.seconds();
        item["opcode"] = m.opcode;
        // Text goes as UTF-8; invalid sequences are replaced when dumping (the anomaly says so).
        item["data"] = m.opcode == 1 ? m.payload : base64Encode(m.payload);
        list.push_back(std::move(item));
    }
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
        const Timestamp start = c.request ? c.request->time : c.first;
        std::uint64_t truncated = 0;

        ordered_json entry;
        entry["startedDateTime"] = isoTime(start);
        entry["time"] = millis(c.last - start);
        entry["request"] = request(c);
        entry["response"] = response(c);
        entry["cache"] = ordered_json::object();
        entry["timings"] = timings(c, trace, index);
        entry["serverIPAddress"] = c.server.address.toString();
        entry["connection"] = std::to_string(c.client.port);
        entry["_resourceType"] = "websocket";
        entry["_webSocketMessages"] = messages(trace, index, truncated);

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
