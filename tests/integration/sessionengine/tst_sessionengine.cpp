// SessionEngine end to end against lib/refserver (127.0.0.1, port 0) replaying
// the 31 real mainnet transactions of SLOTSCOPE_FIXTURES_DIR over slots
// 1000..1199: every drive (RunToEnd, PauseAtDiscoveries, manual stepping),
// the capture and events files it writes (DESIGN.md §3, CAPTURE_FORMAT.md
// §8.1), the ModelUpdate batches it sends, stop(), and the ways a run fails
// (DESIGN.md §5 categories).

#include "capture/capturereader.h"
#include "capture/capturewriter.h"
#include "engine/enginehost.h"
#include "engine/sessionengine.h"
#include "protocol/transactionfiles.h"
#include "protocol/transactionsummary.h"
#include "refserver/refserver.h"
#include "support/fixtures.h"
#include "support/policies.h"

#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSemaphore>
#include <QSet>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QUuid>

#include <atomic>
#include <thread>

#if defined(Q_OS_LINUX)
#include <pthread.h>
#endif

using namespace SlotScope;
using namespace SlotScope::Testing;
using namespace Qt::StringLiterals;
using std::chrono::milliseconds;

Q_DECLARE_METATYPE(SlotScope::RunOutcome::Category)
Q_DECLARE_METATYPE(SlotScope::WireVersion)

namespace {

const QString kApiKey = u"engine-key"_s;
const QString kJupiter = u"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"_s;
constexpr quint64 kStart = 1000;
constexpr quint64 kEnd = 1199;
constexpr int kTimeoutMs = 30'000;

// No test here is about the handshake timer except the one that sets its own:
// 10 s keeps a loaded CI machine (headless runs beside these tests) from
// turning a slow answer into a retry the test did not plan for.
ConnectionPolicy enginePolicy()
{
    ConnectionPolicy policy = fastPolicy();
    policy.handshakeResponseTimeout = milliseconds{10'000};
    policy.keepaliveMissDeadline = milliseconds{5000};
    return policy;
}

// "slot/batchIndex", so that sequences compare readably.
QString position(quint64 slot, std::optional<quint32> batchIndex)
{
    return batchIndex ? u"%1/%2"_s.arg(slot).arg(*batchIndex) : u"%1/-"_s.arg(slot);
}

QString position(const QJsonObject &data)
{
    const QJsonValue batch = data.value(u"batchIndex"_s);
    return position(quint64(data.value(u"slot"_s).toInteger()),
                    batch.isNull() || batch.isUndefined() ? std::nullopt
                                                          : std::optional<quint32>(quint32(batch.toInteger())));
}

QStringList stateNames(const QList<SessionState> &states)
{
    QStringList names;
    for (SessionState state : states)
        names.append(sessionStateName(state));
    return names;
}

// Everything one SessionEngine reported, in order.
/// Every row of `table`, in order, as records.
QList<TransactionRecord> recordsOf(const TransactionModel &table)
{
    QList<TransactionRecord> records;
    for (int row = 0; row < table.rowCount(); ++row)
        records.append(table.record(row));
    return records;
}

struct EngineRecorder
{
    QList<ModelUpdate> updates;
    QString runId;
    QString capturePath;
    int started = 0;
    QList<RunOutcome> outcomes;

    /// Records a SessionEngine's reports, or an EngineHost's (the same
    /// signals), on `context`'s thread (default: the engine's).
    template<class Engine>
    explicit EngineRecorder(Engine &engine, QObject *context = nullptr)
    {
        if (!context)
            context = &engine;
        QObject::connect(&engine, &Engine::runStarted, context,
                         [this](const QString &id, const QString &path) {
                             ++started;
                             runId = id;
                             capturePath = path;
                         });
        QObject::connect(&engine, &Engine::modelUpdated, context,
                         [this](const ModelUpdate &update) { updates.append(update); });
        QObject::connect(&engine, &Engine::runFinished, context,
                         [this](const RunOutcome &outcome) { outcomes.append(outcome); });
    }

    // One list of every batch, concatenated in order.
    template<class T>
    QList<T> all(QList<T> ModelUpdate::*list) const
    {
        QList<T> joined;
        for (const ModelUpdate &update : updates)
            joined += update.*list;
        return joined;
    }
    QList<TransactionRecord> transactions() const
    {
        TransactionModel table; // every batch's rows, as the window's table takes them
        for (const ModelUpdate &update : updates)
            table.appendRowBatch(update.transactions);
        return recordsOf(table);
    }
    QList<SessionUpdate> sessions() const { return all(&ModelUpdate::sessions); }
    QList<PositionUpdate> positions() const { return all(&ModelUpdate::positions); }
    QList<DiscoveryUpdate> discoveries() const { return all(&ModelUpdate::discoveries); }
    QList<ConnectionEvent> connections() const { return all(&ModelUpdate::connections); }
    std::optional<DriveMode> latestDrive() const
    {
        std::optional<DriveMode> drive;
        for (const SessionUpdate &session : sessions()) {
            if (session.drive)
                drive = session.drive;
        }
        return drive;
    }
    std::optional<SessionState> latestState() const
    {
        std::optional<SessionState> state;
        for (const SessionUpdate &session : sessions()) {
            if (session.state)
                state = session.state;
        }
        return state;
    }
    // Consecutive repeats collapsed.
    QList<SessionState> distinctStates() const
    {
        QList<SessionState> states;
        for (const SessionUpdate &session : sessions()) {
            if (session.state && (states.isEmpty() || states.last() != *session.state))
                states.append(*session.state);
        }
        return states;
    }
    bool sawPosition(quint64 slot) const
    {
        const QList<PositionUpdate> seen = positions();
        return std::any_of(seen.cbegin(), seen.cend(), [slot](const PositionUpdate &p) { return p.slot == slot; });
    }
    std::optional<PositionUpdate> lastPosition() const
    {
        const QList<PositionUpdate> seen = positions();
        return seen.isEmpty() ? std::nullopt : std::optional<PositionUpdate>(seen.last());
    }
    bool finished() const { return !outcomes.isEmpty(); }
    QSet<QString> signatures() const
    {
        QSet<QString> received;
        for (const TransactionRecord &record : transactions())
            received.insert(record.signature);
        return received;
    }
    QString lastError() const
    {
        const QList<SessionUpdate> seen = sessions();
        return seen.isEmpty() ? QString() : seen.last().lastError.value_or(QString());
    }
};

// Waits for the run `recorder` watches to finish and checks it succeeded with
// all 31 fixtures captured. A macro, so that a failure ends the test function.
#define VERIFY_RUN_CAPTURED_ALL(recorder)                                                                   \
    do {                                                                                                    \
        QTRY_VERIFY_WITH_TIMEOUT((recorder).finished(), kTimeoutMs);                                        \
        QVERIFY2((recorder).outcomes.first().succeeded(), qPrintable((recorder).outcomes.first().message)); \
        QCOMPARE((recorder).outcomes.first().transactions, quint64(31));                                    \
    } while (false)

QStringList eventTypes(const QList<CaptureEvent> &events)
{
    QStringList types;
    for (const CaptureEvent &event : events)
        types.append(event.type);
    return types;
}

QList<CaptureEvent> eventsOfType(const QList<CaptureEvent> &events, const QString &type)
{
    QList<CaptureEvent> matching;
    for (const CaptureEvent &event : events) {
        if (event.type == type)
            matching.append(event);
    }
    return matching;
}

// "slot/batch" of every `paused` event, in order.
QStringList pausePositions(const QList<CaptureEvent> &events)
{
    QStringList positions;
    for (const CaptureEvent &event : eventsOfType(events, u"paused"_s))
        positions.append(position(event.data));
    return positions;
}

QList<quint64> slotNumbers(const QList<CaptureEvent> &events)
{
    QList<quint64> numbers;
    for (const CaptureEvent &event : events) {
        if (event.type == u"slot")
            numbers.append(quint64(event.data.value(u"slot"_s).toInteger()));
    }
    return numbers;
}

// "continue N" / "continueTo slot/batch" for every step the engine sent.
QStringList stepsSent(const QList<CaptureEvent> &events)
{
    QStringList steps;
    for (const CaptureEvent &event : events) {
        if (event.type == u"continue_sent")
            steps.append(u"continue %1"_s.arg(event.data.value(u"advanceCount"_s).toInteger()));
        else if (event.type == u"continue_to_sent")
            steps.append(u"continueTo "_s + position(event.data));
    }
    return steps;
}

QByteArray lastLine(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
    return lines.isEmpty() ? QByteArray() : lines.last().trimmed();
}

/// The control requests with a method in `methods` that `server` received, in order.
QList<QJsonObject> requestsOf(const RefServer &server, const QStringList &methods)
{
    QList<QJsonObject> requests;
    for (const TranscriptEntry &entry : server.transcript()) {
        const QJsonObject frame = QJsonDocument::fromJson(entry.text.toUtf8()).object();
        if (methods.contains(frame.value(u"method"_s).toString()))
            requests.append(frame);
    }
    return requests;
}

/// The reference server of these tests: our API key, the fixture transactions.
RefServerConfig fixtureServerConfig()
{
    RefServerConfig config{.apiKey = kApiKey, .txDir = QString::fromUtf8(SLOTSCOPE_FIXTURES_DIR)};
    return config;
}

/// Sub-session ranges of a parallel run, from its session_created events.
QMap<QString, std::pair<quint64, quint64>> subSessionRanges(const QList<CaptureEvent> &events)
{
    QMap<QString, std::pair<quint64, quint64>> ranges;
    for (const CaptureEvent &event : events) {
        if (event.type == u"session_created" && event.data.contains(u"start_slot"_s)) {
            ranges.insert(event.sessionId, {quint64(event.data.value(u"start_slot"_s).toInteger()),
                                            quint64(event.data.value(u"end_slot"_s).toInteger())});
        }
    }
    return ranges;
}

/// Data rows "single session" and "parallel batch" of the one column `parallel`.
void addSingleAndParallelRows()
{
    QTest::addColumn<bool>("parallel");
    QTest::addRow("single session") << false;
    QTest::addRow("parallel batch") << true;
}

/// Data rows "wire W, single session" / "wire W, parallel batch" for both
/// wires, with the values wire, parallel, then `extra` (the caller adds the columns).
template<class... Extra>
void addWireAndParallelRows(const Extra &...extra)
{
    for (const WireVersion wire : {WireVersion::V0_28, WireVersion::V0_31}) {
        for (const bool parallel : {false, true}) {
            ((QTest::addRow("wire %s, %s", wireVersionName(wire), parallel ? "parallel batch" : "single session")
              << wire << parallel) << ... << extra);
        }
    }
}

} // namespace

class tst_SessionEngine : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void runToEndCapturesEveryFixtureOnce();
    void pauseAtDiscoveriesPausesAtEachJupiterBatch_data();
    void pauseAtDiscoveriesPausesAtEachJupiterBatch();
    void manualStepping();
    void continueToWholeSlotThenTheRunsAdvanceCount();
    void refusedStepHandsControlBack();
    void pauseEndsRunToEndAndTheSessionStaysOpen();
    void aBatchDrivenBeforeItsSubSessionsExistPausesAsAWhole();
    void modelUpdatesArriveInBatches();
    void stopMidRunKeepsWhatArrived();
    void stopWhileTheServerIsGoneSaysItWasNotTold_data();
    void stopWhileTheServerIsGoneSaysItWasNotTold();
    void stopDuringTheCreateSaysItWasNotTold_data();
    void stopDuringTheCreateSaysItWasNotTold();
    void failures_data();
    void failures();
    void parallelBatchCapturesEverySubSession();
    void parallelSteppingIsPerSessionOrLockstep();
    void simulationErrorsAreCountedNeverRefused_data();
    void simulationErrorsAreCountedNeverRefused();
    void pauseAtDiscoveriesStepsOncePerBatch_data();
    void pauseAtDiscoveriesStepsOncePerBatch();
    void reconnectNowSkipsALongBackoff();
    void coordinatorFiguresReachTheEventsFile();
    void startupLongerThanTheHandshakeTimeout_data();
    void startupLongerThanTheHandshakeTimeout();
    void namedRunReclaimsItsNameAfterADrop_data();
    void namedRunReclaimsItsNameAfterADrop();
    void takenNameFailsTheCreate();
    void hostWaitsForTheEngineThreadsExitHandlers();
    void hostClosesALiveRunWithoutWaitingOutTheCloseTimeout();
    void shutdownBehindTheStopsOwnCloseDoesNotWaitOutTheTimeout();

private:
    /// A run over kStart..kEnd on m_server, capturing to `name`.ndjson in m_dir.
    RunConfig config(RunConfig::Drive drive, const QString &name, bool parallel = false) const;
    /// Replaces the reference server with one of `serverConfig`; false if it
    /// cannot listen. Sessions it creates are collected in m_createdSessions.
    [[nodiscard]] bool startServer(const RefServerConfig &serverConfig);
    struct Planned
    {
        QString signature;
        quint64 slot = 0;
        quint32 batchIndex = 0;
        TransactionSummary summary;
    };
    // Where the reference server puts each fixture over kStart..kEnd
    // (RefServerConfig::transactionsPerSlot = 0: transaction i at slot
    // start + floor(i × length / N)), in execution order.
    QList<Planned> m_plan;
    QHash<QString, int> m_planIndex;  // signature → index in m_plan
    QStringList m_jupiterPositions;   // "slot/batch" of every Jupiter v6 transaction
    QStringList m_createdSessions;    // ids the server created, in order
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<RefServer> m_server;
    std::unique_ptr<SessionEngine> m_engine;
};

