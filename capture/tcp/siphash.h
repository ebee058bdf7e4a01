// SPDX-License-Identifier: MIT
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>

namespace wst {

/// SipHash-2-4 (J.-P. Aumasson and D. J. Bernstein, "SipHash: a fast short-input PRF", 2012:
/// two compression rounds per 8-byte block, four finalisation rounds) of `n` whole 64-bit words
/// under the 128-bit key (`k0`, `k1`). Each word is one message block, so on a little-endian
/// host this is SipHash-2-4 of the words' bytes (tests/unit/capture/siphash_test.cpp checks it
/// against OpenSSL's). Keyed: whoever does not know the key cannot compute inputs that collide
/// (docs/limits.md, "Hash flooding").
inline std::uint64_t sipHash24(std::uint64_t k0, std::uint64_t k1, const std::uint64_t* words,
                               std::size_t n) {
    std::uint64_t v0 = k0 ^ 0x736f6d6570736575ull; // "somepseudorandomlygeneratedbytes"
    std::uint64_t v1 = k1 ^ 0x646f72616e646f6dull;
    std::uint64_t v2 = k0 ^ 0x6c7967656e657261ull;
    std::uint64_t v3 = k1 ^ 0x7465646279746573ull;
    const auto round = [&] {
        v0 += v1;
        v1 = std::rotl(v1, 13);
        v1 ^= v0;
        v0 = std::rotl(v0, 32);
        v2 += v3;
        v3 = std::rotl(v3, 16);
        v3 ^= v2;
        v0 += v3;
        v3 = std::rotl(v3, 21);
        v3 ^= v0;
        v2 += v1;
        v1 = std::rotl(v1, 17);
        v1 ^= v2;
        v2 = std::rotl(v2, 32);
    };
    for (std::size_t i = 0; i < n; ++i) {
        v3 ^= words[i];
        round();
        round();
        v0 ^= words[i];
    }
    // The last block: the message length in bytes mod 256 in its top byte; no bytes are left
    // over, the message being whole words.
    const std::uint64_t last = static_cast<std::uint64_t>(n * 8) << 56;
    v3 ^= last;
    round();
    round();
    v0 ^= last;
    v2 ^= 0xff;
    round();
    round();
    round();
    round();
    return v0 ^ v1 ^ v2 ^ v3;
}

} // namespace wst
