// SPDX-License-Identifier: MIT
#include "capture/net/packet_decoder.h"

#include <algorithm>
#include <cstring>

namespace wst {

const char* toString(DecodeStatus s) {
    switch (s) {
    case DecodeStatus::Ok:
        return "ok";
    case DecodeStatus::NotTcp:
        return "not_tcp";
    case DecodeStatus::NotIp:
        return "not_ip";
    case DecodeStatus::UnknownLinkType:
        return "unknown_link_type";
    case DecodeStatus::Truncated:
        return "truncated";
    case DecodeStatus::BadIpHeader:
        return "bad_ip_header";
    case DecodeStatus::BadTcpHeader:
        return "bad_tcp_header";
    case DecodeStatus::IpFragment:
        return "ip_fragment";
    }
    return "unknown";
}

namespace {

// EtherType values (IEEE 802 numbers registry).
constexpr std::uint16_t EtherIpv4 = 0x0800;
constexpr std::uint16_t EtherIpv6 = 0x86dd;
constexpr std::uint16_t EtherVlan = 0x8100;    // IEEE 802.1Q C-tag
constexpr std::uint16_t EtherQinQ = 0x88a8;    // IEEE 802.1ad S-tag
constexpr std::uint16_t EtherQinQOld = 0x9100; // pre-standard QinQ, still seen on the wire

// IP protocol / IPv6 next-header numbers (IANA protocol numbers registry).
constexpr std::uint8_t ProtoHopByHop = 0;
constexpr std::uint8_t ProtoTcp = 6;
constexpr std::uint8_t ProtoRouting = 43;
constexpr std::uint8_t ProtoFragment = 44;
constexpr std::uint8_t ProtoAh = 51;
constexpr std::uint8_t ProtoDestOptions = 60;

std::uint16_t be16(const std::uint8_t* p) {
    return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}
std::uint32_t be32(const std::uint8_t* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
           std::uint32_t{p[3]};
}
std::uint32_t le32(const std::uint8_t* p) {
    return (std::uint32_t{p[3]} << 24) | (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[1]} << 8) |
           std::uint32_t{p[0]};
}

DecodedPacket fail(DecodeStatus status, const char* detail) {
    DecodedPacket d;
    d.status = status;
    d.detail = detail;
    return d;
}

/// The bytes from some header on: what was captured, and how many bytes the packet had on the
/// wire from the same point (>= captured.size(); larger when the snap length cut the packet).
struct Span {
    Bytes captured;
    std::size_t wire = 0;

