// SPDX-License-Identifier: MIT
// JSON log lines (Go slog, zap, logrus, ...): the fields found by their common names.
#include "decoder/logs/log_parsers.h"

#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>

namespace wst::logs {

namespace {

using Json = nlohmann::json;

const Json* find(const Json& j, std::initializer_list<const char*> names) {
    for (const char* n : names) {
        if (auto it = j.find(n); it != j.end() && !it->is_null()) {
            return &*it;
        }
    }
    return nullptr;
}

/// RFC 3339 ("2026-12-02T13:26:29.123456Z", "+01:00"), or a Unix time in seconds (zap's ts).
std::optional<LogTime> timeOf(const Json& v) {
    LogTime t;
    if (v.is_number()) {
        const double s = v.get<double>();
        if (!std::isfinite(s) || s < 0 || s > 1e11) {
            return std::nullopt;
        }
        const auto whole = static_cast<std::int64_t>(s);
        using namespace std::chrono;
        const year_month_day ymd{sys_days{std::chrono::days{whole / 86'400}}};
        t.year = static_cast<int>(ymd.year());
        t.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
        t.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
        t.nsOfDay = (whole % 86'400) * 1'000'000'000 +
                    static_cast<std::int64_t>((s - static_cast<double>(whole)) * 1e9);
        t.precisionNs = 1000;
        t.utcOffsetSeconds = 0;
        return t;
    }
    if (!v.is_string()) {
        return std::nullopt;
    }
    const std::string& s = v.get_ref<const std::string&>();
    if (!scan::date(s, 0, t) || s.size() < 19 || (s[10] != 'T' && s[10] != ' ')) {
        return std::nullopt;
    }
    const std::size_t n = scan::clock(s, 11, t);
    if (n == 0) {
        return std::nullopt;
    }
    const std::string_view zone = std::string_view(s).substr(11 + n);
    int zh = 0, zm = 0;
    if (zone == "Z") {
        t.utcOffsetSeconds = 0;
    } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':' &&
               scan::digits(zone, 1, 2, zh) && scan::digits(zone, 4, 2, zm)) {
        t.utcOffsetSeconds = (zone[0] == '-' ? -1 : 1) * (zh * 3600 + zm * 60);
    }
    return t;
}

std::string text(const Json& v) {
    return v.is_string() ? v.get<std::string>() : v.dump();
}

} // namespace

Parsed parseJsonLine(std::string_view line, LogLine& out) {
    if (line.empty() || line.front() != '{') {
        return Parsed::No;
    }
    const Json j = Json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        return Parsed::Malformed;
    }
    out.source = LogSource::Json;
    out.kind = LogKind::Info;
    if (const Json* v = find(j, {"time", "ts", "timestamp", "@timestamp", "t"})) {
        out.time = timeOf(*v);
    }
    const Json* http = find(j, {"http"});
    if (const Json* v = find(j, {"status", "status_code", "statusCode", "http.status_code"});
        v || (http && http->is_object() && (v = find(*http, {"status", "status_code"})))) {
        if (v->is_number_integer()) {
            out.status = v->get<int>();
        } else if (v->is_string()) {
            out.status = std::atoi(v->get_ref<const std::string&>().c_str());
        }
    }
    if (const Json* v = find(j, {"method", "http_method"}); v && v->is_string()) {
        out.method = v->get<std::string>();
    }
    if (const Json* v = find(j, {"path", "uri", "request_uri", "url"}); v && v->is_string()) {
        out.path = v->get<std::string>();
    }
    if (const Json* v = find(
            j, {"remote_addr", "client", "remote", "client_ip", "clientIP", "ip", "remote_ip"});
        v && v->is_string()) {
        scan::hostPort(v->get<std::string>(), out.clientIp, out.clientPort);
    }
    if (const Json* v = find(j, {"client_port", "remote_port"}); v && v->is_number_integer()) {
        out.clientPort = static_cast<std::uint16_t>(v->get<int>());
    }
    // slog's Duration is nanoseconds as a number; zap and logrus write seconds (a float) or a
    // Go duration string; *_ms fields are milliseconds.
    if (const Json* v = find(j, {"latency", "duration", "elapsed", "took"})) {
        if (v->is_string()) {
            out.latencyNs = scan::goDuration(v->get<std::string>());
        } else if (v->is_number_integer()) {
            out.latencyNs = v->get<std::int64_t>();
        } else if (v->is_number_float()) {
            out.latencyNs = static_cast<std::int64_t>(v->get<double>() * 1e9);
        }
    } else if (const Json* ms = find(j, {"latency_ms", "duration_ms"}); ms && ms->is_number()) {
        out.latencyNs = static_cast<std::int64_t>(ms->get<double>() * 1e6);
    }
    if (const Json* v = find(j, {"sec_websocket_key", "ws_key"}); v && v->is_string()) {
        out.wsKey = v->get<std::string>();
    }
    std::string message;
    for (const char* name : {"msg", "message", "error", "err"}) {
        if (const Json* v = find(j, {name})) {
            message += (message.empty() ? "" : ": ") + text(*v);
        }
    }
    if (out.status != 0) {
        out.kind = LogKind::Access;
    } else if (!message.empty()) {
        // A known net/http or gorilla text inside the message.
        LogLine inner;
        if (parseGoLine(message, inner) == Parsed::Yes && inner.kind != LogKind::Info) {
            out.kind = inner.kind;
            out.closeCode = inner.closeCode;
            if (out.clientIp.empty()) {
                out.clientIp = inner.clientIp;
                out.clientPort = inner.clientPort;
            }
            message = inner.message.empty() ? message : inner.message;
        }
    }
    out.message = message;
    return Parsed::Yes;
}

} // namespace wst::logs
