// SPDX-License-Identifier: MIT
#include "decoder/logs/log_reader.h"

#include "decoder/logs/log_parsers.h"

#include <fmt/format.h>
#include <fstream>

namespace wst::logs {

namespace {

/// Removes ANSI escape sequences (gin colours its status and method) and a trailing CR.
std::string_view clean(std::string_view raw, std::string& buffer) {
    if (!raw.empty() && raw.back() == '\r') {
        raw.remove_suffix(1);
    }
    if (raw.find('\x1b') == std::string_view::npos) {
        return raw;
    }
    buffer.clear();
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '\x1b' && i + 1 < raw.size() && raw[i + 1] == '[') {
            std::size_t j = i + 2;
            while (j < raw.size() && !(raw[j] >= '@' && raw[j] <= '~')) {
                ++j;
            }
            i = j;
            continue;
        }
        buffer += raw[i];
    }
    return buffer;
}

/// Feeds one file's lines, in order, into `logs`.
class FileParser {
public:
    FileParser(ServerLogs& logs, const std::string& path, const CustomFormat* custom)
        : m_logs(logs)
        , m_custom(custom)
        , m_file(static_cast<std::uint32_t>(logs.files.size())) {
        logs.files.push_back(LogFile{path, {}});
    }

    void line(std::string_view raw) {
        LogFileStats& st = m_logs.files[m_file].stats;
        ++st.physicalLines;
        const auto number = static_cast<std::uint32_t>(st.physicalLines);
        bool cut = false;
        if (raw.size() > ServerLogs::kMaxLineBytes) {
            raw = raw.substr(0, ServerLogs::kMaxLineBytes);
            cut = true;
        }
        const std::string_view text = clean(raw, m_buffer);
        if (m_inDump) {
            if (continueRecovery(text, m_dump, m_dumpState)) {
                ++m_dump.lines;
                return;
            }
            finishDump();
        }
        if (cut) {
            ++st.malformed;
            return;
        }
        if (scan::trim(text).empty()) {
            return;
        }
        LogLine e;
        e.file = m_file;
        e.line = number;
        if (isRecoveryStart(text, e)) {
            m_dump = std::move(e);
            m_dump.text.assign(scan::trim(text));
            m_inDump = true;
            m_dumpState = 0;
            return;
        }
        Parsed p = Parsed::No;
        if (m_custom && m_custom->parse(text, e)) {
            p = Parsed::Yes;
        }
        for (auto parse : {parseGinLine, parseJsonLine, parseNginxLine, parseGoLine}) {
            if (p != Parsed::No) {
                break;
            }
            e = LogLine{};
            e.file = m_file;
            e.line = number;
            p = parse(text, e);
        }
        if (p == Parsed::No) {
            ++st.unrecognised;
            return;
        }
        if (p == Parsed::Malformed) {
            ++st.malformed;
            return;
        }
        e.text.assign(scan::trim(text));
        keep(std::move(e));
    }

    void finish() {
        if (m_inDump) {
            finishDump();
        }
    }

private:
    void finishDump() {
        m_inDump = false;
        if (!m_dump.message.empty()) {
            m_dump.text += " " + m_dump.message;
        }
        keep(std::move(m_dump));
        m_dump = LogLine{};
    }

    void keep(LogLine e) {
        LogFileStats& st = m_logs.files[m_file].stats;
        ++st.entries;
        ++st.bySource[static_cast<std::size_t>(e.source)];
        if (e.kind == LogKind::Info) {
            return;
        }
        if (m_logs.entries.size() >= ServerLogs::kMaxEntries) {
            ++m_logs.droppedEntries;
            return;
        }
        m_logs.entries.push_back(std::move(e));
    }

    ServerLogs& m_logs;
    const CustomFormat* m_custom;
    std::uint32_t m_file;
    std::string m_buffer;
    LogLine m_dump;
    bool m_inDump = false;
    int m_dumpState = 0;
};

} // namespace

void parseLogText(std::string_view text, const std::string& path, ServerLogs& logs,
                  const CustomFormat* custom) {
    FileParser parser(logs, path, custom);
    while (!text.empty()) {
        const auto nl = text.find('\n');
        parser.line(text.substr(0, nl));
        text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    }
    parser.finish();
}

bool readLogFile(const std::string& path, ServerLogs& logs, std::string& error,
                 const CustomFormat* custom) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = fmt::format("{}: cannot read the server log", path);
        return false;
    }
    FileParser parser(logs, path, custom);
    std::string line;
    std::string first;
    // Lines are read in pieces of at most kMaxLineBytes + 1, so a file without line ends is
    // never held whole.
    std::string piece(ServerLogs::kMaxLineBytes + 1, '\0');
    bool overLong = false;
    while (in) {
        in.getline(piece.data(), static_cast<std::streamsize>(piece.size()));
        const auto got = static_cast<std::size_t>(in.gcount());
        std::string_view read(piece.data(), got);
        if (in.fail() && !in.eof() && got == piece.size() - 1) {
            // The line is longer than the buffer: keep its head, skip the rest.
            in.clear();
            if (!overLong) {
                line.assign(read);
                overLong = true;
            }
            continue;
        }
        if (!read.empty() && read.back() == '\0') {
            read.remove_suffix(1); // getline counts the delimiter
        }
        if (overLong) {
            overLong = false;
            parser.line(std::string(ServerLogs::kMaxLineBytes + 1, 'x'));
            continue;
        }
        if (got == 0 && in.eof()) {
            break;
        }
        if (first.empty() && !scan::trim(read).empty()) {
            first.assign(read.substr(0, 60));
        }
        parser.line(read);
    }
    parser.finish();
    const LogFile& f = logs.files.back();
    if (f.stats.physicalLines == 0) {
        error = fmt::format("{}: the server log is empty", path);
        logs.files.pop_back(); // it added no entry: the set is as it was
        return false;
    }
    if (f.stats.entries == 0) {
        std::string shown;
        for (char c : first) {
            shown += (c >= 0x20 && c < 0x7f) ? c : '?';
        }
        error = fmt::format("{}: not a server log wstrace recognises (first line: \"{}\"); give "
                            "--log-format REGEX",
                            path, shown);
        logs.files.pop_back();
        return false;
    }
    return true;
}

} // namespace wst::logs
