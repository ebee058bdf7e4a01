// SPDX-License-Identifier: MIT
#include "decoder/analysis/patterns.h"

#include "decoder/http/http_head_parser.h"

#include <algorithm>
#include <cstdlib>
#include <fmt/format.h>

namespace wst {
namespace {

bool contains(std::string_view hay, std::string_view needle) {
    return std::search(hay.begin(), hay.end(), needle.begin(), needle.end(), [](char a, char b) {
               auto lower = [](char c) {
                   return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
               };
               return lower(a) == lower(b);
           }) != hay.end();
}

/// True if some header is spelled exactly `name` (Go canonicalises "Sec-WebSocket-Version" to
/// "Sec-Websocket-Version"; the spelling is part of the fingerprint).
bool hasExactHeader(const ResponseSummary& h, std::string_view name) {
    return std::any_of(h.headers.begin(), h.headers.end(),
                       [&](const Header& v) { return v.name == name; });
}

bool equalsNoCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && contains(a, b);
}

} // namespace

std::string_view headerValue(const ResponseSummary& r, std::string_view name) {
    for (const Header& h : r.headers) {
        if (equalsNoCase(h.name, name)) {
            return h.value;
        }
    }
    return {};
}

bool isProxyServer(std::string_view server) {
    static constexpr std::string_view kProxies[] = {
        "nginx",     "apache", "envoy", "haproxy", "cloudflare", "caddy",   "traefik",
        "openresty", "awselb", "istio", "varnish", "iis",        "tengine", "kong"};
    return std::any_of(std::begin(kProxies), std::end(kProxies),
                       [&](std::string_view p) { return contains(server, p); });
}

bool looksLikeGorillaError(const ResponseSummary& response) {
    return response.status >= 400 && hasExactHeader(response, "Sec-Websocket-Version") &&
           hasExactHeader(response, "X-Content-Type-Options");
}

std::string_view appendedErrorOutput(int status, std::string_view reasonPhrase,
                                     std::string_view body) {
    (void)status;
    // http.Error(w, http.StatusText(code), code) writes the status text and a newline.
    if (reasonPhrase.empty() || body.size() <= reasonPhrase.size() + 1 ||
        !body.starts_with(reasonPhrase) || body[reasonPhrase.size()] != '\n') {
        return {};
    }
    return body.substr(reasonPhrase.size() + 1);
}

Refusal classifyRefusal(const ResponseSummary& r, const RequestSummary* request,
                        const std::vector<std::string_view>& failedRequestChecks,
                        std::string_view bodyPrefix) {
    Refusal out;
    const int s = r.status;
    std::string detail = fmt::format("expected=101, found={} {}", s, r.reason);
    const std::string_view server = headerValue(r, "Server");
    const bool proxy = isProxyServer(server);
    std::string_view why;

    if (s >= 300 && s < 400) {
        out.id = AnomalyId::HttpUpgradeRedirected;
        detail += fmt::format("; Location={}", quoteBytes(headerValue(r, "Location")));
    } else if (s >= 200 && s < 300) {
        out.id = AnomalyId::HttpUpgradeIgnored;
        const bool go = r.fingerprint == "Go net/http" || r.fingerprint == "gorilla/websocket";
        if (bodyPrefix.starts_with("Internal Server Error") && go) {
            why = "a 200 carrying an error body: the hijack failed after the status was already "
                  "written (gin 1.11.0 refuses Hijack after WriteHeaderNow)";
        } else if (bodyPrefix.starts_with("Internal Server Error")) {
            why = "a 200 carrying an error body: the upgrade failed after the status was already "
                  "written";
        } else {
            why = "the request reached an ordinary HTTP handler";
        }
    } else {
        const std::string_view versions = headerValue(r, "Sec-WebSocket-Version");
        bool versionListed = true;
        if (!versions.empty() && request != nullptr) {
            versionListed = false;
            forEachListElement(versions, [&](std::string_view v) {
                versionListed = versionListed || v == request->version;
            });
        }
        if (!versionListed) {
            out.id = AnomalyId::HttpVersionRejected;
            detail = fmt::format("expected one of={}, found={}; status {}", quoteBytes(versions),
                                 quoteBytes(request->version), s);
        } else if (s == 400 && proxy && looksLikeGorillaError(r) && failedRequestChecks.empty()) {
            out.id = AnomalyId::HttpUpgradeStripped;
            why =
                "a valid upgrade request got a WebSocket library's 400 through a proxy: the proxy "
                "did not forward Upgrade/Connection to the upstream";
        } else if ((s == 500 && looksLikeGorillaError(r) &&
                    (bodyPrefix.empty() || bodyPrefix.starts_with("Internal Server Error"))) ||
                   s == 501) {
            out.id = AnomalyId::HijackNotSupported;
            why = s == 501 ? "coder/websocket: the ResponseWriter does not implement http.Hijacker"
                           : "gorilla could not hijack: a wrapping middleware (TimeoutHandler, "
                             "gzip, metrics) or HTTP/2";
        } else {
            out.id = AnomalyId::HttpUpgradeRefused;
            switch (s) {
            case 400:
            case 426:
                why = failedRequestChecks.empty()
                          ? "handshake rejected as a bad request, though it looks valid here (a "
                            "proxy may have changed it upstream)"
                          : "handshake rejected: bad request headers";
                break;
            case 401:
                why = "authentication required";
                break;
            case 403:
                why = "origin or auth rejected";
                break;
            case 404:
                why = "no WebSocket route for this path";
                break;
            case 405:
                why = "the route does not accept this method";
                break;
            case 429:
                why = "rate limited";
                break;
            case 500:
                why = "the server failed before upgrading";
                break;
            case 502:
            case 503:
            case 504:
                why = "the proxy could not reach or wait for the upstream";
                break;
            default:
                break;
            }
        }
    }
    if (!why.empty()) {
        detail += fmt::format("; {}", why);
    }
    if (!failedRequestChecks.empty() && (s == 400 || s == 426 || s == 405)) {
        detail += "; request failed:";
        for (std::string_view c : failedRequestChecks) {
            detail += fmt::format(" {}", c);
        }
    }
    if (s == 403 && request != nullptr && !request->origin.empty()) {
        detail += fmt::format("; Origin={} Host={}", quoteBytes(request->origin),
                              quoteBytes(request->host));
    }
    if (s == 404 && request != nullptr) {
        detail += fmt::format("; target={}", quoteBytes(request->target));
    }
    if (!server.empty()) {
        detail += fmt::format("; Server={}", quoteBytes(server));
    }
    if (!bodyPrefix.empty()) {
        detail += fmt::format("; body={}", quoteBytes(bodyPrefix, 120));
    }
    out.detail = std::move(detail);
    return out;
}

