// SPDX-License-Identifier: MIT
#include "decoder/model/format.h"

#include <cstdlib>

namespace wst {

std::string formatTimestamp(Timestamp t) {
    const bool negative = t.ns < 0;
    // Work on the magnitude so -0.5 s prints as "-0.500000000", not "0.-500000000".
    const std::uint64_t magnitude = negative ? std::uint64_t{0} - static_cast<std::uint64_t>(t.ns)
                                             : static_cast<std::uint64_t>(t.ns);
    return fmt::format("{}{}.{:09}", negative ? "-" : "", magnitude / 1'000'000'000,
                       magnitude % 1'000'000'000);
}

std::string formatDuration(std::int64_t ns) {
    const double abs = std::abs(static_cast<double>(ns));
    if (abs < 1e3) {
        return fmt::format("{} ns", ns);
    }
    if (abs < 1e6) {
        return fmt::format("{:.1f} µs", static_cast<double>(ns) / 1e3);
    }
    if (abs < 1e9) {
        return fmt::format("{:.2f} ms", static_cast<double>(ns) / 1e6);
    }
    return fmt::format("{:.3f} s", static_cast<double>(ns) / 1e9);
}

} // namespace wst
