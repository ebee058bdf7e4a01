// SPDX-License-Identifier: MIT
// Fuzz target: the HTTP/2 frame layer and its RFC 8441 fan-out (decoder/http2, Http2Session)
// through the real Analyzer: a prior-knowledge connection whose client sends the preface, then
// fuzzed chunks in both directions (frames, HPACK blocks, DATA carrying WebSocket frames),
// with gaps. Input: cfg byte, then records [dir|gap|len-high][len-low][bytes].
#include "decoder/analysis/analyzer.h"
#include "decoder/http2/h2_frame.h"
#include "tests/fuzz/fuzz_input.h"

namespace {

class NullSink final : public wst::TraceSink {
public:
    void onConnectionStart(const wst::Connection&) override {}
    void onEvent(const wst::Event& e, const wst::Message* m, const wst::Anomaly* a) override {
        m_n += e.length + (m ? m->payload.size() : 0) + (a ? a->detail.size() : 0);
    }
    void onConnectionEnd(const wst::Connection& c) override { m_n += c.stats[0].frames; }
    void onCaptureAnomaly(const wst::Anomaly&) override {}
    void onFinish(const wst::CaptureStats&) override {}

private:
    std::uint64_t m_n = 0;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using wst::Direction;
    wst::fuzz::FuzzInput in(data, size);
    const std::uint8_t cfg = in.u8();
    wst::Limits limits;
    limits.payloadPrefixBytes = 256;
    limits.inflatedBytesPerMessage = 1 << 16;
    limits.httpHeadBytes = 2048;
    NullSink sink;
    wst::Analyzer analyzer(sink, limits);
    wst::ConnectionInfo info;
    info.id = 1;
    info.client.address.bytes = {127, 0, 0, 1};
    info.client.port = 40000;
    info.server.address.bytes = {127, 0, 0, 1};
    info.server.port = 8080;
    info.sawSyn = true;
    wst::SegmentInfo seg{1, wst::Timestamp{1'000'000'000}};
    info.first = seg;
    wst::StreamSink& s = analyzer.onConnectionStart(info);
    std::uint64_t off[2] = {0, 0};
    s.onSyn(Direction::ClientToServer, false, seg);
    s.onSyn(Direction::ServerToClient, true, seg);
    const auto feed = [&](Direction d, wst::Bytes b) {
        ++seg.packet;
        seg.time.ns += 1000;
        s.onData(d, off[wst::index(d)], b, seg);
        off[wst::index(d)] += b.size();
    };
    if ((cfg & 1) == 0) {
        const std::string_view p = wst::h2::kClientPreface;
        feed(Direction::ClientToServer,
             {reinterpret_cast<const std::uint8_t*>(p.data()), p.size()});
    }
    while (!in.empty()) {
        const std::uint8_t head = in.u8();
        const std::size_t len = static_cast<std::size_t>((head & 0x3f) << 8 | in.u8());
        const Direction d = (head & 0x80) ? Direction::ServerToClient : Direction::ClientToServer;
        if (head & 0x40) {
            ++seg.packet;
            s.onGap(d, off[wst::index(d)], len + 1, seg);
            off[wst::index(d)] += len + 1;
            continue;
        }
        const wst::Bytes b = in.bytes(len);
        if (!b.empty()) {
            feed(d, b);
        }
    }
    s.onClose(Direction::ClientToServer, wst::CloseReason::Fin, seg);
    s.onClose(Direction::ServerToClient, wst::CloseReason::Fin, seg);
    analyzer.onConnectionEnd(1, seg);
    return 0;
}
