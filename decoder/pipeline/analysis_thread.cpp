// SPDX-License-Identifier: MIT
#include "decoder/pipeline/analysis_thread.h"

#include <cstring>
#include <string>

namespace wst {

/// What a Record records, and the fields each kind uses.
enum class AnalysisThread::Op : std::uint8_t {
    Start,         ///< slot, index: ConnectionInfo in Chunk::starts
    End,           ///< slot, info: the connection's last packet
    Syn,           ///< code: with ACK
    Data,          ///< a: stream offset, b: length, data: stable bytes or null (c: arena offset)
    Gap,           ///< a: offset, b: length
    Close,         ///< code: CloseReason
    Notice,        ///< code: TcpNotice, a: offset, b: value
    Segment,       ///< code: TCP flags, a: seq | ack << 32, b: length on the wire, c: window
    Undecodable,   ///< index: Chunk::packets
    Truncated,     ///< index: Chunk::packets
    PacketAnomaly, ///< index: Chunk::packets (anomaly id and detail)
};

/// One recorded call.
struct AnalysisThread::Record {
    Op op = Op::Start;
    Direction dir = Direction::ClientToServer;
    std::uint8_t code = 0;
    std::uint32_t slot = 0;
    std::uint32_t index = 0;
    SegmentInfo info;
    std::uint64_t a = 0;
    std::uint64_t b = 0;
    std::uint64_t c = 0;
    const std::uint8_t* data = nullptr;
};

/// A packet that Analyzer::onUndecodable / onTruncated needs: its header fields, not its bytes.
struct AnalysisThread::RecordedPacket {
    RawPacket packet; ///< data left empty
    DecodeStatus status = DecodeStatus::Ok;
    std::string detail;
    AnomalyId anomaly = AnomalyId::CaptureTimeBackwards; ///< Op::PacketAnomaly only
};

struct AnalysisThread::Chunk {
    std::vector<Record> records;
    std::vector<std::uint8_t> arena; ///< copied onData bytes
    std::vector<ConnectionInfo> starts;
    std::vector<RecordedPacket> packets;

    Chunk() {
        records.reserve(kChunkRecords);
        arena.reserve(kChunkBytes);
    }
    bool full() const { return records.size() >= kChunkRecords || arena.size() >= kChunkBytes; }
    void clear() {
        records.clear();
        arena.clear();
        starts.clear();
        packets.clear();
    }
};

/// The StreamSink the FlowTable holds for one connection: records each call with its slot.
class AnalysisThread::ConnectionProxy final : public StreamSink {
public:
    ConnectionProxy(AnalysisThread& owner, std::uint32_t slot)
        : m_owner(owner)
        , m_slot(slot) {}

    void onSyn(Direction dir, bool withAck, const SegmentInfo& info) override {
        Record& r = next(Op::Syn, dir, info);
        r.code = withAck ? 1 : 0;
    }
    void onData(Direction dir, std::uint64_t offset, Bytes bytes,
                const SegmentInfo& info) override {
        Record& r = next(Op::Data, dir, info);
        r.a = offset;
        r.b = bytes.size();
        const Bytes stable = m_owner.m_stable;
        if (!stable.empty() && bytes.data() >= stable.data() &&
            bytes.data() + bytes.size() <= stable.data() + stable.size()) {
            r.data = bytes.data();
            return;
        }
        std::vector<std::uint8_t>& arena = m_owner.m_current->arena;
        r.c = arena.size();
        arena.insert(arena.end(), bytes.begin(), bytes.end());
    }
    void onGap(Direction dir, std::uint64_t offset, std::uint64_t length,
               const SegmentInfo& info) override {
        Record& r = next(Op::Gap, dir, info);
        r.a = offset;
        r.b = length;
    }
    void onClose(Direction dir, CloseReason reason, const SegmentInfo& info) override {
        next(Op::Close, dir, info).code = static_cast<std::uint8_t>(reason);
    }
    void onNotice(Direction dir, TcpNotice notice, const SegmentInfo& info, std::uint64_t offset,
                  std::uint64_t value) override {
        Record& r = next(Op::Notice, dir, info);
        r.code = static_cast<std::uint8_t>(notice);
        r.a = offset;
        r.b = value;
    }
    void onSegment(Direction dir, const TcpSegment& segment, const SegmentInfo& info) override {
        Record& r = next(Op::Segment, dir, info);
        r.code = segment.flags;
        r.a = segment.seq | (std::uint64_t{segment.ack} << 32);
        r.b = segment.payloadLengthOnWire;
        r.c = segment.window;
    }

private:
    Record& next(Op op, Direction dir, const SegmentInfo& info) {
        Record& r = m_owner.add();
        r.op = op;
        r.dir = dir;
        r.slot = m_slot;
        r.info = info;
        return r;
    }

