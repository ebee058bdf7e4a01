// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/model/trace_store.h"

#include <QAbstractTableModel>
#include <QStringList>
#include <optional>

namespace wst::ui {

class SessionController;

/// One row per connection of the loaded capture. Its first column carries the severity of the
/// verdict's root cause (icon and colour), and a row whose root cause is a warning or an error
/// is tinted in that severity's colour, so a broken connection never reads as a green
/// "upgraded" (issue 17); the Verdict column has its headline (docs/verdicts.md).
/// Display strings and sort keys are computed when a batch arrives, so data() only reads them
/// (STYLE.md practice 10). Rows are appended with one beginInsertRows per batch; updated summaries
/// emit dataChanged over coalesced ranges.
class ConnectionListModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    /// Issue 17: what decides a row comes first (severity, time, who, what, outcome, verdict);
    /// counts and the anomaly list come last.
    enum Column {
        IdColumn,    ///< number, with the root cause's severity icon and colour
        StartColumn, ///< first packet, relative to the capture's first connection
        ClientColumn,
        ServerColumn, ///< the Host header when there is one, else the address (tooltip: both)
        PathColumn,
        StatusColumn,
        OutcomeColumn,  ///< the verdict's severity icon when it found a problem
        VerdictColumn,  ///< Verdict::headline; empty until the connection is finished
        LatencyColumn,  ///< handshake time, with its unit
        DurationColumn, ///< first to last packet
        ClientMessagesColumn,
        ServerMessagesColumn,
        CloseColumn,
        AnomaliesColumn,
        ColumnCount
    };
    enum Role {
        SortRole = Qt::UserRole + 1, ///< numeric or string key for sorting
        ConnIdRole,                  ///< ConnId (quint32)
        WorstSeverityRole,           ///< int Severity, -1 when no anomaly
        OutcomeRole,                 ///< int Outcome
        RootSeverityRole,            ///< int Severity of the verdict's root cause, -1 when none
    };

    /// The precomputed text and keys of one row; also what the filter proxy reads.
    struct Row {
        ConnId id = 0;
        QString client, server, host, path, status, outcome, latency, close, anomalies;
        QString start, duration; ///< "+1.25 s", "312 ms"
        std::int64_t startNs = 0, durationNs = 0;
        QString tooltip;
        QString headline;       ///< Verdict::headline, "" until finished
        QString verdictTooltip; ///< the headline and both peers' views
        int rootSeverity = -1;  ///< of Verdict::rootCause, -1 when none (or not finished)
        std::optional<std::int64_t> latencyNs;
        int statusCode = 0; ///< last response status, 0 if none
        std::uint64_t clientMessages = 0, serverMessages = 0;
        int closeCode = -1;
        int anomalyCount = 0;
        int worstSeverity = -1;
        Outcome outcomeValue = Outcome::TcpOnly;
        QStringList anomalyNames; ///< distinct anomaly ids present, snake_case
    };

    explicit ConnectionListModel(const SessionController* session, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    const Row& row(int r) const { return m_rows[static_cast<std::size_t>(r)]; }
    /// Row of a connection id, or -1.
    int rowOf(ConnId id) const;
    const Trace& document() const;

private:
    void onReset();
    void onBatch(const TraceDelta& delta);
    Row makeRow(const Connection& c) const;

    const SessionController* m_session;
    std::vector<Row> m_rows;
};

} // namespace wst::ui
