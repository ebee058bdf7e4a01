// SPDX-License-Identifier: MIT
#pragma once

// WebSocket frames built byte by byte (RFC 6455 §5.2), valid or broken on purpose: length
// forms, lying lengths, any RSV bits and opcodes, masked or not.

#include "capture/core/types.h"
#include "tests/support/bytes.h"

#include <array>
#include <cstdint>
#include <string_view>

namespace wst::test {

/// How the payload length is written: the shortest form (RFC 6455 §5.2 asks for it), or a
/// longer one on purpose.
enum class LenForm { Minimal, Force16, Force64 };

struct FrameSpec {
    bool fin = true;
    std::uint8_t rsv = 0; ///< RSV1..RSV3 as bits 2..0 (4 = RSV1)
    std::uint8_t opcode = 0x1;
    Buf payload; ///< unmasked; masked on the wire with `key` when `masked`
    bool masked = false;
    std::array<std::uint8_t, 4> key{0x37, 0xfa, 0x21, 0x3d};
    LenForm form = LenForm::Minimal;
    std::uint64_t lengthOverride = 0; ///< nonzero: write this length instead (payload as is)
};

/// Appends the header of `s` (first two bytes, extended length, masking key) for a payload of
/// `length` bytes (or `s.lengthOverride`); the payload itself is the caller's.
void appendFrameHeader(Buf& out, const FrameSpec& s, std::uint64_t length);
/// The whole frame of `s`: header and (masked) payload.
Buf wsFrame(const FrameSpec& s);
/// A frame as a client (masked with the default key) or server (unmasked) sends it.
Buf frame(Direction d, std::uint8_t opcode, const Buf& payload, bool fin = true,
          std::uint8_t rsv = 0);
Buf frame(Direction d, std::uint8_t opcode, std::string_view payload, bool fin = true,
          std::uint8_t rsv = 0);
/// A Close frame body: the status code in network order, then `reason` (RFC 6455 §5.5.1).
Buf closeBody(std::uint16_t code, std::string_view reason = {});

} // namespace wst::test
