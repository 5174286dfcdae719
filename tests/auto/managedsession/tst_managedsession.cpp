// ManagedSession against a scripted simulator (control + data plane on one
// QWebSocketServer, 127.0.0.1, port 0): Continue gating (seed
// `wait_connections_up`) and every branch of the completion drain (seed
// `drain_subscriptions_until_complete`, PROTOCOL.md §6.7) — complete, stalled,
// failed, cancelled — for transaction and account-diff subscriptions.

#include "protocol/transactionfiles.h"
#include "session/managedsession.h"
#include "support/fixtures.h"
#include "support/policies.h"
#include "support/scriptedserver.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>
#include <QThread>
#include <QTimer>
#include <QWebSocket>

#include <functional>
#include <optional>
#include <utility>

using namespace SlotScope;
using namespace SlotScope::Testing;
using namespace Qt::StringLiterals;
using std::chrono::milliseconds;
using S = ConnectionStatus;
using Kind = ManagedSessionError::Kind;

namespace {

ConnectionPolicy sessionPolicy()
{
    ConnectionPolicy policy = fastPolicy();
    policy.handshakeResponseTimeout = milliseconds{2000};
    policy.drainIdleTimeout = milliseconds{200};
    return policy;
}

const SessionInfo kSession{u"backtest_test"_s, u"/backtest/backtest_test"_s, std::nullopt};

// Control path /backtest and data path /backtest/<id> on one server; the
// control plane answers create and close unless a test scripts it otherwise.
class FakeSimulator : public ScriptedServer
{
public:
    FakeSimulator()
    {
        subscriptionId = 3;
        honourZstd = false; // Text notifications, whatever the client asks for
        onRequest = [this](const ControlRequest &request) {
            defaultControl(request);
            if (onContinue && std::holds_alternative<Requests::Continue>(request))
                onContinue();
        };
    }
    // What the control plane does on a Continue, after the default answers.
    std::function<void()> onContinue;
    QWebSocket *transactionSocket() const { return dataByMethod.value(u"transactionSubscribe"_s); }
    QWebSocket *diffSocket() const { return dataByMethod.value(u"accountDiffSubscribe"_s); }
    void notifyTransaction(const LoadedTransaction &transaction) { notify(transaction, transactionSocket()); }
    void notifyDiff(quint64 slot, const QString &signature, const QString &account)
    {
        const QJsonObject result{{u"context"_s, QJsonObject{{u"slot"_s, qint64(slot)}}},
                                 {u"account"_s, account},
                                 {u"signature"_s, signature},
                                 {u"pre"_s, QJsonObject{{u"lamports"_s, 10}}},
                                 {u"post"_s, QJsonObject{{u"lamports"_s, 20}}}};
        ScriptedServer::notifyDiff(QJsonDocument(result).toJson(QJsonDocument::Compact), diffSocket());
    }
    void defaultControl(const ControlRequest &request)
    {
        if (std::holds_alternative<Requests::CreateBacktestSession>(request)) {
            sendSequenced(Responses::SessionCreated{kSession});
            sendSequenced(Responses::SlotNotification{100});
            sendSequenced(Responses::ReadyForContinue{});
        } else if (std::holds_alternative<Requests::CloseBacktestSession>(request)) {
            sendSequenced(Responses::Success{});
        }
    }
};

// One ordered log of what the session reported.
struct SessionLog
{
    QStringList entries;      // "created", "event:<name>", "tx:<signature>", "diff:<slot>/<account>", "failed:<kind>"
    QList<ManagedSessionError> errors;
    std::optional<ManagedEvents::Completed> completed;
    int continuesSent = 0;
    int finished = 0;

    explicit SessionLog(ManagedSession &session)
    {
        QObject::connect(&session, &ManagedSession::created, &session,
                         [this](const SessionInfo &) { entries.append(u"created"_s); });
        QObject::connect(&session, &ManagedSession::eventReceived, &session, [this](const ManagedEvent &event) {
            entries.append(u"event:"_s + managedEventName(event));
            if (const auto *done = std::get_if<ManagedEvents::Completed>(&event))
                completed = *done;
        });
        QObject::connect(&session, &ManagedSession::transactionReceived, &session,
                         [this](const TransactionSummary &summary, QByteArrayView) {
                             entries.append(u"tx:"_s + summary.signature);
                         });
        QObject::connect(&session, &ManagedSession::accountDiffReceived, &session,
                         [this](quint64 slot, const QString &, const QString &account, QByteArrayView) {
                             entries.append(u"diff:%1/%2"_s.arg(slot).arg(account));
                         });
        QObject::connect(&session, &ManagedSession::failed, &session, [this](const ManagedSessionError &error) {
            entries.append(u"failed:"_s + managedSessionErrorKindName(error.kind));
            errors.append(error);
        });
        QObject::connect(&session, &ManagedSession::continueSent, &session, [this] { ++continuesSent; });
        QObject::connect(&session, &ManagedSession::finished, &session, [this] { ++finished; });
    }
    /// The entries after the first readyForContinue (what the Continue brought).
    QStringList afterFirstReady() const { return entries.mid(entries.indexOf(u"event:readyForContinue"_s) + 1); }
};

// Subscribes `session` to transactions, starts it and sends one Continue on
// its first readyForContinue; false if it never became ready within 2 s or
// the Continue was refused.
[[nodiscard]] bool subscribeStartAndContinue(ManagedSession &session, const SessionLog &log)
{
    session.subscribeTransactions({});
    session.start();
    if (!QTest::qWaitFor([&log] { return log.entries.contains(u"event:readyForContinue"_s); }, 2000))
        return false;
    return bool(session.sendContinue({}));
}

} // namespace

