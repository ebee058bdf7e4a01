// SPDX-License-Identifier: MIT
#pragma once

#include <QToolBar>

class QAction;
class QComboBox;
class QLabel;
class QSlider;
class QTimer;

namespace wst::ui {

class ReplayController;

/// The Replay toolbar: play/pause, stop, speed (×0.5, ×1, ×2, ×10, as fast as possible), a
/// seek slider over the capture's time range and the replayed time. Only forwards the user's
/// choices to the ReplayController and shows its state.
class ReplayBar final : public QToolBar {
    Q_OBJECT
public:
    explicit ReplayBar(ReplayController* controller, QWidget* parent = nullptr);

    /// The speeds offered, in combo order; 0 means as fast as possible.
    static const std::vector<double>& speeds();
    /// The speed currently chosen in the combo.
    double chosenSpeed() const;

    QAction* playPauseAction() const { return m_playPause; }
    QAction* stopAction() const { return m_stop; }
    QComboBox* speedCombo() const { return m_speed; }
    QSlider* slider() const { return m_slider; }
    QLabel* timeLabel() const { return m_time; }

private:
    void updateState();
    void updatePosition();
    void seekToSlider();

    ReplayController* m_controller;
    QAction* m_playPause;
    QAction* m_stop;
    QComboBox* m_speed;
    QSlider* m_slider;
    QLabel* m_time;
    QTimer* m_timer;
};

} // namespace wst::ui
