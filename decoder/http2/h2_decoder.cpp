// SPDX-License-Identifier: MIT
#include "decoder/http2/h2_decoder.h"

#include <algorithm>
#include <cstring>
#include <fmt/format.h>

namespace wst::h2 {
namespace {

std::uint32_t be32(const std::uint8_t* b) {
    return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) |
           b[3];
}

const std::uint8_t* bytesOf(const std::string& s) {
    return reinterpret_cast<const std::uint8_t*>(s.data());
}

} // namespace

struct Http2Decoder::Side {
    enum class State : std::uint8_t { Preface, Header, Payload, Data, Skip, Stopped };

    Side(Direction d, std::size_t maxList)
        : dir(d)
        , hpack(maxList) {}

    Direction dir;
    State state = State::Header;
    std::string preface; ///< the preface bytes still expected (client only)
    std::size_t prefaceSeen = 0;

    std::array<std::uint8_t, FrameHeader::kSize> hdr{};
    std::size_t hdrLen = 0;
    std::uint64_t frameOffset = 0;
    SegmentInfo frameAt;
    FrameAt cur;
    std::uint32_t left = 0; ///< payload bytes of the current frame still to come
    std::string payload;    ///< State::Payload: the buffered payload
    std::uint64_t prefaceOffset = 0;

    // State::Data
    bool padLengthPending = false;
    std::uint32_t dataLeft = 0; ///< data bytes still to come (padding excluded)

    /// What the receiver (the other side) allows: SETTINGS_MAX_FRAME_SIZE (RFC 9113 §4.2).
    std::uint32_t maxFrameSize = kDefaultMaxFrameSize;
    HpackDecoder hpack; ///< decodes this side's header blocks

    // The header block in progress (RFC 9113 §4.3: HEADERS/PUSH_PROMISE then CONTINUATION).
    bool inBlock = false;
    FrameAt blockFrame;
    bool blockEndStream = false;
    std::uint32_t continuations = 0;
    std::size_t blockBytes = 0;
    bool blockTooLargeReported = false;

    std::uint32_t unackedSettings = 0; ///< SETTINGS this side sent, not yet acknowledged
    bool floodReported = false;
};

Http2Decoder::Http2Decoder(const Limits& limits, Http2Observer& observer,
                           std::string_view clientPreface)
    : m_limits(limits)
    , m_observer(observer) {
    for (const Direction d : {Direction::ClientToServer, Direction::ServerToClient}) {
        m_sides[index(d)] = std::make_unique<Side>(d, limits.httpHeadBytes);
    }
    Side& c = *m_sides[index(Direction::ClientToServer)];
    if (!clientPreface.empty()) {
        c.preface.assign(clientPreface);
        c.state = Side::State::Preface;
    }
}

Http2Decoder::~Http2Decoder() = default;

bool Http2Decoder::stopped(Direction d) const {
    return m_sides[index(d)]->state == Side::State::Stopped;
}

void Http2Decoder::anomaly(Side& s, AnomalyId id, std::uint64_t offset, const SegmentInfo& at,
                           std::string detail) {
    m_observer.onAnomaly(makeAnomaly(id, s.dir, at, offset, std::move(detail)));
}

void Http2Decoder::malformed(Side& s, std::string detail) {
    anomaly(s, AnomalyId::H2FrameMalformed, s.cur.offset, s.cur.at,
            fmt::format("{} frame on stream {}: {}", frameTypeName(s.cur.header.type),
                        s.cur.header.streamId, detail));
}

void Http2Decoder::stop(Side& s) {
    s.state = Side::State::Stopped;
    s.payload.clear();
    s.payload.shrink_to_fit();
}

void Http2Decoder::feed(Direction d, Bytes bytes, std::uint64_t offset, const SegmentInfo& at) {
    Side& s = *m_sides[index(d)];
    while (!bytes.empty() && s.state != Side::State::Stopped) {
        step(s, bytes, offset, at);
    }
}

