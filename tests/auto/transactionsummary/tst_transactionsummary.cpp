// TransactionSummarizer over every real transaction of the shared fixtures
// (invariants against an independent QJsonDocument reading), hand-checked
// values for seven of them, the binary wire form, malformed input, and the
// Display texts of TransactionError / InstructionError.

#include "protocol/base58.h"
#include "protocol/transactionfiles.h"
#include "protocol/transactionsummary.h"
#include "support/fixtures.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

using namespace SlotScope;
using namespace SlotScope::Testing;
using namespace Qt::StringLiterals;

namespace {

QJsonObject parseObject(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

/// The one transaction a fixture file holds, or entry `position` of a block/array file.
QByteArray loadedJson(const QString &relative, int position = 0)
{
    const auto loaded = loadTransactionFile(fixturePath(relative));
    if (!loaded || position >= loaded->size())
        qFatal("cannot load %s", qPrintable(relative));
    return loaded->at(position).json;
}

TransactionSummary summarizeOrFail(QByteArrayView json)
{
    TransactionSummarizer summarizer;
    auto result = summarizer.summarize(json);
    if (!result)
        qWarning("summarize failed: %s", qPrintable(result.error().message));
    return result ? *result : TransactionSummary{};
}

void compareSummaries(const TransactionSummary &a, const TransactionSummary &b)
{
    QCOMPARE(a.slot, b.slot);
    QCOMPARE(a.signature, b.signature);
    QCOMPARE(a.success, b.success);
    QCOMPARE(a.error, b.error);
    QCOMPARE(a.errorJson, b.errorJson);
    QCOMPARE(a.fee, b.fee);
    QCOMPARE(a.computeUnitsConsumed, b.computeUnitsConsumed);
    QCOMPARE(a.blockTime, b.blockTime);
    QCOMPARE(a.version, b.version);
    QCOMPARE(a.feePayer, b.feePayer);
    QCOMPARE(a.programIds, b.programIds);
    QCOMPARE(a.feePayerSolChange, b.feePayerSolChange);
    QCOMPARE(a.accountKeys, b.accountKeys);
    QCOMPARE(a.writableAccounts, b.writableAccounts);
    QCOMPARE(a.logs, b.logs);
    QCOMPARE(a.logsPresent, b.logsPresent);
    QCOMPARE(a.solChanges, b.solChanges);
    QCOMPARE(a.tokenChanges, b.tokenChanges);
    QCOMPARE(a.transactionIndex, b.transactionIndex);
}

// ---- Solana wire format, written here from a json-encoded transaction -------------

void appendCompactU16(QByteArray &out, uint value)
{
    do {
        uchar byte = value & 0x7f;
        value >>= 7;
        if (value)
            byte |= 0x80;
        out.append(char(byte));
    } while (value);
}

QByteArray decode58(const QJsonValue &value, qsizetype expectedSize = -1)
{
    const auto decoded = base58Decode(value.toString().toLatin1());
    if (!decoded || (expectedSize >= 0 && decoded->size() != expectedSize))
        qFatal("bad base58 %s", qPrintable(value.toString()));
    return *decoded;
}

/// The bincode wire bytes of a `json`-encoded transaction (signatures, message
/// header, static keys, blockhash, compiled instructions, v0 lookups).
QByteArray wireFromJson(const QJsonObject &transaction, bool versioned)
{
    QByteArray out;
    const QJsonArray signatures = transaction[u"signatures"_s].toArray();
    appendCompactU16(out, uint(signatures.size()));
    for (const QJsonValue &signature : signatures)
        out += decode58(signature, 64);

    const QJsonObject message = transaction[u"message"_s].toObject();
    if (versioned)
        out.append(char(0x80));
    const QJsonObject header = message[u"header"_s].toObject();
    out.append(char(header[u"numRequiredSignatures"_s].toInt()));
    out.append(char(header[u"numReadonlySignedAccounts"_s].toInt()));
    out.append(char(header[u"numReadonlyUnsignedAccounts"_s].toInt()));

    const QJsonArray keys = message[u"accountKeys"_s].toArray();
    appendCompactU16(out, uint(keys.size()));
    for (const QJsonValue &key : keys)
        out += decode58(key, 32);
    out += decode58(message[u"recentBlockhash"_s], 32);

    const QJsonArray instructions = message[u"instructions"_s].toArray();
    appendCompactU16(out, uint(instructions.size()));
    for (const QJsonValue &value : instructions) {
        const QJsonObject instruction = value.toObject();
        out.append(char(instruction[u"programIdIndex"_s].toInt()));
        const QJsonArray accounts = instruction[u"accounts"_s].toArray();
        appendCompactU16(out, uint(accounts.size()));
        for (const QJsonValue &account : accounts)
            out.append(char(account.toInt()));
        const QByteArray data = decode58(instruction[u"data"_s]);
        appendCompactU16(out, uint(data.size()));
        out += data;
    }
    if (versioned) {
        const QJsonArray lookups = message[u"addressTableLookups"_s].toArray();
        appendCompactU16(out, uint(lookups.size()));
        for (const QJsonValue &value : lookups) {
            const QJsonObject lookup = value.toObject();
            out += decode58(lookup[u"accountKey"_s], 32);
            for (const QString field : {u"writableIndexes"_s, u"readonlyIndexes"_s}) {
                const QJsonArray indexes = lookup[field].toArray();
                appendCompactU16(out, uint(indexes.size()));
                for (const QJsonValue &index : indexes)
                    out.append(char(index.toInt()));
            }
        }
    }
    return out;
}

/// The same transaction with `transaction` replaced by ["<wire>", encoding].
QByteArray asBinary(const QByteArray &json, const QString &encoding, QByteArray *wireOut = nullptr)
{
    QJsonObject object = parseObject(json);
    const bool versioned = object.contains(u"version"_s) && object[u"version"_s].isDouble();
    const QByteArray wire = wireFromJson(object[u"transaction"_s].toObject(), versioned);
    if (wireOut)
        *wireOut = wire;
    const QByteArray text = encoding == u"base58"_s ? base58Encode(wire) : wire.toBase64();
    object[u"transaction"_s] = QJsonArray{QString::fromLatin1(text), encoding};
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

const QString kBlock100M = u"coinbase-chainstorage/client/solana/block.json"_s;
const QString kBlock100MParsed = u"coinbase-chainstorage/client/solana/block_v2.json"_s;
const QString kFailedBlock = u"coinbase-chainstorage/parser/solana/block_241043141_v2.json"_s;
const QString kVersionedBlock = u"coinbase-chainstorage/parser/solana/block_with_versioned_tx.json"_s;
const QString kJupSwap =
    u"jup-ag-instruction-parser/tx-2m6e4MBQ2wKiFhtc8d479C6SUKkqEiBzemwxSQVaSdr4zGHdoefxWz28u2rnCtUu7SfcgwWpEBDr3L5NZnEqffnv.json"_s;
const QString kUsdc =
    u"solana-foundation-explorer/mainnet-single-usdc-4LXpF3MCdp69iFmD27Sn812UNpqFPHM4qXH7Y12E964p9GHXvwMe1XEmyasogVT2N4XEctdQQLf1sHY6Gvsa5sFX.json"_s;
const QString kHyperlaneDelivery = u"hyperlane-monorepo/delivery_message_txn.json"_s;

} // namespace

class TestTransactionSummary : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyFixtureTransaction_data();
    void everyFixtureTransaction();
    void ingestDetailAgreesWithFull_data() { everyFixtureTransaction_data(); }
    void ingestDetailAgreesWithFull();
    void inPlaceAgreesWithCopy_data() { everyFixtureTransaction_data(); }
    void inPlaceAgreesWithCopy();
    void paddingIsKept();

    void failedProgramFailedToComplete();
    void failedCustomZero();
    void versionedJsonWithLoadedAddresses();
    void innerProgramFromLoadedAddresses();
    void jupiterSwapJsonParsed();
    void usdcTransfer();
    void hyperlaneWithoutVersion();
    void jsonAndJsonParsedAgree();
    void envelopeEqualsBareResult();
    void optionalFields();

    void binaryMatchesJson_data();
    void binaryMatchesJson();
    void binaryErrors_data();
    void binaryErrors() { malformed(); } // the same check on damaged wire forms

    void malformed_data();
    void malformed();
    void summarizerIsReusable();
    void damagedInputNeverCrashes();
    void fixtureSetCounts();

    void errorText_data();
    void errorText();
    void errorTextAgreesWithRuntimeLogs();
};

// ---- every transaction: invariants against an independent reading -----------------

void TestTransactionSummary::everyFixtureTransaction_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("signature");
    QTest::addColumn<quint64>("slot");

