// SPDX-License-Identifier: MIT
#pragma once

#include "capture/core/types.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace wst {

/// A WebSocket frame header (RFC 6455 §5.2) as it was on the wire.
struct FrameHeader {
    bool fin = false;
    std::uint8_t rsv = 0; ///< bits RSV1 (4), RSV2 (2), RSV3 (1)
    std::uint8_t opcode = 0;
    bool masked = false;
    std::array<std::uint8_t, 4> maskKey{};
    std::uint64_t payloadLength = 0;
    std::uint8_t headerLength = 0; ///< 2..14
    bool lengthNotMinimal = false; ///< 16/64-bit form used for a smaller length
    bool lengthMsbSet = false;     ///< 64-bit length with the top bit set

    bool isControl() const { return (opcode & 0x8) != 0; }
    /// Opcodes 0x3–0x7 and 0xB–0xF have no meaning in RFC 6455 §5.2.
    bool isReservedOpcode() const { return (opcode >= 0x3 && opcode <= 0x7) || opcode >= 0xB; }
};

/// Bytes needed for the header that starts with these two bytes (2, 4, 8, 10, 12 or 14).
std::size_t frameHeaderLength(std::uint8_t byte0, std::uint8_t byte1);

/// Parses a complete header from the start of `bytes`. Returns nullopt when `bytes` holds less
/// than the whole header. Never fails otherwise: every byte pattern is a header.
std::optional<FrameHeader> parseFrameHeader(Bytes bytes);

/// Receives what FrameParser finds, in stream order. Callbacks must not call back into the
/// parser that is calling them.
class FrameHandler {
public:
    virtual ~FrameHandler() = default;
    /// A complete header at stream `offset` (its first byte).
    virtual void onFrameHeader(const FrameHeader& h, std::uint64_t offset) = 0;
    /// Unmasked payload bytes of the current frame; `payloadOffset` counts from the frame's
    /// first payload byte. Valid only during the call. Arrives in chunks of any size (at most
    /// 8 KiB for masked frames, which are unmasked into a scratch buffer).
    virtual void onPayload(Bytes unmasked, std::uint64_t payloadOffset) = 0;
    /// The current frame's payload is complete (also called right after onFrameHeader for an
    /// empty payload). Not called for a frame abandoned by onDesync.
    virtual void onFrameEnd() = 0;

    /// Asked once right after onFrameHeader: how many payload bytes, from the start of this
    /// frame's payload, the handler wants to see through onPayload. Bytes beyond it are not
    /// unmasked and arrive through onPayloadSkipped instead. Default: all of them.
    virtual std::uint64_t payloadWanted(const FrameHeader& h) { return h.payloadLength; }
    /// Payload bytes beyond payloadWanted(): counted, not shown.
    virtual void onPayloadSkipped(std::uint64_t /*length*/, std::uint64_t /*payloadOffset*/) {}
    /// `length` payload bytes of the current frame were lost (a TCP gap that ended inside the
    /// payload). The parser is still synchronised: the next header position is known.
    virtual void onPayloadGap(std::uint64_t /*length*/, std::uint64_t /*payloadOffset*/) {}
    /// The frame boundary is lost at stream `offset` (a gap outside a payload, or a 64-bit
    /// length with the top bit set). A frame in progress is abandoned without onFrameEnd.
    virtual void onDesync(std::uint64_t /*offset*/) {}
    /// While desynchronised, a plausible header was found at stream `offset` after `skipped`
    /// bytes were passed over; onFrameHeader for it follows.
    virtual void onResync(std::uint64_t /*offset*/, std::uint64_t /*skipped*/) {}
};

/// What a plausible frame header looks like in one direction, for resynchronising after a gap
/// and for recognising a stream whose handshake was not captured.
struct FrameExpectations {
    /// Required MASK bit: true client→server, false server→client (RFC 6455 §5.1); nullopt when
    /// the direction is not known.
    std::optional<bool> masked;
    /// RSV bits an extension allows on the first frame of a data message (0x4 = RSV1 with
    /// permessage-deflate, RFC 7692 §6). Control frames never carry RSV bits.
    std::uint8_t allowedRsv = 0;
    /// Longer payloads are considered implausible.
    std::uint64_t maxPayload = std::uint64_t{16} << 20;
    /// Whether a continuation frame (opcode 0) may be the first frame found.
    bool allowContinuation = false;
    /// More evidence (after a header whose 64-bit length had its top bit set, RFC 6455 §5.2,
    /// the bytes that follow are a payload of unknown length): kResyncChain headers back to
    /// back, or at least two ending exactly where the data ends.
    bool strict = false;
};

/// True if `bytes` starts with a complete header that meets `exp`: known opcode, RSV bits
/// within `exp.allowedRsv` (none on control frames), control frames final and ≤ 125 bytes,
/// the expected MASK bit, minimal length encoding, payload ≤ exp.maxPayload. Fills `out`.
bool isPlausibleFrameHeader(Bytes bytes, const FrameExpectations& exp, FrameHeader* out = nullptr);

