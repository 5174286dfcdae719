// Loading the shared Solana fixtures (fixtures README "Exact JSON shapes seen"):
// getTransaction envelopes, bare objects, getBlock results, the derived array,
// directory de-duplication and ordering, exact integers, and the error cases.

#include "protocol/base58.h"
#include "protocol/transactionfiles.h"
#include "support/fixtures.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <tuple>

using namespace SlotScope;
using namespace SlotScope::Testing;
using namespace Qt::StringLiterals;

namespace {

QJsonDocument parse(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        qWarning("JSON parse error: %s", qPrintable(error.errorString()));
    return doc;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

const QString kJupSwap =
    u"jup-ag-instruction-parser/tx-2m6e4MBQ2wKiFhtc8d479C6SUKkqEiBzemwxSQVaSdr4zGHdoefxWz28u2rnCtUu7SfcgwWpEBDr3L5NZnEqffnv.json"_s;
const QString kDerived = u"derived/mainnet_transactions_by_slot.json"_s;

} // namespace

class TestTransactionFiles : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void singleFile_data();
    void singleFile();
    void blockEntriesAreStandalone_data();
    void blockEntriesAreStandalone();
    void envelopeAndBareKeepTheResultObject_data();
    void envelopeAndBareKeepTheResultObject();
    void derivedArray();
    void integersStayExactInFixtures();
    void integersStayExactBeyondDouble();
    void directory();
    void directoryDedupFirstPathWins();
    void relativeDirectory_data();
    void relativeDirectory();
    void binaryTransactionSignature();
    void malformedFiles_data();
    void malformedFiles();
    void directoryErrors();
};

void TestTransactionFiles::singleFile_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("count");
    QTest::addColumn<quint64>("firstSlot");
    QTest::addColumn<quint64>("lastSlot");
    QTest::addColumn<QString>("firstSignaturePrefix");

    QTest::addRow("getBlock json slot 100M") << u"coinbase-chainstorage/client/solana/block.json"_s << 10
                                             << quint64(100000000) << quint64(100000000) << u"2xRnwfAMxAvv"_s;
    QTest::addRow("getBlock jsonParsed slot 100M") << u"coinbase-chainstorage/client/solana/block_v2.json"_s << 10
                                                   << quint64(100000000) << quint64(100000000) << u"2xRnwfAMxAvv"_s;
    QTest::addRow("getBlock failed tx") << u"coinbase-chainstorage/parser/solana/block_241043141_v2.json"_s << 1
                                        << quint64(241043141) << quint64(241043141) << u"7ynjNWxA4yAQ"_s;
    QTest::addRow("getBlock account deletion") << u"coinbase-chainstorage/parser/solana/block_account_deletion.json"_s
                                               << 1 << quint64(195545750) << quint64(195545750) << u"4H6uGfHviqT8"_s;
    QTest::addRow("getBlock versioned") << u"coinbase-chainstorage/parser/solana/block_with_versioned_tx.json"_s << 1
                                        << quint64(154808473) << quint64(154808473) << u"5X7cr7bxjwoW"_s;
    QTest::addRow("derived array") << kDerived << 31 << quint64(100000000) << quint64(419685246) << u"2xRnwfAMxAvv"_s;
    QTest::addRow("bare delivery") << u"hyperlane-monorepo/delivery_message_txn.json"_s << 1 << quint64(290198208)
                                   << quint64(290198208) << u"5pBEVfDD3sii"_s;
    QTest::addRow("bare two instructions") << u"hyperlane-monorepo/dispatch_message_two_instructions_in_one_txn.json"_s
                                           << 1 << quint64(322600797) << quint64(322600797) << u"4eYvYYnFNQaK"_s;
    QTest::addRow("bare dispatch") << u"hyperlane-monorepo/dispatch_message_txn.json"_s << 1 << quint64(297626301)
                                   << quint64(297626301) << u"4nRGgV9tqCui"_s;
    QTest::addRow("bare jsonParsed v0")
        << u"hyperlane-monorepo/solana_complex_transaction_including_token_transfer.json"_s << 1
        << quint64(322677794) << quint64(322677794) << u"hSCrDMhMPdaM"_s;
    QTest::addRow("envelope jup 2m6e4MBQ") << kJupSwap << 1 << quint64(273851860) << quint64(273851860)
                                           << u"2m6e4MBQ2wKi"_s;
    QTest::addRow("envelope explorer usdc")
        << u"solana-foundation-explorer/mainnet-single-usdc-4LXpF3MCdp69iFmD27Sn812UNpqFPHM4qXH7Y12E964p9GHXvwMe1XEmyasogVT2N4XEctdQQLf1sHY6Gvsa5sFX.json"_s
        << 1 << quint64(419685246) << quint64(419685246) << u"4LXpF3MCdp69"_s;
}

