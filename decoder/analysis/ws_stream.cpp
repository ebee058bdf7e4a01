// SPDX-License-Identifier: MIT
#include "decoder/analysis/ws_stream.h"

#include "decoder/analysis/http_reader.h"
#include "decoder/http/http_body_tracker.h"
#include "decoder/ws/ws_session.h"

#include <algorithm>
#include <cstring>

namespace wst {
namespace {

// Bytes that decide whether a boundary holds HTTP text: "HTTP/1." and the longest method with
// its space ("OPTIONS ", "CONNECT ").
constexpr std::size_t kHttpPeek = 8;

std::string_view asText(Bytes b) {
    return {reinterpret_cast<const char*>(b.data()), b.size()};
}

bool isUpper(std::uint8_t c) {
    return c >= 'A' && c <= 'Z';
}

bool isHttpStart(Bytes peek) {
    const std::string_view s = asText(peek);
    static constexpr std::string_view kStarts[] = {"HTTP/1.",  "GET ",    "POST ",    "PUT ",
                                                   "HEAD ",    "DELETE ", "OPTIONS ", "PATCH ",
                                                   "CONNECT ", "TRACE "};
    return std::any_of(std::begin(kStarts), std::end(kStarts),
                       [&](std::string_view m) { return s.starts_with(m); });
}

} // namespace

WsStream::WsStream(WsStreamOwner& owner, Direction dir, const Limits& limits, bool scanning,
                   std::optional<bool> masked)
    : m_owner(owner)
    , m_dir(dir)
    , m_limits(limits)
    , m_masked(masked)
    , m_state(scanning ? State::Scanning : State::Synced) {}

WsStream::~WsStream() = default;

WsSession* WsStream::session() {
    if (m_session == nullptr) {
        m_session = m_owner.wsSession();
    }
    return m_session;
}

void WsStream::toSession(Bytes bytes, std::uint64_t offset, const SegmentInfo& info) {
    if (WsSession* s = session()) {
        s->feed(m_dir, bytes, offset, info.time, info.packet);
    }
}

std::size_t WsStream::frameRun(Bytes bytes, std::uint64_t offset) {
    // Walk the headers of the whole frames that start in this segment and hand them over in
    // one piece; stop before a boundary that could hold HTTP text, a header cut by the end of
    // the segment, or a length the parser will refuse.
    std::uint64_t pos = 0;
    while (pos + 2 <= bytes.size()) {
        const std::uint8_t b0 = bytes[pos];
        const std::uint8_t b1 = bytes[pos + 1];
        if (couldBeHttp(b0, b1)) {
            break;
        }
        const std::size_t hl = frameHeaderLength(b0, b1);
        if (pos + hl > bytes.size()) {
            break;
        }
        const auto h = parseFrameHeader(bytes.subspan(pos));
        if (h->lengthMsbSet) {
            break;
        }
        pos += hl + h->payloadLength;
    }
    if (pos == 0) {
        return 0;
    }
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(pos, bytes.size()));
    m_frameEnd = offset + pos; // beyond this segment when the last frame continues
    toSession(bytes.first(n), offset, m_curInfo);
    return n;
}

void WsStream::feed(Bytes bytes, std::uint64_t offset, const SegmentInfo& info) {
    m_curInfo = info;
    while (!bytes.empty()) {
        std::size_t used = bytes.size();
        switch (m_state) {
        case State::Scanning:
            used = scan(bytes, offset);
            break;
        case State::Http:
            used = feedHttp(bytes, offset);
            break;
        case State::Lost: {
            toSession(bytes, offset, info);
            WsSession* s = session();
            // Back in step once a segment ends exactly where a frame ended.
            if (s != nullptr && !s->desynced(m_dir) && m_lastReportedEnd == offset + bytes.size()) {
                m_state = State::Synced;
                m_frameEnd = m_lastReportedEnd;
            }
            break;
        }
        case State::Synced:
            if (m_holdLen == 0 && offset < m_frameEnd) {
                // Inside a payload: hand over up to the frame's end, so the next boundary
                // is seen here.
                used = static_cast<std::size_t>(
                    std::min<std::uint64_t>(m_frameEnd - offset, bytes.size()));
                toSession(bytes.first(used), offset, info);
            } else {
                used = atBoundary(bytes, offset);
            }
            break;
        }
        bytes = bytes.subspan(used);
        offset += used;
    }
}