    const auto all = loadTransactionDirectory(fixturesDir());
    QVERIFY(all.ok());
    QCOMPARE(all->size(), 31);
    for (const LoadedTransaction &tx : *all) {
        QTest::addRow("dir %s#%d %s", qPrintable(tx.sourceFile), tx.positionInSource, qPrintable(tx.signature.left(8)))
            << tx.json << tx.signature << tx.slot;
    }

    QStringList files;
    QDirIterator it(fixturesDir(), {u"*.json"_s}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        files.append(it.next());
    files.sort();
    int rows = 0;
    for (const QString &file : std::as_const(files)) {
        const auto loaded = loadTransactionFile(file);
        QVERIFY2(loaded.ok(), qPrintable(file));
        for (const LoadedTransaction &tx : *loaded) {
            QTest::addRow("file %s#%d %s", qPrintable(QDir(fixturesDir()).relativeFilePath(file)),
                          tx.positionInSource, qPrintable(tx.signature.left(8)))
                << tx.json << tx.signature << tx.slot;
            ++rows;
        }
    }
    QCOMPARE(files.size(), 24);
    QCOMPARE(rows, 72); // 31 unique + 10 jsonParsed copies + the 31 of the derived array
}

void TestTransactionSummary::everyFixtureTransaction()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, signature);
    QFETCH(quint64, slot);

    TransactionSummarizer summarizer;
    const auto result = summarizer.summarize(json);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    const TransactionSummary &s = *result;

    const QJsonObject tx = parseObject(json);
    const QJsonObject meta = tx[u"meta"_s].toObject();
    const QJsonObject message = tx[u"transaction"_s][u"message"_s].toObject();

    QCOMPARE(s.signature, signature);
    QCOMPARE(s.signature, tx[u"transaction"_s][u"signatures"_s][0].toString());
    const auto signatureBytes = base58Decode(s.signature.toLatin1());
    QVERIFY(signatureBytes.has_value());
    QCOMPARE(signatureBytes->size(), 64);
    QCOMPARE(s.slot, slot);
    QVERIFY(s.fee > 0);
    QCOMPARE(s.fee, quint64(meta[u"fee"_s].toInteger()));
    QCOMPARE(s.success, s.errorJson.isEmpty());
    QCOMPARE(s.success, meta[u"err"_s].isNull());
    QCOMPARE(s.error.isEmpty(), s.success);
    if (!s.success)
        QCOMPARE(parseObject(s.errorJson), meta[u"err"_s].toObject());
    QCOMPARE(s.blockTime.has_value(), !tx[u"blockTime"_s].isNull());
    if (s.blockTime)
        QCOMPARE(*s.blockTime, tx[u"blockTime"_s].toInteger());
    QCOMPARE(s.computeUnitsConsumed.has_value(), meta.contains(u"computeUnitsConsumed"_s));
    if (s.computeUnitsConsumed)
        QCOMPARE(*s.computeUnitsConsumed, quint64(meta[u"computeUnitsConsumed"_s].toInteger()));
    const QJsonValue version = tx[u"version"_s];
    QCOMPARE(s.version, version.isUndefined() ? QString()
                        : version.isString() ? version.toString()
                                             : QString::number(version.toInteger()));

    // Account keys: strings + loadedAddresses (json), or the objects' pubkeys (jsonParsed).
    QStringList keys;
    QStringList writable;
    bool parsed = false;
    for (const QJsonValue &key : message[u"accountKeys"_s].toArray()) {
        if (key.isString()) {
            keys.append(key.toString());
        } else {
            parsed = true;
            keys.append(key[u"pubkey"_s].toString());
            if (key[u"writable"_s].toBool())
                writable.append(keys.constLast());
        }
    }
    if (!parsed) {
        const QJsonObject header = message[u"header"_s].toObject();
        const int required = header[u"numRequiredSignatures"_s].toInt();
        const int readonlySigned = header[u"numReadonlySignedAccounts"_s].toInt();
        const int readonlyUnsigned = header[u"numReadonlyUnsignedAccounts"_s].toInt();
        const int staticCount = int(keys.size());
        for (int i = 0; i < staticCount; ++i) {
            if (i < required - readonlySigned || (i >= required && i < staticCount - readonlyUnsigned))
                writable.append(keys.at(i));
        }
        const QJsonObject loaded = meta[u"loadedAddresses"_s].toObject();
        for (const QJsonValue &key : loaded[u"writable"_s].toArray()) {
            keys.append(key.toString());
            writable.append(key.toString());
        }
        for (const QJsonValue &key : loaded[u"readonly"_s].toArray())
            keys.append(key.toString());
    }
    QCOMPARE(s.accountKeys, keys);
    QCOMPARE(s.writableAccounts, writable);
    QCOMPARE(s.feePayer, keys.constFirst());
    QVERIFY(s.writableAccounts.contains(s.feePayer));

    QVERIFY(!s.programIds.isEmpty());
    QCOMPARE(QSet<QString>(s.programIds.cbegin(), s.programIds.cend()).size(), s.programIds.size());
    for (const QString &program : s.programIds)
        QVERIFY2(keys.contains(program), qPrintable(program));

    const QJsonArray pre = meta[u"preBalances"_s].toArray();
    const QJsonArray post = meta[u"postBalances"_s].toArray();
    QCOMPARE(pre.size(), keys.size());
    QCOMPARE(post.size(), keys.size());
    QList<SolChange> solChanges;
    for (int i = 0; i < keys.size(); ++i) {
        if (pre.at(i).toInteger() != post.at(i).toInteger())
            solChanges.append({keys.at(i), quint64(pre.at(i).toInteger()), quint64(post.at(i).toInteger())});
    }
    QCOMPARE(s.solChanges, solChanges);
    QCOMPARE(s.feePayerSolChange, post.at(0).toInteger() - pre.at(0).toInteger());

    QCOMPARE(s.logsPresent, meta[u"logMessages"_s].isArray());
    QStringList logs;
    for (const QJsonValue &line : meta[u"logMessages"_s].toArray())
        logs.append(line.toString());
    QCOMPARE(s.logs, logs);

    qsizetype previous = -1;
    for (const TokenChange &change : s.tokenChanges) {
        QVERIFY(change.preAmount != change.postAmount);
        QVERIFY(!change.mint.isEmpty());
        const qsizetype index = keys.indexOf(change.account);
        QVERIFY(index > previous);
        previous = index;
    }
    QCOMPARE(s.transactionIndex.has_value(), tx.contains(u"transactionIndex"_s));
}

// ---- hand-checked transactions --------------------------------------------------

