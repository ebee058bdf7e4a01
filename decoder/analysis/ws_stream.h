// SPDX-License-Identifier: MIT
#pragma once

#include "capture/core/limits.h"
#include "capture/tcp/stream_sink.h"
#include "decoder/http/http_head_parser.h"
#include "decoder/ws/frame_parser.h"

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

namespace wst {

class HttpReader;
class WsSession;

/// Receives what a WsStream finds besides frames (frames and messages come from WsSession).
class WsStreamOwner {
public:
    virtual ~WsStreamOwner() = default;
    /// HTTP text where a frame header should start: `head` was parsed from there
    /// (hijack_two_responses, hijack_http_in_websocket).
    virtual void wsHttpHead(Direction d, const HttpHead& head, const SegmentInfo& start,
                            std::uint64_t offset) = 0;
    /// HTTP-looking text at a frame boundary that did not parse as a head.
    virtual void wsHttpGarbage(Direction d, std::string_view reason, const SegmentInfo& at,
                               std::uint64_t offset) = 0;
    /// A plausible frame header was found where none was known (a stream picked up midstream,
    /// or after HTTP garbage). Its MASK bit tells who sent it (RFC 6455 §5.1). The owner must
    /// make the WsSession exist before returning.
    virtual void wsRecognised(Direction d, bool masked, const SegmentInfo& at, std::uint64_t offset,
                              std::uint64_t skipped) = 0;
    virtual WsSession* wsSession() = 0;
};

/// One direction of the WebSocket phase, in front of WsSession: it walks the frame boundaries
/// itself (from the headers) and hands WsSession frame-aligned slices, so that at every
/// boundary it can check for HTTP text ("HTTP/1." or a request line) before any frame rule
/// sees it, parse that text as a head, report it, skip its body and carry on with frames
/// (hijack_two_responses, hijack_http_in_websocket). It also finds the first frame of a stream
/// whose handshake was not captured. Holds at most one frame header (≤ 14 bytes) across segments.
///
/// After a gap that breaks the framing, WsSession resynchronises on its own; this walker then
/// passes whole segments through until a segment ends exactly at a reported frame end.
class WsStream {
public:
    /// `scanning`: no frame boundary is known yet (midstream); look for a plausible header.
    /// `masked`: the expected MASK bit, if the role is known.
    WsStream(WsStreamOwner& owner, Direction dir, const Limits& limits, bool scanning,
             std::optional<bool> masked);
    ~WsStream();
    WsStream(const WsStream&) = delete;
    WsStream& operator=(const WsStream&) = delete;

    void feed(Bytes bytes, std::uint64_t offset, const SegmentInfo& info);
    void gap(std::uint64_t offset, std::uint64_t length, const SegmentInfo& info);
    /// The direction ended: a held header goes to WsSession, then WsSession ends the direction.
    void end(const SegmentInfo& info);

    Direction direction() const { return m_dir; }
    void setDirection(Direction d) { m_dir = d; }
    void setMasked(bool masked) { m_masked = masked; }
    /// WsSession reported a frame of this direction ending at `end` (stream offset).
    void frameReported(std::uint64_t end) { m_lastReportedEnd = end; }

private:
    enum class State : std::uint8_t { Scanning, Synced, Lost, Http };

    std::size_t scan(Bytes bytes, std::uint64_t offset);
    std::size_t atBoundary(Bytes bytes, std::uint64_t offset);
    std::size_t frameRun(Bytes bytes, std::uint64_t offset);
    WsSession* session();
    std::size_t feedHttp(Bytes bytes, std::uint64_t offset);
    void toSession(Bytes bytes, std::uint64_t offset, const SegmentInfo& info);
    bool couldBeHttp(std::uint8_t b0, std::uint8_t b1) const;
    void startHttp(Bytes peek, std::uint64_t offset, const SegmentInfo& info);

    WsStreamOwner& m_owner;
    WsSession* m_session = nullptr;
    Direction m_dir;
    const Limits& m_limits;
    std::optional<bool> m_masked;
    State m_state;

    SegmentInfo m_curInfo;
    std::uint64_t m_frameEnd = 0;        ///< Synced: end of the frame in progress (or boundary)
    std::uint64_t m_lastReportedEnd = 0; ///< Lost: end of the last frame WsSession reported

    std::array<std::uint8_t, 16> m_hold{};
    std::uint8_t m_holdLen = 0;
    std::uint64_t m_holdOffset = 0;
    SegmentInfo m_holdInfo;

    std::unique_ptr<HttpReader> m_http;
    std::uint64_t m_scanSkipped = 0;
};

} // namespace wst
