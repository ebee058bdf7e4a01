// SPDX-License-Identifier: MIT
#pragma once

#include "capture/core/limits.h"
#include "capture/core/types.h"
#include "decoder/http2/h2_frame.h"
#include "decoder/http2/hpack.h"
#include "decoder/model/anomaly.h"

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace wst::h2 {

/// Where a frame is: its direction, the stream offset of its first header byte and the packet
/// that carried that byte.
struct FrameAt {
    Direction direction = Direction::ClientToServer;
    FrameHeader header;
    std::uint64_t offset = 0;
    SegmentInfo at;
};

struct Setting {
    std::uint16_t id = 0;
    std::uint32_t value = 0;
};

/// What Http2Decoder finds, per direction in stream order. References are valid only during
/// the call.
class Http2Observer {
public:
    virtual ~Http2Observer() = default;
    /// Every frame whose header was read, before its payload is reported (counts, timeline).
    virtual void onFrame(const FrameAt&) {}
    virtual void onSettings(const FrameAt& f, std::span<const Setting> settings) = 0;
    /// A complete header block (HEADERS + CONTINUATION); `f` is the HEADERS frame. `overflowed`:
    /// fields past the bounds were dropped (h2_header_block_too_large was reported).
    virtual void onHeaders(const FrameAt& f, const std::vector<HeaderField>& fields,
                           bool endStream) = 0;
    /// DATA payload bytes of a stream (padding removed), in as many pieces as segments carried
    /// them; `offset` is the connection stream offset of the first byte, `at` its packet.
    virtual void onData(const FrameAt& f, Bytes data, std::uint64_t offset,
                        const SegmentInfo& at) = 0;
    /// A DATA frame ended; `endStream`: it carried END_STREAM. `at`: its last byte's packet.
    virtual void onDataEnd(const FrameAt& f, const SegmentInfo& at) = 0;
    /// `length` payload bytes of the DATA frame `f`, from connection stream `offset`, were lost
    /// in a TCP gap; the framing held (the gap lay inside the payload).
    virtual void onDataGap(const FrameAt& f, std::uint64_t offset, std::uint64_t length,
                           const SegmentInfo& at) = 0;
    virtual void onRstStream(const FrameAt& f, std::uint32_t code) = 0;
    virtual void onGoaway(const FrameAt& f, std::uint32_t lastStream, std::uint32_t code,
                          std::string_view debug) = 0;
    virtual void onWindowUpdate(const FrameAt& f, std::uint32_t increment) = 0;
    /// direction, time, packet, offset and detail filled in; no connection.
    virtual void onAnomaly(Anomaly&& a) = 0;
};

/// The HTTP/2 frame layer of one connection (RFC 9113 §4–§6), both directions: it takes each
/// direction's bytes in order, with the packet that carried them, as the HTTP/1.1 reader does
/// (and as a TLS layer will hand decrypted bytes), and reports frames, settings, decoded
/// header blocks (HPACK via libnghttp2), DATA payloads, resets and GOAWAY.
///
/// Anomalies (docs/anomalies.md): h2_preface_invalid, h2_frame_malformed, h2_frame_too_large,
/// h2_header_block_too_large, h2_hpack_error, h2_settings_flood, h2_desync_after_gap. After a
/// broken preface, a frame too large to buffer, an HPACK error or a gap the direction stops
/// (HTTP/2 framing and HPACK cannot be resynchronised); the other direction goes on.
///
/// Memory per direction: one frame header, one non-DATA frame payload (at most
/// kMaxBufferedPayload; DATA is never buffered), the HPACK table (≤ HpackDecoder::
/// kMaxTableSize) and one decoded header list (≤ Limits::httpHeadBytes). Work is linear in the
/// bytes: every frame is looked at once.
class Http2Decoder {
public:
    /// Largest non-DATA frame payload buffered; a larger one is h2_frame_too_large.
    static constexpr std::uint32_t kMaxBufferedPayload = 1024 * 1024;
    /// CONTINUATION frames in one header block before h2_header_block_too_large (a block of
    /// hundreds is the CONTINUATION flood, CVE-2024-27316 and its siblings).
    static constexpr std::uint32_t kMaxContinuations = 32;
    /// SETTINGS frames one side sends without the other acknowledging before
    /// h2_settings_flood (the SETTINGS flood, CVE-2019-9515).
    static constexpr std::uint32_t kMaxUnackedSettings = 32;

    /// `clientPreface`: what the client direction must start with: the whole connection
    /// preface (after an h2c upgrade, or on a connection known to be HTTP/2), or its rest
    /// "SM\r\n\r\n" when the HTTP/1.1 reader already read "PRI * HTTP/2.0\r\n\r\n".
    Http2Decoder(const Limits& limits, Http2Observer& observer, std::string_view clientPreface);
    ~Http2Decoder();
    Http2Decoder(const Http2Decoder&) = delete;
    Http2Decoder& operator=(const Http2Decoder&) = delete;

    void feed(Direction d, Bytes bytes, std::uint64_t offset, const SegmentInfo& at);
    void gap(Direction d, std::uint64_t offset, std::uint64_t length, const SegmentInfo& at);
    /// Direction `d` ended: a frame in progress is reported as cut (h2_frame_malformed).
    void end(Direction d, const SegmentInfo& at);

    /// The direction gave up (see above).
    bool stopped(Direction d) const;
    /// Frames read per direction and type (unknown types counted at index kKnownFrameTypes).
    const std::array<std::array<std::uint64_t, kKnownFrameTypes + 1>, 2>& frameCounts() const {
        return m_frames;
    }

private:
    struct Side;
    void step(Side& s, Bytes& bytes, std::uint64_t& offset, const SegmentInfo& at);
    void frameStart(Side& s);
    void framePayload(Side& s, const SegmentInfo& at);
    void headerFragment(Side& s, Bytes fragment, bool endHeaders);
    void anomaly(Side& s, AnomalyId id, std::uint64_t offset, const SegmentInfo& at,
                 std::string detail);
    void malformed(Side& s, std::string detail);
    void stop(Side& s);
    void applySettings(Side& s, std::span<const Setting> settings);

    const Limits& m_limits;
    Http2Observer& m_observer;
    std::array<std::unique_ptr<Side>, 2> m_sides;
    std::array<std::array<std::uint64_t, kKnownFrameTypes + 1>, 2> m_frames{};
};

} // namespace wst::h2
