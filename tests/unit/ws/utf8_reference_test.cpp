// SPDX-License-Identifier: MIT
// Utf8Validator (automaton plus, where the CPU has AVX2, whole-block vector validation)
// against a plain RFC 3629 §4 decoder written out here, on random text: valid and broken,
// long and short, fed whole and split at random points.
#include "decoder/ws/utf8.h"

#include <gtest/gtest.h>
#include <random>
#include <vector>

namespace wst {
namespace {

using Buf = std::vector<std::uint8_t>;

struct Verdict {
    bool failed = false;
    std::uint64_t position = 0; ///< offending byte when failed
    bool complete = true;       ///< no sequence cut at the end
};

// RFC 3629 §4: the second byte's range depends on the lead; other continuations are 80..BF.
Verdict reference(const Buf& s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const std::uint8_t b = s[i];
        std::size_t len = 1;
        std::uint8_t lo = 0x80;
        std::uint8_t hi = 0xbf;
        if (b < 0x80) {
            ++i;
            continue;
        } else if (b >= 0xc2 && b <= 0xdf) {
            len = 2;
        } else if (b >= 0xe0 && b <= 0xef) {
            len = 3;
            lo = b == 0xe0 ? 0xa0 : 0x80;
            hi = b == 0xed ? 0x9f : 0xbf;
        } else if (b >= 0xf0 && b <= 0xf4) {
            len = 4;
            lo = b == 0xf0 ? 0x90 : 0x80;
            hi = b == 0xf4 ? 0x8f : 0xbf;
        } else {
            return {true, i, false};
        }
        for (std::size_t k = 1; k < len; ++k) {
            if (i + k >= s.size())
                return {false, 0, false};
            const std::uint8_t c = s[i + k];
            const std::uint8_t min = k == 1 ? lo : 0x80;
            const std::uint8_t max = k == 1 ? hi : 0xbf;
            if (c < min || c > max)
                return {true, i + k, false};
        }
        i += len;
    }
    return {false, 0, true};
}

Buf randomText(std::mt19937& rng, std::size_t length, int brokenPercent) {
    static const std::vector<Buf> pieces = {{'a'},
                                            {'{'},
                                            {0xc3, 0xa9},
                                            {0xdf, 0xbf},
                                            {0xe6, 0x97, 0xa5},
                                            {0xe0, 0xa0, 0x80},
                                            {0xed, 0x9f, 0xbf},
                                            {0xef, 0xbf, 0xbf},
                                            {0xf0, 0x9f, 0x9a, 0x80},
                                            {0xf4, 0x8f, 0xbf, 0xbf},
                                            {0xf0, 0x90, 0x80, 0x80}};
    Buf s;
    std::uniform_int_distribution<int> pct(0, 99);
    while (s.size() < length) {
        if (pct(rng) < brokenPercent) {
            s.push_back(static_cast<std::uint8_t>(rng()));
        } else if (pct(rng) < 60) {
            for (int k = 0; k < 20; ++k)
                s.push_back(static_cast<std::uint8_t>(' ' + rng() % 90));
        } else {
            const Buf& p = pieces[rng() % pieces.size()];
            s.insert(s.end(), p.begin(), p.end());
        }
    }
    return s;
}

void expectLikeReference(const Buf& s, const std::vector<std::size_t>& cuts) {
    const Verdict want = reference(s);
    Utf8Validator v;
    std::size_t from = 0;
    bool ok = true;
    for (std::size_t cut : cuts) {
        ok = v.feed(Bytes(s.data() + from, cut - from)) && ok;
        from = cut;
    }
    ok = v.feed(Bytes(s.data() + from, s.size() - from)) && ok;
    ASSERT_EQ(!ok, want.failed);
    EXPECT_EQ(v.failed(), want.failed);
    if (want.failed)
        EXPECT_EQ(v.position(), want.position);
    else
        EXPECT_EQ(v.finish(), want.complete);
}

TEST(Utf8Reference, RandomTextWholeAndSplit) {
    std::mt19937 rng(6455);
    for (int round = 0; round < 20000; ++round) {
        const std::size_t length = rng() % 400;
        const int broken = round % 4 == 0 ? 0 : (round % 4 == 1 ? 1 : 5);
        const Buf s = randomText(rng, length, broken);
        expectLikeReference(s, {});
        std::vector<std::size_t> cuts;
        for (std::size_t at = rng() % 80; at < s.size(); at += 1 + rng() % 120)
            cuts.push_back(at);
        expectLikeReference(s, cuts);
        if (HasFailure())
            return;
    }
}

// Every single-byte change of a long valid text, whole: exercises each vector lane.
TEST(Utf8Reference, EveryByteChangedInALongText) {
    std::mt19937 rng(3629);
    const Buf base = randomText(rng, 200, 0);
    for (std::size_t at = 0; at < base.size(); ++at)
        for (std::uint8_t value : {0x80, 0xbf, 0xc0, 0xc2, 0xe0, 0xed, 0xf0, 0xf4, 0xf5, 0x41}) {
            Buf s = base;
            s[at] = value;
            expectLikeReference(s, {});
            if (HasFailure())
                return;
        }
}

} // namespace
} // namespace wst
