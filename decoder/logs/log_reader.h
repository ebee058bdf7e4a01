// SPDX-License-Identifier: MIT
#pragma once

// Reading server logs: a file's lines split (LF or CRLF, ANSI colour codes removed, over-long
// lines cut), each recognised by content by the format parsers (gin_log.cpp, go_http_log.cpp,
// nginx_log.cpp, json_log.cpp, custom_log.cpp), multi-line entries (gin Recovery dumps) joined.
// Several programs' lines may be mixed in one file (a gin process prints gin, net/http and the
// application's lines to one stream). No Qt. docs/server-logs.md.

#include "decoder/logs/log_line.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wst::logs {

/// --log-format: a user's regular expression (ECMAScript) with named groups `(?<name>...)` (or
/// `(?P<name>...)`). Known names: time, date, status, method, path (or uri), client (ip or
/// ip:port), ip, port, latency (seconds, or with a unit: 12ms, 1.5s, 300µs), key (the
/// Sec-WebSocket-Key), ua, message. Lines it matches become LogSource::Custom entries of kind
/// Access when they have a status, else Info.
class CustomFormat {
public:
    /// The compiled pattern, or nullopt with `error` set ("--log-format: no named group; ...").
    static std::optional<CustomFormat> compile(std::string_view pattern, std::string& error);
    /// Parses `line` (one physical line, cleaned) into `out` when the pattern matches it all.
    bool parse(std::string_view line, LogLine& out) const;

private:
    struct Impl;
    std::shared_ptr<const Impl> m_impl;
};

/// Every server log of one run, parsed.
struct ServerLogs {
    std::vector<LogFile> files;
    /// Entries of every file in file order, then line order; Info entries are counted in
    /// LogFileStats, not kept.
    std::vector<LogLine> entries;
    /// Entries past Limits (kMaxEntries) were counted and dropped.
    std::uint64_t droppedEntries = 0;

    static constexpr std::size_t kMaxEntries = 5'000'000;
    static constexpr std::size_t kMaxLineBytes = 64 * 1024;
};

/// Parses the text of one log file (file index `fileIndex` in `logs`), appending its entries
/// and its LogFile. `custom` is tried first where given. Never throws on content: unknown
/// lines are counted as unrecognised, broken ones as malformed.
void parseLogText(std::string_view text, const std::string& path, ServerLogs& logs,
                  const CustomFormat* custom = nullptr);

/// Reads and parses the file at `path` into `logs`. False with a one-line `error` when it
/// cannot be read, or when not one of its lines is a log format wstrace knows ("gin.log: not a
/// server log wstrace recognises (first line: "..."); give --log-format REGEX"); `logs` is
/// then as it was (no file, no entry added).
bool readLogFile(const std::string& path, ServerLogs& logs, std::string& error,
                 const CustomFormat* custom = nullptr);

} // namespace wst::logs