std::string knownTimeout(std::int64_t ns, WaitKind kind) {
    struct Known {
        WaitKind kind;
        std::int64_t seconds;
        std::string_view what;
    };
    // The one table of well-known waits, each with its source. A wait matches a value when it
    // is within min(2 %, 1 s) of it.
    static constexpr Known kKnown[] = {
        // http_no_response: client-side handshake timeouts (gorilla client.go DefaultDialer;
        // k6 sets the gorilla Dialer's HandshakeTimeout to 60 s).
        {WaitKind::Handshake, 45, "gorilla DefaultDialer handshake timeout"},
        {WaitKind::Handshake, 60, "k6 handshake timeout (gorilla Dialer, 60 s)"},
        // ws_close_idle_timeout: idle timeouts of proxies and load balancers.
        // GCP load balancers: from a gravitational/teleport#56379 review comment, unverified.
        {WaitKind::Idle, 30, "30 s idle timeout (GCP load balancer?)"},
        // nginx proxy_read_timeout default (nginx docs); AWS ALB / ELB / OpenShift
        // default idle timeout (ApicurioArchive/apicurio-studio#221).
        {WaitKind::Idle, 60, "60 s idle timeout: nginx proxy_read_timeout or AWS ALB"},
        // Reported in Kurento#220; no product default known.
        {WaitKind::Idle, 90, "90 s idle timeout"},
        // Cloudflare proxied WebSocket idle limit (buildbot/buildbot#4078 comments).
        {WaitKind::Idle, 100, "100 s idle timeout: Cloudflare"},
        // Round values that configured idle timeouts tend to take.
        {WaitKind::Idle, 120, "120 s idle timeout"},
        {WaitKind::Idle, 300, "300 s idle timeout"},
        {WaitKind::Idle, 3600, "1 h idle timeout"},
        // ws_close_not_answered: how long a Close sender waits for the reply before closing
        // TCP (Node ws websocket.js closeTimeout; Chromium websocket_channel.cc
        // kClosingHandshakeTimeoutSeconds and kUnderlyingConnectionCloseTimeoutSeconds).
        {WaitKind::CloseWait, 30, "Node ws closeTimeout (30 s)"},
        {WaitKind::CloseWait, 60, "Chromium closing-handshake timeout (60 s)"},
        {WaitKind::CloseWait, 2, "Chromium underlying-close wait (2 s)"},
    };
    for (const Known& k : kKnown) {
        if (k.kind != kind) {
            continue;
        }
        const std::int64_t target = k.seconds * 1'000'000'000;
        const std::int64_t tolerance = std::min<std::int64_t>(target / 50, 1'000'000'000);
        if (std::llabs(ns - target) <= tolerance) {
            return fmt::format("≈{} s: {}", k.seconds, k.what);
        }
    }
    return {};
}

std::string quoteBytes(std::string_view bytes, std::size_t max) {
    std::string out = "\"";
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (out.size() >= max + 1) {
            out += "…";
            break;
        }
        const auto c = static_cast<unsigned char>(bytes[i]);
        switch (c) {
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        default:
            if (c >= 0x20 && c < 0x7f) {
                out += static_cast<char>(c);
            } else {
                out += fmt::format("\\x{:02x}", c);
            }
        }
    }
    out += '"';
    return out;
}

} // namespace wst
