// SPDX-License-Identifier: MIT
#pragma once

#include "capture/core/types.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace wst {

enum class Severity : std::uint8_t { Info = 0, Warning = 1, Error = 2 };

/// Every anomaly wstrace can report. The ids are stable (they appear in JSON, CSV, docs and
/// `--fail-on` gates); the text for each lives in the catalog (anomaly_catalog.cpp), which is
/// also the only place that decides severity. Families: capture_, tcp_, http_, ws_handshake_,
/// ws_frame_, ws_close_, ws_deflate_, hijack_, h2_, tls_.
enum class AnomalyId : std::uint16_t {
    // capture: packets that could not be decoded
    CaptureTruncatedPacket,
    CapturePacketUndecodable,
    CaptureIpFragment,
    CaptureTimeBackwards,    ///< a packet older than the one before it (time clamped)
    CaptureTimestampInvalid, ///< a sub-second field of a second or more
    // tcp
    TcpPartialConnection,
    TcpGap,
    TcpOverlapConflict,
    TcpBufferLimitExceeded,
    TcpDataAfterFin,
    TcpDataAfterRst,
    TcpRstOutOfWindow,  ///< RST outside the receive window: ignored (RFC 5961 §3)
    TcpFinOutOfWindow,  ///< FIN out of sequence order: ignored (RFC 9293 §3.10.7.4)
    TcpSynInConnection, ///< SYN with a new ISN inside a synchronized connection (RFC 5961 §4)
    TcpRstDuringHandshake,
    TcpHalfOpen, ///< one side kept sending, the other sent not even an ACK
    // http
    HttpHeadMalformed,
    HttpHeadTooLarge,
    HttpBodyMalformed,
    HttpUpgradeRefused,    ///< final non-101 answer to an upgrade request
    HttpUpgradeIgnored,    ///< 200 and nothing else
    HttpUpgradeRedirected, ///< 3xx answer to an upgrade request
    HttpNoResponse,        ///< request never answered before close / capture end
    HttpUpgradeStripped,   ///< WebSocket key without Upgrade/Connection: proxy dropped them
    HttpVersionRejected,   ///< 426 / 400 with Sec-WebSocket-Version list
    HttpHttp2Connection,   ///< (info) HTTP/2 that wstrace cannot decode (TLS without keys)
    // tls: RFC 8446 / RFC 5246 record layer and handshake, read without keys (docs/tls.md)
    TlsEncrypted,          ///< (info) TLS, no keys: the HTTP and WebSocket inside are not shown
    TlsAlert,              ///< an alert record in clear (fatal or warning)
    TlsHttpToTlsPort,      ///< plain HTTP sent to a TLS server
    TlsToPlainPort,        ///< a TLS ClientHello sent to a plain HTTP server
    TlsRecordGap,          ///< bytes lost inside or between TLS records
    TlsRecordMalformed,    ///< a record header that is not TLS, or too long
    TlsHandshakeMalformed, ///< a handshake message that does not parse
    // ws_handshake: RFC 6455 §4 request and response rules
    WsHandshakeBadMethod,
    WsHandshakeBadHttpVersion,
    WsHandshakeMissingHost,
    WsHandshakeMissingUpgrade,
    WsHandshakeMissingConnection,
    WsHandshakeMissingKey,
    WsHandshakeBadKey,
    WsHandshakeMultipleKey,
    WsHandshakeBadVersion,
    WsHandshakeResponseMissingUpgrade,
    WsHandshakeResponseMissingConnection,
    WsHandshakeMissingAccept,
    WsHandshakeMultipleAccept,
    WsHandshakeWrongAccept,
    WsHandshakeUnofferedSubprotocol,
    WsHandshakeSubprotocolNotChosen,
    WsHandshakeUnofferedExtension,
    WsHandshakeResponseBodyHeaders, ///< body or content-coding headers on a 101
    WsHandshakeEarlyClientData,     ///< client frame bytes before the 101
    WsHandshakeNotSeen,             ///< frames recognised without a captured handshake
    // ws_frame: RFC 6455 §5
    WsFrameClientUnmasked,
    WsFrameServerMasked,
    WsFrameRsvWithoutExtension,
    WsFrameReservedOpcode,
    WsFrameControlTooLarge,
    WsFrameControlFragmented,
    WsFrameLengthNotMinimal,
    WsFrameLengthMsbSet,
    WsFrameContinuationWithoutStart,
    WsFrameInterleavedMessage,
    WsFrameInvalidUtf8,
    WsFrameAfterClose,
    WsFrameDesyncAfterGap,
    WsFrameResynced,
    WsFramePingUnanswered,
    WsFrameAfterFailedHandshake,
    // ws_close: RFC 6455 §5.5.1, §7
    WsClosePayloadOneByte,
    WsCloseCodeInvalid,
    WsCloseCodeReservedOnWire,
    WsCloseReasonInvalidUtf8,
    WsCloseNotAnswered,
    WsCloseMissing, ///< TCP ended (FIN/RST) without any Close frame
    WsCloseAbnormal,
    WsCloseIdleTimeout, ///< server side closed TCP after a well-known idle time, no Close
    // ws_deflate: RFC 7692
    WsDeflateBadParameters,
    WsDeflateError,
    WsDeflateSizeLimit,
    WsDeflateBudgetExceeded, ///< the connection's or capture's decompression work budget
    WsDeflateControlCompressed,
    // hijack: patterns from Go net/http's Hijack and frameworks around it
    HijackTwoResponses,       ///< a response head, then another (200 then 101, 101 then 500)
    HijackHttpInWebSocket,    ///< "HTTP/1." where a frame header should be
    HijackClosedAfterUpgrade, ///< TCP closed right after the 101, no Close frame
    HijackErrorWithOutput,    ///< error response with application output appended
    HijackNotSupported,       ///< 500 from gorilla: the writer is not a Hijacker
    // h2: HTTP/2 frames (RFC 9113) and WebSocket over HTTP/2 (RFC 8441)
    H2PrefaceInvalid,
    H2FrameMalformed,
    H2FrameTooLarge,
    H2HeaderBlockTooLarge, ///< CONTINUATION flood or an oversized header list
    H2HpackError,          ///< HPACK decoding failed (table-size bomb, bad index)
    H2SettingsFlood,
    H2DesyncAfterGap,
    H2WsConnectNotEnabled, ///< extended CONNECT before SETTINGS_ENABLE_CONNECT_PROTOCOL=1
    H2WsConnectRefused,    ///< a non-2xx answer to an extended CONNECT
    H2WsStatus101,         ///< a 101 on HTTP/2 (forbidden, RFC 9113 §8.6)
    H2WsConnectMalformed,  ///< pseudo-headers of the extended CONNECT wrong or missing
    H2WsStreamReset,       ///< RST_STREAM ended a WebSocket stream without a Close handshake
    H2WsStreamResetMidMessage,
    H2WsGoawayOpenStreams, ///< GOAWAY while WebSocket streams were open
    Count_
};

