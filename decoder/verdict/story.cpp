// SPDX-License-Identifier: MIT
#include "decoder/verdict/story.h"

#include "decoder/verdict/verdict.h"

#include <algorithm>
#include <fmt/format.h>

namespace wst {

namespace {

struct GroupFields {
    bool clean = false;
    bool ended = true;
};

GroupFields fieldsOf(const Connection& c) {
    const Verdict& v = c.verdict;
    const bool ended = c.stats[0].tcpEnd != TcpEnd::None || c.stats[1].tcpEnd != TcpEnd::None;
    // A healthy group does not split by how far the capture saw it, only by a clean close.
    const bool clean = !v.rootCause && c.cleanClose;
    return {clean, v.rootCause ? true : (clean || ended)};
}

} // namespace

bool inGroup(const StoryGroup& g, const Connection& c) {
    const GroupFields f = fieldsOf(c);
    return c.finished && g.outcome == c.outcome && g.rootCause == c.verdict.rootCause &&
           g.cleanClose == f.clean && g.ended == f.ended;
}

void CaptureStory::add(const Connection& c) {
    const Verdict& v = c.verdict;
    const auto [clean, endedKey] = fieldsOf(c);
    const Key key{static_cast<int>(c.outcome), v.rootCause ? static_cast<int>(*v.rootCause) : -1,
                  clean, endedKey};
    auto [it, inserted] = m_groups.try_emplace(key);
    StoryGroup& g = it->second;
    if (inserted) {
        g.outcome = c.outcome;
        g.rootCause = v.rootCause;
        g.cleanClose = clean;
        g.ended = endedKey;
        g.label = verdictLabel(c.outcome, v.rootCause, clean, endedKey);
        if (v.rootCause) {
            const AnomalyInfo& info = anomalyInfo(*v.rootCause);
            g.severity = v.severity ? v.severity : info.severity;
            g.explanation = std::string(info.explanation);
            g.whatToDo = std::string(info.hint);
        }
    }
    ++g.count;
    // The lowest ids, in order, whatever order the connections end in.
    g.examples.insert(std::lower_bound(g.examples.begin(), g.examples.end(), c.id), c.id);
    if (g.examples.size() > kExamples) {
        g.examples.pop_back();
    }
    ++m_connections;
    m_log200 += v.accessLogShows200 ? 1 : 0;
    m_log200IfGin += v.accessLogMayShow200 ? 1 : 0;
}

void CaptureStory::clear() {
    m_groups.clear();
    m_connections = 0;
    m_log200 = 0;
    m_log200IfGin = 0;
}

std::vector<StoryGroup> CaptureStory::groups() const {
    std::vector<StoryGroup> out;
    out.reserve(m_groups.size());
    for (const auto& [key, g] : m_groups) {
        out.push_back(g);
    }
    const auto rank = [](const StoryGroup& g) {
        return g.severity ? static_cast<int>(*g.severity) : -1;
    };
    std::stable_sort(out.begin(), out.end(), [&](const StoryGroup& a, const StoryGroup& b) {
        if (rank(a) != rank(b)) {
            return rank(a) > rank(b);
        }
        if (a.count != b.count) {
            return a.count > b.count;
        }
        return a.examples.front() < b.examples.front();
    });
    return out;
}

std::vector<std::string> CaptureStory::lines() const {
    std::vector<std::string> out;
    for (const StoryGroup& g : groups()) {
        std::string ids;
        for (ConnId id : g.examples) {
            ids += fmt::format("{}{}", ids.empty() ? "" : ", ", id);
        }
        if (g.count > g.examples.size()) {
            ids += ", …";
        }
        out.push_back(
            fmt::format("{} {} (connection{} {})", g.count, g.label, g.count == 1 ? "" : "s", ids));
    }
    for (std::string& line : serverLogLines()) {
        out.push_back(std::move(line));
    }
    return out;
}

std::vector<std::string> CaptureStory::serverLogLines() const {
    std::vector<std::string> out;
    if (m_log200 != 0) {
        out.push_back(fmt::format(
            "gin's access log shows 200 for {} upgrade{} that the wire shows as 101 (gin logs "
            "the status its ResponseWriter saw; the WebSocket library wrote the 101 on the "
            "hijacked socket)",
            m_log200, m_log200 == 1 ? "" : "s"));
    }
    if (m_log200IfGin != 0) {
        out.push_back(fmt::format(
            "if the server is gin + gorilla/websocket, its access log shows 200 for {} upgrade{} "
            "that the wire shows as 101 (their 101 bytes are gorilla's or node ws': nothing the "
            "server did later told them apart)",
            m_log200IfGin, m_log200IfGin == 1 ? "" : "s"));
    }
    return out;
}

} // namespace wst
