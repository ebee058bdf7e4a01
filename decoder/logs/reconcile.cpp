// SPDX-License-Identifier: MIT
#include "decoder/logs/reconcile.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fmt/format.h>
#include <limits>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

namespace wst::logs {

namespace {

constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::int64_t kDay = 86'400 * kSecond;
/// Slack around a window for what the log's clock and the capture's clock do not share: the
/// time a line takes to be written, scheduling, a capture on another host with NTP.
constexpr std::int64_t kSlack = 250'000'000;
/// How many entries apart a handler's lines may be written while other requests' lines
/// interleave (a few hundred concurrent connections write a dozen between them).
constexpr std::size_t kHandlerWindow = 64;

/// What matching needs of one finished connection.
struct Facts {
    ConnId id = 0;
    std::string clientIp;
    std::uint16_t clientPort = 0;
    Endpoint server;
    std::string method, target, key;
    std::int64_t request = 0; ///< the request's time, or the first packet's
    std::int64_t first = 0, last = 0;
    /// Where the server's part ends: its Close frame, FIN or RST, else the last packet.
    std::int64_t serverEnd = 0;
    Outcome outcome = Outcome::TcpOnly;
    std::vector<int> statuses; ///< every response head, in order
    std::vector<PacketNumber> statusPackets;
    int actedOn = 0; ///< responseActedOn's status, 0 when none
    PacketNumber actedOnPacket = 0;
    Belief client = Belief::Unknown, server_ = Belief::Unknown;
    bool cleanClose = false;
    bool hasRequest = false;
    std::optional<std::uint16_t> clientClose; ///< the client's Close code
    bool clientSentClose = false;
    TcpEnd clientTcpEnd = TcpEnd::None, serverTcpEnd = TcpEnd::None;
    std::uint64_t clientFrames = 0, serverFrames = 0;
    /// 0: no proxy; 1: the front leg (client → proxy); 2: the upstream leg (proxy → backend).
    int leg = 0;
    ConnId otherLeg = 0; ///< the proxy's other leg, 0 when none
    std::string headline;
};

std::string addressOnly(const Endpoint& e) {
    std::string s = e.toString();
    const auto colon = s.rfind(':');
    if (colon != std::string::npos) {
        s.resize(colon);
    }
    if (s.size() > 2 && s.front() == '[' && s.back() == ']') {
        s = s.substr(1, s.size() - 2);
    }
    return s;
}

std::string normaliseIp(std::string_view ip) {
    if (ip.size() > 2 && ip.front() == '[' && ip.back() == ']') {
        ip = ip.substr(1, ip.size() - 2);
    }
    if (ip.starts_with("::ffff:") && ip.find('.') != std::string_view::npos) {
        ip.remove_prefix(7);
    }
    return std::string(ip);
}

/// The request target's path and query as servers log it ("http://h/ws?x" → "/ws?x").
std::string_view originForm(std::string_view target) {
    if (const auto scheme = target.find("://"); scheme != std::string_view::npos) {
        const auto slash = target.find('/', scheme + 3);
        return slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
    }
    return target;
}

bool samePath(std::string_view logged, std::string_view target) {
    target = originForm(target);
    if (logged == target) {
        return true;
    }
    // gin logs the path with the raw query; some loggers drop the query.
    const auto q = target.find('?');
    return q != std::string_view::npos && logged == target.substr(0, q);
}

Facts factsOf(const Connection& c) {
    Facts f;
    f.id = c.id;
    f.clientIp = normaliseIp(addressOnly(c.client));
    f.clientPort = c.client.port;
    f.server = c.server;
    f.first = c.first.ns;
    f.last = c.last.ns;
    f.request = c.first.ns;
    if (c.request) {
        f.hasRequest = true;
        f.method = c.request->method;
        f.target = c.request->target;
        f.key = c.request->key;
        f.request = c.request->time.ns;
    }
    const DirectionStats& cs = c.stats[index(Direction::ClientToServer)];
    const DirectionStats& ss = c.stats[index(Direction::ServerToClient)];
    f.serverEnd = c.last.ns;
    if (ss.sentClose) {
        f.serverEnd = ss.closeTime.ns;
    } else if (ss.tcpEnd != TcpEnd::None) {
        f.serverEnd = ss.tcpEndTime.ns;
    }
    f.outcome = c.outcome;
    for (const ResponseSummary& r : c.responses) {
        f.statuses.push_back(r.status);
        f.statusPackets.push_back(r.packet);
    }
    if (const ResponseSummary* r = responseActedOn(c)) {
        f.actedOn = r->status;
        f.actedOnPacket = r->packet;
    }
    f.client = c.verdict.client.belief;
    f.server_ = c.verdict.server.belief;
    f.cleanClose = c.cleanClose;
    f.clientSentClose = cs.sentClose;
    f.clientClose = cs.closeCode;
    f.clientTcpEnd = cs.tcpEnd;
    f.serverTcpEnd = ss.tcpEnd;
    f.clientFrames = cs.frames;
    f.serverFrames = ss.frames;
    if (c.proxyLeg) {
        f.leg = c.proxyLeg->otherIsUpstream ? 1 : 2;
        f.otherLeg = c.proxyLeg->other;
    }
    f.headline = c.verdict.headline;
    return f;
}

/// The log time read as UTC, in ns since the epoch, given the date to use when the line has
/// none.
std::optional<std::int64_t> asUtc(const LogTime& t, std::int64_t dayStart) {
    std::int64_t day = dayStart;
    if (t.hasDate()) {
        // Nanoseconds since 1970 in 64 bits reach the years 1678 to 2262: a year outside
        // 1900..2200 is no time a capture can have.
        if (*t.year < 1900 || *t.year > 2200) {
            return std::nullopt;
        }
        using namespace std::chrono;
        const year_month_day ymd{year{*t.year}, month{static_cast<unsigned>(*t.month)},
                                 std::chrono::day{static_cast<unsigned>(*t.day)}};
        if (!ymd.ok()) {
            return std::nullopt;
        }
        day = sys_days{ymd}.time_since_epoch().count() * kDay;
    }
    std::int64_t ns = day + t.nsOfDay;
    if (t.utcOffsetSeconds) {
        ns -= static_cast<std::int64_t>(*t.utcOffsetSeconds) * kSecond;
    }
    return ns;
}

std::int64_t floorDay(std::int64_t ns) {
    std::int64_t d = ns / kDay;
    if (ns < 0 && d * kDay != ns) {
        --d;
    }
    return d * kDay;
}

bool isAccess(const LogLine& e) {
    return e.kind == LogKind::Access;
}

/// Whether the source is the proxy (nginx) rather than the application behind it.
bool fromProxy(const LogLine& e) {
    return e.source == LogSource::NginxAccess || e.source == LogSource::NginxError;
}

std::string fmtTime(std::int64_t ns) {
    const std::int64_t inDay = ns - floorDay(ns);
    const std::int64_t s = inDay / kSecond;
    return fmt::format("{:02}:{:02}:{:02}.{:03}", s / 3600, s / 60 % 60, s % 60,
                       inDay % kSecond / 1'000'000);
}

std::string statusList(const Facts& f) {
    std::string out;
    for (int s : f.statuses) {
        out += fmt::format("{}{}", out.empty() ? "" : " then ", s);
    }
    return out.empty() ? "no response" : out;
}

bool wentWebSocket(const Facts& f) {
    return f.actedOn == 101 && f.client != Belief::NotUpgraded;
}

/// How the connection ended, in a few words, for the reasons.
std::string endWords(const Facts& f) {
    if (f.cleanClose) {
        return "a clean session (Close both ways)";
    }
    if (f.clientSentClose) {
        return fmt::format("the client's Close {}", f.clientClose ? *f.clientClose : 0);
    }
    if (f.serverTcpEnd == TcpEnd::Rst || f.clientTcpEnd == TcpEnd::Rst) {
        return "a reset without a Close frame";
    }
    if (f.serverTcpEnd == TcpEnd::Fin || f.clientTcpEnd == TcpEnd::Fin) {
        return "TCP closed without a Close frame";
    }
    return "no end in the capture";
}

/// What the upstream leg of a proxied connection shows, for an nginx error line judged on the
/// front leg: "the upstream leg #2 never answered (server FIN)".
std::string upstreamWords(const Facts& up) {
    if (!up.statuses.empty()) {
        return fmt::format("the upstream leg #{} answered {}", up.id, statusList(up));
    }
    const char* end = up.serverTcpEnd == TcpEnd::Rst   ? " (reset)"
                      : up.serverTcpEnd == TcpEnd::Fin ? " (closed: FIN)"
                                                       : "";
    return fmt::format("the upstream leg #{} never answered{}", up.id, end);
}

/// Judges one matched entry against its connection (and, for a proxy's front leg, the
/// upstream leg `up`): the mark and its reason.
std::pair<LogMark, std::string> judge(const LogLine& e, const Facts& f, const Facts* up) {
    const auto where = [&](int status) {
        for (std::size_t i = 0; i < f.statuses.size(); ++i) {
            if (f.statuses[i] == status) {
                return fmt::format(" (packet {})", f.statusPackets[i]);
            }
        }
        return std::string();
    };
    switch (e.kind) {
    case LogKind::Access: {
        const bool onWire =
            std::find(f.statuses.begin(), f.statuses.end(), e.status) != f.statuses.end();
        if (onWire && e.status == f.actedOn) {
            return {LogMark::ReachedWire,
                    fmt::format("the client got {}{}", e.status, where(e.status))};
        }
        if (onWire) {
            return {LogMark::ReachedWire,
                    fmt::format("{} reached the wire{}, but the client acted on {}", e.status,
                                where(e.status), f.actedOn)};
        }
        if (e.source == LogSource::NginxAccess && e.status == 499) {
            return {LogMark::LogOnly, "nginx's 499 means the client closed the connection "
                                      "before the answer; nothing was sent"};
        }
        if (e.source == LogSource::GinLogger && e.status == 200 && wentWebSocket(f)) {
            return {LogMark::Contradicts,
                    fmt::format("gin's Logger prints the status its ResponseWriter recorded, and "
                                "gorilla wrote the 101 on the hijacked connection: the client "
                                "got 101{} and the upgrade worked, ended by {}",
                                where(101), endWords(f))};
        }
        if (wentWebSocket(f)) {
            return {LogMark::Contradicts,
                    fmt::format("the log says {}, but the client got 101{} and ran WebSocket, "
                                "ended by {}: the {} was recorded after the upgrade and never "
                                "sent",
                                e.status, where(101), endWords(f), e.status)};
        }
        return {LogMark::Contradicts,
                fmt::format("the log says {}; the wire shows {}", e.status, statusList(f))};
    }
    case LogKind::HijackedWrite:
    case LogKind::HijackedWriteHeader:
    case LogKind::SuperfluousWriteHeader:
        return {LogMark::LogOnly,
                fmt::format("net/http discarded the write: the connection {}; the wire shows "
                            "{} and {}",
                            e.kind == LogKind::SuperfluousWriteHeader ? "had its status already"
                                                                      : "was hijacked",
                            statusList(f), endWords(f))};
    case LogKind::StatusOverride:
        return {LogMark::LogOnly,
                fmt::format("{} was already written, so {} was never sent; the wire shows {}",
                            e.statusFrom == 200 && f.actedOn == 101
                                ? "gin's 200 (the 101 on the "
                                  "hijacked connection)"
                                : fmt::format("{}", e.statusFrom),
                            e.status, statusList(f))};
    case LogKind::PanicRecovered:
        if (e.message.find("hijacked") != std::string::npos) {
            return {LogMark::LogOnly,
                    fmt::format("gin's Recovery caught a write on the hijacked connection; its "
                                "500 was not sent: the wire shows {} and {}",
                                statusList(f), endWords(f))};
        }
        return {LogMark::ReachedWire, fmt::format("the handler panicked; the wire shows {} and {}",
                                                  statusList(f), endWords(f))};
    case LogKind::PanicServing:
        return {LogMark::ReachedWire,
                fmt::format("net/http closed the connection after the panic; the wire shows {} "
                            "and {}",
                            statusList(f), endWords(f))};
    case LogKind::UpgradeFailed:
        if (wentWebSocket(f)) {
            return {LogMark::Contradicts,
                    fmt::format("the log says the upgrade failed, but the client got 101{}",
                                where(101))};
        }
        if (f.actedOn != 0) {
            return {LogMark::ReachedWire,
                    fmt::format("gorilla refused the upgrade: the client got {}{}", f.actedOn,
                                where(f.actedOn))};
        }
        return {LogMark::ReachedWire,
                fmt::format("the upgrade failed after the connection was hijacked: the client "
                            "got no answer ({})",
                            endWords(f))};
    case LogKind::SessionEnded:
        if (e.closeCode != 0 && e.closeCode != 1006) {
            if (f.clientSentClose && f.clientClose && *f.clientClose == e.closeCode) {
                return {LogMark::ReachedWire,
                        fmt::format("the client's Close {} is on the wire", e.closeCode)};
            }
            return {LogMark::Contradicts,
                    fmt::format("the log says the client closed with {}; the wire shows {}",
                                e.closeCode, endWords(f))};
        }
        if (e.closeCode == 1006 && f.clientSentClose) {
            return {LogMark::Contradicts,
                    fmt::format("the log says no Close frame came (1006), but the client's Close "
                                "{} is on the wire",
                                f.clientClose ? *f.clientClose : 0)};
        }
        return {LogMark::ReachedWire, fmt::format("the wire shows {}", endWords(f))};
    case LogKind::UpstreamClosed:
    case LogKind::UpstreamTimeout:
    case LogKind::ProxyError:
        if (f.actedOn >= 400 && up != nullptr) {
            // The proxy's own answer: what the upstream did is the cause, the status the effect.
            return {LogMark::ReachedWire,
                    fmt::format("{}; the client got {} (packet {})", upstreamWords(*up), f.actedOn,
                                f.actedOnPacket)};
        }
        if (f.actedOn >= 400) {
            return {LogMark::ReachedWire,
                    fmt::format("the client got {} (packet {})", f.actedOn, f.actedOnPacket)};
        }
        return {LogMark::ReachedWire,
                fmt::format("the wire shows {} and {}", statusList(f), endWords(f))};
    case LogKind::Info:
        break;
    }
    return {LogMark::ReachedWire, ""};
}

/// Whether the wire agrees with the entry, or explains it (gin's 200 for an upgrade that
/// worked): among equally fitting connections the one that agrees is the likelier.
bool agrees(const LogLine& e, const Facts& f) {
    switch (e.kind) {
    case LogKind::Access:
        return std::find(f.statuses.begin(), f.statuses.end(), e.status) != f.statuses.end() ||
               (e.source == LogSource::GinLogger && e.status == 200 && wentWebSocket(f)) ||
               (e.source == LogSource::NginxAccess && e.status == 499);
    case LogKind::SessionEnded:
        if (e.closeCode == 1006) {
            return !f.clientSentClose;
        }
        return e.closeCode == 0 || (f.clientSentClose && f.clientClose == e.closeCode);
    case LogKind::UpgradeFailed:
        return !wentWebSocket(f);
    case LogKind::HijackedWrite:
    case LogKind::HijackedWriteHeader:
    case LogKind::PanicRecovered:
        return f.actedOn == 101 || f.statuses.size() > 1;
    default:
        return true;
    }
}

/// One entry per connection and file for these kinds (one request, one access line, one end).
bool oncePerConnection(LogKind k) {
    return k == LogKind::Access || k == LogKind::SessionEnded;
}

/// Whether connection `f` can be the one entry `e` (at capture time `t`, precision `p`)
/// speaks of, and how far off it is (smaller is better).
std::optional<std::int64_t> fits(const LogLine& e, std::string_view ip, std::int64_t t,
                                 std::int64_t p, const Facts& f) {
    if (!ip.empty() && ip != f.clientIp) {
        return std::nullopt;
    }
    if (e.clientPort != 0 && e.clientPort != f.clientPort) {
        return std::nullopt;
    }
    if (!e.path.empty() && !samePath(e.path, f.target)) {
        return std::nullopt;
    }
    if (!e.method.empty() && f.hasRequest && e.method != f.method) {
        return std::nullopt;
    }
    if (!f.hasRequest && (isAccess(e) || !e.path.empty())) {
        return std::nullopt;
    }
    const std::int64_t lo = t - kSlack, hi = t + p + kSlack;
    if (isAccess(e) && e.latencyNs) {
        // Written when the handler returned (to the log's precision), `latency` after the
        // request was read: the request lies in [lo - latency, hi - latency].
        const std::int64_t start = f.request;
        if (start + *e.latencyNs < lo - kSlack || start + *e.latencyNs > hi + kSlack) {
            return std::nullopt;
        }
        // The handler of a WebSocket runs until the session ends: the closer its end is to
        // the server's end on the wire, the better.
        const std::int64_t predicted = f.serverEnd - f.request;
        return std::abs(predicted - *e.latencyNs);
    }
    // Anything else was written while the connection was open (or as it ended).
    if (hi < f.request - kSlack || lo > f.last + kSlack) {
        return std::nullopt;
    }
    const std::int64_t mid = t + p / 2;
    return std::min(std::abs(mid - f.serverEnd), std::abs(mid - f.last));
}

/// "/after-json ×3, /after-status ×2" (most first).
std::string pathCounts(const std::map<std::string, std::uint64_t>& paths) {
    std::vector<std::pair<std::uint64_t, std::string>> sorted;
    for (const auto& [p, c] : paths) {
        sorted.emplace_back(c, p);
    }
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    std::string out;
    std::size_t shown = 0;
    for (const auto& [c, p] : sorted) {
        if (++shown > 4) {
            out += ", …";
            break;
        }
        out += fmt::format("{}{} ×{}", out.empty() ? "" : ", ", p.empty() ? "(no path)" : p, c);
    }
    return out;
}

std::string_view kindWords(LogKind k) {
    switch (k) {
    case LogKind::HijackedWrite:
        return "\"response.Write on hijacked connection\"";
    case LogKind::HijackedWriteHeader:
        return "\"response.WriteHeader on hijacked connection\"";
    case LogKind::SuperfluousWriteHeader:
        return "\"superfluous response.WriteHeader call\"";
    case LogKind::StatusOverride:
        return "gin \"Headers were already written\"";
    case LogKind::PanicRecovered:
        return "gin Recovery panic";
    case LogKind::UpstreamClosed:
        return "nginx \"upstream prematurely closed connection\"";
    case LogKind::UpstreamTimeout:
        return "nginx \"upstream timed out\"";
    default:
        return toString(k);
    }
}

/// The capture-level lines that explain where the log and the wire differ.
std::vector<std::string> storyLines(const ServerLogReport& r, const std::vector<Facts>& facts,
                                    const std::unordered_map<ConnId, std::size_t>& byId) {
    const ServerLogs& logs = *r.logs;
    std::map<std::string, std::uint64_t> gin200Upgraded;
    std::map<int, std::map<std::string, std::uint64_t>> statusAfterUpgrade;
    std::map<LogKind, std::map<std::string, std::uint64_t>> logOnly;
    std::map<int, std::map<std::string, std::uint64_t>> sentToFailed;
    std::map<std::string, std::uint64_t> gin200NoResponse;
    // nginx's upstream errors, by kind, with the statuses its clients got (-1: the upgraded
    // session was cut; 0: no answer).
    std::map<LogKind, std::map<std::string, std::uint64_t>> upstreamErrors;
    std::map<LogKind, std::set<int>> upstreamClientStatus;
    std::uint64_t otherContradictions = 0, unmatched = 0, outside = 0;
    for (const LogMatch& m : r.matches) {
        const LogLine& e = logs.entries[m.entry];
        if (m.connection == 0) {
            ++unmatched;
            outside += m.reason.starts_with("outside");
            continue;
        }
        const Facts& f = facts[byId.at(m.connection)];
        const std::string path = e.path.empty() ? std::string(originForm(f.target)) : e.path;
        if (m.mark == LogMark::LogOnly) {
            ++logOnly[e.kind][path];
        } else if (m.mark == LogMark::Contradicts && isAccess(e) && wentWebSocket(f)) {
            if (e.source == LogSource::GinLogger && e.status == 200) {
                ++gin200Upgraded[path];
            } else {
                ++statusAfterUpgrade[e.status][path];
            }
        } else if (m.mark == LogMark::Contradicts && isAccess(e) &&
                   e.source == LogSource::GinLogger && e.status == 200 && f.statuses.empty()) {
            ++gin200NoResponse[path];
        } else if (m.mark == LogMark::Contradicts) {
            ++otherContradictions;
        } else if (e.kind == LogKind::UpstreamClosed || e.kind == LogKind::UpstreamTimeout) {
            ++upstreamErrors[e.kind][path];
            upstreamClientStatus[e.kind].insert(wentWebSocket(f) ? -1 : f.actedOn);
        } else if (isAccess(e) && f.outcome == Outcome::Failed) {
            ++sentToFailed[e.status][path];
        }
    }
    const auto total = [](const std::map<std::string, std::uint64_t>& m) {
        std::uint64_t n = 0;
        for (const auto& [p, c] : m) {
            n += c;
        }
        return n;
    };
    std::vector<std::string> out;
    if (!gin200Upgraded.empty()) {
        const std::uint64_t n = total(gin200Upgraded);
        out.push_back(fmt::format(
            "gin logged 200 for {} upgrade{} that worked ({}): gorilla writes the 101 on the "
            "hijacked connection, so gin's Logger still holds 200; the client{} got 101",
            n, n == 1 ? "" : "s", pathCounts(gin200Upgraded), n == 1 ? "" : "s"));
    }
    for (const auto& [status, paths] : statusAfterUpgrade) {
        const std::uint64_t n = total(paths);
        out.push_back(fmt::format(
            "the log says {} for {} connection{} that got 101 and ran WebSocket ({}): the {} was "
            "recorded by a write after the upgrade and never sent",
            status, n, n == 1 ? "" : "s", pathCounts(paths), status));
    }
    for (const auto& [kind, paths] : logOnly) {
        const std::uint64_t n = total(paths);
        out.push_back(fmt::format("{} {} line{} ({}) sent nothing: {}", n, kindWords(kind),
                                  n == 1 ? "" : "s", pathCounts(paths),
                                  kind == LogKind::StatusOverride
                                      ? "the status was already written"
                                      : "the connection was hijacked, so net/http dropped the "
                                        "write"));
    }
    if (!gin200NoResponse.empty()) {
        const std::uint64_t n = total(gin200NoResponse);
        out.push_back(fmt::format(
            "gin logged 200 for {} connection{} that got no response at all ({}): the handler "
            "took the connection (Hijack) and closed it without writing, and gin's Logger "
            "still holds 200",
            n, n == 1 ? "" : "s", pathCounts(gin200NoResponse)));
    }
    for (const auto& [kind, paths] : upstreamErrors) {
        const std::uint64_t n = total(paths);
        std::vector<std::string> got;
        for (const int st : upstreamClientStatus[kind]) {
            got.push_back(st == -1  ? std::string("101, then the session cut without a Close frame")
                          : st == 0 ? std::string("no answer")
                                    : fmt::format("{}", st));
        }
        out.push_back(
            fmt::format("{} {} line{} ({}): {}; its client{} got {}", n, kindWords(kind),
                        n == 1 ? "" : "s", pathCounts(paths),
                        kind == LogKind::UpstreamClosed
                            ? "the backend closed the connection before its answer was complete"
                            : "nginx waited its proxy_read_timeout for the backend and gave up",
                        n == 1 ? "" : "s", fmt::join(got, " or ")));
    }
    for (const auto& [status, paths] : sentToFailed) {
        const std::uint64_t n = total(paths);
        out.push_back(fmt::format("{} logged {}{} reached a client that then failed ({}): "
                                  "see the connections' verdicts",
                                  n, status, n == 1 ? "" : "s", pathCounts(paths)));
    }
    if (otherContradictions != 0) {
        out.push_back(fmt::format("{} other log entr{} contradict{} the wire", otherContradictions,
                                  otherContradictions == 1 ? "y" : "ies",
                                  otherContradictions == 1 ? "s" : ""));
    }
    if (unmatched != 0) {
        out.push_back(fmt::format(
            "{} log entr{} match no connection{}", unmatched, unmatched == 1 ? "y" : "ies",
            outside == unmatched ? " (outside the capture's time)"
            : outside != 0       ? fmt::format(" ({} outside the capture's time)", outside)
                                 : std::string()));
    }
    return out;
}

} // namespace

struct LogReconciler::Impl {
    std::shared_ptr<const ServerLogs> logs;
    ReconcileOptions options;
    std::vector<Facts> facts;
};

LogReconciler::LogReconciler(std::shared_ptr<const ServerLogs> logs, ReconcileOptions options)
    : m_impl(std::make_unique<Impl>()) {
    m_impl->logs = std::move(logs);
    m_impl->options = options;
}

LogReconciler::~LogReconciler() = default;
LogReconciler::LogReconciler(LogReconciler&&) noexcept = default;
LogReconciler& LogReconciler::operator=(LogReconciler&&) noexcept = default;

void LogReconciler::add(const Connection& c) {
    m_impl->facts.push_back(factsOf(c));
}

std::shared_ptr<const ServerLogReport> LogReconciler::finish() {
    auto report = std::make_shared<ServerLogReport>();
    report->logs = m_impl->logs;
    const ServerLogs& logs = *m_impl->logs;
    std::vector<Facts>& facts = m_impl->facts;
    std::sort(facts.begin(), facts.end(),
              [](const Facts& a, const Facts& b) { return a.id < b.id; });
    ConnId maxId = facts.empty() ? 0 : facts.back().id;
    report->byConnection.resize(maxId);
    std::unordered_map<ConnId, std::size_t> byId;
    std::unordered_map<std::string, std::vector<std::size_t>> byKey;
    std::int64_t captureFirst = std::numeric_limits<std::int64_t>::max();
    std::int64_t captureLast = std::numeric_limits<std::int64_t>::min();
    for (std::size_t i = 0; i < facts.size(); ++i) {
        byId[facts[i].id] = i;
        if (!facts[i].key.empty()) {
            byKey[facts[i].key].push_back(i);
        }
        captureFirst = std::min(captureFirst, facts[i].first);
        captureLast = std::max(captureLast, facts[i].last);
    }
    const bool anyConnection = !facts.empty();
    std::vector<std::size_t> byRequest(facts.size());
    std::int64_t longest = 0;
    for (std::size_t i = 0; i < facts.size(); ++i) {
        byRequest[i] = i;
        longest = std::max(longest, facts[i].last - facts[i].request);
    }
    std::sort(byRequest.begin(), byRequest.end(),
              [&](std::size_t a, std::size_t b) { return facts[a].request < facts[b].request; });

    // Log times as UTC; undated lines take the date of the file's nearest dated line before
    // them (else after them, else the capture's first day), rolled over midnight.
    const std::size_t n = logs.entries.size();
    std::vector<std::optional<std::int64_t>> asLogged(n);
    {
        std::vector<std::optional<std::int64_t>> dayBefore(n);
        std::optional<std::int64_t> day;
        std::uint32_t file = std::numeric_limits<std::uint32_t>::max();
        for (std::size_t i = 0; i < n; ++i) {
            const LogLine& e = logs.entries[i];
            if (e.file != file) {
                file = e.file;
                day.reset();
            }
            if (e.time && e.time->hasDate()) {
                if (auto t = asUtc(*e.time, 0)) {
                    day = floorDay(*t);
                }
            }
            dayBefore[i] = day;
        }
        day.reset();
        file = std::numeric_limits<std::uint32_t>::max();
        for (std::size_t k = n; k-- > 0;) {
            const LogLine& e = logs.entries[k];
            if (e.file != file) {
                file = e.file;
                day.reset();
            }
            if (e.time && e.time->hasDate()) {
                if (auto t = asUtc(*e.time, 0)) {
                    day = floorDay(*t);
                }
            }
            if (!e.time) {
                continue;
            }
            std::optional<std::int64_t> d = dayBefore[k] ? dayBefore[k] : day;
            if (!d && anyConnection) {
                d = floorDay(captureFirst);
            }
            if (!e.time->hasDate() && !d) {
                continue;
            }
            asLogged[k] = asUtc(*e.time, d.value_or(0));
        }
    }

    // An entry without a time (gin's debug warnings) was written beside its neighbours: it
    // takes the time of the nearest timed entry of its file within 3 entries, to a second.
    std::vector<std::int64_t> precision(n, kSecond);
    for (std::size_t i = 0; i < n; ++i) {
        const LogLine& e = logs.entries[i];
        if (e.time) {
            precision[i] = e.time->precisionNs;
        }
        if (asLogged[i]) {
            continue;
        }
        for (std::size_t d = 1; d <= 3 && !asLogged[i]; ++d) {
            for (const std::size_t k : {i + d, i >= d ? i - d : n}) {
                if (k < n && logs.entries[k].file == e.file && logs.entries[k].time &&
                    asLogged[k] && !(k < i && !logs.entries[k].time)) {
                    asLogged[i] = *asLogged[k] - *asLogged[k] % kSecond;
                    precision[i] = 2 * kSecond;
                    break;
                }
            }
        }
    }

    // The clock: given, else from the exact matches, else the time zone that fits.
    LogClock clock;
    const auto exactOf = [&](const LogLine& e) -> std::optional<std::size_t> {
        if (!e.wsKey.empty()) {
            if (auto it = byKey.find(e.wsKey); it != byKey.end() && !it->second.empty()) {
                // A proxied upgrade carries the same key on both legs: the application's dump
                // names the upstream leg.
                for (std::size_t i : it->second) {
                    if (facts[i].leg != 1 || fromProxy(e)) {
                        return i;
                    }
                }
                return it->second.front();
            }
        }
        if (e.clientPort != 0 && !e.clientIp.empty()) {
            for (std::size_t i = 0; i < facts.size(); ++i) {
                if (facts[i].clientPort == e.clientPort &&
                    facts[i].clientIp == normaliseIp(e.clientIp)) {
                    return i;
                }
            }
        }
        return std::nullopt;
    };
    if (m_impl->options.clockOffsetNs) {
        clock.basis = LogClock::Basis::Given;
        clock.offsetNs = *m_impl->options.clockOffsetNs;
    } else {
        std::vector<std::int64_t> diffs;
        std::int64_t coarsest = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const LogLine& e = logs.entries[i];
            if (!asLogged[i]) {
                continue;
            }
            if (auto c = exactOf(e); c && e.time) {
                const std::int64_t p = e.time->precisionNs;
                diffs.push_back(*asLogged[i] + p / 2 - facts[*c].last);
                coarsest = std::max(coarsest, p);
            }
        }
        if (!diffs.empty()) {
            std::nth_element(diffs.begin(), diffs.begin() + diffs.size() / 2, diffs.end());
            const std::int64_t median = diffs[diffs.size() / 2];
            // A whole quarter hour within the estimate's uncertainty is a time zone: snap.
            const std::int64_t quarter = 900 * kSecond;
            const std::int64_t snapped =
                (median >= 0 ? (median + quarter / 2) : (median - quarter / 2)) / quarter * quarter;
            clock.offsetNs = std::abs(median - snapped) <= coarsest + kSecond ? snapped : median;
            clock.basis = LogClock::Basis::Exact;
            clock.samples = static_cast<std::uint32_t>(diffs.size());
        } else if (anyConnection) {
            // The quarter-hour shift that puts the most request entries inside the capture.
            int best = 0;
            std::uint64_t bestInside = 0;
            for (int k = -56; k <= 56; ++k) {
                const std::int64_t off = static_cast<std::int64_t>(k) * 900 * kSecond;
                std::uint64_t inside = 0;
                for (std::size_t i = 0; i < n; ++i) {
                    if (asLogged[i] && logs.entries[i].kind != LogKind::Info) {
                        const std::int64_t t = *asLogged[i] - off;
                        inside += t >= captureFirst - kSecond && t <= captureLast + kSecond;
                    }
                }
                if (inside > bestInside || (inside == bestInside && std::abs(k) < std::abs(best))) {
                    best = k;
                    bestInside = inside;
                }
            }
            if (bestInside != 0 && best != 0) {
                clock.basis = LogClock::Basis::Zone;
                clock.offsetNs = static_cast<std::int64_t>(best) * 900 * kSecond;
            }
        }
    }
    report->clock = clock;

