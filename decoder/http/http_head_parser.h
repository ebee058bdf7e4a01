// SPDX-License-Identifier: MIT
#pragma once

#include "capture/core/types.h"

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace wst {

/// One header line, pointing into the bytes given to HttpHeadParser::parse().
struct HeaderView {
    std::string_view name;
    std::string_view value; ///< leading/trailing SP/HTAB removed; an obs-fold keeps its CRLF
};

/// A parsed request or response head. Every view points into the caller's bytes and stays valid
/// as long as those bytes do.
struct HttpHead {
    bool isRequest = false;
    std::string_view method, target; ///< requests
    int status = 0;                  ///< responses
    std::string_view reason;         ///< responses
    std::string_view version;        ///< "HTTP/1.1"
    int versionMajor = 0;            ///< 1 for "HTTP/1.1"
    int versionMinor = 0;            ///< 1 for "HTTP/1.1"
    std::vector<HeaderView> headers; ///< in order, repeats kept
    std::size_t headLength = 0;      ///< bytes up to and including the blank line
    /// Some line ended in a bare LF instead of CRLF. Tolerated (RFC 9112 §2.2 allows a
    /// recipient to accept it) but worth a note: real peers always send CRLF.
    bool bareLf = false;
    /// A header value was continued on the next line (obs-fold, RFC 9112 §5.2). Tolerated: the
    /// value view then spans the fold, and hasToken()/forEachListElement() treat the line break
    /// as white space.
    bool obsFold = false;
    /// Request only: empty lines before the request line that were skipped (RFC 9112 §2.2).
    std::size_t leadingEmptyLines = 0;

    /// First header with this name (case-insensitive), or empty.
    std::string_view header(std::string_view name) const;
    /// How many headers have this name.
    std::size_t count(std::string_view name) const;
    /// True if any header `name` holds `token` in its comma-separated list (case-insensitive).
    bool hasToken(std::string_view name, std::string_view token) const;
    /// True for "HTTP/1.1" and later (RFC 6455 §4.1 asks for at least 1.1).
    bool atLeastHttp11() const {
        return versionMajor > 1 || (versionMajor == 1 && versionMinor >= 1);
    }
    /// Forget everything (keeps the header vector's capacity).
    void clear();
};

/// Case-insensitive ASCII comparison (header names, tokens).
bool equalsIgnoreCase(std::string_view a, std::string_view b);

/// Calls `fn(element)` for each non-empty element of a comma-separated list (RFC 9110 §5.6.1),
/// trimmed of SP/HTAB/CR/LF. Commas inside double quotes do not split.
template <typename Fn>
void forEachListElement(std::string_view list, Fn&& fn) {
    std::size_t start = 0;
    bool quoted = false;
    for (std::size_t i = 0; i <= list.size(); ++i) {
        const bool end = i == list.size();
        if (!end) {
            const char c = list[i];
            if (quoted && c == '\\') {
                ++i;
                continue;
            }
            if (c == '"')
                quoted = !quoted;
            if (quoted || c != ',')
                continue;
        }
        std::string_view e = list.substr(start, i - start);
        while (!e.empty() &&
               (e.front() == ' ' || e.front() == '\t' || e.front() == '\r' || e.front() == '\n'))
            e.remove_prefix(1);
        while (!e.empty() &&
               (e.back() == ' ' || e.back() == '\t' || e.back() == '\r' || e.back() == '\n'))
            e.remove_suffix(1);
        if (!e.empty())
            fn(e);
        start = i + 1;
    }
}

/// Incremental HTTP/1.x head parser (RFC 9112 §2–§5). The caller keeps appending bytes and calls
/// parse() on everything received so far for this head; the result is the same however the
/// bytes were split, and the work is linear in the head size: the parser remembers how far it
/// has scanned and never rescans those bytes (slowloris-safe).
///
/// - The request/status line is checked byte by byte as it arrives, so garbage (a WebSocket
///   frame, TLS) is an Error at its first bad byte without waiting for a line end.
/// - Header lines are checked once the blank line has arrived.
/// - Errors are sticky until reset().
/// - Tolerated, and recorded in HttpHead: bare LF line ends, obs-fold, empty lines before a
///   request line. Rejected: white space between a header name and its colon (RFC 9112 §5.1),
///   control characters other than HTAB in values, a bare CR.
class HttpHeadParser {
public:
    enum class Kind { Request, Response };
    enum class Status { Complete, NeedMore, Error };
    struct Result {
        Status status = Status::NeedMore;
        std::size_t consumed = 0; ///< Complete: head length; Error: offset of the bad byte
        std::string_view reason;  ///< Error: "bad status line", "head too large", ... (static)
    };

    /// `maxHeadBytes` bounds the whole head including its blank line (Limits::httpHeadBytes):
    /// once that many bytes arrived without a complete head the answer is Error "head too
    /// large" with offset `maxHeadBytes`.
    HttpHeadParser(Kind kind, std::size_t maxHeadBytes);
    /// Parses `bytes` (the whole head so far, starting at its first byte; each call must pass
    /// at least the bytes of the previous call — a shorter input restarts the parse). On
    /// Complete, `head` is filled with views into `bytes`; on NeedMore it is left untouched; on
    /// Error its content is unspecified (its header vector keeps its capacity).
    Result parse(std::string_view bytes, HttpHead& head);
    /// Start over for the next head (keep-alive, pipelining): pass the bytes after `consumed`.
    void reset();
    Kind kind() const { return m_kind; }

private:
    enum class LineState : std::uint8_t {
        Lead,   ///< request: skipping empty lines before the request line
        LeadCr, ///< request: CR of a leading empty line seen
        Method,
        TargetStart,
        Target,
        Version, ///< m_versionIndex bytes of "HTTP/d.d" matched
        VersionEnd,
        StatusCode, ///< m_statusDigits digits seen
        StatusEnd,
        Reason,
        LineCr,
        Done,
    };

    Result fail(std::size_t offset, std::string_view reason);
    bool scanStartLine(std::string_view bytes, std::size_t limit);
    bool parseHeaderLines(std::string_view bytes, std::size_t end, HttpHead& head);

    Kind m_kind;
    std::size_t m_maxHeadBytes;
    std::size_t m_scanned = 0; ///< bytes already known not to contain the end of the head
    std::size_t m_lastSize = 0;
    bool m_failed = false;
    Result m_error;
    // Start line, scanned incrementally.
    LineState m_lineState;
    std::uint8_t m_versionIndex = 0;
    std::uint8_t m_statusDigits = 0;
    bool m_bareLf = false;
    std::size_t m_leadingEmptyLines = 0;
    std::size_t m_lineScanned = 0;
    std::size_t m_lineStart = 0;   ///< first byte of the request/status line
    std::size_t m_tokenEnd = 0;    ///< request: end of method; response: end of version
    std::size_t m_targetStart = 0; ///< request
    std::size_t m_targetEnd = 0;   ///< request
    std::size_t m_versionStart = 0;
    std::size_t m_reasonStart = 0;     ///< response
    std::size_t m_contentEnd = 0;      ///< end of the start line without CR/LF
    std::size_t m_lineEnd = 0;         ///< first byte after the start line's LF
    std::size_t m_headerLineStart = 0; ///< start of the header line being searched
};

} // namespace wst
