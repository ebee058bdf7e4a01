// SPDX-License-Identifier: MIT
// Pipeline: the counts it reports, progress, stop() from another thread, snapped packets, and
// that every connection it starts it also ends.
#include "capture/source/pcap_file_source.h"
#include "decoder/pipeline/pipeline.h"
#include "tests/bench/gen/loadtest.h"
#include "tests/support/pcap_writer.h"

#include <atomic>
#include <filesystem>
#include <gtest/gtest.h>
#include <set>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace wst;

namespace {

struct Generated {
    fs::path pcap;
    bench::LoadTestResult truth;
};

/// Removes the test's temporary folder when the binary exits.
struct TempDir {
    fs::path path;
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
};

const Generated& generated() {
    static const TempDir tmp{fs::temp_directory_path() /
                             ("wstrace-pipeline-" + std::to_string(getpid()))};
    static const Generated g = [] {
        const fs::path dir = tmp.path;
        fs::create_directories(dir);
        bench::LoadTestOptions o;
        o.targetBytes = 4 << 20;
        o.clients = 40;
        o.output = (dir / "load.pcap").string();
        Generated out;
        out.truth = bench::generateLoadTest(o);
        out.pcap = o.output;
        return out;
    }();
    return g;
}

/// Checks that starts and ends pair up and that nothing arrives after onFinish.
class CheckingSink final : public TraceSink {
public:
    std::set<ConnId> open, ended;
    std::uint64_t events = 0, captureAnomalies = 0, finishes = 0;
    std::vector<AnomalyId> captureIds;
    CaptureStats stats;

    void onConnectionStart(const Connection& c) override {
        EXPECT_EQ(finishes, 0u);
        EXPECT_TRUE(open.insert(c.id).second) << "started twice: " << c.id;
    }
    void onEvent(const Event& e, const Message*, const Anomaly*) override {
        EXPECT_EQ(finishes, 0u);
        EXPECT_TRUE(open.contains(e.connection)) << "event for a connection not open";
        ++events;
    }
    void onConnectionEnd(const Connection& c) override {
        EXPECT_EQ(open.erase(c.id), 1u) << "ended without start: " << c.id;
        ended.insert(c.id);
    }
    void onCaptureAnomaly(const Anomaly& a) override {
        ++captureAnomalies;
        captureIds.push_back(a.id);
    }
    void onFinish(const CaptureStats& s) override {
        ++finishes;
        stats = s;
    }
};

TEST(Pipeline, CountsEveryPacketAndEndsEveryConnection) {
    PcapFileSource source(generated().pcap.string());
    ASSERT_TRUE(source.isOpen()) << source.errorMessage();
    CheckingSink sink;
    std::vector<std::uint64_t> progress;
    Pipeline::Options options;
    options.progressEveryPackets = 1000;
    options.progress = [&](const CaptureStats& s) { progress.push_back(s.packets); };
    Pipeline pipeline(source, sink, options);
    const CaptureStats stats = pipeline.run();

    EXPECT_EQ(stats.packets, generated().truth.packets);
    EXPECT_EQ(stats.tcpPackets, generated().truth.packets);
    EXPECT_EQ(stats.bytes + 24 + 16 * stats.packets, generated().truth.bytes)
        << "captured bytes = file size less the file header and one record header per packet";
    EXPECT_EQ(stats.error, "");
    EXPECT_EQ(stats.source, generated().pcap.string());
    EXPECT_LE(stats.first, stats.last);
    EXPECT_EQ(sink.finishes, 1u);
    EXPECT_EQ(sink.stats.packets, stats.packets);
    EXPECT_TRUE(sink.open.empty()) << sink.open.size() << " connections never ended";
    EXPECT_EQ(sink.ended.size(), generated().truth.connections);

    // Progress every 1000 packets, then once at the end with the final count.
    ASSERT_EQ(progress.size(), stats.packets / 1000 + 1);
    for (std::size_t i = 0; i + 1 < progress.size(); ++i) {
        EXPECT_EQ(progress[i], (i + 1) * 1000);
    }
    EXPECT_EQ(progress.back(), stats.packets);
}

TEST(Pipeline, StopFromAnotherThreadEndsTheRunAndFlushes) {
    PcapFileSource source(generated().pcap.string());
    CheckingSink sink;
    std::atomic<bool> started{false};
    Pipeline::Options options;
    options.progressEveryPackets = 1;
    // Slow the run down so the other thread's stop() lands in the middle of it.
    options.progress = [&](const CaptureStats&) {
        started = true;
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    };
    Pipeline pipeline(source, sink, options);
    std::thread stopper([&] {
        while (!started) {
            std::this_thread::yield();
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        pipeline.stop();
    });
    const CaptureStats stats = pipeline.run();
    stopper.join();
    EXPECT_GT(stats.packets, 0u);
    EXPECT_LT(stats.packets, generated().truth.packets);
    EXPECT_EQ(sink.finishes, 1u);
    EXPECT_TRUE(sink.open.empty()) << "a stopped run still ends its open connections";
}

TEST(Pipeline, SnappedPacketsAreReportedOnceEach) {
    const fs::path p = generated().pcap.parent_path() / "snapped.pcap";
    {
        test::PcapOut pcap(p.string());
        test::SegmentSpec s;
        s.src = {0x0a000001, 40000};
        s.dst = {0x0a000002, 80};
        s.flags = tcpflag::Syn;
        std::vector<std::uint8_t> frame;
        test::buildFrame(s, frame);
        pcap.write(1'000, frame, static_cast<std::uint32_t>(frame.size()) + 50); // snapped
        pcap.write(2'000, frame);                                                // whole
        // Cut inside the IPv4 header: headers truncated and snapped — still one report.
        pcap.write(3'000, std::span(frame).first(20), static_cast<std::uint32_t>(frame.size()));
    }
    PcapFileSource source(p.string());
    CheckingSink sink;
    Pipeline pipeline(source, sink, {});
    const CaptureStats stats = pipeline.run();
    EXPECT_EQ(stats.packets, 3u);
    EXPECT_EQ(stats.undecodable, 1u);
    EXPECT_EQ(std::count(sink.captureIds.begin(), sink.captureIds.end(),
                         AnomalyId::CaptureTruncatedPacket),
              2);
    EXPECT_EQ(sink.captureIds.size(), 2u) << "no second report for the header-cut packet";
}

} // namespace
