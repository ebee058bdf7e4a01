// SPDX-License-Identifier: MIT
#include "ui/models/anomaly_model.h"

#include "ui/models/palette.h"
#include "ui/models/qt_text.h"
#include "ui/models/session_controller.h"

#include <QFont>

namespace wst::ui {

AnomalyModel::AnomalyModel(const SessionController* session, QObject* parent)
    : QAbstractTableModel(parent)
    , m_session(session) {
    connect(session, &SessionController::aboutToReset, this, [this] { beginResetModel(); });
    connect(session, &SessionController::reset, this, [this] {
        m_rows.clear();
        for (std::size_t i = 0; i < m_session->document().anomalies.size(); ++i) {
            m_rows.push_back(makeRow(i));
        }
        endResetModel();
    });
    connect(session, &SessionController::batchApplied, this, &AnomalyModel::onBatch);
    for (std::size_t i = 0; i < m_session->document().anomalies.size(); ++i) {
        m_rows.push_back(makeRow(i));
    }
}

const Anomaly& AnomalyModel::anomaly(int row) const {
    return m_session->document().anomalies[static_cast<std::size_t>(row)];
}

void AnomalyModel::onBatch(const TraceDelta& delta) {
    if (delta.newAnomalyCount > m_rows.size()) {
        beginInsertRows({}, static_cast<int>(m_rows.size()),
                        static_cast<int>(delta.newAnomalyCount) - 1);
        for (std::size_t i = m_rows.size(); i < delta.newAnomalyCount; ++i) {
            m_rows.push_back(makeRow(i));
        }
        endInsertRows();
    }
    // A connection that finished in this batch has its verdict now: its earlier rows learn
    // their place under the root cause.
    for (ConnId id : delta.updatedConnections) {
        refreshConnection(id);
    }
}

void AnomalyModel::refreshConnection(ConnId id) {
    const Trace& doc = m_session->document();
    const Connection* c = doc.connection(id);
    if (!c || !c->finished) {
        return;
    }
    for (std::uint32_t i : doc.anomaliesOf(id)) {
        if (i >= m_rows.size()) {
            continue;
        }
        Row next = makeRow(i);
        Row& row = m_rows[i];
        if (next.root != row.root || next.causedBy != row.causedBy) {
            row = std::move(next);
            emit dataChanged(index(static_cast<int>(i), 0),
                             index(static_cast<int>(i), ColumnCount - 1));
        }
    }
}

AnomalyModel::Row AnomalyModel::makeRow(std::size_t index) const {
    const Trace& doc = m_session->document();
    const Anomaly& a = doc.anomalies[index];
    const AnomalyInfo& info = anomalyInfo(a.id);
    Row r;
    // Where the verdict put this finding: Verdict::causedBy is in the connection's own order.
    if (const Connection* c = a.connection ? doc.connection(a.connection) : nullptr;
        c && c->finished) {
        const std::vector<std::uint32_t>& mine = doc.anomaliesOf(c->id);
        for (std::size_t k = 0; k < mine.size() && k < c->verdict.causedBy.size(); ++k) {
            if (mine[k] != index) {
                continue;
            }
            r.root = static_cast<std::int32_t>(k) == c->verdict.root;
            const std::int32_t cause = c->verdict.causedBy[k];
            if (cause >= 0 && static_cast<std::size_t>(cause) < mine.size()) {
                r.causedBy = mine[static_cast<std::size_t>(cause)];
                r.causeName = qs(anomalyName(doc.anomalies[r.causedBy].id));
            }
            break;
        }
    }
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
            return r.causedBy >= 0 ? QStringLiteral("  ↳ %1").arg(r.name) : r.name;
        case TitleColumn:
            if (r.root) {
                return QStringLiteral("%1 — root cause").arg(r.title);
            }
            if (r.causedBy >= 0) {
                return QStringLiteral("%1 (caused by %2)").arg(r.title, r.causeName);
            }
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
    case Qt::FontRole:
        if (r.root) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        break;
    case Qt::ToolTipRole:
        return r.tooltip;
    case RootRole:
        return r.root;
    case CausedByRole:
        return QVariant::fromValue<qlonglong>(r.causedBy);
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
