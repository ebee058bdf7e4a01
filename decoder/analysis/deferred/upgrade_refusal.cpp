// SPDX-License-Identifier: MIT
#include "decoder/analysis/deferred/upgrade_refusal.h"

#include "decoder/analysis/patterns.h"

namespace wst {

void UpgradeRefusal::onAnswer(std::size_t response, const SegmentInfo& at, std::uint64_t offset) {
    m_waiting = true;
    m_response = response;
    m_at = at;
    m_offset = offset;
}

std::vector<Anomaly> UpgradeRefusal::resolve(
    const std::vector<ResponseSummary>& responses, const RequestSummary* request,
    const std::vector<std::string_view>& failedRequestChecks, bool connectionEnding) {
    std::vector<Anomaly> out;
    if (!m_waiting || m_response >= responses.size()) {
        return out;
    }
    const ResponseSummary& rs = responses[m_response];
    if (rs.status >= 200 && rs.status < 300 && !connectionEnding) {
        return out;
    }
    m_waiting = false;
    const Refusal verdict = classifyRefusal(rs, request, failedRequestChecks, rs.bodyPrefix);
    if (rs.status >= 400 && verdict.id != AnomalyId::HttpUpgradeRefused) {
        out.push_back(makeAnomaly(AnomalyId::HttpUpgradeRefused, Direction::ServerToClient, m_at,
                                  m_offset, verdict.detail));
    }
    out.push_back(
        makeAnomaly(verdict.id, Direction::ServerToClient, m_at, m_offset, verdict.detail));
    return out;
}

} // namespace wst
