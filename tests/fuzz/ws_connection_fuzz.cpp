// SPDX-License-Identifier: MIT
// Fuzz target: one WebSocket connection through the real Analyzer (decoder/analysis): a valid
// upgrade (optionally negotiating permessage-deflate, optionally not captured at all) and then
// fuzzed bytes in both directions, in chunks, with gaps — frame parsing, validation, message
// assembly, UTF-8 checks, inflate, close handling and anomalies all run.
#include "decoder/analysis/analyzer.h"
#include "tests/fuzz/fuzz_input.h"

#include <string_view>

namespace {

class NullSink final : public wst::TraceSink {
public:
    void onConnectionStart(const wst::Connection&) override {}
    void onEvent(const wst::Event& e, const wst::Message* m, const wst::Anomaly* a) override {
        m_n += e.length;
        if (m != nullptr) {
            m_n += m->payload.size();
        }
        if (a != nullptr) {
            m_n += a->detail.size();
        }
    }
    void onConnectionEnd(const wst::Connection& c) override { m_n += c.stats[0].frames; }
    void onCaptureAnomaly(const wst::Anomaly&) override {}
    void onFinish(const wst::CaptureStats&) override {}

private:
    std::uint64_t m_n = 0;
};

wst::Bytes bytesOf(std::string_view s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

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
    info.sawSyn = (cfg & 2) == 0;
    wst::SegmentInfo seg{1, wst::Timestamp{1'000'000'000}};
    info.first = seg;
    wst::StreamSink& s = analyzer.onConnectionStart(info);
    std::uint64_t off[2] = {0, 0};
    auto feed = [&](Direction d, wst::Bytes b) {
        ++seg.packet;
        seg.time.ns += 1000;
        s.onData(d, off[wst::index(d)], b, seg);
        off[wst::index(d)] += b.size();
    };
    if (info.sawSyn) {
        s.onSyn(Direction::ClientToServer, false, seg);
        s.onSyn(Direction::ServerToClient, true, seg);
        // RFC 6455 §1.3's sample key and its Accept value.
        const bool deflate = (cfg & 1) != 0;
        feed(Direction::ClientToServer,
             bytesOf(deflate ? "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                               "Connection: Upgrade\r\nSec-WebSocket-Key: "
                               "dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                               "Sec-WebSocket-Extensions: permessage-deflate; "
                               "client_max_window_bits\r\n\r\n"
                             : "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                               "Connection: Upgrade\r\nSec-WebSocket-Key: "
                               "dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"));
        feed(Direction::ServerToClient,
             bytesOf(deflate ? "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                               "Connection: Upgrade\r\nSec-WebSocket-Accept: "
                               "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Extensions: "
                               "permessage-deflate; client_max_window_bits=12\r\n\r\n"
                             : "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                               "Connection: Upgrade\r\nSec-WebSocket-Accept: "
                               "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"));
    }
    while (!in.empty()) {
        const std::uint8_t ctl = in.u8();
        const auto d = (ctl & 1) != 0 ? Direction::ServerToClient : Direction::ClientToServer;
        if ((ctl & 0x0e) == 0x0e) {
            const std::uint64_t len = in.u8() + 1u;
            ++seg.packet;
            s.onGap(d, off[wst::index(d)], len, seg);
            off[wst::index(d)] += len;
            continue;
        }
        feed(d, in.bytes((ctl >> 4) * 16 + 1));
    }
    ++seg.packet;
    s.onClose(Direction::ServerToClient, wst::CloseReason::Fin, seg);
    s.onClose(Direction::ClientToServer, wst::CloseReason::EndOfCapture, seg);
    analyzer.onConnectionEnd(1, seg);
    return 0;
}