void Http2Decoder::step(Side& s, Bytes& bytes, std::uint64_t& offset, const SegmentInfo& at) {
    const auto advance = [&](std::size_t n) {
        bytes = bytes.subspan(n);
        offset += n;
    };
    switch (s.state) {
    case Side::State::Preface: {
        if (s.prefaceSeen == 0) {
            s.prefaceOffset = offset;
        }
        const std::size_t n = std::min(bytes.size(), s.preface.size() - s.prefaceSeen);
        if (std::memcmp(bytes.data(), s.preface.data() + s.prefaceSeen, n) != 0) {
            // RFC 9113 §3.4: anything else is a connection error; nothing after it is HTTP/2.
            anomaly(s, AnomalyId::H2PrefaceInvalid, s.prefaceOffset, at,
                    fmt::format("expected=\"{}\" (the client connection preface), found other "
                                "bytes; the client direction is not decoded further",
                                s.preface.size() == kClientPreface.size() ? "PRI * HTTP/2.0…"
                                                                          : "SM\\r\\n\\r\\n"));
            stop(s);
            return;
        }
        s.prefaceSeen += n;
        advance(n);
        if (s.prefaceSeen == s.preface.size()) {
            s.state = Side::State::Header;
        }
        return;
    }
    case Side::State::Header: {
        if (s.hdrLen == 0) {
            s.frameOffset = offset;
            s.frameAt = at;
        }
        const std::size_t n = std::min(bytes.size(), FrameHeader::kSize - s.hdrLen);
        std::memcpy(s.hdr.data() + s.hdrLen, bytes.data(), n);
        s.hdrLen += n;
        advance(n);
        if (s.hdrLen == FrameHeader::kSize) {
            s.hdrLen = 0;
            frameStart(s);
        }
        return;
    }
    case Side::State::Payload: {
        const std::size_t n = std::min<std::size_t>(bytes.size(), s.left);
        s.payload.append(reinterpret_cast<const char*>(bytes.data()), n);
        s.left -= static_cast<std::uint32_t>(n);
        advance(n);
        if (s.left == 0) {
            s.state = Side::State::Header;
            framePayload(s, at);
        }
        return;
    }
    case Side::State::Data: {
        if (s.padLengthPending) {
            // RFC 9113 §6.1: Pad Length, then data, then that many padding octets.
            const std::uint8_t pad = bytes[0];
            advance(1);
            --s.left;
            s.padLengthPending = false;
            if (pad > s.left) {
                malformed(s, fmt::format("pad length {} exceeds the {} payload bytes after it "
                                         "(PROTOCOL_ERROR, RFC 9113 §6.1)",
                                         pad, s.left));
                s.dataLeft = s.left;
            } else {
                s.dataLeft = s.left - pad;
            }
            if (s.left == 0) {
                s.state = Side::State::Header;
                m_observer.onDataEnd(s.cur, at);
            }
            return;
        }
        const std::size_t n = std::min<std::size_t>(bytes.size(), s.left);
        const std::size_t data = std::min<std::size_t>(n, s.dataLeft);
        if (data > 0) {
            m_observer.onData(s.cur, bytes.first(data), offset, at);
            s.dataLeft -= static_cast<std::uint32_t>(data);
        }
        s.left -= static_cast<std::uint32_t>(n);
        advance(n);
        if (s.left == 0) {
            s.state = Side::State::Header;
            m_observer.onDataEnd(s.cur, at);
        }
        return;
    }
    case Side::State::Skip: {
        const std::size_t n = std::min<std::size_t>(bytes.size(), s.left);
        s.left -= static_cast<std::uint32_t>(n);
        advance(n);
        if (s.left == 0) {
            s.state = Side::State::Header;
        }
        return;
    }
    case Side::State::Stopped:
        advance(bytes.size());
        return;
    }
}