/// Finds the first offset in `bytes` where a plausible header starts (isPlausibleFrameHeader)
/// and is confirmed: its frame ends exactly at the end of `bytes`, or is followed inside
/// `bytes` by another plausible header (with `allowContinuation` as set). Headers whose frame
/// runs past the end of `bytes` are not confirmed and not returned. O(bytes.size()).
std::optional<std::size_t> findPlausibleFrameHeader(Bytes bytes, const FrameExpectations& exp);

/// Plausible headers back to back that confirm a resynchronisation point.
inline constexpr std::size_t kResyncChain = 3;

/// The check behind findPlausibleFrameHeader for one position `i` of `bytes`: a plausible
/// header there (and a Close among them carries a code an endpoint may send), confirmed by
/// kResyncChain plausible headers back to back from it, or by a shorter chain whose last
/// frame ends exactly at the end of `bytes` when `endIsStreamEnd` (the data known so far ends
/// there), or whose last frame runs past the end of `bytes` after at least two headers.
bool isConfirmedFrameHeaderAt(Bytes bytes, std::size_t i, const FrameExpectations& exp,
                              bool endIsStreamEnd);

/// Incremental RFC 6455 frame splitter for one direction. Feed it the direction's bytes in
/// order, in pieces of any size; it calls the handler as headers and payload bytes complete.
/// It keeps at most one partial header (≤ 14 bytes); payload is passed through in chunks and
/// unmasked with the key position carried across chunks. Rule checks (masking direction,
/// control frame sizes, fragmentation, UTF-8, ...) are the handler's job (WsDirection).
///
/// After a gap that does not end inside a payload the parser is desynchronised: it scans the
/// bytes fed to it for a confirmed plausible header (findPlausibleFrameHeader with the
/// expectations set by setExpectations) and, when it finds one, calls onResync and continues.
/// While scanning it keeps the last kScanTail bytes (allocated only then), so a header that
/// starts in one feed and is confirmed in the next (within kScanPeek bytes) is still found;
/// where the scan lands can still depend on how the bytes were split for longer frames.
class FrameParser {
public:
    /// Bytes kept from earlier feeds while desynchronised, and how far into the next feed a
    /// header starting in them may be confirmed.
    static constexpr std::size_t kScanTail = 64;
    static constexpr std::size_t kScanPeek = 4096;

    explicit FrameParser(FrameHandler& handler);
    /// `offset` is the stream offset of bytes[0]; it must continue where the last call ended
    /// (after a gap, call onGap first).
    void feed(Bytes bytes, std::uint64_t offset);
    /// Bytes were lost and how many is unknown: the parser is desynchronised (onDesync).
    void onGap();
    /// `length` bytes were lost. A gap inside the current payload keeps the parser in sync
    /// (onPayloadGap, and onFrameEnd if the payload ends with the gap); any other gap
    /// desynchronises it (onDesync). Returns true if still synchronised.
    bool onGap(std::uint64_t length);
    bool desynced() const { return m_desynced; }
    /// True while in the middle of a frame (header or payload).
    bool midFrame() const;
    /// Restart at a frame boundary: the next byte fed starts a header.
    void resync();
    /// Give up the current frame and scan for a header from the next unread byte, as after a
    /// gap (onDesync follows). The one method a handler may call from inside a callback, e.g.
    /// on finding HTTP text where a frame header should be.
    void requestDesync() { m_desyncRequested = true; }
    /// What resynchronisation looks for (default: any direction, no RSV bits).
    void setExpectations(const FrameExpectations& exp) { m_expect = exp; }
    /// Stream offset where the next fed byte is expected.
    std::uint64_t nextOffset() const { return m_nextOffset; }

private:
    std::size_t consumeHeader(Bytes bytes, std::uint64_t offset);
    std::size_t consumePayload(Bytes bytes);
    std::size_t scanForHeader(Bytes bytes, std::uint64_t offset);
    std::size_t step(Bytes bytes, std::uint64_t offset);
    void resumeFromTail(Bytes bytes, std::uint64_t offset);
    void keepTail(Bytes bytes, std::uint64_t offset);
    void startFrame(const FrameHeader& h);
    void endFrame();
    void desync(std::uint64_t offset);
    FrameExpectations expectations() const {
        FrameExpectations e = m_expect;
        e.strict = e.strict || m_strict;
        return e;
    }

    FrameHandler& m_handler;
    FrameExpectations m_expect;
    std::array<std::uint8_t, 14> m_headerBuf{};
    std::uint8_t m_headerHave = 0;
    FrameHeader m_current;
    std::uint64_t m_headerOffset = 0;
    std::uint64_t m_payloadDone = 0;
    std::uint64_t m_payloadWanted = 0;
    std::uint64_t m_nextOffset = 0;
    std::uint64_t m_desyncSkipped = 0;
    std::uint64_t m_desyncOffset = 0; ///< where scanning began
    std::vector<std::uint8_t> m_tail; ///< desynchronised: last scanned bytes (≤ kScanTail)
    std::uint64_t m_tailOffset = 0;   ///< stream offset of m_tail[0]
    bool m_inPayload = false;
    bool m_desynced = false;
    bool m_desyncRequested = false;
    bool m_strict = false; ///< the desync came from a length with its top bit set
};

} // namespace wst
