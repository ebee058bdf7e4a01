// SPDX-License-Identifier: MIT
#pragma once

// http_upgrade_stripped across two legs: a capture taken on a proxy host holds the client's
// connection to the proxy and the proxy's connection to the upstream. When the upstream request
// lacks the Upgrade/Connection headers the client sent, the proxy dropped them (RFC 9110 §7.6.1:
// they are hop-by-hop). captures/nginx-proxy-no-upgrade-headers.pcapng holds both legs.

#include "capture/core/types.h"

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace wst {

/// Links upgrade requests to the proxy's forwarded copies of them, by request target, method,
/// time (the copy starts within kWindow after the original) and, when both carry one, the
/// Sec-WebSocket-Key (proxies pass it through). Only WebSocket attempts are recorded; entries
/// expire after kWindow and at most kMaxEntries are kept, so a load test costs O(1) per request.
class ProxyLegs {
public:
    /// nginx forwarded the request of captures/nginx-proxy-no-upgrade-headers.pcapng
    /// 4.8 ms after it arrived; a loaded proxy takes longer.
    static constexpr std::int64_t kWindow = 50'000'000; // 50 ms
    static constexpr std::size_t kMaxEntries = 4096;

    struct Request {
        ConnId conn = 0;
        Timestamp time;
        std::string_view method;
        std::string_view target;
        std::string_view key;        ///< Sec-WebSocket-Key, "" if absent
        bool upgradeHeaders = false; ///< Upgrade: websocket and Connection: upgrade both present
    };
    struct Link {
        ConnId clientLeg = 0;
        std::int64_t delay = 0; ///< ns from the client leg's request to the upstream's
    };

    /// Records a client-leg upgrade request, or, for a forwarded copy without the upgrade
    /// headers, returns the client leg it copies (the newest match).
    std::optional<Link> onRequest(const Request& r);

    /// Called with each link found: (client leg, upstream leg, delay). Set by the owner, which
    /// can reach the client leg's analyzer.
    std::function<void(ConnId, ConnId, std::int64_t)> onLink;

private:
    struct Entry {
        ConnId conn;
        Timestamp time;
        std::string method;
        std::string key;
    };
    void expire(Timestamp now);

    std::unordered_map<std::string, std::deque<Entry>> m_byTarget;
    std::deque<std::pair<Timestamp, std::string>> m_order; ///< insertion order, for expiry
};

} // namespace wst
