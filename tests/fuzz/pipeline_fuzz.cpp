// SPDX-License-Identifier: MIT
// Fuzz target: the whole pipeline (decodePacket → FlowTable → Analyzer) over a classic pcap
// held in memory, into both kinds of sink at once: the Trace the GUI and the whole-trace
// exports read, and the streaming JSON Lines writer the CLI uses. Links no libpcap
// (memory_pcap_source.h stands in for the file source).
#include "decoder/export/jsonl_writer.h"
#include "decoder/model/sink_fanout.h"
#include "decoder/model/trace_store.h"
#include "decoder/pipeline/pipeline.h"
#include "tests/fuzz/memory_pcap_source.h"

#include <sstream>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    wst::fuzz::MemoryPcapSource source(data, size);
    wst::Trace store;
    wst::FanoutSink sinks{&store};
    std::ostringstream out;
    wst::JsonlWriter jsonl(out, "fuzz.pcap");
    sinks.add(jsonl);
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