    // Matching: exact first, then the entries with the fewest candidates; an access entry per
    // connection and file at most (one request, one access line).
    struct Pending {
        std::size_t entry;
        std::vector<std::pair<std::int64_t, std::size_t>> candidates; // (distance, fact)
    };
    std::vector<LogMatch> matches(0);
    std::vector<std::size_t> matchOfEntry(n, std::numeric_limits<std::size_t>::max());
    std::vector<Pending> pending;
    for (std::size_t i = 0; i < n; ++i) {
        const LogLine& e = logs.entries[i];
        if (e.kind == LogKind::Info) {
            continue;
        }
        matchOfEntry[i] = matches.size();
        LogMatch m;
        m.entry = static_cast<std::uint32_t>(i);
        if (asLogged[i]) {
            m.timeNs = *asLogged[i] - clock.offsetNs;
        }
        if (auto c = exactOf(e)) {
            m.connection = facts[*c].id;
            m.certainty = Certainty::Exact;
            m.candidates = 1;
            matches.push_back(std::move(m));
            continue;
        }
        matches.push_back(std::move(m));
        if (!asLogged[i]) {
            matches.back().reason = "the line carries no time to match it by";
            continue;
        }
        const std::int64_t t = *asLogged[i] - clock.offsetNs;
        const std::int64_t p = precision[i];
        Pending pe{i, {}};
        const std::string ip = e.clientIp.empty() ? std::string() : normaliseIp(e.clientIp);
        // Only connections whose request can lie in the entry's window: requested before its
        // end, and no longer ago than the longest connection (or its logged latency) allows.
        const std::int64_t back =
            (isAccess(e) && e.latencyNs ? *e.latencyNs : longest) + 4 * kSlack;
        const auto from =
            std::lower_bound(byRequest.begin(), byRequest.end(), t - back,
                             [&](std::size_t k, std::int64_t v) { return facts[k].request < v; });
        for (auto it = from; it != byRequest.end() && facts[*it].request <= t + p + 2 * kSlack;
             ++it) {
            const std::size_t k = *it;
            // Behind a proxy the proxy's lines speak of the front leg, the application's of
            // the upstream leg.
            if (facts[k].leg != 0 && (facts[k].leg == 1) != fromProxy(e)) {
                continue;
            }
            if (auto d = fits(e, ip, t, p, facts[k])) {
                // Agreeing connections first: a guess must not invent a contradiction.
                const std::int64_t penalty = agrees(e, facts[k]) ? 0 : kDay;
                pe.candidates.emplace_back(*d + penalty, k);
            }
        }
        if (pe.candidates.empty()) {
            std::string& why = matches.back().reason;
            if (!anyConnection || t + p < captureFirst - kSecond || t > captureLast + kSecond) {
                why = anyConnection
                          ? fmt::format("outside the capture's time (the line at {}, the capture "
                                        "{}–{})",
                                        fmtTime(t), fmtTime(captureFirst), fmtTime(captureLast))
                          : "the capture has no connection";
            } else if (!e.clientIp.empty()) {
                why = fmt::format("no connection from {}{} at that time (another server, or a "
                                  "capture filter that missed it)",
                                  e.clientIp, e.path.empty() ? "" : " for " + e.path);
            } else {
                why = fmt::format("no connection{} open at that time",
                                  e.path.empty() ? "" : " for " + e.path);
            }
            continue;
        }
        std::sort(pe.candidates.begin(), pe.candidates.end());
        pending.push_back(std::move(pe));
    }
    std::stable_sort(pending.begin(), pending.end(), [](const Pending& a, const Pending& b) {
        return a.candidates.size() < b.candidates.size();
    });
    // (file, kind, fact) triples that already have their one entry (oncePerConnection).
    std::set<std::tuple<std::uint32_t, LogKind, std::size_t>> taken;
    for (const LogMatch& m : matches) {
        const LogLine& e = logs.entries[m.entry];
        if (m.connection != 0 && oncePerConnection(e.kind)) {
            taken.emplace(e.file, e.kind, byId[m.connection]);
        }
    }
    const auto free = [&](const LogLine& e, std::size_t k) {
        return !oncePerConnection(e.kind) || !taken.contains({e.file, e.kind, k});
    };
    // The connection of each exactly matched entry, so a line written beside one (the same
    // handler's warning before a Recovery dump) can lean on it.
    constexpr std::size_t kNoFact = std::numeric_limits<std::size_t>::max();
    std::vector<std::size_t> exactFact(n, kNoFact);
    for (const LogMatch& m : matches) {
        if (m.certainty == Certainty::Exact && m.connection != 0) {
            exactFact[m.entry] = byId[m.connection];
        }
    }
    // The connection each decided entry names (exact entries now, the rest as they are
    // chosen), so a line written by the same handler can lean on it.
    std::vector<std::size_t> decided = exactFact;
    // (fact, kind) pairs already given to a handler's note by its order (one each).
    std::set<std::pair<std::size_t, LogKind>> noted;
    const auto among = [](const Pending& pe, std::size_t fact) {
        return std::any_of(pe.candidates.begin(), pe.candidates.end(),
                           [&](const auto& dc) { return dc.second == fact; });
    };
    const auto sameFile = [&](std::size_t a, std::size_t b) {
        return b < n && logs.entries[a].file == logs.entries[b].file;
    };
    // An entry of another kind beside an exact one: the nearest within 3 entries of the same
    // file with no access line between them (an access line closes its request). An access
    // line looks further back, past other requests' lines, for the exact entry (a Recovery
    // dump) of its own path: gin's Logger writes it when the handler has returned.
    const auto besideExact =
        [&](const Pending& pe) -> std::optional<std::pair<std::size_t, std::string>> {
        const LogLine& e = logs.entries[pe.entry];
        if (isAccess(e)) {
            for (std::size_t d = 1; d <= kHandlerWindow && d <= pe.entry; ++d) {
                const std::size_t k = pe.entry - d;
                if (!sameFile(pe.entry, k)) {
                    break;
                }
                const LogLine& o = logs.entries[k];
                if (isAccess(o) && !o.path.empty() && o.path == e.path) {
                    break;
                }
                if (exactFact[k] != kNoFact && among(pe, exactFact[k]) && free(e, exactFact[k])) {
                    return std::pair{
                        exactFact[k],
                        fmt::format("the access line after line {}, which names it", o.line)};
                }
            }
            return std::nullopt;
        }
        bool blocked[2] = {false, false};
        for (std::size_t dist = 1; dist <= 3; ++dist) {
            for (const bool after : {true, false}) {
                if (!after && pe.entry < dist) {
                    continue;
                }
                const std::size_t k = after ? pe.entry + dist : pe.entry - dist;
                if (!sameFile(pe.entry, k) || blocked[after ? 0 : 1]) {
                    continue;
                }
                const std::size_t fact = exactFact[k];
                if (fact != kNoFact && among(pe, fact) && free(e, fact)) {
                    return std::pair{
                        fact, fmt::format("beside line {}, which names it", logs.entries[k].line)};
                }
                if (isAccess(logs.entries[k])) {
                    blocked[after ? 0 : 1] = true;
                }
            }
        }
        return std::nullopt;
    };
    // A handler's note (net/http's "response.Write on hijacked connection", gin's "Headers
    // were already written") is written by the handler before its request's access line,
    // while other requests' lines interleave. It belongs to: the first access line after it
    // (within 3 entries) that logs the status it wanted (a failing one, for a note without a
    // status); else the nearest exact entry after
    // it (the Recovery dump its failed write raised) with no failing access line between
    // (that request ended there); else the nearest exact entry before it (gin's Recovery
    // writes the header after the dump) with no access line of that entry's path between.
    const auto byHandlerOrder =
        [&](const Pending& pe) -> std::optional<std::pair<std::size_t, std::string>> {
        const LogLine& e = logs.entries[pe.entry];
        std::vector<std::string> closedPaths;
        const auto usable = [&](std::size_t fact) {
            return fact != kNoFact && among(pe, fact) && !noted.contains({fact, e.kind});
        };
        const auto open = [&](std::size_t fact) {
            return std::none_of(closedPaths.begin(), closedPaths.end(), [&](const std::string& p) {
                return samePath(p, facts[fact].target);
            });
        };
        const auto failing = [&](const LogLine& o) {
            return isAccess(o) && (o.status >= 400 || (e.status != 0 && o.status == e.status));
        };
        for (std::size_t d = 1; d <= 3; ++d) {
            const std::size_t k = pe.entry + d;
            if (!sameFile(pe.entry, k)) {
                break;
            }
            const LogLine& o = logs.entries[k];
            if (!isAccess(o)) {
                continue;
            }
            // A note without a status (a hijacked write) leans on a failing access line only:
            // a 200 beside it is as likely another request's upgrade.
            const bool itsStatus = e.status == 0 ? o.status >= 400 : o.status == e.status;
            if (itsStatus && usable(decided[k])) {
                return std::pair{decided[k],
                                 fmt::format("written before its access line {}", o.line)};
            }
            break;
        }
        bool forwardOpen = true, backwardOpen = true;
        for (std::size_t d = 1; d <= kHandlerWindow && (forwardOpen || backwardOpen); ++d) {
            if (forwardOpen) {
                const std::size_t k = pe.entry + d;
                if (!sameFile(pe.entry, k)) {
                    forwardOpen = false;
                } else if (usable(exactFact[k])) {
                    return std::pair{exactFact[k],
                                     fmt::format("written by the handler whose panic line {} "
                                                 "names it",
                                                 logs.entries[k].line)};
                } else if (failing(logs.entries[k])) {
                    forwardOpen = false;
                }
            }
            if (backwardOpen) {
                if (d > pe.entry || !sameFile(pe.entry, pe.entry - d)) {
                    backwardOpen = false;
                    continue;
                }
                const std::size_t k = pe.entry - d;
                const LogLine& o = logs.entries[k];
                if (usable(exactFact[k]) && open(exactFact[k])) {
                    return std::pair{exactFact[k],
                                     fmt::format("written after line {}, which names it", o.line)};
                }
                if (isAccess(o) && o.path.empty()) {
                    backwardOpen = false;
                } else if (isAccess(o)) {
                    // An access line closes the requests of its path before it.
                    closedPaths.push_back(o.path);
                }
            }
        }
        return std::nullopt;
    };
    const auto isHandlerNote = [](LogKind k) {
        return k == LogKind::StatusOverride || k == LogKind::HijackedWrite ||
               k == LogKind::HijackedWriteHeader || k == LogKind::SuperfluousWriteHeader;
    };
    // Handler notes last and in file order: they follow the access lines and each other.
    std::stable_partition(pending.begin(), pending.end(), [&](const Pending& pe) {
        return !isHandlerNote(logs.entries[pe.entry].kind);
    });
    const auto notes = std::find_if(pending.begin(), pending.end(), [&](const Pending& pe) {
        return isHandlerNote(logs.entries[pe.entry].kind);
    });
    std::sort(notes, pending.end(),
              [](const Pending& a, const Pending& b) { return a.entry < b.entry; });
    for (Pending& pe : pending) {
        const LogLine& e = logs.entries[pe.entry];
        LogMatch& m = matches[matchOfEntry[pe.entry]];
        std::optional<std::size_t> chosen;
        std::string because;
        auto anchored = isHandlerNote(e.kind) ? byHandlerOrder(pe) : std::nullopt;
        if (!anchored) {
            anchored = besideExact(pe);
        }
        if (anchored) {
            chosen = anchored->first;
            because = std::move(anchored->second);
        }
        if (!chosen) {
            for (const auto& [d, k] : pe.candidates) {
                if (free(e, k)) {
                    chosen = k;
                    break;
                }
            }
        }
        if (!chosen) {
            chosen = pe.candidates.front().second;
        }
        if (oncePerConnection(e.kind)) {
            taken.emplace(e.file, e.kind, *chosen);
        }
        if (isHandlerNote(e.kind)) {
            noted.emplace(*chosen, e.kind);
        }
        decided[pe.entry] = *chosen;
        m.connection = facts[*chosen].id;
        m.candidates = static_cast<std::uint32_t>(pe.candidates.size());
        const bool byAddress = !e.clientIp.empty() && !e.path.empty();
        m.certainty = byAddress ? Certainty::Address : Certainty::Time;
        if (m.candidates > 1) {
            // Say whether the choice matters: do the candidates all look the same on the wire?
            bool same = true;
            const Facts& c0 = facts[*chosen];
            for (const auto& [d, k] : pe.candidates) {
                same = same && facts[k].statuses == c0.statuses &&
                       facts[k].cleanClose == c0.cleanClose && facts[k].outcome == c0.outcome;
            }
            m.reason = fmt::format("one of {} candidates{}{}: ", m.candidates,
                                   because.empty() ? "" : ", chosen " + because,
                                   same ? ", all alike on the wire" : "");
        } else if (!because.empty()) {
            m.reason = because + ": ";
        }
    }

