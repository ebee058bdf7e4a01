// SPDX-License-Identifier: MIT
#include "capture/source/pcapng_writer.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fmt/format.h>

namespace wst {

namespace {

// Block types and option codes (pcapng §4.1-4.3, §3.5).
constexpr std::uint32_t SectionHeaderBlock = 0x0a0d0d0a;
constexpr std::uint32_t InterfaceDescriptionBlock = 0x00000001;
constexpr std::uint32_t EnhancedPacketBlock = 0x00000006;
constexpr std::uint32_t ByteOrderMagic = 0x1a2b3c4d;
constexpr std::uint16_t OptEndOfOpt = 0;
constexpr std::uint16_t OptShbUserAppl = 4;
constexpr std::uint16_t OptIfTsResol = 9;
constexpr std::uint32_t SnapLength = 262144;

template <typename T>
void put(std::vector<std::uint8_t>& b, T value) {
    const std::size_t at = b.size();
    b.resize(at + sizeof(T));
    std::memcpy(b.data() + at, &value, sizeof(T));
}

void putPadded(std::vector<std::uint8_t>& b, const std::uint8_t* data, std::size_t n) {
    b.insert(b.end(), data, data + n);
    b.resize(b.size() + (4 - n % 4) % 4, 0); // every field is padded to 32 bits
}

void putOption(std::vector<std::uint8_t>& b, std::uint16_t code, const void* data,
               std::uint16_t length) {
    put(b, code);
    put(b, length);
    putPadded(b, static_cast<const std::uint8_t*>(data), length);
}

/// Starts a block: type and a placeholder for the total length, patched by endBlock.
void beginBlock(std::vector<std::uint8_t>& b, std::uint32_t type) {
    b.clear();
    put(b, type);
    put(b, std::uint32_t{0});
}

void endBlock(std::vector<std::uint8_t>& b) {
    const auto total = static_cast<std::uint32_t>(b.size() + 4);
    std::memcpy(b.data() + 4, &total, 4);
    put(b, total); // the length is repeated at the end so readers can walk backwards
}

} // namespace

PcapngWriter::PcapngWriter(std::string path, std::string application)
    : m_path(std::move(path)) {
    m_file = std::fopen(m_path.c_str(), "wb");
    if (m_file == nullptr) {
        m_error = fmt::format("{}: cannot create: {}", m_path, std::strerror(errno));
        return;
    }
    beginBlock(m_block, SectionHeaderBlock);
    put(m_block, ByteOrderMagic);
    put(m_block, std::uint16_t{1}); // major version
    put(m_block, std::uint16_t{0}); // minor version
    put(m_block, std::int64_t{-1}); // section length not given
    putOption(m_block, OptShbUserAppl, application.data(),
              static_cast<std::uint16_t>(std::min<std::size_t>(application.size(), 0xfff0)));
    putOption(m_block, OptEndOfOpt, nullptr, 0);
    endBlock(m_block);
    writeBlock();
}

PcapngWriter::~PcapngWriter() {
    finish();
}

bool PcapngWriter::write(const RawPacket& packet) {
    if (m_file == nullptr)
        return false;
    auto found = m_interfaces.find(packet.linkType);
    if (found == m_interfaces.end()) {
        const auto id = static_cast<std::uint32_t>(m_interfaces.size());
        beginBlock(m_block, InterfaceDescriptionBlock);
        put(m_block, static_cast<std::uint16_t>(packet.linkType)); // LINKTYPE_* value
        put(m_block, std::uint16_t{0});
        put(m_block, SnapLength);
        const std::uint8_t nanoseconds = 9; // 10^-9
        putOption(m_block, OptIfTsResol, &nanoseconds, 1);
        putOption(m_block, OptEndOfOpt, nullptr, 0);
        endBlock(m_block);
        if (!writeBlock())
            return false;
        found = m_interfaces.emplace(packet.linkType, id).first;
    }
    const std::size_t caplen = std::min<std::size_t>(packet.data.size(), packet.capturedLength);
    const auto ts = static_cast<std::uint64_t>(packet.time.ns);
    beginBlock(m_block, EnhancedPacketBlock);
    put(m_block, found->second);
    put(m_block, static_cast<std::uint32_t>(ts >> 32));
    put(m_block, static_cast<std::uint32_t>(ts));
    put(m_block, static_cast<std::uint32_t>(caplen));
    put(m_block,
        std::max<std::uint32_t>(packet.originalLength, static_cast<std::uint32_t>(caplen)));
    putPadded(m_block, packet.data.data(), caplen);
    endBlock(m_block);
    if (!writeBlock())
        return false;
    ++m_packets;
    return true;
}

bool PcapngWriter::finish() {
    if (m_file == nullptr)
        return m_error.empty();
    const bool flushed = std::fflush(m_file) == 0;
    const int flushError = errno;
    const bool closed = std::fclose(m_file) == 0;
    m_file = nullptr;
    if ((!flushed || !closed) && m_error.empty())
        m_error = fmt::format("{}: cannot write: {}", m_path,
                              std::strerror(flushed ? errno : flushError));
    return m_error.empty();
}

bool PcapngWriter::writeBlock() {
    if (m_file == nullptr)
        return false;
    if (std::fwrite(m_block.data(), 1, m_block.size(), m_file) != m_block.size()) {
        fail("cannot write");
        return false;
    }
    return true;
}

void PcapngWriter::fail(const char* what) {
    if (m_error.empty())
        m_error = fmt::format("{}: {}: {}", m_path, what, std::strerror(errno));
    if (m_file != nullptr) {
        std::fclose(m_file);
        m_file = nullptr;
    }
}

} // namespace wst
