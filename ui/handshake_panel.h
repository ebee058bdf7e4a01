// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/http/handshake_validator.h"
#include "decoder/model/trace.h"

#include <QHash>
#include <QIcon>
#include <QStyle>
#include <QWidget>

class QLabel;
class QTreeWidget;

namespace wst::ui {

/// The selected connection's handshake: request headers and response headers side by side,
/// and below them each RFC 6455 §4 check with what was expected and what the capture shows.
class HandshakePanel final : public QWidget {
    Q_OBJECT
public:
    explicit HandshakePanel(QWidget* parent = nullptr);

    /// Shows `c` (null clears the panel); `anomalies` are the ids found on it. The checks are
    /// wst::reviewHandshake's, so the panel, the HTML report and the anomalies agree; a failed
    /// check whose anomaly is informational shows as a warning. Without a captured request the
    /// check list is empty and the tree shows one row saying so.
    void setConnection(const Connection* c, const std::vector<AnomalyId>& anomalies = {});
    /// The checks in the order shown: failed ones first (issue 17: the failing check must not
    /// hide at the bottom), then warnings, passed and not applicable, each in review order.
    const std::vector<HandshakeCheck>& checks() const { return m_checks; }
    /// How the shown handshake fared, for the tab's icon: Failed when a check failed (a failed
    /// check with an informational anomaly counts as a warning), Warning, Passed, or None when
    /// nothing is shown or nothing was checked.
    enum class Overall { None, Passed, Warning, Failed };
    Overall overall() const { return m_overall; }
    /// The style icon that stands for overall(), so the tab never shows a ✓ over a failure.
    QIcon overallIcon();
    QTreeWidget* checkTree() const { return m_checkTree; }
    /// One top-level item per response head; green only for the 101 the client acted on.
    QTreeWidget* responseTree() const { return m_response; }

private:
    /// The style's icon, loaded once: a style decodes its PNGs anew on every standardIcon()
    /// call, and the panel refreshes on every batch that touches the selected connection.
    QIcon icon(QStyle::StandardPixmap which);

    QLabel* m_summary;
    QTreeWidget* m_request;
    QTreeWidget* m_response;
    QTreeWidget* m_checkTree;
    std::vector<HandshakeCheck> m_checks;
    Overall m_overall = Overall::None;
    QHash<int, QIcon> m_icons;
};

} // namespace wst::ui