void Http2Decoder::frameStart(Side& s) {
    const FrameHeader h = FrameHeader::parse(s.hdr.data());
    s.cur = FrameAt{s.dir, h, s.frameOffset, s.frameAt};
    ++m_frames[index(s.dir)][std::min<std::size_t>(h.type, kKnownFrameTypes)];
    m_observer.onFrame(s.cur);
    const auto type = static_cast<FrameType>(h.type);
    const bool blockFrame = type == FrameType::Headers || type == FrameType::PushPromise ||
                            type == FrameType::Continuation;
    if (s.inBlock && type != FrameType::Continuation) {
        // RFC 9113 §6.10: nothing may come between a header block's frames. The HPACK context
        // is mid-block: this direction cannot be decoded further.
        malformed(s, fmt::format("expected=CONTINUATION of the header block of stream {}, "
                                 "found={} (PROTOCOL_ERROR, RFC 9113 §6.10); the direction is "
                                 "not decoded further",
                                 s.blockFrame.header.streamId, frameTypeName(h.type)));
        stop(s);
        return;
    }
    if (h.length > s.maxFrameSize) {
        anomaly(s, AnomalyId::H2FrameTooLarge, s.cur.offset, s.cur.at,
                fmt::format("{} frame on stream {}: expected=length ≤ {} "
                            "(SETTINGS_MAX_FRAME_SIZE), found={}",
                            frameTypeName(h.type), h.streamId, s.maxFrameSize, h.length));
    }
    s.left = h.length;
    if (type == FrameType::Data) {
        if (h.streamId == 0) {
            malformed(s, "DATA on stream 0 (PROTOCOL_ERROR, RFC 9113 §6.1)");
            s.state = h.length ? Side::State::Skip : Side::State::Header;
            return;
        }
        s.padLengthPending = h.has(flag::Padded);
        s.dataLeft = h.length;
        if (h.length == 0) {
            if (s.padLengthPending) {
                malformed(s, "PADDED with no Pad Length octet (FRAME_SIZE_ERROR)");
            }
            m_observer.onDataEnd(s.cur, s.cur.at);
            return;
        }
        s.state = Side::State::Data;
        return;
    }
    if (h.length > kMaxBufferedPayload) {
        if (blockFrame) {
            anomaly(s, AnomalyId::H2FrameTooLarge, s.cur.offset, s.cur.at,
                    fmt::format("{} frame of {} bytes is larger than wstrace buffers ({}); its "
                                "header block cannot be decoded, so the direction stops",
                                frameTypeName(h.type), h.length, kMaxBufferedPayload));
            stop(s);
            return;
        }
        s.state = Side::State::Skip; // framing holds: skip the payload
        return;
    }
    s.payload.clear();
    if (h.length == 0) {
        framePayload(s, s.cur.at);
        return;
    }
    s.state = Side::State::Payload;
}

void Http2Decoder::headerFragment(Side& s, Bytes fragment, bool endHeaders) {
    s.blockBytes += fragment.size();
    if (!s.blockTooLargeReported &&
        (s.blockBytes > m_limits.httpHeadBytes || s.continuations > kMaxContinuations)) {
        s.blockTooLargeReported = true;
        anomaly(s, AnomalyId::H2HeaderBlockTooLarge, s.cur.offset, s.cur.at,
                fmt::format("header block of stream {}: expected=at most {} CONTINUATION frames "
                            "and {} bytes, found={} CONTINUATION frames and {} bytes so far; "
                            "decoded to keep HPACK in step, fields past the bound dropped",
                            s.blockFrame.header.streamId, kMaxContinuations, m_limits.httpHeadBytes,
                            s.continuations, s.blockBytes));
    }
    if (!s.hpack.feed(fragment, endHeaders)) {
        anomaly(s, AnomalyId::H2HpackError, s.cur.offset, s.cur.at,
                fmt::format("header block of stream {}: {} (a table size update above the "
                            "receiver's SETTINGS_HEADER_TABLE_SIZE is one); dynamic table at {} "
                            "bytes; the direction is not decoded further (COMPRESSION_ERROR, RFC "
                            "9113 §4.3)",
                            s.blockFrame.header.streamId, s.hpack.error(), s.hpack.tableSize()));
        stop(s);
        return;
    }
    if (!endHeaders) {
        return;
    }
    s.inBlock = false;
    if (s.hpack.overflowed() && !s.blockTooLargeReported) {
        anomaly(s, AnomalyId::H2HeaderBlockTooLarge, s.blockFrame.offset, s.blockFrame.at,
                fmt::format("header block of stream {}: decoded list larger than {} bytes or {} "
                            "fields (SETTINGS_MAX_HEADER_LIST_SIZE measure); the rest dropped",
                            s.blockFrame.header.streamId, m_limits.httpHeadBytes,
                            HpackDecoder::kMaxFields));
    }
    m_observer.onHeaders(s.blockFrame, s.hpack.fields(), s.blockEndStream);
}