class tst_ManagedSession : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void continueWaitsForEverySubscription();
    void continueRejections();
    void silenceAfterAnErrorWithAStepInFlightEndsTheSession_data();
    void silenceAfterAnErrorWithAStepInFlightEndsTheSession();
    void aSlowReadyAfterPausedIsNeverAnsweredTwice_data();
    void aSlowReadyAfterPausedIsNeverAnsweredTwice();
    void drainDeliversTrailingTransactionsBeforeCompleted();
    void drainWithoutSubscriptionsCompletesAtOnce();
    void drainStallsWhenUpAndSilent();
    void drainWaitsWhileSubscriptionIsDown();
    void drainStallsWhenASubscriptionFailed();
    void shutdownDuringDrainCompletes();
    void subscriptionFailureFailsTheSession();
    void otherSocketsOfAFailedSessionEnd();
    void endOfStreamBeforeCompletedIsNotAFailure_data();
    void endOfStreamBeforeCompletedIsNotAFailure();
    void createErrorFailsWithTheServerMessage();
    void shutdownBeforeCreatedIsCancelled();
    void runsOnAWorkerThread();
    void continueWaitsForTheAccountDiffSubscription();
    void continueWhileASubscriptionIsDownIsSentOnceAfterUp();
    void drainOutcomes_data();
    void drainOutcomes();
    void drainGivesAReconnectedSubscriptionAFullIdlePeriod();
    void subscriptionLabelsAndRequests();

private:
    /// The log entry of fixture transaction `index`: "tx:<signature>".
    QString tx(int index) const { return u"tx:"_s + m_transactions.at(index).signature; }
    QList<LoadedTransaction> m_transactions;
};

void tst_ManagedSession::initTestCase()
{
    Result<QList<LoadedTransaction>> loaded = loadFixtureTransactions();
    QVERIFY(loaded.ok());
    m_transactions = *loaded;
    QVERIFY(m_transactions.size() >= 10);
}

void tst_ManagedSession::continueWaitsForEverySubscription()
{
    FakeSimulator sim;
    sim.autoAck = false; // the subscribe ack is held back
    QVERIFY(sim.listen());
    ManagedSession session(sim.controlUrl(), u"key"_s, CreateSessionParams{100, 110}, sessionPolicy());
    SessionLog log(session);
    session.subscribeTransactions({u"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"_s});
    QCOMPARE(session.subscriptionStatuses().size(), 1);
    session.start();

    QTRY_VERIFY_WITH_TIMEOUT(log.entries.contains(u"event:readyForContinue"_s), 2000);
    QTRY_COMPARE_WITH_TIMEOUT(sim.subscribes.size(), 1, 2000);
    QCOMPARE(session.controlStatus(), S::Up);
    QCOMPARE(session.subscriptionStatuses().first().status, S::Down);

    ContinueParams params{.advanceCount = 3};
    QVERIFY(session.sendContinue(params));
    QVERIFY(session.isContinueQueued());
    QVERIFY(sim.roundTrip(sim.control)); // all the client sent so far has arrived
    QCOMPARE(sim.methods, QStringList{u"createBacktestSession"_s}); // held back

    sim.ack(sim.subscribes.first());
    QTRY_COMPARE_WITH_TIMEOUT(sim.methods.size(), 2, 2000);
    QCOMPARE(sim.methods, (QStringList{u"createBacktestSession"_s, u"continue"_s}));
    QCOMPARE(log.continuesSent, 1);
    QVERIFY(!session.isContinueQueued());
    QCOMPARE(session.subscriptionStatuses().first().status, S::Up);
    QCOMPARE(log.entries.first(), u"created"_s);
}

void tst_ManagedSession::continueRejections()
{
    FakeSimulator sim;
    QVERIFY(sim.listen());
    ManagedSession session(sim.controlUrl(), u"key"_s, CreateSessionParams{100, 110}, sessionPolicy());
    SessionLog log(session);
    QCOMPARE(session.sendContinue({}).error().message, u"the session has not been started"_s);
    session.start();
    QTRY_VERIFY_WITH_TIMEOUT(log.entries.contains(u"event:readyForContinue"_s), 2000);
    QVERIFY(session.sendContinue({}));
    QCOMPARE(session.sendContinueTo({105, std::nullopt}).error().message, u"a Continue is already in flight"_s);
    QTRY_COMPARE_WITH_TIMEOUT(sim.methods.size(), 2, 2000);
    QCOMPARE(log.continuesSent, 1);
}

void tst_ManagedSession::silenceAfterAnErrorWithAStepInFlightEndsTheSession_data()
{
    QTest::addColumn<QString>("afterError");
    QTest::newRow("an unknown error, then nothing") << u"silent"_s;
    QTest::newRow("an unknown error, then the step goes on") << u"goes on"_s;
    QTest::newRow("a refused step, then nothing (the session waits for the user)") << u"refused"_s;
}

void tst_ManagedSession::silenceAfterAnErrorWithAStepInFlightEndsTheSession()
{
    // PROTOCOL-0.31.md §4.8's watchdog: an error that does not end the step
    // (one this build cannot classify) and then no frame for the keepalive
    // miss deadline, pongs aside: the session is taken as ended rather than
    // waiting for ever. A server that goes on within the deadline is
    // followed; after a refused step nothing is awaited, and an idle session
    // is not ended.
    QFETCH(QString, afterError);
    const ConnectionPolicy policy = sessionPolicy();
    FakeSimulator sim;
    QVERIFY(sim.listen());
    sim.onContinue = [&] {
        if (afterError == u"refused"_s) {
            sim.sendSequenced(Responses::Error{BacktestError::invalidRequest(u"advanceCount too large"_s)});
            return;
        }
        sim.sendSequenced(Responses::Error{
            BacktestError::fromJson(QJsonObject{{u"quotaExhausted"_s, QJsonObject{{u"limit"_s, 5}}}})});
        if (afterError == u"goes on"_s) {
            QTimer::singleShot(policy.keepaliveMissDeadline * 2 / 3, &sim, [&sim] {
                sim.sendSequenced(Responses::SlotNotification{101});
                sim.sendSequenced(Responses::ReadyForContinue{});
            });
        }
    };
    ManagedSession session(sim.controlUrl(), u"key"_s, CreateSessionParams{100, 110}, policy);
    SessionLog log(session);
    QElapsedTimer sinceContinue;
    QVERIFY(subscribeStartAndContinue(session, log));
    sinceContinue.start();
    QTRY_VERIFY_WITH_TIMEOUT(log.entries.contains(u"event:error"_s), 2000);
    if (afterError == u"silent"_s) {
        QTRY_VERIFY_WITH_TIMEOUT(!log.errors.isEmpty(), int(policy.keepaliveMissDeadline.count()) * 3);
        QVERIFY(sinceContinue.elapsed() >= policy.keepaliveMissDeadline.count() * 9 / 10);
        QCOMPARE(log.errors.first().kind, Kind::ControlFailed);
        const QString message = log.errors.first().message;
        QVERIFY2(message.contains(u"no frame from the server"_s) && message.contains(u"quotaExhausted"_s),
                 qPrintable(message));
        QTRY_VERIFY_WITH_TIMEOUT(sim.methods.contains(u"closeBacktestSession"_s), 2000);
        return;
    }
    if (afterError == u"goes on"_s)
        QTRY_COMPARE_WITH_TIMEOUT(log.entries.count(u"event:readyForContinue"_s), 2, 3000);
    QTest::qWait(int(policy.keepaliveMissDeadline.count()) * 3 / 2);
    QVERIFY2(log.errors.isEmpty(), qPrintable(log.errors.isEmpty() ? QString() : log.errors.first().message));
    QCOMPARE(session.controlStatus(), S::Up);
    QVERIFY(session.sendContinue({})); // steppable
}

