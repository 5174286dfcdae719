// Control-plane codec: every request and response of PROTOCOL.md §2–§4, encoded
// strictly and decoded leniently; every BacktestError variant; malformed frames.

#include "protocol/controlmessages.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace SlotScope;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(SlotScope::ControlRequest)
Q_DECLARE_METATYPE(SlotScope::ControlResponse)
Q_DECLARE_METATYPE(SlotScope::SessionEventKind)
Q_DECLARE_METATYPE(SlotScope::BacktestErrorKind)

namespace {

const QString kJup = u"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"_s;
const QString kSession = u"backtest_0199d2c4-5b7e-7a31-9c1e-2f4b8d6a1c00"_s;

/// Any JSON value (including a bare string or number) from text.
QJsonValue jsonValue(const QByteArray &text)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson('[' + text + ']', &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("bad JSON in test data: %s", text.constData());
    return doc.array().at(0);
}

SessionSummary sampleSummary()
{
    SessionSummary s{.correctSimulation = 831, .incorrectSimulation = 16, .executionErrors = 3, .balanceDiff = 5,
                     .logDiff = 2, .unsanitizable = 0};
    return s;
}

DiscoveryFilter oracleFilter()
{
    DiscoveryFilter f{.kind = DiscoveryFilter::Kind::OracleUpdate, .programs = QStringList{u"Prog1111"_s},
                      .accounts = QStringList{u"AccA"_s, u"AccB"_s}};
    return f;
}

DiscoveryBatchEvent sampleDiscovery()
{
    DiscoveryBatchEvent e;
    e.slot = 1010;
    e.batchIndex = 3;
    e.matched = {DiscoveryFilter::programExecuted(kJup)};
    e.transactions = QStringList{u"AQAAAAAAAAA="_s};
    e.transactionIndices = {57};
    return e;
}

QByteArray frameText(const QByteArray &text)
{
    return text.isEmpty() ? QByteArray("<empty>") : text;
}

} // namespace

class tst_ControlCodec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void respellDiscoveryVariants_data();
    void respellDiscoveryVariants();
    void requests_data();
    void requests();
    void requestsLenient_data();
    void requestsLenient();
    void malformedRequests_data();
    void malformedRequests();

    void responses_data();
    void responses();
    void sessionEvents_data();
    void sessionEvents();
    void unknownMethodsAreToldFromBrokenFrames_data();
    void unknownMethodsAreToldFromBrokenFrames();
    void malformedResponses_data();
    void malformedResponses();
    void truncatedFramesNeverDecode();

    void backtestErrors_data();
    void backtestErrors();
    void backtestErrorOtherShapes_data();
    void backtestErrorOtherShapes();
    void backtestErrorBuilders();

    void statuses_data();
    void statuses();
    void u64Precision();
    void discoveryFilters();
    void describe_data();
    void describe();
    void describeRequest_data();
    void describeRequest();
};

// ---------------------------------------------------------------------------
// Requests

void tst_ControlCodec::requests_data()
{
    QTest::addColumn<ControlRequest>("request");
    QTest::addColumn<QString>("method");
    QTest::addColumn<QByteArray>("expected");

    {
        Requests::CreateBacktestSession r;
        r.params.startSlot = 100;
        r.params.endSlot = 105;
        QTest::addRow("createBacktestSession minimal")
            << ControlRequest(r) << u"createBacktestSession"_s
            << QByteArray(R"({"method":"createBacktestSession","params":{"startSlot":100,"endSlot":105,)"
                          R"("sendSummary":true,"discoveries":[],"actions":[],)"
                          R"("replayAccountState":false}})");
    }
    {
        Requests::CreateBacktestSession r;
        r.params.startSlot = 417811170;
        r.params.endSlot = 417811175;
        r.params.signerFilter = QStringList{u"Signer111"_s};
        r.params.sendSummary = false;
        r.params.capacityWaitTimeoutSecs = 900;
        r.params.disconnectTimeoutSecs = 900;
        r.params.extraComputeUnits = 200;
        r.params.discoveries = {DiscoveryFilter::programExecuted(kJup), oracleFilter()};
        r.params.replayAccountState = true;
        r.params.parallel = true;
        QTest::addRow("createBacktestSession full, parallel")
            << ControlRequest(r) << u"createBacktestSession"_s
            << QByteArray(R"({"method":"createBacktestSession","params":{"startSlot":417811170,"endSlot":417811175,)"
                          R"("signerFilter":["Signer111"],"sendSummary":false,"capacityWaitTimeoutSecs":900,)"
                          R"("disconnectTimeoutSecs":900,"extraComputeUnits":200,"discoveries":[)"
                          R"({"programExecuted":"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"},)"
                          R"({"oracleUpdate":{"programs":["Prog1111"],"accounts":["AccA","AccB"]}}],)"
                          R"("actions":[],"replayAccountState":true,"parallel":true}})");
    }
    {
        Requests::CreateBacktestSession r;
        r.params.startSlot = 1;
        r.params.endSlot = 2;
        r.params.disconnectTimeoutSecs = 0;
        QTest::addRow("createBacktestSession optional set to zero is still sent")
            << ControlRequest(r) << u"createBacktestSession"_s
            << QByteArray(R"({"method":"createBacktestSession","params":{"startSlot":1,"endSlot":2,)"
                          R"("sendSummary":true,"disconnectTimeoutSecs":0,"discoveries":[],)"
                          R"("actions":[],"replayAccountState":false}})");
    }
    {
        // PROTOCOL-0.31.md §3.1.2 example: V1 keys after the flattened params,
        // the token under both spellings.
        Requests::CreateBacktestSession r;
        r.params.startSlot = 380000000;
        r.params.endSlot = 380000099;
        r.params.capacityWaitTimeoutSecs = 900;
        r.params.disconnectTimeoutSecs = 300;
        r.params.name = u"sol-usdc-baseline"_s;
        r.params.createToken = u"3f2b8c1e-9a4d-4e7b-8c2a-5d6e7f809a1b"_s;
        QTest::addRow("createBacktestSession named, with create token (0.31)")
            << ControlRequest(r) << u"createBacktestSession"_s
            << QByteArray(R"({"method":"createBacktestSession","params":{"startSlot":380000000,"endSlot":380000099,)"
                          R"("sendSummary":true,"capacityWaitTimeoutSecs":900,"disconnectTimeoutSecs":300,)"
                          R"("discoveries":[],"actions":[],"replayAccountState":false,"name":"sol-usdc-baseline",)"
                          R"("createToken":"3f2b8c1e-9a4d-4e7b-8c2a-5d6e7f809a1b",)"
                          R"("create_token":"3f2b8c1e-9a4d-4e7b-8c2a-5d6e7f809a1b"}})");
        r.params.parallel = true;
        r.params.name = u"sol-usdc-sweep"_s;
        r.params.createToken.reset();
        QTest::addRow("createBacktestSession parallel, named, no token")
            << ControlRequest(r) << u"createBacktestSession"_s
            << QByteArray(R"({"method":"createBacktestSession","params":{"startSlot":380000000,"endSlot":380000099,)"
                          R"("sendSummary":true,"capacityWaitTimeoutSecs":900,"disconnectTimeoutSecs":300,)"
                          R"("discoveries":[],"actions":[],"replayAccountState":false,"parallel":true,)"
                          R"("name":"sol-usdc-sweep"}})");
    }
    QTest::addRow("continue default")
        << ControlRequest(Requests::Continue{}) << u"continue"_s
        << QByteArray(R"({"method":"continue","params":{"advanceCount":1,"transactions":[],"modifyAccountStates":{}}})");
    {
        Requests::Continue r;
        r.params.advanceCount = 5000;
        r.params.transactions = QStringList{u"AQID"_s, u"BAUG"_s};
        r.params.modifyAccountStates =
            jsonValue(R"({"Addr1":{"data":{"data":"AAAA","encoding":"base64"},"executable":false,)"
                      R"("lamports":33594,"owner":"11111111111111111111111111111111","space":80}})")
                .toObject();
        QTest::addRow("continue with transactions and account modifications")
            << ControlRequest(r) << u"continue"_s
            << QByteArray(R"({"method":"continue","params":{"advanceCount":5000,"transactions":["AQID","BAUG"],)"
                          R"("modifyAccountStates":{"Addr1":{"data":{"data":"AAAA","encoding":"base64"},)"
                          R"("executable":false,"lamports":33594,"owner":"11111111111111111111111111111111",)"
                          R"("space":80}}}})");
    }
    QTest::addRow("continueTo with batchIndex")
        << ControlRequest(Requests::ContinueTo{{1010, 3}}) << u"continueTo"_s
        << QByteArray(R"({"method":"continueTo","params":{"slot":1010,"batchIndex":3}})");
    QTest::addRow("continueTo whole slot omits batchIndex")
        << ControlRequest(Requests::ContinueTo{{1010, std::nullopt}}) << u"continueTo"_s
        << QByteArray(R"({"method":"continueTo","params":{"slot":1010}})");
    QTest::addRow("continueTo batchIndex 0 is sent")
        << ControlRequest(Requests::ContinueTo{{1010, 0}}) << u"continueTo"_s
        << QByteArray(R"({"method":"continueTo","params":{"slot":1010,"batchIndex":0}})");
    {
        Requests::ContinueSessionV1 r;
        r.sessionId = u"backtest_a1"_s;
        r.request.advanceCount = 5000;
        QTest::addRow("continueSessionV1")
            << ControlRequest(r) << u"continueSessionV1"_s
            << QByteArray(R"({"method":"continueSessionV1","params":{"sessionId":"backtest_a1","request":)"
                          R"({"advanceCount":5000,"transactions":[],"modifyAccountStates":{}}}})");
    }
    QTest::addRow("continueToSessionV1")
        << ControlRequest(Requests::ContinueToSessionV1{u"backtest_a1"_s, {400000123, 0}}) << u"continueToSessionV1"_s
        << QByteArray(R"({"method":"continueToSessionV1","params":{"sessionId":"backtest_a1","request":)"
                      R"({"slot":400000123,"batchIndex":0}}})");
    QTest::addRow("closeBacktestSession has no params")
        << ControlRequest(Requests::CloseBacktestSession{}) << u"closeBacktestSession"_s
        << QByteArray(R"({"method":"closeBacktestSession"})");
    QTest::addRow("closeSessionV1")
        << ControlRequest(Requests::CloseSessionV1{u"backtest_a1"_s}) << u"closeSessionV1"_s
        << QByteArray(R"({"method":"closeSessionV1","params":{"sessionId":"backtest_a1"}})");
    QTest::addRow("attachBacktestSession with last_sequence")
        << ControlRequest(Requests::AttachBacktestSession{kSession, 42}) << u"attachBacktestSession"_s
        << (R"({"method":"attachBacktestSession","params":{"session_id":")" + kSession.toUtf8()
            + R"(","last_sequence":42}})");
    QTest::addRow("attachBacktestSession replay everything")
        << ControlRequest(Requests::AttachBacktestSession{kSession, std::nullopt}) << u"attachBacktestSession"_s
        << (R"({"method":"attachBacktestSession","params":{"session_id":")" + kSession.toUtf8()
            + R"(","last_sequence":null}})");
    QTest::addRow("resumeAttachedSession has no params")
        << ControlRequest(Requests::ResumeAttachedSession{}) << u"resumeAttachedSession"_s
        << QByteArray(R"({"method":"resumeAttachedSession"})");
    {
        Requests::AttachParallelControlSessionV2 r;
        r.controlSessionId = u"parallel_ff"_s;
        r.lastSequences.insert(u"backtest_a1"_s, 17);
        r.lastSequences.insert(u"backtest_a2"_s, 9);
        QTest::addRow("attachParallelControlSessionV2")
            << ControlRequest(r) << u"attachParallelControlSessionV2"_s
            << QByteArray(R"({"method":"attachParallelControlSessionV2","params":{"control_session_id":"parallel_ff",)"
                          R"("last_sequences":{"backtest_a1":17,"backtest_a2":9}}})");
    }
    QTest::addRow("attachParallelControlSessionV2 without cursors")
        << ControlRequest(Requests::AttachParallelControlSessionV2{u"parallel_ff"_s, {}})
        << u"attachParallelControlSessionV2"_s
        << QByteArray(R"({"method":"attachParallelControlSessionV2","params":{"control_session_id":"parallel_ff",)"
                      R"("last_sequences":{}}})");
    QTest::addRow("strings are escaped")
        << ControlRequest(Requests::CloseSessionV1{u"a\"b\\c\nd\u00e9"_s}) << u"closeSessionV1"_s
        << QByteArray("{\"method\":\"closeSessionV1\",\"params\":{\"sessionId\":\"a\\\"b\\\\c\\nd\xc3\xa9\"}}");
}

