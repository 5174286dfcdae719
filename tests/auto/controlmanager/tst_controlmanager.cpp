// ControlManager against a scripted control server on 127.0.0.1, port 0:
// create with startup frames, create errors, attach + resume with replay
// dedup (PROTOCOL.md §2.3, §6.1, §6.4), one Continue in flight, terminal
// errors, graceful close, malformed frames; a step requested while Down and
// a step lost in a drop (issue "Control plane that survives drops"), and
// disconnectTimeoutSecs against the reconnect budget.

#include "net/controlmanager.h"
#include "support/policies.h"
#include "support/scriptedserver.h"

#include <QPointer>
#include <QTest>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

#include <memory>

using namespace SlotScope;
using namespace SlotScope::Testing;
using namespace Qt::StringLiterals;
using std::chrono::milliseconds;
using S = ConnectionStatus;
using OptionalSecs = std::optional<quint16>;
using Responses_ = QList<ControlResponse>;

Q_DECLARE_METATYPE(OptionalSecs)
Q_DECLARE_METATYPE(Responses_)

namespace {

const SessionInfo kSession{u"backtest_0199d2c4-5b7e-7a31-9c1e-2f4b8d6a1c00"_s,
                           u"/backtest/backtest_0199d2c4-5b7e-7a31-9c1e-2f4b8d6a1c00"_s, std::nullopt};

CreateSessionParams rangeParams()
{
    return {.startSlot = 100, .endSlot = 110};
}

// What the manager reported, as one ordered log.
struct Log
{
    QStringList entries;
    QList<S> statuses;
    QList<FrameLogEntry> frames;

    explicit Log(ControlManager &control)
    {
        statuses.append(control.status());
        QObject::connect(&control, &ControlManager::sessionCreated, &control,
                         [this](const SessionInfo &info) { entries.append(u"created "_s + info.sessionId); });
        QObject::connect(&control, &ControlManager::sessionReattached, &control,
                         [this](const SessionInfo &info) { entries.append(u"reattached "_s + info.sessionId); });
        QObject::connect(&control, &ControlManager::eventReceived, &control,
                         [this](const ControlFrame &frame) { entries.append(describe(frame.response)); });
        QObject::connect(&control, &WebSocketConnection::statusChanged, &control,
                         [this](S status) { statuses.append(status); });
        QObject::connect(&control, &ControlManager::frameLogged, &control,
                         [this](const FrameLogEntry &entry) { frames.append(entry); });
    }
};

/// What every case starts from: a listening scripted server (the case
/// scripts its onRequest) and a manager of rangeParams() with fastPolicy()
/// whose reports `log` records (the case starts it).
struct Case
{
    ScriptedServer server;
    ControlManager control{rangeParams(), fastPolicy()};
    Log log{control};
};

Responses::Status status(const char *name) { return Responses::Status{QString::fromLatin1(name)}; }

/// What a server busy starting a step answers a copy of it.
Responses::Error copyRefused()
{
    return Responses::Error{BacktestError::invalidRequest(u"continue sent while the step before is starting"_s)};
}

} // namespace

class tst_ControlManager : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void createCollectsStartupFrames();
    void createErrorIsFatal();
    void createBusyIsTransient();
    void createRespellsDiscoveryFiltersOnce_data();
    void createRespellsDiscoveryFiltersOnce();
    void reattachDropsReplayedFrames();
    void attachRejectedIsFatal();
    void resumeUnknownToTheServerCarriesOn_data();
    void resumeUnknownToTheServerCarriesOn();
    void oneContinueInFlight();
    void lateReadyOfAPauseLeavesTheNextStepInFlight_data();
    void lateReadyOfAPauseLeavesTheNextStepInFlight();
    void refusalOfACopyWaitsForTheStepsFrames_data();
    void refusalOfACopyWaitsForTheStepsFrames();
    void aHeldRefusalSaysNothingOfTheNextCopy();
    void terminalErrorFails();
    void completedAfterATerminalErrorIsStillAccepted();
    void terminalErrorReplayedDuringReattachClosesTheSession();
    void nonTerminalErrorIsAnEvent();
    void closeSessionIsGraceful();
    void malformedFramesAreSkipped();
    void lossAfterCompletedEndsQuietly();
    void attachBusyIsTransient();
    void replayedErrorDuringAttachIsAnEvent();
    void stepRequestedWhileDownIsSentOnceAfterReattach();
    void stepAfterReattach_data();
    void stepAfterReattach();
    void disconnectTimeoutCoversTheBudget_data();
    void disconnectTimeoutCoversTheBudget();

private:
    std::unique_ptr<Case> m_case;
};

void tst_ControlManager::init()
{
    m_case = std::make_unique<Case>();
    QVERIFY(m_case->server.listen());
}

void tst_ControlManager::cleanup()
{
    m_case.reset();
}

void tst_ControlManager::createCollectsStartupFrames()
{
    auto &[server, control, log] = *m_case;
    server.onRequest = [&](const ControlRequest &request) {
        if (!std::holds_alternative<Requests::CreateBacktestSession>(request))
            return;
        server.send(status("preparingBundle"), 1);
        server.send(status("bundleReady"), 2);
        server.send(Responses::SessionCreated{kSession}, 3);
        server.send(Responses::SlotNotification{100}, 4);
        server.send(Responses::ReadyForContinue{}, 5);
    };
    control.start(server.url(), u"key"_s);

    QTRY_COMPARE_WITH_TIMEOUT(log.entries.size(), 5, 2000);
    // sessionCreated first, then the collected startup frames, then the rest.
    QCOMPARE(log.entries, (QStringList{u"created "_s + kSession.sessionId,
                                       describe(status("preparingBundle")),
                                       describe(status("bundleReady")),
                                       describe(Responses::SlotNotification{100}),
                                       describe(Responses::ReadyForContinue{})}));
    QCOMPARE(log.statuses, (QList<S>{S::Down, S::Up}));
    QCOMPARE(control.sessionInfo(), std::optional(kSession));
    QCOMPARE(control.lastSequence(), std::optional<quint64>(5));

    // The create carried the given range and a 900 s disconnect timeout.
    QCOMPARE(server.methods, QStringList{u"createBacktestSession"_s});
    const auto &create = std::get<Requests::CreateBacktestSession>(server.requests.first());
    QCOMPARE(create.params.startSlot, quint64(100));
    QCOMPARE(create.params.endSlot, quint64(110));
    QCOMPARE(create.params.disconnectTimeoutSecs, std::optional<quint16>(900));

    // The console saw the sent create and the five received frames.
    QCOMPARE(log.frames.size(), 6);
    QCOMPARE(log.frames.first().direction, FrameDirection::Sent);
    QCOMPARE(log.frames.first().method, u"createBacktestSession"_s);
    QCOMPARE(log.frames.at(3).method, u"sessionCreated"_s);
    QCOMPARE(log.frames.at(3).seqId, std::optional<quint64>(3));
}