void tst_ManagedSession::aSlowReadyAfterPausedIsNeverAnsweredTwice_data()
{
    QTest::addColumn<bool>("refuseEarlySteps");
    QTest::newRow("early step queued") << false;
    QTest::newRow("early step refused") << true;
}

void tst_ManagedSession::aSlowReadyAfterPausedIsNeverAnsweredTwice()
{
    // A 0.31 server whose readyForContinue follows `paused` later than the
    // grace (PROTOCOL-0.31 §3.2): the session stands in for the first one and
    // its step goes out; the server queues that step until it has sent its
    // ready (or refuses it as premature). A late ready is never answered
    // twice (one step per pause), and the next pause waits for the server's
    // own ready, later than the grace.
    QFETCH(bool, refuseEarlySteps);
    FakeSimulator sim;
    QVERIFY(sim.listen());
    constexpr int readyDelayMs = 600;
    std::optional<ContinueToParams> queued;
    bool readyPending = false;
    std::function<void(const ContinueToParams &)> run = [&](const ContinueToParams &step) {
        sim.sendSequenced(Responses::SlotNotification{step.slot});
        sim.sendSequenced(Responses::Paused{PausedEvent{step.slot, std::nullopt}});
        readyPending = true;
        QTimer::singleShot(readyDelayMs, &sim, [&] {
            readyPending = false;
            sim.sendSequenced(Responses::ReadyForContinue{});
            if (const std::optional<ContinueToParams> next = std::exchange(queued, std::nullopt))
                run(*next);
        });
    };
    sim.onRequest = [&](const ControlRequest &request) {
        sim.defaultControl(request);
        if (const auto *to = std::get_if<Requests::ContinueTo>(&request)) {
            if (readyPending && refuseEarlySteps)
                sim.sendSequenced(Responses::Error{BacktestError::invalidRequest(u"ready not sent yet"_s)});
            else if (readyPending)
                queued = to->params; // the server acts on it once its ready is out
            else
                run(to->params);
        }
    };
    ConnectionPolicy policy = sessionPolicy();
    policy.legacyReadyGrace = milliseconds{200};
    ManagedSession session(sim.controlUrl(), u"key"_s, CreateSessionParams{100, 110}, policy);
    SessionLog log(session);
    QList<bool> readies; // synthesized?
    QList<quint64> targets{103, 106};
    quint64 lastSent = 0;
    connect(&session, &ManagedSession::eventReceived, this, [&](const ManagedEvent &event) {
        if (std::holds_alternative<ManagedEvents::Error>(event)) {
            targets.prepend(lastSent); // refused: the session did not move, the step is to be sent again
            return;
        }
        const auto *ready = std::get_if<ManagedEvents::ReadyForContinue>(&event);
        if (!ready)
            return;
        readies.append(ready->synthesized);
        if (!targets.isEmpty()) { // a stepper: one step per ready
            lastSent = targets.takeFirst();
            QVERIFY(session.sendContinueTo({lastSent, std::nullopt}));
        }
    });
    session.start();
    if (!refuseEarlySteps) {
        QTRY_COMPARE_WITH_TIMEOUT(readies.size(), 3, 5000);
        QTest::qWait(readyDelayMs + 200); // nothing more comes
        // The create's ready, the stand-in for the first pause, the server's
        // own ready after the second: the late ready of the first was dropped.
        QCOMPARE(readies, (QList<bool>{false, true, false}));
    } else {
        QTRY_COMPARE_WITH_TIMEOUT(readies.size(), 4, 5000);
        QTest::qWait(readyDelayMs + 200);
        // The stand-in's step (106) was refused, so the late ready is the one
        // to answer (106 again); 106's pause waits for the server's ready.
        QCOMPARE(readies, (QList<bool>{false, true, false, false}));
        QCOMPARE(log.entries.count(u"event:error"_s), 1);
        QCOMPARE(sim.methods.count(u"continueTo"_s), 3);
        return session.shutdown();
    }
    QCOMPARE(sim.methods.count(u"continueTo"_s), 2);
    QVERIFY(log.errors.isEmpty());
    session.shutdown();
}

void tst_ManagedSession::drainDeliversTrailingTransactionsBeforeCompleted()
{
    FakeSimulator sim;
    QVERIFY(sim.listen());
    SessionSummary summary{.correctSimulation = 3};
    sim.onContinue = [&] {
        sim.notify(m_transactions.at(0));
        sim.sendSequenced(Responses::Completed{summary});
        // The data plane is behind: two more arrive after `completed`.
        QTimer::singleShot(50, &sim, [&] {
            sim.notify(m_transactions.at(1));
            sim.notify(m_transactions.at(2));
            sim.data->close(QWebSocketProtocol::CloseCodeNormal, u"session completed"_s);
        });
    };
    ManagedSession session(sim.controlUrl(), u"key"_s, CreateSessionParams{100, 110}, sessionPolicy());
    SessionLog log(session);
    QVERIFY(subscribeStartAndContinue(session, log));

    QTRY_COMPARE_WITH_TIMEOUT(log.finished, 1, 3000);
    QCOMPARE(log.afterFirstReady(), (QStringList{tx(0), tx(1), tx(2), u"event:completed"_s}));
    QVERIFY(log.errors.isEmpty());
    QCOMPARE(log.completed->summary, std::optional(summary));
    QCOMPARE(session.state(), ManagedSession::State::Completed);
    // The control connection was closed gracefully after the drain.
    QTRY_COMPARE_WITH_TIMEOUT(sim.methods.last(), u"closeBacktestSession"_s, 2000);
}

