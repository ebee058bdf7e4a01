// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/model/trace_store.h"
#include "ui/models/event_text.h"

#include <QAbstractTableModel>
#include <QColor>

namespace wst::ui {

class SessionController;

/// The selected connection's events (TCP, HTTP, frames or messages, Close) as a table. Rows are
/// built when the selection or granularity changes and extended once per batch while the
/// connection is still growing; data() reads the precomputed strings.
class FrameTableModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        PacketColumn,
        TimeColumn,
        DirectionColumn,
        TypeColumn,
        LengthColumn,
        FlagsColumn,
        InfoColumn,
        ColumnCount
    };
    enum Role { EventIndexRole = Qt::UserRole + 1, SortRole };

    explicit FrameTableModel(const SessionController* session, QObject* parent = nullptr);

    void setConnection(ConnId id);
    ConnId connection() const { return m_connection; }
    void setGranularity(Granularity g);
    Granularity granularity() const { return m_granularity; }

    /// Index into Trace::events of a row, or kNoRef.
    std::uint32_t eventAt(int row) const;
    /// The row showing document event `eventIndex`, or -1.
    int rowOfEvent(std::uint32_t eventIndex) const;
    /// The last row whose packet is <= `packet` (where an anomaly shows), or -1.
    int rowForPacket(PacketNumber packet) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Row {
        std::uint32_t event = 0;
        PacketNumber packet = 0;
        std::int64_t relNs = 0;
        QString time, direction, type, length, flags, info;
        QColor colour;
    };
    void rebuild();
    void onBatch(const TraceDelta& delta);
    Row makeRow(std::uint32_t eventIndex) const;

    const SessionController* m_session;
    ConnId m_connection = 0;
    Granularity m_granularity = Granularity::Messages;
    std::vector<Row> m_rows;
};

} // namespace wst::ui
