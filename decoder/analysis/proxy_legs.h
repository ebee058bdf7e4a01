// SPDX-License-Identifier: MIT
#pragma once

// The two legs of a reverse proxy: a capture taken on a proxy host holds the client's
// connection to the proxy (the front leg) and the proxy's connection to the backend (the back
// leg), both carrying the same upgrade request. ProxyLegs links them (Connection::proxyLeg);
// when the back leg's copy lacks the Upgrade/Connection headers the client sent, the proxy
// dropped them (http_upgrade_stripped; RFC 9110 §7.6.1: they are hop-by-hop).
// ProxyIdleTimeout recognises the proxy closing both legs after the same silence
// (ws_close_idle_timeout). captures/nginx-proxy-ok.pcapng and
// captures/nginx-proxy-no-upgrade-headers.pcapng hold both legs.

#include "capture/core/types.h"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace wst {

/// ws_close_idle_timeout measured from two linked legs: both ended TCP (FIN or RST) from the
/// proxy's side (the server of the front leg, the client of the back leg) without a Close frame
/// before, within kEndsApart of each other, after the same silence (the last frame or the 101
/// on each leg to its end). The proxy's idle timer closed both tunnels (RFC 6455 §7.1.5: each
/// peer reports 1006), whatever its value. The backend closing first and the proxy passing it
/// on is not this (the back leg's server ends first).
///
/// The legs end at different times and each connection is concluded after its own linger, so
/// the decision is made when the second leg ends TCP, from facts both legs know at their TCP
/// end; it reaches both legs before either is concluded (a connection lingers for seconds
/// after its end, far longer than kEndsApart). Facts are kept kEndsApart, at most kMaxEntries.
class ProxyIdleTimeout {
public:
    static constexpr std::int64_t kEndsApart = 50'000'000; // 50 ms
    /// Shorter silences are traffic that stopped, not an idle timer.
    static constexpr std::int64_t kMinSilence = 500'000'000; // 500 ms
    static constexpr std::size_t kMaxEntries = 4096;

    /// One leg's first TCP end while its WebSocket was open and no Close frame had been sent.
    struct LegEnd {
        ConnId conn = 0;
        ConnId other = 0;     ///< the linked leg (Connection::proxyLeg)
        bool backLeg = false; ///< `conn` is the proxy's connection to the backend
        Direction ended = Direction::ServerToClient; ///< who ended TCP
        Timestamp end;
        Timestamp lastActivity;           ///< the last frame or the 101, whichever came later
        std::size_t outstandingPings = 0; ///< unanswered pings of the side that ended
    };
    struct Match {
        ConnId conn = 0, other = 0;
        std::int64_t silence = 0;      ///< on `conn`
        std::int64_t otherSilence = 0; ///< on `other`
        std::int64_t apart = 0;        ///< between the two ends
    };

    /// Records a leg's end; when its linked leg ended in the same way within kEndsApart, returns
    /// the match (as seen from `e.conn`; the other leg's is the same with the roles swapped).
    std::optional<Match> onLegEnd(const LegEnd& e);

    /// The ws_close_idle_timeout detail for `m.conn`: "proxy idle timeout of 2.00 s: both legs
    /// closed 53 µs apart after 2.00 s of silence; connection #2 is the other leg".
    static std::string detail(const Match& m);
    /// The same match as seen from the other leg.
    static Match swapped(const Match& m);

private:
    /// The proxy's side of a leg: the server of the front leg, the client of the back leg.
    static bool endedByProxy(const LegEnd& e);
    void expire(Timestamp now);

    std::unordered_map<ConnId, LegEnd> m_byConn;
    std::deque<std::pair<Timestamp, ConnId>> m_order; ///< insertion order, for expiry
};

/// Links upgrade requests to the proxy's forwarded copies of them, by request target, method,
/// time (the copy starts within kWindow after the original) and the Sec-WebSocket-Key
/// (proxies pass it through): a copy that keeps the upgrade headers must carry the original's
/// key (without one, two clients asking for the same target at once would look alike); a copy
/// without them (the stripped case) must match it when both carry one. Only WebSocket attempts
/// are recorded, each original links once, a linked copy is not recorded as an original (a
/// chain of proxies links its first pair), and a copy from the original's own client endpoint
/// (the same connection seen again after NAT) is not a proxy leg. Entries expire after kWindow
/// and at most kMaxEntries are kept, so a load test costs O(1) per request.
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
        Endpoint client;             ///< the connection's client endpoint
    };
    struct Link {
        ConnId clientLeg = 0;
        std::int64_t delay = 0; ///< ns from the client leg's request to the upstream's
        bool stripped = false;  ///< the copy lacks the upgrade headers
    };

    /// Records a client-leg upgrade request, or, for a forwarded copy, returns the client leg
    /// it copies (the newest match).
    std::optional<Link> onRequest(const Request& r);

    /// Called with each link found: (client leg, upstream leg, the link). Set by the owner,
    /// which can reach the client leg's analyzer.
    std::function<void(ConnId, ConnId, const Link&)> onLink;
    /// Called with the first final status the backend answered on an upstream leg: (client
    /// leg, upstream leg, status).
    std::function<void(ConnId, ConnId, int)> onUpstreamAnswer;
    /// Called when a proxy idle timeout was recognised on the second leg to end, for the first
    /// (the match as seen from `Match::conn`, the first leg).
    std::function<void(const ProxyIdleTimeout::Match&)> onIdleTimeout;

    ProxyIdleTimeout& idle() { return m_idle; }

private:
    struct Entry {
        ConnId conn;
        Timestamp time;
        std::string method;
        std::string key;
        Endpoint client;
        bool linked = false;
    };
    void expire(Timestamp now);

    std::unordered_map<std::string, std::deque<Entry>> m_byTarget;
    std::deque<std::pair<Timestamp, std::string>> m_order; ///< insertion order, for expiry
    ProxyIdleTimeout m_idle;
};

} // namespace wst
