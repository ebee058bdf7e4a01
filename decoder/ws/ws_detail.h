// SPDX-License-Identifier: MIT
// Private to decoder/ws: small helpers shared by the WsDirection sources.
#pragma once

#include "capture/core/types.h"
#include "decoder/ws/frame_parser.h"

#include <string_view>

namespace wst::detail {

inline Bytes asBytes(std::string_view s) {
    return Bytes(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
}

/// "H" "T" read as a frame header: FIN 0, RSV1, opcode 8, no mask, 7-bit length 0x54.
inline bool looksLikeHttpStart(const FrameHeader& h) {
    return !h.fin && h.rsv == 4 && h.opcode == 0x8 && !h.masked && h.headerLength == 2 &&
           h.payloadLength == 0x54;
}

} // namespace wst::detail
