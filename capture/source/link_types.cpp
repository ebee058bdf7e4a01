// SPDX-License-Identifier: MIT
#include "capture/source/link_types.h"

#include <fmt/format.h>
#include <pcap/pcap.h>

namespace wst {

std::optional<LinkType> linkTypeFromDlt(int dlt) {
    switch (dlt) {
    case DLT_NULL:
        return LinkType::Null;
    case DLT_EN10MB:
        return LinkType::Ethernet;
    case DLT_RAW:
        return LinkType::Raw;
    case DLT_LOOP:
        return LinkType::Loop;
    case DLT_LINUX_SLL:
        return LinkType::LinuxSll;
    case DLT_LINUX_SLL2:
        return LinkType::LinuxSll2;
    case DLT_IPV4:
        return LinkType::Ipv4;
    case DLT_IPV6:
        return LinkType::Ipv6;
    default:
        break;
    }
    // LINKTYPE_RAW as stored in files, in case libpcap hands it through unmapped.
    if (dlt == static_cast<int>(LinkType::Raw))
        return LinkType::Raw;
    return std::nullopt;
}

int dltFromLinkType(LinkType type) {
    switch (type) {
    case LinkType::Null:
        return DLT_NULL;
    case LinkType::Ethernet:
        return DLT_EN10MB;
    case LinkType::Raw:
        return DLT_RAW;
    case LinkType::Loop:
        return DLT_LOOP;
    case LinkType::LinuxSll:
        return DLT_LINUX_SLL;
    case LinkType::LinuxSll2:
        return DLT_LINUX_SLL2;
    case LinkType::Ipv4:
        return DLT_IPV4;
    case LinkType::Ipv6:
        return DLT_IPV6;
    }
    return DLT_EN10MB;
}

std::string unsupportedLinkTypeMessage(int dlt) {
    const char* name = pcap_datalink_val_to_name(dlt);
    const char* description = pcap_datalink_val_to_description(dlt);
    std::string what = fmt::format("link type {}", dlt);
    if (name != nullptr)
        what += fmt::format(" ({}{}{})", name, description != nullptr ? ", " : "",
                            description != nullptr ? description : "");
    return what + " is not supported; wstrace decodes Ethernet (with VLAN tags), Linux cooked "
                  "(SLL, SLL2), BSD loopback (NULL, LOOP) and raw IPv4/IPv6";
}

} // namespace wst
