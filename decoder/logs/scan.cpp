// SPDX-License-Identifier: MIT
#include "decoder/logs/log_parsers.h"

#include <charconv>

namespace wst::logs::scan {

bool digits(std::string_view s, std::size_t at, std::size_t n, int& value) {
    if (at + n > s.size()) {
        return false;
    }
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
        v = v * 10 + (s[i] - '0');
    }
    value = v;
    return true;
}

bool date(std::string_view s, std::size_t at, LogTime& t) {
    int y = 0, m = 0, d = 0;
    if (at + 10 > s.size() || (s[at + 4] != '/' && s[at + 4] != '-') || s[at + 7] != s[at + 4] ||
        !digits(s, at, 4, y) || !digits(s, at + 5, 2, m) || !digits(s, at + 8, 2, d) || m < 1 ||
        m > 12 || d < 1 || d > 31) {
        return false;
    }
    t.year = y;
    t.month = m;
    t.day = d;
    return true;
}

std::size_t clock(std::string_view s, std::size_t at, LogTime& t) {
    int h = 0, m = 0, sec = 0;
    if (at + 8 > s.size() || s[at + 2] != ':' || s[at + 5] != ':' || !digits(s, at, 2, h) ||
        !digits(s, at + 3, 2, m) || !digits(s, at + 6, 2, sec) || h > 23 || m > 59 || sec > 60) {
        return 0;
    }
    std::int64_t ns = ((static_cast<std::int64_t>(h) * 60 + m) * 60 + sec) * 1'000'000'000;
    std::size_t i = at + 8;
    std::int64_t precision = 1'000'000'000;
    if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
        std::size_t j = i + 1;
        std::int64_t frac = 0;
        std::int64_t scale = 1'000'000'000;
        while (j < s.size() && s[j] >= '0' && s[j] <= '9' && j - i <= 9) {
            scale /= 10;
            frac += (s[j] - '0') * scale;
            ++j;
        }
        if (j > i + 1) {
            ns += frac;
            precision = scale;
            i = j;
        }
    }
    t.nsOfDay = ns;
    t.precisionNs = precision;
    return i - at;
}

std::optional<std::int64_t> goDuration(std::string_view s) {
    s = trim(s);
    if (s.empty()) {
        return std::nullopt;
    }
    double total = 0;
    std::size_t i = 0;
    while (i < s.size()) {
        std::size_t j = i;
        while (j < s.size() && ((s[j] >= '0' && s[j] <= '9') || s[j] == '.')) {
            ++j;
        }
        if (j == i) {
            return std::nullopt;
        }
        double v = 0;
        const auto [p, ec] = std::from_chars(s.data() + i, s.data() + j, v);
        if (ec != std::errc{} || p != s.data() + j) {
            return std::nullopt;
        }
        std::size_t k = j;
        while (k < s.size() && !((s[k] >= '0' && s[k] <= '9') || s[k] == '.')) {
            ++k;
        }
        const std::string_view unit = s.substr(j, k - j);
        double scale = 0;
        if (unit == "ns") {
            scale = 1;
        } else if (unit == "µs" || unit == "us" || unit == "\xce\xbcs") {
            scale = 1e3;
        } else if (unit == "ms") {
            scale = 1e6;
        } else if (unit == "s") {
            scale = 1e9;
        } else if (unit == "m") {
            scale = 60e9;
        } else if (unit == "h") {
            scale = 3600e9;
        } else {
            return std::nullopt;
        }
        total += v * scale;
        i = k;
    }
    return static_cast<std::int64_t>(total);
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
        s.remove_suffix(1);
    }
    return s;
}

void hostPort(std::string_view s, std::string& ip, std::uint16_t& port) {
    port = 0;
    std::string_view host = s;
    std::string_view portText;
    if (!s.empty() && s.front() == '[') {
        const auto close = s.find(']');
        if (close != std::string_view::npos) {
            host = s.substr(1, close - 1);
            if (close + 1 < s.size() && s[close + 1] == ':') {
                portText = s.substr(close + 2);
            }
        }
    } else if (const auto colon = s.rfind(':');
               colon != std::string_view::npos && s.find(':') == colon) {
        host = s.substr(0, colon);
        portText = s.substr(colon + 1);
    }
    ip.assign(host);
    unsigned v = 0;
    if (!portText.empty()) {
        const auto [p, ec] = std::from_chars(portText.data(), portText.data() + portText.size(), v);
        if (ec == std::errc{} && v <= 65535) {
            port = static_cast<std::uint16_t>(v);
        }
    }
}

int closeCode(std::string_view message) {
    constexpr std::string_view kClose = "websocket: close ";
    const auto at = message.find(kClose);
    int code = 0;
    if (at != std::string_view::npos && digits(message, at + kClose.size(), 4, code)) {
        return code;
    }
    return 0;
}

} // namespace wst::logs::scan
