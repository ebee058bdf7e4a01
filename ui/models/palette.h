// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/model/anomaly.h"
#include "decoder/model/trace.h"

#include <QColor>
#include <QIcon>
#include <QString>

namespace wst::logs {
enum class LogMark : std::uint8_t;
}

namespace wst::ui {

/// Colours shared by every view, from the Okabe–Ito palette so that opcodes and severities stay
/// distinguishable with the common colour-vision deficiencies. Colour is never the only cue:
/// views also use line style (dashed non-101 answers), shapes (anomaly markers) and text.
namespace palette {
inline QColor text() {
    return QColor(0x0072B2);
} ///< blue
inline QColor binary() {
    return QColor(0xCC79A7);
} ///< reddish purple
inline QColor continuation() {
    return QColor(0x56B4E9);
} ///< sky blue
inline QColor close() {
    return QColor(0xD55E00);
} ///< vermillion
inline QColor ping() {
    return QColor(0x009E73);
} ///< bluish green
inline QColor pong() {
    return QColor(0xE69F00);
} ///< orange
inline QColor tcp() {
    return QColor(0x7A7A7A);
}
inline QColor http() {
    return QColor(0x303030);
}
inline QColor upgraded() {
    return QColor(0x009E73);
}
inline QColor refused() {
    return QColor(0xD55E00);
}
inline QColor error() {
    return QColor(0xD55E00);
}
inline QColor warning() {
    return QColor(0xE69F00);
}
inline QColor info() {
    return QColor(0x56B4E9);
}

/// A Close that ends the connection as intended (1000, 1001, or no code): quiet slate, not the
/// vermillion of errors.
inline QColor closeNormal() {
    return QColor(0x4A5A6A);
}
/// True for the close codes that are not a failure: 1000 normal closure, 1001 going away, and
/// a Close without a code (RFC 6455 §7.4.1, §7.1.5).
bool isNormalClose(std::uint16_t code);
/// closeNormal() for a normal Close, error() for every other code (1002 protocol error, 1006,
/// 1007 invalid payload data, 1011 ...), so a failing Close never looks like a normal one.
QColor forCloseCode(std::uint16_t code);

/// Colour for a WebSocket opcode (RFC 6455 §5.2); reserved opcodes get grey.
QColor forOpcode(std::uint8_t opcode);
QColor forSeverity(Severity s);
/// A light tint of a severity's colour for the background of a whole list row.
QColor rowTint(Severity s);
QColor forOutcome(Outcome o);
/// A server-log entry's mark: contradicts the wire vermillion, log only amber, reached the wire
/// green (the Server Log pane and the ladder's log marks).
QColor forLogMark(logs::LogMark m);
} // namespace palette

/// Style-provided icons so the GUI follows the desktop theme.
QIcon severityIcon(Severity s);
QIcon outcomeIcon(Outcome o);

/// "info", "warning", "error" with a capital first letter.
QString severityLabel(Severity s);
QString outcomeLabel(Outcome o);

/// Sizes: "512 B", "12.4 KiB".
QString formatBytes(std::uint64_t bytes);

} // namespace wst::ui
