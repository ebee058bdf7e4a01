// SPDX-License-Identifier: MIT
#pragma once

#include "app/cli/run.h"
#include "capture/core/packet_source.h"
#include "decoder/model/trace.h"

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

/// After a live capture: tcpdump's exit counters from `stats.kernel` in one line ("lo: 812
/// packets received by filter, 0 dropped by kernel, 0 dropped by interface"), plus a hint when
/// packets were dropped (what was analysed is then incomplete). "" when the source had no
/// counters. The JSON `stats` object carries the same numbers.
std::string liveCounterReport(const CaptureStats& stats);

} // namespace wst::cli
