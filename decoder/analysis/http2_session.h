// SPDX-License-Identifier: MIT
#pragma once

#include "capture/core/limits.h"
#include "decoder/http2/h2_decoder.h"
#include "decoder/model/trace.h"
#include "decoder/model/trace_sink.h"
#include "decoder/ws/inflate_budget.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string_view>

namespace wst {

class H2WebSocket;

/// The HTTP/2 phase of one TCP connection (docs/http2.md): the frame layer (h2::Http2Decoder)
/// and the fan-out of its RFC 8441 extended CONNECT streams into WebSocket connections of their
/// own. Each such stream gets a new ConnId (from `newId`), a Connection with
/// Connection::h2stream naming this connection and the stream, and its DATA fed to a WsSession,
/// the same frame decoder a TCP direction feeds (masking, permessage-deflate, close rules).
///
/// It checks the extended CONNECT per RFC 8441 §4–§5 (h2_ws_connect_malformed,
/// h2_ws_connect_not_enabled, h2_ws_status_101, h2_ws_connect_refused, and the subprotocol,
/// extension and permessage-deflate checks of the HTTP/1.1 handshake) and the ends
/// (h2_ws_stream_reset, h2_ws_stream_reset_mid_message, h2_ws_goaway_open_streams,
/// ws_close_missing). Frame-layer anomalies (h2_frame_* and the rest) belong to the TCP
/// connection and go to `reportParent`.
///
/// Memory: the decoder's (h2_decoder.h), plus one H2WebSocket per open WebSocket stream (at most
/// kMaxWebSocketStreams at once; further CONNECTs are counted, not followed), each bounded like
/// a ConnectionAnalyzer's WebSocket phase.
class Http2Session final : private h2::Http2Observer {
public:
    static constexpr std::size_t kMaxWebSocketStreams = 4096;

    /// `parent`: the TCP connection's summary (Connection::http2 is filled in here); it and the
    /// other references must outlive the session. `clientPreface` as for h2::Http2Decoder.
    Http2Session(Connection& parent, TraceSink& sink, const Limits& limits,
                 std::function<ConnId()> newId, std::function<void(Anomaly&&)> reportParent,
                 InflateBudget* captureInflate, std::string_view start,
                 std::string_view clientPreface);
    ~Http2Session() override;
    Http2Session(const Http2Session&) = delete;
    Http2Session& operator=(const Http2Session&) = delete;

    void feed(Direction d, Bytes bytes, std::uint64_t offset, const SegmentInfo& at);
    void gap(Direction d, std::uint64_t offset, std::uint64_t length, const SegmentInfo& at);
    /// TCP direction `d` ended (FIN or RST).
    void end(Direction d, const SegmentInfo& at);
    /// The TCP connection ended: every open WebSocket stream ends with it.
    void finish(const SegmentInfo& last);

private:
    void onFrame(const h2::FrameAt& f) override;
    void onSettings(const h2::FrameAt& f, std::span<const h2::Setting> settings) override;
    void onHeaders(const h2::FrameAt& f, const std::vector<h2::HeaderField>& fields,
                   bool endStream) override;
    void onData(const h2::FrameAt& f, Bytes data, std::uint64_t offset,
                const SegmentInfo& at) override;
    void onDataEnd(const h2::FrameAt& f, const SegmentInfo& at) override;
    void onDataGap(const h2::FrameAt& f, std::uint64_t offset, std::uint64_t length,
                   const SegmentInfo& at) override;
    void onRstStream(const h2::FrameAt& f, std::uint32_t code) override;
    void onGoaway(const h2::FrameAt& f, std::uint32_t lastStream, std::uint32_t code,
                  std::string_view debug) override;
    void onWindowUpdate(const h2::FrameAt& f, std::uint32_t increment) override;
    void onAnomaly(Anomaly&& a) override;

    H2WebSocket* stream(std::uint32_t id);
    void close(std::uint32_t id, const SegmentInfo& at);

    Connection& m_parent;
    TraceSink& m_sink;
    const Limits& m_limits;
    std::function<ConnId()> m_newId;
    std::function<void(Anomaly&&)> m_reportParent;
    InflateBudget* m_captureInflate;
    h2::Http2Decoder m_decoder;
    std::map<std::uint32_t, std::unique_ptr<H2WebSocket>> m_ws; ///< open WebSocket streams
    /// Where the server first sent SETTINGS_ENABLE_CONNECT_PROTOCOL = 1 (packet 0: not yet).
    SegmentInfo m_enabledAt;
    bool m_enabled = false;
    bool m_serverSettingsSeen = false;
    std::uint64_t m_ignoredConnects = 0;
};

} // namespace wst
