// SPDX-License-Identifier: MIT
// Fuzz target: pcap and pcapng reading through the real PcapFileSource (libpcap), from a
// memory stream (fmemopen) so no file is written per input. The one target linking libpcap.
#include "capture/source/pcap_file_source.h"

#include <cstdio>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0; // fmemopen rejects an empty buffer
    }
    std::FILE* file = fmemopen(const_cast<std::uint8_t*>(data), size, "rb");
    if (file == nullptr) {
        return 0;
    }
    wst::PcapFileSource source(file, "fuzz-input"); // owns and closes `file`
    wst::RawPacket packet;
    std::uint64_t sum = 0;
    for (int i = 0; i < 100000 && source.next(packet) == wst::ReadStatus::Packet; ++i) {
        for (auto b : packet.data) { // every delivered byte must be readable (ASan)
            sum += b;
        }
    }
    (void)source.errorMessage();
    return static_cast<int>(sum & 0);
}
