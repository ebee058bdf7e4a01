// SPDX-License-Identifier: MIT
// Micro-benchmark of TCP reassembly (capture/tcp FlowTable): 1000 interleaved connections,
// MSS-sized segments, in order and with 2 % of segments delivered late. Not run in CI.
#include "capture/tcp/flow_table.h"
#include "tests/support/pcap_writer.h"

#include <benchmark/benchmark.h>
#include <deque>
#include <vector>

namespace {

class NullSink final : public wst::StreamSink {
public:
    void onSyn(wst::Direction, bool, const wst::SegmentInfo&) override {}
    void onData(wst::Direction, std::uint64_t, wst::Bytes b, const wst::SegmentInfo&) override {
        bytes += b.size();
    }
    void onGap(wst::Direction, std::uint64_t, std::uint64_t, const wst::SegmentInfo&) override {}
    void onClose(wst::Direction, wst::CloseReason, const wst::SegmentInfo&) override {}
    void onNotice(wst::Direction, wst::TcpNotice, const wst::SegmentInfo&, std::uint64_t,
                  std::uint64_t) override {}
    std::uint64_t bytes = 0;
};

class Observer final : public wst::FlowObserver {
public:
    wst::StreamSink& onConnectionStart(const wst::ConnectionInfo&) override { return sink; }
    void onConnectionEnd(wst::ConnId, const wst::SegmentInfo&) override {}
    NullSink sink;
};

void reassembly(benchmark::State& state, double latePct) {
    constexpr int kConns = 1000;
    constexpr std::size_t kMss = 1448;
    const std::vector<std::uint8_t> payload(kMss, 0x61);
    wst::test::Rng rng(11);
    std::vector<wst::TcpSegment> segs;
    std::vector<std::uint32_t> next(kConns);
    auto endpoint = [](std::uint32_t host, std::uint16_t port) {
        wst::Endpoint e;
        e.address.bytes = {127, 0, static_cast<std::uint8_t>(host >> 8),
                           static_cast<std::uint8_t>(host)};
        e.port = port;
        return e;
    };
    for (int c = 0; c < kConns; ++c) {
        next[c] = static_cast<std::uint32_t>(rng.next());
        wst::TcpSegment syn;
        syn.source = endpoint(1, static_cast<std::uint16_t>(30000 + c));
        syn.destination = endpoint(2, 8080);
        syn.seq = next[c]++;
        syn.flags = wst::tcpflag::Syn;
        segs.push_back(syn);
    }
    for (int i = 0; i < 200'000; ++i) {
        const int c = static_cast<int>(rng.range(0, kConns - 1));
        wst::TcpSegment s;
        s.source = endpoint(1, static_cast<std::uint16_t>(30000 + c));
        s.destination = endpoint(2, 8080);
        s.seq = next[c];
        next[c] += kMss;
        s.flags = wst::tcpflag::Ack | wst::tcpflag::Psh;
        s.payload = {payload.data(), payload.size()};
        s.payloadLengthOnWire = kMss;
        segs.push_back(s);
    }
    // Deliver some segments two places late.
    for (std::size_t i = kConns; i + 2 < segs.size(); ++i) {
        if (rng.chance(latePct)) {
            std::swap(segs[i], segs[i + 2]);
        }
    }
    for (auto _ : state) {
        Observer obs;
        wst::Limits limits;
        wst::FlowTable table(obs, limits);
        wst::SegmentInfo info;
        for (const auto& s : segs) {
            ++info.packet;
            table.onSegment(s, info);
        }
        table.finish(info);
        benchmark::DoNotOptimize(obs.sink.bytes);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * segs.size()));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * 200'000 * kMss));
}

void BM_ReassemblyInOrder(benchmark::State& s) {
    reassembly(s, 0);
}
void BM_ReassemblyTwoPercentLate(benchmark::State& s) {
    reassembly(s, 2);
}
BENCHMARK(BM_ReassemblyInOrder)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReassemblyTwoPercentLate)->Unit(benchmark::kMillisecond);

} // namespace
