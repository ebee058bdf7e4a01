// SPDX-License-Identifier: MIT
// Server-log parsing: real logs of the captures' gin, gorilla and nginx servers, and the line
// shapes those servers did not write here (colour, CRLF, other zones, JSON, a custom format).
#include "decoder/logs/log_reader.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>

using namespace wst::logs;

namespace {

std::string capture(const std::string& name) {
    return std::string(WST_CAPTURES_DIR) + "/" + name;
}

ServerLogs parse(std::string_view text, const CustomFormat* custom = nullptr) {
    ServerLogs logs;
    parseLogText(text, "test.log", logs, custom);
    return logs;
}

std::vector<LogKind> kinds(const ServerLogs& logs) {
    std::vector<LogKind> out;
    for (const LogLine& e : logs.entries) {
        out.push_back(e.kind);
    }
    return out;
}

TEST(ServerLog, GinProcessOutputOfWritesAfterTheUpgrade) {
    ServerLogs logs;
    std::string error;
    ASSERT_TRUE(readLogFile(capture("gin-write-after-upgrade.server.log"), logs, error)) << error;
    // Per handler: gorilla's read-loop end, gin's status warning, net/http's hijacked write, the
    // Recovery dump, then gin's access line with the 500 it recorded.
    const std::vector<LogKind> expected = {
        LogKind::SessionEnded,   LogKind::StatusOverride, LogKind::HijackedWrite,
        LogKind::PanicRecovered, LogKind::Access,         LogKind::SessionEnded,
        LogKind::StatusOverride, LogKind::HijackedWrite,  LogKind::PanicRecovered,
        LogKind::Access,         LogKind::SessionEnded,   LogKind::StatusOverride,
        LogKind::Access};
    EXPECT_EQ(kinds(logs), expected);
    const LogLine& dump = logs.entries[3];
    EXPECT_EQ(dump.source, LogSource::GinRecovery);
    EXPECT_EQ(dump.wsKey, "vqUgtvyvI7xhX7TsyGAItQ==");
    EXPECT_EQ(dump.method, "GET");
    EXPECT_EQ(dump.path, "/after-json");
    EXPECT_EQ(dump.userAgent, "Grafana k6/0.49.0");
    EXPECT_EQ(dump.message, "http: connection has been hijacked");
    EXPECT_EQ(dump.line, 23u);
    EXPECT_GT(dump.lines, 20u); // the head, the panic text and the stack are one entry
    const LogLine& access = logs.entries[4];
    EXPECT_EQ(access.status, 500);
    EXPECT_EQ(access.path, "/after-json");
    EXPECT_EQ(access.clientIp, "127.0.0.1");
    ASSERT_TRUE(access.latencyNs);
    EXPECT_EQ(*access.latencyNs, 1'432'598);
    ASSERT_TRUE(access.time && access.time->hasDate());
    EXPECT_EQ(*access.time->year, 2026);
    EXPECT_EQ(access.time->nsOfDay, (20 * 3600 + 36 * 60 + 10) * 1'000'000'000LL);
    EXPECT_EQ(access.time->precisionNs, 1'000'000'000);
    EXPECT_FALSE(access.time->utcOffsetSeconds); // gin writes local time without a zone
    const LogLine& override = logs.entries[1];
    EXPECT_EQ(override.statusFrom, 200);
    EXPECT_EQ(override.status, 500);
    // Go's log.Ltime|log.Lmicroseconds: no date, microseconds.
    const LogLine& write = logs.entries[2];
    ASSERT_TRUE(write.time);
    EXPECT_FALSE(write.time->hasDate());
    EXPECT_EQ(write.time->precisionNs, 1000);
    EXPECT_EQ(logs.entries[0].closeCode, 1000);
    const LogFileStats& st = logs.files[0].stats;
    EXPECT_EQ(st.physicalLines, 110u);
    EXPECT_EQ(st.bySource[static_cast<int>(LogSource::GinLogger)], 3u);
}

TEST(ServerLog, LoadTestLogEveryAccessLine) {
    ServerLogs logs;
    std::string error;
    ASSERT_TRUE(readLogFile(capture("k6-loadtest-gin.server.log"), logs, error)) << error;
    std::size_t access = 0, prewrite = 0, ended = 0;
    for (const LogLine& e : logs.entries) {
        access += e.kind == LogKind::Access;
        prewrite += e.kind == LogKind::Access && e.path == "/prewrite";
        ended += e.kind == LogKind::SessionEnded;
    }
    EXPECT_EQ(access, 300u);
    EXPECT_EQ(prewrite, 4u);
    EXPECT_EQ(ended, 300u);
    EXPECT_EQ(logs.files[0].stats.malformed, 0u);
}

TEST(ServerLog, GorillaRefusalsAndNginxErrorLog) {
    ServerLogs logs;
    std::string error;
    ASSERT_TRUE(readLogFile(capture("gin-origin-403.server.log"), logs, error)) << error;
    bool refused = false;
    for (const LogLine& e : logs.entries) {
        refused = refused || (e.kind == LogKind::UpgradeFailed && e.source == LogSource::Gorilla &&
                              e.message.find("origin") != std::string::npos);
    }
    EXPECT_TRUE(refused);

    ServerLogs proxy;
    ASSERT_TRUE(readLogFile(capture("nginx-proxy-idle-timeout.nginx-error.log"), proxy, error))
        << error;
    const LogLine* timeout = nullptr;
    for (const LogLine& e : proxy.entries) {
        if (e.kind == LogKind::UpstreamTimeout) {
            timeout = &e;
        }
    }
    ASSERT_NE(timeout, nullptr);
    EXPECT_EQ(timeout->source, LogSource::NginxError);
    EXPECT_EQ(timeout->clientIp, "127.0.0.1");
    EXPECT_EQ(timeout->method, "GET");
    EXPECT_EQ(timeout->path, "/echo");
    EXPECT_EQ(timeout->upstream, "http://127.0.0.1:18306/echo");

    ServerLogs closed;
    ASSERT_TRUE(readLogFile(capture("nginx-proxy-upstream-closed.nginx-error.log"), closed, error))
        << error;
    const LogLine* premature = nullptr;
    for (const LogLine& e : closed.entries) {
        if (e.kind == LogKind::UpstreamClosed) {
            EXPECT_EQ(premature, nullptr) << "one such line in the log";
            premature = &e;
        }
    }
    ASSERT_NE(premature, nullptr);
    EXPECT_EQ(premature->source, LogSource::NginxError);
    EXPECT_EQ(premature->clientIp, "127.0.0.1");
    EXPECT_EQ(premature->path, "/hijack-close");
    EXPECT_EQ(premature->upstream, "http://127.0.0.1:18308/hijack-close");
}

TEST(ServerLog, GinColourAndWindowsLineEnds) {
    const ServerLogs logs =
        parse("[GIN] 2026/11/24 - 20:36:10 |\x1b[97;42m 200 \x1b[0m|   1.2ms |       ::1 "
              "|\x1b[97;44m GET     \x1b[0m \"/ws?room=1\"\r\n");
    ASSERT_EQ(logs.entries.size(), 1u);
    const LogLine& e = logs.entries[0];
    EXPECT_EQ(e.status, 200);
    EXPECT_EQ(e.clientIp, "::1");
    EXPECT_EQ(e.method, "GET");
    EXPECT_EQ(e.path, "/ws?room=1");
    EXPECT_EQ(e.latencyNs, 1'200'000);
    EXPECT_EQ(e.text.find('\x1b'), std::string::npos);
    EXPECT_EQ(e.text.find('\r'), std::string::npos);
}

TEST(ServerLog, NetHttpPanicNamesTheClientPort) {
    const ServerLogs logs = parse("2026/11/24 20:36:10 http: panic serving [::1]:50123: boom\n"
                                  "2026/11/24 20:36:11 http: panic serving 127.0.0.1:50124: x\n");
    ASSERT_EQ(logs.entries.size(), 2u);
    EXPECT_EQ(logs.entries[0].kind, LogKind::PanicServing);
    EXPECT_EQ(logs.entries[0].clientIp, "::1");
    EXPECT_EQ(logs.entries[0].clientPort, 50123);
    EXPECT_EQ(logs.entries[0].message, "boom");
    EXPECT_EQ(logs.entries[1].clientPort, 50124);
}

TEST(ServerLog, NginxAccessWithZoneAndTimings) {
    const ServerLogs logs =
        parse("127.0.0.1 - - [02/Dec/2026:14:26:29 +0100] \"GET /echo HTTP/1.1\" 101 45 \"-\" "
              "\"Grafana k6/0.49.0\" rt=3.004 us=101 ut=3.001\n"
              "10.0.0.7 - bob [02/Dec/2026:13:26:30 -0500] \"GET /ws HTTP/1.1\" 499 0 \"-\" \"x\" "
              "0.250\n");
    ASSERT_EQ(logs.entries.size(), 2u);
    const LogLine& a = logs.entries[0];
    EXPECT_EQ(a.source, LogSource::NginxAccess);
    EXPECT_EQ(a.status, 101);
    EXPECT_EQ(a.path, "/echo");
    EXPECT_EQ(a.userAgent, "Grafana k6/0.49.0");
    EXPECT_EQ(a.latencyNs, 3'004'000'000);
    ASSERT_TRUE(a.time && a.time->utcOffsetSeconds);
    EXPECT_EQ(*a.time->utcOffsetSeconds, 3600);
    EXPECT_EQ(logs.entries[1].status, 499);
    EXPECT_EQ(*logs.entries[1].time->utcOffsetSeconds, -5 * 3600);
    EXPECT_EQ(logs.entries[1].latencyNs, 250'000'000);
}

TEST(ServerLog, JsonLinesBySlogZapAndLogrusNames) {
    const ServerLogs logs = parse(
        R"({"time":"2026-12-02T13:26:29.5+01:00","level":"INFO","msg":"request","status":200,"method":"GET","path":"/ws","remote_addr":"127.0.0.1:5000","latency":1500000})"
        "\n"
        R"({"level":"error","ts":1796219189.25,"msg":"upgrade","error":"websocket: request origin not allowed by Upgrader.CheckOrigin"})"
        "\n{not json\n");
    ASSERT_EQ(logs.entries.size(), 2u);
    const LogLine& a = logs.entries[0];
    EXPECT_EQ(a.kind, LogKind::Access);
    EXPECT_EQ(a.status, 200);
    EXPECT_EQ(a.clientPort, 5000);
    EXPECT_EQ(a.latencyNs, 1'500'000); // slog writes a Duration as nanoseconds
    EXPECT_EQ(*a.time->utcOffsetSeconds, 3600);
    EXPECT_EQ(a.time->nsOfDay, (13 * 3600 + 26 * 60 + 29) * 1'000'000'000LL + 500'000'000);
    const LogLine& b = logs.entries[1];
    EXPECT_EQ(b.kind, LogKind::UpgradeFailed);
    ASSERT_TRUE(b.time && b.time->hasDate());
    EXPECT_EQ(*b.time->year, 2026);
    EXPECT_EQ(logs.files[0].stats.malformed, 1u);
}

TEST(ServerLog, CustomFormatWithNamedGroups) {
    std::string error;
    const auto f = CustomFormat::compile(
        R"((?<time>\d\d:\d\d:\d\d) (?P<method>[A-Z]+) (?<path>\S+) -> (?<status>\d{3}) in (?<latency>\S+) from (?<client>\S+))",
        error);
    ASSERT_TRUE(f) << error;
    const ServerLogs logs = parse("13:26:29 GET /ws -> 101 in 2.5s from 127.0.0.1:5001\n", &*f);
    ASSERT_EQ(logs.entries.size(), 1u);
    EXPECT_EQ(logs.entries[0].source, LogSource::Custom);
    EXPECT_EQ(logs.entries[0].status, 101);
    EXPECT_EQ(logs.entries[0].clientPort, 5001);
    EXPECT_EQ(logs.entries[0].latencyNs, 2'500'000'000);

    EXPECT_FALSE(CustomFormat::compile("(\\d+) (\\S+)", error));
    EXPECT_NE(error.find("no named group"), std::string::npos);
    EXPECT_FALSE(CustomFormat::compile("(?<colour>x)", error));
    EXPECT_NE(error.find("unknown group name 'colour'"), std::string::npos);
    EXPECT_FALSE(CustomFormat::compile("(?<status>[)", error));
    EXPECT_NE(error.find("not a valid regular expression"), std::string::npos);
}

TEST(ServerLog, LinesCutOrInterleavedAreCountedNotFatal) {
    // Two goroutines' lines interleaved, one access line cut mid-way, one dump cut short.
    const ServerLogs logs =
        parse("[GIN] 2026/11/24 - 20:36:10 | 200 |    1.4ms |       127.0.0.1 | GET      \"/a\"\n"
              "[GIN] 2026/11/24 - 20:36:10 | 20\n"
              "20:36:10.935521 http: response.Write on hijacked connection from x\n"
              "[GIN] 2026/11/24 - 20:36:10 | 500 |    2.2ms |       127.0.0.1 | GET      \"/b\"\n"
              "2026/11/24 20:36:10 [Recovery] 2026/11/24 - 20:36:10 panic recovered:\n"
              "GET /c HTTP/1.1\n"
              "Sec-Websocket-Key: abc==\n");
    EXPECT_EQ(kinds(logs), (std::vector<LogKind>{LogKind::Access, LogKind::HijackedWrite,
                                                 LogKind::Access, LogKind::PanicRecovered}));
    EXPECT_EQ(logs.files[0].stats.malformed, 1u);
    EXPECT_EQ(logs.entries[3].wsKey, "abc==");
}

TEST(ServerLog, NotALogIsAClearError) {
    const std::filesystem::path p = std::filesystem::temp_directory_path() / "wst-not-a-log.bin";
    {
        std::ofstream out(p, std::ios::binary);
        for (int i = 0; i < 4096; ++i) {
            out.put(static_cast<char>(i * 7 % 256));
        }
    }
    ServerLogs logs;
    std::string error;
    EXPECT_FALSE(readLogFile(p.string(), logs, error));
    EXPECT_NE(error.find("not a server log wstrace recognises"), std::string::npos) << error;
    EXPECT_EQ(error.find('\n'), std::string::npos);
    EXPECT_FALSE(readLogFile("/nonexistent/wst.log", logs, error));
    EXPECT_NE(error.find("cannot read"), std::string::npos);
    std::filesystem::remove(p);
}

TEST(ServerLog, AnOverlongLineIsCutAndCounted) {
    std::string text(ServerLogs::kMaxLineBytes * 2, 'x');
    text += "\n[GIN] 2026/11/24 - 20:36:10 | 200 |    1.4ms |       127.0.0.1 | GET      \"/a\"\n";
    const ServerLogs logs = parse(text);
    EXPECT_EQ(logs.entries.size(), 1u);
    EXPECT_EQ(logs.files[0].stats.malformed, 1u);
}

} // namespace