void TestTransactionSummary::ingestDetailAgreesWithFull()
{
    // Detail::Ingest (the live ingest path): every field the capture and the
    // model read is the Full summary's; logs come as the JSON array text,
    // keys and the writable list are left out.
    QFETCH(QByteArray, json);
    TransactionSummarizer full;
    TransactionSummarizer ingest;
    ingest.setDetail(TransactionSummarizer::Detail::Ingest);
    QCOMPARE(ingest.detail(), TransactionSummarizer::Detail::Ingest);
    const auto a = full.summarize(json);
    const auto b = ingest.summarize(json);
    QVERIFY(a.ok());
    QVERIFY(b.ok());
    QVERIFY(a->logsJson.isEmpty());
    QVERIFY(b->logs.isEmpty());
    QVERIFY(b->accountKeys.isEmpty());
    QVERIFY(b->writableAccounts.isEmpty());
    QVERIFY(!a->accountKeys.isEmpty());
    QJsonParseError error;
    const QJsonDocument logs = QJsonDocument::fromJson(b->logsJson, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    QVERIFY(logs.isArray());
    QCOMPARE(logs.array(), QJsonArray::fromStringList(a->logs));
    TransactionSummary rest = *b;
    rest.logs = a->logs;
    rest.accountKeys = a->accountKeys;
    rest.writableAccounts = a->writableAccounts;
    compareSummaries(rest, *a);
}

void TestTransactionSummary::inPlaceAgreesWithCopy()
{
    // summarizeInPlace() parses the caller's bytes, reading into the
    // kJsonReadPadding bytes after them: whatever those hold (here what a
    // frame's tail and stray JSON look like), the summary is summarize()'s.
    QFETCH(QByteArray, json);
    TransactionSummarizer copying;
    const auto expected = copying.summarize(json);
    QVERIFY(expected.ok());
    for (const char padding : {'\0', '}', '"', '\\', '1', ' '}) {
        for (const TransactionSummarizer::Detail detail :
             {TransactionSummarizer::Detail::Full, TransactionSummarizer::Detail::Ingest}) {
            const QByteArray frame = json + QByteArray(kJsonReadPadding, padding);
            TransactionSummarizer inPlace;
            inPlace.setDetail(detail);
            const auto a = inPlace.summarizeInPlace(QByteArrayView(frame).first(json.size()));
            QVERIFY2(a.ok(), qPrintable(a.ok() ? QString() : a.error().message));
            TransactionSummarizer reference;
            reference.setDetail(detail);
            compareSummaries(*a, *reference.summarize(json));
        }
    }
    // A cut short document is refused as before, not read on into the padding.
    const QByteArray cut = json.first(json.size() / 2) + QByteArray(kJsonReadPadding, '}');
    TransactionSummarizer inPlace;
    QVERIFY(!inPlace.summarizeInPlace(QByteArrayView(cut).first(json.size() / 2)).ok());
}

void TestTransactionSummary::paddingIsKept()
{
    // keepJsonReadPadding(): the size asked for, the bytes before it
    // unchanged, room for the padding after it; a shared array detaches and
    // leaves the other copy as it was.
    QByteArray buffer = "{\"slot\":1}trailing";
    const QByteArray other = buffer;
    keepJsonReadPadding(buffer, 10);
    QCOMPARE(buffer, QByteArray("{\"slot\":1}"));
    QVERIFY(buffer.capacity() >= 10 + kJsonReadPadding);
    QCOMPARE(other, QByteArray("{\"slot\":1}trailing"));
    keepJsonReadPadding(buffer, 0);
    QVERIFY(buffer.isEmpty());
    QVERIFY(buffer.capacity() >= kJsonReadPadding);
}

void TestTransactionSummary::failedProgramFailedToComplete()
{
    const TransactionSummary s = summarizeOrFail(loadedJson(kFailedBlock));
    QCOMPARE(s.signature, u"7ynjNWxA4yAQGXD5U9gheTn2DGDjoCZ4MB68wm15oJqEeA2MdSze6hMABJiEkC2atJCf4QsUCXBLrYpAdeMzsFG"_s);
    QCOMPARE(s.slot, quint64(241043141));
    QCOMPARE(s.blockTime, std::optional<qint64>(1704919455));
    QCOMPARE(s.version, u"legacy"_s);
    QVERIFY(!s.success);
    QCOMPARE(s.error, u"Error processing Instruction 3: Program failed to complete"_s);
    QCOMPARE(s.errorJson, R"({"InstructionError":[3,"ProgramFailedToComplete"]})"_ba);
    QCOMPARE(s.fee, quint64(5000));
    QCOMPARE(s.computeUnitsConsumed, std::optional<quint64>(52577));
    QCOMPARE(s.feePayer, u"5yKF9m4HwZPA1cibk7JGEVtAGBL2Jx8PxcuB5EbHXRKq"_s);
    QCOMPARE(s.programIds, QStringList({u"11111111111111111111111111111111"_s,
                                        u"TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"_s,
                                        u"ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL"_s,
                                        u"GqCHpDuPPsyyMxtaQgYxyLLLWv1kZFyy2DD5z1cMNouR"_s}));
    QCOMPARE(s.accountKeys.size(), 25);
    QCOMPARE(s.writableAccounts.size(), 14);
    QCOMPARE(s.writableAccounts.constLast(), u"H9uqrbTrpZCVRv2sZah2kf6NfNdV7ZhUJrku1TCfnrsT"_s);
    // CAPTURE_FORMAT.md §7.4: only the fee was charged, and no token balance moved.
    QCOMPARE(s.solChanges, QList<SolChange>({{u"5yKF9m4HwZPA1cibk7JGEVtAGBL2Jx8PxcuB5EbHXRKq"_s, 256562880, 256557880}}));
    QCOMPARE(s.feePayerSolChange, qint64(-5000));
    QVERIFY(s.tokenChanges.isEmpty());
    QCOMPARE(s.logs.size(), 30);
    QCOMPARE(s.logs.constLast(),
             u"Program GqCHpDuPPsyyMxtaQgYxyLLLWv1kZFyy2DD5z1cMNouR failed: Could not create program address with signer seeds: Provided seeds do not result in a valid address"_s);
}

void TestTransactionSummary::failedCustomZero()
{
    const TransactionSummary s = summarizeOrFail(loadedJson(kBlock100M, 8));
    QCOMPARE(s.signature, u"xjUw3f94FvbbGkhkokevTUn6aY4bHPcbnkF7ybe3MnM6a9DEEbkrURT5DP4JtnFJtpE7nLeX4qF27inBxXxnqi6"_s);
    QCOMPARE(s.slot, quint64(100000000));
    QCOMPARE(s.blockTime, std::optional<qint64>(1633504705));
    QCOMPARE(s.version, QString()); // no version key in the json block
    QVERIFY(!s.success);
    QCOMPARE(s.error, u"Error processing Instruction 0: custom program error: 0x0"_s);
    QCOMPARE(s.errorJson, R"({"InstructionError":[0,{"Custom":0}]})"_ba);
    QCOMPARE(s.fee, quint64(5000));
    QCOMPARE(s.computeUnitsConsumed, std::nullopt);
    QCOMPARE(s.feePayer, u"2ZjcDzwmkptGyD43siZDf4wCjM3NL7pQksmwbsKvYF1N"_s);
    QCOMPARE(s.programIds, QStringList{u"Vote111111111111111111111111111111111111111"_s});
    QCOMPARE(s.writableAccounts, QStringList({u"2ZjcDzwmkptGyD43siZDf4wCjM3NL7pQksmwbsKvYF1N"_s,
                                              u"E6M4cSa1fjvx1jHL3LTK16ev8qdqRPeG1rWvKdw5V7ps"_s}));
    QCOMPARE(s.solChanges, QList<SolChange>({{u"2ZjcDzwmkptGyD43siZDf4wCjM3NL7pQksmwbsKvYF1N"_s, 1972300160, 1972295160}}));
    QCOMPARE(s.feePayerSolChange, qint64(-5000));
    QCOMPARE(s.logs, QStringList({u"Program Vote111111111111111111111111111111111111111 invoke [1]"_s,
                                  u"Program Vote111111111111111111111111111111111111111 failed: custom program error: 0x0"_s}));
    QVERIFY(s.logsPresent);
}

void TestTransactionSummary::versionedJsonWithLoadedAddresses()
{
    const TransactionSummary s = summarizeOrFail(loadedJson(kVersionedBlock));
    QCOMPARE(s.signature, u"5X7cr7bxjwoWvWFvSmVfmF3PhYcid4ojtNGYiDsRRP6P5cfzkahxbZfwH4YDdhy9RnSEyaT255aDw14vis5Qxvqh"_s);
    QCOMPARE(s.slot, quint64(154808473));
    QCOMPARE(s.version, u"0"_s);
    QVERIFY(s.success);
    QCOMPARE(s.fee, quint64(10000));
    QCOMPARE(s.computeUnitsConsumed, std::nullopt);
    // logMessages is null in this payload.
    QVERIFY(!s.logsPresent);
    QVERIFY(s.logs.isEmpty());
    // 6 static keys + 24 loaded writable + 11 loaded readonly.
    QCOMPARE(s.accountKeys.size(), 41);
    QCOMPARE(s.accountKeys.at(6), u"8SheGtsopRUDzdiD6v6BR9a6bqZ9QwywYQY99Fp5meNf"_s);  // loaded writable[0]
    QCOMPARE(s.accountKeys.at(30), u"4UpD2fh7xH3VP9QQaXtsS1YY3bxzWhtfpks7FatyKvdY"_s); // loaded readonly[0]
    QCOMPARE(s.accountKeys.constLast(), u"HaNqpJUQeH2t6SB3tDJAtKV52fJM9rV1mGZrRrqMRZo1"_s);
    // Header 2/1/4 over 6 static keys: only the fee payer; then the 24 loaded writable keys.
    QCOMPARE(s.writableAccounts.size(), 25);
    QCOMPARE(s.writableAccounts.constFirst(), u"JARehRjGUkkEShpjzfuV4ERJS25j8XhamL776FAktNGm"_s);
    QCOMPARE(s.writableAccounts.at(1), u"8SheGtsopRUDzdiD6v6BR9a6bqZ9QwywYQY99Fp5meNf"_s);
    QVERIFY(!s.writableAccounts.contains(u"7NeLe9W3gGYRwQ5zjrPzf6JQXK7hWNJFcxH5KW38ny3P"_s)); // read-only signer
    // Top-level program ids (indexes 2, 4, 4, 5, 5, 5, 3, 2); innerInstructions is null.
    QCOMPARE(s.programIds, QStringList({u"So1endDq2YkqhipRh3WViPa8hdiSpxWy6z3Z6tMCpAo"_s,
                                        u"AGGZ2djPDEvrbgiBTV3P8UoB8Zf1kGawkWd2eu553o44"_s,
                                        u"JUP3c2Uh3WA4Ng34tw6kPd2G4C5BB21Xo36Je1s32Ph"_s,
                                        u"TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"_s}));
    QCOMPARE(s.solChanges, QList<SolChange>({{u"JARehRjGUkkEShpjzfuV4ERJS25j8XhamL776FAktNGm"_s, 318517800, 318507800}}));
    QCOMPARE(s.feePayerSolChange, qint64(-10000));
    // Token accounts resolve into the loaded part (index 7 = loaded writable[1], …).
    QCOMPARE(s.tokenChanges.size(), 11);
    QCOMPARE(s.tokenChanges.constFirst(),
             (TokenChange{u"2PYVzDJ6Buks4yUVeDEhLwc14wKpxbehEsbeU6yM8J8d"_s, u"EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"_s,
                          u"JARehRjGUkkEShpjzfuV4ERJS25j8XhamL776FAktNGm"_s, 1414839, 1338230, 6}));
    QCOMPARE(s.tokenChanges.at(2),
             (TokenChange{u"EnTrdMMpdhugeH6Ban6gYZWXughWxKtVGfCwFn78ZmY3"_s, u"Es9vMFrzaCERmJfrF4H2FYD4KCoNkY11McCe8BenwNYB"_s,
                          u"5C1k9yV7y4CjMnKv8eGYDgWND8P89Pdfj79Trk2qmfGo"_s, 4741625314346, 4741625303197, 6}));
    QCOMPARE(s.tokenChanges.constLast(),
             (TokenChange{u"5Gdxn4yquneifE6uk9tK8X4CqHfWKjW2BvYU25hAykwP"_s, u"EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"_s,
                          u"9RuqAN42PTUi9ya59k9suGATrkqzvb9gk2QABJtQzGP5"_s, 20283968474, 20284021991, 6}));
}

void TestTransactionSummary::innerProgramFromLoadedAddresses()
{
    // The fixture's top-level programs are all static keys. Instruction 1 passes
    // account 33 (loaded readonly[3], the Saber swap program) to the AGGZ router;
    // add the CPI it makes as an inner instruction, and index 33 must resolve into
    // the loaded part.
    QByteArray json = loadedJson(kVersionedBlock);
    QVERIFY(json.contains("\"innerInstructions\":null"));
    json.replace("\"innerInstructions\":null",
                 R"("innerInstructions":[{"index":1,"instructions":[{"programIdIndex":33,"accounts":[9,10],"data":"3Bxs4"},{"programIdIndex":3,"accounts":[],"data":""}]}])");
    const TransactionSummary s = summarizeOrFail(json);
    QCOMPARE(s.accountKeys.size(), 41);
    QCOMPARE(s.accountKeys.at(33), u"SSwpkEEcbUqx4vtoEByFjSkhKdCT862DNVb52nZg1UZ"_s);
    QCOMPARE(s.programIds, QStringList({u"So1endDq2YkqhipRh3WViPa8hdiSpxWy6z3Z6tMCpAo"_s,
                                        u"AGGZ2djPDEvrbgiBTV3P8UoB8Zf1kGawkWd2eu553o44"_s,
                                        u"JUP3c2Uh3WA4Ng34tw6kPd2G4C5BB21Xo36Je1s32Ph"_s,
                                        u"TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"_s,
                                        u"SSwpkEEcbUqx4vtoEByFjSkhKdCT862DNVb52nZg1UZ"_s}));

    // One past the last key is malformed.
    json.replace("\"programIdIndex\":33", "\"programIdIndex\":41");
    TransactionSummarizer summarizer;
    const auto outOfRange = summarizer.summarize(json);
    QVERIFY(!outOfRange.ok());
    QVERIFY2(outOfRange.error().message.contains(u"programIdIndex 41"_s), qPrintable(outOfRange.error().message));
}

void TestTransactionSummary::jupiterSwapJsonParsed()
{
    const TransactionSummary s = summarizeOrFail(readFixture(kJupSwap)); // the raw JSON-RPC envelope
    QCOMPARE(s.signature, u"2m6e4MBQ2wKiFhtc8d479C6SUKkqEiBzemwxSQVaSdr4zGHdoefxWz28u2rnCtUu7SfcgwWpEBDr3L5NZnEqffnv"_s);
    QCOMPARE(s.slot, quint64(273851860));
    QCOMPARE(s.blockTime, std::optional<qint64>(1719286921));
    QCOMPARE(s.version, u"0"_s);
    QVERIFY(s.success);
    QCOMPARE(s.fee, quint64(105000));
    QCOMPARE(s.computeUnitsConsumed, std::optional<quint64>(278623));
    QCOMPARE(s.feePayer, u"6oHypdkuE3n41w3XBidags663HQRiXBN8W4qjxyUz4YS"_s);
    // Top level: ComputeBudget ×2, ATA, Jupiter v6, Token; inner: System, then the
    // AMMs Jupiter routed through, among them Raydium AMM v4 (675kPX9…).
    QCOMPARE(s.programIds, QStringList({u"ComputeBudget111111111111111111111111111111"_s,
                                        u"ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL"_s,
                                        u"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"_s,
                                        u"TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"_s,
                                        u"11111111111111111111111111111111"_s,
                                        u"Eo7WjKq67rjJQSZxS6z3YkapzY3eMj6Xy8X5EQVn5UaB"_s,
                                        u"24Uqj9JCLxUeoC3hGfh5W3s9FM9uCHDS2SG3LYwBpyTi"_s,
                                        u"675kPX9MHTjS2zt1qfr1NYHuzeLXfQM9H24wFSUt1Mp8"_s}));
    // jsonParsed: 16 static + 18 lookup-table keys already merged, `writable` flags.
    QCOMPARE(s.accountKeys.size(), 34);
    QCOMPARE(s.writableAccounts.size(), 20);
    QCOMPARE(s.writableAccounts.at(7), u"7nKAtWc7Ls6X8RuWAW2uZV4CgbBC7X5pXYTTBR9A7uTk"_s); // first lookup-table key
    QCOMPARE(s.solChanges, QList<SolChange>({{u"6oHypdkuE3n41w3XBidags663HQRiXBN8W4qjxyUz4YS"_s, 333520130, 336530821},
                                             {u"EcDs7cZxDHnGtjBuL6E1QC5smfPaBVWbdTShCXyor6H3"_s, 4587146086305, 4587146113015},
                                             {u"ESMcKYUisQvjfvhCK1z5wKvgYiixW9VwKa25ft67vWf4"_s, 315380528517, 315377386116}}));
    QCOMPARE(s.feePayerSolChange, qint64(3010691));
    const QString wsol = u"So11111111111111111111111111111111111111112"_s;
    const QString pump = u"vVe16q1aGVSnZtK8PCXFnsh45VW6HCVrJPKCBSbpump"_s;
    const QString usd = u"AkVt31h8vgji5wF4nVbq1QmBV5wBoe8JdSoDTkDhQwEw"_s;
    QCOMPARE(s.tokenChanges,
             QList<TokenChange>({
                 {u"EcDs7cZxDHnGtjBuL6E1QC5smfPaBVWbdTShCXyor6H3"_s, wsol, u"45ruCyfdRkWpRNGEqWzjCiXRHkZs8WXCLQ67Pnpye7Hp"_s, 4587144047025, 4587144073735, 9},
                 {u"GLKQQj4vWTpx2FpMkFZLZk8aZd8PK3VaEVGJc5qRbpHF"_s, pump, u"6oHypdkuE3n41w3XBidags663HQRiXBN8W4qjxyUz4YS"_s, 5878070878, 0, 6},
                 {u"7nKAtWc7Ls6X8RuWAW2uZV4CgbBC7X5pXYTTBR9A7uTk"_s, usd, u"5Q544fKrFoe6tsEbD7S8EmxGTJYAKtTVhAW5Q5pge4j1"_s, 39889127293877, 39889525745432, 6},
                 {u"ESMcKYUisQvjfvhCK1z5wKvgYiixW9VwKa25ft67vWf4"_s, wsol, u"5Q544fKrFoe6tsEbD7S8EmxGTJYAKtTVhAW5Q5pge4j1"_s, 315378489237, 315375346836, 9},
                 {u"53QxduZXZj29S55HrXWDHxo7MjR1oBHqCvAFMFsEjh4w"_s, u"C8NidgQVzp2yVAsq7hWnHQ26T8gnJuLM3rATEiHS9yMN"_s, u"GWXUdqrMigWfg1kA76mu7CMNAaCm4bqjAVzFmuV6CTu2"_s, 187602872384, 187204420829, 6},
                 {u"ADfxWqv8uap3tD4pTVDybLJfNhfkcZU5nGLiWmsmy23P"_s, pump, u"7NY6jLeJqHfaGodggzyutBnKUM4HWHCb2McqpgATQUA7"_s, 2734076027272, 2739954098150, 6},
                 {u"CryRtc6uCLaBE3hpZb8gSJtbEAfgL6TduAkpY7BnTk5v"_s, usd, u"9HsoY4eUPQpUpvXRdbJLp5HyYkBKGg5DpxttPxWFZBCP"_s, 32788989087434, 32788590635879, 6},
                 {u"GWXUdqrMigWfg1kA76mu7CMNAaCm4bqjAVzFmuV6CTu2"_s, u"Dbw9r6ZftDrLj5pMAd9Nf8wS3wAJrZq13V6JgKaD8CG2"_s, u"GWXUdqrMigWfg1kA76mu7CMNAaCm4bqjAVzFmuV6CTu2"_s, 2734076027272, 2739954098150, 6},
             }));
    QVERIFY(s.logsPresent);
    QCOMPARE(s.logs.size(), 98);
    QCOMPARE(s.logs.constFirst(), u"Program ComputeBudget111111111111111111111111111111 invoke [1]"_s);
    QCOMPARE(s.transactionIndex, std::nullopt);
}

void TestTransactionSummary::usdcTransfer()
{
    const TransactionSummary s = summarizeOrFail(loadedJson(kUsdc));
    QCOMPARE(s.signature, u"4LXpF3MCdp69iFmD27Sn812UNpqFPHM4qXH7Y12E964p9GHXvwMe1XEmyasogVT2N4XEctdQQLf1sHY6Gvsa5sFX"_s);
    QCOMPARE(s.slot, quint64(419685246));
    QCOMPARE(s.blockTime, std::optional<qint64>(1778761079));
    QCOMPARE(s.version, u"legacy"_s);
    QCOMPARE(s.transactionIndex, std::optional<quint64>(371));
    QVERIFY(s.success);
    QCOMPARE(s.fee, quint64(48370));
    QCOMPARE(s.computeUnitsConsumed, std::optional<quint64>(555));
    QCOMPARE(s.feePayer, u"3V9bd3EN5aNuhE4RiHGbZ1eZakJ1F9cDb8V4YLjCG8cg"_s);
    QCOMPARE(s.programIds, QStringList({u"11111111111111111111111111111111"_s,
                                        u"TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"_s,
                                        u"ComputeBudget111111111111111111111111111111"_s}));
    QCOMPARE(s.writableAccounts, QStringList({u"3V9bd3EN5aNuhE4RiHGbZ1eZakJ1F9cDb8V4YLjCG8cg"_s,
                                              u"FqCmnwUjWecdGFV1rtfUQRiB3p6hwFkZRByixzjwk1gB"_s,
                                              u"2e3Eb9tkT8252WhFR26Xz6SKoiatJScuMW1BHgGqPvvc"_s,
                                              u"Efc6bp3wVC2iQpewxRmKdZM8vzt9DCFFhL7EiHYNGunv"_s}));
    // CAPTURE_FORMAT.md §7.3.
    QCOMPARE(s.solChanges, QList<SolChange>({{u"3V9bd3EN5aNuhE4RiHGbZ1eZakJ1F9cDb8V4YLjCG8cg"_s, 401428673570, 401428625200}}));
    QCOMPARE(s.feePayerSolChange, qint64(-48370));
    const QString usdc = u"EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"_s;
    QCOMPARE(s.tokenChanges,
             QList<TokenChange>({{u"2e3Eb9tkT8252WhFR26Xz6SKoiatJScuMW1BHgGqPvvc"_s, usdc,
                                  u"3V9bd3EN5aNuhE4RiHGbZ1eZakJ1F9cDb8V4YLjCG8cg"_s, 101903768394, 101899968394, 6},
                                 {u"Efc6bp3wVC2iQpewxRmKdZM8vzt9DCFFhL7EiHYNGunv"_s, usdc,
                                  u"B2v68t8MXb9zUms1VQKuCcvjrjKDK6fLd8ZngqmBGy1M"_s, 11200000, 15000000, 6}}));
    QCOMPARE(s.logs.size(), 9);
    QCOMPARE(s.logs.at(3), u"Program TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA consumed 105 of 2408 compute units"_s);
}

void TestTransactionSummary::hyperlaneWithoutVersion()
{
    const TransactionSummary s = summarizeOrFail(readFixture(kHyperlaneDelivery)); // bare object
    QCOMPARE(s.signature, u"5pBEVfDD3siir1CBf9taeWuee44GspA7EixYkKnzN1hkeYXLxtKYrbe3aE6hxswbY3hhDRVPDor1ZsSXUorC7bcR"_s);
    QCOMPARE(s.slot, quint64(290198208));
    QCOMPARE(s.blockTime, std::optional<qint64>(1726514134));
    QCOMPARE(s.version, QString());
    QVERIFY(s.success);
    QCOMPARE(s.fee, quint64(5000));
    QCOMPARE(s.computeUnitsConsumed, std::optional<quint64>(200654));
    QCOMPARE(s.feePayer, u"G5FM3UKwcBJ47PwLWLLY1RQpqNtTMgnqnd6nZGcJqaBp"_s);
    QCOMPARE(s.programIds, QStringList({u"ComputeBudget111111111111111111111111111111"_s,
                                        u"E588QtVUvresuXq2KoNEwAmoifCzYGpRBdHByN9KQMbi"_s,
                                        u"4UMNyNWW75zo69hxoJaRX5iXNUa5FdRPZZa9vDVCiESg"_s,
                                        u"372D5YP7jMYUgYBXTVJ7BZtzKv1mq1J6wvjSFLNTRreC"_s,
                                        u"11111111111111111111111111111111"_s}));
    // Header 1/0/9 over 14 keys (loadedAddresses empty): keys 0–4 writable.
    QCOMPARE(s.accountKeys.size(), 14);
    QCOMPARE(s.writableAccounts, QStringList({u"G5FM3UKwcBJ47PwLWLLY1RQpqNtTMgnqnd6nZGcJqaBp"_s,
                                              u"528MctBmY7rXqufM3r8k7t9DTfVNuB4K1rr8xVU4naJM"_s,
                                              u"5H4cmX5ybSqK6Ro6nvr9eiR8G8ATTYRwVsZ42VRRW3wa"_s,
                                              u"Dj7jk47KKXvw4nseNGdyHtNHtjPes2XSfByhF8xymrtS"_s,
                                              u"H3EgdESu59M4hn5wrbeyi9VjmFiLYM7iUAbGtrA5uHNE"_s}));
    QCOMPARE(s.solChanges, QList<SolChange>({{u"G5FM3UKwcBJ47PwLWLLY1RQpqNtTMgnqnd6nZGcJqaBp"_s, 339660200, 338367600},
                                             {u"528MctBmY7rXqufM3r8k7t9DTfVNuB4K1rr8xVU4naJM"_s, 199591000, 199691000},
                                             {u"5H4cmX5ybSqK6Ro6nvr9eiR8G8ATTYRwVsZ42VRRW3wa"_s, 991880, 891880},
                                             {u"Dj7jk47KKXvw4nseNGdyHtNHtjPes2XSfByhF8xymrtS"_s, 0, 1287600}}));
    QCOMPARE(s.feePayerSolChange, qint64(-1292600));
    QVERIFY(s.tokenChanges.isEmpty());
    QCOMPARE(s.logs.size(), 21);
    QCOMPARE(s.logs.constLast(), u"Program E588QtVUvresuXq2KoNEwAmoifCzYGpRBdHByN9KQMbi success"_s);
}

void TestTransactionSummary::jsonAndJsonParsedAgree()
{
    // Slot 100,000,000 in both encodings: the same 10 transactions must give the
    // same summary; only `version` differs (absent in json, "legacy" in jsonParsed).
    const auto json = loadTransactionFile(fixturePath(kBlock100M));
    const auto parsed = loadTransactionFile(fixturePath(kBlock100MParsed));
    QVERIFY(json.ok() && parsed.ok());
    QCOMPARE(json->size(), 10);
    QCOMPARE(parsed->size(), 10);
    TransactionSummarizer summarizer;
    int failures = 0;
    int withInner = 0;
    for (int i = 0; i < 10; ++i) {
        const auto a = summarizer.summarize(json->at(i).json);
        auto b = summarizer.summarize(parsed->at(i).json);
        QVERIFY(a.ok() && b.ok());
        QCOMPARE(a->version, QString());
        QCOMPARE(b->version, u"legacy"_s);
        b->version.clear();
        compareSummaries(*a, *b);
        if (QTest::currentTestFailed())
            QFAIL(qPrintable(u"transaction %1 differs"_s.arg(i)));
        failures += a->success ? 0 : 1;
        withInner += a->programIds.size() > 1 ? 1 : 0;
    }
    QCOMPARE(failures, 2);
    QVERIFY(withInner > 0);
}

void TestTransactionSummary::envelopeEqualsBareResult()
{
    const QByteArray envelope = readFixture(kJupSwap);
    const QByteArray result = QJsonDocument(parseObject(envelope)[u"result"_s].toObject()).toJson();
    compareSummaries(summarizeOrFail(envelope), summarizeOrFail(result));
}

void TestTransactionSummary::optionalFields()
{
    TransactionSummarizer summarizer;
    const QByteArray minimal = R"({"transaction":{"signatures":["sig"],"message":{"accountKeys":["A","P"],)"
                               R"("header":{"numRequiredSignatures":1,"numReadonlySignedAccounts":0,"numReadonlyUnsignedAccounts":1},)"
                               R"("instructions":[{"programIdIndex":1,"accounts":[0],"data":""}]}})";

    // No slot, blockTime, meta or version: defaults, no crash.
    auto s = summarizer.summarize(minimal + "}");
    QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().message));
    QCOMPARE(s->slot, quint64(0));
    QCOMPARE(s->blockTime, std::nullopt);
    QVERIFY(s->success);
    QCOMPARE(s->fee, quint64(0));
    QVERIFY(!s->logsPresent);
    QCOMPARE(s->programIds, QStringList{u"P"_s});
    QCOMPARE(s->writableAccounts, QStringList{u"A"_s});

    // meta null, blockTime null, integer version 1, version as string "legacy".
    s = summarizer.summarize(minimal + R"(,"meta":null,"blockTime":null,"version":1,"slot":5})");
    QVERIFY(s.ok());
    QCOMPARE(s->version, u"1"_s);
    QCOMPARE(s->slot, quint64(5));

    // Only the deprecated status carries the error; logMessages [] is present-but-empty.
    s = summarizer.summarize(minimal + R"(,"meta":{"status":{"Err":"BlockhashNotFound"},"fee":5000,"logMessages":[],)"
                                       R"("preBalances":[10,1],"postBalances":[5,1],"returnData":{"programId":"P","data":["AQ==","base64"]},"costUnits":3}})");
    QVERIFY(s.ok());
    QVERIFY(!s->success);
    QCOMPARE(s->error, u"Blockhash not found"_s);
    QCOMPARE(s->errorJson, "\"BlockhashNotFound\""_ba);
    QVERIFY(s->logsPresent);
    QVERIFY(s->logs.isEmpty());
    QCOMPARE(s->feePayerSolChange, qint64(-5));

    // err null wins over a stale status; unparsable token amount counts as 0, owner may be absent.
    s = summarizer.summarize(minimal + R"(,"meta":{"err":null,"status":{"Ok":null},"fee":1,"preBalances":[1,1],"postBalances":[1,1],)"
                                       R"("preTokenBalances":[{"accountIndex":0,"mint":"M","uiTokenAmount":{"amount":"x","decimals":2}}],)"
                                       R"("postTokenBalances":[{"accountIndex":0,"mint":"M","uiTokenAmount":{"amount":"18446744073709551615","decimals":2}}]}})");
    QVERIFY(s.ok());
    QVERIFY(s->success);
    QVERIFY(s->solChanges.isEmpty());
    QCOMPARE(s->tokenChanges, QList<TokenChange>({{u"A"_s, u"M"_s, QString(), 0, 18446744073709551615ULL, 2}}));

    // mint/owner/decimals from the pre entry, else the post entry; ascending
    // accountIndex whatever the list order; unchanged amounts dropped.
    s = summarizer.summarize(minimal + R"(,"meta":{"err":null,"fee":1,)"
                                       R"("preTokenBalances":[{"accountIndex":0,"mint":"M","owner":"O1","uiTokenAmount":{"amount":"5","decimals":2}}],)"
                                       R"("postTokenBalances":[{"accountIndex":1,"mint":"N","owner":"O3","uiTokenAmount":{"amount":"7","decimals":4}},)"
                                       R"({"accountIndex":0,"mint":"M2","owner":"O2","uiTokenAmount":{"amount":"6","decimals":3}}]}})");
    QVERIFY(s.ok());
    QCOMPARE(s->tokenChanges, QList<TokenChange>({{u"A"_s, u"M"_s, u"O1"_s, 5, 6, 2}, {u"P"_s, u"N"_s, u"O3"_s, 0, 7, 4}}));
    s = summarizer.summarize(minimal + R"(,"meta":{"err":null,"fee":1,)"
                                       R"("preTokenBalances":[{"accountIndex":1,"mint":"N","uiTokenAmount":{"amount":"7","decimals":4}}],)"
                                       R"("postTokenBalances":[{"accountIndex":1,"mint":"N","uiTokenAmount":{"amount":"7","decimals":4}}]}})");
    QVERIFY(s.ok());
    QVERIFY(s->tokenChanges.isEmpty());

    // Of a repeated member the first counts (as simdjson's at_key reads it);
    // a null or non-string mint or owner is as if absent; members in any order.
    s = summarizer.summarize(minimal + R"(,"meta":{"err":null,"fee":1,)"
                                       R"("preTokenBalances":[{"uiTokenAmount":{"decimals":2,"amount":"5","amount":"9"},"owner":"O1","owner":"X",)"
                                       R"("mint":null,"accountIndex":0}],)"
                                       R"("postTokenBalances":[{"accountIndex":0,"accountIndex":1,"mint":7,"mint":"M",)"
                                       R"("uiTokenAmount":{"amount":"6","decimals":2,"decimals":9}}]}})");
    QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().message));
    QCOMPARE(s->tokenChanges, QList<TokenChange>({{u"A"_s, QString(), u"O1"_s, 5, 6, 2}}));

    // Without an accountIndex, or with one that is not an index, the list is unreadable.
    for (const char *entry : {R"({"mint":"M","uiTokenAmount":{"amount":"5","decimals":2}})",
                              R"({"accountIndex":"0","uiTokenAmount":{"amount":"5","decimals":2}})",
                              R"({"accountIndex":0,"uiTokenAmount":"5"})", R"([0])"}) {
        s = summarizer.summarize(minimal + R"(,"meta":{"err":null,"fee":1,"preTokenBalances":[)" + QByteArray(entry) + "]}}");
        QVERIFY2(!s.ok(), entry);
    }
}

