// parseTransactionDetail() over every real transaction of the shared fixtures.
//
// Two kinds of checks:
//  * every transaction against an independent reading of the same JSON with
//    QJsonDocument (accounts, balances, token balances, instruction counts,
//    programs, fee, error, logs);
//  * values read by hand from the fixture JSON (what Solana Explorer's
//    transaction page shows for them): a USDC transfer with a durable nonce,
//    a failed transaction, a v0 transaction with address lookup tables in
//    `json` encoding, a Jupiter v6 swap with three levels of inner
//    instructions, and the slot-100 000 000 block whose `json` and
//    `jsonParsed` copies let the instruction decoder be checked against RPC's
//    own parser.

#include "protocol/knownprograms.h"
#include "protocol/transactiondetail.h"
#include "protocol/transactionfiles.h"
#include "support/fixtures.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QTest>

using namespace SlotScope;
using SlotScope::Testing::fixturesDir;
using namespace Qt::StringLiterals;

namespace {

const QString kUsdc = u"solana-foundation-explorer/mainnet-single-usdc-4LXpF3MCdp69iFmD27Sn812UNpqFPHM4qXH7Y12E964p9GHXvwMe1XEmyasogVT2N4XEctdQQLf1sHY6Gvsa5sFX.json"_s;
const QString kFailed = u"coinbase-chainstorage/parser/solana/block_241043141_v2.json"_s;
const QString kVersioned = u"coinbase-chainstorage/parser/solana/block_with_versioned_tx.json"_s;
const QString kJupiter = u"jup-ag-instruction-parser/tx-2m6e4MBQ2wKiFhtc8d479C6SUKkqEiBzemwxSQVaSdr4zGHdoefxWz28u2rnCtUu7SfcgwWpEBDr3L5NZnEqffnv.json"_s;
const QString kBlock100M = u"coinbase-chainstorage/client/solana/block.json"_s;
const QString kBlock100MParsed = u"coinbase-chainstorage/client/solana/block_v2.json"_s;

QList<LoadedTransaction> load(const QString &relative)
{
    const auto loaded = loadTransactionFile(QDir(fixturesDir()).filePath(relative));
    if (!loaded)
        qFatal("cannot load %s: %s", qPrintable(relative), qPrintable(loaded.error().message));
    return *loaded;
}

TransactionDetail detailOf(const QByteArray &json)
{
    const Result<TransactionDetail> d = parseTransactionDetail(json);
    if (!d)
        qFatal("parseTransactionDetail failed: %s", qPrintable(d.error().message));
    return *d;
}

TransactionDetail detailOf(const QString &relative, int position = 0)
{
    return detailOf(load(relative).at(position).json);
}

QMap<QString, QString> fieldMap(const DetailInstruction &ix)
{
    QMap<QString, QString> m;
    for (const InstructionField &f : ix.fields)
        m.insert(f.name, f.value);
    return m;
}

QString field(const DetailInstruction &ix, const QString &name)
{
    return fieldMap(ix).value(name);
}

QStringList programsOf(const QList<DetailInstruction> &list)
{
    QStringList out;
    for (const DetailInstruction &ix : list)
        out.append(ix.programId.left(6));
    return out;
}

int countAll(const QList<DetailInstruction> &list)
{
    int n = 0;
    for (const DetailInstruction &ix : list)
        n += 1 + countAll(ix.inner);
    return n;
}

QString u64Text(const QJsonValue &v)
{
    return QString::number(qint64(v.toDouble()));
}

} // namespace

class tst_TransactionDetail : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyFixtureAgainstQtJson_data();
    void everyFixtureAgainstQtJson();
    void usdcTransferWithNonce();
    void failedTransaction();
    void versionedJsonWithLookupTables();
    void jupiterSwapNesting();
    void decoderMatchesRpcJsonParsed();
    void programLogsNesting();
    void malformedInput_data();
    void malformedInput();
    void amounts();
    void programNames();
};

