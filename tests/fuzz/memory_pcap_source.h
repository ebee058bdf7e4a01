// SPDX-License-Identifier: MIT
#pragma once

#include "capture/core/packet_source.h"

#include <cstring>
#include <string>

namespace wst::fuzz {

/// A classic-pcap reader over bytes in memory, so pipeline fuzzing needs no libpcap (DESIGN.md:
/// fuzz targets link without it). Test code only: the product reads files through libpcap.
/// Both byte orders, micro- and nanosecond magics; records past the end or with a capture
/// length above 256 KiB end the input with an error, as a damaged file would.
class MemoryPcapSource final : public PacketSource {
public:
    MemoryPcapSource(const std::uint8_t* data, std::size_t size)
        : m_data(data)
        , m_size(size) {
        if (size < 24) {
            m_error = "short global header";
            return;
        }
        const std::uint32_t magic = le32(0);
        if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d) {
            m_swap = false;
        } else if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1) {
            m_swap = true;
        } else {
            m_error = "bad magic";
            return;
        }
        m_nano = magic == 0xa1b23c4d || magic == 0x4d3cb2a1;
        m_link = static_cast<LinkType>(u32(20));
        m_pos = 24;
    }

    ReadStatus next(RawPacket& p) override {
        if (!m_error.empty()) {
            return ReadStatus::Error;
        }
        if (m_pos == m_size) {
            return ReadStatus::EndOfFile;
        }
        if (m_size - m_pos < 16) {
            m_error = "truncated record header";
            return ReadStatus::Error;
        }
        const std::uint32_t caplen = u32(m_pos + 8);
        if (caplen > 262144 || caplen > m_size - m_pos - 16) {
            m_error = "truncated or oversized record";
            return ReadStatus::Error;
        }
        p.number = ++m_number;
        const std::int64_t frac = u32(m_pos + 4);
        p.time = Timestamp::fromSecondsNanos(u32(m_pos), m_nano ? frac : frac * 1000);
        p.capturedLength = caplen;
        p.originalLength = u32(m_pos + 12);
        p.linkType = m_link;
        p.data = {m_data + m_pos + 16, caplen};
        m_pos += 16 + caplen;
        return ReadStatus::Packet;
    }
    void requestStop() override {}
    std::string errorMessage() const override { return m_error; }
    std::string describe() const override { return "memory"; }

private:
    std::uint32_t le32(std::size_t at) const {
        std::uint32_t v;
        std::memcpy(&v, m_data + at, 4);
        return v;
    }
    std::uint32_t u32(std::size_t at) const {
        const std::uint32_t v = le32(at);
        return m_swap ? __builtin_bswap32(v) : v;
    }

    const std::uint8_t* m_data;
    std::size_t m_size;
    std::size_t m_pos = 0;
    bool m_swap = false, m_nano = false;
    LinkType m_link = LinkType::Ethernet;
    PacketNumber m_number = 0;
    std::string m_error;
};

} // namespace wst::fuzz
