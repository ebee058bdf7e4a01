// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/http/http_head_parser.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace wst {

/// How the body after a head is delimited (RFC 9112 §6.3).
struct BodyFraming {
    enum class Kind : std::uint8_t {
        None,       ///< no body: the next head starts right after this one
        Length,     ///< Content-Length bytes
        Chunked,    ///< chunked transfer coding (RFC 9112 §7.1)
        UntilClose, ///< response without a length: the body runs to the end of the connection
    };
    Kind kind = Kind::None;
    std::uint64_t length = 0; ///< Length: the declared length
    /// Both Transfer-Encoding and Content-Length were present; Transfer-Encoding won
    /// (RFC 9112 §6.3 item 3). A request-smuggling smell worth a note.
    bool lengthIgnored = false;
    /// Non-empty when the framing headers are invalid ("bad Content-Length", "conflicting
    /// Content-Length", "Transfer-Encoding without final chunked"): the peer cannot know where
    /// the body ends. `kind` is then UntilClose for responses and None for requests. (static)
    std::string_view error;
};

/// Body framing of a request (RFC 9112 §6.3 items 3–6): no Content-Length and no
/// Transfer-Encoding means no body.
BodyFraming requestBodyFraming(const HttpHead& request);

/// Body framing of a response to a request with method `requestMethod` (RFC 9112 §6.3 items 1–7):
/// 1xx, 204, 304 and responses to HEAD have no body; a 2xx to CONNECT is a tunnel (UntilClose);
/// a 101 has no body (the bytes after it belong to the new protocol); without Content-Length or
/// chunked the body runs until the connection closes.
BodyFraming responseBodyFraming(const HttpHead& response, std::string_view requestMethod);

/// Consumes one message body as delimited by a BodyFraming, incrementally: feed() takes the next
/// piece of the stream (any size, any split) and says how much of it belonged to the body. The
/// same total result comes out however the stream was split. Memory is constant: nothing is
/// buffered except a bounded payload prefix the caller may ask for. Errors are sticky until
/// start().
///
/// Chunked bodies: chunk sizes are up to 16 hex digits; chunk extensions (skipped) are bounded
/// by `maxLineBytes`, trailers (skipped) by `maxTrailerBytes`; bare LF line ends are tolerated.
class HttpBodyTracker {
public:
    using Status = HttpHeadParser::Status;
    using Result = HttpHeadParser::Result; ///< Complete{consumed}, NeedMore, Error{offset}

    explicit HttpBodyTracker(std::size_t maxLineBytes = 4096, std::size_t maxTrailerBytes = 65536);

    /// Begin a body. With Kind::None (or Length 0) the body is already complete.
    void start(const BodyFraming& framing);
    /// Feeds the next bytes of the stream.
    /// - Complete{consumed}: the body ended after `consumed` bytes of `bytes`; the rest belongs
    ///   to what follows (the next head). Further calls answer Complete{0}.
    /// - NeedMore: all of `bytes` belonged to the body (consumed = bytes.size()).
    /// - Error{offset, reason}: malformed chunked framing at `bytes[offset]`.
    /// Decoded payload bytes (chunk framing removed) are appended to `payloadPrefix`, if given,
    /// until it holds `prefixCap` bytes.
    Result feed(std::string_view bytes, std::string* payloadPrefix = nullptr,
                std::size_t prefixCap = 0);
    /// True once the body ended (Complete was returned, or there was no body).
    bool done() const { return m_state == State::Done; }
    /// True while a body is being consumed that ends only with the connection.
    bool untilClose() const { return m_state == State::UntilClose; }
    /// Bytes of the stream consumed so far for this body, framing included.
    std::uint64_t wireBytes() const { return m_wireBytes; }
    /// Payload bytes seen so far (chunk framing excluded).
    std::uint64_t payloadBytes() const { return m_payloadBytes; }
    /// Stream offset (from the body's first byte) of a sticky error.
    std::uint64_t errorOffset() const { return m_errorOffset; }

private:
    enum class State : std::uint8_t {
        Done,
        Length,
        UntilClose,
        ChunkSize,
        ChunkSizeWs,
        ChunkExt,
        ChunkSizeLf,
        ChunkData,
        ChunkDataCr,
        ChunkDataLf,
        TrailerStart,
        TrailerEndLf,
        TrailerLine,
        Failed,
    };

    Result fail(std::size_t offset, std::string_view reason);

    std::size_t m_maxLineBytes;
    std::size_t m_maxTrailerBytes;
    State m_state = State::Done;
    std::uint64_t m_remaining = 0; ///< Length / ChunkData: payload bytes still to come
    std::uint8_t m_sizeDigits = 0;
    std::size_t m_lineBytes = 0;    ///< bytes of the current chunk extension
    std::size_t m_trailerBytes = 0; ///< bytes of the trailer section
    std::uint64_t m_wireBytes = 0;
    std::uint64_t m_payloadBytes = 0;
    std::uint64_t m_errorOffset = 0;
    Result m_error;
};

} // namespace wst
