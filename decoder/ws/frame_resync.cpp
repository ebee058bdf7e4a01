// SPDX-License-Identifier: MIT
// Finding a frame boundary in the middle of a stream: after a TCP gap, and for connections
// whose handshake was not captured (DESIGN.md "Gaps are first-class").
#include "decoder/ws/frame_parser.h"

namespace wst {

bool isPlausibleFrameHeader(Bytes bytes, const FrameExpectations& exp, FrameHeader* out) {
    if (bytes.size() < 2) {
        return false;
    }
    // Cheap checks on the first two bytes before parsing the rest.
    const std::uint8_t opcode = bytes[0] & 0x0f;
    const bool known = opcode <= 0x2 || (opcode >= 0x8 && opcode <= 0xA);
    if (!known || (opcode == 0 && !exp.allowContinuation)) {
        return false;
    }
    const auto h = parseFrameHeader(bytes);
    if (!h) {
        return false;
    }
    if (exp.masked && *exp.masked != h->masked) {
        return false; // RFC 6455 §5.1: clients always mask, servers never do
    }
    if (h->isControl()) {
        // RFC 6455 §5.5: final, ≤ 125 bytes; RFC 7692 §6.1: no RSV1 on control frames.
        if (!h->fin || h->payloadLength > 125 || h->rsv != 0) {
            return false;
        }
    } else if (opcode == 0) {
        if (h->rsv != 0) {
            return false; // RSV1 only on the first frame of a message (RFC 7692 §6.1)
        }
    } else if ((h->rsv & ~exp.allowedRsv) != 0) {
        return false;
    }
    if (h->lengthNotMinimal || h->lengthMsbSet || h->payloadLength > exp.maxPayload) {
        return false;
    }
    if (out) {
        *out = *h;
    }
    return true;
}

bool isConfirmedFrameHeaderAt(Bytes bytes, std::size_t i, const FrameExpectations& exp,
                              bool endIsStreamEnd) {
    FrameHeader h;
    if (i >= bytes.size() || !isPlausibleFrameHeader(bytes.subspan(i), exp, &h)) {
        return false;
    }
    const std::uint64_t frameEnd = i + h.headerLength + h.payloadLength;
    if (frameEnd == bytes.size()) {
        return endIsStreamEnd; // ends exactly where the data ends: segments often end on frames
    }
    // A continuation may follow any data frame, so it can confirm a candidate even when it may
    // not start the resynchronised stream.
    FrameExpectations follower = exp;
    follower.allowContinuation = true;
    return frameEnd < bytes.size() &&
           isPlausibleFrameHeader(bytes.subspan(static_cast<std::size_t>(frameEnd)), follower);
}

std::optional<std::size_t> findPlausibleFrameHeader(Bytes bytes, const FrameExpectations& exp) {
    for (std::size_t i = 0; i + 2 <= bytes.size(); ++i) {
        if (isConfirmedFrameHeaderAt(bytes, i, exp, true)) {
            return i;
        }
    }
    return std::nullopt;
}

} // namespace wst
