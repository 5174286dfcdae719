// The control plane riding through every reference-server control fault
// (issue "Control plane that survives drops"): a SessionEngine run over the 31
// real fixtures (slots 1000..1199, discovery on Jupiter v6, pause at each
// discovery, otherwise Continue 7 slots) against lib/refserver with one fault
// per row must capture exactly what the fault-free run captures — the same
// transactions, `slot` events and `paused` events, nothing missing, nothing
// twice — and every attachBacktestSession must carry the highest seqId the
// client had received before that drop. Plus: budget exhaustion (the status
// sequence in full), and the real `slotscope --headless` binary against a
// `slotscope-refserver --abort-every N` process.

#include "capture/capturereader.h"
#include "capture/capturewriter.h"
#include "engine/sessionengine.h"
#include "net/controlmanager.h"
#include "protocol/connectionstatus.h"
#include "protocol/controlmessages.h"
#include "refserver/refserver.h"
#include "session/managedsession.h"
#include "support/fixtures.h"
#include "support/policies.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace SlotScope;
using namespace SlotScope::Testing;
using namespace Qt::StringLiterals;
using std::chrono::milliseconds;

Q_DECLARE_METATYPE(SlotScope::ControlFaults)

namespace {

const QString kApiKey = u"faults-key"_s;
const QString kJupiter = u"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"_s;
constexpr quint64 kStart = 1000;
constexpr quint64 kEnd = 1199;
constexpr quint64 kAdvanceCount = 7;
constexpr int kRunTimeoutMs = 45'000;
constexpr milliseconds kKeepaliveInterval{100};
constexpr milliseconds kKeepaliveDeadline{600};

/// The seed's rules with millisecond timings (jitter included); a budget big
/// enough for the fault rows (the budget itself is tested separately).
ConnectionPolicy runPolicy()
{
    ConnectionPolicy policy = refServerPolicy();
    policy.keepaliveInterval = kKeepaliveInterval;
    policy.keepaliveMissDeadline = kKeepaliveDeadline;
    policy.jitter = ConnectionPolicy{}.jitter;
    policy.maxAttempts = 100;
    policy.maxTotal = milliseconds{30'000};
    // The product's wait for a replay after the handshake: a server on a
    // loaded CI machine (two tests on two cores) can take longer than
    // fastPolicy()'s 200 ms to send the first frame of a step it acted on,
    // and a step sent again then is refused as premature.
    policy.reattachReplayGrace = ConnectionPolicy{}.reattachReplayGrace;
    // And how long a refusal of such a copy waits for the step's frames.
    policy.duplicateRefusalHold = ConnectionPolicy{}.duplicateRefusalHold;
    return policy;
}

QString position(quint64 slot, std::optional<quint32> batchIndex)
{
    return batchIndex ? u"%1/%2"_s.arg(slot).arg(*batchIndex) : u"%1/-"_s.arg(slot);
}

/// "continue 7", "continueTo 1038/0": one entry per step request, in order.
QString describeStep(const ControlRequest &request)
{
    if (const auto *c = std::get_if<Requests::Continue>(&request))
        return u"continue %1"_s.arg(c->params.advanceCount);
    if (const auto *to = std::get_if<Requests::ContinueTo>(&request))
        return u"continueTo "_s + position(to->params.slot, to->params.batchIndex);
    return {};
}

QString lastSequenceText(std::optional<quint64> lastSequence)
{
    return lastSequence ? QString::number(*lastSequence) : u"none"_s;
}

/// What one run left behind: the capture, the events, the server's transcript
/// and what the client saw of its control connection.
struct Run
{
    bool finished = false;
    RunOutcome outcome;
    QStringList signatures;               ///< capture order
    QList<quint64> slotEvents;            ///< `slot` events
    QStringList pausedEvents;             ///< `paused` events, "slot/batch"
    int stepsIssuedWhileDown = 0;         ///< continue(_to)_sent while the control link was not Up

    QStringList transcriptSteps;          ///< continue / continueTo the server received
    QStringList transcriptAttaches;       ///< last_sequence of every attachBacktestSession received
    QStringList clientAttaches;           ///< highest seqId received when each attach was sent

    QList<ConnectionStatus> controlStatuses;
    QStringList controlReasons;
    QList<qint64> lossAfterLastFrameMs;   ///< per lost Up → Down: time since the last frame received
    int resent = 0;                       ///< step requests sent again after a re-attach
    int malformedSkipped = 0;
};

QStringList statusNames(const QList<ConnectionStatus> &statuses)
{
    QStringList names;
    for (ConnectionStatus status : statuses)
        names.append(connectionStatusName(status));
    return names;
}

/// Runs the engine once against a fresh in-process server with `faults`.
Run runEngine(const ControlFaults &faults, const ConnectionPolicy &policy, const QString &capturePath)
{
    Run run;
    RefServerConfig serverConfig{.apiKey = kApiKey, .txDir = fixturesDir(), .controlFaults = faults};
    RefServer server(serverConfig);
    if (const Result<void> listening = server.listen(); !listening) {
        run.outcome.message = listening.error().message;
        return run;
    }

    RunConfig config;
    config.target = RunConfig::Target::Url;
    config.url = server.controlUrl().toString();
    config.apiKey = kApiKey;
    config.startSlot = kStart;
    config.endSlot = kEnd;
    config.discoverPrograms = {kJupiter};
    config.pauseAtDiscoveries = true;
    config.advanceCount = kAdvanceCount;
    config.drive = RunConfig::Drive::PauseAtDiscoveries;
    config.capturePath = capturePath;

    SessionEngine engine;
    engine.setConnectionPolicy(policy);
    // The context of every recording connection: the engine cuts its own
    // connections to the session when the run ends, these outlive that (the
    // closing statuses), and go before the locals they capture.
    QObject recorder;
    bool sessionClosed = false;
    QObject::connect(&engine, &SessionEngine::runFinished, &recorder, [&run](const RunOutcome &outcome) {
        run.finished = true;
        run.outcome = outcome;
    });
    QObject::connect(&engine, &SessionEngine::sessionClosed, &recorder, [&sessionClosed] { sessionClosed = true; });
    engine.start(config, server.controlUrl().toString());

    // The client's side of each drop, recorded as it happens (direct calls).
    auto *session = engine.findChild<ManagedSession *>();
    if (!session) {
        run.outcome.message = u"no ManagedSession under the engine"_s;
        return run;
    }
    QElapsedTimer clock;
    clock.start();
    std::optional<quint64> highestReceived;
    qint64 lastFrameAt = 0;
    QObject::connect(session, &ManagedSession::frameLogged, &recorder, [&](const FrameLogEntry &entry) {
        if (entry.direction == FrameDirection::Received) {
            lastFrameAt = clock.elapsed();
            if (entry.malformed)
                ++run.malformedSkipped;
            if (entry.seqId && !entry.droppedAsDuplicate)
                highestReceived = std::max(highestReceived.value_or(0), *entry.seqId);
            return;
        }
        if (entry.method == u"attachBacktestSession"_s)
            run.clientAttaches.append(lastSequenceText(highestReceived));
        if (entry.summary.startsWith(u"again: "_s))
            ++run.resent;
    }, Qt::DirectConnection);
    QObject::connect(session, &ManagedSession::connectionStatusChanged, &recorder,
                     [&](const QString &socket, ConnectionStatus status, const QString &reason, int) {
                         if (socket != u"control"_s)
                             return;
                         if (status == ConnectionStatus::Down && reason != u"stopped"_s
                             && !run.controlStatuses.isEmpty() && run.controlStatuses.last() == ConnectionStatus::Up)
                             run.lossAfterLastFrameMs.append(clock.elapsed() - lastFrameAt);
                         run.controlStatuses.append(status);
                         run.controlReasons.append(reason);
                     }, Qt::DirectConnection);

    (void)QTest::qWaitFor([&run] { return run.finished; }, kRunTimeoutMs);
    if (!run.finished)
        engine.stop();
    // The graceful close (closeBacktestSession + close frame) ends the session.
    (void)QTest::qWaitFor([&sessionClosed] { return sessionClosed; }, 5000);

    for (const TranscriptEntry &entry : server.transcript()) {
        if (entry.kind != TranscriptEntry::Kind::Control)
            continue;
        const Result<ControlRequest> request = decodeControlRequest(entry.text.toUtf8());
        if (!request)
            continue;
        if (const auto *attach = std::get_if<Requests::AttachBacktestSession>(&*request))
            run.transcriptAttaches.append(lastSequenceText(attach->lastSequence));
        else if (const QString step = describeStep(*request); !step.isEmpty())
            run.transcriptSteps.append(step);
    }

    if (const Result<QList<CapturedTransaction>> transactions = CaptureReader::readAllTransactions(capturePath)) {
        for (const CapturedTransaction &tx : *transactions)
            run.signatures.append(tx.signature);
    }
    if (const Result<QList<CaptureEvent>> events = CaptureEventReader::readAll(CaptureWriter::eventsPathFor(capturePath))) {
        bool controlUp = false;
        for (const CaptureEvent &event : *events) {
            if (event.type == u"connection"_s && event.data.value(u"socket"_s).toString() == u"control"_s) {
                controlUp = event.data.value(u"status"_s).toString() == connectionStatusName(ConnectionStatus::Up);
            } else if (event.type == u"continue_sent"_s || event.type == u"continue_to_sent"_s) {
                if (!controlUp)
                    ++run.stepsIssuedWhileDown;
            } else if (event.type == u"slot"_s) {
                run.slotEvents.append(quint64(event.data.value(u"slot"_s).toInteger()));
            } else if (event.type == u"paused"_s) {
                const QJsonValue batch = event.data.value(u"batchIndex"_s);
                run.pausedEvents.append(position(quint64(event.data.value(u"slot"_s).toInteger()),
                                                 batch.isDouble() ? std::optional<quint32>(quint32(batch.toInteger()))
                                                                  : std::nullopt));
            }
        }
    }
    return run;
}

} // namespace

class tst_ControlFaults : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void faultRunCapturesWhatTheFaultFreeRunCaptures_data();
    void faultRunCapturesWhatTheFaultFreeRunCaptures();
    void exhaustedBudgetEndsFailed();
    void headlessBinaryAgainstAnAbortingServer();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    Run m_baseline;
};