    AnalysisThread& m_owner;
    std::uint32_t m_slot;
};

AnalysisThread::AnalysisThread(Analyzer& analyzer, Bytes stableMemory)
    : m_analyzer(analyzer)
    , m_stable(stableMemory)
    , m_current(std::make_unique<Chunk>()) {
    m_thread = std::thread([this] { run(); });
}

AnalysisThread::~AnalysisThread() {
    {
        std::lock_guard lock(m_mutex);
        m_closing = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

AnalysisThread::Record& AnalysisThread::add() {
    if (m_current->full()) {
        submit();
    }
    return m_current->records.emplace_back();
}

StreamSink& AnalysisThread::onConnectionStart(const ConnectionInfo& info) {
    std::uint32_t slot = 0;
    if (m_freeSlots.empty()) {
        slot = static_cast<std::uint32_t>(m_proxies.size());
        m_proxies.push_back(std::make_unique<ConnectionProxy>(*this, slot));
    } else {
        slot = m_freeSlots.back();
        m_freeSlots.pop_back();
    }
    m_slotOf[info.id] = slot;
    Record& r = add();
    r.op = Op::Start;
    r.slot = slot;
    r.index = static_cast<std::uint32_t>(m_current->starts.size());
    m_current->starts.push_back(info);
    return *m_proxies[slot];
}

void AnalysisThread::onConnectionEnd(ConnId id, const SegmentInfo& last) {
    const auto it = m_slotOf.find(id);
    if (it == m_slotOf.end()) {
        return;
    }
    Record& r = add();
    r.op = Op::End;
    r.slot = it->second;
    r.a = id;
    r.info = last;
    m_freeSlots.push_back(it->second);
    m_slotOf.erase(it);
}

AnalysisThread::RecordedPacket& AnalysisThread::recordPacket(Op op, const RawPacket& packet) {
    Record& r = add();
    r.op = op;
    r.index = static_cast<std::uint32_t>(m_current->packets.size());
    RecordedPacket& p = m_current->packets.emplace_back();
    p.packet = packet;
    p.packet.data = {}; // the analyzer reads the packet's number and times, not its bytes
    return p;
}

void AnalysisThread::onUndecodable(const RawPacket& packet, const DecodedPacket& decoded) {
    RecordedPacket& p = recordPacket(Op::Undecodable, packet);
    p.status = decoded.status;
    p.detail = decoded.detail;
}

void AnalysisThread::onTruncated(const RawPacket& packet) {
    recordPacket(Op::Truncated, packet);
}

void AnalysisThread::onPacketAnomaly(const RawPacket& packet, AnomalyId id, std::string detail) {
    RecordedPacket& p = recordPacket(Op::PacketAnomaly, packet);
    p.anomaly = id;
    p.detail = std::move(detail);
}

void AnalysisThread::submit() {
    std::unique_lock lock(m_mutex);
    m_wake.wait(lock, [this] { return m_queued.size() < kQueuedChunks || m_error; });
    if (m_error) {
        std::rethrow_exception(m_error);
    }
    m_queued.push_back(std::move(m_current));
    if (m_spare.empty()) {
        m_current = std::make_unique<Chunk>();
    } else {
        m_current = std::move(m_spare.back());
        m_spare.pop_back();
    }
    lock.unlock();
    m_wake.notify_all();
}

void AnalysisThread::drain() {
    if (!m_current->records.empty()) {
        submit();
    }
    std::unique_lock lock(m_mutex);
    m_wake.wait(lock, [this] { return (m_queued.empty() && !m_busy) || m_error; });
    if (m_error) {
        std::rethrow_exception(m_error);
    }
}

void AnalysisThread::run() {
    std::unique_lock lock(m_mutex);
    while (true) {
        m_wake.wait(lock, [this] { return !m_queued.empty() || m_closing; });
        if (m_queued.empty()) {
            return; // closing
        }
        std::unique_ptr<Chunk> chunk = std::move(m_queued.front());
        m_queued.pop_front();
        m_busy = true;
        const bool replayIt = !m_error && !m_closing;
        lock.unlock();
        if (replayIt) {
            try {
                replay(*chunk);
            } catch (...) {
                lock.lock();
                m_error = std::current_exception();
                lock.unlock();
            }
        }
        chunk->clear();
        lock.lock();
        m_spare.push_back(std::move(chunk));
        m_busy = false;
        m_wake.notify_all();
    }
}

void AnalysisThread::replay(Chunk& chunk) {
    for (const Record& r : chunk.records) {
        switch (r.op) {
        case Op::Start:
            if (m_sinks.size() <= r.slot) {
                m_sinks.resize(r.slot + 1, nullptr);
            }
            m_sinks[r.slot] = &m_analyzer.onConnectionStart(chunk.starts[r.index]);
            break;
        case Op::End:
            m_analyzer.onConnectionEnd(static_cast<ConnId>(r.a), r.info);
            m_sinks[r.slot] = nullptr;
            break;
        case Op::Syn:
            m_sinks[r.slot]->onSyn(r.dir, r.code != 0, r.info);
            break;
        case Op::Data: {
            const std::uint8_t* bytes = r.data ? r.data : chunk.arena.data() + r.c;
            m_sinks[r.slot]->onData(r.dir, r.a, Bytes(bytes, static_cast<std::size_t>(r.b)),
                                    r.info);
            break;
        }
        case Op::Gap:
            m_sinks[r.slot]->onGap(r.dir, r.a, r.b, r.info);
            break;
        case Op::Close:
            m_sinks[r.slot]->onClose(r.dir, static_cast<CloseReason>(r.code), r.info);
            break;
        case Op::Notice:
            m_sinks[r.slot]->onNotice(r.dir, static_cast<TcpNotice>(r.code), r.info, r.a, r.b);
            break;
        case Op::Segment: {
            TcpSegment s;
            s.flags = r.code;
            s.seq = static_cast<std::uint32_t>(r.a);
            s.ack = static_cast<std::uint32_t>(r.a >> 32);
            s.payloadLengthOnWire = static_cast<std::uint32_t>(r.b);
            s.window = static_cast<std::uint16_t>(r.c);
            m_sinks[r.slot]->onSegment(r.dir, s, r.info);
            break;
        }
        case Op::Undecodable: {
            const RecordedPacket& p = chunk.packets[r.index];
            DecodedPacket d;
            d.status = p.status;
            d.detail = p.detail.c_str();
            m_analyzer.onUndecodable(p.packet, d);
            break;
        }
        case Op::Truncated:
            m_analyzer.onTruncated(chunk.packets[r.index].packet);
            break;
        case Op::PacketAnomaly: {
            const RecordedPacket& p = chunk.packets[r.index];
            m_analyzer.onPacketAnomaly(p.packet, p.anomaly, p.detail);
            break;
        }
        }
    }
}

} // namespace wst
