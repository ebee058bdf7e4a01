// SPDX-License-Identifier: MIT
// Fuzz target: the whole pipeline (decodePacket → FlowTable → Analyzer → TraceStore) over a
// classic pcap held in memory, then the JSON exporter over the resulting trace. Links no
// libpcap (memory_pcap_source.h stands in for the file source).
#include "memory_pcap_source.h"
#include "model/trace_sink.h"
#include "pipeline/pipeline.h"

#ifdef WST_FUZZ_WITH_EXPORT
#include "export/json_writer.h"

#include <sstream>
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    wst::fuzz::MemoryPcapSource source(data, size);
    wst::TraceStore store;
    wst::Pipeline::Options options;
    // Small limits so fuzzing reaches every limit path quickly.
    options.limits.reassemblyBytesPerDirection = 16 * 1024;
    options.limits.reassemblySegmentsPerDirection = 32;
    options.limits.httpHeadBytes = 4096;
    options.limits.payloadPrefixBytes = 128;
    options.limits.inflatedBytesPerMessage = 1 << 16;
    options.limits.maxConnections = 64;
    wst::Pipeline pipeline(source, store, options);
    pipeline.run();
#ifdef WST_FUZZ_WITH_EXPORT
    std::ostringstream out;
    wst::writeJson(store, out);
#endif
    return 0;
}
