// SPDX-License-Identifier: MIT
#include "ui/replay_bar.h"

#include "ui/replay_controller.h"

#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QSlider>
#include <QStyle>
#include <QTimer>

namespace wst::ui {

namespace {
constexpr int kSliderSteps = 1000;

QString seconds(double s) {
    return QStringLiteral("%1 s").arg(s, 0, 'f', s < 10 ? 3 : 1);
}
} // namespace

const std::vector<double>& ReplayBar::speeds() {
    static const std::vector<double> values{0.5, 1, 2, 10, 0};
    return values;
}

ReplayBar::ReplayBar(ReplayController* controller, QWidget* parent)
    : QToolBar(QStringLiteral("Replay"), parent)
    , m_controller(controller) {
    setObjectName(QStringLiteral("replayBar"));
    m_playPause = addAction(style()->standardIcon(QStyle::SP_MediaPause), QStringLiteral("Pause"));
    m_playPause->setObjectName(QStringLiteral("replayPlayPause"));
    m_playPause->setShortcut(QKeySequence(Qt::Key_Space));
    m_stop = addAction(style()->standardIcon(QStyle::SP_MediaStop), QStringLiteral("Stop Replay"));
    m_stop->setObjectName(QStringLiteral("replayStop"));

    m_speed = new QComboBox(this);
    m_speed->setObjectName(QStringLiteral("replaySpeed"));
    m_speed->setToolTip(QStringLiteral("Replay speed: recorded time per wall time"));
    for (double s : speeds()) {
        m_speed->addItem(s > 0 ? QStringLiteral("×%1").arg(s) : QStringLiteral("Fastest"), s);
    }
    m_speed->setCurrentIndex(1); // ×1: as recorded
    addWidget(m_speed);

    m_slider = new QSlider(Qt::Horizontal, this);
    m_slider->setObjectName(QStringLiteral("replaySlider"));
    m_slider->setRange(0, kSliderSteps);
    m_slider->setMinimumWidth(240);
    m_slider->setToolTip(QStringLiteral("Drag to seek in the capture"));
    addWidget(m_slider);
    m_time = new QLabel(this);
    m_time->setObjectName(QStringLiteral("replayTime"));
    m_time->setMinimumWidth(150);
    m_time->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    addWidget(m_time);

    m_timer = new QTimer(this);
    m_timer->setInterval(100);
    connect(m_timer, &QTimer::timeout, this, &ReplayBar::updatePosition);

    connect(m_playPause, &QAction::triggered, this, [this] {
        if (!m_controller->isActive()) {
            if (!m_controller->path().isEmpty()) {
                m_controller->start(m_controller->path(), chosenSpeed());
            }
        } else if (m_controller->isPaused()) {
            m_controller->resume();
        } else {
            m_controller->pause();
        }
    });
    connect(m_stop, &QAction::triggered, m_controller, &ReplayController::stop);
    connect(m_speed, &QComboBox::currentIndexChanged, this,
            [this] { m_controller->setSpeed(chosenSpeed()); });
    connect(m_slider, &QSlider::sliderReleased, this, &ReplayBar::seekToSlider);
    connect(m_slider, &QSlider::actionTriggered, this, [this](int action) {
        // Page steps and arrow keys seek at once; drags seek on release.
        if (action != QAbstractSlider::SliderMove) {
            QTimer::singleShot(0, this, &ReplayBar::seekToSlider);
        }
    });
    connect(m_controller, &ReplayController::stateChanged, this, &ReplayBar::updateState);
    connect(m_controller, &ReplayController::rangeKnown, this, &ReplayBar::updatePosition);
    connect(m_controller, &ReplayController::finished, this, &ReplayBar::updatePosition);
    updateState();
}

double ReplayBar::chosenSpeed() const {
    return m_speed->currentData().toDouble();
}

void ReplayBar::updateState() {
    const bool playing = m_controller->isActive() && !m_controller->isPaused();
    m_playPause->setIcon(
        style()->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
    m_playPause->setText(playing ? QStringLiteral("Pause") : QStringLiteral("Play"));
    m_playPause->setToolTip(playing ? QStringLiteral("Pause the replay (Space)")
                                    : QStringLiteral("Play the replay (Space)"));
    m_playPause->setEnabled(!m_controller->path().isEmpty());
    m_stop->setEnabled(m_controller->isActive());
    m_slider->setEnabled(!m_controller->path().isEmpty());
    const int index = m_speed->findData(m_controller->speed());
    if (index >= 0 && index != m_speed->currentIndex()) {
        const QSignalBlocker block(m_speed);
        m_speed->setCurrentIndex(index);
    }
    if (m_controller->isActive()) {
        m_timer->start();
    } else {
        m_timer->stop();
    }
    updatePosition();
}

void ReplayBar::updatePosition() {
    if (!m_controller->hasRange()) {
        m_time->setText(m_controller->isActive() ? QStringLiteral("…") : QString());
        return;
    }
    const Timestamp first = m_controller->firstTime();
    const double total = (m_controller->lastTime() - first) / 1e9;
    const Timestamp pos =
        m_controller->isActive() ? m_controller->position() : m_controller->lastTime();
    const double at = std::max(0.0, (pos - first) / 1e9);
    if (!m_slider->isSliderDown()) {
        const QSignalBlocker block(m_slider);
        m_slider->setValue(total > 0 ? static_cast<int>(at / total * kSliderSteps) : 0);
    }
    m_time->setText(QStringLiteral("%1 / %2").arg(seconds(at), seconds(total)));
}

void ReplayBar::seekToSlider() {
    if (!m_controller->hasRange()) {
        return;
    }
    const Timestamp first = m_controller->firstTime();
    const std::int64_t span = m_controller->lastTime() - first;
    const auto offset =
        static_cast<std::int64_t>(static_cast<double>(span) * m_slider->value() / kSliderSteps);
    m_controller->seek(Timestamp{first.ns + offset});
    updatePosition();
}

} // namespace wst::ui
