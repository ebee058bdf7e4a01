// SPDX-License-Identifier: MIT
// The hot path allocates nothing: decoding a packet and reassembling in-order segments (data
// and ACKs, both directions) must not call operator new once a connection is warmed up.
#include "capture/net/packet_decoder.h"
#include "capture/tcp/flow_table.h"
#include "tests/unit/capture/test_support.h"

#include <atomic>
#include <cstdlib>
#include <new>

namespace {
std::atomic<std::size_t> g_allocations{0};
} // namespace

// Counting replacements for the global allocation functions (this test binary only).
void* operator new(std::size_t n) {
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(n == 0 ? 1 : n))
        return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
    std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
    std::free(p);
}

namespace wst::test {
namespace {

class NullSink : public StreamSink {
public:
    void onSyn(Direction, bool, const SegmentInfo&) override {}
    void onData(Direction, std::uint64_t, Bytes bytes, const SegmentInfo&) override {
        delivered += bytes.size();
    }
    void onGap(Direction, std::uint64_t, std::uint64_t, const SegmentInfo&) override {}
    void onClose(Direction, CloseReason, const SegmentInfo&) override {}
    void onNotice(Direction, TcpNotice, const SegmentInfo&, std::uint64_t, std::uint64_t) override {
    }
    std::uint64_t delivered = 0;
};

class NullObserver : public FlowObserver {
public:
    StreamSink& onConnectionStart(const ConnectionInfo&) override { return sink; }
    void onConnectionEnd(ConnId, const SegmentInfo&) override {}
    NullSink sink;
};

TEST(HotPath, InOrderPacketsAllocateNothing) {
    NullObserver observer;
    Limits limits;
    FlowTable flows(observer, limits);
    const Buf payload = pattern(1000, 1);
    std::uint32_t cseq = 0xfffff000u, sseq = 0x7fffffffu;
    std::vector<Buf> frames;
    auto frame = [&](bool fromClient, std::uint8_t flags, const Buf& data) {
        Tcp t;
        t.sport = fromClient ? 40000 : 80;
        t.dport = fromClient ? 80 : 40000;
        t.seq = fromClient ? cseq : sseq;
        t.ack = fromClient ? sseq : cseq;
        t.flags = flags;
        t.payload = data;
        (fromClient ? cseq : sseq) +=
            static_cast<std::uint32_t>(data.size()) + ((flags & tcpflag::Syn) != 0 ? 1 : 0);
        frames.push_back(ethernet(
            0x0800,
            fromClient ? ipv4(tcp(t)) : ipv4(tcp(t), 6, {}, 0x4000, {10, 0, 0, 2}, {10, 0, 0, 1})));
    };
    frame(true, tcpflag::Syn, {});
    frame(false, tcpflag::Syn | tcpflag::Ack, {});
    for (int i = 0; i < 2000; ++i) {
        frame(true, tcpflag::Ack | tcpflag::Psh, payload);
        frame(false, tcpflag::Ack, {});
        frame(false, tcpflag::Ack | tcpflag::Psh, payload);
        frame(true, tcpflag::Ack, {});
    }
    auto feed = [&](std::size_t from, std::size_t to) {
        for (std::size_t i = from; i < to; ++i) {
            RawPacket p;
            p.number = i + 1;
            p.capturedLength = p.originalLength = static_cast<std::uint32_t>(frames[i].size());
            p.data = Bytes(frames[i]);
            const DecodedPacket d = decodePacket(p);
            ASSERT_EQ(d.status, DecodeStatus::Ok);
            flows.onSegment(d.tcp, {p.number, Timestamp{}});
        }
    };
    const std::size_t warmUp = 2 + 4 * 10; // the connection entry and the retransmit rings
    feed(0, warmUp);
    const std::size_t before = g_allocations.load();
    feed(warmUp, frames.size());
    EXPECT_EQ(g_allocations.load() - before, 0u);
    EXPECT_EQ(observer.sink.delivered, 2u * 2000 * 1000);
    flows.finish({});
}

} // namespace
} // namespace wst::test
