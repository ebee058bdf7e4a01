// SPDX-License-Identifier: MIT
// Private to decoder/ws: small helpers shared by the WsDirection sources.
#pragma once

#include "capture/core/types.h"
#include "decoder/ws/frame_parser.h"

#include <fmt/format.h>
#include <string>
#include <string_view>

namespace wst::detail {

inline std::string opcodeText(std::uint8_t opcode) {
    switch (opcode) {
    case 0x0:
        return "continuation";
    case 0x1:
        return "text";
    case 0x2:
        return "binary";
    case 0x8:
        return "close";
    case 0x9:
        return "ping";
    case 0xA:
        return "pong";
    default:
        return fmt::format("0x{:X}", opcode);
    }
}

inline Bytes asBytes(std::string_view s) {
    return Bytes(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
}

/// "H" "T" read as a frame header: FIN 0, RSV1, opcode 8, no mask, 7-bit length 0x54.
inline bool looksLikeHttpStart(const FrameHeader& h) {
    return !h.fin && h.rsv == 4 && h.opcode == 0x8 && !h.masked && h.headerLength == 2 &&
           h.payloadLength == 0x54;
}

} // namespace wst::detail