void tst_ControlCodec::requests()
{
    QFETCH(ControlRequest, request);
    QFETCH(QString, method);
    QFETCH(QByteArray, expected);

    QCOMPARE(encodeControlRequest(request), expected);
    QCOMPARE(methodName(request), method);

    const Result<ControlRequest> decoded = decodeControlRequest(expected);
    QVERIFY2(decoded.ok(), qPrintable(decoded.ok() ? QString() : decoded.error().message));
    QCOMPARE(encodeControlRequest(*decoded), expected);
    QVERIFY(*decoded == request);
}

void tst_ControlCodec::requestsLenient_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<ControlRequest>("expected");

    {
        Requests::CreateBacktestSession r;
        r.params.startSlot = 1;
        r.params.endSlot = 2;
        r.params.signerFilter = QStringList{u"x"_s};
        r.params.sendSummary = false;
        r.params.capacityWaitTimeoutSecs = 5;
        r.params.disconnectTimeoutSecs = 30;
        r.params.extraComputeUnits = 7;
        r.params.replayAccountState = true;
        r.params.parallel = true;
        QTest::addRow("create in snake_case with unknown fields")
            << QByteArray(R"({"method":"createBacktestSession","params":{"start_slot":1,"end_slot":2,)"
                          R"("signer_filter":["x"],"send_summary":false,"capacity_wait_timeout_secs":5,)"
                          R"("disconnect_timeout_secs":30,"extra_compute_units":7,"replay_account_state":true,)"
                          R"("parallel":true,"reroute":null,"actions":[],"preloadPrograms":[]},"extra":1})")
            << ControlRequest(r);
        Requests::CreateBacktestSession nested = r;
        QTest::addRow("create as nested V1 {params, parallel}")
            << QByteArray(R"({"method":"createBacktestSession","params":{"parallel":true,"params":{"startSlot":1,)"
                          R"("endSlot":2,"signerFilter":["x"],"sendSummary":false,"capacityWaitTimeoutSecs":5,)"
                          R"("disconnectTimeoutSecs":30,"extraComputeUnits":7,"replayAccountState":true}}})")
            << ControlRequest(nested);
    }
    {
        Requests::CreateBacktestSession r;
        r.params.startSlot = 10;
        r.params.endSlot = 20;
        DiscoveryFilter unknown{.raw = jsonValue(R"({"someFutureFilter":{"x":1}})")};
        r.params.discoveries = {DiscoveryFilter::programExecuted(kJup), oracleFilter(), unknown};
        r.params.sendSummary = false; // absent on the wire: false (PROTOCOL-0.31.md §3.1.1)
        QTest::addRow("create with PascalCase and unknown discovery filters, null optionals")
            << QByteArray(R"({"method":"createBacktestSession","params":{"startSlot":10,"endSlot":20,)"
                          R"("signerFilter":null,"capacityWaitTimeoutSecs":null,"discoveries":[)"
                          R"({"ProgramExecuted":"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"},)"
                          R"({"oracle_update":{"accounts":["AccA","AccB"],"programs":["Prog1111"]}},)"
                          R"({"someFutureFilter":{"x":1}}]}})")
            << ControlRequest(r);
    }
    {
        Requests::CreateBacktestSession r;
        r.params.startSlot = 5;
        r.params.endSlot = 6;
        r.params.createToken = u"3f2b8c1e-9a4d-4e7b-8c2a-5d6e7f809a1b"_s;
        r.params.sendSummary = false; // absent on the wire: false (PROTOCOL-0.31.md §3.1.1)
        QTest::addRow("create with create_token only, name null")
            << QByteArray(R"({"method":"createBacktestSession","params":{"startSlot":5,"endSlot":6,"name":null,)"
                          R"("create_token":"3f2b8c1e-9a4d-4e7b-8c2a-5d6e7f809a1b"}})")
            << ControlRequest(r);
        r.params.name = u"nightly"_s;
        r.params.parallel = true;
        r.params.sendSummary = false; // absent on the wire: false (PROTOCOL-0.31.md §3.1.1)
        QTest::addRow("create as nested V1 with name and createToken outside")
            << QByteArray(R"({"method":"createBacktestSession","params":{"parallel":true,"name":"nightly",)"
                          R"("createToken":"3f2b8c1e-9a4d-4e7b-8c2a-5d6e7f809a1b","params":{"startSlot":5,"endSlot":6}}})")
            << ControlRequest(r);
    }
    {
        Requests::Continue r;
        r.params.advanceCount = 3;
        r.params.transactions = QStringList{u"AQID"_s, u"BAUG"_s};
        QTest::addRow("continue snake_case, EncodedBinary transactions")
            << QByteArray(R"({"method":"continue","params":{"advance_count":3,"transactions":["AQID",)"
                          R"({"data":"BAUG","encoding":"base64"}],"modify_account_states":{}}})")
            << ControlRequest(r);
    }
    QTest::addRow("continue with empty params object uses defaults")
        << QByteArray(R"({"method":"continue","params":{}})") << ControlRequest(Requests::Continue{});
    QTest::addRow("continueTo batch_index")
        << QByteArray(R"({"method":"continueTo","params":{"batch_index":3,"slot":1010}})")
        << ControlRequest(Requests::ContinueTo{{1010, 3}});
    QTest::addRow("continueTo batchIndex null")
        << QByteArray(R"({"method":"continueTo","params":{"slot":1010,"batchIndex":null}})")
        << ControlRequest(Requests::ContinueTo{{1010, std::nullopt}});
    QTest::addRow("continueTo whole number written as 1010.0")
        << QByteArray(R"({"method":"continueTo","params":{"slot":1010.0}})")
        << ControlRequest(Requests::ContinueTo{{1010, std::nullopt}});
    {
        Requests::ContinueSessionV1 r;
        r.sessionId = u"backtest_a1"_s;
        r.request.advanceCount = 7;
        QTest::addRow("continueSessionV1 session_id")
            << QByteArray(R"({"method":"continueSessionV1","params":{"request":{"advanceCount":7},"session_id":"backtest_a1"}})")
            << ControlRequest(r);
    }
    QTest::addRow("continueToSessionV1 snake_case")
        << QByteArray(R"({"method":"continueToSessionV1","params":{"session_id":"b","request":{"slot":5,"batch_index":1}}})")
        << ControlRequest(Requests::ContinueToSessionV1{u"b"_s, {5, 1}});
    QTest::addRow("closeBacktestSession params null")
        << QByteArray(R"({"method":"closeBacktestSession","params":null})")
        << ControlRequest(Requests::CloseBacktestSession{});
    QTest::addRow("closeBacktestSession with whitespace and seqId")
        << QByteArray(" {\n \"seqId\" : 4 ,\t\"method\" : \"closeBacktestSession\" }\n")
        << ControlRequest(Requests::CloseBacktestSession{});
    QTest::addRow("closeSessionV1 session_id")
        << QByteArray(R"({"method":"closeSessionV1","params":{"session_id":"b"}})")
        << ControlRequest(Requests::CloseSessionV1{u"b"_s});
    QTest::addRow("attach camelCase (docs spelling)")
        << QByteArray(R"({"method":"attachBacktestSession","params":{"sessionId":"b","lastSequence":42}})")
        << ControlRequest(Requests::AttachBacktestSession{u"b"_s, 42});
    QTest::addRow("attach without last_sequence")
        << QByteArray(R"({"method":"attachBacktestSession","params":{"session_id":"b"}})")
        << ControlRequest(Requests::AttachBacktestSession{u"b"_s, std::nullopt});
    QTest::addRow("resumeAttachedSession params null")
        << QByteArray(R"({"params":null,"method":"resumeAttachedSession"})")
        << ControlRequest(Requests::ResumeAttachedSession{});
    {
        Requests::AttachParallelControlSessionV2 r;
        r.controlSessionId = u"parallel_ff"_s;
        r.lastSequences.insert(u"a"_s, 17);
        QTest::addRow("attachParallel camelCase")
            << QByteArray(R"({"method":"attachParallelControlSessionV2","params":{"controlSessionId":"parallel_ff",)"
                          R"("lastSequences":{"a":17}}})")
            << ControlRequest(r);
    }
    QTest::addRow("attachParallel without last_sequences")
        << QByteArray(R"({"method":"attachParallelControlSessionV2","params":{"control_session_id":"p"}})")
        << ControlRequest(Requests::AttachParallelControlSessionV2{u"p"_s, {}});
    QTest::addRow("PascalCase method name")
        << QByteArray(R"({"method":"CloseBacktestSession"})") << ControlRequest(Requests::CloseBacktestSession{});
}

void tst_ControlCodec::requestsLenient()
{
    QFETCH(QByteArray, frame);
    QFETCH(ControlRequest, expected);

    const Result<ControlRequest> decoded = decodeControlRequest(frame);
    QVERIFY2(decoded.ok(), qPrintable(decoded.ok() ? QString() : decoded.error().message));
    QCOMPARE(encodeControlRequest(*decoded), encodeControlRequest(expected));
    QVERIFY(*decoded == expected);
}

