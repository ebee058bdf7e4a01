// SPDX-License-Identifier: MIT
#pragma once

#include "ui/models/frame_wire.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QTreeWidget;

namespace wst::ui {

/// The selected frame as Wireshark's packet details and bytes panes show a packet: its RFC 6455
/// §5.2 header field by field (FIN, RSV1–3, opcode, MASK, length and its encoding, masking key)
/// above a hex view of the frame as it was on the wire; selecting a field highlights its bytes.
class FrameDetailView final : public QWidget {
    Q_OBJECT
public:
    explicit FrameDetailView(QWidget* parent = nullptr);

    /// Shows the frame behind document event `eventIndex` (wireFrameOf); anything else clears.
    void setEvent(const Trace& doc, std::uint32_t eventIndex);
    const FrameWire& frame() const { return m_wire; }
    QTreeWidget* fieldTree() const { return m_fields; }
    /// The hex view's text ("00000000  81 8d 37 fa …").
    QString hexText() const;
    /// Bytes highlighted now: [offset, offset + length) of the selected field, or {0, 0}.
    std::pair<int, int> highlighted() const { return m_highlight; }
    /// Selects field row `i` (and highlights its bytes).
    void selectField(int i);

private:
    void highlight(int offset, int length);

    QLabel* m_info;
    QTreeWidget* m_fields;
    QPlainTextEdit* m_hex;
    FrameWire m_wire;
    std::pair<int, int> m_highlight{0, 0};
};

} // namespace wst::ui