void tst_TransactionDetail::everyFixtureAgainstQtJson_data()
{
    QTest::addColumn<QByteArray>("json");
    QDirIterator it(fixturesDir(), {u"*.json"_s}, QDir::Files, QDirIterator::Subdirectories);
    QStringList files;
    while (it.hasNext())
        files.append(it.next());
    files.sort();
    int rows = 0;
    for (const QString &file : std::as_const(files)) {
        const auto loaded = loadTransactionFile(file);
        QVERIFY2(loaded, qPrintable(file));
        for (const LoadedTransaction &tx : *loaded) {
            QTest::addRow("%s#%d", qPrintable(QDir(fixturesDir()).relativeFilePath(file)), tx.positionInSource) << tx.json;
            ++rows;
        }
    }
    // 23 source files: 31 unique transactions + 10 jsonParsed copies, and the derived file's 31 again.
    QCOMPARE(rows, 31 + 10 + 31);
}

void tst_TransactionDetail::everyFixtureAgainstQtJson()
{
    QFETCH(QByteArray, json);
    const TransactionDetail d = detailOf(json);
    const QJsonObject tx = QJsonDocument::fromJson(json).object();
    const QJsonObject meta = tx.value(u"meta"_s).toObject();
    const QJsonObject message = tx.value(u"transaction"_s).toObject().value(u"message"_s).toObject();

    QCOMPARE(d.signature, tx.value(u"transaction"_s).toObject().value(u"signatures"_s).toArray().first().toString());
    QCOMPARE(d.slot, quint64(tx.value(u"slot"_s).toDouble()));
    QCOMPARE(d.fee, quint64(meta.value(u"fee"_s).toDouble()));
    QCOMPARE(d.computeUnitsConsumed.has_value(), meta.contains(u"computeUnitsConsumed"_s));
    QCOMPARE(d.success, meta.value(u"err"_s).isNull());
    QCOMPARE(d.logsPresent, meta.value(u"logMessages"_s).isArray());
    if (d.logsPresent)
        QCOMPARE(d.logs.size(), meta.value(u"logMessages"_s).toArray().size());

    // Accounts: static keys (+ loaded ones for json), pre/post balances by index.
    QStringList keys;
    for (const QJsonValue &k : message.value(u"accountKeys"_s).toArray())
        keys.append(k.isString() ? k.toString() : k.toObject().value(u"pubkey"_s).toString());
    const QJsonObject loaded = meta.value(u"loadedAddresses"_s).toObject();
    if (!message.value(u"accountKeys"_s).toArray().first().isObject()) {
        for (const QJsonValue &k : loaded.value(u"writable"_s).toArray())
            keys.append(k.toString());
        for (const QJsonValue &k : loaded.value(u"readonly"_s).toArray())
            keys.append(k.toString());
    }
    QCOMPARE(d.accounts.size(), keys.size());
    const QJsonArray pre = meta.value(u"preBalances"_s).toArray();
    const QJsonArray post = meta.value(u"postBalances"_s).toArray();
    for (qsizetype i = 0; i < keys.size(); ++i) {
        QCOMPARE(d.accounts.at(i).pubkey, keys.at(i));
        QCOMPARE(d.accounts.at(i).feePayer, i == 0);
        QVERIFY(d.accounts.at(i).preLamports);
        QCOMPARE(QString::number(*d.accounts.at(i).preLamports), u64Text(pre.at(i)));
        QCOMPARE(QString::number(*d.accounts.at(i).postLamports), u64Text(post.at(i)));
    }
    QVERIFY(d.accounts.at(0).signer);
    QVERIFY(d.accounts.at(0).writable);

    // Token balances: the union of the accountIndex values, ascending.
    QMap<int, std::pair<QString, QString>> amounts;
    for (const QJsonValue &b : meta.value(u"preTokenBalances"_s).toArray())
        amounts[b[u"accountIndex"_s].toInt()].first = b[u"uiTokenAmount"_s][u"amount"_s].toString();
    for (const QJsonValue &b : meta.value(u"postTokenBalances"_s).toArray())
        amounts[b[u"accountIndex"_s].toInt()].second = b[u"uiTokenAmount"_s][u"amount"_s].toString();
    QCOMPARE(d.tokenBalances.size(), amounts.size());
    qsizetype row = 0;
    for (auto it = amounts.cbegin(); it != amounts.cend(); ++it, ++row) {
        const DetailTokenBalance &b = d.tokenBalances.at(row);
        QCOMPARE(b.accountIndex, it.key());
        QCOMPARE(b.account, keys.at(it.key()));
        QCOMPARE(QString::number(*b.preAmount), it->first.isEmpty() ? u"0"_s : it->first);
        QCOMPARE(QString::number(*b.postAmount), it->second.isEmpty() ? u"0"_s : it->second);
    }

    // Instructions: top-level programs in order; inner ones all placed somewhere below.
    const QJsonArray instructions = message.value(u"instructions"_s).toArray();
    QCOMPARE(d.instructions.size(), instructions.size());
    for (qsizetype i = 0; i < instructions.size(); ++i) {
        const QJsonObject ix = instructions.at(i).toObject();
        const QString programId = ix.contains(u"programId"_s) ? ix.value(u"programId"_s).toString()
                                                             : keys.at(ix.value(u"programIdIndex"_s).toInt());
        QCOMPARE(d.instructions.at(i).programId, programId);
        if (ix.contains(u"parsed"_s) && ix.value(u"parsed"_s).isObject())
            QCOMPARE(d.instructions.at(i).parsedType, ix[u"parsed"_s][u"type"_s].toString());
    }
    int inner = 0;
    for (const QJsonValue &g : meta.value(u"innerInstructions"_s).toArray())
        inner += int(g[u"instructions"_s].toArray().size());
    QCOMPARE(d.instructionCount(), int(instructions.size()) + inner);
    if (!d.success && d.failedInstruction)
        QVERIFY(d.instructions.at(*d.failedInstruction).failed);
}