void tst_ControlManager::createErrorIsFatal()
{
    auto &[server, control, log] = *m_case;
    const BacktestError error = BacktestError::invalidRequest(u"startSlot must be <= endSlot"_s);
    server.onRequest = [&](const ControlRequest &) { server.send(Responses::Error{error}); };
    control.start(server.url(), u"key"_s);

    QTRY_COMPARE_WITH_TIMEOUT(control.status(), S::Failed, 2000);
    QCOMPARE(control.statusReason(), u"session create failed: "_s + error.message());
    QVERIFY(control.statusReason().contains(u"startSlot must be <= endSlot"_s));
    QCOMPARE(control.failureKind(), FailureKind::HandshakeRejected);
    QCOMPARE(log.statuses, (QList<S>{S::Down, S::Failed}));
    QVERIFY(!control.isRunning()); // the loop has ended: nothing will connect again
    QCOMPARE(server.connections(), 1);
    QVERIFY(!control.sessionInfo());
}

void tst_ControlManager::createRespellsDiscoveryFiltersOnce_data()
{
    QTest::addColumn<bool>("acceptsRespelled");
    QTest::addRow("the server takes its own spelling") << true;
    QTest::addRow("the server refuses that too: fails after the second create") << false;
}

void tst_ControlManager::createRespellsDiscoveryFiltersOnce()
{
    // PROTOCOL-0.31.md §4.9: serde names the variants it accepts; the create
    // goes out again, once, with the filter spelled the server's way.
    QFETCH(bool, acceptsRespelled);
    ScriptedServer server;
    QVERIFY(server.listen());
    CreateSessionParams params = rangeParams();
    params.discoveries = {DiscoveryFilter::programExecuted(u"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"_s)};
    ControlManager control(params, fastPolicy());
    const BacktestError unknownVariant = BacktestError::invalidRequest(
        u"unknown variant `programExecuted`, expected one of `ProgramExecuted`, `OracleUpdate`, `ProgramWrite`"_s);
    server.onRequest = [&](const ControlRequest &) {
        if (server.requests.size() == 1) {
            server.send(Responses::Error{unknownVariant});
            return;
        }
        if (!acceptsRespelled) { // its list changed its mind: no third create
            server.send(Responses::Error{BacktestError::invalidRequest(
                u"unknown variant `ProgramExecuted`, expected one of `program_executed`"_s)});
            return;
        }
        server.send(Responses::SessionCreated{kSession}, 1);
        server.send(Responses::ReadyForContinue{}, 2);
    };
    control.start(server.url(), u"key"_s);
    if (acceptsRespelled) {
        QTRY_VERIFY_WITH_TIMEOUT(control.sessionInfo().has_value(), 2000);
    } else {
        QTRY_COMPARE_WITH_TIMEOUT(control.status(), S::Failed, 2000);
        QVERIFY(control.statusReason().contains(u"program_executed"_s));
    }
    QCOMPARE(server.methods, (QStringList{u"createBacktestSession"_s, u"createBacktestSession"_s}));
    QCOMPARE(server.connections(), 1);
    const auto &first = std::get<Requests::CreateBacktestSession>(server.requests.at(0)).params;
    const auto &second = std::get<Requests::CreateBacktestSession>(server.requests.at(1)).params;
    QCOMPARE(first.discoveries, params.discoveries); // read back whatever the spelling
    QCOMPARE(second.discoveries, params.discoveries);
    const QByteArray wire = encodeControlRequest(Requests::CreateBacktestSession{control.createParams()});
    const QByteArray respelled = "\"discoveries\":[{\"ProgramExecuted\":\"JUP6";
    QVERIFY2(wire.contains(respelled), wire.constData());
}

void tst_ControlManager::createBusyIsTransient()
{
    auto &[server, control, log] = *m_case;
    int creates = 0;
    server.onRequest = [&](const ControlRequest &) {
        if (++creates == 1) {
            server.send(Responses::Error{BacktestError::sessionOwnershipBusy(u"warming up"_s)});
            return;
        }
        server.send(Responses::SessionCreated{kSession}, 1);
        server.send(Responses::ReadyForContinue{}, 2);
    };
    control.start(server.url(), u"key"_s);

    QTRY_COMPARE_WITH_TIMEOUT(log.entries.size(), 2, 2000);
    QCOMPARE(log.statuses, (QList<S>{S::Down, S::Up}));
    QCOMPARE(server.methods, (QStringList{u"createBacktestSession"_s, u"createBacktestSession"_s}));
    QCOMPARE(server.connections(), 2);
}

void tst_ControlManager::reattachDropsReplayedFrames()
{
    auto &[server, control, log] = *m_case;
    server.onRequest = [&](const ControlRequest &request) {
        if (std::holds_alternative<Requests::CreateBacktestSession>(request)) {
            server.send(Responses::SessionCreated{kSession}, 1);
            server.send(Responses::SlotNotification{100}, 2);
            server.send(Responses::ReadyForContinue{}, 3);
        } else if (std::holds_alternative<Requests::Continue>(request)) {
            server.send(Responses::SlotNotification{101}, 4);
            // The link drops mid-continue (a close frame, so frame order is kept).
            server.current->close(QWebSocketProtocol::CloseCodeBadOperation, u"link down"_s);
        } else if (std::holds_alternative<Requests::AttachBacktestSession>(request)) {
            // Replay overlapping what the client already has, around sessionAttached.
            server.send(Responses::ReadyForContinue{}, 3);
            server.send(Responses::SlotNotification{101}, 4);
            server.send(Responses::SessionAttached{kSession}, 5);
            server.send(Responses::SlotNotification{102}, 6);
        } else if (std::holds_alternative<Requests::ResumeAttachedSession>(request)) {
            server.send(Responses::Success{}, 7);
            server.send(Responses::ReadyForContinue{}, 8);
        }
    };
    control.start(server.url(), u"key"_s);
    QTRY_COMPARE_WITH_TIMEOUT(log.entries.size(), 3, 2000);
    QVERIFY(control.sendContinue(ContinueParams{}));

    QTRY_COMPARE_WITH_TIMEOUT(log.entries.size(), 7, 3000);
    QCOMPARE(log.entries, (QStringList{u"created "_s + kSession.sessionId,
                                       describe(Responses::SlotNotification{100}),
                                       describe(Responses::ReadyForContinue{}),
                                       describe(Responses::SlotNotification{101}),
                                       describe(Responses::SlotNotification{102}),
                                       u"reattached "_s + kSession.sessionId,
                                       describe(Responses::ReadyForContinue{})}));
    QCOMPARE(log.statuses, (QList<S>{S::Down, S::Up, S::Down, S::Up}));
    QCOMPARE(control.duplicatesDropped(), qint64(2));
    QCOMPARE(control.lastSequence(), std::optional<quint64>(8));
    QVERIFY(!control.isContinueInFlight());

    QCOMPARE(server.methods, (QStringList{u"createBacktestSession"_s, u"continue"_s,
                                          u"attachBacktestSession"_s, u"resumeAttachedSession"_s}));
    const auto &attach = std::get<Requests::AttachBacktestSession>(server.requests.at(2));
    QCOMPARE(attach.sessionId, kSession.sessionId);
    QCOMPARE(attach.lastSequence, std::optional<quint64>(4));

    // The console marked exactly the two replayed frames as duplicates.
    QList<quint64> droppedSeqs;
    for (const FrameLogEntry &entry : std::as_const(log.frames)) {
        if (entry.droppedAsDuplicate)
            droppedSeqs.append(entry.seqId.value_or(0));
    }
    QCOMPARE(droppedSeqs, (QList<quint64>{3, 4}));
}

