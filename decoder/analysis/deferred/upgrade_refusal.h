// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/analysis/deferred/deferred.h"
#include "decoder/model/trace.h"

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace wst {

/// A non-101 final answer to an upgrade request (http_upgrade_refused and the sharper
/// diagnoses of classifyRefusal: http_upgrade_ignored, _redirected, _stripped,
/// http_version_rejected, hijack_not_supported). Decided once its body is known, so that the
/// body can tell which it is; a 200 waits longer, until the connection ends, because a second
/// head after it makes it hijack_two_responses instead of an ignored upgrade.
class UpgradeRefusal {
public:
    /// The answer is `responses[response]` (Connection::responses), its head at `at`/`offset`.
    void onAnswer(std::size_t response, const SegmentInfo& at, std::uint64_t offset);
    /// A second answer followed: the first one's verdict no longer applies.
    void supersede() { m_waiting = false; }
    /// An answer waits for its verdict.
    bool waiting() const { return m_waiting; }
    /// Its body ended, a new request came, or the connection ends (`connectionEnding`):
    /// the verdict, if it is due — every error answer is http_upgrade_refused, and a sharper
    /// diagnosis comes on top of it. `request`, `failedRequestChecks`: as classifyRefusal.
    std::vector<Anomaly> resolve(const std::vector<ResponseSummary>& responses,
                                 const RequestSummary* request,
                                 const std::vector<std::string_view>& failedRequestChecks,
                                 bool connectionEnding);

private:
    bool m_waiting = false;
    std::size_t m_response = 0;
    SegmentInfo m_at;
    std::uint64_t m_offset = 0;
};

} // namespace wst
