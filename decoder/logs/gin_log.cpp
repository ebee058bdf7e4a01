// SPDX-License-Identifier: MIT
// gin's own output: the default Logger's access lines, the [GIN-debug] lines and the Recovery
// middleware's dumps (request head, panic text, stack).
#include "decoder/logs/log_parsers.h"

#include <charconv>

namespace wst::logs {

namespace {

std::string_view field(std::string_view line, std::size_t& at) {
    const auto bar = line.find('|', at);
    const std::string_view f =
        line.substr(at, bar == std::string_view::npos ? std::string_view::npos : bar - at);
    at = bar == std::string_view::npos ? line.size() : bar + 1;
    return scan::trim(f);
}

bool caseEqual(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
        if (lower(a[i]) != lower(b[i])) {
            return false;
        }
    }
    return true;
}

/// "[GIN] 2026/11/24 - 20:36:10 | 200 | 1.2ms | 127.0.0.1 | GET "/ws"".
Parsed accessLine(std::string_view line, LogLine& out) {
    std::size_t at = 5;
    const std::string_view when = field(line, at);
    LogTime t;
    if (when.size() < 21 || !scan::date(when, 0, t) || when.substr(10, 3) != " - " ||
        scan::clock(when, 13, t) == 0) {
        return Parsed::Malformed;
    }
    const std::string_view status = field(line, at);
    const std::string_view latency = field(line, at);
    const std::string_view client = field(line, at);
    const std::string_view request = field(line, at);
    int code = 0;
    const auto [p, ec] = std::from_chars(status.data(), status.data() + status.size(), code);
    if (ec != std::errc{} || p != status.data() + status.size() || request.empty()) {
        return Parsed::Malformed;
    }
    const auto space = request.find(' ');
    const auto quote = request.find('"');
    if (space == std::string_view::npos || quote == std::string_view::npos ||
        request.back() != '"' || quote + 1 >= request.size()) {
        return Parsed::Malformed;
    }
    out.source = LogSource::GinLogger;
    out.kind = LogKind::Access;
    out.time = t;
    out.status = code;
    out.latencyNs = scan::goDuration(latency);
    out.clientIp.assign(client);
    out.method.assign(request.substr(0, space));
    out.path.assign(request.substr(quote + 1, request.size() - quote - 2));
    return Parsed::Yes;
}

Parsed debugLine(std::string_view line, LogLine& out) {
    out.source = LogSource::GinDebug;
    out.kind = LogKind::Info;
    constexpr std::string_view kOverride = "Wanted to override status code ";
    if (const auto at = line.find(kOverride); at != std::string_view::npos) {
        std::string_view rest = line.substr(at + kOverride.size());
        int from = 0, to = 0;
        const auto with = rest.find(" with ");
        if (with == std::string_view::npos ||
            std::from_chars(rest.data(), rest.data() + with, from).ec != std::errc{} ||
            std::from_chars(rest.data() + with + 6, rest.data() + rest.size(), to).ec !=
                std::errc{}) {
            return Parsed::Malformed;
        }
        out.kind = LogKind::StatusOverride;
        out.statusFrom = from;
        out.status = to;
        out.message.assign(line.substr(
            line.find("Headers") == std::string_view::npos ? at : line.find("Headers")));
    }
    return Parsed::Yes;
}

} // namespace

Parsed parseGinLine(std::string_view line, LogLine& out) {
    if (line.starts_with("[GIN] ")) {
        return accessLine(line, out);
    }
    if (line.starts_with("[GIN-debug] ")) {
        return debugLine(line, out);
    }
    return Parsed::No;
}

bool isRecoveryStart(std::string_view line, LogLine& out) {
    const auto at = line.find("[Recovery] ");
    if (at == std::string_view::npos || line.find("panic recovered") == std::string_view::npos) {
        return false;
    }
    LogTime t;
    const std::size_t d = at + 11;
    if (scan::date(line, d, t) && line.substr(d + 10, 3) == " - " && scan::clock(line, d + 13, t)) {
        out.time = t;
    }
    out.source = LogSource::GinRecovery;
    out.kind = LogKind::PanicRecovered;
    return true;
}

// States: 0 the request head, 1 the blank lines before the panic text, 2 the stack.
bool continueRecovery(std::string_view line, LogLine& dump, int& state) {
    const std::string_view t = scan::trim(line);
    if (state == 0) {
        if (t.empty()) {
            state = dump.method.empty() ? 0 : 1; // blank lines may come before the head
            return true;
        }
        if (dump.method.empty()) {
            const auto sp = t.find(' ');
            const auto sp2 = t.rfind(' ');
            if (sp == std::string_view::npos || sp2 == sp ||
                !t.substr(sp2 + 1).starts_with("HTTP/")) {
                return false;
            }
            dump.method.assign(t.substr(0, sp));
            dump.path.assign(t.substr(sp + 1, sp2 - sp - 1));
            return true;
        }
        const auto colon = t.find(':');
        if (colon == std::string_view::npos) {
            return false;
        }
        const std::string_view name = t.substr(0, colon);
        const std::string_view value = scan::trim(t.substr(colon + 1));
        if (caseEqual(name, "Sec-WebSocket-Key")) {
            dump.wsKey.assign(value);
        } else if (caseEqual(name, "User-Agent")) {
            dump.userAgent.assign(value);
        }
        return true;
    }
    if (state == 1) {
        if (t.empty()) {
            return true;
        }
        if (!dump.message.empty()) {
            return false;
        }
        dump.message.assign(t);
        state = 2;
        return true;
    }
    // The stack: "/path/file.go:58 (0x7120de)" and tab-indented source lines.
    if (!line.empty() && (line.front() == '/' || line.front() == '\t' ||
                          (line.size() > 2 && line[1] == ':' && line[2] == '/'))) {
        return true;
    }
    return false;
}

} // namespace wst::logs