void tst_ControlManager::attachRejectedIsFatal()
{
    auto &[server, control, log] = *m_case;
    const BacktestError notFound = BacktestError::sessionNotFound(kSession.sessionId);
    server.onRequest = [&](const ControlRequest &request) {
        if (std::holds_alternative<Requests::CreateBacktestSession>(request)) {
            server.send(Responses::SessionCreated{kSession}, 1);
            server.current->close(QWebSocketProtocol::CloseCodeGoingAway, u"deploy"_s);
        } else if (std::holds_alternative<Requests::AttachBacktestSession>(request)) {
            server.send(Responses::Error{notFound});
        }
    };
    control.start(server.url(), u"key"_s);
    QTRY_COMPARE_WITH_TIMEOUT(control.status(), S::Failed, 3000);
    QCOMPARE(control.statusReason(), u"attach rejected: "_s + notFound.message());
    QCOMPARE(control.failureKind(), FailureKind::HandshakeRejected);
    QCOMPARE(log.statuses, (QList<S>{S::Down, S::Up, S::Down, S::Failed}));
}

void tst_ControlManager::resumeUnknownToTheServerCarriesOn_data()
{
    QTest::addColumn<bool>("refuseAttach");
    QTest::newRow("resume refused: carries on") << false;
    QTest::newRow("attach refused: fatal") << true;
}

void tst_ControlManager::resumeUnknownToTheServerCarriesOn()
{
    // PROTOCOL-0.31 §6.3 step 4: a server without resume answers it with
    // invalidRequest; the session is attached, so the client carries on. An
    // attach refused the same way leaves no session on the socket: fatal
    // (PROTOCOL.md §4.11), never Up on a socket that can only refuse steps.
    QFETCH(bool, refuseAttach);
    auto &[server, control, log] = *m_case;
    const BacktestError unknown = BacktestError::invalidRequest(u"unknown method"_s);
    bool dropped = false;
    server.onRequest = [&](const ControlRequest &request) {
        if (std::holds_alternative<Requests::CreateBacktestSession>(request)) {
            server.send(Responses::SessionCreated{kSession}, 1);
            server.send(Responses::ReadyForContinue{}, 2);
        } else if (std::holds_alternative<Requests::Continue>(request) && !dropped) {
            dropped = true;
            server.send(Responses::SlotNotification{101}, 3);
            server.current->close(QWebSocketProtocol::CloseCodeBadOperation, u"link down"_s);
        } else if (std::holds_alternative<Requests::AttachBacktestSession>(request)) {
            if (refuseAttach)
                server.send(Responses::Error{unknown});
            else
                server.send(Responses::SessionAttached{kSession}, 4);
        } else if (std::holds_alternative<Requests::ResumeAttachedSession>(request)) {
            server.send(Responses::Error{unknown});
            server.send(Responses::ReadyForContinue{}, 5);
        }
    };
    control.start(server.url(), u"key"_s);
    QTRY_COMPARE_WITH_TIMEOUT(log.entries.size(), 2, 2000);
    QVERIFY(control.sendContinue(ContinueParams{}));
    if (refuseAttach) {
        QTRY_COMPARE_WITH_TIMEOUT(control.status(), S::Failed, 3000);
        QCOMPARE(control.statusReason(), u"attach rejected: "_s + unknown.message());
        QCOMPARE(control.failureKind(), FailureKind::HandshakeRejected);
        return;
    }
    QTRY_COMPARE_WITH_TIMEOUT(log.statuses, (QList<S>{S::Down, S::Up, S::Down, S::Up}), 3000);
    QTRY_VERIFY_WITH_TIMEOUT(!control.isContinueInFlight(), 3000);
    QCOMPARE(control.lastSequence(), std::optional<quint64>(5));
    QCOMPARE(server.methods.mid(2), (QStringList{u"attachBacktestSession"_s, u"resumeAttachedSession"_s}));
    // Steps go on as before.
    QVERIFY(control.sendContinue(ContinueParams{}));
    QTRY_COMPARE_WITH_TIMEOUT(server.methods.last(), u"continue"_s, 2000);
}

void tst_ControlManager::oneContinueInFlight()
{
    auto &[server, control, log] = *m_case;
    server.onRequest = [&](const ControlRequest &request) {
        if (std::holds_alternative<Requests::CreateBacktestSession>(request)) {
            server.send(Responses::SessionCreated{kSession}, 1);
            server.send(Responses::ReadyForContinue{}, 2);
        }
    };

    // Nothing can be sent before the session exists.
    QVERIFY(!control.sendContinue(ContinueParams{}));
    control.start(server.url(), u"key"_s);
    QTRY_COMPARE_WITH_TIMEOUT(log.entries.size(), 2, 2000);

    ContinueParams five{.advanceCount = 5};
    QVERIFY(control.sendContinue(five));
    QVERIFY(control.isContinueInFlight());
    const Result<void> second = control.sendContinueTo(ContinueToParams{105, 2});
    QVERIFY(!second);
    QCOMPARE(second.error().message, u"a Continue is already in flight"_s);

    server.send(Responses::Paused{PausedEvent{103, std::nullopt}}, 3);
    QTRY_VERIFY_WITH_TIMEOUT(!control.isContinueInFlight(), 2000);
    QVERIFY(control.sendContinueTo(ContinueToParams{105, 2}));
    QTRY_COMPARE_WITH_TIMEOUT(server.methods.size(), 3, 2000);
    QCOMPARE(server.methods, (QStringList{u"createBacktestSession"_s, u"continue"_s, u"continueTo"_s}));
    QCOMPARE(std::get<Requests::Continue>(server.requests.at(1)).params.advanceCount, quint64(5));
    const auto &to = std::get<Requests::ContinueTo>(server.requests.at(2)).params;
    QCOMPARE(to.slot, quint64(105));
    QCOMPARE(to.batchIndex, std::optional<quint32>(2));

    // An invalid request answers the Continue in flight.
    server.send(Responses::Error{BacktestError::invalidRequest(u"not paused"_s)}, 4);
    QTRY_VERIFY_WITH_TIMEOUT(!control.isContinueInFlight(), 2000);
}