    // Judge every matched entry; index by connection; the table by path.
    std::map<std::string, PathRow> rows;
    for (LogMatch& m : matches) {
        const LogLine& e = logs.entries[m.entry];
        if (m.connection == 0) {
            if (!e.path.empty()) {
                PathRow& row = rows[e.path];
                row.path = e.path;
                ++row.unmatched;
                if (isAccess(e)) {
                    ++row.loggedStatuses[e.status];
                }
            }
            continue;
        }
        const Facts& f = facts[byId[m.connection]];
        const auto upIt = f.leg == 1 ? byId.find(f.otherLeg) : byId.end();
        const Facts* up = upIt != byId.end() ? &facts[upIt->second] : nullptr;
        auto [mark, why] = judge(e, f, up);
        m.mark = mark;
        m.reason += why;
        report->byConnection[m.connection - 1].push_back(
            static_cast<std::uint32_t>(&m - matches.data()));
        const std::string path = e.path.empty() ? std::string(originForm(f.target)) : e.path;
        if (path.empty()) {
            continue;
        }
        PathRow& row = rows[path];
        row.path = path;
        if (isAccess(e)) {
            ++row.loggedStatuses[e.status];
        }
        row.reachedWire += mark == LogMark::ReachedWire;
        row.logOnly += mark == LogMark::LogOnly;
        row.contradicts += mark == LogMark::Contradicts;
    }
    // Wire outcomes by path: the connections of the server(s) the log speaks of.
    std::set<Endpoint> servers;
    for (const LogMatch& m : matches) {
        if (m.connection != 0) {
            servers.insert(facts[byId[m.connection]].server);
        }
    }
    for (const Facts& f : facts) {
        if (!f.hasRequest || !servers.contains(f.server)) {
            continue;
        }
        const std::string path(originForm(f.target));
        PathRow& row = rows[path];
        row.path = path;
        ++row.wireOutcomes[f.outcome];
    }
    for (auto& [path, row] : rows) {
        report->paths.push_back(std::move(row));
    }
    report->matches = std::move(matches);
    report->story = storyLines(*report, facts, byId);
    return report;
}

