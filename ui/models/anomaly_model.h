// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/model/trace_store.h"

#include <QAbstractTableModel>

namespace wst::ui {

class SessionController;

/// Every anomaly of the capture (connection and capture-level), in report order, one row each.
/// Text comes from the anomaly catalog; rows are appended once per batch. Once its connection
/// is finished, a row says where it stands in the verdict (docs/verdicts.md): the root cause is
/// marked, a consequence is indented "↳ … caused by <id>".
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
        RootRole,     ///< bool: the connection's root cause (Verdict::root)
        CausedByRole, ///< index into Trace::anomalies of the cause, -1 for a root or not yet known
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
        bool root = false;
        qint64 causedBy = -1; ///< global anomaly index
        QString causeName;    ///< the cause's id, snake_case
    };
    void onBatch(const TraceDelta& delta);
    Row makeRow(std::size_t index) const;
    void refreshConnection(ConnId id);

    const SessionController* m_session;
    std::vector<Row> m_rows;
};

} // namespace wst::ui
