// SPDX-License-Identifier: MIT
#pragma once

// Classic pcap files and Ethernet/IPv4/TCP frames with correct checksums, for the tests and
// the bench generator (tests/bench/gen).

#include "capture/net/packet_decoder.h"

#include <cstdint>
#include <cstdio>
#include <span>
#include <string>
#include <vector>

namespace wst::test {

/// Small deterministic PRNG (splitmix64 seeding xoshiro256**). The standard distributions are
/// implementation-defined, so the generator draws its own numbers to stay byte-identical
/// across standard libraries for the same seed.
class Rng {
public:
    explicit Rng(std::uint64_t seed);
    std::uint64_t next();
    /// Uniform in [lo, hi] (inclusive); hi >= lo.
    std::uint64_t range(std::uint64_t lo, std::uint64_t hi);
    /// True with probability pct / 100.
    bool chance(double pct);
    void fill(std::uint8_t* out, std::size_t n);

private:
    std::uint64_t m_s[4];
};

/// Writes a classic pcap file (nanosecond magic 0xa1b23c4d, LINKTYPE_ETHERNET) through a large
/// buffer. Throws std::runtime_error on I/O errors.
class PcapOut {
public:
    PcapOut(const std::string& path, std::uint32_t snaplen = 262144, std::uint32_t linkType = 1);
    ~PcapOut();
    PcapOut(const PcapOut&) = delete;
    PcapOut& operator=(const PcapOut&) = delete;

    /// One record. `origLen` defaults to the captured length.
    void write(std::int64_t tsNs, std::span<const std::uint8_t> frame, std::uint32_t origLen = 0);
    /// Raw bytes (for hostile files that break the record structure).
    void writeRaw(std::span<const std::uint8_t> bytes);
    void close();
    std::uint64_t bytes() const { return m_bytes; }
    std::uint64_t packets() const { return m_packets; }

private:
    void flush();
    std::FILE* m_file = nullptr;
    std::vector<std::uint8_t> m_buf;
    std::uint64_t m_bytes = 0;
    std::uint64_t m_packets = 0;
};

/// IPv4 endpoint in host byte order.
struct Ep4 {
    std::uint32_t ip = 0;
    std::uint16_t port = 0;
};

/// A TCP segment to be framed as Ethernet + IPv4 + TCP; `flags` are wst::tcpflag bits.
struct SegmentSpec {
    Ep4 src, dst;
    std::uint32_t seq = 0, ack = 0;
    std::uint8_t flags = 0;
    std::uint16_t window = 512; ///< scaled by the SYN's window scale option (7)
    std::uint16_t ipId = 0;
    std::uint32_t tsVal = 0, tsEcr = 0; ///< RFC 7323 timestamps (always present)
    std::uint16_t mss = 1448;           ///< announced in SYN / SYN-ACK
    std::span<const std::uint8_t> payload;
};

/// Builds the frame for `s` into `out` (cleared first), with correct IPv4 header and TCP
/// checksums (RFC 791 §3.1, RFC 9293 §3.1).
void buildFrame(const SegmentSpec& s, std::vector<std::uint8_t>& out);

/// Internet checksum (RFC 1071) of `data` added to `sum`, not folded or complemented.
std::uint64_t checksumAdd(std::uint64_t sum, const std::uint8_t* data, std::size_t n);
std::uint16_t checksumFold(std::uint64_t sum);

} // namespace wst::test
