// Control-plane faults of the reference server (RefServerConfig::controlFaults),
// seen by raw QWebSocket clients over real sockets: what each fault does to the
// frames on the wire, and that attach / resume / replay (PROTOCOL.md §6.4)
// still hand the client every sequenced response exactly once.

#include "protocol/controlmessages.h"
#include "refserver/refserver.h"
#include "support/fixtures.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QProcess>
#include <QTest>
#include <QWebSocket>

#include <functional>
#include <memory>

using namespace Qt::StringLiterals;
using namespace SlotScope;
using SlotScope::Testing::inclusiveRange;

namespace {

const QString ApiKey = u"fault-key"_s;
constexpr int Timeout = 10'000;

QByteArray createFrame(quint64 startSlot, quint64 endSlot)
{
    const CreateSessionParams params{.startSlot = startSlot, .endSlot = endSlot, .disconnectTimeoutSecs = 60};
    return encodeControlRequest(Requests::CreateBacktestSession{params});
}

QByteArray continueFrame(quint64 advanceCount)
{
    ContinueParams params{.advanceCount = advanceCount};
    return encodeControlRequest(Requests::Continue{params});
}

QByteArray attachFrame(const QString &sessionId, std::optional<quint64> lastSequence)
{
    return encodeControlRequest(Requests::AttachBacktestSession{sessionId, lastSequence});
}

/// A raw control client that records every frame and, when asked, keeps the
/// session going by itself: resume after sessionAttached, continue after
/// readyForContinue, and after a resume the continue again when nothing shows
/// the server got it (stepOpen: a readyForContinue not followed by any status).
class RawClient : public QObject
{
public:
    explicit RawClient(quint64 advanceCount = 0)
        : m_advanceCount(advanceCount)
    {
        connect(&socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
            const QByteArray raw = text.toUtf8();
            frames.append(raw);
            const Result<ControlFrame> frame = decodeControlResponse(raw);
            if (!frame)
                return;
            if (std::holds_alternative<Responses::SessionAttached>(frame->response))
                send(encodeControlRequest(Requests::ResumeAttachedSession{}));
            if (std::holds_alternative<Responses::Status>(frame->response)
                || std::holds_alternative<Responses::SlotNotification>(frame->response))
                stepOpen = false;
            if (m_advanceCount == 0)
                return;
            if (std::holds_alternative<Responses::ReadyForContinue>(frame->response)) {
                stepOpen = true;
                send(continueFrame(m_advanceCount));
            } else if (std::holds_alternative<Responses::Success>(frame->response) && stepOpen) {
                send(continueFrame(m_advanceCount));
            }
        });
        connect(&socket, &QWebSocket::pong, this, [this] { ++pongs; });
        // Announced only for a close frame or a local close, never for a plain TCP drop.
        connect(&socket, &QWebSocket::aboutToClose, this, [this] { closeFrameSeen = true; });
        connect(&socket, &QWebSocket::disconnected, this, [this] { disconnected = true; });
    }

    bool open(const QUrl &url)
    {
        QNetworkRequest request(url);
        request.setRawHeader("X-API-Key", ApiKey.toUtf8());
        socket.open(request);
        // The state below is the answer; the wait only bounds how long it may take.
        [[maybe_unused]] const bool settled = QTest::qWaitFor(
            [this] { return socket.state() == QAbstractSocket::ConnectedState || disconnected; }, Timeout);
        return socket.state() == QAbstractSocket::ConnectedState;
    }

    void send(const QByteArray &json) { socket.sendTextMessage(QString::fromUtf8(json)); }

    /// Decoded frames (undecodable ones skipped).
    QList<ControlFrame> decoded() const
    {
        QList<ControlFrame> out;
        for (const QByteArray &raw : frames) {
            if (Result<ControlFrame> frame = decodeControlResponse(raw))
                out.append(*frame);
        }
        return out;
    }
    /// The seqIds of the sequenced frames, in arrival order.
    QList<quint64> seqIds() const
    {
        QList<quint64> out;
        for (const ControlFrame &frame : decoded()) {
            if (frame.seqId)
                out.append(*frame.seqId);
        }
        return out;
    }
    std::optional<quint64> lastSequence() const
    {
        const QList<quint64> ids = seqIds();
        return ids.isEmpty() ? std::nullopt : std::optional<quint64>(ids.last());
    }
    QStringList methods() const
    {
        QStringList out;
        for (const ControlFrame &frame : decoded())
            out.append(methodName(frame.response));
        return out;
    }
    QString sessionId() const
    {
        for (const ControlFrame &frame : decoded()) {
            if (const auto *created = std::get_if<Responses::SessionCreated>(&frame.response))
                return created->info.sessionId;
        }
        return {};
    }
    bool has(const QString &method) const { return methods().contains(method); }

