// ParallelControlManager against a scripted control server on 127.0.0.1, port
// 0 (PROTOCOL.md §3.7, §4.3, §4.13, §6.3, §6.5; seed parallel.rs): the create
// stream and its per-read timeout, ranges required, a drop before
// sessionsCreatedV2 re-creates, per-session seq_id dedup, re-attach with the
// cursors, continueSessionV1 routing, simulationError counted and delivered, graceful
// close once every sub-session completed.

#include "net/parallelcontrolmanager.h"
#include "support/policies.h"
#include "support/scriptedserver.h"
#include "support/waiting.h"

#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <QWebSocket>

using namespace SlotScope;
using namespace SlotScope::Testing;
using namespace Qt::StringLiterals;
using std::chrono::milliseconds;
using S = ConnectionStatus;

namespace {

const QString kControlId = u"parallel_0199d2c4-5b7e-7a31-9c1e-2f4b8d6a1cff"_s;
const QString kA = u"backtest_0199d2c4-5b7e-7a31-9c1e-2f4b8d6a1ca1"_s;
const QString kB = u"backtest_0199d2c4-5b7e-7a31-9c1e-2f4b8d6a1ca2"_s;
const QString kC = u"backtest_0199d2c4-5b7e-7a31-9c1e-2f4b8d6a1ca3"_s;
const QString kD = u"backtest_0199d2c4-5b7e-7a31-9c1e-2f4b8d6a1ca4"_s;

SessionInfo info(const QString &id) { return {id, u"/backtest/"_s + id, std::nullopt}; }

CreateSessionParams rangeParams()
{
    return {.startSlot = 1000, .endSlot = 1199};
}

Responses::SessionsCreatedV2 createdV2(const QStringList &ids, std::optional<QList<quint64>> starts,
                                       std::optional<QList<quint64>> ends)
{
    Responses::SessionsCreatedV2 created;
    created.controlSessionId = kControlId;
    created.sessionIds = ids;
    for (qsizetype i = 0; i < ids.size(); ++i)
        created.taskIds.append(i == 1 ? std::optional<QString>(u"task-7"_s) : std::nullopt);
    created.startSlots = std::move(starts);
    created.endSlots = std::move(ends);
    return created;
}

Responses::SessionEventV2 ev(const QString &id, quint64 seq, SessionEventKind event)
{
    return Responses::SessionEventV2{id, seq, std::move(event)};
}

Responses::Status status(const char *name) { return Responses::Status{QString::fromLatin1(name)}; }

/// The standard two sub-sessions A [1000, 1099] and B [1100, 1199].
void answerCreate(ScriptedServer &server)
{
    server.send(Responses::SessionCreated{info(kA)});
    server.send(ev(kA, 1, status("preparingBundle")));
    server.send(Responses::SessionCreated{info(kB)});
    server.send(ev(kB, 1, status("preparingBundle")));
    server.send(ev(kA, 2, Responses::ReadyForContinue{}));
    server.send(createdV2({kA, kB}, QList<quint64>{1000, 1100}, QList<quint64>{1099, 1199}));
}

// What the manager reported, as one ordered log.
struct Log
{
    QStringList entries;
    QList<S> statuses;
    QList<ParallelSubSessionInfo> created;
    QStringList duplicates;

    explicit Log(ParallelControlManager &control)
    {
        statuses.append(control.status());
        QObject::connect(&control, &ParallelControlManager::sessionsCreated, &control,
                         [this](const QString &id, const QList<ParallelSubSessionInfo> &subs) {
                             entries.append(u"created "_s + id);
                             created = subs;
                         });
        QObject::connect(&control, &ParallelControlManager::reattached, &control,
                         [this](const QString &id) { entries.append(u"reattached "_s + id); });
        QObject::connect(&control, &ParallelControlManager::eventReceived, &control,
                         [this](const QString &id, quint64 seq, const SessionEventKind &event) {
                             entries.append(u"%1#%2 %3"_s.arg(letter(id)).arg(seq).arg(methodName(event)));
                         });
        QObject::connect(&control, &ParallelControlManager::duplicateDropped, &control,
                         [this](const QString &id, quint64 seq) { duplicates.append(u"%1#%2"_s.arg(letter(id)).arg(seq)); });
        QObject::connect(&control, &ParallelControlManager::batchCompleted, &control,
                         [this] { entries.append(u"batch completed"_s); });
        QObject::connect(&control, &WebSocketConnection::statusChanged, &control,
                         [this](S status) { statuses.append(status); });
    }
    static QString letter(const QString &id)
    {
        return id == kA ? u"A"_s : id == kB ? u"B"_s : id == kC ? u"C"_s : id == kD ? u"D"_s : id;
    }
};

/// A scripted server that answers a create with answerCreate() (a test
/// replaces onRequest to script more), and a manager of rangeParams() for it
/// whose reports `log` records.
struct Batch
{
    ScriptedServer server;
    ParallelControlManager control;
    Log log;

    explicit Batch(const ConnectionPolicy &policy = fastPolicy(), const CreateSessionParams &params = rangeParams())
        : control(params, policy)
        , log(control)
    {
        server.onRequest = [this](const ControlRequest &request) {
            if (std::holds_alternative<Requests::CreateBacktestSession>(request))
                answerCreate(server);
        };
    }

    /// Listen, then start the manager against the server; false if it cannot listen.
    bool start()
    {
        if (!server.listen())
            return false;
        control.start(server.url(), u"key"_s);
        return true;
    }

    /// start(), then wait (2 s at most) for the manager to be Up.
    bool startUp()
    {
        return start() && QTest::qWaitFor([this] { return control.status() == S::Up; }, 2000);
    }
};

} // namespace

