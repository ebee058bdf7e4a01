// SPDX-License-Identifier: MIT
// nginx: the access log (combined format, with or without trailing $request_time,
// $upstream_status, $upstream_response_time, plain or as key=value) and the error log.
#include "decoder/logs/log_parsers.h"

#include <array>
#include <charconv>

namespace wst::logs {

namespace {

constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/// "02/Dec/2026:13:26:29 +0000"
bool timeLocal(std::string_view s, LogTime& t) {
    int d = 0, y = 0, zh = 0, zm = 0;
    if (s.size() < 26 || s[2] != '/' || s[6] != '/' || s[11] != ':' || s[20] != ' ' ||
        !scan::digits(s, 0, 2, d) || !scan::digits(s, 7, 4, y) || (s[21] != '+' && s[21] != '-') ||
        !scan::digits(s, 22, 2, zh) || !scan::digits(s, 24, 2, zm)) {
        return false;
    }
    int month = 0;
    for (std::size_t i = 0; i < kMonths.size(); ++i) {
        if (s.substr(3, 3) == kMonths[i]) {
            month = static_cast<int>(i) + 1;
        }
    }
    if (month == 0 || scan::clock(s, 12, t) == 0) {
        return false;
    }
    t.year = y;
    t.month = month;
    t.day = d;
    t.utcOffsetSeconds = (s[21] == '-' ? -1 : 1) * (zh * 3600 + zm * 60);
    return true;
}

void requestLine(std::string_view r, LogLine& out) {
    const auto sp = r.find(' ');
    const auto sp2 = r.rfind(' ');
    if (sp == std::string_view::npos) {
        return;
    }
    out.method.assign(r.substr(0, sp));
    out.path.assign(sp2 > sp ? r.substr(sp + 1, sp2 - sp - 1) : r.substr(sp + 1));
}

std::optional<double> number(std::string_view s) {
    double v = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size()) {
        return std::nullopt;
    }
    return v;
}

Parsed accessLine(std::string_view line, LogLine& out) {
    const auto open = line.find(" [");
    const auto close = line.find("] \"");
    if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
        return Parsed::No;
    }
    const std::string_view head = line.substr(0, open); // "ip - user"
    const auto dash = head.find(" - ");
    if (dash == std::string_view::npos) {
        return Parsed::No;
    }
    LogTime t;
    if (!timeLocal(line.substr(open + 2, close - open - 2), t)) {
        return Parsed::Malformed;
    }
    std::size_t at = close + 3;
    const auto endReq = line.find('"', at);
    if (endReq == std::string_view::npos) {
        return Parsed::Malformed;
    }
    out.source = LogSource::NginxAccess;
    out.kind = LogKind::Access;
    out.time = t;
    out.clientIp.assign(head.substr(0, dash));
    requestLine(line.substr(at, endReq - at), out);
    at = endReq + 1;
    // status, bytes, "referer", "user agent", then optional fields.
    std::string_view rest = scan::trim(line.substr(at));
    const auto sp = rest.find(' ');
    const std::string_view status = rest.substr(0, sp);
    if (std::from_chars(status.data(), status.data() + status.size(), out.status).ec !=
        std::errc{}) {
        return Parsed::Malformed;
    }
    // The user agent is the second quoted string after the status.
    std::size_t q = rest.find('"');
    for (int i = 0; i < 2 && q != std::string_view::npos; ++i) {
        const auto q2 = rest.find('"', q + 1);
        if (q2 == std::string_view::npos) {
            break;
        }
        if (i == 1) {
            out.userAgent.assign(rest.substr(q + 1, q2 - q - 1));
        }
        q = i == 0 ? rest.find('"', q2 + 1) : q2;
        if (i == 1) {
            rest = rest.substr(q2 + 1);
        }
    }
    // Trailing fields: "rt=3.004 us=101 ut=3.001" or "3.004 101 3.001": the first number that
    // looks like seconds is $request_time.
    std::size_t pos = 0;
    rest = scan::trim(rest);
    while (pos < rest.size()) {
        auto end = rest.find(' ', pos);
        std::string_view token =
            rest.substr(pos, end == std::string_view::npos ? rest.size() - pos : end - pos);
        pos = end == std::string_view::npos ? rest.size() : end + 1;
        if (const auto eq = token.find('='); eq != std::string_view::npos) {
            const std::string_view key = token.substr(0, eq);
            token = token.substr(eq + 1);
            if (key != "rt" && key != "request_time") {
                continue;
            }
        } else if (token.find('.') == std::string_view::npos) {
            continue;
        }
        if (auto v = number(token); v && !out.latencyNs) {
            out.latencyNs = static_cast<std::int64_t>(*v * 1e9);
        }
    }
    return Parsed::Yes;
}

/// `client: 127.0.0.1, ` style field of an error line.
std::string_view errorField(std::string_view line, std::string_view name) {
    const auto at = line.find(name);
    if (at == std::string_view::npos) {
        return {};
    }
    std::size_t start = at + name.size();
    if (start < line.size() && line[start] == '"') {
        const auto end = line.find('"', start + 1);
        return end == std::string_view::npos ? std::string_view()
                                             : line.substr(start + 1, end - start - 1);
    }
    const auto end = line.find(',', start);
    return line.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
}

Parsed errorLine(std::string_view line, LogLine& out) {
    // "2026/12/02 13:26:29 [info] 15549#15549: *1 message, client: ..., request: "..."
    LogTime t;
    if (!scan::date(line, 0, t) || line.size() < 22 || line[10] != ' ' ||
        scan::clock(line, 11, t) != 8 || line[19] != ' ' || line[20] != '[') {
        return Parsed::No;
    }
    const auto levelEnd = line.find("] ", 21);
    if (levelEnd == std::string_view::npos) {
        return Parsed::No;
    }
    const auto pid = line.find(": ", levelEnd);
    const std::string_view level = line.substr(21, levelEnd - 21);
    if (pid == std::string_view::npos ||
        line.substr(levelEnd + 2, pid - levelEnd - 2).find('#') == std::string_view::npos) {
        return Parsed::No; // "[Recovery]" after a Go log date, not nginx
    }
    (void)level;
    out.source = LogSource::NginxError;
    out.time = t;
    std::string_view message = line.substr(pid + 2);
    if (message.starts_with("*")) {
        const auto sp = message.find(' ');
        message = sp == std::string_view::npos ? std::string_view() : message.substr(sp + 1);
    }
    const auto comma = message.find(", client: ");
    out.message.assign(message.substr(0, comma));
    const std::string_view client = errorField(line, "client: ");
    if (client.empty()) {
        out.kind = LogKind::Info;
        return Parsed::Yes;
    }
    out.clientIp.assign(scan::trim(client));
    requestLine(errorField(line, "request: "), out);
    out.upstream.assign(errorField(line, "upstream: "));
    if (message.find("upstream timed out") != std::string_view::npos) {
        out.kind = LogKind::UpstreamTimeout;
    } else if (message.find("upstream prematurely closed") != std::string_view::npos) {
        out.kind = LogKind::UpstreamClosed;
    } else {
        out.kind = LogKind::ProxyError;
    }
    return Parsed::Yes;
}

} // namespace

Parsed parseNginxLine(std::string_view line, LogLine& out) {
    if (Parsed p = errorLine(line, out); p != Parsed::No) {
        return p;
    }
    return accessLine(line, out);
}

} // namespace wst::logs