    QWebSocket socket;
    QList<QByteArray> frames;
    int pongs = 0;
    bool stepOpen = false;
    bool closeFrameSeen = false;
    bool disconnected = false;

private:
    quint64 m_advanceCount = 0;
};

std::unique_ptr<RefServer> startServer(const ControlFaults &faults)
{
    RefServerConfig config;
    config.apiKey = ApiKey;
    config.wire = WireVersion::V0_28; // the step ends asserted here are 0.28's
    config.controlFaults = faults;
    auto server = std::make_unique<RefServer>(config);
    if (!server->listen())
        return nullptr;
    return server;
}

QStringList transcriptMethods(const RefServer &server)
{
    QStringList out;
    for (const TranscriptEntry &entry : server.transcript()) {
        if (entry.kind != TranscriptEntry::Kind::Control)
            continue;
        const Result<ControlRequest> request = decodeControlRequest(entry.text.toUtf8());
        out.append(request ? methodName(*request) : u"?"_s);
    }
    return out;
}

} // namespace

class tst_RefServerFaults : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void refusesTheFirstUpgradesWith503();
    void abortsAfterEveryNFrames_data();
    void abortsAfterEveryNFrames();
    void delaysEveryFrame();
    void injectsMalformedAndUnknownFrames();
    void silentConnectionSendsNothingAndAnswersNoPing();
    void abortsInsteadOfEndingAStep();
    void losesARequest();
    void commandLineFlags_data();
    void commandLineFlags();
};

void tst_RefServerFaults::refusesTheFirstUpgradesWith503()
{
    ControlFaults faults{.refuseUpgrades = 2};
    auto server = startServer(faults);
    QVERIFY(server);
    QStringList outcomes;
    for (int i = 0; i < 3; ++i) {
        RawClient client;
        const bool opened = client.open(server->controlUrl());
        outcomes.append(opened ? u"open"_s : client.socket.errorString());
    }
    QCOMPARE(outcomes.size(), 3);
    QVERIFY2(outcomes.at(0).contains(u"503"_s), qPrintable(outcomes.at(0)));
    QVERIFY2(outcomes.at(1).contains(u"503"_s), qPrintable(outcomes.at(1)));
    QCOMPARE(outcomes.at(2), u"open"_s);
}

void tst_RefServerFaults::abortsAfterEveryNFrames_data()
{
    QTest::addColumn<int>("everyFrames");
    // Synthetic range 1..20: create = 3 statuses, sessionCreated, slot, ready (6 frames).
    QTest::addRow("during the create (4)") << 4;
    QTest::addRow("right after readyForContinue (6)") << 6;
    QTest::addRow("mid-step (11)") << 11;
}