class tst_ParallelControlManager : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void createStreamsThenDeliversHeldEvents();
    void idsInOtherFormsNameTheSameSubSession();
    void rangesAreRequired_data();
    void rangesAreRequired();
    void createErrorIsFatal();
    void createRespellsDiscoveryFilters();
    void dropBeforeSessionsCreatedV2ReCreates();
    void createReadTimeoutIsPerRead();
    void createReadTimeoutExpiresThenReCreates();
    void dedupPerSession();
    void reattachSendsTheCursorsAndDedupsTheReplay();
    void attachRejectedIsFatal();
    void attachBusyIsTransient();
    void simulationErrorIsCountedNeverAnswersTheStep();
    void continueRoutesPerSubSession();
    void lostContinueIsResentAfterReattach_data();
    void lostContinueIsResentAfterReattach();
    void refusalOfACopyWaitsForTheStepsFrames_data();
    void refusalOfACopyWaitsForTheStepsFrames();
    void lateReadyOfAPauseLeavesTheNextStepInFlight();
    void refusedStandInStepEndsThePairing();
    void actedOnContinueIsNotResent();
    void replayAfterTheAttachShowsTheContinueActedOn();
    void terminalTopLevelErrorFails();
    void gracefulCloseOnceEverySubSessionCompleted();
    void closeSubSessionCountsAsDone();
};

void tst_ParallelControlManager::createStreamsThenDeliversHeldEvents()
{
    Batch batch;
    auto &[server, control, log] = batch;
    QList<FrameLogEntry> frames;
    QObject::connect(&control, &ParallelControlManager::frameLogged, &control,
                     [&frames](const FrameLogEntry &entry) { frames.append(entry); });
    QVERIFY(batch.start());

    QTRY_COMPARE_WITH_TIMEOUT(log.entries.size(), 4, 2000);
    // The console's rows of sub-session events name their sub-session (the
    // batch's one control socket carries them all); other frames name none.
    QStringList eventSessions;
    for (const FrameLogEntry &entry : std::as_const(frames)) {
        if (entry.method.startsWith(u"sessionEvent"_s))
            eventSessions.append(Log::letter(entry.sessionId));
        else
            QVERIFY2(entry.sessionId.isEmpty(), qPrintable(entry.method));
    }
    QCOMPARE(eventSessions, (QStringList{u"A"_s, u"B"_s, u"A"_s}));
    // Created first, then the events that arrived during the create, in order.
    QCOMPARE(log.entries, (QStringList{u"created "_s + kControlId, u"A#1 status"_s, u"B#1 status"_s,
                                       u"A#2 readyForContinue"_s}));
    QCOMPARE(log.statuses, (QList<S>{S::Down, S::Up}));
    QCOMPARE(log.created.size(), 2);
    QCOMPARE(log.created.at(0), (ParallelSubSessionInfo{info(kA), 1000, 1099}));
    SessionInfo b = info(kB);
    b.taskId = u"task-7"_s; // from sessionsCreatedV2's task_ids
    QCOMPARE(log.created.at(1), (ParallelSubSessionInfo{b, 1100, 1199}));
    QCOMPARE(control.subSessions(), log.created);
    QCOMPARE(control.controlSessionId(), kControlId);
    QCOMPARE(control.lastSequences(), (QMap<QString, quint64>{{kA, 2}, {kB, 1}}));

    // The create asked for parallel with a 900 s disconnect timeout.
    QCOMPARE(server.methods, QStringList{u"createBacktestSession"_s});
    const auto &create = std::get<Requests::CreateBacktestSession>(server.requests.first());
    QVERIFY(create.params.parallel);
    QCOMPARE(create.params.startSlot, quint64(1000));
    QCOMPARE(create.params.endSlot, quint64(1199));
    QCOMPARE(create.params.disconnectTimeoutSecs, std::optional<quint16>(900));
    QCOMPARE(control.createsSent(), 1);
}

void tst_ParallelControlManager::idsInOtherFormsNameTheSameSubSession()
{
    // PROTOCOL-0.31.md §5.1: the simple and hyphenated forms (with or without
    // the prefix, in any case) name one session. A server that announces a
    // sub-session in one form and lists or reports it in another once failed
    // the create ("sessionsCreatedV2 does not list sub-session …").
    const auto simple = [](const QString &id) { return QString(id).remove(u'-'); };
    const auto bare = [&simple](const QString &id) { return simple(id).mid(id.indexOf(u'_') + 1).toUpper(); };
    Batch batch;
    auto &[server, control, log] = batch;
    server.onRequest = [&](const ControlRequest &request) {
        if (std::holds_alternative<Requests::CreateBacktestSession>(request)) {
            server.send(Responses::SessionCreated{info(kA)});
            server.send(ev(simple(kA), 1, status("preparingBundle")));
            server.send(Responses::SessionCreated{info(kB)});
            server.send(createdV2({simple(kA), bare(kB)}, QList<quint64>{1000, 1100}, QList<quint64>{1099, 1199}));
            server.send(ev(bare(kB), 1, Responses::ReadyForContinue{}));
            server.send(ev(kB, 1, Responses::ReadyForContinue{})); // the same event again: a duplicate
            server.send(ev(bare(kA), 2, Responses::ReadyForContinue{}));
        }
    };
    QVERIFY(batch.startUp());
    QTRY_COMPARE_WITH_TIMEOUT(log.entries.size(), 4, 2000);
    // Reported under the form each was announced in.
    QCOMPARE(log.entries, (QStringList{u"created "_s + kControlId, u"A#1 status"_s, u"B#1 readyForContinue"_s,
                                       u"A#2 readyForContinue"_s}));
    QCOMPARE(log.duplicates, QStringList{u"B#1"_s});
    QCOMPARE(log.created.size(), 2);
    QCOMPARE(log.created.at(0).info.sessionId, kA);
    QCOMPARE(log.created.at(1).info.sessionId, kB);
    QCOMPARE(control.lastSequences(), (QMap<QString, quint64>{{kA, 2}, {kB, 1}}));
    // A step to B is sent, and an event in another form settles it.
    QVERIFY(control.sendContinue(kB, ContinueParams{}));
    QTRY_COMPARE_WITH_TIMEOUT(server.methods.size(), 2, 2000);
    QVERIFY(!control.sendContinue(kB, ContinueParams{})); // in flight
    server.send(ev(simple(kB), 2, Responses::ReadyForContinue{}));
    QTRY_VERIFY_WITH_TIMEOUT(!control.isContinueInFlight(kB), 2000);
    const Result<void> next = control.sendContinue(kB, ContinueParams{});
    QVERIFY2(next.ok(), qPrintable(next.ok() ? QString() : next.error().message));
}

