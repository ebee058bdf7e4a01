// SPDX-License-Identifier: MIT
#include "decoder/analysis/deferred/client_rejected_upgrade.h"

#include <algorithm>
#include <fmt/format.h>

namespace wst {

void ClientRejectedUpgrade::onMismatch(AnomalyId mismatch) {
    if ((mismatch == AnomalyId::WsHandshakeUnofferedSubprotocol ||
         mismatch == AnomalyId::WsHandshakeUnofferedExtension) &&
        std::find(m_mismatches.begin(), m_mismatches.end(), mismatch) == m_mismatches.end()) {
        m_mismatches.push_back(mismatch);
    }
}

std::optional<std::string> ClientRejectedUpgrade::conclude(std::uint64_t clientFrames,
                                                           TcpEnd clientEnd) const {
    if (m_mismatches.empty() || clientFrames != 0 || clientEnd == TcpEnd::None) {
        return std::nullopt;
    }
    std::string what;
    for (const AnomalyId id : m_mismatches) {
        what += fmt::format("{}{}", what.empty() ? "" : ", ", anomalyName(id));
    }
    return fmt::format("the client rejected the 101 ({}): it closed TCP with {} without sending "
                       "a WebSocket frame, as browsers and Node ws do; the server believes the "
                       "connection upgraded, the client failed it",
                       what, clientEnd == TcpEnd::Rst ? "RST" : "FIN");
}

} // namespace wst
