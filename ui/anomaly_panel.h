// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class QSortFilterProxyModel;
class QTableView;
class QTextBrowser;

namespace wst::ui {

class AnomalyModel;
class SessionController;

/// Every anomaly in a sortable table; the selected one explained below it from the catalog
/// (title, what happened, likely causes, what to do, RFC clause, the detail recorded). Clicking
/// a row emits anomalyActivated so the window can jump to the connection, timeline and frame.
class AnomalyPanel final : public QWidget {
    Q_OBJECT
public:
    AnomalyPanel(const SessionController* session, AnomalyModel* model, QWidget* parent = nullptr);

    /// Selects and explains anomaly `index` (into Trace::anomalies) without emitting.
    void selectAnomaly(quint32 index);
    QTableView* table() const { return m_table; }
    QString explanation() const;

signals:
    void anomalyActivated(quint32 index);

private:
    void explain(quint32 index);

    const SessionController* m_session;
    AnomalyModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QTableView* m_table;
    QTextBrowser* m_details;
    bool m_quiet = false;
};

} // namespace wst::ui
