// SPDX-License-Identifier: MIT
#include "capture/tcp/flow_table.h"
#include "tests/unit/capture/test_support.h"

#include <algorithm>
#include <random>

namespace wst::test {
namespace {

Endpoint ep(std::uint8_t last, std::uint16_t port, bool v6 = false) {
    Endpoint e;
    e.address.v6 = v6;
    if (v6) {
        e.address.bytes = v6addr(last);
    } else {
        e.address.bytes[0] = 10;
        e.address.bytes[3] = last;
    }
    e.port = port;
    return e;
}

struct Table {
    explicit Table(Limits l = {})
        : limits(l)
        , flows(observer, limits) {}

    /// One segment from `from` to `to` at capture time `seconds`.
    void seg(const Endpoint& from, const Endpoint& to, std::uint32_t seq, std::uint32_t ack,
             std::uint8_t flags, const Buf& payload = {}, double seconds = 0) {
        TcpSegment s;
        s.source = from;
        s.destination = to;
        s.seq = seq;
        s.ack = ack;
        s.flags = flags;
        s.window = 1000;
        s.payload = Bytes(payload);
        s.payloadLengthOnWire = static_cast<std::uint32_t>(payload.size());
        last = {++packet, Timestamp{static_cast<std::int64_t>(seconds * 1e9)}};
        flows.onSegment(s, last);
    }
    RecordedConnection& conn(ConnId id) { return *observer.conns.at(id - 1); }