void tst_ParallelControlManager::rangesAreRequired_data()
{
    QTest::addColumn<std::optional<QList<quint64>>>("starts");
    QTest::addColumn<std::optional<QList<quint64>>>("ends");
    using L = std::optional<QList<quint64>>;
    QTest::addRow("both omitted (old server)") << L() << L();
    QTest::addRow("end_slots omitted") << L(QList<quint64>{1000, 1100}) << L();
    QTest::addRow("start_slots too short") << L(QList<quint64>{1000}) << L(QList<quint64>{1099, 1199});
    QTest::addRow("end_slots too long") << L(QList<quint64>{1000, 1100}) << L(QList<quint64>{1099, 1199, 1299});
}

void tst_ParallelControlManager::rangesAreRequired()
{
    QFETCH(std::optional<QList<quint64>>, starts);
    QFETCH(std::optional<QList<quint64>>, ends);
    Batch batch;
    auto &[server, control, log] = batch;
    server.onRequest = [&](const ControlRequest &) {
        server.send(Responses::SessionCreated{info(kA)});
        server.send(Responses::SessionCreated{info(kB)});
        server.send(createdV2({kA, kB}, starts, ends));
    };
    QSignalSpy finished(&control, &WebSocketConnection::finished);
    QVERIFY(batch.start());

    QTRY_COMPARE_WITH_TIMEOUT(control.status(), S::Failed, 2000);
    QCOMPARE(control.statusReason(),
             u"the server did not report the sub-session slot ranges (too old for parallel batches)"_s);
    QCOMPARE(control.failureKind(), FailureKind::HandshakeRejected);
    QCOMPARE(finished.size(), 1);
    QVERIFY(log.entries.isEmpty()); // never created
    QVERIFY(!control.isCreated());
    QVERIFY(!control.isRunning()); // the loop has ended: nothing will connect again
    QCOMPARE(server.connections(), 1); // fatal: no retry
}

void tst_ParallelControlManager::createRespellsDiscoveryFilters()
{
    // PROTOCOL-0.31.md §4.9's rule on the batch's create as on a single one.
    CreateSessionParams params = rangeParams();
    params.parallel = true;
    params.discoveries = {DiscoveryFilter::programExecuted(u"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"_s)};
    Batch batch(fastPolicy(), params);
    auto &[server, control, log] = batch;
    server.onRequest = [&](const ControlRequest &request) {
        if (!std::holds_alternative<Requests::CreateBacktestSession>(request))
            return;
        if (server.requests.size() == 1) {
            server.send(Responses::Error{BacktestError::invalidRequest(
                u"unknown variant `programExecuted`, expected one of `program_executed`, `oracle_update`"_s)});
            return;
        }
        answerCreate(server);
    };
    QVERIFY(batch.startUp());
    QCOMPARE(server.methods, (QStringList{u"createBacktestSession"_s, u"createBacktestSession"_s}));
    QCOMPARE(server.connections(), 1);
    QCOMPARE(control.createParams().discoveryVariantSpellings.value(u"programExecuted"_s), u"program_executed"_s);
    QCOMPARE(control.subSessions().size(), 2);
}

void tst_ParallelControlManager::createErrorIsFatal()
{
    Batch batch;
    auto &[server, control, log] = batch;
    server.onRequest = [&](const ControlRequest &) {
        server.send(Responses::Error{BacktestError::invalidRequest(u"startSlot must be <= endSlot"_s)});
    };
    QVERIFY(batch.start());
    QTRY_COMPARE_WITH_TIMEOUT(control.status(), S::Failed, 2000);
    QVERIFY2(control.statusReason().startsWith(u"parallel create failed: "_s), qPrintable(control.statusReason()));
    QVERIFY(control.statusReason().contains(u"startSlot must be <= endSlot"_s));
    QCOMPARE(server.connections(), 1);
}

void tst_ParallelControlManager::dropBeforeSessionsCreatedV2ReCreates()
{
    Batch batch;
    auto &[server, control, log] = batch;
    int creates = 0;
    server.onRequest = [&](const ControlRequest &request) {
        if (!std::holds_alternative<Requests::CreateBacktestSession>(request))
            return;
        if (++creates == 1) {
            // A partial answer, then the connection dies before sessionsCreatedV2.
            server.send(Responses::SessionCreated{info(kA)});
            server.send(ev(kA, 1, status("preparingBundle")));
            server.send(ev(kA, 2, Responses::ReadyForContinue{}));
            QTimer::singleShot(50, &server, [&] { server.drop(); });
            return;
        }
        server.send(Responses::SessionCreated{info(kC)});
        server.send(ev(kC, 1, Responses::ReadyForContinue{}));
        server.send(Responses::SessionCreated{info(kD)});
        server.send(createdV2({kC, kD}, QList<quint64>{1000, 1100}, QList<quint64>{1099, 1199}));
    };
    QVERIFY(batch.start());

    QTRY_COMPARE_WITH_TIMEOUT(log.entries.size(), 2, 3000);
    // The same create went out twice; nothing of the abandoned attempt survives.
    QCOMPARE(server.methods, (QStringList{u"createBacktestSession"_s, u"createBacktestSession"_s}));
    QCOMPARE(std::get<Requests::CreateBacktestSession>(server.requests.at(1)),
             std::get<Requests::CreateBacktestSession>(server.requests.at(0)));
    QCOMPARE(log.entries, (QStringList{u"created "_s + kControlId, u"C#1 readyForContinue"_s}));
    QCOMPARE(log.created.size(), 2);
    QCOMPARE(log.created.at(0).info.sessionId, kC);
    QCOMPARE(log.created.at(1).info.sessionId, kD);
    QCOMPARE(control.lastSequences(), (QMap<QString, quint64>{{kC, 1}}));
    QCOMPARE(control.createsSent(), 2);
    QCOMPARE(log.statuses, (QList<S>{S::Down, S::Up}));
}

