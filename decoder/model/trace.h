// SPDX-License-Identifier: MIT
#pragma once

#include "capture/core/packet_source.h"
#include "capture/core/types.h"
#include "decoder/model/anomaly.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wst {

/// How a connection turned out, from the WebSocket point of view.
enum class Outcome : std::uint8_t {
    Upgraded, ///< 101 with a valid handshake; WebSocket frames may follow
    Refused,  ///< an upgrade request answered with a final non-101 status
    /// An upgrade attempt that broke: no answer, a bad 101, a 101 the client rejected (it left
    /// without a frame after an unoffered subprotocol or extension), closed mid-handshake.
    Failed,
    HttpOnly,  ///< plain HTTP, no upgrade requested
    TcpOnly,   ///< no HTTP or WebSocket bytes recognised
    Midstream, ///< picked up after the handshake; recognised by its frames
};

enum class TcpEnd : std::uint8_t { None, Fin, Rst };

struct Header {
    std::string name;  ///< as sent
    std::string value; ///< as sent, surrounding white space removed
};

/// The upgrade request as the client sent it (RFC 6455 §4.1).
struct RequestSummary {
    std::string method;
    std::string target;
    std::string httpVersion; ///< "HTTP/1.1"
    std::string host, origin, userAgent, key, version;
    std::vector<std::string> protocols;  ///< offered subprotocols, in order
    std::vector<std::string> extensions; ///< offered extension offers, verbatim
    std::vector<Header> headers;
    bool isUpgrade = false; ///< asked for websocket (Upgrade or a Sec-WebSocket-Key)
    PacketNumber packet = 0;
    Timestamp time;
};

/// One HTTP response head seen from the server (a connection may have several:
/// hijack_two_responses).
struct ResponseSummary {
    int status = 0;
    std::string reason;
    std::string httpVersion;
    std::string accept, protocol;
    std::vector<std::string> extensions;
    std::string server; ///< Server header
    /// What the bytes support: "gorilla/websocket", "nginx", "node ws", ... or "", and where
    /// two stacks write the same bytes both ("gorilla/websocket or node ws"). A 101's is
    /// narrowed when the connection ends by what the server did later (a Close reply, another
    /// answer; narrowServerFingerprint) and stays "A or B" where nothing tells them apart.
    std::string fingerprint;
    /// The wire facts behind `fingerprint`, "; "-separated: the head's, then any later ones that
    /// narrowed it (or "nothing the server did later tells them apart"), or "".
    std::string fingerprintEvidence;
    std::string bodyPrefix; ///< first bytes of a non-101 body (reasons live there)
    std::vector<Header> headers;
    PacketNumber packet = 0;
    Timestamp time;
};

struct DirectionStats {
    std::uint64_t packets = 0;
    std::uint64_t bytes = 0; ///< TCP payload bytes
    std::uint64_t gaps = 0;
    std::uint64_t gapBytes = 0;
    std::uint64_t frames = 0;
    std::uint64_t messages = 0;
    std::array<std::uint64_t, 16> framesByOpcode{};
    std::array<std::uint64_t, 16> messagesByOpcode{}; ///< by the first frame's opcode
    std::optional<std::uint16_t> closeCode;           ///< from this side's Close frame
    std::string closeReason;
    bool sentClose = false;
    Timestamp closeTime;
    TcpEnd tcpEnd = TcpEnd::None;
    Timestamp tcpEndTime;
};

/// What one peer believed about the upgrade.
enum class Belief : std::uint8_t {
    Unknown,     ///< the bytes do not tell (nothing sent after the handshake, capture ended)
    Upgraded,    ///< it ran WebSocket: the server sent a 101, the client sent frames or Close
    NotUpgraded, ///< it did not: the server answered non-101, the client left or saw a non-101
};

/// One peer's side of a verdict: what it believed and what it did, in plain words.
struct PeerView {
    Belief belief = Belief::Unknown;
    std::string story; ///< "sent 101, 3 messages, Close 1000, then FIN"
};

