// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace wst {

/// XORs `n` bytes of `src` with the masking key (RFC 6455 §5.3) into `dst`, starting at key
/// position `keyPos` (0..3, the payload offset modulo 4). `dst` may equal `src`; otherwise
/// the ranges must not overlap. Returns the key position after the last byte, so a payload
/// can be unmasked in chunks. Works a 64-bit word at a time.
std::uint8_t unmask(std::uint8_t* dst, const std::uint8_t* src, std::size_t n,
                    const std::array<std::uint8_t, 4>& key, std::uint8_t keyPos);

} // namespace wst
