// SPDX-License-Identifier: MIT
#include "decoder/analysis/deferred/early_client_data.h"

#include "decoder/model/format.h"
#include "decoder/model/trace.h"
#include "decoder/ws/frame_parser.h"

#include <algorithm>
#include <fmt/format.h>
#include <utility>

namespace wst {

void WaitingClientData::onBytes(Bytes bytes) {
    m_bytes += bytes.size();
    FrameExpectations exp;
    exp.masked = true;            // RFC 6455 §5.1: every client frame is masked
    exp.allowContinuation = true; // a frame boundary inside the held bytes may be mid-message
    while (!bytes.empty() && m_allFrames) {
        if (m_inFrame) {
            const std::uint64_t n = std::min<std::uint64_t>(m_skip, bytes.size());
            m_skip -= n;
            bytes = bytes.subspan(n);
            if (m_skip == 0) {
                m_inFrame = false;
                ++m_frames;
            }
            continue;
        }
        const std::size_t take = std::min(sizeof m_head - m_headSize, bytes.size());
        std::copy_n(bytes.begin(), take, m_head + m_headSize);
        m_headSize += take;
        const Bytes head(m_head, m_headSize);
        const std::size_t need = m_headSize >= 2 ? frameHeaderLength(m_head[0], m_head[1]) : 2;
        if (m_headSize < need) {
            bytes = bytes.subspan(take);
            continue;
        }
        FrameHeader fh;
        if (!isPlausibleFrameHeader(head, exp, &fh)) {
            m_allFrames = false;
            break;
        }
        // Bytes copied past the header belong to the payload: hand them back.
        bytes = bytes.subspan(take - (m_headSize - fh.headerLength));
        m_headSize = 0;
        m_skip = fh.payloadLength;
        m_inFrame = true;
        if (m_skip == 0) {
            m_inFrame = false;
            ++m_frames;
        }
    }
}

void WaitingClientData::onGap(std::uint64_t length) {
    m_bytes += length;
    m_allFrames = false; // where the next frame starts is unknown
}

std::string WaitingClientData::describe() const {
    if (m_bytes == 0) {
        return {};
    }
    if (m_frames == 0) {
        return fmt::format("the client sent {} bytes while it waited, not a complete frame",
                           m_bytes);
    }
    return fmt::format("the client sent {} bytes while it waited: {} complete frame{}", m_bytes,
                       m_frames, m_frames == 1 ? "" : "s");
}

void EarlyClientData::onClientBytes(Bytes bytes, std::uint64_t offset, const SegmentInfo& info,
                                    Timestamp requestEnd, bool serverSilent) {
    m_waiting.onBytes(bytes);
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