void tst_ParallelControlManager::createReadTimeoutIsPerRead()
{
    // The handshake response timeout is short; the create's per-read timeout
    // is longer, and each frame re-arms it: a slow stream still succeeds.
    ConnectionPolicy policy = fastPolicy();
    policy.handshakeResponseTimeout = milliseconds{150};
    policy.parallelCreateReadTimeout = milliseconds{500};
    Batch batch(policy);
    auto &[server, control, log] = batch;
    server.onRequest = [&](const ControlRequest &) {
        QTimer::singleShot(300, &server, [&] { server.send(Responses::SessionCreated{info(kA)}); });
        QTimer::singleShot(600, &server, [&] { server.send(Responses::SessionCreated{info(kB)}); });
        QTimer::singleShot(900, &server, [&] {
            server.send(createdV2({kA, kB}, QList<quint64>{1000, 1100}, QList<quint64>{1099, 1199}));
        });
    };
    QVERIFY(batch.start());
    QTRY_COMPARE_WITH_TIMEOUT(control.status(), S::Up, 3000);
    QCOMPARE(server.connections(), 1);
    QCOMPARE(control.createsSent(), 1);
    QCOMPARE(log.created.size(), 2);
}

void tst_ParallelControlManager::createReadTimeoutExpiresThenReCreates()
{
    ConnectionPolicy policy = fastPolicy();
    policy.parallelCreateReadTimeout = milliseconds{200};
    Batch batch(policy);
    auto &[server, control, log] = batch;
    int creates = 0;
    server.onRequest = [&](const ControlRequest &) {
        if (++creates == 1) {
            server.send(Responses::SessionCreated{info(kA)}); // then silence
            return;
        }
        answerCreate(server);
    };
    QVERIFY(batch.start());
    QTRY_COMPARE_WITH_TIMEOUT(control.status(), S::Up, 3000);
    QCOMPARE(control.createsSent(), 2);
    QCOMPARE(server.connections(), 2);
}

void tst_ParallelControlManager::dedupPerSession()
{
    Batch batch;
    auto &[server, control, log] = batch;
    QVERIFY(batch.startUp());
    log.entries.clear();

    server.send(ev(kA, 3, Responses::SlotNotification{1000}));
    server.send(ev(kB, 2, Responses::SlotNotification{1100}));
    server.send(ev(kA, 3, Responses::SlotNotification{1000}));   // duplicate
    server.send(ev(kA, 2, Responses::ReadyForContinue{}));        // older: duplicate
    server.send(ev(kB, 1, status("preparingBundle")));            // older: duplicate
    server.send(ev(kB, 3, Responses::ReadyForContinue{}));
    server.send(ev(kA, 5, Responses::ReadyForContinue{}));        // a gap is taken, and counted
    QTRY_COMPARE_WITH_TIMEOUT(log.entries.size(), 4, 2000);
    QVERIFY(server.roundTrip()); // the client has handled every frame sent before
    QCOMPARE(log.entries, (QStringList{u"A#3 slotNotification"_s, u"B#2 slotNotification"_s,
                                       u"B#3 readyForContinue"_s, u"A#5 readyForContinue"_s}));
    QCOMPARE(log.duplicates, (QStringList{u"A#3"_s, u"A#2"_s, u"B#1"_s}));
    QCOMPARE(control.duplicatesDropped(), qint64(3));
    QCOMPARE(control.lastSequences(), (QMap<QString, quint64>{{kA, 5}, {kB, 3}}));
    QCOMPARE(control.sequenceNumbersSkipped(), quint64(1)); // A#4
}

void tst_ParallelControlManager::reattachSendsTheCursorsAndDedupsTheReplay()
{
    Batch batch;
    auto &[server, control, log] = batch;
    server.onRequest = [&](const ControlRequest &request) {
        if (std::holds_alternative<Requests::CreateBacktestSession>(request)) {
            answerCreate(server);
            return;
        }
        if (std::holds_alternative<Requests::AttachParallelControlSessionV2>(request)) {
            // Replay around the confirmation, as PROTOCOL.md §6.5 allows.
            server.send(ev(kA, 2, Responses::ReadyForContinue{}));   // already seen
            server.send(ev(kA, 3, Responses::SlotNotification{1000})); // new
            server.send(ev(kB, 1, status("preparingBundle")));        // already seen
            Responses::ParallelSessionAttachedV2 attached{kControlId, {kA, kB}, {std::nullopt, std::nullopt}};
            server.send(attached);
            server.send(ev(kB, 2, Responses::ReadyForContinue{}));    // new
        }
    };
    QVERIFY(batch.start());
    QTRY_COMPARE_WITH_TIMEOUT(log.entries.size(), 4, 2000);
    log.entries.clear();

    server.drop();
    QTRY_COMPARE_WITH_TIMEOUT(log.entries.size(), 3, 3000);
    QCOMPARE(log.entries, (QStringList{u"A#3 slotNotification"_s, u"reattached "_s + kControlId,
                                       u"B#2 readyForContinue"_s}));
    QCOMPARE(log.duplicates, (QStringList{u"A#2"_s, u"B#1"_s}));
    QCOMPARE(log.statuses, (QList<S>{S::Down, S::Up, S::Down, S::Up}));
    QCOMPARE(server.methods, (QStringList{u"createBacktestSession"_s, u"attachParallelControlSessionV2"_s}));
    const auto &attach = std::get<Requests::AttachParallelControlSessionV2>(server.requests.at(1));
    QCOMPARE(attach.controlSessionId, kControlId);
    // The cursors: the last seq_id delivered per sub-session before the drop.
    QCOMPARE(attach.lastSequences, (QMap<QString, quint64>{{kA, 2}, {kB, 1}}));
    QCOMPARE(control.lastSequences(), (QMap<QString, quint64>{{kA, 3}, {kB, 2}}));
    QCOMPARE(control.createsSent(), 1);
}

