// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/model/anomaly.h"

#include <array>
#include <cstddef>
#include <cstdint>

namespace wst {

/// The per-id bound on stored anomalies (Limits::anomaliesPerConnectionAndId, docs/limits.md):
/// of each id, the first `perId` occurrences are kept, the rest only counted. One per
/// connection (ConnectionAnalyzer) and one for the capture-level anomalies (Analyzer), where a
/// damaged file can have millions.
class AnomalyLimit {
public:
    explicit AnomalyLimit(std::size_t perId)
        : m_perId(perId) {}

    /// Counts one occurrence of `id` (a valid id, below kAnomalyIdCount). True if it is kept,
    /// false once `perId` occurrences of that id were counted before it.
    bool admit(AnomalyId id) { return ++m_counts[static_cast<std::size_t>(id)] <= m_perId; }

    /// Occurrences of `id` counted so far, kept or not: 0 means `id` was never reported.
    std::uint32_t count(AnomalyId id) const { return m_counts[static_cast<std::size_t>(id)]; }

private:
    std::size_t m_perId;
    std::array<std::uint32_t, kAnomalyIdCount> m_counts{};
};

} // namespace wst
