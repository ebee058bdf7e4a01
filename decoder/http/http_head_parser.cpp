// SPDX-License-Identifier: MIT
#include "decoder/http/http_head_parser.h"

#include <algorithm>
#include <cstring>

namespace wst {

namespace {

constexpr char toLower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

/// RFC 9110 §5.6.2 tchar.
constexpr bool isTchar(unsigned char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
        return true;
    default:
        return false;
    }
}

constexpr bool isDigit(unsigned char c) {
    return c >= '0' && c <= '9';
}

/// Visible characters and obs-text (RFC 9110 §5.5): what a request target or reason may hold.
constexpr bool isVisible(unsigned char c) {
    return c > 0x20 && c != 0x7f;
}

constexpr bool isOws(char c) {
    return c == ' ' || c == '\t';
}

constexpr std::string_view kHttpPrefix = "HTTP/";

} // namespace

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (toLower(a[i]) != toLower(b[i]))
            return false;
    }
    return true;
}

std::string_view HttpHead::header(std::string_view name) const {
    for (const auto& h : headers) {
        if (equalsIgnoreCase(h.name, name))
            return h.value;
    }
    return {};
}

std::size_t HttpHead::count(std::string_view name) const {
    return static_cast<std::size_t>(
        std::count_if(headers.begin(), headers.end(),
                      [&](const HeaderView& h) { return equalsIgnoreCase(h.name, name); }));
}

bool HttpHead::hasToken(std::string_view name, std::string_view token) const {
    for (const auto& h : headers) {
        if (!equalsIgnoreCase(h.name, name))
            continue;
        bool found = false;
        forEachListElement(
            h.value, [&](std::string_view e) { found = found || equalsIgnoreCase(e, token); });
        if (found)
            return true;
    }
    return false;
}

void HttpHead::clear() {
    auto keep = std::move(headers);
    keep.clear();
    *this = HttpHead{};
    headers = std::move(keep);
}

HttpHeadParser::HttpHeadParser(Kind kind, std::size_t maxHeadBytes)
    : m_kind(kind)
    , m_maxHeadBytes(maxHeadBytes)
    , m_lineState(kind == Kind::Request ? LineState::Lead : LineState::Version) {}

void HttpHeadParser::reset() {
    *this = HttpHeadParser(m_kind, m_maxHeadBytes);
}

HttpHeadParser::Result HttpHeadParser::fail(std::size_t offset, std::string_view reason) {
    m_failed = true;
    m_error = Result{Status::Error, offset, reason};
    return m_error;
}