void tst_TransactionDetail::usdcTransferWithNonce()
{
    const TransactionDetail d = detailOf(load(kUsdc).at(0).json);
    QCOMPARE(d.signature, u"4LXpF3MCdp69iFmD27Sn812UNpqFPHM4qXH7Y12E964p9GHXvwMe1XEmyasogVT2N4XEctdQQLf1sHY6Gvsa5sFX"_s);
    QCOMPARE(d.signatures.size(), 2);
    QCOMPARE(d.slot, 419685246u);
    QCOMPARE(d.version, u"legacy"_s);
    QVERIFY(d.success);
    QCOMPARE(d.fee, 48370u);
    QCOMPARE(d.computeUnitsConsumed, std::optional<quint64>(555));
    QCOMPARE(d.costUnits, std::optional<quint64>(3234));
    QCOMPARE(d.recentBlockhash, u"HBYLqApwCP8YGewVETHe6jGV7LBo7r3oRxwUxhzL7pYp"_s);

    // Account Input(s): 10 accounts; the fee payer paid exactly the fee.
    QCOMPARE(d.accounts.size(), 10);
    const DetailAccount &payer = d.accounts.at(0);
    QCOMPARE(payer.pubkey, u"3V9bd3EN5aNuhE4RiHGbZ1eZakJ1F9cDb8V4YLjCG8cg"_s);
    QVERIFY(payer.feePayer && payer.signer && payer.writable && !payer.program);
    QCOMPARE(*payer.preLamports, 401428673570u);
    QCOMPARE(*payer.postLamports, 401428625200u);
    QCOMPARE(payer.delta(), (SignedAmount{48370, true}));
    QCOMPARE(payer.delta().toString(9), u"-0.00004837"_s);
    const DetailAccount &nonceAuthority = d.accounts.at(1);
    QVERIFY(nonceAuthority.signer && !nonceAuthority.writable && !nonceAuthority.feePayer);
    QVERIFY(d.accounts.at(7).program);   // System Program
    QVERIFY(d.accounts.at(8).program);   // Token Program
    QVERIFY(d.accounts.at(9).program);   // Compute Budget
    QVERIFY(!d.accounts.at(6).program && !d.accounts.at(6).writable); // the USDC mint
    for (qsizetype i = 1; i < d.accounts.size(); ++i)
        QVERIFY(d.accounts.at(i).delta().isZero());

    // Token Balances: USDC moved 3.8 between two token accounts.
    QCOMPARE(d.tokenBalances.size(), 2);
    const DetailTokenBalance &from = d.tokenBalances.at(0);
    QCOMPARE(from.account, u"2e3Eb9tkT8252WhFR26Xz6SKoiatJScuMW1BHgGqPvvc"_s);
    QCOMPARE(from.mint, u"EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"_s);
    QCOMPARE(from.owner, u"3V9bd3EN5aNuhE4RiHGbZ1eZakJ1F9cDb8V4YLjCG8cg"_s);
    QCOMPARE(from.decimals, 6);
    QCOMPARE(formatUnits(*from.postAmount, from.decimals), u"101899.968394"_s);
    QCOMPARE(from.delta().toString(from.decimals), u"-3.8"_s);
    const DetailTokenBalance &to = d.tokenBalances.at(1);
    QCOMPARE(to.owner, u"B2v68t8MXb9zUms1VQKuCcvjrjKDK6fLd8ZngqmBGy1M"_s);
    QCOMPARE(formatUnits(*to.preAmount, 6), u"11.2"_s);
    QCOMPARE(formatUnits(*to.postAmount, 6), u"15"_s);
    QCOMPARE(to.delta().toString(6), u"+3.8"_s);

    // Instructions: Advance Nonce, Transfer Checked, and the two Compute Budget
    // instructions RPC leaves undecoded ("LagYCX", "3mimF1vf45io").
    QCOMPARE(d.instructions.size(), 4);
    QCOMPARE(d.instructions.at(0).title(), u"System Program: Advance Nonce"_s);
    QCOMPARE(field(d.instructions.at(0), u"nonceAccount"_s), u"FqCmnwUjWecdGFV1rtfUQRiB3p6hwFkZRByixzjwk1gB"_s);
    QCOMPARE(d.instructions.at(1).title(), u"Token Program: Transfer Checked"_s);
    QCOMPARE(field(d.instructions.at(1), u"tokenAmount.uiAmountString"_s), u"3.8"_s);
    QCOMPARE(field(d.instructions.at(1), u"tokenAmount.amount"_s), u"3800000"_s);
    QCOMPARE(field(d.instructions.at(1), u"destination"_s), u"Efc6bp3wVC2iQpewxRmKdZM8vzt9DCFFhL7EiHYNGunv"_s);
    QVERIFY(!d.instructions.at(1).decodedHere);
    QCOMPARE(d.instructions.at(2).title(), u"Compute Budget Program: Set Compute Unit Limit"_s);
    QVERIFY(d.instructions.at(2).decodedHere);
    QCOMPARE(field(d.instructions.at(2), u"units"_s), u"2558"_s);
    QCOMPARE(d.instructions.at(3).title(), u"Compute Budget Program: Set Compute Unit Price"_s);
    QCOMPARE(field(d.instructions.at(3), u"microLamports"_s), u"15000000"_s);
    QCOMPARE(d.computeUnitLimit, std::optional<quint64>(2558));
    QCOMPARE(d.computeUnitPriceMicroLamports, std::optional<quint64>(15000000));

    // Program logs: four top-level invocations, all successful.
    QCOMPARE(d.logs.size(), 9);
    QCOMPARE(d.logs.at(3).kind, DetailLogLine::Kind::Consumed);
    QCOMPARE(d.logs.at(3).instruction, 1);
    QCOMPARE(d.logs.constLast().kind, DetailLogLine::Kind::Success);
    QCOMPARE(d.logs.constLast().instruction, 3);
}

