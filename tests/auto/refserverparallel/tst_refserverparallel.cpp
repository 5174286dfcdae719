// The reference server's parallel mode over real sockets: raw QWebSocket
// clients against an in-process RefServer on port 0 (PROTOCOL.md §3.7, §4.3,
// §4.4, §4.13, §6.3, §6.5, §8.7): the bundle split, the create stream, the
// per-session seq_id, continueSessionV1 routing, attach with cursors, the
// old-server mode without ranges, each sub-session's own data plane, close.

#include "protocol/controlmessages.h"
#include "protocol/dataplane.h"
#include "protocol/transactionsummary.h"
#include "protocol/urls.h"
#include "refserver/parallelbatch.h"
#include "rawclients.h"
#include "refserver/refserver.h"
#include "support/fixtures.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QRegularExpression>
#include <QTest>
#include <QWebSocket>

#include <memory>

using namespace Qt::StringLiterals;
using namespace SlotScope;
using Internal::SubRange;
using SlotScope::Testing::inclusiveRange;

Q_DECLARE_METATYPE(SlotScope::WireVersion)

namespace {

using RefServerTest::ApiKey;
using RefServerTest::ContinueStatuses;
using RefServerTest::OtherKey;
using RefServerTest::slotFrames;
using RefServerTest::spinUntil;
using RefServerTest::Timeout;

/// "sessionCreated A", "A#3 status:bundleReady", "A#4 slot:1000", "sessionsCreatedV2", …
/// with sub-session ids replaced by their letter (A = first announced).
struct Labeler
{
    QStringList ids;
    QString letter(const QString &id)
    {
        qsizetype index = ids.indexOf(id);
        if (index < 0) {
            ids.append(id);
            index = ids.size() - 1;
        }
        return QString(QChar(u'A' + int(index)));
    }
};

QString describeEvent(const SessionEventKind &event)
{
    return std::visit(
        [](const auto &e) -> QString {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, Responses::Status>)
                return u"status:"_s + e.status;
            else if constexpr (std::is_same_v<T, Responses::SlotNotification>)
                return u"slot:"_s + QString::number(e.slot);
            else if constexpr (std::is_same_v<T, Responses::Paused>)
                return u"paused:%1"_s.arg(e.event.slot);
            else if constexpr (std::is_same_v<T, Responses::Error>)
                return u"error:"_s + e.error.variant;
            else if constexpr (std::is_same_v<T, Responses::Completed>)
                return u"completed"_s;
            else
                return methodName(SessionEventKind(e));
        },
        event);
}

/// One raw control client: every frame decoded and kept.
class RawControl : public QObject
{
public:
    QWebSocket socket;
    QList<QByteArray> texts;
    QList<ControlFrame> frames;
    bool closed = false;
    QWebSocketProtocol::CloseCode closeCode = QWebSocketProtocol::CloseCodeNormal;

    RawControl()
    {
        connect(&socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
            texts.append(text.toUtf8());
            Result<ControlFrame> frame = decodeControlResponse(text.toUtf8());
            QVERIFY2(frame.ok(), qPrintable(text));
            frames.append(*frame);
        });
        connect(&socket, &QWebSocket::disconnected, this, [this] {
            closed = true;
            closeCode = socket.closeCode();
        });
    }
    bool open(const RefServer &server, const QString &key = ApiKey)
    {
        QNetworkRequest request(server.controlUrl());
        request.setRawHeader("X-API-Key", key.toUtf8());
        socket.open(request);
        return spinUntil([this] { return socket.state() == QAbstractSocket::ConnectedState; });
    }
    void send(const ControlRequest &request) { socket.sendTextMessage(QString::fromUtf8(encodeControlRequest(request))); }
    template<typename T> bool waitFor(int count = 1)
    {
        return spinUntil([this, count] { return this->count<T>() >= count; });
    }
    template<typename T> int count() const
    {
        return int(std::count_if(frames.cbegin(), frames.cend(),
                                 [](const ControlFrame &f) { return std::holds_alternative<T>(f.response); }));
    }
    template<typename T> const T *last() const
    {
        for (auto it = frames.crbegin(); it != frames.crend(); ++it) {
            if (const T *typed = std::get_if<T>(&it->response))
                return typed;
        }
        return nullptr;
    }
    /// Events of one sub-session, in order: (seq_id, text).
    QList<std::pair<quint64, QString>> eventsOf(const QString &sessionId, qsizetype from = 0) const
    {
        QList<std::pair<quint64, QString>> events;
        for (qsizetype i = from; i < frames.size(); ++i) {
            if (const auto *e = std::get_if<Responses::SessionEventV2>(&frames.at(i).response);
                e && e->sessionId == sessionId)
                events.append({e->seqId, describeEvent(e->event)});
        }
        return events;
    }
    /// Does `sessionId` have an event "completed"?
    bool completed(const QString &sessionId) const
    {
        const auto events = eventsOf(sessionId);
        return std::any_of(events.cbegin(), events.cend(), [](const auto &e) { return e.second == u"completed"_s; });
    }
};

Requests::CreateBacktestSession parallelCreate(quint64 start, quint64 end, quint16 disconnectTimeout = 900)
{
    return {{.startSlot = start, .endSlot = end, .disconnectTimeoutSecs = disconnectTimeout, .parallel = true}};
}

const QStringList StartupEvents{u"status:preparingBundle"_s, u"status:bundleReady"_s, u"status:startingRuntime"_s};