void Http2Decoder::applySettings(Side& s, std::span<const Setting> settings) {
    Side& other = *m_sides[index(opposite(s.dir))];
    for (const Setting& st : settings) {
        switch (st.id) {
        case setting::HeaderTableSize:
            other.hpack.setMaxTableSize(st.value); // the limit for the other side's encoder
            break;
        case setting::MaxFrameSize:
            if (st.value < kDefaultMaxFrameSize || st.value > kLargestMaxFrameSize) {
                malformed(s, fmt::format("SETTINGS_MAX_FRAME_SIZE={} outside {}..{} "
                                         "(PROTOCOL_ERROR, RFC 9113 §6.5.2)",
                                         st.value, kDefaultMaxFrameSize, kLargestMaxFrameSize));
            } else {
                other.maxFrameSize = st.value;
            }
            break;
        case setting::InitialWindowSize:
            if (st.value > 0x7fffffffu) {
                malformed(s, fmt::format("SETTINGS_INITIAL_WINDOW_SIZE={} above 2^31-1 "
                                         "(FLOW_CONTROL_ERROR, RFC 9113 §6.5.2)",
                                         st.value));
            }
            break;
        case setting::EnablePush:
        case setting::EnableConnectProtocol:
            if (st.value > 1) {
                malformed(s, fmt::format("{}={}: only 0 or 1 are allowed (PROTOCOL_ERROR)",
                                         settingName(st.id), st.value));
            }
            break;
        default:
            break;
        }
    }
}

void Http2Decoder::framePayload(Side& s, const SegmentInfo& at) {
    (void)at;
    const FrameHeader& h = s.cur.header;
    const auto type = static_cast<FrameType>(h.type);
    const std::uint8_t* p = bytesOf(s.payload);
    const std::size_t n = s.payload.size();
    switch (type) {
    case FrameType::Data:
        return; // streamed in step()
    case FrameType::Headers:
    case FrameType::PushPromise: {
        if (h.streamId == 0) {
            malformed(s, "a header block on stream 0 (PROTOCOL_ERROR, RFC 9113 §6.2)");
        }
        std::size_t begin = 0;
        std::size_t pad = 0;
        if (h.has(flag::Padded)) {
            if (n < 1) {
                malformed(s, "PADDED with no Pad Length octet (FRAME_SIZE_ERROR)");
                stop(s);
                return;
            }
            pad = p[0];
            begin = 1;
        }
        if (type == FrameType::Headers && h.has(flag::Priority)) {
            begin += 5; // RFC 9113 §6.2: Exclusive, Stream Dependency, Weight (deprecated)
        }
        if (type == FrameType::PushPromise) {
            begin += 4; // Promised Stream ID
        }
        if (begin + pad > n) {
            malformed(s, fmt::format("padding and fields of {} bytes exceed the {}-byte "
                                     "payload (PROTOCOL_ERROR, RFC 9113 §6.2)",
                                     begin + pad, n));
            stop(s); // the block's bytes are unknown: HPACK cannot continue
            return;
        }
        s.inBlock = true;
        s.blockFrame = s.cur;
        s.blockEndStream = type == FrameType::Headers && h.has(flag::EndStream);
        s.continuations = 0;
        s.blockBytes = 0;
        s.blockTooLargeReported = false;
        headerFragment(s, Bytes(p + begin, n - begin - pad), h.has(flag::EndHeaders));
        return;
    }
    case FrameType::Continuation:
        if (!s.inBlock || h.streamId != s.blockFrame.header.streamId) {
            malformed(s, s.inBlock ? fmt::format("expected=CONTINUATION of stream {}, found "
                                                 "stream {} (PROTOCOL_ERROR, RFC 9113 §6.10)",
                                                 s.blockFrame.header.streamId, h.streamId)
                                   : std::string("CONTINUATION without a header block before it "
                                                 "(PROTOCOL_ERROR, RFC 9113 §6.10)"));
            if (s.inBlock) {
                stop(s);
            }
            return;
        }
        ++s.continuations;
        headerFragment(s, Bytes(p, n), h.has(flag::EndHeaders));
        return;
    case FrameType::Priority:
        if (n != 5 || h.streamId == 0) {
            malformed(s, fmt::format("expected=5 bytes on a stream, found={} bytes on stream "
                                     "{} (RFC 9113 §6.3)",
                                     n, h.streamId));
        }
        return;
    case FrameType::RstStream:
        if (n != 4 || h.streamId == 0) {
            malformed(s, fmt::format("expected=4 bytes on a stream, found={} bytes on stream "
                                     "{} (RFC 9113 §6.4)",
                                     n, h.streamId));
            return;
        }
        m_observer.onRstStream(s.cur, be32(p));
        return;
    case FrameType::Settings: {
        if (h.streamId != 0) {
            malformed(s, "SETTINGS on a stream (PROTOCOL_ERROR, RFC 9113 §6.5)");
            return;
        }
        if (h.has(flag::Ack)) {
            if (n != 0) {
                malformed(s, fmt::format("SETTINGS ACK with {} payload bytes (FRAME_SIZE_ERROR, "
                                         "RFC 9113 §6.5)",
                                         n));
            }
            Side& other = *m_sides[index(opposite(s.dir))];
            if (other.unackedSettings > 0) {
                --other.unackedSettings;
            }
            m_observer.onSettings(s.cur, {});
            return;
        }
        if (n % 6 != 0) {
            malformed(s, fmt::format("length {} is not a multiple of 6 (FRAME_SIZE_ERROR, RFC "
                                     "9113 §6.5)",
                                     n));
            return;
        }
        if (++s.unackedSettings > kMaxUnackedSettings && !s.floodReported) {
            s.floodReported = true;
            anomaly(s, AnomalyId::H2SettingsFlood, s.cur.offset, s.cur.at,
                    fmt::format("expected=at most {} SETTINGS frames awaiting an ACK, found={}; "
                                "each one makes the peer queue an acknowledgement",
                                kMaxUnackedSettings, s.unackedSettings));
        }
        std::vector<Setting> settings;
        settings.reserve(n / 6);
        for (std::size_t i = 0; i + 6 <= n; i += 6) {
            settings.push_back(
                {static_cast<std::uint16_t>((p[i] << 8) | p[i + 1]), be32(p + i + 2)});
        }
        applySettings(s, settings);
        m_observer.onSettings(s.cur, settings);
        return;
    }
    case FrameType::Ping:
        if (n != 8 || h.streamId != 0) {
            malformed(s, fmt::format("expected=8 bytes on stream 0, found={} bytes on stream {} "
                                     "(RFC 9113 §6.7)",
                                     n, h.streamId));
        }
        return;
    case FrameType::Goaway:
        if (n < 8 || h.streamId != 0) {
            malformed(s, fmt::format("expected=at least 8 bytes on stream 0, found={} bytes on "
                                     "stream {} (RFC 9113 §6.8)",
                                     n, h.streamId));
            return;
        }
        m_observer.onGoaway(s.cur, be32(p) & 0x7fffffffu, be32(p + 4),
                            std::string_view(s.payload).substr(8, 120));
        return;
    case FrameType::WindowUpdate: {
        if (n != 4) {
            malformed(
                s, fmt::format("expected=4 bytes, found={} (FRAME_SIZE_ERROR, RFC 9113 §6.9)", n));
            return;
        }
        const std::uint32_t inc = be32(p) & 0x7fffffffu;
        if (inc == 0) {
            malformed(s, "window increment 0 (PROTOCOL_ERROR, RFC 9113 §6.9)");
        }
        m_observer.onWindowUpdate(s.cur, inc);
        return;
    }
    }
    // Unknown frame types are ignored (RFC 9113 §4.1, §5.5).
}

