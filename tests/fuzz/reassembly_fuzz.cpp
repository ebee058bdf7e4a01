// SPDX-License-Identifier: MIT
// Fuzz target: TCP reassembly (capture/tcp FlowTable) driven by fuzzed segments on two
// connections: any flags, sequence numbers near 2^32, overlaps, retransmissions, holes, with
// small limits so the buffer limits trip. The sink checks the StreamSink contract: per
// direction, data and gaps arrive in order without overlap, nothing after onClose or after
// the connection ended. Every input runs twice, once with the input as stable memory (large
// segments remembered by reference for the retransmission check) and once without (all
// copied): the two must report exactly the same calls.
#include "fuzz_input.h"
#include "tcp/flow_table.h"

#include <cstdlib>
#include <map>
#include <vector>

namespace {

struct DirState {
    std::uint64_t next = 0;
    bool started = false;
    bool closed = false;
};

using Log = std::vector<std::uint64_t>;

class CheckingSink final : public wst::StreamSink {
public:
    CheckingSink(wst::ConnId id, Log& log)
        : m_id(id)
        , m_log(log) {}

    void onSyn(wst::Direction d, bool, const wst::SegmentInfo&) override {
        alive();
        record(1, d, 0, 0);
    }
    void onData(wst::Direction d, std::uint64_t off, wst::Bytes b,
                const wst::SegmentInfo&) override {
        advance(d, off, b.size());
        std::uint64_t sum = 0;
        for (auto byte : b) { // touch every byte: ASan checks the view
            sum = sum * 31 + byte;
        }
        record(2, d, off, sum);
    }
    void onGap(wst::Direction d, std::uint64_t off, std::uint64_t len,
               const wst::SegmentInfo&) override {
        advance(d, off, len);
        record(3, d, off, len);
    }
    void onClose(wst::Direction d, wst::CloseReason reason, const wst::SegmentInfo&) override {
        alive();
        auto& s = m_dir[wst::index(d)];
        if (s.closed) {
            std::abort(); // once per direction at most
        }
        s.closed = true;
        record(4, d, static_cast<std::uint64_t>(reason), 0);
    }
    void onNotice(wst::Direction d, wst::TcpNotice notice, const wst::SegmentInfo&, std::uint64_t a,
                  std::uint64_t b) override {
        alive();
        record(5 + 16 * static_cast<std::uint64_t>(notice), d, a, b);
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
    void record(std::uint64_t what, wst::Direction d, std::uint64_t a, std::uint64_t b) {
        m_log.insert(m_log.end(), {what, m_id, static_cast<std::uint64_t>(wst::index(d)), a, b});
    }
    wst::ConnId m_id;
    Log& m_log;
    DirState m_dir[2];
};

class Observer final : public wst::FlowObserver {
public:
    Log log;

    wst::StreamSink& onConnectionStart(const wst::ConnectionInfo& info) override {
        if (m_sinks.count(info.id) != 0) {
            std::abort(); // ids are never reused
        }
        return m_sinks.try_emplace(info.id, info.id, log).first->second;
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

/// Runs the input's segments through a FlowTable; `stable` is the whole input or empty.
Log run(const std::uint8_t* data, std::size_t size, wst::Bytes stable) {
    wst::fuzz::FuzzInput in(data, size);
    wst::Limits limits;
    limits.reassemblyBytesPerDirection = 4096;
    limits.reassemblySegmentsPerDirection = 16;
    // A small window, so segments of the input (at most 255 bytes) are large enough to be
    // remembered by reference and runs are dropped and copied all the time.
    limits.retransmitCheckBytes = in.u8() % 160;
    Observer observer;
    wst::FlowTable table(observer, limits, stable);
    // Initial sequence numbers from the input; 0xffffff00 + small values wrap quickly.
    std::uint32_t isn[2][2] = {{in.u32(), in.u32()}, {0xffffff00u + in.u8(), in.u32()}};
    wst::SegmentInfo info;
    while (!in.empty()) {
        const std::uint8_t ctl = in.u8();
        const int conn = ctl & 1;
        const int dir = (ctl >> 1) & 1;
        wst::TcpSegment seg;
        const auto client = ep(1, static_cast<std::uint16_t>(40000 + conn));
        const auto server = ep(2, 8080);
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
    return std::move(observer.log);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (run(data, size, wst::Bytes(data, size)) != run(data, size, {})) {
        std::abort(); // remembering by reference changed what the reassembler reports
    }
    return 0;
}
