// Data-plane codec (PROTOCOL.md §5.2–§5.6): the DOM-free notification scanner,
// jsonValueSpan, subscribe requests/acks/errors on both sides.

#include "protocol/dataplane.h"
#include "support/fixtures.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace SlotScope;
using namespace SlotScope::Testing;
using namespace Qt::StringLiterals;

namespace {

/// A bare EncodedConfirmedTransactionWithStatusMeta, byte for byte as stored
/// (pretty-printed JSON with its own whitespace), without the trailing newline.
QByteArray hyperlaneTransaction()
{
    return readFixture(u"hyperlane-monorepo/solana_complex_transaction_including_token_transfer.json"_s).trimmed();
}

/// The `result` of a real getTransaction response, re-serialised compactly.
QByteArray jupiterTransactionCompact()
{
    const QByteArray file = readFixture(
        u"jup-ag-instruction-parser/tx-2m6e4MBQ2wKiFhtc8d479C6SUKkqEiBzemwxSQVaSdr4zGHdoefxWz28u2rnCtUu7SfcgwWpEBDr3L5NZnEqffnv.json"_s);
    const QJsonObject result = QJsonDocument::fromJson(file).object().value(u"result"_s).toObject();
    if (result.isEmpty())
        qFatal("fixture has no result");
    return QJsonDocument(result).toJson(QJsonDocument::Compact);
}

QString errorText(const Result<DataPlaneMessage> &r)
{
    return r.ok() ? QString() : r.error().message;
}

} // namespace

class tst_DataPlaneCodec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void jsonValueSpan_data();
    void jsonValueSpan();
    void jsonValueSpanDeepNesting();

    void subscribeAck_data();
    void subscribeAck();
    void subscriptionIdsOfAnyShapeAreAccepted();
    void rpcError_data();
    void rpcError();
    void transactionNotification_data();
    void transactionNotification();
    void accountDiffNotification_data();
    void accountDiffNotification();
    void otherNotification();
    void malformed_data();
    void malformed();
    void truncatedNotificationsNeverDecode();
    void assumedResultEnd_data();
    void assumedResultEnd();
    void resultEndAtEveryBlockOffset();

    void encodeTransactionSubscribe_data();
    void encodeTransactionSubscribe();
    void encodeAccountDiffSubscribe_data();
    void encodeAccountDiffSubscribe();
    void decodeSubscribeRequest_data();
    void decodeSubscribeRequest();
    void decodeSubscribeRequestErrors_data();
    void decodeSubscribeRequestErrors();
    void serverFrames();
    void replayGapPastTheWindow_data();
    void replayGapPastTheWindow();
    void replayStartedLateShowsAGap();
};

// ---------------------------------------------------------------------------

void tst_DataPlaneCodec::jsonValueSpan_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("from");
    QTest::addColumn<int>("begin"); // -1 = nullopt
    QTest::addColumn<int>("end");

    QTest::addRow("string") << QByteArray(R"("abc")") << 0 << 0 << 5;
    QTest::addRow("escaped quote") << QByteArray(R"("a\"b" tail)") << 0 << 0 << 6;
    QTest::addRow("escaped backslash before quote") << QByteArray(R"("a\\" x)") << 0 << 0 << 5;
    QTest::addRow("all simple escapes") << QByteArray(R"("\"\\\/\b\f\n\r\t")") << 0 << 0 << 18;
    QTest::addRow("unicode escape") << QByteArray(R"("\u00e9\uD83D\uDE00")") << 0 << 0 << 20;
    QTest::addRow("bad unicode escape") << QByteArray(R"("\u00zz")") << 0 << -1 << -1;
    QTest::addRow("unknown escape") << QByteArray(R"("\x")") << 0 << -1 << -1;
    QTest::addRow("raw newline in string") << QByteArray("\"a\nb\"") << 0 << -1 << -1;
    QTest::addRow("unterminated string") << QByteArray(R"("abc)") << 0 << -1 << -1;
    QTest::addRow("lone backslash at end") << QByteArray(R"("abc\)") << 0 << -1 << -1;
    QTest::addRow("UTF-8 text") << QByteArray("\"h\xc3\xa9llo\"") << 0 << 0 << 8;
    QTest::addRow("object with nesting") << QByteArray(R"({"a":[1,2,{"b":null}],"c":"}"})") << 0 << 0 << 30;
    QTest::addRow("braces inside strings") << QByteArray(R"({"log":"{[\"}]"} ,)") << 0 << 0 << 16;
    QTest::addRow("empty object") << QByteArray("{}") << 0 << 0 << 2;
    QTest::addRow("empty array with spaces") << QByteArray("[ \n ]") << 0 << 0 << 5;
    QTest::addRow("leading whitespace skipped") << QByteArray(" \t\r\n 12.5e-3 ,") << 0 << 5 << 12;
    QTest::addRow("negative zero") << QByteArray("-0]") << 0 << 0 << 2;
    QTest::addRow("exponent") << QByteArray("1E+10}") << 0 << 0 << 5;
    QTest::addRow("minus alone") << QByteArray("-") << 0 << -1 << -1;
    QTest::addRow("dot without digits") << QByteArray("1.") << 0 << -1 << -1;
    QTest::addRow("exponent without digits") << QByteArray("1e") << 0 << -1 << -1;
    QTest::addRow("true") << QByteArray("true,") << 0 << 0 << 4;
    QTest::addRow("false") << QByteArray("false") << 0 << 0 << 5;
    QTest::addRow("null") << QByteArray("null") << 0 << 0 << 4;
    QTest::addRow("truncated literal") << QByteArray("tru") << 0 << -1 << -1;
    QTest::addRow("misspelled literal") << QByteArray("nul!") << 0 << -1 << -1;
    QTest::addRow("truncated object") << QByteArray(R"({"a":1)") << 0 << -1 << -1;
    QTest::addRow("truncated after key") << QByteArray(R"({"a")") << 0 << -1 << -1;
    QTest::addRow("trailing comma in object") << QByteArray(R"({"a":1,})") << 0 << -1 << -1;
    QTest::addRow("trailing comma in array") << QByteArray("[1,]") << 0 << -1 << -1;
    QTest::addRow("missing colon") << QByteArray(R"({"a" 1})") << 0 << -1 << -1;
    QTest::addRow("non-string key") << QByteArray(R"({a:1})") << 0 << -1 << -1;
    QTest::addRow("mismatched brackets") << QByteArray(R"([1,2})") << 0 << -1 << -1;
    QTest::addRow("missing comma") << QByteArray(R"([1 2])") << 0 << -1 << -1;
    QTest::addRow("empty text") << QByteArray() << 0 << -1 << -1;
    QTest::addRow("only whitespace") << QByteArray("   ") << 0 << -1 << -1;
    QTest::addRow("stray character") << QByteArray("@") << 0 << -1 << -1;
    QTest::addRow("value in the middle") << QByteArray(R"({"k": {"x":"}"} })") << 5 << 6 << 15;
    QTest::addRow("from past the end") << QByteArray("{}") << 3 << -1 << -1;
    QTest::addRow("from negative") << QByteArray("{}") << -1 << -1 << -1;
}