void TestTransactionFiles::singleFile()
{
    QFETCH(QString, path);
    QFETCH(int, count);
    QFETCH(quint64, firstSlot);
    QFETCH(quint64, lastSlot);
    QFETCH(QString, firstSignaturePrefix);

    const auto loaded = loadTransactionFile(fixturePath(path));
    QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().message));
    QCOMPARE(loaded->size(), count);
    QCOMPARE(loaded->constFirst().slot, firstSlot);
    QCOMPARE(loaded->constLast().slot, lastSlot);
    QVERIFY(loaded->constFirst().signature.startsWith(firstSignaturePrefix));

    for (int i = 0; i < loaded->size(); ++i) {
        const LoadedTransaction &tx = loaded->at(i);
        QCOMPARE(tx.positionInSource, i);
        QCOMPARE(tx.sourceFile, QFileInfo(path).fileName());
        QVERIFY(!tx.json.contains('\n'));
        const QJsonObject object = parse(tx.json).object();
        QVERIFY(object.contains(u"transaction"_s));
        QVERIFY(object.contains(u"meta"_s));
        QCOMPARE(object.value(u"slot"_s).toInteger(), qint64(tx.slot));
        QCOMPARE(object[u"transaction"_s][u"signatures"_s][0].toString(), tx.signature);
    }
}

void TestTransactionFiles::blockEntriesAreStandalone_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("prefix");
    QTest::addColumn<QString>("version"); // "" = no version key

    QTest::addRow("json, no version") << u"coinbase-chainstorage/client/solana/block.json"_s
                                      << "{\"slot\":100000000,\"blockTime\":1633504705,"_ba << QString();
    QTest::addRow("jsonParsed, legacy") << u"coinbase-chainstorage/client/solana/block_v2.json"_s
                                        << "{\"slot\":100000000,\"blockTime\":1633504705,"_ba << u"legacy"_s;
    QTest::addRow("failed, no rewards key") << u"coinbase-chainstorage/parser/solana/block_241043141_v2.json"_s
                                            << "{\"slot\":241043141,\"blockTime\":1704919455,"_ba << u"legacy"_s;
    QTest::addRow("versioned") << u"coinbase-chainstorage/parser/solana/block_with_versioned_tx.json"_s
                               << "{\"slot\":154808473,\"blockTime\":1633504705,"_ba << u"0"_s;
}

void TestTransactionFiles::blockEntriesAreStandalone()
{
    QFETCH(QString, path);
    QFETCH(QByteArray, prefix);
    QFETCH(QString, version);

    const QJsonObject block = parse(readFixture(path)).object();
    const QJsonArray entries = block[u"transactions"_s].toArray();
    const auto loaded = loadTransactionFile(fixturePath(path));
    QVERIFY(loaded.ok());
    QCOMPARE(loaded->size(), entries.size());
    for (int i = 0; i < entries.size(); ++i) {
        const LoadedTransaction &tx = loaded->at(i);
        QVERIFY2(tx.json.startsWith(prefix), tx.json.left(60).constData());
        QJsonObject object = parse(tx.json).object();
        if (version.isEmpty())
            QVERIFY(!object.contains(u"version"_s));
        else
            QCOMPARE(object[u"version"_s].toVariant().toString(), version);
        QCOMPARE(object.take(u"slot"_s).toInteger(), qint64(block[u"parentSlot"_s].toInteger() + 1));
        QCOMPARE(object.take(u"blockTime"_s).toInteger(), block[u"blockTime"_s].toInteger());
        QCOMPARE(object, entries.at(i).toObject()); // the entry itself, nothing lost or added
    }
}