void tst_ControlCodec::malformedRequests_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QString>("messageContains");

    QTest::addRow("empty") << QByteArray() << u"empty frame"_s;
    QTest::addRow("whitespace") << QByteArray("  \n ") << u"empty frame"_s;
    QTest::addRow("not JSON") << QByteArray("hello") << u"not valid JSON"_s;
    QTest::addRow("array") << QByteArray("[1,2]") << u"not a JSON object"_s;
    QTest::addRow("number") << QByteArray("42") << QString();
    QTest::addRow("string") << QByteArray(R"("closeBacktestSession")") << QString();
    QTest::addRow("truncated") << QByteArray(R"({"method":"continueTo","params":{"slot":10)") << u"not valid JSON"_s;
    QTest::addRow("missing method") << QByteArray(R"({"params":{}})") << u"no \"method\""_s;
    QTest::addRow("method not a string") << QByteArray(R"({"method":5})") << u"must be a string"_s;
    QTest::addRow("unknown method") << QByteArray(R"({"method":"fooBar","params":{}})")
                                    << u"unknown method \"fooBar\""_s;
    QTest::addRow("response method is not a request") << QByteArray(R"({"method":"slotNotification","params":5})")
                                                      << u"unknown method \"slotNotification\""_s;
    QTest::addRow("continue without params") << QByteArray(R"({"method":"continue"})") << u"missing params"_s;
    QTest::addRow("continue params string") << QByteArray(R"({"method":"continue","params":"x"})")
                                            << u"params must be an object"_s;
    QTest::addRow("continue transactions not strings")
        << QByteArray(R"({"method":"continue","params":{"transactions":[1]}})") << u"transactions"_s;
    QTest::addRow("continue modifyAccountStates array")
        << QByteArray(R"({"method":"continue","params":{"modifyAccountStates":[]}})") << u"modifyAccountStates"_s;
    QTest::addRow("continueTo missing slot") << QByteArray(R"({"method":"continueTo","params":{"batchIndex":3}})")
                                             << u"missing field \"slot\""_s;
    QTest::addRow("continueTo negative slot") << QByteArray(R"({"method":"continueTo","params":{"slot":-1}})")
                                              << u"non-negative integer"_s;
    QTest::addRow("continueTo fractional slot") << QByteArray(R"({"method":"continueTo","params":{"slot":1.5}})")
                                                << u"non-negative integer"_s;
    QTest::addRow("continueTo slot as string") << QByteArray(R"({"method":"continueTo","params":{"slot":"1010"}})")
                                               << u"non-negative integer"_s;
    QTest::addRow("continueTo batchIndex beyond u32")
        << QByteArray(R"({"method":"continueTo","params":{"slot":1,"batchIndex":4294967296}})") << u"out of range"_s;
    QTest::addRow("create capacityWaitTimeoutSecs beyond u16")
        << QByteArray(R"({"method":"createBacktestSession","params":{"startSlot":1,"endSlot":2,"capacityWaitTimeoutSecs":70000}})")
        << u"out of range"_s;
    QTest::addRow("create missing endSlot")
        << QByteArray(R"({"method":"createBacktestSession","params":{"startSlot":1}})") << u"\"endSlot\""_s;
    QTest::addRow("create sendSummary not bool")
        << QByteArray(R"({"method":"createBacktestSession","params":{"startSlot":1,"endSlot":2,"sendSummary":"yes"}})")
        << u"sendSummary"_s;
    QTest::addRow("attach missing session_id")
        << QByteArray(R"({"method":"attachBacktestSession","params":{"last_sequence":1}})") << u"session_id"_s;
    QTest::addRow("attach negative last_sequence")
        << QByteArray(R"({"method":"attachBacktestSession","params":{"session_id":"b","last_sequence":-4}})")
        << u"last_sequence"_s;
    QTest::addRow("continueSessionV1 missing request")
        << QByteArray(R"({"method":"continueSessionV1","params":{"sessionId":"b"}})") << u"request"_s;
    QTest::addRow("attachParallel negative cursor")
        << QByteArray(R"({"method":"attachParallelControlSessionV2","params":{"control_session_id":"p","last_sequences":{"a":-1}}})")
        << u"last_sequences.a"_s;
    QTest::addRow("attachParallel cursors as array")
        << QByteArray(R"({"method":"attachParallelControlSessionV2","params":{"control_session_id":"p","last_sequences":[]}})")
        << u"last_sequences"_s;
}

void tst_ControlCodec::malformedRequests()
{
    QFETCH(QByteArray, frame);
    QFETCH(QString, messageContains);

    const Result<ControlRequest> decoded = decodeControlRequest(frame);
    QVERIFY(!decoded.ok());
    QVERIFY(!decoded.error().message.isEmpty());
    if (!messageContains.isEmpty())
        QVERIFY2(decoded.error().message.contains(messageContains), qPrintable(decoded.error().message));
    if (messageContains.startsWith(u"unknown method"_s))
        QVERIFY(decoded.error().message.startsWith(u"unknown method"_s));
}

// ---------------------------------------------------------------------------
// Responses