void tst_DataPlaneCodec::jsonValueSpan()
{
    QFETCH(QByteArray, text);
    QFETCH(int, from);
    QFETCH(int, begin);
    QFETCH(int, end);

    const auto span = SlotScope::jsonValueSpan(text, from);
    if (begin < 0) {
        QVERIFY2(!span.has_value(), qPrintable(u"unexpected span %1..%2"_s.arg(span ? span->first : 0).arg(span ? span->second : 0)));
        return;
    }
    QVERIFY(span.has_value());
    QCOMPARE(span->first, qsizetype(begin));
    QCOMPARE(span->second, qsizetype(end));
}

void tst_DataPlaneCodec::jsonValueSpanDeepNesting()
{
    // Iterative scanner: deep nesting neither crashes nor recurses.
    const int depth = 200000;
    const QByteArray balanced = QByteArray(depth, '[') + QByteArray(depth, ']');
    const auto span = SlotScope::jsonValueSpan(balanced, 0);
    QVERIFY(span.has_value());
    QCOMPARE(span->second, balanced.size());
    QVERIFY(!SlotScope::jsonValueSpan(QByteArray(depth, '['), 0).has_value());
    QVERIFY(!SlotScope::jsonValueSpan(QByteArray(depth, '[') + QByteArray(depth - 1, ']'), 0).has_value());
}

// ---------------------------------------------------------------------------

void tst_DataPlaneCodec::subscribeAck_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<qint64>("requestId");
    QTest::addColumn<qint64>("subscription");

    QTest::addRow("standard") << QByteArray(R"({"jsonrpc":"2.0","result":24040,"id":1})") << qint64(1) << qint64(24040);
    QTest::addRow("id first, whitespace")
        << QByteArray(" {\n  \"id\" : 7 ,\n  \"jsonrpc\" : \"2.0\" ,\n  \"result\" : 0\n}\n") << qint64(7) << qint64(0);
    QTest::addRow("large ids") << QByteArray(R"({"result":9007199254740993,"id":9223372036854775807,"jsonrpc":"2.0"})")
                               << qint64(9223372036854775807LL) << qint64(9007199254740993LL);
    QTest::addRow("numeric string id") << QByteArray(R"({"jsonrpc":"2.0","result":5,"id":"12"})") << qint64(12)
                                       << qint64(5);
    QTest::addRow("unknown keys ignored")
        << QByteArray(R"({"jsonrpc":"2.0","extra":{"x":[1,"}"]},"result":3,"id":2,"more":null})") << qint64(2)
        << qint64(3);
    // The id's shape is open (PROTOCOL.md Q7): an independent server's string
    // or u64 id once kept the data plane from ever coming up.
    QTest::addRow("string subscription id") << QByteArray(R"({"jsonrpc":"2.0","result":"775","id":1})") << qint64(1)
                                            << qint64(775);
    QTest::addRow("u64 subscription id above 2^63 - 1")
        << QByteArray(R"({"jsonrpc":"2.0","result":18446744073709551614,"id":1})") << qint64(1)
        << qint64(-2); // its 64 bits
}

void tst_DataPlaneCodec::subscriptionIdsOfAnyShapeAreAccepted()
{
    // Ids no 64-bit integer holds are still ids: the ack and the
    // notifications decode, each to one stable value.
    for (const QByteArray &id : {QByteArray(R"("sub-7f3a")"), QByteArray("184467440737095518030")}) {
        const Result<DataPlaneMessage> ack = decodeDataPlaneMessage(R"({"jsonrpc":"2.0","result":)" + id + R"(,"id":4})");
        QVERIFY2(ack.ok(), qPrintable(errorText(ack)));
        const Result<DataPlaneMessage> again = decodeDataPlaneMessage(R"({"jsonrpc":"2.0","result":)" + id + R"(,"id":4})");
        QCOMPARE(std::get<DataPlane::SubscribeAck>(*again).subscription, std::get<DataPlane::SubscribeAck>(*ack).subscription);
        const Result<DataPlaneMessage> notification = decodeDataPlaneMessage(
            R"({"jsonrpc":"2.0","method":"transactionNotification","params":{"subscription":)" + id
            + R"(,"result":{"slot":5}}})");
        QVERIFY2(notification.ok(), qPrintable(errorText(notification)));
        QCOMPARE(std::get<DataPlane::TransactionNotification>(*notification).subscription,
                 std::get<DataPlane::SubscribeAck>(*ack).subscription);
    }
    QVERIFY(!decodeDataPlaneMessage(R"({"jsonrpc":"2.0","result":{"id":3},"id":4})").ok());
    QVERIFY(!decodeDataPlaneMessage(R"({"jsonrpc":"2.0","result":1.5,"id":4})").ok());
}

void tst_DataPlaneCodec::subscribeAck()
{
    QFETCH(QByteArray, frame);
    QFETCH(qint64, requestId);
    QFETCH(qint64, subscription);

    const Result<DataPlaneMessage> r = decodeDataPlaneMessage(frame);
    QVERIFY2(r.ok(), qPrintable(errorText(r)));
    QVERIFY(std::holds_alternative<DataPlane::SubscribeAck>(*r));
    const auto &ack = std::get<DataPlane::SubscribeAck>(*r);
    QCOMPARE(ack.requestId, requestId);
    QCOMPARE(ack.subscription, subscription);
}