// ---- binary (wire) form --------------------------------------------------------

void TestTransactionSummary::binaryMatchesJson_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("position");
    QTest::addColumn<QString>("encoding");
    QTest::addRow("v0 with lookups, base64") << kVersionedBlock << 0 << u"base64"_s;
    QTest::addRow("v0 with lookups, base58") << kVersionedBlock << 0 << u"base58"_s;
    QTest::addRow("legacy no version, base64") << kHyperlaneDelivery << 0 << u"base64"_s;
    QTest::addRow("legacy with inner instructions") << kBlock100M << 6 << u"base64"_s;
    QTest::addRow("legacy failed Custom") << kBlock100M << 8 << u"base64"_s;
    QTest::addRow("two instructions") << u"hyperlane-monorepo/dispatch_message_two_instructions_in_one_txn.json"_s << 0
                                      << u"base64"_s;
}

void TestTransactionSummary::binaryMatchesJson()
{
    QFETCH(QString, file);
    QFETCH(int, position);
    QFETCH(QString, encoding);
    const QByteArray json = loadedJson(file, position);
    const QByteArray binary = asBinary(json, encoding);
    QVERIFY(binary.contains(("\"" + encoding + "\"]").toLatin1()));

    TransactionSummarizer summarizer;
    const auto fromJson = summarizer.summarize(json);
    const auto fromBinary = summarizer.summarize(binary);
    QVERIFY(fromJson.ok());
    QVERIFY2(fromBinary.ok(), qPrintable(fromBinary.ok() ? QString() : fromBinary.error().message));
    compareSummaries(*fromBinary, *fromJson);
}

