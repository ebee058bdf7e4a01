// SPDX-License-Identifier: MIT
// Golden tests: each captures/<name>.pcap[ng] with a <name>.expect.json is run through the real
// pipeline and its projection compared with the reviewed expectation (docs/golden-format.md).
#include "tests/golden/support.h"

#include <cstdlib>
#include <fstream>
#include <gtest/gtest.h>
#include <iostream>

namespace fs = std::filesystem;
using namespace wst;
using namespace wst::golden;

namespace {

std::vector<fs::path> goldenCaptures() {
    std::vector<fs::path> out;
    for (const fs::path& p : listCaptures(capturesDir())) {
        if (fs::exists(expectPathFor(p))) {
            out.push_back(p);
        }
    }
    return out;
}

class Golden : public testing::TestWithParam<fs::path> {};

TEST_P(Golden, ProjectionMatchesExpectedFile) {
    const fs::path capture = GetParam();
    Trace store;
    const std::string error = runCapture(capture, store);
    ASSERT_EQ(error, "") << capture;
    ASSERT_TRUE(store.finished);
    // The servers' own logs, where the generator kept them (docs/server-logs.md): each one is
    // read into one set, as `--server-log` given once per file does.
    auto logs = std::make_shared<logs::ServerLogs>();
    for (const fs::path& log : serverLogPathsFor(capture)) {
        std::string logError;
        // A peer's own ad-hoc log (python's raw server, node's console lines) is no format
        // wstrace knows: it must say so, and adds nothing to review.
        if (!logs::readLogFile(log.string(), *logs, logError)) {
            EXPECT_NE(logError.find("not a server log wstrace recognises"), std::string::npos)
                << logError;
        }
    }
    if (!logs->entries.empty()) {
        store.serverLogs = logs::reconcile(logs, store.connections);
    }

    Json actual = projection(store);
    if (std::getenv("WST_GOLDEN_PRINT") != nullptr) {
        std::cout << "projection of " << capture.filename().string() << ":\n"
                  << actual.dump(2) << "\n";
    }
    std::ifstream in(expectPathFor(capture));
    Json expected;
    try {
        expected = Json::parse(in);
    } catch (const std::exception& e) {
        FAIL() << expectPathFor(capture) << ": " << e.what();
    }
    const std::string problem = normalise(expected, actual);
    ASSERT_EQ(problem, "") << expectPathFor(capture);
    EXPECT_EQ(describeDifferences(expected, actual), "") << "capture " << capture;
    EXPECT_EQ(expected, actual) << "capture " << capture;
}

std::string testName(const testing::TestParamInfo<fs::path>& info) {
    return captureTestName(info.param);
}

INSTANTIATE_TEST_SUITE_P(Captures, Golden, testing::ValuesIn(goldenCaptures()), testName);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Golden);

} // namespace