    Span from(std::size_t offset) const {
        return {captured.subspan(std::min(offset, captured.size())),
                wire > offset ? wire - offset : 0};
    }
};

/// Too few bytes for a header of `need` bytes: cut by the capture (Truncated) when the wire
/// had them, otherwise the packet itself is malformed (`bad`).
DecodedPacket shortHeader(const Span& s, std::size_t need, DecodeStatus bad, const char* cut,
                          const char* malformed) {
    return s.wire >= need ? fail(DecodeStatus::Truncated, cut) : fail(bad, malformed);
}

enum class Ip { V4, V6, Other };

Ip ipFromEtherType(std::uint16_t type) {
    if (type == EtherIpv4)
        return Ip::V4;
    if (type == EtherIpv6)
        return Ip::V6;
    return Ip::Other;
}

/// BSD loopback address families: AF_INET is 2 everywhere; AF_INET6 differs per OS
/// (NetBSD/OpenBSD 24, FreeBSD 28, Darwin 30, Linux 10) — the tcpdump/Wireshark set.
Ip ipFromAddressFamily(std::uint32_t family) {
    switch (family) {
    case 2:
        return Ip::V4;
    case 10:
    case 24:
    case 28:
    case 30:
        return Ip::V6;
    default:
        return Ip::Other;
    }
}

DecodedPacket decodeTcp(Span s, const IpAddress& src, const IpAddress& dst) {
    // RFC 9293 §3.1: 20 fixed bytes; Data Offset counts 32-bit words and is at least 5.
    if (s.captured.size() < 20)
        return shortHeader(s, 20, DecodeStatus::BadTcpHeader, "tcp header cut short",
                           "tcp header beyond the ip payload");
    const std::uint8_t* p = s.captured.data();
    const std::size_t headerLength = static_cast<std::size_t>(p[12] >> 4) * 4;
    if (headerLength < 20)
        return fail(DecodeStatus::BadTcpHeader, "tcp data offset < 5");
    if (headerLength > s.wire)
        return fail(DecodeStatus::BadTcpHeader, "tcp data offset beyond the ip payload");
    if (headerLength > s.captured.size())
        return fail(DecodeStatus::Truncated, "tcp options cut short");

    DecodedPacket d;
    d.status = DecodeStatus::Ok;
    TcpSegment& t = d.tcp;
    t.source = {src, be16(p)};
    t.destination = {dst, be16(p + 2)};
    t.seq = be32(p + 4);
    t.ack = be32(p + 8);
    t.flags = p[13];
    t.window = be16(p + 14);
    // Options (MSS, SACK, timestamps) are skipped: the reassembler works from sequence numbers
    // alone. Only a SYN's window scale is read, for the receive window (RFC 7323 §2.2; RFC 5961
    // checks in FlowTable).
    if ((t.flags & tcpflag::Syn) != 0) {
        for (std::size_t i = 20; i < headerLength;) {
            const std::uint8_t kind = p[i];
            if (kind == 0) // end of option list
                break;
            if (kind == 1) { // no-operation
                ++i;
                continue;
            }
            if (i + 1 >= headerLength || p[i + 1] < 2 || i + p[i + 1] > headerLength)
                break; // malformed: no more options trusted
            if (kind == 3 && p[i + 1] == 3)
                t.windowScale = static_cast<std::int8_t>(std::min<std::uint8_t>(p[i + 2], 127));
            i += p[i + 1];
        }
    }
    t.payload = s.captured.subspan(headerLength);
    t.payloadLengthOnWire = static_cast<std::uint32_t>(s.wire - headerLength);
    return d;
}

DecodedPacket decodeIpv4(Span s) {
    if (s.captured.size() < 20)
        return shortHeader(s, 20, DecodeStatus::BadIpHeader, "ipv4 header cut short",
                           "ipv4 packet shorter than 20 bytes");
    const std::uint8_t* p = s.captured.data();
    if ((p[0] >> 4) != 4)
        return fail(DecodeStatus::BadIpHeader, "ip version is not 4");
    // RFC 791 §3.1: IHL counts 32-bit words, minimum 5; Total Length includes the header.
    const std::size_t headerLength = std::size_t{p[0] & 0x0fu} * 4;
    if (headerLength < 20)
        return fail(DecodeStatus::BadIpHeader, "ipv4 header length < 20");
    std::size_t total = be16(p + 2);
    // Total length 0 is what TCP segmentation offload leaves in packets captured on the sending
    // host; the real length is then the captured frame.
    if (total == 0)
        total = s.wire;
    if (total < headerLength)
        return fail(DecodeStatus::BadIpHeader, "ipv4 total length < header length");
    if (total > s.wire)
        return fail(DecodeStatus::BadIpHeader, "ipv4 total length beyond the packet");
    if (headerLength > s.captured.size())
        return fail(DecodeStatus::Truncated, "ipv4 options cut short");
    // RFC 791: More Fragments flag or a non-zero offset means a fragment (not reassembled).
    const std::uint16_t fragment = be16(p + 6);
    if ((fragment & 0x2000u) != 0 || (fragment & 0x1fffu) != 0)
        return fail(DecodeStatus::IpFragment, "ipv4 fragment");
    if (p[9] != ProtoTcp)
        return fail(DecodeStatus::NotTcp, "");

    IpAddress src, dst;
    std::memcpy(src.bytes.data(), p + 12, 4);
    std::memcpy(dst.bytes.data(), p + 16, 4);
    // Trailing Ethernet padding lies beyond `total` and is dropped here.
    Span payload{s.captured.first(std::min(s.captured.size(), total)), total};
    return decodeTcp(payload.from(headerLength), src, dst);
}

DecodedPacket decodeIpv6(Span s) {
    if (s.captured.size() < 40)
        return shortHeader(s, 40, DecodeStatus::BadIpHeader, "ipv6 header cut short",
                           "ipv6 packet shorter than 40 bytes");
    const std::uint8_t* p = s.captured.data();
    if ((p[0] >> 4) != 6)
        return fail(DecodeStatus::BadIpHeader, "ip version is not 6");
    std::uint8_t next = p[6];
    std::size_t total = 40 + std::size_t{be16(p + 4)};
    // RFC 2675: a jumbogram has payload length 0 and a hop-by-hop jumbo option; take the
    // captured frame as its length.
    if (total == 40 && next == ProtoHopByHop)
        total = s.wire;
    if (total > s.wire)
        return fail(DecodeStatus::BadIpHeader, "ipv6 payload length beyond the packet");

    IpAddress src, dst;
    src.v6 = dst.v6 = true;
    std::memcpy(src.bytes.data(), p + 8, 16);
    std::memcpy(dst.bytes.data(), p + 24, 16);

    const Span packet{s.captured.first(std::min(s.captured.size(), total)), total};
    // RFC 8200 §4: walk the extension-header chain. Each header is at least 8 bytes long, so
    // the walk ends within the packet.
    std::size_t offset = 40;
    for (;;) {
        if (next == ProtoTcp)
            return decodeTcp(packet.from(offset), src, dst);
        std::size_t minimum = 2;
        if (next == ProtoFragment)
            minimum = 8;
        else if (next != ProtoHopByHop && next != ProtoRouting && next != ProtoDestOptions &&
                 next != ProtoAh)
            return fail(DecodeStatus::NotTcp, ""); // 59 (no next header), ESP, UDP, ICMPv6...
        const Span h = packet.from(offset);
        if (h.captured.size() < minimum)
            return shortHeader(h, minimum, DecodeStatus::BadIpHeader,
                               "ipv6 extension header cut short",
                               "ipv6 extension header beyond the payload");
        const std::uint8_t* e = h.captured.data();
        std::size_t length = 0;
        if (next == ProtoFragment) {
            // RFC 8200 §4.5; an atomic fragment (offset 0, M clear) is a whole packet
            // (RFC 6946 §4) and is decoded as such.
            const std::uint16_t field = be16(e + 2);
            if ((field & 0xfff8u) != 0 || (field & 1u) != 0)
                return fail(DecodeStatus::IpFragment, "ipv6 fragment");
            length = 8;
        } else if (next == ProtoAh) {
            length = (std::size_t{e[1]} + 2) * 4; // RFC 4302 §2.2: in 32-bit words, minus 2
        } else {
            length = (std::size_t{e[1]} + 1) * 8; // RFC 8200 §4.3-4.6: in 8-octet units
        }
        if (length > h.wire)
            return fail(DecodeStatus::BadIpHeader, "ipv6 extension header beyond the payload");
        next = e[0];
        offset += length;
    }
}

DecodedPacket decodeIp(Ip ip, Span s) {
    switch (ip) {
    case Ip::V4:
        return decodeIpv4(s);
    case Ip::V6:
        return decodeIpv6(s);
    case Ip::Other:
        break;
    }
    return fail(DecodeStatus::NotIp, "");
}

/// Decodes what follows a link header whose EtherType is `type` and whose payload starts at
/// `offset`, skipping 802.1Q / 802.1ad tags (any depth; each is 4 bytes: TCI, inner type).
DecodedPacket decodeEtherPayload(const Span& s, std::uint16_t type, std::size_t offset) {
    while (type == EtherVlan || type == EtherQinQ || type == EtherQinQOld) {
        if (s.captured.size() < offset + 4)
            return fail(DecodeStatus::Truncated, "vlan tag cut short");
        type = be16(s.captured.data() + offset + 2);
        offset += 4;
    }
    return decodeIp(ipFromEtherType(type), s.from(offset));
}

} // namespace

