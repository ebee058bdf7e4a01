// SPDX-License-Identifier: MIT
#include "ui/models/frame_table_model.h"

#include "decoder/model/format.h"
#include "ui/models/palette.h"
#include "ui/models/qt_text.h"
#include "ui/models/session_controller.h"

#include <QFontDatabase>
#include <algorithm>

namespace wst::ui {

FrameTableModel::FrameTableModel(const SessionController* session, QObject* parent)
    : QAbstractTableModel(parent)
    , m_session(session) {
    connect(session, &SessionController::aboutToReset, this, [this] { beginResetModel(); });
    connect(session, &SessionController::reset, this, [this] {
        m_connection = 0;
        m_rows.clear();
        endResetModel();
    });
    connect(session, &SessionController::batchApplied, this, &FrameTableModel::onBatch);
}

void FrameTableModel::setConnection(ConnId id) {
    if (id == m_connection) {
        return;
    }
    beginResetModel();
    m_connection = id;
    rebuild();
    endResetModel();
}

void FrameTableModel::setGranularity(Granularity g) {
    if (g == m_granularity) {
        return;
    }
    beginResetModel();
    m_granularity = g;
    rebuild();
    endResetModel();
}

void FrameTableModel::rebuild() {
    m_rows.clear();
    if (m_connection == 0) {
        return;
    }
    const auto events = selectEvents(m_session->document(), m_connection, m_granularity);
    m_rows.reserve(events.size());
    for (std::uint32_t i : events) {
        m_rows.push_back(makeRow(i));
    }
}

void FrameTableModel::onBatch(const TraceDelta& delta) {
    if (m_connection == 0 ||
        !std::binary_search(delta.connectionsWithNewEvents.begin(),
                            delta.connectionsWithNewEvents.end(), m_connection)) {
        return;
    }
    const auto events = selectEvents(m_session->document(), m_connection, m_granularity);
    // New events only append, except that a late WsClose can hide an earlier Close frame.
    bool prefix = events.size() >= m_rows.size();
    for (std::size_t i = 0; prefix && i < m_rows.size(); ++i) {
        prefix = events[i] == m_rows[i].event;
    }
    if (!prefix) {
        beginResetModel();
        rebuild();
        endResetModel();
        return;
    }
    if (events.size() == m_rows.size()) {
        return;
    }
    beginInsertRows({}, static_cast<int>(m_rows.size()), static_cast<int>(events.size()) - 1);
    for (std::size_t i = m_rows.size(); i < events.size(); ++i) {
        m_rows.push_back(makeRow(events[i]));
    }
    endInsertRows();
}

FrameTableModel::Row FrameTableModel::makeRow(std::uint32_t eventIndex) const {
    const Trace& doc = m_session->document();
    const Event& e = doc.events[eventIndex];
    const Connection* c = doc.connection(e.connection);
    Row r;
    r.event = eventIndex;
    r.packet = e.packet;
    r.relNs = c ? e.time - c->first : 0;
    r.time = QStringLiteral("+") + qs(formatDuration(r.relNs));
    r.direction = directionLabel(e.direction);
    r.type = eventTypeLabel(doc, e);
    if (e.kind == EventKind::WsFrame || e.kind == EventKind::WsMessage ||
        e.kind == EventKind::TcpGap || e.kind == EventKind::HttpRequest ||
        e.kind == EventKind::HttpResponse) {
        r.length = formatBytes(e.length);
    }
    r.flags = frameFlagsLabel(e);
    r.info = eventSummary(doc, e, eventIndex);
    switch (e.kind) {
    case EventKind::WsFrame:
    case EventKind::WsMessage:
        r.colour =
            e.opcode == 0x8 ? palette::forCloseCode(e.closeCode) : palette::forOpcode(e.opcode);
        break;
    case EventKind::WsClose:
        r.colour = palette::forCloseCode(e.closeCode);
        break;
    case EventKind::HttpResponse:
        r.colour = e.status == 101 ? palette::upgraded() : palette::refused();
        break;
    case EventKind::TcpRst:
    case EventKind::TcpGap:
        r.colour = palette::error();
        break;
    default:
        break;
    }
    return r;
}

std::uint32_t FrameTableModel::eventAt(int row) const {
    return row >= 0 && row < static_cast<int>(m_rows.size())
               ? m_rows[static_cast<std::size_t>(row)].event
               : Event::kNoRef;
}

int FrameTableModel::rowOfEvent(std::uint32_t eventIndex) const {
    // Rows are in time order (selectEvents), not in event order: search (once per click).
    auto it = std::find_if(m_rows.begin(), m_rows.end(),
                           [eventIndex](const Row& r) { return r.event == eventIndex; });
    return it != m_rows.end() ? static_cast<int>(it - m_rows.begin()) : -1;
}

int FrameTableModel::rowForPacket(PacketNumber packet) const {
    // Time order is packet order except where a message starts before a control frame that
    // arrived inside it; take the last row at or before the packet, scanning once.
    int best = -1;
    PacketNumber bestPacket = 0;
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].packet <= packet && (best < 0 || m_rows[i].packet >= bestPacket)) {
            best = static_cast<int>(i);
            bestPacket = m_rows[i].packet;
        }
    }
    return best >= 0 ? best : (m_rows.empty() ? -1 : 0);
}

int FrameTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int FrameTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FrameTableModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const Row& r = m_rows[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case PacketColumn:
            return QVariant::fromValue<qulonglong>(r.packet);
        case TimeColumn:
            return r.time;
        case DirectionColumn:
            return r.direction;
        case TypeColumn:
            return r.type;
        case LengthColumn:
            return r.length;
        case FlagsColumn:
            return r.flags;
        case InfoColumn:
            return r.info;
        }
        break;
    case Qt::ForegroundRole:
        if (index.column() == TypeColumn && r.colour.isValid()) {
            return r.colour;
        }
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == PacketColumn || index.column() == TimeColumn ||
            index.column() == LengthColumn) {
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        }
        break;
    case EventIndexRole:
        return r.event;
    case SortRole:
        return index.column() == TimeColumn ? QVariant::fromValue<qlonglong>(r.relNs)
                                            : data(index, Qt::DisplayRole);
    default:
        break;
    }
    return {};
}

QVariant FrameTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation == Qt::Horizontal && role == Qt::DisplayRole && section >= 0 &&
        section < ColumnCount) {
        static const char* const kTitles[ColumnCount] = {"Packet", "Time",  "Dir", "Type",
                                                         "Length", "Flags", "Info"};
        return QString::fromUtf8(kTitles[section]);
    }
    return QAbstractTableModel::headerData(section, orientation, role);
}

} // namespace wst::ui