std::shared_ptr<const ServerLogReport> reconcile(std::shared_ptr<const ServerLogs> logs,
                                                 const std::vector<Connection>& connections,
                                                 ReconcileOptions options) {
    LogReconciler r(std::move(logs), options);
    for (const Connection& c : connections) {
        if (c.finished) {
            r.add(c);
        }
    }
    return r.finish();
}

const std::vector<std::uint32_t>& ServerLogReport::matchesOf(ConnId id) const {
    static const std::vector<std::uint32_t> kNone;
    return id >= 1 && id <= byConnection.size() ? byConnection[id - 1] : kNone;
}

std::uint64_t ServerLogReport::count(LogMark mark) const {
    return static_cast<std::uint64_t>(
        std::count_if(matches.begin(), matches.end(),
                      [mark](const LogMatch& m) { return m.connection != 0 && m.mark == mark; }));
}

std::uint64_t ServerLogReport::unmatched() const {
    return static_cast<std::uint64_t>(std::count_if(
        matches.begin(), matches.end(), [](const LogMatch& m) { return m.connection == 0; }));
}

std::string_view toString(Certainty c) {
    switch (c) {
    case Certainty::Exact:
        return "exact";
    case Certainty::Address:
        return "address";
    case Certainty::Time:
        return "time";
    }
    return "time";
}