void tst_ParallelControlManager::attachRejectedIsFatal()
{
    Batch batch;
    auto &[server, control, log] = batch;
    server.onRequest = [&](const ControlRequest &request) {
        if (std::holds_alternative<Requests::CreateBacktestSession>(request))
            answerCreate(server);
        else
            server.send(Responses::Error{BacktestError::sessionNotFound(kControlId)});
    };
    QVERIFY(batch.startUp());
    server.drop();
    QTRY_COMPARE_WITH_TIMEOUT(control.status(), S::Failed, 3000);
    QVERIFY2(control.statusReason().startsWith(u"attach rejected: "_s), qPrintable(control.statusReason()));
    QCOMPARE(server.connections(), 2);
}

void tst_ParallelControlManager::attachBusyIsTransient()
{
    Batch batch;
    auto &[server, control, log] = batch;
    int attaches = 0;
    server.onRequest = [&](const ControlRequest &request) {
        if (std::holds_alternative<Requests::CreateBacktestSession>(request)) {
            answerCreate(server);
            return;
        }
        if (++attaches == 1) {
            server.send(Responses::Error{BacktestError::sessionOwnershipBusy(u"still attached"_s)});
            return;
        }
        server.send(Responses::ParallelSessionAttachedV2{kControlId, {kA, kB}, {std::nullopt, std::nullopt}});
    };
    QVERIFY(batch.startUp());
    server.drop();
    QTRY_COMPARE_WITH_TIMEOUT(log.entries.count(u"reattached "_s + kControlId), 1, 3000);
    QCOMPARE(attaches, 2);
    QCOMPARE(control.status(), S::Up);
}

void tst_ParallelControlManager::simulationErrorIsCountedNeverAnswersTheStep()
{
    // PROTOCOL-0.31.md §4.7: a per-transaction simulationError is delivered
    // (the engine counts it per sub-session) and leaves the step in flight.
    Batch batch;
    auto &[server, control, log] = batch;
    QVERIFY(batch.startUp());
    log.entries.clear();
    QVERIFY(control.sendContinue(kA, ContinueParams{}).ok());

    QJsonObject fields{{u"error"_s, u"sanitize failure"_s}};
    server.send(ev(kA, 3, Responses::Error{BacktestError::make(BacktestErrorKind::SimulationError, fields)}));
    QTRY_COMPARE_WITH_TIMEOUT(log.entries.size(), 1, 2000);
    QVERIFY(control.isContinueInFlight(kA));
    server.send(ev(kA, 4, Responses::Error{BacktestError::invalidRequest(u"bad"_s)}));
    server.send(ev(kA, 5, Responses::Success{}));
    server.send(ev(kA, 6, Responses::ReadyForContinue{}));
    QTRY_COMPARE_WITH_TIMEOUT(log.entries.size(), 3, 2000);
    QCOMPARE(log.entries, (QStringList{u"A#3 error"_s, u"A#4 error"_s, u"A#6 readyForContinue"_s}));
    QCOMPARE(control.simulationErrors(), qint64(1));
    QCOMPARE(control.status(), S::Up);
    QCOMPARE(control.lastSequences().value(kA), quint64(6));
}

void tst_ParallelControlManager::continueRoutesPerSubSession()
{
    Batch batch;
    auto &[server, control, log] = batch;
    QVERIFY(batch.startUp());

    ContinueParams five{.advanceCount = 5};
    QVERIFY(control.sendContinue(kA, five).ok());
    QVERIFY(control.isContinueInFlight(kA));
    QVERIFY(!control.sendContinue(kA, five).ok());            // one in flight per sub-session
    QVERIFY(control.sendContinueTo(kB, ContinueToParams{1150, 2}).ok()); // B is independent
    QVERIFY(!control.sendContinue(kC, five).ok());             // not a sub-session of this batch
    QTRY_COMPARE_WITH_TIMEOUT(server.requests.size(), 3, 2000);
    QCOMPARE(std::get<Requests::ContinueSessionV1>(server.requests.at(1)), (Requests::ContinueSessionV1{kA, five}));
    QCOMPARE(std::get<Requests::ContinueToSessionV1>(server.requests.at(2)),
             (Requests::ContinueToSessionV1{kB, ContinueToParams{1150, 2}}));

    // readyForContinue of A frees A only; paused frees B.
    server.send(ev(kA, 3, Responses::ReadyForContinue{}));
    QTRY_VERIFY_WITH_TIMEOUT(!control.isContinueInFlight(kA), 2000);
    QVERIFY(control.isContinueInFlight(kB));
    server.send(ev(kB, 2, Responses::Paused{PausedEvent{1150, 2}}));
    QTRY_VERIFY_WITH_TIMEOUT(!control.isContinueInFlight(kB), 2000);
    QVERIFY(control.sendContinue(kA, ContinueParams{}).ok());
    // A rejecting error frees it as well.
    server.send(ev(kA, 4, Responses::Error{BacktestError::invalidRequest(u"no"_s)}));
    QTRY_VERIFY_WITH_TIMEOUT(!control.isContinueInFlight(kA), 2000);
}

