// SPDX-License-Identifier: MIT
// The TLS record layer read without keys (RFC 8446 §5.1, RFC 5246 §6.2): record framing, the
// handshake in clear, alerts. Content types: 20 change_cipher_spec, 21 alert, 22 handshake,
// 23 application_data.
#include "decoder/tls/tls_stream.h"

#include "decoder/tls/tls_handshake.h"

#include <algorithm>
#include <fmt/format.h>

namespace wst {
namespace {

constexpr std::uint8_t kCcs = 20, kAlert = 21, kHandshake = 22, kAppData = 23;
constexpr std::size_t kHeader = 5;

bool plausibleHeader(Bytes b) {
    return b.size() >= 3 && b[0] >= kCcs && b[0] <= kAppData && b[1] == 3 && b[2] <= 4;
}

std::size_t recordLength(Bytes h) {
    return (static_cast<std::size_t>(h[3]) << 8) | h[4];
}

std::string_view sideName(Direction d) {
    return d == Direction::ClientToServer ? "client" : "server";
}

} // namespace

bool looksLikeTlsRecord(Bytes b) {
    if (!b.empty() && b.size() < 3) {
        return b[0] >= kCcs && b[0] <= kAppData && (b.size() < 2 || b[1] == 3);
    }
    return plausibleHeader(b);
}

bool looksLikeClientHello(Bytes b) {
    if (!b.empty() && b.size() < 3) {
        // A segment of one or two bytes: 0x16 (then 3) starts no HTTP or WebSocket stream.
        return b[0] == kHandshake && (b.size() < 2 || b[1] == 3);
    }
    return plausibleHeader(b) && b[0] == kHandshake && (b.size() < 6 || b[5] == tlshs::ClientHello);
}

TlsStream::TlsStream(TlsObserver& observer)
    : m_observer(observer) {}

void TlsStream::malformed(Direction d, Bytes header, std::uint64_t offset,
                          const SegmentInfo& info) {
    Side& s = m_side[index(d)];
    s.dead = true;
    std::string hex;
    for (std::size_t i = 0; i < std::min<std::size_t>(header.size(), kHeader); ++i) {
        hex += fmt::format("{:02x}", header[i]);
    }
    m_observer.tlsAnomaly(AnomalyId::TlsRecordMalformed, d, info, offset,
                          fmt::format("expected=a TLS record header (type 20..23, version 3.x, "
                                      "length <= {}), found={}",
                                      kMaxRecordBody, hex));
}

void TlsStream::onData(Direction d, std::uint64_t offset, Bytes bytes, const SegmentInfo& info) {
    Side& s = m_side[index(d)];
    if (!s.sawBytes) {
        s.sawBytes = true;
        if (d == Direction::ServerToClient && !looksLikeTlsRecord(bytes)) {
            // RFC 8446 §4.1.2: the answer to a ClientHello is a TLS record. Plain text here is a
            // server that does not speak TLS on this port.
            m_serverNotTls = true;
            s.dead = true;
            const auto* c = reinterpret_cast<const char*>(bytes.data());
            std::string_view first(c, std::min<std::size_t>(bytes.size(), 80));
            first = first.substr(0, first.find_first_of("\r\n"));
            std::string shown;
            for (char ch : first) {
                shown += (ch >= 0x20 && ch < 0x7f) ? ch : '.';
            }
            m_observer.tlsAnomaly(AnomalyId::TlsToPlainPort, d, info, offset,
                                  fmt::format("expected=a TLS ServerHello, found=\"{}\"", shown));
            return;
        }
    }
    while (!bytes.empty() && !s.dead) {
        if (s.skip > 0) {
            const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(s.skip, bytes.size()));
            s.skip -= n;
            bytes = bytes.subspan(n);
            offset += n;
            continue;
        }
        if (s.resync) {
            // After a lost header: the next byte triple that reads as a record header.
            std::size_t at = 0;
            while (at + 3 <= bytes.size() && !plausibleHeader(bytes.subspan(at))) {
                ++at;
            }
            if (at + 3 > bytes.size()) {
                // Keep the last two bytes' chance: a header may straddle segments; losing it
                // costs one more record at most.
                return;
            }
            s.resync = false;
            bytes = bytes.subspan(at);
            offset += at;
        }
        if (s.record.empty() && bytes.size() >= kHeader) {
            // Fast path: a whole record in this segment is read in place.
            if (!plausibleHeader(bytes) || recordLength(bytes) > kMaxRecordBody) {
                malformed(d, bytes, offset, info);
                return;
            }
            const std::size_t total = kHeader + recordLength(bytes);
            if (bytes.size() >= total) {
                onRecord(d, bytes[0], bytes.subspan(kHeader, total - kHeader), offset, info);
                bytes = bytes.subspan(total);
                offset += total;
                continue;
            }
        }
        // Buffer the partial record (bounded: header + kMaxRecordBody).
        if (s.record.empty()) {
            s.recordOffset = offset;
        }
        std::size_t want = kHeader;
        if (s.record.size() >= kHeader) {
            want = kHeader + recordLength(s.record);
        }
        std::size_t n = std::min(bytes.size(), want - s.record.size());
        s.record.insert(s.record.end(), bytes.begin(), bytes.begin() + static_cast<long>(n));
        bytes = bytes.subspan(n);
        offset += n;
        if (s.record.size() == kHeader) {
            if (!plausibleHeader(s.record) || recordLength(s.record) > kMaxRecordBody) {
                malformed(d, s.record, s.recordOffset, info);
                s.record.clear();
                return;
            }
            want = kHeader + recordLength(s.record);
            const std::size_t more = std::min(bytes.size(), want - s.record.size());
            s.record.insert(s.record.end(), bytes.begin(), bytes.begin() + static_cast<long>(more));
            bytes = bytes.subspan(more);
            offset += more;
        }
        if (s.record.size() >= kHeader && s.record.size() == kHeader + recordLength(s.record)) {
            onRecord(d, s.record[0], Bytes(s.record).subspan(kHeader), s.recordOffset, info);
            s.record.clear(); // capacity kept: no allocation per record
        }
    }
}

