// SPDX-License-Identifier: MIT
#include "decoder/analysis/deferred/early_client_data.h"

#include "decoder/model/format.h"
#include "decoder/model/trace.h"
#include "decoder/ws/frame_parser.h"

#include <fmt/format.h>
#include <utility>

namespace wst {

void EarlyClientData::onClientBytes(Bytes bytes, std::uint64_t offset, const SegmentInfo& info,
                                    Timestamp requestEnd, bool serverSilent) {
    if (m_reported || m_candidate || !serverSilent) {
        return;
    }
    m_candidate = true;
    std::string what = "not a frame header";
    if (const auto fh = parseFrameHeader(bytes)) {
        what =
            fmt::format("a {} {} frame with {} payload bytes", fh->masked ? "masked" : "unmasked",
                        opcodeName(fh->opcode), fh->payloadLength);
    }
    m_at = info;
    m_offset = offset;
    m_detail = fmt::format("{} bytes {} after the request head, before any response byte; first "
                           "bytes: {}",
                           bytes.size(), formatDuration(info.time - requestEnd), what);
}

Finding EarlyClientData::resolve(bool confirmed) {
    if (!m_candidate) {
        return std::nullopt;
    }
    m_candidate = false;
    if (!confirmed) {
        return std::nullopt;
    }
    m_reported = true;
    return makeAnomaly(AnomalyId::WsHandshakeEarlyClientData, Direction::ClientToServer, m_at,
                       m_offset, std::move(m_detail));
}

} // namespace wst
