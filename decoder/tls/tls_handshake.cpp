// SPDX-License-Identifier: MIT
// Field readers for the TLS handshake messages sent in clear. Every length is checked against
// what remains of its enclosing vector (RFC 8446 §3.4 vectors), so a hostile length can only
// end the parse with a reason.
#include "decoder/tls/tls_handshake.h"

#include <ctime>
#include <fmt/format.h>
#include <memory>
#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/x509.h>

namespace wst {
namespace {

/// A bounded cursor over a byte view.
class Reader {
public:
    explicit Reader(Bytes b)
        : m_b(b) {}
    bool ok() const { return m_ok; }
    std::size_t left() const { return m_b.size() - m_at; }
    std::uint32_t u(int n) {
        if (!m_ok || left() < static_cast<std::size_t>(n)) {
            m_ok = false;
            return 0;
        }
        std::uint32_t v = 0;
        for (int i = 0; i < n; ++i) {
            v = (v << 8) | m_b[m_at++];
        }
        return v;
    }
    /// A vector with an n-byte length prefix.
    Bytes vec(int n) {
        const std::uint32_t len = u(n);
        if (!m_ok || left() < len) {
            m_ok = false;
            return {};
        }
        Bytes out = m_b.subspan(m_at, len);
        m_at += len;
        return out;
    }
    Bytes take(std::size_t n) {
        if (!m_ok || left() < n) {
            m_ok = false;
            return {};
        }
        Bytes out = m_b.subspan(m_at, n);
        m_at += n;
        return out;
    }

private:
    Bytes m_b;
    std::size_t m_at = 0;
    bool m_ok = true;
};

std::string text(Bytes b) {
    std::string s(reinterpret_cast<const char*>(b.data()), b.size());
    for (char& c : s) {
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) {
            c = '?'; // names end up in JSON and terminals
        }
    }
    return s;
}

constexpr std::uint16_t kExtServerName = 0, kExtAlpn = 16, kExtSupportedVersions = 43;

std::vector<std::string> alpnList(Bytes ext, bool& ok) {
    std::vector<std::string> out;
    Reader r(ext);
    Reader list(r.vec(2));
    while (r.ok() && list.ok() && list.left() > 0 && out.size() < 32) {
        Bytes name = list.vec(1);
        if (list.ok()) {
            out.push_back(text(name));
        }
    }
    ok = r.ok() && list.ok();
    return out;
}

} // namespace

std::string tlsVersionName(std::uint16_t v) {
    switch (v) {
    case 0x0300:
        return "SSL 3.0";
    case 0x0301:
        return "TLS 1.0";
    case 0x0302:
        return "TLS 1.1";
    case 0x0303:
        return "TLS 1.2";
    case 0x0304:
        return "TLS 1.3";
    default:
        return fmt::format("0x{:04x}", v);
    }
}

std::string cipherSuiteName(std::uint16_t id) {
    switch (id) {
    case 0x1301:
        return "TLS_AES_128_GCM_SHA256";
    case 0x1302:
        return "TLS_AES_256_GCM_SHA384";
    case 0x1303:
        return "TLS_CHACHA20_POLY1305_SHA256";
    case 0xc02b:
        return "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
    case 0xc02c:
        return "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";
    case 0xc02f:
        return "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";
    case 0xc030:
        return "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384";
    case 0xcca8:
        return "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256";
    case 0xcca9:
        return "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256";
    case 0xc013:
        return "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA";
    case 0xc014:
        return "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA";
    case 0x009c:
        return "TLS_RSA_WITH_AES_128_GCM_SHA256";
    case 0x009d:
        return "TLS_RSA_WITH_AES_256_GCM_SHA384";
    case 0x002f:
        return "TLS_RSA_WITH_AES_128_CBC_SHA";
    case 0x0035:
        return "TLS_RSA_WITH_AES_256_CBC_SHA";
    default:
        return fmt::format("0x{:04x}", id);
    }
}

std::string alertName(std::uint8_t d) {
    switch (d) {
    case 0:
        return "close_notify";
    case 10:
        return "unexpected_message";
    case 20:
        return "bad_record_mac";
    case 22:
        return "record_overflow";
    case 40:
        return "handshake_failure";
    case 42:
        return "bad_certificate";
    case 43:
        return "unsupported_certificate";
    case 44:
        return "certificate_revoked";
    case 45:
        return "certificate_expired";
    case 46:
        return "certificate_unknown";
    case 47:
        return "illegal_parameter";
    case 48:
        return "unknown_ca";
    case 49:
        return "access_denied";
    case 50:
        return "decode_error";
    case 51:
        return "decrypt_error";
    case 70:
        return "protocol_version";
    case 71:
        return "insufficient_security";
    case 80:
        return "internal_error";
    case 86:
        return "inappropriate_fallback";
    case 90:
        return "user_canceled";
    case 109:
        return "missing_extension";
    case 110:
        return "unsupported_extension";
    case 112:
        return "unrecognized_name";
    case 116:
        return "certificate_required";
    case 120:
        return "no_application_protocol";
    default:
        return fmt::format("alert_{}", d);
    }
}

