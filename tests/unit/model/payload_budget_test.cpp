// SPDX-License-Identifier: MIT
// PayloadBudget: whole payloads while the budget lasts, in order; then a head per message; never
// more than the budget plus one head per message; every other field copied unchanged.
#include "decoder/model/payload_budget.h"

#include <gtest/gtest.h>
#include <string>

namespace wst {
namespace {

Message makeMessage(std::size_t payloadBytes, char fill) {
    Message m;
    m.connection = 7;
    m.direction = Direction::ServerToClient;
    m.opcode = 0x2;
    m.compressed = true;
    m.complete = false;
    m.frames = 3;
    m.wireLength = 4000;
    m.length = payloadBytes + 100; // the decoder's own prefix cap already cut 100 bytes
    m.first = Timestamp{11};
    m.last = Timestamp{22};
    m.firstPacket = 5;
    m.lastPacket = 9;
    m.payload.assign(payloadBytes, fill);
    return m;
}

TEST(PayloadBudget, UnlimitedKeepsEverything) {
    PayloadBudget budget;
    for (int i = 0; i < 100; ++i) {
        const Message m = makeMessage(1000, 'a');
        EXPECT_EQ(budget.copy(m).payload, m.payload);
    }
    EXPECT_EQ(budget.kept(), 100'000u);
    EXPECT_EQ(budget.dropped(), 0u);
    EXPECT_FALSE(budget.exhausted());
}

TEST(PayloadBudget, WholeWhileItLastsThenHeads) {
    PayloadBudget budget(2500);
    const Message a = makeMessage(1000, 'a');
    const Message b = makeMessage(1000, 'b');
    const Message c = makeMessage(1000, 'c');
    const Message d = makeMessage(1000, 'd');
    EXPECT_EQ(budget.copy(a).payload, a.payload);
    EXPECT_EQ(budget.copy(b).payload, b.payload);
    // The third gets what is left of the budget, a prefix of its own bytes.
    EXPECT_EQ(budget.copy(c).payload, std::string(500, 'c'));
    EXPECT_TRUE(budget.exhausted());
    // From then on each message keeps its head only.
    EXPECT_EQ(budget.copy(d).payload, std::string(PayloadBudget::kHeadBytes, 'd'));
    EXPECT_EQ(budget.copy(makeMessage(3, 'e')).payload, "eee") << "short payloads stay whole";
    EXPECT_EQ(budget.kept(), 2500u + PayloadBudget::kHeadBytes + 3);
    EXPECT_EQ(budget.dropped(), 500u + 1000u - PayloadBudget::kHeadBytes);
}

TEST(PayloadBudget, CopiesEveryOtherField) {
    PayloadBudget budget(0);
    const Message m = makeMessage(100, 'x');
    const Message out = budget.copy(m);
    EXPECT_EQ(out.connection, m.connection);
    EXPECT_EQ(out.direction, m.direction);
    EXPECT_EQ(out.opcode, m.opcode);
    EXPECT_EQ(out.compressed, m.compressed);
    EXPECT_EQ(out.complete, m.complete);
    EXPECT_EQ(out.frames, m.frames);
    EXPECT_EQ(out.wireLength, m.wireLength);
    EXPECT_EQ(out.length, m.length);
    EXPECT_EQ(out.first, m.first);
    EXPECT_EQ(out.last, m.last);
    EXPECT_EQ(out.firstPacket, m.firstPacket);
    EXPECT_EQ(out.lastPacket, m.lastPacket);
    EXPECT_EQ(out.payload, std::string(PayloadBudget::kHeadBytes, 'x'));
    EXPECT_LT(out.payload.size(), out.length) << "consumers see the cut as a prefix";
}

TEST(PayloadBudget, HeadsNeedNoAllocation) {
    // The head is meant to fit std::string's inline buffer: its capacity is the inline one.
    PayloadBudget budget(0);
    const Message out = budget.copy(makeMessage(5000, 'h'));
    EXPECT_EQ(out.payload.capacity(), std::string().capacity());
}

} // namespace
} // namespace wst