void TestTransactionFiles::envelopeAndBareKeepTheResultObject_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("envelope");
    QTest::addRow("getTransaction envelope") << kJupSwap << true;
    QTest::addRow("explorer envelope with transactionIndex")
        << u"solana-foundation-explorer/mainnet-multi-sol-2msqMqeUTTZhgite3PvWSLJhZJ3m4v4UMbDAcXymTPpXwKM5PcKfZFfxn4izZ2UTZmngYJeWSf1ztdD6kdeDkdbr.json"_s
        << true;
    QTest::addRow("bare object") << u"hyperlane-monorepo/dispatch_message_txn.json"_s << false;
}

void TestTransactionFiles::envelopeAndBareKeepTheResultObject()
{
    QFETCH(QString, path);
    QFETCH(bool, envelope);
    const QJsonObject source = parse(readFixture(path)).object();
    const auto loaded = loadTransactionFile(fixturePath(path));
    QVERIFY(loaded.ok());
    QCOMPARE(loaded->size(), 1);
    const QJsonObject expected = envelope ? source[u"result"_s].toObject() : source;
    QCOMPARE(parse(loaded->constFirst().json).object(), expected);
    QCOMPARE(loaded->constFirst().slot, quint64(expected[u"slot"_s].toInteger()));
}

void TestTransactionFiles::derivedArray()
{
    const QJsonArray source = parse(readFixture(kDerived)).array();
    const auto loaded = loadTransactionFile(fixturePath(kDerived));
    QVERIFY(loaded.ok());
    QCOMPARE(loaded->size(), 31);
    QCOMPARE(source.size(), 31);
    for (int i = 0; i < 31; ++i) {
        const QJsonObject expected = source.at(i)[u"result"_s].toObject();
        QCOMPARE(parse(loaded->at(i).json).object(), expected);
        QCOMPARE(loaded->at(i).slot, quint64(expected[u"slot"_s].toInteger()));
        QCOMPARE(loaded->at(i).positionInSource, i);
        if (i > 0)
            QVERIFY(loaded->at(i - 1).slot <= loaded->at(i).slot);
    }
}

void TestTransactionFiles::integersStayExactInFixtures()
{
    // Lamports above 2^32, token amounts as strings, uiAmount doubles: textually unchanged.
    const auto failed = loadTransactionFile(fixturePath(u"coinbase-chainstorage/parser/solana/block_241043141_v2.json"_s));
    QVERIFY(failed.ok());
    const QByteArray json = failed->constFirst().json;
    QVERIFY(json.contains(",10923798255771,"));
    QVERIFY(json.contains(",418787401967,"));
    QVERIFY(json.contains("\"amount\":\"10923796216491\""));
    QVERIFY(json.contains("\"uiAmount\":10923.796216491"));
    QVERIFY(json.contains("\"uiAmount\":0.9,"));
    QVERIFY(json.contains("\"computeUnitsConsumed\":52577"));

    const auto usdc = loadTransactionFile(fixturePath(
        u"solana-foundation-explorer/mainnet-single-usdc-4LXpF3MCdp69iFmD27Sn812UNpqFPHM4qXH7Y12E964p9GHXvwMe1XEmyasogVT2N4XEctdQQLf1sHY6Gvsa5sFX.json"_s));
    QVERIFY(usdc.ok());
    const QByteArray usdcJson = usdc->constFirst().json;
    QVERIFY(usdcJson.contains("\"preBalances\":[401428673570,14459811399,"));
    QVERIFY(usdcJson.contains("\"uiAmount\":15.0,")); // a double stays a double, as written
    QVERIFY(usdcJson.contains("\"uiAmount\":101899.968394,"));
    QVERIFY(usdcJson.contains("\"transactionIndex\":371"));
    // No number token (after ':', ',' or '[') was rewritten with an exponent.
    static const QRegularExpression exponent(u"[:,\\[]-?[0-9]+(\\.[0-9]+)?[eE][+-]?[0-9]"_s);
    QVERIFY(u"{\"lamports\":1.8446744073709552e+19}"_s.contains(exponent)); // what a double round trip writes
    QVERIFY(!QString::fromUtf8(usdcJson).contains(exponent));
}

