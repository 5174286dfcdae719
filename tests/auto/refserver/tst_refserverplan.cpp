#include "protocol/base58.h"
#include "protocol/transactionfiles.h"
#include "protocol/transactionsummary.h"
#include "refserver/httphead.h"
#include "refserver/synthetictransactions.h"
#include "refserver/transactionplan.h"
#include "support/fixtures.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace SlotScope;
using SlotScope::Testing::fixturesDir;
using namespace SlotScope::Internal;

namespace {

const QString JupiterV6 = u"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"_s;

QJsonObject parse(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

/// Every transaction of a plan in execution order.
QList<PlannedTransaction> allOf(const TransactionPlan &plan)
{
    QList<PlannedTransaction> out;
    for (auto at = plan.nextTransaction({plan.startSlot(), 0}); at;
         at = plan.nextTransaction({at->slot, at->batch + 1})) {
        out.append(plan.transactionAt(*at));
    }
    return out;
}

QByteArray withoutSlot(QByteArray json)
{
    static const QRegularExpression slot(uR"("slot":\d+)"_s);
    return QString::fromUtf8(json).replace(slot, u"\"slot\":0"_s).toUtf8();
}

} // namespace

class tst_RefServerPlan : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void topLevelMember_data();
    void topLevelMember();
    void rewriteSlot_data();
    void rewriteSlot();
    void loadedSpreadOverRange_data();
    void loadedSpreadOverRange();
    void loadedKeepsBytesExceptSlot();
    void loadedSparseRangeIsCheap();
    void loadedPerSlotCopies();
    void syntheticDeterministic();
    void syntheticSummarizes();
    void syntheticPerSlot();
    void syntheticCanonicalJson();
    void jsonDoubleText_data();
    void jsonDoubleText();
    void mayInvoke();
    void httpHead_data();
    void httpHead();

private:
    std::shared_ptr<const TransactionCatalog> m_fixtures;
    QList<LoadedTransaction> m_loaded;
};

void tst_RefServerPlan::initTestCase()
{
    auto catalog = TransactionCatalog::load(fixturesDir());
    QVERIFY2(catalog.ok(), qPrintable(catalog.ok() ? QString() : catalog.error().message));
    m_fixtures = *catalog;
    auto loaded = loadTransactionDirectory(fixturesDir());
    QVERIFY(loaded.ok());
    m_loaded = *loaded;
    QCOMPARE(m_fixtures->transactions().size(), 31);
}

void tst_RefServerPlan::topLevelMember_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QByteArray>("value"); // empty = absent

    QTest::addRow("first") << QByteArray(R"({"slot":5,"x":1})") << QByteArray("slot") << QByteArray("5");
    QTest::addRow("after nested slot")
        << QByteArray(R"({"meta":{"slot":7},"slot": 123456789012 ,"y":[{"slot":1}]})") << QByteArray("slot")
        << QByteArray("123456789012");
    QTest::addRow("string with braces") << QByteArray(R"({"a":"}{\"slot\":9","slot":2})") << QByteArray("slot")
                                         << QByteArray("2");
    QTest::addRow("absent") << QByteArray(R"({"meta":{"slot":7}})") << QByteArray("slot") << QByteArray();
    QTest::addRow("empty object") << QByteArray("{}") << QByteArray("slot") << QByteArray();
    QTest::addRow("not an object") << QByteArray("[1]") << QByteArray("slot") << QByteArray();
}

void tst_RefServerPlan::topLevelMember()
{
    QFETCH(QByteArray, json);
    QFETCH(QByteArray, key);
    QFETCH(QByteArray, value);
    const auto span = topLevelMemberSpan(json, key);
    if (value.isEmpty()) {
        QVERIFY(!span);
        return;
    }
    QVERIFY(span);
    QCOMPARE(json.mid(span->first, span->second - span->first), value);
}

void tst_RefServerPlan::rewriteSlot_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QByteArray>("expected");
    QTest::addRow("present") << QByteArray(R"({"blockTime":1,"slot":287824122,"meta":{}})")
                             << QByteArray(R"({"blockTime":1,"slot":1042,"meta":{}})");
    QTest::addRow("absent") << QByteArray(R"({"blockTime":1})") << QByteArray(R"({"slot":1042,"blockTime":1})");
    QTest::addRow("absent, empty") << QByteArray("{}") << QByteArray(R"({"slot":1042})");
}

void tst_RefServerPlan::rewriteSlot()
{
    QFETCH(QByteArray, json);
    QFETCH(QByteArray, expected);
    const auto span = topLevelMemberSpan(json, "slot");
    QCOMPARE(Internal::rewriteSlot(json, span ? span->first : -1, span ? span->second : -1, 1042), expected);
}