void tst_SessionEngine::initTestCase()
{
    const Result<QList<LoadedTransaction>> loaded = loadTransactionDirectory(QString::fromUtf8(SLOTSCOPE_FIXTURES_DIR));
    QVERIFY(loaded.ok());
    QCOMPARE(loaded->size(), 31);
    TransactionSummarizer summarizer;
    const quint64 count = quint64(loaded->size());
    const quint64 length = kEnd - kStart + 1;
    for (quint64 i = 0; i < count; ++i) {
        const LoadedTransaction &fixture = loaded->at(qsizetype(i));
        const Result<TransactionSummary> summary = summarizer.summarize(fixture.json);
        QVERIFY(summary.ok());
        Planned planned;
        planned.signature = fixture.signature;
        planned.slot = kStart + i * length / count;
        planned.batchIndex = !m_plan.isEmpty() && m_plan.last().slot == planned.slot ? m_plan.last().batchIndex + 1 : 0;
        planned.summary = *summary;
        if (summary->programIds.contains(kJupiter))
            m_jupiterPositions.append(position(planned.slot, planned.batchIndex));
        m_planIndex.insert(planned.signature, int(m_plan.size()));
        m_plan.append(planned);
    }
    QCOMPARE(m_planIndex.size(), 31);            // 31 distinct signatures
    QCOMPARE(m_jupiterPositions.size(), 11);     // fixtures README: 11 Jupiter v6 swaps
    qRegisterMetaType<ModelUpdate>();
    qRegisterMetaType<RunOutcome>();
}

void tst_SessionEngine::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QVERIFY(startServer(fixtureServerConfig()));
    m_engine = std::make_unique<SessionEngine>();
    m_engine->setConnectionPolicy(enginePolicy());
}

void tst_SessionEngine::cleanup()
{
    m_engine.reset();
    m_server.reset();
    m_dir.reset();
}

bool tst_SessionEngine::startServer(const RefServerConfig &serverConfig)
{
    m_server.reset();
    m_server = std::make_unique<RefServer>(serverConfig);
    m_createdSessions.clear();
    connect(m_server.get(), &RefServer::sessionCreated, this,
            [this](const QString &sessionId) { m_createdSessions.append(sessionId); });
    const Result<void> listening = m_server->listen();
    if (!listening)
        qWarning("reference server: %s", qPrintable(listening.error().message));
    return listening.ok();
}

RunConfig tst_SessionEngine::config(RunConfig::Drive drive, const QString &name, bool parallel) const
{
    RunConfig config;
    config.target = RunConfig::Target::Url;
    config.url = m_server->controlUrl().toString();
    config.apiKey = kApiKey;
    config.startSlot = kStart;
    config.endSlot = kEnd;
    config.drive = drive;
    config.parallel = parallel;
    config.capturePath = m_dir->filePath(name + u".ndjson"_s);
    return config;
}

void tst_SessionEngine::runToEndCapturesEveryFixtureOnce()
{
    EngineRecorder recorder(*m_engine);
    const RunConfig run = config(RunConfig::Drive::RunToEnd, u"run"_s);
    m_engine->start(run, m_server->controlUrl().toString());
    QCOMPARE(recorder.started, 1);
    QCOMPARE(recorder.capturePath, run.capturePath);
    QVERIFY(m_engine->isRunning());

    QTRY_VERIFY_WITH_TIMEOUT(recorder.finished(), kTimeoutMs);
    QCOMPARE(recorder.outcomes.size(), 1);
    const RunOutcome outcome = recorder.outcomes.first();
    QVERIFY2(outcome.succeeded(), qPrintable(outcome.message));
    QCOMPARE(outcome.kind, RunOutcome::Kind::Completed);
    QCOMPARE(outcome.category, RunOutcome::Category::None);
    QVERIFY(outcome.captureComplete);
    QCOMPARE(outcome.message, QString());
    QCOMPARE(outcome.capturePath, run.capturePath);
    QCOMPARE(outcome.transactions, quint64(31));
    QVERIFY(!m_engine->isRunning());
    QCOMPARE(m_createdSessions.size(), 1);
    const QString sessionId = m_createdSessions.first();

    // The capture: exactly the 31 fixtures, once each, with their real values.
    CaptureReader reader;
    QVERIFY(reader.open(run.capturePath).ok());
    QCOMPARE(reader.format(), CaptureReader::Format::Ndjson);
    QVERIFY(reader.metadata());
    QCOMPARE(reader.metadata()->startSlot, kStart);
    QCOMPARE(reader.metadata()->endSlot, kEnd);
    QSet<QString> seen;
    QStringList order;
    CapturedTransaction tx;
    while (reader.readNext(tx)) {
        QVERIFY2(!seen.contains(tx.signature), qPrintable(tx.signature));
        seen.insert(tx.signature);
        order.append(tx.signature);
        QVERIFY2(m_planIndex.contains(tx.signature), qPrintable(tx.signature));
        const Planned &planned = m_plan.at(m_planIndex.value(tx.signature));
        QCOMPARE(tx.sessionId, sessionId);
        QCOMPARE(tx.slot, planned.slot);
        QCOMPARE(tx.success, planned.summary.success);
        QCOMPARE(tx.error, planned.summary.error);
        QCOMPARE(tx.fee, std::optional<quint64>(planned.summary.fee));
        QCOMPARE(tx.computeUnitsConsumed, planned.summary.computeUnitsConsumed);
        QCOMPARE(tx.feePayer, planned.summary.feePayer);
        QCOMPARE(tx.programIds, planned.summary.programIds);
    }
    QCOMPARE(reader.errorString(), QString());
    QCOMPARE(reader.skippedLines(), 0);
    QCOMPARE(seen.size(), 31);
    // In execution order: one subscription delivers them as they ran.
    QCOMPARE(order, signaturesOf(m_plan));
    QVERIFY(reader.summary());
    QCOMPARE(reader.summary()->total, quint64(31));
    QCOMPARE(reader.summary()->failures, quint64(3));
    QCOMPARE(reader.summary()->successes, quint64(28));
    QCOMPARE(reader.summary()->sessionIds, QStringList{sessionId});

    // …and it ends with the summary line naming the session.
    const QJsonObject summaryLine = QJsonDocument::fromJson(lastLine(run.capturePath)).object();
    QCOMPARE(summaryLine.value(u"type"_s).toString(), u"summary"_s);
    QCOMPARE(summaryLine.value(u"data"_s).toObject().value(u"session_ids"_s).toArray(),
             QJsonArray{sessionId});

    // The events file.
    const Result<QList<CaptureEvent>> read = CaptureEventReader::readAll(CaptureWriter::eventsPathFor(run.capturePath));
    QVERIFY(read.ok());
    const QList<CaptureEvent> events = *read;
    const QStringList types = eventTypes(events);
    const qsizetype created = types.indexOf(u"session_created"_s);
    QVERIFY2(created >= 0, qPrintable(types.join(u',')));
    QCOMPARE(types.count(u"session_created"_s), 1);
    QCOMPARE(events.at(created).sessionId, sessionId);
    QCOMPARE(events.at(created).data.value(u"session_id"_s).toString(), sessionId);
    // Before the session exists only the control connection reports.
    for (qsizetype i = 0; i < created; ++i) {
        QCOMPARE(events.at(i).type, u"connection"_s);
        QCOMPARE(events.at(i).sessionId, QString());
        QCOMPARE(events.at(i).data.value(u"socket"_s).toString(), u"control"_s);
    }
    for (qsizetype i = created; i < events.size(); ++i)
        QCOMPARE(events.at(i).sessionId, sessionId);
    // The startSlot notification, then one per executed slot (PROTOCOL.md §4.6).
    QCOMPARE(slotNumbers(events), QList<quint64>{kStart} + inclusiveRange(kStart, kEnd));
    QCOMPARE(types.last(), u"completed"_s);
    QCOMPARE(types.count(u"completed"_s), 1);
    QCOMPARE(events.last().data.value(u"correctSimulation"_s).toInteger(), 28);
    QCOMPARE(events.last().data.value(u"executionErrors"_s).toInteger(), 3);
    QCOMPARE(types.count(u"error"_s), 0);
    // RunToEnd with the default advance count: one Continue of 1 slot per slot.
    const QList<CaptureEvent> continues = eventsOfType(events, u"continue_sent"_s);
    QCOMPARE(continues.size(), int(kEnd - kStart + 1));
    for (const CaptureEvent &sent : continues)
        QCOMPARE(sent.data.value(u"advanceCount"_s).toInteger(), 1);

    // The session was closed on the server once the run was over.
    QTRY_COMPARE_WITH_TIMEOUT(m_server->activeSessionCount(), 0, 5000);
}

void tst_SessionEngine::pauseAtDiscoveriesPausesAtEachJupiterBatch_data()
{
    QTest::addColumn<bool>("fromTheWindow");
    QTest::addRow("headless drive") << false;
    // The window's New Run checkbox: a manual run whose Run to End goes by way
    // of every batch (it once did nothing in the window).
    QTest::addRow("Run to End of a manual run") << true;
}

