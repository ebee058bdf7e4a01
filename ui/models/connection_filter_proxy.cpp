// SPDX-License-Identifier: MIT
#include "ui/models/connection_filter_proxy.h"

#include "ui/models/connection_list_model.h"

namespace wst::ui {

ConnectionFilterProxy::ConnectionFilterProxy(ConnectionListModel* source, QObject* parent)
    : QSortFilterProxyModel(parent)
    , m_source(source) {
    setSourceModel(source);
    setSortRole(ConnectionListModel::SortRole);
    setDynamicSortFilter(true);
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

void ConnectionFilterProxy::setFilter(const ConnectionFilter& filter) {
    if (filter == m_filter) {
        return;
    }
    m_filter = filter;
    m_payload = QRegularExpression(filter.payload, QRegularExpression::CaseInsensitiveOption);
    m_payloadValid = filter.payload.isEmpty() || m_payload.isValid();
    invalidateFilter();
}

void ConnectionFilterProxy::setStoryGroup(std::optional<StoryGroup> group) {
    m_group = std::move(group);
    invalidateFilter();
}

bool ConnectionFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
    if (sourceParent.isValid()) {
        return false;
    }
    const ConnectionListModel::Row& r = m_source->row(sourceRow);
    const ConnectionFilter& f = m_filter;
    if (m_group) {
        const Trace& doc = m_source->document();
        if (r.id == 0 || r.id > doc.connections.size() ||
            !inGroup(*m_group, doc.connections[r.id - 1])) {
            return false;
        }
    }
    if (f.onlyAnomalies && r.anomalyCount == 0) {
        return false;
    }
    if (f.onlyUpgraded && r.outcomeValue != Outcome::Upgraded) {
        return false;
    }
    if (f.onlyFailed && r.outcomeValue != Outcome::Refused && r.outcomeValue != Outcome::Failed) {
        return false;
    }
    if (!f.host.isEmpty() && !r.host.contains(f.host, Qt::CaseInsensitive) &&
        !r.server.contains(f.host, Qt::CaseInsensitive)) {
        return false;
    }
    if (!f.path.isEmpty() && !r.path.contains(f.path, Qt::CaseInsensitive)) {
        return false;
    }
    if (!f.status.isEmpty()) {
        bool any = false;
        for (const QString& s : r.status.split(QStringLiteral(" → "), Qt::SkipEmptyParts)) {
            any = any || s.startsWith(f.status.trimmed());
        }
        if (!any) {
            return false;
        }
    }
    if (!f.anomaly.isEmpty()) {
        bool any = false;
        for (const QString& name : r.anomalyNames) {
            any = any || name.contains(f.anomaly.trimmed(), Qt::CaseInsensitive);
        }
        if (!any) {
            return false;
        }
    }
    if (!f.payload.isEmpty()) {
        if (!m_payloadValid) {
            return false;
        }
        const Trace& doc = m_source->document();
        bool any = false;
        for (std::uint32_t i : doc.eventsOf(r.id)) {
            const Message* m = doc.messageOf(doc.events[i]);
            if (m && m_payload
                         .match(QString::fromUtf8(m->payload.data(),
                                                  static_cast<qsizetype>(m->payload.size())))
                         .hasMatch()) {
                any = true;
                break;
            }
        }
        if (!any) {
            return false;
        }
    }
    return true;
}

} // namespace wst::ui
