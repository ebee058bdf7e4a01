// SPDX-License-Identifier: MIT
#include "decoder/ws/frame_parser.h"

#include "decoder/ws/unmask.h"

#include <algorithm>
#include <cstring>

namespace wst {

namespace {

/// Masked payloads are unmasked into a stack buffer of this size and handed over piecewise,
/// so a parser costs no heap memory per connection (STYLE.md practice 7).
constexpr std::size_t kScratchBytes = 8 * 1024;

} // namespace

std::size_t frameHeaderLength(std::uint8_t /*byte0*/, std::uint8_t byte1) {
    // RFC 6455 §5.2: 2 bytes, +2 or +8 for the extended length, +4 for the masking key.
    std::size_t n = 2;
    const std::uint8_t len7 = byte1 & 0x7f;
    if (len7 == 126) {
        n += 2;
    } else if (len7 == 127) {
        n += 8;
    }
    if ((byte1 & 0x80) != 0) {
        n += 4;
    }
    return n;
}

std::optional<FrameHeader> parseFrameHeader(Bytes bytes) {
    if (bytes.size() < 2) {
        return std::nullopt;
    }
    const std::size_t need = frameHeaderLength(bytes[0], bytes[1]);
    if (bytes.size() < need) {
        return std::nullopt;
    }
    FrameHeader h;
    h.fin = (bytes[0] & 0x80) != 0;
    h.rsv = static_cast<std::uint8_t>((bytes[0] >> 4) & 0x7);
    h.opcode = bytes[0] & 0x0f;
    h.masked = (bytes[1] & 0x80) != 0;
    h.headerLength = static_cast<std::uint8_t>(need);
    const std::uint8_t len7 = bytes[1] & 0x7f;
    std::size_t pos = 2;
    if (len7 < 126) {
        h.payloadLength = len7;
    } else if (len7 == 126) {
        h.payloadLength = (std::uint64_t{bytes[2]} << 8) | bytes[3];
        // RFC 6455 §5.2: "the minimal number of bytes MUST be used to encode the length".
        h.lengthNotMinimal = h.payloadLength < 126;
        pos = 4;
    } else {
        std::uint64_t v = 0;
        for (std::size_t i = 0; i < 8; ++i) {
            v = (v << 8) | bytes[2 + i];
        }
        // RFC 6455 §5.2: "the most significant bit MUST be 0".
        h.lengthMsbSet = (v >> 63) != 0;
        h.payloadLength = v;
        h.lengthNotMinimal = v <= 0xffff;
        pos = 10;
    }
    if (h.masked) {
        std::memcpy(h.maskKey.data(), bytes.data() + pos, 4);
    }
    return h;
}

FrameParser::FrameParser(FrameHandler& handler)
    : m_handler(handler) {}

bool FrameParser::midFrame() const {
    return m_inPayload || m_headerHave > 0;
}

void FrameParser::resync() {
    m_desynced = false;
    m_desyncRequested = false;
    m_inPayload = false;
    m_headerHave = 0;
    m_desyncSkipped = 0;
    m_strict = false;
    m_tail.clear();
    m_tail.shrink_to_fit(); // synchronised parsers hold no heap memory
}

void FrameParser::desync(std::uint64_t offset) {
    m_desynced = true;
    m_desyncRequested = false;
    m_inPayload = false;
    m_headerHave = 0;
    m_desyncSkipped = 0;
    m_desyncOffset = offset;
    m_tail.clear();
    m_handler.onDesync(offset);
}

void FrameParser::onGap() {
    if (!m_desynced) {
        desync(m_nextOffset);
    }
}

bool FrameParser::onGap(std::uint64_t length) {
    if (length == 0) {
        return !m_desynced;
    }
    if (m_desynced) {
        m_nextOffset += length;
        m_tail.clear(); // what follows is not contiguous with it
        m_desyncOffset = m_nextOffset;
        return false;
    }
    const std::uint64_t remaining = m_current.payloadLength - m_payloadDone;
    if (m_inPayload && length <= remaining) {
        // The lost bytes lie inside the payload: the next header's position is still known.
        m_handler.onPayloadGap(length, m_payloadDone);
        m_payloadDone += length;
        m_nextOffset += length;
        if (m_payloadDone == m_current.payloadLength) {
            endFrame();
        }
        return true;
    }
    desync(m_nextOffset);
    m_nextOffset += length;
    return false;
}

void FrameParser::feed(Bytes bytes, std::uint64_t offset) {
    m_nextOffset = offset + bytes.size();
    if (m_desynced && !m_tail.empty() && !bytes.empty()) {
        resumeFromTail(bytes, offset);
    }
    std::size_t pos = 0;
    while (pos < bytes.size()) {
        pos += step(bytes.subspan(pos), offset + pos);
    }
    if (m_desyncRequested) {
        desync(offset + pos);
    }
    if (m_desynced) {
        keepTail(bytes, offset);
    }
}

std::size_t FrameParser::step(Bytes bytes, std::uint64_t offset) {
    if (m_desyncRequested) {
        desync(offset);
    }
    if (m_desynced) {
        return scanForHeader(bytes, offset);
    }
    if (m_inPayload) {
        return consumePayload(bytes);
    }
    return consumeHeader(bytes, offset);
}

void FrameParser::resumeFromTail(Bytes bytes, std::uint64_t offset) {
    // Headers that start in the kept tail: look at them again now that more bytes follow.
    // Positions inside `bytes` are left to the normal scan.
    std::array<std::uint8_t, kScanTail + kScanPeek> buf;
    const std::size_t t = m_tail.size();
    const std::size_t peek = std::min(bytes.size(), kScanPeek);
    std::memcpy(buf.data(), m_tail.data(), t);
    std::memcpy(buf.data() + t, bytes.data(), peek);
    const Bytes combined(buf.data(), t + peek);
    for (std::size_t p = 0; p < t; ++p) {
        if (!isConfirmedFrameHeaderAt(combined, p, expectations(), peek == bytes.size())) {
            continue;
        }
        const std::uint64_t at = offset - t + p;
        const std::uint64_t skipped = m_desyncSkipped - (t - p);
        resync();
        m_handler.onResync(at, skipped);
        // Replay the tail from the header on; `bytes` follows through the normal path.
        const Bytes replay = combined.subspan(p, t - p);
        std::size_t pos = 0;
        while (pos < replay.size()) {
            pos += step(replay.subspan(pos), at + pos);
        }
        if (m_desynced || m_desyncRequested) {
            m_tail.clear(); // desynchronised again inside the replay: scan on from `bytes`
        }
        return;
    }
}

void FrameParser::keepTail(Bytes bytes, std::uint64_t offset) {
    // Only bytes scanned since the desync, contiguous with what is kept already.
    const std::uint64_t from = std::max(offset, m_desyncOffset);
    if (from >= offset + bytes.size()) {
        return;
    }
    Bytes scanned = bytes.subspan(static_cast<std::size_t>(from - offset));
    std::uint64_t scannedOffset = from;
    if (scanned.size() > kScanTail) {
        scannedOffset += scanned.size() - kScanTail;
        scanned = scanned.last(kScanTail);
    }
    if (m_tail.empty() || m_tailOffset + m_tail.size() != scannedOffset) {
        m_tail.clear();
        m_tailOffset = scannedOffset;
    }
    m_tail.reserve(2 * kScanTail);
    m_tail.insert(m_tail.end(), scanned.begin(), scanned.end());
    if (m_tail.size() > kScanTail) {
        const std::size_t drop = m_tail.size() - kScanTail;
        m_tail.erase(m_tail.begin(), m_tail.begin() + static_cast<std::ptrdiff_t>(drop));
        m_tailOffset += drop;
    }
}

std::size_t FrameParser::consumeHeader(Bytes bytes, std::uint64_t offset) {
    if (m_headerHave == 0) {
        m_headerOffset = offset;
        // Fast path: the whole header is in this chunk; parse it in place.
        if (auto h = parseFrameHeader(bytes)) {
            startFrame(*h);
            return h->headerLength;
        }
    }
    // Slow path: collect the header piecewise (at most 14 bytes are ever buffered).
    std::size_t used = 0;
    if (m_headerHave < 2) {
        const std::size_t take = std::min<std::size_t>(2u - m_headerHave, bytes.size());
        std::memcpy(m_headerBuf.data() + m_headerHave, bytes.data(), take);
        m_headerHave = static_cast<std::uint8_t>(m_headerHave + take);
        used += take;
        if (m_headerHave < 2) {
            return used;
        }
    }
    const std::size_t need = frameHeaderLength(m_headerBuf[0], m_headerBuf[1]);
    const std::size_t take = std::min(need - m_headerHave, bytes.size() - used);
    std::memcpy(m_headerBuf.data() + m_headerHave, bytes.data() + used, take);
    m_headerHave = static_cast<std::uint8_t>(m_headerHave + take);
    used += take;
    if (m_headerHave == need) {
        const auto h = parseFrameHeader(Bytes(m_headerBuf.data(), need));
        m_headerHave = 0;
        startFrame(*h);
    }
    return used;
}

void FrameParser::startFrame(const FrameHeader& h) {
    m_current = h;
    m_payloadDone = 0;
    m_inPayload = true;
    m_handler.onFrameHeader(h, m_headerOffset);
    if (h.lengthMsbSet) {
        // No real payload is that long; the framing is broken from here (RFC 6455 §5.2), and
        // what follows is a payload: resynchronise only on strong evidence.
        m_desyncRequested = true;
        m_strict = true;
        return;
    }
    m_payloadWanted = std::min(m_handler.payloadWanted(h), h.payloadLength);
    if (h.payloadLength == 0) {
        endFrame();
    }
}

void FrameParser::endFrame() {
    m_inPayload = false;
    m_handler.onFrameEnd();
}

std::size_t FrameParser::consumePayload(Bytes bytes) {
    if (m_desyncRequested) {
        return 0;
    }
    const std::uint64_t remaining = m_current.payloadLength - m_payloadDone;
    const std::size_t take =
        static_cast<std::size_t>(std::min<std::uint64_t>(remaining, bytes.size()));
    std::size_t used = 0;
    // The part the handler wants to see: unmasked, in chunks.
    if (m_payloadDone < m_payloadWanted) {
        const std::size_t shown = static_cast<std::size_t>(
            std::min<std::uint64_t>(m_payloadWanted - m_payloadDone, take));
        if (!m_current.masked) {
            m_handler.onPayload(bytes.first(shown), m_payloadDone);
            m_payloadDone += shown;
            used = shown;
        } else {
            std::array<std::uint8_t, kScratchBytes> scratch;
            while (used < shown && !m_desyncRequested) {
                const std::size_t n = std::min(kScratchBytes, shown - used);
                unmask(scratch.data(), bytes.data() + used, n, m_current.maskKey,
                       static_cast<std::uint8_t>(m_payloadDone & 3));
                m_handler.onPayload(Bytes(scratch.data(), n), m_payloadDone);
                m_payloadDone += n;
                used += n;
            }
        }
    }
    if (m_desyncRequested) {
        return used;
    }
    // The rest is counted, never unmasked.
    if (used < take) {
        m_handler.onPayloadSkipped(take - used, m_payloadDone);
        m_payloadDone += take - used;
        used = take;
    }
    if (m_payloadDone == m_current.payloadLength && !m_desyncRequested) {
        endFrame();
    }
    return used;
}

std::size_t FrameParser::scanForHeader(Bytes bytes, std::uint64_t offset) {
    const auto found = findPlausibleFrameHeader(bytes, expectations());
    if (!found) {
        m_desyncSkipped += bytes.size();
        return bytes.size();
    }
    const std::uint64_t skipped = m_desyncSkipped + *found;
    resync();
    m_handler.onResync(offset + *found, skipped);
    return *found;
}

} // namespace wst