void tst_DataPlaneCodec::rpcError_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<qint64>("requestId");
    QTest::addColumn<qint64>("code");
    QTest::addColumn<QString>("message");

    QTest::addRow("standard") << QByteArray(R"({"jsonrpc":"2.0","error":{"code":-32602,"message":"Invalid params"},"id":3})")
                              << qint64(3) << qint64(-32602) << u"Invalid params"_s;
    QTest::addRow("null id") << QByteArray(R"({"jsonrpc":"2.0","error":{"code":-32700,"message":"Parse error"},"id":null})")
                             << qint64(-1) << qint64(-32700) << u"Parse error"_s;
    QTest::addRow("no id, escaped message")
        << QByteArray(R"({"error":{"message":"bad \"filter\"\n","code":-32000},"jsonrpc":"2.0"})") << qint64(-1)
        << qint64(-32000) << u"bad \"filter\"\n"_s;
    QTest::addRow("error not an object") << QByteArray(R"({"jsonrpc":"2.0","error":"boom","id":4})") << qint64(4)
                                         << qint64(0) << u"\"boom\""_s;
}

void tst_DataPlaneCodec::rpcError()
{
    QFETCH(QByteArray, frame);
    QFETCH(qint64, requestId);
    QFETCH(qint64, code);
    QFETCH(QString, message);

    const Result<DataPlaneMessage> r = decodeDataPlaneMessage(frame);
    QVERIFY2(r.ok(), qPrintable(errorText(r)));
    QVERIFY(std::holds_alternative<DataPlane::RpcError>(*r));
    const auto &error = std::get<DataPlane::RpcError>(*r);
    QCOMPARE(error.requestId, requestId);
    QCOMPARE(error.code, code);
    QCOMPARE(error.message, message);
}

void tst_DataPlaneCodec::transactionNotification_data()
{
    QTest::addColumn<QByteArray>("result");
    QTest::addColumn<QByteArray>("before"); // frame text before the result
    QTest::addColumn<QByteArray>("after");  // frame text after the result
    QTest::addColumn<qint64>("subscription");

    const QByteArray hyperlane = hyperlaneTransaction();
    const QByteArray jupiter = jupiterTransactionCompact();
    const QByteArray tricky =
        R"({"slot":5,"meta":{"logMessages":["Program log: {\"a\":\"}\"}","x\\","]}{[","\u007d"],"err":null},)"
        R"("transaction":{"signatures":["sig\"}"]}})";

    QTest::addRow("canonical order, real transaction")
        << jupiter << QByteArray(R"({"jsonrpc":"2.0","method":"transactionNotification","params":{"subscription":7,"result":)")
        << QByteArray("}}") << qint64(7);
    QTest::addRow("pretty-printed fixture bytes kept verbatim")
        << hyperlane << QByteArray(R"({"jsonrpc":"2.0","method":"transactionNotification","params":{"subscription":7,"result":)")
        << QByteArray("}}") << qint64(7);
    QTest::addRow("keys shuffled")
        << jupiter << QByteArray(R"({"params":{"result":)")
        << QByteArray(R"(,"subscription":42},"method":"transactionNotification","jsonrpc":"2.0"})") << qint64(42);
    QTest::addRow("whitespace everywhere")
        << hyperlane << QByteArray(" \r\n{ \"jsonrpc\" :\t\"2.0\" ,\n \"params\" : {\n  \"subscription\" : 3 ,\n  \"result\" :  ")
        << QByteArray("\n } ,\n \"method\" : \"transactionNotification\" \n}\n ") << qint64(3);
    QTest::addRow("escaped quotes and braces inside strings")
        << tricky
        << QByteArray(R"({"note":"a \"quoted\" } { ] [ , : \\","jsonrpc":"2.0","method":"transactionNotification",)"
                      R"("params":{"note":"}{","subscription":1,"result":)")
        << QByteArray(R"(,"extra":[{"result":"not this one"}]}})") << qint64(1);
    // Both layouts of the same payload: method before params (the server's
    // layout, the fast end-of-result search) and method after params (the full walk).
    QTest::addRow("method first, escapes and brackets in strings (fast path)")
        << tricky << QByteArray(R"({"jsonrpc":"2.0","method":"transactionNotification","params":{"subscription":4,"result":)")
        << QByteArray("}}") << qint64(4);
    QTest::addRow("method last, escapes and brackets in strings (full walk)")
        << tricky << QByteArray(R"({"jsonrpc":"2.0","params":{"subscription":4,"result":)")
        << QByteArray(R"(},"method":"transactionNotification"})") << qint64(4);
    QTest::addRow("method first, members after result (fast path)")
        << jupiter << QByteArray(R"({"method":"transactionNotification","params":{"result":)")
        << QByteArray(R"( ,"tail":{"x":[{"y":"}}"}]},"subscription":11} ,"jsonrpc":"2.0"})") << qint64(11);
    QTest::addRow("unknown keys around result")
        << jupiter
        << QByteArray(R"({"jsonrpc":"2.0","id":null,"result":{"decoy":true},"method":"transactionNotification","params":{"context":{"slot":1},"result":)")
        << QByteArray(R"(,"subscription":9,"more":[1,2,3]}})") << qint64(9);
}

void tst_DataPlaneCodec::transactionNotification()
{
    QFETCH(QByteArray, result);
    QFETCH(QByteArray, before);
    QFETCH(QByteArray, after);
    QFETCH(qint64, subscription);

    QVERIFY(QJsonDocument::fromJson(result).isObject()); // the test data itself is sound
    const QByteArray frame = before + result + after;
    QVERIFY(QJsonDocument::fromJson(frame).isObject());
    const Result<DataPlaneMessage> r = decodeDataPlaneMessage(frame);
    QVERIFY2(r.ok(), qPrintable(errorText(r)));
    QVERIFY(std::holds_alternative<DataPlane::TransactionNotification>(*r));
    const auto &n = std::get<DataPlane::TransactionNotification>(*r);
    QCOMPARE(n.subscription, subscription);
    // The exact input bytes, as a view into the frame.
    QCOMPARE(n.result.toByteArray(), result);
    QCOMPARE(n.result.data(), frame.constData() + before.size());
}

