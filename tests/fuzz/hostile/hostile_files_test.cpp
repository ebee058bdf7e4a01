// SPDX-License-Identifier: MIT
// Hostile and unusual capture files through the real binary (issue 21, items 7 and 8): time
// that goes backwards, an impossible microsecond field, a frame length with its top bit set
// followed by bytes that look like frames, a frame cut by the end of the capture, and the
// capture read from standard input. docs/limits.md lists what each holds.
#include "tests/fuzz/hostile/run_wstrace.h"
#include "tests/support/pcap_conversation.h"
#include "tests/support/pcap_writer.h"
#include "tests/support/ws_frames.h"

#include <array>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;
using wst::hostile::runWstrace;
using wst::hostile::WstraceRun;
using wst::test::Buf;
using wst::test::Ep4;
using wst::test::FrameSpec;
using wst::test::PcapConversation;
using wst::test::PcapOut;

constexpr std::uint32_t kLoopback = 0x7f000001;
constexpr Ep4 kServer{kLoopback, 8080};
constexpr std::int64_t kStart = 1'700'000'000'000'000'000;

struct ShellRun {
    int exitCode = -1;
    std::string out;
};

/// Runs `command` through sh with a time bound; stdout is returned, stderr joins it.
ShellRun shell(const std::string& command, int timeoutSeconds = 60) {
    ShellRun r;
    const std::string full =
        fmt::format("timeout -s KILL {} sh -c '{}' 2>&1", timeoutSeconds, command);
    std::FILE* p = ::popen(full.c_str(), "r");
    if (p == nullptr) {
        return r;
    }
    std::array<char, 65536> buf;
    std::size_t n = 0;
    while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) {
        r.out.append(buf.data(), n);
    }
    const int status = ::pclose(p);
    r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

/// Every number under a key that names a duration or latency, anywhere in `j`.
void collectDurations(const nlohmann::json& j, const std::string& key,
                      std::vector<std::pair<std::string, double>>& out) {
    if (j.is_object()) {
        for (auto it = j.begin(); it != j.end(); ++it) {
            collectDurations(it.value(), it.key(), out);
        }
    } else if (j.is_array()) {
        for (const auto& v : j) {
            collectDurations(v, key, out);
        }
    } else if (j.is_number() && (key.find("latency") != std::string::npos ||
                                 key.find("duration") != std::string::npos ||
                                 key.find("since") != std::string::npos)) {
        out.emplace_back(key, j.get<double>());
    }
}