QStringList texts(const QList<std::pair<quint64, QString>> &events)
{
    QStringList out;
    for (const auto &event : events)
        out.append(event.second);
    return out;
}

QList<quint64> seqs(const QList<std::pair<quint64, QString>> &events)
{
    QList<quint64> out;
    for (const auto &event : events)
        out.append(event.first);
    return out;
}

/// A server with a batch created on one raw control client: what openBatch() fills.
struct BatchRun
{
    std::unique_ptr<RefServer> server;
    RawControl control;
    QStringList ids; ///< the sub-sessions, in the server's order
};

/// One raw data-plane client on a sub-session's endpoint.
class RawSubscription : public QObject
{
public:
    QWebSocket socket;
    QList<TransactionSummary> transactions;
    bool acked = false;
    bool closed = false;
    int closeCode = -1;
    QString closeReason;
    TransactionSummarizer summarizer;

    RawSubscription()
    {
        connect(&socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
            const QByteArray utf8 = text.toUtf8();
            Result<DataPlaneMessage> message = decodeDataPlaneMessage(utf8);
            QVERIFY2(message.ok(), qPrintable(text.left(200)));
            if (std::holds_alternative<DataPlane::SubscribeAck>(*message))
                acked = true;
            if (const auto *n = std::get_if<DataPlane::TransactionNotification>(&*message)) {
                Result<TransactionSummary> summary = summarizer.summarize(n->result);
                QVERIFY(summary.ok());
                transactions.append(*summary);
            }
        });
        connect(&socket, &QWebSocket::disconnected, this, [this] {
            closed = true;
            closeCode = int(socket.closeCode());
            closeReason = socket.closeReason();
        });
    }
    bool subscribe(const RefServer &server, const QString &sessionId)
    {
        const Result<QString> url = subscriptionWsUrl(server.controlUrl().toString(), u"/backtest/"_s + sessionId);
        if (!url)
            return false;
        socket.open(QUrl(*url));
        if (!spinUntil([this] { return socket.state() == QAbstractSocket::ConnectedState || closed; })
            || socket.state() != QAbstractSocket::ConnectedState)
            return false;
        socket.sendTextMessage(QString::fromUtf8(encodeTransactionSubscribe(1, TransactionSubscribeParams{})));
        return spinUntil([this] { return acked; });
    }
};

} // namespace

class tst_RefServerParallel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void splitIntoBundles_data();
    void splitIntoBundles();
    void createStreamsSubSessionsThenRanges();
    void createRejections_data();
    void createRejections();
    void continueSessionV1RoutesToOneSubSession();
    void continueToSessionV1Pauses();
    void unknownSubSessionIsAnError();
    void attachWithCursorsReplaysExactlyTheMissingEvents();
    void attachRejections();
    void omittedRangesMode();
    void eachSubSessionHasItsOwnDataPlane();
    void closeBacktestSessionEndsTheBatch();
    void closeSentRightBeforeTheCloseFrameStillEndsTheBatch();
    void closeSessionV1EndsOneSubSession();
    void controlDropWithoutDisconnectTimeoutDropsTheBatch();
    void wire031CreatePauseAndReady();
    void wire031WaitsForCapacityWithTopLevelStatuses();
    void simulationErrorsAndCutInSubSessions();
    void closeTearsDownCompletedSubSessions_data();
    void closeTearsDownCompletedSubSessions();
    void twoHundredFiftySixSubSessions();

private:
    /// A server on port 0, on the 0.28 wire unless `wire` says otherwise.
    std::unique_ptr<RefServer> startServer(RefServerConfig config = {}, WireVersion wire = WireVersion::V0_28);
    /// Create 1000..(1000 + 100·n − 1) and collect the ids (server order).
    QStringList createBatch(RawControl &control, int subSessions);
    /// `run` with a server (`config`, `wire`) and a batch of `subSessions` on
    /// its control client; false if any step failed.
    bool openBatch(BatchRun &run, int subSessions, const RefServerConfig &config = {},
                   WireVersion wire = WireVersion::V0_28);
};

std::unique_ptr<RefServer> tst_RefServerParallel::startServer(RefServerConfig config, WireVersion wire)
{
    config.apiKey = ApiKey;
    config.additionalApiKeys = {OtherKey};
    return RefServerTest::startServer(config, wire);
}

bool tst_RefServerParallel::openBatch(BatchRun &run, int subSessions, const RefServerConfig &config, WireVersion wire)
{
    run.server = startServer(config, wire);
    if (!run.server || !run.control.open(*run.server))
        return false;
    run.ids = createBatch(run.control, subSessions);
    return run.ids.size() == subSessions;
}

QStringList tst_RefServerParallel::createBatch(RawControl &control, int subSessions)
{
    control.send(parallelCreate(1000, 1000 + 100 * quint64(subSessions) - 1));
    if (!control.waitFor<Responses::SessionsCreatedV2>())
        return {};
    const auto *created = control.last<Responses::SessionsCreatedV2>();
    // Every sub-session's readyForContinue went out before sessionsCreatedV2.
    for (const QString &id : created->sessionIds) {
        if (control.eventsOf(id).isEmpty() || control.eventsOf(id).last().second != u"readyForContinue"_s)
            return {};
    }
    return created->sessionIds;
}