void tst_RefServerFaults::abortsAfterEveryNFrames()
{
    QFETCH(int, everyFrames);
    ControlFaults faults{.abortEveryFrames = everyFrames, .maxAborts = 2};
    auto server = startServer(faults);
    QVERIFY(server);

    // Connection 1: exactly N frames (seqId 1..N), then a TCP drop, no close frame.
    RawClient first(3);
    QVERIFY(first.open(server->controlUrl()));
    first.send(createFrame(1, 20));
    QTRY_VERIFY_WITH_TIMEOUT(first.disconnected, Timeout);
    QCOMPARE(first.frames.size(), qsizetype(everyFrames));
    QCOMPARE(first.seqIds(), inclusiveRange(1, quint64(everyFrames)));
    QVERIFY(!first.closeFrameSeen);
    const QString sessionId = first.sessionId();
    QVERIFY(!sessionId.isEmpty()); // every row lets sessionCreated (frame 4) through
    QCOMPARE(server->activeSessionCount(), 1); // kept for its disconnect timeout

    // Connection 2: sessionAttached + replay after N … aborted again after N frames.
    RawClient second(3);
    second.stepOpen = first.stepOpen;
    QVERIFY(second.open(server->controlUrl()));
    second.send(attachFrame(sessionId, first.lastSequence()));
    QTRY_VERIFY_WITH_TIMEOUT(second.disconnected, Timeout);
    QCOMPARE(second.frames.size(), qsizetype(everyFrames));
    QCOMPARE(second.methods().first(), u"sessionAttached"_s);
    QVERIFY(!second.closeFrameSeen);
    const quint64 lastOfSecond = second.lastSequence().value_or(*first.lastSequence());
    QCOMPARE(second.seqIds(), inclusiveRange(quint64(everyFrames) + 1, lastOfSecond));

    // Connection 3: the abort budget is spent; the session runs to completion.
    RawClient third(3);
    third.stepOpen = second.stepOpen;
    QVERIFY(third.open(server->controlUrl()));
    third.send(attachFrame(sessionId, lastOfSecond));
    QTRY_VERIFY_WITH_TIMEOUT(third.has(u"completed"_s), Timeout);
    QVERIFY(!third.disconnected);
    const QList<quint64> all = first.seqIds() + second.seqIds() + third.seqIds();
    QCOMPARE(all, inclusiveRange(1, all.last())); // every response once, none missing
    QCOMPARE(third.methods().last(), u"completed"_s);
}

void tst_RefServerFaults::delaysEveryFrame()
{
    // The same conversation with and without the delay: same frames, same order,
    // each one at least D ms after the request that caused it.
    const auto converse = [](const ControlFaults &faults, QList<qint64> *firstFrameAfterMs) {
        auto server = startServer(faults);
        RawClient client(4);
        if (!server || !client.open(server->controlUrl()))
            return QStringList{u"no server"_s};
        QElapsedTimer clock;
        QObject::connect(&client.socket, &QWebSocket::textMessageReceived, &client,
                         [&clock, firstFrameAfterMs, &client](const QString &) {
                             if (client.frames.size() == 1 && firstFrameAfterMs)
                                 firstFrameAfterMs->append(clock.elapsed());
                         });
        clock.start();
        client.send(createFrame(1, 12));
        // A conversation that never completes fails the startsWith(completed) check below.
        [[maybe_unused]] const bool completed =
            QTest::qWaitFor([&client] { return client.has(u"completed"_s); }, Timeout);
        QStringList described;
        for (const ControlFrame &frame : client.decoded()) {
            const QString text = std::holds_alternative<Responses::SessionCreated>(frame.response)
                                     ? methodName(frame.response) // the id differs per server
                                     : describe(frame.response);
            described.append(text + u" #"_s + QString::number(frame.seqId.value_or(0)));
        }
        return described;
    };
    const QStringList plain = converse({}, nullptr);
    ControlFaults faults{.frameDelayMs = 120};
    QList<qint64> firstFrameAfter;
    const QStringList delayed = converse(faults, &firstFrameAfter);
    QVERIFY(plain.last().startsWith(describe(Responses::Completed{})));
    QCOMPARE(delayed, plain);
    QCOMPARE(firstFrameAfter.size(), 1);
    QVERIFY2(firstFrameAfter.first() >= 120, qPrintable(QString::number(firstFrameAfter.first())));
}

