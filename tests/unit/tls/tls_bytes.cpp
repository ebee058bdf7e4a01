// SPDX-License-Identifier: MIT
#include "tests/unit/tls/tls_bytes.h"

namespace wst::test {
namespace {

std::string u8(std::size_t v) {
    return std::string(1, static_cast<char>(v & 0xff));
}
std::string u16(std::size_t v) {
    return u8(v >> 8) + u8(v);
}
std::string u24(std::size_t v) {
    return u8(v >> 16) + u16(v & 0xffff);
}
std::string extension(std::uint16_t type, const std::string& data) {
    return u16(type) + u16(data.size()) + data;
}
std::string alpnData(const std::vector<std::string>& alpn) {
    std::string list;
    for (const std::string& a : alpn) {
        list += u8(a.size()) + a;
    }
    return u16(list.size()) + list;
}

} // namespace

std::string tlsRecord(std::uint8_t type, std::string_view body, std::uint16_t version) {
    return u8(type) + u16(version) + u16(body.size()) + std::string(body);
}

std::string handshakeMessage(std::uint8_t type, std::string_view body) {
    return u8(type) + u24(body.size()) + std::string(body);
}

std::string clientHello(std::string_view sni, const std::vector<std::string>& alpn,
                        const std::vector<std::uint16_t>& versions) {
    std::string exts;
    if (!sni.empty()) {
        const std::string entry = u8(0) + u16(sni.size()) + std::string(sni);
        exts += extension(0, u16(entry.size()) + entry);
    }
    if (!alpn.empty()) {
        exts += extension(16, alpnData(alpn));
    }
    if (!versions.empty()) {
        std::string list;
        for (std::uint16_t v : versions) {
            list += u16(v);
        }
        exts += extension(43, u8(list.size()) + list);
    }
    const std::string body = u16(0x0303) + std::string(32, '\x11') + u8(0) + u16(4) + u16(0x1301) +
                             u16(0xc02f) + u8(1) + u8(0) + u16(exts.size()) + exts;
    return tlsRecord(22, handshakeMessage(1, body), 0x0301);
}

std::string serverHello(std::uint16_t version, std::uint16_t suite, std::string_view alpn) {
    std::string exts;
    if (version == 0x0304) {
        exts += extension(43, u16(0x0304));
    }
    if (!alpn.empty()) {
        exts += extension(16, alpnData({std::string(alpn)}));
    }
    const std::string body = u16(0x0303) + std::string(32, '\x22') + u8(0) + u16(suite) + u8(0) +
                             u16(exts.size()) + exts;
    return tlsRecord(22, handshakeMessage(2, body));
}

std::string alertRecord(std::uint8_t level, std::uint8_t description) {
    return tlsRecord(21, u8(level) + u8(description));
}

std::string appData(std::size_t length) {
    return tlsRecord(23, std::string(length, '\x5a'));
}

} // namespace wst::test
