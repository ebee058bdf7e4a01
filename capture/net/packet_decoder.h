// SPDX-License-Identifier: MIT
#pragma once

#include "capture/core/packet_source.h"

namespace wst {

/// What decodePacket() found. Anything but Ok means the packet carries no usable TCP segment;
/// the caller turns it into a capture-level anomaly with packet number and reason.
enum class DecodeStatus : std::uint8_t {
    Ok,
    NotTcp,          ///< a valid IP packet of another protocol (UDP, ICMP, ...) — not an error
    NotIp,           ///< ARP, LLDP, ... — not an error
    UnknownLinkType, ///< link type wstrace does not decode
    Truncated,       ///< headers cut short (snap length or a damaged packet)
    BadIpHeader,     ///< version, header length or total length inconsistent
    BadTcpHeader,    ///< data offset < 5 or beyond the packet
    IpFragment,      ///< an IPv4/IPv6 fragment; reported, not reassembled
};

const char* toString(DecodeStatus s);

/// TCP flag bits as in the header.
namespace tcpflag {
inline constexpr std::uint8_t Fin = 0x01, Syn = 0x02, Rst = 0x04, Psh = 0x08, Ack = 0x10,
                              Urg = 0x20;
}

/// A decoded TCP segment. `payload` points into the RawPacket's bytes.
struct TcpSegment {
    Endpoint source;
    Endpoint destination;
    std::uint32_t seq = 0;
    std::uint32_t ack = 0;
    std::uint8_t flags = 0;
    std::uint16_t window = 0;
    /// SYN segments: the window scale option's shift (RFC 7323 §2.2, not clamped), -1 when the
    /// SYN carries none; -1 on every other segment.
    std::int8_t windowScale = -1;
    Bytes payload; ///< captured TCP payload (may be shorter than payloadLengthOnWire)
    std::uint32_t payloadLengthOnWire = 0; ///< from the IP total length
};

struct DecodedPacket {
    DecodeStatus status = DecodeStatus::NotIp;
    TcpSegment tcp; ///< valid when status == Ok
    /// Human-readable detail when status is an error: "ipv4 total length 9000 > captured 60".
    const char* detail = "";
};

/// Decodes link, IP and TCP headers without copying. Never reads outside `packet.data`.
DecodedPacket decodePacket(const RawPacket& packet);

} // namespace wst
