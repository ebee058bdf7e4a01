// SPDX-License-Identifier: MIT
#include "decoder/ws/unmask.h"

#include <gtest/gtest.h>
#include <vector>

namespace wst {
namespace {

std::vector<std::uint8_t> naive(const std::vector<std::uint8_t>& in,
                                const std::array<std::uint8_t, 4>& key, std::size_t start) {
    std::vector<std::uint8_t> out(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        out[i] = in[i] ^ key[(start + i) % 4];
    }
    return out;
}

TEST(Unmask, MatchesByteWiseDefinitionForEveryLengthAndKeyPosition) {
    const std::array<std::uint8_t, 4> key{0x37, 0xfa, 0x21, 0x3d};
    std::vector<std::uint8_t> src(100);
    for (std::size_t i = 0; i < src.size(); ++i) {
        src[i] = static_cast<std::uint8_t>(i * 31 + 7);
    }
    for (std::size_t n = 0; n <= src.size(); ++n) {
        for (std::uint8_t pos = 0; pos < 4; ++pos) {
            std::vector<std::uint8_t> in(src.begin(), src.begin() + static_cast<long>(n));
            std::vector<std::uint8_t> out(n);
            const auto next = unmask(out.data(), in.data(), n, key, pos);
            EXPECT_EQ(out, naive(in, key, pos)) << n << " " << int(pos);
            EXPECT_EQ(next, (pos + n) % 4);
            unmask(in.data(), in.data(), n, key, pos); // in place
            EXPECT_EQ(in, out);
        }
    }
}

TEST(Unmask, ChunkedAtEveryOffsetEqualsWhole) {
    const std::array<std::uint8_t, 4> key{0x01, 0x80, 0xff, 0x5a};
    std::vector<std::uint8_t> src(77);
    for (std::size_t i = 0; i < src.size(); ++i) {
        src[i] = static_cast<std::uint8_t>(i);
    }
    const auto whole = naive(src, key, 0);
    for (std::size_t a = 0; a <= src.size(); ++a) {
        for (std::size_t b = a; b <= src.size(); ++b) {
            std::vector<std::uint8_t> out(src.size());
            std::uint8_t pos = unmask(out.data(), src.data(), a, key, 0);
            pos = unmask(out.data() + a, src.data() + a, b - a, key, pos);
            unmask(out.data() + b, src.data() + b, src.size() - b, key, pos);
            ASSERT_EQ(out, whole) << a << "," << b;
        }
    }
}

} // namespace
} // namespace wst
