#include "headlessrunner.h"

#include "appinfo.h"
#include "capture/capturewriter.h"
#include "capture/csvexporter.h"
#include "capture/outputfile.h"
#include "demoserver.h"
#include "engine/enginehost.h"
#include "model/sessionmodel.h"
#include "protocol/dataplane.h"
#include "protocol/urls.h"
#include "quitsignals.h"
#include "refserver/refserverconfig.h"

#include "workbench/backgroundwork.h"

#include <QCoreApplication>
#include <QDir>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>
#include <QLoggingCategory>
#include <QTimer>

#include <climits>
#include <csignal>
#include <cstdio>
#include <cstdlib>

using namespace Qt::StringLiterals;

namespace SlotScope {

namespace {

void printLine(const QString &line)
{
    const QByteArray utf8 = line.toUtf8();
    std::fwrite(utf8.constData(), 1, size_t(utf8.size()), stderr);
    std::fputc('\n', stderr);
    std::fflush(stderr);
}

/// backtest_0199d2c4-5b7e-… → …1c00, enough to tell sub-sessions apart.
QString shortId(const QString &sessionId)
{
    return sessionId.size() > 12 ? u"…"_s + sessionId.right(8) : sessionId;
}

HeadlessExit exitFor(RunOutcome::Category category)
{
    switch (category) {
    case RunOutcome::Category::None: return HeadlessExit::Success;
    case RunOutcome::Category::Usage: return HeadlessExit::Usage;
    case RunOutcome::Category::Auth: return HeadlessExit::Auth;
    case RunOutcome::Category::Range: return HeadlessExit::Rejected;
    case RunOutcome::Category::Unreachable:
    case RunOutcome::Category::Connection: return HeadlessExit::Unreachable;
    case RunOutcome::Category::Stalled: return HeadlessExit::Stalled;
    case RunOutcome::Category::Server: return HeadlessExit::Failed;
    case RunOutcome::Category::Capture: return HeadlessExit::Capture;
    case RunOutcome::Category::Driving: return HeadlessExit::DrivingStopped;
    }
    return HeadlessExit::Failed;
}

} // namespace

HeadlessExit exitForSignal(int signal)
{
    switch (signal) {
    case SIGHUP: return HeadlessExit::Hangup;
    case SIGTERM: return HeadlessExit::Terminated;
    default: return HeadlessExit::Interrupted;
    }
}

HeadlessRunner::HeadlessRunner(HeadlessOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{
}

HeadlessRunner::~HeadlessRunner() = default;

void HeadlessRunner::start()
{
    RunConfig &config = m_options.config;
    // A capture or a CSV that cannot be created is said now: before the demo
    // starts or a session is asked for, and not after the whole backtest.
    if (!config.capturePath.isEmpty()) {
        if (const Result<void> creatable = OutputFile::checkCanCreate(config.capturePath); !creatable)
            return fail(HeadlessExit::Capture, tr("cannot write the capture: %1").arg(creatable.error().message));
        // Nowhere of the user's beside /dev/stdout to put NAME.events.ndjson.
        if (CaptureWriter::eventsFileWritten(config.capturePath).isEmpty())
            printLine(tr("capture: %1 is a device or a standard stream: no events file is written (connections, pauses, errors)")
                          .arg(config.capturePath));
    }
    if (!m_options.csvPath.isEmpty()) {
        if (const Result<void> creatable = OutputFile::checkCanCreate(m_options.csvPath); !creatable)
            return fail(HeadlessExit::Capture, tr("cannot write the CSV: %1").arg(creatable.error().message));
    }
    QString controlUrl;
    if (config.target == RunConfig::Target::Demo) {
        m_demo = std::make_unique<DemoServer>();
        RefServerConfig serverConfig;
        serverConfig.txDir = config.demoTxDir;
        const Result<QString> url = m_demo->start(serverConfig);
        if (!url)
            return fail(HeadlessExit::Usage, tr("demo simulator: %1").arg(url.error().message));
        controlUrl = *url;
        config.apiKey = m_demo->apiKey();
        printLine(tr("demo simulator on %1 (%2)")
                      .arg(controlUrl,
                           config.demoTxDir.isEmpty() ? tr("synthetic transactions")
                                                      : tr("transactions from %1").arg(config.demoTxDir)));
    } else {
        controlUrl = backtestWsUrl(config.url);
    }

    if (m_options.temporaryCapture && m_options.csvPath.isEmpty()) {
        // Legal (a smoke test of a server, an exit code for a script), but
        // most likely a forgotten option: said before the run, not after.
        printLine(tr("no --capture or --csv: nothing of this run is kept (its progress and exit code only)"));
    }
    if (m_options.temporaryCapture) {
        m_tempDir = std::make_unique<QTemporaryDir>();
        if (!m_tempDir->isValid())
            return fail(HeadlessExit::Capture, tr("cannot create a temporary directory for the capture"));
        config.capturePath = m_tempDir->filePath(u"capture.ndjson"_s);
    }

    m_engine = std::make_unique<EngineHost>();
    connect(m_engine.get(), &EngineHost::modelUpdated, this, &HeadlessRunner::onModelUpdate);
    connect(m_engine.get(), &EngineHost::runFinished, this, &HeadlessRunner::onRunFinished);
    m_sinceProgress.start();
    m_engine->start(config, controlUrl);
}

QString HeadlessRunner::signalWord(int signal)
{
    return signal == SIGHUP ? tr("hangup") : signal == SIGTERM ? tr("terminated") : tr("interrupted");
}

void HeadlessRunner::interrupt(int signal)
{
    if (m_finished)
        return;
    if (m_exporting) {
        // The run is over and its capture closed; its CSV is being written:
        // stop that (the exporter leaves no file) and exit 128 + the signal.
        // An export into a named pipe or a device that cannot stop (blocked
        // opening or writing a pipe nobody reads) is left behind after a
        // moment, or at once on a second signal; one into a file always
        // stops at its next line (or after its last write's flush).
        const bool stream = outputTargetAt(m_options.csvPath) == OutputTarget::Stream;
        const auto leave = [this] {
            printLine(tr("csv: %1 not written: the export does not stop (a pipe nobody reads?)").arg(m_options.csvPath));
            if (m_tempDir)
                m_tempDir->remove(); // the temporary capture the CSV was read from
            std::fflush(stderr);
            std::_Exit(int(exitForSignal(m_interruptSignal)));
        };
        if (m_interruptSignal) {
            if (stream)
                leave();
            return;
        }
        m_interruptSignal = signal;
        m_cancelExport->store(true);
        printLine(tr("%1: stopping the CSV export").arg(signalWord(signal)));
        if (stream) {
            QTimer::singleShot(3000, this, [this, leave] {
                if (m_exporting)
                    leave();
            });
        }
        return;
    }
    if (m_interruptSignal)
        return;
    m_interruptSignal = signal;
    printLine(tr("%1: stopping the session").arg(signalWord(signal)));
    if (m_engine)
        m_engine->stop();
    else
        finish(exitForSignal(signal));
}

void HeadlessRunner::onModelUpdate(const ModelUpdate &update)
{
    // Discoveries first: in a fast run the batch that announced them may also
    // carry the state change that completes the session.
    for (const DiscoveryUpdate &discovery : update.discoveries) {
        printLine(tr("discovered batch %1/%2 (%3)")
                      .arg(discovery.event.slot)
                      .arg(discovery.event.batchIndex)
                      .arg(discovery.event.matched.isEmpty() ? QString() : discovery.event.matched.first().describe()));
        for (const BreakpointHit &hit : discovery.breakpointHits) {
            printLine(tr("breakpoint %1 hit %2 at batch %3/%4: %5")
                          .arg(hit.program)
                          .arg(hit.hit)
                          .arg(discovery.event.slot)
                          .arg(discovery.event.batchIndex)
                          .arg(hit.action == BreakpointAction::Pause ? tr("pause")
                               : hit.action == BreakpointAction::Log ? tr("log only")
                                                                     : tr("skipped")));
        }
    }
    bool waitChanged = false;
    for (const SessionUpdate &session : update.sessions) {
        // A single run is keyed by run (its row exists before the session id is
        // known); a parallel batch by sub-session, its run row carrying only
        // the shared control socket.
        const bool batchRow = m_options.config.parallel && session.sessionId.isEmpty();
        const QString key = m_options.config.parallel && !batchRow ? session.sessionId : session.runId;
        const QString prefix = m_options.config.parallel && !batchRow ? shortId(session.sessionId) + u' ' : QString();
        SessionUpdate &known = m_sessions[key];
        known.runId = session.runId;
        if (!session.sessionId.isEmpty())
            known.sessionId = session.sessionId;
        if (batchRow)
            m_batchKeys.insert(key);
        if (session.startSlot) known.startSlot = session.startSlot;
        if (session.endSlot) known.endSlot = session.endSlot;
        if (session.currentSlot) known.currentSlot = session.currentSlot;
        if (session.control) {
            const bool firstDown = !known.control && session.control->status == ConnectionStatus::Down
                                   && session.control->reason.isEmpty();
            if (!firstDown && (!known.control || known.control->status != session.control->status
                               || known.control->attempt != session.control->attempt))
                printLink(prefix + tr("control"), *session.control);
            known.control = session.control;
        }
        if (session.subscriptions) {
            for (qsizetype i = 0; i < session.subscriptions->size(); ++i) {
                const LinkState &link = session.subscriptions->at(i);
                const bool seen = known.subscriptions && known.subscriptions->size() > i;
                const bool changed = seen ? known.subscriptions->at(i).status != link.status
                                                || known.subscriptions->at(i).attempt != link.attempt
                                          : !(link.status == ConnectionStatus::Down && link.reason.isEmpty());
                if (changed)
                    printLink(prefix + (session.subscriptions->size() == 1 ? tr("data") : tr("data %1").arg(i + 1)), link);
            }
            known.subscriptions = session.subscriptions;
        }
        if (session.transactionsCaptured) known.transactionsCaptured = session.transactionsCaptured;
        if (session.simulationErrors) known.simulationErrors = session.simulationErrors;
        if (session.framesDropped) known.framesDropped = session.framesDropped;
        if (session.stateDetail) {
            // A new kind of wait ("starting runtime, …", "waiting for
            // readyForContinue") is shown at once; only its clock is throttled.
            const auto kind = [](const std::optional<QString> &detail) {
                return detail.value_or(QString()).section(u',', 0, 0);
            };
            waitChanged = waitChanged || kind(known.stateDetail) != kind(session.stateDetail);
            known.stateDetail = session.stateDetail;
        }
        if (session.name) known.name = session.name;
        if (session.lastError) known.lastError = session.lastError;
        if (session.state) {
            known.state = session.state;
            if (!m_printedStates.contains(key) || m_printedStates.value(key) != *session.state) {
                m_printedStates.insert(key, *session.state);
                printProgress(true);
            }
        }
    }
    printProgress(waitChanged);
}

void HeadlessRunner::printLink(const QString &socket, const LinkState &link)
{
    // One line per connection state change (issue: "Headless prints one line
    // per state change to stderr").
    QString line = tr("%1 %2").arg(socket, describeLink(link));
    if (link.status != ConnectionStatus::Up && !link.reason.isEmpty() && link.status != ConnectionStatus::Failed)
        line += u": "_s + link.reason;
    printLine(line);
}

void HeadlessRunner::printProgress(bool force)
{
    if (!force && m_sinceProgress.elapsed() < 2000)
        return;
    m_sinceProgress.restart();
    for (auto it = m_sessions.cbegin(); it != m_sessions.cend(); ++it) {
        // The batch row: its sub-sessions have their own lines, but until they
        // exist it tells what the batch waits for ("starting runtime, 20 s").
        if (m_batchKeys.contains(it.key()) && it->stateDetail.value_or(QString()).isEmpty())
            continue;
        const SessionUpdate &s = it.value();
        const quint64 start = s.startSlot.value_or(0);
        const quint64 end = s.endSlot.value_or(start);
        const quint64 current = s.currentSlot.value_or(start);
        const int percent = int(100.0 * SessionModel::progress(start, end, current)); // as the window's bar
        QString state = s.state ? sessionStateName(*s.state) : tr("creating");
        if (!s.stateDetail.value_or(QString()).isEmpty())
            state += u" ("_s + *s.stateDetail + u')';
        QString line = u"%1%2 %3  slot %4 (%5..%6, %7%)  %8 tx"_s
                           .arg(s.sessionId.isEmpty() ? tr("(creating)") : s.sessionId,
                                s.name && !s.name->isEmpty() ? u" \""_s + *s.name + u'"' : QString(), state)
                           .arg(current).arg(start).arg(end).arg(percent)
                           .arg(s.transactionsCaptured.value_or(0));
        if (s.simulationErrors.value_or(0) > 0)
            line += tr("  %n simulation error(s)", nullptr, int(qMin<quint64>(*s.simulationErrors, INT_MAX)));
        if (s.framesDropped.value_or(0) > 0)
            line += tr("  dropped frames: %1").arg(*s.framesDropped);
        // A batch's sub-sessions share the control socket: it has its own lines.
        if (!m_options.config.parallel)
            line += u"  control %1"_s.arg(s.control ? describeLink(*s.control) : tr("Down"));
        if (s.subscriptions && !s.subscriptions->isEmpty())
            line += u"  data %1"_s.arg(describeLink(s.subscriptions->constFirst()));
        if (line == m_lastProgressLine.value(it.key()))
            continue;
        // While the server waits for capacity the elapsed time changes every
        // second: one line per ~10 s (the server's own status cadence) is enough.
        const bool onlyTheWaitMoved = s.stateDetail && s.stateDetail->startsWith(tr("starting runtime"))
                                      && m_lastProgressLine.value(it.key()).section(u"  "_s, 1)
                                             == line.section(u"  "_s, 1)
                                      && m_waitPrinted.contains(it.key())
                                      && m_waitPrinted.value(it.key()).elapsed() < 10'000;
        if (onlyTheWaitMoved && !force)
            continue;
        m_lastProgressLine.insert(it.key(), line);
        m_waitPrinted[it.key()].start();
        printLine(line);
    }
}

void HeadlessRunner::onRunFinished(const RunOutcome &outcome)
{
    printProgress(true);
    // The CSV is made from a completed run's capture only: said, not left out.
    const auto noteCsvNotWritten = [this, &outcome] {
        if (m_options.csvPath.isEmpty())
            return;
        if (m_options.temporaryCapture) {
            printLine(tr("csv: %1 not written (the run did not complete)").arg(m_options.csvPath));
            return;
        }
        printLine(tr("csv: %1 not written (the run did not complete); the capture %2 has what arrived")
                      .arg(m_options.csvPath, outcome.capturePath));
    };
    if (m_interruptSignal) {
        if (outcome.serverNotTold)
            printLine(outcome.message); // the session lingers on the server: said, as the window says it
        noteCsvNotWritten();
        return finish(exitForSignal(m_interruptSignal));
    }
    if (!outcome.succeeded()) {
        noteCsvNotWritten();
        const HeadlessExit code = outcome.kind == RunOutcome::Kind::Completed ? HeadlessExit::Capture
                                                                             : exitFor(outcome.category);
        return fail(code == HeadlessExit::Success ? HeadlessExit::Failed : code, outcome.message);
    }

    if (!m_options.temporaryCapture)
        printLine(tr("capture: %1 (%2 transactions)").arg(outcome.capturePath).arg(outcome.transactions));

    if (!m_options.csvPath.isEmpty())
        return exportCsv(outcome);
    checkCompleteness(outcome);
}

void HeadlessRunner::exportCsv(const RunOutcome &outcome)
{
    ExportRequest request;
    request.capturePath = outcome.capturePath;
    request.csvPath = m_options.csvPath;
    switch (m_options.csvKind) {
    case HeadlessOptions::CsvKind::Transactions: request.kind = ExportRequest::Kind::Transactions; break;
    case HeadlessOptions::CsvKind::AccountDiffs: request.kind = ExportRequest::Kind::AccountDiffs; break;
    case HeadlessOptions::CsvKind::Events: request.kind = ExportRequest::Kind::Events; break;
    }
    m_exporting = true;
    auto *watcher = new QFutureWatcher<Result<ExportStats>>(this);
    connect(watcher, &QFutureWatcher<Result<ExportStats>>::finished, this, [this, watcher, outcome] {
        watcher->deleteLater();
        m_exporting = false;
        const Result<ExportStats> exported = watcher->result();
        if (m_interruptSignal && !exported) {
            printLine(m_options.temporaryCapture
                          ? tr("csv: %1 not written (stopped)").arg(m_options.csvPath)
                          : tr("csv: %1 not written (stopped); the capture %2 is complete")
                                .arg(m_options.csvPath, outcome.capturePath));
            return finish(exitForSignal(m_interruptSignal));
        }
        if (!exported)
            return fail(HeadlessExit::Capture, tr("CSV export failed: %1").arg(exported.error().message));
        // Lines of the capture that could not be read are missing from the
        // CSV: never a silent success.
        if (exported->incomplete())
            return fail(HeadlessExit::Capture, tr("CSV incomplete: %1: %2").arg(m_options.csvPath, exported->summary()));
        printLine(tr("csv: %1 (%2)").arg(m_options.csvPath, exported->summary()));
        checkCompleteness(outcome);
    });
    watcher->setFuture(QtConcurrent::run(backgroundThreadPool(), [request, cancel = m_cancelExport] {
        return CsvExporter::exportCsv(request, {}, cancel.get());
    }));
}

void HeadlessRunner::checkCompleteness(const RunOutcome &outcome)
{
    // Every session completed, but what was dropped is not in the capture.
    if (outcome.framesDropped > 0)
        return fail(HeadlessExit::FramesDropped,
                    tr("frames that could not be read were dropped: %1 (frame_dropped in the events file); "
                       "the capture is incomplete").arg(outcome.framesDropped));
    if (outcome.replayGaps > 0)
        return fail(HeadlessExit::ReplayGap,
                    tr("a subscription resumed after slots had left the server's %1-slot replay window "
                       "%n time(s), %2 slot(s) in all (replay_gap in the events file); the capture is incomplete",
                       nullptr, int(qMin<quint64>(outcome.replayGaps, INT_MAX)))
                        .arg(kServerReplaySlots)
                        .arg(outcome.missedSlots));
    finish(HeadlessExit::Success);
}

void HeadlessRunner::fail(HeadlessExit code, const QString &message)
{
    printLine(tr("slotscope: error: %1").arg(message));
    finish(code);
}

void HeadlessRunner::finish(HeadlessExit code)
{
    if (m_finished)
        return;
    m_finished = true;
    m_exitCode = int(code);
    // Leave the event loop after the engine had a moment to send its close frames.
    QTimer::singleShot(0, qApp, [code] { QCoreApplication::exit(int(code)); });
}

int runHeadless(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"slotscope"_s);
    const QStringList arguments = QCoreApplication::arguments();
    if (wantsHelp(arguments)) {
        std::fputs(headlessUsage().toUtf8().constData(), stdout);
        return 0;
    }
    if (givesOption(arguments, u"version")) { // as `slotscope --version` answers
        std::fputs(u"SlotScope %1\n"_s.arg(AppInfo::version()).toUtf8().constData(), stdout);
        return 0;
    }
    const Result<HeadlessOptions> options = parseHeadlessArguments(arguments, QProcessEnvironment::systemEnvironment());
    if (!options) {
        printLine(QCoreApplication::translate("HeadlessRunner", "slotscope: error: %1").arg(options.error().message));
        return int(HeadlessExit::Usage);
    }

    // stderr carries progress and, on failure, one clear line; the libraries'
    // log joins it only with --verbose (or explicit QT_LOGGING_RULES).
    if (!options->verbose && qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        QLoggingCategory::setFilterRules(u"slotscope.*=false"_s);

    HeadlessRunner runner(*options);
    // SIGHUP (the terminal closed) and SIGTERM stop the run like Ctrl+C: the
    // session is closed on the server instead of being left to its
    // disconnect timeout.
    installQuitSignals(&runner, [&runner](int signal) { runner.interrupt(signal); });
    QTimer::singleShot(0, &runner, &HeadlessRunner::start);
    const int code = app.exec();
    return code;
}

} // namespace SlotScope
