// SPDX-License-Identifier: MIT
#include "capture/file/mmap_pcap_source.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace wst {

namespace {

constexpr std::size_t kFileHeader = 24;
constexpr std::size_t kRecordHeader = 16;
/// libpcap's MAXIMUM_SNAPLEN: larger captured lengths are damage, not packets.
constexpr std::uint32_t kMaxSnapLength = 262144;
/// Pages behind the reader are dropped from memory in steps of this size.
constexpr std::size_t kReleaseStep = std::size_t{4} << 20;
constexpr std::size_t kKeepBehind = std::size_t{8} << 20;

std::uint32_t load32(const std::uint8_t* p, bool swapped) {
    std::uint32_t v = 0;
    std::memcpy(&v, p, 4);
    return swapped ? __builtin_bswap32(v) : v;
}

std::uint16_t load16(const std::uint8_t* p, bool swapped) {
    std::uint16_t v = 0;
    std::memcpy(&v, p, 2);
    return swapped ? __builtin_bswap16(v) : v;
}

bool knownLinkType(std::uint32_t v) {
    switch (static_cast<LinkType>(v)) {
    case LinkType::Null:
    case LinkType::Ethernet:
    case LinkType::Raw:
    case LinkType::Loop:
    case LinkType::LinuxSll:
    case LinkType::Ipv4:
    case LinkType::Ipv6:
    case LinkType::LinuxSll2:
        return true;
    }
    return false;
}

} // namespace

bool MmapPcapSource::parseHeader(Bytes bytes, Header& header, std::string& why) {
    if (bytes.size() < kFileHeader) {
        why = "shorter than a pcap file header";
        return false;
    }
    const std::uint8_t* p = bytes.data();
    std::uint32_t magic = 0;
    std::memcpy(&magic, p, 4);
    // The writer's byte order shows in the magic (pcap file format, section "File Header").
    switch (magic) {
    case 0xa1b2c3d4:
        header = {false, false, 0, {}};
        break;
    case 0xa1b23c4d:
        header = {false, true, 0, {}};
        break;
    case 0xd4c3b2a1:
        header = {true, false, 0, {}};
        break;
    case 0x4d3cb2a1:
        header = {true, true, 0, {}};
        break;
    default:
        why = "not a classic pcap file";
        return false;
    }
    if (load16(p + 4, header.swapped) != 2 || load16(p + 6, header.swapped) != 4) {
        why = "pcap version other than 2.4";
        return false;
    }
    header.snapLength = load32(p + 16, header.swapped);
    const std::uint32_t link = load32(p + 20, header.swapped);
    if (header.snapLength == 0 || header.snapLength > kMaxSnapLength) {
        why = fmt::format("snap length {} outside 1..{}", header.snapLength, kMaxSnapLength);
        return false;
    }
    if (!knownLinkType(link)) {
        why = fmt::format("link type {} not decoded", link);
        return false;
    }
    header.linkType = static_cast<LinkType>(link);
    return true;
}

MmapPcapSource::MmapPcapSource(std::string path)
    : m_path(std::move(path)) {
    const int fd = ::open(m_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        m_error = fmt::format("{}: cannot open: {}", m_path, std::strerror(errno));
        m_failed = true;
        return;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        static_cast<std::size_t>(st.st_size) < kFileHeader) {
        ::close(fd);
        m_error = fmt::format("{}: not a regular file holding a pcap header", m_path);
        m_failed = true;
        return;
    }
    m_size = static_cast<std::size_t>(st.st_size);
    void* map = ::mmap(nullptr, m_size, PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (map == MAP_FAILED) {
        m_error = fmt::format("{}: cannot map: {}", m_path, std::strerror(errno));
        m_failed = true;
        return;
    }
    m_base = static_cast<const std::uint8_t*>(map);
    m_pageSize = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    ::madvise(map, m_size, MADV_SEQUENTIAL);
    std::string why;
    if (!parseHeader(Bytes(m_base, m_size), m_header, why)) {
        m_error = fmt::format("{}: {}", m_path, why);
        m_failed = true;
        return;
    }
    m_offset = kFileHeader;
}

MmapPcapSource::~MmapPcapSource() {
    if (m_base != nullptr)
        ::munmap(const_cast<std::uint8_t*>(m_base), m_size);
}

ReadStatus MmapPcapSource::fail(std::string why) {
    m_error = fmt::format("{}: damaged after packet {}: {}", m_path, m_count, why);
    m_failed = true;
    return ReadStatus::Error;
}

void MmapPcapSource::release(std::size_t upTo) {
    // Only whole pages strictly behind the current record: its bytes stay valid until next().
    // Keep the last kKeepBehind bytes: a consumer on another thread (AnalysisThread) may still
    // read the most recent packets' bytes; older ones would only be faulted back in.
    if (upTo < kKeepBehind)
        return;
    const std::size_t end = (upTo - kKeepBehind) / m_pageSize * m_pageSize;
    if (end <= m_released + kReleaseStep)
        return;
    ::madvise(const_cast<std::uint8_t*>(m_base) + m_released, end - m_released, MADV_DONTNEED);
    m_released = end;
}

ReadStatus MmapPcapSource::next(RawPacket& packet) {
    if (m_failed || m_base == nullptr)
        return ReadStatus::Error;
    if (m_stop)
        return ReadStatus::EndOfFile;
    const std::size_t left = m_size - m_offset;
    if (left == 0)
        return ReadStatus::EndOfFile;
    if (left < kRecordHeader)
        return fail(fmt::format("record header cut short ({} of {} bytes)", left, kRecordHeader));
    const std::uint8_t* h = m_base + m_offset;
    const bool sw = m_header.swapped;
    const std::uint32_t seconds = load32(h, sw);
    const std::uint32_t fraction = load32(h + 4, sw);
    const std::uint32_t captured = load32(h + 8, sw);
    const std::uint32_t original = load32(h + 12, sw);
    if (captured > m_header.snapLength || captured > original)
        return fail(fmt::format("captured length {} above the snap length {} or the original "
                                "length {}",
                                captured, m_header.snapLength, original));
    if (left - kRecordHeader < captured)
        return fail(
            fmt::format("record data cut short ({} of {} bytes)", left - kRecordHeader, captured));
    release(m_offset);
    packet.number = ++m_count;
    packet.time = Timestamp::fromSecondsNanos(
        seconds, m_header.nanoseconds ? std::int64_t{fraction} : std::int64_t{fraction} * 1000);
    packet.capturedLength = captured;
    packet.originalLength = original;
    packet.linkType = m_header.linkType;
    packet.data = Bytes(h + kRecordHeader, captured);
    m_offset += kRecordHeader + captured;
    // The next record's header and link/IP/TCP headers: fetched while this packet is analysed
    // (each record is otherwise a cache miss at its first byte, a tenth of the reading thread).
    if (m_offset + 128 <= m_size) {
        __builtin_prefetch(m_base + m_offset);
        __builtin_prefetch(m_base + m_offset + 64);
    }
    return ReadStatus::Packet;
}

} // namespace wst
