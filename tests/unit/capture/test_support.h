// SPDX-License-Identifier: MIT
#pragma once
// Test helpers for the capture layer: a sink that records everything the TCP layer reports.
// Packets are built with tests/support.

#include "capture/tcp/flow_table.h"
#include "capture/tcp/stream_sink.h"
#include "tests/support/packets.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace wst::test {

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
