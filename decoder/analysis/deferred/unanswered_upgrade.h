// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/analysis/deferred/deferred.h"

#include <cstdint>
#include <string_view>

namespace wst {

/// http_no_response: an upgrade request that never got an answer, neither before a FIN/RST
/// nor, 5 s or more after it, before the capture ended. It also keeps what the HTTP phase
/// asks about the wait: whether a request is waiting, when it was sent, and whether the server
/// has been silent since (no byte, no lost bytes), which ws_handshake_early_client_data needs.
class UnansweredUpgrade {
public:
    /// An upgrade request's head ended at `requestEnd`; the server had delivered `serverBytes`
    /// in-order bytes before it.
    void onRequest(const SegmentInfo& requestEnd, std::uint64_t serverBytes);
    /// The final answer came, or frames proved it was lost in a gap: the wait is over.
    void onAnswer() { m_waiting = false; }
    /// Server bytes were lost while the request waited: the answer may be in them.
    void onServerGap() { m_serverGap = true; }

    bool waiting() const { return m_waiting; }
    const SegmentInfo& requestEnd() const { return m_requestEnd; }
    /// Server bytes were lost while the last upgrade request waited.
    bool serverGap() const { return m_serverGap; }
    /// The server sent nothing since the request: `serverBytes` as then, and no gap.
    bool serverSilent(std::uint64_t serverBytes) const {
        return serverBytes == m_serverBytesAtRequest && !m_serverGap;
    }

    /// Direction `d` ended TCP (`rst`: with a RST) at `info`: the anomaly if the request still
    /// waits and the server (`serverBytes` delivered so far) sent no byte since; the wait ends
    /// then. `streamEnd`: `d`'s stream offset; `earlyClientData`: that anomaly was reported;
    /// `clientSent`: what the client sent while it waited (WaitingClientData::describe), "" for
    /// nothing, said in the detail.
    Finding onTcpEnd(Direction d, bool rst, const SegmentInfo& info, std::uint64_t serverBytes,
                     std::uint64_t streamEnd, bool earlyClientData,
                     std::string_view clientSent = {});
    /// At the end of the capture (`last`): the anomaly if the request still waits 5 s or more
    /// after it was sent and the server sent nothing at all since, not even lost bytes.
    Finding conclude(const SegmentInfo& last, std::uint64_t serverBytes,
                     std::uint64_t serverStreamEnd, std::string_view clientSent = {});

private:
    bool m_waiting = false;
    bool m_serverGap = false;
    SegmentInfo m_requestEnd;
    std::uint64_t m_serverBytesAtRequest = 0;
};

} // namespace wst