void tst_ControlFaults::initTestCase()
{
    qRegisterMetaType<RunOutcome>();
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    m_baseline = runEngine({}, runPolicy(), dir.filePath(u"baseline.ndjson"_s));
    QVERIFY2(m_baseline.finished, qPrintable(m_baseline.outcome.message));
    QVERIFY2(m_baseline.outcome.succeeded(), qPrintable(m_baseline.outcome.message));
    // The fixtures README: 31 transactions, 11 of them Jupiter v6 swaps.
    QCOMPARE(m_baseline.signatures.size(), 31);
    QCOMPARE(QSet<QString>(m_baseline.signatures.cbegin(), m_baseline.signatures.cend()).size(), 31);
    QCOMPARE(m_baseline.pausedEvents.size(), 11);
    QCOMPARE(m_baseline.slotEvents.first(), kStart);
    QCOMPARE(m_baseline.slotEvents.last(), kEnd);
    QCOMPARE(m_baseline.slotEvents.size(), int(kEnd - kStart + 2)); // startSlot, then every slot once
    QVERIFY(m_baseline.transcriptSteps.contains(u"continue 7"_s));
    QCOMPARE(m_baseline.transcriptAttaches, QStringList());
    QCOMPARE(statusNames(m_baseline.controlStatuses).first(), u"Up"_s);
    QCOMPARE(m_baseline.resent, 0);
}

