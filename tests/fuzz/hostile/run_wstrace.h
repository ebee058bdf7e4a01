// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace wst::hostile {

/// What one run of the real `wstrace -r FILE --format jsonl` produced, read from its JSONL
/// stream as it arrives (so outputs of hundreds of megabytes are never held).
struct WstraceRun {
    int exitCode = -1; ///< -1: killed by a signal (see `signal`)
    int signal = 0;
    long peakRssKiB = 0; ///< wstrace's peak RSS (/usr/bin/time %M, else wait4 ru_maxrss)
    double seconds = 0;
    std::string stderrText;
    /// What the tests read from each "connection_end" line (kept small: 100 000 of them).
    struct Conn {
        std::string client, outcome;
        bool cleanClose = false;
        std::uint64_t frames[2] = {0, 0};       ///< c2s, s2c
        std::uint64_t binaryFrames[2] = {0, 0}; ///< frames_by_opcode.binary
    };
    std::vector<Conn> connections;                  ///< in output order
    std::map<std::string, std::uint64_t> anomalies; ///< anomaly id → lines seen
    nlohmann::json finishStats;                     ///< the "finish" line's stats, or null
    std::uint64_t lines = 0;

    bool hasAnomaly(const std::string& id) const { return anomalies.count(id) != 0; }
    /// "exit 0, 12 lines, anomalies: a×3 b×1, stderr: …" for failure messages.
    std::string describe() const;
};

/// True in a build under AddressSanitizer: work takes several times longer there, so time
/// limits are scaled by kSlowdown and peak RSS is not checked (shadow memory inflates it).
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif
#else
inline constexpr bool kSanitized = false;
#endif
/// How much longer a bound in time may take in this build: 10 under sanitizers, else 1. The
/// bounds these tests hold are ratios or orders of magnitude (seconds against the minutes of the
/// unbounded code), which survive the factor.
inline constexpr int kSlowdown = kSanitized ? 10 : 1;

/// Runs `wstrace -r file --format jsonl [extra...]` with a time limit (killed after it;
/// `timeoutSeconds` × kSlowdown).
/// `addressSpaceBytes` > 0 caps its virtual memory (RLIMIT_AS), so that an allocation sized by
/// a length from the capture fails even where Linux would not touch (and count) its pages.
WstraceRun runWstrace(const std::string& file, const std::vector<std::string>& extra = {},
                      int timeoutSeconds = 120, std::uint64_t addressSpaceBytes = 0);

} // namespace wst::hostile
