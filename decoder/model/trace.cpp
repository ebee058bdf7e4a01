// SPDX-License-Identifier: MIT
#include "decoder/model/trace.h"

#include <array>
#include <fmt/format.h>

namespace wst {

std::optional<Severity> Connection::worstSeverity() const {
    for (int s = 2; s >= 0; --s) {
        if (anomaliesBySeverity[static_cast<std::size_t>(s)] > 0) {
            return static_cast<Severity>(s);
        }
    }
    return std::nullopt;
}

const ResponseSummary* responseActedOn(const Connection& c) {
    for (const ResponseSummary& r : c.responses) {
        if (r.status == 101 || r.status >= 200) {
            return &r;
        }
    }
    return nullptr;
}

std::string upgradeLabel(const Connection& c) {
    if (c.outcome != Outcome::Failed) {
        return "switched to WebSocket";
    }
    if (const ResponseSummary* r = responseActedOn(c); r && r->status != 101) {
        return fmt::format("server switched to WebSocket; the client saw {} and failed", r->status);
    }
    return "server switched to WebSocket; the client failed the handshake";
}

std::string_view toString(Outcome o) {
    switch (o) {
    case Outcome::Upgraded:
        return "upgraded";
    case Outcome::Refused:
        return "refused";
    case Outcome::Failed:
        return "failed";
    case Outcome::HttpOnly:
        return "http_only";
    case Outcome::TcpOnly:
        return "tcp_only";
    case Outcome::Midstream:
        return "midstream";
    }
    return "unknown";
}

std::string_view toString(Belief b) {
    switch (b) {
    case Belief::Upgraded:
        return "upgraded";
    case Belief::NotUpgraded:
        return "not_upgraded";
    case Belief::Unknown:
        break;
    }
    return "unknown";
}

std::string_view toString(EventKind k) {
    switch (k) {
    case EventKind::TcpSyn:
        return "tcp_syn";
    case EventKind::TcpSynAck:
        return "tcp_synack";
    case EventKind::TcpFin:
        return "tcp_fin";
    case EventKind::TcpRst:
        return "tcp_rst";
    case EventKind::TcpGap:
        return "tcp_gap";
    case EventKind::HttpRequest:
        return "http_request";
    case EventKind::HttpResponse:
        return "http_response";
    case EventKind::Upgrade:
        return "upgrade";
    case EventKind::WsFrame:
        return "ws_frame";
    case EventKind::WsMessage:
        return "ws_message";
    case EventKind::WsClose:
        return "ws_close";
    case EventKind::Anomaly:
        return "anomaly";
    }
    return "unknown";
}

std::string_view toString(TcpEnd e) {
    switch (e) {
    case TcpEnd::None:
        return "none";
    case TcpEnd::Fin:
        return "fin";
    case TcpEnd::Rst:
        return "rst";
    }
    return "unknown";
}

std::string_view toString(Direction d) {
    return d == Direction::ClientToServer ? "c2s" : "s2c";
}

std::string_view opcodeName(std::uint8_t opcode) {
    // RFC 6455 §5.2 / §11.8: 0x3–0x7 and 0xB–0xF are reserved; they print as hex.
    static constexpr std::array<std::string_view, 16> kNames{
        "continuation", "text", "binary", "0x3", "0x4", "0x5", "0x6", "0x7",
        "close",        "ping", "pong",   "0xb", "0xc", "0xd", "0xe", "0xf"};
    return kNames[opcode & 0x0f];
}

} // namespace wst