void tst_DataPlaneCodec::accountDiffNotification_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<qint64>("subscription");
    QTest::addColumn<quint64>("slot");
    QTest::addColumn<QString>("account");
    QTest::addColumn<QString>("signature");

    QTest::addRow("PROTOCOL.md §5.6 example")
        << QByteArray(R"({"jsonrpc":"2.0","method":"accountDiffNotification","params":{"subscription":9,"result":{)"
                      R"("context":{"slot":399834993},"account":"3eF3iBQqi2DmDLS7o9y8gG7necF5VBbwYy5gqF7sh899",)"
                      R"("signature":"2kHbPUGz","pre":{"lamports":998075353,"owner":"11111111111111111111111111111111",)"
                      R"("data":["","base64"],"executable":false,"space":0},"post":{"lamports":1022997471,)"
                      R"("owner":"11111111111111111111111111111111","data":["","base64"],"executable":false,"space":0}}}})")
        << qint64(9) << quint64(399834993) << u"3eF3iBQqi2DmDLS7o9y8gG7necF5VBbwYy5gqF7sh899"_s << u"2kHbPUGz"_s;
    QTest::addRow("nulls, shuffled, slot beyond 2^53")
        << QByteArray(R"({"params":{"result":{"post":null,"signature":null,"account":null,"pre":{},)"
                      R"("context":{"slot":9007199254740993}},"subscription":2},"method":"accountDiffNotification"})")
        << qint64(2) << quint64(9007199254740993ULL) << QString() << QString();
}

void tst_DataPlaneCodec::accountDiffNotification()
{
    QFETCH(QByteArray, frame);
    QFETCH(qint64, subscription);
    QFETCH(quint64, slot);
    QFETCH(QString, account);
    QFETCH(QString, signature);

    const Result<DataPlaneMessage> r = decodeDataPlaneMessage(frame);
    QVERIFY2(r.ok(), qPrintable(errorText(r)));
    QVERIFY(std::holds_alternative<DataPlane::AccountDiffNotification>(*r));
    const auto &n = std::get<DataPlane::AccountDiffNotification>(*r);
    QCOMPARE(n.subscription, subscription);
    QCOMPARE(n.slot, slot);
    QCOMPARE(n.account, account);
    QCOMPARE(n.signature, signature);
    QVERIFY(n.result.startsWith('{'));
    QVERIFY(n.result.endsWith('}'));
    QVERIFY(QJsonDocument::fromJson(n.result.toByteArray()).isObject());

    const QByteArray reencoded = encodeAccountDiffNotification(subscription, n.result);
    const Result<DataPlaneMessage> again = decodeDataPlaneMessage(reencoded);
    QVERIFY(again.ok());
    QCOMPARE(std::get<DataPlane::AccountDiffNotification>(*again).result.toByteArray(), n.result.toByteArray());
}

void tst_DataPlaneCodec::otherNotification()
{
    const Result<DataPlaneMessage> r = decodeDataPlaneMessage(
        R"({"jsonrpc":"2.0","method":"slotNotification","params":{"subscription":1,"result":{"slot":5}}})");
    QVERIFY2(r.ok(), qPrintable(errorText(r)));
    QVERIFY(std::holds_alternative<DataPlane::OtherNotification>(*r));
    QCOMPARE(std::get<DataPlane::OtherNotification>(*r).method, u"slotNotification"_s);

    const Result<DataPlaneMessage> escaped =
        decodeDataPlaneMessage(R"({"jsonrpc":"2.0","method":"action\"Notification","params":[]})");
    QVERIFY(escaped.ok());
    QCOMPARE(std::get<DataPlane::OtherNotification>(*escaped).method, u"action\"Notification"_s);
    // Shaped like a subscription's data (subscription and an object result)
    // or not: SubscriptionManager counts the first kind as dropped.
    QVERIFY(std::get<DataPlane::OtherNotification>(*r).carriesData);
    QVERIFY(!std::get<DataPlane::OtherNotification>(*escaped).carriesData);
    for (const char *frame : {R"({"method":"x","params":{"subscription":1,"result":5}})",
                              R"({"method":"x","params":{"result":{"slot":5}}})",
                              R"({"method":"x","params":{"subscription":1}})"}) {
        const Result<DataPlaneMessage> other = decodeDataPlaneMessage(frame);
        QVERIFY2(other.ok(), frame);
        QVERIFY2(!std::get<DataPlane::OtherNotification>(*other).carriesData, frame);
    }
}

void tst_DataPlaneCodec::malformed_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QString>("messageContains");

    QTest::addRow("empty") << QByteArray() << u"empty"_s;
    QTest::addRow("whitespace") << QByteArray(" \n") << u"empty"_s;
    QTest::addRow("array") << QByteArray("[1]") << u"not a JSON object"_s;
    QTest::addRow("number") << QByteArray("42") << u"not a JSON object"_s;
    QTest::addRow("not JSON") << QByteArray("hello") << u"not a JSON object"_s;
    QTest::addRow("garbage inside") << QByteArray(R"({"jsonrpc":"2.0",oops})") << u"not valid JSON"_s;
    QTest::addRow("trailing data") << QByteArray(R"({"jsonrpc":"2.0","result":1,"id":1} x)") << u"after"_s;
    QTest::addRow("neither") << QByteArray(R"({"jsonrpc":"2.0"})") << u"neither"_s;
    QTest::addRow("method not a string") << QByteArray(R"({"method":5,"params":{}})") << u"method"_s;
    QTest::addRow("params array")
        << QByteArray(R"({"method":"transactionNotification","params":[1]})") << u"params object"_s;
    QTest::addRow("missing params") << QByteArray(R"({"method":"transactionNotification"})") << u"params object"_s;
    QTest::addRow("missing result")
        << QByteArray(R"({"method":"transactionNotification","params":{"subscription":1}})") << u"params.result"_s;
    QTest::addRow("missing subscription")
        << QByteArray(R"({"method":"transactionNotification","params":{"result":{}}})") << u"params.subscription"_s;
    QTest::addRow("subscription fractional")
        << QByteArray(R"({"method":"transactionNotification","params":{"subscription":7.5,"result":{}}})")
        << u"subscription"_s;
    QTest::addRow("result null")
        << QByteArray(R"({"method":"transactionNotification","params":{"subscription":7,"result":null}})")
        << u"not an object"_s;
    QTest::addRow("account diff slot negative")
        << QByteArray(R"({"method":"accountDiffNotification","params":{"subscription":7,"result":{"context":{"slot":-3}}}})")
        << u"slot"_s;
    QTest::addRow("ack without id") << QByteArray(R"({"jsonrpc":"2.0","result":5})") << u"id"_s;
    QTest::addRow("ack with null id") << QByteArray(R"({"jsonrpc":"2.0","result":5,"id":null})") << u"id"_s;
    QTest::addRow("ack id object") << QByteArray(R"({"jsonrpc":"2.0","result":5,"id":{}})") << u"id"_s;
    QTest::addRow("unsubscribe true is not an ack")
        << QByteArray(R"({"jsonrpc":"2.0","result":true,"id":4})") << u"not a subscription id"_s;
}