void tst_RefServerPlan::loadedSpreadOverRange_data()
{
    QTest::addColumn<quint64>("start");
    QTest::addColumn<quint64>("end");
    QTest::addRow("longer than N") << quint64(1000) << quint64(1199);
    QTest::addRow("shorter than N") << quint64(1000) << quint64(1009);
    QTest::addRow("one slot") << quint64(7) << quint64(7);
    QTest::addRow("exactly N") << quint64(0) << quint64(30);
}

void tst_RefServerPlan::loadedSpreadOverRange()
{
    QFETCH(quint64, start);
    QFETCH(quint64, end);
    const TransactionPlan plan(m_fixtures, start, end, 0);
    const QList<PlannedTransaction> all = allOf(plan);
    QCOMPARE(all.size(), 31);
    const quint64 length = end - start + 1;
    QHash<quint64, quint32> perSlot;
    for (int i = 0; i < all.size(); ++i) {
        const PlannedTransaction &t = all.at(i);
        // Transaction i of N (sorted order) at start + floor(i × len / N).
        QCOMPARE(t.position.slot, start + quint64(i) * length / 31);
        QCOMPARE(t.position.batch, perSlot[t.position.slot]++);
        QCOMPARE(t.signature, m_loaded.at(i).signature);
        QCOMPARE(quint64(parse(t.json).value(u"slot"_s).toInteger()), t.position.slot);
    }
    quint64 total = 0;
    for (quint64 slot = start; slot <= end; ++slot) {
        QCOMPARE(plan.batchCount(slot), perSlot.value(slot));
        total += plan.batchCount(slot);
    }
    QCOMPARE(total, quint64(31));
    QCOMPARE(plan.batchCount(end + 1), 0u);
}

void tst_RefServerPlan::loadedKeepsBytesExceptSlot()
{
    const TransactionPlan plan(m_fixtures, 5000, 5099, 0);
    const QList<PlannedTransaction> all = allOf(plan);
    QCOMPARE(all.size(), m_loaded.size());
    for (int i = 0; i < all.size(); ++i) {
        QCOMPARE(withoutSlot(all.at(i).json), withoutSlot(m_loaded.at(i).json));
        QVERIFY(all.at(i).json.contains("\"slot\":" + QByteArray::number(all.at(i).position.slot)));
    }
}

void tst_RefServerPlan::loadedSparseRangeIsCheap()
{
    // 31 transactions over a billion slots: the next transaction is found by
    // arithmetic, not by walking empty slots.
    const TransactionPlan plan(m_fixtures, 0, 999999999, 0);
    QList<Position> positions;
    for (auto at = plan.nextTransaction({0, 0}); at; at = plan.nextTransaction({at->slot, at->batch + 1}))
        positions.append(*at);
    QCOMPARE(positions.size(), 31);
    QCOMPARE(positions.first(), (Position{0, 0}));
    QCOMPARE(positions.at(1).slot, quint64(1000000000ULL / 31));
    QCOMPARE(plan.nextTransaction({positions.at(1).slot + 1, 0}), std::optional<Position>(positions.at(2)));
}

void tst_RefServerPlan::loadedPerSlotCopies()
{
    const TransactionPlan plan(m_fixtures, 100, 119, 3);
    const QList<PlannedTransaction> all = allOf(plan);
    QCOMPARE(all.size(), 60);
    QSet<QString> signatures;
    QSet<QString> originals;
    for (const LoadedTransaction &t : std::as_const(m_loaded))
        originals.insert(t.signature);
    TransactionSummarizer summarizer;
    for (int g = 0; g < all.size(); ++g) {
        const PlannedTransaction &t = all.at(g);
        QCOMPARE(t.position, (Position{100 + quint64(g) / 3, quint32(g % 3)}));
        QVERIFY(!originals.contains(t.signature));
        signatures.insert(t.signature);
        // The copy is the cycled original with slot and signature rewritten.
        const LoadedTransaction &original = m_loaded.at(g % 31);
        QByteArray expected = withoutSlot(original.json);
        expected.replace(original.signature.toLatin1(), t.signature.toLatin1());
        QCOMPARE(withoutSlot(t.json), expected);
        auto summary = summarizer.summarize(t.json);
        QVERIFY(summary.ok());
        QCOMPARE(summary->signature, t.signature);
        QCOMPARE(summary->slot, t.position.slot);
        QCOMPARE(QByteArray(base58Decode(t.signature.toLatin1()).value_or(QByteArray())).size(), 64);
    }
    QCOMPARE(signatures.size(), 60);
    // Deterministic: a second plan yields the same signatures.
    const TransactionPlan again(m_fixtures, 100, 119, 3);
    QCOMPARE(again.transactionAt({105, 2}).signature, plan.transactionAt({105, 2}).signature);
}