void tst_ParallelControlManager::lostContinueIsResentAfterReattach_data()
{
    QTest::addColumn<bool>("discoveryReplayed");
    QTest::addRow("nothing replayed") << false;
    // A discovery is a background scan (PROTOCOL.md §4.8): it says nothing
    // of the step, as for a single session.
    QTest::addRow("only a discovery replayed") << true;
}

void tst_ParallelControlManager::lostContinueIsResentAfterReattach()
{
    QFETCH(bool, discoveryReplayed);
    Batch batch;
    auto &[server, control, log] = batch;
    int continues = 0;
    const quint64 first = discoveryReplayed ? 4 : 3;
    server.onRequest = [&](const ControlRequest &request) {
        if (std::holds_alternative<Requests::CreateBacktestSession>(request)) {
            answerCreate(server);
        } else if (std::holds_alternative<Requests::ContinueSessionV1>(request)) {
            if (++continues == 1) {
                server.drop(); // the request dies with the connection, never acted on
                return;
            }
            server.send(ev(kA, first, Responses::SlotNotification{1000}));
            server.send(ev(kA, first + 1, Responses::ReadyForContinue{}));
        } else if (std::holds_alternative<Requests::AttachParallelControlSessionV2>(request)) {
            server.send(Responses::ParallelSessionAttachedV2{kControlId, {kA, kB}, {std::nullopt, std::nullopt}});
            if (discoveryReplayed)
                server.send(ev(kA, 3, Responses::DiscoveryBatch{DiscoveryBatchEvent{}}));
        }
    };
    QVERIFY(batch.startUp());
    ContinueParams five{.advanceCount = 5};
    QVERIFY(control.sendContinue(kA, five).ok());
    QTRY_COMPARE_WITH_TIMEOUT(control.lastSequences().value(kA), first + 1, 10000);
    QCOMPARE(server.methods, (QStringList{u"createBacktestSession"_s, u"continueSessionV1"_s,
                                          u"attachParallelControlSessionV2"_s, u"continueSessionV1"_s}));
    QCOMPARE(std::get<Requests::ContinueSessionV1>(server.requests.at(3)), (Requests::ContinueSessionV1{kA, five}));
    QCOMPARE(control.continuesResent(), 1);
    QVERIFY(!control.isContinueInFlight(kA));
    QCOMPARE(log.entries.mid(log.entries.size() - 2),
             (QStringList{u"A#%1 slotNotification"_s.arg(first), u"A#%1 readyForContinue"_s.arg(first + 1)}));
}

void tst_ParallelControlManager::refusalOfACopyWaitsForTheStepsFrames_data()
{
    QTest::addColumn<bool>("firstRuns");
    QTest::addColumn<bool>("frameBeforeRefusal");
    QTest::addRow("the first copy runs") << true << false;
    QTest::addRow("the first copy runs, a frame of it before the refusal") << true << true;
    QTest::addRow("the first copy was lost") << false << false;
}

void tst_ParallelControlManager::refusalOfACopyWaitsForTheStepsFrames()
{
    // ControlManager's rule per sub-session: A's Continue is taken, the link
    // drops before anything of it was sent, the copy sent after the re-attach
    // is refused by a server busy with the first. The refusal is held; the
    // first one's frames drop it, and with none it stands.
    QFETCH(bool, firstRuns);
    QFETCH(bool, frameBeforeRefusal);
    Batch batch;
    auto &[server, control, log] = batch;
    int continues = 0;
    const Responses::Error refused{BacktestError::invalidRequest(u"continue sent while the step before is starting"_s)};
    server.onRequest = [&](const ControlRequest &request) {
        if (std::holds_alternative<Requests::CreateBacktestSession>(request)) {
            answerCreate(server);
        } else if (std::holds_alternative<Requests::ContinueSessionV1>(request)) {
            if (++continues == 1) {
                server.drop(); // taken, nothing of it sent yet
                return;
            }
            if (frameBeforeRefusal) {
                // The step showed itself running: the refusal can only be the copy's.
                server.send(ev(kA, 3, status("decodedTransactions")));
                server.send(ev(kA, 4, refused));
                QTimer::singleShot(300, &server, [&server] {
                    server.send(ev(kA, 5, Responses::ReadyForContinue{}));
                });
                return;
            }
            server.send(ev(kA, 3, refused));
            if (firstRuns) {
                QTimer::singleShot(300, &server, [&server] {
                    server.send(ev(kA, 4, Responses::SlotNotification{1000}));
                    server.send(ev(kA, 5, Responses::ReadyForContinue{}));
                });
            }
        } else if (std::holds_alternative<Requests::AttachParallelControlSessionV2>(request)) {
            server.send(Responses::ParallelSessionAttachedV2{kControlId, {kA, kB}, {std::nullopt, std::nullopt}});
        }
    };
    QVERIFY(batch.startUp());
    QVERIFY(control.sendContinue(kA, ContinueParams{.advanceCount = 5}).ok());
    QTRY_COMPARE_WITH_TIMEOUT(continues, 2, 10000);
    QCOMPARE(control.continuesResent(), 1);
    if (frameBeforeRefusal) {
        QTRY_COMPARE_WITH_TIMEOUT(control.lastSequences().value(kA), quint64(4), 2000); // the refusal came …
        QVERIFY(control.isContinueInFlight(kA));                                          // … the step runs on
        QCOMPARE(control.refusalsOfCopiesDropped(), qint64(1));
        QTRY_VERIFY_WITH_TIMEOUT(!control.isContinueInFlight(kA), 2000);
        QVERIFY(!log.entries.contains(u"A#4 error"_s));
        QCOMPARE(log.entries.mid(log.entries.size() - 2),
                 (QStringList{u"A#3 status"_s, u"A#5 readyForContinue"_s}));
        return;
    }
    QTRY_COMPARE_WITH_TIMEOUT(control.lastSequences().value(kA), quint64(3), 2000); // the refusal came …
    QVERIFY(control.isContinueInFlight(kA));                                          // … and was held
    QVERIFY(!log.entries.contains(u"A#3 error"_s));
    if (firstRuns) {
        QTRY_VERIFY_WITH_TIMEOUT(!control.isContinueInFlight(kA), 2000);
        QCOMPARE(control.refusalsOfCopiesDropped(), qint64(1));
        QTest::qWait(int(fastPolicy().duplicateRefusalHold.count()) + 200); // nothing late either
        QCOMPARE(log.entries.mid(log.entries.size() - 2),
                 (QStringList{u"A#4 slotNotification"_s, u"A#5 readyForContinue"_s}));
    } else {
        QTRY_COMPARE_WITH_TIMEOUT(log.entries.last(), u"A#3 error"_s, 3000);
        QVERIFY(!control.isContinueInFlight(kA));
        QCOMPARE(control.refusalsOfCopiesDropped(), qint64(0));
    }
}