void TlsStream::onGap(Direction d, std::uint64_t offset, std::uint64_t length,
                      const SegmentInfo& info) {
    Side& s = m_side[index(d)];
    if (s.dead) {
        return;
    }
    s.sawBytes = true;
    s.handshake.clear(); // a handshake message across the gap cannot be completed
    std::string how;
    if (s.skip > 0) {
        // Already inside a record being skipped.
        const std::uint64_t within = std::min(s.skip, length);
        s.skip -= within;
        if (within < length) {
            s.resync = true;
        }
        how =
            s.resync ? "resynchronising on the next record header" : "skipping to the record's end";
    } else if (s.record.size() >= kHeader) {
        // The header was read: the next record starts at its end (RFC 8446 §5.1 framing).
        const std::uint64_t end = s.recordOffset + kHeader + recordLength(s.record);
        if (offset + length <= end) {
            s.skip = end - (offset + length);
            how = fmt::format("resuming at the next record, offset {}", end);
        } else {
            s.resync = true;
            how = "resynchronising on the next record header";
        }
        s.record.clear();
    } else {
        s.record.clear();
        s.resync = true;
        how = "resynchronising on the next record header";
    }
    m_observer.tlsAnomaly(AnomalyId::TlsRecordGap, d, info, offset,
                          fmt::format("missing={} bytes at offset {}; {}", length, offset, how));
}

void TlsStream::onRecord(Direction d, std::uint8_t type, Bytes body, std::uint64_t offset,
                         const SegmentInfo& info) {
    Side& s = m_side[index(d)];
    switch (type) {
    case kHandshake:
        if (s.encrypted) {
            // TLS 1.2 Finished after ChangeCipherSpec: encrypted.
            ++m_summary.encryptedRecords;
            m_summary.encryptedBytes += body.size();
        } else {
            onHandshakeBytes(d, body, offset, info);
        }
        break;
    case kCcs:
        // TLS 1.2: what follows from this side is encrypted (RFC 5246 §7.1). TLS 1.3 sends one
        // for middlebox compatibility only (RFC 8446 §D.4); its records are 23 anyway.
        s.encrypted = true;
        break;
    case kAlert:
        if (s.encrypted || body.size() != 2) {
            ++m_summary.encryptedRecords;
            m_summary.encryptedBytes += body.size();
        } else {
            onAlert(d, body, offset, info);
        }
        break;
    case kAppData:
        ++m_summary.encryptedRecords;
        m_summary.encryptedBytes += body.size();
        break;
    default:
        break;
    }
}

