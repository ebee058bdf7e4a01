// SPDX-License-Identifier: MIT
#pragma once

#include "ui/models/connection_filter_proxy.h"

#include <QWidget>

class QLineEdit;
class QTimer;
class QToolButton;

namespace wst::ui {

/// Text fields (host, path, status, anomaly id, payload regex) and quick toggles (only with
/// anomalies, only upgraded, only failed). Collects choices and emits them, debounced; the
/// proxy does the filtering (STYLE.md practice 12).
class FilterBar final : public QWidget {
    Q_OBJECT
public:
    explicit FilterBar(QWidget* parent = nullptr);

    ConnectionFilter filter() const;
    void setFilter(const ConnectionFilter& f);
    /// Marks the payload field as invalid (red) or valid.
    void setPayloadValid(bool valid);
    void clear();

signals:
    void filterChanged(const wst::ui::ConnectionFilter& filter);

private:
    QLineEdit* m_host;
    QLineEdit* m_path;
    QLineEdit* m_status;
    QLineEdit* m_anomaly;
    QLineEdit* m_payload;
    QToolButton* m_onlyAnomalies;
    QToolButton* m_onlyUpgraded;
    QToolButton* m_onlyFailed;
    QTimer* m_debounce;
};

} // namespace wst::ui
