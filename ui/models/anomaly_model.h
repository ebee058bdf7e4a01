// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/model/trace_store.h"

#include <QAbstractTableModel>

namespace wst::ui {

class SessionController;

/// Every anomaly of the capture (connection and capture-level), in report order, one row each.
/// Text comes from the anomaly catalog; rows are appended once per batch.
class AnomalyModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        SeverityColumn,
        IdColumn,
        TitleColumn,
        ConnectionColumn,
        PacketColumn,
        DetailColumn,
        ColumnCount
    };
    enum Role {
        AnomalyIndexRole = Qt::UserRole + 1, ///< index into Trace::anomalies
        ConnIdRole,
        SeverityRole,
        SortRole,
    };

    explicit AnomalyModel(const SessionController* session, QObject* parent = nullptr);

    const Anomaly& anomaly(int row) const;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Row {
        QString name, title, connection, packet, detail, tooltip;
        Severity severity = Severity::Info;
    };
    void onBatch(const TraceDelta& delta);
    Row makeRow(const Anomaly& a) const;

    const SessionController* m_session;
    std::vector<Row> m_rows;
};

} // namespace wst::ui