std::size_t WsStream::scan(Bytes bytes, std::uint64_t offset) {
    FrameExpectations exp;
    exp.masked = m_masked;
    exp.allowedRsv = 0x4; // the negotiation is unknown: RSV1 may mean compressed (RFC 7692 §6)
    const auto found = findPlausibleFrameHeader(bytes, exp);
    if (!found) {
        m_scanSkipped += bytes.size();
        return bytes.size();
    }
    FrameHeader h;
    isPlausibleFrameHeader(bytes.subspan(*found), exp, &h);
    const std::uint64_t skipped = m_scanSkipped + *found;
    m_scanSkipped = 0;
    m_state = State::Synced;
    m_frameEnd = offset + *found;
    m_masked = h.masked;
    m_owner.wsRecognised(m_dir, h.masked, m_curInfo, offset + *found, skipped);
    return *found;
}

bool WsStream::couldBeHttp(std::uint8_t b0, std::uint8_t b1) const {
    // "HT" is a non-final Close with RSV1; a method's first two letters are reserved opcodes
    // or RSV-flagged continuations, unmasked. A valid frame never pays for the check, except
    // a compressed fragment (0x41/0x42) with a length of 65–90.
    return isUpper(b0) && isUpper(b1);
}

std::size_t WsStream::atBoundary(Bytes bytes, std::uint64_t offset) {
    if (m_holdLen == 0) {
        if (const std::size_t run = frameRun(bytes, offset); run > 0) {
            return run;
        }
    }
    if (m_holdLen == 0 && bytes.size() >= 2) {
        // Fast path: the header (and enough bytes to rule out HTTP) is in this segment.
        const std::size_t hl = frameHeaderLength(bytes[0], bytes[1]);
        const bool maybeHttp = couldBeHttp(bytes[0], bytes[1]);
        const std::size_t need = maybeHttp ? std::max(hl, kHttpPeek) : hl;
        if (bytes.size() >= need) {
            if (maybeHttp && isHttpStart(bytes.first(kHttpPeek))) {
                startHttp({}, offset, m_curInfo);
                return 0; // feedHttp takes the bytes from here
            }
            const auto h = parseFrameHeader(bytes);
            m_frameEnd = offset + hl + h->payloadLength;
            toSession(bytes.first(hl), offset, m_curInfo);
            WsSession* s = session();
            if (s != nullptr && s->desynced(m_dir)) {
                m_state = State::Lost; // e.g. a 64-bit length with the top bit set
            }
            return hl;
        }
    }
    // Slow path: gather the header in m_hold (≤ 14 bytes, or 8 to recognise HTTP text).
    if (m_holdLen == 0) {
        m_holdOffset = offset;
        m_holdInfo = m_curInfo;
    }
    std::size_t used = 0;
    auto take = [&](std::size_t upTo) {
        const std::size_t want = upTo > m_holdLen ? upTo - m_holdLen : 0;
        const std::size_t n = std::min(want, bytes.size() - used);
        std::memcpy(m_hold.data() + m_holdLen, bytes.data() + used, n);
        m_holdLen = static_cast<std::uint8_t>(m_holdLen + n);
        used += n;
    };
    take(2);
    if (m_holdLen < 2) {
        return used;
    }
    const std::size_t hl = frameHeaderLength(m_hold[0], m_hold[1]);
    const bool maybeHttp = couldBeHttp(m_hold[0], m_hold[1]);
    const std::size_t need = maybeHttp ? std::max(hl, kHttpPeek) : hl;
    take(need);
    if (m_holdLen < need) {
        return used;
    }
    const Bytes held(m_hold.data(), m_holdLen);
    m_holdLen = 0;
    if (maybeHttp && isHttpStart(held.first(kHttpPeek))) {
        startHttp(held, m_holdOffset, m_holdInfo);
        return used;
    }
    const auto h = parseFrameHeader(held);
    m_frameEnd = m_holdOffset + hl + h->payloadLength;
    // Everything held goes to the session with the packet of the header's first byte; bytes
    // past the header (only when HTTP was ruled out) are payload.
    toSession(held, m_holdOffset, m_holdInfo);
    WsSession* s = session();
    if (s != nullptr && s->desynced(m_dir)) {
        m_state = State::Lost;
    } else if (m_holdOffset + held.size() > m_frameEnd) {
        m_state = State::Lost; // the peek ran past a tiny frame: let the session lead
        m_lastReportedEnd = 0;
    }
    return used;
}

