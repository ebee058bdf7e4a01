// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/ws/frame_parser.h"
#include "decoder/ws/inflater.h"
#include "decoder/ws/utf8.h"
#include "decoder/ws/ws_session.h"

#include <memory>
#include <string>

namespace wst {

/// One direction of a WsSession: the FrameHandler that applies the RFC 6455 §5 frame rules,
/// assembles messages, inflates them and validates text. Used through WsSession.
class WsDirection final : public FrameHandler {
public:
    WsDirection(WsSession& session, Direction dir, const WsNegotiation& negotiation,
                const Limits& limits);
    ~WsDirection() override;

    void feed(Bytes bytes, std::uint64_t offset, const SegmentInfo& at);
    void onGap(std::uint64_t offset, std::uint64_t length, const SegmentInfo& at);
    void end(const SegmentInfo& at);

    bool closeSent() const { return m_closeSent; }
    const std::optional<std::uint16_t>& closeCode() const { return m_closeCode; }
    std::string_view closeReason() const { return m_closeReason; }
    Timestamp closeTime() const { return m_closeTime; }
    PacketNumber closePacket() const { return m_closePacket; }
    bool desynced() const { return m_parser.desynced(); }

    // FrameHandler
    void onFrameHeader(const FrameHeader& h, std::uint64_t offset) override;
    void onPayload(Bytes unmasked, std::uint64_t payloadOffset) override;
    void onFrameEnd() override;
    std::uint64_t payloadWanted(const FrameHeader& h) override;
    void onPayloadSkipped(std::uint64_t length, std::uint64_t payloadOffset) override;
    void onPayloadGap(std::uint64_t length, std::uint64_t payloadOffset) override;
    void onDesync(std::uint64_t offset) override;
    void onResync(std::uint64_t offset, std::uint64_t skipped) override;

private:
    enum class Kind : std::uint8_t { Control, Start, Continuation, Orphan, Reserved };

    void report(AnomalyId id, std::string detail);
    void checkHeader(const FrameHeader& h);
    void checkRsv(const FrameHeader& h);
    void runDeferredChecks();
    void startMessage(const FrameHeader& h);
    void appendDecoded(Bytes bytes);
    void inflate(Bytes compressed);
    void onInflateStatus(Inflater::Status status);
    void finishMessage();
    void finishControl();
    void checkClose();
    void emitFrame(bool complete);
    void emitMessage(bool complete);
    bool inflateTrusted() const;
    bool textNeedsBytes() const;

    WsSession& m_session;
    Direction m_dir;
    bool m_handshakeSeen;
    DeflateParams m_deflate; ///< as negotiated; enabled false without permessage-deflate
    std::size_t m_prefixCap;
    std::size_t m_controlCap;
    std::uint64_t m_inflateCap;
    FrameParser m_parser;

    // The packet being fed.
    SegmentInfo m_at;

    // The current frame.
    FrameHeader m_frame;
    Kind m_kind = Kind::Reserved;
    std::uint64_t m_frameOffset = 0;
    SegmentInfo m_frameStart; ///< the packet of its first header byte
    bool m_frameActive = false;
    bool m_frameBroken = false; ///< payload bytes lost in a gap
    bool m_httpCandidate = false;
    std::string m_control; ///< control frame payload (capped)

    // The open data message.
    bool m_msgOpen = false;
    Message m_msg;
    std::uint64_t m_msgOffset = 0;
    bool m_msgBroken = false; ///< bytes lost: no more UTF-8 or inflate verdicts
    bool m_inflating = false; ///< compressed and the inflater still accepts input
    bool m_utf8Done = false;  ///< text: verdict reached (invalid) or validation abandoned
    Utf8Validator m_utf8;

    std::unique_ptr<Inflater> m_inflater;
    bool m_contextLost = false; ///< messages were missed in a context-takeover stream

    // Close state (RFC 6455 §5.5.1).
    bool m_closeSent = false;
    std::optional<std::uint16_t> m_closeCode;
    std::string m_closeReason;
    Timestamp m_closeTime;
    PacketNumber m_closePacket = 0;
    bool m_ended = false;
};

} // namespace wst
