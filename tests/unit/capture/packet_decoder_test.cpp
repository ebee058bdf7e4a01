// SPDX-License-Identifier: MIT
#include "capture/net/packet_decoder.h"
#include "tests/unit/capture/test_support.h"

#include <gtest/gtest.h>

namespace wst::test {
namespace {

const Buf kPayload = pattern(37, 5);

Buf tcpSegment() {
    Tcp t;
    t.sport = 51515;
    t.dport = 8080;
    t.seq = 0xfffffff0u;
    t.ack = 0x01020304u;
    t.flags = tcpflag::Psh | tcpflag::Ack;
    t.window = 512;
    t.options = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 1, 2, 3, 4, 5, 6, 7, 8}; // MSS, SACK-perm, TS
    t.payload = kPayload;
    return tcp(t);
}

DecodedPacket decode(LinkType type, const Buf& bytes, std::uint32_t caplen = UINT32_MAX,
                     std::uint32_t origlen = UINT32_MAX) {
    RawPacket p;
    p.linkType = type;
    p.capturedLength = caplen == UINT32_MAX ? static_cast<std::uint32_t>(bytes.size()) : caplen;
    p.originalLength = origlen == UINT32_MAX ? static_cast<std::uint32_t>(bytes.size()) : origlen;
    p.data = Bytes(bytes.data(), p.capturedLength);
    return decodePacket(p);
}

void expectSegment(const DecodedPacket& d, bool v6) {
    ASSERT_EQ(d.status, DecodeStatus::Ok) << d.detail;
    EXPECT_EQ(d.tcp.source.port, 51515);
    EXPECT_EQ(d.tcp.destination.port, 8080);
    EXPECT_EQ(d.tcp.seq, 0xfffffff0u);
    EXPECT_EQ(d.tcp.ack, 0x01020304u);
    EXPECT_EQ(d.tcp.flags, tcpflag::Psh | tcpflag::Ack);
    EXPECT_EQ(d.tcp.window, 512);
    EXPECT_EQ(d.tcp.payloadLengthOnWire, kPayload.size());
    EXPECT_EQ(Buf(d.tcp.payload.begin(), d.tcp.payload.end()), kPayload);
    EXPECT_EQ(d.tcp.source.address.v6, v6);
    if (v6) {
        EXPECT_EQ(d.tcp.source.toString(), "[2001:db8::1]:51515");
        EXPECT_EQ(d.tcp.destination.toString(), "[2001:db8::2]:8080");
    } else {
        EXPECT_EQ(d.tcp.source.toString(), "10.0.0.1:51515");
        EXPECT_EQ(d.tcp.destination.toString(), "10.0.0.2:8080");
    }
}

Buf sll(std::uint16_t protocol, const Buf& payload) {
    Buf b{0, 0, 0, 772 >> 8, 772 & 0xff, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0};
    b.resize(14);
    put16(b, protocol);
    return cat(b, payload);
}

Buf sll2(std::uint16_t protocol, const Buf& payload) {
    Buf b;
    put16(b, protocol);
    put16(b, 0);    // reserved
    put32(b, 1);    // interface index
    put16(b, 772);  // ARPHRD_LOOPBACK
    b.push_back(4); // outgoing
    b.push_back(6); // address length
    for (int i = 0; i < 8; ++i)
        b.push_back(static_cast<std::uint8_t>(i));
    return cat(b, payload);
}

Buf loopback(std::uint32_t family, bool bigEndian, const Buf& payload) {
    Buf b;
    if (bigEndian) {
        put32(b, family);
    } else {
        for (int i = 0; i < 4; ++i)
            b.push_back(static_cast<std::uint8_t>(family >> (8 * i)));
    }
    return cat(b, payload);
}

TEST(PacketDecoder, EthernetIpv4) {
    expectSegment(decode(LinkType::Ethernet, ethernet(0x0800, ipv4(tcpSegment()))), false);
}

TEST(PacketDecoder, SynWindowScaleOption) {
    // RFC 7323 §2.2: read from SYNs only; NOPs skipped, a malformed option ends the list.
    Tcp t;
    t.flags = tcpflag::Syn;
    t.options = {2, 4, 0x05, 0xb4, 1, 3, 3, 7, 4, 2};
    EXPECT_EQ(decode(LinkType::Ethernet, ethernet(0x0800, ipv4(tcp(t)))).tcp.windowScale, 7);
    t.options = {2, 4, 0x05, 0xb4};
    EXPECT_EQ(decode(LinkType::Ethernet, ethernet(0x0800, ipv4(tcp(t)))).tcp.windowScale, -1);
    t.options = {8, 0, 3, 3, 9}; // zero length: not trusted
    EXPECT_EQ(decode(LinkType::Ethernet, ethernet(0x0800, ipv4(tcp(t)))).tcp.windowScale, -1);
    t.flags = tcpflag::Ack;
    t.options = {1, 3, 3, 7};
    EXPECT_EQ(decode(LinkType::Ethernet, ethernet(0x0800, ipv4(tcp(t)))).tcp.windowScale, -1);
}

TEST(PacketDecoder, EthernetIpv6) {
    expectSegment(decode(LinkType::Ethernet, ethernet(0x86dd, ipv6(6, tcpSegment()))), true);
}

TEST(PacketDecoder, VlanAndQinQTags) {
    for (std::vector<std::uint16_t> tags : {std::vector<std::uint16_t>{0x8100},
                                            {0x88a8, 0x8100},
                                            {0x9100, 0x8100},
                                            {0x88a8, 0x8100, 0x8100}}) {
        expectSegment(decode(LinkType::Ethernet, ethernet(0x0800, ipv4(tcpSegment()), tags)),
                      false);
        expectSegment(decode(LinkType::Ethernet, ethernet(0x86dd, ipv6(6, tcpSegment()), tags)),
                      true);
    }
}

TEST(PacketDecoder, EthernetPaddingIsNotPayload) {
    // A short frame padded to 60 bytes: the IPv4 total length says where the packet ends.
    Tcp t;
    t.payload = {'h', 'i'};
    Buf frame = ethernet(0x0800, ipv4(tcp(t)));
    frame.resize(80, 0xee);
    const DecodedPacket d = decode(LinkType::Ethernet, frame);
    ASSERT_EQ(d.status, DecodeStatus::Ok);
    EXPECT_EQ(d.tcp.payload.size(), 2u);
    EXPECT_EQ(d.tcp.payloadLengthOnWire, 2u);
}

TEST(PacketDecoder, LinuxCookedV1AndV2) {
    expectSegment(decode(LinkType::LinuxSll, sll(0x0800, ipv4(tcpSegment()))), false);
    expectSegment(decode(LinkType::LinuxSll, sll(0x86dd, ipv6(6, tcpSegment()))), true);
    expectSegment(decode(LinkType::LinuxSll2, sll2(0x0800, ipv4(tcpSegment()))), false);
    expectSegment(decode(LinkType::LinuxSll2, sll2(0x86dd, ipv6(6, tcpSegment()))), true);
}

TEST(PacketDecoder, BsdLoopbackBothByteOrders) {
    for (bool big : {false, true}) {
        for (LinkType type : {LinkType::Null, LinkType::Loop}) {
            expectSegment(decode(type, loopback(2, big, ipv4(tcpSegment()))), false);
            for (std::uint32_t af6 : {10u, 24u, 28u, 30u})
                expectSegment(decode(type, loopback(af6, big, ipv6(6, tcpSegment()))), true);
        }
    }
    EXPECT_EQ(decode(LinkType::Null, loopback(7, false, ipv4(tcpSegment()))).status,
              DecodeStatus::NotIp);
}

TEST(PacketDecoder, RawIp) {
    expectSegment(decode(LinkType::Raw, ipv4(tcpSegment())), false);
    expectSegment(decode(LinkType::Raw, ipv6(6, tcpSegment())), true);
    expectSegment(decode(LinkType::Ipv4, ipv4(tcpSegment())), false);
    expectSegment(decode(LinkType::Ipv6, ipv6(6, tcpSegment())), true);
    Buf bad = ipv4(tcpSegment());
    bad[0] = 0x55;
    EXPECT_EQ(decode(LinkType::Raw, bad).status, DecodeStatus::BadIpHeader);
    // LINKTYPE_IPV4 carrying an IPv6 packet is a bad header, not a crash.
    EXPECT_EQ(decode(LinkType::Ipv4, ipv6(6, tcpSegment())).status, DecodeStatus::BadIpHeader);
}

TEST(PacketDecoder, Ipv4Options) {
    // Record Route (7) with room for two addresses, and a Router Alert (148): IHL 8 and 6.
    const Buf rr{7, 11, 4, 0, 0, 0, 0, 0, 0, 0, 0};
    expectSegment(decode(LinkType::Raw, ipv4(tcpSegment(), 6, rr)), false);
    expectSegment(decode(LinkType::Raw, ipv4(tcpSegment(), 6, {148, 4, 0, 0})), false);
    const Buf full(40, 1); // 40 bytes of NOPs: the largest IPv4 header, IHL 15
    expectSegment(decode(LinkType::Raw, ipv4(tcpSegment(), 6, full)), false);
}

TEST(PacketDecoder, Ipv6ExtensionHeaderChain) {
    // hop-by-hop (8 bytes) → routing (24 bytes) → destination options (16) → AH (24) → TCP
    Buf hop{43, 0, 1, 4, 0, 0, 0, 0};
    Buf routing{60, 2, 0, 0, 0, 0, 0, 0};
    routing.resize(24, 0);
    Buf dest{51, 1, 1, 12};
    dest.resize(16, 0);
    Buf ah{6, 4, 0, 0};
    ah.resize(24, 0xab); // (4 + 2) * 4 bytes
    const Buf chain = cat(cat(cat(cat(hop, routing), dest), ah), tcpSegment());
    expectSegment(decode(LinkType::Raw, ipv6(0, chain)), true);

    // An atomic fragment (offset 0, M clear; RFC 6946) is a whole packet.
    const Buf atomic{6, 0, 0, 0, 0, 0, 0, 42};
    expectSegment(decode(LinkType::Raw, ipv6(44, cat(atomic, tcpSegment()))), true);
    // A no-next-header chain and UDP are not TCP.
    EXPECT_EQ(decode(LinkType::Raw, ipv6(0, Buf{59, 0, 1, 4, 0, 0, 0, 0})).status,
              DecodeStatus::NotTcp);
    EXPECT_EQ(decode(LinkType::Raw, ipv6(17, Buf(8, 0))).status, DecodeStatus::NotTcp);
}

TEST(PacketDecoder, Fragments) {
    EXPECT_EQ(decode(LinkType::Raw, ipv4(tcpSegment(), 6, {}, 0x2000)).status,
              DecodeStatus::IpFragment); // MF
    EXPECT_EQ(decode(LinkType::Raw, ipv4(tcpSegment(), 6, {}, 0x0010)).status,
              DecodeStatus::IpFragment);       // offset 16 * 8
    const Buf first{6, 0, 0, 1, 0, 0, 0, 42};  // offset 0, M set
    const Buf later{6, 0, 0, 80, 0, 0, 0, 42}; // offset 10, M clear
    EXPECT_EQ(decode(LinkType::Raw, ipv6(44, cat(first, tcpSegment()))).status,
              DecodeStatus::IpFragment);
    EXPECT_EQ(decode(LinkType::Raw, ipv6(44, cat(later, Buf(16, 0)))).status,
              DecodeStatus::IpFragment);
}

TEST(PacketDecoder, NotIpAndNotTcp) {
    EXPECT_EQ(decode(LinkType::Ethernet, ethernet(0x0806, Buf(28, 0))).status,
              DecodeStatus::NotIp); // ARP
    EXPECT_EQ(decode(LinkType::Ethernet, ethernet(0x0800, ipv4(Buf(8, 0), 17))).status,
              DecodeStatus::NotTcp); // UDP
    EXPECT_EQ(decode(static_cast<LinkType>(105), Buf(60, 0)).status, DecodeStatus::UnknownLinkType);
}

TEST(PacketDecoder, BadIpv4Headers) {
    Buf p = ipv4(tcpSegment());
    Buf ihl = p;
    ihl[0] = 0x44; // IHL 4 < 5
    EXPECT_EQ(decode(LinkType::Raw, ihl).status, DecodeStatus::BadIpHeader);
    Buf shortTotal = p;
    shortTotal[2] = 0;
    shortTotal[3] = 16; // total length < header length
    EXPECT_EQ(decode(LinkType::Raw, shortTotal).status, DecodeStatus::BadIpHeader);
    Buf longTotal = p;
    longTotal[2] = 0x23;
    longTotal[3] = 0x28; // 9000 > the 97 bytes on the wire
    const DecodedPacket d = decode(LinkType::Raw, longTotal);
    EXPECT_EQ(d.status, DecodeStatus::BadIpHeader);
    EXPECT_STREQ(d.detail, "ipv4 total length beyond the packet");
    Buf ihlBeyond = p;
    ihlBeyond[0] = 0x4f;
    ihlBeyond[2] = 0;
    ihlBeyond[3] = 40; // IHL 60 > total length 40
    EXPECT_EQ(decode(LinkType::Raw, ihlBeyond).status, DecodeStatus::BadIpHeader);
}

TEST(PacketDecoder, BadIpv6Headers) {
    Buf p = ipv6(6, tcpSegment());
    p[4] = 0x10; // payload length 4096+ beyond the packet
    EXPECT_EQ(decode(LinkType::Raw, p).status, DecodeStatus::BadIpHeader);
    // Extension header whose length runs beyond the payload.
    const Buf hop{6, 200, 0, 0, 0, 0, 0, 0};
    EXPECT_EQ(decode(LinkType::Raw, ipv6(0, cat(hop, tcpSegment()))).status,
              DecodeStatus::BadIpHeader);
}

TEST(PacketDecoder, BadTcpHeaders) {
    Buf p = ipv4(tcpSegment());
    Buf small = p;
    small[20 + 12] = 0x40; // data offset 4
    EXPECT_EQ(decode(LinkType::Raw, small).status, DecodeStatus::BadTcpHeader);
    Tcp t;
    Buf beyond = ipv4(tcp(t)); // 20-byte TCP header, no payload
    beyond[20 + 12] = 0xf0;    // data offset 15 → 60 bytes
    EXPECT_EQ(decode(LinkType::Raw, beyond).status, DecodeStatus::BadTcpHeader);
    // IP payload too short for any TCP header.
    EXPECT_EQ(decode(LinkType::Raw, ipv4(Buf(10, 0))).status, DecodeStatus::BadTcpHeader);
}

TEST(PacketDecoder, SnapLengthCutsPayloadNotHeaders) {
    const Buf frame = ethernet(0x0800, ipv4(tcpSegment()));
    const std::uint32_t headers = 14 + 20 + 36;
    const DecodedPacket d =
        decode(LinkType::Ethernet, frame, headers + 5, static_cast<std::uint32_t>(frame.size()));
    ASSERT_EQ(d.status, DecodeStatus::Ok);
    EXPECT_EQ(d.tcp.payload.size(), 5u);
    EXPECT_EQ(d.tcp.payloadLengthOnWire, kPayload.size());
}

// Every prefix of every packet shape: cut by the capture (original length = full) gives Ok
// with a shorter payload or Truncated; a packet that really is that short gives a named
// error. Never a read outside the prefix (the ASan build checks the bytes are a copy of
// exactly the prefix).
TEST(PacketDecoder, EveryPrefixIsSafe) {
    Buf hop{6, 0, 1, 4, 0, 0, 0, 0};
    const std::vector<std::pair<LinkType, Buf>> shapes = {
        {LinkType::Ethernet, ethernet(0x0800, ipv4(tcpSegment(), 6, {148, 4, 0, 0}), {0x8100})},
        {LinkType::Ethernet, ethernet(0x86dd, ipv6(0, cat(hop, tcpSegment())), {0x88a8, 0x8100})},
        {LinkType::LinuxSll, sll(0x0800, ipv4(tcpSegment()))},
        {LinkType::LinuxSll2, sll2(0x86dd, ipv6(6, tcpSegment()))},
        {LinkType::Null, loopback(2, false, ipv4(tcpSegment()))},
        {LinkType::Loop, loopback(24, true, ipv6(6, tcpSegment()))},
        {LinkType::Raw, ipv4(tcpSegment())},
    };
    for (const auto& [type, full] : shapes) {
        const std::size_t headers = full.size() - kPayload.size();
        for (std::size_t n = 0; n <= full.size(); ++n) {
            const Buf prefix(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n));
            const auto cut = decode(type, prefix, static_cast<std::uint32_t>(n),
                                    static_cast<std::uint32_t>(full.size()));
            if (n >= headers) {
                ASSERT_EQ(cut.status, DecodeStatus::Ok) << n;
                EXPECT_EQ(cut.tcp.payload.size(), n - headers);
                EXPECT_EQ(cut.tcp.payloadLengthOnWire, kPayload.size());
            } else {
                EXPECT_EQ(cut.status, DecodeStatus::Truncated) << "prefix " << n;
            }
            const auto shortPacket = decode(type, prefix);
            if (n < full.size()) {
                EXPECT_NE(shortPacket.status, DecodeStatus::Ok) << "prefix " << n;
            }
        }
    }
}

TEST(PacketDecoder, StatusNames) {
    EXPECT_STREQ(toString(DecodeStatus::IpFragment), "ip_fragment");
    EXPECT_STREQ(toString(DecodeStatus::BadTcpHeader), "bad_tcp_header");
}

} // namespace
} // namespace wst::test
