// SPDX-License-Identifier: MIT
// ReplaySource paces a real capture read through the real libpcap file source. The capture's
// recorded times are stretched ×10 (to ~2.2 s) so that pacing is measurable with generous
// bounds on a loaded 2-core machine.
#include "capture/replay/replay_source.h"
#include "capture/source/pcap_file_source.h"
#include "decoder/model/trace_store.h"
#include "decoder/pipeline/pipeline.h"

#include <chrono>
#include <gtest/gtest.h>
#include <thread>

namespace wst {
namespace {

const std::string kCapture = std::string(WST_TEST_DATA_DIR) + "/capture/tcp-ipv4.pcap";

/// The file source with every timestamp stretched by `factor` around the first packet.
class StretchedFile final : public PacketSource {
public:
    StretchedFile(const std::string& path, std::int64_t factor)
        : m_file(path)
        , m_factor(factor) {}
    ReadStatus next(RawPacket& p) override {
        const ReadStatus s = m_file.next(p);
        if (s == ReadStatus::Packet) {
            if (!m_haveFirst) {
                m_first = p.time;
                m_haveFirst = true;
            }
            p.time = Timestamp{m_first.ns + (p.time - m_first) * m_factor};
        }
        return s;
    }
    void requestStop() override { m_file.requestStop(); }
    std::string errorMessage() const override { return m_file.errorMessage(); }
    std::string describe() const override { return m_file.describe(); }

private:
    PcapFileSource m_file;
    std::int64_t m_factor;
    bool m_haveFirst = false;
    Timestamp m_first;
};

struct ReplayRun {
    double seconds = 0;
    Trace trace;
    Timestamp recordedFirst, recordedLast;
};

ReplayRun runReplay(double speed, const std::function<void(ReplaySource&)>& during = {}) {
    StretchedFile file(kCapture, 10);
    ReplaySource replay(file, speed);
    ReplayRun run;
    Pipeline pipeline(replay, run.trace, {});
    std::thread controller;
    if (during)
        controller = std::thread([&] { during(replay); });
    const auto start = std::chrono::steady_clock::now();
    const CaptureStats stats = pipeline.run();
    run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (controller.joinable())
        controller.join();
    run.recordedFirst = stats.first;
    run.recordedLast = stats.last;
    return run;
}

double recordedSeconds(const ReplayRun& r) {
    return static_cast<double>(r.recordedLast - r.recordedFirst) / 1e9;
}

void expectSameTrace(const Trace& a, const Trace& b) {
    ASSERT_EQ(a.connections.size(), b.connections.size());
    ASSERT_EQ(a.events.size(), b.events.size());
    for (std::size_t i = 0; i < a.events.size(); ++i) {
        EXPECT_EQ(a.events[i].kind, b.events[i].kind) << i;
        EXPECT_EQ(a.events[i].packet, b.events[i].packet) << i;
        EXPECT_EQ(a.events[i].time, b.events[i].time) << i;
    }
    EXPECT_EQ(a.anomalies.size(), b.anomalies.size());
}

TEST(Replay, TenTimesSpeedTakesAboutATenthOfTheRecordedTime) {
    const ReplayRun unpaced = runReplay(0);
    const ReplayRun paced = runReplay(10);
    const double recorded = recordedSeconds(paced);
    ASSERT_GT(recorded, 1.5); // the stretched capture spans about 2.2 s
    EXPECT_GT(paced.seconds, recorded / 10 * 0.8);
    EXPECT_LT(paced.seconds, recorded / 10 + 1.0);
    EXPECT_LT(unpaced.seconds, paced.seconds);
    expectSameTrace(unpaced.trace, paced.trace);
}

TEST(Replay, PauseHoldsTheReplayAndResumeContinuesWhereItWas) {
    const ReplayRun run = runReplay(10, [](ReplaySource& r) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        r.pause();
        EXPECT_TRUE(r.paused());
        // A packet already past its wait may still land; after that nothing moves.
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        const Timestamp held = r.position();
        std::this_thread::sleep_for(std::chrono::milliseconds(400));
        EXPECT_EQ(r.position(), held); // nothing delivered while paused
        r.resume();
    });
    const double recorded = recordedSeconds(run);
    EXPECT_GT(run.seconds, recorded / 10 + 0.3);
    EXPECT_EQ(run.trace.stats.packets, runReplay(0).trace.stats.packets);
}

TEST(Replay, SeekForwardDeliversEarlierPacketsAtOnce) {
    const ReplayRun unpaced = runReplay(0);
    // At ×1 the stretched capture would take over 2 s; seeking to its end makes it quick.
    const ReplayRun run = runReplay(1, [&](ReplaySource& r) { r.seekTo(unpaced.recordedLast); });
    EXPECT_LT(run.seconds, 1.0);
    expectSameTrace(unpaced.trace, run.trace);
}

TEST(Replay, StopEndsAPausedReplay) {
    StretchedFile file(kCapture, 10);
    ReplaySource replay(file, 1);
    Trace trace;
    Pipeline pipeline(replay, trace, {});
    replay.pause();
    std::thread stopper([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        pipeline.stop();
    });
    const auto start = std::chrono::steady_clock::now();
    pipeline.run();
    stopper.join();
    EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 2.0);
    EXPECT_LE(trace.stats.packets, 1u);
}

TEST(Replay, IdleTickReturnsTimeoutWhileWaitingAndKeepsThePacket) {
    PcapFileSource direct(kCapture);
    RawPacket first;
    ASSERT_EQ(direct.next(first), ReadStatus::Packet);
    RawPacket second;
    ASSERT_EQ(direct.next(second), ReadStatus::Packet);

    PcapFileSource file(kCapture);
    ReplaySource replay(file, 1);
    replay.setIdleTick(std::chrono::milliseconds(20));
    RawPacket p;
    ASSERT_EQ(replay.next(p), ReadStatus::Packet); // the first packet is always due
    EXPECT_EQ(p.number, first.number);
    replay.pause();
    // Paused: every call gives up after the tick, and the next packet is not lost.
    for (int i = 0; i < 3; ++i) {
        const auto start = std::chrono::steady_clock::now();
        ASSERT_EQ(replay.next(p), ReadStatus::Timeout);
        EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
                  1.0);
    }
    replay.resume();
    replay.setSpeed(0);
    ASSERT_EQ(replay.next(p), ReadStatus::Packet);
    EXPECT_EQ(p.number, second.number);
    EXPECT_EQ(p.time, second.time);
    EXPECT_EQ(p.capturedLength, second.capturedLength);
    EXPECT_EQ(replay.position(), second.time);
}

} // namespace
} // namespace wst