void tst_RefServerParallel::splitIntoBundles_data()
{
    QTest::addColumn<quint64>("start");
    QTest::addColumn<quint64>("end");
    QTest::addColumn<quint64>("origin");
    QTest::addColumn<quint64>("bundle");
    QTest::addColumn<QList<SubRange>>("expected");

    QTest::addRow("aligned") << quint64(1000) << quint64(1399) << quint64(0) << quint64(100)
                             << QList<SubRange>{{1000, 1099}, {1100, 1199}, {1200, 1299}, {1300, 1399}};
    QTest::addRow("partial first and last") << quint64(1050) << quint64(1249) << quint64(0) << quint64(100)
                                            << QList<SubRange>{{1050, 1099}, {1100, 1199}, {1200, 1249}};
    QTest::addRow("inside one bundle") << quint64(1010) << quint64(1020) << quint64(0) << quint64(100)
                                       << QList<SubRange>{{1010, 1020}};
    QTest::addRow("single slot") << quint64(1099) << quint64(1099) << quint64(0) << quint64(100)
                                 << QList<SubRange>{{1099, 1099}};
    QTest::addRow("ends on a boundary") << quint64(1099) << quint64(1100) << quint64(0) << quint64(100)
                                        << QList<SubRange>{{1099, 1099}, {1100, 1100}};
    QTest::addRow("origin shifts the bundles") << quint64(7) << quint64(30) << quint64(5) << quint64(10)
                                               << QList<SubRange>{{7, 14}, {15, 24}, {25, 30}};
    QTest::addRow("bundle of one") << quint64(3) << quint64(5) << quint64(0) << quint64(1)
                                   << QList<SubRange>{{3, 3}, {4, 4}, {5, 5}};
    QTest::addRow("bundle 0 acts as 1") << quint64(3) << quint64(4) << quint64(0) << quint64(0)
                                        << QList<SubRange>{{3, 3}, {4, 4}};
}

void tst_RefServerParallel::splitIntoBundles()
{
    QFETCH(quint64, start);
    QFETCH(quint64, end);
    QFETCH(quint64, origin);
    QFETCH(quint64, bundle);
    QFETCH(QList<SubRange>, expected);
    const QList<SubRange> ranges = Internal::splitIntoBundles(start, end, origin, bundle);
    QCOMPARE(ranges.size(), expected.size());
    for (qsizetype i = 0; i < ranges.size(); ++i) {
        QCOMPARE(ranges.at(i).startSlot, expected.at(i).startSlot);
        QCOMPARE(ranges.at(i).endSlot, expected.at(i).endSlot);
    }
}

void tst_RefServerParallel::createStreamsSubSessionsThenRanges()
{
    auto server = startServer();
    QVERIFY(server);
    RawControl control;
    QVERIFY(control.open(*server));
    control.send(parallelCreate(1050, 1249));
    QVERIFY(control.waitFor<Responses::SessionsCreatedV2>());

    // The whole stream: per sub-session sessionCreated then its startup events
    // (seq_id from 1), then the terminal sessionsCreatedV2.
    Labeler labels;
    QStringList stream;
    for (const ControlFrame &frame : std::as_const(control.frames)) {
        QVERIFY(!frame.seqId); // parallel mode does not use the top-level seqId
        if (const auto *created = std::get_if<Responses::SessionCreated>(&frame.response)) {
            stream.append(u"created "_s + labels.letter(created->info.sessionId));
            QVERIFY(created->info.sessionId.startsWith(u"backtest_"_s));
            QCOMPARE(created->info.rpcEndpoint, u"/backtest/"_s + created->info.sessionId);
        } else if (const auto *event = std::get_if<Responses::SessionEventV2>(&frame.response)) {
            stream.append(u"%1#%2 %3"_s.arg(labels.letter(event->sessionId)).arg(event->seqId)
                              .arg(describeEvent(event->event)));
        } else {
            stream.append(methodName(frame.response));
        }
    }
    QStringList expected;
    const QList<quint64> starts{1050, 1100, 1200};
    for (int i = 0; i < 3; ++i) {
        const QString l(QChar(u'A' + i));
        expected << u"created "_s + l << l + u"#1 status:preparingBundle"_s << l + u"#2 status:bundleReady"_s
                 << l + u"#3 status:startingRuntime"_s << u"%1#4 slot:%2"_s.arg(l).arg(starts.at(i))
                 << l + u"#5 readyForContinue"_s;
    }
    expected << u"sessionsCreatedV2"_s;
    QCOMPARE(stream, expected);

    const auto *created = control.last<Responses::SessionsCreatedV2>();
    QVERIFY(created->controlSessionId.startsWith(u"parallel_"_s));
    QCOMPARE(created->sessionIds, labels.ids);
    QCOMPARE(created->taskIds, (QList<std::optional<QString>>{std::nullopt, std::nullopt, std::nullopt}));
    QCOMPARE(created->startSlots, std::optional(QList<quint64>{1050, 1100, 1200}));
    QCOMPARE(created->endSlots, std::optional(QList<quint64>{1099, 1199, 1249}));
    // Every sub-session is a server session with its own data-plane endpoint.
    for (const QString &id : created->sessionIds)
        QVERIFY(server->sessionIds().contains(id));
    QCOMPARE(server->activeSessionCount(), 3);
}