std::string_view toString(LogClock::Basis b) {
    switch (b) {
    case LogClock::Basis::Given:
        return "given";
    case LogClock::Basis::Exact:
        return "exact_matches";
    case LogClock::Basis::Zone:
        return "time_zone";
    case LogClock::Basis::AsLogged:
        break;
    }
    return "as_logged";
}

std::string_view toString(LogMark m) {
    switch (m) {
    case LogMark::ReachedWire:
        return "reached_wire";
    case LogMark::LogOnly:
        return "log_only";
    case LogMark::Contradicts:
        return "contradicts";
    }
    return "reached_wire";
}

std::string_view describe(LogMark m) {
    switch (m) {
    case LogMark::ReachedWire:
        return "reached the wire";
    case LogMark::LogOnly:
        return "log only: nothing was sent";
    case LogMark::Contradicts:
        return "contradicts the wire";
    }
    return "reached the wire";
}

std::string clockText(const LogClock& c) {
    const auto offset = [&] {
        const std::int64_t ns = c.offsetNs;
        if (ns % (900 * kSecond) == 0) {
            const std::int64_t minutes = ns / (60 * kSecond);
            return fmt::format("UTC{}{:02}:{:02}", minutes < 0 ? '-' : '+', std::abs(minutes) / 60,
                               std::abs(minutes) % 60);
        }
        return fmt::format("{:+.6f} s from the capture's clock", static_cast<double>(ns) / 1e9);
    };
    switch (c.basis) {
    case LogClock::Basis::Given:
        return fmt::format("log times read as {} (--log-clock-offset)", offset());
    case LogClock::Basis::Exact:
        return fmt::format("log times read as {} (from {} exact match{})", offset(), c.samples,
                           c.samples == 1 ? "" : "es");
    case LogClock::Basis::Zone:
        return fmt::format("log times read as {} (the time zone that puts the log inside the "
                           "capture; no exact match to measure it; --log-clock-offset sets it)",
                           offset());
    case LogClock::Basis::AsLogged:
        break;
    }
    return "log times read as UTC (nothing to measure an offset from; --log-clock-offset sets "
           "it)";
}

} // namespace wst::logs