void tst_DataPlaneCodec::malformed()
{
    QFETCH(QByteArray, frame);
    QFETCH(QString, messageContains);

    const Result<DataPlaneMessage> r = decodeDataPlaneMessage(frame);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.contains(messageContains), qPrintable(r.error().message));
}

void tst_DataPlaneCodec::truncatedNotificationsNeverDecode()
{
    const QByteArray frames[] = {
        encodeTransactionNotification(7, jupiterTransactionCompact()),
        encodeTransactionNotification(8, hyperlaneTransaction()),
        encodeSubscribeAck(1, 24040),
        encodeRpcError(2, -32602, u"Invalid params"_s),
    };
    int checked = 0;
    int assumedPrefixes = 0;
    int parsingPrefixes = 0; // closed prefixes whose assumed result is one JSON value
    for (const QByteArray &frame : frames) {
        QVERIFY(decodeDataPlaneMessage(frame).ok());
        // Every proper prefix; a stride through the middle keeps this fast.
        for (qsizetype n = 0; n < frame.size(); n += (n < 300 || n > frame.size() - 300) ? 1 : 37) {
            const Result<DataPlaneMessage> r = decodeDataPlaneMessage(QByteArrayView(frame).first(n));
            QVERIFY2(!r.ok(), qPrintable(u"prefix of %1 bytes decoded"_s.arg(n)));
            // ResultEnd::Assumed on the prefix closed with "}}}": the frame's
            // tail fits, so it decodes with an assumed end; when those bytes
            // are one JSON value they are what Exact finds.
            const QByteArray closed = frame.first(n) + "}}}";
            const Result<DataPlaneMessage> a = decodeDataPlaneMessage(closed, ResultEnd::Assumed);
            const auto *notification = a ? std::get_if<DataPlane::TransactionNotification>(&*a) : nullptr;
            if (notification && notification->resultEndAssumed) {
                QJsonParseError error;
                QJsonDocument::fromJson(notification->result.toByteArray(), &error);
                const Result<DataPlaneMessage> e = decodeDataPlaneMessage(closed, ResultEnd::Exact);
                const auto *exact = e ? std::get_if<DataPlane::TransactionNotification>(&*e) : nullptr;
                const bool sameAsExact = exact && exact->result.data() == notification->result.data()
                    && exact->result.size() == notification->result.size();
                QVERIFY2(error.error != QJsonParseError::NoError || sameAsExact,
                         qPrintable(u"prefix of %1 bytes and }}}"_s.arg(n)));
                parsingPrefixes += error.error == QJsonParseError::NoError;
                ++assumedPrefixes;
            }
            ++checked;
        }
    }
    QVERIFY(checked > 1000);
    QVERIFY(assumedPrefixes > 500);
    QVERIFY(parsingPrefixes > 0);
}

void tst_DataPlaneCodec::assumedResultEnd_data()
{
    QTest::addColumn<QByteArray>("before"); // frame text before the result
    QTest::addColumn<QByteArray>("after");  // frame text after the result
    QTest::addColumn<bool>("assumed");      // the end comes from the frame's tail
    QTest::addColumn<bool>("right");        // ... and is the result's end

    const QByteArray documented = R"({"jsonrpc":"2.0","method":"transactionNotification","params":{"subscription":7,"result":)";
    QTest::addRow("documented layout (PROTOCOL.md §5.5)") << documented << QByteArray("}}") << true << true;
    QTest::addRow("documented layout, whitespace in the tail")
        << documented << QByteArray(" \n}\t}\r\n ") << true << true;
    QTest::addRow("an object after the result: the tail misleads")
        << documented << QByteArray(R"(,"context":{"slot":1}}})") << true << false;
    QTest::addRow("a number after the result: no assumed end")
        << QByteArray(R"({"method":"transactionNotification","params":{"result":)")
        << QByteArray(R"(,"subscription":7}})") << false << true;
    // The tail's end is the context's: `subscription` is swallowed with it,
    // so the frame decodes again by the result's brackets.
    QTest::addRow("subscription and an object after the result: decoded again")
        << documented.chopped(QByteArray(R"("subscription":7,"result":)").size()) + R"("result":)"
        << QByteArray(R"(,"subscription":7,"context":{"slot":1}}})") << false << true;
    QTest::addRow("method after params: no assumed end")
        << QByteArray(R"({"jsonrpc":"2.0","params":{"subscription":7,"result":)")
        << QByteArray(R"(},"method":"transactionNotification"})") << false << true;
}

void tst_DataPlaneCodec::assumedResultEnd()
{
    // ResultEnd::Assumed takes the result's end from the frame's tail. Where
    // that is wrong, the bytes are not one JSON value (what the summarizer
    // checks before SubscriptionManager decodes again with Exact).
    QFETCH(QByteArray, before);
    QFETCH(QByteArray, after);
    QFETCH(bool, assumed);
    QFETCH(bool, right);
    const QByteArray result = jupiterTransactionCompact();
    const QByteArray frame = before + result + after;
    QVERIFY(QJsonDocument::fromJson(frame).isObject());

    const Result<DataPlaneMessage> exact = decodeDataPlaneMessage(frame, ResultEnd::Exact);
    QVERIFY2(exact.ok(), qPrintable(errorText(exact)));
    const auto &e = std::get<DataPlane::TransactionNotification>(*exact);
    QVERIFY(!e.resultEndAssumed);
    QCOMPARE(e.result.toByteArray(), result);

    const Result<DataPlaneMessage> r = decodeDataPlaneMessage(frame, ResultEnd::Assumed);
    QVERIFY2(r.ok(), qPrintable(errorText(r)));
    const auto &n = std::get<DataPlane::TransactionNotification>(*r);
    QCOMPARE(n.subscription, qint64(7));
    QCOMPARE(n.resultEndAssumed, assumed);
    QCOMPARE(n.result.data(), frame.constData() + before.size());
    QCOMPARE(n.result == QByteArrayView(result), right);
    if (!right) {
        QJsonParseError error;
        QJsonDocument::fromJson(n.result.toByteArray(), &error);
        QCOMPARE_NE(error.error, QJsonParseError::NoError);
    }
}