void tst_TransactionDetail::failedTransaction()
{
    const TransactionDetail d = detailOf(kFailed);
    QCOMPARE(d.signature, u"7ynjNWxA4yAQGXD5U9gheTn2DGDjoCZ4MB68wm15oJqEeA2MdSze6hMABJiEkC2atJCf4QsUCXBLrYpAdeMzsFG"_s);
    QVERIFY(!d.success);
    QCOMPARE(d.error, u"Error processing Instruction 3: Program failed to complete"_s);
    QCOMPARE(d.errorJson, QByteArray(R"({"InstructionError":[3,"ProgramFailedToComplete"]})"));
    QCOMPARE(d.failedInstruction, std::optional<int>(3));
    QCOMPARE(d.instructionError, u"Program failed to complete"_s);
    QCOMPARE(d.fee, 5000u);
    QCOMPARE(d.computeUnitsConsumed, std::optional<quint64>(52577));

    QStringList titles;
    for (const DetailInstruction &ix : d.instructions)
        titles.append(ix.title());
    QCOMPARE(titles, (QStringList{u"System Program: Create Account With Seed"_s,
                                  u"Token Program: Initialize Account"_s,
                                  u"Associated Token Program: Create"_s,
                                  u"GqCH…NouR"_s,
                                  u"Token Program: Close Account"_s}));
    for (int i = 0; i < 5; ++i)
        QCOMPARE(d.instructions.at(i).failed, i == 3);
    // The ATA create's four inner instructions hang directly below it.
    QCOMPARE(d.instructions.at(2).inner.size(), 4);
    QCOMPARE(d.instructions.at(2).inner.at(1).title(), u"System Program: Create Account"_s);
    QCOMPARE(field(d.instructions.at(2).inner.at(1), u"lamports"_s), u"2039280"_s);
    QCOMPARE(field(d.instructions.at(2).inner.at(1), u"space"_s), u"165"_s);

    // Fee payer: 5 000 lamports less; four token balances, none changed.
    QCOMPARE(d.accounts.size(), 25);
    QCOMPARE(d.accounts.at(0).pubkey, u"5yKF9m4HwZPA1cibk7JGEVtAGBL2Jx8PxcuB5EbHXRKq"_s);
    QCOMPARE(d.accounts.at(0).delta().toString(9), u"-0.000005"_s);
    QCOMPARE(d.tokenBalances.size(), 4);
    QCOMPARE(formatUnits(*d.tokenBalances.at(1).postAmount, d.tokenBalances.at(1).decimals), u"10923.796216491"_s);
    for (const DetailTokenBalance &b : d.tokenBalances)
        QVERIFY(b.delta().isZero());

    // Logs: the failing program's line is last, at depth 1 of instruction 3;
    // the ATA's inner Token invocations are at depth 2.
    QCOMPARE(d.logs.size(), 30);
    QCOMPARE(d.logs.constLast().kind, DetailLogLine::Kind::Failed);
    QCOMPARE(d.logs.constLast().depth, 1);
    QCOMPARE(d.logs.constLast().instruction, 3);
    QCOMPARE(d.logs.constLast().programId, u"GqCHpDuPPsyyMxtaQgYxyLLLWv1kZFyy2DD5z1cMNouR"_s);
    QCOMPARE(d.logs.at(8).kind, DetailLogLine::Kind::Invoke);
    QCOMPARE(d.logs.at(8).depth, 2);
    QCOMPARE(d.logs.at(11).kind, DetailLogLine::Kind::Return);
    QCOMPARE(d.logs.at(11).depth, 2);
}

