// SPDX-License-Identifier: MIT
// Go programs' log lines: net/http's server error log and gorilla/websocket's errors as an
// application logs them, behind the `log` package's prefixes (none, "2006/01/02 15:04:05",
// with ".000000", or the time alone with log.Ltime|log.Lmicroseconds).
#include "decoder/logs/log_parsers.h"

#include <array>

namespace wst::logs {

namespace {

/// Strips a Go log time prefix; false when there is none.
bool goPrefix(std::string_view& line, LogTime& t) {
    std::size_t at = 0;
    if (scan::date(line, 0, t) && line.size() > 11 && line[10] == ' ') {
        at = 11;
    } else {
        t.year.reset();
        t.month.reset();
        t.day.reset();
    }
    const std::size_t n = scan::clock(line, at, t);
    if (n == 0 || at + n >= line.size() || line[at + n] != ' ') {
        return false;
    }
    line.remove_prefix(at + n + 1);
    return true;
}

/// gorilla/websocket's handshake errors (Upgrader.Upgrade), by a distinctive part.
constexpr std::array<std::string_view, 10> kUpgradeErrors = {
    "client sent data before handshake is complete",
    "the client is not using the websocket protocol",
    "request origin not allowed",
    "unsupported version",
    "response does not implement http.Hijacker",
    "'Sec-WebSocket-Key' header",
    "'Sec-Websocket-Key' header",
    "websocket: method not GET",
    "websocket: not a websocket handshake",
    "websocket: the client is not using",
};

constexpr std::array<std::string_view, 4> kSessionErrors = {
    "websocket: close ",
    "connection reset by peer",
    "use of closed network connection",
    "unexpected EOF",
};

} // namespace

Parsed parseGoLine(std::string_view line, LogLine& out) {
    LogTime t;
    const bool prefixed = goPrefix(line, t);
    if (prefixed) {
        out.time = t;
    }
    out.source = LogSource::GoHttp;
    out.text.clear();
    const auto after = [&](std::string_view what) {
        const auto at = line.find(what);
        return at == std::string_view::npos ? std::string_view() : line.substr(at);
    };
    if (line.starts_with("http: response.Write on hijacked connection")) {
        out.kind = LogKind::HijackedWrite;
    } else if (line.starts_with("http: response.WriteHeader on hijacked connection")) {
        out.kind = LogKind::HijackedWriteHeader;
    } else if (line.starts_with("http: superfluous response.WriteHeader call")) {
        out.kind = LogKind::SuperfluousWriteHeader;
    } else if (line.starts_with("http: panic serving ")) {
        std::string_view rest = line.substr(20);
        // "127.0.0.1:50123: panic text" or "[::1]:50123: text"
        std::size_t end = rest.find(": ");
        if (!rest.empty() && rest.front() == '[') {
            const auto close = rest.find(']');
            end = close == std::string_view::npos ? end : rest.find(": ", close);
        }
        if (end == std::string_view::npos) {
            return Parsed::Malformed;
        }
        scan::hostPort(rest.substr(0, end), out.clientIp, out.clientPort);
        out.kind = LogKind::PanicServing;
        out.message.assign(rest.substr(end + 2));
    } else if (line.starts_with("http: ")) {
        out.kind = LogKind::Info;
    } else {
        out.kind = LogKind::Info;
        bool known = false;
        for (std::string_view e : kUpgradeErrors) {
            if (line.find(e) != std::string_view::npos) {
                out.kind = LogKind::UpgradeFailed;
                out.source = LogSource::Gorilla;
                std::string_view m = after("websocket: ");
                out.message.assign(m.empty() ? line : m);
                known = true;
                break;
            }
        }
        if (!known && line.find("websocket") != std::string_view::npos) {
            for (std::string_view e : kSessionErrors) {
                if (line.find(e) != std::string_view::npos) {
                    out.kind = LogKind::SessionEnded;
                    out.source = LogSource::Gorilla;
                    std::string_view m = after("websocket: ");
                    out.message.assign(m.empty() ? line : m);
                    out.closeCode = scan::closeCode(line);
                    if (out.closeCode == 0 && e != kSessionErrors[0]) {
                        out.closeCode = 1006;
                    }
                    known = true;
                    break;
                }
            }
        }
        // "read tcp 127.0.0.1:8080->127.0.0.1:5000: read: connection reset by peer": the
        // second address is the peer's.
        if (const auto arrow = line.find("->"); known && arrow != std::string_view::npos) {
            const auto end = line.find(": ", arrow);
            if (end != std::string_view::npos) {
                scan::hostPort(line.substr(arrow + 2, end - arrow - 2), out.clientIp,
                               out.clientPort);
            }
        }
        if (!known && !prefixed) {
            return Parsed::No;
        }
    }
    return Parsed::Yes;
}

} // namespace wst::logs
