// SPDX-License-Identifier: MIT
#pragma once

#include "core/packet_source.h"
#include "run.h"

#include <memory>
#include <string>

namespace wst::cli {

/// Opens a pcap or pcapng file. On failure returns null and sets `error` to one line that names
/// the file and says what is wrong (missing, not a capture, unsupported link type).
std::unique_ptr<PacketSource> openFile(const std::string& path, std::string& error);

/// Opens `config.interface` with `config.filter`; with `config.saveFile` every packet read is
/// also written there as pcapng. On failure returns null and sets `error` (naming the missing
/// permission when that is the cause). On success `notice` holds the lines to show on stderr,
/// as tcpdump does: libpcap's warning if any, then "listening on IFACE, ...".
std::unique_ptr<PacketSource> openLive(const Config& config, std::string& error,
                                       std::string& notice);

/// After a live capture: a one-line warning when the kernel or the interface dropped packets
/// (what was analysed is then incomplete), else "". Call on the thread that read the source.
std::string liveDropWarning(PacketSource& source);

} // namespace wst::cli
