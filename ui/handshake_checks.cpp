// SPDX-License-Identifier: MIT
#include "handshake_checks.h"

#include <QByteArray>
#include <QCryptographicHash>
#include <QStringList>
#include <algorithm>

namespace wst::ui {

namespace {
using Result = HandshakeCheck::Result;

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

bool hasToken(const QString& value, const QString& token) {
    for (const QString& part : value.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        if (part.trimmed().compare(token, Qt::CaseInsensitive) == 0) {
            return true;
        }
    }
    return false;
}

QString headerValue(const std::vector<Header>& headers, std::string_view name) {
    QStringList values;
    for (const Header& h : headers) {
        if (h.name.size() == name.size() &&
            std::equal(h.name.begin(), h.name.end(), name.begin(), [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) ==
                       std::tolower(static_cast<unsigned char>(b));
            })) {
            values << qs(h.value);
        }
    }
    return values.join(QStringLiteral(", "));
}

QString extensionName(const std::string& ext) {
    return qs(ext).section(QLatin1Char(';'), 0, 0).trimmed().toLower();
}

HandshakeCheck check(QString name, bool pass, QString expected, QString found, QString rfc,
                     Result failAs = Result::Fail) {
    return {std::move(name), pass ? Result::Pass : failAs, std::move(expected), std::move(found),
            std::move(rfc)};
}
} // namespace

const Header* findHeader(const std::vector<Header>& headers, std::string_view name) {
    for (const Header& h : headers) {
        if (h.name.size() == name.size() &&
            std::equal(h.name.begin(), h.name.end(), name.begin(), [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) ==
                       std::tolower(static_cast<unsigned char>(b));
            })) {
            return &h;
        }
    }
    return nullptr;
}

QString expectedAccept(const QString& key) {
    const QByteArray input = key.trimmed().toLatin1() + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    return QString::fromLatin1(
        QCryptographicHash::hash(input, QCryptographicHash::Sha1).toBase64());
}

