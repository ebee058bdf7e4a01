// SPDX-License-Identifier: MIT
#pragma once
// Test helpers: packet building (hand-made headers, byte by byte) and a sink that records
// everything the TCP layer reports.

#include "capture/tcp/flow_table.h"
#include "capture/tcp/stream_sink.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace wst::test {

using Buf = std::vector<std::uint8_t>;

inline void put16(Buf& b, std::uint16_t v) {
    b.push_back(static_cast<std::uint8_t>(v >> 8));
    b.push_back(static_cast<std::uint8_t>(v));
}
inline void put32(Buf& b, std::uint32_t v) {
    put16(b, static_cast<std::uint16_t>(v >> 16));
    put16(b, static_cast<std::uint16_t>(v));
}
inline Buf cat(Buf a, const Buf& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

/// pattern(n, seed)[i] = (i * 7 + seed) % 251 — the same recipe as make-captures.sh.
inline Buf pattern(std::size_t n, unsigned seed) {
    Buf b(n);
    for (std::size_t i = 0; i < n; ++i)
        b[i] = static_cast<std::uint8_t>((i * 7 + seed) % 251);
    return b;
}

struct Tcp {
    std::uint16_t sport = 40000, dport = 80;
    std::uint32_t seq = 1000, ack = 0;
    std::uint8_t flags = tcpflag::Ack;
    std::uint16_t window = 1024;
    Buf options; ///< padded to 4 bytes with NOPs
    Buf payload;
};

inline Buf tcp(const Tcp& t) {
    Buf options = t.options;
    while (options.size() % 4 != 0)
        options.push_back(1); // NOP
    Buf b;
    put16(b, t.sport);
    put16(b, t.dport);
    put32(b, t.seq);
    put32(b, t.ack);
    b.push_back(static_cast<std::uint8_t>(((20 + options.size()) / 4) << 4));
    b.push_back(t.flags);
    put16(b, t.window);
    put32(b, 0); // checksum, urgent pointer
    b = cat(b, options);
    return cat(b, t.payload);
}

inline Buf ipv4(const Buf& payload, std::uint8_t proto = 6, Buf options = {},
                std::uint16_t fragment = 0x4000, std::array<std::uint8_t, 4> src = {10, 0, 0, 1},
                std::array<std::uint8_t, 4> dst = {10, 0, 0, 2}) {
    while (options.size() % 4 != 0)
        options.push_back(0);
    const std::size_t ihl = 20 + options.size();
    Buf b;
    b.push_back(static_cast<std::uint8_t>(0x40 | (ihl / 4)));
    b.push_back(0);
    put16(b, static_cast<std::uint16_t>(ihl + payload.size()));
    put16(b, 0x1234);
    put16(b, fragment);
    b.push_back(64);
    b.push_back(proto);
    put16(b, 0);
    b.insert(b.end(), src.begin(), src.end());
    b.insert(b.end(), dst.begin(), dst.end());
    b = cat(b, options);
    return cat(b, payload);
}

inline std::array<std::uint8_t, 16> v6addr(std::uint8_t last) {
    std::array<std::uint8_t, 16> a{0x20, 0x01, 0x0d, 0xb8};
    a[15] = last;
    return a;
}

/// `rest` is the extension headers (if any) followed by the upper-layer header and data.
inline Buf ipv6(std::uint8_t next, const Buf& rest, std::uint8_t srcLast = 1,
                std::uint8_t dstLast = 2) {
    Buf b{0x60, 0, 0, 0};
    put16(b, static_cast<std::uint16_t>(rest.size()));
    b.push_back(next);
    b.push_back(64);
    auto s = v6addr(srcLast), d = v6addr(dstLast);
    b.insert(b.end(), s.begin(), s.end());
    b.insert(b.end(), d.begin(), d.end());
    return cat(b, rest);
}

inline Buf ethernet(std::uint16_t type, const Buf& payload, std::vector<std::uint16_t> tags = {}) {
    Buf b{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    for (std::uint16_t tpid : tags) {
        put16(b, tpid);
        put16(b, 0x0064); // VLAN 100
    }
    put16(b, type);
    return cat(b, payload);
}

struct RecordedConnection {
    ConnectionInfo info;
    std::vector<std::string> events;
    Buf data[2];
    std::vector<std::pair<std::uint64_t, Buf>> chunks[2]; ///< each onData with its offset
    std::uint64_t gapBytes[2] = {0, 0};
    std::uint64_t segments[2] = {0, 0};
    bool ended = false;
};

/// Records every StreamSink call as a line ("data c2s 0 10", "gap s2c 5 3", "close c2s fin",
/// "notice c2s overlap_conflict 3 4") and checks that offsets are contiguous per direction.
class RecordingSink : public StreamSink {
public:
    explicit RecordingSink(RecordedConnection& c)
        : m_c(c) {}
    void onSyn(Direction dir, bool withAck, const SegmentInfo&) override {
        add(fmt::format("syn{} {}", withAck ? "ack" : "", name(dir)));
    }
    void onData(Direction dir, std::uint64_t offset, Bytes bytes, const SegmentInfo&) override {
        EXPECT_EQ(offset, m_next[index(dir)]) << "onData not contiguous";
        EXPECT_FALSE(bytes.empty());
        EXPECT_FALSE(m_closed[index(dir)]) << "data after close";
        m_next[index(dir)] = offset + bytes.size();
        m_c.data[index(dir)].insert(m_c.data[index(dir)].end(), bytes.begin(), bytes.end());
        m_c.chunks[index(dir)].emplace_back(offset, Buf(bytes.begin(), bytes.end()));
        add(fmt::format("data {} {} {}", name(dir), offset, bytes.size()));
    }
    void onGap(Direction dir, std::uint64_t offset, std::uint64_t length,
               const SegmentInfo&) override {
        EXPECT_EQ(offset, m_next[index(dir)]) << "onGap not contiguous";
        EXPECT_GT(length, 0u);
        m_next[index(dir)] = offset + length;
        m_c.gapBytes[index(dir)] += length;
        add(fmt::format("gap {} {} {}", name(dir), offset, length));
    }
    void onClose(Direction dir, CloseReason reason, const SegmentInfo&) override {
        EXPECT_FALSE(m_closed[index(dir)]) << "closed twice";
        m_closed[index(dir)] = true;
        add(fmt::format("close {} {}", name(dir), toString(reason)));
    }
    void onNotice(Direction dir, TcpNotice notice, const SegmentInfo&, std::uint64_t offset,
                  std::uint64_t value) override {
        add(fmt::format("notice {} {} {} {}", name(dir), toString(notice), offset, value));
    }
    void onSegment(Direction dir, const TcpSegment&, const SegmentInfo&) override {
        ++m_c.segments[index(dir)];
    }
    static const char* name(Direction d) { return d == Direction::ClientToServer ? "c2s" : "s2c"; }

private:
    void add(std::string e) { m_c.events.push_back(std::move(e)); }
    RecordedConnection& m_c;
    std::uint64_t m_next[2] = {0, 0};
    bool m_closed[2] = {false, false};
};

/// A FlowObserver that keeps every connection's recording, in ConnId order.
class RecordingObserver : public FlowObserver {
public:
    StreamSink& onConnectionStart(const ConnectionInfo& info) override {
        EXPECT_EQ(info.id, conns.size() + 1) << "ConnIds are dense from 1";
        auto& c = conns.emplace_back(std::make_unique<RecordedConnection>());
        c->info = info;
        sinks.push_back(std::make_unique<RecordingSink>(*c));
        log.push_back(fmt::format("start {}", info.id));
        return *sinks.back();
    }
    void onConnectionEnd(ConnId id, const SegmentInfo&) override {
        ASSERT_GE(id, 1u);
        ASSERT_LE(id, conns.size());
        EXPECT_FALSE(conns[id - 1]->ended);
        conns[id - 1]->ended = true;
        log.push_back(fmt::format("end {}", id));
    }
    std::vector<std::unique_ptr<RecordedConnection>> conns;
    std::vector<std::unique_ptr<RecordingSink>> sinks;
    std::vector<std::string> log;
};

/// Reads every packet of `source` through decodePacket and a FlowTable.
struct Analysis {
    RecordingObserver observer;
    std::vector<RawPacket> packets; ///< headers only (data emptied)
    std::vector<DecodeStatus> statuses;
    ReadStatus end = ReadStatus::Packet;
};

inline void analyse(PacketSource& source, Analysis& out, Limits limits = {}) {
    FlowTable flows(out.observer, limits);
    RawPacket p;
    SegmentInfo last;
    for (;;) {
        out.end = source.next(p);
        if (out.end != ReadStatus::Packet)
            break;
        const DecodedPacket d = decodePacket(p);
        out.statuses.push_back(d.status);
        last = {p.number, p.time};
        if (d.status == DecodeStatus::Ok)
            flows.onSegment(d.tcp, last);
        RawPacket header = p;
        header.data = {};
        out.packets.push_back(header);
    }
    flows.finish(last);
}

inline bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}
inline std::size_t countPrefix(const std::vector<std::string>& v, const std::string& prefix) {
    return static_cast<std::size_t>(std::count_if(
        v.begin(), v.end(), [&](const std::string& e) { return e.rfind(prefix, 0) == 0; }));
}

} // namespace wst::test