void tst_ControlFaults::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void tst_ControlFaults::cleanup()
{
    m_dir.reset();
}

void tst_ControlFaults::faultRunCapturesWhatTheFaultFreeRunCaptures_data()
{
    QTest::addColumn<ControlFaults>("faults");
    QTest::addColumn<int>("attaches");          // attachBacktestSession count; negative = at least -n
    QTest::addColumn<int>("lostStep");          // 1-based step request the server lost (0 = none)
    QTest::addColumn<int>("stepsWhileDown");    // -1 = not checked
    QTest::addColumn<bool>("silent");

    const auto faults = [](auto apply) {
        ControlFaults f;
        apply(f);
        return f;
    };
    QTest::addRow("abort every 5 frames, 6 times")
        << faults([](ControlFaults &f) { f.abortEveryFrames = 5; f.maxAborts = 6; }) << 6 << 0 << -1 << false;
    QTest::addRow("abort every 13 frames (mid-step)")
        << faults([](ControlFaults &f) { f.abortEveryFrames = 13; f.maxAborts = 12; }) << 12 << 0 << -1 << false;
    QTest::addRow("abort every 40 frames, no limit")
        << faults([](ControlFaults &f) { f.abortEveryFrames = 40; }) << -10 << 0 << -1 << false;
    // Two 503s before the session exists: within the first-connect budget
    // (ConnectionPolicy::firstConnectAttempts, 3); a third would end the run.
    QTest::addRow("refuse the first 2 upgrades")
        << faults([](ControlFaults &f) { f.refuseUpgrades = 2; }) << 0 << 0 << 0 << false;
    QTest::addRow("delay every frame 15 ms")
        << faults([](ControlFaults &f) { f.frameDelayMs = 15; }) << 0 << 0 << 0 << false;
    QTest::addRow("malformed or unknown method every 4 frames")
        << faults([](ControlFaults &f) { f.garbageEveryFrames = 4; f.seed = 7; }) << 0 << 0 << 0 << false;
    QTest::addRow("silent after 60 frames")
        << faults([](ControlFaults &f) { f.silentAfterFrames = 60; }) << 1 << 0 << -1 << true;
    QTest::addRow("Continue issued while Down (steps 2 and 5 end in a drop)")
        << faults([](ControlFaults &f) { f.abortAtStepEnds = {2, 5}; }) << 2 << 0 << 2 << false;
    QTest::addRow("Continue lost in a drop (request 3)")
        << faults([](ControlFaults &f) { f.loseRequests = {3}; }) << 1 << 3 << 0 << false;
    // PROTOCOL-0.31.md §6.3 step 2: the replay may follow the handshake's
    // answer; a step the server ran must not run again.
    QTest::addRow("abort every 13 frames, replay after the handshake")
        << faults([](ControlFaults &f) { f.abortEveryFrames = 13; f.maxAborts = 12; f.replayAfterHandshake = true; })
        << -6 << 0 << -1 << false;
    QTest::addRow("Continue acted on, then a drop (requests 2 and 4)")
        << faults([](ControlFaults &f) { f.abortAfterActing = {2, 4}; }) << 2 << 0 << -1 << false;
    QTest::addRow("Continue acted on, then a drop (requests 2 and 4), replay after the handshake")
        << faults([](ControlFaults &f) { f.abortAfterActing = {2, 4}; f.replayAfterHandshake = true; }) << 2 << 0
        << -1 << false;
    // The server takes the step but sends nothing of it for 4 s: the copy
    // sent 2 s after the re-attach is refused as premature, and that refusal
    // must not end the step (the run would stop there).
    QTest::addRow("Continue acted on slowly, then a drop (request 2): its copy refused")
        << faults([](ControlFaults &f) {
               f.abortAfterActing = {2};
               f.slowSteps = {2};
               f.slowStepDelayMs = 4000;
           })
        << 1 << 2 << -1 << false;
    QTest::addRow("Continue lost in a drop (request 3), replay after the handshake")
        << faults([](ControlFaults &f) { f.loseRequests = {3}; f.replayAfterHandshake = true; }) << 1 << 3 << 0
        << false;
    QTest::addRow("all at once")
        << faults([](ControlFaults &f) {
               f.abortEveryFrames = 17;
               f.maxAborts = 8;
               f.refuseUpgrades = 1;
               f.frameDelayMs = 3;
               f.garbageEveryFrames = 9;
               f.loseRequests = {6};
           })
        << -4 << -1 << -1 << false;
}

