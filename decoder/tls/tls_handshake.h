// SPDX-License-Identifier: MIT
#pragma once

#include "capture/core/types.h"
#include "decoder/model/trace.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace wst {

/// TLS handshake message types read in clear (RFC 8446 §4, RFC 5246 §7.4).
namespace tlshs {
inline constexpr std::uint8_t ClientHello = 1, ServerHello = 2, Certificate = 11;
}

/// Reads the fields of one complete handshake message body (without its 4-byte header) into
/// `out`. Returns "" when it parsed, else why not ("extensions overrun the message"). Bounds
/// are checked on every read; nothing is kept that points into `body`.
std::string parseClientHello(Bytes body, TlsSummary& out);
std::string parseServerHello(Bytes body, TlsSummary& out);
/// TLS 1.2 Certificate: the first certificate's subject, issuer and validity, through OpenSSL.
std::string parseCertificate(Bytes body, TlsSummary& out);

/// "TLS 1.3", "TLS 1.2", ..., or "0x7f1c" for anything else.
std::string tlsVersionName(std::uint16_t v);
/// IANA name of a cipher suite ("TLS_AES_128_GCM_SHA256"), or "0x1301"-style hex.
std::string cipherSuiteName(std::uint16_t id);
/// RFC 8446 §6 alert description name ("unknown_ca"), or "alert_N".
std::string alertName(std::uint8_t description);

} // namespace wst