void tst_DataPlaneCodec::resultEndAtEveryBlockOffset()
{
    // Escapes, backslash runs and brackets inside strings at every position
    // relative to the 64-byte blocks of the fast end-of-result search: both
    // layouts must give the same span as jsonValueSpan (the validating walk).
    const QByteArray pieces[] = {
        R"("a\"b")", R"("\\\\")", R"("}]\"{[")", R"("\\")", R"({"k":[1,{"z":"]"}]})", R"("\u007d")",
    };
    int checked = 0;
    for (int pad = 0; pad < 140; ++pad) {
        QByteArray result = R"({"p":")" + QByteArray(pad, 'x') + R"(","v":[)";
        for (int i = 0; i < 8; ++i) {
            if (i)
                result.append(',');
            result.append(pieces[(i + pad) % std::size(pieces)]);
        }
        result.append("]}");
        QVERIFY2(QJsonDocument::fromJson(result).isObject(), result.constData());
        const QByteArray layouts[] = {
            encodeTransactionNotification(3, result),
            R"({"params":{"result":)" + result + R"(,"subscription":3},"method":"transactionNotification"})",
        };
        for (const QByteArray &frame : layouts) {
            const Result<DataPlaneMessage> r = decodeDataPlaneMessage(frame);
            QVERIFY2(r.ok(), qPrintable(errorText(r)));
            const auto &n = std::get<DataPlane::TransactionNotification>(*r);
            QCOMPARE(n.result.toByteArray(), result);
            QCOMPARE(n.subscription, qint64(3));
            // Cut near the end (inside the result for the server layout): never decodes.
            for (qsizetype cut = frame.size() - 3; cut > frame.size() - 40; --cut)
                QVERIFY(!decodeDataPlaneMessage(QByteArrayView(frame).first(cut)).ok());
            ++checked;
        }
    }
    QCOMPARE(checked, 280);
}

// ---------------------------------------------------------------------------

void tst_DataPlaneCodec::encodeTransactionSubscribe_data()
{
    QTest::addColumn<qint64>("requestId");
    QTest::addColumn<QStringList>("accounts");
    QTest::addColumn<qint64>("replayFromSlot"); // -1 = unset
    QTest::addColumn<bool>("zstd");
    QTest::addColumn<QString>("encoding");
    QTest::addColumn<QByteArray>("expected");

    const QString jup = u"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"_s;
    QTest::addRow("one program")
        << qint64(1) << QStringList{jup} << qint64(-1) << false << u"jsonParsed"_s
        << QByteArray(R"({"jsonrpc":"2.0","id":1,"method":"transactionSubscribe","params":[)"
                      R"({"accountInclude":["JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"]},)"
                      R"({"commitment":"confirmed","encoding":"jsonParsed","maxSupportedTransactionVersion":0}]})");
    QTest::addRow("everything, json, replay and zstd (PROTOCOL.md §5.5)")
        << qint64(1) << QStringList{} << qint64(399834993) << true << u"json"_s
        << QByteArray(R"({"jsonrpc":"2.0","id":1,"method":"transactionSubscribe","params":[{"accountInclude":[]},)"
                      R"({"commitment":"confirmed","encoding":"json","maxSupportedTransactionVersion":0,)"
                      R"("replayFromSlot":399834993,"compression":"zstd"}]})");
    QTest::addRow("two accounts, replay from slot 0")
        << qint64(12) << QStringList{u"A"_s, u"B"_s} << qint64(0) << false << u"jsonParsed"_s
        << QByteArray(R"({"jsonrpc":"2.0","id":12,"method":"transactionSubscribe","params":[{"accountInclude":["A","B"]},)"
                      R"({"commitment":"confirmed","encoding":"jsonParsed","maxSupportedTransactionVersion":0,)"
                      R"("replayFromSlot":0}]})");
}

void tst_DataPlaneCodec::encodeTransactionSubscribe()
{
    // Unless told otherwise the request asks for §5.5's encoding.
    QCOMPARE(TransactionSubscribeParams{}.encoding, u"json"_s);
    QFETCH(qint64, requestId);
    QFETCH(QStringList, accounts);
    QFETCH(qint64, replayFromSlot);
    QFETCH(bool, zstd);
    QFETCH(QString, encoding);
    QFETCH(QByteArray, expected);

    TransactionSubscribeParams params{.accountInclude = accounts};
    if (replayFromSlot >= 0)
        params.replayFromSlot = quint64(replayFromSlot);
    params.zstd = zstd;
    params.encoding = encoding;
    const QByteArray text = SlotScope::encodeTransactionSubscribe(requestId, params);
    QCOMPARE(text, expected);
    QVERIFY(QJsonDocument::fromJson(text).isObject());

    // The reference server reads back what the client sent.
    const Result<SubscribeRequest> back = SlotScope::decodeSubscribeRequest(text);
    QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().message));
    QCOMPARE(back->requestId, requestId);
    QCOMPARE(back->method, u"transactionSubscribe"_s);
    QCOMPARE(back->accounts, accounts);
    QCOMPARE(back->replayFromSlot, params.replayFromSlot);
    QCOMPARE(back->zstd, zstd);
    QCOMPARE(back->programOwner, false);
}

void tst_DataPlaneCodec::encodeAccountDiffSubscribe_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<bool>("programOwner");
    QTest::addColumn<qint64>("replayFromSlot");
    QTest::addColumn<bool>("zstd");
    QTest::addColumn<QByteArray>("expected");

    QTest::addRow("single account")
        << u"Addr1"_s << false << qint64(-1) << false
        << QByteArray(R"({"jsonrpc":"2.0","id":2,"method":"accountDiffSubscribe","params":["Addr1",{}]})");
    QTest::addRow("program owner, replay, zstd")
        << u"Prog1"_s << true << qint64(5) << true
        << QByteArray(R"({"jsonrpc":"2.0","id":2,"method":"accountDiffSubscribe","params":["Prog1",)"
                      R"({"address_type":"program","replayFromSlot":5,"compression":"zstd"}]})");
    QTest::addRow("replay only")
        << u"Addr1"_s << false << qint64(9007199254740993LL) << false
        << QByteArray(R"({"jsonrpc":"2.0","id":2,"method":"accountDiffSubscribe","params":["Addr1",)"
                      R"({"replayFromSlot":9007199254740993}]})");
}