void tst_RefServerParallel::createRejections_data()
{
    QTest::addColumn<quint64>("start");
    QTest::addColumn<quint64>("end");
    QTest::addColumn<QString>("variant");
    QTest::addRow("start after end") << quint64(1200) << quint64(1100) << u"invalidRequest"_s;
    QTest::addRow("outside the available range") << quint64(5000) << quint64(2000000) << u"bundleNotFound"_s;
    QTest::addRow("too many sub-sessions") << quint64(0) << quint64(100 * 2000) << u"invalidRequest"_s;
}

void tst_RefServerParallel::createRejections()
{
    QFETCH(quint64, start);
    QFETCH(quint64, end);
    QFETCH(QString, variant);
    RefServerConfig config{.availableEnd = 1000000};
    auto server = startServer(config);
    QVERIFY(server);
    RawControl control;
    QVERIFY(control.open(*server));
    control.send(parallelCreate(start, end));
    QVERIFY(control.waitFor<Responses::Error>());
    QCOMPARE(control.last<Responses::Error>()->error.variant, variant);
    QCOMPARE(control.count<Responses::SessionCreated>(), 0);
    QCOMPARE(server->activeSessionCount(), 0);
}

void tst_RefServerParallel::continueSessionV1RoutesToOneSubSession()
{
    BatchRun run;
    QVERIFY(openBatch(run, 3));
    auto &[server, control, ids] = run;
    const qsizetype mark = control.frames.size();

    ContinueParams params{.advanceCount = 3};
    control.send(Requests::ContinueSessionV1{ids.at(1), params});
    QVERIFY(spinUntil([&] {
        const auto events = control.eventsOf(ids.at(1), mark);
        return !events.isEmpty() && events.last().second == u"readyForContinue"_s;
    }));
    QTest::qWait(50); // nothing else may follow for the others

    // Only B moved; its seq_id continues from its own startup events.
    const auto events = control.eventsOf(ids.at(1), mark);
    QStringList expected = ContinueStatuses;
    for (quint64 slot = 1100; slot <= 1102; ++slot)
        expected += slotFrames(slot);
    expected << u"readyForContinue"_s;
    QCOMPARE(texts(events), expected);
    QCOMPARE(seqs(events), inclusiveRange(6, 5 + quint64(expected.size())));
    QVERIFY(control.eventsOf(ids.at(0), mark).isEmpty());
    QVERIFY(control.eventsOf(ids.at(2), mark).isEmpty());
    QCOMPARE(control.frames.size() - mark, events.size());

    // Next, A: its own numbering starts after its startup events.
    control.send(Requests::ContinueSessionV1{ids.at(0), ContinueParams{}});
    QVERIFY(spinUntil([&] {
        const auto a = control.eventsOf(ids.at(0), mark);
        return !a.isEmpty() && a.last().second == u"readyForContinue"_s;
    }));
    const auto a = control.eventsOf(ids.at(0), mark);
    QCOMPARE(a.first().first, quint64(6));
    QCOMPARE(texts(a), ContinueStatuses + slotFrames(1000) + QStringList{u"readyForContinue"_s});

    // Run C to the end of its range: completed, not readyForContinue.
    params.advanceCount = 100;
    control.send(Requests::ContinueSessionV1{ids.at(2), params});
    QVERIFY(spinUntil([&] { return control.completed(ids.at(2)); }));
    const auto c = control.eventsOf(ids.at(2), mark);
    QCOMPARE(c.at(c.size() - 2).second, u"slot:1299"_s);
    QCOMPARE(c.last().second, u"completed"_s);
    QCOMPARE(seqs(c), inclusiveRange(6, 5 + quint64(c.size())));

    // A continue for a completed sub-session is answered inside its own stream.
    control.send(Requests::ContinueSessionV1{ids.at(2), ContinueParams{}});
    QVERIFY(spinUntil([&] { return control.eventsOf(ids.at(2), mark).last().second == u"error:invalidRequest"_s; }));
}

void tst_RefServerParallel::continueToSessionV1Pauses()
{
    BatchRun run;
    QVERIFY(openBatch(run, 2));
    auto &[server, control, ids] = run;
    const qsizetype mark = control.frames.size();
    control.send(Requests::ContinueToSessionV1{ids.at(1), ContinueToParams{1105, std::nullopt}});
    QVERIFY(spinUntil([&] {
        const auto events = control.eventsOf(ids.at(1), mark);
        return !events.isEmpty() && events.last().second.startsWith(u"paused"_s);
    }));
    const auto events = control.eventsOf(ids.at(1), mark);
    QCOMPARE(events.last().second, u"paused:1105"_s);
    QCOMPARE(events.at(events.size() - 2).second, u"slot:1105"_s);
    QVERIFY(control.eventsOf(ids.at(0), mark).isEmpty());
}

void tst_RefServerParallel::unknownSubSessionIsAnError()
{
    auto server = startServer();
    QVERIFY(server);
    RawControl control;
    QVERIFY(control.open(*server));
    QCOMPARE(createBatch(control, 1).size(), 1);
    control.send(Requests::ContinueSessionV1{u"backtest_nope"_s, ContinueParams{}});
    QVERIFY(control.waitFor<Responses::Error>());
    QCOMPARE(control.last<Responses::Error>()->error.kind, BacktestErrorKind::SessionNotFound);

    // continueSessionV1 on a connection without a batch.
    RawControl other;
    QVERIFY(other.open(*server));
    other.send(Requests::ContinueSessionV1{u"backtest_nope"_s, ContinueParams{}});
    QVERIFY(other.waitFor<Responses::Error>());
    QCOMPARE(other.last<Responses::Error>()->error.kind, BacktestErrorKind::InvalidRequest);
}

