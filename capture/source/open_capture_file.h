// SPDX-License-Identifier: MIT
#pragma once

#include "capture/core/packet_source.h"

#include <memory>
#include <string>

namespace wst {

/// The one way the CLI and GUI open a capture file. Classic pcap files are read by
/// MmapPcapSource (mmap, no copies); pcapng, unusual headers and anything the fast reader
/// stops at go through libpcap (PcapFileSource), continuing after the packets already
/// delivered — so packets, numbers, times and error messages are exactly PcapFileSource's.
/// Returns nullptr with a one-line `error` naming the file when it cannot be read at all.
std::unique_ptr<PacketSource> openCaptureFile(const std::string& path, std::string& error);

} // namespace wst