void tst_ManagedSession::drainWithoutSubscriptionsCompletesAtOnce()
{
    FakeSimulator sim;
    QVERIFY(sim.listen());
    sim.onContinue = [&] { sim.sendSequenced(Responses::Completed{std::nullopt}); };
    ManagedSession session(sim.controlUrl(), u"key"_s, CreateSessionParams{100, 110}, sessionPolicy());
    SessionLog log(session);
    session.start();
    QTRY_VERIFY_WITH_TIMEOUT(log.entries.contains(u"event:readyForContinue"_s), 2000);
    QVERIFY(session.sendContinue({}));
    QTRY_COMPARE_WITH_TIMEOUT(log.finished, 1, 2000);
    QCOMPARE(log.entries.last(), u"event:completed"_s);
    QVERIFY(log.errors.isEmpty());
}

void tst_ManagedSession::drainStallsWhenUpAndSilent()
{
    FakeSimulator sim;
    QVERIFY(sim.listen());
    sim.onContinue = [&] {
        sim.sendSequenced(Responses::Completed{std::nullopt});
        sim.notify(m_transactions.at(3)); // one trailing transaction, then silence
    };
    ManagedSession session(sim.controlUrl(), u"key"_s, CreateSessionParams{100, 110}, sessionPolicy());
    SessionLog log(session);
    QVERIFY(subscribeStartAndContinue(session, log));

    QTRY_COMPARE_WITH_TIMEOUT(log.errors.size(), 1, 3000);
    QCOMPARE(log.errors.first().kind, Kind::DrainStalled);
    QVERIFY2(log.errors.first().message.startsWith(u"completion drain stalled"_s),
             qPrintable(log.errors.first().message));
    QVERIFY(log.errors.first().message.contains(u"transactions"_s));
    // The drained transaction came first; no silent Completed.
    QCOMPARE(log.entries.mid(log.entries.size() - 2), (QStringList{tx(3), u"failed:drain stalled"_s}));
    QVERIFY(!log.completed);
    QCOMPARE(session.state(), ManagedSession::State::Failed);
    QTRY_COMPARE_WITH_TIMEOUT(log.finished, 1, 2000);
}

void tst_ManagedSession::drainWaitsWhileSubscriptionIsDown()
{
    FakeSimulator sim;
    QVERIFY(sim.listen());
    sim.afterAck = [&](const SubscribeRequest &request) {
        if (request.replayFromSlot) {
            // Back after a long outage: replay the boundary, then end the stream.
            sim.notify(m_transactions.at(10));
            sim.notify(m_transactions.at(11));
            sim.data->close(QWebSocketProtocol::CloseCodeNormal, u"session completed"_s);
        }
    };
    sim.onContinue = [&] {
        sim.notify(m_transactions.at(10));
        sim.sendSequenced(Responses::Completed{std::nullopt});
        QTimer::singleShot(20, &sim, [&] {
            sim.data->close(QWebSocketProtocol::CloseCodeGoingAway, u"node restart"_s);
        });
    };
    ConnectionPolicy policy = sessionPolicy();
    policy.initialBackoff = milliseconds{600}; // Down for three idle periods
    policy.maxBackoff = milliseconds{600};
    ManagedSession session(sim.controlUrl(), u"key"_s, CreateSessionParams{100, 110}, policy);
    SessionLog log(session);
    QVERIFY(subscribeStartAndContinue(session, log));

    QTRY_COMPARE_WITH_TIMEOUT(log.finished, 1, 5000);
    QVERIFY2(log.errors.isEmpty(), log.errors.isEmpty() ? "" : qPrintable(log.errors.first().message));
    QVERIFY(sim.dataConnections >= 2);
    QCOMPARE(sim.subscribes.last().replayFromSlot, std::optional(m_transactions.at(10).slot));
    QCOMPARE(log.afterFirstReady(), (QStringList{tx(10), tx(11), u"event:completed"_s}));
}

void tst_ManagedSession::drainStallsWhenASubscriptionFailed()
{
    FakeSimulator sim;
    QVERIFY(sim.listen());
    sim.onSubscribeInstead = [&](QWebSocket *socket, const SubscribeRequest &request) {
        if (!request.replayFromSlot) {
            sim.ack(request);
            return;
        }
        socket->sendTextMessage(QString::fromUtf8(encodeRpcError(request.requestId, -32000, u"session gone"_s)));
    };
    sim.onContinue = [&] {
        sim.notify(m_transactions.at(12));
        sim.sendSequenced(Responses::Completed{std::nullopt});
        QTimer::singleShot(20, &sim, [&] {
            sim.data->close(QWebSocketProtocol::CloseCodeGoingAway, u"node restart"_s);
        });
    };
    ManagedSession session(sim.controlUrl(), u"key"_s, CreateSessionParams{100, 110}, sessionPolicy());
    SessionLog log(session);
    QVERIFY(subscribeStartAndContinue(session, log));

    QTRY_COMPARE_WITH_TIMEOUT(log.errors.size(), 1, 3000);
    QCOMPARE(log.errors.first().kind, Kind::DrainStalled);
    QVERIFY2(log.errors.first().message.contains(u"subscribe rejected: session gone"_s),
             qPrintable(log.errors.first().message));
    QVERIFY(!log.completed);
}