void tst_RefServerFaults::injectsMalformedAndUnknownFrames()
{
    ControlFaults faults{.garbageEveryFrames = 2};
    auto server = startServer(faults);
    QVERIFY(server);
    RawClient client(3);
    QVERIFY(client.open(server->controlUrl()));
    client.send(createFrame(1, 10));
    QTRY_VERIFY_WITH_TIMEOUT(client.has(u"completed"_s), Timeout);

    // Every third frame is garbage: malformed, unknown method, malformed, …
    QStringList kinds;
    for (const QByteArray &raw : std::as_const(client.frames)) {
        const Result<ControlFrame> frame = decodeControlResponse(raw);
        if (frame)
            kinds.append(u"ok"_s);
        else if (frame.error().message.startsWith(u"unknown method"_s))
            kinds.append(u"unknown"_s);
        else
            kinds.append(u"malformed"_s);
        if (!frame) // never sequenced
            QVERIFY2(!QJsonDocument::fromJson(raw).object().contains(u"seqId"_s), raw.constData());
    }
    QStringList expected;
    for (qsizetype i = 0; i < kinds.size(); ++i) {
        if (i % 3 != 2)
            expected.append(u"ok"_s);
        else
            expected.append((i / 3) % 2 == 0 ? u"malformed"_s : u"unknown"_s);
    }
    QCOMPARE(kinds, expected);
    QVERIFY(kinds.count(u"unknown"_s) >= 2);
    // The responses themselves are untouched: seqId 1, 2, 3, … without gaps.
    const QList<quint64> ids = client.seqIds();
    QCOMPARE(ids, inclusiveRange(1, ids.last()));
}

void tst_RefServerFaults::silentConnectionSendsNothingAndAnswersNoPing()
{
    ControlFaults faults{.silentAfterFrames = 4}; // 3 statuses + sessionCreated, then nothing
    auto server = startServer(faults);
    QVERIFY(server);
    RawClient silent;
    QVERIFY(silent.open(server->controlUrl()));
    silent.send(createFrame(1, 10));
    QTRY_COMPARE_WITH_TIMEOUT(silent.frames.size(), qsizetype(4), Timeout);
    const QString sessionId = silent.sessionId();
    QVERIFY(!sessionId.isEmpty());

    // No frame, no pong, and nothing it is sent is read (not even transcribed).
    silent.socket.ping();
    silent.send(continueFrame(1));
    QVERIFY(!QTest::qWaitFor([&silent] { return silent.pongs > 0 || silent.frames.size() > 4; }, 400));
    QCOMPARE(transcriptMethods(*server), QStringList{u"createBacktestSession"_s});

    // While the silent socket is open the session is busy (PROTOCOL.md §6.4, §8.6).
    RawClient intruder;
    QVERIFY(intruder.open(server->controlUrl()));
    intruder.send(attachFrame(sessionId, 4));
    QTRY_VERIFY_WITH_TIMEOUT(!intruder.frames.isEmpty(), Timeout);
    const Result<ControlFrame> busy = decodeControlResponse(intruder.frames.first());
    QVERIFY(busy);
    const auto *error = std::get_if<Responses::Error>(&busy->response);
    QVERIFY(error);
    QCOMPARE(error->error.kind, BacktestErrorKind::SessionOwnershipBusy);

    // The client gives up on it; the server notices the close although it reads nothing.
    silent.socket.abort();
    QElapsedTimer waited;
    waited.start();
    std::unique_ptr<RawClient> second;
    while (waited.elapsed() < Timeout) {
        second = std::make_unique<RawClient>(3);
        QVERIFY(second->open(server->controlUrl()));
        second->send(attachFrame(sessionId, 4));
        QTRY_VERIFY_WITH_TIMEOUT(!second->frames.isEmpty(), Timeout);
        if (second->methods().value(0) == u"sessionAttached"_s)
            break;
        QTest::qWait(10);
    }
    QCOMPARE(second->methods().value(0), u"sessionAttached"_s);
    // Replay from seqId 5 (slot, ready), then a whole run on a connection that
    // does not go silent (one silence per server).
    QTRY_VERIFY_WITH_TIMEOUT(second->has(u"completed"_s), Timeout);
    const QList<quint64> ids = silent.seqIds() + second->seqIds();
    QCOMPARE(ids, inclusiveRange(1, ids.last()));
    second->socket.ping();
    QTRY_VERIFY_WITH_TIMEOUT(second->pongs > 0, Timeout);
}

