// SPDX-License-Identifier: MIT
#pragma once

// The capture-level story: connections grouped by verdict (outcome and root cause), with
// counts, example connections, and the explanation and what to do once per group. The text
// summary, the JSON, the HTML report and the GUI's verdict strip all tell it from this class.

#include "decoder/model/trace.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace wst {

struct StoryGroup {
    Outcome outcome = Outcome::TcpOnly;
    std::optional<AnomalyId> rootCause;
    bool cleanClose = false;
    bool ended = true;
    /// Of the root cause, counted with what follows from it (Verdict::severity); none for
    /// healthy groups.
    std::optional<Severity> severity;
    std::string label;       ///< verdictLabel(): "failed: Two HTTP responses ..."
    std::string explanation; ///< the root cause's explanation, or ""
    std::string whatToDo;    ///< the root cause's hint, or ""
    std::uint64_t count = 0;
    std::vector<ConnId> examples; ///< the CaptureStory::kExamples lowest connection ids, in order
};

/// Whether connection `c` (finished) belongs to group `g`: the same outcome, root cause, clean
/// close and end as CaptureStory::add files it under. The GUI's strip filters with it, so a
/// group's connections are all of them, not only its examples.
bool inGroup(const StoryGroup& g, const Connection& c);

class CaptureStory {
public:
    static constexpr std::size_t kExamples = 8;

    /// Adds a finished connection (reads its outcome, clean close and verdict).
    void add(const Connection& c);
    void clear();

    /// Worst first (errors, warnings, info, healthy), then by count, then first connection.
    std::vector<StoryGroup> groups() const;
    std::uint64_t connections() const { return m_connections; }
    /// Connections whose verdict says gin's access log shows 200 for a 101.
    std::uint64_t accessLogShows200() const { return m_log200; }
    /// Connections whose 101 is gorilla's or node ws' bytes: gin logs 200 for them if the
    /// server is gin.
    std::uint64_t accessLogMayShow200() const { return m_log200IfGin; }
    /// The story as plain lines, the same wherever it is printed as text: one line per group
    /// ("3 failed: … (connections 17, 204, 998)"), then the server-log lines if any.
    std::vector<std::string> lines() const;
    /// Only the server-log lines of lines() (what gin's access log shows), in that order.
    std::vector<std::string> serverLogLines() const;

private:
    using Key = std::tuple<int, int, bool, bool>; // outcome, root cause (-1 none), clean, ended
    std::map<Key, StoryGroup> m_groups;
    std::uint64_t m_connections = 0;
    std::uint64_t m_log200 = 0;
    std::uint64_t m_log200IfGin = 0;
};

} // namespace wst