void tst_ManagedSession::shutdownDuringDrainCompletes()
{
    FakeSimulator sim;
    QVERIFY(sim.listen());
    sim.onContinue = [&] { sim.sendSequenced(Responses::Completed{std::nullopt}); };
    ConnectionPolicy policy = sessionPolicy();
    policy.drainIdleTimeout = milliseconds{60'000};
    ManagedSession session(sim.controlUrl(), u"key"_s, CreateSessionParams{100, 110}, policy);
    SessionLog log(session);
    QVERIFY(subscribeStartAndContinue(session, log));
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), ManagedSession::State::Draining, 2000);

    session.shutdown();
    QCOMPARE(log.entries.last(), u"event:completed"_s);
    QVERIFY(log.errors.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(log.finished, 1, 2000);
    QTRY_COMPARE_WITH_TIMEOUT(sim.methods.last(), u"closeBacktestSession"_s, 2000);
}

void tst_ManagedSession::subscriptionFailureFailsTheSession()
{
    FakeSimulator sim;
    QVERIFY(sim.listen());
    sim.onSubscribeInstead = [&](QWebSocket *socket, const SubscribeRequest &request) {
        socket->sendTextMessage(QString::fromUtf8(encodeRpcError(request.requestId, -32602, u"bad filter"_s)));
    };
    ManagedSession session(sim.controlUrl(), u"key"_s, CreateSessionParams{100, 110}, sessionPolicy());
    SessionLog log(session);
    session.subscribeTransactions({u"x"_s});
    session.start();
    QTRY_COMPARE_WITH_TIMEOUT(log.errors.size(), 1, 3000);
    QCOMPARE(log.errors.first().kind, Kind::SubscriptionFailed);
    QCOMPARE(log.errors.first().message,
             u"subscription transactions failed: subscribe rejected: bad filter (code -32602)"_s);
    QTRY_COMPARE_WITH_TIMEOUT(log.finished, 1, 2000);
    // The session was closed on the server side too.
    QTRY_COMPARE_WITH_TIMEOUT(sim.methods.last(), u"closeBacktestSession"_s, 2000);
}

void tst_ManagedSession::otherSocketsOfAFailedSessionEnd()
{
    // The transactions subscribe is rejected while the account-diff socket is
    // Up: the session fails and stops that socket, whose last status must say
    // its loop ended (`ended`), so its lane and row end instead of showing a
    // Down that never retries (WebSocketConnection::hasEnded(), not
    // SubscriptionManager::hasStreamEnded()).
    FakeSimulator sim;
    QVERIFY(sim.listen());
    sim.onSubscribeInstead = [&](QWebSocket *socket, const SubscribeRequest &request) {
        if (request.method == u"transactionSubscribe"_s) {
            QTimer::singleShot(300, socket, [socket, request] {
                socket->sendTextMessage(
                    QString::fromUtf8(encodeRpcError(request.requestId, -32602, u"bad filter"_s)));
            });
        } else {
            sim.ack(request, socket);
        }
    };
    ManagedSession session(sim.controlUrl(), u"key"_s, CreateSessionParams{100, 110}, sessionPolicy());
    SessionLog log(session);
    struct Report
    {
        ConnectionStatus status;
        bool ended;
    };
    QList<Report> diffReports;
    connect(&session, &ManagedSession::connectionStatusChanged, this,
            [&](const QString &label, ConnectionStatus status, const QString &, int, bool ended) {
                if (label == u"account diffs"_s)
                    diffReports.append({status, ended});
            });
    session.subscribeTransactions({u"x"_s});
    session.subscribeAccountDiffs(u"TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"_s, true);
    session.start();
    QTRY_COMPARE_WITH_TIMEOUT(log.errors.size(), 1, 3000);
    QCOMPARE(log.errors.first().kind, Kind::SubscriptionFailed);
    QTRY_COMPARE_WITH_TIMEOUT(log.finished, 1, 2000);
    QVERIFY(!diffReports.isEmpty());
    QVERIFY(std::any_of(diffReports.cbegin(), diffReports.cend(),
                        [](const Report &report) { return report.status == ConnectionStatus::Up; }));
    QCOMPARE(diffReports.last().status, ConnectionStatus::Down);
    QVERIFY(diffReports.last().ended);
}

void tst_ManagedSession::endOfStreamBeforeCompletedIsNotAFailure_data()
{
    QTest::addColumn<int>("completedAfterMs"); // -1: never
    QTest::addColumn<bool>("completes");
    QTest::newRow("completed 300 ms after the close") << 300 << true;
    QTest::newRow("completed never comes") << -1 << false;
}

void tst_ManagedSession::endOfStreamBeforeCompletedIsNotAFailure()
{
    // PROTOCOL.md §5.8: the data plane's normal close can overtake `completed`,
    // which travels on the control socket. With no reconnect budget left the
    // subscription fails at once; the session waits ConnectionPolicy::
    // endOfStreamGrace for `completed` and then counts the close as the end
    // of stream, or fails if `completed` never comes.
    QFETCH(int, completedAfterMs);
    QFETCH(bool, completes);
    FakeSimulator sim;
    QVERIFY(sim.listen());
    sim.onContinue = [&] {
        sim.notify(m_transactions.at(0));
        sim.data->close(QWebSocketProtocol::CloseCodeNormal, u"session completed"_s);
        if (completedAfterMs >= 0) {
            QTimer::singleShot(completedAfterMs, &sim,
                               [&] { sim.sendSequenced(Responses::Completed{SessionSummary{}}); });
        }
    };
    ConnectionPolicy policy = sessionPolicy();
    policy.maxAttempts = 0; // the close exhausts the budget: the subscription fails
    policy.endOfStreamGrace = milliseconds{1000};
    ManagedSession session(sim.controlUrl(), u"key"_s, CreateSessionParams{100, 110}, policy);
    SessionLog log(session);
    QVERIFY(subscribeStartAndContinue(session, log));

    QTRY_COMPARE_WITH_TIMEOUT(log.finished, 1, 5000);
    if (completes) {
        QVERIFY2(log.errors.isEmpty(), qPrintable(log.errors.value(0).message));
        QCOMPARE(session.state(), ManagedSession::State::Completed);
        QCOMPARE(log.afterFirstReady(), (QStringList{tx(0), u"event:completed"_s}));
    } else {
        QCOMPARE(log.errors.size(), 1);
        QCOMPARE(log.errors.first().kind, Kind::SubscriptionFailed);
        QVERIFY2(log.errors.first().message.contains(u"session completed"_s), qPrintable(log.errors.first().message));
        QCOMPARE(session.state(), ManagedSession::State::Failed);
    }
}

