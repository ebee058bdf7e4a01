// SPDX-License-Identifier: MIT
#include "ws_stream.h"

#include "http/http_body_tracker.h"
#include "http_reader.h"
#include "ws/inflater.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <string_view>

namespace wst {
namespace {

// How many bytes decide whether a frame boundary holds HTTP text: "HTTP/1." and the longest
// method with its space ("OPTIONS ", "CONNECT ").
constexpr std::size_t kHttpPeek = 8;

std::string_view asText(Bytes b) {
    return {reinterpret_cast<const char*>(b.data()), b.size()};
}

bool isUpper(std::uint8_t c) { return c >= 'A' && c <= 'Z'; }

} // namespace

WsStream::WsStream(WsStreamOwner& owner, Direction dir, const Limits& limits, Options options)
    : m_owner(owner)
    , m_dir(dir)
    , m_limits(limits)
    , m_options(options)
    , m_parser(*this) {
    m_msg.direction = dir;
    m_ctl.direction = dir;
    applyExpectations();
    if (m_options.deflate.enabled) {
        m_inflater = std::make_unique<Inflater>(
            DeflateParams{m_options.deflate.windowBits, m_options.deflate.noContextTakeover},
            m_limits.inflatedBytesPerMessage);
    }
    if (m_options.midstream) {
        // The first byte is anywhere in a frame: look for a confirmed header, quietly (the
        // owner reports "handshake not seen" once a frame is recognised).
        m_quietDesync = true;
        m_parser.onGap();
        m_quietDesync = false;
    } else {
        m_recognised = true;
    }
}

WsStream::~WsStream() = default;

void WsStream::applyExpectations() {
    FrameExpectations exp;
    exp.masked = m_options.masked;
    exp.allowedRsv = (m_options.deflate.enabled || m_options.deflateUnknown) ? 0x4 : 0;
    m_parser.setExpectations(exp);
}

void WsStream::setMasked(bool masked) {
    m_options.masked = masked;
    applyExpectations();
}

void WsStream::feed(Bytes bytes, std::uint64_t offset, const SegmentInfo& info) {
    m_prevInfo = m_curInfo;
    m_curInfo = info;
    m_curBase = offset;
    while (!bytes.empty()) {
        std::size_t used = 0;
        if (m_http) {
            used = feedHttp(bytes, offset);
        } else if (m_parser.desynced()) {
            m_parser.feed(bytes, offset); // scans for a header, then parses on
            return;
        } else if (m_holdLen > 0 || !m_parser.midFrame()) {
            used = feedAtBoundary(bytes, offset);
        } else {
            // Inside a payload: hand over up to the end of this frame, so the next boundary is
            // seen here. (A header is never left half-fed in the parser.)
            const std::uint64_t frameEnd = m_frameOffset + m_header.headerLength +
                                           m_header.payloadLength;
            const std::uint64_t left = frameEnd > offset ? frameEnd - offset : bytes.size();
            used = static_cast<std::size_t>(std::min<std::uint64_t>(left, bytes.size()));
            m_parser.feed(bytes.first(used), offset);
        }
        bytes = bytes.subspan(used);
        offset += used;
    }
}

bool WsStream::couldBeHttp(std::uint8_t b0, std::uint8_t b1) const {
    // Both are invalid frame starts anyway ("HT": non-final Close with RSV1; "GE": reserved
    // opcode 7, unmasked), so a real frame never pays for the check.
    if (b0 == 'H' && b1 == 'T') {
        return true;
    }
    return isUpper(b0) && isUpper(b1);
}

bool WsStream::isHttpStart(Bytes peek) const {
    const std::string_view s = asText(peek);
    if (s.starts_with("HTTP/1.")) {
        return true;
    }
    static constexpr std::string_view kMethods[] = {"GET ",     "POST ",    "PUT ",    "HEAD ",
                                                    "DELETE ",  "OPTIONS ", "PATCH ",  "CONNECT ",
                                                    "TRACE "};
    return std::any_of(std::begin(kMethods), std::end(kMethods),
                       [&](std::string_view m) { return s.starts_with(m); });
}

std::size_t WsStream::feedAtBoundary(Bytes bytes, std::uint64_t offset) {
    // Fast path: a whole header (and enough bytes to rule out HTTP text) in this segment.
    if (m_holdLen == 0 && bytes.size() >= 2) {
        const std::size_t hl = frameHeaderLength(bytes[0], bytes[1]);
        const bool maybeHttp = couldBeHttp(bytes[0], bytes[1]);
        const std::size_t need = maybeHttp ? std::max(hl, kHttpPeek) : hl;
        if (bytes.size() >= need) {
            if (maybeHttp && isHttpStart(bytes.first(kHttpPeek))) {
                startHttp({}, offset, m_curInfo);
                return 0; // feedHttp takes the bytes from here
            }
            m_parser.feed(bytes.first(hl), offset);
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
        const std::size_t n = std::min(upTo > m_holdLen ? upTo - m_holdLen : 0, bytes.size() - used);
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
    if (maybeHttp && isHttpStart(Bytes(m_hold.data(), kHttpPeek))) {
        const Bytes held(m_hold.data(), m_holdLen);
        m_holdLen = 0;
        startHttp(held, m_holdOffset, m_holdInfo);
        return used;
    }
    flushHold();
    return used;
}

void WsStream::flushHold() {
    if (m_holdLen == 0) {
        return;
    }
    // The held bytes start a header: give them to the parser with the info of their first byte.
    const SegmentInfo saved = m_curInfo;
    m_curInfo = m_holdInfo;
    m_feedingHold = true;
    const std::uint8_t n = m_holdLen;
    m_holdLen = 0;
    m_parser.feed(Bytes(m_hold.data(), n), m_holdOffset);
    m_feedingHold = false;
    m_curInfo = saved;
}

void WsStream::startHttp(Bytes peek, std::uint64_t offset, const SegmentInfo& info) {
    const bool response = m_dir == Direction::ServerToClient || asText(peek).starts_with("HTTP/");
    m_http = std::make_unique<HttpReader>(
        response ? HttpHeadParser::Kind::Response : HttpHeadParser::Kind::Request, m_limits);
    if (!peek.empty()) {
        const SegmentInfo saved = m_curInfo;
        m_curInfo = info;
        std::size_t done = 0;
        while (done < peek.size() && m_http) {
            done += feedHttp(peek.subspan(done), offset + done);
        }
        m_curInfo = saved;
        if (done < peek.size()) {
            m_parser.feed(peek.subspan(done), offset + done);
        }
    }
}

std::size_t WsStream::feedHttp(Bytes bytes, std::uint64_t offset) {
    const auto step = m_http->feed(asText(bytes), offset, m_curInfo);
    switch (step.what) {
    case HttpReader::What::NeedMore: return step.consumed;
    case HttpReader::What::Head: {
        const HttpHead& head = m_http->head();
        m_owner.wsHttpHead(m_dir, head, m_http->headStart(), m_http->headOffset());
        const BodyFraming framing =
            head.isRequest ? requestBodyFraming(head) : responseBodyFraming(head, "GET");
        m_http->startBody(framing);
        if (!m_http->inBody()) {
            backToFrames(offset + step.consumed);
        }
        return step.consumed;
    }
    case HttpReader::What::BodyDone: backToFrames(offset + step.consumed); return step.consumed;
    case HttpReader::What::Error:
        m_owner.wsHttpGarbage(m_dir, m_http->errorReason(), m_curInfo, offset + step.consumed);
        m_http.reset();
        // Look for the next plausible frame header from the bad byte on.
        m_parser.resync();
        m_quietDesync = true;
        m_parser.onGap();
        m_quietDesync = false;
        m_parser.feed(bytes.subspan(step.consumed), offset + step.consumed);
        return bytes.size();
    }
    return bytes.size();
}

void WsStream::backToFrames(std::uint64_t offset) {
    (void)offset;
    m_http.reset();
    m_parser.resync();
}

void WsStream::gap(std::uint64_t offset, std::uint64_t length, const SegmentInfo& info) {
    (void)offset;
    m_prevInfo = m_curInfo;
    m_curInfo = info;
    if (m_http) {
        m_http.reset();
        m_parser.resync();
        m_parser.onGap(); // the HTTP text's end is unknown now
        return;
    }
    if (m_holdLen > 0) {
        m_holdLen = 0; // a header cut by the gap: its frame's end is unknown
        m_parser.onGap();
        return;
    }
    m_parser.onGap(length);
}

void WsStream::end(const SegmentInfo& info) {
    m_curInfo = info;
    m_http.reset();
    flushHold();
    if (m_msgOpen) {
        finishMessage(false);
    }
}

// ---- FrameHandler ----------------------------------------------------------------------------

void WsStream::onFrameHeader(const FrameHeader& h, std::uint64_t offset) {
    m_header = h;
    m_frameOffset = offset;
    // A header that began in the previous segment (only possible in desync scanning or a
    // header split without going through m_hold) gets that segment's packet and time.
    m_frameStart = (m_feedingHold || offset >= m_curBase) ? m_curInfo : m_prevInfo;
    ++m_frames;
    if (m_pendingRecognition) {
        m_pendingRecognition = false;
        m_owner.wsRecognised(m_dir, h.masked, m_frameStart, offset);
    }
    m_frameIsData = !h.isControl() && !h.isReservedOpcode();
    if (h.isControl()) {
        m_ctl.opcode = h.opcode;
        m_ctl.compressed = false;
        m_ctl.complete = true;
        m_ctl.frames = 1;
        m_ctl.wireLength = h.payloadLength;
        m_ctl.length = h.payloadLength;
        m_ctl.first = m_ctl.last = m_frameStart.time;
        m_ctl.firstPacket = m_ctl.lastPacket = m_frameStart.packet;
        m_ctl.payload.clear();
        return;
    }
    if (!m_frameIsData) {
        return;
    }
    if (h.opcode != 0 || !m_msgOpen) {
        if (m_msgOpen) {
            finishMessage(false); // a new message inside an unfinished one (RFC 6455 §5.4)
        }
        m_msgOpen = true;
        m_msgOffset = offset;
        m_msg.opcode = h.opcode;
        m_msg.compressed = (h.rsv & 0x4) != 0 && m_inflater != nullptr;
        m_msg.complete = true;
        m_msg.frames = 1;
        m_msg.wireLength = 0;
        m_msg.length = 0;
        m_msg.first = m_msg.last = m_frameStart.time;
        m_msg.firstPacket = m_msg.lastPacket = m_frameStart.packet;
        m_msg.payload.clear();
        m_inflateFailed = false;
    } else {
        ++m_msg.frames;
    }
}

std::uint64_t WsStream::payloadWanted(const FrameHeader& h) {
    if (h.isControl()) {
        return std::min<std::uint64_t>(h.payloadLength, m_limits.payloadPrefixBytes);
    }
    if (!m_frameIsData) {
        return 0;
    }
    if (m_msg.compressed && !m_inflateFailed) {
        return h.payloadLength; // inflating needs every byte
    }
    const std::size_t have = m_msg.payload.size();
    return have < m_limits.payloadPrefixBytes ? m_limits.payloadPrefixBytes - have : 0;
}

void WsStream::appendPrefix(std::string& to, Bytes bytes) const {
    if (to.size() >= m_limits.payloadPrefixBytes) {
        return;
    }
    const std::size_t n = std::min(bytes.size(), m_limits.payloadPrefixBytes - to.size());
    to.append(reinterpret_cast<const char*>(bytes.data()), n);
}

void WsStream::onPayload(Bytes unmasked, std::uint64_t payloadOffset) {
    (void)payloadOffset;
    if (m_header.isControl()) {
        appendPrefix(m_ctl.payload, unmasked);
        return;
    }
    if (!m_frameIsData) {
        return;
    }
    m_msg.last = m_curInfo.time;
    m_msg.lastPacket = m_curInfo.packet;
    if (m_msg.compressed && !m_inflateFailed) {
        const auto status =
            m_inflater->feed(unmasked, [this](Bytes out) { appendPrefix(m_msg.payload, out); });
        if (status != Inflater::Status::Ok) {
            m_inflateFailed = true;
            const bool size = status == Inflater::Status::SizeLimit;
            m_owner.wsAnomaly(
                m_dir, size ? AnomalyId::WsDeflateSizeLimit : AnomalyId::WsDeflateError,
                m_curInfo, m_frameOffset,
                size ? fmt::format("limit={} bytes", m_limits.inflatedBytesPerMessage)
                     : fmt::format("zlib: {}", m_inflater->error()));
        }
        return;
    }
    appendPrefix(m_msg.payload, unmasked);
}

void WsStream::onPayloadGap(std::uint64_t length, std::uint64_t payloadOffset) {
    (void)length;
    (void)payloadOffset;
    if (m_frameIsData && m_msgOpen) {
        m_msg.complete = false;
        if (m_msg.compressed && !m_inflateFailed) {
            m_inflater->abortMessage();
            m_inflateFailed = true;
        }
    }
}

void WsStream::onFrameEnd() {
    if (m_header.isControl()) {
        m_ctl.last = m_curInfo.time;
        m_ctl.lastPacket = m_curInfo.packet;
        m_owner.wsFrame(m_dir, m_header, m_frameOffset, m_frameStart, &m_ctl);
        return;
    }
    m_owner.wsFrame(m_dir, m_header, m_frameOffset, m_frameStart, nullptr);
    if (!m_frameIsData || !m_msgOpen) {
        return;
    }
    m_msg.wireLength += m_header.payloadLength;
    m_msg.last = m_curInfo.time;
    m_msg.lastPacket = m_curInfo.packet;
    if (m_header.fin) {
        finishMessage(m_msg.complete);
    }
}

void WsStream::finishMessage(bool complete) {
    m_msg.complete = complete;
    if (m_msg.compressed) {
        if (!m_inflateFailed && complete) {
            const auto status = m_inflater->finishMessage(
                [this](Bytes out) { appendPrefix(m_msg.payload, out); });
            if (status == Inflater::Status::Error) {
                m_owner.wsAnomaly(m_dir, AnomalyId::WsDeflateError, m_curInfo, m_msgOffset,
                                  fmt::format("zlib: {}", m_inflater->error()));
            }
        } else if (!m_inflateFailed) {
            m_inflater->abortMessage();
        }
        m_msg.length = m_inflater->messageBytes();
    } else {
        m_msg.length = m_msg.wireLength;
    }
    m_msgOpen = false;
    m_owner.wsMessage(m_dir, m_msg, m_msgOffset);
}

void WsStream::onDesync(std::uint64_t offset) {
    if (m_msgOpen) {
        finishMessage(false);
    }
    if (!m_quietDesync) {
        m_owner.wsAnomaly(m_dir, AnomalyId::WsFrameDesyncAfterGap, m_curInfo, offset,
                          fmt::format("frame boundary lost at offset {}", offset));
    }
}

void WsStream::onResync(std::uint64_t offset, std::uint64_t skipped) {
    if (!m_recognised) {
        // Midstream: the first frame found. Its header arrives in onFrameHeader right after;
        // its MASK bit tells which side is the client (RFC 6455 §5.1).
        m_recognised = true;
        m_pendingRecognition = true;
        return;
    }
    m_owner.wsAnomaly(m_dir, AnomalyId::WsFrameResynced, m_curInfo, offset,
                      fmt::format("skipped={} bytes", skipped));
}

} // namespace wst
