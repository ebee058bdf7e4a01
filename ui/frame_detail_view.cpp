// SPDX-License-Identifier: MIT
#include "ui/frame_detail_view.h"

#include "ui/models/follow_stream.h"
#include "ui/models/palette.h"

#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTextBlock>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace wst::ui {

FrameDetailView::FrameDetailView(QWidget* parent)
    : QWidget(parent)
    , m_info(new QLabel(this))
    , m_fields(new QTreeWidget(this))
    , m_hex(new QPlainTextEdit(this)) {
    m_info->setWordWrap(true);
    m_fields->setColumnCount(3);
    m_fields->setHeaderLabels(
        {QStringLiteral("Field"), QStringLiteral("Value"), QStringLiteral("Bytes")});
    m_fields->setRootIsDecorated(false);
    m_fields->setUniformRowHeights(true);
    m_fields->setAlternatingRowColors(true);
    m_fields->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_fields->header()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_fields->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    m_fields->header()->setStretchLastSection(false);
    m_hex->setReadOnly(true);
    m_hex->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_hex->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_hex->setPlaceholderText(QStringLiteral("Select a WebSocket frame or message to see its "
                                             "header and its bytes on the wire"));
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_fields);
    split->addWidget(m_hex);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_info);
    layout->addWidget(split, 1);
    connect(m_fields, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        const int i = item ? m_fields->indexOfTopLevelItem(item) : -1;
        if (i >= 0 && i < static_cast<int>(m_wire.fields.size())) {
            const WireField& f = m_wire.fields[static_cast<std::size_t>(i)];
            highlight(f.offset, f.length);
        } else {
            highlight(0, 0);
        }
    });
    setEvent(Trace{}, Event::kNoRef);
}

void FrameDetailView::setEvent(const Trace& doc, std::uint32_t eventIndex) {
    m_wire = frameWire(doc, eventIndex);
    m_fields->clear();
    m_highlight = {0, 0};
    if (!m_wire.valid) {
        m_info->setText(QStringLiteral("No WebSocket frame selected."));
        m_hex->clear();
        return;
    }
    QString info = QStringLiteral("Frame at packet %1: %2-byte header, %3 payload")
                       .arg(doc.events[m_wire.event].packet)
                       .arg(m_wire.headerLength)
                       .arg(formatBytes(m_wire.payloadLength));
    if (!m_wire.unmasked.isEmpty() && (doc.events[m_wire.event].frameFlags & frameflag::Mask)) {
        info += QStringLiteral("; unmasked: \"%1\"")
                    .arg(looksLikeText(m_wire.unmasked.left(48))
                             ? QString::fromUtf8(m_wire.unmasked.left(48)).toHtmlEscaped()
                             : QString::fromLatin1(m_wire.unmasked.left(16).toHex(' ')));
    }
    if (!m_wire.note.isEmpty()) {
        info += QStringLiteral(". ") + m_wire.note;
    }
    m_info->setText(info);
    for (const WireField& f : m_wire.fields) {
        auto* item = new QTreeWidgetItem(m_fields);
        item->setText(0, f.name);
        item->setText(1, f.value);
        item->setText(2, f.length <= 1
                             ? QString::number(f.offset)
                             : QStringLiteral("%1–%2").arg(f.offset).arg(f.offset + f.length - 1));
        if (f.bits) {
            item->setToolTip(0, QStringLiteral("bits 0x%1 of byte %2")
                                    .arg(static_cast<uint>(f.bits), 2, 16, QLatin1Char('0'))
                                    .arg(f.offset));
        }
    }
    m_hex->setPlainText(hexDump(m_wire.bytes));
}

QString FrameDetailView::hexText() const {
    return m_hex->toPlainText();
}

void FrameDetailView::selectField(int i) {
    if (QTreeWidgetItem* item = m_fields->topLevelItem(i)) {
        m_fields->setCurrentItem(item);
    }
}

void FrameDetailView::highlight(int offset, int length) {
    m_highlight = {offset, length};
    QList<QTextEdit::ExtraSelection> marks;
    QColor band = palette::info();
    band.setAlpha(110);
    for (int k = offset; k < offset + length; ++k) {
        // hexDump: line k / 16; byte j starts at column 10 + 3·j, one more from j = 8.
        const QTextBlock line = m_hex->document()->findBlockByNumber(k / 16);
        if (!line.isValid()) {
            break;
        }
        const int j = k % 16;
        QTextCursor c(line);
        c.setPosition(line.position() + 10 + 3 * j + (j >= 8 ? 1 : 0));
        c.movePosition(QTextCursor::Right, QTextCursor::KeepAnchor, 2);
        QTextEdit::ExtraSelection mark;
        mark.cursor = c;
        mark.format.setBackground(band);
        marks << mark;
    }
    m_hex->setExtraSelections(marks);
}

} // namespace wst::ui
