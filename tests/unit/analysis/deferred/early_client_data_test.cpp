// SPDX-License-Identifier: MIT
// EarlyClientData (ws_handshake_early_client_data), fed the held client bytes directly.
#include "decoder/analysis/deferred/early_client_data.h"

#include <gtest/gtest.h>
#include <string_view>

namespace wst {
namespace {

constexpr Timestamp kRequestEnd{1'000'000};
const SegmentInfo kAt{3, Timestamp{3'000'000}};

Bytes bytesOf(std::string_view s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// A masked text frame header "hi" (RFC 6455 §5.2): FIN + text, MASK + length 2, key, payload.
constexpr std::string_view kMaskedText("\x81\x82\x01\x02\x03\x04\x69\x6b", 8);

TEST(EarlyClientData, FiresOnceTheServerAnswersWithoutAGap) {
    EarlyClientData p;
    p.onClientBytes(bytesOf(kMaskedText), 200, kAt, kRequestEnd, true);
    EXPECT_FALSE(p.reported());
    const Finding a = p.resolve(true);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->id, AnomalyId::WsHandshakeEarlyClientData);
    EXPECT_EQ(a->direction, Direction::ClientToServer);
    EXPECT_EQ(a->packet, 3u);
    EXPECT_EQ(a->streamOffset, 200u);
    EXPECT_NE(a->detail.find("8 bytes 2.00 ms after the request head"), std::string::npos)
        << a->detail;
    EXPECT_NE(a->detail.find("a masked text frame with 2 payload bytes"), std::string::npos)
        << a->detail;
    EXPECT_TRUE(p.reported());
    // Reported once: later early bytes are not a new candidate.
    p.onClientBytes(bytesOf(kMaskedText), 208, kAt, kRequestEnd, true);
    EXPECT_FALSE(p.resolve(true));
}

TEST(EarlyClientData, SilentWhenAGapHidesTheOrder) {
    EarlyClientData p;
    p.onClientBytes(bytesOf(kMaskedText), 200, kAt, kRequestEnd, true);
    EXPECT_FALSE(p.resolve(false));
    EXPECT_FALSE(p.resolve(true)); // the candidate is gone
    EXPECT_FALSE(p.reported());
}

TEST(EarlyClientData, SilentWhenTheServerHadSpokenOrNothingWasHeld) {
    EarlyClientData spoke;
    spoke.onClientBytes(bytesOf(kMaskedText), 200, kAt, kRequestEnd, false);
    EXPECT_FALSE(spoke.resolve(true));
    EarlyClientData none;
    EXPECT_FALSE(none.resolve(true));
}

TEST(EarlyClientData, NamesBytesThatAreNoFrame) {
    EarlyClientData p;
    p.onClientBytes(bytesOf("x"), 200, kAt, kRequestEnd, true);
    const Finding a = p.resolve(true);
    ASSERT_TRUE(a);
    EXPECT_NE(a->detail.find("first bytes: not a frame header"), std::string::npos) << a->detail;
}

// WaitingClientData: every held client byte, counted as frames where they are frames.
TEST(WaitingClientData, CountsFramesAcrossChunkBoundaries) {
    const std::string two = std::string(kMaskedText) + std::string(kMaskedText);
    for (std::size_t split = 0; split <= two.size(); ++split) {
        WaitingClientData w;
        w.onBytes(bytesOf(std::string_view(two).substr(0, split)));
        w.onBytes(bytesOf(std::string_view(two).substr(split)));
        EXPECT_EQ(w.frames(), 2u) << split;
        EXPECT_EQ(w.bytes(), 16u) << split;
        EXPECT_TRUE(w.allFrames()) << split;
    }
    WaitingClientData w;
    w.onBytes(bytesOf(two));
    EXPECT_EQ(w.describe(), "the client sent 16 bytes while it waited: 2 complete frames");
}

TEST(WaitingClientData, SilentOnNothingAndHonestOnNonFrames) {
    EXPECT_EQ(WaitingClientData{}.describe(), "");
    WaitingClientData text;
    text.onBytes(bytesOf("GET / HTTP/1.1\r\n"));
    EXPECT_EQ(text.frames(), 0u);
    EXPECT_FALSE(text.allFrames());
    EXPECT_EQ(text.describe(), "the client sent 16 bytes while it waited, not a complete frame");
    // An unmasked frame is not a client frame (RFC 6455 §5.1).
    WaitingClientData unmasked;
    unmasked.onBytes(bytesOf(std::string_view("\x81\x02hi", 4)));
    EXPECT_FALSE(unmasked.allFrames());
    // A frame cut short: bytes, no complete frame.
    WaitingClientData cut;
    cut.onBytes(bytesOf(kMaskedText.substr(0, 7)));
    EXPECT_EQ(cut.frames(), 0u);
    EXPECT_TRUE(cut.allFrames());
    // A gap: counting stops, the bytes still count.
    WaitingClientData gap;
    gap.onBytes(bytesOf(kMaskedText));
    gap.onGap(10);
    gap.onBytes(bytesOf(kMaskedText));
    EXPECT_EQ(gap.frames(), 1u);
    EXPECT_EQ(gap.bytes(), 26u);
    EXPECT_FALSE(gap.allFrames());
}

TEST(EarlyClientData, CountsWhatTheClientSentSinceTheRequest) {
    EarlyClientData p;
    p.onClientBytes(bytesOf(kMaskedText), 200, kAt, kRequestEnd, true);
    p.onClientBytes(bytesOf(kMaskedText), 208, kAt, kRequestEnd, true);
    EXPECT_EQ(p.waiting().frames(), 2u);
    p.onRequest(); // a new upgrade request starts a new count
    EXPECT_EQ(p.waiting().bytes(), 0u);
}

} // namespace
} // namespace wst
