// SPDX-License-Identifier: MIT
// Fuzz target: link, IP and TCP header decoding (capture/net) on every link type wstrace knows.
// Input: one byte choosing the link type, then the packet bytes.
#include "capture/net/packet_decoder.h"

#include <array>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using wst::LinkType;
    static constexpr std::array kLinks = {LinkType::Ethernet, LinkType::Null,     LinkType::Raw,
                                          LinkType::Loop,     LinkType::LinuxSll, LinkType::Ipv4,
                                          LinkType::Ipv6,     LinkType::LinuxSll2};
    if (size < 1) {
        return 0;
    }
    wst::RawPacket p;
    p.number = 1;
    p.linkType = kLinks[data[0] % kLinks.size()];
    p.data = {data + 1, size - 1};
    p.capturedLength = static_cast<std::uint32_t>(size - 1);
    p.originalLength = p.capturedLength + (data[0] >> 7) * 100; // sometimes snapped
    const wst::DecodedPacket d = wst::decodePacket(p);
    if (d.status == wst::DecodeStatus::Ok) {
        // The payload must lie inside the packet (decodePacket's "never reads outside").
        const auto* begin = p.data.data();
        const auto* end = begin + p.data.size();
        if (!d.tcp.payload.empty() &&
            (d.tcp.payload.data() < begin || d.tcp.payload.data() + d.tcp.payload.size() > end)) {
            std::abort();
        }
    }
    return 0;
}