void WsStream::startHttp(Bytes peek, std::uint64_t offset, const SegmentInfo& info) {
    const bool response = asText(peek.empty() ? Bytes{} : peek).starts_with("HTTP/") ||
                          (peek.empty() && m_dir == Direction::ServerToClient);
    m_http = std::make_unique<HttpReader>(
        response ? HttpHeadParser::Kind::Response : HttpHeadParser::Kind::Request, m_limits);
    m_state = State::Http;
    if (!peek.empty()) {
        const SegmentInfo saved = m_curInfo;
        m_curInfo = info;
        std::size_t done = 0;
        while (done < peek.size() && m_state == State::Http) {
            done += feedHttp(peek.subspan(done), offset + done);
        }
        m_curInfo = saved;
        if (done < peek.size()) {
            feed(peek.subspan(done), offset + done, info);
            m_curInfo = saved;
        }
    }
}

std::size_t WsStream::feedHttp(Bytes bytes, std::uint64_t offset) {
    const auto step = m_http->feed(asText(bytes), offset, m_curInfo);
    switch (step.what) {
    case HttpReader::What::NeedMore:
        return step.consumed;
    case HttpReader::What::Head: {
        const HttpHead& head = m_http->head();
        m_owner.wsHttpHead(m_dir, head, m_http->headStart(), m_http->headOffset());
        m_http->startBody(head.isRequest ? requestBodyFraming(head)
                                         : responseBodyFraming(head, "GET"));
        if (!m_http->inBody()) {
            m_http.reset();
            m_state = State::Synced;
            m_frameEnd = offset + step.consumed;
        }
        return step.consumed;
    }
    case HttpReader::What::BodyDone:
        m_http.reset();
        m_state = State::Synced;
        m_frameEnd = offset + step.consumed;
        return step.consumed;
    case HttpReader::What::Error:
        m_owner.wsHttpGarbage(m_dir, m_http->errorReason(), m_curInfo, offset + step.consumed);
        m_http.reset();
        m_state = State::Scanning; // find the next plausible frame header
        return step.consumed;
    }
    return bytes.size();
}

void WsStream::gap(std::uint64_t offset, std::uint64_t length, const SegmentInfo& info) {
    m_curInfo = info;
    if (m_state == State::Scanning) {
        return;
    }
    if (m_state == State::Http) {
        m_http.reset(); // the HTTP text's end is unknown now
    }
    m_holdLen = 0;
    WsSession* s = session();
    if (s == nullptr) {
        return;
    }
    s->onGap(m_dir, offset, length, info.time, info.packet);
    // A gap inside the payload keeps the framing; anything else loses it.
    if (m_state == State::Synced && !s->desynced(m_dir) && offset + length <= m_frameEnd &&
        offset < m_frameEnd) {
        return;
    }
    m_state = State::Lost;
    m_lastReportedEnd = 0;
}

void WsStream::end(const SegmentInfo& info) {
    if (m_holdLen > 0 && m_state == State::Synced) {
        const Bytes held(m_hold.data(), m_holdLen);
        m_holdLen = 0;
        toSession(held, m_holdOffset, m_holdInfo);
    }
    m_http.reset();
    if (WsSession* s = session()) {
        s->endDirection(m_dir, info.time, info.packet);
    }
}

} // namespace wst