void TlsStream::onHandshakeBytes(Direction d, Bytes body, std::uint64_t offset,
                                 const SegmentInfo& info) {
    Side& s = m_side[index(d)];
    // Fast path: whole messages inside this record, nothing buffered.
    while (s.handshake.empty() && body.size() >= 4) {
        const std::size_t len = (static_cast<std::size_t>(body[1]) << 16) |
                                (static_cast<std::size_t>(body[2]) << 8) | body[3];
        if (body.size() < 4 + len) {
            break;
        }
        onHandshakeMessage(d, body[0], body.subspan(4, len), offset, info);
        body = body.subspan(4 + len);
        if (s.encrypted) {
            return;
        }
    }
    if (body.empty()) {
        return;
    }
    if (s.handshake.size() + body.size() > kMaxHandshake + 4) {
        s.handshake.clear();
        s.dead = true;
        m_observer.tlsAnomaly(AnomalyId::TlsHandshakeMalformed, d, info, offset,
                              fmt::format("a handshake message over {} bytes; stopped reading "
                                          "this direction",
                                          kMaxHandshake));
        return;
    }
    s.handshake.insert(s.handshake.end(), body.begin(), body.end());
    while (s.handshake.size() >= 4) {
        const std::size_t len = (static_cast<std::size_t>(s.handshake[1]) << 16) |
                                (static_cast<std::size_t>(s.handshake[2]) << 8) | s.handshake[3];
        if (len > kMaxHandshake) {
            const std::uint8_t type = s.handshake[0];
            s.handshake.clear();
            s.dead = true;
            m_observer.tlsAnomaly(AnomalyId::TlsHandshakeMalformed, d, info, offset,
                                  fmt::format("handshake message type {} of {} bytes, over {}",
                                              type, len, kMaxHandshake));
            return;
        }
        if (s.handshake.size() < 4 + len) {
            return;
        }
        onHandshakeMessage(d, s.handshake[0], Bytes(s.handshake).subspan(4, len), offset, info);
        s.handshake.erase(s.handshake.begin(), s.handshake.begin() + static_cast<long>(4 + len));
        if (s.encrypted) {
            s.handshake.clear();
            return;
        }
    }
}

void TlsStream::onHandshakeMessage(Direction d, std::uint8_t type, Bytes body, std::uint64_t offset,
                                   const SegmentInfo& info) {
    std::string error;
    if (d == Direction::ClientToServer && type == tlshs::ClientHello) {
        error = parseClientHello(body, m_summary);
    } else if (d == Direction::ServerToClient && type == tlshs::ServerHello) {
        error = parseServerHello(body, m_summary);
        if (error.empty() && m_summary.version == "TLS 1.3") {
            // RFC 8446 §2: everything after the ServerHello is encrypted, both ways.
            m_tls13 = true;
            m_side[index(Direction::ServerToClient)].encrypted = true;
        }
    } else if (d == Direction::ServerToClient && type == tlshs::Certificate && !m_tls13 &&
               m_summary.certSubject.empty()) {
        error = parseCertificate(body, m_summary);
    }
    if (!error.empty()) {
        m_observer.tlsAnomaly(AnomalyId::TlsHandshakeMalformed, d, info, offset, error);
    }
}

void TlsStream::onAlert(Direction d, Bytes body, std::uint64_t offset, const SegmentInfo& info) {
    const std::uint8_t level = body[0], description = body[1];
    const bool fatal = level == 2;
    const std::string text = fmt::format("{}: {} {} ({})", sideName(d), fatal ? "fatal" : "warning",
                                         alertName(description), description);
    if (m_summary.alerts.size() < 16) {
        m_summary.alerts.push_back(text);
    }
    if (description == 0 && !fatal) {
        return; // close_notify: the orderly end of a TLS connection
    }
    m_fatalAlert = m_fatalAlert || fatal;
    m_observer.tlsAnomaly(AnomalyId::TlsAlert, d, info, offset, text);
}

} // namespace wst
