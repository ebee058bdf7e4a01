// SPDX-License-Identifier: MIT
#pragma once

#include "capture/core/types.h"

#include <optional>
#include <string>

namespace wst {

/// DLT_* link-layer types wstrace decodes (values from the pcap LINKTYPE registry).
enum class LinkType : std::uint32_t {
    Null = 0,       ///< BSD loopback: 4-byte host-order address family
    Ethernet = 1,   ///< Ethernet II, 802.1Q and QinQ tags
    Raw = 101,      ///< raw IPv4/IPv6 (LINKTYPE_RAW)
    Loop = 108,     ///< OpenBSD loopback: 4-byte network-order address family
    LinuxSll = 113, ///< Linux cooked capture v1 (tcpdump -i any, older)
    Ipv4 = 228,
    Ipv6 = 229,
    LinuxSll2 = 276, ///< Linux cooked capture v2 (tcpdump -i any)
};

/// One captured packet. `data` points into the source's buffer and stays valid until the next
/// call to PacketSource::next().
struct RawPacket {
    PacketNumber number = 0; ///< 1-based, in file order
    Timestamp time;
    std::uint32_t capturedLength = 0; ///< bytes in `data`
    std::uint32_t originalLength = 0; ///< bytes on the wire; > capturedLength when snapped
    LinkType linkType = LinkType::Ethernet;
    Bytes data;
    /// Set by a file reader when the record's sub-second field is a second or more (a pcap
    /// microsecond field ≥ 10^6): `time` then carries the excess into the seconds, as libpcap
    /// does, and the pipeline reports capture_timestamp_invalid.
    bool timeFractionInvalid = false;
};

enum class ReadStatus {
    Packet,    ///< `packet` was filled
    EndOfFile, ///< no more packets (file end, or a stopped live capture)
    Timeout,   ///< live only: nothing arrived within the read timeout; call again
    Error,     ///< see errorMessage(); for files, packets before the damage were delivered
};

/// A live capture's kernel counters (libpcap's pcap_stats), named as tcpdump prints them at exit.
/// They count from the start of the capture; on Linux `receivedByFilter` includes the packets
/// the kernel then dropped.
struct SourceCounters {
    std::uint64_t receivedByFilter = 0;   ///< packets that passed the capture filter
    std::uint64_t droppedByKernel = 0;    ///< no room in the capture buffer (raise -B)
    std::uint64_t droppedByInterface = 0; ///< dropped by the NIC or its driver, where reported

    friend bool operator==(const SourceCounters&, const SourceCounters&) = default;
};

/// Where packets come from: a file, a live interface, or a paced replay of a file.
/// Not thread-safe, except requestStop() which may be called from any thread.
class PacketSource {
public:
    virtual ~PacketSource() = default;
    virtual ReadStatus next(RawPacket& packet) = 0;
    /// Makes a blocked or future next() return EndOfFile soon. Safe from any thread.
    virtual void requestStop() = 0;
    /// The last error in one line, naming the file or interface.
    virtual std::string errorMessage() const = 0;
    /// A short name for status bars and reports: the file path or the interface name.
    virtual std::string describe() const = 0;
    /// Kernel counters of a live capture; std::nullopt for files and replays, whose packets
    /// cannot be dropped. Call on the thread that calls next(); sources that wrap another
    /// source forward it.
    virtual std::optional<SourceCounters> counters() { return std::nullopt; }
    /// Memory that holds every packet's data and stays readable until the source is destroyed
    /// (a memory-mapped file), so packet bytes inside it may be referenced after next() moves
    /// on. Empty (the default) when packet data is valid only until the next call to next().
    virtual Bytes stableMemory() const { return {}; }
};

} // namespace wst
