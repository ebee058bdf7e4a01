// SPDX-License-Identifier: MIT
#pragma once

#include "capture/core/packet_source.h"

#include <optional>
#include <string>

namespace wst {

/// libpcap's DLT value (pcap_datalink) → the link types wstrace decodes; nullopt otherwise.
/// Handles platform differences such as DLT_RAW being 12 (or 14) while files store 101.
std::optional<LinkType> linkTypeFromDlt(int dlt);

/// The DLT value for pcap_open_dead / pcap_compile with `type`.
int dltFromLinkType(LinkType type);

/// "link type 105 (IEEE802_11, 802.11) is not supported; wstrace decodes Ethernet, ..." .
std::string unsupportedLinkTypeMessage(int dlt);

} // namespace wst