void tst_TransactionDetail::versionedJsonWithLookupTables()
{
    const TransactionDetail d = detailOf(kVersioned);
    QCOMPARE(d.version, u"0"_s);
    QCOMPARE(d.fee, 10000u);
    QVERIFY(!d.computeUnitsConsumed);
    QVERIFY(!d.logsPresent);          // logMessages is null
    QVERIFY(!d.innerInstructionsPresent);
    // 6 static keys, then 24 loaded writable, then 11 loaded readonly.
    QCOMPARE(d.accounts.size(), 41);
    QCOMPARE(d.accounts.at(0).pubkey, u"JARehRjGUkkEShpjzfuV4ERJS25j8XhamL776FAktNGm"_s);
    // Header {2 signatures, 1 readonly signed, 4 readonly unsigned}.
    QVERIFY(d.accounts.at(0).signer && d.accounts.at(0).writable);
    QVERIFY(d.accounts.at(1).signer && !d.accounts.at(1).writable);
    for (int i = 2; i < 6; ++i) {
        QVERIFY(!d.accounts.at(i).signer);
        QVERIFY(!d.accounts.at(i).writable);
        QVERIFY(!d.accounts.at(i).fromLookupTable);
    }
    QCOMPARE(d.accounts.at(6).pubkey, u"8SheGtsopRUDzdiD6v6BR9a6bqZ9QwywYQY99Fp5meNf"_s);
    for (int i = 6; i < 41; ++i) {
        QVERIFY(d.accounts.at(i).fromLookupTable);
        QCOMPARE(d.accounts.at(i).writable, i < 30);
    }
    QCOMPARE(d.accounts.at(40).pubkey, u"HaNqpJUQeH2t6SB3tDJAtKV52fJM9rV1mGZrRrqMRZo1"_s);
    QCOMPARE(d.accounts.at(0).delta().toString(9), u"-0.00001"_s);

    // Instruction 6 is a Token transfer whose accounts are lookup-table keys,
    // decoded from its `json` data ("3gw3W38VSRom": tag 3, amount 22299044).
    QCOMPARE(d.instructions.size(), 8);
    QCOMPARE(d.instructions.at(0).programName, u"Solend Program"_s);
    QCOMPARE(d.instructions.at(3).programName, u"Jupiter Aggregator v3"_s);
    const DetailInstruction &transfer = d.instructions.at(6);
    QCOMPARE(transfer.title(), u"Token Program: Transfer"_s);
    QVERIFY(transfer.decodedHere);
    QCOMPARE(field(transfer, u"amount"_s), u"22299044"_s);
    QCOMPARE(field(transfer, u"source"_s), u"2PYVzDJ6Buks4yUVeDEhLwc14wKpxbehEsbeU6yM8J8d"_s);
    QCOMPARE(field(transfer, u"authority"_s), u"JARehRjGUkkEShpjzfuV4ERJS25j8XhamL776FAktNGm"_s);
    QCOMPARE(d.tokenBalances.size(), 17);
}

