// SPDX-License-Identifier: MIT
#include "decoder/http2/h2_frame.h"

namespace wst::h2 {

FrameHeader FrameHeader::parse(const std::uint8_t* b) {
    FrameHeader h;
    h.length = (std::uint32_t{b[0]} << 16) | (std::uint32_t{b[1]} << 8) | b[2];
    h.type = b[3];
    h.flags = b[4];
    // RFC 9113 §4.1: the reserved bit is ignored on receipt.
    h.streamId = ((std::uint32_t{b[5]} << 24) | (std::uint32_t{b[6]} << 16) |
                  (std::uint32_t{b[7]} << 8) | b[8]) &
                 0x7fffffffu;
    return h;
}

std::string_view frameTypeName(std::uint8_t type) {
    switch (static_cast<FrameType>(type)) {
    case FrameType::Data:
        return "DATA";
    case FrameType::Headers:
        return "HEADERS";
    case FrameType::Priority:
        return "PRIORITY";
    case FrameType::RstStream:
        return "RST_STREAM";
    case FrameType::Settings:
        return "SETTINGS";
    case FrameType::PushPromise:
        return "PUSH_PROMISE";
    case FrameType::Ping:
        return "PING";
    case FrameType::Goaway:
        return "GOAWAY";
    case FrameType::WindowUpdate:
        return "WINDOW_UPDATE";
    case FrameType::Continuation:
        return "CONTINUATION";
    }
    return "UNKNOWN";
}

std::string_view errorCodeName(std::uint32_t code) {
    static constexpr std::string_view kNames[] = {"NO_ERROR",
                                                  "PROTOCOL_ERROR",
                                                  "INTERNAL_ERROR",
                                                  "FLOW_CONTROL_ERROR",
                                                  "SETTINGS_TIMEOUT",
                                                  "STREAM_CLOSED",
                                                  "FRAME_SIZE_ERROR",
                                                  "REFUSED_STREAM",
                                                  "CANCEL",
                                                  "COMPRESSION_ERROR",
                                                  "CONNECT_ERROR",
                                                  "ENHANCE_YOUR_CALM",
                                                  "INADEQUATE_SECURITY",
                                                  "HTTP_1_1_REQUIRED"};
    return code < std::size(kNames) ? kNames[code] : "UNKNOWN";
}

std::string_view errorCodeMeaning(std::uint32_t code) {
    // RFC 9113 §7, in the words of what a WebSocket user sees.
    static constexpr std::string_view kMeanings[] = {
        "graceful: no error",
        "the peer saw a protocol violation",
        "the peer hit an internal error",
        "the peer's flow-control window was overrun",
        "SETTINGS were not acknowledged in time",
        "a frame arrived for a stream that was already closed",
        "a frame had an invalid size",
        "the stream was refused before any processing: safe to retry",
        "the stream is no longer needed (the application closed or aborted it)",
        "the HPACK state is broken: the connection cannot continue",
        "the tunnel of a CONNECT request was reset or closed abnormally (RFC 9113 §8.5)",
        "the peer thinks it is being flooded (rate limit)",
        "the TLS parameters are not acceptable",
        "the peer wants HTTP/1.1 for this request (e.g. a WebSocket over HTTP/1.1 Upgrade)"};
    return code < std::size(kMeanings) ? kMeanings[code] : "an unknown error code";
}

std::string_view settingName(std::uint16_t id) {
    switch (id) {
    case setting::HeaderTableSize:
        return "SETTINGS_HEADER_TABLE_SIZE";
    case setting::EnablePush:
        return "SETTINGS_ENABLE_PUSH";
    case setting::MaxConcurrentStreams:
        return "SETTINGS_MAX_CONCURRENT_STREAMS";
    case setting::InitialWindowSize:
        return "SETTINGS_INITIAL_WINDOW_SIZE";
    case setting::MaxFrameSize:
        return "SETTINGS_MAX_FRAME_SIZE";
    case setting::MaxHeaderListSize:
        return "SETTINGS_MAX_HEADER_LIST_SIZE";
    case setting::EnableConnectProtocol:
        return "SETTINGS_ENABLE_CONNECT_PROTOCOL";
    default:
        return "UNKNOWN";
    }
}

} // namespace wst::h2
