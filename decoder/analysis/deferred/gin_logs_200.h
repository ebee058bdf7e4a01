// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/analysis/deferred/deferred.h"
#include "decoder/model/trace.h"

#include <cstdint>
#include <string_view>

namespace wst {

/// hijack_gin_logs_200: a clean 101 in gorilla/websocket's layout, which gin's access log shows
/// as 200. Noted at the 101, decided when the connection ends: only where the evidence says the
/// server is Go (Connection::serverIsGo: the 101 was narrowed to gorilla/websocket by what the
/// server did later, narrowServerFingerprint in decoder/http/fingerprint.h). node ws writes the
/// same 101 bytes, so a 101 that stays ambiguous, or turns out to be node ws', gets nothing.
/// Silent too when HTTP text followed the 101 (hijack_two_responses or hijack_http_in_websocket
/// tell that story instead).
class GinLogs200 {
public:
    /// The note for Connection::notes that goes with the finding.
    std::string_view note() const;

    /// A 101 `response` switched the connection at `at` (its head at stream `offset`);
    /// `handshakeOk`: the client accepts it. A later 101 replaces an earlier one.
    void onUpgrade(const ResponseSummary& response, bool handshakeOk, const SegmentInfo& at,
                   std::uint64_t offset);
    /// At the end of the connection. `serverIsGo`: the (narrowed) evidence says the server is Go
    /// (Connection::serverIsGo); `httpAfter101`: hijack_two_responses or hijack_http_in_websocket
    /// was reported on it.
    Finding conclude(bool serverIsGo, bool httpAfter101) const;

private:
    bool m_candidate = false;
    SegmentInfo m_at;
    std::uint64_t m_offset = 0;
};

} // namespace wst
