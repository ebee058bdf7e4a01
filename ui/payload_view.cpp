// SPDX-License-Identifier: MIT
#include "ui/payload_view.h"

#include "decoder/model/payload_budget.h"
#include "ui/models/event_text.h"
#include "ui/models/follow_stream.h"
#include "ui/models/palette.h"
#include "ui/models/qt_text.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

namespace wst::ui {

PayloadView::PayloadView(QWidget* parent)
    : QWidget(parent)
    , m_modeBox(new QComboBox(this))
    , m_info(new QLabel(this))
    , m_edit(new QPlainTextEdit(this))
    , m_copy(new QToolButton(this)) {
    m_modeBox->addItems({QStringLiteral("Auto"), QStringLiteral("Text"), QStringLiteral("JSON"),
                         QStringLiteral("Hex")});
    m_modeBox->setToolTip(QStringLiteral("How to show the payload"));
    m_copy->setIcon(style()->standardIcon(QStyle::SP_DialogSaveButton));
    m_copy->setText(QStringLiteral("Copy"));
    m_copy->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_copy->setToolTip(QStringLiteral("Copy the payload as shown"));
    m_info->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_edit->setReadOnly(true);
    m_edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_edit->setPlaceholderText(QStringLiteral("Select a message or an HTTP head to see its bytes"));
    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(m_modeBox);
    bar->addWidget(m_info, 1);
    bar->addWidget(m_copy);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(m_edit, 1);
    connect(m_modeBox, &QComboBox::currentIndexChanged, this,
            [this](int i) { setMode(static_cast<Mode>(i)); });
    connect(m_copy, &QToolButton::clicked, this, &PayloadView::copyToClipboard);
}

void PayloadView::setEvent(const Trace& doc, std::uint32_t eventIndex) {
    m_bytes.clear();
    m_binary = false;
    QString info;
    if (eventIndex < doc.events.size()) {
        const Event& e = doc.events[eventIndex];
        const Connection* c = doc.connection(e.connection);
        if (const Message* m = doc.messageOf(e)) {
            m_bytes = QByteArray::fromStdString(m->payload);
            // Ping and Pong carry any bytes (RFC 6455 §5.5.2): hex unless they read as text.
            m_binary = m->opcode == 0x2 || (m->opcode >= 0x8 && !looksLikeText(m_bytes));
            info = QStringLiteral("%1 %2, %3")
                       .arg(directionLabel(m->direction), qs(opcodeName(m->opcode)),
                            formatBytes(m->length));
            if (m->compressed) {
                info += QStringLiteral(", inflated from %1").arg(formatBytes(m->wireLength));
            }
            if (m->frames > 1) {
                info += QStringLiteral(", %1 frames").arg(m->frames);
            }
            if (m->length > m->payload.size()) {
                info += QStringLiteral(", first %1 kept").arg(formatBytes(m->payload.size()));
                if (doc.payloadBytesDropped > 0 && m->payload.size() <= PayloadBudget::kHeadBytes) {
                    // Cut by the load's payload budget (issue 8), not by the decoder's prefix.
                    info += QStringLiteral(" (payload budget of this window used up; "
                                           "wstrace --format jsonl writes every payload)");
                }
            }
            if (!m->complete) {
                info += QStringLiteral(", incomplete");
            }
        } else if (const FramePayload fp = framePayload(doc, eventIndex);
                   e.kind == EventKind::WsFrame && fp.message) {
            // A data frame (View → Show Individual Frames): its own bytes within its message.
            const std::string_view bytes = framePayloadBytes(fp);
            m_bytes = QByteArray(bytes.data(), static_cast<qsizetype>(bytes.size()));
            m_binary = fp.opcode == 0x2;
            info = QStringLiteral("%1 frame %2 of a %3 message, %4")
                       .arg(directionLabel(e.direction))
                       .arg(fp.index + 1)
                       .arg(qs(opcodeName(fp.opcode)), formatBytes(e.length));
            if (fp.wholeMessage) {
                info += QStringLiteral(", deflate: showing the whole inflated message (%1)")
                            .arg(formatBytes(fp.message->length));
            } else {
                info += QStringLiteral(" at offset %L1").arg(fp.offset);
                if (static_cast<std::uint64_t>(bytes.size()) < fp.length) {
                    info += QStringLiteral(", first %1 kept").arg(formatBytes(bytes.size()));
                }
            }
        } else if (e.kind == EventKind::HttpRequest && c && c->request) {
            m_bytes = httpHeadBytes(*c->request);
            info = QStringLiteral("HTTP request head");
        } else if (e.kind == EventKind::HttpResponse && c) {
            if (const ResponseSummary* r = responseOf(*c, e)) {
                m_bytes = httpHeadBytes(*r);
                info = QStringLiteral("HTTP response head");
            }
        } else {
            info = eventSummary(doc, e, eventIndex);
        }
    }
    m_info->setText(info);
    render();
}

void PayloadView::setMode(Mode mode) {
    m_mode = mode;
    if (m_modeBox->currentIndex() != static_cast<int>(mode)) {
        m_modeBox->setCurrentIndex(static_cast<int>(mode));
    }
    render();
}

QString PayloadView::text() const {
    return m_edit->toPlainText();
}

void PayloadView::copyToClipboard() const {
    QApplication::clipboard()->setText(m_effective == Mode::Hex || !m_binary
                                           ? m_edit->toPlainText()
                                           : QString::fromLatin1(m_bytes.toHex(' ')));
}

void PayloadView::render() {
    Mode mode = m_mode;
    QString json;
    if (mode == Mode::Auto || mode == Mode::Json) {
        json = prettyJson(m_bytes);
    }
    if (mode == Mode::Auto) {
        mode = !json.isNull() ? Mode::Json : (m_binary ? Mode::Hex : Mode::Text);
    }
    if (mode == Mode::Json && json.isNull()) {
        mode = Mode::Text;
    }
    m_effective = mode;
    switch (mode) {
    case Mode::Json:
        m_edit->setPlainText(json);
        break;
    case Mode::Hex:
        m_edit->setPlainText(hexDump(m_bytes));
        break;
    default:
        m_edit->setPlainText(QString::fromUtf8(m_bytes));
        break;
    }
}

QString PayloadView::hexDump(const QByteArray& bytes) {
    return wst::ui::hexDump(bytes);
}

QString PayloadView::prettyJson(const QByteArray& bytes) {
    const QByteArray trimmed = bytes.trimmed();
    if (trimmed.isEmpty() || (trimmed.front() != '{' && trimmed.front() != '[')) {
        return {};
    }
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(trimmed, &error);
    if (error.error != QJsonParseError::NoError) {
        return {};
    }
    return QString::fromUtf8(doc.toJson(QJsonDocument::Indented));
}

} // namespace wst::ui
