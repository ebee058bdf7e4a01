// SPDX-License-Identifier: MIT
#pragma once

// Reconciling the server's log with the wire: each entry matched to the connection it speaks
// of (and how sure that is), marked "reached the wire", "log only: nothing was sent" or
// "contradicts the wire" with the reason; per capture a table of what the log claims against
// what the wire shows, by path, and the story line that explains the difference.
// docs/server-logs.md.

#include "decoder/logs/log_reader.h"
#include "decoder/model/trace.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace wst::logs {

enum class Certainty : std::uint8_t {
    /// The entry names the connection: its Sec-WebSocket-Key (a Recovery dump) or the client
    /// port (net/http's "panic serving", a JSON or custom field).
    Exact,
    /// Client address, method and path, and the time within the request's window.
    Address,
    /// Only path (where logged) and time: one of `candidates` connections.
    Time,
};

enum class LogMark : std::uint8_t {
    ReachedWire, ///< what the entry says is what the wire shows
    LogOnly,     ///< the entry records something that was never sent (a write on a hijacked
                 ///< connection, a status that could not override the one written)
    Contradicts, ///< the entry claims what the wire shows was not so (gin's 200 for a 101)
};

struct LogMatch {
    std::uint32_t entry = 0; ///< index into ServerLogs::entries
    ConnId connection = 0;   ///< 0: matched no connection (see `reason`)
    /// The entry's time on the capture's clock (ns since the epoch, LogClock applied), the
    /// start of its LogTime::precisionNs interval; none when the line has no time.
    std::optional<std::int64_t> timeNs;
    Certainty certainty = Certainty::Time;
    std::uint32_t candidates = 1; ///< connections that fit equally well (1 for Exact)
    LogMark mark = LogMark::ReachedWire;
    /// Why, in one sentence ("gin's Logger prints the status gin recorded; the wire shows 101
    /// (packet 6): the upgrade succeeded"); for an unmatched entry why it matched nothing.
    std::string reason;
};

/// Per request path: what the log claims against what the wire shows.
struct PathRow {
    std::string path;
    std::map<int, std::uint64_t> loggedStatuses;   ///< access entries by status
    std::map<Outcome, std::uint64_t> wireOutcomes; ///< connections with this path
    std::uint64_t reachedWire = 0, logOnly = 0, contradicts = 0, unmatched = 0;
};

/// How log times were put on the capture's clock.
struct LogClock {
    std::int64_t offsetNs = 0; ///< capture time = log time (read as UTC) - offsetNs
    enum class Basis : std::uint8_t {
        Given,    ///< --log-clock-offset
        Exact,    ///< the median of the exact matches' differences
        Zone,     ///< the whole-quarter-hour shift (a time zone) that fits the capture's span
        AsLogged, ///< nothing to estimate from: log times taken as UTC
    } basis = Basis::AsLogged;
    std::uint32_t samples = 0; ///< exact matches it was estimated from
};

struct ServerLogReport {
    std::shared_ptr<const ServerLogs> logs;
    /// One per entry that speaks of a request or connection (not Info), in entry order.
    std::vector<LogMatch> matches;
    LogClock clock;
    std::vector<PathRow> paths; ///< by path
    /// The capture-level story lines that explain the difference between log and wire.
    std::vector<std::string> story;

    /// Indices into `matches` of the entries matched to connection `id`, in log order.
    const std::vector<std::uint32_t>& matchesOf(ConnId id) const;
    /// Counts over `matches`.
    std::uint64_t count(LogMark m) const;
    std::uint64_t unmatched() const;

    std::vector<std::vector<std::uint32_t>> byConnection; ///< index = id - 1
};

struct ReconcileOptions {
    std::optional<std::int64_t> clockOffsetNs; ///< --log-clock-offset (log - capture), seconds*1e9
};

/// Collects what matching needs of each connection as it ends (a few hundred bytes each, so a
/// streaming writer can hold it for a load test), then reconciles once at the end.
class LogReconciler {
public:
    LogReconciler(std::shared_ptr<const ServerLogs> logs, ReconcileOptions options);
    ~LogReconciler();
    LogReconciler(LogReconciler&&) noexcept;
    LogReconciler& operator=(LogReconciler&&) noexcept;

    void add(const Connection& c); ///< a finished connection (its verdict decided)
    /// Matches every entry; the report is complete (call once).
    std::shared_ptr<const ServerLogReport> finish();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// Reconciles `logs` with every finished connection of `connections` (a Trace's, in id order).
std::shared_ptr<const ServerLogReport> reconcile(std::shared_ptr<const ServerLogs> logs,
                                                 const std::vector<Connection>& connections,
                                                 ReconcileOptions options = {});

std::string_view toString(Certainty c); ///< "exact", "address", "time"
/// "given", "exact_matches", "time_zone", "as_logged" (JSON, goldens)
std::string_view toString(LogClock::Basis b);
std::string_view toString(LogMark m);   ///< "reached_wire", "log_only", "contradicts"
/// "reached the wire", "log only: nothing was sent", "contradicts the wire"
std::string_view describe(LogMark m);
/// "log times read as UTC+01:00 (from 3 exact matches)": how the log was put on the clock.
std::string clockText(const LogClock& c);

} // namespace wst::logs
