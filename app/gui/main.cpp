// SPDX-License-Identifier: MIT
// wstrace-gui [FILE...]: opens each capture in its own window.
#include "ui/main_window.h"
#include "wst/version.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QIcon>
#include <vector>

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("wstrace-gui"));
    QApplication::setOrganizationName(QStringLiteral("wstrace"));
    QApplication::setApplicationVersion(QString::fromLatin1(wst::kVersion));
    QApplication::setApplicationDisplayName(QStringLiteral("wstrace"));
    QApplication::setDesktopFileName(QStringLiteral("wstrace"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/wstrace/wstrace.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Shows WebSocket connections in packet captures: the HTTP upgrade, every "
                       "frame, the close, and each anomaly with what it means."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("FILE"),
                                 QStringLiteral("pcap or pcapng capture to open (one window each)"),
                                 QStringLiteral("[FILE...]"));
    parser.process(app);

    std::vector<wst::ui::MainWindow*> windows;
    const QStringList files = parser.positionalArguments();
    if (files.isEmpty()) {
        windows.push_back(new wst::ui::MainWindow);
    }
    for (const QString& file : files) {
        auto* w = new wst::ui::MainWindow;
        w->openFile(QFileInfo(file).absoluteFilePath());
        windows.push_back(w);
    }
    for (wst::ui::MainWindow* w : windows) {
        w->setAttribute(Qt::WA_DeleteOnClose);
        w->show();
    }
    return QApplication::exec();
}
