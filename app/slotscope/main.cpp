#include "commandline.h"
#include "headlessrunner.h"
#include "mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QLibraryInfo>
#include <QLocale>
#include <QTimer>
#include <QTranslator>

using namespace Qt::StringLiterals;

int main(int argc, char **argv)
{
    // Decided before any QApplication exists: headless needs no display.
    if (SlotScope::wantsHeadless(argc, argv))
        return SlotScope::runHeadless(argc, argv);

    QApplication app(argc, argv);
    QApplication::setApplicationName(u"SlotScope"_s);
    QApplication::setOrganizationName(u"SlotScope"_s);
    QApplication::setApplicationVersion(QStringLiteral(SLOTSCOPE_VERSION));
    QApplication::setDesktopFileName(u"io.slotscope.SlotScope"_s);

    QTranslator qtTranslator;
    if (qtTranslator.load(QLocale(), u"qtbase"_s, u"_"_s, QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qtTranslator);
    QTranslator appTranslator;
    if (appTranslator.load(QLocale(), u"slotscope"_s, u"_"_s, u":/i18n"_s))
        QApplication::installTranslator(&appTranslator);

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Step, watch and capture Solana backtests."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption startDemo(u"start-demo"_s,
        QApplication::translate("main", "Start a run on the embedded demo simulator right away."));
    parser.addOption(startDemo);
    parser.process(app);

    SlotScope::MainWindow window;
    window.show();
    if (parser.isSet(startDemo))
        QTimer::singleShot(0, &window, &SlotScope::MainWindow::startDemoRun);
    return app.exec();
}
