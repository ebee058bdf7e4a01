// SPDX-License-Identifier: MIT
#pragma once

// Byte buffers for hand-built test input: big-endian (network order) fields, concatenation,
// views for the decoder's Bytes.

#include "capture/core/types.h"

#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <vector>

namespace wst::test {

using Buf = std::vector<std::uint8_t>;

/// Appends `v` in network byte order.
inline void put16(Buf& b, std::uint16_t v) {
    b.push_back(static_cast<std::uint8_t>(v >> 8));
    b.push_back(static_cast<std::uint8_t>(v));
}
inline void put32(Buf& b, std::uint32_t v) {
    put16(b, static_cast<std::uint16_t>(v >> 16));
    put16(b, static_cast<std::uint16_t>(v));
}
/// Writes `v` in network byte order at `p` (2 or 4 bytes).
inline void store16(std::uint8_t* p, std::uint16_t v) {
    p[0] = static_cast<std::uint8_t>(v >> 8);
    p[1] = static_cast<std::uint8_t>(v);
}
inline void store32(std::uint8_t* p, std::uint32_t v) {
    store16(p, static_cast<std::uint16_t>(v >> 16));
    store16(p + 2, static_cast<std::uint16_t>(v));
}

inline Buf cat(Buf a, const Buf& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}
inline Buf cat(std::initializer_list<Buf> parts) {
    Buf out;
    for (const Buf& p : parts) {
        out.insert(out.end(), p.begin(), p.end());
    }
    return out;
}

inline Buf toBuf(std::string_view s) {
    return Buf(s.begin(), s.end());
}
inline Bytes bytesOf(const Buf& b) {
    return Bytes(b.data(), b.size());
}
inline Bytes bytesOf(std::string_view s) {
    return Bytes(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
}

/// pattern(n, seed)[i] = (i * 7 + seed) % 251 — the same recipe as make-captures.sh.
inline Buf pattern(std::size_t n, unsigned seed) {
    Buf b(n);
    for (std::size_t i = 0; i < n; ++i) {
        b[i] = static_cast<std::uint8_t>((i * 7 + seed) % 251);
    }
    return b;
}

} // namespace wst::test
