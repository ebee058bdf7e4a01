// SPDX-License-Identifier: MIT
#include "ui/models/palette.h"

#include "decoder/logs/reconcile.h"

#include <QApplication>
#include <QStyle>

namespace wst::ui {

namespace palette {
QColor forLogMark(logs::LogMark m) {
    switch (m) {
    case logs::LogMark::Contradicts:
        return error();
    case logs::LogMark::LogOnly:
        return warning();
    case logs::LogMark::ReachedWire:
        break;
    }
    return upgraded();
}

QColor forOpcode(std::uint8_t opcode) {
    switch (opcode) {
    case 0x0:
        return continuation();
    case 0x1:
        return text();
    case 0x2:
        return binary();
    case 0x8:
        return close();
    case 0x9:
        return ping();
    case 0xA:
        return pong();
    default:
        return QColor(0x999999);
    }
}

bool isNormalClose(std::uint16_t code) {
    return code == 0 || code == 1000 || code == 1001;
}

QColor forCloseCode(std::uint16_t code) {
    return isNormalClose(code) ? closeNormal() : error();
}

QColor forSeverity(Severity s) {
    switch (s) {
    case Severity::Error:
        return error();
    case Severity::Warning:
        return warning();
    case Severity::Info:
        break;
    }
    return info();
}

QColor rowTint(Severity s) {
    QColor c = forSeverity(s);
    c.setAlpha(s == Severity::Error ? 46 : 40);
    return c;
}

QColor forOutcome(Outcome o) {
    switch (o) {
    case Outcome::Upgraded:
        return upgraded();
    case Outcome::Refused:
    case Outcome::Failed:
        return refused();
    case Outcome::Midstream:
        return continuation();
    case Outcome::HttpOnly:
    case Outcome::TcpOnly:
        break;
    }
    return tcp();
}
} // namespace palette

QIcon severityIcon(Severity s) {
    QStyle* style = QApplication::style();
    switch (s) {
    case Severity::Error:
        return style->standardIcon(QStyle::SP_MessageBoxCritical);
    case Severity::Warning:
        return style->standardIcon(QStyle::SP_MessageBoxWarning);
    case Severity::Info:
        break;
    }
    return style->standardIcon(QStyle::SP_MessageBoxInformation);
}

QIcon outcomeIcon(Outcome o) {
    QStyle* style = QApplication::style();
    switch (o) {
    case Outcome::Upgraded:
        return style->standardIcon(QStyle::SP_DialogApplyButton);
    case Outcome::Refused:
    case Outcome::Failed:
        return style->standardIcon(QStyle::SP_DialogCancelButton);
    case Outcome::Midstream:
        return style->standardIcon(QStyle::SP_MediaSeekForward);
    case Outcome::HttpOnly:
        return style->standardIcon(QStyle::SP_FileIcon);
    case Outcome::TcpOnly:
        break;
    }
    return style->standardIcon(QStyle::SP_DriveNetIcon);
}

QString severityLabel(Severity s) {
    switch (s) {
    case Severity::Error:
        return QStringLiteral("Error");
    case Severity::Warning:
        return QStringLiteral("Warning");
    case Severity::Info:
        break;
    }
    return QStringLiteral("Info");
}

QString outcomeLabel(Outcome o) {
    switch (o) {
    case Outcome::Upgraded:
        return QStringLiteral("upgraded");
    case Outcome::Refused:
        return QStringLiteral("refused");
    case Outcome::Failed:
        return QStringLiteral("failed");
    case Outcome::HttpOnly:
        return QStringLiteral("HTTP only");
    case Outcome::TcpOnly:
        return QStringLiteral("TCP only");
    case Outcome::Midstream:
        return QStringLiteral("mid-stream");
    }
    return {};
}

QString formatBytes(std::uint64_t bytes) {
    if (bytes < 1024) {
        return QStringLiteral("%1 B").arg(bytes);
    }
    if (bytes < 1024 * 1024) {
        return QStringLiteral("%1 KiB").arg(static_cast<double>(bytes) / 1024.0, 0, 'f', 1);
    }
    return QStringLiteral("%1 MiB").arg(static_cast<double>(bytes) / (1024.0 * 1024.0), 0, 'f', 1);
}

} // namespace wst::ui
