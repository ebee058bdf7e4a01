// SPDX-License-Identifier: MIT
#pragma once

// Packets built header by header, each field as given, for the capture layer's tests of
// malformed, fragmented, tagged and IPv6 input. Whole checksummed Ethernet/IPv4/TCP frames
// for traffic are buildFrame's (tests/support/pcap_writer.h).

#include "capture/net/packet_decoder.h"
#include "tests/support/bytes.h"

#include <array>
#include <cstdint>
#include <vector>

namespace wst::test {

/// A TCP header field by field; checksum and urgent pointer are written as zero.
struct Tcp {
    std::uint16_t sport = 40000, dport = 80;
    std::uint32_t seq = 1000, ack = 0;
    std::uint8_t flags = tcpflag::Ack;
    std::uint16_t window = 1024;
    Buf options; ///< padded to 4 bytes with NOPs
    Buf payload;
};

inline Buf tcp(const Tcp& t) {
    Buf options = t.options;
    while (options.size() % 4 != 0)
        options.push_back(1); // NOP
    Buf b;
    put16(b, t.sport);
    put16(b, t.dport);
    put32(b, t.seq);
    put32(b, t.ack);
    b.push_back(static_cast<std::uint8_t>(((20 + options.size()) / 4) << 4));
    b.push_back(t.flags);
    put16(b, t.window);
    put32(b, 0); // checksum, urgent pointer
    b = cat(b, options);
    return cat(b, t.payload);
}

/// An IPv4 header (IHL from `options`, padded; header checksum 0) before `payload`.
inline Buf ipv4(const Buf& payload, std::uint8_t proto = 6, Buf options = {},
                std::uint16_t fragment = 0x4000, std::array<std::uint8_t, 4> src = {10, 0, 0, 1},
                std::array<std::uint8_t, 4> dst = {10, 0, 0, 2}) {
    while (options.size() % 4 != 0)
        options.push_back(0);
    const std::size_t ihl = 20 + options.size();
    Buf b;
    b.push_back(static_cast<std::uint8_t>(0x40 | (ihl / 4)));
    b.push_back(0);
    put16(b, static_cast<std::uint16_t>(ihl + payload.size()));
    put16(b, 0x1234);
    put16(b, fragment);
    b.push_back(64);
    b.push_back(proto);
    put16(b, 0);
    b.insert(b.end(), src.begin(), src.end());
    b.insert(b.end(), dst.begin(), dst.end());
    b = cat(b, options);
    return cat(b, payload);
}

inline std::array<std::uint8_t, 16> v6addr(std::uint8_t last) {
    std::array<std::uint8_t, 16> a{0x20, 0x01, 0x0d, 0xb8};
    a[15] = last;
    return a;
}

/// `rest` is the extension headers (if any) followed by the upper-layer header and data.
inline Buf ipv6(std::uint8_t next, const Buf& rest, std::uint8_t srcLast = 1,
                std::uint8_t dstLast = 2) {
    Buf b{0x60, 0, 0, 0};
    put16(b, static_cast<std::uint16_t>(rest.size()));
    b.push_back(next);
    b.push_back(64);
    auto s = v6addr(srcLast), d = v6addr(dstLast);
    b.insert(b.end(), s.begin(), s.end());
    b.insert(b.end(), d.begin(), d.end());
    return cat(b, rest);
}

/// An Ethernet II header with fixed addresses and optional 802.1Q tags (VLAN 100) before
/// `payload`.
inline Buf ethernet(std::uint16_t type, const Buf& payload, std::vector<std::uint16_t> tags = {}) {
    Buf b{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    for (std::uint16_t tpid : tags) {
        put16(b, tpid);
        put16(b, 0x0064); // VLAN 100
    }
    put16(b, type);
    return cat(b, payload);
}

} // namespace wst::test
