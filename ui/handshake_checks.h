// SPDX-License-Identifier: MIT
#pragma once

#include "model/trace.h"

#include <QString>
#include <vector>

namespace wst::ui {

/// One RFC 6455 §4 rule applied to a connection's captured handshake.
struct HandshakeCheck {
    enum class Result { Pass, Fail, Warn, NotApplicable };
    QString name; ///< "Sec-WebSocket-Accept"
    Result result = Result::NotApplicable;
    QString expected; ///< what the RFC (or the request) calls for
    QString found;    ///< what the capture shows
    QString rfc;      ///< "RFC 6455 §4.2.2"
};

/// Re-checks the handshake from the connection's request and response summaries: method and
/// version, Upgrade/Connection/Key/Version in the request, a single 101 answer with Upgrade and
/// Connection, the Accept value recomputed from the key (SHA-1 + base64 via QCryptographicHash),
/// and the chosen subprotocol and extensions against the offer. Without a captured request
/// every check is NotApplicable.
std::vector<HandshakeCheck> handshakeChecks(const Connection& c);

/// base64(SHA-1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")), RFC 6455 §4.2.2 item 5.4.
QString expectedAccept(const QString& key);

/// The first header called `name` (case-insensitive), or null.
const Header* findHeader(const std::vector<Header>& headers, std::string_view name);

} // namespace wst::ui