// Scans the start line from where the last call stopped. Returns false on error (m_error set).
bool HttpHeadParser::scanStartLine(std::string_view bytes, std::size_t limit) {
    const bool request = m_kind == Kind::Request;
    std::size_t i = m_lineScanned;
    for (; i < limit && m_lineState != LineState::Done; ++i) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        switch (m_lineState) {
        case LineState::Lead:
            // RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the
            // request-line (some clients send CRLF after a POST body).
            if (c == '\r') {
                m_lineState = LineState::LeadCr;
            } else if (c == '\n') {
                m_bareLf = true;
                ++m_leadingEmptyLines;
            } else if (isTchar(c)) {
                m_lineStart = i;
                m_lineState = LineState::Method;
            } else {
                fail(i, "bad request line");
                return false;
            }
            break;
        case LineState::LeadCr:
            if (c != '\n') {
                fail(i, "bare CR");
                return false;
            }
            ++m_leadingEmptyLines;
            m_lineState = LineState::Lead;
            break;
        case LineState::Method:
            if (c == ' ') {
                m_tokenEnd = i;
                m_lineState = LineState::TargetStart;
            } else if (!isTchar(c)) {
                fail(i, "bad method");
                return false;
            }
            break;
        case LineState::TargetStart:
            if (!isVisible(c)) {
                fail(i, "bad request target");
                return false;
            }
            m_targetStart = i;
            m_lineState = LineState::Target;
            break;
        case LineState::Target:
            if (c == ' ') {
                m_targetEnd = i;
                m_versionStart = i + 1;
                m_versionIndex = 0;
                m_lineState = LineState::Version;
            } else if (!isVisible(c)) {
                // A CR/LF here is an HTTP/0.9 request line: not supported.
                fail(i, "bad request target");
                return false;
            }
            break;
        case LineState::Version: {
            // "HTTP/" DIGIT "." DIGIT, case-sensitive (RFC 9112 §2.3).
            const std::uint8_t k = m_versionIndex;
            const bool ok = k < 5 ? c == static_cast<unsigned char>(kHttpPrefix[k])
                                  : (k == 6 ? c == '.' : isDigit(c));
            if (!ok) {
                fail(i, request ? "bad HTTP version" : "bad status line");
                return false;
            }
            if (++m_versionIndex == 8)
                m_lineState = LineState::VersionEnd;
            break;
        }
        case LineState::VersionEnd:
            if (request) {
                m_contentEnd = i;
                if (c == '\r') {
                    m_lineState = LineState::LineCr;
                } else if (c == '\n') {
                    m_bareLf = true;
                    m_lineEnd = i + 1;
                    m_lineState = LineState::Done;
                } else {
                    fail(i, "bad HTTP version");
                    return false;
                }
            } else {
                if (c != ' ') {
                    fail(i, "bad status line");
                    return false;
                }
                m_tokenEnd = i;
                m_statusDigits = 0;
                m_lineState = LineState::StatusCode;
            }
            break;
        case LineState::StatusCode:
            if (!isDigit(c)) {
                fail(i, "bad status code");
                return false;
            }
            if (++m_statusDigits == 3)
                m_lineState = LineState::StatusEnd;
            break;
        case LineState::StatusEnd:
            // status-line = HTTP-version SP status-code SP [reason-phrase]; a missing SP before
            // CRLF is tolerated.
            m_reasonStart = i + 1;
            if (c == ' ') {
                m_lineState = LineState::Reason;
            } else if (c == '\r') {
                m_reasonStart = i;
                m_contentEnd = i;
                m_lineState = LineState::LineCr;
            } else if (c == '\n') {
                m_reasonStart = i;
                m_contentEnd = i;
                m_bareLf = true;
                m_lineEnd = i + 1;
                m_lineState = LineState::Done;
            } else {
                fail(i, "bad status code");
                return false;
            }
            break;
        case LineState::Reason:
            if (c == '\r') {
                m_contentEnd = i;
                m_lineState = LineState::LineCr;
            } else if (c == '\n') {
                m_contentEnd = i;
                m_bareLf = true;
                m_lineEnd = i + 1;
                m_lineState = LineState::Done;
            } else if (c != '\t' && !(c >= 0x20 && c != 0x7f)) {
                fail(i, "bad reason phrase");
                return false;
            }
            break;
        case LineState::LineCr:
            if (c != '\n') {
                fail(i, "bare CR");
                return false;
            }
            m_lineEnd = i + 1;
            m_lineState = LineState::Done;
            break;
        case LineState::Done:
            break;
        }
    }
    m_lineScanned = i;
    if (m_lineState == LineState::Done && m_headerLineStart == 0) {
        m_headerLineStart = m_lineEnd;
        m_scanned = m_lineEnd;
    }
    return true;
}

HttpHeadParser::Result HttpHeadParser::parse(std::string_view bytes, HttpHead& head) {
    if (bytes.size() < m_lastSize)
        reset(); // contract: the caller restarted with fewer bytes
    m_lastSize = bytes.size();
    if (m_failed)
        return m_error;
    const std::size_t limit = std::min(bytes.size(), m_maxHeadBytes);
    const auto needMore = [&]() -> Result {
        if (bytes.size() >= m_maxHeadBytes)
            return fail(m_maxHeadBytes, "head too large");
        return Result{Status::NeedMore, 0, {}};
    };

    if (m_lineState != LineState::Done) {
        if (!scanStartLine(bytes, limit))
            return m_error;
        if (m_lineState != LineState::Done)
            return needMore();
    }

    // Find the blank line. m_headerLineStart is the start of a line not yet known to be
    // blank; m_scanned is how far inside it we already looked for its LF.
    std::size_t headEnd = 0;
    while (headEnd == 0) {
        const std::size_t ls = m_headerLineStart;
        if (ls >= limit)
            return needMore();
        if (m_scanned == ls) {
            if (bytes[ls] == '\n') {
                headEnd = ls + 1;
                break;
            }
            if (bytes[ls] == '\r') {
                if (ls + 1 >= limit)
                    return needMore();
                if (bytes[ls + 1] == '\n') {
                    headEnd = ls + 2;
                    break;
                }
            }
        }
        const std::size_t from = std::max(m_scanned, ls);
        const void* lf = std::memchr(bytes.data() + from, '\n', limit - from);
        if (lf == nullptr) {
            m_scanned = limit;
            return needMore();
        }
        const auto pos = static_cast<std::size_t>(static_cast<const char*>(lf) - bytes.data());
        m_headerLineStart = pos + 1;
        m_scanned = pos + 1;
    }

    HttpHead out;
    out.headers = std::move(head.headers);
    out.headers.clear();
    if (!parseHeaderLines(bytes, headEnd, out)) {
        head.headers = std::move(out.headers);
        return m_error;
    }
    out.isRequest = m_kind == Kind::Request;
    const auto view = [&](std::size_t a, std::size_t b) { return bytes.substr(a, b - a); };
    if (out.isRequest) {
        out.method = view(m_lineStart, m_tokenEnd);
        out.target = view(m_targetStart, m_targetEnd);
        out.version = view(m_versionStart, m_versionStart + 8);
        out.leadingEmptyLines = m_leadingEmptyLines;
    } else {
        out.version = view(m_lineStart, m_tokenEnd);
        out.status = (bytes[m_tokenEnd + 1] - '0') * 100 + (bytes[m_tokenEnd + 2] - '0') * 10 +
                     (bytes[m_tokenEnd + 3] - '0');
        out.reason = view(std::min(m_reasonStart, m_contentEnd), m_contentEnd);
    }
    out.versionMajor = out.version[5] - '0';
    out.versionMinor = out.version[7] - '0';
    out.bareLf = out.bareLf || m_bareLf;
    out.headLength = headEnd;
    head = std::move(out);
    return Result{Status::Complete, headEnd, {}};
}