void tst_RefServerPlan::syntheticDeterministic()
{
    const auto a = TransactionCatalog::synthetic(7);
    const auto b = TransactionCatalog::synthetic(7);
    const auto c = TransactionCatalog::synthetic(8);
    const TransactionPlan planA(a, 10, 30, 0), planB(b, 10, 30, 0), planC(c, 10, 30, 0);
    const QList<PlannedTransaction> listA = allOf(planA), listB = allOf(planB), listC = allOf(planC);
    QCOMPARE(listA.size(), listB.size());
    for (int i = 0; i < listA.size(); ++i)
        QCOMPARE(listA.at(i).json, listB.at(i).json);
    QVERIFY(listA.first().signature != listC.first().signature);
    for (quint64 slot = 10; slot <= 30; ++slot) {
        QVERIFY(planA.batchCount(slot) >= 2);
        QVERIFY(planA.batchCount(slot) <= 5);
    }
}

void tst_RefServerPlan::syntheticSummarizes()
{
    // What the generator claims (programs, keys, success) is what a real
    // summarizer reads from the JSON it produced.
    const TransactionPlan plan(TransactionCatalog::synthetic(1), 1000, 1199, 0);
    TransactionSummarizer summarizer;
    int jupiter = 0, failed = 0, innerJupiter = 0;
    QSet<QString> signatures;
    for (const PlannedTransaction &t : allOf(plan)) {
        auto summary = summarizer.summarize(t.json);
        QVERIFY2(summary.ok(), summary.ok() ? "" : qPrintable(summary.error().message));
        QCOMPARE(summary->signature, t.signature);
        QCOMPARE(summary->slot, t.position.slot);
        QCOMPARE(summary->success, t.success);
        QCOMPARE(t.success, plan.successAt(t.position));
        QCOMPARE(QSet<QString>(summary->programIds.cbegin(), summary->programIds.cend()),
                 QSet<QString>(t.programIds.cbegin(), t.programIds.cend()));
        QCOMPARE(plan.programIdsAt(t.position), t.programIds);
        for (const QString &key : std::as_const(summary->accountKeys))
            QVERIFY(t.keys.contains(key));
        QVERIFY(summary->computeUnitsConsumed.has_value());
        QCOMPARE(summary->feePayer, summary->accountKeys.first());
        QVERIFY(qint64(summary->fee) >= 5000);
        QCOMPARE(summary->feePayerSolChange < 0, true);
        if (!summary->success) {
            ++failed;
            QVERIFY(summary->error.startsWith(u"Error processing Instruction"_s));
        }
        if (summary->programIds.contains(JupiterV6)) {
            ++jupiter;
            const QJsonObject meta = parse(t.json).value(u"meta"_s).toObject();
            if (!meta.value(u"innerInstructions"_s).toArray().isEmpty())
                ++innerJupiter;
        }
        signatures.insert(t.signature);
    }
    QVERIFY(jupiter > 0);
    QCOMPARE(innerJupiter, jupiter);
    QVERIFY(failed > 0);
    QCOMPARE(signatures.size(), allOf(plan).size());
}

void tst_RefServerPlan::syntheticPerSlot()
{
    const TransactionPlan plan(TransactionCatalog::synthetic(1), 50, 59, 6);
    const QList<PlannedTransaction> all = allOf(plan);
    QCOMPARE(all.size(), 60);
    QSet<QString> signatures;
    for (const PlannedTransaction &t : all)
        signatures.insert(t.signature);
    QCOMPARE(signatures.size(), 60);
}

void tst_RefServerPlan::syntheticCanonicalJson()
{
    // The generator writes its JSON by hand; it must be exactly what
    // QJsonDocument writes for the same value (sorted keys, integers, shortest
    // doubles, no escaped '/' in base64), so a parse and re-write gives back
    // the same bytes.
    QSet<QString> seen; // kind/outcome pairs the sample covered
    for (quint32 seed = 1; seed <= 3; ++seed) {
        const SyntheticTransactions generator(seed);
        for (quint64 slot = 0; slot < 200; ++slot) {
            for (quint32 index = 0; index < 16; ++index) {
                const SyntheticTransaction t = generator.generate(slot, index);
                QJsonParseError error;
                const QJsonDocument document = QJsonDocument::fromJson(t.json, &error);
                QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
                if (document.toJson(QJsonDocument::Compact) != t.json)
                    QFAIL(qPrintable(u"seed %1 slot %2 index %3 is not canonical: %4"_s.arg(seed).arg(slot).arg(index)
                                         .arg(QString::fromUtf8(t.json))));
                seen.insert(QString::number(int(generator.kindAt(slot, index))) + (t.success ? u"+"_s : u"-"_s));
            }
        }
    }
    QCOMPARE(seen, (QSet<QString>{u"0+"_s, u"1+"_s, u"1-"_s, u"2+"_s, u"2-"_s}));
}

