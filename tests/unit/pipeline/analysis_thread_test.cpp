// SPDX-License-Identifier: MIT
// Pipeline::Options::analysisThread: the same output as one thread, byte for byte, whichever
// source delivers the packets (mmap: bytes passed by pointer; libpcap: copied), on real
// captures and on a generated load test with reordered and duplicated segments; an exception
// thrown by the sink on the analysis thread reaches the caller.
#include "capture/source/open_capture_file.h"
#include "capture/source/pcap_file_source.h"
#include "decoder/export/jsonl_writer.h"
#include "decoder/pipeline/pipeline.h"
#include "tests/bench/gen/loadtest.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace wst;

namespace {

enum class Reader { Mmap, Libpcap };

std::unique_ptr<PacketSource> open(const fs::path& file, Reader reader) {
    if (reader == Reader::Libpcap) {
        auto s = std::make_unique<PcapFileSource>(file.string());
        EXPECT_TRUE(s->isOpen()) << s->errorMessage();
        return s;
    }
    std::string error;
    auto s = openCaptureFile(file.string(), error);
    EXPECT_TRUE(s) << error;
    return s;
}

/// The JSONL of the whole run (every connection, event, message and the stats).
std::string jsonl(const fs::path& file, Reader reader, bool analysisThread) {
    const auto source = open(file, reader);
    if (!source) {
        return {};
    }
    std::ostringstream out;
    JsonlWriter writer(out, "capture");
    Pipeline::Options options;
    options.analysisThread = analysisThread;
    Pipeline pipeline(*source, writer, options);
    pipeline.run();
    return out.str();
}

struct TempDir {
    fs::path path;
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
};

/// A load test big enough to fill the chunk queue many times over (about 9000 packets), with
/// 2 % of the data segments reordered and 1 % duplicated: the reassembler then delivers
/// buffered bytes (copied) besides bytes straight from the packet (stable when mapped).
const fs::path& loadTest() {
    static const TempDir tmp{fs::temp_directory_path() /
                             ("wstrace-analysis-thread-" + std::to_string(getpid()))};
    static const fs::path file = [] {
        fs::create_directories(tmp.path);
        bench::LoadTestOptions o;
        o.targetBytes = 6 << 20;
        o.clients = 60;
        o.reorderPct = 2;
        o.duplicatePct = 1;
        o.output = (tmp.path / "load.pcap").string();
        bench::generateLoadTest(o);
        return fs::path(o.output);
    }();
    return file;
}

TEST(AnalysisThread, LoadTestOutputIsIdenticalWithEitherReader) {
    for (const Reader reader : {Reader::Mmap, Reader::Libpcap}) {
        const std::string one = jsonl(loadTest(), reader, false);
        const std::string two = jsonl(loadTest(), reader, true);
        ASSERT_GT(one.size(), std::size_t{1} << 20);
        EXPECT_TRUE(one == two) << "reader " << static_cast<int>(reader) << ": " << one.size()
                                << " vs " << two.size() << " bytes";
    }
}

TEST(AnalysisThread, EveryBundledCaptureGivesTheSameOutput) {
    std::size_t checked = 0;
    for (const auto& entry : fs::directory_iterator(WST_CAPTURES_DIR)) {
        const std::string ext = entry.path().extension().string();
        if (ext != ".pcap" && ext != ".pcapng") {
            continue;
        }
        const std::string one = jsonl(entry.path(), Reader::Mmap, false);
        const std::string two = jsonl(entry.path(), Reader::Mmap, true);
        EXPECT_FALSE(one.empty());
        EXPECT_TRUE(one == two) << entry.path().filename();
        ++checked;
    }
    EXPECT_GE(checked, 20u);
}

/// Throws from the sink after `after` events, as a writer whose disk filled up might.
class ThrowingSink final : public TraceSink {
public:
    explicit ThrowingSink(std::uint64_t after)
        : m_after(after) {}
    void onConnectionStart(const Connection&) override {}
    void onEvent(const Event&, const Message*, const Anomaly*) override {
        if (++m_events == m_after) {
            throw std::runtime_error("sink failed");
        }
    }
    void onConnectionEnd(const Connection&) override {}
    void onCaptureAnomaly(const Anomaly&) override {}
    void onFinish(const CaptureStats&) override { ++finishes; }
    int finishes = 0;

private:
    std::uint64_t m_after;
    std::uint64_t m_events = 0;
};

TEST(AnalysisThread, SinkExceptionReachesTheCaller) {
    for (const std::uint64_t after : {std::uint64_t{1}, std::uint64_t{5000}}) {
        const auto source = open(loadTest(), Reader::Mmap);
        ThrowingSink sink(after);
        Pipeline::Options options;
        options.analysisThread = true;
        Pipeline pipeline(*source, sink, options);
        EXPECT_THROW(pipeline.run(), std::runtime_error) << "after " << after;
        EXPECT_EQ(sink.finishes, 0);
    }
}

} // namespace
