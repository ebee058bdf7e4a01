// SPDX-License-Identifier: MIT
// Fuzz target: the libpcap-free pcapng reader (capture/file/pcapng_source), which reads every
// interface with its own link type. Input: the bytes of a capture file, read through a memory
// stream (fmemopen) as a pipe or a file would be.
#include "capture/file/pcapng_source.h"

#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0; // fmemopen rejects an empty buffer
    }
    std::FILE* file = fmemopen(const_cast<std::uint8_t*>(data), size, "rb");
    if (file == nullptr) {
        return 0;
    }
    wst::PcapngSource source(file, "fuzz-input"); // owns and closes `file`
    wst::RawPacket packet;
    std::uint64_t sum = 0;
    wst::PacketNumber expected = 1;
    // Every block is at least 12 bytes, so a file cannot hold more packets than this.
    const std::size_t maxPackets = size / 12 + 1;
    while (source.next(packet) == wst::ReadStatus::Packet) {
        if (packet.number != expected++ || packet.number > maxPackets ||
            packet.data.size() != packet.capturedLength ||
            packet.capturedLength > packet.originalLength) {
            std::abort();
        }
        for (auto b : packet.data) { // every delivered byte must be readable (ASan)
            sum += b;
        }
    }
    (void)source.errorMessage();
    return static_cast<int>(sum & 0);
}
