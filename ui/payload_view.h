// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/model/trace_store.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QToolButton;

namespace wst::ui {

/// Shows one event's bytes: a message payload (already unmasked and decompressed by the
/// decoder, capped to the retained prefix) or an HTTP head rebuilt from its summary. Modes:
/// text, pretty JSON, hex dump; Auto picks JSON when the payload parses. Copy puts the current
/// rendering on the clipboard.
class PayloadView final : public QWidget {
    Q_OBJECT
public:
    enum class Mode { Auto, Text, Json, Hex };

    explicit PayloadView(QWidget* parent = nullptr);

    /// Shows document event `eventIndex` (kNoRef clears the view).
    void setEvent(const Trace& doc, std::uint32_t eventIndex);
    void setMode(Mode mode);
    Mode effectiveMode() const { return m_effective; }
    QString text() const;
    void copyToClipboard() const;

    /// Classic 16-bytes-per-line hex dump with offsets and an ASCII column.
    static QString hexDump(const QByteArray& bytes);
    /// Indented JSON, or a null string when `bytes` is not a JSON object or array.
    static QString prettyJson(const QByteArray& bytes);

private:
    void render();

    QComboBox* m_modeBox;
    QLabel* m_info;
    QPlainTextEdit* m_edit;
    QToolButton* m_copy;
    QByteArray m_bytes;
    bool m_binary = false;
    Mode m_mode = Mode::Auto;
    Mode m_effective = Mode::Text;
};

} // namespace wst::ui
