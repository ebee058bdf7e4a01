// SPDX-License-Identifier: MIT
// CI smoke version of the benchmark (issue 8): a 10 MB generated load-test capture through the
// real `wstrace --format jsonl`; every connection's frame and message counts must equal the
// generator's ground truth, also with reordered and duplicated segments. Correctness only:
// nothing here measures time.
#include "tests/bench/gen/loadtest.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

struct CliRun {
    std::map<std::string, json> connections; // by client endpoint
    json finish;
    int exitCode = -1;
};

CliRun runWstrace(const fs::path& pcap, const fs::path& out) {
    const std::string cmd = std::string(WST_WSTRACE_BIN) + " -r '" + pcap.string() +
                            "' --format jsonl -o '" + out.string() + "'";
    CliRun run;
    const int status = std::system(cmd.c_str());
    run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::ifstream in(out);
    std::string line;
    while (std::getline(in, line)) {
        const json j = json::parse(line);
        const auto type = j.value("type", "");
        if (type == "connection_end") {
            const json& c = j.at("connection");
            run.connections[c.at("client").get<std::string>()] = c;
        } else if (type == "finish") {
            run.finish = j;
        }
    }
    return run;
}

json loadJson(const fs::path& p) {
    std::ifstream in(p);
    return json::parse(in);
}

void expectMatchesTruth(const CliRun& run, const json& truth, bool exactTcp) {
    EXPECT_EQ(run.exitCode, 0);
    const auto& conns = truth.at("connections");
    EXPECT_EQ(run.connections.size(), conns.size());
    std::uint64_t frames = 0, wantFrames = 0;
    for (const auto& t : conns) {
        const auto client = t.at("client").get<std::string>();
        const auto it = run.connections.find(client);
        ASSERT_NE(it, run.connections.end()) << "no connection from " << client;
        const json& c = it->second;
        EXPECT_EQ(c.at("outcome"), "upgraded") << client;
        EXPECT_EQ(c.at("server"), t.at("server")) << client;
        EXPECT_EQ(c.at("clean_close"), true) << client;
        EXPECT_EQ(c.at("anomaly_counts").at("error"), 0) << client;
        if (exactTcp) {
            EXPECT_EQ(c.at("anomaly_counts").at("warning"), 0) << client;
        }
        for (const char* dir : {"c2s", "s2c"}) {
            const json& got = c.at(dir);
            const json& want = t.at(dir);
            SCOPED_TRACE(client + " " + dir);
            EXPECT_EQ(got.at("frames"), want.at("frames"));
            EXPECT_EQ(got.at("messages"), want.at("messages"));
            EXPECT_EQ(got.at("frames_by_opcode"), want.at("framesByOpcode"));
            EXPECT_EQ(got.at("messages_by_opcode"), want.at("messagesByOpcode"));
            EXPECT_EQ(got.at("close_code"), want.at("closeCode"));
            EXPECT_EQ(got.at("gaps"), 0);
            frames += got.at("frames").get<std::uint64_t>();
            wantFrames += want.at("frames").get<std::uint64_t>();
        }
    }
    EXPECT_EQ(frames, wantFrames);
    EXPECT_EQ(frames, truth.at("totals").at("frames").get<std::uint64_t>());
}

class BenchSmoke : public ::testing::Test {
protected:
    fs::path dir() const {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        fs::path d = fs::temp_directory_path() / (std::string("wst_bench_smoke_") + info->name() +
                                                  "_" + std::to_string(::getpid()));
        fs::create_directories(d);
        return d;
    }

    void check(double reorder, double duplicate) {
        const fs::path d = dir();
        wst::bench::LoadTestOptions o;
        o.targetBytes = 10ULL << 20;
        o.clients = 200;
        o.reorderPct = reorder;
        o.duplicatePct = duplicate;
        o.seed = 8;
        o.output = (d / "loadtest.pcap").string();
        o.truth = (d / "loadtest.json").string();
        const auto r = wst::bench::generateLoadTest(o);
        ASSERT_GE(r.bytes, o.targetBytes * 9 / 10);
        const json truth = loadJson(o.truth);
        if (reorder > 0) {
            ASSERT_GT(truth.at("totals").at("reordered").get<int>(), 0);
        }
        if (duplicate > 0) {
            ASSERT_GT(truth.at("totals").at("duplicated").get<int>(), 0);
        }
        const CliRun run = runWstrace(o.output, d / "out.jsonl");
        ASSERT_FALSE(run.finish.is_null()) << "no finish line";
        EXPECT_TRUE(run.finish.at("stats").at("error").is_null()) << run.finish.dump();
        EXPECT_EQ(run.finish.at("stats").at("packets"), truth.at("totals").at("packets"));
        expectMatchesTruth(run, truth, reorder == 0 && duplicate == 0);
        if (!HasFailure()) {
            fs::remove_all(d);
        }
    }
};

TEST_F(BenchSmoke, CountsEqualGroundTruth) {
    check(0, 0);
}

TEST_F(BenchSmoke, CountsEqualGroundTruthWithReorderingAndDuplicates) {
    check(2, 1);
}

} // namespace
