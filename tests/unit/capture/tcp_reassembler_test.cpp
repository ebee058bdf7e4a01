// SPDX-License-Identifier: MIT
// TcpReassembler on its own: every case runs with initial sequence numbers just below 2^32 so
// that the 32-bit wrap falls inside the stream (libtins' tcp_ip tests do the same).
#include "capture/tcp/tcp_reassembler.h"
#include "tests/unit/capture/test_support.h"

#include <algorithm>
#include <numeric>
#include <optional>
#include <random>

namespace wst::test {
namespace {

constexpr Direction C2S = Direction::ClientToServer;
const std::vector<std::uint32_t> kIsns = {0xffffffffu,      0xfffffffeu, 0xffffffffu - 20,
                                          0xffffffffu - 33, 0u,          20u};

struct Segment {
    std::uint64_t offset;
    Buf bytes;
};

struct Harness {
    explicit Harness(std::uint32_t isn, Limits l = {}, const Bytes* stable = nullptr)
        : limits(l)
        , sink(conn)
        , r(C2S, sink, limits, stable)
        , isn(isn) {
        r.onSyn(isn);
    }
    std::uint32_t seqOf(std::uint64_t offset) const {
        return isn + 1 + static_cast<std::uint32_t>(offset);
    }
    void send(std::uint64_t offset, Bytes bytes, bool fin = false) {
        r.onSegment(seqOf(offset), bytes, static_cast<std::uint32_t>(bytes.size()), fin,
                    {++packet, Timestamp{}});
    }
    void ack(std::uint64_t offset) { r.onPeerAck(seqOf(offset), {++packet, Timestamp{}}); }
    void close(CloseReason reason = CloseReason::EndOfCapture) {
        r.close(reason, {++packet, Timestamp{}});
    }
    Limits limits;
    RecordedConnection conn;
    RecordingSink sink;
    TcpReassembler r;
    std::uint32_t isn;
    PacketNumber packet = 0;
};

Buf slice(const Buf& b, std::size_t from, std::size_t to) {
    return Buf(b.begin() + static_cast<std::ptrdiff_t>(from),
               b.begin() + static_cast<std::ptrdiff_t>(to));
}

/// The bytes a reader gets when the first arrival of each byte wins: the reference model.
Buf firstArrivalWins(const std::vector<Segment>& arrivals, std::size_t length,
                     std::size_t* conflicting) {
    std::vector<std::optional<std::uint8_t>> model(length);
    *conflicting = 0;
    for (const Segment& s : arrivals) {
        bool conflict = false;
        for (std::size_t i = 0; i < s.bytes.size(); ++i) {
            auto& slot = model[s.offset + i];
            if (slot && *slot != s.bytes[i])
                conflict = true;
            if (!slot)
                slot = s.bytes[i];
        }
        *conflicting += conflict ? 1 : 0;
    }
    Buf out;
    for (auto& b : model)
        out.push_back(b.value());
    return out;
}

/// Feeds `segments` in every order (5 segments: 120 orders) and at every ISN; the last one
/// carries the FIN. Checks the stream against the first-arrival-wins model.
void everyPermutation(const std::vector<Segment>& segments, std::size_t length) {
    std::vector<std::size_t> order(segments.size());
    std::iota(order.begin(), order.end(), 0);
    int orders = 0;
    do {
        for (std::uint32_t isn : kIsns) {
            Harness h(isn);
            std::vector<Segment> arrivals;
            for (std::size_t i : order) {
                arrivals.push_back(segments[i]);
                h.send(segments[i].offset, segments[i].bytes, i + 1 == segments.size());
            }
            std::size_t conflicting = 0;
            const Buf expected = firstArrivalWins(arrivals, length, &conflicting);
            ASSERT_EQ(h.conn.data[0], expected) << "isn " << isn << " order #" << orders;
            EXPECT_EQ(h.conn.gapBytes[0], 0u);
            EXPECT_EQ(countPrefix(h.conn.events, "notice c2s overlap_conflict"), conflicting);
            EXPECT_EQ(h.conn.events.back(), "close c2s fin");
            EXPECT_EQ(h.r.heldBytes(), 0u);
        }
        ++orders;
    } while (std::next_permutation(order.begin(), order.end()));
    EXPECT_EQ(orders, 120);
}

TEST(TcpReassembler, InOrderAcrossTheWrap) {
    const Buf data = pattern(50, 3);
    for (std::uint32_t isn : kIsns) {
        Harness h(isn);
        for (std::size_t o = 0; o < 50; o += 10)
            h.send(o, slice(data, o, o + 10), o == 40);
        EXPECT_EQ(h.conn.data[0], data);
        const std::vector<std::string> expected = {"data c2s 0 10",  "data c2s 10 10",
                                                   "data c2s 20 10", "data c2s 30 10",
                                                   "data c2s 40 10", "close c2s fin"};
        EXPECT_EQ(h.conn.events, expected) << isn;
    }
}

TEST(TcpReassembler, ReversedAcrossTheWrap) {
    const Buf data = pattern(50, 4);
    for (std::uint32_t isn : kIsns) {
        Harness h(isn);
        for (int o = 40; o >= 0; o -= 10)
            h.send(static_cast<std::uint64_t>(o), slice(data, o, o + 10), o == 40);
        EXPECT_EQ(h.conn.data[0], data);
        EXPECT_EQ(h.r.heldSegments(), 0u);
        EXPECT_EQ(h.conn.events.back(), "close c2s fin");
    }
}

TEST(TcpReassembler, EveryPermutationOfFiveSegments) {
    const Buf data = pattern(50, 5);
    std::vector<Segment> segments;
    for (std::size_t o = 0; o < 50; o += 10)
        segments.push_back({o, slice(data, o, o + 10)});
    everyPermutation(segments, 50);
}

TEST(TcpReassembler, EveryPermutationOfOverlappingEqualSegments) {
    const Buf data = pattern(50, 6);
    const std::vector<std::pair<std::size_t, std::size_t>> ranges = {
        {0, 12}, {10, 25}, {20, 33}, {30, 41}, {38, 50}};
    std::vector<Segment> segments;
    for (auto [a, b] : ranges)
        segments.push_back({a, slice(data, a, b)});
    everyPermutation(segments, 50);
}

TEST(TcpReassembler, EveryPermutationOfOverlappingDifferentSegments) {
    // Segment 2 disagrees with its neighbours about bytes 20..22 and 30..32: whichever
    // arrived first wins, and every later disagreeing arrival is reported once.
    const Buf data = pattern(50, 7);
    const std::vector<std::pair<std::size_t, std::size_t>> ranges = {
        {0, 12}, {10, 25}, {20, 33}, {30, 41}, {38, 50}};
    std::vector<Segment> segments;
    for (auto [a, b] : ranges)
        segments.push_back({a, slice(data, a, b)});
    for (auto& byte : segments[2].bytes)
        byte ^= 0x5a;
    everyPermutation(segments, 50);
}

TEST(TcpReassembler, DuplicatesAndRetransmissionsDropped) {
    const Buf data = pattern(40, 8);
    for (std::uint32_t isn : kIsns) {
        Harness h(isn);
        h.send(0, slice(data, 0, 20));
        h.send(0, slice(data, 0, 20));   // exact retransmission
        h.send(5, slice(data, 5, 15));   // inside delivered bytes
        h.send(30, slice(data, 30, 40)); // held
        h.send(30, slice(data, 30, 40)); // held twice
        h.send(10, slice(data, 10, 35)); // fills the hole, overlaps both sides
        EXPECT_EQ(h.conn.data[0], data);
        EXPECT_EQ(countPrefix(h.conn.events, "notice"), 0u);
        EXPECT_EQ(h.r.heldSegments(), 0u);
    }
}

TEST(TcpReassembler, ConflictWithDeliveredBytesKeepsTheFirst) {
    const Buf data = pattern(30, 9);
    Harness h(0xfffffff0u);
    h.send(0, slice(data, 0, 20));
    Buf changed = slice(data, 10, 30);
    changed[3] ^= 1; // offset 13 differs
    h.send(10, changed);
    EXPECT_EQ(h.conn.data[0], data);
    EXPECT_TRUE(contains(h.conn.events, "notice c2s overlap_conflict 13 10"));
}

TEST(TcpReassembler, ConflictSaysWhichCopyALinuxReceiverTakes) {
    const Buf data = pattern(40, 9);
    Buf changed = data;
    for (auto& b : changed)
        b ^= 0x33;
    {
        // The later copy starts lower: Linux delivers its bytes (tcp_data_queue_ofo).
        Harness h(0xfffffff0u);
        h.send(0, slice(data, 0, 5));
        h.send(10, slice(data, 10, 20));
        h.send(8, slice(changed, 8, 20));
        EXPECT_TRUE(contains(h.conn.events, "notice c2s overlap_conflict_later_wins 10 10"));
    }
    {
        // The later copy lies inside the first: Linux keeps the first.
        Harness h(0xfffffff0u);
        h.send(0, slice(data, 0, 5));
        h.send(10, slice(data, 10, 30));
        h.send(15, slice(changed, 15, 25));
        EXPECT_TRUE(contains(h.conn.events, "notice c2s overlap_conflict 15 10"));
    }
    {
        // Same start, the later copy covers the first: Linux replaces it.
        Harness h(0xfffffff0u);
        h.send(0, slice(data, 0, 5));
        h.send(10, slice(data, 10, 20));
        h.send(10, slice(changed, 10, 30));
        EXPECT_TRUE(contains(h.conn.events, "notice c2s overlap_conflict_later_wins 10 10"));
    }
}

TEST(TcpReassembler, FinOutOfSequenceOrderIsIgnored) {
    for (std::uint32_t isn : kIsns) {
        Harness h(isn);
        h.send(0, pattern(20, 1));
        h.send(4, Buf{}, true); // before bytes already seen (RFC 9293 §3.10.7.4)
        EXPECT_FALSE(h.r.isClosed());
        h.send(20, pattern(5, 2));
        EXPECT_EQ(h.conn.data[0].size(), 25u);
        h.send(25, Buf{}, true);
        EXPECT_TRUE(h.r.isClosed());
        EXPECT_EQ(countPrefix(h.conn.events, "notice c2s fin_out_of_window 20 "), 1u);
    }
}

TEST(TcpReassembler, FinBelowThePeersAckIsIgnoredButItsOwnAckIsNot) {
    Harness h(0xfffffff0u);
    h.r.onPeerAck(h.seqOf(30), {++h.packet, Timestamp{}}, 65536); // bytes missed by the capture
    h.send(0, pattern(20, 1));
    h.send(25, Buf{}, true); // the peer already acknowledged 30: old
    EXPECT_EQ(countPrefix(h.conn.events, "notice c2s fin_out_of_window"), 1u);
    h.send(29, Buf{}, true); // the FIN the ACK of 30 acknowledged
    h.close();
    EXPECT_EQ(h.conn.events.back(), "close c2s fin");
}

TEST(TcpReassembler, WindowPlaceFollowsThePeersAckAndWindow) {
    Harness h(0xffffff00u);
    EXPECT_TRUE(h.r.inWindow(h.seqOf(1'000'000'000)).inside); // nothing known: kMaxWindow
    h.send(0, pattern(100, 1));
    h.r.onPeerAck(h.seqOf(60), {++h.packet, Timestamp{}}, 1000);
    EXPECT_TRUE(h.r.inWindow(h.seqOf(60)).inside);   // RCV.NXT exactly
    EXPECT_TRUE(h.r.inWindow(h.seqOf(100)).inside);  // the sender's next byte
    EXPECT_TRUE(h.r.inWindow(h.seqOf(1100)).inside); // the window's end
    EXPECT_FALSE(h.r.inWindow(h.seqOf(1101)).inside);
    EXPECT_FALSE(h.r.inWindow(h.seqOf(59)).inside);
    EXPECT_EQ(h.r.inWindow(h.seqOf(59)).distance, -1);
    EXPECT_EQ(h.r.inWindow(h.seqOf(59)).next, 60u);
    EXPECT_FALSE(h.r.inWindow(h.seqOf(0) + 0x80000000u).inside); // half the space away
}

TEST(TcpReassembler, KeepAliveProbeIsNotAConflict) {
    Harness h(0xfffffff8u);
    h.send(0, pattern(10, 1));
    h.send(9, Buf{0}); // RFC 9293 §3.8.4: one garbage byte at SND.NXT - 1
    EXPECT_EQ(countPrefix(h.conn.events, "notice"), 0u);
}

TEST(TcpReassembler, GapReportedWhenClosedAndDataAfterItDelivered) {
    const Buf data = pattern(50, 10);
    for (std::uint32_t isn : kIsns) {
        Harness h(isn);
        h.send(0, slice(data, 0, 10));
        h.send(20, slice(data, 20, 30));
        h.send(40, slice(data, 40, 50));
        h.close();
        const std::vector<std::string> expected = {"data c2s 0 10",  "gap c2s 10 10",
                                                   "data c2s 20 10", "gap c2s 30 10",
                                                   "data c2s 40 10", "close c2s end_of_capture"};
        EXPECT_EQ(h.conn.events, expected);
    }
}

TEST(TcpReassembler, PeerAckPastAHoleReportsTheGap) {
    const Buf data = pattern(30, 11);
    Harness h(0xfffffffau);
    h.send(0, slice(data, 0, 10));
    h.send(20, slice(data, 20, 30));
    h.ack(5); // below the hole: nothing
    EXPECT_EQ(h.conn.events.size(), 1u);
    h.ack(30); // the peer got bytes 10..20 that the capture missed
    const std::vector<std::string> expected = {"data c2s 0 10", "gap c2s 10 10", "data c2s 20 10"};
    EXPECT_EQ(h.conn.events, expected);
}

TEST(TcpReassembler, AckWithoutHeldDataDoesNotInventAGap) {
    Harness h(0xfffffffau);
    h.send(0, pattern(10, 1));
    h.ack(20); // data may still come (capture reordering): no gap yet
    h.send(10, pattern(10, 2));
    EXPECT_EQ(h.conn.gapBytes[0], 0u);
    EXPECT_EQ(h.conn.data[0].size(), 20u);
}

TEST(TcpReassembler, FinWithAHoleWaitsForTheHole) {
    const Buf data = pattern(30, 12);
    Harness h(0xfffffff5u);
    h.send(0, slice(data, 0, 10));
    h.send(20, slice(data, 20, 30), true); // FIN, with 10..20 missing
    EXPECT_FALSE(h.r.isClosed());
    h.send(10, slice(data, 10, 20)); // the retransmission fills it
    EXPECT_EQ(h.conn.data[0], data);
    EXPECT_EQ(h.conn.events.back(), "close c2s fin");
}

TEST(TcpReassembler, FinWithAHoleAckedReportsGapThenClose) {
    const Buf data = pattern(30, 12);
    Harness h(0xfffffff5u);
    h.send(0, slice(data, 0, 10));
    h.send(20, slice(data, 20, 30), true);
    h.ack(31); // the peer acknowledged the FIN: the hole will never be filled
    const std::vector<std::string> expected = {"data c2s 0 10", "gap c2s 10 10", "data c2s 20 10",
                                               "close c2s fin"};
    EXPECT_EQ(h.conn.events, expected);
}

TEST(TcpReassembler, FinWithAHoleAtEndOfCapture) {
    Harness h(0xffffffffu);
    h.send(0, pattern(10, 1));
    h.send(30, Buf{}, true); // bare FIN at 30: 10..30 never seen
    h.close();
    const std::vector<std::string> expected = {"data c2s 0 10", "gap c2s 10 20", "close c2s fin"};
    EXPECT_EQ(h.conn.events, expected);
}

TEST(TcpReassembler, DataAfterFinIsReportedAndDropped) {
    Harness h(0xfffffff0u);
    h.send(0, pattern(10, 1), true);
    h.send(10, pattern(5, 2));
    h.send(11, pattern(5, 3));
    const std::vector<std::string> expected = {"data c2s 0 10", "close c2s fin",
                                               "notice c2s data_after_fin 10 5"};
    EXPECT_EQ(h.conn.events, expected);
    EXPECT_EQ(h.conn.data[0].size(), 10u);
}

TEST(TcpReassembler, SegmentLimitSkipsTheHole) {
    Limits limits;
    limits.reassemblySegmentsPerDirection = 2;
    const Buf data = pattern(60, 13);
    for (std::uint32_t isn : kIsns) {
        Harness h(isn, limits);
        h.send(0, slice(data, 0, 10));
        h.send(20, slice(data, 20, 30));
        h.send(30, slice(data, 30, 40));
        EXPECT_EQ(h.conn.events.size(), 1u);
        h.send(50, slice(data, 50, 60)); // third held segment: over the limit
        const std::vector<std::string> expected = {
            "data c2s 0 10", "notice c2s buffer_limit_exceeded 10 30", "gap c2s 10 10",
            "data c2s 20 10", "data c2s 30 10"};
        EXPECT_EQ(h.conn.events, expected);
        EXPECT_EQ(h.r.heldSegments(), 1u);
        EXPECT_LE(h.r.heldSegments(), limits.reassemblySegmentsPerDirection);
    }
}

TEST(TcpReassembler, ByteLimitSkipsHolesUntilWithinBounds) {
    Limits limits;
    limits.reassemblyBytesPerDirection = 25;
    const Buf data = pattern(100, 14);
    Harness h(0xffffff00u, limits);
    h.send(10, slice(data, 10, 20));
    h.send(30, slice(data, 30, 40));
    EXPECT_TRUE(h.conn.events.empty());
    h.send(50, slice(data, 50, 60)); // 30 bytes held > 25
    EXPECT_EQ(h.conn.events.front(), "notice c2s buffer_limit_exceeded 0 30");
    EXPECT_LE(h.r.heldBytes(), 25u);
    EXPECT_EQ(h.r.nextOffset(), 20u); // skipped 0..10, delivered 10..20
    EXPECT_EQ(h.conn.gapBytes[0], 10u);
}

TEST(TcpReassembler, SnapLengthCutTailBecomesAGap) {
    const Buf data = pattern(100, 15);
    for (std::uint32_t isn : kIsns) {
        Harness h(isn);
        // 40 bytes on the wire, 16 captured; in order.
        h.r.onSegment(h.seqOf(0), Bytes(data).first(16), 40, false, {1, Timestamp{}});
        // Out of order: 40 on the wire at 60, 8 captured; then 40..60 in full.
        h.r.onSegment(h.seqOf(60), Bytes(data).subspan(60, 8), 40, true, {2, Timestamp{}});
        h.send(40, slice(data, 40, 60));
        const std::vector<std::string> expected = {"data c2s 0 16",  "gap c2s 16 24",
                                                   "data c2s 40 20", "data c2s 60 8",
                                                   "gap c2s 68 32",  "close c2s fin"};
        EXPECT_EQ(h.conn.events, expected);
    }
}

TEST(TcpReassembler, MidStreamStartsAtFirstSequenceSeen) {
    RecordedConnection conn;
    RecordingSink sink(conn);
    Limits limits;
    TcpReassembler r(C2S, sink, limits);
    const Buf data = pattern(30, 16);
    r.onSegment(0xfffffff6u, Bytes(data).subspan(10, 10), 10, false, {1, Timestamp{}});
    r.onSegment(0xfffffff6u - 10, Bytes(data).first(10), 10, false, {2, Timestamp{}});
    r.onSegment(0xfffffff6u + 10, Bytes(data).subspan(20), 10, false, {3, Timestamp{}});
    // Offset 0 is the first byte seen; bytes before it are dropped.
    EXPECT_EQ(conn.data[0], slice(data, 10, 30));
}

TEST(TcpReassembler, ClosedOnceOnly) {
    Harness h(0xfffffff0u);
    h.send(0, pattern(10, 1), true);
    h.close(CloseReason::Rst);
    h.close(CloseReason::EndOfCapture);
    EXPECT_EQ(countPrefix(h.conn.events, "close"), 1u);
}

TEST(TcpReassembler, RetransmitCheckWindowIsBounded) {
    Limits limits;
    limits.retransmitCheckBytes = 16;
    Harness h(0xffffffe0u, limits);
    h.send(0, pattern(64, 1));
    Buf old = pattern(64, 1);
    old[0] ^= 1;  // beyond the 16-byte window: not compared
    old[60] ^= 1; // inside it: a conflict
    h.send(0, slice(old, 0, 10));
    EXPECT_EQ(countPrefix(h.conn.events, "notice"), 0u);
    h.send(0, old);
    EXPECT_TRUE(contains(h.conn.events, "notice c2s overlap_conflict 60 16"));
}

TEST(TcpReassembler, StableMemoryRemembersByReferenceWithTheSameFindings) {
    // Payloads inside stable memory (a mapped file) are remembered by reference, the rest
    // copied; the retransmission check must find exactly what the copying reassembler finds.
    // Random segments from 1 byte to 3000 (so references are retired into the ring, dropped,
    // or both), retransmissions near and beyond the window, some with a changed byte,
    // out-of-order segments (delivered from held copies) and acknowledged holes (gaps).
    for (const std::size_t window : {std::size_t{16}, std::size_t{4096}}) {
        for (std::uint32_t seed = 1; seed <= 40; ++seed) {
            std::mt19937 rng(seed);
            const Buf stream = pattern(400000, static_cast<std::uint8_t>(seed));
            const Bytes stable(stream);
            Limits limits;
            limits.retransmitCheckBytes = window;
            Harness byRef(0xfffff000u, limits, &stable), copied(0xfffff000u, limits);
            auto both = [&](std::uint64_t offset, Bytes bytes) {
                byRef.send(offset, bytes);
                const Buf copy(bytes.begin(), bytes.end());
                copied.send(offset, Bytes(copy));
            };
            std::uint64_t next = 0;
            std::vector<Buf> altered; // unstable bytes, alive until the end of the run
            while (next + 6000 < stream.size()) {
                const auto roll = rng() % 100;
                const std::size_t size = roll < 30 ? 1 + rng() % 40 : 1 + rng() % 3000;
                if (roll < 80) {
                    both(next, stable.subspan(next, size));
                    next += size;
                } else if (roll < 92 && next > 0) {
                    // A retransmission of delivered bytes, up to 8000 back.
                    const std::uint64_t back = 1 + rng() % std::min<std::uint64_t>(next, 8000);
                    const std::uint64_t from = next - back;
                    const std::size_t n = static_cast<std::size_t>(
                        std::min<std::uint64_t>(1 + rng() % 2000, next - from));
                    altered.emplace_back(stream.begin() + static_cast<std::ptrdiff_t>(from),
                                         stream.begin() + static_cast<std::ptrdiff_t>(from + n));
                    if (rng() % 2 == 0) {
                        altered.back()[rng() % n] ^= 0x20;
                        both(from, Bytes(altered.back()));
                    } else {
                        both(from, stable.subspan(from, n));
                    }
                } else if (roll < 97) {
                    // Out of order: the later half first, then the hole.
                    both(next + size, stable.subspan(next + size, size));
                    both(next, stable.subspan(next, size));
                    next += 2 * size;
                } else {
                    // A hole the peer acknowledged: reported as a gap, history starts again.
                    both(next + size, stable.subspan(next + size, 100));
                    byRef.ack(next + size);
                    copied.ack(next + size);
                    next += size + 100;
                }
            }
            byRef.close();
            copied.close();
            ASSERT_EQ(byRef.conn.events, copied.conn.events) << "seed " << seed;
            EXPECT_EQ(byRef.conn.data[0], copied.conn.data[0]);
            if (window == 4096) {
                EXPECT_GT(countPrefix(copied.conn.events, "notice c2s overlap_conflict"), 0u);
            }
        }
    }
}

} // namespace
} // namespace wst::test
