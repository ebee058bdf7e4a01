// SPDX-License-Identifier: MIT
#include "decoder/analysis/proxy_legs.h"

namespace wst {

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
    if (r.upgradeHeaders) {
        std::string target(r.target);
        m_byTarget[target].push_back(
            Entry{r.conn, r.time, std::string(r.method), std::string(r.key)});
        m_order.emplace_back(r.time, std::move(target));
        return std::nullopt;
    }
    auto it = m_byTarget.find(std::string(r.target));
    if (it == m_byTarget.end()) {
        return std::nullopt;
    }
    for (auto e = it->second.rbegin(); e != it->second.rend(); ++e) {
        const bool keyOk = e->key.empty() || r.key.empty() || e->key == r.key;
        if (e->conn != r.conn && e->method == r.method && keyOk && e->time.ns <= r.time.ns) {
            return Link{e->conn, r.time - e->time};
        }
    }
    return std::nullopt;
}

} // namespace wst