void tst_ControlManager::lateReadyOfAPauseLeavesTheNextStepInFlight_data()
{
    QTest::addColumn<bool>("stepActsFirst");
    QTest::addColumn<bool>("firstRefused");
    // A 0.31 server slower than the grace: its ready comes after the session
    // stood in for it and sent the next step, before anything of that step.
    QTest::addRow("the pause's late ready") << false << false;
    // A 0.28 server (paused alone): the ready after the step's own slots is the step's.
    QTest::addRow("the step's own ready") << true << false;
    // The stand-in's step refused: the session forgets the stand-in
    // (SessionCore) and takes the late ready as the next step's; so does this.
    QTest::addRow("the stand-in's step refused first") << false << true;
}

void tst_ControlManager::lateReadyOfAPauseLeavesTheNextStepInFlight()
{
    QFETCH(bool, stepActsFirst);
    QFETCH(bool, firstRefused);
    auto &[server, control, log] = *m_case;
    int continues = 0;
    int continueTos = 0;
    server.onRequest = [&](const ControlRequest &request) {
        if (std::holds_alternative<Requests::CreateBacktestSession>(request)) {
            server.send(Responses::SessionCreated{kSession}, 1);
            server.send(Responses::ReadyForContinue{}, 2);
        } else if (std::holds_alternative<Requests::ContinueTo>(request)) {
            if (++continueTos == 1)
                server.send(Responses::Paused{PausedEvent{104, std::nullopt}}, 3); // and no ready yet
            else // the stand-in's step, refused
                server.send(Responses::Error{BacktestError::invalidRequest(u"slot 104 was already executed"_s)}, 4);
        } else if (std::holds_alternative<Requests::Continue>(request)) {
            if (++continues > 1)
                return; // sent again after the re-attach
            if (stepActsFirst)
                server.send(Responses::SlotNotification{105}, 4);
            server.send(Responses::ReadyForContinue{}, stepActsFirst || firstRefused ? 5 : 4);
        } else if (std::holds_alternative<Requests::AttachBacktestSession>(request)) {
            server.send(Responses::SessionAttached{kSession});
        } else if (std::holds_alternative<Requests::ResumeAttachedSession>(request)) {
            server.send(Responses::Success{}, 10);
        }
    };
    control.start(server.url(), u"key"_s);
    QTRY_COMPARE_WITH_TIMEOUT(log.entries.size(), 2, 2000);
    QVERIFY(control.sendContinueTo(ContinueToParams{104, std::nullopt}));
    QTRY_VERIFY_WITH_TIMEOUT(!control.isContinueInFlight(), 2000); // paused
    if (firstRefused) {
        QVERIFY(control.sendContinueTo(ContinueToParams{104, std::nullopt})); // the stand-in's step …
        QTRY_VERIFY_WITH_TIMEOUT(!control.isContinueInFlight(), 2000);       // … refused
    }
    QVERIFY(control.sendContinue(ContinueParams{})); // what the stand-in ready lets the session send
    QTRY_COMPARE_WITH_TIMEOUT(log.entries.last(), describe(Responses::ReadyForContinue{}), 2000);
    if (stepActsFirst || firstRefused) {
        QVERIFY(!control.isContinueInFlight());
        return;
    }
    QVERIFY(control.isContinueInFlight()); // the ready was the pause's, not the Continue's
    // The link drops before the server acted on the Continue: sent again.
    server.current->abort();
    QTRY_COMPARE_WITH_TIMEOUT(continues, 2, 3000);
    QCOMPARE(control.continuesResent(), 1);
}

void tst_ControlManager::refusalOfACopyWaitsForTheStepsFrames_data()
{
    QTest::addColumn<bool>("firstRuns");
    QTest::addColumn<bool>("frameBeforeRefusal");
    QTest::addRow("the first copy runs") << true << false;
    // A refusal answers its request at once: once the step showed itself
    // running, a refusal can only be the copy's.
    QTest::addRow("the first copy runs, a frame of it before the refusal") << true << true;
    QTest::addRow("the first copy was lost") << false << false;
}

void tst_ControlManager::refusalOfACopyWaitsForTheStepsFrames()
{
    // The server takes the Continue, the link drops before it sent anything
    // of it, and nothing comes in the re-attach's grace: the Continue goes
    // out again and the server, busy with the first, refuses the copy. That
    // refusal is held (fastPolicy(): 1 s) and dropped once the first one's
    // frames come; with none it stands, the step refused.
    QFETCH(bool, firstRuns);
    QFETCH(bool, frameBeforeRefusal);
    auto &[server, control, log] = *m_case;
    int continues = 0;
    const Responses::Error refused = copyRefused();
    server.onRequest = [&](const ControlRequest &request) {
        if (std::holds_alternative<Requests::CreateBacktestSession>(request)) {
            server.send(Responses::SessionCreated{kSession}, 1);
            server.send(Responses::ReadyForContinue{}, 2);
        } else if (std::holds_alternative<Requests::Continue>(request)) {
            if (++continues == 1) {
                server.current->abort(); // taken, nothing of it sent yet
                return;
            }
            if (frameBeforeRefusal) {
                server.send(status("decodedTransactions"), 4);
                server.send(refused, 5);
                QTimer::singleShot(300, &server, [&server] {
                    server.send(Responses::SlotNotification{101}, 6);
                    server.send(Responses::ReadyForContinue{}, 7);
                });
                return;
            }
            server.send(refused, 4);
            if (firstRuns) {
                QTimer::singleShot(300, &server, [&server] {
                    server.send(status("decodedTransactions"), 5);
                    server.send(Responses::SlotNotification{101}, 6);
                    server.send(Responses::ReadyForContinue{}, 7);
                });
            }
        } else if (std::holds_alternative<Requests::AttachBacktestSession>(request)) {
            server.send(Responses::SessionAttached{kSession});
        } else if (std::holds_alternative<Requests::ResumeAttachedSession>(request)) {
            server.send(Responses::Success{}, 3);
        }
    };
    control.start(server.url(), u"key"_s);
    QTRY_COMPARE_WITH_TIMEOUT(log.entries.size(), 2, 2000);
    QVERIFY(control.sendContinue(ContinueParams{}));
    QTRY_COMPARE_WITH_TIMEOUT(continues, 2, 3000);
    QCOMPARE(control.continuesResent(), 1);
    if (frameBeforeRefusal) {
        QTRY_COMPARE_WITH_TIMEOUT(control.lastSequence(), std::optional<quint64>(5), 2000); // the refusal came …
        QVERIFY(control.isContinueInFlight());                                              // … the step runs on
        QCOMPARE(control.refusalsOfCopiesDropped(), qint64(1));
    } else {
        QTRY_COMPARE_WITH_TIMEOUT(control.lastSequence(), std::optional<quint64>(4), 2000); // the refusal came …
        QVERIFY(control.isContinueInFlight());                                              // … and was held
    }
    QVERIFY(!log.entries.contains(describe(refused)));
    if (firstRuns) {
        QTRY_COMPARE_WITH_TIMEOUT(log.entries.last(), describe(Responses::ReadyForContinue{}), 2000);
        QVERIFY(!control.isContinueInFlight());
        QCOMPARE(control.refusalsOfCopiesDropped(), qint64(1));
        QTest::qWait(int(fastPolicy().duplicateRefusalHold.count()) + 200); // nothing late either
        QCOMPARE(log.entries.mid(log.entries.size() - 3),
                 (QStringList{describe(status("decodedTransactions")), describe(Responses::SlotNotification{101}),
                              describe(Responses::ReadyForContinue{})}));
        QVERIFY(!log.entries.contains(describe(refused)));
    } else {
        QTRY_COMPARE_WITH_TIMEOUT(log.entries.last(), describe(refused), 3000);
        QVERIFY(!control.isContinueInFlight());
        QCOMPARE(control.refusalsOfCopiesDropped(), qint64(0));
    }
}