class HostileFiles : public ::testing::Test {
protected:
    void SetUp() override {
        m_dir = fs::temp_directory_path() /
                fmt::format("wst_hostile_files_{}_{}", ::getpid(),
                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(m_dir);
    }
    void TearDown() override {
        if (!HasFailure()) {
            fs::remove_all(m_dir);
        }
    }
    std::string path(const std::string& name) const { return (m_dir / name).string(); }

    fs::path m_dir;
};

// The clock steps back 3 s between the 101 and the first message, and one record's
// microsecond field reads 1 000 000: both named, and no duration or latency comes out negative
// (issue 21: "−2594967306 s since the last frame").
TEST_F(HostileFiles, TimeGoingBackwardsIsFlaggedAndDurationsStayNonNegative) {
    const std::string p = path("backwards.pcap");
    {
        PcapOut out(p);
        std::int64_t clock = kStart;
        PcapConversation c(out, clock, {kLoopback, 40001}, kServer);
        c.handshake();
        c.upgrade();
        clock -= 3'000'000'000; // NTP stepped the clock back
        c.send(0, wst::test::wsFrame(
                      FrameSpec{.opcode = 0x1, .payload = Buf{'h', 'i'}, .masked = true}));
        c.send(1, wst::test::wsFrame(FrameSpec{.opcode = 0x1, .payload = Buf{'h', 'i'}}));
        c.fin(0);
        c.fin(1);
    }
    const WstraceRun r = runWstrace(p);
    EXPECT_EQ(r.exitCode, 0) << r.describe();
    EXPECT_TRUE(r.hasAnomaly("capture_time_backwards")) << r.describe();

    const ShellRun json = shell(fmt::format("{} -r {} --format json", WST_WSTRACE_BIN, p));
    ASSERT_EQ(json.exitCode, 0) << json.out;
    const auto doc = nlohmann::json::parse(json.out);
    std::vector<std::pair<std::string, double>> durations;
    collectDurations(doc, "", durations);
    EXPECT_FALSE(durations.empty()) << json.out.substr(0, 2000);
    for (const auto& [key, value] : durations) {
        EXPECT_GE(value, 0) << key;
    }
    const ShellRun text = shell(fmt::format("{} -r {}", WST_WSTRACE_BIN, p));
    EXPECT_NE(text.out.find("capture_time_backwards"), std::string::npos) << text.out;
    EXPECT_EQ(text.out.find(" -"), std::string::npos) << text.out; // no negative duration
}

TEST_F(HostileFiles, MicrosecondFieldOfAMillionIsFlagged) {
    const std::string p = path("usec.pcap");
    {
        // Classic microsecond pcap (magic a1b2c3d4) written by hand: PcapOut writes ns.
        std::string tmp = path("ns.pcap");
        {
            PcapOut out(tmp);
            std::int64_t clock = kStart;
            PcapConversation c(out, clock, {kLoopback, 40001}, kServer);
            c.normalSession(1);
        }
        std::FILE* in = std::fopen(tmp.c_str(), "rb");
        ASSERT_NE(in, nullptr);
        Buf bytes;
        std::array<std::uint8_t, 4096> b;
        std::size_t n = 0;
        while ((n = std::fread(b.data(), 1, b.size(), in)) > 0) {
            bytes.insert(bytes.end(), b.begin(), b.begin() + static_cast<std::ptrdiff_t>(n));
        }
        std::fclose(in);
        const std::uint32_t usMagic = 0xa1b2c3d4;
        std::memcpy(bytes.data(), &usMagic, 4);
        // Every record's fraction becomes µs; the third record's is 1 000 000.
        std::size_t at = 24;
        for (int i = 0; at + 16 <= bytes.size(); ++i) {
            std::uint32_t fraction = 0, captured = 0;
            std::memcpy(&fraction, bytes.data() + at + 4, 4);
            fraction = i == 2 ? 1'000'000 : fraction / 1000;
            std::memcpy(bytes.data() + at + 4, &fraction, 4);
            std::memcpy(&captured, bytes.data() + at + 8, 4);
            at += 16 + captured;
        }
        std::FILE* out = std::fopen(p.c_str(), "wb");
        ASSERT_NE(out, nullptr);
        std::fwrite(bytes.data(), 1, bytes.size(), out);
        std::fclose(out);
    }
    const WstraceRun r = runWstrace(p);
    EXPECT_EQ(r.exitCode, 0) << r.describe();
    EXPECT_TRUE(r.hasAnomaly("capture_timestamp_invalid")) << r.describe();
    ASSERT_EQ(r.connections.size(), 1u) << r.describe();
    EXPECT_EQ(r.connections[0].outcome, "upgraded");
}

// RFC 6455 §5.2: the 64-bit length's most significant bit must be 0. Behind such a header the
// "payload" holds pairs of plausible frame headers (two short frames back to back, then bytes
// that are no header), which the former rule (one plausible follower) took as a boundary and
// then invented messages from (issue 21: 102 messages and a "Close 16684"). A resync after such
// a header now needs kResyncChain headers back to back; none is found, so the direction shows
// the broken frame only. The normal connection after it is exact.
TEST_F(HostileFiles, LengthWithTopBitSetDoesNotResyncIntoThePayload) {
    const std::string p = path("msb.pcap");
    {
        PcapOut out(p);
        std::int64_t clock = kStart;
        PcapConversation c(out, clock, {kLoopback, 40002}, kServer);
        c.handshake();
        c.upgrade();
        Buf f = {0x82, 127, 0x80, 0, 0, 0, 0, 0, 0, 0};
        const Buf pair = {0x82, 0x02, 'x', 'x', 0x81, 0x02, 'y', 'y', 0xff, 0xff, 0xff, 0xff};
        while (f.size() < 64 * 1024) {
            f.insert(f.end(), pair.begin(), pair.end());
        }
        c.send(1, f);
        c.fin(1);
        c.fin(0);
        PcapConversation n(out, clock, {kLoopback, 50000}, kServer, 77, 88);
        n.normalSession(3);
    }
    const WstraceRun r = runWstrace(p);
    EXPECT_EQ(r.exitCode, 0) << r.describe();
    EXPECT_TRUE(r.hasAnomaly("ws_frame_length_msb_set")) << r.describe();
    ASSERT_EQ(r.connections.size(), 2u) << r.describe();
    // The broken frame itself and nothing invented (the former rule: thousands of frames).
    EXPECT_EQ(r.connections[0].frames[1], 1u) << r.describe();
    EXPECT_FALSE(r.hasAnomaly("ws_frame_resynced")) << r.describe();
    EXPECT_EQ(r.connections[1].frames[0], 4u);
    EXPECT_EQ(r.connections[1].frames[1], 4u);
}

// A frame that announces 2 GiB and is cut by the end of the capture after 1 MiB: the text
// summary says so, not only JSON's `complete: false`.
TEST_F(HostileFiles, FrameCutByTheCaptureEndIsShownInTheTextSummary) {
    const std::string p = path("cut.pcap");
    {
        PcapOut out(p);
        std::int64_t clock = kStart;
        PcapConversation c(out, clock, {kLoopback, 40003}, kServer);
        c.handshake();
        c.upgrade();
        FrameSpec spec;
        spec.opcode = 0x2;
        spec.masked = false;
        spec.payload = Buf(1 << 20, 0x42);
        spec.lengthOverride = std::uint64_t{1} << 31;
        c.send(1, wst::test::wsFrame(spec));
    }
    const ShellRun text = shell(fmt::format("{} -r {}", WST_WSTRACE_BIN, p));
    EXPECT_EQ(text.exitCode, 0) << text.out;
    EXPECT_NE(text.out.find("cut       server→client binary message cut short"), std::string::npos)
        << text.out;
    EXPECT_NE(text.out.find("announced 2147483648 payload bytes, 1048576 were seen"),
              std::string::npos)
        << text.out;
}

// `-r -` reads standard input, as tcpdump does, from a pipe and from a redirected file; the
// output is the same as reading the file.
TEST_F(HostileFiles, StandardInputIsReadAsAStream) {
    const std::string p = path("stdin.pcap");
    {
        PcapOut out(p);
        std::int64_t clock = kStart;
        PcapConversation c(out, clock, {kLoopback, 50000}, kServer, 77, 88);
        c.normalSession(3);
    }
    const ShellRun file = shell(fmt::format("{} -r {} --format jsonl", WST_WSTRACE_BIN, p));
    ASSERT_EQ(file.exitCode, 0) << file.out;
    const ShellRun piped =
        shell(fmt::format("cat {} | {} -r - --format jsonl", p, WST_WSTRACE_BIN));
    const ShellRun redirected =
        shell(fmt::format("{} -r - --format jsonl < {}", WST_WSTRACE_BIN, p));
    EXPECT_EQ(piped.exitCode, 0) << piped.out;
    EXPECT_EQ(redirected.exitCode, 0) << redirected.out;
    // The source is named "standard input" instead of the path; everything else is equal.
    auto withoutSource = [](std::string s, const std::string& name) {
        for (std::size_t at = 0; (at = s.find(name, at)) != std::string::npos;) {
            s.replace(at, name.size(), "SRC");
        }
        return s;
    };
    EXPECT_EQ(withoutSource(piped.out, "standard input"), withoutSource(file.out, p));
    EXPECT_EQ(withoutSource(redirected.out, "standard input"), withoutSource(file.out, p));
    EXPECT_NE(file.out.find("\"upgraded\""), std::string::npos) << file.out;
}

// A named FIFO through the real binary, 50 times, each bounded by a timeout (issue 21: opened
// twice, 1 run in 20 hung in the second open or killed the writer with SIGPIPE).
TEST_F(HostileFiles, FifoReadFiftyTimesWithoutAHang) {
    const std::string p = path("fifo-src.pcap");
    {
        PcapOut out(p);
        std::int64_t clock = kStart;
        PcapConversation c(out, clock, {kLoopback, 50000}, kServer, 77, 88);
        c.normalSession(3);
    }
    const std::string fifo = path("capture.fifo");
    for (int round = 0; round < 50; ++round) {
        const ShellRun r = shell(
            fmt::format(
                "rm -f {0}; mkfifo {0}; (cat {1} > {0}; echo writer=$?) & {2} -r {0} --format "
                "jsonl | grep -c connection_end; wait",
                fifo, p, WST_WSTRACE_BIN),
            20);
        ASSERT_EQ(r.exitCode, 0) << "round " << round << ": " << r.out;
        ASSERT_NE(r.out.find("writer=0"), std::string::npos) << "round " << round << ": " << r.out;
        ASSERT_EQ(r.out.find("1\n") == 0 || r.out.find("\n1\n") != std::string::npos, true)
            << r.out;
    }
}

} // namespace