std::vector<HandshakeCheck> handshakeChecks(const Connection& c) {
    std::vector<HandshakeCheck> out;
    if (!c.request) {
        out.push_back({QStringLiteral("Upgrade request"), Result::NotApplicable,
                       QStringLiteral("GET with Upgrade: websocket"),
                       QStringLiteral("no request captured"), QStringLiteral("RFC 6455 §4.1")});
        return out;
    }
    const RequestSummary& rq = *c.request;
    out.push_back(check(QStringLiteral("Method"), rq.method == "GET", QStringLiteral("GET"),
                        qs(rq.method), QStringLiteral("RFC 6455 §4.1 (2)")));
    out.push_back(check(QStringLiteral("HTTP version"),
                        rq.httpVersion == "HTTP/1.1" || rq.httpVersion > "HTTP/1.1",
                        QStringLiteral("HTTP/1.1 or later"), qs(rq.httpVersion),
                        QStringLiteral("RFC 6455 §4.1 (2)")));
    out.push_back(check(QStringLiteral("Host"), !rq.host.empty(), QStringLiteral("present"),
                        rq.host.empty() ? QStringLiteral("missing") : qs(rq.host),
                        QStringLiteral("RFC 6455 §4.1 (4)")));
    const QString upgrade = headerValue(rq.headers, "Upgrade");
    out.push_back(check(QStringLiteral("Upgrade (request)"),
                        hasToken(upgrade, QStringLiteral("websocket")), QStringLiteral("websocket"),
                        upgrade.isEmpty() ? QStringLiteral("missing") : upgrade,
                        QStringLiteral("RFC 6455 §4.1 (5)")));
    const QString connection = headerValue(rq.headers, "Connection");
    out.push_back(check(QStringLiteral("Connection (request)"),
                        hasToken(connection, QStringLiteral("upgrade")), QStringLiteral("Upgrade"),
                        connection.isEmpty() ? QStringLiteral("missing") : connection,
                        QStringLiteral("RFC 6455 §4.1 (6)")));
    const QByteArray rawKey = QByteArray::fromStdString(rq.key);
    const auto decoded =
        QByteArray::fromBase64Encoding(rawKey.trimmed(), QByteArray::AbortOnBase64DecodingErrors);
    out.push_back(check(
        QStringLiteral("Sec-WebSocket-Key"), decoded && decoded.decoded.size() == 16,
        QStringLiteral("base64 of 16 bytes"),
        rq.key.empty()
            ? QStringLiteral("missing")
            : (decoded ? QStringLiteral("%1 (%2 bytes)").arg(qs(rq.key)).arg(decoded.decoded.size())
                       : qs(rq.key) + QStringLiteral(" (not base64)")),
        QStringLiteral("RFC 6455 §4.1 (7)")));
    out.push_back(check(QStringLiteral("Sec-WebSocket-Version"), rq.version == "13",
                        QStringLiteral("13"),
                        rq.version.empty() ? QStringLiteral("missing") : qs(rq.version),
                        QStringLiteral("RFC 6455 §4.1 (9)")));

    // The answer: exactly one response, a 101 (two heads are the hijack pattern, A3).
    QStringList statuses;
    for (const ResponseSummary& r : c.responses) {
        statuses << QString::number(r.status);
    }
    const ResponseSummary* sw = nullptr;
    for (const ResponseSummary& r : c.responses) {
        if (r.status == 101) {
            sw = &r;
            break;
        }
    }
    out.push_back(check(QStringLiteral("Response status"),
                        c.responses.size() == 1 && c.responses.front().status == 101,
                        QStringLiteral("one 101 Switching Protocols"),
                        statuses.isEmpty()     ? QStringLiteral("no response")
                        : statuses.size() == 1 ? statuses.front()
                                               : QStringLiteral("%1 responses: %2")
                                                     .arg(statuses.size())
                                                     .arg(statuses.join(QStringLiteral(" then "))),
                        QStringLiteral("RFC 6455 §4.2.2 (5.1)")));
    if (!sw) {
        for (const char* name : {"Upgrade (response)", "Connection (response)",
                                 "Sec-WebSocket-Accept", "Subprotocol", "Extensions"}) {
            out.push_back({QString::fromUtf8(name), Result::NotApplicable, QString(),
                           QStringLiteral("no 101 response"), QStringLiteral("RFC 6455 §4.2.2")});
        }
        return out;
    }
    const QString rUpgrade = headerValue(sw->headers, "Upgrade");
    out.push_back(check(
        QStringLiteral("Upgrade (response)"), hasToken(rUpgrade, QStringLiteral("websocket")),
        QStringLiteral("websocket"), rUpgrade.isEmpty() ? QStringLiteral("missing") : rUpgrade,
        QStringLiteral("RFC 6455 §4.2.2 (5.2)")));
    const QString rConnection = headerValue(sw->headers, "Connection");
    out.push_back(check(QStringLiteral("Connection (response)"),
                        hasToken(rConnection, QStringLiteral("upgrade")), QStringLiteral("Upgrade"),
                        rConnection.isEmpty() ? QStringLiteral("missing") : rConnection,
                        QStringLiteral("RFC 6455 §4.2.2 (5.3)")));
    const QString accept = expectedAccept(qs(rq.key));
    out.push_back(check(QStringLiteral("Sec-WebSocket-Accept"),
                        !rq.key.empty() && qs(sw->accept).trimmed() == accept, accept,
                        sw->accept.empty() ? QStringLiteral("missing") : qs(sw->accept),
                        QStringLiteral("RFC 6455 §4.2.2 (5.4)")));
    // Subprotocol: the server picks one of the offered ones, or none (§4.2.2 5.5).
    QStringList offered;
    for (const std::string& p : rq.protocols) {
        offered << qs(p);
    }
    const QString chosen = qs(sw->protocol);
    if (offered.isEmpty() && chosen.isEmpty()) {
        out.push_back({QStringLiteral("Subprotocol"), Result::NotApplicable,
                       QStringLiteral("none offered"), QStringLiteral("none"),
                       QStringLiteral("RFC 6455 §4.2.2 (5.5)")});
    } else if (chosen.isEmpty()) {
        out.push_back({QStringLiteral("Subprotocol"), Result::Warn,
                       QStringLiteral("one of: %1").arg(offered.join(QStringLiteral(", "))),
                       QStringLiteral("none chosen"), QStringLiteral("RFC 6455 §4.2.2 (5.5)")});
    } else {
        out.push_back(
            check(QStringLiteral("Subprotocol"), offered.contains(chosen),
                  offered.isEmpty()
                      ? QStringLiteral("none (none offered)")
                      : QStringLiteral("one of: %1").arg(offered.join(QStringLiteral(", "))),
                  chosen, QStringLiteral("RFC 6455 §4.2.2 (5.5)")));
    }
    // Extensions: everything the server accepted must have been offered (§9.1).
    QStringList offeredExt, chosenExt, unoffered;
    for (const std::string& e : rq.extensions) {
        for (const QString& part : qs(e).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            offeredExt << part.section(QLatin1Char(';'), 0, 0).trimmed().toLower();
        }
    }
    for (const std::string& e : sw->extensions) {
        const QString name = extensionName(e);
        chosenExt << qs(e).trimmed();
        if (!offeredExt.contains(name)) {
            unoffered << name;
        }
    }
    if (offeredExt.isEmpty() && chosenExt.isEmpty()) {
        out.push_back({QStringLiteral("Extensions"), Result::NotApplicable,
                       QStringLiteral("none offered"), QStringLiteral("none"),
                       QStringLiteral("RFC 6455 §9.1")});
    } else {
        out.push_back(check(
            QStringLiteral("Extensions"), unoffered.isEmpty(),
            offeredExt.isEmpty()
                ? QStringLiteral("none")
                : QStringLiteral("subset of: %1").arg(offeredExt.join(QStringLiteral(", "))),
            chosenExt.isEmpty() ? QStringLiteral("none") : chosenExt.join(QStringLiteral(", ")),
            QStringLiteral("RFC 6455 §9.1")));
    }
    return out;
}

} // namespace wst::ui