void tst_ControlManager::aHeldRefusalSaysNothingOfTheNextCopy()
{
    // The first copy is refused and held; the link drops again before
    // anything came and a second copy goes out, which the server runs
    // slowly. The hold of the first refusal ends meanwhile: it must not
    // refuse the step the server is running.
    auto &[server, control, log] = *m_case;
    int continues = 0;
    const Responses::Error refused = copyRefused();
    server.onRequest = [&](const ControlRequest &request) {
        if (std::holds_alternative<Requests::CreateBacktestSession>(request)) {
            server.send(Responses::SessionCreated{kSession}, 1);
            server.send(Responses::ReadyForContinue{}, 2);
        } else if (std::holds_alternative<Requests::Continue>(request)) {
            ++continues;
            if (continues == 1) {
                server.current->abort(); // lost with the link
            } else if (continues == 2) {
                server.send(refused, 4); // (as if busy) …
                QTimer::singleShot(100, &server, [&server] { server.current->abort(); }); // … and the link drops again
            } else {
                // The third is run, its first frame well after the first refusal's hold.
                QTimer::singleShot(int(fastPolicy().duplicateRefusalHold.count()) + 300, &server, [&server] {
                    server.send(Responses::SlotNotification{101}, 6);
                    server.send(Responses::ReadyForContinue{}, 7);
                });
            }
        } else if (std::holds_alternative<Requests::AttachBacktestSession>(request)) {
            server.send(Responses::SessionAttached{kSession});
        } else if (std::holds_alternative<Requests::ResumeAttachedSession>(request)) {
            server.send(Responses::Success{}, continues < 2 ? 3 : 5);
        }
    };
    control.start(server.url(), u"key"_s);
    QTRY_COMPARE_WITH_TIMEOUT(log.entries.size(), 2, 2000);
    QVERIFY(control.sendContinue(ContinueParams{}));
    QTRY_COMPARE_WITH_TIMEOUT(continues, 3, 5000);
    QCOMPARE(control.continuesResent(), 2);
    QTRY_COMPARE_WITH_TIMEOUT(log.entries.last(), describe(Responses::ReadyForContinue{}), 5000);
    QVERIFY(!log.entries.contains(describe(refused)));
    QVERIFY(!control.isContinueInFlight());
}

void tst_ControlManager::terminalErrorFails()
{
    auto &[server, control, log] = *m_case;
    const BacktestError terminal = BacktestError::make(BacktestErrorKind::NoMoreBlocks);
    server.onRequest = [&](const ControlRequest &request) {
        if (std::holds_alternative<Requests::CreateBacktestSession>(request)) {
            server.send(Responses::SessionCreated{kSession}, 1);
            server.send(Responses::Error{terminal}, 2);
        }
    };
    control.start(server.url(), u"key"_s);
    QTRY_COMPARE_WITH_TIMEOUT(control.status(), S::Failed, 2000);
    QCOMPARE(log.entries, (QStringList{u"created "_s + kSession.sessionId,
                                       describe(Responses::Error{terminal})}));
    QCOMPARE(control.statusReason(), u"session failed: "_s + terminal.message());
    QCOMPARE(control.failureKind(), FailureKind::Terminal);
    QCOMPARE(log.statuses, (QList<S>{S::Down, S::Up, S::Failed}));
    QVERIFY(!control.isRunning()); // the loop has ended: nothing will connect again
    QCOMPARE(server.connections(), 1);
    // The server was told: the session does not linger for its disconnect
    // timeout (PROTOCOL-0.31 §4.8 "close the session").
    QCOMPARE(server.methods, (QStringList{u"createBacktestSession"_s, u"closeBacktestSession"_s}));
}

void tst_ControlManager::completedAfterATerminalErrorIsStillAccepted()
{
    // PROTOCOL-0.31 §4.8: after a terminal error the client closes the
    // session; a `completed` the server sends meanwhile is still delivered.
    auto &[server, control, log] = *m_case;
    const BacktestError cut = BacktestError::make(BacktestErrorKind::Cut, QJsonObject{{u"slot"_s, 1077}});
    server.onRequest = [&](const ControlRequest &request) {
        if (std::holds_alternative<Requests::CreateBacktestSession>(request)) {
            server.send(Responses::SessionCreated{kSession}, 1);
            server.send(Responses::Error{cut}, 2);
        } else if (std::holds_alternative<Requests::CloseBacktestSession>(request)) {
            server.send(Responses::Completed{}, 3);
            server.send(Responses::Success{});
        }
    };
    control.start(server.url(), u"key"_s);
    QTRY_COMPARE_WITH_TIMEOUT(control.status(), S::Failed, 3000);
    QCOMPARE(log.entries, (QStringList{u"created "_s + kSession.sessionId, describe(Responses::Error{cut}),
                                       describe(Responses::Completed{})}));
    QCOMPARE(control.failureKind(), FailureKind::Terminal);
    QCOMPARE(control.lastSequence(), std::optional<quint64>(3));
}

