#include "apikeystore.h"
#include "appsettings.h"
#include "commandline.h"
#include "comparecommand.h"
#include "headlessrunner.h"
#include "localization.h"
#include "mainwindow.h"
#include "quitsignals.h"
#include "rundialog.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

#include <algorithm>
#include <csignal>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

void setApplicationNames()
{
    QCoreApplication::setApplicationName(u"SlotScope"_s);
    QCoreApplication::setOrganizationName(u"SlotScope"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(SLOTSCOPE_VERSION));
}

} // namespace

int main(int argc, char **argv)
{
#if defined(Q_OS_UNIX)
    // A file-size limit (ulimit -f) then fails the write with EFBIG, which the
    // capture and CSV writers report like a full disk (exit 8), instead of
    // the kernel's SIGXFSZ ending the process without a word.
    std::signal(SIGXFSZ, SIG_IGN);
#endif
    // Decided before any QApplication exists: headless needs no display.
    if (SlotScope::wantsHeadless(argc, argv))
        return SlotScope::runHeadless(argc, argv);
    if (SlotScope::wantsCompare(argc, argv))
        return SlotScope::runCompare(argc, argv);

    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));

    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate("main", "Step, watch and capture Solana backtests.\n"
                                                                         "Without a window: slotscope --headless --help"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption startDemo(u"start-demo"_s,
        QCoreApplication::translate("main", "Start a run on the embedded demo simulator right away."));
    parser.addOption(startDemo);
    parser.addPositionalArgument(u"FILE"_s,
        QCoreApplication::translate("main", "Captures to open (NAME.ndjson, or a sim run output)."), u"[FILE…]"_s);

    // The headless run options without --headless (`slotscope --url URL
    // --start-slot N --end-slot M …`) open the window on that run, driven
    // as the headless run would be (to the end, or pausing at every
    // discovered batch); the user can take over at any time.
    const bool runOptions = SlotScope::givesOption(arguments, u"url") || SlotScope::givesOption(arguments, u"demo");

    // --help, --version, a wrong option and wrong run options are answered
    // before a QApplication exists: they need no display (with none,
    // QApplication aborts).
    const auto any = [&arguments](std::initializer_list<QString> names) {
        return std::any_of(names.begin(), names.end(), [&](const QString &name) { return arguments.contains(name); });
    };
    const bool help = SlotScope::wantsHelp(arguments);
    const bool version = any({u"--version"_s, u"-v"_s});
    if (help || version || (!runOptions && !parser.parse(arguments))) {
        QCoreApplication app(argc, argv);
        setApplicationNames();
        if (help)
            parser.showHelp();
        if (version)
            parser.showVersion();
        // A usage error: exit 2 and one line, as the headless run and compare say it.
        std::fputs(QCoreApplication::translate("main", "slotscope: error: %1\n").arg(parser.errorText()).toUtf8().constData(),
                   stderr);
        return 2;
    }
    std::optional<SlotScope::RunConfig> runConfig;
    if (runOptions) {
        const auto options = SlotScope::parseHeadlessArguments(arguments, QProcessEnvironment::systemEnvironment());
        QString problem = options ? QString() : options.error().message;
        if (options && !options->csvPath.isEmpty())
            problem = QCoreApplication::translate("main", "--csv applies to --headless runs; export from the window");
        if (!problem.isEmpty()) {
            std::fputs(QCoreApplication::translate("main", "slotscope: error: %1\n").arg(problem).toUtf8().constData(), stderr);
            return 2;
        }
        runConfig = options->config;
        runConfig->unattended = false; // a person watches: a refused step hands control back
    }

#ifdef Q_OS_LINUX
    // With no display QApplication aborts ("could not connect to display"):
    // say so, and what runs without one.
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")
        && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && !arguments.contains(u"-platform"_s)) {
        std::fputs(QCoreApplication::translate("main", "slotscope: error: no display to open the window on (neither "
                                                       "DISPLAY nor WAYLAND_DISPLAY is set); to run without a "
                                                       "window, add --headless (slotscope --headless --help)\n")
                       .toUtf8()
                       .constData(),
                   stderr);
        return 2;
    }
#endif
    QApplication app(argc, argv);
    setApplicationNames();
    QApplication::setDesktopFileName(u"io.slotscope.SlotScope"_s);

    // The system locale, or the language chosen in Preferences.
    SlotScope::installTranslations(SlotScope::AppSettings().preferences().language);
    // What an older version kept in plain text; the keyring entries of the
    // targets dropped go too (nothing would list them to forget them).
    for (const QString &target : SlotScope::AppSettings().dropStoredCredentials())
        SlotScope::ApiKeyStore::remove(target, &app, [](const SlotScope::KeyringResult &) {});

    if (runConfig && runConfig->capturePath.isEmpty())
        runConfig->capturePath = SlotScope::defaultCapturePath(); // needs the application's names
    if (!runConfig)
        parser.process(app);

    SlotScope::MainWindow window;
    window.show();
    // SIGTERM / SIGINT / SIGHUP close the window like its close button: the
    // run's sessions are closed gracefully before the process ends.
    SlotScope::installQuitSignals(&window, [&window](int) { window.close(); });
    if (!runConfig) {
        for (const QString &file : parser.positionalArguments())
            window.openCapture(file);
    }
    if (runConfig)
        QTimer::singleShot(0, &window, [&window, config = *runConfig] { window.startRun(config); });
    else if (parser.isSet(startDemo))
        QTimer::singleShot(0, &window, &SlotScope::MainWindow::startDemoRun);
    return app.exec();
}