void tst_ControlFaults::faultRunCapturesWhatTheFaultFreeRunCaptures()
{
    QFETCH(ControlFaults, faults);
    QFETCH(int, attaches);
    QFETCH(int, lostStep);
    QFETCH(int, stepsWhileDown);
    QFETCH(bool, silent);

    const Run run = runEngine(faults, runPolicy(), m_dir->filePath(u"fault.ndjson"_s));
    QVERIFY2(run.finished, "the run did not finish");
    QVERIFY2(run.outcome.succeeded(), qPrintable(run.outcome.message));

    // Exactly the fault-free capture: nothing missing, nothing twice, same order.
    QCOMPARE(run.signatures, m_baseline.signatures);
    QCOMPARE(run.slotEvents, m_baseline.slotEvents);
    QCOMPARE(run.pausedEvents, m_baseline.pausedEvents);

    // The drops happened (one re-attach each: a drop during a re-attach's
    // replay is not Up in between), and each attach resumed exactly where the
    // client was.
    const QString statuses = statusNames(run.controlStatuses).join(u',');
    if (attaches >= 0)
        QCOMPARE(run.transcriptAttaches.size(), attaches);
    else
        QVERIFY2(run.transcriptAttaches.size() >= -attaches, qPrintable(statuses));
    QCOMPARE(run.transcriptAttaches, run.clientAttaches);
    QVERIFY(!run.transcriptAttaches.contains(u"none"_s));
    if (attaches != 0)
        QVERIFY2(run.controlStatuses.count(ConnectionStatus::Up) >= 2, qPrintable(statuses));
    // Closed after completed, never Failed.
    QCOMPARE(run.controlStatuses.last(), ConnectionStatus::Down);
    QCOMPARE(run.controlReasons.last(), u"stopped"_s);
    QVERIFY2(!run.controlStatuses.contains(ConnectionStatus::Failed), qPrintable(statuses));

    // Every step the server received once — except a lost one, sent again exactly once.
    if (lostStep > 0) {
        QStringList expected = m_baseline.transcriptSteps;
        expected.insert(lostStep, expected.at(lostStep - 1));
        QCOMPARE(run.transcriptSteps, expected);
        QCOMPARE(run.resent, 1);
    } else if (lostStep == 0) {
        QCOMPARE(run.transcriptSteps, m_baseline.transcriptSteps);
        // A step that reached a connection already being aborted (or silent)
        // was never read there: sent again once after the re-attach, and the
        // transcript above shows the server got it once.
        QVERIFY(run.resent <= run.transcriptAttaches.size());
    } else {
        // Several faults at once: each step acted on once; a lost one repeated once.
        QCOMPARE(run.transcriptSteps.size(), m_baseline.transcriptSteps.size() + run.resent);
        QVERIFY(run.resent <= 1);
    }
    if (stepsWhileDown >= 0)
        QCOMPARE(run.stepsIssuedWhileDown, stepsWhileDown);
    if (faults.garbageEveryFrames > 0)
        QVERIFY(run.malformedSkipped > 0);

    if (silent) {
        // Declared lost by the keepalive: no frame for longer than the deadline,
        // noticed within one keepalive tick of it.
        qsizetype silentLoss = -1;
        for (qsizetype i = 0; i < run.controlReasons.size(); ++i) {
            if (run.controlStatuses.at(i) == ConnectionStatus::Down && run.controlReasons.at(i).contains(u"no traffic"_s))
                silentLoss = i;
        }
        QVERIFY2(silentLoss >= 0, qPrintable(run.controlReasons.join(u" | ")));
        QCOMPARE(run.lossAfterLastFrameMs.size(), 1);
        QCOMPARE(run.transcriptAttaches.size(), 1);
        const qint64 after = run.lossAfterLastFrameMs.first();
        QVERIFY2(after >= kKeepaliveDeadline.count(), qPrintable(QString::number(after)));
        QVERIFY2(after <= (kKeepaliveDeadline + kKeepaliveInterval).count() + 300, qPrintable(QString::number(after)));
        QCOMPARE(statusNames(run.controlStatuses.mid(silentLoss - 1, 3)), (QStringList{u"Up"_s, u"Down"_s, u"Up"_s}));
    }
}

