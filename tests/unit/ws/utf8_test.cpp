// SPDX-License-Identifier: MIT
// Utf8Validator against known valid and invalid sequences, split at every byte.
#include "decoder/ws/utf8.h"
#include "tests/unit/ws/ws_test_util.h"

#include <gtest/gtest.h>

namespace wst::test {
namespace {

struct Sample {
    const char* name;
    Buf bytes;
    bool valid;
};

std::vector<Sample> samples() {
    return {
        {"empty", {}, true},
        {"ascii", toBuf("Hello, world! 0123456789 abcdefghijklmnopqrstuvwxyz"), true},
        {"two-byte", {0xC3, 0xA9}, true},                // é
        {"three-byte", {0xE2, 0x82, 0xAC}, true},        // €
        {"four-byte", {0xF0, 0x9F, 0x98, 0x80}, true},   // U+1F600
        {"max", {0xF4, 0x8F, 0xBF, 0xBF}, true},         // U+10FFFF
        {"before-surrogates", {0xED, 0x9F, 0xBF}, true}, // U+D7FF
        {"after-surrogates", {0xEE, 0x80, 0x80}, true},  // U+E000
        {"min-three", {0xE0, 0xA0, 0x80}, true},         // U+0800
        {"min-four", {0xF0, 0x90, 0x80, 0x80}, true},    // U+10000
        {"mixed", toBuf("κόσμε ascii \xE2\x82\xAC tail long enough for fast path"), true},
        {"overlong-slash-2", {0xC0, 0xAF}, false},
        {"overlong-c1", {0xC1, 0xBF}, false},
        {"overlong-slash-3", {0xE0, 0x80, 0xAF}, false},
        {"overlong-3-max", {0xE0, 0x9F, 0xBF}, false},
        {"overlong-slash-4", {0xF0, 0x80, 0x80, 0xAF}, false},
        {"overlong-4-max", {0xF0, 0x8F, 0xBF, 0xBF}, false},
        {"surrogate-low", {0xED, 0xA0, 0x80}, false},   // U+D800
        {"surrogate-high", {0xED, 0xBF, 0xBF}, false},  // U+DFFF
        {"above-max", {0xF4, 0x90, 0x80, 0x80}, false}, // U+110000
        {"f5", {0xF5, 0x80, 0x80, 0x80}, false},
        {"ff", {0xFF}, false},
        {"stray-continuation", {0x41, 0x80, 0x41}, false},
        {"truncated-2", {0xC3}, false},
        {"truncated-3", {0xE2, 0x82}, false},
        {"truncated-4", {0xF0, 0x9F, 0x98}, false},
        {"bad-continuation", {0xE2, 0x28, 0xA1}, false},
        {"ascii-then-bad", toBuf("0123456789abcdefghijklmnopqrstuv\xC0\xAF"), false},
    };
}

TEST(Utf8, WholeBuffers) {
    for (const auto& s : samples()) {
        EXPECT_EQ(isValidUtf8(bytesOf(s.bytes)), s.valid) << s.name;
    }
}

TEST(Utf8, SplitAtEveryByte) {
    for (const auto& s : samples()) {
        for (std::size_t i = 0; i <= s.bytes.size(); ++i) {
            Utf8Validator v;
            const bool a = v.feed(Bytes(s.bytes.data(), i));
            const bool b = v.feed(Bytes(s.bytes.data() + i, s.bytes.size() - i));
            EXPECT_EQ(a && b && v.finish(), s.valid) << s.name << " split " << i;
        }
        Utf8Validator v;
        bool ok = true;
        for (std::uint8_t byte : s.bytes) {
            ok = v.feed(Bytes(&byte, 1)) && ok;
        }
        EXPECT_EQ(ok && v.finish(), s.valid) << s.name << " byte by byte";
    }
}

TEST(Utf8, FailureIsStickyAndPositioned) {
    const Buf b = toBuf("abc\xC0\xAF"
                        "def");
    Utf8Validator v;
    EXPECT_FALSE(v.feed(bytesOf(b)));
    EXPECT_TRUE(v.failed());
    EXPECT_EQ(v.position(), 3u);
    const Buf ok = toBuf("fine");
    EXPECT_FALSE(v.feed(bytesOf(ok)));
    v.reset();
    EXPECT_TRUE(v.feed(bytesOf(ok)));
    EXPECT_TRUE(v.finish());
}

TEST(Utf8, LongTextWithABadByteAtEveryPosition) {
    // Long enough for the block paths; the reported position is exact wherever the byte is.
    std::string text;
    while (text.size() < 300) {
        text += "h\xC3\xA9llo w\xC3\xB6rld \xE2\x82\xAC \xF0\x9F\x98\x80 plain ascii run ";
    }
    const Buf base = toBuf(text);
    ASSERT_TRUE(isValidUtf8(bytesOf(base)));
    for (std::size_t pos = 0; pos <= base.size(); ++pos) {
        Buf b = base;
        b.insert(b.begin() + static_cast<long>(pos), 0xFF);
        Utf8Validator v;
        EXPECT_FALSE(v.feed(bytesOf(b))) << pos;
        EXPECT_EQ(v.position(), pos);
        // Fed in two pieces around an arbitrary cut, the position is the same.
        const std::size_t cut = (pos * 7) % (b.size() + 1);
        Utf8Validator w;
        const bool first = w.feed(Bytes(b.data(), cut));
        w.feed(Bytes(b.data() + cut, b.size() - cut));
        EXPECT_TRUE(w.failed());
        EXPECT_EQ(first, cut <= pos);
        EXPECT_EQ(w.position(), pos) << pos << " cut " << cut;
    }
}

TEST(Utf8, MidSequenceIsNotFinished) {
    Utf8Validator v;
    const std::uint8_t lead = 0xE2;
    EXPECT_TRUE(v.feed(Bytes(&lead, 1)));
    EXPECT_TRUE(v.midSequence());
    EXPECT_FALSE(v.finish());
}

TEST(Utf8, AllCodePointsRoundTrip) {
    // Encode every scalar value and check it validates; check every surrogate is rejected.
    for (std::uint32_t cp = 0; cp <= 0x10FFFF; cp += (cp < 0x10000 ? 1 : 97)) {
        Buf b;
        if (cp < 0x80) {
            b = {static_cast<std::uint8_t>(cp)};
        } else if (cp < 0x800) {
            b = {static_cast<std::uint8_t>(0xC0 | (cp >> 6)),
                 static_cast<std::uint8_t>(0x80 | (cp & 0x3F))};
        } else if (cp < 0x10000) {
            b = {static_cast<std::uint8_t>(0xE0 | (cp >> 12)),
                 static_cast<std::uint8_t>(0x80 | ((cp >> 6) & 0x3F)),
                 static_cast<std::uint8_t>(0x80 | (cp & 0x3F))};
        } else {
            b = {static_cast<std::uint8_t>(0xF0 | (cp >> 18)),
                 static_cast<std::uint8_t>(0x80 | ((cp >> 12) & 0x3F)),
                 static_cast<std::uint8_t>(0x80 | ((cp >> 6) & 0x3F)),
                 static_cast<std::uint8_t>(0x80 | (cp & 0x3F))};
        }
        const bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
        ASSERT_EQ(isValidUtf8(bytesOf(b)), !surrogate) << std::hex << cp;
    }
}

} // namespace
} // namespace wst::test
