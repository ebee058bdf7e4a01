// SPDX-License-Identifier: MIT
#pragma once

#include "capture/tcp/stream_sink.h"
#include "decoder/model/anomaly.h"
#include "decoder/model/trace.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace wst {

/// Where TlsStream's findings go (ConnectionAnalyzer::report in the analysis).
class TlsObserver {
public:
    virtual ~TlsObserver() = default;
    virtual void tlsAnomaly(AnomalyId id, Direction d, const SegmentInfo& at, std::uint64_t offset,
                            std::string detail) = 0;
};

/// True when `b` starts like a ClientHello record: handshake content type 22, version 3.x,
/// and (when present) handshake type 1 (RFC 8446 §5.1, §4.1.2).
bool looksLikeClientHello(Bytes b);
/// True when `b` starts like any TLS record header (content type 20..23, version 3.0..3.4); a
/// prefix of one or two bytes is judged by what it holds.
bool looksLikeTlsRecord(Bytes b);

/// The TLS record layer of one connection, both directions, read without keys: records split
/// across segments or several per segment, the handshake messages in clear (reassembled across
/// records, at most kMaxHandshake bytes each), alerts in clear, and the count of encrypted
/// records. Fills a TlsSummary (docs/tls.md).
///
/// Memory: one partial record per direction (at most 5 + 2^14 + 2048 bytes, RFC 5246 §6.2.3) and
/// one partial handshake message (kMaxHandshake). A complete record inside one segment is read
/// in place, without a copy.
///
/// Gaps: a gap inside a record whose header was read skips to that record's end; a gap that
/// took a header resynchronises on the next plausible record header (tls_record_gap).
class TlsStream {
public:
    static constexpr std::size_t kMaxRecordBody = (1u << 14) + 2048;
    static constexpr std::size_t kMaxHandshake = 256 * 1024;

    explicit TlsStream(TlsObserver& observer);

    void onData(Direction d, std::uint64_t offset, Bytes bytes, const SegmentInfo& info);
    void onGap(Direction d, std::uint64_t offset, std::uint64_t length, const SegmentInfo& info);

    const TlsSummary& summary() const { return m_summary; }
    /// The server's first bytes were not TLS (tls_to_plain_port was reported).
    bool serverNotTls() const { return m_serverNotTls; }
    /// A fatal alert was seen (either direction).
    bool fatalAlert() const { return m_fatalAlert; }
    /// The handshake got as far as encrypted records (or, for TLS 1.2, a ChangeCipherSpec).
    bool encryptedSeen() const { return m_summary.encryptedRecords > 0; }

private:
    struct Side {
        std::vector<std::uint8_t> record;    ///< a record split across segments (header first)
        std::vector<std::uint8_t> handshake; ///< a handshake message split across records
        std::uint64_t skip = 0;              ///< bytes still to drop after a gap inside a record
        bool resync = false;                 ///< look for a record header (after a lost header)
        bool dead = false;                   ///< not TLS any more: ignore the rest
        bool sawBytes = false;
        bool encrypted = false;         ///< handshake records are no longer in clear
        std::uint64_t recordOffset = 0; ///< stream offset of the current record's header
    };

    /// One complete record; `offset` is its header's stream offset.
    void onRecord(Direction d, std::uint8_t type, Bytes body, std::uint64_t offset,
                  const SegmentInfo& info);
    void onHandshakeBytes(Direction d, Bytes body, std::uint64_t offset, const SegmentInfo& info);
    void onHandshakeMessage(Direction d, std::uint8_t type, Bytes body, std::uint64_t offset,
                            const SegmentInfo& info);
    void onAlert(Direction d, Bytes body, std::uint64_t offset, const SegmentInfo& info);
    /// A bad header: reported once, the direction stops.
    void malformed(Direction d, Bytes header, std::uint64_t offset, const SegmentInfo& info);

    TlsObserver& m_observer;
    TlsSummary m_summary;
    std::array<Side, 2> m_side;
    bool m_tls13 = false;
    bool m_serverNotTls = false;
    bool m_fatalAlert = false;
};

} // namespace wst