void tst_ParallelControlManager::lateReadyOfAPauseLeavesTheNextStepInFlight()
{
    // ControlManager's rule per sub-session: A pauses, its ready is slow, the
    // session stands in and sends a Continue; the late ready, before anything
    // of that Continue, is the pause's: the Continue stays in flight and is
    // sent again when the link drops before the server acted on it.
    Batch batch;
    auto &[server, control, log] = batch;
    int continues = 0;
    server.onRequest = [&](const ControlRequest &request) {
        if (std::holds_alternative<Requests::CreateBacktestSession>(request)) {
            answerCreate(server);
        } else if (std::holds_alternative<Requests::ContinueToSessionV1>(request)) {
            server.send(ev(kA, 3, Responses::Paused{PausedEvent{1050, std::nullopt}})); // no ready yet
        } else if (std::holds_alternative<Requests::ContinueSessionV1>(request)) {
            if (++continues == 1)
                server.send(ev(kA, 4, Responses::ReadyForContinue{})); // the pause's, late
        } else if (std::holds_alternative<Requests::AttachParallelControlSessionV2>(request)) {
            server.send(Responses::ParallelSessionAttachedV2{kControlId, {kA, kB}, {std::nullopt, std::nullopt}});
        }
    };
    QVERIFY(batch.startUp());
    QVERIFY(control.sendContinueTo(kA, ContinueToParams{1050, std::nullopt}).ok());
    QTRY_VERIFY_WITH_TIMEOUT(!control.isContinueInFlight(kA), 2000); // paused
    QVERIFY(control.sendContinue(kA, ContinueParams{}).ok());
    QTRY_COMPARE_WITH_TIMEOUT(control.lastSequences().value(kA), quint64(4), 2000);
    QVERIFY(control.isContinueInFlight(kA));
    server.drop();
    QTRY_COMPARE_WITH_TIMEOUT(continues, 2, 10000);
    QCOMPARE(control.continuesResent(), 1);
}

void tst_ParallelControlManager::refusedStandInStepEndsThePairing()
{
    // As ControlManager: the stand-in's step refused, the session forgets the
    // stand-in and takes the pause's late ready as the next step's answer;
    // so does the batch's control layer.
    Batch batch;
    auto &[server, control, log] = batch;
    int continueTos = 0;
    server.onRequest = [&](const ControlRequest &request) {
        if (std::holds_alternative<Requests::CreateBacktestSession>(request)) {
            answerCreate(server);
        } else if (std::holds_alternative<Requests::ContinueToSessionV1>(request)) {
            if (++continueTos == 1)
                server.send(ev(kA, 3, Responses::Paused{PausedEvent{1050, std::nullopt}})); // no ready yet
            else
                server.send(ev(kA, 4, Responses::Error{BacktestError::invalidRequest(u"already executed"_s)}));
        } else if (std::holds_alternative<Requests::ContinueSessionV1>(request)) {
            server.send(ev(kA, 5, Responses::ReadyForContinue{})); // the pause's, late
        }
    };
    QVERIFY(batch.startUp());
    QVERIFY(control.sendContinueTo(kA, ContinueToParams{1050, std::nullopt}).ok());
    QTRY_VERIFY_WITH_TIMEOUT(!control.isContinueInFlight(kA), 2000); // paused
    QVERIFY(control.sendContinueTo(kA, ContinueToParams{1050, std::nullopt}).ok()); // the stand-in's step …
    QTRY_COMPARE_WITH_TIMEOUT(control.lastSequences().value(kA), quint64(4), 2000); // … refused
    QVERIFY(!control.isContinueInFlight(kA));
    QVERIFY(control.sendContinue(kA, ContinueParams{}).ok());
    QTRY_COMPARE_WITH_TIMEOUT(control.lastSequences().value(kA), quint64(5), 2000);
    QVERIFY(!control.isContinueInFlight(kA)); // answered, as the session sees it
}

