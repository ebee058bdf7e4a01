// SPDX-License-Identifier: MIT
#pragma once

#include "capture/core/limits.h"
#include "capture/tcp/flow_table.h"
#include "decoder/analysis/anomaly_limit.h"
#include "decoder/analysis/deferred/client_rejected_upgrade.h"
#include "decoder/analysis/deferred/close_not_answered.h"
#include "decoder/analysis/deferred/early_client_data.h"
#include "decoder/analysis/deferred/end_without_close.h"
#include "decoder/analysis/deferred/gin_logs_200.h"
#include "decoder/analysis/deferred/half_open.h"
#include "decoder/analysis/deferred/unanswered_upgrade.h"
#include "decoder/analysis/deferred/upgrade_refusal.h"
#include "decoder/analysis/proxy_legs.h"
#include "decoder/analysis/ws_stream.h"
#include "decoder/http/http_head_parser.h"
#include "decoder/model/deflate_params.h"
#include "decoder/model/trace_sink.h"
#include "decoder/tls/tls_stream.h"
#include "decoder/verdict/verdict.h"
#include "decoder/ws/inflate_budget.h"

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace wst {

class HttpReader;
class Http2Session;
class WsSession;
struct WsFrame;

/// Follows one TCP connection through its phases — TCP, HTTP (request, responses, bodies),
/// WebSocket (frames and messages both ways) — and reports events, anomalies and the
/// Connection summary to a TraceSink, in capture order. It recognises the mismatch and hijack
/// patterns that need the whole connection in view (http_upgrade_*, http_no_response,
/// hijack_*, ws_close_*, tcp_half_open; docs/anomalies.md); per-frame and per-header rules come
/// from decoder/http and decoder/ws. A proxy's two legs are linked through ProxyLegs
/// (proxy_legs.h), shared by all connections: Connection::proxyLeg, http_upgrade_stripped and
/// the refusal across legs, and the proxy's idle timeout measured from both legs.
///
/// This class keeps the phase dispatch; the patterns that wait for later evidence are types of
/// their own in decoder/analysis/deferred/ (deferred.h says how to add one), fed from here.
/// Every anomaly leaves through report(Anomaly&&).
///
/// Memory per connection is bounded: one HTTP head per direction (Limits::httpHeadBytes), the
/// client bytes sent before the 101 (same bound), one message prefix per direction
/// (Limits::payloadPrefixBytes), a few pings, and at most Limits::anomaliesPerConnectionAndId
/// anomalies per id (the rest are counted in Connection::anomaliesDropped).
///
/// Frame and message rules, inflation and ping pairing are WsSession's (decoder/ws); this class
/// feeds it through one WsStream per direction and turns its reports into events.
class ConnectionAnalyzer final : public StreamSink, private WsStreamOwner, private TlsObserver {
public:
    ConnectionAnalyzer(const ConnectionInfo& info, TraceSink& sink, const Limits& limits);
    ~ConnectionAnalyzer() override;
    ConnectionAnalyzer(const ConnectionAnalyzer&) = delete;
    ConnectionAnalyzer& operator=(const ConnectionAnalyzer&) = delete;

    // StreamSink
    void onSyn(Direction dir, bool withAck, const SegmentInfo& info) override;
    void onData(Direction dir, std::uint64_t offset, Bytes bytes, const SegmentInfo& info) override;
    void onGap(Direction dir, std::uint64_t offset, std::uint64_t length,
               const SegmentInfo& info) override;
    void onClose(Direction dir, CloseReason reason, const SegmentInfo& info) override;
    void onNotice(Direction dir, TcpNotice notice, const SegmentInfo& info, std::uint64_t offset,
                  std::uint64_t value) override;
    /// Every segment as captured: DirectionStats::packets and ::bytes (payload on the wire,
    /// retransmissions included).
    void onSegment(Direction dir, const TcpSegment& segment, const SegmentInfo& info) override;

    /// Draws the final conclusions (pending refusals, unanswered Close and pings, outcome) and
    /// calls TraceSink::onConnectionEnd. Later calls do nothing.
    void finish(const SegmentInfo& last);

    const Connection& connection() const { return m_conn; }

    /// Proxy legs: upgrade requests are matched against the proxy's forwarded copies.
    void setProxyLegs(ProxyLegs* legs) { m_legs = legs; }
    /// The capture's decompression budget (Limits::inflateWorkPerCapture), shared by every
    /// connection; must outlive this one. Null: only the per-connection budget applies.
    void setInflateBudget(InflateBudget* budget) { m_captureInflate = budget; }
    /// Where the connections of this one's RFC 8441 WebSocket streams get their ids (the
    /// Analyzer's: dense, shared with the TCP connections). Without it HTTP/2 streams are
    /// counted, not turned into connections.
    void setIdAllocator(std::function<ConnId()> newId) { m_newId = std::move(newId); }
    /// This connection's upgrade request was forwarded as `upstream`'s request (the link's
    /// delay later): sets Connection::proxyLeg (and says so with onConnectionUpdate). A copy
    /// without Upgrade/Connection (`link.stripped`) gets a note naming the proxy when the
    /// connection ends.
    void noteUpstreamLeg(ConnId upstream, const ProxyLegs::Link& link);
    /// The backend's first final status on the upstream leg (101 or a refusal): a refusal this
    /// connection's answer repeats is explained in its notes.
    void noteUpstreamAnswer(int status);
    /// ProxyIdleTimeout matched this connection's TCP end with its other leg's.
    void noteProxyIdleTimeout(const ProxyIdleTimeout::Match& m);

private:
    enum class Mode : std::uint8_t {
        Detect,       ///< no SYN seen: decide from the first bytes (HTTP, frames, or nothing)
        Http,         ///< HTTP heads and bodies
        AwaitUpgrade, ///< client side after an upgrade request: hold bytes until the answer
        WebSocket,    ///< frames
        Http2,        ///< HTTP/2 frames (Http2Session; docs/http2.md)
        Opaque,       ///< nothing more to understand in this direction
    };
    struct Side {
        Mode mode = Mode::Http;
        std::unique_ptr<HttpReader> http;
        std::unique_ptr<WsStream> ws;
        std::uint64_t framesAtUpgrade = 0;
    };
    /// Client bytes that arrived after the upgrade request and before its answer.
    struct PendingChunk {
        std::uint64_t offset = 0;
        std::uint64_t length = 0;
        std::size_t at = 0; ///< index into m_pending; unused for gaps
        bool gap = false;
        SegmentInfo info;
    };

    // connection_analyzer.cpp: dispatch, TCP, reporting
    /// TLS (decoder/tls): the client's first bytes are a ClientHello. From then on the bytes go
    /// to m_tls; true when this call started it.
    bool startTls(Direction& d, Bytes bytes);
    /// Plain HTTP sent to a TLS port: the server's first bytes after a request are a TLS alert
    /// or a TLS server's "plain HTTP to HTTPS port" 400 (tls_http_to_tls_port).
    void checkHttpToTlsPort(Direction d, std::uint64_t offset, Bytes bytes,
                            const SegmentInfo& info);
    /// At the end: the TLS summary into the Connection, tls_encrypted when nothing failed.
    void concludeTls(const SegmentInfo& last);
    void tlsAnomaly(AnomalyId id, Direction d, const SegmentInfo& at, std::uint64_t offset,
                    std::string detail) override {
        report(id, d, at, offset, std::move(detail));
    }
    void dispatch(Direction d, std::uint64_t offset, Bytes bytes, const SegmentInfo& info);
    Direction decideMode(Direction d, Bytes bytes, const SegmentInfo& info);
    void flip();
    void startWebSocket(Direction d, bool midstream);
    /// The one way out for an anomaly of this connection, found here or by WsSession: counts
    /// it in the Connection, applies the per-id limit, and sends it with its timeline event.
    void report(Anomaly&& anomaly);
    /// report(makeAnomaly(...)), for the patterns found here.
    void report(AnomalyId id, std::optional<Direction> d, const SegmentInfo& at,
                std::uint64_t offset, std::string detail) {
        report(makeAnomaly(id, d, at, offset, std::move(detail)));
    }
    /// The id was reported on this connection (kept or dropped by the limit).
    bool reported(AnomalyId id) const { return m_anomalyLimit.count(id) > 0; }
    void emit(Event e, const Message* message = nullptr);
    void update() { m_sink.onConnectionUpdate(m_conn); }
    Direction map(Direction d) const { return m_flipped ? opposite(d) : d; }

    // connection_http.cpp: the HTTP phase and the refusal patterns
    std::size_t httpStep(Direction d, std::uint64_t offset, Bytes bytes, const SegmentInfo& info);
    /// HTTP/2 preface or h2c upgrade: true when the head starts HTTP/2 (both directions go to
    /// Mode::Http2 and the bytes after the head are HTTP/2's).
    bool http2Step(Direction d, const HttpReader& r);
    void startHttp2(std::string_view start, std::string_view clientPreface);
    /// The timeline event of an HTTP head the reader just completed (request or response).
    Event headEvent(const HttpReader& r, EventKind kind, Direction d) const;
    void onRequestHead(const HttpReader& r);
    /// Returns true when the direction switched to WebSocket at the head's end.
    bool onResponseHead(const HttpReader& r);
    std::size_t onHttpError(Direction d, std::size_t at, Bytes bytes, std::uint64_t offset,
                            const SegmentInfo& info, bool inBody);
    void onResponseBodyDone(const HttpReader& r);
    void holdEarlyClientBytes(std::uint64_t offset, Bytes bytes, const SegmentInfo& info);
    void releasePending(bool upgraded);
    /// What the client sent while its upgrade request waited, for http_no_response ("" when it
    /// is not waiting or sent nothing).
    std::string clientSentWhileWaiting() const;
    /// At the end, with no answer: the held client bytes, if all frames, go to a WebSocket
    /// decoder so the client's frames are counted.
    void decodeUnansweredClientFrames();
    void resolveEarlyData(bool confirmed);
    void resolvePendingAnswer(bool connectionEnding);
    ResponseSummary summarise(const HttpHead& head, const SegmentInfo& start) const;
    void upgradeBothWays(const HttpHead& response, const SegmentInfo& start, bool secondResponse);

    // connection_ws.cpp: WsSession reports, WsStreamOwner, close patterns
    void createSession(bool handshakeSeen);
    void sessionFrame(const WsFrame& f);
    void sessionMessage(const Message& m, std::uint64_t offset);
    void flushControlFrame(const Message* m);
    void wsHttpHead(Direction d, const HttpHead& head, const SegmentInfo& start,
                    std::uint64_t offset) override;
    void wsHttpGarbage(Direction d, std::string_view reason, const SegmentInfo& at,
                       std::uint64_t offset) override;
    void wsRecognised(Direction d, bool masked, const SegmentInfo& at, std::uint64_t offset,
                      std::uint64_t skipped) override;
    WsSession* wsSession() override { return m_session.get(); }
    void onTcpEnd(Direction d, bool rst, const SegmentInfo& info);
    void onPeerReset(Direction d, const SegmentInfo& info);
    void closeAbnormal(Direction d, const SegmentInfo& info, std::string detail);
    void concludeClose(const SegmentInfo& last);
    /// The first end without a Close frame, for ProxyIdleTimeout.
    void noteLegEnd(Direction d, const SegmentInfo& info, Timestamp lastActivity,
                    std::size_t outstandingPings);
    /// The proxy-leg note of a client leg, or "" (connection_http.cpp).
    std::string proxyLegNote() const;
    /// hijack_closed_after_upgrade's likely cause, from the stacks the 101 leaves possible.
    std::string_view closedAfterUpgradeCause() const;
    /// At the end: narrows each ambiguous 101's fingerprint by what the server did later
    /// (narrowServerFingerprint) and sets Connection::serverIsGo.
    void narrowFingerprints();
    bool webSocketPhase() const;

    class SessionObserver;
    friend class SessionObserver;

    TraceSink& m_sink;
    const Limits& m_limits;
    Connection m_conn;
    std::array<Side, 2> m_side;
    std::array<std::uint64_t, 2> m_delivered{}; ///< in-order bytes given to onData
    std::array<std::uint64_t, 2> m_streamEnd{}; ///< stream offset after the last byte or gap
    bool m_flipped = false;
    bool m_roleKnown = false;
    bool m_finished = false;
    /// The stored findings, in report order, for the verdict decided at the end.
    std::vector<VerdictFinding> m_findings;
    GinLogs200::Conclusion m_accessLog200 = GinLogs200::Conclusion::None;

    // HTTP phase
    std::uint32_t m_requests = 0;
    std::uint32_t m_finalResponses = 0; ///< final responses and 101s
    std::string m_lastMethod;
    bool m_upgradeRequested = false;
    ProxyLegs* m_legs = nullptr;
    InflateBudget* m_captureInflate = nullptr;
    bool m_upstreamStripped = false; ///< the upstream leg's copy lacks Upgrade/Connection
    int m_upstreamStatus = 0;        ///< the backend's first final status, 0 until seen
    bool m_h2cRequested = false;     ///< an HTTP/1.1 request asked for Upgrade: h2c
    std::unique_ptr<Http2Session> m_h2;
    std::function<ConnId()> m_newId;
    std::string m_requestText; ///< the upgrade request head, kept for validateResponse
    HttpHead m_requestHead;    ///< views into m_requestText
    std::vector<std::string_view> m_failedRequestChecks;
    UpgradeRefusal m_refusal;
    std::string m_pending; ///< early client bytes (bounded by Limits::httpHeadBytes)
    std::vector<PendingChunk> m_pendingChunks;
    UnansweredUpgrade m_unanswered; ///< the upgrade request waiting for its final answer
    EarlyClientData m_earlyData;
    GinLogs200 m_ginLogs200;
    ClientRejectedUpgrade m_clientRejected;
    bool m_handshakeOk = false;
    bool m_bodyCutByHead =
        false; ///< a chunked body ended by the next status line (hijack_two_responses)
    DeflateParams m_deflate; ///< negotiated permessage-deflate (RFC 7692 §7.1)

    // WebSocket phase
    std::unique_ptr<SessionObserver> m_observer;
    std::unique_ptr<WsSession> m_session;
    bool m_upgraded = false;
    SegmentInfo m_upgradeAt;
    Timestamp m_lastFrameTime;
    /// A control frame waits for its payload (WsSession reports it as a message right after).
    bool m_controlPending = false;
    Event m_controlEvent;
    EndWithoutClose m_endWithoutClose;
    CloseNotAnswered m_closeNotAnswered;
    bool m_serverEnded = false;
    bool m_resetSeen = false;         ///< either side sent RST (also after its own FIN)
    bool m_clientInvalidUtf8 = false; ///< ws_frame_invalid_utf8 reported for the client

    HalfOpenTracker m_halfOpen;

    std::unique_ptr<TlsStream> m_tls; ///< set when the client opened TLS

    AnomalyLimit m_anomalyLimit;
};

} // namespace wst
