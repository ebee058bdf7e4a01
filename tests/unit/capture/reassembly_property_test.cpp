// SPDX-License-Identifier: MIT
// Randomised reassembly: a stream cut into random segments, some duplicated, some partly
// retransmitted, some lost, delivered out of order, at initial sequence numbers around the
// 2^32 wrap and with small or default buffer limits. Whatever happens, the reader sees every
// offset exactly once — as the original byte or inside a reported gap — and nothing else.
#include "capture/net/packet_decoder.h"
#include "capture/tcp/flow_table.h"
#include "capture/tcp/tcp_reassembler.h"
#include "tests/unit/capture/test_support.h"

#include <random>

namespace wst::test {
namespace {

struct Outcome {
    std::size_t delivered = 0;
    std::size_t gaps = 0;
    bool limitTripped = false;
};

Outcome runOnce(std::mt19937& rng, const Buf& data, bool loss, const Limits& limits) {
    std::vector<std::pair<std::size_t, std::size_t>> segments; // [from, to)
    for (std::size_t at = 0; at < data.size();) {
        const std::size_t n = std::uniform_int_distribution<std::size_t>(1, 200)(rng);
        const std::size_t to = std::min(data.size(), at + n);
        segments.emplace_back(at, to);
        at = to;
    }
    std::vector<std::pair<std::size_t, std::size_t>> sent;
    std::bernoulli_distribution coin(0.15);
    for (auto [from, to] : segments) {
        if (loss && coin(rng))
            continue; // lost before the capture point
        sent.emplace_back(from, to);
        if (coin(rng))
            sent.emplace_back(from, to);  // duplicate
        if (coin(rng) && to - from > 2) { // partial retransmission overlapping the next one
            const std::size_t a = from + (to - from) / 2;
            sent.emplace_back(a, std::min(data.size(), to + 17));
        }
    }
    // Reorder locally: each segment moves up to 6 places.
    for (std::size_t i = 0; i + 1 < sent.size(); ++i) {
        const std::size_t j =
            std::min(sent.size() - 1, i + std::uniform_int_distribution<std::size_t>(0, 6)(rng));
        std::swap(sent[i], sent[j]);
    }

    const std::uint32_t isn =
        0xffffffffu - std::uniform_int_distribution<std::uint32_t>(0, 3000)(rng);
    RecordedConnection conn;
    RecordingSink sink(conn);
    TcpReassembler r(Direction::ClientToServer, sink, limits);
    r.onSyn(isn);
    std::size_t maxEnd = 0;
    PacketNumber packet = 0;
    for (auto [from, to] : sent) {
        r.onSegment(isn + 1 + static_cast<std::uint32_t>(from),
                    Bytes(data).subspan(from, to - from), static_cast<std::uint32_t>(to - from),
                    false, {++packet, Timestamp{}});
        maxEnd = std::max(maxEnd, to);
        EXPECT_LE(r.heldBytes(), limits.reassemblyBytesPerDirection + 256);
        EXPECT_LE(r.heldSegments(), limits.reassemblySegmentsPerDirection + 1);
    }
    r.close(CloseReason::EndOfCapture, {++packet, Timestamp{}});

    Outcome run;
    for (const auto& [offset, bytes] : conn.chunks[0]) {
        EXPECT_TRUE(std::equal(bytes.begin(), bytes.end(),
                               data.begin() + static_cast<std::ptrdiff_t>(offset)))
            << "bytes at offset " << offset << " are the original ones";
        run.delivered += bytes.size();
    }
    run.gaps = conn.gapBytes[0];
    EXPECT_EQ(run.delivered + run.gaps, maxEnd) << "every offset once: data or gap";
    EXPECT_EQ(countPrefix(conn.events, "notice c2s overlap_conflict"), 0u);
    run.limitTripped = countPrefix(conn.events, "notice c2s buffer_limit_exceeded") > 0;
    EXPECT_EQ(conn.events.back(), "close c2s end_of_capture");
    return run;
}

TEST(ReassemblyProperty, RandomSegmentationReorderingAndDuplicates) {
    std::mt19937 rng(20261124);
    const Buf data = pattern(3000, 17);
    for (int i = 0; i < 300; ++i) {
        const Outcome run = runOnce(rng, data, false, Limits{});
        EXPECT_EQ(run.gaps, 0u) << "nothing lost, nothing skipped";
        EXPECT_EQ(run.delivered, data.size());
    }
}

TEST(ReassemblyProperty, RandomLossAndTightLimits) {
    std::mt19937 rng(7);
    const Buf data = pattern(3000, 18);
    Limits tight;
    tight.reassemblySegmentsPerDirection = 4;
    tight.reassemblyBytesPerDirection = 500;
    std::size_t tripped = 0, gapped = 0;
    for (int i = 0; i < 300; ++i) {
        const Outcome run = runOnce(rng, data, i % 2 == 0, i % 3 == 0 ? tight : Limits{});
        tripped += run.limitTripped ? 1 : 0;
        gapped += run.gaps > 0 ? 1 : 0;
    }
    EXPECT_GT(tripped, 0u) << "the tight limits were exercised";
    EXPECT_GT(gapped, 0u) << "losses were exercised";
}

// Valid packets of every link type with random bytes changed and random snap lengths: the
// decoder never points outside the captured bytes and the flow table's sinks keep their
// invariants (contiguous offsets, one close per direction). The ASan build checks the reads.
TEST(DecodeProperty, MutatedPacketsStayInBoundsAndKeepInvariants) {
    std::mt19937 rng(99);
    RecordingObserver observer;
    Limits limits;
    limits.reassemblySegmentsPerDirection = 16;
    FlowTable flows(observer, limits);
    const std::vector<LinkType> types = {LinkType::Ethernet, LinkType::LinuxSll2, LinkType::Raw,
                                         LinkType::Null};
    std::size_t ok = 0;
    for (int i = 0; i < 20000; ++i) {
        Tcp t;
        t.sport = static_cast<std::uint16_t>(40000 + i % 7);
        t.seq = 0xfffffff0u + static_cast<std::uint32_t>(i % 50) * 10;
        t.flags = static_cast<std::uint8_t>(rng() & 0x3f);
        t.payload = pattern(i % 23, 1);
        const bool v6 = i % 2 == 0;
        const Buf ip = v6 ? ipv6(6, tcp(t)) : ipv4(tcp(t));
        const LinkType type = types[static_cast<std::size_t>(i) % types.size()];
        Buf frame;
        switch (type) {
        case LinkType::Ethernet:
            frame = ethernet(v6 ? 0x86dd : 0x0800, ip,
                             i % 3 == 0 ? std::vector<std::uint16_t>{0x8100}
                                        : std::vector<std::uint16_t>{});
            break;
        case LinkType::LinuxSll2:
            frame = cat(Buf{static_cast<std::uint8_t>(v6 ? 0x86 : 0x08),
                            static_cast<std::uint8_t>(v6 ? 0xdd : 0x00),
                            0,
                            0,
                            0,
                            0,
                            0,
                            1,
                            3,
                            4,
                            0,
                            6,
                            0,
                            0,
                            0,
                            0,
                            0,
                            0,
                            0,
                            0},
                        ip);
            break;
        case LinkType::Null:
            frame = cat(Buf{static_cast<std::uint8_t>(v6 ? 30 : 2), 0, 0, 0}, ip);
            break;
        default:
            frame = ip;
        }
        const int flips = std::uniform_int_distribution<int>(0, 4)(rng);
        for (int f = 0; f < flips; ++f)
            frame[std::uniform_int_distribution<std::size_t>(
                0, std::min<std::size_t>(frame.size() - 1, 80))(rng)] =
                static_cast<std::uint8_t>(rng());
        const std::size_t caplen =
            i % 5 == 0 ? std::uniform_int_distribution<std::size_t>(0, frame.size())(rng)
                       : frame.size();
        const Buf captured(frame.begin(), frame.begin() + static_cast<std::ptrdiff_t>(caplen));
        RawPacket p;
        p.number = static_cast<PacketNumber>(i + 1);
        p.linkType = type;
        p.capturedLength = static_cast<std::uint32_t>(caplen);
        p.originalLength = static_cast<std::uint32_t>(frame.size());
        p.data = Bytes(captured);
        const DecodedPacket d = decodePacket(p);
        if (d.status != DecodeStatus::Ok)
            continue;
        ++ok;
        if (!d.tcp.payload.empty()) {
            ASSERT_GE(d.tcp.payload.data(), captured.data());
            ASSERT_LE(d.tcp.payload.data() + d.tcp.payload.size(), captured.data() + caplen);
        }
        ASSERT_LE(d.tcp.payload.size(), d.tcp.payloadLengthOnWire);
        flows.onSegment(d.tcp, {p.number, Timestamp{i * 1000}});
    }
    flows.finish({});
    EXPECT_GT(ok, 5000u);
    for (const auto& c : observer.conns)
        EXPECT_TRUE(c->ended);
}

} // namespace
} // namespace wst::test