DecodedPacket decodePacket(const RawPacket& packet) {
    const Bytes data =
        packet.data.first(std::min<std::size_t>(packet.data.size(), packet.capturedLength));
    const Span s{data, std::max<std::size_t>(packet.originalLength, data.size())};
    const std::uint8_t* p = data.data();

    switch (packet.linkType) {
    case LinkType::Ethernet:
        if (data.size() < 14)
            return fail(DecodeStatus::Truncated, "ethernet header cut short");
        return decodeEtherPayload(s, be16(p + 12), 14);
    case LinkType::LinuxSll:
        // https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html: protocol at 14, 16 bytes.
        if (data.size() < 16)
            return fail(DecodeStatus::Truncated, "linux cooked (sll) header cut short");
        return decodeEtherPayload(s, be16(p + 14), 16);
    case LinkType::LinuxSll2:
        // https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL2.html: protocol at 0, 20 bytes.
        if (data.size() < 20)
            return fail(DecodeStatus::Truncated, "linux cooked (sll2) header cut short");
        return decodeEtherPayload(s, be16(p), 20);
    case LinkType::Null:
    case LinkType::Loop: {
        // NULL stores the family in the writer's byte order, LOOP in network order; files
        // exist with both, so try the expected order first and then the other one.
        if (data.size() < 4)
            return fail(DecodeStatus::Truncated, "loopback header cut short");
        const bool bigFirst = packet.linkType == LinkType::Loop;
        Ip ip = ipFromAddressFamily(bigFirst ? be32(p) : le32(p));
        if (ip == Ip::Other)
            ip = ipFromAddressFamily(bigFirst ? le32(p) : be32(p));
        return decodeIp(ip, s.from(4));
    }
    case LinkType::Raw: {
        if (data.empty())
            return fail(DecodeStatus::Truncated, "raw ip packet is empty");
        const int version = p[0] >> 4;
        if (version == 4)
            return decodeIpv4(s);
        if (version == 6)
            return decodeIpv6(s);
        return fail(DecodeStatus::BadIpHeader, "raw packet is neither ipv4 nor ipv6");
    }
    case LinkType::Ipv4:
        return decodeIpv4(s);
    case LinkType::Ipv6:
        return decodeIpv6(s);
    }
    return fail(DecodeStatus::UnknownLinkType, "link type not decoded by wstrace");
}

} // namespace wst