void tst_ControlManager::nonTerminalErrorIsAnEvent()
{
    auto &[server, control, log] = *m_case;
    const BacktestError simulation = BacktestError::make(
        BacktestErrorKind::SimulationError, QJsonObject{{u"error"_s, u"tx 3 failed"_s}});
    server.onRequest = [&](const ControlRequest &request) {
        if (std::holds_alternative<Requests::CreateBacktestSession>(request)) {
            server.send(Responses::SessionCreated{kSession}, 1);
            server.send(Responses::Error{simulation}, 2);
            server.send(Responses::ReadyForContinue{}, 3);
        }
    };
    control.start(server.url(), u"key"_s);
    QTRY_COMPARE_WITH_TIMEOUT(log.entries.size(), 3, 2000);
    QCOMPARE(log.entries.at(1), describe(Responses::Error{simulation}));
    QCOMPARE(control.status(), S::Up);
}

void tst_ControlManager::closeSessionIsGraceful()
{
    auto &[server, control, log] = *m_case;
    server.onRequest = [&](const ControlRequest &request) {
        if (std::holds_alternative<Requests::CreateBacktestSession>(request))
            server.send(Responses::SessionCreated{kSession}, 1);
        else if (std::holds_alternative<Requests::CloseBacktestSession>(request))
            server.send(Responses::Success{}, 2);
    };
    int finished = 0;
    connect(&control, &WebSocketConnection::finished, this, [&] { ++finished; });
    control.start(server.url(), u"key"_s);
    QTRY_COMPARE_WITH_TIMEOUT(control.status(), S::Up, 2000);

    control.closeSession();
    QTRY_COMPARE_WITH_TIMEOUT(finished, 1, 2000);
    QTRY_COMPARE_WITH_TIMEOUT(server.closeCodes().size(), 1, 2000);
    QCOMPARE(server.methods, (QStringList{u"createBacktestSession"_s, u"closeBacktestSession"_s}));
    QCOMPARE(server.closeCodes().first(), int(QWebSocketProtocol::CloseCodeNormal));
    QCOMPARE(log.statuses, (QList<S>{S::Down, S::Up, S::Down}));
    QCOMPARE(control.statusReason(), u"stopped"_s);
    QVERIFY(!control.isRunning()); // the loop has ended: nothing will connect again
    QCOMPARE(server.connections(), 1);
}

void tst_ControlManager::terminalErrorReplayedDuringReattachClosesTheSession()
{
    // The session was cut while the socket was down: the re-attach replays
    // the terminal error, and the session is closed on the server all the
    // same (not left to its disconnect timeout).
    auto &[server, control, log] = *m_case;
    const BacktestError terminal = BacktestError::make(BacktestErrorKind::NoMoreBlocks);
    server.onRequest = [&](const ControlRequest &request) {
        if (std::holds_alternative<Requests::CreateBacktestSession>(request)) {
            server.send(Responses::SessionCreated{kSession}, 1);
            server.send(Responses::ReadyForContinue{}, 2);
        } else if (std::holds_alternative<Requests::Continue>(request)) {
            server.current->close(QWebSocketProtocol::CloseCodeBadOperation, u"link down"_s);
        } else if (std::holds_alternative<Requests::AttachBacktestSession>(request)) {
            server.send(Responses::SessionAttached{kSession}, 3);
            server.send(Responses::Error{terminal}, 4);
        } else if (std::holds_alternative<Requests::CloseBacktestSession>(request)) {
            server.send(Responses::Success{});
        }
    };
    control.start(server.url(), u"key"_s);
    QTRY_COMPARE_WITH_TIMEOUT(log.entries.size(), 2, 2000);
    QVERIFY(control.sendContinue(ContinueParams{}));
    QTRY_COMPARE_WITH_TIMEOUT(control.status(), S::Failed, 3000);
    QCOMPARE(control.failureKind(), FailureKind::Terminal);
    QCOMPARE(control.statusReason(), u"session failed: "_s + terminal.message());
    // (The resume went out on sessionAttached, before the replayed error.)
    const QString sent = server.methods.join(u' ');
    QVERIFY2(sent == u"createBacktestSession continue attachBacktestSession resumeAttachedSession closeBacktestSession"_s,
             qPrintable(sent));
    QCOMPARE(log.entries.last(), describe(Responses::Error{terminal}));
}

void tst_ControlManager::malformedFramesAreSkipped()
{
    auto &[server, control, log] = *m_case;
    server.onRequest = [&](const ControlRequest &request) {
        if (!std::holds_alternative<Requests::CreateBacktestSession>(request))
            return;
        server.send(Responses::SessionCreated{kSession}, 1);
        server.sendRaw("this is not json");
        server.sendRaw(R"({"seqId":2,"method":"fromTheFuture","params":{}})");
        server.sendRaw(R"([1,2,3])");
        server.send(Responses::ReadyForContinue{}, 3);
    };
    int dropped = 0;
    connect(&control, &WebSocketConnection::frameDropped, this, [&dropped] { ++dropped; });
    control.start(server.url(), u"key"_s);
    QTRY_COMPARE_WITH_TIMEOUT(log.entries.size(), 2, 2000);
    QCOMPARE(log.entries.last(), describe(Responses::ReadyForContinue{}));
    // A newer server's unknown method is ignored (PROTOCOL.md §4), not lost:
    // only the two broken frames count as dropped.
    QCOMPARE(control.malformedFrames(), qint64(2));
    QCOMPARE(control.unrecognizedFrames(), qint64(1));
    QCOMPARE(dropped, 2);
    QCOMPARE(control.status(), S::Up);
    int malformedLogged = 0;
    const FrameLogEntry *unknown = nullptr;
    for (const FrameLogEntry &entry : std::as_const(log.frames)) {
        malformedLogged += entry.malformed ? 1 : 0;
        if (entry.method == u"fromTheFuture"_s)
            unknown = &entry;
    }
    QCOMPARE(malformedLogged, 2);
    QVERIFY(unknown);
    QVERIFY(!unknown->malformed);
    QCOMPARE(unknown->seqId, std::optional<quint64>(2));
    QVERIFY2(unknown->summary.startsWith(u"unknown method, ignored"_s), qPrintable(unknown->summary));
}