void tst_ControlCodec::responses_data()
{
    QTest::addColumn<ControlResponse>("response");
    QTest::addColumn<qint64>("seqId"); // -1 = none
    QTest::addColumn<QString>("method");
    QTest::addColumn<QByteArray>("canonical");
    QTest::addColumn<QByteArray>("alternate"); // other casing / shape; empty = none

    const SessionInfo info{kSession, u"/backtest/"_s + kSession, std::nullopt};
    const QByteArray id = kSession.toUtf8();
    QTest::addRow("sessionCreated")
        << ControlResponse(Responses::SessionCreated{info}) << qint64(-1) << u"sessionCreated"_s
        << (R"({"method":"sessionCreated","params":{"session_id":")" + id + R"(","rpc_endpoint":"/backtest/)" + id
            + R"(","task_id":null}})")
        << (R"({"method":"sessionCreated","params":{"sessionId":")" + id + R"(","rpcEndpoint":"/backtest/)" + id
            + R"("}})");
    QTest::addRow("sessionCreated with task and seqId")
        << ControlResponse(Responses::SessionCreated{{u"b"_s, u"/backtest/b"_s, u"task-7"_s}}) << qint64(1)
        << u"sessionCreated"_s
        << QByteArray(R"({"seqId":1,"method":"sessionCreated","params":{"session_id":"b","rpc_endpoint":"/backtest/b","task_id":"task-7"}})")
        << QByteArray(R"({"params":{"taskId":"task-7","rpcEndpoint":"/backtest/b","sessionId":"b","x":[]},"seq_id":1,"method":"sessionCreated"})");
    {
        // PROTOCOL-0.31.md §4.1 example (0.31 simple-form id, session_name).
        SessionInfo named{u"backtest_0199d2c45b7e7a319c1e2f4b8d6a1c00"_s,
                          u"/backtest/backtest_0199d2c45b7e7a319c1e2f4b8d6a1c00"_s, std::nullopt};
        named.sessionName = u"sol-usdc-baseline"_s;
        QTest::addRow("sessionCreated with session_name (0.31)")
            << ControlResponse(Responses::SessionCreated{named}) << qint64(-1) << u"sessionCreated"_s
            << QByteArray(R"({"method":"sessionCreated","params":{"session_id":"backtest_0199d2c45b7e7a319c1e2f4b8d6a1c00",)"
                          R"("rpc_endpoint":"/backtest/backtest_0199d2c45b7e7a319c1e2f4b8d6a1c00","task_id":null,)"
                          R"("session_name":"sol-usdc-baseline"}})")
            << QByteArray(R"({"method":"sessionCreated","params":{"sessionId":"backtest_0199d2c45b7e7a319c1e2f4b8d6a1c00",)"
                          R"("rpcEndpoint":"/backtest/backtest_0199d2c45b7e7a319c1e2f4b8d6a1c00","sessionName":"sol-usdc-baseline"}})");
        QTest::addRow("sessionAttached with session_name null")
            << ControlResponse(Responses::SessionAttached{info}) << qint64(-1) << u"sessionAttached"_s
            << (R"({"method":"sessionAttached","params":{"session_id":")" + id + R"(","rpc_endpoint":"/backtest/)" + id
                + R"(","task_id":null}})")
            << (R"({"method":"sessionAttached","params":{"session_id":")" + id + R"(","rpc_endpoint":"/backtest/)" + id
                + R"(","task_id":null,"session_name":null}})");
    }
    QTest::addRow("sessionAttached")
        << ControlResponse(Responses::SessionAttached{info}) << qint64(-1) << u"sessionAttached"_s
        << (R"({"method":"sessionAttached","params":{"session_id":")" + id + R"(","rpc_endpoint":"/backtest/)" + id
            + R"(","task_id":null}})")
        << (R"({"method":"sessionAttached","params":{"session_id":")" + id + R"(","rpcEndpoint":"/backtest/)" + id
            + R"(","taskId":null}})");
    {
        Responses::SessionsCreatedV2 r;
        r.controlSessionId = u"parallel_ff"_s;
        r.sessionIds = QStringList{u"backtest_a1"_s, u"backtest_a2"_s};
        r.taskIds = {std::nullopt, u"task-7"_s};
        r.startSlots = QList<quint64>{400000000, 400050000};
        r.endSlots = QList<quint64>{400049999, 400099999};
        QTest::addRow("sessionsCreatedV2")
            << ControlResponse(r) << qint64(-1) << u"sessionsCreatedV2"_s
            << QByteArray(R"({"method":"sessionsCreatedV2","params":{"control_session_id":"parallel_ff",)"
                          R"("session_ids":["backtest_a1","backtest_a2"],"task_ids":[null,"task-7"],)"
                          R"("start_slots":[400000000,400050000],"end_slots":[400049999,400099999]}})")
            << QByteArray(R"({"method":"sessionsCreatedV2","params":{"controlSessionId":"parallel_ff",)"
                          R"("sessionIds":["backtest_a1","backtest_a2"],"taskIds":[null,"task-7"],)"
                          R"("startSlots":[400000000,400050000],"endSlots":[400049999,400099999]}})");
        Responses::SessionsCreatedV2 named = r;
        named.controlSessionId = u"parallel_0199d2c460007000800000000000ff00"_s;
        named.controlSessionName = u"sol-usdc-sweep"_s;
        QTest::addRow("sessionsCreatedV2 with control_session_name (0.31)")
            << ControlResponse(named) << qint64(-1) << u"sessionsCreatedV2"_s
            << QByteArray(R"({"method":"sessionsCreatedV2","params":{"control_session_id":"parallel_0199d2c460007000800000000000ff00",)"
                          R"("control_session_name":"sol-usdc-sweep","session_ids":["backtest_a1","backtest_a2"],)"
                          R"("task_ids":[null,"task-7"],"start_slots":[400000000,400050000],"end_slots":[400049999,400099999]}})")
            << QByteArray(R"({"method":"sessionsCreatedV2","params":{"controlSessionName":"sol-usdc-sweep",)"
                          R"("controlSessionId":"parallel_0199d2c460007000800000000000ff00",)"
                          R"("sessionIds":["backtest_a1","backtest_a2"],"taskIds":[null,"task-7"],)"
                          R"("startSlots":[400000000,400050000],"endSlots":[400049999,400099999]}})");
        Responses::SessionsCreatedV2 old = r;
        old.startSlots.reset();
        old.endSlots.reset();
        QTest::addRow("sessionsCreatedV2 from an old server (no slot ranges)")
            << ControlResponse(old) << qint64(-1) << u"sessionsCreatedV2"_s
            << QByteArray(R"({"method":"sessionsCreatedV2","params":{"control_session_id":"parallel_ff",)"
                          R"("session_ids":["backtest_a1","backtest_a2"],"task_ids":[null,"task-7"]}})")
            << QByteArray(R"({"method":"sessionsCreatedV2","params":{"control_session_id":"parallel_ff",)"
                          R"("control_session_name":null,"session_ids":["backtest_a1","backtest_a2"],)"
                          R"("task_ids":[null,"task-7"],"start_slots":null,"end_slots":null}})");
    }
    QTest::addRow("parallelSessionAttachedV2")
        << ControlResponse(Responses::ParallelSessionAttachedV2{u"parallel_ff"_s, {u"a"_s, u"b"_s}, {u"t"_s, std::nullopt}})
        << qint64(-1) << u"parallelSessionAttachedV2"_s
        << QByteArray(R"({"method":"parallelSessionAttachedV2","params":{"control_session_id":"parallel_ff",)"
                      R"("session_ids":["a","b"],"task_ids":["t",null]}})")
        << QByteArray(R"({"method":"parallelSessionAttachedV2","params":{"controlSessionId":"parallel_ff",)"
                      R"("sessionIds":["a","b"],"taskIds":["t",null]}})");
    QTest::addRow("readyForContinue")
        << ControlResponse(Responses::ReadyForContinue{}) << qint64(-1) << u"readyForContinue"_s
        << QByteArray(R"({"method":"readyForContinue"})") << QByteArray(R"({"method":"readyForContinue","params":null})");
    QTest::addRow("readyForContinue with seqId")
        << ControlResponse(Responses::ReadyForContinue{}) << qint64(9) << u"readyForContinue"_s
        << QByteArray(R"({"seqId":9,"method":"readyForContinue"})")
        << QByteArray(R"({"method":"readyForContinue","seqId":9})");
    // PROTOCOL-0.31.md §1 item 6: a seqId that is not a u64 fails the
    // SequencedResponse, and the bare response that is tried next ignores it.
    QTest::addRow("readyForContinue with a string seqId")
        << ControlResponse(Responses::ReadyForContinue{}) << qint64(-1) << u"readyForContinue"_s
        << QByteArray(R"({"method":"readyForContinue"})") << QByteArray(R"({"seqId":"2","method":"readyForContinue"})");
    QTest::addRow("success with a negative seqId")
        << ControlResponse(Responses::Success{}) << qint64(-1) << u"success"_s << QByteArray(R"({"method":"success"})")
        << QByteArray(R"({"seqId":-1,"method":"success"})");
    QTest::addRow("success with seqId null")
        << ControlResponse(Responses::Success{}) << qint64(-1) << u"success"_s << QByteArray(R"({"method":"success"})")
        << QByteArray(R"({"seqId":null,"method":"success"})");
    QTest::addRow("success")
        << ControlResponse(Responses::Success{}) << qint64(-1) << u"success"_s << QByteArray(R"({"method":"success"})")
        << QByteArray(R"({"method":"success","params":null,"somethingNew":true})");
    QTest::addRow("slotNotification")
        << ControlResponse(Responses::SlotNotification{1005}) << qint64(-1) << u"slotNotification"_s
        << QByteArray(R"({"method":"slotNotification","params":1005})")
        << QByteArray(R"({ "params" : 1005 , "method" : "slotNotification" })");
    QTest::addRow("slotNotification with seqId")
        << ControlResponse(Responses::SlotNotification{399834993}) << qint64(123) << u"slotNotification"_s
        << QByteArray(R"({"seqId":123,"method":"slotNotification","params":399834993})")
        << QByteArray(R"({"method":"slotNotification","params":399834993,"seq_id":123})");
    QTest::addRow("slotNotification beyond 2^53")
        << ControlResponse(Responses::SlotNotification{9007199254740993ULL}) << qint64(9007199254740995LL)
        << u"slotNotification"_s
        << QByteArray(R"({"seqId":9007199254740995,"method":"slotNotification","params":9007199254740993})")
        << QByteArray();
    QTest::addRow("paused at a batch")
        << ControlResponse(Responses::Paused{{1010, 3}}) << qint64(-1) << u"paused"_s
        << QByteArray(R"({"method":"paused","params":{"slot":1010,"batchIndex":3}})")
        << QByteArray(R"({"method":"paused","params":{"batch_index":3,"slot":1010}})");
    QTest::addRow("paused at the block boundary")
        << ControlResponse(Responses::Paused{{1010, std::nullopt}}) << qint64(-1) << u"paused"_s
        << QByteArray(R"({"method":"paused","params":{"slot":1010,"batchIndex":null}})")
        << QByteArray(R"({"method":"paused","params":{"slot":1010}})");
    QTest::addRow("discoveryBatch")
        << ControlResponse(Responses::DiscoveryBatch{sampleDiscovery()}) << qint64(-1) << u"discoveryBatch"_s
        << QByteArray(R"({"method":"discoveryBatch","params":{"slot":1010,"batchIndex":3,"matched":[)"
                      R"({"programExecuted":"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"}],)"
                      R"("transactions":[{"data":"AQAAAAAAAAA=","encoding":"base64"}],"transactionIndices":[57]}})")
        << QByteArray(R"({"method":"discoveryBatch","params":{"slot":1010,"batch_index":3,"matched":[)"
                      R"({"programExecuted":"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"}],)"
                      R"("transactions":["AQAAAAAAAAA="],"transaction_indices":[57]}})");
    {
        DiscoveryBatchEvent e = sampleDiscovery();
        DiscoveryFilter unknown{.raw = jsonValue(R"({"newKind":[1,2]})")};
        e.matched = {oracleFilter(), unknown};
        e.transactions.clear();
        e.transactionIndices.clear();
        QTest::addRow("discoveryBatch oracleUpdate and unknown filter, older session")
            << ControlResponse(Responses::DiscoveryBatch{e}) << qint64(-1) << u"discoveryBatch"_s
            << QByteArray(R"({"method":"discoveryBatch","params":{"slot":1010,"batchIndex":3,"matched":[)"
                          R"({"oracleUpdate":{"programs":["Prog1111"],"accounts":["AccA","AccB"]}},{"newKind":[1,2]}],)"
                          R"("transactions":[],"transactionIndices":[]}})")
            << QByteArray(R"({"method":"discoveryBatch","params":{"slot":1010,"batchIndex":3,"matched":[)"
                          R"({"OracleUpdate":{"programs":["Prog1111"],"accounts":["AccA","AccB"]}},{"newKind":[1,2]}]}})");
    }
    QTest::addRow("error invalidRequest")
        << ControlResponse(Responses::Error{BacktestError::invalidRequest(u"startSlot must be <= endSlot"_s)})
        << qint64(-1) << u"error"_s
        << QByteArray(R"({"method":"error","params":{"invalidRequest":{"error":"startSlot must be <= endSlot"}}})")
        << QByteArray(R"({"method":"error","params":{"InvalidRequest":{"error":"startSlot must be <= endSlot"}}})");
    QTest::addRow("error noMoreBlocks")
        << ControlResponse(Responses::Error{BacktestError::make(BacktestErrorKind::NoMoreBlocks)}) << qint64(4)
        << u"error"_s << QByteArray(R"({"seqId":4,"method":"error","params":"noMoreBlocks"})")
        << QByteArray(R"({"seqId":4,"method":"error","params":{"NoMoreBlocks":null}})");
    {
        SessionSummary s = sampleSummary();
        QTest::addRow("completed with summary")
            << ControlResponse(Responses::Completed{s}) << qint64(-1) << u"completed"_s
            << QByteArray(R"({"method":"completed","params":{"summary":{"correctSimulation":831,"incorrectSimulation":16,)"
                          R"("executionErrors":3,"balanceDiff":5,"logDiff":2,"unsanitizable":0,"rerouteStats":null}}})")
            << QByteArray(R"({"method":"completed","params":{"summary":{"correct_simulation":831,"incorrect_simulation":16,)"
                          R"("execution_errors":3,"balance_diff":5,"log_diff":2,"unsanitizable":0},"agent_stats":null}})");
        s.rerouteStats = jsonValue(R"({"quotes":12,"routes":[1,2]})");
        QTest::addRow("completed with reroute stats")
            << ControlResponse(Responses::Completed{s}) << qint64(-1) << u"completed"_s
            << QByteArray(R"({"method":"completed","params":{"summary":{"correctSimulation":831,"incorrectSimulation":16,)"
                          R"("executionErrors":3,"balanceDiff":5,"logDiff":2,"unsanitizable":0,)"
                          R"("rerouteStats":{"quotes":12,"routes":[1,2]}}}})")
            << QByteArray(R"({"method":"completed","params":{"summary":{"correctSimulation":831,"incorrectSimulation":16,)"
                          R"("executionErrors":3,"balanceDiff":5,"logDiff":2,"unsanitizable":0,)"
                          R"("reroute_stats":{"routes":[1,2],"quotes":12}}}})");
    }
    QTest::addRow("completed without summary")
        << ControlResponse(Responses::Completed{std::nullopt}) << qint64(-1) << u"completed"_s
        << QByteArray(R"({"method":"completed","params":{"summary":null}})") << QByteArray(R"({"method":"completed"})");
    QTest::addRow("status")
        << ControlResponse(Responses::Status{u"decodedTransactions"_s}) << qint64(123) << u"status"_s
        << QByteArray(R"({"seqId":123,"method":"status","params":{"status":"decodedTransactions"}})")
        << QByteArray(R"({"method":"status","params":{"status":"decodedTransactions"},"seqId":123})");
    QTest::addRow("status unknown value kept")
        << ControlResponse(Responses::Status{u"somethingNew"_s}) << qint64(-1) << u"status"_s
        << QByteArray(R"({"method":"status","params":{"status":"somethingNew"}})")
        << QByteArray(R"({"method":"status","params":"somethingNew"})");
    QTest::addRow("sessionEventV2")
        << ControlResponse(Responses::SessionEventV2{u"backtest_a1"_s, 17, Responses::SlotNotification{400000001}})
        << qint64(-1) << u"sessionEventV2"_s
        << QByteArray(R"({"method":"sessionEventV2","params":{"session_id":"backtest_a1","seq_id":17,)"
                      R"("event":{"method":"slotNotification","params":400000001}}})")
        << QByteArray(R"({"method":"sessionEventV2","params":{"sessionId":"backtest_a1","seqId":17,)"
                      R"("event":{"slotNotification":400000001}}})");
}

void tst_ControlCodec::responses()
{
    QFETCH(ControlResponse, response);
    QFETCH(qint64, seqId);
    QFETCH(QString, method);
    QFETCH(QByteArray, canonical);
    QFETCH(QByteArray, alternate);

    const std::optional<quint64> seq = seqId < 0 ? std::nullopt : std::optional<quint64>(quint64(seqId));
    QCOMPARE(encodeControlResponse(response, seq), canonical);
    QCOMPARE(methodName(response), method);

    for (const QByteArray &frame : {canonical, alternate}) {
        if (frame.isEmpty())
            continue;
        const Result<ControlFrame> decoded = decodeControlResponse(frame);
        QVERIFY2(decoded.ok(), qPrintable(decoded.ok() ? QString() : decoded.error().message));
        QCOMPARE(decoded->seqId, seq);
        QCOMPARE(encodeControlResponse(decoded->response, decoded->seqId), canonical);
        QVERIFY2(decoded->response == response, frame.constData());
    }
}

