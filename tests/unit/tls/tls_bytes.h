// SPDX-License-Identifier: MIT
#pragma once

// Hand-built TLS records for the tests (the wire layouts of RFC 8446 §4.1.2, §4.1.3, §5.1): the
// real peers' captures are in captures/; these place bytes where the tests need them.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace wst::test {

std::string tlsRecord(std::uint8_t type, std::string_view body, std::uint16_t version = 0x0303);
std::string handshakeMessage(std::uint8_t type, std::string_view body);
/// A ClientHello record: SNI, ALPN list, supported_versions (empty: no extension).
std::string clientHello(std::string_view sni, const std::vector<std::string>& alpn,
                        const std::vector<std::uint16_t>& versions);
/// A ServerHello record; version 0x0304 goes into supported_versions (TLS 1.3).
std::string serverHello(std::uint16_t version, std::uint16_t suite, std::string_view alpn = {});
std::string alertRecord(std::uint8_t level, std::uint8_t description);
std::string appData(std::size_t length);

} // namespace wst::test
