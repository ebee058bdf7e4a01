// SPDX-License-Identifier: MIT
// Fuzz target: the whole pipeline (decodePacket → FlowTable → Analyzer) over a classic pcap
// held in memory, into both kinds of sink at once: the TraceStore the GUI and the whole-trace
// exports read, and the streaming JSON Lines writer the CLI uses. Links no libpcap
// (memory_pcap_source.h stands in for the file source).
#include "memory_pcap_source.h"
#include "model/trace_sink.h"
#include "pipeline/pipeline.h"

#ifdef WST_FUZZ_WITH_EXPORT
#include "export/jsonl_writer.h"

#include <sstream>
#endif

namespace {

/// Hands every call to the store and, in export builds, to the JSONL writer.
class BothSinks final : public wst::TraceSink {
public:
    explicit BothSinks(wst::TraceSink* second)
        : m_second(second) {}
    wst::TraceStore store;

    void onConnectionStart(const wst::Connection& c) override {
        store.onConnectionStart(c);
        if (m_second)
            m_second->onConnectionStart(c);
    }
    void onEvent(const wst::Event& e, const wst::Message* m, const wst::Anomaly* a) override {
        store.onEvent(e, m, a);
        if (m_second)
            m_second->onEvent(e, m, a);
    }
    void onConnectionUpdate(const wst::Connection& c) override {
        store.onConnectionUpdate(c);
        if (m_second)
            m_second->onConnectionUpdate(c);
    }
    void onConnectionEnd(const wst::Connection& c) override {
        store.onConnectionEnd(c);
        if (m_second)
            m_second->onConnectionEnd(c);
    }
    void onCaptureAnomaly(const wst::Anomaly& a) override {
        store.onCaptureAnomaly(a);
        if (m_second)
            m_second->onCaptureAnomaly(a);
    }
    void onFinish(const wst::CaptureStats& s) override {
        store.onFinish(s);
        if (m_second)
            m_second->onFinish(s);
    }

private:
    wst::TraceSink* m_second;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    wst::fuzz::MemoryPcapSource source(data, size);
#ifdef WST_FUZZ_WITH_EXPORT
    std::ostringstream out;
    wst::JsonlWriter jsonl(out, "fuzz.pcap");
    BothSinks sinks(&jsonl);
#else
    BothSinks sinks(nullptr);
#endif
    wst::Pipeline::Options options;
    // Small limits so fuzzing reaches every limit path quickly.
    options.limits.reassemblyBytesPerDirection = 16 * 1024;
    options.limits.reassemblySegmentsPerDirection = 32;
    options.limits.httpHeadBytes = 4096;
    options.limits.payloadPrefixBytes = 128;
    options.limits.inflatedBytesPerMessage = 1 << 16;
    options.limits.maxConnections = 64;
    wst::Pipeline pipeline(source, sinks, options);
    pipeline.run();
    return 0;
}