void tst_ControlCodec::sessionEvents_data()
{
    QTest::addColumn<SessionEventKind>("event");
    QTest::addColumn<QByteArray>("canonicalEvent");
    QTest::addColumn<QByteArrayList>("otherShapes");

    QTest::addRow("readyForContinue")
        << SessionEventKind(Responses::ReadyForContinue{}) << QByteArray(R"({"method":"readyForContinue"})")
        << QByteArrayList{R"("readyForContinue")", R"({"readyForContinue":null})",
                          R"({"method":"readyForContinue","params":null})", R"("ReadyForContinue")"};
    QTest::addRow("slotNotification")
        << SessionEventKind(Responses::SlotNotification{400000001})
        << QByteArray(R"({"method":"slotNotification","params":400000001})")
        << QByteArrayList{R"({"slotNotification":400000001})", R"({"SlotNotification":400000001})"};
    QTest::addRow("paused")
        << SessionEventKind(Responses::Paused{{1010, 3}}) << QByteArray(R"({"method":"paused","params":{"slot":1010,"batchIndex":3}})")
        << QByteArrayList{R"({"paused":{"slot":1010,"batch_index":3}})"};
    QTest::addRow("discoveryBatch")
        << SessionEventKind(Responses::DiscoveryBatch{sampleDiscovery()})
        << QByteArray(R"({"method":"discoveryBatch","params":{"slot":1010,"batchIndex":3,"matched":[)"
                      R"({"programExecuted":"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"}],)"
                      R"("transactions":[{"data":"AQAAAAAAAAA=","encoding":"base64"}],"transactionIndices":[57]}})")
        << QByteArrayList{R"({"discoveryBatch":{"slot":1010,"batchIndex":3,"matched":[)"
                          R"({"programExecuted":"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"}],)"
                          R"("transactions":["AQAAAAAAAAA="],"transactionIndices":[57]}})"};
    QTest::addRow("error")
        << SessionEventKind(Responses::Error{BacktestError::make(BacktestErrorKind::SimulationError,
                                                                 QJsonObject{{u"error"_s, u"tx 4 failed"_s}})})
        << QByteArray(R"({"method":"error","params":{"simulationError":{"error":"tx 4 failed"}}})")
        << QByteArrayList{R"({"error":{"simulationError":{"error":"tx 4 failed"}}})",
                          R"({"Error":{"SimulationError":{"error":"tx 4 failed"}}})"};
    QTest::addRow("error, unit variant")
        << SessionEventKind(Responses::Error{BacktestError::make(BacktestErrorKind::NoMoreBlocks)})
        << QByteArray(R"({"method":"error","params":"noMoreBlocks"})")
        << QByteArrayList{R"({"error":"noMoreBlocks"})"};
    QTest::addRow("success")
        << SessionEventKind(Responses::Success{}) << QByteArray(R"({"method":"success"})")
        << QByteArrayList{R"("success")", R"({"success":null})"};
    QTest::addRow("completed")
        << SessionEventKind(Responses::Completed{sampleSummary()})
        << QByteArray(R"({"method":"completed","params":{"summary":{"correctSimulation":831,"incorrectSimulation":16,)"
                      R"("executionErrors":3,"balanceDiff":5,"logDiff":2,"unsanitizable":0,"rerouteStats":null}}})")
        << QByteArrayList{R"({"completed":{"summary":{"correctSimulation":831,"incorrectSimulation":16,)"
                          R"("executionErrors":3,"balanceDiff":5,"logDiff":2,"unsanitizable":0}}})"};
    QTest::addRow("completed without summary")
        << SessionEventKind(Responses::Completed{std::nullopt})
        << QByteArray(R"({"method":"completed","params":{"summary":null}})")
        << QByteArrayList{R"("completed")", R"({"completed":{"summary":null}})"};
    QTest::addRow("status")
        << SessionEventKind(Responses::Status{u"executingBlockTransactions"_s})
        << QByteArray(R"({"method":"status","params":{"status":"executingBlockTransactions"}})")
        << QByteArrayList{R"({"status":{"status":"executingBlockTransactions"}})"};
}

void tst_ControlCodec::sessionEvents()
{
    QFETCH(SessionEventKind, event);
    QFETCH(QByteArray, canonicalEvent);
    QFETCH(QByteArrayList, otherShapes);

    const Responses::SessionEventV2 expected{u"backtest_a1"_s, 17, event};
    const QByteArray canonical =
        R"({"method":"sessionEventV2","params":{"session_id":"backtest_a1","seq_id":17,"event":)" + canonicalEvent + "}}";
    QCOMPARE(encodeControlResponse(expected), canonical);

    QByteArrayList frames{canonical};
    for (const QByteArray &shape : otherShapes) {
        frames << R"({"method":"sessionEventV2","params":{"session_id":"backtest_a1","seq_id":17,"event":)" + shape + "}}";
        frames << R"({"params":{"event":)" + shape + R"(,"seqId":17,"sessionId":"backtest_a1"},"method":"sessionEventV2"})";
    }
    for (const QByteArray &frame : frames) {
        const Result<ControlFrame> decoded = decodeControlResponse(frame);
        QVERIFY2(decoded.ok(), qPrintable(decoded.ok() ? QString() : decoded.error().message + u" in "_s + QString::fromUtf8(frame)));
        QVERIFY(!decoded->seqId.has_value());
        QVERIFY(std::holds_alternative<Responses::SessionEventV2>(decoded->response));
        const auto &got = std::get<Responses::SessionEventV2>(decoded->response);
        QCOMPARE(got.sessionId, u"backtest_a1"_s);
        QCOMPARE(got.seqId, quint64(17));
        QCOMPARE(methodName(got.event), methodName(event));
        QCOMPARE(encodeControlResponse(decoded->response), canonical);
        QVERIFY2(got == expected, frame.constData());
    }
}

void tst_ControlCodec::malformedResponses_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QString>("messageContains");

    QTest::addRow("empty") << QByteArray() << u"empty frame"_s;
    QTest::addRow("not JSON") << QByteArray("<html>") << u"not valid JSON"_s;
    QTest::addRow("array") << QByteArray(R"([{"method":"success"}])") << u"not a JSON object"_s;
    QTest::addRow("number") << QByteArray("1005") << QString();
    QTest::addRow("null") << QByteArray("null") << QString();
    QTest::addRow("missing method") << QByteArray(R"({"params":1005})") << u"no \"method\""_s;
    QTest::addRow("method null") << QByteArray(R"({"method":null})") << u"no \"method\""_s;
    QTest::addRow("method number") << QByteArray(R"({"method":1})") << u"must be a string"_s;
    QTest::addRow("unknown method") << QByteArray(R"({"method":"sessionsCreated","params":{"session_ids":[]}})")
                                    << u"unknown method \"sessionsCreated\""_s;
    QTest::addRow("request method is not a response") << QByteArray(R"({"method":"closeBacktestSession"})")
                                                      << u"unknown method \"closeBacktestSession\""_s;
    QTest::addRow("truncated") << QByteArray(R"({"method":"slotNotification","params":10)") << u"not valid JSON"_s;
    QTest::addRow("slotNotification without params") << QByteArray(R"({"method":"slotNotification"})")
                                                     << u"missing params"_s;
    QTest::addRow("slotNotification string") << QByteArray(R"({"method":"slotNotification","params":"abc"})")
                                             << u"non-negative integer"_s;
    QTest::addRow("slotNotification negative") << QByteArray(R"({"method":"slotNotification","params":-5})")
                                               << u"non-negative integer"_s;
    QTest::addRow("paused params array") << QByteArray(R"({"method":"paused","params":[]})") << u"must be an object"_s;
    QTest::addRow("paused missing slot") << QByteArray(R"({"method":"paused","params":{"batchIndex":1}})") << u"slot"_s;
    QTest::addRow("sessionCreated id number")
        << QByteArray(R"({"method":"sessionCreated","params":{"session_id":1,"rpc_endpoint":"/x"}})") << u"session_id"_s;
    QTest::addRow("sessionCreated empty params") << QByteArray(R"({"method":"sessionCreated","params":{}})")
                                                 << u"session_id"_s;
    QTest::addRow("sessionCreated task_id number")
        << QByteArray(R"({"method":"sessionCreated","params":{"session_id":"b","rpc_endpoint":"/x","task_id":3}})")
        << u"task_id"_s;
    QTest::addRow("sessionsCreatedV2 bad start_slots")
        << QByteArray(R"({"method":"sessionsCreatedV2","params":{"control_session_id":"p","session_ids":[],"start_slots":["a"]}})")
        << u"start_slots"_s;
    QTest::addRow("sessionsCreatedV2 task_ids not array")
        << QByteArray(R"({"method":"sessionsCreatedV2","params":{"control_session_id":"p","session_ids":[],"task_ids":5}})")
        << u"task_ids"_s;
    QTest::addRow("discoveryBatch missing batchIndex")
        << QByteArray(R"({"method":"discoveryBatch","params":{"slot":5,"matched":[]}})") << u"batchIndex"_s;
    QTest::addRow("discoveryBatch index beyond u32")
        << QByteArray(R"({"method":"discoveryBatch","params":{"slot":5,"batchIndex":1,"transactionIndices":[4294967296]}})")
        << u"transactionIndices"_s;
    QTest::addRow("completed summary number") << QByteArray(R"({"method":"completed","params":{"summary":5}})")
                                              << u"summary"_s;
    QTest::addRow("status without status") << QByteArray(R"({"method":"status","params":{}})") << u"status"_s;
    QTest::addRow("sessionEventV2 missing event")
        << QByteArray(R"({"method":"sessionEventV2","params":{"session_id":"a","seq_id":1}})") << u"event"_s;
    QTest::addRow("sessionEventV2 missing seq_id")
        << QByteArray(R"({"method":"sessionEventV2","params":{"session_id":"a","event":"success"}})") << u"seq_id"_s;
    QTest::addRow("sessionEventV2 event number")
        << QByteArray(R"({"method":"sessionEventV2","params":{"session_id":"a","seq_id":1,"event":42}})") << u"event"_s;
    QTest::addRow("sessionEventV2 event with two keys")
        << QByteArray(R"({"method":"sessionEventV2","params":{"session_id":"a","seq_id":1,"event":{"a":1,"b":2}}})")
        << u"event"_s;
    QTest::addRow("sessionEventV2 unknown event")
        << QByteArray(R"({"method":"sessionEventV2","params":{"session_id":"a","seq_id":1,"event":"fooBar"}})")
        << u"unknown method \"fooBar\""_s;
    QTest::addRow("sessionEventV2 event not a session event")
        << QByteArray(R"({"method":"sessionEventV2","params":{"session_id":"a","seq_id":1,)"
                      R"("event":{"method":"sessionCreated","params":{"session_id":"b","rpc_endpoint":"/b"}}}})")
        << u"not a session event"_s;
    QTest::addRow("sessionEventV2 nested")
        << QByteArray(R"({"method":"sessionEventV2","params":{"session_id":"a","seq_id":1,"event":{"sessionEventV2":)"
                      R"({"session_id":"a","seq_id":2,"event":"success"}}}})")
        << u"nested"_s;
    QTest::addRow("sessionEventV2 slotNotification without slot")
        << QByteArray(R"({"method":"sessionEventV2","params":{"session_id":"a","seq_id":1,"event":"slotNotification"}})")
        << u"missing params"_s;
}

void tst_ControlCodec::malformedResponses()
{
    QFETCH(QByteArray, frame);
    QFETCH(QString, messageContains);

    const Result<ControlFrame> decoded = decodeControlResponse(frame);
    QVERIFY2(!decoded.ok(), frameText(frame).constData());
    QVERIFY(!decoded.error().message.isEmpty());
    if (!messageContains.isEmpty())
        QVERIFY2(decoded.error().message.contains(messageContains), qPrintable(decoded.error().message));
    if (messageContains.startsWith(u"unknown method"_s) && !frame.contains("sessionEventV2"))
        QVERIFY(decoded.error().message.startsWith(u"unknown method"_s));
}