void tst_RefServerParallel::attachWithCursorsReplaysExactlyTheMissingEvents()
{
    auto server = startServer();
    QVERIFY(server);
    auto first = std::make_unique<RawControl>();
    QVERIFY(first->open(*server));
    const QStringList ids = createBatch(*first, 3);
    QCOMPARE(ids.size(), 3);
    const QString controlId = first->last<Responses::SessionsCreatedV2>()->controlSessionId;
    ContinueParams params{.advanceCount = 2};
    for (const QString &id : ids)
        first->send(Requests::ContinueSessionV1{id, params});
    QVERIFY(spinUntil([&] {
        return std::all_of(ids.cbegin(), ids.cend(), [&](const QString &id) {
            return first->eventsOf(id).last().second == u"readyForContinue"_s && first->eventsOf(id).size() > 5;
        });
    }));
    // Everything each sub-session said so far, keyed by seq_id.
    QList<QList<std::pair<quint64, QString>>> all;
    for (const QString &id : ids)
        all.append(first->eventsOf(id));
    const quint64 lastB = all.at(1).last().first;

    // The client drops; the batch outlives it (disconnectTimeoutSecs 900).
    first->socket.abort();
    first.reset();
    QVERIFY(spinUntil([&] { return server->activeSessionCount() == 3; }));

    RawControl second;
    QVERIFY(second.open(*server));
    // A acknowledged up to seq 3, B everything, C is missing from the map.
    second.send(Requests::AttachParallelControlSessionV2{controlId, {{ids.at(0), 3}, {ids.at(1), lastB}}});
    QVERIFY(second.waitFor<Responses::ParallelSessionAttachedV2>());

    QCOMPARE(second.eventsOf(ids.at(0)), all.at(0).mid(3));   // seq 4 …
    QVERIFY(second.eventsOf(ids.at(1)).isEmpty());             // nothing newer than the cursor
    QCOMPARE(second.eventsOf(ids.at(2)), all.at(2));           // the whole history
    // The replay precedes the confirmation, which lists the batch.
    QVERIFY(std::holds_alternative<Responses::ParallelSessionAttachedV2>(second.frames.last().response));
    const auto *attached = second.last<Responses::ParallelSessionAttachedV2>();
    QCOMPARE(attached->controlSessionId, controlId);
    QCOMPARE(attached->sessionIds, ids);
    QCOMPARE(attached->taskIds.size(), 3);

    // The re-attached connection drives the batch: B's numbering continues.
    const qsizetype mark = second.frames.size();
    second.send(Requests::ContinueSessionV1{ids.at(1), ContinueParams{}});
    QVERIFY(spinUntil([&] {
        const auto events = second.eventsOf(ids.at(1), mark);
        return !events.isEmpty() && events.last().second == u"readyForContinue"_s;
    }));
    QCOMPARE(second.eventsOf(ids.at(1), mark).first().first, lastB + 1);

    // The transcript recorded the attach with its cursors, under the batch id.
    bool seen = false;
    for (const TranscriptEntry &entry : server->transcript()) {
        const Result<ControlRequest> request = decodeControlRequest(entry.text.toUtf8());
        if (!request)
            continue;
        if (const auto *attach = std::get_if<Requests::AttachParallelControlSessionV2>(&*request)) {
            QCOMPARE(attach->lastSequences, (QMap<QString, quint64>{{ids.at(0), 3}, {ids.at(1), lastB}}));
            seen = true;
        }
        if (std::holds_alternative<Requests::ContinueSessionV1>(*request))
            QCOMPARE(entry.sessionId, controlId);
    }
    QVERIFY(seen);
}

void tst_RefServerParallel::attachRejections()
{
    auto server = startServer();
    QVERIFY(server);
    RawControl owner;
    QVERIFY(owner.open(*server));
    QCOMPARE(createBatch(owner, 2).size(), 2);
    const QString controlId = owner.last<Responses::SessionsCreatedV2>()->controlSessionId;

    // Still attached to a live connection: busy.
    RawControl busy;
    QVERIFY(busy.open(*server));
    busy.send(Requests::AttachParallelControlSessionV2{controlId, {}});
    QVERIFY(busy.waitFor<Responses::Error>());
    QCOMPARE(busy.last<Responses::Error>()->error.kind, BacktestErrorKind::SessionOwnershipBusy);

    // One of its sub-sessions, attached alone on another socket: busy as well
    // (PROTOCOL.md §8 item 6) — never a second owner that could end it.
    const QStringList subSessions = owner.last<Responses::SessionsCreatedV2>()->sessionIds;
    RawControl thief;
    QVERIFY(thief.open(*server));
    thief.send(Requests::AttachBacktestSession{subSessions.first(), std::nullopt});
    QVERIFY(thief.waitFor<Responses::Error>());
    QCOMPARE(thief.last<Responses::Error>()->error.kind, BacktestErrorKind::SessionOwnershipBusy);
    QCOMPARE(thief.count<Responses::SessionAttached>(), 0);

    // Another API key: owner mismatch.
    owner.socket.abort();
    QVERIFY(spinUntil([&] { return owner.closed; }));
    RawControl stranger;
    QVERIFY(stranger.open(*server, OtherKey));
    stranger.send(Requests::AttachParallelControlSessionV2{controlId, {}});
    QVERIFY(stranger.waitFor<Responses::Error>());
    QCOMPARE(stranger.last<Responses::Error>()->error.kind, BacktestErrorKind::SessionOwnerMismatch);

    // Unknown id.
    RawControl lost;
    QVERIFY(lost.open(*server));
    lost.send(Requests::AttachParallelControlSessionV2{u"parallel_nope"_s, {}});
    QVERIFY(lost.waitFor<Responses::Error>());
    QCOMPARE(lost.last<Responses::Error>()->error.kind, BacktestErrorKind::SessionNotFound);
    QCOMPARE(lost.count<Responses::ParallelSessionAttachedV2>(), 0);
}

