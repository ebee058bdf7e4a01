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

namespace {

/// A Close frame whose payload is present must carry no code or a code an endpoint may send
/// (RFC 6455 §7.4: 1000-1003, 1007-1014, 3000-4999), and never a single byte (§5.5.1). A
/// "Close 16684" found in the middle of a payload is no evidence of a frame boundary.
bool plausibleClosePayload(Bytes bytes, const FrameHeader& h) {
    if (h.opcode != 0x8 || bytes.size() < h.headerLength + h.payloadLength) {
        return true; // not a Close, or its payload is not here to judge
    }
    if (h.payloadLength == 0) {
        return true;
    }
    if (h.payloadLength == 1) {
        return false;
    }
    std::uint8_t b0 = bytes[h.headerLength];
    std::uint8_t b1 = bytes[h.headerLength + 1];
    if (h.masked) {
        b0 ^= h.maskKey[0];
        b1 ^= h.maskKey[1];
    }
    const unsigned code = (unsigned{b0} << 8) | b1;
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
           (code >= 3000 && code <= 4999);
}

bool plausibleAt(Bytes bytes, std::size_t i, const FrameExpectations& exp, FrameHeader& h) {
    return i < bytes.size() && isPlausibleFrameHeader(bytes.subspan(i), exp, &h) &&
           plausibleClosePayload(bytes.subspan(i), h);
}

} // namespace

bool isConfirmedFrameHeaderAt(Bytes bytes, std::size_t i, const FrameExpectations& exp,
                              bool endIsStreamEnd) {
    // Evidence for a boundary (issue 21: one plausible follower let a resync land inside a
    // payload and invent a hundred messages): a chain of kResyncChain plausible headers back
    // to back, or a chain that ends exactly where the data ends (segments often end on
    // frames), or, when the next header's frame runs past the data, every header that fits.
    FrameHeader h;
    if (!plausibleAt(bytes, i, exp, h)) {
        return false;
    }
    // A continuation may follow any data frame, so it can confirm a candidate even when it may
    // not start the resynchronised stream.
    FrameExpectations follower = exp;
    follower.allowContinuation = true;
    std::uint64_t at = i;
    for (std::size_t chain = 1;; ++chain) {
        const std::uint64_t frameEnd = at + h.headerLength + h.payloadLength;
        if (frameEnd == bytes.size()) {
            return endIsStreamEnd && (!exp.strict || chain >= 2);
        }
        if (frameEnd > bytes.size()) {
            // This frame's end is not here to check: enough only if a header followed another
            // (never in strict mode, which wants the whole chain).
            return !exp.strict && chain >= 2;
        }
        if (chain >= kResyncChain) {
            return true;
        }
        at = frameEnd;
        if (!plausibleAt(bytes, static_cast<std::size_t>(at), follower, h)) {
            return false;
        }
    }
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
