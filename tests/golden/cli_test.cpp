// SPDX-License-Identifier: MIT
// The wstrace binary as users run it: exit codes, one-line error messages naming the input,
// --fail-on gates, --version, --list-anomalies, -o, and byte-identical output run to run.
#include "decoder/model/anomaly.h"
#include "tests/bench/gen/loadtest.h"
#include "tests/support/http_heads.h"
#include "tests/support/pcap_conversation.h"
#include "tests/support/pcap_writer.h"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

struct Result {
    int exitCode = -1;
    std::string out;
    std::string err;
};

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

class Cli : public testing::Test {
protected:
    void SetUp() override {
        m_dir = fs::temp_directory_path() /
                fmt::format("wstrace-cli-{}-{}", getpid(),
                            testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
    }
    void TearDown() override { fs::remove_all(m_dir); }

    /// Runs wstrace with `args` (already shell-quoted where needed), capturing both streams.
    Result run(const std::string& args) {
        const fs::path out = m_dir / "stdout", err = m_dir / "stderr";
        const std::string cmd = fmt::format("'{}' {} >'{}' 2>'{}' </dev/null", WSTRACE_BIN, args,
                                            out.string(), err.string());
        const int status = std::system(cmd.c_str());
        Result r;
        r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        r.out = slurp(out);
        r.err = slurp(err);
        return r;
    }

    /// Starts wstrace with `args`, sends `sigs` (1 ms apart) `after` its start, and waits
    /// (20 s at most) for it to end.
    Result stopWithSignals(const std::vector<std::string>& args, std::chrono::milliseconds after,
                           const std::vector<int>& sigs);

    /// A small, clean WebSocket capture from the load-test generator.
    fs::path cleanCapture(const std::string& name = "clean.pcap") {
        wst::bench::LoadTestOptions o;
        o.targetBytes = 64 * 1024;
        o.clients = 3;
        o.output = (m_dir / name).string();
        wst::bench::generateLoadTest(o);
        return o.output;
    }

    /// One Ethernet/IPv4/TCP SYN recorded with fewer bytes than it had on the wire: the
    /// pipeline reports capture_truncated_packet (a warning) and nothing worse.
    fs::path snappedCapture() {
        const fs::path p = m_dir / "snapped.pcap";
        wst::test::PcapOut pcap(p.string());
        wst::test::SegmentSpec s;
        s.src = {0x0a000001, 40000};
        s.dst = {0x0a000002, 80};
        s.seq = 1000;
        s.flags = wst::tcpflag::Syn;
        std::vector<std::uint8_t> frame;
        wst::test::buildFrame(s, frame);
        pcap.write(1'700'000'000'000'000'000, frame,
                   static_cast<std::uint32_t>(frame.size() + 100));
        pcap.close();
        return p;
    }

    /// One upgrade whose request head is about 1.5 KiB (a padding header), for --max-head.
    fs::path paddedHeadCapture() {
        const fs::path p = m_dir / "padded-head.pcap";
        wst::test::PcapOut pcap(p.string());
        std::int64_t clock = 1'700'000'000'000'000'000;
        wst::test::PcapConversation c(pcap, clock, {0x0a000001, 40000}, {0x0a000002, 80});
        c.handshake();
        const std::string request =
            wst::test::upgradeRequest("X-Pad: " + std::string(1300, 'p') + "\r\n");
        EXPECT_GT(request.size(), 1024u + 256u);
        EXPECT_LT(request.size(), 2048u);
        c.send(0, request);
        c.send(1, wst::test::gorilla101());
        c.fin(0);
        c.fin(1);
        pcap.close();
        return p;
    }

    fs::path m_dir;
};

std::size_t lineCount(const std::string& s) {
    return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
}

TEST_F(Cli, MissingFileIsAnInputErrorNamingTheFile) {
    const fs::path missing = m_dir / "no-such-file.pcap";
    const Result r = run(fmt::format("-r '{}'", missing.string()));
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_EQ(lineCount(r.err), 1u) << r.err;
    EXPECT_NE(r.err.find(missing.string()), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
}

TEST_F(Cli, NonCaptureFileIsAnInputErrorNamingTheFile) {
    const fs::path text = m_dir / "notes.pcap";
    std::ofstream(text) << "this is a text file, not a capture\n";
    const Result r = run(fmt::format("-r '{}'", text.string()));
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_EQ(lineCount(r.err), 1u) << r.err;
    EXPECT_NE(r.err.find(text.string()), std::string::npos) << r.err;
}

TEST_F(Cli, UnknownLinkTypeIsAnInputErrorNamingTheFile) {
    const fs::path p = m_dir / "usb.pcap";
    {
        // LINKTYPE_USB_LINUX (189): a valid capture of something wstrace does not decode.
        wst::test::PcapOut pcap(p.string(), 65535, 189);
        const std::vector<std::uint8_t> bytes(64, 0x42);
        pcap.write(1'700'000'000'000'000'000, bytes);
    }
    const Result r = run(fmt::format("-r '{}'", p.string()));
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find(p.string()), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("link type"), std::string::npos) << r.err;
    EXPECT_EQ(lineCount(r.err), 1u) << r.err;
}

TEST_F(Cli, DamagedFileIsAnalysedUpToTheDamageThenExitsTwo) {
    const fs::path file = cleanCapture();
    const auto size = fs::file_size(file);
    fs::resize_file(file, size - 7); // the last record is cut short
    const Result r = run(fmt::format("-r '{}'", file.string()));
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find(file.string()), std::string::npos) << r.err;
    EXPECT_EQ(lineCount(r.err), 1u) << r.err;
    // Everything before the damage was analysed and summarised.
    EXPECT_NE(r.out.find("upgraded"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\ntotals "), std::string::npos) << r.out;
}

TEST_F(Cli, SigintStopsCleanlyAndStillSummarises) {
    // A replay at a thousandth of the recorded pace takes far longer than the test waits; the
    // first SIGINT must end it with the summary of what was read so far, and exit 0.
    const std::string file = cleanCapture().string();
    const Result r = stopWithSignals({"-r", file, "--replay-speed", "0.001", "--format", "text"},
                                     std::chrono::milliseconds(700), {SIGINT});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("\ntotals "), std::string::npos) << r.out;
}

TEST_F(Cli, TwoSigtermsInARowStillWriteWhatWasAnalysed) {
    // A supervisor's TERM then TERM, or `kill` typed twice, while a large capture is read: the
    // second signal used to end the process with no output at all (issue 21 item 9); now the
    // JSON of what was read is still written whole. (1 ms apart: two signals pending at once
    // are merged into one by the kernel.)
    wst::bench::LoadTestOptions o;
    o.targetBytes = 48 * 1024 * 1024;
    o.clients = 200;
    o.output = (m_dir / "large.pcap").string();
    wst::bench::generateLoadTest(o);
    const fs::path json = m_dir / "out.json";
    const Result r = stopWithSignals({"-r", o.output, "--format", "json", "-o", json.string()},
                                     std::chrono::milliseconds(150), {SIGTERM, SIGTERM});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    const std::string written = slurp(json);
    ASSERT_FALSE(written.empty()) << r.err;
    const nlohmann::json doc = nlohmann::json::parse(written, nullptr, false);
    ASSERT_FALSE(doc.is_discarded()) << "the JSON was cut: " << written.size() << " bytes";
    EXPECT_FALSE(doc["captures"][0]["connections"].empty());
}

Result Cli::stopWithSignals(const std::vector<std::string>& args, std::chrono::milliseconds after,
                            const std::vector<int>& sigs) {
    const fs::path out = m_dir / "stdout", err = m_dir / "stderr";
    std::vector<char*> argv{const_cast<char*>(WSTRACE_BIN)};
    for (const std::string& a : args) {
        argv.push_back(const_cast<char*>(a.c_str()));
    }
    argv.push_back(nullptr);
    Result r;
    const pid_t pid = fork();
    if (pid < 0) {
        ADD_FAILURE() << "fork failed";
        return r;
    }
    if (pid == 0) {
        std::freopen(out.c_str(), "w", stdout);
        std::freopen(err.c_str(), "w", stderr);
        execv(WSTRACE_BIN, argv.data());
        _exit(127);
    }
    std::this_thread::sleep_for(after);
    for (const int sig : sigs) {
        kill(pid, sig);
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    int status = 0;
    const auto start = std::chrono::steady_clock::now();
    while (waitpid(pid, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() - start > std::chrono::seconds(20)) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            ADD_FAILURE() << "wstrace did not stop within 20 s of the signal";
            return r;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status);
    r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = slurp(out);
    r.err = slurp(err);
    return r;
}

TEST_F(Cli, UsageErrorsExitWithTwo) {
    const Result none = run("");
    EXPECT_EQ(none.exitCode, 2);
    EXPECT_EQ(lineCount(none.err), 1u) << none.err;
    EXPECT_EQ(run("--no-such-option").exitCode, 2);
    EXPECT_EQ(run("-r x.pcap --format yaml").exitCode, 2);
    EXPECT_EQ(run("-r x.pcap -w out.pcapng").exitCode, 2);
    EXPECT_EQ(run("-r x.pcap -i lo").exitCode, 2);
    EXPECT_EQ(run("-r x.pcap --fail-on sometimes").exitCode, 2);
}

// Issue 21 item 5 (docs/limits.md, "Sizes and counts on the command line"): every size and
// count option is range-checked; out of range, negative or malformed is exit 2 with one line
// naming the option and its valid range.
TEST_F(Cli, SizeAndCountOptionsOutOfRangeExitTwoWithTheRange) {
    const std::string file = snappedCapture().string();
    struct Case {
        const char* option;
        const char* range;
        std::vector<const char*> bad;
    };
    const std::vector<Case> cases = {
        {"--max-head", "valid range 1K to 16M", {"-1", "-5", "0", "1023", "17M", "64G", "1.5K"}},
        {"--max-payload-prefix", "valid range 0 to 1G", {"-1", "64G", "1025M", "1x"}},
        {"--max-inflated", "valid range 1K to 4G", {"-1", "0", "5G", "0x100000"}},
        {"--max-reassembly-bytes", "valid range 64K to 1G", {"-1", "1K", "2G", "4MB5"}},
        {"--max-inflate-work", "valid range 1M to 64G", {"-1", "0", "1023K", "65G"}},
        {"--max-inflate-work-total", "valid range 1M to 1024G", {"-1", "512K", "1025G"}},
        {"--max-connections", "valid range 1 to 100000000", {"-1", "0", "100000001", "1k"}},
        {"--max-anomalies-per-id", "valid range 1 to 1000000", {"-1", "0", "1000001"}},
        {"--idle-timeout", "valid range 0.001 to 1000000000", {"-1", "0", "nan", "inf", "2e9"}},
        {"--replay-speed", "valid range 0 to 1000000", {"-1", "nan", "1e7"}},
        {"--log-clock-offset", "valid range -1000000000 to 1000000000", {"nan", "1e300"}},
        {"--threads", "valid range 1 to 2", {"0", "3", "-18446744073709551615"}},
        {"--max-head", "1024 to 16777216 bytes", {"18446744073709551616"}},
    };
    for (const Case& c : cases) {
        for (const char* value : c.bad) {
            SCOPED_TRACE(fmt::format("{} {}", c.option, value));
            const Result r = run(fmt::format("-r '{}' {} '{}'", file, c.option, value));
            EXPECT_EQ(r.exitCode, 2) << r.out << r.err;
            EXPECT_EQ(lineCount(r.err), 1u) << r.err;
            EXPECT_NE(r.err.find(c.option), std::string::npos) << r.err;
            EXPECT_NE(r.err.find(c.range), std::string::npos) << r.err;
        }
    }
    // -B is checked the same way (it needs -i, which this run never reaches).
    const Result b = run("-i lo -B -5");
    EXPECT_EQ(b.exitCode, 2);
    EXPECT_NE(b.err.find("valid range 64 to 1048576"), std::string::npos) << b.err;
}

TEST_F(Cli, SizeOptionsTakeUnits) {
    const std::string file = snappedCapture().string();
    for (const char* value :
         {"65536", "64K", "64k", "64KiB", "64kb", "4M", "4MiB", "16M", "1024", "1K", "2048B"}) {
        const Result r = run(fmt::format("-r '{}' --max-head {}", file, value));
        EXPECT_EQ(r.exitCode, 0) << value << ": " << r.err;
    }
    for (const char* value : {"0", "1G", "1GiB", "1g"}) {
        const Result r = run(fmt::format("-r '{}' --max-payload-prefix {}", file, value));
        EXPECT_EQ(r.exitCode, 0) << value << ": " << r.err;
    }
    EXPECT_EQ(run(fmt::format("-r '{}' --max-inflated 4G", file)).exitCode, 0);
    EXPECT_EQ(run(fmt::format("-r '{}' --max-reassembly-bytes 64K", file)).exitCode, 0);
    EXPECT_EQ(run(fmt::format("-r '{}' --max-reassembly-bytes 1G", file)).exitCode, 0);

    // The unit means KiB: a head of about 1.5 KiB is too large for 1K (1024) and fits 2K.
    const std::string padded = paddedHeadCapture().string();
    const Result small = run(fmt::format("-r '{}' --max-head 1K", padded));
    EXPECT_EQ(small.exitCode, 0) << small.err;
    EXPECT_NE(small.out.find("http_head_too_large"), std::string::npos) << small.out;
    const Result enough = run(fmt::format("-r '{}' --max-head 2K", padded));
    EXPECT_EQ(enough.exitCode, 0) << enough.err;
    EXPECT_EQ(enough.out.find("http_head_too_large"), std::string::npos) << enough.out;
    const Result plain = run(fmt::format("-r '{}' --max-head 1100", padded));
    EXPECT_NE(plain.out.find("http_head_too_large"), std::string::npos) << plain.out;
}

TEST_F(Cli, FailOnGatesOnSeverity) {
    const std::string file = snappedCapture().string();
    const Result plain = run(fmt::format("-r '{}'", file));
    EXPECT_EQ(plain.exitCode, 0) << plain.err;
    EXPECT_NE(plain.out.find("capture_truncated_packet"), std::string::npos) << plain.out;
    EXPECT_EQ(run(fmt::format("-r '{}' --fail-on warning", file)).exitCode, 1);
    EXPECT_EQ(run(fmt::format("-r '{}' --fail-on info", file)).exitCode, 1);
    EXPECT_EQ(run(fmt::format("-r '{}' --fail-on error", file)).exitCode, 0);
}

TEST_F(Cli, ErrorGateLetsAWorkingCaptureThrough) {
    // The generated connections upgrade and close cleanly; nothing in them is an error.
    const std::string file = cleanCapture().string();
    const Result r = run(fmt::format("-r '{}' --fail-on error", file));
    EXPECT_EQ(r.exitCode, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("upgraded"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("anomalies 0 error,"), std::string::npos) << r.out;
}

TEST_F(Cli, FailOnCountsRootCausesNotTheirEchoes) {
    // One proxy misconfiguration: seven error findings on two legs, two root causes.
    const std::string file =
        fmt::format("{}/nginx-proxy-no-upgrade-headers.pcapng", WST_CAPTURES_DIR);
    const Result r = run(fmt::format("-r '{}' --fail-on error", file));
    EXPECT_EQ(r.exitCode, 1) << r.err;
    EXPECT_NE(r.out.find("anomalies 7 error, 0 warning, 0 info; root causes 2 error, 0 warning"),
              std::string::npos)
        << r.out;
    // The story comes first and says what to do once for the group.
    const std::size_t story = r.out.find("2 refused: Proxy dropped the Upgrade headers");
    ASSERT_NE(story, std::string::npos) << r.out;
    EXPECT_LT(story, r.out.find("\n#1 "));
    EXPECT_EQ(r.out.find("do:  Configure the proxy"), r.out.rfind("do:  Configure the proxy"));
    // Consequences are nested under their root cause.
    EXPECT_NE(r.out.find("— root cause\n      ↳ error   http_upgrade_refused"), std::string::npos)
        << r.out;
}

TEST_F(Cli, LargeCaptureListsOnlyConnectionsWithAFinding) {
    wst::bench::LoadTestOptions o;
    o.targetBytes = 256 * 1024;
    o.clients = 14;
    o.output = (m_dir / "many.pcap").string();
    wst::bench::generateLoadTest(o);
    const Result r = run(fmt::format("-r '{}'", o.output));
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("upgraded; closed cleanly"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("without a finding not listed below; --verbose lists every connection"),
              std::string::npos)
        << r.out;
    EXPECT_EQ(r.out.find("\n#1 "), std::string::npos) << r.out;
    const Result all = run(fmt::format("-r '{}' -v", o.output));
    EXPECT_NE(all.out.find("\n#1 "), std::string::npos);
    EXPECT_NE(all.out.find("\n#14 "), std::string::npos);
    EXPECT_EQ(all.out.find("not listed below"), std::string::npos);
}

TEST_F(Cli, VersionAndCatalog) {
    const Result v = run("--version");
    EXPECT_EQ(v.exitCode, 0);
    EXPECT_EQ(v.out.rfind("wstrace ", 0), 0u) << v.out;

    const Result list = run("--list-anomalies");
    EXPECT_EQ(list.exitCode, 0);
    EXPECT_EQ(lineCount(list.out), wst::anomalyCatalog().size());
    for (const wst::AnomalyInfo& info : wst::anomalyCatalog()) {
        EXPECT_NE(list.out.find(std::string(info.name) + " "), std::string::npos) << info.name;
    }
    const Result md = run("--list-anomalies --format markdown");
    EXPECT_EQ(md.exitCode, 0);
    EXPECT_EQ(md.out, wst::anomalyCatalogMarkdown());
}

TEST_F(Cli, OutputFileAndByteIdenticalRuns) {
    const std::string file = cleanCapture().string();
    for (const char* format : {"json", "jsonl", "csv", "text"}) {
        const fs::path a = m_dir / "a.out", b = m_dir / "b.out";
        const Result ra = run(fmt::format("-r '{}' --format {} -o '{}'", file, format, a.string()));
        const Result rb = run(fmt::format("-r '{}' --format {} -o '{}'", file, format, b.string()));
        EXPECT_EQ(ra.exitCode, 0) << ra.err;
        EXPECT_EQ(rb.exitCode, 0) << rb.err;
        EXPECT_EQ(ra.out, "") << "with -o nothing goes to stdout";
        const std::string sa = slurp(a);
        EXPECT_GT(sa.size(), 100u) << format;
        EXPECT_EQ(sa, slurp(b)) << format << " output differs between two runs";
    }
}

TEST_F(Cli, SeveralFilesAreSeveralRuns) {
    const std::string one = cleanCapture("one.pcap").string();
    const std::string two = snappedCapture().string();
    const Result r = run(fmt::format("-r '{}' -r '{}'", one, two));
    EXPECT_EQ(r.exitCode, 0) << r.err;
    const auto first = r.out.find("== " + one);
    const auto second = r.out.find("== " + two);
    ASSERT_NE(first, std::string::npos) << r.out;
    ASSERT_NE(second, std::string::npos) << r.out;
    EXPECT_LT(first, second);

    // One missing file among good ones: nothing is analysed, exit 2, the missing one named.
    const Result bad = run(fmt::format("-r '{}' -r '{}/missing.pcap'", one, m_dir.string()));
    EXPECT_EQ(bad.exitCode, 2);
    EXPECT_NE(bad.err.find("missing.pcap"), std::string::npos);
}

} // namespace

// --server-log: the log's entries beside the wire in the text summary and in JSON; a file that
// is no log is one clear line and exit 2 (docs/server-logs.md).
TEST_F(Cli, ServerLogIsReconciledInTextAndJson) {
    using Json = nlohmann::json;
    const fs::path dir = WST_CAPTURES_DIR;
    const std::string capture = (dir / "gin-write-after-upgrade.pcapng").string();
    const std::string log = (dir / "gin-write-after-upgrade.server.log").string();
    const Result text = run(fmt::format("-r '{}' --server-log '{}'", capture, log));
    EXPECT_EQ(text.exitCode, 0) << text.err;
    EXPECT_NE(text.out.find("server log  gin-write-after-upgrade.server.log"), std::string::npos)
        << text.out;
    EXPECT_NE(text.out.find("the log says 500 for 3 connections that got 101"), std::string::npos)
        << text.out;
    EXPECT_NE(text.out.find("— log only: nothing was sent (exact)"), std::string::npos);

    const Result json = run(fmt::format("-r '{}' --server-log '{}' --format json", capture, log));
    ASSERT_EQ(json.exitCode, 0) << json.err;
    const Json doc = Json::parse(json.out);
    const Json& run0 = doc["captures"][0];
    EXPECT_EQ(run0["logs"]["clock"]["basis"], "exact_matches");
    EXPECT_EQ(run0["logs"]["counts"]["contradicts"], 3);
    const Json& lines = run0["connections"][0]["log_lines"];
    ASSERT_FALSE(lines.empty());
    bool exactDump = false;
    for (const Json& l : lines) {
        exactDump = exactDump || (l["kind"] == "panic_recovered" && l["certainty"] == "exact" &&
                                  l["mark"] == "log_only" &&
                                  l["sec_websocket_key"] == "vqUgtvyvI7xhX7TsyGAItQ==");
    }
    EXPECT_TRUE(exactDump) << lines.dump(1);

    const Result jsonl = run(fmt::format("-r '{}' --server-log '{}' --format jsonl", capture, log));
    EXPECT_NE(jsonl.out.find(R"({"type":"log_line",)"), std::string::npos);
    EXPECT_NE(jsonl.out.find(R"({"type":"logs","logs":)"), std::string::npos);

    const Result bad =
        run(fmt::format("-r '{}' --server-log '{}'", capture, (dir / "README.md").string()));
    EXPECT_EQ(bad.exitCode, 2);
    EXPECT_EQ(lineCount(bad.err), 1u) << bad.err;
    EXPECT_NE(bad.err.find("not a server log wstrace recognises"), std::string::npos) << bad.err;
    EXPECT_EQ(bad.out, "");

    const Result usage = run(fmt::format("-r '{}' --log-clock-offset 3600", capture));
    EXPECT_EQ(usage.exitCode, 2);
    EXPECT_NE(usage.err.find("--server-log"), std::string::npos) << usage.err;
}