void tst_ControlManager::lossAfterCompletedEndsQuietly()
{
    auto &[server, control, log] = *m_case;
    server.onRequest = [&](const ControlRequest &request) {
        if (std::holds_alternative<Requests::CreateBacktestSession>(request)) {
            server.send(Responses::SessionCreated{kSession}, 1);
            server.send(Responses::Completed{std::nullopt}, 2);
            server.current->close(QWebSocketProtocol::CloseCodeGoingAway, u"done"_s);
        }
    };
    int finished = 0;
    connect(&control, &WebSocketConnection::finished, this, [&] { ++finished; });
    control.start(server.url(), u"key"_s);
    QTRY_COMPARE_WITH_TIMEOUT(finished, 1, 2000);
    QVERIFY(control.isSessionCompleted());
    QCOMPARE(log.statuses, (QList<S>{S::Down, S::Up, S::Down}));
    QCOMPARE(log.entries.last(), describe(Responses::Completed{std::nullopt}));
    QVERIFY(!control.isRunning()); // the loop has ended: nothing will connect again
    QCOMPARE(server.connections(), 1);
    QVERIFY(!control.sendContinue(ContinueParams{}));
}

void tst_ControlManager::attachBusyIsTransient()
{
    auto &[server, control, log] = *m_case;
    int attaches = 0;
    server.onRequest = [&](const ControlRequest &request) {
        if (std::holds_alternative<Requests::CreateBacktestSession>(request)) {
            server.send(Responses::SessionCreated{kSession}, 1);
            server.current->close(QWebSocketProtocol::CloseCodeGoingAway, u"deploy"_s);
        } else if (std::holds_alternative<Requests::AttachBacktestSession>(request)) {
            // The old socket still counts as live on the first try (PROTOCOL.md §6.4).
            if (++attaches == 1)
                server.send(Responses::Error{BacktestError::sessionOwnershipBusy(u"old socket live"_s)});
            else
                server.send(Responses::SessionAttached{kSession});
        } else if (std::holds_alternative<Requests::ResumeAttachedSession>(request)) {
            server.send(Responses::Success{}, 2);
        }
    };
    control.start(server.url(), u"key"_s);
    QTRY_COMPARE_WITH_TIMEOUT(log.entries.size(), 2, 3000);
    QCOMPARE(log.entries.last(), u"reattached "_s + kSession.sessionId);
    QCOMPARE(log.statuses, (QList<S>{S::Down, S::Up, S::Down, S::Up}));
    QCOMPARE(server.methods, (QStringList{u"createBacktestSession"_s, u"attachBacktestSession"_s,
                                          u"attachBacktestSession"_s, u"resumeAttachedSession"_s}));
    QCOMPARE(server.connections(), 3);
    QCOMPARE(control.attempt(), 2); // the loss and the contended attach each took a retry
}

void tst_ControlManager::replayedErrorDuringAttachIsAnEvent()
{
    auto &[server, control, log] = *m_case;
    const BacktestError refused = BacktestError::invalidRequest(u"continue is only accepted after readyForContinue"_s);
    server.onRequest = [&](const ControlRequest &request) {
        if (std::holds_alternative<Requests::CreateBacktestSession>(request)) {
            server.send(Responses::SessionCreated{kSession}, 1);
            server.current->close(QWebSocketProtocol::CloseCodeGoingAway, u"deploy"_s);
        } else if (std::holds_alternative<Requests::AttachBacktestSession>(request)) {
            // A sequenced error in the replay is a session event, not the attach's answer.
            server.send(Responses::SessionAttached{kSession});
            server.send(Responses::Error{refused}, 2);
        } else if (std::holds_alternative<Requests::ResumeAttachedSession>(request)) {
            server.send(Responses::Success{}, 3);
        }
    };
    control.start(server.url(), u"key"_s);
    QTRY_COMPARE_WITH_TIMEOUT(log.entries.size(), 3, 3000);
    QCOMPARE(log.entries, (QStringList{u"created "_s + kSession.sessionId, describe(Responses::Error{refused}),
                                       u"reattached "_s + kSession.sessionId}));
    QCOMPARE(log.statuses, (QList<S>{S::Down, S::Up, S::Down, S::Up}));
}

void tst_ControlManager::stepRequestedWhileDownIsSentOnceAfterReattach()
{
    auto &[server, control, log] = *m_case;
    bool holdAttach = true;
    server.onRequest = [&](const ControlRequest &request) {
        if (std::holds_alternative<Requests::CreateBacktestSession>(request)) {
            server.send(Responses::SessionCreated{kSession}, 1);
            server.send(Responses::ReadyForContinue{}, 2);
            server.current->close(QWebSocketProtocol::CloseCodeGoingAway, u"deploy"_s);
        } else if (std::holds_alternative<Requests::AttachBacktestSession>(request)) {
            if (!holdAttach)
                server.send(Responses::SessionAttached{kSession});
        } else if (std::holds_alternative<Requests::ResumeAttachedSession>(request)) {
            server.send(Responses::Success{}, 3);
        } else if (std::holds_alternative<Requests::Continue>(request)) {
            server.send(status("decodedTransactions"), 4);
            server.send(Responses::SlotNotification{101}, 5);
            server.send(Responses::ReadyForContinue{}, 6);
        }
    };
    control.start(server.url(), u"key"_s);
    // Re-attaching, the attach not answered yet: the connection is Down.
    QTRY_COMPARE_WITH_TIMEOUT(server.methods.size(), 2, 3000);
    QCOMPARE(control.status(), S::Down);
    QVERIFY(!control.isContinueInFlight());
    ContinueParams two{.advanceCount = 2};
    QVERIFY(control.sendContinue(two));
    QVERIFY(control.isContinuePending());
    QVERIFY(control.isContinueInFlight());
    const Result<void> second = control.sendContinueTo(ContinueToParams{105, 0});
    QVERIFY(!second);
    QCOMPARE(second.error().message, u"a Continue is already in flight"_s);

    // The attach hangs until the handshake timeout: the request keeps waiting
    // across a second reconnect, then goes out once, after the resume.
    holdAttach = false;
    QTRY_COMPARE_WITH_TIMEOUT(log.entries.size(), 6, 3000);
    QCOMPARE(server.methods,
             (QStringList{u"createBacktestSession"_s, u"attachBacktestSession"_s, u"attachBacktestSession"_s,
                          u"resumeAttachedSession"_s, u"continue"_s}));
    QCOMPARE(std::get<Requests::Continue>(server.requests.last()).params.advanceCount, quint64(2));
    QCOMPARE(log.entries, (QStringList{u"created "_s + kSession.sessionId, describe(Responses::ReadyForContinue{}),
                                       u"reattached "_s + kSession.sessionId, describe(status("decodedTransactions")),
                                       describe(Responses::SlotNotification{101}),
                                       describe(Responses::ReadyForContinue{})}));
    QVERIFY(!control.isContinueInFlight());
    QVERIFY(!control.isContinuePending());
    QCOMPARE(control.continuesResent(), 0);
    // The continue went out after Up, in the log too.
    QStringList sent;
    for (const FrameLogEntry &entry : std::as_const(log.frames)) {
        if (entry.direction == FrameDirection::Sent)
            sent.append(entry.method);
    }
    QCOMPARE(sent, (QStringList{u"createBacktestSession"_s, u"attachBacktestSession"_s, u"attachBacktestSession"_s,
                                u"resumeAttachedSession"_s, u"continue"_s}));
}