void tst_SessionEngine::pauseAtDiscoveriesPausesAtEachJupiterBatch()
{
    QFETCH(bool, fromTheWindow);
    EngineRecorder recorder(*m_engine);
    RunConfig run = config(fromTheWindow ? RunConfig::Drive::Manual : RunConfig::Drive::PauseAtDiscoveries, u"pause"_s);
    run.discoverPrograms = {kJupiter};
    run.pauseAtDiscoveries = true;
    m_engine->start(run, m_server->controlUrl().toString());
    if (fromTheWindow)
        m_engine->runToEnd();
    VERIFY_RUN_CAPTURED_ALL(recorder);

    const Result<QList<CaptureEvent>> read = CaptureEventReader::readAll(CaptureWriter::eventsPathFor(run.capturePath));
    QVERIFY(read.ok());
    const QList<CaptureEvent> events = *read;
    QStringList discovered;
    QStringList paused;
    QStringList continuedTo;
    for (const CaptureEvent &event : events) {
        if (event.type == u"discovery_batch") {
            discovered.append(position(event.data));
            QCOMPARE(event.data.value(u"matched"_s).toArray().size(), 1);
            QCOMPARE(event.data.value(u"matched"_s).toArray().first().toObject().value(u"programExecuted"_s).toString(),
                     kJupiter);
        } else if (event.type == u"paused") {
            // Each pause is at a batch that was announced before it.
            QVERIFY2(discovered.contains(position(event.data)), qPrintable(position(event.data)));
            paused.append(position(event.data));
        } else if (event.type == u"continue_to_sent") {
            continuedTo.append(position(event.data));
        }
    }
    QCOMPARE(discovered, m_jupiterPositions);
    QCOMPARE(paused, discovered);
    QCOMPARE(continuedTo, discovered);
    QCOMPARE(eventTypes(events).last(), u"completed"_s);
    // Every slot still ran exactly once.
    QCOMPARE(slotNumbers(events), QList<quint64>{kStart} + inclusiveRange(kStart, kEnd));

    // The model heard of the same batches, in the same order.
    QStringList modelDiscoveries;
    for (const DiscoveryUpdate &update : recorder.discoveries())
        modelDiscoveries.append(position(update.event.slot, update.event.batchIndex));
    QCOMPARE(modelDiscoveries, m_jupiterPositions);
    QStringList modelPauses;
    for (const PositionUpdate &update : recorder.positions()) {
        if (update.paused)
            modelPauses.append(position(update.slot, update.batchIndex));
    }
    QCOMPARE(modelPauses, m_jupiterPositions);
    QVERIFY(recorder.positions().last().finished);
}

