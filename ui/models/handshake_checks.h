// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/model/trace.h"

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
    QString rfc;      ///< "RFC 6455 §4.2.2" (from the anomaly a failure raises), may be ""
    QString anomaly;  ///< snake_case id raised when it fails, or ""
};

/// The handshake checks of `c` for display: the http helper's HandshakeValidator re-run on the
/// captured heads (wst::reviewHandshake), so the panel, the HTML report and the anomalies agree.
/// A failed check whose anomaly is informational shows as Warn. `anomalies` are the ids found
/// on the connection (for the checks only the whole connection shows). Without a captured
/// request there is one NotApplicable row saying so.
std::vector<HandshakeCheck> handshakeChecks(const Connection& c,
                                            const std::vector<AnomalyId>& anomalies);

/// base64(SHA-1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")), RFC 6455 §4.2.2 item 5.4;
/// an independent recomputation (QCryptographicHash) the tests hold the validator to.
QString expectedAccept(const QString& key);

} // namespace wst::ui