void tst_ControlManager::stepAfterReattach_data()
{
    QTest::addColumn<Responses_>("replayed"); // seqId 3, 4, …
    QTest::addColumn<bool>("afterSuccess");   // replayed after resume's `success`, not after sessionAttached
    QTest::addColumn<bool>("resent");
    for (const bool afterSuccess : {false, true}) {
        // PROTOCOL-0.31.md §6.3 step 2: the replay in any order around the handshake's answers.
        const char *order = afterSuccess ? ", after success" : "";
        QTest::addRow("nothing replayed: resent%s", order) << QList<ControlResponse>{} << afterSuccess << true;
        QTest::addRow("only a discovery replayed: resent%s", order)
            << QList<ControlResponse>{Responses::DiscoveryBatch{DiscoveryBatchEvent{}}} << afterSuccess << true;
        QTest::addRow("a status replayed: acted on%s", order)
            << QList<ControlResponse>{status("decodedTransactions")} << afterSuccess << false;
        QTest::addRow("a slot replayed: acted on%s", order)
            << QList<ControlResponse>{Responses::SlotNotification{101}} << afterSuccess << false;
        QTest::addRow("ready replayed: acted on%s", order)
            << QList<ControlResponse>{Responses::ReadyForContinue{}} << afterSuccess << false;
        QTest::addRow("an error replayed: answered%s", order)
            << QList<ControlResponse>{Responses::Error{BacktestError::make(BacktestErrorKind::SessionOwnerMismatch)}}
            << afterSuccess << false;
    }
}

void tst_ControlManager::stepAfterReattach()
{
    QFETCH(Responses_, replayed);
    QFETCH(bool, afterSuccess);
    QFETCH(bool, resent);
    auto &[server, control, log] = *m_case;
    int continues = 0;
    const auto replay = [&] {
        quint64 seq = 3;
        for (const ControlResponse &response : replayed)
            server.send(response, seq++);
    };
    server.onRequest = [&](const ControlRequest &request) {
        if (std::holds_alternative<Requests::CreateBacktestSession>(request)) {
            server.send(Responses::SessionCreated{kSession}, 1);
            server.send(Responses::ReadyForContinue{}, 2);
        } else if (std::holds_alternative<Requests::ContinueTo>(request)) {
            // The link drops as the request arrives: did the server act on it?
            if (++continues == 1) {
                server.current->abort();
                return;
            }
            server.send(Responses::Paused{PausedEvent{104, 1}}, 20);
        } else if (std::holds_alternative<Requests::AttachBacktestSession>(request)) {
            server.send(Responses::SessionAttached{kSession});
            if (!afterSuccess)
                replay();
        } else if (std::holds_alternative<Requests::ResumeAttachedSession>(request)) {
            server.send(Responses::Success{});
            if (afterSuccess)
                replay();
        }
    };
    control.start(server.url(), u"key"_s);
    QTRY_COMPARE_WITH_TIMEOUT(log.entries.size(), 2, 2000);
    QVERIFY(control.sendContinueTo(ContinueToParams{104, 1}));
    QTRY_VERIFY_WITH_TIMEOUT(log.entries.contains(u"reattached "_s + kSession.sessionId), 3000);

    QStringList expected{u"createBacktestSession"_s, u"continueTo"_s, u"attachBacktestSession"_s,
                         u"resumeAttachedSession"_s};
    if (resent)
        expected.append(u"continueTo"_s);
    QTRY_COMPARE_WITH_TIMEOUT(server.methods, expected, 2000);
    QCOMPARE(control.continuesResent(), resent ? 1 : 0);
    if (resent) {
        // Exactly the same request; then answered, so nothing more goes out.
        QCOMPARE(std::get<Requests::ContinueTo>(server.requests.last()).params.slot, quint64(104));
        QTRY_COMPARE_WITH_TIMEOUT(log.entries.last(), describe(Responses::Paused{PausedEvent{104, 1}}), 2000);
        QVERIFY(!control.isContinueInFlight());
        QVERIFY(std::any_of(log.frames.cbegin(), log.frames.cend(), [](const FrameLogEntry &entry) {
            return entry.direction == FrameDirection::Sent && entry.summary.startsWith(u"again: "_s);
        }));
    }
    if (!resent)
        QTest::qWait(int(2 * fastPolicy().reattachReplayGrace.count())); // nothing goes out late either
    QVERIFY(server.roundTrip()); // everything the client sent so far has arrived
    QCOMPARE(server.methods, expected);
    QCOMPARE(log.statuses, (QList<S>{S::Down, S::Up, S::Down, S::Up}));
}

void tst_ControlManager::disconnectTimeoutCoversTheBudget_data()
{
    QTest::addColumn<OptionalSecs>("requested");
    QTest::addColumn<int>("budgetSecs");
    QTest::addColumn<int>("sent");
    QTest::addRow("unset: the server maximum") << std::optional<quint16>() << 300 << 900;
    QTest::addRow("0 (tear down at once): the budget") << std::optional<quint16>(0) << 300 << 300;
    QTest::addRow("below the budget: the budget") << std::optional<quint16>(120) << 300 << 300;
    QTest::addRow("the budget: kept") << std::optional<quint16>(300) << 300 << 300;
    QTest::addRow("above the budget: kept") << std::optional<quint16>(600) << 300 << 600;
    QTest::addRow("a test budget of 2.5 s: 3 s") << std::optional<quint16>(1) << -2500 << 3;
}

void tst_ControlManager::disconnectTimeoutCoversTheBudget()
{
    QFETCH(OptionalSecs, requested);
    QFETCH(int, budgetSecs);
    QFETCH(int, sent);
    ConnectionPolicy policy{.maxTotal = budgetSecs > 0 ? milliseconds{budgetSecs * 1000} : milliseconds{-budgetSecs}};
    CreateSessionParams params = rangeParams();
    params.disconnectTimeoutSecs = requested;
    const ControlManager control(params, policy);
    QCOMPARE(control.createParams().disconnectTimeoutSecs, std::optional<quint16>(quint16(sent)));
}

QTEST_GUILESS_MAIN(tst_ControlManager)
#include "tst_controlmanager.moc"