void tst_ControlFaults::exhaustedBudgetEndsFailed()
{
    // Every step request is lost and its connection aborted: each re-attach
    // comes Up (and sends the step again), then drops again, until the budget
    // of 3 reconnects is spent. Up never lasts the uptime reset.
    ControlFaults faults;
    for (int request = 1; request <= 10; ++request)
        faults.loseRequests.append(request);
    ConnectionPolicy policy = runPolicy();
    policy.maxAttempts = 3;
    policy.uptimeReset = milliseconds{60'000};
    const Run run = runEngine(faults, policy, m_dir->filePath(u"exhausted.ndjson"_s));
    QVERIFY(run.finished);
    QCOMPARE(run.outcome.kind, RunOutcome::Kind::Failed);
    QCOMPARE(run.outcome.category, RunOutcome::Category::Connection);
    QVERIFY2(run.outcome.message.contains(u"gave up after 4 attempts"_s), qPrintable(run.outcome.message));
    QVERIFY(!run.outcome.captureComplete);

    // Down (before start) → Up → Down → Up → Down → Up → Down → Up → Failed.
    QCOMPARE(statusNames(run.controlStatuses),
             (QStringList{u"Up"_s, u"Down"_s, u"Up"_s, u"Down"_s, u"Up"_s, u"Down"_s, u"Up"_s, u"Failed"_s}));
    QCOMPARE(run.controlReasons.last(), run.outcome.message.mid(run.outcome.message.indexOf(u"connection lost"_s)));
    // The first step, then the same step again after each of the 3 re-attaches.
    QCOMPARE(run.transcriptSteps.size(), 4);
    QCOMPARE(run.transcriptSteps, QStringList(4, run.transcriptSteps.first()));
    QCOMPARE(run.resent, 3);
    QCOMPARE(run.transcriptAttaches, run.clientAttaches);
    QCOMPARE(run.transcriptAttaches.size(), 3);
}

void tst_ControlFaults::headlessBinaryAgainstAnAbortingServer()
{
    QVERIFY2(QFile::exists(QString::fromUtf8(SLOTSCOPE_EXECUTABLE)), SLOTSCOPE_EXECUTABLE);
    QProcess server;
    server.setProcessChannelMode(QProcess::SeparateChannels);
    server.setStandardErrorFile(m_dir->filePath(u"refserver.log"_s));
    server.start(QString::fromUtf8(SLOTSCOPE_REFSERVER_EXECUTABLE),
                 {u"--port"_s, u"0"_s, u"--api-key"_s, kApiKey, u"--tx-dir"_s, fixturesDir(), u"--abort-every"_s,
                  u"45"_s, u"--max-aborts"_s, u"3"_s});
    QVERIFY(server.waitForStarted(10'000));
    QTRY_VERIFY_WITH_TIMEOUT(server.canReadLine() || server.state() != QProcess::Running, 20'000);
    const QString url = QString::fromUtf8(server.readLine()).trimmed();
    QVERIFY2(url.startsWith(u"ws://127.0.0.1:"_s), qPrintable(url));

    const QString capture = m_dir->filePath(u"headless.ndjson"_s);
    QProcess slotscope;
    slotscope.setProcessChannelMode(QProcess::SeparateChannels);
    slotscope.start(QString::fromUtf8(SLOTSCOPE_EXECUTABLE),
                    {u"--headless"_s, u"--url"_s, url, u"--api-key"_s, kApiKey, u"--start-slot"_s,
                     QString::number(kStart), u"--end-slot"_s, QString::number(kEnd), u"--discover-program"_s,
                     kJupiter, u"--pause-at-discoveries"_s, u"--advance-count"_s, QString::number(kAdvanceCount),
                     u"--capture"_s, capture});
    QVERIFY(slotscope.waitForStarted(10'000));
    // The default policy: 1 s, 2 s, 4 s of backoff for the three aborts.
    const bool exited = QTest::qWaitFor([&slotscope] { return slotscope.state() == QProcess::NotRunning; }, 50'000);
    if (!exited)
        slotscope.kill();
    server.terminate();
    server.waitForFinished(10'000);
    const QString err = QString::fromUtf8(slotscope.readAllStandardError());
    QVERIFY2(exited, qPrintable(err));
    QCOMPARE(slotscope.exitStatus(), QProcess::NormalExit);
    QVERIFY2(slotscope.exitCode() == 0, qPrintable(err));

    // Three drops, each reported on stderr, each followed by a reconnect.
    QFile serverLog(m_dir->filePath(u"refserver.log"_s));
    QVERIFY(serverLog.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(serverLog.readAll()).count(u"fault: abort after 45 frames"_s), 3);

    // The same capture as the fault-free in-process run.
    const Result<QList<CapturedTransaction>> transactions = CaptureReader::readAllTransactions(capture);
    QVERIFY(transactions.ok());
    QCOMPARE(signaturesOf(*transactions), m_baseline.signatures);
    const Result<QList<CaptureEvent>> events = CaptureEventReader::readAll(CaptureWriter::eventsPathFor(capture));
    QVERIFY(events.ok());
    QList<quint64> slotList;
    QStringList paused;
    int controlUps = 0;
    int retriesScheduled = 0;
    int attached = 0;
    for (const CaptureEvent &event : *events) {
        if (event.type == u"session_attached"_s) {
            ++attached; // the events file says each re-attach (DESIGN.md §3), not only the batch's
            QCOMPARE(event.data.value(u"session_id"_s).toString(), event.sessionId);
        } else if (event.type == u"slot"_s) {
            slotList.append(quint64(event.data.value(u"slot"_s).toInteger()));
        } else if (event.type == u"paused"_s) {
            const QJsonValue batch = event.data.value(u"batchIndex"_s);
            paused.append(position(quint64(event.data.value(u"slot"_s).toInteger()),
                                   batch.isDouble() ? std::optional<quint32>(quint32(batch.toInteger()))
                                                    : std::nullopt));
        } else if (event.type == u"connection"_s && event.data.value(u"socket"_s).toString() == u"control"_s) {
            if (event.data.contains(u"delay_ms"_s))
                ++retriesScheduled;
            else if (event.data.value(u"status"_s).toString() == u"Up"_s)
                ++controlUps;
        }
    }
    QCOMPARE(slotList, m_baseline.slotEvents);
    QCOMPARE(paused, m_baseline.pausedEvents);
    // One reconnect per abort; a re-attach whose replay is aborted again is not Up in between.
    QCOMPARE(retriesScheduled, 3);
    QVERIFY(controlUps >= 2);
    QCOMPARE(attached, controlUps - 1); // every Up after the first is a re-attach
}

QTEST_GUILESS_MAIN(tst_ControlFaults)
#include "tst_controlfaults.moc"