void TestTransactionFiles::integersStayExactBeyondDouble()
{
    // u64 values a double (2^53 + 1) or a qint64 (u64::MAX) cannot hold, in a bare
    // transaction and in a block; both must come out digit for digit.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QByteArray entry =
        R"({"meta":{"err":null,"fee":5000,"preBalances":[9007199254740993,18446744073709551615],)"
        R"("postBalances":[9007199254735993,18446744073709551615],"rentEpoch":18446744073709551615},)"
        R"("transaction":{"signatures":["5SigA"],"message":{"accountKeys":["A","B"]}}})";
    QVERIFY(writeFile(dir.filePath(u"block.json"_s),
                      R"({"parentSlot":18446744073709551614,"blockTime":-5,"transactions":[)" + entry + "]}"));
    const auto block = loadTransactionFile(dir.filePath(u"block.json"_s));
    QVERIFY2(block.ok(), qPrintable(block.ok() ? QString() : block.error().message));
    QCOMPARE(block->constFirst().slot, quint64(18446744073709551615ULL));
    QCOMPARE(block->constFirst().json,
             R"({"slot":18446744073709551615,"blockTime":-5,)" + entry.mid(1));

    QVERIFY(writeFile(dir.filePath(u"bare.json"_s), "{\"slot\": 18446744073709551615, " + entry.mid(1)));
    const auto bare = loadTransactionFile(dir.filePath(u"bare.json"_s));
    QVERIFY(bare.ok());
    QCOMPARE(bare->constFirst().slot, quint64(18446744073709551615ULL));
    QCOMPARE(bare->constFirst().json, "{\"slot\":18446744073709551615," + entry.mid(1));
}

void TestTransactionFiles::directory()
{
    const auto loaded = loadTransactionDirectory(fixturesDir());
    QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().message));
    QCOMPARE(loaded->size(), 31); // README: 31 unique transactions

    QSet<QString> signatures;
    for (const LoadedTransaction &tx : *loaded)
        signatures.insert(tx.signature);
    QCOMPARE(signatures.size(), 31);

    // Same transactions, same order as the derived replay stream (sorted by slot, position in block).
    const QJsonArray derived = parse(readFixture(kDerived)).array();
    for (int i = 0; i < 31; ++i) {
        QCOMPARE(loaded->at(i).signature, derived.at(i)[u"result"_s][u"transaction"_s][u"signatures"_s][0].toString());
        QCOMPARE(loaded->at(i).slot, quint64(derived.at(i)[u"result"_s][u"slot"_s].toInteger()));
    }

    // First in path order wins: the json block before block_v2 and before derived/;
    // derived/ before hyperlane-monorepo/, jup-ag-…/ and solana-foundation-…/.
    QStringList sources;
    for (const LoadedTransaction &tx : *loaded)
        sources.append(tx.sourceFile);
    QStringList expected;
    for (int i = 0; i < 10; ++i)
        expected.append(u"coinbase-chainstorage/client/solana/block.json"_s);
    expected << u"coinbase-chainstorage/parser/solana/block_with_versioned_tx.json"_s
             << u"coinbase-chainstorage/parser/solana/block_account_deletion.json"_s
             << u"coinbase-chainstorage/parser/solana/block_241043141_v2.json"_s;
    for (int i = 0; i < 18; ++i)
        expected.append(kDerived);
    QCOMPARE(sources, expected);

    for (int i = 0; i < 10; ++i)
        QCOMPARE(loaded->at(i).positionInSource, i);
    for (int i = 13; i < 31; ++i)
        QCOMPARE(loaded->at(i).positionInSource, i); // positions in the derived array

    for (int i = 1; i < loaded->size(); ++i) {
        const LoadedTransaction &a = loaded->at(i - 1);
        const LoadedTransaction &b = loaded->at(i);
        QVERIFY(std::tie(a.slot, a.sourceFile, a.positionInSource) < std::tie(b.slot, b.sourceFile, b.positionInSource));
    }
    QCOMPARE(loaded->constFirst().slot, quint64(100000000));
    QCOMPARE(loaded->constLast().slot, quint64(419685246));
}