void TestTransactionSummary::binaryErrors_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("messagePart");

    const QByteArray versioned = loadedJson(kVersionedBlock);
    QByteArray wire;
    asBinary(versioned, u"base64"_s, &wire);
    const auto withWire = [&](const QByteArray &bytes, const QByteArray &encoding = "base64") {
        QJsonObject object = parseObject(versioned);
        object[u"transaction"_s] = QJsonArray{QString::fromLatin1(bytes.toBase64()), QString::fromLatin1(encoding)};
        return QJsonDocument(object).toJson(QJsonDocument::Compact);
    };

    QTest::addRow("truncated wire") << withWire(wire.left(wire.size() - 5)) << u"truncated"_s;
    QTest::addRow("trailing bytes") << withWire(wire + "xx") << u"trailing"_s;
    QTest::addRow("no signatures") << withWire(QByteArray(1, '\0')) << u"no signatures"_s;
    QByteArray version1 = wire;
    version1[1 + 2 * 64] = char(0x81);
    QTest::addRow("message version 1") << withWire(version1) << u"unsupported message version 1"_s;
    QTest::addRow("zstd encoding") << withWire(wire, "base64+zstd") << u"unsupported transaction encoding"_s;
    QTest::addRow("not base64") << QByteArray(versioned).replace("\"transaction\":{", "\"transaction\":[\"***\",\"base64\"],\"x\":{")
                                << u"not valid base64"_s;
    QTest::addRow("one-element array") << QByteArray(versioned).replace("\"transaction\":{", "\"transaction\":[\"AA==\"],\"x\":{")
                                       << u"binary transaction"_s;

    // loadedAddresses must match the lookups (24 writable + 11 readonly).
    QJsonObject fewer = parseObject(withWire(wire));
    QJsonObject meta = fewer[u"meta"_s].toObject();
    QJsonObject loaded = meta[u"loadedAddresses"_s].toObject();
    QJsonArray readonly = loaded[u"readonly"_s].toArray();
    readonly.removeLast();
    loaded[u"readonly"_s] = readonly;
    meta[u"loadedAddresses"_s] = loaded;
    fewer[u"meta"_s] = meta;
    QTest::addRow("loadedAddresses mismatch") << QJsonDocument(fewer).toJson(QJsonDocument::Compact)
                                              << u"does not match"_s;
    meta.remove(u"loadedAddresses"_s);
    fewer[u"meta"_s] = meta;
    QTest::addRow("loadedAddresses missing") << QJsonDocument(fewer).toJson(QJsonDocument::Compact)
                                             << u"does not match"_s;
}