/// The other leg of a reverse proxy that carried the same upgrade (linked by Sec-WebSocket-Key
/// and time).
struct ProxyLeg {
    ConnId other = 0;
    bool otherIsUpstream = false; ///< `other` is the proxy's connection to the backend
    std::int64_t delayNs = 0;     ///< from the front leg's request to the back leg's
};

/// The conclusion about one connection, decided once from what both peers did
/// (decoder/verdict) and told the same way by every output.
struct Verdict {
    PeerView client, server;
    /// The finding that explains the rest: an index into this connection's stored anomalies
    /// (Trace::anomaliesOf order, which is report order), or -1 when nothing went wrong.
    std::int32_t root = -1;
    std::optional<AnomalyId> rootCause;
    /// Per stored anomaly of this connection, in report order: the index of the finding it is a
    /// consequence of (a repeat of a finding points at its first occurrence), or -1 for a root.
    std::vector<std::int32_t> causedBy;
    /// Root findings (causedBy -1), each counted at the worst severity of itself and what
    /// follows from it (a warning that made the connection fail with an error counts as an
    /// error): what counts, --fail-on and the status bar count.
    std::array<std::uint32_t, 3> rootsBySeverity{};
    /// The root cause's severity counted that way; none when nothing went wrong.
    std::optional<Severity> severity;
    std::string headline; ///< one line: "failed: the server wrote 200 before the 101"
    std::string whatToDo; ///< for the root cause, or ""
    /// gin's Logger (Go) prints 200 for this upgrade although the wire shows 101: only where the
    /// evidence says the server is Go (gorilla/websocket).
    bool accessLogShows200 = false;
    /// The 101's bytes are gorilla/websocket's or node ws' (nothing later told them apart): if
    /// the server is gin + gorilla, its access log prints 200 for this upgrade.
    bool accessLogMayShow200 = false;
};

/// HTTP/2 frame counts per direction and type (RFC 9113 §6: DATA 0 … CONTINUATION 9; index 10
/// counts unknown types).
using Http2FrameCounts = std::array<std::array<std::uint64_t, 11>, 2>;

/// A WebSocket over HTTP/2 (RFC 8441): the HTTP/2 connection and the stream that carried it.
/// Its Connection's stream offsets count the stream's DATA payload bytes per direction; for it,
/// DirectionStats::tcpEnd says how the stream ended that way (Fin: END_STREAM, Rst: RST_STREAM
/// sent by that side) and `client`/`server` are the TCP connection's.
struct Http2Stream {
    ConnId connection = 0; ///< the TCP connection speaking HTTP/2
    std::uint32_t streamId = 0;
    Http2FrameCounts frames{}; ///< the frames on this stream
    /// "end_stream" (END_STREAM both ways), "rst_stream", "goaway", "connection_end" (the TCP
    /// connection or capture ended first), "" while open.
    std::string end;
    std::optional<std::uint32_t> resetCode; ///< RST_STREAM's error code
    std::optional<Direction> resetBy;
};

/// What an HTTP/2 connection carried (docs/http2.md).
struct Http2Summary {
    std::string start;              ///< "prior_knowledge" or "h2c_upgrade"
    Http2FrameCounts frames{};      ///< every frame of the connection
    std::uint32_t streams = 0;      ///< streams opened by a HEADERS frame from the client
    std::vector<ConnId> webSockets; ///< its RFC 8441 streams as connections (at most 4096)
    /// SETTINGS_ENABLE_CONNECT_PROTOCOL as the server last sent it; absent: never sent.
    std::optional<std::uint32_t> enableConnectProtocol;
    std::optional<std::uint32_t> goawayCode; ///< the first GOAWAY's error code
    std::optional<Direction> goawayBy;
};