void tst_SessionEngine::manualStepping()
{
    EngineRecorder recorder(*m_engine);
    RunConfig run = config(RunConfig::Drive::Manual, u"manual"_s);
    run.discoverPrograms = {kJupiter};
    m_engine->start(run, m_server->controlUrl().toString());
    QTRY_VERIFY_WITH_TIMEOUT(recorder.latestState() == SessionState::Ready, kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!recorder.discoveries().isEmpty(), 5000);
    // Manual: nothing moves without the user (the create is the only control request).
    const auto controlRequests = [this] {
        int count = 0;
        for (const TranscriptEntry &entry : m_server->transcript())
            count += entry.kind == TranscriptEntry::Kind::Control ? 1 : 0;
        return count;
    };
    QCOMPARE(controlRequests(), 1);

    // Continue 5 slots.
    m_engine->continueSession(5);
    // (A position is the next slot to execute: kStart + 4 ran.)
    QTRY_VERIFY_WITH_TIMEOUT(recorder.sawPosition(kStart + 5) && recorder.latestState() == SessionState::Ready,
                             kTimeoutMs);

    // Continue-to the Jupiter batch announced now: the first one not yet run.
    const auto isAheadOf = [](const QString &pos, quint64 slot) { return pos.section(u'/', 0, 0).toULongLong() >= slot; };
    qsizetype first = 0;
    while (first < m_jupiterPositions.size() && !isAheadOf(m_jupiterPositions.at(first), kStart + 5))
        ++first;
    QVERIFY(first + 1 < m_jupiterPositions.size());
    const DiscoveryBatchEvent announced = recorder.discoveries().last().event;
    const QString d1 = position(announced.slot, announced.batchIndex);
    QCOMPARE(d1, m_jupiterPositions.at(first));
    m_engine->continueTo(announced.slot, announced.batchIndex);
    QTRY_VERIFY_WITH_TIMEOUT(recorder.latestState() == SessionState::Paused, kTimeoutMs);
    QVERIFY(recorder.lastPosition());
    QVERIFY(recorder.lastPosition()->paused);
    QCOMPARE(position(recorder.lastPosition()->slot, recorder.lastPosition()->batchIndex), d1);
    // Everything before the batch ran; the batch itself did not.
    const auto plannedBefore = [this](quint64 slot, quint32 batch) {
        QSet<QString> before;
        for (const Planned &planned : std::as_const(m_plan)) {
            if (planned.slot < slot || (planned.slot == slot && planned.batchIndex < batch))
                before.insert(planned.signature);
        }
        return before;
    };
    QTRY_COMPARE_WITH_TIMEOUT(recorder.signatures(), plannedBefore(announced.slot, announced.batchIndex), 5000);

    // Run to the next discovery: paused before the next Jupiter batch.
    const QString d2 = m_jupiterPositions.at(first + 1);
    m_engine->runToNextDiscovery();
    QTRY_VERIFY_WITH_TIMEOUT(recorder.lastPosition() && recorder.lastPosition()->paused
                                 && position(recorder.lastPosition()->slot, recorder.lastPosition()->batchIndex) == d2
                                 && recorder.latestState() == SessionState::Paused,
                             kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(recorder.signatures(), plannedBefore(d2.section(u'/', 0, 0).toULongLong(),
                                                        d2.section(u'/', 1, 1).toUInt()),
                              5000);

    // Run to the end.
    m_engine->runToEnd();
    VERIFY_RUN_CAPTURED_ALL(recorder);

    // What the engine did, step by step, as the events file has it.
    const Result<QList<CaptureEvent>> read = CaptureEventReader::readAll(CaptureWriter::eventsPathFor(run.capturePath));
    QVERIFY(read.ok());
    const QList<CaptureEvent> events = *read;
    const QStringList steps = stepsSent(events);
    const quint64 d2Slot = d2.section(u'/', 0, 0).toULongLong();
    QStringList expectedSteps{u"continue 5"_s, u"continueTo "_s + d1, u"continueTo "_s + d2};
    // From the pause before d2 (batch 0 of its slot) one Continue per slot is left.
    for (quint64 slot = d2Slot; slot <= kEnd; ++slot)
        expectedSteps.append(u"continue 1"_s);
    QCOMPARE(steps, expectedSteps);

    // The first Continue executed exactly slots 1000..1004.
    const QStringList types = eventTypes(events);
    const qsizetype firstContinue = types.indexOf(u"continue_sent"_s);
    const qsizetype readyAfter = types.indexOf(u"ready"_s, firstContinue);
    QVERIFY(firstContinue > 0 && readyAfter > firstContinue);
    QCOMPARE(slotNumbers(events.mid(firstContinue, readyAfter - firstContinue)), inclusiveRange(kStart, kStart + 4));
    QCOMPARE(slotNumbers(events.mid(0, firstContinue)), QList<quint64>{kStart});

    QCOMPARE(pausePositions(events), (QStringList{d1, d2}));
    QCOMPARE(types.last(), u"completed"_s);
    QCOMPARE(slotNumbers(events), QList<quint64>{kStart} + inclusiveRange(kStart, kEnd));
}

void tst_SessionEngine::continueToWholeSlotThenTheRunsAdvanceCount()
{
    EngineRecorder recorder(*m_engine);
    RunConfig run = config(RunConfig::Drive::Manual, u"wholeslot"_s);
    run.advanceCount = 3;
    m_engine->start(run, m_server->controlUrl().toString());
    QTRY_VERIFY_WITH_TIMEOUT(recorder.latestState() == SessionState::Ready, kTimeoutMs);

    // A negative batch index: Continue-to the end of the whole slot.
    m_engine->continueTo(kStart + 10, -1);
    QTRY_VERIFY_WITH_TIMEOUT(recorder.latestState() == SessionState::Paused, kTimeoutMs);
    QVERIFY(recorder.lastPosition());
    QCOMPARE(position(recorder.lastPosition()->slot, recorder.lastPosition()->batchIndex),
             position(kStart + 10, std::nullopt));
    QVERIFY(recorder.lastPosition()->paused);

    // Continue with 0 = the run's advance count: slots 1011..1013.
    m_engine->continueSession();
    QTRY_VERIFY_WITH_TIMEOUT(recorder.sawPosition(kStart + 14) && recorder.latestState() == SessionState::Ready,
                             kTimeoutMs);
    m_engine->stop();
    QCOMPARE(recorder.outcomes.size(), 1);
    QCOMPARE(recorder.outcomes.first().kind, RunOutcome::Kind::Stopped);

    const Result<QList<CaptureEvent>> read = CaptureEventReader::readAll(CaptureWriter::eventsPathFor(run.capturePath));
    QVERIFY(read.ok());
    QCOMPARE(stepsSent(*read), (QStringList{u"continueTo "_s + position(kStart + 10, std::nullopt), u"continue 3"_s}));
    QCOMPARE(pausePositions(*read), QStringList{position(kStart + 10, std::nullopt)});
    QCOMPARE(slotNumbers(*read), QList<quint64>{kStart} + inclusiveRange(kStart, kStart + 13));
    // Exactly the fixtures planned into slots 1000..1013 arrived.
    QSet<QString> expected;
    for (const Planned &planned : std::as_const(m_plan)) {
        if (planned.slot <= kStart + 13)
            expected.insert(planned.signature);
    }
    QCOMPARE(recorder.signatures(), expected);
}

void tst_SessionEngine::refusedStepHandsControlBack()
{
    EngineRecorder recorder(*m_engine);
    const RunConfig run = config(RunConfig::Drive::Manual, u"refused"_s);
    m_engine->start(run, m_server->controlUrl().toString());
    QTRY_VERIFY_WITH_TIMEOUT(recorder.latestState() == SessionState::Ready, kTimeoutMs);

    // The server refuses a Continue-to a slot already executed (invalidRequest,
    // non-terminal, in both wires; PROTOCOL-0.31.md §3.2): the row shows it,
    // the session stays usable and waits for the user.
    m_engine->continueTo(kStart - 1, -1);
    QTRY_VERIFY_WITH_TIMEOUT(!recorder.lastError().isEmpty(), kTimeoutMs);
    QVERIFY2(recorder.lastError().contains(u"already executed"_s), qPrintable(recorder.lastError()));
    QTRY_COMPARE_WITH_TIMEOUT(recorder.latestState(), std::optional<SessionState>(SessionState::Ready), 5000);
    QVERIFY(!recorder.finished());
    QVERIFY(m_engine->isRunning());

    m_engine->continueSession(2);
    QTRY_VERIFY_WITH_TIMEOUT(recorder.sawPosition(kStart + 2) && recorder.latestState() == SessionState::Ready,
                             kTimeoutMs);
    m_engine->runToEnd();
    VERIFY_RUN_CAPTURED_ALL(recorder);

    const Result<QList<CaptureEvent>> read = CaptureEventReader::readAll(CaptureWriter::eventsPathFor(run.capturePath));
    QVERIFY(read.ok());
    const QList<CaptureEvent> errors = eventsOfType(*read, u"error"_s);
    QCOMPARE(errors.size(), 1);
    QVERIFY(errors.first().data.value(u"message"_s).toString().contains(u"already executed"_s));
    const QStringList steps = stepsSent(*read);
    QCOMPARE(steps.mid(0, 2), (QStringList{u"continueTo "_s + position(kStart - 1, std::nullopt), u"continue 2"_s}));
    QCOMPARE(slotNumbers(*read), QList<quint64>{kStart} + inclusiveRange(kStart, kEnd));
}

void tst_SessionEngine::pauseEndsRunToEndAndTheSessionStaysOpen()
{
    RefServerConfig slow = fixtureServerConfig();
    slow.slotDelayMs = 20; // within a step: 40 five-slot Continues take seconds, time to pause mid-run
    QVERIFY(startServer(slow));
    EngineRecorder recorder(*m_engine);
    RunConfig run = config(RunConfig::Drive::Manual, u"pause"_s);
    run.advanceCount = 5;
    m_engine->start(run, m_server->controlUrl().toString());
    QTRY_VERIFY_WITH_TIMEOUT(recorder.latestState() == SessionState::Ready, kTimeoutMs);
    QCOMPARE(recorder.latestDrive(), std::optional<DriveMode>(DriveMode::Manual));

    m_engine->runToEnd();
    QTRY_VERIFY_WITH_TIMEOUT(recorder.sawPosition(kStart + 10), kTimeoutMs);
    QCOMPARE(recorder.latestDrive(), std::optional<DriveMode>(DriveMode::RunToEnd));
    m_engine->pauseDriving();
    // The step in flight finishes; then the session waits for the user.
    QTRY_VERIFY_WITH_TIMEOUT(recorder.latestState() == SessionState::Ready
                                 && recorder.latestDrive() == DriveMode::Manual,
                             kTimeoutMs);
    const std::optional<PositionUpdate> pausedAt = recorder.lastPosition();
    QVERIFY(pausedAt);
    QVERIFY2(pausedAt->slot < kStart + 20, qPrintable(QString::number(pausedAt->slot)));
    // Driven, it would have executed another ~20 slots by now. (A position
    // is the next slot to execute: steps of 5 from kStart end before it.)
    QCOMPARE((pausedAt->slot - kStart) % 5, quint64(0)); // a whole step, not cut short
    QTest::qWait(400);
    QCOMPARE(recorder.lastPosition()->slot, pausedAt->slot);
    QCOMPARE(recorder.latestState(), std::optional<SessionState>(SessionState::Ready));
    QVERIFY(!recorder.finished());
    QVERIFY(m_engine->isRunning());

    // Still the same open session: a Continue steps it, Run to End finishes it.
    m_engine->continueSession(1);
    QTRY_VERIFY_WITH_TIMEOUT(recorder.lastPosition()->slot == pausedAt->slot + 1, kTimeoutMs);
    m_engine->runToEnd();
    VERIFY_RUN_CAPTURED_ALL(recorder);
    QCOMPARE(m_createdSessions.size(), 1);
    const Result<QList<CaptureEvent>> read = CaptureEventReader::readAll(CaptureWriter::eventsPathFor(run.capturePath));
    QVERIFY(read.ok());
    QCOMPARE(slotNumbers(*read), QList<quint64>{kStart} + inclusiveRange(kStart, kEnd)); // none skipped, none twice
    QVERIFY(eventsOfType(*read, u"stopped"_s).isEmpty());
}

void tst_SessionEngine::aBatchDrivenBeforeItsSubSessionsExistPausesAsAWhole()
{
    RefServerConfig serverConfig = fixtureServerConfig();
    serverConfig.bundleSize = 100; // two sub-sessions of 100 slots, ~2 s each driven
    serverConfig.slotDelayMs = 20; // within a step: five-slot steps take ~100 ms
    QVERIFY(startServer(serverConfig));
    EngineRecorder recorder(*m_engine);
    RunConfig run = config(RunConfig::Drive::Manual, u"batch-pause"_s, true);
    run.advanceCount = 5;
    m_engine->start(run, m_server->controlUrl().toString());
    // Run to End given before the batch exists: its sub-sessions are created driven.
    m_engine->runToEnd();

    const auto latest = [&] {
        QHash<QString, SessionUpdate> rows;
        for (const SessionUpdate &update : recorder.sessions()) {
            if (update.sessionId.isEmpty())
                continue;
            SessionUpdate &row = rows[update.sessionId];
            if (update.state)
                row.state = update.state;
            if (update.drive)
                row.drive = update.drive;
            if (update.currentSlot)
                row.currentSlot = update.currentSlot;
            if (update.startSlot)
                row.startSlot = update.startSlot;
        }
        return rows;
    };
    const auto all = [&](const std::function<bool(const SessionUpdate &)> &test) {
        const auto rows = latest();
        return rows.size() == 2 && std::all_of(rows.cbegin(), rows.cend(), test);
    };
    QTRY_VERIFY_WITH_TIMEOUT(all([](const SessionUpdate &row) {
                                 return row.drive == DriveMode::RunToEnd && row.currentSlot && row.startSlot
                                     && *row.currentSlot >= *row.startSlot + 10; // a few steps in
                             }),
                             kTimeoutMs);
    // Still well before their ends (a finished sub-session could not pause).
    QVERIFY(all([](const SessionUpdate &row) { return *row.currentSlot < *row.startSlot + 80; }));

    // Pause the whole batch: every sub-session finishes its step and waits.
    m_engine->pauseDriving();
    QTRY_VERIFY_WITH_TIMEOUT(all([](const SessionUpdate &row) {
                                 return row.drive == DriveMode::Manual && row.state == SessionState::Ready;
                             }),
                             kTimeoutMs);
    const QHash<QString, SessionUpdate> paused = latest();
    QTest::qWait(400); // driven, each would have run ~20 slots more
    const QHash<QString, SessionUpdate> later = latest();
    for (auto it = paused.cbegin(); it != paused.cend(); ++it)
        QCOMPARE(later.value(it.key()).currentSlot, it->currentSlot);
    QVERIFY(!recorder.finished());

    m_engine->runToEnd();
    VERIFY_RUN_CAPTURED_ALL(recorder);
}

void tst_SessionEngine::modelUpdatesArriveInBatches()
{
    EngineRecorder recorder(*m_engine);
    const RunConfig run = config(RunConfig::Drive::Manual, u"batches"_s);
    m_engine->start(run, m_server->controlUrl().toString());
    QTRY_VERIFY_WITH_TIMEOUT(recorder.latestState() == SessionState::Ready, kTimeoutMs);
    m_engine->runToEnd();
    QTRY_VERIFY_WITH_TIMEOUT(recorder.finished(), kTimeoutMs);
    QVERIFY2(recorder.outcomes.first().succeeded(), qPrintable(recorder.outcomes.first().message));
    QCOMPARE(m_createdSessions.size(), 1);
    const QString sessionId = m_createdSessions.first();

    // Transactions: every fixture once, over the batches; capturedTotal is the
    // running total of what the batches carried.
    QSet<QString> signatures;
    quint64 carried = 0;
    int batchesWithTransactions = 0;
    for (const ModelUpdate &update : std::as_const(recorder.updates)) {
        QVERIFY(!update.isEmpty());
        carried += quint64(update.transactions.size());
        QCOMPARE(update.capturedTotal, carried);
        QCOMPARE(update.duplicatesDropped, quint64(0));
        if (!update.transactions.isEmpty())
            ++batchesWithTransactions;
        // The batch's rows as the window's table takes them.
        TransactionModel table;
        table.appendRowBatch(update.transactions);
        for (const TransactionRecord &record : recordsOf(table)) {
            QVERIFY2(!signatures.contains(record.signature), qPrintable(record.signature));
            signatures.insert(record.signature);
            QVERIFY2(m_planIndex.contains(record.signature), qPrintable(record.signature));
            const Planned &planned = m_plan.at(m_planIndex.value(record.signature));
            QCOMPARE(record.sessionId, sessionId);
            QCOMPARE(record.slot, planned.slot);
            QCOMPARE(record.success, planned.summary.success);
            QCOMPARE(record.fee, planned.summary.fee);
            QCOMPARE(record.computeUnitsConsumed, planned.summary.computeUnitsConsumed);
            // The offset points at this transaction's line in the capture.
            QVERIFY(record.captureOffset >= 0);
            const Result<QByteArray> raw = CaptureReader::readRawTransaction(run.capturePath, record.captureOffset);
            QVERIFY2(raw.ok(), raw.ok() ? "" : qPrintable(raw.error().message));
            TransactionSummarizer summarizer;
            const Result<TransactionSummary> summary = summarizer.summarize(*raw);
            QVERIFY(summary.ok());
            QCOMPARE(summary->signature, record.signature);
        }
    }
    QCOMPARE(carried, quint64(31));
    QCOMPARE(signatures.size(), 31);
    QVERIFY(batchesWithTransactions >= 1);

    // Session rows: the run row first, then the session, every update on this run.
    const QList<SessionUpdate> sessions = recorder.sessions();
    QVERIFY(sessions.size() >= 3);
    QCOMPARE(sessions.first().runId, recorder.runId);
    QCOMPARE(sessions.first().sessionId, QString());
    QCOMPARE(sessions.first().state, std::optional<SessionState>(SessionState::Creating));
    QCOMPARE(sessions.first().startSlot, std::optional<quint64>(kStart));
    QCOMPARE(sessions.first().endSlot, std::optional<quint64>(kEnd));
    for (const SessionUpdate &session : sessions)
        QCOMPARE(session.runId, recorder.runId);
    QCOMPARE(sessions.last().sessionId, sessionId);
    QCOMPARE(sessions.last().transactionsCaptured, std::optional<quint64>(31));
    QCOMPARE(sessions.last().currentSlot, std::optional<quint64>(kEnd));
    QCOMPARE(sessions.last().lastError, std::optional<QString>(QString()));
    // Ready is seen because the run waited for the user; while it runs to the
    // end, each ready turns into the next Continue before any batch goes out.
    QCOMPARE(stateNames(recorder.distinctStates()),
             stateNames({SessionState::Creating, SessionState::Ready, SessionState::Running, SessionState::Completed}));

    // Positions follow the slots, and the last one says the session is done.
    const QList<PositionUpdate> positions = recorder.positions();
    QVERIFY(!positions.isEmpty());
    for (qsizetype i = 1; i < positions.size(); ++i)
        QVERIFY(positions.at(i).slot >= positions.at(i - 1).slot);
    QVERIFY(positions.last().finished);
    QCOMPARE(positions.last().slot, kEnd + 1); // the next slot to execute: none of the range is left
}

void tst_SessionEngine::stopMidRunKeepsWhatArrived()
{
    // One Continue over the whole range, paced at 20 ms per slot (≈ 4 s):
    // time to stop in between.
    RefServerConfig serverConfig = fixtureServerConfig();
    serverConfig.slotDelayMs = 20;
    QVERIFY(startServer(serverConfig));
    EngineRecorder recorder(*m_engine);
    RunConfig run = config(RunConfig::Drive::RunToEnd, u"stopped"_s);
    run.advanceCount = kEnd - kStart + 1;
    m_engine->start(run, m_server->controlUrl().toString());
    QTRY_VERIFY_WITH_TIMEOUT(recorder.transactions().size() >= 3, kTimeoutMs);
    QVERIFY(!recorder.finished());

    m_engine->stop();
    QCOMPARE(recorder.outcomes.size(), 1);
    const RunOutcome outcome = recorder.outcomes.first();
    QCOMPARE(outcome.kind, RunOutcome::Kind::Stopped);
    QCOMPARE(outcome.category, RunOutcome::Category::None);
    QVERIFY(!outcome.captureComplete);
    QVERIFY(!outcome.succeeded());
    QVERIFY(!m_engine->isRunning());
    const QList<TransactionRecord> delivered = recorder.transactions();
    QCOMPARE(outcome.transactions, quint64(delivered.size()));
    QVERIFY(delivered.size() < 31);

    // The capture has everything the model got, and no summary line.
    CaptureReader reader;
    QVERIFY(reader.open(run.capturePath).ok());
    QStringList captured;
    CapturedTransaction tx;
    while (reader.readNext(tx))
        captured.append(tx.signature);
    QCOMPARE(reader.errorString(), QString());
    QCOMPARE(reader.skippedLines(), 0);
    QVERIFY(!reader.summary());
    QCOMPARE(captured, signaturesOf(delivered));
    QCOMPARE(reader.totals().total, quint64(delivered.size()));
    QCOMPARE(QJsonDocument::fromJson(lastLine(run.capturePath)).object().value(u"type"_s).toString(), u"tx"_s);

    // The row says Stopped, without an error.
    const QList<SessionUpdate> sessions = recorder.sessions();
    QCOMPARE(sessions.last().state, std::optional<SessionState>(SessionState::Stopped));
    QCOMPARE(sessions.last().lastError, std::optional<QString>(QString()));
    const Result<QList<CaptureEvent>> events = CaptureEventReader::readAll(CaptureWriter::eventsPathFor(run.capturePath));
    QVERIFY(events.ok());
    QCOMPARE(events->last().type, u"stopped"_s);
    QVERIFY(!eventTypes(*events).contains(u"completed"_s));

    // Nothing more arrives, and the session is closed on the server.
    QTRY_COMPARE_WITH_TIMEOUT(m_server->activeSessionCount(), 0, 5000);
    QCOMPARE(recorder.outcomes.size(), 1);
    QCOMPARE(recorder.transactions().size(), delivered.size());
    QVERIFY(!outcome.serverNotTold);
    QCOMPARE(outcome.message, u"stopped by the user"_s);
}

void tst_SessionEngine::stopWhileTheServerIsGoneSaysItWasNotTold_data()
{
    addSingleAndParallelRows();
}

void tst_SessionEngine::stopWhileTheServerIsGoneSaysItWasNotTold()
{
    // The close goes out on the control socket; with it Down the server is
    // never told and keeps the session until its disconnect timeout: said,
    // not a plain "stopped" that reads as closed on the server.
    QFETCH(bool, parallel);
    EngineRecorder recorder(*m_engine);
    RunConfig run = config(RunConfig::Drive::Manual, u"gone"_s, parallel);
    run.disconnectTimeoutSecs = 120;
    m_engine->start(run, m_server->controlUrl().toString());
    QTRY_VERIFY_WITH_TIMEOUT(!m_createdSessions.isEmpty(), kTimeoutMs);
    // The control socket's status after the first `from` connection events.
    const auto controlReported = [&recorder](qsizetype from, bool up) {
        const QList<ConnectionEvent> events = recorder.connections();
        return std::any_of(events.cbegin() + qMin(from, events.size()), events.cend(), [up](const ConnectionEvent &e) {
            return e.socket == u"control" && (e.status == ConnectionStatus::Up) == up;
        });
    };
    QTRY_VERIFY_WITH_TIMEOUT(controlReported(0, true), kTimeoutMs);
    const qsizetype before = recorder.connections().size();
    m_server.reset(); // the server goes away
    QTRY_VERIFY_WITH_TIMEOUT(controlReported(before, false), kTimeoutMs);
    m_engine->stop();
    QCOMPARE(recorder.outcomes.size(), 1);
    const RunOutcome outcome = recorder.outcomes.first();
    QCOMPARE(outcome.kind, RunOutcome::Kind::Stopped);
    QVERIFY(outcome.serverNotTold);
    QVERIFY2(outcome.message.startsWith(u"stopped by the user; the server could not be told"_s)
                 && outcome.message.endsWith(u"until its 120 s disconnect timeout"_s),
             qPrintable(outcome.message));
}

void tst_SessionEngine::stopDuringTheCreateSaysItWasNotTold_data()
{
    addSingleAndParallelRows();
}

void tst_SessionEngine::stopDuringTheCreateSaysItWasNotTold()
{
    // Stopped while the server waits for capacity: the create was sent, the
    // server may hold what it started for it, and nothing on the wire cancels
    // a create — said, not a plain "stopped".
    QFETCH(bool, parallel);
    RefServerConfig serverConfig = fixtureServerConfig();
    serverConfig.startupDelayMs = 60'000;
    serverConfig.startingRuntimeIntervalMs = 200;
    QVERIFY(startServer(serverConfig));
    EngineRecorder recorder(*m_engine);
    RunConfig run = config(RunConfig::Drive::Manual, u"waiting"_s, parallel);
    run.disconnectTimeoutSecs = 120;
    m_engine->start(run, m_server->controlUrl().toString());
    QTRY_VERIFY_WITH_TIMEOUT(!requestsOf(*m_server, {u"createBacktestSession"_s}).isEmpty(), kTimeoutMs);
    m_engine->stop();
    QCOMPARE(recorder.outcomes.size(), 1);
    const RunOutcome outcome = recorder.outcomes.first();
    QCOMPARE(outcome.kind, RunOutcome::Kind::Stopped);
    QVERIFY(outcome.serverNotTold);
    QVERIFY2(outcome.message.startsWith(u"stopped by the user while the server was creating the session"_s)
                 && outcome.message.endsWith(u"until its 120 s disconnect timeout"_s),
             qPrintable(outcome.message));
}

void tst_SessionEngine::failures_data()
{
    QTest::addColumn<QString>("apiKey");
    QTest::addColumn<quint64>("startSlot");
    QTest::addColumn<quint64>("endSlot");
    QTest::addColumn<bool>("closedPort");
    QTest::addColumn<quint64>("advanceCount");
    QTest::addColumn<RunOutcome::Category>("category");
    QTest::addColumn<QString>("messagePart");
    QTest::addColumn<bool>("captureOpened");
    QTest::addColumn<QString>("capturePath"); // empty = a fresh file in the temporary directory

    QTest::addRow("wrong API key") << u"not-the-key"_s << kStart << kEnd << false << quint64(1)
                                   << RunOutcome::Category::Auth << u"API key rejected"_s << true << QString();
    QTest::addRow("inverted range") << kApiKey << kEnd << kStart << false << quint64(1)
                                    << RunOutcome::Category::Range << u"startSlot must be <= endSlot"_s << true
                                    << QString();
    QTest::addRow("unreachable") << kApiKey << kStart << kEnd << true << quint64(1)
                                 << RunOutcome::Category::Unreachable << u"connection refused"_s << true
                                 << QString();
    QTest::addRow("unusable config") << kApiKey << kStart << kEnd << false << quint64(0)
                                     << RunOutcome::Category::Usage << u"advance count must be at least 1"_s << false
                                     << QString();
    QTest::addRow("capture cannot be written")
        << kApiKey << kStart << kEnd << false << quint64(1) << RunOutcome::Category::Capture
        << u"cannot write the capture"_s << false << u"/nonexistent-slotscope-dir/run.ndjson"_s;
}

void tst_SessionEngine::failures()
{
    QFETCH(QString, apiKey);
    QFETCH(quint64, startSlot);
    QFETCH(quint64, endSlot);
    QFETCH(bool, closedPort);
    QFETCH(quint64, advanceCount);
    QFETCH(RunOutcome::Category, category);
    QFETCH(QString, messagePart);
    QFETCH(bool, captureOpened);
    QFETCH(QString, capturePath);

    QString controlUrl = m_server->controlUrl().toString();
    if (closedPort) {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        controlUrl = u"ws://127.0.0.1:%1/backtest"_s.arg(probe.serverPort());
        probe.close();
    }
    EngineRecorder recorder(*m_engine);
    RunConfig run = config(RunConfig::Drive::RunToEnd, u"failed"_s);
    run.apiKey = apiKey;
    run.startSlot = startSlot;
    run.endSlot = endSlot;
    run.advanceCount = advanceCount;
    if (!capturePath.isEmpty())
        run.capturePath = capturePath;
    m_engine->start(run, controlUrl);
    QTRY_VERIFY_WITH_TIMEOUT(recorder.finished(), kTimeoutMs);
    QCOMPARE(recorder.outcomes.size(), 1);
    const RunOutcome outcome = recorder.outcomes.first();
    QCOMPARE(outcome.kind, RunOutcome::Kind::Failed);
    QCOMPARE(outcome.category, category);
    QVERIFY2(outcome.message.contains(messagePart), qPrintable(outcome.message));
    QVERIFY(!outcome.message.contains(u'\n'));
    QVERIFY(!outcome.captureComplete);
    QCOMPARE(outcome.transactions, quint64(0));
    QCOMPARE(recorder.started, captureOpened ? 1 : 0);
    QVERIFY(!m_engine->isRunning());

    if (closedPort) {
        // Every failed retry reaches the timeline while the socket stays Down:
        // its lane (and the coordinator's socket table) shows the attempt the
        // status bar names, and why, not those of the first failure.
        QList<int> downAttempts;
        for (const ConnectionEvent &event : recorder.connections()) {
            if (event.socket == u"control" && event.status == ConnectionStatus::Down) {
                downAttempts << event.attempt;
                QVERIFY2(event.reason.contains(u"connection refused"), qPrintable(event.reason));
            }
        }
        QVERIFY2(downAttempts.size() >= 2, qPrintable(QString::number(downAttempts.size())));
        for (qsizetype i = 1; i < downAttempts.size(); ++i)
            QCOMPARE_GT(downAttempts.at(i), downAttempts.at(i - 1));
    }

    // The run row carries the error.
    const QList<SessionUpdate> sessions = recorder.sessions();
    QVERIFY(!sessions.isEmpty());
    QCOMPARE(sessions.first().runId, sessions.last().runId);
    QCOMPARE(sessions.last().lastError, std::optional<QString>(outcome.message));
    // Also a failure the engine raises itself (validate(), the capture cannot
    // be opened) leaves the row Failed, not Creating.
    QCOMPARE(sessions.last().state, std::optional<SessionState>(SessionState::Failed));
    if (captureOpened) {
        const Result<QList<CaptureEvent>> events =
            CaptureEventReader::readAll(CaptureWriter::eventsPathFor(run.capturePath));
        QVERIFY(events.ok());
        QCOMPARE(events->last().type, u"error"_s);
        QCOMPARE(events->last().data.value(u"message"_s).toString(), outcome.message);
        QVERIFY(!eventTypes(*events).contains(u"session_created"_s));
        QVERIFY(m_createdSessions.isEmpty());
    } else {
        QVERIFY(!QFile::exists(run.capturePath));
    }
}

void tst_SessionEngine::parallelBatchCapturesEverySubSession()
{
    // Bundles of 25 slots: 1000..1199 is a batch of 8 sub-sessions.
    RefServerConfig serverConfig = fixtureServerConfig();
    serverConfig.bundleSize = 25;
    QVERIFY(startServer(serverConfig));

    EngineRecorder recorder(*m_engine);
    RunConfig run = config(RunConfig::Drive::RunToEnd, u"batch"_s, true);
    run.advanceCount = 10;
    m_engine->start(run, m_server->controlUrl().toString());
    VERIFY_RUN_CAPTURED_ALL(recorder);

    const Result<QList<CaptureEvent>> read = CaptureEventReader::readAll(CaptureWriter::eventsPathFor(run.capturePath));
    QVERIFY(read.ok());
    const auto ranges = subSessionRanges(*read);
    QCOMPARE(ranges.size(), 8);
    quint64 expectedStart = kStart;
    QList<std::pair<quint64, quint64>> sorted = ranges.values();
    std::sort(sorted.begin(), sorted.end());
    for (const auto &[start, end] : sorted) {
        QCOMPARE(start, expectedStart);
        QCOMPARE(end, start + 24);
        expectedStart = end + 1;
    }
    QCOMPARE(expectedStart, kEnd + 1);

    // Every fixture once, tagged with the sub-session whose range holds its slot.
    CaptureReader reader;
    QVERIFY(reader.open(run.capturePath).ok());
    QSet<QString> seen;
    CapturedTransaction tx;
    while (reader.readNext(tx)) {
        QVERIFY2(!seen.contains(tx.signature), qPrintable(tx.signature));
        seen.insert(tx.signature);
        const Planned &planned = m_plan.at(m_planIndex.value(tx.signature, -1));
        QCOMPARE(tx.slot, planned.slot);
        QVERIFY2(ranges.contains(tx.sessionId), qPrintable(tx.sessionId));
        QVERIFY(tx.slot >= ranges.value(tx.sessionId).first && tx.slot <= ranges.value(tx.sessionId).second);
        QCOMPARE(tx.fee, std::optional<quint64>(planned.summary.fee));
    }
    QCOMPARE(seen.size(), 31);
    QVERIFY(reader.summary());
    QCOMPARE(QSet<QString>(reader.summary()->sessionIds.cbegin(), reader.summary()->sessionIds.cend()),
             QSet<QString>(ranges.keyBegin(), ranges.keyEnd()));

    // One child row per sub-session, each ending Completed, and the batch row.
    QHash<QString, SessionState> lastState;
    bool sawBatchRow = false;
    for (const SessionUpdate &update : recorder.sessions()) {
        if (update.sessionId.isEmpty()) {
            sawBatchRow = true;
            continue;
        }
        if (update.state)
            lastState.insert(update.sessionId, *update.state);
    }
    QVERIFY(sawBatchRow);
    QCOMPARE(lastState.size(), 8);
    for (const SessionState state : std::as_const(lastState))
        QCOMPARE(state, SessionState::Completed);
    // Every sub-session ran its own slots: 8 × 25 slot events after the startup ones.
    QCOMPARE(eventsOfType(*read, u"completed"_s).size(), 8);
}

void tst_SessionEngine::parallelSteppingIsPerSessionOrLockstep()
{
    RefServerConfig serverConfig = fixtureServerConfig();
    serverConfig.bundleSize = 50;
    QVERIFY(startServer(serverConfig));

    EngineRecorder recorder(*m_engine);
    RunConfig run = config(RunConfig::Drive::Manual, u"lockstep"_s, true);
    m_engine->start(run, m_server->controlUrl().toString());

    auto statesById = [&] {
        QHash<QString, SessionState> states;
        for (const SessionUpdate &update : recorder.sessions()) {
            if (!update.sessionId.isEmpty() && update.state)
                states.insert(update.sessionId, *update.state);
        }
        return states;
    };
    auto allIn = [&](SessionState wanted) {
        const auto states = statesById();
        return states.size() == 4 && std::all_of(states.cbegin(), states.cend(), [&](SessionState s) { return s == wanted; });
    };
    auto slotsOf = [&](const QString &sessionId) {
        QList<quint64> reported;
        const auto events = CaptureEventReader::readAll(CaptureWriter::eventsPathFor(run.capturePath));
        for (const CaptureEvent &event : *events) {
            if (event.type == u"slot" && event.sessionId == sessionId)
                reported.append(quint64(event.data.value(u"slot"_s).toInteger()));
        }
        return reported;
    };
    QTRY_VERIFY_WITH_TIMEOUT(allIn(SessionState::Ready), kTimeoutMs);
    QStringList ids = statesById().keys();
    std::sort(ids.begin(), ids.end());

    // One sub-session: only it advances.
    const QString first = ids.first();
    m_engine->continueSession(3, first);
    QTRY_COMPARE_WITH_TIMEOUT(statesById().value(first), SessionState::Ready, kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(slotsOf(first).size() == 4, kTimeoutMs); // startup + 3 executed
    for (const QString &other : ids.mid(1))
        QCOMPARE(slotsOf(other).size(), 1); // only its startup notification

    // Lockstep: every sub-session advances 2 slots.
    m_engine->continueSession(2);
    QTRY_VERIFY_WITH_TIMEOUT(allIn(SessionState::Ready) && slotsOf(ids.last()).size() == 3, kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(slotsOf(first).size(), 6, kTimeoutMs);
    for (const QString &other : ids.mid(1))
        QCOMPARE(slotsOf(other).size(), 3);

    m_engine->runToEnd();
    VERIFY_RUN_CAPTURED_ALL(recorder);
}

void tst_SessionEngine::simulationErrorsAreCountedNeverRefused_data()
{
    QTest::addColumn<WireVersion>("wire");
    QTest::addColumn<bool>("parallel");
    addWireAndParallelRows();
}

void tst_SessionEngine::simulationErrorsAreCountedNeverRefused()
{
    // A per-transaction simulationError after every 5th transaction of each
    // session (PROTOCOL-0.31.md §4.7): informational — the run goes on to the
    // end, every transaction is captured, nothing is refused or re-driven.
    QFETCH(WireVersion, wire);
    QFETCH(bool, parallel);
    RefServerConfig serverConfig = fixtureServerConfig();
    serverConfig.wire = wire;
    serverConfig.simulationErrorEvery = 5;
    serverConfig.bundleSize = 50;
    QVERIFY(startServer(serverConfig));

    EngineRecorder recorder(*m_engine);
    RunConfig run = config(RunConfig::Drive::RunToEnd, u"simerrors"_s, parallel);
    run.advanceCount = 7;
    m_engine->start(run, m_server->controlUrl().toString());
    VERIFY_RUN_CAPTURED_ALL(recorder);

    // Every fixture once.
    CaptureReader reader;
    QVERIFY(reader.open(run.capturePath).ok());
    QSet<QString> captured;
    CapturedTransaction tx;
    while (reader.readNext(tx))
        captured.insert(tx.signature);
    QCOMPARE(captured, QSet<QString>(m_planIndex.keyBegin(), m_planIndex.keyEnd()));

    // Transactions per session, as the server ran them: floor(n / 5) errors each.
    const Result<QList<CaptureEvent>> read = CaptureEventReader::readAll(CaptureWriter::eventsPathFor(run.capturePath));
    QVERIFY(read.ok());
    QHash<QString, quint64> transactionsOf;
    {
        CaptureReader again;
        QVERIFY(again.open(run.capturePath).ok());
        while (again.readNext(tx))
            ++transactionsOf[tx.sessionId];
    }
    QHash<QString, quint64> expectedErrors;
    quint64 expectedTotal = 0;
    for (auto it = transactionsOf.cbegin(); it != transactionsOf.cend(); ++it) {
        if (it.value() / 5 > 0)
            expectedErrors.insert(it.key(), it.value() / 5);
        expectedTotal += it.value() / 5;
    }
    QCOMPARE(expectedTotal, parallel ? quint64(4) : quint64(6)); // 31 over 4 sub-sessions: 8+8+8+7
    QHash<QString, quint64> logged;
    QHash<QString, quint64> lastCount;
    for (const CaptureEvent &event : *read) {
        if (event.type == u"simulation_error") {
            ++logged[event.sessionId];
            QCOMPARE(quint64(event.data.value(u"count"_s).toInteger()), logged.value(event.sessionId));
            QVERIFY(event.data.value(u"error"_s).toObject().contains(u"simulationError"_s));
        }
        QVERIFY2(event.type != u"error", event.dataJson.constData()); // never a refusal, never a failure
    }
    // Per session: the events file and the row (a sub-session's own row).
    QCOMPARE(logged, expectedErrors);
    for (const SessionUpdate &update : recorder.sessions()) {
        if (update.simulationErrors && *update.simulationErrors > 0)
            lastCount[update.sessionId] = *update.simulationErrors;
    }
    QCOMPARE(lastCount, expectedErrors);
    // Stepping went on as usual: one Continue of 7 slots per step, to the end.
    QCOMPARE(eventsOfType(*read, u"completed"_s).size(), parallel ? 4 : 1);
    for (const CaptureEvent &sent : eventsOfType(*read, u"continue_sent"_s))
        QCOMPARE(sent.data.value(u"advanceCount"_s).toInteger(), 7);
}

void tst_SessionEngine::pauseAtDiscoveriesStepsOncePerBatch_data()
{
    QTest::addColumn<WireVersion>("wire");
    QTest::addColumn<bool>("parallel");
    QTest::addColumn<int>("readyAfterPausedMs");
    addWireAndParallelRows(0);
    // A step sent between `paused` and its ready would be refused.
    QTest::addRow("wire 0.31, single session, ready 300 ms after paused") << WireVersion::V0_31 << false << 300;
}

void tst_SessionEngine::pauseAtDiscoveriesStepsOncePerBatch()
{
    // Issue 8 "Done when": exactly one continueTo per discovered batch, the
    // server never rejects a request, every discovered batch ends with a
    // `paused` — whether the server answers a continueTo with `paused` alone
    // (0.28) or with `paused` then `readyForContinue` (0.31, §3.2).
    QFETCH(WireVersion, wire);
    QFETCH(bool, parallel);
    QFETCH(int, readyAfterPausedMs);
    RefServerConfig serverConfig = fixtureServerConfig();
    serverConfig.wire = wire;
    serverConfig.bundleSize = 50;
    serverConfig.readyAfterPausedMs = readyAfterPausedMs;
    QVERIFY(startServer(serverConfig));

    EngineRecorder recorder(*m_engine);
    RunConfig run = config(RunConfig::Drive::PauseAtDiscoveries, u"pauses"_s, parallel);
    run.discoverPrograms = {kJupiter};
    run.pauseAtDiscoveries = true;
    m_engine->start(run, m_server->controlUrl().toString());
    VERIFY_RUN_CAPTURED_ALL(recorder);

    // Per session: announced batches = pauses = Continue-tos, in order, and
    // each pause followed by the ready that lets the next step go.
    const Result<QList<CaptureEvent>> read = CaptureEventReader::readAll(CaptureWriter::eventsPathFor(run.capturePath));
    QVERIFY(read.ok());
    QHash<QString, QStringList> discovered, paused, continuedTo;
    QHash<QString, QString> lastType;
    QStringList allDiscovered;
    int synthesized = 0;
    for (const CaptureEvent &event : *read) {
        QVERIFY2(event.type != u"error", event.dataJson.constData()); // nothing refused, nothing failed
        if (event.type == u"discovery_batch") {
            discovered[event.sessionId].append(position(event.data));
            allDiscovered.append(position(event.data));
        } else if (event.type == u"paused") {
            QVERIFY2(discovered.value(event.sessionId).contains(position(event.data)), qPrintable(position(event.data)));
            paused[event.sessionId].append(position(event.data));
        } else if (event.type == u"continue_to_sent") {
            QCOMPARE(lastType.value(event.sessionId), u"ready"_s); // stepped on a ready, never on the paused
            continuedTo[event.sessionId].append(position(event.data));
        } else if (event.type == u"ready") {
            synthesized += event.data.value(u"synthesized"_s).toBool() ? 1 : 0;
        }
        if (event.type == u"ready" || event.type == u"paused" || event.type == u"continue_to_sent"
            || event.type == u"continue_sent")
            lastType[event.sessionId] = event.type;
    }
    std::sort(allDiscovered.begin(), allDiscovered.end());
    QStringList jupiter = m_jupiterPositions;
    std::sort(jupiter.begin(), jupiter.end());
    QCOMPARE(allDiscovered, jupiter);
    QCOMPARE(paused, discovered);
    QCOMPARE(continuedTo, discovered);
    // A 0.31 server always sends the ready; a 0.28 one never does, and the
    // engine stands in for it (after one grace period, then at once).
    if (wire == WireVersion::V0_31)
        QCOMPARE(synthesized, 0);
    else
        QCOMPARE(synthesized, int(allDiscovered.size()));

    // The server's transcript: exactly one Continue-to per discovered batch.
    QCOMPARE(requestsOf(*m_server, {u"continueTo"_s, u"continueToSessionV1"_s}).size(), allDiscovered.size());
}

void tst_SessionEngine::reconnectNowSkipsALongBackoff()
{
    // A subscription waits out a 30 s backoff; the row says when the retry
    // is due. Reconnect now makes it at once, and the run completes well
    // before the backoff would have ended, no due time left on the row.
    RefServerConfig serverConfig = fixtureServerConfig();
    serverConfig.slotDelayMs = 20;
    serverConfig.dataFaults.dropEveryNotifications = 5;
    serverConfig.dataFaults.maxDrops = 1;
    QVERIFY(startServer(serverConfig));
    ConnectionPolicy policy = enginePolicy();
    policy.initialBackoff = milliseconds{30'000};
    policy.maxBackoff = milliseconds{30'000};
    m_engine->setConnectionPolicy(policy);
    EngineRecorder recorder(*m_engine);
    RunConfig run = config(RunConfig::Drive::RunToEnd, u"now"_s);
    run.advanceCount = kEnd - kStart + 1;
    m_engine->start(run, m_server->controlUrl().toString());
    // The newest report of the session's transactions socket.
    const auto transactionsLink = [&recorder]() -> std::optional<LinkState> {
        std::optional<LinkState> newest;
        for (const SessionUpdate &update : recorder.sessions()) {
            if (!update.sessionId.isEmpty() && update.subscriptions && !update.subscriptions->isEmpty())
                newest = update.subscriptions->constFirst();
        }
        return newest;
    };
    QTRY_VERIFY_WITH_TIMEOUT(transactionsLink() && transactionsLink()->retryAtMs, kTimeoutMs);
    QVERIFY(describeLink(*transactionsLink()).contains(u"retry at "_s));
    QCOMPARE(m_createdSessions.size(), 1);
    m_engine->reconnectNow(m_createdSessions.first(), u"transactions"_s);
    QTRY_VERIFY_WITH_TIMEOUT(transactionsLink() && !transactionsLink()->retryAtMs, 5000);
    QVERIFY2(!describeLink(*transactionsLink()).contains(u"retry at "_s), qPrintable(describeLink(*transactionsLink())));
    QTRY_VERIFY_WITH_TIMEOUT(recorder.finished(), 10'000); // reconnected: not after the 30 s backoff
    QCOMPARE(recorder.outcomes.first().kind, RunOutcome::Kind::Completed);
}

void tst_SessionEngine::coordinatorFiguresReachTheEventsFile()
{
    // 8 sub-sessions of 25 slots × 4 transactions; 8 subscriptions dropped
    // after 30 notifications; every reconnect goes through the coordinator.
    RefServerConfig serverConfig = fixtureServerConfig();
    serverConfig.bundleSize = 25;
    serverConfig.transactionsPerSlot = 4;
    serverConfig.slotDelayMs = 2;
    serverConfig.dataFaults.dropEveryNotifications = 30;
    serverConfig.dataFaults.maxDrops = 8;
    QVERIFY(startServer(serverConfig));
    ConnectionPolicy policy = fastPolicy();
    policy.ungatedAttempts = 0;
    policy.maxAttempts = 20;
    m_engine->setConnectionPolicy(policy);

    EngineRecorder recorder(*m_engine);
    QList<std::pair<QString, bool>> answers;
    connect(m_engine.get(), &SessionEngine::reconnectNowHandled, this,
            [&](const QString &sessionId, const QString &socket, bool accepted) {
                answers.append({sessionId + u'/' + socket, accepted});
            });
    // The first snapshot with someone parked: ask that socket to go now.
    QString asked;
    connect(m_engine.get(), &SessionEngine::modelUpdated, this, [&](const ModelUpdate &update) {
        if (asked.isEmpty() && update.coordinator && !update.coordinator->parked.isEmpty()) {
            const auto &parked = update.coordinator->parked.constLast();
            asked = parked.sessionId + u'/' + parked.socket;
            m_engine->reconnectNow(parked.sessionId, parked.socket);
            m_engine->reconnectNow(parked.sessionId, u"account diffs"_s); // no such socket
        }
    });
    RunConfig run = config(RunConfig::Drive::RunToEnd, u"storm"_s, true);
    run.advanceCount = 25;
    m_engine->start(run, m_server->controlUrl().toString());
    QTRY_VERIFY_WITH_TIMEOUT(recorder.finished(), kTimeoutMs);
    m_engine->reconnectNow({}, u"control"_s); // after the run: nothing waits
    QVERIFY(!asked.isEmpty());
    QCOMPARE(answers.size(), 3);
    QCOMPARE(answers.at(0), std::pair(asked, true));
    QCOMPARE(answers.at(1).second, false);
    QCOMPARE(answers.at(2), std::pair(u"/control"_s, false));

    // The GUI got snapshots; the events file has the same figures, growing,
    // and the asked socket's reconnect_now line.
    int snapshotsSent = 0;
    for (const ModelUpdate &update : std::as_const(recorder.updates))
        snapshotsSent += update.coordinator ? 1 : 0;
    QVERIFY(snapshotsSent > 0);
    const Result<QList<CaptureEvent>> read = CaptureEventReader::readAll(CaptureWriter::eventsPathFor(run.capturePath));
    QVERIFY(read.ok());
    const auto ranges = subSessionRanges(*read);
    const QList<CaptureEvent> lines = eventsOfType(*read, u"coordinator"_s);
    QVERIFY(!lines.isEmpty());
    quint64 reconnects = 0;
    quint64 parks = 0;
    bool sawParked = false;
    for (const CaptureEvent &line : lines) {
        const Result<CoordinatorSnapshot> snapshot = CoordinatorSnapshot::fromJson(line.data);
        QVERIFY2(snapshot.ok(), snapshot.ok() ? "" : qPrintable(snapshot.error().message));
        QVERIFY(snapshot->reconnects >= reconnects);
        QVERIFY(snapshot->parks >= parks);
        reconnects = snapshot->reconnects;
        parks = snapshot->parks;
        for (const auto &parked : snapshot->parked) {
            sawParked = true;
            QVERIFY2(ranges.contains(parked.sessionId), qPrintable(parked.sessionId));
            QCOMPARE(parked.socket, u"transactions"_s);
            // Dropped mid-range, after 30 of its 100 notifications: behind by
            // at most the sub-session's 25 slots.
            QVERIFY2(parked.slotsBehind && *parked.slotsBehind <= 25,
                     qPrintable(QJsonDocument(line.data).toJson(QJsonDocument::Compact)));
        }
        QCOMPARE(line.sessionId, QString());
    }
    QVERIFY(sawParked);
    QVERIFY2(parks >= 1 && reconnects >= 1, qPrintable(u"%1 parks, %2 reconnects"_s.arg(parks).arg(reconnects)));
    const QList<CaptureEvent> asks = eventsOfType(*read, u"reconnect_now"_s);
    QCOMPARE(asks.size(), 2);
    QCOMPARE(asks.first().sessionId + u'/' + asks.first().data.value(u"socket"_s).toString(), asked);
    QCOMPARE(asks.first().data.value(u"accepted"_s).toBool(), true);
    QCOMPARE(asks.last().data.value(u"accepted"_s).toBool(), false);

    // The batch completed: its last state has no storm going on (the last
    // sockets stop streaming because their streams ended), and every
    // sub-session's subscriptions end Closed, not Down.
    const Result<CoordinatorSnapshot> last = CoordinatorSnapshot::fromJson(lines.constLast().data);
    QVERIFY(last.ok());
    QVERIFY2(!last->inStorm(), qPrintable(QJsonDocument(lines.constLast().data).toJson(QJsonDocument::Compact)));
    QVERIFY(last->storms >= 1);
    // …and no socket streams or takes part any more.
    QCOMPARE(last->streaming, 0);
    QCOMPARE(last->participants, 0);
    QVERIFY(last->waitedFor.isEmpty());
    int closedLinks = 0;
    for (const ModelUpdate &update : std::as_const(recorder.updates)) {
        for (const SessionUpdate &row : update.sessions) {
            if (row.sessionId.isEmpty() || !row.state || *row.state != SessionState::Completed || !row.subscriptions)
                continue;
            for (const LinkState &link : *row.subscriptions) {
                QVERIFY2(link.ended, qPrintable(row.sessionId + u": "_s + describeLinkWithReason(link)));
                ++closedLinks;
            }
        }
    }
    QVERIFY(closedLinks >= 8);
}

void tst_SessionEngine::startupLongerThanTheHandshakeTimeout_data()
{
    addSingleAndParallelRows();
}

void tst_SessionEngine::startupLongerThanTheHandshakeTimeout()
{
    // Issue 8 item 5: a server that waits for capacity repeats `startingRuntime`
    // (PROTOCOL-0.31.md §4.5; here every 300 ms for 2.6 s). No handshake timer
    // (1 s here) fires while statuses keep coming: the one create is answered,
    // the run captures everything, and meanwhile the row says how long it has
    // been waiting.
    QFETCH(bool, parallel);
    RefServerConfig serverConfig = fixtureServerConfig();
    serverConfig.wire = WireVersion::V0_31;
    serverConfig.bundleSize = 100;
    serverConfig.startupDelayMs = 2600;
    serverConfig.startingRuntimeIntervalMs = 300;
    QVERIFY(startServer(serverConfig));
    ConnectionPolicy policy = enginePolicy();
    policy.handshakeResponseTimeout = milliseconds{1000};
    policy.parallelCreateReadTimeout = milliseconds{1000};
    m_engine->setConnectionPolicy(policy);

    EngineRecorder recorder(*m_engine);
    RunConfig run = config(RunConfig::Drive::RunToEnd, u"startup"_s, parallel);
    m_engine->start(run, m_server->controlUrl().toString());
    VERIFY_RUN_CAPTURED_ALL(recorder);

    // One create, never resent: no timer gave up on the waiting server.
    QCOMPARE(requestsOf(*m_server, {u"createBacktestSession"_s}).size(), 1);

    // The waiting row (the single session's, or the batch row: never a
    // sub-session's) counted the wait up in whole seconds from 0 s, then cleared it.
    QStringList waits;
    for (const SessionUpdate &update : recorder.sessions()) {
        if ((parallel && !update.sessionId.isEmpty()) || !update.stateDetail)
            continue;
        if (waits.isEmpty() || waits.last() != *update.stateDetail)
            waits.append(*update.stateDetail);
    }
    const QString seen = waits.join(u" | "_s);
    QVERIFY2(waits.size() >= 3, qPrintable(seen));
    QCOMPARE(waits.first(), u"starting runtime, 0 s"_s);
    QVERIFY2(waits.contains(u"starting runtime, 1 s"_s), qPrintable(seen));
    QCOMPARE(waits.last(), QString());
    static const QRegularExpression form(u"^starting runtime, (\\d) s$"_s);
    int previous = -1;
    for (const QString &wait : waits.first(waits.size() - 1)) {
        const QRegularExpressionMatch match = form.match(wait);
        QVERIFY2(match.hasMatch(), qPrintable(seen));
        QVERIFY2(match.captured(1).toInt() > previous, qPrintable(seen));
        previous = match.captured(1).toInt();
    }
    QVERIFY2(previous <= 3, qPrintable(seen));

    // The events file has the statuses: the single session's under its id
    // (delivered once it exists), the batch's own on the run ("").
    const Result<QList<CaptureEvent>> read = CaptureEventReader::readAll(CaptureWriter::eventsPathFor(run.capturePath));
    QVERIFY(read.ok());
    int startingStatuses = 0;
    for (const CaptureEvent &event : eventsOfType(*read, u"status"_s)) {
        if (event.data.value(u"status"_s).toString() == u"startingRuntime" && event.sessionId.isEmpty() == parallel)
            ++startingStatuses;
    }
    QVERIFY2(startingStatuses >= 5, qPrintable(QString::number(startingStatuses))); // at once, then every 300 ms
}

void tst_SessionEngine::namedRunReclaimsItsNameAfterADrop_data()
{
    addSingleAndParallelRows();
}

void tst_SessionEngine::namedRunReclaimsItsNameAfterADrop()
{
    // Issue 8 item 6: the control socket drops before the create was answered
    // (after the server's second startingRuntime). The create goes out again
    // with the same name and the same token, the server gives the name back
    // (no sessionNameTaken), and the row, the events file and the capture's
    // metadata carry the name.
    QFETCH(bool, parallel);
    RefServerConfig serverConfig = fixtureServerConfig();
    serverConfig.wire = WireVersion::V0_31;
    serverConfig.bundleSize = 100;
    serverConfig.startupDelayMs = 600;
    serverConfig.startingRuntimeIntervalMs = 100;
    serverConfig.controlFaults.abortEveryFrames = 2;
    serverConfig.controlFaults.maxAborts = 1;
    QVERIFY(startServer(serverConfig));

    EngineRecorder recorder(*m_engine);
    RunConfig run = config(RunConfig::Drive::RunToEnd, u"named"_s, parallel);
    run.name = u"SOL-USDC-Baseline"_s;
    m_engine->start(run, m_server->controlUrl().toString());
    VERIFY_RUN_CAPTURED_ALL(recorder);

    // Two creates, the second identical to the first: the name as the server
    // spells it and one token under both spellings (§3.1.2).
    QList<QJsonObject> creates;
    for (const QJsonObject &frame : requestsOf(*m_server, {u"createBacktestSession"_s}))
        creates.append(frame.value(u"params"_s).toObject());
    QCOMPARE(creates.size(), 2);
    QCOMPARE(creates.at(1), creates.at(0));
    QCOMPARE(creates.at(0).value(u"name"_s).toString(), u"sol-usdc-baseline"_s);
    const QString token = creates.at(0).value(u"createToken"_s).toString();
    QVERIFY2(QUuid::fromString(token).version() == QUuid::Random, qPrintable(token));
    QCOMPARE(creates.at(0).value(u"create_token"_s).toString(), token);
    // A busy server may keep the create waiting (PROTOCOL.md §3.1: absent or
    // 0 fails it at once).
    QCOMPARE(creates.at(0).value(u"capacityWaitTimeoutSecs"_s).toInteger(), qint64(kDefaultCapacityWaitSecs));

    // The events file: no error, the server's name on the session / batch.
    const Result<QList<CaptureEvent>> read = CaptureEventReader::readAll(CaptureWriter::eventsPathFor(run.capturePath));
    QVERIFY(read.ok());
    QStringList names;
    for (const CaptureEvent &event : *read) {
        QVERIFY2(event.type != u"error", event.dataJson.constData());
        if (event.type == u"session_created")
            names.append(event.data.value(parallel ? u"control_session_name"_s : u"session_name"_s).toString());
    }
    if (parallel)
        names.removeAll(QString()); // the sub-sessions' lines: their own session_name
    QCOMPARE(names, QStringList{u"sol-usdc-baseline"_s});

    // The row (the run row for a batch) and the capture's metadata line.
    QString rowName;
    for (const SessionUpdate &update : recorder.sessions()) {
        if (update.sessionId.isEmpty() == parallel && update.name)
            rowName = *update.name;
    }
    QCOMPARE(rowName, u"sol-usdc-baseline"_s);
    CaptureReader reader;
    QVERIFY(reader.open(run.capturePath).ok());
    QVERIFY(reader.metadata());
    QCOMPARE(reader.metadata()->sessionName, u"sol-usdc-baseline"_s);
}

void tst_SessionEngine::takenNameFailsTheCreate()
{
    // A second run under a name a live session holds fails at once with the
    // server's word for it (a create rejection, exit 4 headless).
    RefServerConfig serverConfig = fixtureServerConfig();
    serverConfig.wire = WireVersion::V0_31;
    QVERIFY(startServer(serverConfig));

    EngineRecorder holder(*m_engine);
    RunConfig first = config(RunConfig::Drive::Manual, u"holder"_s);
    first.name = u"taken-name"_s;
    m_engine->start(first, first.url);
    QTRY_COMPARE_WITH_TIMEOUT(m_server->activeSessionCount(), 1, kTimeoutMs);

    SessionEngine second;
    second.setConnectionPolicy(enginePolicy());
    EngineRecorder recorder(second);
    RunConfig run = config(RunConfig::Drive::RunToEnd, u"second"_s);
    run.name = u"Taken-Name"_s;
    second.start(run, run.url);
    QTRY_VERIFY_WITH_TIMEOUT(recorder.finished(), kTimeoutMs);
    const RunOutcome outcome = recorder.outcomes.first();
    QCOMPARE(outcome.kind, RunOutcome::Kind::Failed);
    QCOMPARE(outcome.category, RunOutcome::Category::Range);
    QCOMPARE(outcome.message, u"session create failed: session name taken: taken-name"_s);
    QCOMPARE(recorder.lastError(), outcome.message);
    QVERIFY(!holder.finished()); // the holder runs on
}

namespace {
std::atomic<bool> slowExitHandlerDone{false};
}

void tst_SessionEngine::hostWaitsForTheEngineThreadsExitHandlers()
{
#if defined(Q_OS_LINUX)
    // Qt's threads are detached: after QThread::wait() the engine thread still
    // runs its thread-exit handlers (OpenSSL's cleanup among them). The
    // host's destructor must not return, and let the process exit, before
    // they are done: here one that takes 300 ms.
    pthread_key_t key;
    QCOMPARE(pthread_key_create(&key,
                                [](void *) {
                                    std::this_thread::sleep_for(milliseconds{300});
                                    slowExitHandlerDone = true;
                                }),
             0);
    slowExitHandlerDone = false;
    auto host = std::make_unique<EngineHost>();
    auto *probe = new QObject;
    probe->moveToThread(host->engineThread());
    QVERIFY(QMetaObject::invokeMethod(
        probe, [key] { pthread_setspecific(key, reinterpret_cast<void *>(1)); }, Qt::BlockingQueuedConnection));
    host.reset();
    QVERIFY(slowExitHandlerDone);
    delete probe; // its thread is gone
    pthread_key_delete(key);
#else
    QSKIP("thread-exit handlers are checked on Linux");
#endif
}

void tst_SessionEngine::hostClosesALiveRunWithoutWaitingOutTheCloseTimeout()
{
    // Closing the window mid-run: the host stops the run on the engine
    // thread, lets that thread's event loop finish the graceful close and
    // only then ends the thread — promptly, not after the close timeout.
    ConnectionPolicy policy = enginePolicy();
    policy.gracefulCloseTimeout = milliseconds{30'000};
    auto host = std::make_unique<EngineHost>();
    host->setConnectionPolicy(policy);
    EngineRecorder recorder(*host);
    RunConfig run = config(RunConfig::Drive::Manual, u"live"_s);
    run.accountDiffs = true; // a control socket and three data sockets to close
    host->start(run, m_server->controlUrl().toString());
    QTRY_VERIFY_WITH_TIMEOUT(recorder.latestState() == SessionState::Ready, kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(m_server->activeSessionCount(), 1, kTimeoutMs);

    QElapsedTimer closing;
    closing.start();
    host.reset();
    const qint64 closeMs = closing.elapsed();
    QVERIFY2(closeMs < policy.gracefulCloseTimeout.count() / 3,
             qPrintable(u"the host took %1 ms to close a live run"_s.arg(closeMs)));
    // closeBacktestSession went out before the sockets closed: the server
    // drops the session now instead of keeping it for its disconnect timeout.
    QTRY_COMPARE_WITH_TIMEOUT(m_server->activeSessionCount(), 0, 5000);
}

void tst_SessionEngine::shutdownBehindTheStopsOwnCloseDoesNotWaitOutTheTimeout()
{
    // What a headless run hit at random when it ended: the run's end closed
    // the control socket inside one queued call on the engine thread (the
    // drain's last data socket settling), whose disconnect settles through
    // a queued call of its own, posted behind the host's shutdown request
    // that had arrived meanwhile. A nested event loop in shutdown() never
    // delivered it (Qt's glib dispatcher sees no new post) and the exit
    // waited the whole close timeout. Here in that order, deterministically.
    ConnectionPolicy policy = enginePolicy();
    policy.gracefulCloseTimeout = milliseconds{30'000};
    QThread thread;
    auto *engine = new SessionEngine;
    engine->setConnectionPolicy(policy);
    engine->moveToThread(&thread);
    thread.start();
    const auto stopThread = qScopeGuard([&] {
        thread.quit();
        thread.wait();
        delete engine;
    });
    EngineRecorder recorder(*engine, this);
    RunConfig run = config(RunConfig::Drive::Manual, u"live"_s);
    run.accountDiffs = true;
    QMetaObject::invokeMethod(engine, [engine, run, url = m_server->controlUrl().toString()] {
        engine->start(run, url, u"run"_s);
    });
    QTRY_VERIFY_WITH_TIMEOUT(recorder.latestState() == SessionState::Ready, kTimeoutMs);

    QSemaphore inside;
    QSemaphore gate;
    QMetaObject::invokeMethod(engine, [engine, &inside, &gate] {
        inside.release();
        gate.acquire(); // until the shutdown request is queued behind this call
        engine->stop(); // closes the sockets: their disconnects queue up behind it
    });
    inside.acquire();
    connect(engine, &SessionEngine::shutdownFinished, &thread, &QThread::quit, Qt::DirectConnection);
    QElapsedTimer closing;
    closing.start();
    QMetaObject::invokeMethod(engine, [engine] { engine->shutdown(); });
    gate.release();
    QVERIFY(thread.wait(policy.gracefulCloseTimeout.count() * 2));
    const qint64 closeMs = closing.elapsed();
    QVERIFY2(closeMs < policy.gracefulCloseTimeout.count() / 3,
             qPrintable(u"the shutdown took %1 ms"_s.arg(closeMs)));
    QVERIFY(!engine->isClosing());
}

QTEST_GUILESS_MAIN(tst_SessionEngine)
#include "tst_sessionengine.moc"