void tst_ManagedSession::createErrorFailsWithTheServerMessage()
{
    FakeSimulator sim;
    QVERIFY(sim.listen());
    sim.onRequest = [&](const ControlRequest &) {
        sim.sendSequenced(Responses::Error{BacktestError::invalidRequest(u"startSlot must be <= endSlot"_s)});
    };
    ManagedSession session(sim.controlUrl(), u"key"_s, CreateSessionParams{110, 100}, sessionPolicy());
    SessionLog log(session);
    session.start();
    QTRY_COMPARE_WITH_TIMEOUT(log.errors.size(), 1, 2000);
    QCOMPARE(log.errors.first().kind, Kind::Create);
    QCOMPARE(log.errors.first().message,
             u"session create failed: invalid request: startSlot must be <= endSlot"_s);
    QCOMPARE(log.finished, 1);
}

void tst_ManagedSession::shutdownBeforeCreatedIsCancelled()
{
    FakeSimulator sim;
    QVERIFY(sim.listen());
    sim.onRequest = [](const ControlRequest &) {}; // the create never answers
    ManagedSession session(sim.controlUrl(), u"key"_s, CreateSessionParams{100, 110}, sessionPolicy());
    SessionLog log(session);
    session.start();
    QTRY_COMPARE_WITH_TIMEOUT(sim.methods.size(), 1, 2000);
    session.shutdown();
    QCOMPARE(log.entries, QStringList{u"failed:cancelled"_s});
    QCOMPARE(log.errors.first().kind, Kind::Cancelled);
    QTRY_COMPARE_WITH_TIMEOUT(log.finished, 1, 2000);
}

void tst_ManagedSession::runsOnAWorkerThread()
{
    // The engine moves sessions to its worker thread before starting them:
    // every socket and timer must follow (DESIGN.md §3).
    QTest::failOnWarning(QRegularExpression(u"another thread|different thread"_s));
    FakeSimulator sim;
    QVERIFY(sim.listen());
    bool completed = false;
    sim.afterAck = [&](const SubscribeRequest &) {
        if (sim.dataConnections == 1) // the first data socket drops: reconnecting needs the timers
            sim.data->close(QWebSocketProtocol::CloseCodeGoingAway, u"restart"_s);
        else if (completed) // a resubscribe after the end: like the reference server, end it again
            sim.data->close(QWebSocketProtocol::CloseCodeNormal, u"session completed"_s);
    };
    sim.onContinue = [&] {
        sim.notify(m_transactions.at(5));
        sim.sendSequenced(Responses::Completed{std::nullopt});
        completed = true;
        sim.data->close(QWebSocketProtocol::CloseCodeNormal, u"session completed"_s);
    };
    QThread worker;
    auto *session = new ManagedSession(sim.controlUrl(), u"key"_s, CreateSessionParams{100, 110}, sessionPolicy());
    session->moveToThread(&worker);
    connect(&worker, &QThread::finished, session, &QObject::deleteLater);
    worker.start();

    QStringList names; // written on this thread only (queued connections)
    QThread *deliveredOn = nullptr;
    connect(session, &ManagedSession::eventReceived, this, [&](const ManagedEvent &event) {
        names.append(managedEventName(event));
    });
    connect(session, &ManagedSession::transactionReceived, session,
            [&](const TransactionSummary &, QByteArrayView) { deliveredOn = QThread::currentThread(); },
            Qt::DirectConnection);
    QMetaObject::invokeMethod(session, [session] {
        session->subscribeTransactions({});
        session->start();
    });
    QTRY_VERIFY_WITH_TIMEOUT(names.contains(u"readyForContinue"_s), 3000);
    // The first data socket is gone once the second one exists: the Continue
    // then waits for the second one's ack, and the notification goes there.
    QTRY_COMPARE_WITH_TIMEOUT(sim.dataConnections, 2, 3000);
    QMetaObject::invokeMethod(session, [session] { QVERIFY(session->sendContinue({})); });
    QTRY_VERIFY_WITH_TIMEOUT(names.contains(u"completed"_s), 3000);
    QCOMPARE(deliveredOn, &worker);
    QVERIFY(sim.dataConnections >= 2);
    QCOMPARE(sim.methods.mid(0, 2), (QStringList{u"createBacktestSession"_s, u"continue"_s}));
    worker.quit();
    QVERIFY(worker.wait(5000));
}

void tst_ManagedSession::continueWaitsForTheAccountDiffSubscription()
{
    FakeSimulator sim;
    QVERIFY(sim.listen());
    sim.onSubscribeInstead = [&](QWebSocket *socket, const SubscribeRequest &request) {
        if (request.method == u"transactionSubscribe"_s)
            sim.ack(request, socket); // the diff ack is held back
    };
    ManagedSession session(sim.controlUrl(), u"key"_s, CreateSessionParams{100, 110}, sessionPolicy());
    SessionLog log(session);
    session.subscribeTransactions({});
    session.subscribeAccountDiffs(u"TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"_s, true);
    session.start();
    QTRY_VERIFY_WITH_TIMEOUT(log.entries.contains(u"event:readyForContinue"_s), 2000);
    QTRY_COMPARE_WITH_TIMEOUT(sim.subscribes.size(), 2, 2000);
    QTRY_COMPARE_WITH_TIMEOUT(session.subscriptionStatuses().at(0).status, S::Up, 2000);
    QVERIFY(session.sendContinue({}));
    QVERIFY(sim.roundTrip(sim.control)); // all the client sent so far has arrived
    QCOMPARE(sim.methods, QStringList{u"createBacktestSession"_s});
    QCOMPARE(session.subscriptionStatuses().at(1).status, S::Down);

    const auto diffRequest = std::find_if(sim.subscribes.cbegin(), sim.subscribes.cend(), [](const SubscribeRequest &r) {
        return r.method == u"accountDiffSubscribe"_s;
    });
    QVERIFY(diffRequest != sim.subscribes.cend());
    sim.ack(*diffRequest, sim.diffSocket());
    QTRY_COMPARE_WITH_TIMEOUT(sim.methods.size(), 2, 2000);
    QCOMPARE(sim.methods.last(), u"continue"_s);
    QCOMPARE(log.continuesSent, 1);
}

