// SPDX-License-Identifier: MIT
#include "decoder/export/encoding.h"

#include "decoder/ws/utf8.h"

#include <ctime>
#include <fmt/format.h>
#include <iterator>
#include <openssl/evp.h>

namespace wst {

void appendBase64(std::string& out, std::string_view bytes) {
    const std::size_t at = out.size();
    out.resize(at + 4 * ((bytes.size() + 2) / 3));
    // EVP_EncodeBlock takes an int length; payload prefixes are far below 2 GiB.
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data() + at),
                                  reinterpret_cast<const unsigned char*>(bytes.data()),
                                  static_cast<int>(bytes.size()));
    out.resize(at + static_cast<std::size_t>(n));
}

std::string base64Encode(std::string_view bytes) {
    std::string out;
    appendBase64(out, bytes);
    return out;
}

std::string isoTime(Timestamp t) {
    std::int64_t seconds = t.ns / 1'000'000'000;
    std::int64_t nanos = t.ns % 1'000'000'000;
    if (nanos < 0) {
        nanos += 1'000'000'000;
        --seconds;
    }
    const std::time_t tt = static_cast<std::time_t>(seconds);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900,
                       tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                       nanos / 1'000'000);
}

std::string htmlEscape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char ch : text) {
        switch (ch) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += ch;
        }
    }
    return out;
}

std::string terminalSafe(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    const auto* p = reinterpret_cast<const std::uint8_t*>(text.data());
    const std::size_t n = text.size();
    for (std::size_t i = 0; i < n;) {
        const std::uint8_t c = p[i];
        // Length of the sequence the lead byte announces (RFC 3629 §4); 0 for a byte that
        // cannot start one. Whether it is well formed is the validator's call.
        const std::size_t len = c < 0x80             ? 1
                                : (c & 0xE0) == 0xC0 ? 2
                                : (c & 0xF0) == 0xE0 ? 3
                                : (c & 0xF8) == 0xF0 ? 4
                                                     : 0;
        const bool whole = len != 0 && i + len <= n && isValidUtf8(Bytes(p + i, len));
        const bool control =
            c < 0x20 || c == 0x7F ||
            (c == 0xC2 && len == 2 && whole && p[i + 1] >= 0x80 && p[i + 1] <= 0x9F);
        if (!whole || control) {
            fmt::format_to(std::back_inserter(out), "\\x{:02x}", c);
            ++i;
            continue;
        }
        out.append(text.substr(i, len));
        i += len;
    }
    return out;
}

std::string terminalQuoted(std::string_view text) {
    // The wire's own `"` and `\` are escaped first; terminalSafe then adds the \xNN escapes.
    std::string escaped;
    escaped.reserve(text.size() + 2);
    for (const char ch : text) {
        if (ch == '"' || ch == '\\') {
            escaped += '\\';
        }
        escaped += ch;
    }
    return "\"" + terminalSafe(escaped) + "\"";
}

} // namespace wst