void tst_DataPlaneCodec::encodeAccountDiffSubscribe()
{
    QFETCH(QString, address);
    QFETCH(bool, programOwner);
    QFETCH(qint64, replayFromSlot);
    QFETCH(bool, zstd);
    QFETCH(QByteArray, expected);

    AccountDiffSubscribeParams params{.address = address, .programOwner = programOwner};
    if (replayFromSlot >= 0)
        params.replayFromSlot = quint64(replayFromSlot);
    params.zstd = zstd;
    const QByteArray text = SlotScope::encodeAccountDiffSubscribe(2, params);
    QCOMPARE(text, expected);

    const Result<SubscribeRequest> back = SlotScope::decodeSubscribeRequest(text);
    QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().message));
    QCOMPARE(back->requestId, qint64(2));
    QCOMPARE(back->method, u"accountDiffSubscribe"_s);
    QCOMPARE(back->accounts, QStringList{address});
    QCOMPARE(back->programOwner, programOwner);
    QCOMPARE(back->replayFromSlot, params.replayFromSlot);
    QCOMPARE(back->zstd, zstd);
}

void tst_DataPlaneCodec::decodeSubscribeRequest_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<qint64>("requestId");
    QTest::addColumn<QString>("method");
    QTest::addColumn<QStringList>("accounts");
    QTest::addColumn<bool>("programOwner");
    QTest::addColumn<qint64>("replayFromSlot");
    QTest::addColumn<bool>("zstd");

    QTest::addRow("pubkey string")
        << QByteArray(R"({"jsonrpc":"2.0","id":1,"method":"accountSubscribe","params":["Key1",{"encoding":"base64","commitment":"confirmed"}]})")
        << qint64(1) << u"accountSubscribe"_s << QStringList{u"Key1"_s} << false << qint64(-1) << false;
    QTest::addRow("array of pubkeys")
        << QByteArray(R"({"id":3,"method":"transactionSubscribe","params":[["A","B"]]})") << qint64(3)
        << u"transactionSubscribe"_s << QStringList{u"A"_s, u"B"_s} << false << qint64(-1) << false;
    QTest::addRow("object with programIds, programs, accounts, address")
        << QByteArray(R"({"id":4,"method":"transactionSubscribe","params":[{"programIds":["P1"],"programs":["P2"],)"
                      R"("accounts":"A1","address":"A2","accountExclude":["X"]},{"replay_from_slot":10,"compression":"ZSTD"}]})")
        << qint64(4) << u"transactionSubscribe"_s << QStringList{u"P1"_s, u"P2"_s, u"A1"_s, u"A2"_s} << false
        << qint64(10) << true;
    QTest::addRow("empty filter object means everything")
        << QByteArray(R"({"id":5,"method":"transactionSubscribe","params":[{},{"commitment":"confirmed"}]})") << qint64(5)
        << u"transactionSubscribe"_s << QStringList{} << false << qint64(-1) << false;
    QTest::addRow("no params") << QByteArray(R"({"id":6,"method":"slotSubscribe"})") << qint64(6) << u"slotSubscribe"_s
                               << QStringList{} << false << qint64(-1) << false;
    QTest::addRow("duplicates removed, addressType camelCase")
        << QByteArray(R"({"id":"7","method":"accountDiffSubscribe","params":[{"accountInclude":["A","A"]},{"addressType":"Program"}]})")
        << qint64(7) << u"accountDiffSubscribe"_s << QStringList{u"A"_s} << true << qint64(-1) << false;
    QTest::addRow("unknown compression is off")
        << QByteArray(R"({"id":8,"method":"transactionSubscribe","params":[[],{"compression":"gzip","replayFromSlot":null}]})")
        << qint64(8) << u"transactionSubscribe"_s << QStringList{} << false << qint64(-1) << false;
    // PROTOCOL.md §5.3: a missing or malformed value is off, not a refusal.
    QTest::addRow("malformed replayFromSlot is off")
        << QByteArray(R"({"id":9,"method":"accountDiffSubscribe","params":["A",{"replayFromSlot":-1}]})")
        << qint64(9) << u"accountDiffSubscribe"_s << QStringList{u"A"_s} << false << qint64(-1) << false;
    QTest::addRow("replayFromSlot as text is off")
        << QByteArray(R"({"id":10,"method":"transactionSubscribe","params":[[],{"replayFromSlot":"soon"}]})")
        << qint64(10) << u"transactionSubscribe"_s << QStringList{} << false << qint64(-1) << false;
}

void tst_DataPlaneCodec::decodeSubscribeRequest()
{
    QFETCH(QByteArray, frame);
    QFETCH(qint64, requestId);
    QFETCH(QString, method);
    QFETCH(QStringList, accounts);
    QFETCH(bool, programOwner);
    QFETCH(qint64, replayFromSlot);
    QFETCH(bool, zstd);

    const Result<SubscribeRequest> r = SlotScope::decodeSubscribeRequest(frame);
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
    QCOMPARE(r->requestId, requestId);
    QCOMPARE(r->method, method);
    QCOMPARE(r->accounts, accounts);
    QCOMPARE(r->programOwner, programOwner);
    QCOMPARE(r->replayFromSlot, replayFromSlot < 0 ? std::nullopt : std::optional<quint64>(quint64(replayFromSlot)));
    QCOMPARE(r->zstd, zstd);
}

void tst_DataPlaneCodec::decodeSubscribeRequestErrors_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QString>("messageContains");

    QTest::addRow("empty") << QByteArray() << u"empty"_s;
    QTest::addRow("not JSON") << QByteArray("{oops") << u"not valid JSON"_s;
    QTest::addRow("array") << QByteArray("[]") << u"not a JSON object"_s;
    QTest::addRow("no method") << QByteArray(R"({"id":1,"params":[]})") << u"method"_s;
    QTest::addRow("no id") << QByteArray(R"({"method":"transactionSubscribe","params":[]})") << u"id"_s;
    QTest::addRow("fractional id") << QByteArray(R"({"id":1.5,"method":"transactionSubscribe"})") << u"id"_s;
    QTest::addRow("non-numeric string id") << QByteArray(R"({"id":"abc","method":"transactionSubscribe"})") << u"id"_s;
    QTest::addRow("params string") << QByteArray(R"({"id":1,"method":"transactionSubscribe","params":"x"})")
                                   << u"params"_s;
    QTest::addRow("filter number") << QByteArray(R"({"id":1,"method":"transactionSubscribe","params":[5]})")
                                   << u"params[0]"_s;
    QTest::addRow("filter array of numbers")
        << QByteArray(R"({"id":1,"method":"transactionSubscribe","params":[{"accountInclude":[1]}]})")
        << u"accountInclude"_s;
}

