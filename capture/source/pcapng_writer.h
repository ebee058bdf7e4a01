// SPDX-License-Identifier: MIT
#pragma once

#include "capture/core/packet_source.h"

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace wst {

/// Writes packets to a pcapng file (the format spec: draft-ietf-opsawg-pcapng): one Section
/// Header Block, one Interface Description Block per link type (written before its first
/// packet, with nanosecond timestamps: if_tsresol = 9), and one Enhanced Packet Block per
/// packet with its captured bytes, original length and capture timestamp. Used for `-w` on
/// live captures and for exporting chosen connections. Byte order is the host's (the SHB's
/// byte-order magic tells readers).
class PcapngWriter {
public:
    /// Creates (truncates) `path`; check isOpen() / errorMessage().
    explicit PcapngWriter(std::string path, std::string application = "wstrace");
    ~PcapngWriter(); ///< finishes the file if finish() was not called
    PcapngWriter(const PcapngWriter&) = delete;
    PcapngWriter& operator=(const PcapngWriter&) = delete;

    bool isOpen() const { return m_file != nullptr; }
    /// Appends one packet. False on a write error (then errorMessage() says which).
    bool write(const RawPacket& packet);
    /// Flushes and closes. False if anything failed.
    bool finish();

    std::uint64_t packetsWritten() const { return m_packets; }
    const std::string& errorMessage() const { return m_error; }

private:
    bool writeBlock();
    void fail(const char* what);

    std::string m_path;
    std::FILE* m_file = nullptr;
    std::string m_error;
    std::map<LinkType, std::uint32_t> m_interfaces; ///< link type → interface id
    std::vector<std::uint8_t> m_block;              ///< reused for every block
    std::uint64_t m_packets = 0;
};

} // namespace wst
