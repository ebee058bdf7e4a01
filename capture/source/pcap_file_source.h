// SPDX-License-Identifier: MIT
#pragma once

#include "capture/core/packet_source.h"

#include <atomic>
#include <cstdio>
#include <memory>
#include <string>

namespace wst {

/// Reads a pcap or pcapng file through libpcap: micro- and nanosecond timestamps (always
/// delivered in nanoseconds), either byte order. Packets are numbered from 1 in file order.
///
/// Errors are one line and name the file: a missing file, a file that is not a capture (bad
/// magic), an unsupported link type (named, e.g. "link type 105 (IEEE802_11)"), and damage
/// after some packets (a truncated file): then next() first delivers every packet before the
/// damage and then returns ReadStatus::Error.
class PcapFileSource final : public PacketSource {
public:
    /// Opens `path`; check isOpen() / errorMessage(). A source that failed to open returns
    /// ReadStatus::Error from next().
    explicit PcapFileSource(std::string path);
    /// Reads from an open stream (e.g. fmemopen, for fuzzing), which the source owns and closes
    /// in every case; `name` stands for the path in messages and describe().
    PcapFileSource(std::FILE* file, std::string name);
    ~PcapFileSource() override;
    PcapFileSource(const PcapFileSource&) = delete;
    PcapFileSource& operator=(const PcapFileSource&) = delete;

    bool isOpen() const;
    /// The file's link type (valid when isOpen()).
    LinkType linkType() const { return m_linkType; }
    /// The file's snap length from its header (valid when isOpen()).
    std::uint32_t snapLength() const { return m_snapLength; }

    ReadStatus next(RawPacket& packet) override;
    void requestStop() override { m_stop = true; }
    std::string errorMessage() const override { return m_error; }
    std::string describe() const override { return m_path; }

private:
    void open(std::FILE* file);

    struct Handle;
    std::unique_ptr<Handle> m_handle;
    std::string m_path;
    std::string m_error;
    LinkType m_linkType = LinkType::Ethernet;
    std::uint32_t m_snapLength = 0;
    PacketNumber m_count = 0;
    bool m_failed = false;
    std::atomic<bool> m_stop{false};
};

} // namespace wst