void tst_ParallelControlManager::actedOnContinueIsNotResent()
{
    Batch batch;
    auto &[server, control, log] = batch;
    server.onRequest = [&](const ControlRequest &request) {
        if (std::holds_alternative<Requests::CreateBacktestSession>(request)) {
            answerCreate(server);
        } else if (std::holds_alternative<Requests::ContinueSessionV1>(request)) {
            server.send(ev(kA, 3, status("decodedTransactions"))); // acted on …
            QTimer::singleShot(50, &server, [&] { server.drop(); }); // … then the connection dies
        } else if (std::holds_alternative<Requests::AttachParallelControlSessionV2>(request)) {
            server.send(Responses::ParallelSessionAttachedV2{kControlId, {kA, kB}, {std::nullopt, std::nullopt}});
            server.send(ev(kA, 4, Responses::ReadyForContinue{})); // the step's answer, live
        }
    };
    QVERIFY(batch.startUp());
    QVERIFY(control.sendContinue(kA, ContinueParams{}).ok());
    QTRY_COMPARE_WITH_TIMEOUT(control.lastSequences().value(kA), quint64(4), 10000);
    QVERIFY(server.roundTrip()); // everything the client sent so far has arrived
    QCOMPARE(server.methods, (QStringList{u"createBacktestSession"_s, u"continueSessionV1"_s,
                                          u"attachParallelControlSessionV2"_s}));
    QCOMPARE(control.continuesResent(), 0);
    QVERIFY(!control.isContinueInFlight(kA));
}

void tst_ParallelControlManager::replayAfterTheAttachShowsTheContinueActedOn()
{
    // The server ran A's Continue, but the link dropped before any of it was
    // sent; on the re-attach it answers first and replays after (PROTOCOL.md
    // §6.5 "more replay … after"): the Continue is not sent again, which
    // would run a second step.
    Batch batch;
    auto &[server, control, log] = batch;
    server.onRequest = [&](const ControlRequest &request) {
        if (std::holds_alternative<Requests::CreateBacktestSession>(request)) {
            answerCreate(server);
        } else if (std::holds_alternative<Requests::ContinueSessionV1>(request)) {
            server.drop(); // acted on, nothing of it sent yet
        } else if (std::holds_alternative<Requests::AttachParallelControlSessionV2>(request)) {
            server.send(Responses::ParallelSessionAttachedV2{kControlId, {kA, kB}, {std::nullopt, std::nullopt}});
            server.send(ev(kA, 3, Responses::SlotNotification{1000}));
            server.send(ev(kA, 4, Responses::ReadyForContinue{}));
        }
    };
    QVERIFY(batch.startUp());
    QVERIFY(control.sendContinue(kA, ContinueParams{}).ok());
    QTRY_COMPARE_WITH_TIMEOUT(control.lastSequences().value(kA), quint64(4), 10000);
    QVERIFY(!control.isContinueInFlight(kA));
    QTest::qWait(int(2 * fastPolicy().reattachReplayGrace.count())); // nothing goes out late either
    QVERIFY(server.roundTrip());
    QCOMPARE(server.methods, (QStringList{u"createBacktestSession"_s, u"continueSessionV1"_s,
                                          u"attachParallelControlSessionV2"_s}));
    QCOMPARE(control.continuesResent(), 0);
}

void tst_ParallelControlManager::terminalTopLevelErrorFails()
{
    Batch batch;
    auto &[server, control, log] = batch;
    QVERIFY(batch.startUp());
    server.send(Responses::Error{BacktestError::invalidRequest(u"harmless"_s)}); // logged, ignored
    server.send(Responses::Error{BacktestError::make(BacktestErrorKind::Internal, {{u"error"_s, u"boom"_s}})});
    QTRY_COMPARE_WITH_TIMEOUT(control.status(), S::Failed, 2000);
    QCOMPARE(control.failureKind(), FailureKind::Terminal);
    QVERIFY2(control.statusReason().contains(u"boom"_s), qPrintable(control.statusReason()));
}

void tst_ParallelControlManager::gracefulCloseOnceEverySubSessionCompleted()
{
    Batch batch;
    auto &[server, control, log] = batch;
    server.onRequest = [&](const ControlRequest &request) {
        if (std::holds_alternative<Requests::CreateBacktestSession>(request))
            answerCreate(server);
        if (std::holds_alternative<Requests::CloseBacktestSession>(request))
            server.send(Responses::Success{});
    };
    QSignalSpy finished(&control, &WebSocketConnection::finished);
    QVERIFY(batch.startUp());

    server.send(ev(kA, 3, Responses::Completed{std::nullopt}));
    QTRY_VERIFY_WITH_TIMEOUT(control.isSubSessionCompleted(kA), 2000);
    settle(); // a close would have been posted by now
    QCOMPARE(control.phase(), WebSocketConnection::Phase::Up); // B still runs
    QVERIFY(!control.isBatchCompleted());

    server.send(ev(kB, 2, Responses::Completed{std::nullopt}));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 2000);
    QVERIFY(control.isBatchCompleted());
    QCOMPARE(log.entries.count(u"batch completed"_s), 1);
    QCOMPARE(server.methods.last(), u"closeBacktestSession"_s);
    QTRY_COMPARE_WITH_TIMEOUT(server.closeCodes(), QList<int>{int(QWebSocketProtocol::CloseCodeNormal)}, 2000);
    QCOMPARE(control.status(), S::Down);
    QCOMPARE(control.failureKind(), FailureKind::None);
}

void tst_ParallelControlManager::closeSubSessionCountsAsDone()
{
    Batch batch;
    auto &[server, control, log] = batch;
    QSignalSpy finished(&control, &WebSocketConnection::finished);
    QVERIFY(batch.startUp());
    server.send(ev(kA, 3, Responses::Completed{std::nullopt}));
    QTRY_VERIFY_WITH_TIMEOUT(control.isSubSessionCompleted(kA), 2000);
    QVERIFY(control.closeSubSession(kB).ok());
    QVERIFY(!control.closeSubSession(kB).ok()); // already done
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 2000);
    QCOMPARE(server.methods, (QStringList{u"createBacktestSession"_s, u"closeSessionV1"_s,
                                          u"closeBacktestSession"_s}));
    QCOMPARE(std::get<Requests::CloseSessionV1>(server.requests.at(1)).sessionId, kB);
}

QTEST_GUILESS_MAIN(tst_ParallelControlManager)
#include "tst_parallelcontrolmanager.moc"