/// What a TLS connection's plaintext handshake showed (docs/tls.md). Without keys this is all
/// that can be read: TLS 1.3 encrypts everything after the ServerHello, including the server's
/// ALPN choice and its certificate.
struct TlsSummary {
    std::string version; ///< negotiated: "TLS 1.3", "TLS 1.2", or "" (no ServerHello)
    std::vector<std::string>
        offeredVersions; ///< ClientHello supported_versions (or its legacy version)
    std::string sni;     ///< server_name, or ""
    std::vector<std::string> alpnOffered; ///< ClientHello ALPN protocols, in order
    std::string alpnChosen;              ///< ServerHello (TLS 1.2) ALPN, or "" (none, or encrypted)
    std::string cipherSuite;             ///< "TLS_AES_128_GCM_SHA256", or "0x1234" when unnamed
    std::string certSubject, certIssuer; ///< first certificate (TLS 1.2 only: sent in clear)
    std::string certNotBefore, certNotAfter; ///< as "YYYY-MM-DD HH:MM:SS UTC"
    std::vector<std::string> alerts;         ///< "server: fatal handshake_failure (40)", in order
    std::uint64_t encryptedRecords = 0;      ///< application data records both ways (not decrypted)
    std::uint64_t encryptedBytes = 0;        ///< their lengths
    /// Why the WebSocket inside is not shown: "no keys: give the key log with --tls-keylog".
    std::string decryption;
};

struct Connection {
    ConnId id = 0;
    Endpoint client, server;
    Timestamp first, last;
    PacketNumber firstPacket = 0, lastPacket = 0;
    Outcome outcome = Outcome::TcpOnly;
    bool sawSyn = false;
    std::optional<RequestSummary> request;
    std::vector<ResponseSummary> responses;
    std::optional<std::int64_t> handshakeLatencyNs; ///< request's last byte → response head
    std::array<DirectionStats, 2> stats{};          ///< indexed by index(Direction)
    std::optional<Direction> firstClose;            ///< who sent a Close frame first
    std::optional<Direction> firstTcpEnd;           ///< who sent FIN/RST first
    /// Close both ways, neither with a failure code (closeCodeIsFailure), then FIN both ways
    /// and no reset.
    bool cleanClose = false;
    bool deflate = false;                               ///< permessage-deflate negotiated
    std::array<std::uint32_t, 3> anomaliesBySeverity{}; ///< counts, indexed by Severity
    std::vector<AnomalyId> anomalyIds; ///< distinct ids reported, in first-seen order
    /// Occurrences past Limits::anomaliesPerConnectionAndId: counted above, not stored.
    std::uint32_t anomaliesDropped = 0;
    std::vector<std::string> notes; ///< plain-language remarks (fingerprint notes, ...)
    /// The server is Go by evidence: its 101 was narrowed to gorilla/websocket (or is Go
    /// net/http's) by wire facts, never by the ambiguous gorilla-or-node-ws layout alone
    /// (narrowServerFingerprint, decoder/http/fingerprint.h). Decided when the connection ends,
    /// before TraceSink::onConnectionEnd; Go- and gin-specific causes and notes (gin's access log
    /// showing 200, Verdict::accessLogShows200) go only where it is true.
    bool serverIsGo = false;
    std::optional<ProxyLeg> proxyLeg;
    std::optional<Http2Summary> http2;   ///< this TCP connection speaks HTTP/2
    std::optional<Http2Stream> h2stream; ///< this is a WebSocket stream of an HTTP/2 connection
    std::optional<TlsSummary> tls;       ///< set when the client spoke TLS (decoder/tls)
    Verdict verdict;       ///< decided when the connection ends (valid where `finished`)
    bool finished = false; ///< no more events will come

    std::optional<Severity> worstSeverity() const;
};

enum class EventKind : std::uint8_t {
    TcpSyn,
    TcpSynAck,
    TcpFin,
    TcpRst,
    TcpGap,
    HttpRequest,
    HttpResponse,
    Upgrade, ///< both sides switched to WebSocket (after a 101)
    WsFrame,
    WsMessage,
    WsClose,
    Anomaly,
};