void tst_DataPlaneCodec::decodeSubscribeRequestErrors()
{
    QFETCH(QByteArray, frame);
    QFETCH(QString, messageContains);

    const Result<SubscribeRequest> r = SlotScope::decodeSubscribeRequest(frame);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.contains(messageContains), qPrintable(r.error().message));
}

void tst_DataPlaneCodec::serverFrames()
{
    QCOMPARE(encodeSubscribeAck(1, 24040), QByteArray(R"({"jsonrpc":"2.0","result":24040,"id":1})"));
    QCOMPARE(encodeRpcError(3, -32602, u"Invalid \"params\""_s),
             QByteArray(R"({"jsonrpc":"2.0","error":{"code":-32602,"message":"Invalid \"params\""},"id":3})"));
    QCOMPARE(encodeRpcError(-1, -32700, u"Parse error"_s),
             QByteArray(R"({"jsonrpc":"2.0","error":{"code":-32700,"message":"Parse error"},"id":null})"));

    const Result<DataPlaneMessage> error = decodeDataPlaneMessage(encodeRpcError(3, -32602, u"Invalid \"params\""_s));
    QVERIFY(error.ok());
    QCOMPARE(std::get<DataPlane::RpcError>(*error).message, u"Invalid \"params\""_s);

    const QByteArray raw = hyperlaneTransaction();
    const QByteArray notification = encodeTransactionNotification(7, raw);
    QCOMPARE(notification,
             R"({"jsonrpc":"2.0","method":"transactionNotification","params":{"subscription":7,"result":)" + raw + "}}");
    const Result<DataPlaneMessage> back = decodeDataPlaneMessage(notification);
    QVERIFY(back.ok());
    QCOMPARE(std::get<DataPlane::TransactionNotification>(*back).result.toByteArray(), raw);
    QVERIFY(QJsonDocument::fromJson(notification).isObject());

    const QByteArray diff = encodeAccountDiffNotification(9, R"({"context":{"slot":5},"account":"A","signature":null})");
    QCOMPARE(diff, QByteArray(R"({"jsonrpc":"2.0","method":"accountDiffNotification","params":{"subscription":9,)"
                              R"("result":{"context":{"slot":5},"account":"A","signature":null}}})"));
}

Q_DECLARE_METATYPE(std::optional<quint64>)
Q_DECLARE_METATYPE(std::optional<SlotScope::ReplayGap>)

void tst_DataPlaneCodec::replayGapPastTheWindow_data()
{
    // The server holds newest − 99 … newest (PROTOCOL.md §5.2, 100 slots).
    QTest::addColumn<quint64>("resume");
    QTest::addColumn<quint64>("newest");
    QTest::addColumn<std::optional<quint64>>("reportedThrough");
    QTest::addColumn<std::optional<ReplayGap>>("expected");
    const std::optional<quint64> none;
    const std::optional<ReplayGap> noGap;
    QTest::newRow("resume slot still held") << quint64(2050) << quint64(2120) << none << noGap;
    QTest::newRow("resume slot the oldest held") << quint64(2000) << quint64(2099) << none << noGap;
    QTest::newRow("one slot gone") << quint64(2000) << quint64(2100) << none << std::optional(ReplayGap{2000, 2000});
    QTest::newRow("far behind") << quint64(2013) << quint64(2299) << none << std::optional(ReplayGap{2013, 2199});
    QTest::newRow("resume ahead of the control plane") << quint64(2300) << quint64(2299) << none << noGap;
    QTest::newRow("newest below the window size") << quint64(0) << quint64(99) << none << noGap;
    QTest::newRow("slot 0 gone") << quint64(0) << quint64(100) << none << std::optional(ReplayGap{0, 0});
    QTest::newRow("reported before: the rest") << quint64(2013) << quint64(2399) << std::optional<quint64>(2199)
                                              << std::optional(ReplayGap{2200, 2299});
    QTest::newRow("reported before: nothing new") << quint64(2013) << quint64(2250) << std::optional<quint64>(2199)
                                                  << noGap;
    QTest::newRow("reported before the resume slot") << quint64(2500) << quint64(2700) << std::optional<quint64>(2199)
                                                     << std::optional(ReplayGap{2500, 2600});
}

void tst_DataPlaneCodec::replayGapPastTheWindow()
{
    QFETCH(quint64, resume);
    QFETCH(quint64, newest);
    QFETCH(std::optional<quint64>, reportedThrough);
    QFETCH(std::optional<ReplayGap>, expected);
    const std::optional<ReplayGap> gap = replayGap(resume, newest, reportedThrough);
    QCOMPARE(gap.has_value(), expected.has_value());
    if (gap) {
        QCOMPARE(gap->firstSlot, expected->firstSlot);
        QCOMPARE(gap->lastSlot, expected->lastSlot);
        QCOMPARE(gap->slotCount(), expected->lastSlot - expected->firstSlot + 1);
    }
}

void tst_DataPlaneCodec::replayStartedLateShowsAGap()
{
    // A replay from slot 2013 (inclusive) begins with slot 2013 again while
    // the server still holds it; a later first slot shows it did not.
    QCOMPARE(replayStartedLate(2013, 2013), std::nullopt);
    QCOMPARE(replayStartedLate(2013, 2010), std::nullopt); // (an older slot: nothing lost)
    QCOMPARE(replayStartedLate(2013, 2014), std::optional(ReplayGap{2013, 2013}));
    QCOMPARE(replayStartedLate(2013, 2115), std::optional(ReplayGap{2013, 2114}));
    QCOMPARE(replayStartedLate(2013, 2115, 2099), std::optional(ReplayGap{2100, 2114}));
    QCOMPARE(replayStartedLate(2013, 2115, 2114), std::nullopt);
}

QTEST_GUILESS_MAIN(tst_DataPlaneCodec)
#include "tst_dataplanecodec.moc"
