// SPDX-License-Identifier: MIT
#include "decoder/verdict/verdict.h"

#include "decoder/ws/close_code.h"

#include <algorithm>
#include <fmt/format.h>

namespace wst {

namespace {

using enum AnomalyId;

/// Where a finding sits in the causal order. A cause always has a lower stage than what it
/// explains, so the table can never make two findings explain each other.
enum class Stage : std::uint8_t {
    Capture, ///< what the capture lacks: a connection picked up late, a buffer limit
    Lost,    ///< bytes missing (gap), a proxy that dropped headers
    Request, ///< what the client asked wrongly
    Answer,  ///< a specific reason the server's answer broke the handshake
    Refusal, ///< the generic fact: not 101, no answer
    Stream,  ///< HTTP text where frames belong, malformed HTTP framing
    Frame,   ///< a rule one frame broke
    Ending,  ///< why the connection ended badly
    Echo,    ///< what follows from an earlier finding
};

Stage stageOf(AnomalyId id) {
    switch (id) {
    case TcpPartialConnection:
    case TcpBufferLimitExceeded:
    case TcpRstOutOfWindow:
    case TcpFinOutOfWindow:
    case TcpSynInConnection:
    case WsDeflateBudgetExceeded:
    case CaptureTruncatedPacket:
    case CapturePacketUndecodable:
    case CaptureIpFragment:
    case H2DesyncAfterGap:
    case CaptureTimeBackwards:
    case CaptureTimestampInvalid:
        return Stage::Capture;
    case TcpGap:
    case HttpUpgradeStripped:
        return Stage::Lost;
    case TlsRecordGap:
        return Stage::Stream;
    case TlsHttpToTlsPort:
    case TlsToPlainPort:
        return Stage::Request;
    case TlsAlert:
    case TlsRecordMalformed:
    case TlsHandshakeMalformed:
        return Stage::Answer;
    case WsHandshakeBadMethod:
    case WsHandshakeBadHttpVersion:
    case WsHandshakeMissingHost:
    case WsHandshakeMissingUpgrade:
    case WsHandshakeMissingConnection:
    case WsHandshakeMissingKey:
    case WsHandshakeBadKey:
    case WsHandshakeMultipleKey:
    case WsHandshakeBadVersion:
    case WsHandshakeEarlyClientData:
    case H2WsConnectNotEnabled:
    case H2WsConnectMalformed:
    case H2PrefaceInvalid:
        return Stage::Request;
    case HijackNotSupported:
    case HijackTwoResponses:
    case HijackErrorWithOutput:
    case HttpVersionRejected:
    case HttpUpgradeRedirected:
    case WsHandshakeResponseMissingUpgrade:
    case WsHandshakeResponseMissingConnection:
    case WsHandshakeMissingAccept:
    case WsHandshakeMultipleAccept:
    case WsHandshakeWrongAccept:
    case WsHandshakeUnofferedSubprotocol:
    case WsHandshakeSubprotocolNotChosen:
    case WsHandshakeUnofferedExtension:
    case WsHandshakeResponseBodyHeaders:
    case WsDeflateBadParameters:
    case HttpHeadTooLarge:
    case H2WsStatus101:
        return Stage::Answer;
    case HttpUpgradeRefused:
    case HttpUpgradeIgnored:
    case HttpNoResponse:
    case H2WsConnectRefused:
        return Stage::Refusal;
    case HijackHttpInWebSocket:
    case HttpHeadMalformed:
    case HttpBodyMalformed:
    case H2FrameMalformed:
    case H2FrameTooLarge:
    case H2HeaderBlockTooLarge:
    case H2HpackError:
    case H2SettingsFlood:
        return Stage::Stream;
    case WsFrameClientUnmasked:
    case WsFrameServerMasked:
    case WsFrameRsvWithoutExtension:
    case WsFrameReservedOpcode:
    case WsFrameControlTooLarge:
    case WsFrameControlFragmented:
    case WsFrameLengthNotMinimal:
    case WsFrameLengthMsbSet:
    case WsFrameContinuationWithoutStart:
    case WsFrameInterleavedMessage:
    case WsFrameInvalidUtf8:
    case WsClosePayloadOneByte:
    case WsCloseCodeInvalid:
    case WsCloseCodeReservedOnWire:
    case WsCloseReasonInvalidUtf8:
    case WsDeflateError:
    case WsDeflateSizeLimit:
    case WsDeflateControlCompressed:
    case TcpOverlapConflict:
        return Stage::Frame;
    case HijackClosedAfterUpgrade:
    case WsFramePingUnanswered: // a peer that stops answering pings is closed (a pong timeout)
    case WsCloseIdleTimeout:
    case TcpHalfOpen:
    case TcpRstDuringHandshake:
    case H2WsStreamReset:
    case H2WsStreamResetMidMessage:
    case H2WsGoawayOpenStreams:
        return Stage::Ending;
    default:
        return Stage::Echo;
    }
}

/// Findings that follow from a handshake that did not work.
bool handshakeEcho(AnomalyId id) {
    switch (id) {
    case WsFrameAfterFailedHandshake:
    case WsCloseMissing:
    case WsCloseAbnormal:
    case WsCloseNotAnswered:
    case HijackClosedAfterUpgrade:
    case HttpBodyMalformed:
    case WsFramePingUnanswered:
    case TcpDataAfterFin:
    case TcpDataAfterRst:
    case TcpHalfOpen:
        return true;
    default:
        return false;
    }
}

/// How a connection ends when one side failed it (RFC 6455 §7.1.7) or went away.
bool closeEcho(AnomalyId id) {
    switch (id) {
    case WsCloseMissing:
    case WsCloseAbnormal:
    case WsCloseNotAnswered:
    case WsFramePingUnanswered:
    case WsFrameAfterClose:
    case TcpDataAfterFin:
    case TcpDataAfterRst:
        return true;
    default:
        return false;
    }
}

/// What a byte stream read out of step produces: frame rule breaks and lost sync.
bool streamGarbage(AnomalyId id) {
    const Stage s = stageOf(id);
    return s == Stage::Frame || id == WsFrameDesyncAfterGap || id == WsFrameResynced ||
           id == HttpHeadMalformed || id == HttpBodyMalformed || id == WsFrameAfterClose;
}

bool sameDirection(const VerdictFinding& a, const VerdictFinding& b) {
    return !a.direction || !b.direction || *a.direction == *b.direction;
}

bool notLater(const VerdictFinding& cause, const VerdictFinding& effect) {
    return cause.time.ns <= effect.time.ns;
}

bool refusal(AnomalyId id) {
    return stageOf(id) == Stage::Refusal;
}

} // namespace

bool explains(const VerdictFinding& cause, const VerdictFinding& effect) {
    const AnomalyId c = cause.id, e = effect.id;
    if (c == WsCloseNotAnswered) {
        // The Close that was never answered is the ending's story (no Close back, an abrupt end).
        return e == WsCloseMissing || e == WsCloseAbnormal;
    }
    if (stageOf(c) >= stageOf(e)) {
        return false;
    }
    switch (c) {
    case TcpPartialConnection:
        return e == WsHandshakeNotSeen || e == WsFrameContinuationWithoutStart ||
               e == HttpNoResponse || e == HttpHeadMalformed;
    case TcpBufferLimitExceeded:
    case TcpGap:
        // Lost bytes put what follows in that direction out of step, or hide an answer.
        return (sameDirection(cause, effect) && notLater(cause, effect) &&
                (streamGarbage(e) || e == TlsRecordGap || e == TlsRecordMalformed)) ||
               (e == HttpNoResponse && cause.direction == Direction::ServerToClient);
    case TlsHttpToTlsPort:
    case TlsToPlainPort:
        // The wrong protocol for the port: the server's refusal, an alert, no answer follow.
        return refusal(e) || e == TlsAlert || e == TlsRecordMalformed || handshakeEcho(e) ||
               e == HttpHeadMalformed || e == TcpRstDuringHandshake;
    case HttpUpgradeStripped:
        // The proxy dropped Upgrade/Connection (nginx without proxy_http_version 1.1 also
        // forwards HTTP/1.0): the request looks broken and the backend refuses it.
        return e == WsHandshakeMissingUpgrade || e == WsHandshakeMissingConnection ||
               e == WsHandshakeBadHttpVersion || stageOf(e) == Stage::Answer || refusal(e) ||
               handshakeEcho(e);
    case WsHandshakeEarlyClientData:
        return e == HijackHttpInWebSocket || refusal(e) || e == HttpHeadMalformed;
    case HijackTwoResponses:
        // A head after a head: the first answer's body is cut, the stream holds HTTP text, the
        // client saw whichever came first.
        return e == HijackHttpInWebSocket || e == HijackErrorWithOutput || refusal(e) ||
               handshakeEcho(e) || streamGarbage(e);
    case HijackHttpInWebSocket:
        // The HTTP text was read as frames; the reader then fails the connection.
        return (sameDirection(cause, effect) && notLater(cause, effect) && streamGarbage(e)) ||
               closeEcho(e) || e == HijackClosedAfterUpgrade;
    default:
        break;
    }
    switch (stageOf(c)) {
    case Stage::Request:
        return e == HttpVersionRejected || refusal(e) || handshakeEcho(e);
    case Stage::Answer:
        return refusal(e) || handshakeEcho(e);
    case Stage::Refusal:
        return handshakeEcho(e);
    case Stage::Frame:
        // A broken rule makes the peer fail the connection (RFC 6455 §7.1.7).
        return notLater(cause, effect) && closeEcho(e);
    case Stage::Ending:
        return closeEcho(e);
    default:
        break;
    }
    return false;
}

namespace {

std::string tcpEndText(const DirectionStats& s) {
    switch (s.tcpEnd) {
    case TcpEnd::Fin:
        return "FIN";
    case TcpEnd::Rst:
        return "RST";
    case TcpEnd::None:
        break;
    }
    return "";
}

/// "3 messages, Close 1000, then FIN" for one direction after the handshake.
std::string afterHandshake(const DirectionStats& s) {
    std::vector<std::string> parts;
    if (s.messages != 0) {
        parts.push_back(fmt::format("{} message{}", s.messages, s.messages == 1 ? "" : "s"));
    } else if (s.frames != 0) {
        parts.push_back(fmt::format("{} frame{}", s.frames, s.frames == 1 ? "" : "s"));
    }
    if (s.sentClose) {
        parts.push_back(s.closeCode ? fmt::format("Close {}", *s.closeCode)
                                    : std::string("Close (no code)"));
    }
    if (s.tcpEnd != TcpEnd::None) {
        parts.push_back("then " + tcpEndText(s));
    }
    std::string out;
    for (const std::string& p : parts) {
        out += (out.empty() ? "" : ", ") + p;
    }
    return out;
}

/// A final answer after a 101 on the same connection (101 then 200/400).
bool httpAfter101(const Connection& c) {
    bool seen101 = false;
    for (const ResponseSummary& r : c.responses) {
        if (seen101 && r.status >= 200) {
            return true;
        }
        seen101 = seen101 || r.status == 101;
    }
    return false;
}

/// The answer that accepts a WebSocket: a 101 on HTTP/1.1, a 2xx on an HTTP/2 stream
/// (RFC 8441 §5).
bool accepts(const Connection& c, const ResponseSummary& r) {
    return c.h2stream ? r.status >= 200 && r.status < 300 : r.status == 101;
}

bool any101(const Connection& c) {
    return std::any_of(c.responses.begin(), c.responses.end(),
                       [&c](const ResponseSummary& r) { return accepts(c, r); });
}

void decideBeliefs(Connection& c) {
    Verdict& v = c.verdict;
    const DirectionStats& cs = c.stats[index(Direction::ClientToServer)];
    const DirectionStats& ss = c.stats[index(Direction::ServerToClient)];
    const ResponseSummary* acted = responseActedOn(c);
    const bool server101 = any101(c);

    // The server believed in the upgrade when it sent a 101 (a WebSocket library wrote it and
    // took the socket); it did not when all it sent were other answers.
    if (!c.request || !c.request->isUpgrade) {
        if (c.outcome == Outcome::Midstream) {
            v.server.belief = Belief::Upgraded;
            v.client.belief = Belief::Upgraded;
            v.server.story = "ran WebSocket (handshake not captured); " + afterHandshake(ss);
            v.client.story = "ran WebSocket (handshake not captured); " + afterHandshake(cs);
        }
        return;
    }
    if (server101) {
        v.server.belief = Belief::Upgraded;
        std::string statuses;
        for (const ResponseSummary& r : c.responses) {
            statuses += fmt::format("{}{}", statuses.empty() ? "" : " then ", r.status);
        }
        const std::string after = afterHandshake(ss);
        v.server.story = fmt::format("sent {}{}", statuses, after.empty() ? "" : ", " + after);
        if (httpAfter101(c) && ss.frames == 0) {
            // A final answer after the 101 and never a frame: something on the server still
            // spoke HTTP on the socket. The bytes do not say which stack believed what (Go: a
            // failed Hijack after WriteHeader(101), net/http answering the next bytes; Node:
            // two ws servers on one HTTP server, one of which upgraded).
            v.server.belief = Belief::Unknown;
            v.server.story += "; its HTTP layer still answered on the socket after the 101 (Go: "
                              "a failed Hijack after WriteHeader(101); Node: two ws servers on "
                              "one HTTP server)";
        }
    } else if (!c.responses.empty()) {
        v.server.belief = Belief::NotUpgraded;
        v.server.story =
            fmt::format("answered {} {}", c.responses.back().status, c.responses.back().reason);
    } else {
        v.server.story = c.stats[index(Direction::ServerToClient)].tcpEnd != TcpEnd::None
                             ? "never answered, then " + tcpEndText(ss)
                             : "never answered";
    }

    const std::string clientAfter = afterHandshake(cs);
    if (!acted) {
        v.client.story =
            clientAfter.empty() ? "waited for an answer" : "waited for an answer, " + clientAfter;
        return;
    }
    if (!accepts(c, *acted)) {
        v.client.belief = Belief::NotUpgraded;
        v.client.story = fmt::format("saw {} {}{}", acted->status, acted->reason,
                                     clientAfter.empty() ? "" : ", " + clientAfter);
        return;
    }
    if (c.outcome == Outcome::Failed) {
        v.client.belief = Belief::NotUpgraded;
        v.client.story = fmt::format(
            "rejected the 101{}", cs.frames != 0 || clientAfter.empty() ? "" : ", " + clientAfter);
        if (cs.frames != 0) {
            v.client.story = "took the 101 and sent " + clientAfter;
            v.client.belief = Belief::Upgraded;
        }
        return;
    }
    if (cs.frames != 0) {
        v.client.belief = Belief::Upgraded;
        v.client.story = fmt::format("took the {}, then {}", acted->status, clientAfter);
    } else if (ss.frames != 0 || cs.tcpEnd == TcpEnd::None) {
        // Frames from the server and no word from the client, or nothing yet: the bytes do not
        // say whether the client took the 101.
        v.client.story = clientAfter.empty() ? "sent no frame" : "sent no frame, " + clientAfter;
    } else {
        v.client.story = "sent no frame, then " + tcpEndText(cs);
    }
}

} // namespace

std::string tlsLine(const TlsSummary& t) {
    std::string out = t.version.empty() ? std::string("TLS (no ServerHello)") : t.version;
    out += t.sni.empty() ? ", no SNI" : ", SNI " + t.sni;
    if (!t.alpnChosen.empty()) {
        out += ", ALPN " + t.alpnChosen + " chosen";
        if (t.alpnChosen == "h2") {
            out += " (a browser will use WebSocket over HTTP/2, RFC 8441)";
        }
    } else if (!t.alpnOffered.empty()) {
        std::string offered;
        for (const std::string& a : t.alpnOffered) {
            offered += (offered.empty() ? "" : ",") + a;
        }
        out += ", ALPN offered " + offered;
        if (t.version == "TLS 1.3") {
            out += " (choice encrypted)";
        }
    }
    if (!t.alerts.empty()) {
        out += ", alert " + t.alerts.front();
    }
    if (!t.decryption.empty()) {
        out += "; " + t.decryption;
    }
    return out;
}

std::string verdictLabel(Outcome outcome, std::optional<AnomalyId> rootCause, bool cleanClose,
                         bool ended) {
    const std::string_view o = toString(outcome);
    if (rootCause) {
        return fmt::format("{}: {}", o, anomalyInfo(*rootCause).title);
    }
    switch (outcome) {
    case Outcome::Upgraded:
    case Outcome::Midstream:
        if (cleanClose) {
            return fmt::format("{}; closed cleanly", o);
        }
        return fmt::format("{}; {}", o, ended ? "ended" : "still open at the end of the capture");
    case Outcome::HttpOnly:
        return "plain HTTP (no upgrade asked)";
    case Outcome::TcpOnly:
        return "TCP only (no HTTP or WebSocket bytes)";
    default:
        return std::string(o);
    }
}

void decideVerdict(Connection& c, std::span<const VerdictFinding> findings) {
    Verdict& v = c.verdict;
    v = Verdict{};
    v.causedBy.assign(findings.size(), -1);
    // A repeat (same id, same direction) points at the first occurrence; otherwise the cause
    // is the explaining finding of the earliest stage, the earliest of those.
    for (std::size_t i = 0; i < findings.size(); ++i) {
        const VerdictFinding& f = findings[i];
        std::int32_t cause = -1;
        for (std::size_t j = 0; j < i; ++j) {
            if (findings[j].id == f.id && findings[j].direction == f.direction) {
                cause = static_cast<std::int32_t>(j);
                break;
            }
        }
        if (cause < 0) {
            for (std::size_t j = 0; j < findings.size(); ++j) {
                if (j == i || !explains(findings[j], f)) {
                    continue;
                }
                if (cause < 0 || stageOf(findings[j].id) <
                                     stageOf(findings[static_cast<std::size_t>(cause)].id)) {
                    cause = static_cast<std::int32_t>(j);
                }
            }
        }
        v.causedBy[i] = cause;
    }
    // Each root at the worst severity of its tree: what follows from a finding can be worse
    // than the finding itself (early client data, then no answer at all).
    std::vector<Severity> effective(findings.size());
    for (std::size_t i = 0; i < findings.size(); ++i) {
        effective[i] = anomalyInfo(findings[i].id).severity;
    }
    for (std::size_t i = 0; i < findings.size(); ++i) {
        std::int32_t up = v.causedBy[i];
        std::size_t guard = findings.size();
        while (up >= 0 && guard-- > 0) {
            const auto u = static_cast<std::size_t>(up);
            effective[u] = std::max(effective[u], anomalyInfo(findings[i].id).severity);
            up = v.causedBy[u];
        }
    }
    // The root cause: among the roots, the most severe, then the earliest stage, then the first.
    for (std::size_t i = 0; i < findings.size(); ++i) {
        if (v.causedBy[i] >= 0) {
            continue;
        }
        const Severity s = effective[i];
        ++v.rootsBySeverity[static_cast<std::size_t>(s)];
        if (v.root < 0) {
            v.root = static_cast<std::int32_t>(i);
            continue;
        }
        const auto best = static_cast<std::size_t>(v.root);
        const Severity bs = effective[best];
        if (s > bs || (s == bs && stageOf(findings[i].id) < stageOf(findings[best].id))) {
            v.root = static_cast<std::int32_t>(i);
        }
    }
    if (v.root >= 0) {
        const auto r = static_cast<std::size_t>(v.root);
        const AnomalyId id = findings[r].id;
        if (effective[r] == Severity::Info) {
            // An info finding is a remark, not a cause: it does not decide the verdict.
            v.root = -1;
        } else {
            v.rootCause = id;
            v.severity = effective[r];
            v.whatToDo = std::string(anomalyInfo(id).hint);
        }
    }

    decideBeliefs(c);
    // Upgraded only where both sides ran WebSocket: a client that saw a non-101 first (200 then
    // 101) never switched, whatever the server believed.
    if (c.outcome == Outcome::Upgraded && v.client.belief == Belief::NotUpgraded) {
        c.outcome = Outcome::Failed;
    }
    // Nor where the server never sent a frame and answered the 101 with HTTP again: the client
    // read that text as frames and failed the connection; no WebSocket ran.
    if (c.outcome == Outcome::Upgraded && httpAfter101(c) &&
        c.stats[index(Direction::ServerToClient)].frames == 0) {
        c.outcome = Outcome::Failed;
    }

    const bool ended = c.stats[0].tcpEnd != TcpEnd::None || c.stats[1].tcpEnd != TcpEnd::None;
    v.headline = verdictLabel(c.outcome, v.rootCause, c.cleanClose, ended);
    if (c.tls) {
        v.headline += "; " + tlsLine(*c.tls);
        if (!v.rootCause) {
            v.client.story = v.server.story = "spoke TLS; " + c.tls->decryption;
        }
    }
    if (!v.rootCause && ended && !c.cleanClose &&
        (c.outcome == Outcome::Upgraded || c.outcome == Outcome::Midstream)) {
        // No rule broken, yet not a clean end: say which Close code ended it.
        for (const DirectionStats& st : c.stats) {
            if (st.closeCode && closeCodeIsFailure(*st.closeCode)) {
                v.headline =
                    fmt::format("{}; closed with Close {}", toString(c.outcome), *st.closeCode);
                break;
            }
        }
    }
    std::size_t consequences = 0;
    for (std::size_t i = 0; v.root >= 0 && i < findings.size(); ++i) {
        // Repeats of the root itself are the same finding again, not a consequence.
        const VerdictFinding& rootFinding = findings[static_cast<std::size_t>(v.root)];
        const bool repeat =
            findings[i].id == rootFinding.id && findings[i].direction == rootFinding.direction;
        consequences += (rootOf(v, i) == v.root && !repeat) ? 1 : 0;
    }
    if (consequences != 0) {
        v.headline +=
            fmt::format(" (+{} consequence{})", consequences, consequences == 1 ? "" : "s");
    }
    if (c.proxyLeg) {
        // The two legs of one upgrade through a proxy tell one story: each names the other.
        v.headline += fmt::format(
            "; {} leg of the proxy, {} leg #{}", c.proxyLeg->otherIsUpstream ? "client" : "backend",
            c.proxyLeg->otherIsUpstream ? "backend" : "client", c.proxyLeg->other);
    }
}

std::int32_t rootOf(const Verdict& v, std::size_t i) {
    if (i >= v.causedBy.size()) {
        return -1;
    }
    auto at = static_cast<std::int32_t>(i);
    // Causes always lie at an earlier stage or occurrence, so the walk ends; the bound is a guard.
    for (std::size_t steps = 0; steps < v.causedBy.size(); ++steps) {
        const std::int32_t up = v.causedBy[static_cast<std::size_t>(at)];
        if (up < 0) {
            break;
        }
        at = up;
    }
    return at;
}

std::string peerText(const PeerView& v) {
    switch (v.belief) {
    case Belief::Upgraded:
        return "WebSocket: " + v.story;
    case Belief::NotUpgraded:
        return "no WebSocket: " + v.story;
    case Belief::Unknown:
        break;
    }
    return v.story;
}

} // namespace wst
