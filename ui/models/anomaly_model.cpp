// SPDX-License-Identifier: MIT
#include "ui/models/anomaly_model.h"

#include "ui/models/palette.h"
#include "ui/models/qt_text.h"
#include "ui/models/session_controller.h"

namespace wst::ui {

AnomalyModel::AnomalyModel(const SessionController* session, QObject* parent)
    : QAbstractTableModel(parent)
    , m_session(session) {
    connect(session, &SessionController::aboutToReset, this, [this] { beginResetModel(); });
    connect(session, &SessionController::reset, this, [this] {
        m_rows.clear();
        for (const Anomaly& a : m_session->document().anomalies) {
            m_rows.push_back(makeRow(a));
        }
        endResetModel();
    });
    connect(session, &SessionController::batchApplied, this, &AnomalyModel::onBatch);
    for (const Anomaly& a : m_session->document().anomalies) {
        m_rows.push_back(makeRow(a));
    }
}

const Anomaly& AnomalyModel::anomaly(int row) const {
    return m_session->document().anomalies[static_cast<std::size_t>(row)];
}

void AnomalyModel::onBatch(const TraceDelta& delta) {
    if (delta.newAnomalyCount <= m_rows.size()) {
        return;
    }
    const auto& all = m_session->document().anomalies;
    beginInsertRows({}, static_cast<int>(m_rows.size()),
                    static_cast<int>(delta.newAnomalyCount) - 1);
    for (std::size_t i = m_rows.size(); i < delta.newAnomalyCount; ++i) {
        m_rows.push_back(makeRow(all[i]));
    }
    endInsertRows();
}

AnomalyModel::Row AnomalyModel::makeRow(const Anomaly& a) const {
    const AnomalyInfo& info = anomalyInfo(a.id);
    Row r;
    r.severity = info.severity;
    r.name = qs(info.name);
    r.title = qs(info.title);
    r.connection = a.connection ? QStringLiteral("#%1").arg(a.connection) : QStringLiteral("—");
    r.packet = a.packet ? QString::number(a.packet) : QString();
    r.detail = QString::fromStdString(a.detail);
    r.tooltip = qs(info.explanation);
    return r;
}

int AnomalyModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int AnomalyModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AnomalyModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const Row& r = m_rows[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case SeverityColumn:
            return severityLabel(r.severity);
        case IdColumn:
            return r.name;
        case TitleColumn:
            return r.title;
        case ConnectionColumn:
            return r.connection;
        case PacketColumn:
            return r.packet;
        case DetailColumn:
            return r.detail;
        }
        break;
    case Qt::DecorationRole:
        if (index.column() == SeverityColumn) {
            return severityIcon(r.severity);
        }
        break;
    case Qt::ToolTipRole:
        return r.tooltip;
    case AnomalyIndexRole:
        return index.row();
    case ConnIdRole:
        return m_session->document().anomalies[static_cast<std::size_t>(index.row())].connection;
    case SeverityRole:
        return static_cast<int>(r.severity);
    case SortRole: {
        const Anomaly& a = anomaly(index.row());
        switch (index.column()) {
        case SeverityColumn:
            return static_cast<int>(r.severity);
        case ConnectionColumn:
            return a.connection;
        case PacketColumn:
            return QVariant::fromValue<qulonglong>(a.packet);
        default:
            return data(index, Qt::DisplayRole);
        }
    }
    default:
        break;
    }
    return {};
}

QVariant AnomalyModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation == Qt::Horizontal && role == Qt::DisplayRole && section >= 0 &&
        section < ColumnCount) {
        static const char* const kTitles[ColumnCount] = {"Severity", "Id",     "Title",
                                                         "Conn",     "Packet", "Detail"};
        return QString::fromUtf8(kTitles[section]);
    }
    return QAbstractTableModel::headerData(section, orientation, role);
}

} // namespace wst::ui
