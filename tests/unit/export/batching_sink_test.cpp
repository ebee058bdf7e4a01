// SPDX-License-Identifier: MIT
// BatchingSink: appending its batches rebuilds exactly the Trace of the same run, however
// the batch boundaries fall.
#include "decoder/model/batching_sink.h"
#include "decoder/model/sink_fanout.h"
#include "tests/unit/export/pipeline_fixture.h"

#include <gtest/gtest.h>
#include <thread>

using namespace wst;

namespace {

/// The fields a consumer reads, as a comparable tuple (Event has padding; no memcmp).
auto key(const Event& e) {
    return std::tuple(e.time.ns, e.packet, e.streamOffset, e.length, e.connection, e.ref,
                      static_cast<int>(e.kind), static_cast<int>(e.direction), e.opcode,
                      e.frameFlags, e.closeCode, e.status);
}

void expectSameTrace(const Trace& rebuilt, const Trace& direct) {
    ASSERT_EQ(rebuilt.events.size(), direct.events.size());
    for (std::size_t i = 0; i < direct.events.size(); ++i) {
        ASSERT_EQ(key(rebuilt.events[i]), key(direct.events[i])) << "event " << i;
    }
    ASSERT_EQ(rebuilt.messages.size(), direct.messages.size());
    for (std::size_t i = 0; i < direct.messages.size(); ++i) {
        EXPECT_EQ(rebuilt.messages[i].payload, direct.messages[i].payload) << i;
        EXPECT_EQ(rebuilt.messages[i].length, direct.messages[i].length) << i;
    }
    ASSERT_EQ(rebuilt.anomalies.size(), direct.anomalies.size());
    for (std::size_t i = 0; i < direct.anomalies.size(); ++i) {
        EXPECT_EQ(rebuilt.anomalies[i].id, direct.anomalies[i].id) << i;
        EXPECT_EQ(rebuilt.anomalies[i].packet, direct.anomalies[i].packet) << i;
    }
    ASSERT_EQ(rebuilt.connections.size(), direct.connections.size());
    for (std::size_t i = 0; i < direct.connections.size(); ++i) {
        const Connection& a = rebuilt.connections[i];
        const Connection& b = direct.connections[i];
        EXPECT_EQ(a.id, b.id);
        EXPECT_EQ(a.outcome, b.outcome);
        EXPECT_EQ(a.stats[0].framesByOpcode, b.stats[0].framesByOpcode);
        EXPECT_EQ(a.stats[1].framesByOpcode, b.stats[1].framesByOpcode);
        EXPECT_TRUE(a.finished);
    }
    EXPECT_EQ(rebuilt.eventIndex, direct.eventIndex);
    EXPECT_EQ(rebuilt.anomalyIndex, direct.anomalyIndex);
    EXPECT_EQ(rebuilt.stats.packets, direct.stats.packets);
    EXPECT_EQ(rebuilt.finished, direct.finished);
}

/// Appends batches to a Trace as the GUI's session does, checking their numbering.
struct Rebuilder {
    Trace store;
    std::uint64_t batches = 0;
    bool sawFinish = false;

    void apply(TraceBatch&& b) {
        EXPECT_EQ(b.sequence, batches) << "batches arrive numbered 0, 1, 2, ...";
        EXPECT_EQ(b.firstMessage, store.messages.size());
        EXPECT_EQ(b.firstAnomaly, store.anomalies.size());
        EXPECT_FALSE(sawFinish) << "nothing after the finishing batch";
        ++batches;
        const bool finishing = b.finished.has_value();
        store.append(std::move(b));
        sawFinish = finishing;
    }
};

TEST(BatchingSink, BatchesRebuildTheSameTrace) {
    Trace direct;
    test::runPipeline(test::generatedCapture().pcap, direct);

    for (std::size_t maxEvents : {std::size_t{1}, std::size_t{7}, std::size_t{100000}}) {
        Rebuilder r;
        BatchingSink batching([&r](TraceBatch&& b) { r.apply(std::move(b)); },
                              std::chrono::milliseconds(50), maxEvents);
        test::runPipeline(test::generatedCapture().pcap, batching);
        EXPECT_TRUE(r.sawFinish);
        if (maxEvents == 1) {
            EXPECT_GE(r.batches, direct.events.size());
        }
        expectSameTrace(r.store, direct);
    }
}

TEST(BatchingSink, PayloadBudgetCutsPayloadsInCaptureOrder) {
    Trace direct;
    test::runPipeline(test::generatedCapture().pcap, direct);
    std::uint64_t all = 0;
    for (const Message& m : direct.messages) {
        all += m.payload.size();
    }
    ASSERT_GT(all, 4096u);
    const std::uint64_t budget = all / 4;

    Rebuilder r;
    std::uint64_t reportedDropped = 0;
    BatchingSink batching(
        [&](TraceBatch&& b) {
            EXPECT_GE(b.payloadBytesDropped, reportedDropped) << "a run total, never shrinks";
            reportedDropped = b.payloadBytesDropped;
            r.apply(std::move(b));
        },
        std::chrono::milliseconds(50), 64);
    batching.setPayloadBudget(budget);
    test::runPipeline(test::generatedCapture().pcap, batching);
    ASSERT_EQ(r.store.messages.size(), direct.messages.size());
    std::uint64_t kept = 0, dropped = 0;
    bool cut = false;
    for (std::size_t i = 0; i < direct.messages.size(); ++i) {
        const std::string& whole = direct.messages[i].payload;
        const std::string& got = r.store.messages[i].payload;
        EXPECT_EQ(whole.compare(0, got.size(), got), 0) << "a prefix of the payload, " << i;
        EXPECT_EQ(r.store.messages[i].length, direct.messages[i].length) << i;
        if (got.size() < whole.size()) {
            EXPECT_TRUE(!cut || got.size() == PayloadBudget::kHeadBytes)
                << "after the first cut, payloads keep their head, " << i;
            cut = true;
        } else {
            EXPECT_FALSE(cut && whole.size() > PayloadBudget::kHeadBytes)
                << "after the first cut, only payloads up to a head stay whole (" << i << ")";
        }
        kept += got.size();
        dropped += whole.size() - got.size();
    }
    EXPECT_TRUE(cut);
    EXPECT_LE(kept, budget + PayloadBudget::kHeadBytes * direct.messages.size());
    EXPECT_EQ(dropped, reportedDropped);
    // Everything else is as without a budget.
    EXPECT_EQ(r.store.events.size(), direct.events.size());
    EXPECT_EQ(r.store.anomalies.size(), direct.anomalies.size());
}

TEST(BatchingSink, FlushesOnWallTime) {
    std::vector<TraceBatch> got;
    BatchingSink batching([&got](TraceBatch&& b) { got.push_back(std::move(b)); },
                          std::chrono::milliseconds(200), 1'000'000);
    Connection c;
    c.id = 1;
    batching.onConnectionStart(c);
    batching.poll();
    EXPECT_TRUE(got.empty()) << "the interval has not passed yet";
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    batching.poll();
    ASSERT_EQ(got.size(), 1u);
    ASSERT_EQ(got[0].connections.size(), 1u);
    EXPECT_EQ(got[0].connections[0].id, 1u);
    batching.poll();
    EXPECT_EQ(got.size(), 1u) << "an empty batch is never handed over";
}

} // namespace