inline constexpr std::size_t kAnomalyIdCount = static_cast<std::size_t>(AnomalyId::Count_);

/// The fixed text of one anomaly kind (one row of the catalog table).
struct AnomalyInfo {
    AnomalyId id;
    std::string_view name; ///< stable snake_case id, e.g. "ws_handshake_wrong_accept"
    Severity severity;
    std::string_view title;       ///< a short phrase for lists
    std::string_view rfc;         ///< "RFC 6455 §4.2.2" or "" when no clause applies
    std::string_view explanation; ///< what happened, in plain words
    std::string_view causes;      ///< likely causes, most common first, one per line
    std::string_view hint;        ///< what to do about it
};

/// The whole catalog, ordered by AnomalyId.
std::span<const AnomalyInfo> anomalyCatalog();
const AnomalyInfo& anomalyInfo(AnomalyId id);
std::string_view anomalyName(AnomalyId id);
std::optional<AnomalyId> anomalyFromName(std::string_view name);
std::string_view toString(Severity s);
std::optional<Severity> severityFromName(std::string_view name);

/// The likely causes of one catalog row as a list, most common first: the lines of
/// AnomalyInfo::causes, empty lines left out. The views point into the catalog's static text.
/// Every place that shows causes (docs, HTML report, GUI) lists them through this.
std::vector<std::string_view> likelyCauses(const AnomalyInfo& info);

/// The whole catalog as Markdown (docs/anomalies.md is this text, checked by a test; also
/// `wstrace --list-anomalies --format markdown`). Deterministic.
std::string anomalyCatalogMarkdown();

/// One occurrence of an anomaly.
struct Anomaly {
    AnomalyId id = AnomalyId::Count_;
    ConnId connection = 0;              ///< 0 for capture-level anomalies
    std::optional<Direction> direction; ///< absent when it concerns the connection as a whole
    Timestamp time;
    PacketNumber packet = 0;        ///< the packet where it shows, 0 if none
    std::uint64_t streamOffset = 0; ///< byte offset in `direction`'s stream
    std::string detail;             ///< "expected=…, found=…"

    Severity severity() const { return anomalyInfo(id).severity; }
};

/// Anomaly `id` as its detector sees it: where it shows (`at`: packet and capture time), its
/// `direction` and byte `streamOffset` (0 when neither applies) and its detail. The connection
/// is left 0: whoever reports it for a connection fills it in.
inline Anomaly makeAnomaly(AnomalyId id, std::optional<Direction> direction, const SegmentInfo& at,
                           std::uint64_t streamOffset, std::string detail) {
    Anomaly a;
    a.id = id;
    a.direction = direction;
    a.time = at.time;
    a.packet = at.packet;
    a.streamOffset = streamOffset;
    a.detail = std::move(detail);
    return a;
}

} // namespace wst