void tst_ControlCodec::truncatedFramesNeverDecode()
{
    // Every proper prefix of an object is invalid JSON: each must be an error value.
    const QList<QByteArray> frames = {
        encodeControlResponse(Responses::DiscoveryBatch{sampleDiscovery()}, 77),
        encodeControlResponse(Responses::SessionEventV2{u"a"_s, 3, Responses::Completed{sampleSummary()}}),
        encodeControlResponse(Responses::Error{BacktestError::bundleNotFound(5, 4)}),
    };
    int checked = 0;
    for (const QByteArray &frame : frames) {
        QVERIFY(decodeControlResponse(frame).ok());
        for (qsizetype n = 0; n < frame.size(); ++n) {
            const Result<ControlFrame> r = decodeControlResponse(QByteArrayView(frame).first(n));
            QVERIFY2(!r.ok(), frame.first(n).constData());
            ++checked;
        }
    }
    const QByteArray request = encodeControlRequest(Requests::Continue{});
    for (qsizetype n = 0; n < request.size(); ++n)
        QVERIFY(!decodeControlRequest(QByteArrayView(request).first(n)).ok());
    QVERIFY(checked > 300);
}

// ---------------------------------------------------------------------------
// BacktestError (PROTOCOL.md §4.11)

void tst_ControlCodec::backtestErrors_data()
{
    QTest::addColumn<BacktestErrorKind>("kind");
    QTest::addColumn<QByteArray>("params");      // canonical wire form
    QTest::addColumn<QByteArray>("alternate");   // PascalCase variant / camelCase fields
    QTest::addColumn<QString>("message");
    QTest::addColumn<bool>("terminal");

    using K = BacktestErrorKind;
    QTest::addRow("invalidTransactionEncoding")
        << K::InvalidTransactionEncoding << QByteArray(R"({"invalidTransactionEncoding":{"index":2,"error":"bad base64"}})")
        << QByteArray(R"({"InvalidTransactionEncoding":{"error":"bad base64","index":2}})")
        << u"invalid transaction encoding (transaction 2): bad base64"_s << false;
    QTest::addRow("invalidTransactionFormat")
        << K::InvalidTransactionFormat << QByteArray(R"({"invalidTransactionFormat":{"index":0,"error":"too short"}})")
        << QByteArray(R"({"invalid_transaction_format":{"index":0,"error":"too short"}})")
        << u"invalid transaction format (transaction 0): too short"_s << false;
    QTest::addRow("invalidAccountEncoding")
        << K::InvalidAccountEncoding
        << QByteArray(R"({"invalidAccountEncoding":{"address":"Addr1","encoding":"base64","error":"bad padding"}})")
        << QByteArray(R"({"InvalidAccountEncoding":{"address":"Addr1","encoding":"base64","error":"bad padding"}})")
        << u"invalid account encoding for Addr1 (base64): bad padding"_s << false;
    QTest::addRow("invalidAccountOwner")
        << K::InvalidAccountOwner << QByteArray(R"({"invalidAccountOwner":{"address":"Addr1","error":"not base58"}})")
        << QByteArray(R"({"InvalidAccountOwner":{"address":"Addr1","error":"not base58"}})")
        << u"invalid account owner for Addr1: not base58"_s << false;
    QTest::addRow("invalidAccountPubkey")
        << K::InvalidAccountPubkey << QByteArray(R"({"invalidAccountPubkey":{"address":"xyz","error":"wrong size"}})")
        << QByteArray(R"({"INVALIDACCOUNTPUBKEY":{"address":"xyz","error":"wrong size"}})")
        << u"invalid account pubkey xyz: wrong size"_s << false;
    QTest::addRow("noMoreBlocks")
        << K::NoMoreBlocks << QByteArray(R"("noMoreBlocks")") << QByteArray(R"("NoMoreBlocks")")
        << u"no more blocks"_s << true;
    QTest::addRow("bundleNotFound")
        << K::BundleNotFound << QByteArray(R"({"bundleNotFound":{"start_slot":5,"end_slot":4}})")
        << QByteArray(R"({"BundleNotFound":{"startSlot":5,"endSlot":4}})") << u"bundle not found for slots 5..4"_s
        << false;
    QTest::addRow("advanceSlotFailed")
        << K::AdvanceSlotFailed << QByteArray(R"({"advanceSlotFailed":{"slot":1005,"error":"bank frozen"}})")
        << QByteArray(R"({"AdvanceSlotFailed":{"slot":1005,"error":"bank frozen"}})")
        << u"advancing slot 1005 failed: bank frozen"_s << true;
    QTest::addRow("finalizeSlotFailed")
        << K::FinalizeSlotFailed << QByteArray(R"({"finalizeSlotFailed":{"slot":1006,"error":"hash mismatch"}})")
        << QByteArray(R"({"FinalizeSlotFailed":{"slot":1006,"error":"hash mismatch"}})")
        << u"finalizing slot 1006 failed: hash mismatch"_s << true;
    QTest::addRow("invalidRequest")
        << K::InvalidRequest << QByteArray(R"({"invalidRequest":{"error":"startSlot must be <= endSlot"}})")
        << QByteArray(R"({"InvalidRequest":{"error":"startSlot must be <= endSlot"}})")
        << u"invalid request: startSlot must be <= endSlot"_s << false;
    QTest::addRow("internal")
        << K::Internal << QByteArray(R"({"internal":{"error":"db down"}})")
        << QByteArray(R"({"Internal":"db down"})") << u"internal server error: db down"_s << true;
    QTest::addRow("invalidBlockhashFormat")
        << K::InvalidBlockhashFormat << QByteArray(R"({"invalidBlockhashFormat":{"slot":7,"error":"not base58"}})")
        << QByteArray(R"({"InvalidBlockhashFormat":{"slot":7,"error":"not base58"}})")
        << u"invalid blockhash format at slot 7: not base58"_s << false;
    QTest::addRow("initializingSysvarsFailed")
        << K::InitializingSysvarsFailed
        << QByteArray(R"({"initializingSysvarsFailed":{"slot":8,"error":"clock missing"}})")
        << QByteArray(R"({"InitializingSysvarsFailed":{"slot":8,"error":"clock missing"}})")
        << u"initializing sysvars failed at slot 8: clock missing"_s << false;
    QTest::addRow("clerkError")
        << K::ClerkError << QByteArray(R"({"clerkError":{"error":"queue full"}})")
        << QByteArray(R"({"ClerkError":{"error":"queue full"}})") << u"clerk error: queue full"_s << false;
    QTest::addRow("simulationError")
        << K::SimulationError << QByteArray(R"({"simulationError":{"error":"tx 4 failed"}})")
        << QByteArray(R"({"SimulationError":{"error":"tx 4 failed"}})") << u"simulation error: tx 4 failed"_s << false;
    QTest::addRow("sessionNotFound")
        << K::SessionNotFound << QByteArray(R"({"sessionNotFound":{"session_id":"backtest_0199"}})")
        << QByteArray(R"({"SessionNotFound":{"sessionId":"backtest_0199"}})")
        << u"session not found: backtest_0199"_s << false;
    QTest::addRow("sessionOwnerMismatch")
        << K::SessionOwnerMismatch << QByteArray(R"("sessionOwnerMismatch")")
        << QByteArray(R"({"SessionOwnerMismatch":{}})")
        << u"session owner mismatch (the session belongs to another API key)"_s << false;
    QTest::addRow("sessionOwnershipBusy")
        << K::SessionOwnershipBusy << QByteArray(R"({"sessionOwnershipBusy":{"reason":"attached elsewhere"}})")
        << QByteArray(R"({"SessionOwnershipBusy":{"reason":"attached elsewhere"}})")
        << u"session ownership busy: attached elsewhere"_s << false;
    QTest::addRow("noProducedBlocksInRange")
        << K::NoProducedBlocksInRange << QByteArray(R"({"noProducedBlocksInRange":{"start_slot":10,"end_slot":20}})")
        << QByteArray(R"({"NoProducedBlocksInRange":{"startSlot":10,"endSlot":20}})")
        << u"no produced blocks in slots 10..20"_s << false;
    QTest::addRow("sessionNameTaken")
        << K::SessionNameTaken << QByteArray(R"({"sessionNameTaken":{"session_name":"nightly"}})")
        << QByteArray(R"({"SessionNameTaken":{"sessionName":"nightly"}})") << u"session name taken: nightly"_s
        << false;
}

void tst_ControlCodec::backtestErrors()
{
    QFETCH(BacktestErrorKind, kind);
    QFETCH(QByteArray, params);
    QFETCH(QByteArray, alternate);
    QFETCH(QString, message);
    QFETCH(bool, terminal);

    const QByteArray canonicalFrame = R"({"method":"error","params":)" + params + '}';
    for (const QByteArray &form : {params, alternate}) {
        const QByteArray frame = R"({"method":"error","params":)" + form + '}';
        const Result<ControlFrame> decoded = decodeControlResponse(frame);
        QVERIFY2(decoded.ok(), qPrintable(decoded.ok() ? QString() : decoded.error().message));
        QVERIFY(std::holds_alternative<Responses::Error>(decoded->response));
        const BacktestError &error = std::get<Responses::Error>(decoded->response).error;
        QCOMPARE(error.kind, kind);
        QCOMPARE(error.message(), message);
        QCOMPARE(error.isTerminal(), terminal);
        QCOMPARE(error.raw, jsonValue(form));
        QCOMPARE(SlotScope::describe(decoded->response), u"error: "_s + message);
        // Re-encoded strictly: camelCase variant, snake_case inline fields.
        QCOMPARE(encodeControlResponse(decoded->response), canonicalFrame);
    }

    const BacktestError canonical = BacktestError::fromJson(jsonValue(params));
    QCOMPARE(canonical.toJson(), jsonValue(params));
    QCOMPARE(BacktestError::variantName(kind), canonical.variant);
    const BacktestError built = BacktestError::make(kind, canonical.fields);
    QCOMPARE(encodeControlResponse(Responses::Error{built}), canonicalFrame);
    QCOMPARE(built.message(), message);

    // A bare string names any variant; fields are then missing, the message still reads.
    const BacktestError bare = BacktestError::fromJson(QJsonValue(canonical.variant));
    QCOMPARE(bare.kind, kind);
    QVERIFY(!bare.message().isEmpty());
    QVERIFY(!bare.message().contains(u'\n'));
}

void tst_ControlCodec::backtestErrorOtherShapes_data()
{
    QTest::addColumn<QByteArray>("params");
    QTest::addColumn<QString>("variant");
    QTest::addColumn<QString>("messageContains");

    QTest::addRow("unknown variant object") << QByteArray(R"({"mysteryFailure":{"code":7}})") << u"mysteryFailure"_s
                                            << u"mysteryFailure"_s;
    QTest::addRow("unknown variant string") << QByteArray(R"("brandNewError")") << u"brandNewError"_s
                                            << u"brandNewError"_s;
    QTest::addRow("number") << QByteArray("42") << QString() << u"42"_s;
    QTest::addRow("array") << QByteArray(R"(["a","b"])") << QString() << u"[\"a\",\"b\"]"_s;
    QTest::addRow("object with two keys") << QByteArray(R"({"a":1,"b":2})") << QString() << u"unrecognised"_s;
    QTest::addRow("null") << QByteArray("null") << QString() << u"unrecognised"_s;
}