void Http2Decoder::gap(Direction d, std::uint64_t offset, std::uint64_t length,
                       const SegmentInfo& at) {
    Side& s = *m_sides[index(d)];
    if (s.state == Side::State::Stopped) {
        return;
    }
    if (s.state == Side::State::Data && !s.padLengthPending && length <= s.left) {
        // Inside a DATA payload the framing holds: the frame's length says where the next one
        // starts.
        const std::uint64_t lostData = std::min<std::uint64_t>(length, s.dataLeft);
        if (lostData > 0) {
            m_observer.onDataGap(s.cur, offset, lostData, at);
            s.dataLeft -= static_cast<std::uint32_t>(lostData);
        }
        s.left -= static_cast<std::uint32_t>(length);
        if (s.left == 0) {
            s.state = Side::State::Header;
            m_observer.onDataEnd(s.cur, at);
        }
        return;
    }
    if (s.state == Side::State::Skip && length <= s.left) {
        s.left -= static_cast<std::uint32_t>(length);
        if (s.left == 0) {
            s.state = Side::State::Header;
        }
        return;
    }
    anomaly(s, AnomalyId::H2DesyncAfterGap, offset, at,
            fmt::format("{} bytes missing outside a DATA payload; HTTP/2 frames and HPACK cannot "
                        "be resynchronised, so the direction is not decoded further",
                        length));
    stop(s);
}

void Http2Decoder::end(Direction d, const SegmentInfo& at) {
    (void)at;
    Side& s = *m_sides[index(d)];
    if (s.state != Side::State::Stopped) {
        stop(s);
    }
}

} // namespace wst::h2