void tst_RefServerFaults::abortsInsteadOfEndingAStep()
{
    ControlFaults faults{.abortAtStepEnds = {2}};
    auto server = startServer(faults);
    QVERIFY(server);
    RawClient first;
    QVERIFY(first.open(server->controlUrl()));
    first.send(createFrame(1, 10));
    QTRY_VERIFY_WITH_TIMEOUT(first.has(u"readyForContinue"_s), Timeout);
    first.send(continueFrame(2)); // step 1 ends normally
    QTRY_COMPARE_WITH_TIMEOUT(first.methods().count(u"readyForContinue"_s), 2, Timeout);
    first.send(continueFrame(2)); // step 2 runs, but its readyForContinue never leaves
    QTRY_VERIFY_WITH_TIMEOUT(first.disconnected, Timeout);
    QVERIFY(!first.closeFrameSeen);
    QCOMPARE(first.methods().count(u"readyForContinue"_s), 2);
    QCOMPARE(first.methods().count(u"slotNotification"_s), 5); // 1, 2, 3 and 4, 5 of step 2

    RawClient second;
    QVERIFY(second.open(server->controlUrl()));
    second.send(attachFrame(first.sessionId(), first.lastSequence()));
    QTRY_VERIFY_WITH_TIMEOUT(second.has(u"success"_s), Timeout);
    QCOMPARE(second.methods(), (QStringList{u"sessionAttached"_s, u"readyForContinue"_s, u"success"_s}));
    QCOMPARE(second.seqIds().first(), *first.lastSequence() + 1);
}

void tst_RefServerFaults::losesARequest()
{
    ControlFaults faults{.loseRequests = {2}};
    auto server = startServer(faults);
    QVERIFY(server);
    RawClient first;
    QVERIFY(first.open(server->controlUrl()));
    first.send(createFrame(1, 10));
    QTRY_VERIFY_WITH_TIMEOUT(first.has(u"readyForContinue"_s), Timeout);
    first.send(continueFrame(1));
    QTRY_COMPARE_WITH_TIMEOUT(first.methods().count(u"readyForContinue"_s), 2, Timeout);
    const qsizetype before = first.frames.size();
    first.send(continueFrame(1)); // request 2: received, never acted on
    QTRY_VERIFY_WITH_TIMEOUT(first.disconnected, Timeout);
    QCOMPARE(first.frames.size(), before);
    QVERIFY(!first.closeFrameSeen);

    // Nothing to replay: the server never started the step. Sending it again works.
    RawClient second;
    QVERIFY(second.open(server->controlUrl()));
    second.send(attachFrame(first.sessionId(), first.lastSequence()));
    QTRY_VERIFY_WITH_TIMEOUT(second.has(u"success"_s), Timeout);
    QCOMPARE(second.methods(), (QStringList{u"sessionAttached"_s, u"success"_s}));
    second.send(continueFrame(1));
    QTRY_VERIFY_WITH_TIMEOUT(second.has(u"readyForContinue"_s), Timeout);
    QCOMPARE(second.methods().count(u"slotNotification"_s), 1);
    QCOMPARE(transcriptMethods(*server),
             (QStringList{u"createBacktestSession"_s, u"continue"_s, u"continue"_s, u"attachBacktestSession"_s,
                          u"resumeAttachedSession"_s, u"continue"_s}));
}

void tst_RefServerFaults::commandLineFlags_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("stderrContains");
    QTest::addRow("negative abort count") << QStringList{u"--abort-every"_s, u"-1"_s} << 2
                                          << u"--abort-every must be 0..2147483647."_s;
    QTest::addRow("step 0") << QStringList{u"--abort-at-step-end"_s, u"2,0"_s} << 2
                            << u"--abort-at-step-end takes 1-based numbers"_s;
    QTest::addRow("not a list") << QStringList{u"--lose-request"_s, u"two"_s} << 2
                                << u"--lose-request takes 1-based numbers"_s;
    QTest::addRow("bad seed") << QStringList{u"--fault-seed"_s, u"x"_s} << 2 << u"--fault-seed must be"_s;
}

void tst_RefServerFaults::commandLineFlags()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QString, stderrContains);
    QProcess process;
    process.start(QString::fromUtf8(SLOTSCOPE_REFSERVER_EXECUTABLE),
                  QStringList{u"--api-key"_s, ApiKey, u"--port"_s, u"0"_s} + arguments);
    QVERIFY(process.waitForFinished(Timeout));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    const QString err = QString::fromUtf8(process.readAllStandardError());
    QCOMPARE(process.exitCode(), exitCode);
    QVERIFY2(err.contains(stderrContains), qPrintable(err));
}

QTEST_GUILESS_MAIN(tst_RefServerFaults)
#include "tst_refserverfaults.moc"
