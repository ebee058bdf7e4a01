// SPDX-License-Identifier: MIT
#include "decoder/ws/utf8.h"

#include <array>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define WST_UTF8_AVX2 1
#endif

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

// The same automaton as a "shift DFA": state k is stored as the bit offset 6k, and kRows[b]
// holds, at bit offset 6k, the offset of the state that byte b leads to from state k. The
// next state is (kRows[b] >> state) & 63: the table load depends only on the input byte, so
// the per-byte dependency chain is a single shift (no second lookup, no branch).
constexpr unsigned kShift = 6;
constexpr std::uint64_t kRejectOffset = std::uint64_t{Utf8Validator::kReject} * kShift;

constexpr std::array<std::uint64_t, 256> makeRows() {
    std::array<std::uint64_t, 256> rows{};
    for (std::size_t b = 0; b < 256; ++b) {
        std::uint64_t row = 0;
        for (std::size_t k = 0; k <= Utf8Validator::kReject; ++k) {
            const std::uint64_t next = kTransitions[k][kClasses[b]];
            row |= (next * kShift) << (k * kShift);
        }
        rows[b] = row;
    }
    return rows;
}
constexpr auto kRows = makeRows();

inline std::uint64_t step(std::uint64_t state, std::uint8_t byte) {
    return (kRows[byte] >> state) & 63;
}

#if defined(WST_UTF8_AVX2)
// Whole-block validation with AVX2, used when the CPU has it (checked at run time): the
// "lookup" method of Keiser and Lemire, "Validating UTF-8 In Less Than One Instruction Per
// Byte" (2021). Each byte is classified by three 16-entry tables indexed by the high nibble of
// the previous byte, its low nibble and the high nibble of the current byte; a sequence is
// invalid exactly when the three classes share an error bit, or when a third/fourth byte
// position disagrees with the lead byte two/three places back. It accepts exactly the RFC 3629
// §4 grammar, like the automaton above (the tests compare both on random text).
namespace simd {
constexpr std::uint8_t kTooShort = 1 << 0;
constexpr std::uint8_t kTooLong = 1 << 1;
constexpr std::uint8_t kOverlong3 = 1 << 2;
constexpr std::uint8_t kTooLarge = 1 << 3;
constexpr std::uint8_t kSurrogate = 1 << 4;
constexpr std::uint8_t kOverlong2 = 1 << 5;
constexpr std::uint8_t kTooLarge1000 = 1 << 6;
constexpr std::uint8_t kOverlong4 = 1 << 6;
constexpr std::uint8_t kTwoConts = 1 << 7;
constexpr std::uint8_t kCarry = kTooShort | kTooLong | kTwoConts;

__attribute__((target("avx2"))) inline __m256i table(std::uint8_t const (&t)[16]) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(t));
    return _mm256_broadcastsi128_si256(x);
}

constexpr std::uint8_t kByte1High[16] = {kTooLong,
                                         kTooLong,
                                         kTooLong,
                                         kTooLong,
                                         kTooLong,
                                         kTooLong,
                                         kTooLong,
                                         kTooLong,
                                         kTwoConts,
                                         kTwoConts,
                                         kTwoConts,
                                         kTwoConts,
                                         kTooShort | kOverlong2,
                                         kTooShort,
                                         kTooShort | kOverlong3 | kSurrogate,
                                         kTooShort | kTooLarge | kTooLarge1000 | kOverlong4};
constexpr std::uint8_t kByte1Low[16] = {kCarry | kOverlong3 | kOverlong2 | kOverlong4,
                                        kCarry | kOverlong2,
                                        kCarry,
                                        kCarry,
                                        kCarry | kTooLarge,
                                        kCarry | kTooLarge | kTooLarge1000,
                                        kCarry | kTooLarge | kTooLarge1000,
                                        kCarry | kTooLarge | kTooLarge1000,
                                        kCarry | kTooLarge | kTooLarge1000,
                                        kCarry | kTooLarge | kTooLarge1000,
                                        kCarry | kTooLarge | kTooLarge1000,
                                        kCarry | kTooLarge | kTooLarge1000,
                                        kCarry | kTooLarge | kTooLarge1000,
                                        kCarry | kTooLarge | kTooLarge1000 | kSurrogate,
                                        kCarry | kTooLarge | kTooLarge1000,
                                        kCarry | kTooLarge | kTooLarge1000};
constexpr std::uint8_t kByte2High[16] = {kTooShort,
                                         kTooShort,
                                         kTooShort,
                                         kTooShort,
                                         kTooShort,
                                         kTooShort,
                                         kTooShort,
                                         kTooShort,
                                         kTooLong | kOverlong2 | kTwoConts | kOverlong3 |
                                             kTooLarge1000 | kOverlong4,
                                         kTooLong | kOverlong2 | kTwoConts | kOverlong3 | kTooLarge,
                                         kTooLong | kOverlong2 | kTwoConts | kSurrogate | kTooLarge,
                                         kTooLong | kOverlong2 | kTwoConts | kSurrogate | kTooLarge,
                                         kTooShort,
                                         kTooShort,
                                         kTooShort,
                                         kTooShort};

