// SPDX-License-Identifier: MIT
#include "ws/utf8.h"

#include <array>
#include <cstring>

namespace wst {

namespace {

// Byte classes (RFC 3629 §4 table of well-formed sequences):
//  0 00..7F  1 80..8F  2 90..9F  3 A0..BF  4 C0..C1,F5..FF (never valid)
//  5 C2..DF  6 E0  7 E1..EC,EE..EF  8 ED  9 F0  10 F1..F3  11 F4
constexpr std::array<std::uint8_t, 256> makeClasses() {
    std::array<std::uint8_t, 256> c{};
    for (int b = 0; b < 256; ++b) {
        std::uint8_t k = 4;
        if (b <= 0x7f) {
            k = 0;
        } else if (b <= 0x8f) {
            k = 1;
        } else if (b <= 0x9f) {
            k = 2;
        } else if (b <= 0xbf) {
            k = 3;
        } else if (b >= 0xc2 && b <= 0xdf) {
            k = 5;
        } else if (b == 0xe0) {
            k = 6;
        } else if (b == 0xed) {
            k = 8;
        } else if (b >= 0xe1 && b <= 0xef) {
            k = 7;
        } else if (b == 0xf0) {
            k = 9;
        } else if (b >= 0xf1 && b <= 0xf3) {
            k = 10;
        } else if (b == 0xf4) {
            k = 11;
        }
        c[static_cast<std::size_t>(b)] = k;
    }
    return c;
}

// States: 0 accept; 1/2/3 need that many continuation bytes 80..BF; 4 after E0 (needs A0..BF,
// no overlongs); 5 after ED (needs 80..9F, no surrogates); 6 after F0 (needs 90..BF, no
// overlongs); 7 after F4 (needs 80..8F, ≤ U+10FFFF); 8 reject.
constexpr std::uint8_t R = Utf8Validator::kReject;
constexpr std::array<std::array<std::uint8_t, 12>, 9> kTransitions{{
    //  asc 80 90 A0 bad C2 E0 E1 ED F0 F1 F4
    {{0, R, R, R, R, 1, 4, 2, 5, 6, 3, 7}}, // 0
    {{R, 0, 0, 0, R, R, R, R, R, R, R, R}}, // 1
    {{R, 1, 1, 1, R, R, R, R, R, R, R, R}}, // 2
    {{R, 2, 2, 2, R, R, R, R, R, R, R, R}}, // 3
    {{R, R, R, 1, R, R, R, R, R, R, R, R}}, // 4
    {{R, 1, 1, R, R, R, R, R, R, R, R, R}}, // 5
    {{R, R, 2, 2, R, R, R, R, R, R, R, R}}, // 6
    {{R, 2, R, R, R, R, R, R, R, R, R, R}}, // 7
    {{R, R, R, R, R, R, R, R, R, R, R, R}}, // 8
}};
constexpr auto kClasses = makeClasses();

} // namespace

bool Utf8Validator::feed(Bytes bytes) {
    if (m_state == kReject) {
        return false;
    }
    const std::uint8_t* p = bytes.data();
    const std::size_t n = bytes.size();
    std::size_t i = 0;
    std::uint8_t state = m_state;
    while (i < n) {
        if (state == 0) {
            // ASCII fast path: skip whole words without a high bit.
            while (i + 16 <= n) {
                std::uint64_t a = 0;
                std::uint64_t b = 0;
                std::memcpy(&a, p + i, 8);
                std::memcpy(&b, p + i + 8, 8);
                if (((a | b) & 0x8080808080808080ull) != 0) {
                    break;
                }
                i += 16;
            }
            if (i == n) {
                break;
            }
        }
        state = kTransitions[state][kClasses[p[i]]];
        if (state == kReject) {
            m_state = state;
            m_position += i;
            return false;
        }
        ++i;
    }
    m_state = state;
    m_position += n;
    return true;
}

bool isValidUtf8(Bytes bytes) {
    Utf8Validator v;
    return v.feed(bytes) && v.finish();
}

} // namespace wst
