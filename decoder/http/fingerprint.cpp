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
    return {};
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