/// One point on a connection's timeline. Small and trivially copyable: there are millions.
/// Strings and payloads live in the Trace's side tables and are referenced by index.
struct Event {
    Timestamp time;
    PacketNumber packet = 0;
    std::uint64_t streamOffset = 0; ///< first byte of the item in its direction's stream
    std::uint64_t length = 0;       ///< frame/message payload length, bytes for HTTP heads/gaps
    ConnId connection = 0;
    std::uint32_t ref = 0; ///< index into Trace::messages (WsMessage, WsFrame) or
                           ///< Trace::anomalies (Anomaly); kNoRef otherwise
    EventKind kind = EventKind::TcpSyn;
    Direction direction = Direction::ClientToServer;
    std::uint8_t opcode = 0;     ///< frames/messages
    std::uint8_t frameFlags = 0; ///< bit 0 FIN, 1 RSV1, 2 RSV2, 3 RSV3, 4 MASK
    std::uint16_t closeCode = 0; ///< WsClose (0: no code)
    std::uint16_t status = 0;    ///< HttpResponse status
    /// WsFrame: the header's length on the wire (2..14, RFC 6455 §5.2: tells the payload-length
    /// encoding) and the masking key (zero when not masked), so a frame can be shown as it was
    /// on the wire (GUI frame detail, issue 17). 0 for every other kind.
    std::uint8_t headerLength = 0;
    std::array<std::uint8_t, 4> maskKey{};

    static constexpr std::uint32_t kNoRef = 0xffffffff;
};

namespace frameflag {
inline constexpr std::uint8_t Fin = 1, Rsv1 = 2, Rsv2 = 4, Rsv3 = 8, Mask = 16;
}

/// A complete WebSocket message (or a control frame), with a capped payload prefix.
struct Message {
    ConnId connection = 0;
    Direction direction = Direction::ClientToServer;
    std::uint8_t opcode = 0;
    bool compressed = false; ///< permessage-deflate (RSV1 on the first frame)
    bool complete = true;    ///< false if cut by a gap or the end of the capture
    /// A text message whose every byte the decoder checked and found valid UTF-8, so a
    /// `payload` of `length` bytes needs no second check (exporters); false when not known.
    bool validText = false;
    std::uint32_t frames = 1;
    std::uint64_t wireLength = 0; ///< payload bytes on the wire, all frames
    std::uint64_t length = 0;     ///< after decompression
    Timestamp first, last;
    PacketNumber firstPacket = 0, lastPacket = 0;
    std::string payload; ///< unmasked, decompressed prefix (Limits::payloadPrefixBytes)
};

/// Totals for a whole capture run.
struct CaptureStats {
    std::uint64_t packets = 0;
    std::uint64_t bytes = 0; ///< captured bytes
    std::uint64_t tcpPackets = 0;
    std::uint64_t undecodable = 0;
    /// A live capture's kernel counters, read when the run ends (PacketSource::counters());
    /// std::nullopt for files and replays, which cannot drop packets.
    std::optional<SourceCounters> kernel;
    Timestamp first, last;
    std::string source;
    std::string error; ///< a read error that ended the capture early, or ""
};

std::string_view toString(Outcome o);
std::string_view toString(Belief b); ///< "upgraded", "not_upgraded", "unknown" (JSON, goldens)
/// The response the client acted on: the first final answer to its request, a 101 or a status
/// of 200 and above (1xx interim heads come before it, RFC 9110 §15.2). After "200 then 101"
/// that is the 200; after "101 then HTTP text" the 101. Null when no final answer was captured.
/// Every output (HAR entry, handshake checks, ladder label, verdict) reads this one.
const ResponseSummary* responseActedOn(const Connection& c);
/// The label of a connection's switch to WebSocket (its Upgrade event), true for both peers:
/// "switched to WebSocket" where both ran WebSocket; where only the server did (the client
/// failed the connection), what the client saw: "server switched to WebSocket; the client saw
/// 200 and failed" (200 then 101), "...; the client failed the handshake" (a 101 it rejected).
std::string upgradeLabel(const Connection& c);
std::string_view toString(EventKind k);
std::string_view toString(TcpEnd e);
std::string_view opcodeName(std::uint8_t opcode); ///< "text", "binary", "close", ... "0x3"
std::string_view toString(Direction d);           ///< "c2s" / "s2c"

} // namespace wst
