// SPDX-License-Identifier: MIT
// Fuzz target: the mmap classic-pcap reader (capture/file), which reads files without libpcap.
// Input: the bytes of a capture file. They are written to an anonymous in-memory file
// (memfd) and opened by its /proc path, so the reader maps exactly these bytes.
#include "capture/file/mmap_pcap_source.h"

#include <cstdlib>
#include <string>
#include <sys/mman.h>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const int fd = memfd_create("wst_fuzz_pcap", 0);
    if (fd < 0)
        return 0;
    std::size_t written = 0;
    while (written < size) {
        const ssize_t n = write(fd, data + written, size - written);
        if (n <= 0)
            break;
        written += static_cast<std::size_t>(n);
    }
    {
        wst::MmapPcapSource source("/proc/self/fd/" + std::to_string(fd));
        wst::RawPacket packet;
        wst::PacketNumber expected = 1;
        // Every record is at least 16 bytes of header, so a file cannot hold more packets
        // than this; more would mean the reader loops.
        const std::size_t maxPackets = size / 16 + 1;
        while (source.next(packet) == wst::ReadStatus::Packet) {
            if (packet.number != expected++ || expected > maxPackets + 1)
                std::abort();
            if (packet.data.size() != packet.capturedLength ||
                packet.capturedLength > packet.originalLength)
                std::abort();
        }
        if (source.delivered() != expected - 1)
            std::abort();
    }
    close(fd);
    return 0;
}
