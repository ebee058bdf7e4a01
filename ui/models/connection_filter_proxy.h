// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/verdict/story.h"

#include <QRegularExpression>
#include <QSortFilterProxyModel>
#include <optional>

namespace wst::ui {

class ConnectionListModel;

/// What the filter bar asks for. Empty text fields match everything; all set fields must match.
struct ConnectionFilter {
    QString host;    ///< substring of the Host header, case-insensitive
    QString path;    ///< substring of the request target
    QString status;  ///< prefix of any response status ("101", "4", "20")
    QString anomaly; ///< substring of any anomaly id ("hijack_", "wrong_accept")
    QString payload; ///< regular expression searched in retained message payloads
    bool onlyAnomalies = false;
    bool onlyUpgraded = false;
    bool onlyFailed = false; ///< refused or failed upgrades

    bool operator==(const ConnectionFilter&) const = default;
};

/// Sorts ConnectionListModel by its SortRole and filters on precomputed row fields; only the
/// payload regex reads the connection's retained messages, and only when it is set.
class ConnectionFilterProxy final : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit ConnectionFilterProxy(ConnectionListModel* source, QObject* parent = nullptr);

    void setFilter(const ConnectionFilter& filter);
    const ConnectionFilter& filter() const { return m_filter; }
    /// Shows only the connections of one story group (the verdict strip's choice), on top of
    /// the filter; std::nullopt shows every group. Membership is decoder/verdict's inGroup().
    void setStoryGroup(std::optional<StoryGroup> group);
    const std::optional<StoryGroup>& storyGroup() const { return m_group; }
    /// False when the payload expression does not compile (the filter bar shows it).
    bool payloadPatternValid() const { return m_payloadValid; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    ConnectionListModel* m_source;
    ConnectionFilter m_filter;
    std::optional<StoryGroup> m_group;
    QRegularExpression m_payload;
    bool m_payloadValid = true;
};

} // namespace wst::ui