/// Errors of block `in` given the block before it.
__attribute__((target("avx2"))) inline __m256i check(__m256i in, __m256i prevIn) {
    const __m256i nib = _mm256_set1_epi8(0x0f);
    // prevN: the block shifted so byte k holds the byte N places earlier.
    const __m256i carried = _mm256_permute2x128_si256(prevIn, in, 0x21);
    const __m256i prev1 = _mm256_alignr_epi8(in, carried, 15);
    const __m256i prev2 = _mm256_alignr_epi8(in, carried, 14);
    const __m256i prev3 = _mm256_alignr_epi8(in, carried, 13);
    const __m256i b1h =
        _mm256_shuffle_epi8(table(kByte1High), _mm256_and_si256(_mm256_srli_epi16(prev1, 4), nib));
    const __m256i b1l = _mm256_shuffle_epi8(table(kByte1Low), _mm256_and_si256(prev1, nib));
    const __m256i b2h =
        _mm256_shuffle_epi8(table(kByte2High), _mm256_and_si256(_mm256_srli_epi16(in, 4), nib));
    const __m256i special = _mm256_and_si256(_mm256_and_si256(b1h, b1l), b2h);
    const __m256i third = _mm256_subs_epu8(prev2, _mm256_set1_epi8(0xe0 - 0x80));
    const __m256i fourth =
        _mm256_subs_epu8(prev3, _mm256_set1_epi8(static_cast<char>(0xf0 - 0x80)));
    const __m256i must23 =
        _mm256_and_si256(_mm256_or_si256(third, fourth), _mm256_set1_epi8(static_cast<char>(0x80)));
    return _mm256_xor_si256(must23, special);
}

/// True if p[0, n) is complete, valid UTF-8.
__attribute__((target("avx2"))) bool validate(const std::uint8_t* p, std::size_t n) {
    __m256i prev = _mm256_setzero_si256();
    __m256i error = _mm256_setzero_si256();
    std::size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        const __m256i in = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i));
        error = _mm256_or_si256(error, check(in, prev));
        prev = in;
    }
    if (i < n) {
        // The rest, padded with zero bytes (ASCII: they end nothing early but cut a sequence).
        alignas(32) std::uint8_t tail[32] = {};
        std::memcpy(tail, p + i, n - i);
        const __m256i in = _mm256_load_si256(reinterpret_cast<const __m256i*>(tail));
        error = _mm256_or_si256(error, check(in, prev));
        prev = in;
    }
    // A block of zeros after the end: a sequence cut at the end is an error.
    error = _mm256_or_si256(error, check(_mm256_setzero_si256(), prev));
    return _mm256_testz_si256(error, error) != 0;
}

const bool kHasAvx2 = __builtin_cpu_supports("avx2");
} // namespace simd
#endif

} // namespace

bool Utf8Validator::feed(Bytes bytes) {
    if (m_state == kReject) {
        return false;
    }
    const std::uint8_t* p = bytes.data();
    const std::size_t n = bytes.size();
    std::uint64_t state = std::uint64_t{m_state} * kShift;
    std::size_t i = 0;
    constexpr std::size_t kBlock = 16;
#if defined(WST_UTF8_AVX2)
    if (simd::kHasAvx2 && n >= 64) {
        // Finish a sequence begun in the previous piece, then validate whole sequences up to
        // the last lead byte at once; the few bytes after it go through the automaton.
        while (i < n && state != 0 && state != kRejectOffset)
            state = step(state, p[i++]);
        std::size_t j = n - 1;
        for (int k = 0; k < 3 && j > i && (p[j] & 0xc0) == 0x80; ++k)
            --j;
        // Only acceptance is taken from the vector check: invalid text goes on through the
        // automaton, which finds the offending byte.
        if (state == 0 && j > i && simd::validate(p + i, j - i))
            i = j;
    }
#endif
    while (i + kBlock <= n) {
        if (state == 0) {
            // ASCII fast path: skip every byte below 0x80 (they leave the state at 0), 32 or
            // 16 at a time, and stop exactly at the first byte with its high bit set.
#if defined(__SSE2__)
            while (i + 32 <= n) {
                const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
                const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 16));
                if (_mm_movemask_epi8(_mm_or_si128(a, b)) != 0)
                    break;
                i += 32;
            }
            if (i + kBlock > n)
                break;
            const int high =
                _mm_movemask_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i)));
            if (high == 0) {
                i += kBlock;
                continue;
            }
            i += static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(high)));
#else
            std::uint64_t a = 0;
            std::uint64_t b = 0;
            std::memcpy(&a, p + i, 8);
            std::memcpy(&b, p + i + 8, 8);
            if (((a | b) & 0x8080808080808080ull) == 0) {
                i += kBlock;
                continue;
            }
#endif
            if (i + kBlock > n)
                break;
        }
        for (std::size_t j = 0; j < kBlock; ++j) {
            state = step(state, p[i + j]);
        }
        // Reject is absorbing, so one check per block suffices.
        if (state == kRejectOffset) {
            break;
        }
        i += kBlock;
    }
    for (; i < n; ++i) {
        state = step(state, p[i]);
    }
    if (state == kRejectOffset) {
        // Find the offending byte: rerun from the last known state (rare path).
        std::uint64_t again = std::uint64_t{m_state} * kShift;
        std::size_t k = 0;
        while (true) {
            again = step(again, p[k]);
            if (again == kRejectOffset) {
                break;
            }
            ++k;
        }
        m_state = kReject;
        m_position += k;
        return false;
    }
    m_state = static_cast<std::uint8_t>(state / kShift);
    m_position += n;
    return true;
}

bool isValidUtf8(Bytes bytes) {
    Utf8Validator v;
    return v.feed(bytes) && v.finish();
}

} // namespace wst
