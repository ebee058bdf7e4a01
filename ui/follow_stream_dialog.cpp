// SPDX-License-Identifier: MIT
#include "ui/follow_stream_dialog.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace wst::ui {

FollowStreamDialog::FollowStreamDialog(const Trace& doc, ConnId conn, QWidget* parent)
    : QDialog(parent)
    , m_chunks(followStream(doc, conn))
    , m_view(new QTextBrowser(this))
    , m_hex(new QCheckBox(QStringLiteral("&Hex"), this))
    , m_summary(new QLabel(this)) {
    setObjectName(QStringLiteral("followStream"));
    const Connection* c = doc.connection(conn);
    setWindowTitle(c ? QStringLiteral("Follow Stream — connection #%1 (%2 → %3)")
                           .arg(conn)
                           .arg(QString::fromStdString(c->client.toString()),
                                QString::fromStdString(c->server.toString()))
                     : QStringLiteral("Follow Stream"));
    m_view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_view->setLineWrapMode(QTextEdit::NoWrap);
    std::size_t sent[2] = {0, 0};
    for (const StreamChunk& k : m_chunks) {
        ++sent[index(k.direction)];
    }
    m_summary->setText(QStringLiteral("<span style='color:#7f0000'>client → server: %1</span> · "
                                      "<span style='color:#00007f'>server → client: %2</span>")
                           .arg(sent[0])
                           .arg(sent[1]));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton* copy = buttons->addButton(QStringLiteral("&Copy"), QDialogButtonBox::ActionRole);
    connect(copy, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(text()); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_hex, &QCheckBox::toggled, this, [this] { render(); });
    auto* bar = new QHBoxLayout;
    bar->addWidget(m_summary, 1);
    bar->addWidget(m_hex);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_view, 1);
    layout->addLayout(bar);
    layout->addWidget(buttons);
    resize(900, 640);
    render();
}

void FollowStreamDialog::setHex(bool on) {
    m_hex->setChecked(on);
}

QString FollowStreamDialog::text() const {
    return followStreamText(m_chunks, m_hex->isChecked());
}

void FollowStreamDialog::render() {
    m_view->setHtml(followStreamHtml(m_chunks, m_hex->isChecked()));
}

} // namespace wst::ui
