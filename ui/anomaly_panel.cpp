// SPDX-License-Identifier: MIT
#include "ui/anomaly_panel.h"

#include "ui/models/anomaly_model.h"
#include "ui/models/palette.h"
#include "ui/models/qt_text.h"
#include "ui/models/session_controller.h"

#include <QHeaderView>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace wst::ui {

AnomalyPanel::AnomalyPanel(const SessionController* session, AnomalyModel* model, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_model(model)
    , m_proxy(new QSortFilterProxyModel(this))
    , m_table(new QTableView(this))
    , m_details(new QTextBrowser(this)) {
    m_proxy->setSourceModel(model);
    m_proxy->setSortRole(AnomalyModel::SortRole);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(AnomalyModel::SeverityColumn, 90);
    m_table->setColumnWidth(AnomalyModel::IdColumn, 210);
    m_table->setColumnWidth(AnomalyModel::TitleColumn, 260);
    m_table->setColumnWidth(AnomalyModel::ConnectionColumn, 50);
    m_table->setColumnWidth(AnomalyModel::PacketColumn, 60);
    m_details->setOpenExternalLinks(false);
    m_details->setPlaceholderText(
        QStringLiteral("Select an anomaly to see what it means and what to do."));

    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(m_details);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);

    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (!current.isValid()) {
                    return;
                }
                const auto index = m_proxy->mapToSource(current).row();
                explain(static_cast<quint32>(index));
                if (!m_quiet) {
                    emit anomalyActivated(static_cast<quint32>(index));
                }
            });
    // Issue 17: the explanation belongs to the capture it was read from; a new trace (file,
    // replay, live) starts with none.
    connect(session, &SessionController::reset, this, [this] { m_details->clear(); });
    // A click on the already-current row jumps again.
    connect(m_table, &QTableView::clicked, this, [this](const QModelIndex& i) {
        if (i.isValid() && i.row() == m_table->currentIndex().row()) {
            emit anomalyActivated(static_cast<quint32>(m_proxy->mapToSource(i).row()));
        }
    });
}

void AnomalyPanel::selectAnomaly(quint32 index) {
    const QModelIndex source = m_model->index(static_cast<int>(index), 0);
    const QModelIndex proxy = m_proxy->mapFromSource(source);
    if (!proxy.isValid()) {
        return;
    }
    m_quiet = true;
    m_table->setCurrentIndex(proxy);
    m_table->scrollTo(proxy);
    m_quiet = false;
    explain(index);
}

QString AnomalyPanel::explanation() const {
    return m_details->toPlainText();
}

void AnomalyPanel::explain(quint32 index) {
    const auto& all = m_session->document().anomalies;
    if (index >= all.size()) {
        m_details->clear();
        return;
    }
    const Anomaly& a = all[index];
    const AnomalyInfo& info = anomalyInfo(a.id);
    QString html =
        QStringLiteral("<h3 style='color:%1'>%2</h3>")
            .arg(palette::forSeverity(info.severity).darker(120).name(), qsHtml(info.title));
    html += QStringLiteral("<p><b>%1</b> · <tt>%2</tt>")
                .arg(severityLabel(info.severity), qsHtml(info.name));
    if (!info.rfc.empty()) {
        html += QStringLiteral(" · %1").arg(qsHtml(info.rfc));
    }
    if (a.connection) {
        html += QStringLiteral(" · connection #%1").arg(a.connection);
    }
    if (a.packet) {
        html += QStringLiteral(" · packet %1").arg(a.packet);
    }
    if (a.direction) {
        html += QStringLiteral(" · %1").arg(*a.direction == Direction::ClientToServer
                                                ? QStringLiteral("client → server")
                                                : QStringLiteral("server → client"));
    }
    html += QStringLiteral("</p>");
    // Its place in the verdict (docs/verdicts.md), as the anomaly list marks it.
    const QModelIndex row = m_model->index(static_cast<int>(index), 0);
    if (m_model->data(row, AnomalyModel::RootRole).toBool()) {
        html += QStringLiteral("<p><b>Root cause</b> of this connection: it explains its other "
                               "findings.</p>");
    } else if (const qlonglong cause = m_model->data(row, AnomalyModel::CausedByRole).toLongLong();
               cause >= 0 && static_cast<std::size_t>(cause) < all.size()) {
        const Anomaly& c = all[static_cast<std::size_t>(cause)];
        html += QStringLiteral("<p>↳ <b>Caused by</b> <tt>%1</tt> (packet %2): a consequence, "
                               "not a problem of its own.</p>")
                    .arg(qsHtml(anomalyName(c.id)))
                    .arg(c.packet);
    }
    if (!a.detail.empty()) {
        html += QStringLiteral("<p><tt>%1</tt></p>").arg(qsHtml(a.detail));
    }
    html += QStringLiteral("<p><b>What happened.</b> %1</p>").arg(qsHtml(info.explanation));
    if (const auto causes = likelyCauses(info); !causes.empty()) {
        html += QStringLiteral("<p><b>Likely causes.</b></p><ul>");
        for (std::string_view cause : causes) {
            html += QStringLiteral("<li>%1</li>").arg(qsHtml(cause));
        }
        html += QStringLiteral("</ul>");
    }
    if (!info.hint.empty()) {
        html += QStringLiteral("<p><b>What to do.</b> %1</p>").arg(qsHtml(info.hint));
    }
    m_details->setHtml(html);
}

} // namespace wst::ui
