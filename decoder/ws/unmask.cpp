// SPDX-License-Identifier: MIT
#include "decoder/ws/unmask.h"

#include <cstring>

namespace wst {

std::uint8_t unmask(std::uint8_t* dst, const std::uint8_t* src, std::size_t n,
                    const std::array<std::uint8_t, 4>& key, std::uint8_t keyPos) {
    keyPos &= 3;
    // The key rotated so that byte i of the rotated pattern applies to src[i] (RFC 6455 §5.3:
    // octet i is XORed with key[i mod 4]). Eight copies fill a 64-bit word in memory order,
    // which makes the word XOR independent of the machine's byte order.
    std::array<std::uint8_t, 8> pattern{};
    for (std::size_t i = 0; i < 8; ++i) {
        pattern[i] = key[(keyPos + i) & 3];
    }
    std::uint64_t word = 0;
    std::memcpy(&word, pattern.data(), 8);

    std::size_t i = 0;
    // Four words per iteration: the compiler turns this into vector XORs at -O2.
    for (; i + 32 <= n; i += 32) {
        std::uint64_t v[4];
        std::memcpy(v, src + i, 32);
        v[0] ^= word;
        v[1] ^= word;
        v[2] ^= word;
        v[3] ^= word;
        std::memcpy(dst + i, v, 32);
    }
    for (; i + 8 <= n; i += 8) {
        std::uint64_t v = 0;
        std::memcpy(&v, src + i, 8);
        v ^= word;
        std::memcpy(dst + i, &v, 8);
    }
    for (; i < n; ++i) {
        dst[i] = src[i] ^ pattern[i & 7];
    }
    return static_cast<std::uint8_t>((keyPos + n) & 3);
}

} // namespace wst