void TestTransactionFiles::directoryDedupFirstPathWins()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QByteArray jup = readFixture(kJupSwap);
    const QByteArray block = readFixture(u"coinbase-chainstorage/client/solana/block.json"_s);
    QVERIFY(writeFile(dir.filePath(u"b/second.json"_s), block));
    QVERIFY(writeFile(dir.filePath(u"a/first.json"_s), block)); // same 10, earlier path
    QVERIFY(writeFile(dir.filePath(u"c.json"_s), jup));
    QVERIFY(writeFile(dir.filePath(u"notes.txt"_s), "not json, not *.json"));

    const auto loaded = loadTransactionDirectory(dir.path());
    QVERIFY(loaded.ok());
    QCOMPARE(loaded->size(), 11);
    for (int i = 0; i < 10; ++i) {
        QCOMPARE(loaded->at(i).sourceFile, u"a/first.json"_s);
        QCOMPARE(loaded->at(i).positionInSource, i);
    }
    QCOMPARE(loaded->at(10).sourceFile, u"c.json"_s);
    QCOMPARE(loaded->at(10).slot, quint64(273851860));
}

void TestTransactionFiles::relativeDirectory_data()
{
    QTest::addColumn<QString>("relative");
    QTest::addRow("name") << u"fixtures"_s;
    QTest::addRow("./name") << u"./fixtures"_s;
    QTest::addRow("name/") << u"fixtures/"_s;
    QTest::addRow(".") << u"."_s;
}

void TestTransactionFiles::relativeDirectory()
{
    // `--tx-dir solana` from the directory above it: the same transactions,
    // each named by its path below the directory given.
    QFETCH(QString, relative);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString base = relative == u"."_s ? dir.path() : dir.filePath(u"fixtures"_s);
    QVERIFY(writeFile(base + u"/a/block.json"_s, readFixture(u"coinbase-chainstorage/client/solana/block.json"_s)));
    QVERIFY(writeFile(base + u"/jup.json"_s, readFixture(kJupSwap)));
    const QString before = QDir::currentPath();
    const auto restore = qScopeGuard([&before] { QDir::setCurrent(before); });
    QVERIFY(QDir::setCurrent(dir.path()));

    const auto loaded = loadTransactionDirectory(relative);
    QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().message));
    QCOMPARE(loaded->size(), 11);
    QCOMPARE(loaded->constFirst().sourceFile, u"a/block.json"_s);
    QCOMPARE(loaded->constLast().sourceFile, u"jup.json"_s);
}

void TestTransactionFiles::binaryTransactionSignature()
{
    // A legacy wire transaction: 1 signature (bytes 0..63), header 1/0/1, 2 keys,
    // blockhash, one instruction calling key 1.
    QByteArray signature;
    for (int i = 0; i < 64; ++i)
        signature.append(char(i));
    QByteArray wire;
    wire.append(char(1)).append(signature);
    wire.append(char(1)).append(char(0)).append(char(1));
    wire.append(char(2)).append(QByteArray(32, '\x07')).append(QByteArray(32, '\0'));
    wire.append(QByteArray(32, '\x09'));
    wire.append(char(1)).append(char(1)).append(char(1)).append(char(0)).append(char(0));
    const QByteArray json = R"({"slot":7,"blockTime":null,"meta":{"err":null,"fee":5000,"preBalances":[10,1],)"
                            R"("postBalances":[5,1]},"transaction":[")" + wire.toBase64() + R"(","base64"]})";
    QTemporaryDir dir;
    QVERIFY(writeFile(dir.filePath(u"binary.json"_s), json));
    const auto loaded = loadTransactionFile(dir.filePath(u"binary.json"_s));
    QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().message));
    QCOMPARE(loaded->constFirst().signature, QString::fromLatin1(base58Encode(signature)));
    QCOMPARE(loaded->constFirst().slot, quint64(7));
    QCOMPARE(loaded->constFirst().json, json);
}

