// SPDX-License-Identifier: MIT
#include "ui/models/handshake_checks.h"

#include "decoder/http/handshake_review.h"
#include "ui/models/qt_text.h"

#include <QByteArray>
#include <QCryptographicHash>

namespace wst::ui {

QString expectedAccept(const QString& key) {
    const QByteArray input = key.trimmed().toLatin1() + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    return QString::fromLatin1(
        QCryptographicHash::hash(input, QCryptographicHash::Sha1).toBase64());
}

std::vector<HandshakeCheck> handshakeChecks(const Connection& c,
                                            const std::vector<AnomalyId>& anomalies) {
    std::vector<HandshakeCheck> out;
    for (const wst::HandshakeCheck& k : reviewHandshake(c, anomalies)) {
        HandshakeCheck h;
        h.name = qs(k.name);
        h.expected = qs(k.expected);
        h.found = qs(k.found);
        switch (k.result) {
        case CheckResult::Passed:
            h.result = HandshakeCheck::Result::Pass;
            break;
        case CheckResult::NotApplicable:
            h.result = HandshakeCheck::Result::NotApplicable;
            break;
        case CheckResult::Failed:
            h.result = k.anomaly && anomalyInfo(*k.anomaly).severity == Severity::Info
                           ? HandshakeCheck::Result::Warn
                           : HandshakeCheck::Result::Fail;
            break;
        }
        if (k.anomaly) {
            h.rfc = qs(anomalyInfo(*k.anomaly).rfc);
            h.anomaly = qs(anomalyName(*k.anomaly));
        }
        out.push_back(std::move(h));
    }
    if (out.empty()) {
        out.push_back({QStringLiteral("Upgrade request"), HandshakeCheck::Result::NotApplicable,
                       QStringLiteral("GET with Upgrade: websocket"),
                       QStringLiteral("no request captured"), QStringLiteral("RFC 6455 §4.1"),
                       QString()});
    }
    return out;
}

} // namespace wst::ui
