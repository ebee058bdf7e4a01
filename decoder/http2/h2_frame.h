// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string_view>

namespace wst::h2 {

/// Frame types of RFC 9113 §6 (and 0x9 CONTINUATION); others are ignored (§4.1, §5.5).
enum class FrameType : std::uint8_t {
    Data = 0x0,
    Headers = 0x1,
    Priority = 0x2,
    RstStream = 0x3,
    Settings = 0x4,
    PushPromise = 0x5,
    Ping = 0x6,
    Goaway = 0x7,
    WindowUpdate = 0x8,
    Continuation = 0x9,
};
inline constexpr std::size_t kKnownFrameTypes = 10;

namespace flag {
inline constexpr std::uint8_t EndStream = 0x1, Ack = 0x1, EndHeaders = 0x4, Padded = 0x8,
                              Priority = 0x20;
}

/// RFC 9113 §6.5.2 and RFC 8441 §3 setting identifiers.
namespace setting {
inline constexpr std::uint16_t HeaderTableSize = 0x1, EnablePush = 0x2, MaxConcurrentStreams = 0x3,
                               InitialWindowSize = 0x4, MaxFrameSize = 0x5, MaxHeaderListSize = 0x6,
                               EnableConnectProtocol = 0x8;
}

/// The 9-byte frame header (RFC 9113 §4.1).
struct FrameHeader {
    std::uint32_t length = 0; ///< 24 bits
    std::uint8_t type = 0;
    std::uint8_t flags = 0;
    std::uint32_t streamId = 0; ///< reserved bit cleared

    static constexpr std::size_t kSize = 9;
    /// `b` holds at least kSize bytes.
    static FrameHeader parse(const std::uint8_t* b);
    bool has(std::uint8_t f) const { return (flags & f) != 0; }
};

inline constexpr std::string_view kClientPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
/// RFC 9113 §4.2, §6.5.2: the default and the largest SETTINGS_MAX_FRAME_SIZE.
inline constexpr std::uint32_t kDefaultMaxFrameSize = 16384, kLargestMaxFrameSize = 16777215;
/// RFC 9113 §6.9.2: the initial flow-control window of the connection and of each stream.
inline constexpr std::int64_t kDefaultWindow = 65535;

/// "DATA", "HEADERS", ... or "UNKNOWN".
std::string_view frameTypeName(std::uint8_t type);
/// "NO_ERROR", "CANCEL", ... (RFC 9113 §7) or "UNKNOWN".
std::string_view errorCodeName(std::uint32_t code);
/// What an error code means, in plain words (for RST_STREAM and GOAWAY details).
std::string_view errorCodeMeaning(std::uint32_t code);
/// "SETTINGS_HEADER_TABLE_SIZE", ..., "SETTINGS_ENABLE_CONNECT_PROTOCOL" or "UNKNOWN".
std::string_view settingName(std::uint16_t id);

} // namespace wst::h2