void tst_RefServerParallel::omittedRangesMode()
{
    RefServerConfig config{.omitParallelRanges = true};
    auto server = startServer(config);
    QVERIFY(server);
    RawControl control;
    QVERIFY(control.open(*server));
    control.send(parallelCreate(1000, 1299));
    QVERIFY(control.waitFor<Responses::SessionsCreatedV2>());
    const auto *created = control.last<Responses::SessionsCreatedV2>();
    QCOMPARE(created->sessionIds.size(), 3);
    QCOMPARE(created->startSlots, std::nullopt);
    QCOMPARE(created->endSlots, std::nullopt);
    // Absent from the wire, not empty arrays.
    const QJsonObject params = QJsonDocument::fromJson(control.texts.last()).object().value(u"params"_s).toObject();
    QVERIFY(params.contains(u"session_ids"_s));
    QVERIFY(!params.contains(u"start_slots"_s));
    QVERIFY(!params.contains(u"end_slots"_s));
}

void tst_RefServerParallel::eachSubSessionHasItsOwnDataPlane()
{
    BatchRun run;
    QVERIFY(openBatch(run, 2)); // synthetic transactions: 2–5 in every slot
    auto &[server, control, ids] = run;
    RawSubscription a;
    RawSubscription b;
    QVERIFY(a.subscribe(*server, ids.at(0)));
    QVERIFY(b.subscribe(*server, ids.at(1)));

    ContinueParams params{.advanceCount = 100};
    control.send(Requests::ContinueSessionV1{ids.at(1), params});
    QVERIFY(spinUntil([&] { return control.completed(ids.at(1)); }));
    // B's stream ends with 1000 after its completed; A's socket stays open and silent.
    QVERIFY(spinUntil([&] { return b.closed; }));
    QCOMPARE(b.closeCode, int(QWebSocketProtocol::CloseCodeNormal));
    QVERIFY(!b.transactions.isEmpty());
    QSet<quint64> seenSlots;
    for (const TransactionSummary &tx : std::as_const(b.transactions)) {
        QVERIFY2(tx.slot >= 1100 && tx.slot <= 1199, qPrintable(QString::number(tx.slot)));
        seenSlots.insert(tx.slot);
    }
    QCOMPARE(seenSlots.size(), 100); // every slot of B's range, none of A's
    QVERIFY(a.transactions.isEmpty());
    QVERIFY(!a.closed);
}

void tst_RefServerParallel::closeBacktestSessionEndsTheBatch()
{
    BatchRun run;
    QVERIFY(openBatch(run, 2));
    auto &[server, control, ids] = run;
    RawSubscription running;
    QVERIFY(running.subscribe(*server, ids.at(0)));
    const qsizetype mark = control.frames.size();
    control.send(Requests::CloseBacktestSession{});
    QVERIFY(control.waitFor<Responses::Success>());
    QVERIFY(spinUntil([&] { return control.closed; }));
    QCOMPARE(control.closeCode, QWebSocketProtocol::CloseCodeNormal);
    QCOMPARE(control.frames.size() - mark, 1); // just success, top level
    // Sub-sessions that had not completed are gone at once, data plane included.
    QVERIFY(spinUntil([&] { return server->activeSessionCount() == 0; }));
    QVERIFY(spinUntil([&] { return running.closed; }));
    QCOMPARE(running.closeCode, int(QWebSocketProtocol::CloseCodeGoingAway));
}

void tst_RefServerParallel::closeSentRightBeforeTheCloseFrameStillEndsTheBatch()
{
    // A client that quits sends closeBacktestSession and drops the socket at
    // once: the server must handle the request before the disconnect, or the
    // batch (900 s disconnect timeout) is kept instead of closed.
    BatchRun run;
    QVERIFY(openBatch(run, 2));
    auto &[server, control, ids] = run;
    QVERIFY(spinUntil([&] { return control.socket.bytesToWrite() == 0; }));
    control.send(Requests::CloseBacktestSession{});
    control.socket.flush();
    control.socket.abort(); // request and FIN in one segment train, no closing handshake
    QVERIFY(spinUntil([&] { return server->activeSessionCount() == 0; }));
}

void tst_RefServerParallel::closeSessionV1EndsOneSubSession()
{
    BatchRun run;
    QVERIFY(openBatch(run, 2));
    auto &[server, control, ids] = run;
    control.send(Requests::CloseSessionV1{ids.at(0)});
    QVERIFY(spinUntil([&] { return control.eventsOf(ids.at(0)).last().second == u"success"_s; }));
    QCOMPARE(control.eventsOf(ids.at(0)).last().first, quint64(6));
    QVERIFY(spinUntil([&] { return server->activeSessionCount() == 1; }));
    QCOMPARE(server->sessionIds(), QStringList{ids.at(1)});
    QVERIFY(!control.closed);
}

