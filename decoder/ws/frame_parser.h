// SPDX-License-Identifier: MIT
#pragma once

#include "core/types.h"

#include <array>
#include <cstdint>

namespace wst {

/// A WebSocket frame header (RFC 6455 §5.2) as it was on the wire.
struct FrameHeader {
    bool fin = false;
    std::uint8_t rsv = 0;    ///< bits RSV1 (4), RSV2 (2), RSV3 (1)
    std::uint8_t opcode = 0;
    bool masked = false;
    std::array<std::uint8_t, 4> maskKey{};
    std::uint64_t payloadLength = 0;
    std::uint8_t headerLength = 0;       ///< 2..14
    bool lengthNotMinimal = false;       ///< 16/64-bit form used for a smaller length
    bool lengthMsbSet = false;           ///< 64-bit length with the top bit set

    bool isControl() const { return (opcode & 0x8) != 0; }
};

/// Receives what FrameParser finds, in stream order.
class FrameHandler {
public:
    virtual ~FrameHandler() = default;
    /// A complete header at stream `offset` (its first byte).
    virtual void onFrameHeader(const FrameHeader& h, std::uint64_t offset) = 0;
    /// Unmasked payload bytes of the current frame; `payloadOffset` counts from the frame's
    /// first payload byte. Valid only during the call.
    virtual void onPayload(Bytes unmasked, std::uint64_t payloadOffset) = 0;
    virtual void onFrameEnd() = 0;
};

/// Incremental RFC 6455 frame splitter for one direction. Feed it the direction's bytes in
/// order, in pieces of any size; it calls the handler as headers and payload bytes complete.
/// It keeps at most one partial header (≤ 14 bytes); payload is passed through in chunks and
/// unmasked with the key position carried across chunks. Rule checks (masking direction,
/// control frame sizes, fragmentation, UTF-8, ...) are the handler's job (FrameValidator).
class FrameParser {
public:
    explicit FrameParser(FrameHandler& handler);
    /// `offset` is the stream offset of bytes[0]; it must continue where the last call ended
    /// (after a gap, call onGap first).
    void feed(Bytes bytes, std::uint64_t offset);
    /// Bytes were lost: the parser is desynchronised until resync() or a caller decision.
    void onGap();
    bool desynced() const { return m_desynced; }
    /// True while in the middle of a frame (header or payload).
    bool midFrame() const;
    /// Restart at a frame boundary (after resynchronising on a plausible header).
    void resync();

private:
    FrameHandler& m_handler;
    std::array<std::uint8_t, 14> m_headerBuf{};
    std::uint8_t m_headerHave = 0;
    FrameHeader m_current;
    std::uint64_t m_payloadDone = 0;
    bool m_inPayload = false;
    bool m_desynced = false;
};

} // namespace wst
