// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/analysis/deferred/deferred.h"

#include <cstdint>
#include <string>

namespace wst {

/// Everything the client sent while its upgrade request waited for an answer, counted as
/// WebSocket frames where it parses as them (masked, RFC 6455 §5.1). Counted whether or not an
/// answer ever comes, so http_no_response can say what the client sent into the silence.
class WaitingClientData {
public:
    void onBytes(Bytes bytes);
    void onGap(std::uint64_t length);

    std::uint64_t bytes() const { return m_bytes; }
    /// Complete frames, from the first held byte on, while every byte belonged to a frame.
    std::uint64_t frames() const { return m_frames; }
    /// Every byte so far belongs to a plausible client frame (false after other bytes or a gap).
    bool allFrames() const { return m_allFrames; }
    /// "" when nothing was sent, else "the client sent 1 frame (19 bytes) while it waited".
    std::string describe() const;

private:
    std::uint64_t m_bytes = 0;
    std::uint64_t m_frames = 0;
    bool m_allFrames = true;
    std::uint64_t m_skip = 0; ///< payload bytes of the current frame still to come
    bool m_inFrame = false;
    std::uint8_t m_head[14] = {};
    std::size_t m_headSize = 0;
};

/// ws_handshake_early_client_data: the client sent bytes after its upgrade request and before
/// any answer (RFC 6455 §4.1: it MUST wait). The first such bytes make a candidate; it counts
/// only once the server's first bytes after the request arrive without a gap, since a lost 101
/// would make the client's frames look early. Reported at most once per connection.
class EarlyClientData {
public:
    /// An upgrade request's head ended: what the client sends from here is counted afresh.
    void onRequest() { m_waiting = WaitingClientData{}; }
    /// Client bytes of this length were lost while the request waited.
    void onClientGap(std::uint64_t length) { m_waiting.onGap(length); }
    /// What the client sent since the last upgrade request, frames or not.
    const WaitingClientData& waiting() const { return m_waiting; }

    /// Client bytes at stream `offset`, held while the upgrade request waits for its answer
    /// (sent `requestEnd`). `serverSilent`: no server byte and no server gap since the request.
    void onClientBytes(Bytes bytes, std::uint64_t offset, const SegmentInfo& info,
                       Timestamp requestEnd, bool serverSilent);
    /// The server's first bytes arrived (`confirmed`: with no gap before them), or a gap or
    /// the end of the connection leaves the order unknown (`confirmed` false): the candidate,
    /// if any, is decided.
    Finding resolve(bool confirmed);
    /// The anomaly was reported on this connection.
    bool reported() const { return m_reported; }

private:
    WaitingClientData m_waiting;
    bool m_reported = false;
    bool m_candidate = false;
    SegmentInfo m_at;
    std::uint64_t m_offset = 0;
    std::string m_detail;
};

} // namespace wst
