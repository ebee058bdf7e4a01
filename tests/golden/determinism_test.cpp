// SPDX-License-Identifier: MIT
// Every capture, analysed twice, gives byte-identical JSON, JSONL, CSV and text (DESIGN.md
// "Determinism"): no wall-clock time, no pointer or hash order reaches the output. The text
// summary is the same without message payloads.
#include "decoder/export/csv_writer.h"
#include "decoder/export/json_writer.h"
#include "decoder/export/jsonl_writer.h"
#include "decoder/export/text_summary.h"
#include "decoder/model/sink_fanout.h"
#include "tests/golden/support.h"

#include <gtest/gtest.h>
#include <sstream>

namespace fs = std::filesystem;
using namespace wst;
using namespace wst::golden;

namespace {

struct Outputs {
    std::string json, jsonl, csvFrames, csvMessages, text;
};

Outputs analyse(const fs::path& capture) {
    std::ostringstream jsonl, frames, messages, text, json;
    Trace store;
    JsonlWriter jsonlWriter(jsonl, capture.filename().string());
    CsvWriter frameWriter(frames, CsvWriter::Rows::Frames);
    CsvWriter messageWriter(messages, CsvWriter::Rows::Messages);
    TextSummaryWriter textWriter(text, capture.filename().string());
    FanoutSink all{&store, &jsonlWriter, &frameWriter, &messageWriter, &textWriter};
    const std::string error = runCapture(capture, all);
    EXPECT_EQ(error, "");
    writeJson(store, json);
    return {json.str(), jsonl.str(), frames.str(), messages.str(), text.str()};
}

class Determinism : public testing::TestWithParam<fs::path> {};

TEST_P(Determinism, TextSummaryDoesNotNeedMessagePayloads) {
    // The CLI's text summary runs with Limits::keepMessagePayloads off (binary payloads are
    // neither unmasked nor copied); it must not change a byte of the summary.
    const Outputs withPayloads = analyse(GetParam());
    std::ostringstream text;
    TextSummaryWriter writer(text, GetParam().filename().string());
    Limits limits;
    limits.keepMessagePayloads = false;
    EXPECT_EQ(runCapture(GetParam(), writer, limits), "");
    EXPECT_EQ(text.str(), withPayloads.text);
}

TEST_P(Determinism, TwoRunsGiveTheSameBytes) {
    const Outputs a = analyse(GetParam());
    const Outputs b = analyse(GetParam());
    EXPECT_EQ(a.json, b.json);
    EXPECT_EQ(a.jsonl, b.jsonl);
    EXPECT_EQ(a.csvFrames, b.csvFrames);
    EXPECT_EQ(a.csvMessages, b.csvMessages);
    EXPECT_EQ(a.text, b.text);
    EXPECT_NE(a.json.find("\"schema\": \"wstrace.trace/2\""), std::string::npos);
}

std::string testName(const testing::TestParamInfo<fs::path>& info) {
    return captureTestName(info.param);
}

INSTANTIATE_TEST_SUITE_P(Captures, Determinism, testing::ValuesIn(listCaptures(capturesDir())),
                         testName);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Determinism);

} // namespace