// ---- malformed input -----------------------------------------------------------

void TestTransactionSummary::malformed_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("messagePart");

    const QByteArray usdc = loadedJson(kUsdc);
    const QByteArray hyperlane = readFixture(kHyperlaneDelivery);
    QTest::addRow("empty") << QByteArray() << u"malformed JSON"_s;
    QTest::addRow("truncated real tx") << usdc.left(usdc.size() / 2) << u"malformed JSON"_s;
    QTest::addRow("truncated by one byte") << usdc.chopped(1) << u"malformed JSON"_s;
    QTest::addRow("garbage") << "\x01\x02not json"_ba << u"malformed JSON"_s;
    QTest::addRow("array") << "[1,2]"_ba << u"not a JSON object"_s;
    QTest::addRow("string") << "\"tx\""_ba << u"not a JSON object"_s;
    QTest::addRow("empty object") << "{}"_ba << u"neither a transaction nor a JSON-RPC response"_s;
    QTest::addRow("null result") << R"({"jsonrpc":"2.0","result":null,"id":1})"_ba << u"result is null"_s;
    QTest::addRow("rpc error") << R"({"jsonrpc":"2.0","error":{"code":-32602,"message":"Invalid param"},"id":1})"_ba
                               << u"JSON-RPC error: Invalid param"_s;
    QTest::addRow("result not object") << R"({"jsonrpc":"2.0","result":3,"id":1})"_ba << u"not an object"_s;
    QTest::addRow("transaction null") << R"({"slot":1,"transaction":null})"_ba << u"missing transaction"_s;
    QTest::addRow("transaction string") << R"({"slot":1,"transaction":"abc"})"_ba << u"neither an object"_s;
    QTest::addRow("missing signatures") << QByteArray(usdc).replace("\"signatures\":", "\"signaturez\":")
                                        << u"no signatures"_s;
    QTest::addRow("empty signatures") << QByteArray(hyperlane).replace(
        "\"5pBEVfDD3siir1CBf9taeWuee44GspA7EixYkKnzN1hkeYXLxtKYrbe3aE6hxswbY3hhDRVPDor1ZsSXUorC7bcR\"", "")
                                      << u"no signatures"_s;
    QTest::addRow("signature not string") << R"({"transaction":{"signatures":[5],"message":{}}})"_ba
                                          << u"no signatures"_s;
    QTest::addRow("no message") << R"({"transaction":{"signatures":["s"]}})"_ba << u"no message"_s;
    QTest::addRow("no account keys") << R"({"transaction":{"signatures":["s"],"message":{"accountKeys":[]}}})"_ba
                                     << u"no accountKeys"_s;
    QTest::addRow("json without header") << QByteArray(hyperlane).replace("\"header\"", "\"headless\"")
                                         << u"header"_s;
    QTest::addRow("slot negative") << QByteArray(usdc).replace("\"slot\":419685246", "\"slot\":-1") << u"slot"_s;
    QTest::addRow("slot string") << QByteArray(usdc).replace("\"slot\":419685246", "\"slot\":\"1\"") << u"slot"_s;
    QTest::addRow("meta not object") << R"({"transaction":{"signatures":["s"],"message":{"accountKeys":[{"pubkey":"A","writable":true}],"instructions":[]}},"meta":[]})"_ba
                                     << u"meta is not an object"_s;
    QTest::addRow("fee negative") << QByteArray(usdc).replace("\"fee\":48370", "\"fee\":-1") << u"meta.fee"_s;
    QTest::addRow("balance not integer") << QByteArray(usdc).replace("\"preBalances\":[401428673570", "\"preBalances\":[1.5")
                                         << u"non-integer"_s;
    QTest::addRow("token accountIndex outside keys")
        << QByteArray(usdc).replace("\"accountIndex\":4,", "\"accountIndex\":99,") << u"accountIndex 99"_s;
    QTest::addRow("instruction without program")
        << QByteArray(hyperlane).replace("\"programIdIndex\"", "\"programIndex\"") << u"neither programId"_s;
    QTest::addRow("programIdIndex outside keys")
        << R"({"transaction":{"signatures":["s"],"message":{"accountKeys":["A"],"header":{"numRequiredSignatures":1,"numReadonlySignedAccounts":0,"numReadonlyUnsignedAccounts":0},"instructions":[{"programIdIndex":1}]}}})"_ba
        << u"programIdIndex 1"_s;
    QTest::addRow("mixed key forms")
        << R"({"transaction":{"signatures":["s"],"message":{"accountKeys":["A",{"pubkey":"B","writable":true}],"instructions":[]}}})"_ba
        << u"accountKeys"_s;
    QTest::addRow("logMessages not array")
        << QByteArray(usdc).replace("\"logMessages\":[", "\"logMessages\":\"oops\",\"x\":[") << u"logMessages"_s;
}

