// SPDX-License-Identifier: MIT
#pragma once

#include "capture/core/limits.h"
#include "capture/core/packet_source.h"
#include "decoder/model/trace_sink.h"

#include <atomic>
#include <functional>

namespace wst {

/// Runs one capture end to end on the calling thread: PacketSource → decodePacket →
/// FlowTable → Analyzer → TraceSink, then onFinish with the CaptureStats. Used synchronously
/// by the CLI and on a worker thread by the GUI. Never touches a GUI.
class Pipeline {
public:
    struct Options {
        Limits limits;
        bool live = false; ///< expire idle connections (Limits::idleTimeoutNs)
        /// Called every `progressEveryPackets` packets (and at the end) on the pipeline thread.
        std::function<void(const CaptureStats&)> progress;
        std::uint64_t progressEveryPackets = 65536;
        /// Live only: called on the pipeline thread each time the source's read timeout passes
        /// with no packet, so time-driven consumers (BatchingSink::poll) can flush while the
        /// wire is quiet.
        std::function<void()> idle;
        /// Decode HTTP and WebSocket on a second thread (AnalysisThread) while this one reads
        /// and reassembles. The output is identical; the TraceSink is then called from that
        /// thread (never concurrently, and all of it before onFinish, which stays on the
        /// pipeline thread), so `progress` and `idle` must not touch the sink.
        bool analysisThread = false;
    };

    Pipeline(PacketSource& source, TraceSink& sink, Options options);

    /// Reads until end of file, error, or stop(). Returns the stats also given to onFinish;
    /// stats.error holds a read error ("" if none). Everything read before an error is analysed
    /// and flushed.
    CaptureStats run();
    /// Safe from any thread: ends run() soon (also calls PacketSource::requestStop()).
    void stop();

private:
    PacketSource& m_source;
    TraceSink& m_sink;
    Options m_options;
    std::atomic<bool> m_stop{false};
    bool m_ran = false;
};

} // namespace wst
