// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <span>
#include <string>

namespace wst {

/// Bytes viewed, never owned. Whoever hands one out states how long it stays valid.
using Bytes = std::span<const std::uint8_t>;

/// A capture timestamp in nanoseconds since the Unix epoch. Always taken from the capture,
/// never from the wall clock (DESIGN.md "Determinism").
struct Timestamp {
    std::int64_t ns = 0;

    static constexpr Timestamp fromSecondsNanos(std::int64_t s, std::int64_t nanos) {
        return {s * 1'000'000'000 + nanos};
    }
    constexpr double seconds() const { return static_cast<double>(ns) / 1e9; }
    friend constexpr auto operator<=>(Timestamp, Timestamp) = default;
};

/// Signed duration in nanoseconds.
constexpr std::int64_t operator-(Timestamp a, Timestamp b) {
    return a.ns - b.ns;
}

/// Which way bytes travel inside one connection. The client is the side that sent the first
/// SYN; when no SYN was seen, the side that sent to the lower-looking service port (see
/// FlowTable), corrected later by the decoder if the HTTP request shows the other way.
enum class Direction : std::uint8_t { ClientToServer = 0, ServerToClient = 1 };

constexpr Direction opposite(Direction d) {
    return d == Direction::ClientToServer ? Direction::ServerToClient : Direction::ClientToServer;
}
constexpr int index(Direction d) {
    return static_cast<int>(d);
}

/// An IPv4 or IPv6 address; IPv4 is stored in the first four bytes.
struct IpAddress {
    std::array<std::uint8_t, 16> bytes{};
    bool v6 = false;

    friend auto operator<=>(const IpAddress&, const IpAddress&) = default;
    /// Same result as member-wise equality, as two word compares (it runs for every packet).
    friend bool operator==(const IpAddress& a, const IpAddress& b) {
        std::uint64_t x[2];
        std::uint64_t y[2];
        std::memcpy(x, a.bytes.data(), 16);
        std::memcpy(y, b.bytes.data(), 16);
        return ((x[0] ^ y[0]) | (x[1] ^ y[1])) == 0 && a.v6 == b.v6;
    }
    std::string toString() const;
};

struct Endpoint {
    IpAddress address;
    std::uint16_t port = 0;

    friend auto operator<=>(const Endpoint&, const Endpoint&) = default;
    /// "10.0.0.1:80" or "[::1]:80".
    std::string toString() const;
};

/// Connection ids are dense and start at 1 in the order connections are first seen.
using ConnId = std::uint32_t;

/// Packet numbers start at 1 in file order, like Wireshark's frame numbers.
using PacketNumber = std::uint64_t;

/// Where something was seen: the packet that carried it and that packet's capture time. The
/// reassembler attaches one to every byte run and event it delivers; decoders pass it on.
struct SegmentInfo {
    PacketNumber packet = 0;
    Timestamp time;
};

} // namespace wst