void tst_TransactionDetail::jupiterSwapNesting()
{
    const TransactionDetail d = detailOf(kJupiter);
    QCOMPARE(d.fee, 105000u);
    QCOMPARE(d.computeUnitsConsumed, std::optional<quint64>(278623));
    QCOMPARE(d.accounts.size(), 34);
    int lookups = 0;
    for (const DetailAccount &a : d.accounts)
        lookups += a.fromLookupTable;
    QCOMPARE(lookups, 18);
    QCOMPARE(d.accounts.at(0).pubkey, u"6oHypdkuE3n41w3XBidags663HQRiXBN8W4qjxyUz4YS"_s);
    QCOMPARE(d.accounts.at(0).delta().toString(9), u"+0.003010691"_s);

    QCOMPARE(programsOf(d.instructions), (QStringList{u"Comput"_s, u"Comput"_s, u"AToken"_s, u"JUP6Lk"_s, u"Tokenk"_s}));
    QCOMPARE(d.instructionCount(), 25);
    QCOMPARE(d.instructions.at(2).title(), u"Associated Token Program: Create Idempotent"_s);
    const DetailInstruction &route = d.instructions.at(3);
    QCOMPARE(route.programName, u"Jupiter Aggregator v6"_s);
    QVERIFY(route.parsedType.isEmpty());
    QVERIFY(!route.data.isEmpty());
    // Stack heights 2, 3 and 4 nest: Meteora Pools → vault program → Token.
    QCOMPARE(programsOf(route.inner), (QStringList{u"Tokenk"_s, u"Eo7WjK"_s, u"JUP6Lk"_s, u"675kPX"_s,
                                                    u"JUP6Lk"_s, u"Tokenk"_s, u"JUP6Lk"_s, u"Tokenk"_s}));
    QCOMPARE(route.inner.at(1).programName, u"Meteora Pools"_s);
    QCOMPARE(programsOf(route.inner.at(1).inner), (QStringList{u"24Uqj9"_s, u"24Uqj9"_s}));
    QCOMPARE(route.inner.at(1).inner.at(0).inner.size(), 2);
    QCOMPARE(route.inner.at(1).inner.at(0).inner.at(1).title(), u"Token Program: Mint To"_s);
    QCOMPARE(route.inner.at(1).inner.at(1).inner.at(1).title(), u"Token Program: Burn"_s);
    QCOMPARE(route.inner.at(3).programName, u"Raydium AMM Program"_s);
    QCOMPARE(route.inner.at(3).inner.size(), 2);
    QCOMPARE(countAll(route.inner), 16);

    // Token balances: 12 rows; account 5 emptied from 5878.070878 to 0.
    QCOMPARE(d.tokenBalances.size(), 12);
    const DetailTokenBalance &emptied = d.tokenBalances.at(4);
    QCOMPARE(emptied.accountIndex, 5);
    QCOMPARE(emptied.owner, u"6oHypdkuE3n41w3XBidags663HQRiXBN8W4qjxyUz4YS"_s);
    QCOMPARE(emptied.delta().toString(emptied.decimals), u"-5878.070878"_s);
    QCOMPARE(d.tokenBalances.at(5).delta().toString(6), u"+398.451555"_s);
}

