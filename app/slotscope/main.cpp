#include "commandline.h"
#include "headlessrunner.h"
#include "mainwindow.h"
#include "quitsignals.h"
#include "rundialog.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QLibraryInfo>
#include <QLocale>
#include <QTimer>
#include <QTranslator>

#include <cstdio>

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

    // The headless run options without --headless (`slotscope --url URL
    // --start-slot N --end-slot M …`) open the window on that run, driven
    // as the headless run would be (to the end, or pausing at every
    // discovered batch); the user can take over at any time.
    const QStringList arguments = QApplication::arguments();
    std::optional<SlotScope::RunConfig> runConfig;
    if (arguments.contains(u"--url"_s) || arguments.contains(u"--demo"_s)) {
        const auto options = SlotScope::parseHeadlessArguments(arguments, QProcessEnvironment::systemEnvironment());
        QString problem = options ? QString() : options.error().message;
        if (options && !options->csvPath.isEmpty())
            problem = QApplication::translate("main", "--csv applies to --headless runs; export from the window");
        if (!problem.isEmpty()) {
            std::fputs(QApplication::translate("main", "slotscope: error: %1\n").arg(problem).toUtf8().constData(), stderr);
            return 2;
        }
        runConfig = options->config;
        runConfig->unattended = false; // a person watches: a refused step hands control back
        if (options->temporaryCapture)
            runConfig->capturePath = SlotScope::defaultCapturePath();
    }

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Step, watch and capture Solana backtests."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption startDemo(u"start-demo"_s,
        QApplication::translate("main", "Start a run on the embedded demo simulator right away."));
    parser.addOption(startDemo);
    if (!runConfig)
        parser.process(app);

    SlotScope::MainWindow window;
    window.show();
    // SIGTERM / SIGINT close the window like its close button: the run's
    // sessions are closed gracefully before the process ends.
    SlotScope::installQuitSignals(&window, [&window] { window.close(); });
    if (runConfig)
        QTimer::singleShot(0, &window, [&window, config = *runConfig] { window.startRun(config); });
    else if (parser.isSet(startDemo))
        QTimer::singleShot(0, &window, &SlotScope::MainWindow::startDemoRun);
    return app.exec();
}
