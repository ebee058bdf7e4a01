// SPDX-License-Identifier: MIT
// --log-format: a user's ECMAScript regular expression with named groups. std::regex has no
// named groups, so `(?<name>` and `(?P<name>` are rewritten to plain groups and their numbers
// remembered.
#include "decoder/logs/log_parsers.h"
#include "decoder/logs/log_reader.h"

#include <array>
#include <charconv>
#include <fmt/format.h>
#include <regex>

namespace wst::logs {

namespace {

constexpr std::array<std::string_view, 14> kNames = {
    "time", "date", "status",  "method", "path", "uri",     "client",
    "ip",   "port", "latency", "key",    "ua",   "message", "msg"};

/// Lines longer than this are cut before a user's pattern sees them: a backtracking pattern
/// must not cost more per line than this allows.
constexpr std::size_t kMatchBytes = 4096;

} // namespace

struct CustomFormat::Impl {
    std::regex re;
    std::vector<std::pair<std::string, std::size_t>> groups; // name, group number
};

std::optional<CustomFormat> CustomFormat::compile(std::string_view pattern, std::string& error) {
    auto impl = std::make_shared<Impl>();
    std::string plain;
    std::size_t group = 0;
    bool inClass = false;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const char c = pattern[i];
        if (c == '\\' && i + 1 < pattern.size()) {
            plain += c;
            plain += pattern[++i];
            continue;
        }
        if (inClass) {
            inClass = c != ']';
            plain += c;
            continue;
        }
        if (c == '[') {
            inClass = true;
            plain += c;
            continue;
        }
        if (c != '(') {
            plain += c;
            continue;
        }
        const std::string_view rest = pattern.substr(i);
        std::size_t nameAt = 0;
        if (rest.starts_with("(?<") && !rest.starts_with("(?<=") && !rest.starts_with("(?<!")) {
            nameAt = 3;
        } else if (rest.starts_with("(?P<")) {
            nameAt = 4;
        } else if (rest.starts_with("(?")) {
            plain += c; // (?: (?= (?! : not capturing
            continue;
        }
        ++group;
        plain += '(';
        if (nameAt == 0) {
            continue;
        }
        const auto close = rest.find('>', nameAt);
        if (close == std::string_view::npos) {
            error = "--log-format: a named group has no closing '>'";
            return std::nullopt;
        }
        const std::string name(rest.substr(nameAt, close - nameAt));
        if (std::find(kNames.begin(), kNames.end(), name) == kNames.end()) {
            error = fmt::format("--log-format: unknown group name '{}' (known: time, date, "
                                "status, method, path, client, ip, port, latency, key, ua, "
                                "message)",
                                name);
            return std::nullopt;
        }
        impl->groups.emplace_back(name, group);
        i += close;
    }
    if (impl->groups.empty()) {
        error = "--log-format: the pattern has no named group; name what it captures, e.g. "
                "(?<status>\\d{3}) (?<path>\\S+)";
        return std::nullopt;
    }
    try {
        impl->re = std::regex(plain, std::regex::ECMAScript | std::regex::optimize);
    } catch (const std::regex_error& e) {
        error = fmt::format("--log-format: not a valid regular expression ({})", e.what());
        return std::nullopt;
    }
    CustomFormat f;
    f.m_impl = std::move(impl);
    return f;
}

bool CustomFormat::parse(std::string_view line, LogLine& out) const {
    if (line.size() > kMatchBytes) {
        line = line.substr(0, kMatchBytes);
    }
    std::match_results<std::string_view::const_iterator> m;
    try {
        if (!std::regex_match(line.begin(), line.end(), m, m_impl->re)) {
            return false;
        }
    } catch (const std::regex_error&) {
        return false; // too complex for this line
    }
    out.source = LogSource::Custom;
    out.kind = LogKind::Info;
    LogTime t;
    bool haveTime = false;
    for (const auto& [name, g] : m_impl->groups) {
        if (g >= m.size() || !m[g].matched) {
            continue;
        }
        const std::string_view v(&*m[g].first, static_cast<std::size_t>(m[g].length()));
        if (name == "time") {
            // "2026-12-02 13:26:29", "2026/12/02T13:26:29.5", or the time alone.
            std::size_t at = 0;
            if (scan::date(v, 0, t) && v.size() > 11) {
                at = 11;
            }
            haveTime = scan::clock(v, at, t) != 0 || haveTime;
        } else if (name == "date") {
            scan::date(v, 0, t);
        } else if (name == "status") {
            std::from_chars(v.data(), v.data() + v.size(), out.status);
        } else if (name == "method") {
            out.method.assign(v);
        } else if (name == "path" || name == "uri") {
            out.path.assign(v);
        } else if (name == "client") {
            scan::hostPort(v, out.clientIp, out.clientPort);
        } else if (name == "ip") {
            out.clientIp.assign(v);
        } else if (name == "port") {
            unsigned p = 0;
            if (std::from_chars(v.data(), v.data() + v.size(), p).ec == std::errc{} && p < 65536) {
                out.clientPort = static_cast<std::uint16_t>(p);
            }
        } else if (name == "latency") {
            double seconds = 0;
            const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), seconds);
            if (ec == std::errc{} && p == v.data() + v.size()) {
                out.latencyNs = static_cast<std::int64_t>(seconds * 1e9);
            } else {
                out.latencyNs = scan::goDuration(v);
            }
        } else if (name == "key") {
            out.wsKey.assign(v);
        } else if (name == "ua") {
            out.userAgent.assign(v);
        } else {
            out.message.assign(v);
        }
    }
    if (haveTime) {
        out.time = t;
    }
    if (out.status != 0) {
        out.kind = LogKind::Access;
    }
    return true;
}

} // namespace wst::logs
