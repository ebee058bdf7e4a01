// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>

namespace wst {

/// Every bound wstrace keeps on memory and work, in one place (docs/limits.md lists them with
/// their CLI options). Tripping one is reported as a named anomaly; the rest of the capture is
/// still analysed.
struct Limits {
    /// Out-of-order bytes buffered per TCP direction before the reassembler gives up on the
    /// hole, reports `tcp_buffer_limit_exceeded` and skips ahead (reported as a gap).
    std::size_t reassemblyBytesPerDirection = 4 * 1024 * 1024;
    /// Out-of-order segments buffered per TCP direction.
    std::size_t reassemblySegmentsPerDirection = 4096;
    /// Most recently delivered bytes kept per TCP direction to compare retransmissions against
    /// (`tcp_overlap_conflict`); older retransmitted bytes are dropped unchecked. Grows with the
    /// stream up to this size.
    std::size_t retransmitCheckBytes = 4096;
    /// Largest HTTP head (request or response line plus headers) before `http_head_too_large`.
    std::size_t httpHeadBytes = 64 * 1024;
    /// Payload bytes kept per message for display and export; the rest is counted.
    std::size_t payloadPrefixBytes = 64 * 1024;
    /// Whether text and binary message payloads are kept at all. Off when no output shows them
    /// (the CLI's text summary): binary payloads are then counted without being unmasked or
    /// copied, and text is unmasked only for its UTF-8 check. Control frames are still read
    /// whole (close codes and reasons, pongs matched to pings).
    bool keepMessagePayloads = true;
    /// Decompressed bytes per permessage-deflate message before `ws_deflate_size_limit`.
    std::size_t inflatedBytesPerMessage = 64 * 1024 * 1024;
    /// Decompression work per connection (both directions) before `ws_deflate_budget_exceeded`:
    /// every decompressed byte, and 32 KiB for every restart after a final deflate block
    /// (InflateBudget). Grows by inflateWorkPerCompressedByte for each compressed byte. Past it
    /// the connection's compressed messages are counted (frames, wire length), not inflated.
    std::size_t inflateWorkPerConnection = 256 * 1024 * 1024;
    /// The same budget shared by every connection of the capture (or live run).
    std::size_t inflateWorkPerCapture = std::size_t{1024} * 1024 * 1024;
    /// What each compressed byte adds to both budgets: a ratio well above what deflate reaches
    /// on real traffic over a connection, well below a bomb's 1032:1.
    std::size_t inflateWorkPerCompressedByte = 256;
    /// Anomalies kept per connection and id; further ones are counted, not stored.
    std::size_t anomaliesPerConnectionAndId = 20;
    /// Connections tracked at once; past it the least recently active one is ended. About
    /// 3 KiB each while open (measured), so the default bounds that state near 600 MiB.
    std::size_t maxConnections = 200'000;
    /// Idle time after which a live connection is expired (live mode only), nanoseconds.
    std::int64_t idleTimeoutNs = 600'000'000'000;
};

} // namespace wst
