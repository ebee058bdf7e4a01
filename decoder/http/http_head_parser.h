// SPDX-License-Identifier: MIT
#pragma once

#include "core/types.h"

#include <cstddef>
#include <string_view>
#include <vector>

namespace wst {

/// One header line, pointing into the bytes given to HttpHeadParser::parse().
struct HeaderView {
    std::string_view name;
    std::string_view value; ///< leading/trailing SP/HTAB removed
};

/// A parsed request or response head. Every view points into the caller's bytes.
struct HttpHead {
    bool isRequest = false;
    std::string_view method, target;   ///< requests
    int status = 0;                    ///< responses
    std::string_view reason;           ///< responses
    std::string_view version;          ///< "HTTP/1.1"
    std::vector<HeaderView> headers;   ///< in order, repeats kept
    std::size_t headLength = 0;        ///< bytes up to and including the blank line

    /// First header with this name (case-insensitive), or empty.
    std::string_view header(std::string_view name) const;
    /// How many headers have this name.
    std::size_t count(std::string_view name) const;
    /// True if any header `name` holds `token` in its comma-separated list (case-insensitive).
    bool hasToken(std::string_view name, std::string_view token) const;
};

/// Incremental HTTP/1.x head parser (RFC 9112 §2–§5). The caller keeps appending bytes and calls
/// parse() on everything received so far for this head; the result is the same however the
/// bytes were split.
class HttpHeadParser {
public:
    enum class Kind { Request, Response };
    enum class Status { Complete, NeedMore, Error };
    struct Result {
        Status status = Status::NeedMore;
        std::size_t consumed = 0;    ///< Complete: head length; Error: offset of the bad byte
        std::string_view reason;     ///< Error: "bad status line", "head too large", ...
    };

    HttpHeadParser(Kind kind, std::size_t maxHeadBytes);
    /// Parses `bytes` (the whole head so far, starting at its first byte). On Complete, `head`
    /// is filled with views into `bytes`.
    Result parse(std::string_view bytes, HttpHead& head);

private:
    Kind m_kind;
    std::size_t m_maxHeadBytes;
    std::size_t m_scanned = 0; ///< bytes already known not to contain the end of the head
};

} // namespace wst