void TestTransactionSummary::malformed()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, messagePart);
    TransactionSummarizer summarizer;
    const auto result = summarizer.summarize(input);
    QVERIFY(!result.ok());
    QVERIFY2(result.error().message.contains(messagePart), qPrintable(result.error().message));
}

void TestTransactionSummary::summarizerIsReusable()
{
    // One summarizer over the whole set, with failures and a large input in
    // between, gives the same summaries as a fresh summarizer per transaction.
    const auto all = loadTransactionDirectory(fixturesDir());
    QVERIFY(all.ok());
    TransactionSummarizer shared;
    const QByteArray big = loadedJson(u"derived/mainnet_transactions_by_slot.json"_s, 20);
    for (const LoadedTransaction &tx : *all) {
        QVERIFY(!shared.summarize(tx.json.left(tx.json.size() / 3)).ok());
        const auto again = shared.summarize(tx.json);
        QVERIFY(again.ok());
        compareSummaries(*again, summarizeOrFail(tx.json));
        QVERIFY(shared.summarize(big).ok());
        QVERIFY(!shared.summarize("{}").ok());
    }
}

void TestTransactionSummary::damagedInputNeverCrashes()
{
    // Every strict prefix of a real transaction is an Error; bytes overwritten
    // at many places give an Error or a summary, never a crash (run under ASan too).
    TransactionSummarizer summarizer;
    const QByteArray binary = asBinary(loadedJson(kVersionedBlock), u"base64"_s);
    for (const QByteArray &json : {loadedJson(kUsdc), loadedJson(kBlock100M, 6), binary}) {
        for (qsizetype length = 0; length < json.size(); length += 7)
            QVERIFY(!summarizer.summarize(QByteArrayView(json).first(length)).ok());
        for (qsizetype at = 0; at < json.size(); at += 13) {
            for (const char replacement : {'0', '"', '}', ']', '-', 'A'}) {
                QByteArray damaged = json;
                damaged[at] = replacement;
                const auto result = summarizer.summarize(damaged);
                if (result.ok())
                    QVERIFY(!result->signature.isEmpty() && !result->accountKeys.isEmpty());
            }
        }
    }
}

