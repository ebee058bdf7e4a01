// SPDX-License-Identifier: MIT
#include "capture/file/pcapng_source.h"

#include <cstring>
#include <fmt/format.h>

namespace wst {

namespace {

// Block types (draft-ietf-opsawg-pcapng §4 and §11.1).
constexpr std::uint32_t kSectionHeader = 0x0A0D0D0A;
constexpr std::uint32_t kInterfaceDescription = 0x00000001;
constexpr std::uint32_t kObsoletePacket = 0x00000002;
constexpr std::uint32_t kSimplePacket = 0x00000003;
constexpr std::uint32_t kEnhancedPacket = 0x00000006;
constexpr std::uint32_t kByteOrderMagic = 0x1A2B3C4D;
// Interface options (§4.2).
constexpr std::uint16_t kOptEnd = 0;
constexpr std::uint16_t kOptTsResol = 9;
constexpr std::uint16_t kOptTsOffset = 14;

std::uint32_t raw32(const std::uint8_t* p) {
    std::uint32_t v = 0;
    std::memcpy(&v, p, 4);
    return v;
}

} // namespace

bool PcapngSource::looksLikePcapng(const std::uint8_t* first4) {
    return raw32(first4) == kSectionHeader; // the same in both byte orders
}

PcapngSource::PcapngSource(std::FILE* file, std::string name)
    : m_file(file)
    , m_name(std::move(name)) {
    if (m_file == nullptr) {
        m_error = fmt::format("{}: no stream to read", m_name);
        m_failed = true;
        return;
    }
    std::uint32_t type = 0;
    const BlockResult r = readBlock(type);
    if (r != BlockResult::Ok || type != kSectionHeader) {
        if (m_error.empty())
            m_error = fmt::format("{}: not a pcapng capture (no section header block)", m_name);
        else
            m_error = fmt::format("{}: not a pcapng capture, or its header is damaged ({})", m_name,
                                  m_error.substr(m_name.size() + 2));
        m_failed = true;
        return;
    }
    if (!parseSection()) {
        m_error = fmt::format("{}: not a pcapng capture, or its header is damaged ({})", m_name,
                              m_error.substr(m_name.size() + 2));
        m_failed = true;
    }
}

PcapngSource::~PcapngSource() {
    if (m_file != nullptr)
        std::fclose(m_file);
}

std::uint32_t PcapngSource::load32(std::size_t at) const {
    const std::uint32_t v = raw32(m_block.data() + at);
    return m_swapped ? __builtin_bswap32(v) : v;
}

std::uint16_t PcapngSource::load16(std::size_t at) const {
    std::uint16_t v = 0;
    std::memcpy(&v, m_block.data() + at, 2);
    return m_swapped ? __builtin_bswap16(v) : v;
}

PcapngSource::BlockResult PcapngSource::readBlock(std::uint32_t& type) {
    auto damaged = [this](std::string why) {
        m_error = fmt::format("{}: {}", m_name, why);
        return BlockResult::Damaged;
    };
    m_block.resize(12);
    const std::size_t got = std::fread(m_block.data(), 1, 8, m_file);
    if (got == 0 && std::feof(m_file))
        return BlockResult::End;
    if (got < 8)
        return damaged(fmt::format("block header cut short ({} of 8 bytes)", got));
    const std::uint32_t rawType = raw32(m_block.data());
    if (rawType == kSectionHeader) {
        // The byte-order magic decides how this section's lengths read (§4.1).
        if (std::fread(m_block.data() + 8, 1, 4, m_file) < 4)
            return damaged("section header cut short");
        const std::uint32_t magic = raw32(m_block.data() + 8);
        if (magic == kByteOrderMagic)
            m_swapped = false;
        else if (magic == __builtin_bswap32(kByteOrderMagic))
            m_swapped = true;
        else
            return damaged(fmt::format("section header byte-order magic {:#010x}", magic));
    }
    type = load32(0);
    const std::uint32_t length = load32(4);
    const std::uint32_t minimum = rawType == kSectionHeader ? 28 : 12;
    if (length < minimum || length % 4 != 0 || length > kMaxBlockBytes)
        return damaged(fmt::format("block of type {:#x} with length {} (a multiple of 4, {} to {})",
                                   type, length, minimum, kMaxBlockBytes));
    const std::size_t have = rawType == kSectionHeader ? 12 : 8;
    m_block.resize(length);
    const std::size_t body = std::fread(m_block.data() + have, 1, length - have, m_file);
    if (body < length - have)
        return damaged(fmt::format("block of type {:#x} cut short ({} of {} bytes)", type,
                                   have + body, length));
    if (load32(length - 4) != length)
        return damaged(fmt::format("block of type {:#x}: trailing length {} differs from {}", type,
                                   load32(length - 4), length));
    return BlockResult::Ok;
}

bool PcapngSource::parseSection() {
    // §4.1: major version 1; the minor may be 0 or 2 (both are read the same way).
    if (load16(12) != 1) {
        m_error = fmt::format("{}: pcapng major version {}", m_name, load16(12));
        return false;
    }
    m_interfaces.clear();
    return true;
}

bool PcapngSource::parseInterface() {
    if (m_block.size() < 20) {
        m_error =
            fmt::format("{}: interface description block of {} bytes", m_name, m_block.size());
        return false;
    }
    if (m_interfaces.size() >= kMaxInterfaces) {
        m_error = fmt::format("{}: more than {} interfaces in one section", m_name, kMaxInterfaces);
        return false;
    }
    Interface itf;
    itf.linkType = load16(8);
    const std::size_t end = m_block.size() - 4;
    for (std::size_t at = 16; at + 4 <= end;) {
        const std::uint16_t code = load16(at);
        const std::uint16_t length = load16(at + 2);
        at += 4;
        if (code == kOptEnd || length > end - at)
            break;
        if (code == kOptTsResol && length >= 1) {
            // §4.2 if_tsresol: top bit clear = 10^-v s, set = 2^-v s.
            const std::uint8_t v = m_block[at];
            const unsigned exponent = v & 0x7f;
            if ((v & 0x80) ? exponent > 63 : exponent > 19) {
                m_error = fmt::format("{}: interface {} timestamp resolution {:#04x} not "
                                      "representable",
                                      m_name, m_interfaces.size(), v);
                return false;
            }
            std::uint64_t units = 1;
            for (unsigned i = 0; i < exponent; ++i)
                units *= (v & 0x80) ? 2 : 10;
            itf.unitsPerSecond = units;
        } else if (code == kOptTsOffset && length >= 8) {
            std::uint64_t seconds = 0;
            std::memcpy(&seconds, m_block.data() + at, 8);
            if (m_swapped)
                seconds = __builtin_bswap64(seconds);
            itf.offsetSeconds = static_cast<std::int64_t>(seconds);
        }
        at += (static_cast<std::size_t>(length) + 3) / 4 * 4;
    }
    m_interfaces.push_back(itf);
    return true;
}

Timestamp PcapngSource::toTime(const Interface& itf, std::uint64_t ticks) const {
    const std::uint64_t seconds = ticks / itf.unitsPerSecond;
    const std::uint64_t rest = ticks % itf.unitsPerSecond;
    const auto nanos = static_cast<std::int64_t>(static_cast<unsigned __int128>(rest) *
                                                 1'000'000'000u / itf.unitsPerSecond);
    // Seconds beyond what nanoseconds since 1970 hold in 64 bits are clamped (damage, not time).
    constexpr std::uint64_t kMaxSeconds = 9'000'000'000;
    const auto s = static_cast<std::int64_t>(seconds > kMaxSeconds ? kMaxSeconds : seconds);
    return Timestamp::fromSecondsNanos(s + itf.offsetSeconds, nanos);
}

ReadStatus PcapngSource::fail(std::string why) {
    m_error = fmt::format("{}: damaged after packet {}: {}", m_name, m_count, why);
    m_failed = true;
    return ReadStatus::Error;
}

ReadStatus PcapngSource::next(RawPacket& packet) {
    if (m_failed || m_file == nullptr)
        return ReadStatus::Error;
    for (;;) {
        if (m_stop)
            return ReadStatus::EndOfFile;
        std::uint32_t type = 0;
        const BlockResult r = readBlock(type);
        if (r == BlockResult::End)
            return ReadStatus::EndOfFile;
        if (r == BlockResult::Damaged)
            return fail(m_error.substr(m_name.size() + 2));
        const std::size_t size = m_block.size();
        std::uint32_t interfaceId = 0;
        std::uint64_t ticks = 0;
        std::uint32_t captured = 0;
        std::uint32_t original = 0;
        std::size_t dataAt = 0;
        bool timed = true;
        switch (type) {
        case kSectionHeader:
            if (!parseSection())
                return fail(m_error.substr(m_name.size() + 2));
            continue;
        case kInterfaceDescription:
            if (!parseInterface())
                return fail(m_error.substr(m_name.size() + 2));
            continue;
        case kEnhancedPacket: // §4.3
            if (size < 32)
                return fail(fmt::format("enhanced packet block of {} bytes", size));
            interfaceId = load32(8);
            ticks = (std::uint64_t{load32(12)} << 32) | load32(16);
            captured = load32(20);
            original = load32(24);
            dataAt = 28;
            break;
        case kObsoletePacket: // Appendix A (obsolete Packet Block): 16-bit interface id
            if (size < 32)
                return fail(fmt::format("packet block of {} bytes", size));
            interfaceId = load16(8);
            ticks = (std::uint64_t{load32(12)} << 32) | load32(16);
            captured = load32(20);
            original = load32(24);
            dataAt = 28;
            break;
        case kSimplePacket: // §4.4: interface 0, no timestamp, captured = min(original, room)
            if (size < 16)
                return fail(fmt::format("simple packet block of {} bytes", size));
            original = load32(8);
            dataAt = 12;
            captured =
                static_cast<std::uint32_t>(std::min<std::uint64_t>(original, size - dataAt - 4));
            timed = false;
            break;
        default:
            continue; // name resolution, statistics, decryption secrets, custom: not packets
        }
        if (captured > size - dataAt - 4)
            return fail(
                fmt::format("captured length {} larger than its block ({} bytes)", captured, size));
        if (interfaceId >= m_interfaces.size())
            return fail(fmt::format("packet on interface {}, but {} interface(s) described",
                                    interfaceId, m_interfaces.size()));
        const Interface& itf = m_interfaces[interfaceId];
        packet.number = ++m_count;
        // A Simple Packet Block has no time: it takes the previous packet's.
        packet.time = timed ? toTime(itf, ticks) : m_lastTime;
        m_lastTime = packet.time;
        packet.capturedLength = captured;
        packet.originalLength = std::max(original, captured);
        packet.linkType = static_cast<LinkType>(itf.linkType);
        packet.data = Bytes(m_block.data() + dataAt, captured);
        packet.timeFractionInvalid = false; // pcapng counts ticks: no separate fraction
        return ReadStatus::Packet;
    }
}

} // namespace wst
