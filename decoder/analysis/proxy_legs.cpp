// SPDX-License-Identifier: MIT
#include "decoder/analysis/proxy_legs.h"

#include "decoder/model/format.h"

#include <algorithm>
#include <fmt/format.h>

namespace wst {

// ---- ProxyIdleTimeout ------------------------------------------------------------------------

bool ProxyIdleTimeout::endedByProxy(const LegEnd& e) {
    return e.ended == (e.backLeg ? Direction::ClientToServer : Direction::ServerToClient);
}

void ProxyIdleTimeout::expire(Timestamp now) {
    while (!m_order.empty() &&
           (now - m_order.front().first > kEndsApart || m_order.size() > kMaxEntries)) {
        m_byConn.erase(m_order.front().second);
        m_order.pop_front();
    }
}

std::optional<ProxyIdleTimeout::Match> ProxyIdleTimeout::onLegEnd(const LegEnd& e) {
    expire(e.end);
    if (e.conn == 0 || e.other == 0 || !endedByProxy(e) || e.outstandingPings > 0) {
        return std::nullopt;
    }
    const std::int64_t silence = e.end - e.lastActivity;
    const auto it = m_byConn.find(e.other);
    if (it == m_byConn.end()) {
        if (silence >= kMinSilence && m_byConn.emplace(e.conn, e).second) {
            m_order.emplace_back(e.end, e.conn);
        }
        return std::nullopt;
    }
    const LegEnd o = it->second;
    m_byConn.erase(it); // each leg pairs once; its m_order entry expires on its own
    if (o.other != e.conn || o.backLeg == e.backLeg) {
        return std::nullopt;
    }
    const std::int64_t otherSilence = o.end - o.lastActivity;
    const std::int64_t apart = e.end - o.end;
    // The two legs relay the same frames and are closed by the same timer: each silence is
    // the other's give or take the relay delay and the time between the two closes.
    const std::int64_t tolerance = kEndsApart + std::max(silence, otherSilence) / 50;
    if (apart < 0 || apart > kEndsApart || silence < kMinSilence ||
        std::abs(silence - otherSilence) > tolerance) {
        return std::nullopt;
    }
    return Match{e.conn, o.conn, silence, otherSilence, apart};
}

ProxyIdleTimeout::Match ProxyIdleTimeout::swapped(const Match& m) {
    return Match{m.other, m.conn, m.otherSilence, m.silence, m.apart};
}

std::string ProxyIdleTimeout::detail(const Match& m) {
    return fmt::format("proxy idle timeout of {}: both legs closed {} apart after {} of silence; "
                       "connection #{} is the other leg",
                       formatDuration(std::max(m.silence, m.otherSilence)), formatDuration(m.apart),
                       formatDuration(m.silence), m.other);
}

// ---- ProxyLegs -------------------------------------------------------------------------------

void ProxyLegs::expire(Timestamp now) {
    // Entries are recorded in capture order, so the oldest of each target is at its front.
    while (!m_order.empty() &&
           (now - m_order.front().first > kWindow || m_order.size() > kMaxEntries)) {
        auto it = m_byTarget.find(m_order.front().second);
        if (it != m_byTarget.end()) {
            it->second.pop_front();
            if (it->second.empty()) {
                m_byTarget.erase(it);
            }
        }
        m_order.pop_front();
    }
}

std::optional<ProxyLegs::Link> ProxyLegs::onRequest(const Request& r) {
    expire(r.time);
    if (auto it = m_byTarget.find(std::string(r.target)); it != m_byTarget.end()) {
        for (auto e = it->second.rbegin(); e != it->second.rend(); ++e) {
            // A copy with the upgrade headers is told from a second client only by the key.
            const bool keyOk = r.upgradeHeaders
                                   ? !r.key.empty() && e->key == r.key
                                   : e->key.empty() || r.key.empty() || e->key == r.key;
            if (!e->linked && e->conn != r.conn && e->method == r.method && keyOk &&
                e->time.ns <= r.time.ns && e->client != r.client) {
                e->linked = true;
                return Link{e->conn, r.time - e->time, !r.upgradeHeaders};
            }
        }
    }
    if (r.upgradeHeaders) {
        std::string target(r.target);
        m_byTarget[target].push_back(
            Entry{r.conn, r.time, std::string(r.method), std::string(r.key), r.client});
        m_order.emplace_back(r.time, std::move(target));
    }
    return std::nullopt;
}

} // namespace wst