void tst_RefServerPlan::jsonDoubleText_data()
{
    QTest::addColumn<double>("value");
    // Integral values (QJsonDocument writes them as integers below 2^53), a
    // trailing-zero integral uiAmount, tiny fractions, values around 2^53.
    const double values[] = {1.0,  5.0,      90000000.0, 41017260.0, 1e15, 9007199254740992.0, 9007199254740996.0,
                             1e16, 1e21,     1.5,        0.1,        1e-6, 0.000007,           4.2e-9,
                             1e-9, 123.456, 2039.28,    713694.5,   1.0 / 3.0};
    for (double value : values)
        QTest::addRow("%.17g", value) << value;
}

void tst_RefServerPlan::jsonDoubleText()
{
    QFETCH(double, value);
    const QByteArray expected = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    QCOMPARE(QByteArray('[' + SlotScope::Internal::jsonDoubleText(value) + ']'), expected);
}

void tst_RefServerPlan::mayInvoke()
{
    const TransactionPlan loaded(m_fixtures, 0, 10, 0);
    QVERIFY(loaded.mayInvoke(JupiterV6));
    QVERIFY(!loaded.mayInvoke(u"Nope111111111111111111111111111111111111111"_s));
    const TransactionPlan synthetic(TransactionCatalog::synthetic(1), 0, 10, 0);
    QVERIFY(synthetic.mayInvoke(JupiterV6));
    QVERIFY(!synthetic.mayInvoke(u"Nope111111111111111111111111111111111111111"_s));
}

void tst_RefServerPlan::httpHead_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<bool>("upgrade");
    QTest::addColumn<QByteArray>("apiKey");

    QTest::addRow("upgrade with key")
        << QByteArray("GET /backtest HTTP/1.1\r\nHost: x\r\nupgrade: WebSocket\r\nx-api-key: k1\r\n\r\n")
        << int(HttpHeadStatus::Complete) << QByteArray("/backtest") << true << QByteArray("k1");
    QTest::addRow("query and body") << QByteArray("GET /health?x=1 HTTP/1.1\r\nHost: x\r\n\r\nBODY")
                                    << int(HttpHeadStatus::Complete) << QByteArray("/health") << false
                                    << QByteArray();
    QTest::addRow("incomplete") << QByteArray("GET /health HTTP/1.1\r\nHost: x\r\n") << int(HttpHeadStatus::Incomplete)
                                << QByteArray() << false << QByteArray();
    QTest::addRow("bad request line") << QByteArray("HELLO\r\n\r\n") << int(HttpHeadStatus::Malformed) << QByteArray()
                                      << false << QByteArray();
    QTest::addRow("bad header") << QByteArray("GET / HTTP/1.1\r\nnocolon\r\n\r\n") << int(HttpHeadStatus::Malformed)
                                << QByteArray() << false << QByteArray();
    QTest::addRow("too large") << QByteArray("GET / HTTP/1.1\r\nX: " + QByteArray(MaxHttpHeadSize, 'a'))
                               << int(HttpHeadStatus::Malformed) << QByteArray() << false << QByteArray();
    QTest::addRow("half a method") << QByteArray("GE") << int(HttpHeadStatus::Incomplete) << QByteArray() << false
                                   << QByteArray();
    QTest::addRow("nothing yet") << QByteArray() << int(HttpHeadStatus::Incomplete) << QByteArray() << false
                                 << QByteArray();
    // A wss:// client talking TLS to this plain server: refused at its first bytes.
    QTest::addRow("TLS ClientHello") << QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11)
                                     << int(HttpHeadStatus::Malformed) << QByteArray() << false << QByteArray();
    QTest::addRow("binary garbage") << QByteArray("GET\x00/ HTTP/1.1", 15) << int(HttpHeadStatus::Malformed)
                                    << QByteArray() << false << QByteArray();
}

void tst_RefServerPlan::httpHead()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, status);
    QFETCH(QByteArray, path);
    QFETCH(bool, upgrade);
    QFETCH(QByteArray, apiKey);
    HttpRequestHead head;
    QCOMPARE(int(parseHttpRequestHead(bytes, &head)), status);
    if (status != int(HttpHeadStatus::Complete))
        return;
    QCOMPARE(head.path, path);
    QCOMPARE(head.isWebSocketUpgrade(), upgrade);
    QCOMPARE(head.header("X-API-Key").value_or(QByteArray()), apiKey);
    QCOMPARE(bytes.left(head.headSize).endsWith("\r\n\r\n"), true);
}

QTEST_GUILESS_MAIN(tst_RefServerPlan)
#include "tst_refserverplan.moc"