void tst_ControlCodec::backtestErrorOtherShapes()
{
    QFETCH(QByteArray, params);
    QFETCH(QString, variant);
    QFETCH(QString, messageContains);

    const QByteArray frame = R"({"method":"error","params":)" + params + '}';
    const Result<ControlFrame> decoded = decodeControlResponse(frame);
    QVERIFY2(decoded.ok(), qPrintable(decoded.ok() ? QString() : decoded.error().message));
    const BacktestError &error = std::get<Responses::Error>(decoded->response).error;
    QCOMPARE(error.kind, BacktestErrorKind::Unknown);
    QCOMPARE(error.variant, variant);
    QCOMPARE(error.raw, jsonValue(params));
    QVERIFY(!error.isTerminal());
    QVERIFY2(error.message().contains(messageContains), qPrintable(error.message()));
    // Unknown shapes are re-encoded verbatim.
    QCOMPARE(encodeControlResponse(decoded->response), frame);
}

void tst_ControlCodec::backtestErrorBuilders()
{
    QCOMPARE(BacktestError::bundleNotFound(5, 4).message(), u"bundle not found for slots 5..4"_s);
    QCOMPARE(BacktestError::sessionNotFound(kSession).message(), u"session not found: "_s + kSession);
    QCOMPARE(BacktestError::sessionOwnershipBusy(u"in use"_s).message(), u"session ownership busy: in use"_s);
    QCOMPARE(BacktestError::invalidRequest(u"startSlot must be <= endSlot"_s).message(),
             u"invalid request: startSlot must be <= endSlot"_s);
    QCOMPARE(encodeControlResponse(Responses::Error{BacktestError::bundleNotFound(5, 4)}),
             QByteArray(R"({"method":"error","params":{"bundleNotFound":{"start_slot":5,"end_slot":4}}})"));
    QCOMPARE(encodeControlResponse(Responses::Error{BacktestError::sessionNotFound(u"b"_s)}),
             QByteArray(R"({"method":"error","params":{"sessionNotFound":{"session_id":"b"}}})"));
    QCOMPARE(encodeControlResponse(Responses::Error{BacktestError::sessionOwnershipBusy(u"x"_s)}),
             QByteArray(R"({"method":"error","params":{"sessionOwnershipBusy":{"reason":"x"}}})"));
    QCOMPARE(BacktestError::make(BacktestErrorKind::SessionOwnerMismatch).toJson(),
             QJsonValue(u"sessionOwnerMismatch"_s));

    // A multi-line server text stays on one line.
    const BacktestError multiLine = BacktestError::make(BacktestErrorKind::Internal, QJsonObject{{u"error"_s, u"a\nb\r\nc"_s}});
    QVERIFY(!multiLine.message().contains(u'\n'));
    QVERIFY(!multiLine.message().contains(u'\r'));
    QVERIFY(multiLine.message().startsWith(u"internal server error: a b"_s));

    // Extra inline fields survive a re-encode, after the declared ones.
    const BacktestError extra = BacktestError::fromJson(jsonValue(R"({"invalidRequest":{"hint":"x","error":"e"}})"));
    QCOMPARE(encodeControlResponse(Responses::Error{extra}),
             QByteArray(R"({"method":"error","params":{"invalidRequest":{"error":"e","hint":"x"}}})"));
}

// ---------------------------------------------------------------------------
// status (PROTOCOL-0.31.md §4.5)

Q_DECLARE_METATYPE(SlotScope::BacktestStatus)

void tst_ControlCodec::statuses_data()
{
    QTest::addColumn<QString>("wire");
    QTest::addColumn<BacktestStatus>("kind");
    QTest::addColumn<QString>("text");

    using S = BacktestStatus;
    QTest::addRow("startingRuntime") << u"startingRuntime"_s << S::StartingRuntime << u"starting runtime"_s;
    QTest::addRow("decodedTransactions") << u"decodedTransactions"_s << S::DecodedTransactions
                                         << u"decoded transactions"_s;
    QTest::addRow("appliedAccountModifications") << u"appliedAccountModifications"_s
                                                 << S::AppliedAccountModifications << u"applied account modifications"_s;
    QTest::addRow("readyToExecuteUserTransactions") << u"readyToExecuteUserTransactions"_s
                                                    << S::ReadyToExecuteUserTransactions
                                                    << u"ready to execute user transactions"_s;
    QTest::addRow("executedUserTransactions") << u"executedUserTransactions"_s << S::ExecutedUserTransactions
                                              << u"executed user transactions"_s;
    QTest::addRow("executingBlockTransactions") << u"executingBlockTransactions"_s << S::ExecutingBlockTransactions
                                                << u"executing block transactions"_s;
    QTest::addRow("executedBlockTransactions") << u"executedBlockTransactions"_s << S::ExecutedBlockTransactions
                                               << u"executed block transactions"_s;
    QTest::addRow("programAccountsLoaded") << u"programAccountsLoaded"_s << S::ProgramAccountsLoaded
                                           << u"program accounts loaded"_s;
    QTest::addRow("preparingBundle (pre-0.29)") << u"preparingBundle"_s << S::PreparingBundle << u"preparing bundle"_s;
    QTest::addRow("bundleReady (pre-0.29)") << u"bundleReady"_s << S::BundleReady << u"bundle ready"_s;
    QTest::addRow("PascalCase") << u"StartingRuntime"_s << S::StartingRuntime << u"starting runtime"_s;
    QTest::addRow("snake_case") << u"starting_runtime"_s << S::StartingRuntime << u"starting runtime"_s;
    QTest::addRow("unknown value") << u"warmingCaches"_s << S::Unknown << u"warming caches"_s;
    QTest::addRow("empty") << QString() << S::Unknown << QString();
}

void tst_ControlCodec::statuses()
{
    QFETCH(QString, wire);
    QFETCH(BacktestStatus, kind);
    QFETCH(QString, text);

    QCOMPARE(backtestStatus(wire), kind);
    QCOMPARE(backtestStatusText(wire), text);
    QByteArray frame = R"({"method":"status","params":{"status":")" + wire.toUtf8() + R"("}})";
    const Result<ControlFrame> decoded = decodeControlResponse(frame);
    QVERIFY2(decoded.ok(), qPrintable(decoded.ok() ? QString() : decoded.error().message));
    const auto &status = std::get<Responses::Status>(decoded->response);
    QCOMPARE(status.status, wire); // kept as received
    QCOMPARE(status.kind(), kind);
}

// ---------------------------------------------------------------------------

void tst_ControlCodec::u64Precision()
{
    // Qt keeps JSON integers below 2^63 exact (qint64), and we write u64 as text.
    const quint64 big = 9007199254740993ULL; // 2^53 + 1: not representable as a double
    QCOMPARE(encodeControlRequest(Requests::ContinueTo{{big, std::nullopt}}),
             QByteArray(R"({"method":"continueTo","params":{"slot":9007199254740993}})"));
    const auto request = decodeControlRequest(R"({"method":"continueTo","params":{"slot":9007199254740993}})");
    QVERIFY(request.ok());
    QCOMPARE(std::get<Requests::ContinueTo>(*request).params.slot, big);

    const auto maxI64 = decodeControlResponse(R"({"seqId":9223372036854775807,"method":"slotNotification","params":9223372036854775807})");
    QVERIFY(maxI64.ok());
    QCOMPARE(*maxI64->seqId, quint64(9223372036854775807ULL));
    QCOMPARE(std::get<Responses::SlotNotification>(maxI64->response).slot, quint64(9223372036854775807ULL));

    QCOMPARE(encodeControlResponse(Responses::SlotNotification{std::numeric_limits<quint64>::max()}),
             QByteArray(R"({"method":"slotNotification","params":18446744073709551615})"));

    Requests::AttachParallelControlSessionV2 attach{u"p"_s, {{u"a"_s, big}}};
    const QByteArray text = encodeControlRequest(attach);
    QVERIFY(text.contains("\"a\":9007199254740993"));
    const auto back = decodeControlRequest(text);
    QVERIFY(back.ok());
    QCOMPARE(std::get<Requests::AttachParallelControlSessionV2>(*back).lastSequences.value(u"a"_s), big);

    // Pass-through JSON (account modifications, error fields) goes through
    // QJsonDocument, which must also keep qint64 exact.
    const QByteArray modify = R"({"method":"continue","params":{"advanceCount":1,"transactions":[],)"
                              R"("modifyAccountStates":{"A":{"lamports":9007199254740993}}}})";
    const auto continueRequest = decodeControlRequest(modify);
    QVERIFY(continueRequest.ok());
    QCOMPARE(encodeControlRequest(*continueRequest), modify);
    const QByteArray bundle = R"({"method":"error","params":{"bundleNotFound":{"start_slot":9007199254740993,"end_slot":9007199254740995}}})";
    const auto bundleError = decodeControlResponse(bundle);
    QVERIFY(bundleError.ok());
    QCOMPARE(encodeControlResponse(bundleError->response), bundle);
    QCOMPARE(std::get<Responses::Error>(bundleError->response).error.message(),
             u"bundle not found for slots 9007199254740993..9007199254740995"_s);

    SessionSummary summary{.correctSimulation = big};
    const auto completed = decodeControlResponse(encodeControlResponse(Responses::Completed{summary}));
    QVERIFY(completed.ok());
    QCOMPARE(std::get<Responses::Completed>(completed->response).summary->correctSimulation, big);
}

void tst_ControlCodec::discoveryFilters()
{
    const DiscoveryFilter jup = DiscoveryFilter::programExecuted(kJup);
    QCOMPARE(jup.describe(), u"programExecuted JUP6\u2026aV4"_s);
    QCOMPARE(jup.toJson(), jsonValue(R"({"programExecuted":"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"})"));
    QVERIFY(DiscoveryFilter::fromJson(jup.toJson()) == jup);

    const DiscoveryFilter oracle = oracleFilter();
    QCOMPARE(oracle.describe(), u"oracleUpdate (1 program, 2 accounts)"_s);
    QVERIFY(DiscoveryFilter::fromJson(oracle.toJson()) == oracle);

    for (const QByteArray &odd : {QByteArray(R"("programExecuted")"), QByteArray(R"({"programExecuted":5})"),
                                  QByteArray(R"({"oracleUpdate":{"programs":[1]}})"), QByteArray("null")}) {
        const DiscoveryFilter f = DiscoveryFilter::fromJson(jsonValue(odd));
        QCOMPARE(f.kind, DiscoveryFilter::Kind::Unknown);
        QCOMPARE(f.toJson(), jsonValue(odd));
        QVERIFY(f.describe().startsWith(u"filter "_s));
    }
}

