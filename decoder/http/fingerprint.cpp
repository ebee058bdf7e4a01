// SPDX-License-Identifier: MIT
#include "decoder/http/fingerprint.h"

#include <array>
#include <string>
#include <utility>

namespace wst {

namespace {

bool startsWith(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

bool contains(std::string_view s, std::string_view part) {
    return s.find(part) != std::string_view::npos;
}

/// The first header spelled exactly `name` (case-sensitive: spelling is the fingerprint).
const HeaderView* exactHeader(const HttpHead& head, std::string_view name) {
    for (const auto& h : head.headers) {
        if (h.name == name)
            return &h;
    }
    return nullptr;
}

/// Go's textproto canonical form: first letter and each letter after '-' upper case, the rest
/// lower case ("Sec-Websocket-Accept").
bool isGoCanonical(std::string_view name) {
    bool upper = true;
    for (char c : name) {
        if (c >= 'a' && c <= 'z' && upper)
            return false;
        if (c >= 'A' && c <= 'Z' && !upper)
            return false;
        upper = c == '-';
    }
    return true;
}

/// Go's net/http writes response headers canonicalised and sorted by name (header.go
/// sortedKeyValues), so a Go-written head has every name canonical and in order.
bool looksGoWritten(const HttpHead& head) {
    if (head.headers.empty())
        return false;
    for (std::size_t i = 0; i < head.headers.size(); ++i) {
        if (!isGoCanonical(head.headers[i].name))
            return false;
        if (i > 0 && head.headers[i - 1].name > head.headers[i].name)
            return false;
    }
    return true;
}

/// Go's net/http response layout: the handler's headers canonical and sorted, then the headers
/// net/http adds itself, in its fixed order, beginning with Date (captures/gin-200-then-101:
/// "X-Request-Id", "Date", "Transfer-Encoding").
bool goLayoutWithDate(const HttpHead& head) {
    constexpr std::array<std::string_view, 5> kAdded = {"Date", "Content-Length", "Content-Type",
                                                        "Connection", "Transfer-Encoding"};
    std::size_t date = head.headers.size();
    for (std::size_t i = 0; i < head.headers.size(); ++i) {
        if (head.headers[i].name == "Date") {
            date = i;
            break;
        }
    }
    if (date == head.headers.size())
        return false;
    for (std::size_t i = 0; i < date; ++i) {
        if (!isGoCanonical(head.headers[i].name))
            return false;
        if (i > 0 && head.headers[i - 1].name > head.headers[i].name)
            return false;
    }
    std::size_t next = 0;
    for (std::size_t i = date; i < head.headers.size(); ++i) {
        while (next < kAdded.size() && kAdded[next] != head.headers[i].name)
            ++next;
        if (next == kAdded.size())
            return false;
        ++next;
    }
    return true;
}

/// gorilla's returnError: Sec-Websocket-Version: 13 (Go spelling) on a Go text/plain error.
bool isGorillaError(const HttpHead& r) {
    const HeaderView* v = exactHeader(r, "Sec-Websocket-Version");
    const HeaderView* ct = exactHeader(r, "Content-Type");
    const HeaderView* nosniff = exactHeader(r, "X-Content-Type-Options");
    return v != nullptr && v->value == "13" && ct != nullptr &&
           ct->value == "text/plain; charset=utf-8" && nosniff != nullptr;
}

bool isGoError(const HttpHead& r) {
    const HeaderView* ct = exactHeader(r, "Content-Type");
    const HeaderView* nosniff = exactHeader(r, "X-Content-Type-Options");
    return ct != nullptr && ct->value == "text/plain; charset=utf-8" && nosniff != nullptr &&
           nosniff->value == "nosniff";
}

constexpr std::array<std::pair<std::string_view, std::string_view>, 14> kServerProducts = {{
    {"nginx", "nginx"},
    {"openresty", "openresty"},
    {"Apache", "Apache httpd"},
    {"envoy", "envoy"},
    {"istio-envoy", "envoy"},
    {"cloudflare", "cloudflare"},
    {"Microsoft-IIS", "Microsoft IIS"},
    {"Kestrel", "ASP.NET Kestrel"},
    {"Jetty", "Jetty"},
    {"uvicorn", "uvicorn"},
    {"TornadoServer", "Tornado"},
    {"Werkzeug", "Werkzeug"},
    {"Caddy", "Caddy"},
    {"gunicorn", "gunicorn"},
}};

} // namespace

Fingerprint fingerprintServer(const HttpHead& r, std::string_view bodyPrefix) {
    const std::string_view server = r.header("Server");
    // python websockets: "Server: Python/3.11 websockets/12.0" (its default server header).
    if (startsWith(server, "Python/") && contains(server, "websockets/"))
        return {"python websockets", "Server: Python/… websockets/…", {}, {}};
    for (const auto& [prefix, product] : kServerProducts) {
        if (!startsWith(server, prefix))
            continue;
        Fingerprint f{product, "Server header", {}, {}};
        // A proxy relaying an upstream reply keeps the upstream's headers
        // (captures/nginx-proxy-no-upgrade-headers.pcapng).
        if (r.status != 101 && isGorillaError(r))
            f.upstream = "gorilla/websocket";
        else if (r.status != 101 && isGoError(r))
            f.upstream = "Go net/http";
        return f;
    }

    if (r.status == 101) {
        const auto& h = r.headers;
        // gorilla: "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Accept", then
        // optional Sec-WebSocket-Protocol and Sec-WebSocket-Extensions (server.go Upgrade).
        if (h.size() >= 3 && h[0].name == "Upgrade" && h[0].value == "websocket" &&
            h[1].name == "Connection" && h[1].value == "Upgrade" &&
            h[2].name == "Sec-WebSocket-Accept" && r.count("Date") == 0 && r.count("Server") == 0) {
            std::size_t i = 3;
            if (i < h.size() && h[i].name == "Sec-WebSocket-Protocol")
                ++i;
            if (i < h.size() && h[i].name == "Sec-WebSocket-Extensions") {
                // gorilla always answers both no_context_takeover parameters, in this order.
                if (h[i].value == "permessage-deflate; server_no_context_takeover; "
                                  "client_no_context_takeover")
                    return {"gorilla/websocket", "101 header order and its deflate answer", {}, {}};
                return {"node ws", "101 header order with a non-gorilla deflate answer", {}, {}};
            }
            return {"gorilla/websocket",
                    "101 with exactly Upgrade, Connection, Sec-WebSocket-Accept, no Date/Server "
                    "(node ws writes the same)",
                    {},
                    "node ws"};
        }
        if (exactHeader(r, "Sec-Websocket-Accept") != nullptr && looksGoWritten(r))
            return {"Go net/http",
                    "101 with Go-canonical sorted headers (coder/websocket style)",
                    {},
                    {}};
        return {};
    }

    if (isGorillaError(r))
        return {"gorilla/websocket", "Go error reply with Sec-Websocket-Version: 13", {}, {}};
    // Go's own reply to an unparsable request: "400 Bad Request" body, Connection: close.
    if (startsWith(bodyPrefix, "400 Bad Request") && exactHeader(r, "Content-Type") != nullptr &&
        exactHeader(r, "Content-Type")->value == "text/plain; charset=utf-8")
        return {"Go net/http", "net/http request-parse error reply", {}, {}};
    if (isGoError(r))
        return {"Go net/http",
                "text/plain; charset=utf-8 with X-Content-Type-Options: nosniff",
                {},
                {}};
    // node ws abortHandshake: Connection: close, Content-Type: text/html, Content-Length, and
    // the status text as body, in that order, nothing else.
    if (r.headers.size() == 3 && r.headers[0].name == "Connection" &&
        r.headers[0].value == "close" && r.headers[1].name == "Content-Type" &&
        r.headers[1].value == "text/html" && r.headers[2].name == "Content-Length" &&
        (bodyPrefix.empty() || bodyPrefix == r.reason))
        return {"node ws",
                "abortHandshake reply (Connection, Content-Type: text/html, Content-Length)",
                {},
                {}};
    if (looksGoWritten(r) && r.count("Date") == 1)
        return {"Go net/http", "Go-canonical sorted headers with Date", {}, {}};
    if (goLayoutWithDate(r))
        return {"Go net/http", "Go's header layout: sorted canonical names, then Date", {}, {}};
    return {};
}

Fingerprint fingerprintServer(const ResponseSummary& response) {
    HttpHead h;
    h.status = response.status;
    h.reason = response.reason;
    h.version = response.httpVersion;
    h.headers.reserve(response.headers.size());
    for (const Header& v : response.headers)
        h.headers.push_back(HeaderView{v.name, v.value});
    return fingerprintServer(h, response.bodyPrefix);
}

namespace {

constexpr std::string_view kGorilla = "gorilla/websocket";
constexpr std::string_view kNode = "node ws";

/// gorilla's protocol-error Close reasons: its texts joined by ", " (conn.go advanceFrame and
/// handleProtocolError; captures/frame-*.pcap).
bool isGorillaProtocolErrorReason(std::string_view reason) {
    constexpr std::array<std::string_view, 10> kExact = {"bad MASK",
                                                         "len > 125 for control",
                                                         "FIN not set on control",
                                                         "RSV1 set",
                                                         "RSV2 set",
                                                         "RSV3 set",
                                                         "data before FIN",
                                                         "continuation after FIN",
                                                         "invalid utf8 payload in close frame",
                                                         "control frame length > 125"};
    constexpr std::array<std::string_view, 3> kPrefix = {"bad opcode ", "bad close code ",
                                                         "unexpected reserved bits "};
    if (reason.empty())
        return false;
    while (!reason.empty()) {
        const std::size_t comma = reason.find(", ");
        const std::string_view part = reason.substr(0, comma);
        bool known = false;
        for (std::string_view e : kExact)
            known = known || part == e;
        for (std::string_view p : kPrefix)
            known = known || (part.size() > p.size() && startsWith(part, p));
        if (!known)
            return false;
        reason = comma == std::string_view::npos ? std::string_view{} : reason.substr(comma + 2);
    }
    return true;
}

} // namespace

NarrowedFingerprint narrowServerFingerprint(const Fingerprint& of101,
                                            const ServerBehaviour& later) {
    NarrowedFingerprint out;
    out.name = of101.alternative.empty()
                   ? std::string(of101.name)
                   : std::string(of101.name) + " or " + std::string(of101.alternative);
    out.evidence = of101.evidence;
    const bool go = of101.name == kGorilla || of101.name == "Go net/http";
    if (of101.name != kGorilla || of101.alternative != kNode) {
        out.serverIsGo = go && of101.alternative.empty();
        return out;
    }
    std::vector<std::string> forGorilla, forNode;
    for (const Fingerprint& f : later.otherAnswers) {
        if (f.name == kGorilla || f.name == "Go net/http")
            forGorilla.push_back(std::string("another answer on the connection is Go's (") +
                                 std::string(f.evidence) + ")");
        else if (f.name == kNode)
            forNode.push_back(std::string("another answer on the connection is node ws' (") +
                              std::string(f.evidence) + ")");
    }
    const CloseFact& c = later.clientClose;
    const CloseFact& s = later.serverClose;
    if (later.serverCloseAnswered && c.sent && s.sent && c.code && !c.reason.empty() &&
        s.code == c.code) {
        if (s.reason.empty())
            forGorilla.emplace_back("the server answered the client's Close with its code alone, "
                                    "dropping the reason (gorilla's default close handler)");
        else if (s.reason == c.reason)
            forNode.emplace_back("the server echoed the client's Close code and reason (node ws "
                                 "does; gorilla drops the reason)");
    }
    if (s.sent && s.code == 1002 && isGorillaProtocolErrorReason(s.reason))
        forGorilla.push_back("the server's Close 1002 says \"" + std::string(s.reason) +
                             "\", gorilla's protocol-error text (node ws sends the code alone)");
    if (later.clientSentInvalidUtf8 && s.sent && s.code && *s.code != 1007)
        forGorilla.push_back("the client's invalid UTF-8 text did not make the server close with "
                             "1007 (node ws would, RFC 6455 §8.1; gorilla does not check)");

    const auto join = [](const std::vector<std::string>& facts) {
        std::string all;
        for (const std::string& f : facts)
            all += "; " + f;
        return all;
    };
    if (!forGorilla.empty() && forNode.empty()) {
        out.name = kGorilla;
        out.evidence += join(forGorilla);
        out.serverIsGo = true;
        out.narrowed = true;
    } else if (!forNode.empty() && forGorilla.empty()) {
        out.name = kNode;
        out.evidence += join(forNode);
        out.narrowed = true;
    } else if (!forGorilla.empty()) {
        out.evidence += "; later behaviour contradicts itself, so both remain" + join(forGorilla) +
                        join(forNode);
    } else {
        out.evidence += "; nothing the server did later tells them apart";
    }
    return out;
}

Fingerprint fingerprintClient(const HttpHead& request) {
    const std::string_view ua = request.header("User-Agent");
    // k6 >= 0.58 (PR #4699): "Grafana k6/<version>"; before: "k6/<version> (https://k6.io/)".
    if (startsWith(ua, "Grafana k6/") || startsWith(ua, "k6/"))
        return {"k6", "User-Agent k6", {}, {}};
    if (startsWith(ua, "Python/") && contains(ua, "websockets/"))
        return {"python websockets", "User-Agent Python/… websockets/…", {}, {}};
    if (startsWith(ua, "Go-http-client/"))
        return {"Go (gorilla/websocket or net/http)", "User-Agent Go-http-client", {}, {}};
    if (contains(ua, "Firefox/"))
        return {"Firefox", "User-Agent Firefox", {}, {}};
    if (contains(ua, "Chrome/") || contains(ua, "Chromium/"))
        return {"Chromium", "User-Agent Chrome", {}, {}};
    if (contains(ua, "Safari/"))
        return {"Safari", "User-Agent Safari", {}, {}};
    if (startsWith(ua, "okhttp/"))
        return {"OkHttp", "User-Agent okhttp", {}, {}};
    // node ws sets its handshake headers before Node adds Host, and sends no User-Agent.
    if (ua.empty() && !request.headers.empty() &&
        request.headers.front().name == "Sec-WebSocket-Version")
        return {"node ws", "Sec-WebSocket-Version first, no User-Agent", {}, {}};
    return {};
}

GorillaErrorShape gorillaErrorShape(const HttpHead& response, std::string_view bodyPrefix) {
    if (response.status == 101 || !isGorillaError(response))
        return GorillaErrorShape::None;
    // http.Error(w, http.StatusText(status), status): the body is the status text and "\n",
    // the same text Go put in the status line.
    const std::size_t lineEnd = bodyPrefix.find('\n');
    if (lineEnd == std::string_view::npos || bodyPrefix.substr(0, lineEnd) != response.reason)
        return GorillaErrorShape::None;
    const std::string_view length = response.header("Content-Length");
    const bool longer = !length.empty() && length != std::to_string(lineEnd + 1);
    if (bodyPrefix.size() > lineEnd + 1 || longer)
        return GorillaErrorShape::WithAppOutput;
    if (response.status == 500)
        return GorillaErrorShape::HijackNotSupported;
    return GorillaErrorShape::Plain;
}

} // namespace wst
