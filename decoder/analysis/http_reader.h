// SPDX-License-Identifier: MIT
#pragma once

#include "capture/core/limits.h"
#include "capture/tcp/stream_sink.h"
#include "decoder/http/http_body_tracker.h"
#include "decoder/http/http_head_parser.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace wst {

/// One direction's HTTP/1.x messages, head by head: an HttpHeadParser for the head (buffered
/// only when it spans segments, bounded by Limits::httpHeadBytes) and an HttpBodyTracker for the
/// body. feed() stops after each head so the caller can decide what follows (a body, or — after
/// a 101 — another protocol).
class HttpReader {
public:
    enum class What : std::uint8_t {
        NeedMore, ///< every byte was used; nothing to report
        Head,     ///< a head completed: head() is valid until the next feed()
        BodyDone, ///< the body of the last head ended
        Error,    ///< head or body syntax error at `consumed`; errorReason() says why
    };
    struct Step {
        What what = What::NeedMore;
        std::size_t consumed = 0; ///< bytes of the input used before stopping
    };

    HttpReader(HttpHeadParser::Kind kind, const Limits& limits);

    /// Feeds the next in-order bytes; `offset` is the stream offset of bytes[0].
    Step feed(std::string_view bytes, std::uint64_t offset, const SegmentInfo& info);
    /// After a Head: the body framing the caller chose (None continues with the next head).
    void startBody(const BodyFraming& framing);
    /// Forget any partial head or body and expect a head at the next byte.
    void restartHead();

    const HttpHead& head() const { return m_head; }
    /// The bytes of the last head (valid like head()).
    std::string_view headText() const { return m_headText; }
    bool inBody() const { return m_inBody; }
    /// True when no byte of a head or body is pending: the next byte starts a new head.
    bool atHeadStart() const { return !m_inBody && (m_buffer.empty() || m_bufferIsDoneHead); }
    bool bodyUntilClose() const { return m_inBody && m_body.untilClose(); }

    /// Where the last head started and ended (packet and time of its first and last byte).
    const SegmentInfo& headStart() const { return m_headStart; }
    const SegmentInfo& headEnd() const { return m_headEnd; }
    std::uint64_t headOffset() const { return m_headOffset; }
    std::uint64_t headLength() const { return m_head.headLength; }

    /// The first bytes of the last body (chunk framing removed), at most 256.
    const std::string& bodyPrefix() const { return m_bodyPrefix; }
    std::uint64_t bodyBytes() const { return m_body.payloadBytes(); }
    std::string_view errorReason() const { return m_errorReason; }

private:
    HttpHeadParser m_parser;
    HttpBodyTracker m_body;
    HttpHead m_head;
    std::string m_buffer; ///< a head that spans segments
    std::size_t m_maxHead;
    bool m_inBody = false;
    bool m_bufferIsDoneHead = false; ///< m_buffer holds the last head, kept for head()'s views
    SegmentInfo m_headStart, m_headEnd;
    std::uint64_t m_headOffset = 0;
    std::string m_bodyPrefix;
    std::string_view m_headText;
    std::string_view m_errorReason;
};

} // namespace wst