void tst_RefServerParallel::controlDropWithoutDisconnectTimeoutDropsTheBatch()
{
    auto server = startServer();
    QVERIFY(server);
    auto control = std::make_unique<RawControl>();
    QVERIFY(control->open(*server));
    control->send(parallelCreate(1000, 1199, 0));
    QVERIFY(control->waitFor<Responses::SessionsCreatedV2>());
    const QString controlId = control->last<Responses::SessionsCreatedV2>()->controlSessionId;
    QCOMPARE(server->activeSessionCount(), 2);
    control->socket.abort();
    control.reset();
    QVERIFY(spinUntil([&] { return server->activeSessionCount() == 0; }));
    RawControl again;
    QVERIFY(again.open(*server));
    again.send(Requests::AttachParallelControlSessionV2{controlId, {}});
    QVERIFY(again.waitFor<Responses::Error>());
    QCOMPARE(again.last<Responses::Error>()->error.kind, BacktestErrorKind::SessionNotFound);
}

// --- 0.31 (PROTOCOL-0.31.md) --------------------------------------------------------

void tst_RefServerParallel::wire031CreatePauseAndReady()
{
    BatchRun run;
    QVERIFY(openBatch(run, 2, {}, WireVersion::V0_31));
    auto &[server, control, ids] = run;
    const QRegularExpression simple(u"^backtest_[0-9a-f]{32}$"_s);
    for (const QString &id : ids)
        QVERIFY2(simple.match(id).hasMatch(), qPrintable(id));
    QVERIFY(ids.at(0) < ids.at(1)); // UUID v7 in creation (= slot) order
    const auto *created = control.last<Responses::SessionsCreatedV2>();
    QVERIFY2(QRegularExpression(u"^parallel_[0-9a-f]{32}$"_s).match(created->controlSessionId).hasMatch(),
             qPrintable(created->controlSessionId));
    // Each sub-session: startingRuntime on accept, its start slot, ready.
    QCOMPARE(texts(control.eventsOf(ids.at(0))),
             (QStringList{u"status:startingRuntime"_s, u"slot:1000"_s, u"readyForContinue"_s}));
    QCOMPARE(seqs(control.eventsOf(ids.at(1))), inclusiveRange(1, 3));

    // continueToSessionV1: paused, then readyForContinue (§3.2), in the sub-session's own sequence.
    const qsizetype mark = control.frames.size();
    control.send(Requests::ContinueToSessionV1{ids.at(1), ContinueToParams{1102, std::nullopt}});
    QVERIFY(spinUntil([&] {
        const auto events = control.eventsOf(ids.at(1), mark);
        return !events.isEmpty() && events.last().second == u"readyForContinue"_s;
    }));
    const QStringList expected = slotFrames(1100) + slotFrames(1101) + slotFrames(1102)
                                 + QStringList{u"paused:1102"_s, u"readyForContinue"_s};
    QCOMPARE(texts(control.eventsOf(ids.at(1), mark)), expected);
    QCOMPARE(seqs(control.eventsOf(ids.at(1), mark)), inclusiveRange(4, 4 + quint64(expected.size()) - 1));
    QVERIFY(control.eventsOf(ids.at(0), mark).isEmpty());
}

void tst_RefServerParallel::wire031WaitsForCapacityWithTopLevelStatuses()
{
    RefServerConfig config{.startupDelayMs = 600, .startingRuntimeIntervalMs = 100};
    BatchRun run;
    QVERIFY(openBatch(run, 2, config, WireVersion::V0_31));
    auto &[server, control, ids] = run;
    // Top-level startingRuntime statuses (no sub-session yet), then the create stream.
    qsizetype statuses = 0;
    while (statuses < control.frames.size()
           && std::holds_alternative<Responses::Status>(control.frames.at(statuses).response)) {
        QCOMPARE(std::get<Responses::Status>(control.frames.at(statuses).response).status, u"startingRuntime"_s);
        ++statuses;
    }
    QVERIFY2(statuses >= 3, qPrintable(QString::number(statuses)));
    QVERIFY(std::holds_alternative<Responses::SessionCreated>(control.frames.at(statuses).response));
    QTest::qWait(250);
    QCOMPARE(control.count<Responses::Status>(), int(statuses)); // they stop once the batch runs
}

void tst_RefServerParallel::simulationErrorsAndCutInSubSessions()
{
    RefServerConfig config{.transactionsPerSlot = 2, .simulationErrorEvery = 3, .cutAtSlot = 1150};
    BatchRun run;
    QVERIFY(openBatch(run, 2, config, WireVersion::V0_31));
    auto &[server, control, ids] = run;
    ContinueParams params{.advanceCount = 100};
    control.send(Requests::ContinueSessionV1{ids.at(0), params});
    control.send(Requests::ContinueSessionV1{ids.at(1), params});
    QVERIFY(spinUntil([&] { return control.completed(ids.at(0)); }));
    QVERIFY(spinUntil([&] { return texts(control.eventsOf(ids.at(1))).contains(u"error:cut"_s); }));
    // A: 200 transactions, an error after every 3rd, and it completes.
    const QStringList a = texts(control.eventsOf(ids.at(0)));
    QCOMPARE(a.count(u"error:simulationError"_s), 66);
    QCOMPARE(a.last(), u"completed"_s);
    // B: cut when it reaches slot 1150 (100 transactions executed), nothing after it.
    QTest::qWait(100);
    const QStringList b = texts(control.eventsOf(ids.at(1)));
    QCOMPARE(b.count(u"error:simulationError"_s), 33);
    QCOMPARE(b.last(), u"error:cut"_s);
    QCOMPARE(b.at(b.size() - 2), u"slot:1149"_s);
    QVERIFY(!b.contains(u"completed"_s));
    QByteArray cut;
    for (const QByteArray &text : std::as_const(control.texts)) {
        if (text.contains(ids.at(1).toLatin1()) && text.contains(R"("cut")"))
            cut = text;
    }
    QVERIFY2(cut.contains(R"("event":{"method":"error","params":{"cut":{"slot":1150}}})"), cut.constData());
}

