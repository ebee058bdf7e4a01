// SPDX-License-Identifier: MIT
#include "decoder/ws/ws_direction.h"

#include "decoder/ws/ws_detail.h"

#include <algorithm>
#include <cstring>
#include <fmt/format.h>

namespace wst {

using detail::asBytes;

namespace {
/// Most a message's payload string reserves on the strength of its first frame's announced
/// length; beyond it the string grows only with bytes actually seen (docs/limits.md).
constexpr std::uint64_t kReserveAhead = 1024 * 1024;
} // namespace

WsDirection::WsDirection(WsSession& session, Direction dir, const WsNegotiation& negotiation,
                         const Limits& limits)
    : m_session(session)
    , m_dir(dir)
    , m_handshakeSeen(negotiation.handshakeSeen)
    , m_deflate(negotiation.deflate)
    , m_prefixCap(limits.keepMessagePayloads ? limits.payloadPrefixBytes : 0)
    , m_controlCap(std::max<std::size_t>(125, limits.payloadPrefixBytes))
    , m_inflateCap(limits.inflatedBytesPerMessage)
    , m_parser(*this) {
    FrameExpectations exp;
    if (negotiation.handshakeSeen) {
        exp.masked = dir == Direction::ClientToServer; // RFC 6455 §5.1
    }
    exp.allowedRsv = (negotiation.deflate.enabled || !negotiation.handshakeSeen) ? 0x4 : 0x0;
    m_parser.setExpectations(exp);
}

WsDirection::~WsDirection() = default;

void WsDirection::report(AnomalyId id, std::string detail) {
    m_session.report(makeAnomaly(id, m_dir, m_at, m_frameOffset, std::move(detail)));
}

void WsDirection::feed(Bytes bytes, std::uint64_t offset, const SegmentInfo& at) {
    m_at = at;
    m_parser.feed(bytes, offset);
}

void WsDirection::onGap(std::uint64_t offset, std::uint64_t length, const SegmentInfo& at) {
    m_at = at;
    const bool wasDesynced = m_parser.desynced();
    if (!m_parser.onGap(length) && !wasDesynced) {
        m_session.report(makeAnomaly(AnomalyId::WsFrameDesyncAfterGap, m_dir, at, offset,
                                     fmt::format("expected=a frame boundary after the {}-byte "
                                                 "gap at offset {}, found=none known; scanning "
                                                 "for a plausible frame header",
                                                 length, offset)));
    }
}

void WsDirection::end(const SegmentInfo& at) {
    if (m_ended) {
        return;
    }
    m_ended = true;
    m_at = at;
    if (m_frameActive) {
        emitFrame(false);
    }
    if (m_msgOpen) {
        emitMessage(false);
    }
}

// ---- frame rules -------------------------------------------------------------------------

void WsDirection::onFrameHeader(const FrameHeader& h, std::uint64_t offset) {
    m_frame = h;
    m_frameOffset = offset;
    m_frameStart = m_at;
    m_frameActive = true;
    m_frameBroken = false;
    m_httpCandidate = detail::looksLikeHttpStart(h);
    m_control.clear();
    if (m_control.capacity() > 4096) {
        m_control.shrink_to_fit(); // an oversized control frame leaves no big buffer behind
    }
    if (!m_httpCandidate) {
        checkHeader(h);
    }

    if (h.isReservedOpcode()) {
        m_kind = Kind::Reserved;
    } else if (h.isControl()) {
        m_kind = Kind::Control;
    } else if (h.opcode == 0x0) {
        if (m_msgOpen) {
            m_kind = Kind::Continuation;
            ++m_msg.frames;
        } else {
            m_kind = Kind::Orphan;
            report(AnomalyId::WsFrameContinuationWithoutStart,
                   "expected=a text or binary frame to start the message (RFC 6455 §5.4), "
                   "found=continuation frame with no message open");
        }
    } else {
        if (m_msgOpen) {
            report(AnomalyId::WsFrameInterleavedMessage,
                   fmt::format("expected=continuation of the open {} message (RFC 6455 §5.4), "
                               "found={} frame starting a new message",
                               opcodeName(m_msg.opcode), opcodeName(h.opcode)));
            emitMessage(false);
        }
        m_kind = Kind::Start;
        startMessage(h);
    }
    if (!m_httpCandidate) {
        checkRsv(h);
    }
    // else: "HT" may start "HTTP/1." — the header rules wait for the next five bytes, so that
    // HTTP text is reported as such and not as a fragmented, compressed Close.
}

void WsDirection::runDeferredChecks() {
    if (m_httpCandidate) {
        m_httpCandidate = false;
        checkHeader(m_frame);
        checkRsv(m_frame);
    }
}

// ---- messages ----------------------------------------------------------------------------

void WsDirection::startMessage(const FrameHeader& h) {
    m_msgOpen = true;
    m_msgOffset = m_frameOffset;
    m_msgBroken = false;
    m_msg.connection = m_session.connection();
    m_msg.direction = m_dir;
    m_msg.opcode = h.opcode;
    // RSV1 marks a compressed message (RFC 7692 §6) only where permessage-deflate was
    // negotiated, or may have been (the handshake was not captured). On a connection whose
    // handshake negotiated no extension, RSV1 is a protocol error (ws_frame_rsv_without_extension)
    // and says nothing about the payload: it is kept exactly as sent, never inflated.
    m_msg.compressed = (h.rsv & 0x4) != 0 && (!m_handshakeSeen || m_deflate.enabled);
    m_msg.complete = true;
    m_msg.validText = false;
    m_msg.frames = 1;
    m_msg.wireLength = 0;
    m_msg.length = 0;
    m_msg.first = m_frameStart.time;
    m_msg.firstPacket = m_frameStart.packet;
    m_msg.last = m_at.time;
    m_msg.lastPacket = m_at.packet;
    m_msg.payload.clear();
    if (!m_msg.compressed) {
        // The first frame's length is the usual size of the whole message: one allocation
        // instead of a string growing by doubling (its capacity is released after big messages).
        // The length comes from the capture, so it is trusted only up to kReserveAhead; past
        // that the string grows with the bytes that actually arrive (issue 21: a frame
        // announcing 2^62 bytes with a large --max-payload-prefix must not allocate them).
        m_msg.payload.reserve(static_cast<std::size_t>(
            std::min<std::uint64_t>({h.payloadLength, m_prefixCap, kReserveAhead})));
    }
    m_inflating = m_msg.compressed;
    m_utf8.reset();
    m_utf8Done = h.opcode != 0x1;
    if (m_msg.compressed && m_session.inflateBudgets().spent()) {
        // docs/limits.md: past the inflate budget a connection's compressed messages are
        // counted (frames, wire length), never decompressed.
        m_inflating = false;
        m_utf8Done = true;
        m_session.noteInflateBudgetSpent(m_dir, m_at, m_frameOffset);
        if (m_inflater) {
            m_inflater->abortMessage();
        }
        return;
    }
    if (m_msg.compressed && !m_inflater) {
        // Without negotiated parameters, assume the largest window and context takeover.
        m_inflater = std::make_unique<Inflater>(m_deflate.enabled ? m_deflate : DeflateParams{},
                                                m_dir, m_inflateCap, m_session.inflateBudgets());
    }
}

bool WsDirection::inflateTrusted() const {
    return m_handshakeSeen && m_deflate.enabled && !m_contextLost && m_inflater &&
           m_inflater->contextIntact();
}

bool WsDirection::textNeedsBytes() const {
    // Compressed text is validated on the inflated bytes, which inflate() passes on.
    return !m_utf8Done && !m_msgBroken;
}

std::uint64_t WsDirection::payloadWanted(const FrameHeader& h) {
    switch (m_kind) {
    case Kind::Control:
        return std::min<std::uint64_t>(h.payloadLength, m_controlCap);
    case Kind::Start:
    case Kind::Continuation:
        if (m_inflating || (textNeedsBytes() && !m_msg.compressed)) {
            return h.payloadLength;
        }
        if (m_msg.compressed) {
            return 0; // inflation stopped: the compressed bytes are only counted
        }
        // Binary, or text with a verdict: only the part that still fits the prefix.
        return std::min<std::uint64_t>(h.payloadLength, m_prefixCap - m_msg.payload.size());
    case Kind::Orphan:
    case Kind::Reserved:
        return 0;
    }
    return 0;
}

void WsDirection::onPayload(Bytes bytes, std::uint64_t /*payloadOffset*/) {
    if (m_kind == Kind::Control) {
        const std::size_t room = m_controlCap - m_control.size();
        m_control.append(reinterpret_cast<const char*>(bytes.data()), std::min(room, bytes.size()));
        if (m_httpCandidate && m_control.size() >= 5) {
            if (m_control.compare(0, 5, "TP/1.") != 0) {
                runDeferredChecks(); // a real (if odd) frame after all
            } else {
                m_httpCandidate = false;
                // An HTTP response written into the WebSocket stream (hijack_http_in_websocket):
                // not a frame.
                report(AnomalyId::HijackHttpInWebSocket,
                       "expected=a frame header, found=\"HTTP/1.\" (HTTP text written after "
                       "the 101); scanning for the next plausible frame header");
                m_frameActive = false; // not a frame: no frame record for it
                m_parser.requestDesync();
            }
        }
        return;
    }
    if (m_kind != Kind::Start && m_kind != Kind::Continuation) {
        return;
    }
    m_msg.wireLength += bytes.size();
    if (m_inflating) {
        inflate(bytes);
    } else if (!m_msg.compressed) {
        appendDecoded(bytes);
    }
}

void WsDirection::onPayloadSkipped(std::uint64_t length, std::uint64_t /*payloadOffset*/) {
    if (m_kind == Kind::Start || m_kind == Kind::Continuation) {
        m_msg.wireLength += length;
        if (!m_msg.compressed) {
            m_msg.length += length;
        }
    }
}

void WsDirection::onPayloadGap(std::uint64_t length, std::uint64_t /*payloadOffset*/) {
    m_frameBroken = true;
    if (m_kind == Kind::Start || m_kind == Kind::Continuation) {
        m_msg.wireLength += length;
        if (!m_msg.compressed) {
            m_msg.length += length;
        }
        m_msgBroken = true;
        if (m_inflating) {
            m_inflating = false;
            m_inflater->abortMessage();
        }
    }
}

void WsDirection::appendDecoded(Bytes bytes) {
    m_msg.length += bytes.size();
    if (textNeedsBytes() && !m_utf8.feed(bytes)) {
        m_utf8Done = true;
        if (!m_msg.compressed || inflateTrusted()) {
            const std::uint64_t at = m_utf8.position();
            report(AnomalyId::WsFrameInvalidUtf8,
                   fmt::format("expected=UTF-8 text (RFC 6455 §8.1), found=invalid sequence at "
                               "{}message byte {}",
                               m_msg.compressed ? "decompressed " : "", at));
        }
    }
    const std::size_t room = m_prefixCap - std::min(m_prefixCap, m_msg.payload.size());
    m_msg.payload.append(reinterpret_cast<const char*>(bytes.data()), std::min(room, bytes.size()));
}

void WsDirection::inflate(Bytes compressed) {
    onInflateStatus(m_inflater->feed(compressed, [this](Bytes out) { appendDecoded(out); }));
}

void WsDirection::onInflateStatus(Inflater::Status status) {
    if (status == Inflater::Status::Ok) {
        return;
    }
    m_inflating = false;
    m_utf8Done = true; // the text is not all there: no UTF-8 verdict beyond this point
    if (status == Inflater::Status::SizeLimit) {
        report(AnomalyId::WsDeflateSizeLimit,
               fmt::format("expected=at most {} decompressed bytes per message "
                           "(Limits::inflatedBytesPerMessage), found=more from {} compressed "
                           "bytes; the rest is not decompressed",
                           m_inflateCap, m_msg.wireLength));
    } else if (status == Inflater::Status::Budget) {
        m_session.noteInflateBudgetSpent(m_dir, m_at, m_frameOffset);
    } else if (inflateTrusted()) {
        // With a lost window (mid-stream start, an earlier failure, no negotiation) an error
        // proves nothing about the sender.
        report(AnomalyId::WsDeflateError,
               fmt::format("expected=valid DEFLATE data (RFC 7692 §7.2.2), found=zlib error "
                           "\"{}\"",
                           m_inflater->error()));
    }
}

void WsDirection::finishMessage() {
    if (m_inflating) {
        const bool trusted = inflateTrusted();
        const auto status = m_inflater->finishMessage([this](Bytes out) { appendDecoded(out); });
        if (status == Inflater::Status::Error && trusted) {
            m_inflating = false;
            m_utf8Done = true;
            report(AnomalyId::WsDeflateError,
                   fmt::format("expected=valid DEFLATE data (RFC 7692 §7.2.2), found=zlib error "
                               "\"{}\" at the end of the message",
                               m_inflater->error()));
        } else {
            onInflateStatus(status);
        }
        m_inflating = false;
    } else if (m_msg.compressed && m_inflater) {
        m_inflater->abortMessage();
    }
    if (!m_utf8Done && !m_msgBroken) {
        if (m_utf8.finish()) {
            m_msg.validText = true; // every byte of the text was seen and is UTF-8
        } else {
            m_utf8Done = true;
            if (!m_msg.compressed || inflateTrusted()) {
                report(AnomalyId::WsFrameInvalidUtf8,
                       fmt::format("expected=UTF-8 text (RFC 6455 §8.1), found=a sequence cut "
                                   "at the end of the message ({} bytes)",
                                   m_utf8.position()));
            }
        }
    }
    emitMessage(true);
}

// ---- control frames ----------------------------------------------------------------------

void WsDirection::finishControl() {
    const Bytes payload = asBytes(m_control);
    if (m_frame.opcode == 0x8) {
        checkClose();
        if (!m_closeSent) {
            m_closeSent = true;
            m_closeTime = m_frameStart.time;
            m_closePacket = m_frameStart.packet;
        }
    } else if (m_frame.opcode == 0x9 && m_frame.fin && m_frame.rsv == 0 &&
               m_frame.payloadLength <= 125 && !m_frameBroken) {
        // Only a valid ping asks for a pong: a receiver must fail the connection on a broken
        // one (RFC 6455 §5.5), which is reported already.
        m_session.onPing(m_dir, payload, m_frameOffset, m_frameStart);
    } else if (m_frame.opcode == 0xA) {
        m_session.onPong(m_dir, payload);
    }
}

// ---- frame ends --------------------------------------------------------------------------

void WsDirection::onFrameEnd() {
    switch (m_kind) {
    case Kind::Control:
        finishControl();
        emitFrame(true);
        {
            Message m;
            m.connection = m_session.connection();
            m.direction = m_dir;
            m.opcode = m_frame.opcode;
            m.complete = !m_frameBroken;
            m.frames = 1;
            m.wireLength = m_frame.payloadLength;
            m.length = m_frame.payloadLength;
            m.first = m_frameStart.time;
            m.firstPacket = m_frameStart.packet;
            m.last = m_at.time;
            m.lastPacket = m_at.packet;
            m.payload.assign(m_control, 0, std::min(m_control.size(), m_prefixCap));
            m_session.observer().onWsMessage(m, m_frameOffset);
        }
        break;
    case Kind::Start:
    case Kind::Continuation:
        m_msg.last = m_at.time;
        m_msg.lastPacket = m_at.packet;
        emitFrame(true);
        if (m_frame.fin) {
            finishMessage();
        }
        break;
    case Kind::Orphan:
    case Kind::Reserved:
        emitFrame(true);
        break;
    }
}

void WsDirection::emitFrame(bool complete) {
    runDeferredChecks(); // a frame cut before its fifth payload byte
    m_frameActive = false;
    WsFrame f;
    f.direction = m_dir;
    f.header = m_frame;
    f.streamOffset = m_frameOffset;
    f.first = m_frameStart.time;
    f.firstPacket = m_frameStart.packet;
    f.last = m_at.time;
    f.lastPacket = m_at.packet;
    f.complete = complete && !m_frameBroken;
    if (m_kind == Kind::Control) {
        f.controlPayload = asBytes(m_control);
        if (m_frame.opcode == 0x8 && m_control.size() >= 2) {
            f.closeCode =
                static_cast<std::uint16_t>((static_cast<std::uint8_t>(m_control[0]) << 8) |
                                           static_cast<std::uint8_t>(m_control[1]));
            f.closeReason = std::string_view(m_control).substr(2);
        }
    }
    m_session.observer().onWsFrame(f);
}

void WsDirection::emitMessage(bool complete) {
    if (m_inflating) {
        m_inflating = false;
        m_inflater->abortMessage();
    }
    m_msgOpen = false;
    m_msg.complete = complete && !m_msgBroken;
    if (!complete) {
        m_msg.last = m_at.time;
        m_msg.lastPacket = m_at.packet;
    }
    m_session.observer().onWsMessage(m_msg, m_msgOffset);
    m_msg.payload.clear();
    if (m_msg.payload.capacity() > 4096) {
        m_msg.payload.shrink_to_fit(); // idle connections keep no big buffers
    }
}

// ---- gaps and resynchronisation ----------------------------------------------------------

void WsDirection::onDesync(std::uint64_t /*offset*/) {
    if (m_frameActive) {
        emitFrame(false);
    }
    if (m_msgOpen) {
        emitMessage(false);
    }
    if (!m_deflate.noContextTakeover(m_dir)) {
        // Whole messages may be lost: the shared LZ77 window is no longer known (RFC 7692
        // §7.2.3), so later decompression failures prove nothing.
        m_contextLost = true;
    }
}

void WsDirection::onResync(std::uint64_t offset, std::uint64_t skipped) {
    m_session.report(makeAnomaly(AnomalyId::WsFrameResynced, m_dir, m_at, offset,
                                 fmt::format("expected=frame headers back to back, found=a "
                                             "plausible header at offset {} after skipping {} "
                                             "bytes",
                                             offset, skipped)));
}

} // namespace wst