// RFC 9112 §5: field-line = field-name ":" OWS field-value OWS.
bool HttpHeadParser::parseHeaderLines(std::string_view bytes, std::size_t end, HttpHead& head) {
    std::size_t pos = m_lineEnd;
    while (pos < end) {
        const auto* lfp =
            static_cast<const char*>(std::memchr(bytes.data() + pos, '\n', end - pos));
        const auto lf = static_cast<std::size_t>(lfp - bytes.data()); // always found: end > pos
        std::size_t contentEnd = lf;
        if (contentEnd > pos && bytes[contentEnd - 1] == '\r')
            --contentEnd;
        else
            head.bareLf = true;
        if (contentEnd == pos && lf + 1 == end)
            break; // the blank line
        if (isOws(bytes[pos])) {
            // obs-fold: a continuation of the previous value (RFC 9112 §5.2).
            if (head.headers.empty()) {
                fail(pos, "white space before first header");
                return false;
            }
            for (std::size_t i = pos; i < contentEnd; ++i) {
                const auto c = static_cast<unsigned char>(bytes[i]);
                if ((c < 0x20 && c != '\t') || c == 0x7f) {
                    fail(i, c == '\r' ? "bare CR" : "bad header value");
                    return false;
                }
            }
            std::size_t vEnd = contentEnd;
            while (vEnd > pos && isOws(bytes[vEnd - 1]))
                --vEnd;
            if (vEnd > pos) {
                HeaderView& prev = head.headers.back();
                std::size_t vStart = pos;
                if (!prev.value.empty()) {
                    vStart = static_cast<std::size_t>(prev.value.data() - bytes.data());
                } else {
                    while (vStart < vEnd && isOws(bytes[vStart]))
                        ++vStart;
                }
                prev.value = bytes.substr(vStart, vEnd - vStart);
            }
            head.obsFold = true;
            pos = lf + 1;
            continue;
        }
        std::size_t i = pos;
        while (i < contentEnd && isTchar(static_cast<unsigned char>(bytes[i])))
            ++i;
        if (i == contentEnd) {
            fail(i, "missing colon in header");
            return false;
        }
        if (bytes[i] != ':') {
            fail(i, isOws(bytes[i]) ? "white space before colon" : "bad header name");
            return false;
        }
        if (i == pos) {
            fail(i, "empty header name");
            return false;
        }
        const std::string_view name = bytes.substr(pos, i - pos);
        std::size_t v = i + 1;
        while (v < contentEnd && isOws(bytes[v]))
            ++v;
        std::size_t vEnd = contentEnd;
        while (vEnd > v && isOws(bytes[vEnd - 1]))
            --vEnd;
        for (std::size_t k = v; k < vEnd; ++k) {
            const auto c = static_cast<unsigned char>(bytes[k]);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                fail(k, c == '\r' ? "bare CR" : "bad header value");
                return false;
            }
        }
        head.headers.push_back(HeaderView{name, bytes.substr(v, vEnd - v)});
        pos = lf + 1;
    }
    return true;
}

} // namespace wst
