// SPDX-License-Identifier: MIT
#pragma once

#include "tests/support/pcap_writer.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace wst::test {

/// Hand-built TCP connections written to a pcap file: each call appends correctly numbered,
/// checksummed Ethernet/IPv4/TCP packets to a PcapOut, 10 µs apart on `clock`. Direction 0 is
/// client→server.
class PcapConversation {
public:
    /// Called on every built frame before it is written (to damage headers on purpose).
    using Mutator = std::function<void(std::vector<std::uint8_t>& frame)>;

    PcapConversation(PcapOut& out, std::int64_t& clock, Ep4 client, Ep4 server,
                     std::uint32_t clientIsn = 1000, std::uint32_t serverIsn = 500000);

    void synOnly(); ///< the client's SYN alone (a half-open connection)
    void handshake();
    /// `bytes` from `dir` in segments of at most `mss`, each acknowledged.
    void send(int dir, std::span<const std::uint8_t> bytes, std::size_t mss = 1448,
              const Mutator& mutate = {});
    void send(int dir, std::string_view text, std::size_t mss = 1448);
    /// One segment at stream offset `relOffset` (0 = first byte after the SYN) without moving
    /// the direction's next sequence number past what was already sent.
    void segmentAt(int dir, std::uint64_t relOffset, std::span<const std::uint8_t> bytes);
    void fin(int dir);
    /// One segment with any `flags` and sequence number, as an injector would send it: the
    /// direction's state (bytes sent, FIN) does not change.
    void inject(int dir, std::uint8_t flags, std::uint32_t seq,
                std::span<const std::uint8_t> payload = {});
    /// The sequence number of the next byte `dir` sends.
    std::uint32_t nextSeq(int dir) const {
        return m_isn[dir] + 1 + static_cast<std::uint32_t>(m_sent[dir]);
    }
    /// A valid RFC 6455 upgrade: upgradeRequest() and gorilla101() (tests/support/http_heads.h).
    /// `extensions` is offered and accepted as given ("" for none).
    void upgrade(std::string_view extensions = "");
    /// Upgrade, `n` text messages from the client each echoed by the server
    /// ({"seq":i,"conn":<client port>}, at least 20 bytes), Close 1000 both ways, FIN both ways.
    void normalSession(int messages);

    std::uint64_t sent(int dir) const { return m_sent[dir]; }

private:
    void packet(int dir, std::uint8_t flags, std::uint32_t seq,
                std::span<const std::uint8_t> payload, const Mutator& mutate = {});

    PcapOut& m_out;
    std::int64_t& m_clock;
    Ep4 m_ep[2];
    std::uint32_t m_isn[2];
    std::uint64_t m_sent[2] = {0, 0}; ///< payload bytes sent per direction
    bool m_fin[2] = {false, false};
    std::uint16_t m_ipId[2] = {1, 1};
    std::vector<std::uint8_t> m_frame;
};

/// Many WebSocket connections for tests that need a large capture: each does the TCP
/// handshake, the upgrade, `messages` text messages each way, a Close each way and FIN both
/// ways (PcapConversation::normalSession). Connections overlap: a new one starts every
/// `spacingUs` microseconds.
struct SynthOptions {
    int connections = 1000;
    int messages = 4;
    std::int64_t spacingUs = 2000;
};

/// Writes SynthOptions' capture to `path`. Returns the number of packets written, or -1 if the
/// file could not be written.
long long writeSyntheticCapture(const std::string& path, const SynthOptions& options);

} // namespace wst::test