    Limits limits;
    RecordingObserver observer;
    FlowTable flows;
    SegmentInfo last;
    PacketNumber packet = 0;
};

constexpr std::uint8_t S = tcpflag::Syn, A = tcpflag::Ack, F = tcpflag::Fin, R = tcpflag::Rst,
                       P = tcpflag::Psh;

/// A whole connection: handshake, request, response, FIN both ways; ISNs just below 2^32.
void fullConnection(Table& t, const Endpoint& c, const Endpoint& s, const Buf& request,
                    const Buf& response, double at = 0) {
    const std::uint32_t ci = 0xfffffff0u, si = 0xffffffffu - 3;
    const auto rq = static_cast<std::uint32_t>(request.size());
    const auto rs = static_cast<std::uint32_t>(response.size());
    t.seg(c, s, ci, 0, S, {}, at);
    t.seg(s, c, si, ci + 1, S | A, {}, at);
    t.seg(c, s, ci + 1, si + 1, A, {}, at);
    t.seg(c, s, ci + 1, si + 1, P | A, request, at);
    t.seg(s, c, si + 1, ci + 1 + rq, P | A, response, at);
    t.seg(c, s, ci + 1 + rq, si + 1 + rs, F | A, {}, at);
    t.seg(s, c, si + 1 + rs, ci + 2 + rq, F | A, {}, at);
    t.seg(c, s, ci + 2 + rq, si + 2 + rs, A, {}, at);
}

TEST(FlowTable, BothDirectionsOneConnectionIpv4AndIpv6) {
    for (bool v6 : {false, true}) {
        Table t;
        const Buf rq = pattern(300, 1), rs = pattern(500, 2);
        fullConnection(t, ep(1, 40001, v6), ep(2, 80, v6), rq, rs);
        ASSERT_EQ(t.observer.conns.size(), 1u);
        RecordedConnection& c = t.conn(1);
        EXPECT_TRUE(c.info.sawSyn);
        EXPECT_EQ(c.info.client, ep(1, 40001, v6));
        EXPECT_EQ(c.info.server, ep(2, 80, v6));
        EXPECT_EQ(c.data[0], rq);
        EXPECT_EQ(c.data[1], rs);
        EXPECT_EQ(c.segments[0], 5u);
        EXPECT_EQ(c.segments[1], 3u);
        EXPECT_EQ(c.events.front(), "syn c2s");
        EXPECT_EQ(c.events[1], "synack s2c");
        EXPECT_TRUE(contains(c.events, "close c2s fin"));
        EXPECT_TRUE(contains(c.events, "close s2c fin"));
        EXPECT_EQ(countPrefix(c.events, "notice"), 0u);
        EXPECT_EQ(t.flows.openConnections(), 0u); // both FINs: ended (lingering)
        t.flows.finish(t.last);
        EXPECT_TRUE(c.ended);
    }
}

TEST(FlowTable, SameAddressesDifferentIpVersionOrPortAreDifferentConnections) {
    Table t;
    t.seg(ep(1, 40001), ep(2, 80), 1, 0, S);
    t.seg(ep(1, 40001, true), ep(2, 80, true), 1, 0, S);
    t.seg(ep(1, 40002), ep(2, 80), 1, 0, S);
    t.seg(ep(2, 80), ep(1, 40001), 7, 2, S | A); // the reply joins the first one
    EXPECT_EQ(t.observer.conns.size(), 3u);
    EXPECT_EQ(t.conn(1).events.back(), "synack s2c");
}

TEST(FlowTable, ConnIdsInFirstSeenOrderAndFinishInIdOrder) {
    Table t;
    for (std::uint16_t i = 0; i < 5; ++i)
        t.seg(ep(1, static_cast<std::uint16_t>(50000 - i)), ep(2, 443), 100, 0, S);
    t.flows.finish(t.last);
    const std::vector<std::string> expected = {"start 1", "start 2", "start 3", "start 4",
                                               "start 5", "end 1",   "end 2",   "end 3",
                                               "end 4",   "end 5"};
    EXPECT_EQ(t.observer.log, expected);
    for (ConnId id = 1; id <= 5; ++id) {
        EXPECT_EQ(t.conn(id).info.client.port, 50000 - (id - 1));
        EXPECT_TRUE(contains(t.conn(id).events, "close c2s end_of_capture"));
        EXPECT_TRUE(contains(t.conn(id).events, "close s2c end_of_capture"));
    }
}

TEST(FlowTable, FinishReportsHolesAsGaps) {
    Table t;
    const Endpoint c = ep(1, 40001), s = ep(2, 80);
    t.seg(c, s, 0xfffffff0u, 0, S);
    t.seg(c, s, 0xfffffff1u, 0, A, pattern(10, 1));
    t.seg(c, s, 0xfffffff1u + 20, 0, A, pattern(10, 2)); // 10 bytes missing before it
    t.flows.finish(t.last);
    const std::vector<std::string> expected = {"syn c2s",
                                               "data c2s 0 10",
                                               "gap c2s 10 10",
                                               "data c2s 20 10",
                                               "close c2s end_of_capture",
                                               "close s2c end_of_capture"};
    EXPECT_EQ(t.conn(1).events, expected);
}

TEST(FlowTable, RstClosesBothDirections) {
    Table t;
    const Endpoint c = ep(1, 40001), s = ep(2, 80);
    t.seg(c, s, 0xfffffffeu, 0, S);
    t.seg(s, c, 0xfffffff0u, 0xffffffffu, S | A);
    t.seg(c, s, 0xffffffffu, 0xfffffff1u, P | A, pattern(5, 1));
    t.seg(c, s, 0xffffffffu + 10, 0xfffffff1u, P | A, pattern(5, 2)); // hole 5..10
    t.seg(s, c, 0xfffffff1u, 0xffffffffu + 5, R | A);
    const RecordedConnection& conn = t.conn(1);
    const std::vector<std::string> tail(conn.events.end() - 4, conn.events.end());
    // The sender of the RST closes first; the other direction is flushed, then closed.
    const std::vector<std::string> expected = {"close s2c rst", "gap c2s 5 5", "data c2s 10 5",
                                               "close c2s peer_reset"};
    EXPECT_EQ(tail, expected);
    EXPECT_EQ(t.flows.openConnections(), 0u);
    // Data from the side that reset, after the RST: reported once, not delivered.
    t.seg(s, c, 0xfffffff1u, 0xffffffffu + 5, P | A, pattern(7, 3));
    EXPECT_EQ(conn.events.back(), "notice s2c data_after_rst 0 7");
    EXPECT_TRUE(conn.data[1].empty());
}

TEST(FlowTable, MidStreamPickupGuessesTheClientByPort) {
    struct Case {
        std::uint16_t from, to;
        std::uint16_t clientPort;
    };
    // Exactly one port below 1024: that is the server. Otherwise the lower port.
    for (Case k : {Case{51000, 80, 51000}, Case{80, 51000, 51000}, Case{8080, 51000, 51000},
                   Case{51000, 8080, 51000}, Case{1023, 1000, 1023}, Case{443, 50000, 50000}}) {
        Table t;
        t.seg(ep(1, k.from), ep(2, k.to), 0xfffffffbu, 7, A, pattern(20, 1));
        RecordedConnection& c = t.conn(1);
        EXPECT_FALSE(c.info.sawSyn);
        EXPECT_EQ(c.info.client.port, k.clientPort);
        const Direction dir =
            k.from == k.clientPort ? Direction::ClientToServer : Direction::ServerToClient;
        EXPECT_EQ(c.events.front(),
                  fmt::format("notice {} partial_connection 0 0", RecordingSink::name(dir)));
        EXPECT_EQ(c.data[index(dir)], pattern(20, 1)); // offset 0 = first byte seen
    }
}

TEST(FlowTable, MidStreamEqualPortsFirstSenderIsClient) {
    Table t;
    t.seg(ep(9, 5000), ep(2, 5000), 1, 1, A, pattern(3, 1));
    EXPECT_EQ(t.conn(1).info.client, ep(9, 5000));
}

TEST(FlowTable, SynAckFirstFixesBothDirections) {
    Table t;
    const Endpoint c = ep(1, 40001), s = ep(2, 80);
    t.seg(s, c, 0xfffffff0u, 0xffffffffu, S | A); // the client's SYN was not captured
    t.seg(c, s, 0xffffffffu, 0xfffffff1u, A, pattern(4, 1));
    RecordedConnection& conn = t.conn(1);
    EXPECT_EQ(conn.info.client, c);
    EXPECT_EQ(conn.data[0], pattern(4, 1));
    EXPECT_EQ(countPrefix(conn.events, "notice"), 0u);
}

TEST(FlowTable, RetransmittedSynIsTheSameConnection) {
    Table t;
    t.seg(ep(1, 40001), ep(2, 80), 0xfffffff0u, 0, S, {}, 0);
    t.seg(ep(1, 40001), ep(2, 80), 0xfffffff0u, 0, S, {}, 1);
    EXPECT_EQ(t.observer.conns.size(), 1u);
    EXPECT_EQ(countPrefix(t.conn(1).events, "syn c2s"), 2u);
}

TEST(FlowTable, NewSynAfterCloseStartsANewConnection) {
    Table t;
    const Endpoint c = ep(1, 40001), s = ep(2, 80);
    fullConnection(t, c, s, pattern(10, 1), pattern(20, 2), 1.0);
    t.seg(c, s, 12345, 0, S, {}, 2.0); // same 4-tuple, new ISN, within the linger
    ASSERT_EQ(t.observer.conns.size(), 2u);
    EXPECT_TRUE(t.conn(1).ended);
    EXPECT_EQ(t.conn(2).events.front(), "notice c2s syn_after_close 0 0");
    const std::vector<std::string> expected = {"start 1", "end 1", "start 2"};
    EXPECT_EQ(t.observer.log, expected);
    // Much later (after the linger), a SYN simply starts a new connection.
    fullConnection(t, c, s, pattern(10, 3), pattern(20, 4), 3.0);
    t.seg(c, s, 999, 0, S, {}, 100.0);
    ASSERT_EQ(t.observer.conns.size(), 4u);
    EXPECT_EQ(countPrefix(t.conn(4).events, "notice"), 0u);
}

TEST(FlowTable, NewSynOnOpenTupleWithOtherIsnSupersedes) {
    Table t;
    const Endpoint c = ep(1, 40001), s = ep(2, 80);
    t.seg(c, s, 100, 0, S);
    t.seg(c, s, 101, 0, A, pattern(10, 1));
    t.seg(c, s, 5000, 0, S);
    ASSERT_EQ(t.observer.conns.size(), 2u);
    EXPECT_TRUE(contains(t.conn(1).events, "close c2s timeout"));
    EXPECT_TRUE(t.conn(1).ended);
}

/// Issue 21: a synchronized connection (handshake, 20 bytes from the server, acknowledged),
/// for the out-of-window control segments below. ISNs just below 2^32.
constexpr std::uint32_t kCi = 0xfffffff0u, kSi = 0xfffffffau;
void synchronized(Table& t, const Endpoint& c, const Endpoint& s) {
    t.seg(c, s, kCi, 0, S);
    t.seg(s, c, kSi, kCi + 1, S | A);
    t.seg(c, s, kCi + 1, kSi + 1, A);
    t.seg(c, s, kCi + 1, kSi + 1, P | A, pattern(10, 1));
    t.seg(s, c, kSi + 1, kCi + 11, P | A, pattern(20, 2));
    t.seg(c, s, kCi + 11, kSi + 21, A);
}

TEST(FlowTable, FinBeforeBytesAlreadySentIsIgnored) {
    Table t;
    const Endpoint c = ep(1, 40001), s = ep(2, 80);
    synchronized(t, c, s);
    t.seg(s, c, kSi + 5, kCi + 11, F | A); // RFC 9293 §3.10.7.4: not in sequence order
    t.seg(s, c, kSi + 21, kCi + 11, P | A, pattern(10, 3));
    RecordedConnection& conn = t.conn(1);
    EXPECT_EQ(countPrefix(conn.events, "notice s2c fin_out_of_window 20 "), 1u);
    EXPECT_FALSE(contains(conn.events, "close s2c fin"));
    Buf expected = pattern(20, 2);
    const Buf more = pattern(10, 3);
    expected.insert(expected.end(), more.begin(), more.end());
    EXPECT_EQ(conn.data[1], expected);
    // The real FIN, in order, still closes the direction.
    t.seg(s, c, kSi + 31, kCi + 11, F | A);
    EXPECT_TRUE(contains(conn.events, "close s2c fin"));
}

TEST(FlowTable, FinFarBeyondTheWindowIsIgnored) {
    Table t;
    const Endpoint c = ep(1, 40001), s = ep(2, 80);
    synchronized(t, c, s);
    // The client's window is 1000 bytes (no window scale in these SYNs): 10^9 is far beyond.
    t.seg(s, c, kSi + 21 + 1'000'000'000u, kCi + 11, F | A);
    t.seg(s, c, kSi + 21, kCi + 11, P | A, pattern(10, 3));
    t.flows.finish(t.last);
    RecordedConnection& conn = t.conn(1);
    EXPECT_EQ(countPrefix(conn.events, "notice s2c fin_out_of_window 20 1000000000"), 1u);
    EXPECT_EQ(conn.gapBytes[1], 0u); // no hole up to a forged FIN
    EXPECT_TRUE(contains(conn.events, "close s2c end_of_capture"));
    EXPECT_EQ(conn.data[1].size(), 30u);
}

TEST(FlowTable, RstOutsideTheWindowIsIgnored) {
    Table t;
    const Endpoint c = ep(1, 40001), s = ep(2, 80);
    synchronized(t, c, s);
    t.seg(s, c, kSi + 21 + 1'000'000'000u, kCi + 11, R | A); // RFC 5961 §3.2: beyond
    t.seg(s, c, kSi + 3, kCi + 11, R | A);                   // below what was acknowledged
    t.seg(c, s, kCi + 1 - 100, kSi + 21, R);                 // the client's, 100 back
    RecordedConnection& conn = t.conn(1);
    EXPECT_EQ(countPrefix(conn.events, "notice s2c rst_out_of_window 20 1000000000"), 1u);
    EXPECT_EQ(countPrefix(conn.events, "notice s2c rst_out_of_window 20 "), 2u);
    EXPECT_EQ(countPrefix(conn.events, "notice c2s rst_out_of_window 10 "), 1u);
    EXPECT_EQ(countPrefix(conn.events, "close"), 0u);
    EXPECT_EQ(t.flows.openConnections(), 1u);
    // The stream goes on; a RST at the sender's next sequence number ends it.
    t.seg(s, c, kSi + 21, kCi + 11, P | A, pattern(10, 3));
    EXPECT_EQ(conn.data[1].size(), 30u);
    t.seg(s, c, kSi + 31, kCi + 11, R | A);
    EXPECT_TRUE(contains(conn.events, "close s2c rst"));
    EXPECT_EQ(t.flows.openConnections(), 0u);
}

TEST(FlowTable, RstInWindowWithUnackedDataInFlightEnds) {
    // A RST right after the sender's last data, before the peer acknowledged it: in window.
    Table t;
    const Endpoint c = ep(1, 40001), s = ep(2, 80);
    synchronized(t, c, s);
    t.seg(s, c, kSi + 21, kCi + 11, P | A, pattern(100, 3));
    t.seg(s, c, kSi + 121, kCi + 11, R | A);
    EXPECT_TRUE(contains(t.conn(1).events, "close s2c rst"));
    EXPECT_EQ(countPrefix(t.conn(1).events, "notice"), 0u);
}

TEST(FlowTable, RstWithOnlyOneSideSeenIsTrusted) {
    // Picked up mid-stream, the server never seen: its window is unknown, and a RST from the
    // side never seen has no sequence space to be judged against.
    Table t;
    const Endpoint c = ep(1, 40001), s = ep(2, 80);
    t.seg(c, s, 5000, 7000, P | A, pattern(10, 1));
    t.seg(s, c, 123, 5010, R | A);
    EXPECT_TRUE(contains(t.conn(1).events, "close s2c rst"));
    EXPECT_EQ(countPrefix(t.conn(1).events, "notice s2c"), 0u);
}

TEST(FlowTable, SynWithNewIsnInASynchronizedConnectionIsIgnored) {
    Table t;
    const Endpoint c = ep(1, 40001), s = ep(2, 80);
    synchronized(t, c, s);
    t.seg(c, s, 777, 0, S); // RFC 5961 §4: a challenge ACK, not a new connection
    ASSERT_EQ(t.observer.conns.size(), 1u);
    RecordedConnection& conn = t.conn(1);
    EXPECT_TRUE(contains(conn.events, "notice c2s syn_in_connection 10 777"));
    t.seg(c, s, kCi + 11, kSi + 21, P | A, pattern(5, 4));
    EXPECT_EQ(conn.data[0].size(), 15u);
    EXPECT_FALSE(conn.ended);
    // A SYN-ACK with another ISN from the server is ignored the same way.
    t.seg(s, c, 4444, kCi + 11, S | A);
    EXPECT_EQ(countPrefix(conn.events, "notice s2c syn_in_connection"), 1u);
    ASSERT_EQ(t.observer.conns.size(), 1u);
}

TEST(FlowTable, SynInConnectionAcceptedByTheServerStartsANewOne) {
    // The server answers the new SYN with a SYN-ACK for it: the old connection had ended
    // (the capture missed its end), so the SYN opens a new connection after all.
    Table t;
    const Endpoint c = ep(1, 40001), s = ep(2, 80);
    synchronized(t, c, s);
    t.seg(c, s, 777, 0, S);
    t.seg(s, c, 4444, 778, S | A);
    t.seg(c, s, 778, 4445, P | A, pattern(6, 5));
    ASSERT_EQ(t.observer.conns.size(), 2u);
    EXPECT_TRUE(t.conn(1).ended);
    const RecordedConnection& fresh = t.conn(2);
    const std::vector<std::string> head(fresh.events.begin(), fresh.events.begin() + 3);
    const std::vector<std::string> expected = {"notice c2s syn_after_close 0 0", "syn c2s",
                                               "synack s2c"};
    EXPECT_EQ(head, expected);
    EXPECT_EQ(fresh.data[0], pattern(6, 5));
}

TEST(FlowTable, ExpireIdleEndsOnlyIdleConnections) {
    Limits limits;
    limits.idleTimeoutNs = 10'000'000'000;
    Table t(limits);
    t.seg(ep(1, 40001), ep(2, 80), 1, 0, S, {}, 0.0);
    t.seg(ep(1, 40002), ep(2, 80), 1, 0, S, {}, 5.0);
    t.flows.expireIdle(Timestamp{12'000'000'000});
    EXPECT_TRUE(t.conn(1).ended);
    EXPECT_TRUE(contains(t.conn(1).events, "close c2s timeout"));
    EXPECT_FALSE(t.conn(2).ended);
    EXPECT_EQ(t.flows.openConnections(), 1u);
    t.flows.expireIdle(Timestamp{16'000'000'000});
    EXPECT_TRUE(t.conn(2).ended);
    EXPECT_EQ(t.flows.openConnections(), 0u);
}

TEST(FlowTable, MaxConnectionsEndsTheLeastRecentlyActive) {
    Limits limits;
    limits.maxConnections = 2;
    Table t(limits);
    t.seg(ep(1, 40001), ep(2, 80), 1, 0, S);
    t.seg(ep(1, 40002), ep(2, 80), 1, 0, S);
    t.seg(ep(1, 40001), ep(2, 80), 2, 0, A, pattern(3, 1)); // 1 is now the most recent
    t.seg(ep(1, 40003), ep(2, 80), 1, 0, S);
    EXPECT_FALSE(t.conn(1).ended);
    EXPECT_TRUE(t.conn(2).ended);
    EXPECT_EQ(t.flows.openConnections(), 2u);
}

TEST(FlowTable, ZeroWindowReportedOnTransition) {
    Table t;
    const Endpoint c = ep(1, 40001), s = ep(2, 80);
    t.seg(c, s, 1, 0, S);
    TcpSegment z;
    z.source = s;
    z.destination = c;
    z.seq = 50;
    z.ack = 2;
    z.flags = A;
    z.window = 0;
    t.flows.onSegment(z, {10, Timestamp{}});
    t.flows.onSegment(z, {11, Timestamp{}});
    EXPECT_EQ(countPrefix(t.conn(1).events, "notice s2c zero_window"), 1u);
}

TEST(FlowTable, ManyConnectionsAreReleased) {
    Table t;
    for (std::uint32_t i = 0; i < 2000; ++i) {
        const Endpoint c = ep(1, static_cast<std::uint16_t>(10000 + i)), s = ep(2, 80);
        fullConnection(t, c, s, pattern(10, i % 200), pattern(10, 3), i * 1.0);
    }
    // Everything but the lingering last few has ended and been released.
    EXPECT_EQ(t.flows.openConnections(), 0u);
    std::size_t ended = 0;
    for (auto& c : t.observer.conns)
        ended += c->ended ? 1 : 0;
    EXPECT_GE(ended, 1990u);
    t.flows.finish(t.last);
    for (auto& c : t.observer.conns)
        EXPECT_TRUE(c->ended);
}

TEST(FlowTable, ThousandsOfInterleavedConnectionsKeepTheirOwnBytes) {
    // The table's index grows several times, entries are removed by RST from the middle of
    // probe runs and reused, and the least recently active are evicted at the limit; every
    // byte must still reach the connection it was sent on.
    Limits limits;
    limits.maxConnections = 3000;
    Table t(limits);
    std::mt19937 rng(7);
    struct Live {
        Endpoint client;
        ConnId id;
        std::uint32_t next;
        Buf sent;
    };
    std::vector<Live> live;
    double now = 0; // 1 ms per step: reset connections linger 5 s, then leave the table
    std::uint16_t port = 1024;
    std::uint8_t host = 1;
    auto openOne = [&] {
        if (++port == 0) {
            port = 1024;
            ++host;
        }
        const Endpoint c = ep(host, port);
        t.seg(c, ep(250, 80), 100, 0, S, {}, now);
        live.push_back({c, t.observer.conns.back()->info.id, 101, {}});
    };
    for (int i = 0; i < 2500; ++i)
        openOne();
    for (int step = 0; step < 60000; ++step) {
        now += 0.001;
        const std::size_t k = rng() % live.size();
        Live& l = live[k];
        const std::uint32_t r = rng() % 100;
        if (r < 3) { // reset: the entry leaves the index from wherever it sits in its run
            const bool evicted = t.conn(l.id).ended;
            t.seg(l.client, ep(250, 80), l.next, 0, R, {}, now);
            if (!evicted) {
                EXPECT_EQ(t.conn(l.id).data[0], l.sent) << "connection " << l.id;
            }
            live[k] = live.back();
            live.pop_back();
            openOne();
        } else if (r < 5) {
            openOne(); // may evict the least recently active beyond the limit
        } else {
            const Buf bytes = pattern(1 + rng() % 7, static_cast<std::uint8_t>(l.id));
            t.seg(l.client, ep(250, 80), l.next, 0, A, bytes, now);
            l.next += static_cast<std::uint32_t>(bytes.size());
            l.sent.insert(l.sent.end(), bytes.begin(), bytes.end());
        }
    }
    EXPECT_LE(t.flows.openConnections(), limits.maxConnections);
    t.flows.finish(t.last);
    for (const Live& l : live) {
        // Evicted connections ended early; later bytes on their tuple opened a new connection.
        const RecordedConnection& c = t.conn(l.id);
        EXPECT_TRUE(c.ended);
        ASSERT_LE(c.data[0].size(), l.sent.size());
        EXPECT_TRUE(std::equal(c.data[0].begin(), c.data[0].end(), l.sent.begin()))
            << "connection " << l.id;
    }
}

} // namespace
} // namespace wst::test
