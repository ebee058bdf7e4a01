// SPDX-License-Identifier: MIT
#pragma once

#include "capture/core/types.h"
#include "capture/tcp/flow_table.h"
#include "decoder/analysis/analyzer.h"

#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace wst {

/// Runs an Analyzer on a thread of its own, so that reading, packet decoding and TCP
/// reassembly (the pipeline thread) overlap with HTTP/WebSocket decoding and the TraceSink
/// (the analysis thread). Plugs into FlowTable as its FlowObserver.
///
/// Everything the FlowTable delivers is recorded, in order, into chunks that the analysis
/// thread replays onto the Analyzer: the Analyzer and the TraceSink behind it see exactly the
/// calls, in exactly the order, they would see on one thread, so the output is identical. The
/// sink is called only from the analysis thread (never concurrently) until drain() returns.
///
/// Bytes: onData bytes inside `stableMemory` (a memory-mapped file that outlives this object)
/// are passed on by pointer; all others are copied, since the StreamSink contract makes them
/// valid only during the call. onSegment passes the segment's header fields and lengths, not
/// its payload (which reaches the Analyzer through onData).
///
/// Memory is bounded: at most kQueuedChunks chunks of kChunkRecords records and kChunkBytes
/// copied bytes wait; the pipeline thread blocks when the analysis thread is that far behind.
class AnalysisThread final : public FlowObserver {
public:
    static constexpr std::size_t kChunkRecords = 1024;
    static constexpr std::size_t kChunkBytes = std::size_t{128} << 10;
    static constexpr std::size_t kQueuedChunks = 8;

    AnalysisThread(Analyzer& analyzer, Bytes stableMemory);
    /// Stops the analysis thread; what was recorded but not drained is dropped.
    ~AnalysisThread() override;
    AnalysisThread(const AnalysisThread&) = delete;
    AnalysisThread& operator=(const AnalysisThread&) = delete;

    StreamSink& onConnectionStart(const ConnectionInfo& info) override;
    void onConnectionEnd(ConnId id, const SegmentInfo& last) override;
    /// Recorded and replayed as Analyzer::onUndecodable / onTruncated.
    void onUndecodable(const RawPacket& packet, const DecodedPacket& decoded);
    void onTruncated(const RawPacket& packet);
    /// Recorded and replayed as Analyzer::onPacketAnomaly.
    void onPacketAnomaly(const RawPacket& packet, AnomalyId id, std::string detail);

    /// Waits until everything recorded so far has been analysed. Rethrows an exception thrown
    /// on the analysis thread (also thrown from later recording calls).
    void drain();

    enum class Op : std::uint8_t;
    struct Record;
    struct RecordedPacket;
    struct Chunk;
    class ConnectionProxy;

private:
    Record& add();
    RecordedPacket& recordPacket(Op op, const RawPacket& packet);
    void submit();
    void run();
    void replay(Chunk& chunk);

    Analyzer& m_analyzer;
    Bytes m_stable;
    std::unique_ptr<Chunk> m_current;

    // Pipeline thread: one proxy StreamSink per open connection, by slot (reused).
    std::vector<std::unique_ptr<ConnectionProxy>> m_proxies;
    std::vector<std::uint32_t> m_freeSlots;
    std::unordered_map<ConnId, std::uint32_t> m_slotOf; ///< open connections' slots
    // Analysis thread: the Analyzer's sink per slot.
    std::vector<StreamSink*> m_sinks;

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::unique_ptr<Chunk>> m_queued;
    std::vector<std::unique_ptr<Chunk>> m_spare;
    bool m_busy = false;
    bool m_closing = false;
    std::exception_ptr m_error;
    std::thread m_thread;
};

} // namespace wst
