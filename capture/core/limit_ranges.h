// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>

namespace wst {

/// The values a configurable `Limits` field (capture/core/limits.h) may take, inclusive, as
/// the CLI enforces them (docs/limits.md, "Sizes and counts on the command line"): wide enough for
/// any real capture, narrow enough that the tool keeps working — no size so small that nothing
/// decodes, none so large that a length from the capture could make it allocate or loop
/// unboundedly (issue 21).
struct LimitRange {
    std::uint64_t min = 0;
    std::uint64_t max = 0;
};

namespace limit_range {
inline constexpr std::uint64_t KiB = 1024, MiB = 1024 * KiB, GiB = 1024 * MiB;
inline constexpr LimitRange reassemblyBytesPerDirection{64 * KiB, GiB};
inline constexpr LimitRange httpHeadBytes{KiB, 16 * MiB};
inline constexpr LimitRange payloadPrefixBytes{0, GiB};
inline constexpr LimitRange inflatedBytesPerMessage{KiB, 4 * GiB};
inline constexpr LimitRange inflateWorkPerConnection{MiB, 64 * GiB};
inline constexpr LimitRange inflateWorkPerCapture{MiB, 1024 * GiB};
inline constexpr LimitRange anomaliesPerConnectionAndId{1, 1'000'000};
inline constexpr LimitRange maxConnections{1, 100'000'000};
} // namespace limit_range

} // namespace wst
