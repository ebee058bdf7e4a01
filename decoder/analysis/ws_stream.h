// SPDX-License-Identifier: MIT
#pragma once

#include "core/limits.h"
#include "http/http_head_parser.h"
#include "model/trace.h"
#include "tcp/stream_sink.h"
#include "ws/frame_parser.h"

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace wst {

class HttpReader;
class Inflater;

/// permessage-deflate as it applies to one direction (RFC 7692 §7.1).
struct WsDeflateConfig {
    bool enabled = false;
    std::uint8_t windowBits = 15;
    bool noContextTakeover = false;
};

/// Receives what one WebSocket direction finds. Implemented by ConnectionAnalyzer.
class WsStreamOwner {
public:
    virtual ~WsStreamOwner() = default;
    /// A frame ended. `start` is where its header began; `control` holds a control frame's
    /// payload (nullptr for data frames).
    virtual void wsFrame(Direction d, const FrameHeader& h, std::uint64_t offset,
                         const SegmentInfo& start, const Message* control) = 0;
    /// A data message ended (or was cut short: `m.complete` false).
    virtual void wsMessage(Direction d, const Message& m, std::uint64_t offset) = 0;
    virtual void wsAnomaly(Direction d, AnomalyId id, const SegmentInfo& at, std::uint64_t offset,
                           std::string detail) = 0;
    /// HTTP text where a frame header should start: `head` was parsed from there (A3/A5).
    virtual void wsHttpHead(Direction d, const HttpHead& head, const SegmentInfo& start,
                            std::uint64_t offset) = 0;
    /// HTTP text at a frame boundary that did not parse as a head.
    virtual void wsHttpGarbage(Direction d, std::string_view reason, const SegmentInfo& at,
                               std::uint64_t offset) = 0;
    /// Midstream only: the first plausible frame told which side masks (the client).
    virtual void wsRecognised(Direction d, bool masked, const SegmentInfo& at,
                              std::uint64_t offset) = 0;
};

/// One direction of a WebSocket connection: drives a FrameParser over the in-order bytes,
/// checks for HTTP text at every frame boundary, assembles messages (a capped, unmasked and
/// inflated payload prefix) and reports frames, messages, desync and resync to its owner.
/// Holds at most one frame header (≤ 14 bytes) and one message prefix
/// (Limits::payloadPrefixBytes); no allocation per frame once the prefix buffers have grown.
class WsStream final : public FrameHandler {
public:
    struct Options {
        std::optional<bool> masked; ///< expected MASK bit; nullopt: unknown (midstream)
        WsDeflateConfig deflate;
        bool deflateUnknown = false; ///< midstream: RSV1 may mean compressed
        bool midstream = false;      ///< start desynchronised, looking for a frame header
    };

    WsStream(WsStreamOwner& owner, Direction dir, const Limits& limits, Options options);
    ~WsStream() override;
    WsStream(const WsStream&) = delete;
    WsStream& operator=(const WsStream&) = delete;

    void feed(Bytes bytes, std::uint64_t offset, const SegmentInfo& info);
    void gap(std::uint64_t offset, std::uint64_t length, const SegmentInfo& info);
    /// The direction ended: flush a held header and an unfinished message.
    void end(const SegmentInfo& info);

    Direction direction() const { return m_dir; }
    void setDirection(Direction d) {
        m_dir = d;
        m_msg.direction = d;
        m_ctl.direction = d;
    }
    /// Midstream: the role is now known.
    void setMasked(bool masked);
    bool recognised() const { return m_recognised; }
    std::uint64_t frames() const { return m_frames; }

    // FrameHandler
    void onFrameHeader(const FrameHeader& h, std::uint64_t offset) override;
    void onPayload(Bytes unmasked, std::uint64_t payloadOffset) override;
    void onFrameEnd() override;
    std::uint64_t payloadWanted(const FrameHeader& h) override;
    void onPayloadGap(std::uint64_t length, std::uint64_t payloadOffset) override;
    void onDesync(std::uint64_t offset) override;
    void onResync(std::uint64_t offset, std::uint64_t skipped) override;

private:
    std::size_t feedAtBoundary(Bytes bytes, std::uint64_t offset);
    std::size_t feedHttp(Bytes bytes, std::uint64_t offset);
    bool couldBeHttp(std::uint8_t b0, std::uint8_t b1) const;
    bool isHttpStart(Bytes peek) const;
    void startHttp(Bytes peek, std::uint64_t offset, const SegmentInfo& info);
    void backToFrames(std::uint64_t offset);
    void flushHold();
    void finishMessage(bool complete);
    void appendPrefix(std::string& to, Bytes bytes) const;
    void applyExpectations();

    WsStreamOwner& m_owner;
    Direction m_dir;
    const Limits& m_limits;
    Options m_options;
    FrameParser m_parser;

    // Where the bytes being fed came from.
    SegmentInfo m_curInfo, m_prevInfo;
    std::uint64_t m_curBase = 0;

    // A frame header (or HTTP-looking bytes) gathered across segments before the parser sees it.
    std::array<std::uint8_t, 16> m_hold{};
    std::uint8_t m_holdLen = 0;
    std::uint64_t m_holdOffset = 0;
    SegmentInfo m_holdInfo;
    bool m_feedingHold = false;

    // The current frame.
    FrameHeader m_header;
    std::uint64_t m_frameOffset = 0;
    SegmentInfo m_frameStart;
    bool m_frameIsData = false;

    // The data message being assembled, and the current control frame.
    Message m_msg;
    std::uint64_t m_msgOffset = 0;
    bool m_msgOpen = false;
    Message m_ctl;
    std::unique_ptr<Inflater> m_inflater;
    bool m_inflateFailed = false;

    std::unique_ptr<HttpReader> m_http; ///< HTTP text found inside the stream (rare)
    bool m_quietDesync = false;
    bool m_recognised = false;
    bool m_pendingRecognition = false;
    std::uint64_t m_frames = 0;
};

} // namespace wst
