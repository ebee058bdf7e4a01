// SPDX-License-Identifier: MIT
#include "decoder/analysis/deferred/gin_logs_200.h"

namespace wst {

void GinLogs200::onUpgrade(const ResponseSummary& response, bool handshakeOk, const SegmentInfo&,
                           std::uint64_t) {
    // gorilla's layout, whether or not node ws remains possible: the end decides.
    constexpr std::string_view kGorilla = "gorilla/websocket";
    m_candidate = handshakeOk && response.status == 101 &&
                  response.fingerprint.compare(0, kGorilla.size(), kGorilla) == 0;
}

GinLogs200::Conclusion GinLogs200::conclude(bool serverIsGo, bool stillAmbiguous,
                                            bool httpAfter101) const {
    if (!m_candidate || httpAfter101) {
        return Conclusion::None;
    }
    if (serverIsGo) {
        return Conclusion::Certain;
    }
    return stillAmbiguous ? Conclusion::IfGin : Conclusion::None;
}

std::string_view GinLogs200::note(Conclusion c) {
    switch (c) {
    case Conclusion::Certain:
        return "gorilla/websocket 101: gin logs this upgrade as 200, and \"response.WriteHeader "
               "on hijacked connection\" log lines for it left no trace on the wire";
    case Conclusion::IfGin:
        return "gorilla/websocket or node ws 101 (the same bytes): if the server is gin + "
               "gorilla, gin logs this upgrade as 200, and \"response.WriteHeader on hijacked "
               "connection\" log lines for it left no trace on the wire";
    case Conclusion::None:
        break;
    }
    return "";
}

} // namespace wst
