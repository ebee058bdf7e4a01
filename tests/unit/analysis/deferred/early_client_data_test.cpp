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

} // namespace
} // namespace wst
