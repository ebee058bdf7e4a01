// SPDX-License-Identifier: MIT
#pragma once

#include "capture/core/packet_source.h"

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace wst {

/// Reads a pcapng file (draft-ietf-opsawg-pcapng) from a stream, without libpcap: every
/// Interface Description Block keeps its own link type and timestamp resolution, so a file
/// written by `dumpcap -i eth0 -i lo` (Ethernet and loopback, or `any`'s cooked headers) is
/// read with each packet's own link type, where libpcap refuses the second link type (issue
/// 21). Enhanced, Simple and obsolete Packet Blocks carry packets; other blocks are skipped;
/// each Section Header Block starts a new interface list and may change the byte order.
///
/// The stream is read sequentially (fread), so pipes, FIFOs and standard input work as well as
/// files. Packet data is copied into one buffer reused per block and is valid until the next
/// call to next(); a block is at most kMaxBlockBytes, so memory is bounded whatever the file
/// says. Damage (a cut block, a length that is not a multiple of 4 or disagrees with its
/// trailer, a packet on an interface never described) stops the reader with ReadStatus::Error
/// after every packet before it was delivered, with a message naming the file and the packet.
class PcapngSource final : public PacketSource {
public:
    /// Largest block accepted: libpcap's largest snap length plus generous room for options.
    static constexpr std::uint32_t kMaxBlockBytes = 16u << 20;
    /// Largest number of interfaces per section (each costs a few bytes).
    static constexpr std::size_t kMaxInterfaces = 65536;

    /// Reads from `file`, which the source owns and closes; `name` stands for the path in
    /// messages. The Section Header Block is read here: check isOpen() / errorMessage().
    PcapngSource(std::FILE* file, std::string name);
    ~PcapngSource() override;
    PcapngSource(const PcapngSource&) = delete;
    PcapngSource& operator=(const PcapngSource&) = delete;

    bool isOpen() const { return m_file != nullptr && !m_failed; }
    ReadStatus next(RawPacket& packet) override;
    void requestStop() override { m_stop = true; }
    std::string errorMessage() const override { return m_error; }
    std::string describe() const override { return m_name; }

    /// True when `first4` is the pcapng Section Header Block type (either byte order).
    static bool looksLikePcapng(const std::uint8_t* first4);

private:
    struct Interface {
        std::uint32_t linkType = 0;
        std::uint64_t unitsPerSecond = 1'000'000; ///< if_tsresol; default microseconds
        std::int64_t offsetSeconds = 0;           ///< if_tsoffset
    };
    enum class BlockResult { Ok, End, Damaged };
    BlockResult readBlock(std::uint32_t& type);
    bool parseSection();
    bool parseInterface();
    ReadStatus fail(std::string why);
    std::uint32_t load32(std::size_t at) const;
    std::uint16_t load16(std::size_t at) const;
    Timestamp toTime(const Interface& itf, std::uint64_t ticks) const;

    std::FILE* m_file = nullptr;
    std::string m_name;
    std::string m_error;
    std::vector<std::uint8_t> m_block; ///< the current block, whole (header to trailer)
    std::vector<Interface> m_interfaces;
    bool m_swapped = false;
    bool m_failed = false;
    PacketNumber m_count = 0;
    Timestamp m_lastTime{};
    std::atomic<bool> m_stop{false};
};

} // namespace wst
