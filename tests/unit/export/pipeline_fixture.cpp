// SPDX-License-Identifier: MIT
#include "tests/unit/export/pipeline_fixture.h"

#include "capture/source/pcap_file_source.h"
#include "decoder/pipeline/pipeline.h"
#include "tests/bench/gen/loadtest.h"

#include <fstream>
#include <stdexcept>
#include <unistd.h>

namespace wst::test {

namespace {
/// Removes the test's temporary folder when the binary exits.
struct TempDir {
    std::filesystem::path path;
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
    }
};
} // namespace

const GeneratedCapture& generatedCapture() {
    static const TempDir tmp{std::filesystem::temp_directory_path() /
                             ("wstrace-export-" + std::to_string(getpid()))};
    static const GeneratedCapture capture = [] {
        const auto dir = tmp.path;
        std::filesystem::create_directories(dir);
        bench::LoadTestOptions o;
        o.targetBytes = 256 * 1024;
        o.clients = 5;
        o.seed = 7;
        o.output = (dir / "load.pcap").string();
        o.truth = (dir / "load.truth.json").string();
        bench::generateLoadTest(o);
        GeneratedCapture c;
        c.pcap = o.output;
        std::ifstream in(o.truth);
        c.truth = nlohmann::json::parse(in);
        return c;
    }();
    return capture;
}

void runPipeline(const std::filesystem::path& pcap, TraceSink& sink) {
    PcapFileSource source(pcap.string());
    if (!source.isOpen()) {
        throw std::runtime_error(source.errorMessage());
    }
    Pipeline pipeline(source, sink, Pipeline::Options{});
    pipeline.run();
}

} // namespace wst::test