void TestTransactionFiles::malformedFiles_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("messagePart");
    QTest::addRow("not JSON") << "{\"slot\":1,"_ba << u"not JSON"_s;
    QTest::addRow("empty file") << QByteArray() << u"not JSON"_s;
    QTest::addRow("number") << "42"_ba << u"no recognised"_s;
    QTest::addRow("unrelated object") << "{\"foo\":1}"_ba << u"no recognised"_s;
    QTest::addRow("null result") << "{\"jsonrpc\":\"2.0\",\"result\":null,\"id\":1}"_ba << u"not an object"_s;
    QTest::addRow("no signatures") << "{\"slot\":1,\"transaction\":{\"message\":{}},\"meta\":null}"_ba
                                   << u"no signature"_s;
    QTest::addRow("empty signature") << "{\"slot\":1,\"transaction\":{\"signatures\":[\"\"]}}"_ba << u"no signature"_s;
    QTest::addRow("negative slot") << "{\"slot\":-1,\"transaction\":{\"signatures\":[\"x\"]}}"_ba << u"slot"_s;
    QTest::addRow("block without parentSlot") << "{\"transactions\":[]}"_ba << u"parentSlot"_s;
    QTest::addRow("block entry not object") << "{\"parentSlot\":1,\"transactions\":[1]}"_ba << u"not an object"_s;
    QTest::addRow("array of junk") << "[{\"source\":\"x\"}]"_ba << u"not a transaction"_s;
    QTest::addRow("binary garbage") << "{\"transaction\":[\"AAAA\",\"base64\"]}"_ba << u"transaction 0"_s;
}

void TestTransactionFiles::malformedFiles()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, messagePart);
    QTemporaryDir dir;
    QVERIFY(writeFile(dir.filePath(u"bad.json"_s), content));
    const auto loaded = loadTransactionFile(dir.filePath(u"bad.json"_s));
    QVERIFY(!loaded.ok());
    QVERIFY2(loaded.error().message.contains(messagePart), qPrintable(loaded.error().message));
}

void TestTransactionFiles::directoryErrors()
{
    QVERIFY(!loadTransactionFile(fixturePath(u"no/such/file.json"_s)).ok());

    const auto missing = loadTransactionDirectory(fixturePath(u"no-such-dir"_s));
    QVERIFY(!missing.ok());
    QVERIFY(missing.error().message.contains(u"not a directory"_s));

    QTemporaryDir empty;
    const auto none = loadTransactionDirectory(empty.path());
    QVERIFY(!none.ok());
    QVERIFY(none.error().message.contains(u"no transactions"_s));

    // A file with no recognised shape is skipped with a warning; the good one still loads.
    QTemporaryDir mixed;
    QVERIFY(writeFile(mixed.filePath(u"bad.json"_s), "{\"foo\":1}"));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"Skipping .*bad\\.json: no recognised"_s));
    const auto onlyBad = loadTransactionDirectory(mixed.path());
    QVERIFY(!onlyBad.ok());

    QVERIFY(writeFile(mixed.filePath(u"good.json"_s), readFixture(kJupSwap)));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"Skipping .*bad\\.json"_s));
    const auto oneGood = loadTransactionDirectory(mixed.path());
    QVERIFY(oneGood.ok());
    QCOMPARE(oneGood->size(), 1);
    QCOMPARE(oneGood->constFirst().sourceFile, u"good.json"_s);
}

QTEST_GUILESS_MAIN(TestTransactionFiles)
#include "tst_transactionfiles.moc"