void TestTransactionSummary::fixtureSetCounts()
{
    // The counts the fixtures README gives for its 31 unique transactions.
    const auto all = loadTransactionDirectory(fixturesDir());
    QVERIFY(all.ok());
    TransactionSummarizer summarizer;
    int failed = 0, withUnits = 0, withLogs = 0, noVersion = 0, legacy = 0, v0 = 0, jupiterV6 = 0;
    for (const LoadedTransaction &tx : *all) {
        const auto s = summarizer.summarize(tx.json);
        QVERIFY(s.ok());
        failed += s->success ? 0 : 1;
        withUnits += s->computeUnitsConsumed ? 1 : 0;
        withLogs += s->logsPresent ? 1 : 0;
        noVersion += s->version.isEmpty() ? 1 : 0;
        legacy += s->version == u"legacy"_s ? 1 : 0;
        v0 += s->version == u"0"_s ? 1 : 0;
        jupiterV6 += s->programIds.contains(u"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"_s) ? 1 : 0;
    }
    QCOMPARE(failed, 3);
    QCOMPARE(withUnits, 20);
    QCOMPARE(withLogs, 30);
    QCOMPARE(noVersion, 13);
    QCOMPARE(legacy, 5);
    QCOMPARE(v0, 13);
    QCOMPARE(jupiterV6, 11);
}

// ---- Display text of meta.err ---------------------------------------------------

void TestTransactionSummary::errorText_data()
{
    QTest::addColumn<QByteArray>("err");
    QTest::addColumn<QString>("text");

    const auto ix = [](const char *inner) { return R"({"InstructionError":[3,)" + QByteArray(inner) + "]}"; };
    const QString prefix = u"Error processing Instruction 3: "_s;

    // Unit variants of both enums: their upstream Display texts, read from
    // solana-error-texts.tsv (generated from solana-sdk by solana_error_texts.py,
    // never from lib/protocol's table, so a wrong entry there fails here).
    const QString tsvPath = QFINDTESTDATA("solana-error-texts.tsv");
    QFile tsv(tsvPath);
    QVERIFY2(tsv.open(QIODevice::ReadOnly | QIODevice::Text), qPrintable(tsvPath));
    int transactionUnits = 0;
    int instructionUnits = 0;
    while (!tsv.atEnd()) {
        const QString line = QString::fromUtf8(tsv.readLine()).chopped(1);
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        const QStringList cells = line.split(u'\t');
        QCOMPARE(cells.size(), 3);
        const QByteArray name = cells.at(1).toLatin1();
        if (cells.at(0) == "TransactionError"_L1) {
            QTest::addRow("%s", name.constData()) << QByteArray("\"" + name + "\"") << cells.at(2);
            ++transactionUnits;
        } else {
            QCOMPARE(cells.at(0), u"InstructionError"_s);
            QTest::addRow("InstructionError %s", name.constData()) << ix(QByteArray("\"" + name + "\"").constData()) << prefix + cells.at(2);
            ++instructionUnits;
        }
    }
    QCOMPARE(transactionUnits, 35);
    QCOMPARE(instructionUnits, 53);
    // Added upstream after the commit the table was generated from
    // (solana-sdk 0aaf1c36, "Adds InstructionError::BailOut").
    QTest::addRow("InstructionError BailOut") << ix("\"BailOut\"") << prefix + u"Block production bailed out"_s;

    QTest::addRow("DuplicateInstruction") << R"({"DuplicateInstruction":1})"_ba
                                          << u"Transaction contains a duplicate instruction (1) that is not allowed"_s;
    QTest::addRow("InsufficientFundsForRent") << R"({"InsufficientFundsForRent":{"account_index":2}})"_ba
                                              << u"Transaction results in an account (2) with insufficient funds for rent"_s;
    QTest::addRow("ProgramExecutionTemporarilyRestricted")
        << R"({"ProgramExecutionTemporarilyRestricted":{"account_index":7}})"_ba
        << u"Execution of the program referenced by account at index 7 is temporarily restricted."_s;

    QTest::addRow("Custom 0") << R"({"InstructionError":[0,{"Custom":0}]})"_ba
                              << u"Error processing Instruction 0: custom program error: 0x0"_s;
    QTest::addRow("Custom 6001") << ix(R"({"Custom":6001})") << prefix + u"custom program error: 0x1771"_s;
    QTest::addRow("Custom u32 max") << ix(R"({"Custom":4294967295})") << prefix + u"custom program error: 0xffffffff"_s;
    QTest::addRow("BorshIoError(String)") << ix(R"({"BorshIoError":"Unexpected length of input"})")
                                          << prefix + u"Failed to serialize or deserialize account data: Unexpected length of input"_s;
    QTest::addRow("instruction index 255") << R"({"InstructionError":[255,"InvalidSeeds"]})"_ba
                                           << u"Error processing Instruction 255: Provided seeds do not result in a valid address"_s;

    // Unknown variants: the name, plus the payload as JSON.
    QTest::addRow("unknown unit") << "\"SomeFutureError\""_ba << u"SomeFutureError"_s;
    QTest::addRow("unknown with payload") << R"({"SomeFutureError":{"slot":5}})"_ba << u"SomeFutureError({\"slot\":5})"_s;
    QTest::addRow("unknown instruction unit") << ix("\"SomeFutureIxError\"") << prefix + u"SomeFutureIxError"_s;
    QTest::addRow("unknown instruction payload") << ix(R"({"SomeFutureIxError":[1,2]})")
                                                 << prefix + u"SomeFutureIxError([1,2])"_s;
    QTest::addRow("not JSON") << "{oops"_ba << u"{oops"_s;
}

void TestTransactionSummary::errorText()
{
    QFETCH(QByteArray, err);
    QFETCH(QString, text);
    QCOMPARE(transactionErrorText(err), text);
}

void TestTransactionSummary::errorTextAgreesWithRuntimeLogs()
{
    // A second, independent oracle: for a failed instruction with a program
    // error code, the Solana runtime itself logs "Program <id> failed: <Display
    // of the InstructionError>". Every such transaction in the fixtures must read
    // "Error processing Instruction <i>: " + that text.
    const auto all = loadTransactionDirectory(fixturesDir());
    QVERIFY(all.ok());
    int checked = 0;
    for (const LoadedTransaction &tx : *all) {
        const QJsonObject root = parseObject(tx.json);
        const QJsonObject result = root.contains(u"result"_s) ? root[u"result"_s].toObject() : root;
        const QJsonArray instructionError = result[u"meta"_s][u"err"_s][u"InstructionError"_s].toArray();
        if (instructionError.size() != 2 || !instructionError.at(1).toObject().contains(u"Custom"_s))
            continue;
        QString logged;
        for (const QJsonValue &line : result[u"meta"_s][u"logMessages"_s].toArray()) {
            const qsizetype at = line.toString().indexOf(u" failed: "_s);
            if (line.toString().startsWith(u"Program "_s) && at > 0)
                logged = line.toString().mid(at + 9);
        }
        QVERIFY2(!logged.isEmpty(), qPrintable(tx.signature));
        const TransactionSummary summary = summarizeOrFail(tx.json);
        QCOMPARE(summary.error, u"Error processing Instruction %1: %2"_s.arg(instructionError.at(0).toInt()).arg(logged));
        ++checked;
    }
    QCOMPARE(checked, 2); // the two failed vote transactions of slot 100,000,000
}

QTEST_GUILESS_MAIN(TestTransactionSummary)
#include "tst_transactionsummary.moc"
