// SPDX-License-Identifier: MIT
#include "capture/file/mmap_pcap_source.h"

#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <mutex>
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

// A file truncated while it is mapped raises SIGBUS at the first touch of a page past its new
// end (issue 21: exit 135). The handler below maps a page of zeros over the faulting page of a
// registered mapping and flags it, so the access completes; the reader then stops at its next
// record with a clear error instead of trusting the zeros. Faults outside every registered
// mapping get the previous disposition back and fault again, as if no handler existed.
struct MappingSlot {
    std::atomic<std::uintptr_t> begin{0};
    std::atomic<std::uintptr_t> end{0};
    std::atomic<bool> faulted{false};
};
constexpr std::size_t kSlots = 64;
std::array<MappingSlot, kSlots> g_slots;
struct sigaction g_previous {};
std::once_flag g_installed;
std::uintptr_t g_pageSize = 4096;

void onSigbus(int sig, siginfo_t* info, void* context) {
    const auto address = reinterpret_cast<std::uintptr_t>(info->si_addr);
    for (MappingSlot& slot : g_slots) {
        const std::uintptr_t begin = slot.begin.load(std::memory_order_acquire);
        if (begin == 0 || address < begin || address >= slot.end.load(std::memory_order_acquire))
            continue;
        const std::uintptr_t page = address & ~(g_pageSize - 1);
        void* zero = ::mmap(reinterpret_cast<void*>(page), g_pageSize, PROT_READ,
                            MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        if (zero != MAP_FAILED) {
            slot.faulted.store(true, std::memory_order_release);
            return;
        }
        break;
    }
    // Not ours (or no page to put there): what would have happened without this handler.
    ::sigaction(sig, &g_previous, nullptr);
    (void)context;
}

void installSigbusHandler() {
    std::call_once(g_installed, [] {
        g_pageSize = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
        struct sigaction action {};
        action.sa_sigaction = onSigbus;
        action.sa_flags = SA_SIGINFO | SA_NODEFER;
        sigemptyset(&action.sa_mask);
        ::sigaction(SIGBUS, &action, &g_previous);
    });
}

MappingSlot* registerMapping(const std::uint8_t* base, std::size_t size) {
    installSigbusHandler();
    for (MappingSlot& slot : g_slots) {
        std::uintptr_t expected = 0;
        const auto begin = reinterpret_cast<std::uintptr_t>(base);
        // Claim a free slot: `end` first, so the handler never sees a half-written range.
        if (slot.begin.load() == 0 && slot.end.compare_exchange_strong(expected, begin + size)) {
            slot.faulted.store(false);
            slot.begin.store(begin, std::memory_order_release);
            return &slot;
        }
    }
    return nullptr; // more than kSlots files mapped at once: unprotected, as before
}

void unregisterMapping(MappingSlot* slot) {
    if (slot == nullptr)
        return;
    slot->begin.store(0, std::memory_order_release);
    slot->end.store(0, std::memory_order_release);
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
    map(fd);
    ::close(fd);
}

MmapPcapSource::MmapPcapSource(std::string path, int fd)
    : m_path(std::move(path)) {
    map(fd);
}

void MmapPcapSource::map(int fd) {
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        static_cast<std::size_t>(st.st_size) < kFileHeader) {
        m_error = fmt::format("{}: not a regular file holding a pcap header", m_path);
        m_failed = true;
        return;
    }
    m_size = static_cast<std::size_t>(st.st_size);
    void* map = ::mmap(nullptr, m_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED) {
        m_error = fmt::format("{}: cannot map: {}", m_path, std::strerror(errno));
        m_failed = true;
        return;
    }
    m_base = static_cast<const std::uint8_t*>(map);
    m_slot = registerMapping(m_base, m_size);
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
    if (m_base != nullptr) {
        unregisterMapping(static_cast<MappingSlot*>(m_slot));
        ::munmap(const_cast<std::uint8_t*>(m_base), m_size);
    }
}

bool MmapPcapSource::shrank() const {
    return m_shrank || (m_slot != nullptr && static_cast<const MappingSlot*>(m_slot)->faulted.load(
                                                 std::memory_order_acquire));
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
    if (shrank()) {
        m_shrank = true;
        return fail("the file shrank while it was being read (truncated under the reader); "
                    "the packets before this point were analysed");
    }
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
    if (shrank()) { // the header just read was past the file's new end: zeros, not a record
        m_shrank = true;
        return fail("the file shrank while it was being read (truncated under the reader); "
                    "the packets before this point were analysed");
    }
    if (left - kRecordHeader < captured)
        return fail(
            fmt::format("record data cut short ({} of {} bytes)", left - kRecordHeader, captured));
    release(m_offset);
    packet.number = ++m_count;
    packet.time = Timestamp::fromSecondsNanos(
        seconds, m_header.nanoseconds ? std::int64_t{fraction} : std::int64_t{fraction} * 1000);
    packet.timeFractionInvalid = fraction >= (m_header.nanoseconds ? 1'000'000'000u : 1'000'000u);
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
