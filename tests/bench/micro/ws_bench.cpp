// SPDX-License-Identifier: MIT
// Micro-benchmarks of the WebSocket hot paths (decoder/ws): frame splitting as TCP segments
// deliver it, unmasking, UTF-8 validation and permessage-deflate inflate. Not run in CI.
#include "decoder/ws/frame_parser.h"
#include "decoder/ws/inflater.h"
#include "decoder/ws/unmask.h"
#include "decoder/ws/utf8.h"
#include "tests/support/pcap_writer.h"

#include <benchmark/benchmark.h>
#include <string>
#include <vector>
#include <zlib.h>

namespace {

using Buf = std::vector<std::uint8_t>;

class CountingHandler final : public wst::FrameHandler {
public:
    void onFrameHeader(const wst::FrameHeader& h, std::uint64_t) override {
        ++frames;
        bytes += h.payloadLength;
    }
    void onPayload(wst::Bytes b, std::uint64_t) override { sum += b.empty() ? 0 : b[0]; }
    void onFrameEnd() override {}
    std::uint64_t frames = 0, bytes = 0, sum = 0;
};

// A stream of frames like the load test's: mostly small JSON text, some binary, masked
// (client) or not (server).
Buf frameStream(bool masked, std::size_t total) {
    wst::test::Rng rng(7);
    Buf out;
    while (out.size() < total) {
        const bool text = rng.range(0, 99) < 80;
        const std::size_t len = text ? rng.range(40, 600) : rng.range(16, 8192);
        out.push_back(text ? 0x81 : 0x82);
        const std::uint8_t m = masked ? 0x80 : 0;
        if (len < 126) {
            out.push_back(static_cast<std::uint8_t>(m | len));
        } else {
            out.insert(out.end(),
                       {static_cast<std::uint8_t>(m | 126), static_cast<std::uint8_t>(len >> 8),
                        static_cast<std::uint8_t>(len)});
        }
        if (masked) {
            out.insert(out.end(), {1, 2, 3, 4});
        }
        const std::size_t at = out.size();
        out.resize(at + len);
        if (text) {
            for (std::size_t i = 0; i < len; ++i) {
                out[at + i] = static_cast<std::uint8_t>("{\"type\":\"chat\",\"x\":1}"[i % 21]);
            }
        } else {
            rng.fill(out.data() + at, len);
        }
    }
    return out;
}

void frameParsing(benchmark::State& state, bool masked) {
    const Buf stream = frameStream(masked, 8 << 20);
    const std::size_t segment = static_cast<std::size_t>(state.range(0));
    for (auto _ : state) {
        CountingHandler h;
        wst::FrameParser p(h);
        std::uint64_t off = 0;
        for (std::size_t at = 0; at < stream.size(); at += segment) {
            const std::size_t n = std::min(segment, stream.size() - at);
            p.feed({stream.data() + at, n}, off);
            off += n;
        }
        benchmark::DoNotOptimize(h.sum);
        state.counters["frames"] = static_cast<double>(h.frames);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * stream.size()));
}

void BM_FrameParseServer(benchmark::State& s) {
    frameParsing(s, false);
}
void BM_FrameParseClientMasked(benchmark::State& s) {
    frameParsing(s, true);
}
BENCHMARK(BM_FrameParseServer)->Arg(1448)->Arg(65536);
BENCHMARK(BM_FrameParseClientMasked)->Arg(1448)->Arg(65536);

void BM_Unmask(benchmark::State& state) {
    Buf src(static_cast<std::size_t>(state.range(0)), 0x5a), dst(src.size());
    const std::array<std::uint8_t, 4> key{0x12, 0x34, 0x56, 0x78};
    for (auto _ : state) {
        benchmark::DoNotOptimize(wst::unmask(dst.data(), src.data(), src.size(), key, 1));
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * src.size()));
}
BENCHMARK(BM_Unmask)->Arg(125)->Arg(1448)->Arg(65536);

std::string utf8Text(bool multibyte, std::size_t n) {
    const std::string ascii = R"({"type":"chat","vu":12,"text":"hello load test "})";
    const std::string mixed = "héllo 日本語 テスト über 🚀 naïve ✓ ";
    std::string out;
    while (out.size() < n) {
        out += multibyte ? mixed : ascii;
    }
    return out;
}

void BM_Utf8Validate(benchmark::State& state) {
    const std::string text = utf8Text(state.range(0) != 0, 64 * 1024);
    const wst::Bytes b{reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
    for (auto _ : state) {
        benchmark::DoNotOptimize(wst::isValidUtf8(b));
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
    state.SetLabel(state.range(0) != 0 ? "multi-byte" : "ascii json");
}
BENCHMARK(BM_Utf8Validate)->Arg(0)->Arg(1);

void BM_Inflate(benchmark::State& state) {
    const std::string text = utf8Text(false, 1 << 20);
    Buf z(text.size() + 1024);
    z_stream zs{};
    deflateInit2(&zs, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
    zs.avail_in = static_cast<uInt>(text.size());
    zs.next_out = z.data();
    zs.avail_out = static_cast<uInt>(z.size());
    deflate(&zs, Z_SYNC_FLUSH);
    z.resize(z.size() - zs.avail_out - 4);
    deflateEnd(&zs);
    wst::DeflateParams params;
    params.enabled = true;
    params.serverNoContextTakeover = true;
    for (auto _ : state) {
        wst::Inflater inf(params, wst::Direction::ServerToClient, 64 << 20);
        std::uint64_t out = 0;
        inf.feed(wst::Bytes{z.data(), z.size()}, [&](wst::Bytes b) { out += b.size(); });
        inf.finishMessage([&](wst::Bytes b) { out += b.size(); });
        benchmark::DoNotOptimize(out);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
    state.SetLabel("bytes = decompressed output");
}
BENCHMARK(BM_Inflate);

} // namespace