void tst_RefServerParallel::closeTearsDownCompletedSubSessions_data()
{
    QTest::addColumn<WireVersion>("wire");
    QTest::addColumn<int>("closedLingerMs"); // -1 = by wire
    QTest::addColumn<int>("closeCode");
    QTest::addColumn<bool>("resubscribeWorks");
    QTest::addRow("0.31: at once, normal close") << WireVersion::V0_31 << -1 << int(QWebSocketProtocol::CloseCodeNormal)
                                                 << false;
    QTest::addRow("0.28, linger 0: at once") << WireVersion::V0_28 << 0 << int(QWebSocketProtocol::CloseCodeGoingAway)
                                             << false;
    QTest::addRow("0.28: completed ones linger") << WireVersion::V0_28 << -1 << -1 << true;
}

void tst_RefServerParallel::closeTearsDownCompletedSubSessions()
{
    // Sub-session A completed while its data socket still drains behind a
    // bandwidth cap; the batch is closed now (a client that closes on the last
    // `completed`). The hosted service tears A down at once: its data socket
    // ends with a normal close "session closed" before the tail arrived, and a
    // resubscribe gets HTTP 404.
    QFETCH(WireVersion, wire);
    QFETCH(int, closedLingerMs);
    QFETCH(int, closeCode);
    QFETCH(bool, resubscribeWorks);
    RefServerConfig config;
    config.transactionsPerSlot = 5;
    config.closedLingerMs = closedLingerMs;
    config.dataFaults.bandwidthBytesPerSecond = 100000;
    BatchRun run;
    QVERIFY(openBatch(run, 2, config, wire));
    auto &[server, control, ids] = run;
    RawSubscription draining;
    QVERIFY(draining.subscribe(*server, ids.at(0)));
    ContinueParams params{.advanceCount = 100};
    control.send(Requests::ContinueSessionV1{ids.at(0), params});
    QVERIFY(spinUntil([&] { return control.completed(ids.at(0)); }));
    control.send(Requests::CloseBacktestSession{});
    QVERIFY(control.waitFor<Responses::Success>());
    if (closeCode >= 0) {
        QVERIFY(spinUntil([&] { return draining.closed; }));
        QCOMPARE(draining.closeCode, closeCode);
        QCOMPARE(draining.closeReason, u"session closed"_s);
        QVERIFY2(draining.transactions.size() < 500, qPrintable(QString::number(draining.transactions.size())));
    }
    RawSubscription late;
    QCOMPARE(late.subscribe(*server, ids.at(0)), resubscribeWorks);
    QCOMPARE(server->activeSessionCount(), resubscribeWorks ? 1 : 0);
}

void tst_RefServerParallel::twoHundredFiftySixSubSessions()
{
    // The size of issue 8's large batch: 256 sub-sessions of 4 slots, each
    // stepped to its end on the one control socket, paced per slot.
    RefServerConfig config;
    config.bundleSize = 4;
    config.slotDelayMs = 1;
    config.transactionsPerSlot = 2;
    auto server = startServer(config, WireVersion::V0_31);
    QVERIFY(server);
    RawControl control;
    QVERIFY(control.open(*server));
    control.send(parallelCreate(1000, 1000 + 256 * 4 - 1));
    QVERIFY(control.waitFor<Responses::SessionsCreatedV2>());
    const QStringList ids = control.last<Responses::SessionsCreatedV2>()->sessionIds;
    QCOMPARE(ids.size(), 256);
    QCOMPARE(QSet<QString>(ids.cbegin(), ids.cend()).size(), 256);
    QStringList sorted = ids;
    sorted.sort();
    QCOMPARE(sorted, ids); // slot order is creation order is id order
    QCOMPARE(server->activeSessionCount(), 256);
    ContinueParams params{.advanceCount = 4};
    for (const QString &id : ids)
        control.send(Requests::ContinueSessionV1{id, params});
    QVERIFY(spinUntil([&] {
        return std::all_of(ids.cbegin(), ids.cend(), [&](const QString &id) { return control.completed(id); });
    }, 60000));
    for (const QString &id : ids) {
        const QList<std::pair<quint64, QString>> events = control.eventsOf(id);
        QCOMPARE(seqs(events), inclusiveRange(1, quint64(events.size()))); // each its own gapless sequence
        QCOMPARE(texts(events).count(u"completed"_s), 1);
    }
}

QTEST_GUILESS_MAIN(tst_RefServerParallel)
#include "tst_refserverparallel.moc"