std::string parseClientHello(Bytes body, TlsSummary& out) {
    Reader r(body);
    const auto legacy = static_cast<std::uint16_t>(r.u(2));
    r.take(32); // random
    r.vec(1);   // legacy_session_id
    r.vec(2);   // cipher_suites
    r.vec(1);   // legacy_compression_methods
    if (!r.ok()) {
        return "ClientHello shorter than its fixed fields";
    }
    std::vector<std::string> versions;
    if (r.left() > 0) {
        Reader exts(r.vec(2));
        if (!r.ok()) {
            return "ClientHello extensions overrun the message";
        }
        while (exts.left() > 0) {
            const auto type = static_cast<std::uint16_t>(exts.u(2));
            Bytes data = exts.vec(2);
            if (!exts.ok()) {
                return "a ClientHello extension overruns the extensions";
            }
            if (type == kExtServerName) {
                Reader e(data);
                Reader list(e.vec(2));
                while (e.ok() && list.ok() && list.left() > 0) {
                    const std::uint32_t nameType = list.u(1);
                    Bytes name = list.vec(2);
                    if (list.ok() && nameType == 0 && out.sni.empty()) {
                        out.sni = text(name); // RFC 6066 §3: host_name
                    }
                }
                if (!e.ok() || !list.ok()) {
                    return "server_name extension malformed";
                }
            } else if (type == kExtAlpn) {
                bool ok = true;
                out.alpnOffered = alpnList(data, ok);
                if (!ok) {
                    return "ALPN extension malformed";
                }
            } else if (type == kExtSupportedVersions) {
                Reader e(data);
                Reader list(e.vec(1));
                while (e.ok() && list.ok() && list.left() >= 2 && versions.size() < 16) {
                    const auto v = static_cast<std::uint16_t>(list.u(2));
                    if ((v & 0x0f0f) != 0x0a0a) { // GREASE values (RFC 8701) are no versions
                        versions.push_back(tlsVersionName(v));
                    }
                }
                if (!e.ok()) {
                    return "supported_versions extension malformed";
                }
            }
        }
    }
    out.offeredVersions = versions.empty() ? std::vector{tlsVersionName(legacy)} : versions;
    return {};
}

std::string parseServerHello(Bytes body, TlsSummary& out) {
    Reader r(body);
    const auto legacy = static_cast<std::uint16_t>(r.u(2));
    r.take(32);
    r.vec(1);
    const auto suite = static_cast<std::uint16_t>(r.u(2));
    r.u(1);
    if (!r.ok()) {
        return "ServerHello shorter than its fixed fields";
    }
    std::uint16_t version = legacy;
    if (r.left() > 0) {
        Reader exts(r.vec(2));
        if (!r.ok()) {
            return "ServerHello extensions overrun the message";
        }
        while (exts.left() > 0) {
            const auto type = static_cast<std::uint16_t>(exts.u(2));
            Bytes data = exts.vec(2);
            if (!exts.ok()) {
                return "a ServerHello extension overruns the extensions";
            }
            if (type == kExtSupportedVersions) {
                Reader e(data);
                const auto v = static_cast<std::uint16_t>(e.u(2));
                if (!e.ok()) {
                    return "supported_versions extension malformed";
                }
                version = v; // RFC 8446 §4.2.1: the negotiated version
            } else if (type == kExtAlpn) {
                bool ok = true;
                const auto chosen = alpnList(data, ok);
                if (!ok || chosen.size() != 1) {
                    return "ALPN extension malformed";
                }
                out.alpnChosen = chosen.front();
            }
        }
    }
    out.version = tlsVersionName(version);
    out.cipherSuite = cipherSuiteName(suite);
    return {};
}

namespace {

std::string nameText(const X509_NAME* name) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    if (!bio || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253) < 0) {
        return {};
    }
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return n > 0 ? text(Bytes(reinterpret_cast<const std::uint8_t*>(data),
                              static_cast<std::size_t>(std::min<long>(n, 1024))))
                 : std::string();
}

std::string timeText(const ASN1_TIME* t) {
    std::tm tm{};
    if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) {
        return {};
    }
    return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC", tm.tm_year + 1900, tm.tm_mon + 1,
                       tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

} // namespace

std::string parseCertificate(Bytes body, TlsSummary& out) {
    Reader r(body);
    Reader list(r.vec(3));
    Bytes first = list.vec(3);
    if (!r.ok() || !list.ok()) {
        return "Certificate list overruns the message";
    }
    const unsigned char* p = first.data();
    std::unique_ptr<X509, decltype(&X509_free)> cert(
        d2i_X509(nullptr, &p, static_cast<long>(first.size())), X509_free);
    if (!cert) {
        return "the first certificate is not DER X.509";
    }
    out.certSubject = nameText(X509_get_subject_name(cert.get()));
    out.certIssuer = nameText(X509_get_issuer_name(cert.get()));
    out.certNotBefore = timeText(X509_get0_notBefore(cert.get()));
    out.certNotAfter = timeText(X509_get0_notAfter(cert.get()));
    return {};
}

} // namespace wst
