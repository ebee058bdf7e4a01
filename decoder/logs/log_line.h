// SPDX-License-Identifier: MIT
#pragma once

// One entry of a server's own log, as the log parsers (decoder/logs/*_log.cpp) read it: the
// facts a log line states about a request, with where it came from. The reconciliation
// (reconcile.h) matches these to connections on the wire. docs/server-logs.md.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wst::logs {

/// Which program wrote the line (recognised by content, not by file name).
enum class LogSource : std::uint8_t {
    GinLogger,   ///< gin's default Logger: "[GIN] 2026/11/24 - 20:36:10 | 200 | 1.2ms | ip | GET
                 ///< "/ws""
    GinDebug,    ///< "[GIN-debug] [WARNING] Headers were already written. Wanted to override ..."
    GinRecovery, ///< a gin Recovery dump: "[Recovery] ... panic recovered:" + request head + panic
    GoHttp,      ///< Go net/http's server error log ("http: response.Write on hijacked connection")
    Gorilla,     ///< a gorilla/websocket error as an application logs it ("websocket: ...")
    NginxAccess, ///< nginx access log, combined format or a variant with $request_time etc.
    NginxError,  ///< nginx error log ("upstream prematurely closed connection ... client: ...")
    Json,        ///< a JSON log line (Go slog, zap, logrus) with fields found by common names
    Custom,      ///< --log-format: the user's regular expression with named groups
};

/// What the line says happened, which decides how it is reconciled with the wire.
enum class LogKind : std::uint8_t {
    Info,                ///< recognised, states no fact the wire can confirm (startup lines)
    Access,              ///< an access-log entry: this request was answered with `status`
    HijackedWrite,       ///< net/http: response.Write on hijacked connection (nothing sent)
    HijackedWriteHeader, ///< net/http: response.WriteHeader on hijacked connection (nothing sent)
    SuperfluousWriteHeader, ///< net/http: superfluous response.WriteHeader call (nothing sent)
    /// gin: "Headers were already written. Wanted to override status code `statusFrom` with
    /// `status`": the second status was never sent.
    StatusOverride,
    PanicRecovered,  ///< gin Recovery: a panic in a handler (`message` holds the panic text)
    PanicServing,    ///< net/http: "http: panic serving ADDR: ..." (names the client port)
    UpgradeFailed,   ///< gorilla: Upgrade returned an error ("websocket: the client is not ...")
    SessionEnded,    ///< gorilla: the read loop's error ("websocket: close 1000 (normal)")
    UpstreamClosed,  ///< nginx: upstream prematurely closed connection
    UpstreamTimeout, ///< nginx: upstream timed out
    ProxyError,      ///< another nginx error naming a client and a request
};

/// A time as the log wrote it, before it is placed on the capture's clock: the date may be
/// missing (Go's log.Ltime lines; the reconciliation then takes it from neighbouring lines or
/// the capture), the zone usually is (gin and nginx write local time without a zone).
struct LogTime {
    std::optional<int> year, month, day; ///< all three or none
    std::int64_t nsOfDay = 0;            ///< 0 .. 86 400 s in ns
    /// The resolution the log wrote: 1 s for gin and nginx, 1 µs for Go's Lmicroseconds, ...
    std::int64_t precisionNs = 1'000'000'000;
    /// Seconds east of UTC when the line says ("Z", "+01:00", nginx's "+0000"), else none.
    std::optional<std::int32_t> utcOffsetSeconds;

    bool hasDate() const { return year.has_value(); }
};

struct LogLine {
    std::uint32_t file = 0;  ///< index into LogFile list (ServerLogs::files)
    std::uint32_t line = 0;  ///< 1-based number of the entry's first physical line
    std::uint32_t lines = 1; ///< physical lines the entry spans (a Recovery dump: ~20)
    LogSource source = LogSource::GinLogger;
    LogKind kind = LogKind::Info;
    std::optional<LogTime> time;
    /// For Access: the status logged; for StatusOverride: the status it wanted; else 0.
    int status = 0;
    int statusFrom = 0;           ///< StatusOverride: the status already written
    std::string method;           ///< "GET", or ""
    std::string path;             ///< request target as logged ("/ws?room=1"), or ""
    std::string clientIp;         ///< as logged ("127.0.0.1", "::1"), or ""
    std::uint16_t clientPort = 0; ///< where the line names it (panic serving, JSON, custom)
    std::string wsKey;            ///< Sec-WebSocket-Key from a dumped request head, or ""
    std::optional<std::int64_t> latencyNs; ///< gin's latency, nginx $request_time, ...
    std::string upstream;                  ///< nginx: the upstream address or URL, or ""
    int closeCode = 0;     ///< SessionEnded: the Close code gorilla reported (1006: none came)
    std::string userAgent; ///< where logged, or ""
    /// The entry's text as one line, ANSI colour codes and CR removed (a dump: its first line
    /// and the panic text); what outputs quote.
    std::string text;
    /// The gist the reconciliation explains: the panic text, the gorilla/nginx error, or "".
    std::string message;
};

/// Counts of one parsed file, for the clear summary (and error) a user needs.
struct LogFileStats {
    std::uint64_t physicalLines = 0;
    std::uint64_t entries = 0;      ///< recognised entries (a dump counts once)
    std::uint64_t unrecognised = 0; ///< non-blank lines no parser recognised (skipped)
    std::uint64_t malformed = 0;    ///< lines that began like a known format but broke off
    std::uint64_t bySource[9] = {}; ///< entries by LogSource
};

struct LogFile {
    std::string path;
    LogFileStats stats;
};

std::string_view toString(LogSource s); ///< "gin", "gin-debug", "gin-recovery", "go-http", ...
std::string_view toString(LogKind k);   ///< "access", "hijacked_write", ...

} // namespace wst::logs
