// SPDX-License-Identifier: MIT
// Fuzz target: server-log parsing and reconciliation (decoder/logs). Input: byte 0 bit 0 set →
// the first line is a --log-format pattern (compiled; a bad one is skipped); the rest is the
// log's text, parsed, then reconciled with three connections of a gin server at the time the
// seeds were written (2026-11-24 20:36:10 UTC), so matching, the clock and judging all run.
#include "decoder/logs/reconcile.h"

#include <cstdlib>
#include <string_view>

namespace {

wst::Connection connection(wst::ConnId id, std::uint16_t port, int status, const char* path,
                           const char* key) {
    constexpr std::int64_t kAt = 1'795'552'570'000'000'000; // 2026-11-24 20:36:10 UTC
    wst::Connection c;
    c.id = id;
    c.client.port = port;
    c.client.address.bytes[10] = 0xff;
    c.client.address.bytes[11] = 0xff;
    c.client.address.bytes[12] = 127;
    c.client.address.bytes[15] = 1;
    c.server = c.client;
    c.server.port = 18102;
    c.first = {kAt + static_cast<std::int64_t>(id) * 1'000'000};
    c.last = {c.first.ns + 5'000'000};
    wst::RequestSummary r;
    r.method = "GET";
    r.target = path;
    r.key = key;
    r.time = c.first;
    c.request = r;
    wst::ResponseSummary s;
    s.status = status;
    s.time = {c.first.ns + 100'000};
    c.responses.push_back(s);
    c.outcome = status == 101 ? wst::Outcome::Upgraded : wst::Outcome::Refused;
    c.finished = true;
    return c;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) {
        return 0;
    }
    std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    std::optional<wst::logs::CustomFormat> custom;
    if ((data[0] & 1) != 0) {
        const auto nl = text.find('\n');
        std::string error;
        custom = wst::logs::CustomFormat::compile(text.substr(0, nl), error);
        text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    }
    auto logs = std::make_shared<wst::logs::ServerLogs>();
    wst::logs::parseLogText(text, "fuzz.log", *logs, custom ? &*custom : nullptr);
    const wst::logs::LogFileStats& st = logs->files.at(0).stats;
    if (st.entries > st.physicalLines || logs->entries.size() > st.entries) {
        std::abort();
    }
    const std::vector<wst::Connection> connections = {
        connection(1, 50001, 101, "/after-json", "vqUgtvyvI7xhX7TsyGAItQ=="),
        connection(2, 50002, 200, "/prewrite", "d1XoT4/OhMPAYmuGy8eLjQ=="),
        connection(3, 50003, 400, "/echo", "")};
    const auto report = wst::logs::reconcile(logs, connections);
    std::uint64_t matched = 0;
    for (const wst::logs::LogMatch& m : report->matches) {
        if (m.entry >= logs->entries.size() || m.connection > connections.size()) {
            std::abort();
        }
        matched += m.connection != 0;
    }
    if (report->count(wst::logs::LogMark::ReachedWire) + report->count(wst::logs::LogMark::LogOnly) +
                report->count(wst::logs::LogMark::Contradicts) !=
            matched ||
        report->unmatched() + matched != report->matches.size()) {
        std::abort();
    }
    return 0;
}
