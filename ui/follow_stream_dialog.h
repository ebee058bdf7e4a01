// SPDX-License-Identifier: MIT
#pragma once

#include "ui/models/follow_stream.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QTextBrowser;

namespace wst::ui {

/// Follow Stream (like Wireshark's Follow TCP Stream): one connection's bytes as the two peers
/// exchanged them, client red and server blue, the HTTP heads as text and each frame on its
/// own line with its payload; "Hex" shows the payloads as hex dumps. It reads the trace given
/// to it (followStream) and keeps no other state.
class FollowStreamDialog final : public QDialog {
    Q_OBJECT
public:
    FollowStreamDialog(const Trace& doc, ConnId conn, QWidget* parent = nullptr);

    void setHex(bool on);
    /// The stream as plain text, as shown (text or hex).
    QString text() const;
    const std::vector<StreamChunk>& chunks() const { return m_chunks; }

private:
    void render();

    std::vector<StreamChunk> m_chunks;
    QTextBrowser* m_view;
    QCheckBox* m_hex;
    QLabel* m_summary;
};

} // namespace wst::ui
