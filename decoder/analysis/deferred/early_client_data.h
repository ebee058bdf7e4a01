// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/analysis/deferred/deferred.h"

#include <cstdint>
#include <string>

namespace wst {

/// ws_handshake_early_client_data: the client sent bytes after its upgrade request and before
/// any answer (RFC 6455 §4.1: it MUST wait). The first such bytes make a candidate; it counts
/// only once the server's first bytes after the request arrive without a gap, since a lost 101
/// would make the client's frames look early. Reported at most once per connection.
class EarlyClientData {
public:
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
    bool m_reported = false;
    bool m_candidate = false;
    SegmentInfo m_at;
    std::uint64_t m_offset = 0;
    std::string m_detail;
};

} // namespace wst
