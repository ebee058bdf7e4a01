// SPDX-License-Identifier: MIT
#pragma once

#include "capture/core/packet_source.h"

#include <atomic>
#include <cstddef>
#include <string>

namespace wst {

/// Reads a classic pcap file (magic a1b2c3d4 µs or a1b23c4d ns, either byte order, version
/// 2.4) through mmap, without libpcap and without copying packet bytes. Timestamps are
/// delivered in nanoseconds, packets numbered from 1 in file order — as PcapFileSource does.
///
/// It is deliberately strict: it accepts only what it can read exactly as libpcap would and
/// stops with ReadStatus::Error at the first record it does not (truncation, a captured length
/// above the snap length or the original length, a file that is not classic pcap, an
/// unlisted link type). fallbackCount() then tells how many packets were delivered, so a
/// caller may continue with libpcap from there and report libpcap's own message
/// (openCaptureFile does this). Pages already read are released as it goes, so its resident
/// memory stays a few MiB whatever the file size.
class MmapPcapSource final : public PacketSource {
public:
    explicit MmapPcapSource(std::string path);
    /// Maps the already open `fd` (not closed by the source; the mapping outlives it), so a
    /// path is opened once (issue 21: a FIFO opened twice could block forever). `path` names it
    /// in messages.
    MmapPcapSource(std::string path, int fd);
    ~MmapPcapSource() override;
    MmapPcapSource(const MmapPcapSource&) = delete;
    MmapPcapSource& operator=(const MmapPcapSource&) = delete;

    /// True when the file is mapped and its header is a classic pcap header this reader takes.
    bool isOpen() const { return m_base != nullptr && !m_failed; }
    ReadStatus next(RawPacket& packet) override;
    void requestStop() override { m_stop = true; }
    std::string errorMessage() const override { return m_error; }
    std::string describe() const override { return m_path; }
    /// The whole mapping: pages behind the reader are released to the page cache, not unmapped,
    /// so bytes referenced later are read back from it.
    Bytes stableMemory() const override { return m_base ? Bytes(m_base, m_size) : Bytes{}; }
    /// True once a page of the mapping could not be read because the file was truncated while
    /// mapped (SIGBUS, caught: the page reads as zeros and next() stops with an error). A
    /// caller must not fall back to another reader then: the file is not what it was.
    bool shrank() const;
    /// Packets delivered so far.
    PacketNumber delivered() const { return m_count; }

    /// Parses the 24-byte file header; exposed for tests and the fuzz target.
    struct Header {
        bool swapped = false;
        bool nanoseconds = false;
        std::uint32_t snapLength = 0;
        LinkType linkType = LinkType::Ethernet;
    };
    /// False (with `why`) when `bytes` does not start with a header this reader takes.
    static bool parseHeader(Bytes bytes, Header& header, std::string& why);

private:
    void map(int fd);
    ReadStatus fail(std::string why);
    void release(std::size_t upTo);

    std::string m_path;
    std::string m_error;
    const std::uint8_t* m_base = nullptr;
    std::size_t m_size = 0;
    std::size_t m_offset = 0;
    std::size_t m_released = 0;
    std::size_t m_pageSize = 4096;
    Header m_header;
    PacketNumber m_count = 0;
    bool m_failed = false;
    bool m_shrank = false;
    void* m_slot = nullptr; ///< the SIGBUS handler's record of this mapping
    std::atomic<bool> m_stop{false};
};

} // namespace wst