void tst_ControlCodec::describe_data()
{
    QTest::addColumn<ControlResponse>("response");
    QTest::addColumn<QString>("expected");

    QTest::addRow("slot") << ControlResponse(Responses::SlotNotification{1005}) << u"slot 1005"_s;
    QTest::addRow("paused batch") << ControlResponse(Responses::Paused{{1010, 3}}) << u"paused at 1010 batch 3"_s;
    QTest::addRow("paused slot") << ControlResponse(Responses::Paused{{1010, std::nullopt}}) << u"paused at 1010"_s;
    QTest::addRow("discovery") << ControlResponse(Responses::DiscoveryBatch{sampleDiscovery()})
                               << u"discovery 1010/3 (1 tx)"_s;
    {
        DiscoveryBatchEvent e = sampleDiscovery();
        e.transactions << u"AA=="_s;
        QTest::addRow("discovery plural") << ControlResponse(Responses::DiscoveryBatch{e}) << u"discovery 1010/3 (2 txs)"_s;
    }
    QTest::addRow("status") << ControlResponse(Responses::Status{u"executingBlockTransactions"_s})
                            << u"status executingBlockTransactions"_s;
    QTest::addRow("error") << ControlResponse(Responses::Error{BacktestError::invalidRequest(u"startSlot must be <= endSlot"_s)})
                           << u"error: invalid request: startSlot must be <= endSlot"_s;
    QTest::addRow("ready") << ControlResponse(Responses::ReadyForContinue{}) << u"ready for continue"_s;
    QTest::addRow("success") << ControlResponse(Responses::Success{}) << u"success"_s;
    QTest::addRow("completed") << ControlResponse(Responses::Completed{std::nullopt}) << u"completed"_s;
    QTest::addRow("completed summary") << ControlResponse(Responses::Completed{sampleSummary()})
                                       << u"completed (831 correct, 16 incorrect, 3 execution errors)"_s;
    QTest::addRow("created") << ControlResponse(Responses::SessionCreated{{u"backtest_a"_s, u"/backtest/backtest_a"_s, {}}})
                             << u"session created backtest_a"_s;
    QTest::addRow("attached") << ControlResponse(Responses::SessionAttached{{u"backtest_a"_s, u"/x"_s, {}}})
                              << u"session attached backtest_a"_s;
    QTest::addRow("sessionsCreatedV2")
        << ControlResponse(Responses::SessionsCreatedV2{u"parallel_f"_s, {u"a"_s, u"b"_s}, {}, {}, {}})
        << u"sessions created parallel_f (2 sessions)"_s;
    QTest::addRow("parallelSessionAttachedV2")
        << ControlResponse(Responses::ParallelSessionAttachedV2{u"parallel_f"_s, {u"a"_s}, {}})
        << u"parallel session attached parallel_f (1 session)"_s;
    QTest::addRow("sessionEventV2")
        << ControlResponse(Responses::SessionEventV2{u"backtest_a1"_s, 17, Responses::SlotNotification{1005}})
        << u"backtest_a1 #17: slot 1005"_s;
}

void tst_ControlCodec::describe()
{
    QFETCH(ControlResponse, response);
    QFETCH(QString, expected);
    QCOMPARE(SlotScope::describe(response), expected);
}

void tst_ControlCodec::describeRequest_data()
{
    QTest::addColumn<ControlRequest>("request");
    QTest::addColumn<QString>("expected");

    CreateSessionParams create{.startSlot = 1000, .endSlot = 1010};
    QTest::addRow("create") << ControlRequest(Requests::CreateBacktestSession{create}) << u"create 1000–1010"_s;
    create.parallel = true;
    QTest::addRow("create parallel") << ControlRequest(Requests::CreateBacktestSession{create})
                                     << u"create parallel 1000–1010"_s;
    QTest::addRow("continue") << ControlRequest(Requests::Continue{{3, {}, {}}}) << u"continue 3 slot(s)"_s;
    QTest::addRow("continueTo batch") << ControlRequest(Requests::ContinueTo{{1010, 2}}) << u"continue to 1010/2"_s;
    QTest::addRow("continueTo slot") << ControlRequest(Requests::ContinueTo{{1010, std::nullopt}})
                                     << u"continue to 1010"_s;
    QTest::addRow("continueSessionV1") << ControlRequest(Requests::ContinueSessionV1{u"b1"_s, {1, {}, {}}})
                                       << u"b1: continue 1 slot(s)"_s;
    QTest::addRow("continueToSessionV1") << ControlRequest(Requests::ContinueToSessionV1{u"b1"_s, {1010, 0}})
                                         << u"b1: continue to 1010/0"_s;
    QTest::addRow("closeBacktestSession") << ControlRequest(Requests::CloseBacktestSession{})
                                          << u"closeBacktestSession"_s;
    QTest::addRow("closeSessionV1") << ControlRequest(Requests::CloseSessionV1{u"b1"_s}) << u"b1: close"_s;
    QTest::addRow("attach") << ControlRequest(Requests::AttachBacktestSession{u"b1"_s, std::nullopt}) << u"attach b1"_s;
    QTest::addRow("attach after") << ControlRequest(Requests::AttachBacktestSession{u"b1"_s, 41})
                                  << u"attach b1 after seq 41"_s;
    QTest::addRow("resumeAttachedSession") << ControlRequest(Requests::ResumeAttachedSession{})
                                           << u"resumeAttachedSession"_s;
    QTest::addRow("attach parallel nothing")
        << ControlRequest(Requests::AttachParallelControlSessionV2{u"p1"_s, {}}) << u"attach p1 after nothing"_s;
    QTest::addRow("attach parallel cursors")
        << ControlRequest(Requests::AttachParallelControlSessionV2{u"p1"_s, {{u"a"_s, 4}, {u"b"_s, 9}}})
        << u"attach p1 after a=4, b=9"_s;
}

void tst_ControlCodec::describeRequest()
{
    QFETCH(ControlRequest, request);
    QFETCH(QString, expected);
    QCOMPARE(SlotScope::describe(request), expected);
}

void tst_ControlCodec::unknownMethodsAreToldFromBrokenFrames_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QString>("method"); // empty = broken, not merely unknown
    QTest::addColumn<QString>("sessionId");
    QTest::addColumn<qint64>("seqId"); // -1 = none

    QTest::addRow("unknown top-level method")
        << QByteArray(R"({"method":"serverNotice","params":{"message":"hi"}})") << u"serverNotice"_s << QString()
        << qint64(-1);
    QTest::addRow("unknown method with seqId")
        << QByteArray(R"({"seqId":55,"method":"heartbeat","params":{"serverTime":1}})") << u"heartbeat"_s
        << QString() << qint64(55);
    QTest::addRow("unknown event of a sub-session, method/params")
        << QByteArray(R"({"method":"sessionEventV2","params":{"session_id":"backtest_a","seq_id":4,)"
                      R"("event":{"method":"heartbeat","params":{}}}})")
        << u"heartbeat"_s << u"backtest_a"_s << qint64(4);
    QTest::addRow("unknown event of a sub-session, bare string, camelCase")
        << QByteArray(R"({"method":"sessionEventV2","params":{"sessionId":"backtest_b","seqId":9,"event":"drained"}})")
        << u"drained"_s << u"backtest_b"_s << qint64(9);
    QTest::addRow("known method, broken params") << QByteArray(R"({"method":"slotNotification","params":"x"})")
                                                 << QString() << QString() << qint64(-1);
    QTest::addRow("known event, broken params")
        << QByteArray(R"({"method":"sessionEventV2","params":{"session_id":"a","seq_id":1,"event":{"slotNotification":"x"}}})")
        << QString() << QString() << qint64(-1);
    QTest::addRow("not JSON") << QByteArray("heartbeat") << QString() << QString() << qint64(-1);
    QTest::addRow("no method") << QByteArray(R"({"params":{}})") << QString() << QString() << qint64(-1);
}

void tst_ControlCodec::unknownMethodsAreToldFromBrokenFrames()
{
    // PROTOCOL.md §4, §7.1: unknown methods are ignored, not frames lost.
    QFETCH(QByteArray, frame);
    QFETCH(QString, method);
    QFETCH(QString, sessionId);
    QFETCH(qint64, seqId);
    QVERIFY(!decodeControlResponse(frame));
    const std::optional<UnrecognizedControlFrame> unknown = unrecognizedControlFrame(frame);
    QCOMPARE(unknown.has_value(), !method.isEmpty());
    if (!unknown)
        return;
    QCOMPARE(unknown->method, method);
    QCOMPARE(unknown->sessionId, sessionId);
    QCOMPARE(unknown->seqId, seqId < 0 ? std::nullopt : std::optional<quint64>(quint64(seqId)));
}

void tst_ControlCodec::respellDiscoveryVariants_data()
{
    QTest::addColumn<QString>("error");
    QTest::addColumn<bool>("respelled");
    QTest::addColumn<QString>("programExecuted"); // its spelling afterwards
    QTest::addColumn<QString>("oracleUpdate");

    QTest::addRow("PascalCase listed")
        << u"invalid request: unknown variant `programExecuted`, expected one of `ProgramExecuted`, "
           "`OracleUpdate`, `ProgramWrite` at line 1 column 120"_s
        << true << u"ProgramExecuted"_s << u"oracleUpdate"_s;
    QTest::addRow("snake_case listed")
        << u"unknown variant `programExecuted`, expected one of `program_executed`, `oracle_update`"_s << true
        << u"program_executed"_s << u"oracleUpdate"_s;
    QTest::addRow("the other filter's variant")
        << u"unknown variant `oracleUpdate`, expected one of `ProgramExecuted`, `OracleUpdate`"_s << true
        << u"programExecuted"_s << u"OracleUpdate"_s;
    QTest::addRow("not one of ours (a compression name)")
        << u"unknown variant `zstd`, expected one of `gzip`"_s << false << u"programExecuted"_s
        << u"oracleUpdate"_s;
    QTest::addRow("no spelling of it listed")
        << u"unknown variant `programExecuted`, expected one of `Bundle`, `Oracle`"_s << false
        << u"programExecuted"_s << u"oracleUpdate"_s;
    QTest::addRow("another error") << u"invalid request: startSlot must be <= endSlot"_s << false
                                   << u"programExecuted"_s << u"oracleUpdate"_s;
}

void tst_ControlCodec::respellDiscoveryVariants()
{
    QFETCH(QString, error);
    QFETCH(bool, respelled);
    QFETCH(QString, programExecuted);
    QFETCH(QString, oracleUpdate);
    CreateSessionParams params{.startSlot = 1, .endSlot = 2};
    DiscoveryFilter oracle;
    oracle.kind = DiscoveryFilter::Kind::OracleUpdate;
    oracle.programs = {u"P1"_s};
    params.discoveries = {DiscoveryFilter::programExecuted(u"JUP"_s), oracle};
    QCOMPARE(SlotScope::respellDiscoveryVariants(error, params), respelled);
    const QByteArray wire = encodeControlRequest(Requests::CreateBacktestSession{params});
    QVERIFY2(wire.contains(u"{\"%1\":\"JUP\"}"_s.arg(programExecuted).toUtf8()), wire.constData());
    QVERIFY2(wire.contains(u"{\"%1\":{\"programs\""_s.arg(oracleUpdate).toUtf8()), wire.constData());
    // The same error again changes nothing: the rule applies once.
    QVERIFY(!SlotScope::respellDiscoveryVariants(error, params));
    // Whatever the spelling, the filters read back the same.
    const auto decoded = decodeControlRequest(wire);
    QVERIFY(decoded.ok());
    QCOMPARE(std::get<Requests::CreateBacktestSession>(*decoded).params.discoveries, params.discoveries);
}

QTEST_GUILESS_MAIN(tst_ControlCodec)
#include "tst_controlcodec.moc"