void tst_TransactionDetail::decoderMatchesRpcJsonParsed()
{
    // The same 10 transactions of slot 100 000 000 in `json` (decoded here) and
    // `jsonParsed` (decoded by RPC): every instruction we decode must carry
    // RPC's type and fields.
    const QList<LoadedTransaction> json = load(kBlock100M);
    const QList<LoadedTransaction> parsed = load(kBlock100MParsed);
    QCOMPARE(json.size(), 10);
    QCOMPARE(parsed.size(), 10);
    int compared = 0;
    const auto compare = [&compared](const DetailInstruction &ours, const DetailInstruction &rpc) {
        QCOMPARE(ours.programId, rpc.programId);
        if (!ours.decodedHere)
            return;
        QCOMPARE(ours.parsedType, rpc.parsedType);
        QCOMPARE(fieldMap(ours), fieldMap(rpc));
        ++compared;
    };
    for (int i = 0; i < 10; ++i) {
        const TransactionDetail a = detailOf(json.at(i).json);
        const TransactionDetail b = detailOf(parsed.at(i).json);
        QCOMPARE(a.signature, b.signature);
        QCOMPARE(a.instructions.size(), b.instructions.size());
        for (qsizetype k = 0; k < a.instructions.size(); ++k) {
            compare(a.instructions.at(k), b.instructions.at(k));
            QCOMPARE(a.instructions.at(k).inner.size(), b.instructions.at(k).inner.size());
            for (qsizetype j = 0; j < a.instructions.at(k).inner.size(); ++j)
                compare(a.instructions.at(k).inner.at(j), b.instructions.at(k).inner.at(j));
        }
        QCOMPARE(a.error, b.error);
        QCOMPARE(a.failedInstruction, b.failedInstruction);
        // Accounts of a json message get their flags from the header; jsonParsed states them.
        QCOMPARE(a.accounts.size(), b.accounts.size());
        for (qsizetype k = 0; k < a.accounts.size(); ++k) {
            QCOMPARE(a.accounts.at(k).signer, b.accounts.at(k).signer);
            QCOMPARE(a.accounts.at(k).writable, b.accounts.at(k).writable);
        }
    }
    // 6 votes, 1 system transfer, 1 inner token transfer.
    QCOMPARE(compared, 8);
}

void tst_TransactionDetail::programLogsNesting()
{
    const QList<DetailLogLine> lines = parseProgramLogs({
        u"Program A111 invoke [1]"_s,
        u"Program log: hello"_s,
        u"Program B222 invoke [2]"_s,
        u"Program data: AQID"_s,
        u"Program B222 consumed 10 of 100 compute units"_s,
        u"Program B222 success"_s,
        u"Program A111 failed: custom program error: 0x1"_s,
        u"Log truncated"_s,
    });
    QList<std::pair<DetailLogLine::Kind, int>> shape;
    for (const DetailLogLine &l : lines)
        shape.append({l.kind, l.depth});
    using K = DetailLogLine::Kind;
    QCOMPARE(shape, (QList<std::pair<K, int>>{{K::Invoke, 1}, {K::Log, 1}, {K::Invoke, 2}, {K::Data, 2},
                                             {K::Consumed, 2}, {K::Success, 2}, {K::Failed, 1}, {K::Truncated, 1}}));
    QCOMPARE(lines.at(2).programId, u"B222"_s);
    QCOMPARE(lines.at(0).instruction, 0);
    QCOMPARE(lines.constLast().instruction, 0);
}