void tst_ManagedSession::continueWhileASubscriptionIsDownIsSentOnceAfterUp()
{
    FakeSimulator sim;
    QVERIFY(sim.listen());
    ConnectionPolicy policy = sessionPolicy();
    policy.initialBackoff = milliseconds{400}; // Down long enough to press Continue
    policy.maxBackoff = milliseconds{400};
    ManagedSession session(sim.controlUrl(), u"key"_s, CreateSessionParams{100, 110}, policy);
    SessionLog log(session);
    QList<S> dataStatuses;
    connect(&session, &ManagedSession::connectionStatusChanged, this,
            [&](const QString &label, S status) {
                if (label == u"transactions"_s)
                    dataStatuses.append(status);
            });
    session.subscribeTransactions({});
    session.start();
    QTRY_VERIFY_WITH_TIMEOUT(log.entries.contains(u"event:readyForContinue"_s), 2000);
    QTRY_COMPARE_WITH_TIMEOUT(session.subscriptionStatuses().first().status, S::Up, 2000);

    sim.data->close(QWebSocketProtocol::CloseCodeGoingAway, u"node restart"_s);
    QTRY_COMPARE_WITH_TIMEOUT(session.subscriptionStatuses().first().status, S::Down, 2000);
    QVERIFY(session.sendContinue({}));
    QVERIFY(session.isContinueQueued());
    QCOMPARE(session.sendContinue({}).error().message, u"a Continue is already waiting for the connections"_s);
    QVERIFY(sim.roundTrip(sim.control)); // all the client sent so far has arrived
    QCOMPARE(sim.methods, QStringList{u"createBacktestSession"_s});

    QTRY_COMPARE_WITH_TIMEOUT(sim.methods.size(), 2, 3000);
    QCOMPARE(sim.dataConnections, 2);
    QCOMPARE(session.subscriptionStatuses().first().status, S::Up);
    QVERIFY(sim.roundTrip(sim.control)); // all the client sent so far has arrived
    QCOMPARE(sim.methods, (QStringList{u"createBacktestSession"_s, u"continue"_s})); // exactly once
    QCOMPARE(log.continuesSent, 1);
    QCOMPARE(dataStatuses, (QList<S>{S::Up, S::Down, S::Up}));
}

void tst_ManagedSession::drainOutcomes_data()
{
    // How each subscription behaves after `completed`: "end" (trailing
    // notifications, then close 1000), "silent" (Up, nothing more), "reject"
    // (dropped, and the resubscribe rejected → Failed).
    QTest::addColumn<QString>("transactions");
    QTest::addColumn<QString>("diffs");
    QTest::addColumn<bool>("shutdownDuringDrain");
    QTest::addColumn<QString>("outcome"); // "completed", or the failure kind
    QTest::addColumn<QString>("messagePart");

    QTest::addRow("complete") << u"end"_s << u"end"_s << false << u"completed"_s << QString();
    QTest::addRow("diffs stalled") << u"end"_s << u"silent"_s << false << u"drain stalled"_s
                                   << u"subscription account diffs is up but delivered nothing"_s;
    QTest::addRow("transactions stalled") << u"silent"_s << u"end"_s << false << u"drain stalled"_s
                                          << u"subscription transactions is up"_s;
    QTest::addRow("diffs failed") << u"end"_s << u"reject"_s << false << u"drain stalled"_s
                                  << u"subscription account diffs failed"_s;
    QTest::addRow("cancelled") << u"silent"_s << u"silent"_s << true << u"completed"_s << QString();
}

