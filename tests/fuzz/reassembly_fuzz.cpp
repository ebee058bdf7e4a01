// SPDX-License-Identifier: MIT
// Fuzz target: TCP reassembly (capture/tcp FlowTable) driven by fuzzed segments on two
// connections: any flags, sequence numbers near 2^32, overlaps, retransmissions, holes, with
// small limits so the buffer limits trip; and segments of clients with any IPv6 address (more
// connections than the table keeps). The sink checks the StreamSink contract: per
// direction, data and gaps arrive in order without overlap, nothing after onClose or after
// the connection ended.
#include "capture/tcp/flow_table.h"
#include "tests/fuzz/fuzz_input.h"

#include <algorithm>
#include <cstdlib>
#include <map>

namespace {

struct DirState {
    std::uint64_t next = 0;
    bool started = false;
    bool closed = false;
};

class CheckingSink final : public wst::StreamSink {
public:
    void onSyn(wst::Direction, bool, const wst::SegmentInfo&) override { alive(); }
    void onData(wst::Direction d, std::uint64_t off, wst::Bytes b,
                const wst::SegmentInfo&) override {
        advance(d, off, b.size());
        for (auto byte : b) { // touch every byte: ASan checks the view
            m_sum += byte;
        }
    }
    void onGap(wst::Direction d, std::uint64_t off, std::uint64_t len,
               const wst::SegmentInfo&) override {
        advance(d, off, len);
    }
    void onClose(wst::Direction d, wst::CloseReason, const wst::SegmentInfo&) override {
        alive();
        auto& s = m_dir[wst::index(d)];
        if (s.closed) {
            std::abort(); // once per direction at most
        }
        s.closed = true;
    }
    void onNotice(wst::Direction, wst::TcpNotice, const wst::SegmentInfo&, std::uint64_t,
                  std::uint64_t) override {
        alive();
    }
    bool ended = false;

private:
    void alive() const {
        if (ended) {
            std::abort();
        }
    }
    void advance(wst::Direction d, std::uint64_t off, std::uint64_t len) {
        alive();
        auto& s = m_dir[wst::index(d)];
        if (s.closed || (s.started && off != s.next)) {
            std::abort();
        }
        s.started = true;
        s.next = off + len;
    }
    DirState m_dir[2];
    std::uint64_t m_sum = 0;
};

class Observer final : public wst::FlowObserver {
public:
    wst::StreamSink& onConnectionStart(const wst::ConnectionInfo& info) override {
        if (m_sinks.count(info.id) != 0) {
            std::abort(); // ids are never reused
        }
        return m_sinks[info.id];
    }
    void onConnectionEnd(wst::ConnId id, const wst::SegmentInfo&) override {
        auto it = m_sinks.find(id);
        if (it == m_sinks.end() || it->second.ended) {
            std::abort();
        }
        it->second.ended = true;
    }

private:
    std::map<wst::ConnId, CheckingSink> m_sinks;
};

wst::Endpoint ep(std::uint8_t host, std::uint16_t port) {
    wst::Endpoint e;
    e.address.bytes[0] = 10;
    e.address.bytes[3] = host;
    e.port = port;
    return e;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    wst::fuzz::FuzzInput in(data, size);
    wst::Limits limits;
    limits.reassemblyBytesPerDirection = 4096;
    limits.reassemblySegmentsPerDirection = 16;
    limits.maxConnections = 64;
    Observer observer;
    wst::FlowTable table(observer, limits);
    // Initial sequence numbers from the input; 0xffffff00 + small values wrap quickly.
    std::uint32_t isn[2][2] = {{in.u32(), in.u32()}, {0xffffff00u + in.u8(), in.u32()}};
    wst::SegmentInfo info;
    while (!in.empty()) {
        const std::uint8_t ctl = in.u8();
        const int conn = ctl & 1;
        const int dir = (ctl >> 1) & 1;
        wst::TcpSegment seg;
        // ctl 0x7_: a connection from any IPv6 client (address and port from the input), so
        // the flow table meets keys chosen by the input, many of them, evicted at
        // limits.maxConnections (issue 21: hash flooding; docs/limits.md).
        const bool anyClient = (ctl & 0xf0) == 0x70;
        auto client = ep(1, static_cast<std::uint16_t>(40000 + conn));
        auto server = ep(2, 8080);
        if (anyClient) {
            const wst::Bytes address = in.bytes(16);
            client.address.bytes = {};
            std::copy(address.begin(), address.end(), client.address.bytes.begin());
            client.address.v6 = true;
            client.port = in.u16();
            server.address.bytes = {0x20, 0x01, 0x0d, 0xb8};
            server.address.bytes[15] = 2;
            server.address.v6 = true;
        }
        seg.source = dir == 0 ? client : server;
        seg.destination = dir == 0 ? server : client;
        seg.flags = in.u8();
        // Mostly small offsets from the ISN so segments meet; bit 2 picks any 32-bit value.
        seg.seq = (ctl & 4) != 0 ? in.u32() : isn[conn][dir] + in.u16();
        seg.ack = isn[conn][1 - dir] + in.u16();
        seg.window = in.u16();
        seg.payload = in.bytes(in.u8() % 64);
        seg.payloadLengthOnWire = static_cast<std::uint32_t>(seg.payload.size()) +
                                  ((ctl & 8) != 0 ? in.u8() : 0); // snapped payloads
        ++info.packet;
        info.time.ns += 1000;
        table.onSegment(seg, info);
        if ((ctl & 0xf0) == 0xf0) {
            table.expireIdle(wst::Timestamp{info.time.ns + 700'000'000'000});
        }
    }
    table.finish(info);
    return 0;
}
