// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/analysis/deferred/deferred.h"
#include "decoder/model/trace.h"

#include <cstdint>
#include <string_view>

namespace wst {

/// Whether gin's access log shows 200 for a clean 101 in gorilla/websocket's layout (gin logs
/// the status its ResponseWriter saw; Hijack never sets it). Not a fault of the connection, so
/// not an anomaly: the verdict records it (Verdict::accessLogShows200 / accessLogMayShow200)
/// and the capture's story says it once with its count (docs/verdicts.md). Noted at the 101,
/// decided when the connection ends: certain only where the evidence says the server is Go
/// (Connection::serverIsGo: the 101 narrowed to gorilla/websocket by what the server did
/// later, narrowServerFingerprint in decoder/http/fingerprint.h); "if the server is gin" where
/// the 101 still names both gorilla and node ws; nothing where it turned out to be node ws' or
/// HTTP text followed the 101 (hijack_two_responses or hijack_http_in_websocket tell that
/// story instead).
class GinLogs200 {
public:
    enum class Conclusion : std::uint8_t {
        None,
        IfGin,   ///< the 101's bytes are gorilla's or node ws': if the server is gin, it logs 200
        Certain, ///< the server is Go (gorilla/websocket) by evidence: gin logs 200
    };

    /// The note for Connection::notes that goes with a conclusion other than None.
    static std::string_view note(Conclusion c);

    /// A 101 `response` switched the connection at `at` (its head at stream `offset`);
    /// `handshakeOk`: the client accepts it. A later 101 replaces an earlier one.
    void onUpgrade(const ResponseSummary& response, bool handshakeOk, const SegmentInfo& at,
                   std::uint64_t offset);
    /// At the end of the connection. `serverIsGo`: the (narrowed) evidence says the server is Go
    /// (Connection::serverIsGo); `stillAmbiguous`: the 101's fingerprint still names both
    /// gorilla/websocket and node ws; `httpAfter101`: hijack_two_responses or
    /// hijack_http_in_websocket was reported on it.
    Conclusion conclude(bool serverIsGo, bool stillAmbiguous, bool httpAfter101) const;

private:
    bool m_candidate = false;
};

} // namespace wst