void tst_ManagedSession::drainOutcomes()
{
    QFETCH(QString, transactions);
    QFETCH(QString, diffs);
    QFETCH(bool, shutdownDuringDrain);
    QFETCH(QString, outcome);
    QFETCH(QString, messagePart);

    const LoadedTransaction &before = m_transactions.at(0);
    const LoadedTransaction &trailing = m_transactions.at(1);
    FakeSimulator sim;
    QVERIFY(sim.listen());
    sim.onSubscribeInstead = [&](QWebSocket *socket, const SubscribeRequest &request) {
        if (request.replayFromSlot) // only "reject" resubscribes
            socket->sendTextMessage(QString::fromUtf8(encodeRpcError(request.requestId, -32000, u"session gone"_s)));
        else
            sim.ack(request, socket);
    };
    auto finishStream = [&](const QString &behaviour, QWebSocket *socket, const std::function<void()> &trail) {
        if (behaviour == u"end"_s) {
            trail();
            socket->close(QWebSocketProtocol::CloseCodeNormal, u"session completed"_s);
        } else if (behaviour == u"reject"_s) {
            socket->close(QWebSocketProtocol::CloseCodeGoingAway, u"node restart"_s);
        }
    };
    sim.onContinue = [&] {
        sim.notifyTransaction(before);
        sim.notifyDiff(before.slot, before.signature, u"acc-before"_s);
        sim.sendSequenced(Responses::Completed{std::nullopt});
        QTimer::singleShot(30, &sim, [&] {
            finishStream(transactions, sim.transactionSocket(), [&] { sim.notifyTransaction(trailing); });
            finishStream(diffs, sim.diffSocket(), [&] { sim.notifyDiff(trailing.slot, trailing.signature, u"acc-trailing"_s); });
        });
    };
    ManagedSession session(sim.controlUrl(), u"key"_s, CreateSessionParams{100, 110}, sessionPolicy());
    SessionLog log(session);
    session.subscribeTransactions({});
    session.subscribeAccountDiffs(u"11111111111111111111111111111111"_s, true);
    session.start();
    QTRY_VERIFY_WITH_TIMEOUT(log.entries.contains(u"event:readyForContinue"_s), 2000);
    QTRY_VERIFY_WITH_TIMEOUT(session.subscriptionStatuses().at(0).status == S::Up
                                 && session.subscriptionStatuses().at(1).status == S::Up, 2000);
    QVERIFY(session.sendContinue({}));
    if (shutdownDuringDrain) {
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), ManagedSession::State::Draining, 2000);
        QTRY_VERIFY_WITH_TIMEOUT(log.entries.contains(u"diff:%1/acc-before"_s.arg(before.slot)), 2000);
        session.shutdown();
    }
    QTRY_COMPARE_WITH_TIMEOUT(log.finished, 1, 4000);

    // Every notification that arrived comes before the outcome.
    QStringList expected{u"tx:"_s + before.signature, u"diff:%1/acc-before"_s.arg(before.slot)};
    if (transactions == u"end"_s)
        expected.append(u"tx:"_s + trailing.signature);
    if (diffs == u"end"_s)
        expected.append(u"diff:%1/acc-trailing"_s.arg(trailing.slot));
    expected.append(outcome == u"completed"_s ? u"event:completed"_s : u"failed:"_s + outcome);
    const QStringList tail = log.afterFirstReady();
    // The two sockets interleave freely; compare each stream's order and the end.
    QCOMPARE(tail.size(), expected.size());
    QCOMPARE(tail.last(), expected.last());
    auto only = [](const QStringList &list, const QString &prefix) {
        return list.filter(QRegularExpression(u"^"_s + prefix));
    };
    QCOMPARE(only(tail, u"tx:"_s), only(expected, u"tx:"_s));
    QCOMPARE(only(tail, u"diff:"_s), only(expected, u"diff:"_s));

    if (outcome == u"completed"_s) {
        QVERIFY2(log.errors.isEmpty(), log.errors.isEmpty() ? "" : qPrintable(log.errors.first().message));
        QCOMPARE(session.state(), ManagedSession::State::Completed);
    } else {
        QCOMPARE(log.errors.size(), 1);
        QCOMPARE(log.errors.first().kind, Kind::DrainStalled);
        QVERIFY2(log.errors.first().message.contains(messagePart), qPrintable(log.errors.first().message));
        QVERIFY(!log.completed);
        QCOMPARE(session.state(), ManagedSession::State::Failed);
    }
    QTRY_COMPARE_WITH_TIMEOUT(sim.methods.last(), u"closeBacktestSession"_s, 2000);
}

void tst_ManagedSession::drainGivesAReconnectedSubscriptionAFullIdlePeriod()
{
    // Down across several idle periods, then Up: the backstop restarts at Up,
    // so trailing notifications sent soon after the resubscribe still count.
    FakeSimulator sim;
    QVERIFY(sim.listen());
    sim.afterAck = [&](const SubscribeRequest &request) {
        if (!request.replayFromSlot)
            return;
        QTimer::singleShot(250, &sim, [&] { // more than half an idle period of silence
            sim.notify(m_transactions.at(10));
            sim.notify(m_transactions.at(11));
            sim.data->close(QWebSocketProtocol::CloseCodeNormal, u"session completed"_s);
        });
    };
    sim.onContinue = [&] {
        sim.notify(m_transactions.at(10));
        sim.sendSequenced(Responses::Completed{std::nullopt});
        sim.data->close(QWebSocketProtocol::CloseCodeGoingAway, u"node restart"_s);
    };
    ConnectionPolicy policy = sessionPolicy();
    policy.drainIdleTimeout = milliseconds{400};
    policy.initialBackoff = milliseconds{600}; // Up again at ~1.5 idle periods
    policy.maxBackoff = milliseconds{600};
    ManagedSession session(sim.controlUrl(), u"key"_s, CreateSessionParams{100, 110}, policy);
    SessionLog log(session);
    QVERIFY(subscribeStartAndContinue(session, log));

    QTRY_COMPARE_WITH_TIMEOUT(log.finished, 1, 5000);
    QVERIFY2(log.errors.isEmpty(), log.errors.isEmpty() ? "" : qPrintable(log.errors.first().message));
    QCOMPARE(log.afterFirstReady(), (QStringList{tx(10), tx(11), u"event:completed"_s}));
}

void tst_ManagedSession::subscriptionLabelsAndRequests()
{
    FakeSimulator sim;
    QVERIFY(sim.listen());
    ManagedSession session(sim.controlUrl(), u"key"_s, CreateSessionParams{100, 110}, sessionPolicy());
    SessionLog log(session);
    session.subscribeTransactions({u"prog1"_s});
    session.subscribeAccountDiffs(u"prog1"_s, true, true);
    session.subscribeTransactions({u"prog2"_s}, false);
    session.subscribeAccountDiffs(u"acct"_s, false);
    QStringList labels;
    for (const SocketStatus &status : session.subscriptionStatuses())
        labels.append(status.label);
    QCOMPARE(labels, (QStringList{u"transactions"_s, u"account diffs"_s, u"transactions 2"_s, u"account diffs 2"_s}));
    session.start();
    QTRY_COMPARE_WITH_TIMEOUT(sim.subscribes.size(), 4, 2000);
    QStringList requests;
    for (const SubscribeRequest &r : std::as_const(sim.subscribes))
        requests.append(u"%1 %2 owner=%3 zstd=%4"_s.arg(r.method, r.accounts.join(u','))
                            .arg(r.programOwner).arg(r.zstd));
    requests.sort();
    QCOMPARE(requests, (QStringList{u"accountDiffSubscribe acct owner=0 zstd=0"_s,
                                    u"accountDiffSubscribe prog1 owner=1 zstd=1"_s,
                                    u"transactionSubscribe prog1 owner=0 zstd=1"_s,
                                    u"transactionSubscribe prog2 owner=0 zstd=0"_s}));
    QCOMPARE(session.subscriptions().size(), 4);
    QCOMPARE(session.subscriptions().at(1)->kind(), SubscriptionKind::AccountDiffs);
}

QTEST_GUILESS_MAIN(tst_ManagedSession)
#include "tst_managedsession.moc"