void tst_TransactionDetail::malformedInput_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addRow("not JSON") << QByteArray("{\"slot\":");
    QTest::addRow("array") << QByteArray("[]");
    QTest::addRow("no transaction") << QByteArray(R"({"slot":1,"meta":{}})");
    QTest::addRow("binary") << QByteArray(R"({"slot":1,"transaction":["AAAA","base64"],"meta":{}})");
    QTest::addRow("no signatures") << QByteArray(R"({"transaction":{"signatures":[],"message":{"accountKeys":["a"],"instructions":[]}}})");
    QTest::addRow("program index out of range")
        << QByteArray(R"({"transaction":{"signatures":["s"],"message":{"accountKeys":["a"],"header":{"numRequiredSignatures":1,"numReadonlySignedAccounts":0,"numReadonlyUnsignedAccounts":0},"instructions":[{"programIdIndex":5,"accounts":[],"data":""}]}}})");
    QTest::addRow("rpc error") << QByteArray(R"({"jsonrpc":"2.0","error":{"code":-32000,"message":"x"},"id":1})");
}

void tst_TransactionDetail::malformedInput()
{
    QFETCH(QByteArray, json);
    const Result<TransactionDetail> d = parseTransactionDetail(json);
    QVERIFY(!d);
    QVERIFY(d.error().message.startsWith(u"Transaction detail: "_s));
}

void tst_TransactionDetail::amounts()
{
    QCOMPARE(formatUnits(0, 9), u"0"_s);
    QCOMPARE(formatUnits(5000, 9), u"0.000005"_s);
    QCOMPARE(formatUnits(1500000000, 9), u"1.5"_s);
    QCOMPARE(formatUnits(18446744073709551615ull, 0), u"18446744073709551615"_s);
    QCOMPARE(formatUnits(18446744073709551615ull, 9), u"18446744073.709551615"_s);
    QCOMPARE(SignedAmount::difference(0, 18446744073709551615ull).toString(0), u"-18446744073709551615"_s);
    QCOMPARE(SignedAmount::difference(7, 7).toString(6), u"0"_s);
    // Decimals are a u8: 20 and more places, beyond what a u64 scale holds.
    QCOMPARE(formatUnits(18446744073709551615ull, 19), u"1.8446744073709551615"_s);
    QCOMPARE(formatUnits(18446744073709551615ull, 20), u"0.18446744073709551615"_s);
    QCOMPARE(formatUnits(18446744073709551615ull, 30), u"0.000000000018446744073709551615"_s);
    QCOMPARE(SignedAmount::difference(1, 0).toString(255), u"+0."_s + QString(254, u'0') + u"1"_s);
    QCOMPARE(formatUnits(10, 1), u"1"_s);
    QCOMPARE(formatUnits(100, 30), u"0.0000000000000000000000000001"_s);
}

void tst_TransactionDetail::programNames()
{
    QCOMPARE(programDisplayName(u"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"), u"Jupiter Aggregator v6"_s);
    QCOMPARE(programDisplayName(u"TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb"), u"Token-2022 Program"_s);
    QCOMPARE(programDisplayName(u"SysvarRent111111111111111111111111111111111"), u"Sysvar: Rent"_s);
    QCOMPARE(programDisplayName(u"GqCHpDuPPsyyMxtaQgYxyLLLWv1kZFyy2DD5z1cMNouR"), u"GqCH…NouR"_s);
    QCOMPARE(knownProgramName(u"GqCHpDuPPsyyMxtaQgYxyLLLWv1kZFyy2DD5z1cMNouR"), QString());
}

QTEST_GUILESS_MAIN(tst_TransactionDetail)
#include "tst_transactiondetail.moc"
