// SPDX-License-Identifier: MIT
#pragma once

#include "capture/core/packet_source.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace wst {

/// Default kernel capture buffer (CLI -B, in KiB): 32 MiB holds about a quarter of a second of
/// 1 Gbit/s, room to ride out a stall of the analysis thread; libpcap's own 2 MiB lost a few
/// hundred packets of a 1 GB replay on lo (README "Performance").
inline constexpr int kDefaultLiveBufferBytes = 32 << 20;

/// How to open a live capture (the tcpdump options of the same meaning in brackets).
struct LiveOptions {
    std::string interface;   ///< "eth0", "lo", "any" [-i]
    std::string filter;      ///< BPF expression, empty for everything [filter expression]
    int snapLength = 262144; ///< bytes kept per packet [-s]
    bool promiscuous = true; ///< [-p turns it off]
    /// Deliver each packet at once instead of per block. On Linux it costs a ring slot of the
    /// interface MTU per packet (64 KiB on lo: 512 packets in 32 MiB), so a fast sender on lo
    /// overruns the buffer. Off: packets arrive in blocks, within readTimeoutMs (CLI and GUI;
    /// the CLI's --immediate-mode turns it on).
    bool immediateMode = false;
    int bufferBytes = kDefaultLiveBufferBytes; ///< kernel buffer; 0 keeps libpcap's [-B, KiB]
    int readTimeoutMs = 250; ///< next() returns ReadStatus::Timeout after this long idle
};

/// libpcap's counters (pcap_stats): what the kernel saw and what it had to drop.
struct LiveStats {
    std::uint64_t received = 0;
    std::uint64_t droppedByKernel = 0;    ///< buffer full: raise bufferBytes
    std::uint64_t droppedByInterface = 0; ///< dropped by the NIC or driver
};

/// One capture device as pcap_findalldevs lists it.
struct InterfaceInfo {
    std::string name;
    std::string description;            ///< may be empty
    std::vector<std::string> addresses; ///< IPv4 and IPv6 addresses, as text
    bool loopback = false;
    bool up = false;
    bool running = false;
};

/// Captures from a network interface through libpcap (pcap_create / pcap_activate).
///
/// next() returns Packet, Timeout (nothing within readTimeoutMs; call again), EndOfFile once
/// requestStop() was called, or Error. Packets are numbered from 1; timestamps are the
/// kernel's, in nanoseconds when the platform offers them.
///
/// Errors are one line naming the interface. Missing privileges say what is needed: live
/// capture needs CAP_NET_RAW and CAP_NET_ADMIN, and how to grant them.
class LiveSource final : public PacketSource {
public:
    explicit LiveSource(LiveOptions options);
    ~LiveSource() override;
    LiveSource(const LiveSource&) = delete;
    LiveSource& operator=(const LiveSource&) = delete;

    bool isOpen() const;
    LinkType linkType() const { return m_linkType; }
    /// A libpcap warning from activation (e.g. promiscuous mode not supported), or "".
    const std::string& warning() const { return m_warning; }

    ReadStatus next(RawPacket& packet) override;
    /// Safe from any thread while the source exists: wakes a blocked next() (pcap_breakloop).
    /// next() then still delivers the packets that had arrived — waiting at most the read
    /// timeout (+50 ms) for the kernel to hand over its last block, 20 ms in immediate mode —
    /// and returns EndOfFile.
    void requestStop() override;
    std::string errorMessage() const override { return m_error; }
    std::string describe() const override { return m_options.interface; }

    /// Kernel counters; call on the thread that calls next(). nullopt when not available.
    std::optional<LiveStats> stats();
    /// The same counters through the PacketSource interface (what the pipeline records).
    std::optional<SourceCounters> counters() override;

    /// Every capture device, with descriptions and addresses. On failure returns an empty
    /// list and sets `*error` (if given).
    static std::vector<InterfaceInfo> listInterfaces(std::string* error = nullptr);
    /// Compiles `expression` for `linkType` without opening anything: "" when valid, else a
    /// one-line message ("bad capture filter "tcp prot 80": syntax error"). For checking a
    /// filter as the user types it.
    static std::string checkFilter(const std::string& expression, LinkType linkType,
                                   int snapLength = 262144);

private:
    /// Compiles and installs the capture filter; false with m_error set when it is bad.
    bool installFilter();
    /// On a Linux loopback, has the kernel pass only received packets (see the .cpp).
    void narrowLoopback();

    struct Handle;
    std::unique_ptr<Handle> m_handle;
    LiveOptions m_options;
    std::string m_error;
    std::string m_warning;
    LinkType m_linkType = LinkType::Ethernet;
    bool m_nanoseconds = false;
    bool m_failed = false;
    bool m_polling = false;  ///< non-blocking reads with our own poll (see the constructor)
    bool m_draining = false; ///< stop requested: delivering what arrived until m_drainUntil
    std::chrono::steady_clock::time_point m_drainUntil;
    PacketNumber m_count = 0;
    std::atomic<bool> m_stop{false};
};

} // namespace wst
