// CaptureReader / CaptureEventReader on files as `sim run` writes them
// (CAPTURE_FORMAT.md §7 examples, §8.2 reader profile), damaged files and
// legacy single documents.

#include "capture/capturereader.h"
#include "capture/capturewriter.h"
#include "support/fixtures.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace SlotScope;
using namespace SlotScope::Testing;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(SlotScope::CaptureSummary)

namespace {

// CAPTURE_FORMAT.md §7.1 – §7.6, verbatim.
const QByteArray metadataLine =
    R"({"type":"metadata","data":{"start_slot":419685240,"end_slot":419685250,"program_ids":["TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"],"ran_at_unix_secs":1780023967}})";
const QByteArray metadataWithSoLine =
    R"({"type":"metadata","data":{"start_slot":419685240,"end_slot":419685250,"program_ids":["TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"],"program_so":["./target/deploy/program.so"],"ran_at_unix_secs":1780023967}})";
const QByteArray sessionStartedLine =
    R"({"type":"session_started","data":{"session_id":"8c1f3e52-5b0a-4d47-9a51-2f0e7c9d4b10"}})";
const QByteArray successLine =
    R"({"type":"tx","data":{"slot":419685246,"timestamp":1778761079,"signature":"4LXpF3MCdp69iFmD27Sn812UNpqFPHM4qXH7Y12E964p9GHXvwMe1XEmyasogVT2N4XEctdQQLf1sHY6Gvsa5sFX","success":true,"logs":["Program 11111111111111111111111111111111 invoke [1]","Program 11111111111111111111111111111111 success","Program TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA invoke [1]","Program TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA consumed 105 of 2408 compute units","Program TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA success","Program ComputeBudget111111111111111111111111111111 invoke [1]","Program ComputeBudget111111111111111111111111111111 success","Program ComputeBudget111111111111111111111111111111 invoke [1]","Program ComputeBudget111111111111111111111111111111 success"],"sol_changes":[{"account":"3V9bd3EN5aNuhE4RiHGbZ1eZakJ1F9cDb8V4YLjCG8cg","pre_lamports":401428673570,"post_lamports":401428625200}],"token_changes":[{"account":"2e3Eb9tkT8252WhFR26Xz6SKoiatJScuMW1BHgGqPvvc","mint":"EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v","owner":"3V9bd3EN5aNuhE4RiHGbZ1eZakJ1F9cDb8V4YLjCG8cg","pre_amount":101903768394,"post_amount":101899968394,"decimals":6},{"account":"Efc6bp3wVC2iQpewxRmKdZM8vzt9DCFFhL7EiHYNGunv","mint":"EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v","owner":"B2v68t8MXb9zUms1VQKuCcvjrjKDK6fLd8ZngqmBGy1M","pre_amount":11200000,"post_amount":15000000,"decimals":6}]}})";
const QByteArray failureLine =
    R"({"type":"tx","data":{"slot":241043141,"timestamp":1704919455,"signature":"7ynjNWxA4yAQGXD5U9gheTn2DGDjoCZ4MB68wm15oJqEeA2MdSze6hMABJiEkC2atJCf4QsUCXBLrYpAdeMzsFG","success":false,"error":"Error processing Instruction 3: Program failed to complete","logs":["Program GqCHpDuPPsyyMxtaQgYxyLLLWv1kZFyy2DD5z1cMNouR invoke [1]","Program GqCHpDuPPsyyMxtaQgYxyLLLWv1kZFyy2DD5z1cMNouR consumed 24177 of 971600 compute units","Program GqCHpDuPPsyyMxtaQgYxyLLLWv1kZFyy2DD5z1cMNouR failed: Could not create program address with signer seeds: Provided seeds do not result in a valid address"],"sol_changes":[{"account":"5yKF9m4HwZPA1cibk7JGEVtAGBL2Jx8PxcuB5EbHXRKq","pre_lamports":256562880,"post_lamports":256557880}],"token_changes":[]}})";
const QByteArray diffLine =
    R"({"type":"diff","data":{"signature":"4LXpF3MCdp69iFmD27Sn812UNpqFPHM4qXH7Y12E964p9GHXvwMe1XEmyasogVT2N4XEctdQQLf1sHY6Gvsa5sFX","slot":419685246,"tx_index":17,"block_time":1778761079,"account":"2e3Eb9tkT8252WhFR26Xz6SKoiatJScuMW1BHgGqPvvc","pre_state":{"lamports":2039468,"owner":"TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA","data":["<base64 165 bytes>","base64"],"executable":false,"rentEpoch":18446744073709551615,"space":165},"post_state":{"lamports":2039468,"owner":"TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA","data":["<base64 165 bytes>","base64"],"executable":false,"rentEpoch":18446744073709551615,"space":165},"pre_lamports":2039468,"post_lamports":2039468,"pre_tokens":101903768394,"post_tokens":101899968394}})";
const QByteArray simSummaryLine =
    R"({"type":"summary","data":{"total":2,"successes":1,"failures":1,"session_ids":["8c1f3e52-5b0a-4d47-9a51-2f0e7c9d4b10"]}})";

const QString sessionId = u"8c1f3e52-5b0a-4d47-9a51-2f0e7c9d4b10"_s;
const QString successSig = u"4LXpF3MCdp69iFmD27Sn812UNpqFPHM4qXH7Y12E964p9GHXvwMe1XEmyasogVT2N4XEctdQQLf1sHY6Gvsa5sFX"_s;
const QString failureSig = u"7ynjNWxA4yAQGXD5U9gheTn2DGDjoCZ4MB68wm15oJqEeA2MdSze6hMABJiEkC2atJCf4QsUCXBLrYpAdeMzsFG"_s;

// §7.8, verbatim.
const QByteArray legacyDocumentText = R"({
  "metadata": {
    "start_slot": 419685240,
    "end_slot": 419685250,
    "program_ids": ["TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"],
    "ran_at_unix_secs": 1780023967,
    "session_ids": ["8c1f3e52-5b0a-4d47-9a51-2f0e7c9d4b10"]
  },
  "transactions": [
    {
      "slot": 241043141,
      "timestamp": 1704919455,
      "signature": "7ynjNWxA4yAQGXD5U9gheTn2DGDjoCZ4MB68wm15oJqEeA2MdSze6hMABJiEkC2atJCf4QsUCXBLrYpAdeMzsFG",
      "success": false,
      "error": "Error processing Instruction 3: Program failed to complete",
      "logs": ["Program GqCHpDuPPsyyMxtaQgYxyLLLWv1kZFyy2DD5z1cMNouR invoke [1]"],
      "sol_changes": [{"account": "5yKF9m4HwZPA1cibk7JGEVtAGBL2Jx8PxcuB5EbHXRKq", "pre_lamports": 256562880, "post_lamports": 256557880}],
      "token_changes": [],
      "account_diffs": [
        {"account": "5yKF9m4HwZPA1cibk7JGEVtAGBL2Jx8PxcuB5EbHXRKq", "pre_state": {"lamports": 256562880}, "post_state": {"lamports": 256557880}}
      ]
    }
  ],
  "summary": {"total": 1, "successes": 0, "failures": 1}
}
)";

QByteArray joinLines(const QList<QByteArray> &lines, const QByteArray &eol = "\n")
{
    QByteArray out;
    for (const QByteArray &l : lines)
        out += l + eol;
    return out;
}

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &content)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(content) != content.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

QList<CapturedTransaction> readAll(CaptureReader &reader)
{
    QList<CapturedTransaction> list;
    CapturedTransaction tx;
    while (reader.readNext(tx))
        list.append(tx);
    return list;
}

} // namespace

class tst_CaptureReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void simRunFile();
    void alternativeKeySpellings();
    void summaryLayouts_data();
    void summaryLayouts();
    void sessionIdPrecedence_data();
    void sessionIdPrecedence();
    void truncatedFileWithoutSummary();
    void legacyDocument_data();
    void legacyDocument();
    void unknownTypeSkipped();
    void malformedLinesSkippedAndCounted_data();
    void malformedLinesSkippedAndCounted();
    void damagedLineNamesItsField_data();
    void damagedLineNamesItsField();
    void byteOrderMarkIsSkipped();
    void crlfLineEnds();
    void blankLinesIgnored();
    void deduplication();
    void feeAndComputeUnitsFromRaw();
    void missingMetadataLine();
    void summaryDisagreement_data();
    void summaryDisagreement();
    void fileWarningsLeaveOutDamagedLines_data();
    void fileWarningsLeaveOutDamagedLines();
    void notACaptureFile_data();
    void notACaptureFile();
    void emptyFile();
    void progress();
    void detailOptions();
    void lineLongerThanTheBuffer();
    void eventsFileDamage();
};

void tst_CaptureReader::simRunFile()
{
    QTemporaryDir dir;
    const QString path = writeFile(dir, u"sim.ndjson"_s,
                                   joinLines({metadataWithSoLine, sessionStartedLine, failureLine, successLine,
                                              diffLine, simSummaryLine}));
    CaptureReader reader;
    QVERIFY(reader.open(path));
    QCOMPARE(reader.format(), CaptureReader::Format::Ndjson);
    QVERIFY(reader.metadata());
    const CaptureMetadata m = *reader.metadata();
    QCOMPARE(m.startSlot, 419685240u);
    QCOMPARE(m.endSlot, 419685250u);
    QCOMPARE(m.programIds, QStringList{u"TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"_s});
    QCOMPARE(m.programSo, QStringList{u"./target/deploy/program.so"_s});
    QCOMPARE(m.ranAtUnixSecs, 1780023967);
    QVERIFY(m.sessionIds.isEmpty());

    const QList<CapturedTransaction> txs = readAll(reader);
    QVERIFY(reader.atEnd());
    QCOMPARE(reader.skippedLines(), 0);
    QCOMPARE(signaturesOf(txs), (QStringList{failureSig, successSig}));

    const CapturedTransaction &f = txs[0];
    QCOMPARE(f.sessionId, sessionId); // the only session_started so far
    QCOMPARE(f.slot, 241043141u);
    QCOMPARE(f.blockTime, std::optional<qint64>(1704919455));
    QVERIFY(!f.success);
    QCOMPARE(f.error, u"Error processing Instruction 3: Program failed to complete"_s);
    QCOMPARE(f.logs.size(), 3);
    QCOMPARE(f.solChanges, (QList<SolChange>{{u"5yKF9m4HwZPA1cibk7JGEVtAGBL2Jx8PxcuB5EbHXRKq"_s, 256562880, 256557880}}));
    QVERIFY(f.tokenChanges.isEmpty());
    // `sim run` lines carry none of SlotScope's keys and no raw.
    QVERIFY(!f.fee);
    QVERIFY(!f.computeUnitsConsumed);
    QVERIFY(!f.transactionIndex);
    QVERIFY(f.feePayer.isEmpty());
    QVERIFY(f.programIds.isEmpty());
    QCOMPARE(f.lineNumber, 3);

    const CapturedTransaction &s = txs[1];
    QVERIFY(s.success);
    QVERIFY(s.error.isEmpty());
    QCOMPARE(s.logs.size(), 9);
    QCOMPARE(s.logs[3], u"Program TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA consumed 105 of 2408 compute units"_s);
    QCOMPARE(s.tokenChanges,
             (QList<TokenChange>{{u"2e3Eb9tkT8252WhFR26Xz6SKoiatJScuMW1BHgGqPvvc"_s, u"EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"_s,
                                  u"3V9bd3EN5aNuhE4RiHGbZ1eZakJ1F9cDb8V4YLjCG8cg"_s, 101903768394ULL, 101899968394ULL, 6},
                                 {u"Efc6bp3wVC2iQpewxRmKdZM8vzt9DCFFhL7EiHYNGunv"_s, u"EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"_s,
                                  u"B2v68t8MXb9zUms1VQKuCcvjrjKDK6fLd8ZngqmBGy1M"_s, 11200000, 15000000, 6}}));

    QVERIFY(reader.summary());
    QCOMPARE(*reader.summary(), (CaptureSummary{2, 1, 1, {sessionId}}));
    QCOMPARE(reader.sessionIds(), QStringList{sessionId});
    QCOMPARE(reader.totals(), (CaptureSummary{2, 1, 1, {sessionId}}));

    // The offsets of sim lines work for readRawTransaction only if there is a raw: here there is none.
    QVERIFY(!CaptureReader::readRawTransaction(path, f.offset));
}

void tst_CaptureReader::alternativeKeySpellings()
{
    QTemporaryDir dir;
    const QByteArray line =
        R"({"data":{"slot":5,"signature":"S","success":true,"logs":[],"sol_changes":[{"pubkey":"A","pre":18446744073709551615,"post":1}],)"
        R"("token_changes":[{"pubkey":"T","mint":"M","owner":"O","pre":2,"post":3,"decimals":9}]},"type":"tx"})";
    const QString path = writeFile(dir, u"alt.ndjson"_s, joinLines({metadataLine, line}));
    CaptureReader reader;
    QVERIFY(reader.open(path));
    const auto txs = readAll(reader);
    QCOMPARE(txs.size(), 1);
    QCOMPARE(txs[0].solChanges, (QList<SolChange>{{u"A"_s, std::numeric_limits<quint64>::max(), 1}}));
    QCOMPARE(txs[0].tokenChanges, (QList<TokenChange>{{u"T"_s, u"M"_s, u"O"_s, 2, 3, 9}}));
}

void tst_CaptureReader::summaryLayouts_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<CaptureSummary>("expected");
    QTest::addRow("flat (sim)") << simSummaryLine << CaptureSummary{2, 1, 1, {sessionId}};
    QTest::addRow("nested") << QByteArray(R"({"type":"summary","data":{"summary":{"total":7,"successes":5,"failures":2},"session_ids":["a","b"]}})")
                            << CaptureSummary{7, 5, 2, {u"a"_s, u"b"_s}};
    QTest::addRow("combined (ours)")
        << QByteArray(R"({"type":"summary","data":{"total":3,"successes":2,"failures":1,"session_ids":["x"],"summary":{"total":3,"successes":2,"failures":1}}})")
        << CaptureSummary{3, 2, 1, {u"x"_s}};
    QTest::addRow("failures left out") << QByteArray(R"({"type":"summary","data":{"total":10,"successes":4}})")
                                       << CaptureSummary{10, 4, 6, {}};
}

void tst_CaptureReader::summaryLayouts()
{
    QFETCH(QByteArray, line);
    QFETCH(CaptureSummary, expected);
    QTemporaryDir dir;
    const QString path = writeFile(dir, u"s.ndjson"_s, joinLines({metadataLine, successLine, line}));
    CaptureReader reader;
    QVERIFY(reader.open(path));
    QCOMPARE(readAll(reader).size(), 1);
    QVERIFY(reader.summary());
    QCOMPARE(*reader.summary(), expected);
    QCOMPARE(reader.skippedLines(), 0);
}

void tst_CaptureReader::sessionIdPrecedence_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<QString>("firstTxSession");

    const QByteArray startedA = R"({"type":"session_started","data":{"session_id":"A"}})";
    const QByteArray startedBString = R"({"type":"session_started","data":"B"})";
    const QByteArray summaryCD = R"({"type":"summary","data":{"total":1,"successes":1,"failures":0,"session_ids":["C","D"]}})";
    const QByteArray summaryC = R"({"type":"summary","data":{"total":1,"successes":1,"failures":0,"session_ids":["C"]}})";
    const QByteArray ourTx =
        R"({"type":"tx","data":{"slot":1,"signature":"s1","success":true,"logs":[],"sol_changes":[],"token_changes":[],"session_id":"E","fee":5000,"fee_payer":"P","program_ids":[],"raw":null}})";

    QTest::addRow("session_started wins over summary")
        << joinLines({metadataLine, startedA, startedBString, successLine, summaryCD}) << QStringList{u"A"_s, u"B"_s}
        << QString();
    QTest::addRow("one session_started names the session of sim lines")
        << joinLines({metadataLine, startedA, successLine, summaryCD}) << QStringList{u"A"_s} << u"A"_s;
    QTest::addRow("summary when no session_started")
        << joinLines({metadataLine, successLine, summaryCD}) << QStringList{u"C"_s, u"D"_s} << QString();
    QTest::addRow("summary of one session does not name earlier lines")
        << joinLines({metadataLine, successLine, summaryC}) << QStringList{u"C"_s} << QString();
    QTest::addRow("session_id keys when nothing else")
        << joinLines({metadataLine, ourTx}) << QStringList{u"E"_s} << u"E"_s;
    QTest::addRow("duplicate session_started counted once")
        << joinLines({metadataLine, startedA, startedA, successLine}) << QStringList{u"A"_s} << u"A"_s;
}

void tst_CaptureReader::sessionIdPrecedence()
{
    QFETCH(QByteArray, content);
    QFETCH(QStringList, expected);
    QFETCH(QString, firstTxSession);
    QTemporaryDir dir;
    CaptureReader reader;
    QVERIFY(reader.open(writeFile(dir, u"p.ndjson"_s, content)));
    const auto txs = readAll(reader);
    QCOMPARE(txs.size(), 1);
    QCOMPARE(txs[0].sessionId, firstTxSession);
    QCOMPARE(reader.sessionIds(), expected);
    QCOMPARE(reader.skippedLines(), 0);
}

void tst_CaptureReader::truncatedFileWithoutSummary()
{
    QTemporaryDir dir;
    // A run that died in the middle of writing the failure line.
    const QByteArray content = joinLines({metadataLine, successLine}) + failureLine.left(failureLine.size() / 2);
    const QString path = writeFile(dir, u"cut.ndjson"_s, content);
    CaptureReader reader;
    QVERIFY(reader.open(path));
    const auto txs = readAll(reader);
    QCOMPARE(signaturesOf(txs), QStringList{successSig});
    QVERIFY(reader.errorString().isEmpty());
    QCOMPARE(reader.skippedLines(), 1);
    QCOMPARE(reader.warnings().size(), 1);
    QVERIFY2(reader.warnings().at(0).startsWith(u"line 3: malformed"_s), qPrintable(reader.warnings().at(0)));
    QVERIFY(!reader.summary());
    QCOMPARE(reader.totals(), (CaptureSummary{1, 1, 0, {}}));

    // Cut at other places too, down to just the envelope's final brace: every
    // proper prefix of a tx line is skipped.
    for (const int cut : {1, 10, 30, int(successLine.size()) - 10, int(successLine.size()) - 2, int(successLine.size()) - 1}) {
        const QString p = writeFile(dir, u"cut%1.ndjson"_s.arg(cut), joinLines({metadataLine}) + successLine.left(cut));
        CaptureReader r;
        QVERIFY(r.open(p));
        QCOMPARE(readAll(r).size(), 0);
        QCOMPARE(r.skippedLines(), 1);
    }
}

void tst_CaptureReader::legacyDocument_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addRow("pretty (§7.8)") << legacyDocumentText;
    QByteArray compact = legacyDocumentText;
    compact.replace('\n', "");
    QTest::addRow("one line") << compact;
    QTest::addRow("CRLF") << QByteArray(legacyDocumentText).replace("\n", "\r\n");
    QTest::addRow("byte order mark") << QByteArray("\xEF\xBB\xBF" + legacyDocumentText);
}

void tst_CaptureReader::byteOrderMarkIsSkipped()
{
    // CAPTURE_FORMAT.md §2 writes none, but an editor may add one: the first
    // line is still the metadata line (it was dropped as damaged).
    QTemporaryDir dir;
    const QString path = writeFile(dir, u"bom.ndjson"_s,
                                   "\xEF\xBB\xBF" + joinLines({metadataLine, successLine, failureLine, simSummaryLine}));
    CaptureReader reader;
    QVERIFY(reader.open(path));
    QCOMPARE(reader.format(), CaptureReader::Format::Ndjson);
    QVERIFY(reader.metadata());
    QCOMPARE(reader.metadata()->startSlot, 419685240u);
    const auto txs = readAll(reader);
    QCOMPARE(signaturesOf(txs), (QStringList{successSig, failureSig}));
    QCOMPARE(reader.damagedLines(), 0);
    QCOMPARE(reader.warnings(), QStringList());
    QVERIFY(reader.summary());
    // Offsets still lead to their lines.
    const auto detail = CaptureReader::readTransactionAt(path, txs.at(1).offset);
    QVERIFY2(detail, qPrintable(detail ? QString() : detail.error().message));
    QCOMPARE(detail->transaction.signature, failureSig);

    // A transaction on the first line, right after the mark (no metadata line).
    const QString bare = writeFile(dir, u"bom-tx.ndjson"_s, "\xEF\xBB\xBF" + joinLines({successLine, failureLine}));
    CaptureReader bareReader;
    QVERIFY(bareReader.open(bare));
    const auto bareTxs = readAll(bareReader);
    QCOMPARE(signaturesOf(bareTxs), (QStringList{successSig, failureSig}));
    QCOMPARE(bareTxs.at(0).offset, 3);
    const auto first = CaptureReader::readTransactionAt(bare, bareTxs.at(0).offset);
    QVERIFY2(first, qPrintable(first ? QString() : first.error().message));
    QCOMPARE(first->transaction.signature, successSig);
}

void tst_CaptureReader::legacyDocument()
{
    QFETCH(QByteArray, content);
    QTemporaryDir dir;
    const QString path = writeFile(dir, u"legacy.json"_s, content);
    CaptureReader reader;
    QVERIFY(reader.open(path));
    QCOMPARE(reader.format(), CaptureReader::Format::Legacy);
    QVERIFY(reader.metadata());
    QCOMPARE(reader.metadata()->startSlot, 419685240u);
    QCOMPARE(reader.metadata()->sessionIds, QStringList{sessionId});
    QCOMPARE(reader.bytesRead(), 0);
    const auto txs = readAll(reader);
    QCOMPARE(txs.size(), 1);
    QCOMPARE(txs[0].signature, failureSig);
    QCOMPARE(txs[0].sessionId, sessionId);
    QCOMPARE(txs[0].slot, 241043141u);
    QCOMPARE(txs[0].blockTime, std::optional<qint64>(1704919455));
    QVERIFY(!txs[0].success);
    QCOMPARE(txs[0].error, u"Error processing Instruction 3: Program failed to complete"_s);
    QCOMPARE(txs[0].logs, QStringList{u"Program GqCHpDuPPsyyMxtaQgYxyLLLWv1kZFyy2DD5z1cMNouR invoke [1]"_s});
    QCOMPARE(txs[0].solChanges.size(), 1);
    // The offset is where the transaction's object starts: it reads back.
    const qint64 objectStart = content.indexOf("\"transactions\"");
    QCOMPARE(txs[0].offset, qint64(content.indexOf('{', objectStart)));
    QCOMPARE(txs[0].lineNumber, content.left(txs[0].offset).count('\n') + 1);
    const auto again = CaptureReader::readTransactionAt(path, txs[0].offset);
    QVERIFY2(again, qPrintable(again ? QString() : again.error().message));
    QCOMPARE(again->transaction.signature, failureSig);
    QCOMPARE(again->transaction.solChanges, txs[0].solChanges);
    QVERIFY(again->raw.isEmpty());
    QVERIFY(reader.summary());
    QCOMPARE(*reader.summary(), (CaptureSummary{1, 0, 1, {}}));
    QCOMPARE(reader.sessionIds(), QStringList{sessionId});
    QCOMPARE(reader.totals().sessionIds, QStringList{sessionId});
    QCOMPARE(reader.bytesRead(), reader.totalBytes());
    QCOMPARE(reader.skippedLines(), 0);
}

void tst_CaptureReader::unknownTypeSkipped()
{
    QTemporaryDir dir;
    const QByteArray unknown = R"({"type":"reroute_result","data":{"x":1}})";
    const QString path = writeFile(dir, u"u.ndjson"_s, joinLines({metadataLine, unknown, successLine, simSummaryLine}));
    CaptureReader reader;
    QVERIFY(reader.open(path));
    QCOMPARE(signaturesOf(readAll(reader)), QStringList{successSig});
    QCOMPARE(reader.skippedLines(), 1);
    QCOMPARE(reader.warnings(), QStringList{u"line 2: unknown type \"reroute_result\", skipped"_s});
    QCOMPARE(reader.fileWarnings(), reader.warnings());
    QVERIFY(reader.summary());
    QCOMPARE(reader.damagedLines(), 0); // skipped, but not damaged
}

void tst_CaptureReader::malformedLinesSkippedAndCounted_data()
{
    QTest::addColumn<QByteArray>("bad");
    QTest::addRow("not JSON") << QByteArray("this is not json");
    QTest::addRow("array") << QByteArray("[1,2,3]");
    QTest::addRow("no type") << QByteArray(R"({"data":{"slot":1}})");
    QTest::addRow("type not a string") << QByteArray(R"({"type":5,"data":{}})");
    QTest::addRow("tx without data") << QByteArray(R"({"type":"tx"})");
    QTest::addRow("tx data not an object") << QByteArray(R"({"type":"tx","data":[1]})");
    QTest::addRow("tx without signature") << QByteArray(R"({"type":"tx","data":{"slot":1,"success":true}})");
    QTest::addRow("tx without slot") << QByteArray(R"({"type":"tx","data":{"signature":"s","success":true}})");
    QTest::addRow("slot is a string") << QByteArray(R"({"type":"tx","data":{"slot":"1","signature":"s"}})");
    QTest::addRow("slot is negative") << QByteArray(R"({"type":"tx","data":{"slot":-1,"signature":"s"}})");
    QTest::addRow("slot is a float") << QByteArray(R"({"type":"tx","data":{"slot":1.0,"signature":"s"}})");
    QTest::addRow("slot above u64") << QByteArray(R"({"type":"tx","data":{"slot":18446744073709551616,"signature":"s"}})");
    QTest::addRow("lamports negative") << QByteArray(R"({"type":"tx","data":{"slot":1,"signature":"s","sol_changes":[{"account":"a","pre_lamports":-5,"post_lamports":1}]}})");
    QTest::addRow("unterminated string") << QByteArray(R"({"type":"tx","data":{"slot":1,"signature":"s)");
    QTest::addRow("bad summary") << QByteArray(R"({"type":"summary","data":{"total":"many"}})");
    QTest::addRow("bad session_started") << QByteArray(R"({"type":"session_started","data":42})");
    QTest::addRow("trailing garbage") << QByteArray(R"({"type":"tx","data":{"slot":1,"signature":"s"}} x)");
    QTest::addRow("two objects") << QByteArray(R"({"type":"tx","data":{"slot":1,"signature":"s"}}{"type":"tx"})");
    QTest::addRow("data first, then unclosed") << QByteArray(R"({"data":{"slot":1,"signature":"s"},"type":"tx")");
    QTest::addRow("NUL byte") << QByteArray("{\"type\":\"tx\",\0\"data\":{}}", 24);
}

void tst_CaptureReader::malformedLinesSkippedAndCounted()
{
    QFETCH(QByteArray, bad);
    QTemporaryDir dir;
    const QString path = writeFile(dir, u"m.ndjson"_s, joinLines({metadataLine, failureLine, bad, successLine, bad, simSummaryLine}));
    CaptureReader reader;
    QVERIFY(reader.open(path));
    QCOMPARE(signaturesOf(readAll(reader)), (QStringList{failureSig, successSig}));
    QCOMPARE(reader.skippedLines(), 2);
    QCOMPARE(reader.warnings().size(), 2);
    QVERIFY2(reader.warnings().at(0).startsWith(u"line 3: "_s), qPrintable(reader.warnings().at(0)));
    QVERIFY2(reader.warnings().at(1).startsWith(u"line 5: "_s), qPrintable(reader.warnings().at(1)));
    QCOMPARE(reader.damagedLines(), 2);
    QCOMPARE(reader.damagedLineNumbers(), (QList<qint64>{3, 5}));
}

void tst_CaptureReader::damagedLineNamesItsField_data()
{
    QTest::addColumn<QByteArray>("bad");
    QTest::addColumn<QString>("warning");
    QTest::addRow("slot a string") << QByteArray(R"({"type":"tx","data":{"slot":"101","signature":"s"}})")
                                   << u"line 2: malformed line skipped (bad data in \"slot\": "_s;
    QTest::addRow("success a string") << QByteArray(R"({"type":"tx","data":{"slot":1,"signature":"s","success":"true"}})")
                                      << u"line 2: malformed line skipped (bad data in \"success\": "_s;
    QTest::addRow("negative lamports")
        << QByteArray(R"({"type":"tx","data":{"slot":1,"signature":"s","sol_changes":[{"account":"a","pre_lamports":-5,"post_lamports":1}]}})")
        << u"line 2: malformed line skipped (bad data in \"sol_changes\": "_s;
    // A hand-edited fee is no "fee not recorded" (compare's totals would move silently).
    QTest::addRow("negative fee") << QByteArray(R"({"type":"tx","data":{"slot":1,"signature":"s","fee":-5000}})")
                                  << u"line 2: malformed line skipped (bad data in \"fee\": "_s;
    QTest::addRow("fee a string") << QByteArray(R"({"type":"tx","data":{"slot":1,"signature":"s","fee":"5000"}})")
                                  << u"line 2: malformed line skipped (bad data in \"fee\": "_s;
    QTest::addRow("fractional compute units")
        << QByteArray(R"({"type":"tx","data":{"slot":1,"signature":"s","compute_units_consumed":1.5}})")
        << u"line 2: malformed line skipped (bad data in \"compute_units_consumed\": "_s;
    QTest::addRow("no signature") << QByteArray(R"({"type":"tx","data":{"slot":1}})")
                                  << u"line 2: malformed line skipped (tx without slot or signature)"_s;
}

void tst_CaptureReader::damagedLineNamesItsField()
{
    // A wrong-typed value is named by its key, not only by simdjson's words.
    QFETCH(QByteArray, bad);
    QFETCH(QString, warning);
    QTemporaryDir dir;
    CaptureReader reader;
    QVERIFY(reader.open(writeFile(dir, u"f.ndjson"_s, joinLines({metadataLine, bad, successLine}))));
    QCOMPARE(signaturesOf(readAll(reader)), QStringList{successSig});
    QCOMPARE(reader.warnings().size(), 1);
    QVERIFY2(reader.warnings().constFirst().startsWith(warning), qPrintable(reader.warnings().constFirst()));
}

void tst_CaptureReader::crlfLineEnds()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"ours.ndjson"_s);
    QList<qint64> offsets;
    {
        CaptureWriter writer;
        QVERIFY(writer.open(path, CaptureMetadata{1, 9, {}, 5, {}, {}}));
        TransactionSummary s{.slot = 3, .signature = u"sigA"_s};
        offsets.append(writer.appendTransaction(u"x"_s, s, R"({"a":1})"));
        s.signature = u"sigB"_s;
        offsets.append(writer.appendTransaction(u"x"_s, s, R"({"b":[2]})"));
        QVERIFY(writer.finish({u"x"_s}));
    }
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QByteArray content = f.readAll();
    f.close();
    content.replace("\n", "\r\n");
    const QString crlf = writeFile(dir, u"crlf.ndjson"_s, content);

    CaptureReader reader;
    QVERIFY(reader.open(crlf));
    QCOMPARE(reader.metadata()->endSlot, 9u);
    const auto txs = readAll(reader);
    QCOMPARE(signaturesOf(txs), (QStringList{u"sigA"_s, u"sigB"_s}));
    QCOMPARE(reader.skippedLines(), 0);
    QVERIFY(reader.summary());
    QCOMPARE(reader.summary()->total, 2u);
    // Offsets in the CRLF file shift by one per line; the raw still reads back.
    QCOMPARE(txs[0].offset, offsets[0] + 1);
    QCOMPARE(txs[1].offset, offsets[1] + 2);
    QCOMPARE(*CaptureReader::readRawTransaction(crlf, txs[1].offset), QByteArray(R"({"b":[2]})"));

    // sim lines with CRLF too.
    CaptureReader simReader;
    QVERIFY(simReader.open(writeFile(dir, u"sim.ndjson"_s, joinLines({metadataLine, successLine, failureLine, simSummaryLine}, "\r\n"))));
    QCOMPARE(readAll(simReader).size(), 2);
    QCOMPARE(simReader.skippedLines(), 0);
    QCOMPARE(simReader.summary()->failures, 1u);
}

void tst_CaptureReader::blankLinesIgnored()
{
    QTemporaryDir dir;
    const QString path = writeFile(dir, u"b.ndjson"_s, "\n  \n" + joinLines({metadataLine, "", successLine, "\t", failureLine}) + "\n");
    CaptureReader reader;
    QVERIFY(reader.open(path));
    QVERIFY(reader.metadata());
    QCOMPARE(readAll(reader).size(), 2);
    QCOMPARE(reader.skippedLines(), 0);
}

void tst_CaptureReader::deduplication()
{
    QTemporaryDir dir;
    // A boundary slot re-delivered after a reconnect: the success line twice.
    const QString path = writeFile(dir, u"d.ndjson"_s, joinLines({metadataLine, successLine, failureLine, successLine, simSummaryLine}));
    {
        CaptureReader reader;
        QVERIFY(reader.open(path));
        QCOMPARE(signaturesOf(readAll(reader)), (QStringList{successSig, failureSig, successSig}));
        QCOMPARE(reader.duplicatesDropped(), 0);
    }
    CaptureReader reader;
    reader.setDeduplicate(true);
    QVERIFY(reader.open(path));
    const auto txs = readAll(reader);
    QCOMPARE(signaturesOf(txs), (QStringList{successSig, failureSig}));
    QCOMPARE(reader.duplicatesDropped(), 1);
    QCOMPARE(txs[1].lineNumber, 3);

    const auto all = CaptureReader::readAllTransactions(path, true);
    QVERIFY(all);
    QCOMPARE(all->size(), 2);
}

void tst_CaptureReader::feeAndComputeUnitsFromRaw()
{
    const QByteArray fixture = fixtureResult(
        u"jup-ag-instruction-parser/tx-2m6e4MBQ2wKiFhtc8d479C6SUKkqEiBzemwxSQVaSdr4zGHdoefxWz28u2rnCtUu7SfcgwWpEBDr3L5NZnEqffnv.json"_s);
    QVERIFY(!fixture.isEmpty());
    QTemporaryDir dir;
    const QByteArray withFixture =
        R"({"type":"tx","data":{"slot":273851860,"signature":"2m6e","success":true,"logs":[],"sol_changes":[],"token_changes":[],"raw":)"
        + fixture + "}}";
    // json encoding: accountKeys are strings; computeUnitsConsumed null; blockTime absent.
    const QByteArray withJsonRaw =
        R"({"type":"tx","data":{"slot":2,"signature":"j","success":true,"logs":[],"sol_changes":[],"token_changes":[],)"
        R"("raw":{"meta":{"computeUnitsConsumed":null,"fee":7,"err":null},"transaction":{"message":{"accountKeys":["FirstKey","Second"]},"signatures":["j"]}}}})";
    // SlotScope keys win over raw.
    const QByteArray ours =
        R"({"type":"tx","data":{"slot":3,"signature":"o","success":true,"logs":[],"sol_changes":[],"token_changes":[],)"
        R"("session_id":"s","fee":10,"fee_payer":"Me","program_ids":["P1","P2"],"raw":{"blockTime":99,"meta":{"fee":7,"computeUnitsConsumed":5}}}})";
    const QString path = writeFile(dir, u"r.ndjson"_s, joinLines({metadataLine, withFixture, withJsonRaw, ours}));
    CaptureReader reader;
    QVERIFY(reader.open(path));
    const auto txs = readAll(reader);
    QCOMPARE(txs.size(), 3);
    QCOMPARE(reader.skippedLines(), 0);
    QCOMPARE(txs[0].fee, std::optional<quint64>(105000));
    QCOMPARE(txs[0].computeUnitsConsumed, std::optional<quint64>(278623));
    QCOMPARE(txs[0].blockTime, std::optional<qint64>(1719286921));
    QCOMPARE(txs[0].feePayer, u"6oHypdkuE3n41w3XBidags663HQRiXBN8W4qjxyUz4YS"_s);
    QCOMPARE(*CaptureReader::readRawTransaction(path, txs[0].offset), fixture);

    QCOMPARE(txs[1].fee, std::optional<quint64>(7));
    QVERIFY(!txs[1].computeUnitsConsumed);
    QVERIFY(!txs[1].blockTime);
    QCOMPARE(txs[1].feePayer, u"FirstKey"_s);

    QCOMPARE(txs[2].fee, std::optional<quint64>(10));
    QVERIFY(!txs[2].computeUnitsConsumed);
    QVERIFY(!txs[2].blockTime);
    QCOMPARE(txs[2].feePayer, u"Me"_s);
    QCOMPARE(txs[2].programIds, (QStringList{u"P1"_s, u"P2"_s}));
    QCOMPARE(txs[2].sessionId, u"s"_s);
}

void tst_CaptureReader::missingMetadataLine()
{
    QTemporaryDir dir;
    const QString path = writeFile(dir, u"nm.ndjson"_s, joinLines({successLine, failureLine}));
    CaptureReader reader;
    QVERIFY(reader.open(path));
    QCOMPARE(reader.format(), CaptureReader::Format::Ndjson);
    QVERIFY(!reader.metadata());
    QCOMPARE(readAll(reader).size(), 2);
    QCOMPARE(reader.warnings(), QStringList{u"line 1: the file does not start with a metadata line"_s});

    // A damaged first line of an NDJSON file is skipped, not taken for a legacy document.
    CaptureReader damaged;
    QVERIFY(damaged.open(writeFile(dir, u"dm.ndjson"_s, joinLines({metadataLine.left(20), successLine}))));
    QCOMPARE(damaged.format(), CaptureReader::Format::Ndjson);
    QCOMPARE(readAll(damaged).size(), 1);
    QCOMPARE(damaged.skippedLines(), 1);

    // Two (a torn write, then a line of another program's output): still NDJSON.
    CaptureReader twice;
    QVERIFY(twice.open(writeFile(dir, u"dm2.ndjson"_s,
                                 joinLines({metadataLine.left(20), "Segmentation fault", successLine, failureLine}))));
    QCOMPARE(twice.format(), CaptureReader::Format::Ndjson);
    QCOMPARE(readAll(twice).size(), 2);
    QCOMPARE(twice.skippedLines(), 2);

    // Damaged for longer than the look ahead (a crash log pasted on top):
    // no legacy document either, so its good lines are read all the same.
    QList<QByteArray> lines;
    for (int i = 0; i < 40; ++i)
        lines.append("garbage line " + QByteArray::number(i));
    lines += {successLine, failureLine};
    CaptureReader longDamaged;
    QVERIFY(longDamaged.open(writeFile(dir, u"dm40.ndjson"_s, joinLines(lines))));
    QCOMPARE(longDamaged.format(), CaptureReader::Format::Ndjson);
    QCOMPARE(readAll(longDamaged).size(), 2);
    QCOMPARE(longDamaged.skippedLines(), 40);
    // A line whose logs the table does not read (they are skipped) but the
    // detail does: its error names the damage, not a file changed since.
    QByteArray badLogs = successLine;
    const qsizetype logsAt = badLogs.indexOf("\"logs\":[");
    QVERIFY(logsAt > 0);
    badLogs.insert(logsAt + 8, "1,");
    const QString badLogsPath = writeFile(dir, u"badlogs.ndjson"_s, joinLines({metadataLine, badLogs}));
    const auto detail = CaptureReader::readTransactionAt(badLogsPath, metadataLine.size() + 1);
    QVERIFY(!detail);
    QVERIFY2(detail.error().message.contains(u"is damaged"_s) && !detail.error().message.contains(u"reopen"_s),
             qPrintable(detail.error().message));
    // Nothing but damage: no capture (the legacy reader's answer).
    CaptureReader none;
    const Result<void> opened = none.open(writeFile(dir, u"dm-only.ndjson"_s, joinLines(lines.mid(0, 40))));
    QVERIFY(!opened);
    QVERIFY2(opened.error().message.contains(u"is not a capture file"_s), qPrintable(opened.error().message));
}

void tst_CaptureReader::summaryDisagreement_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<bool>("deduplicate");
    QTest::addColumn<QString>("disagreement");
    QTest::addColumn<QStringList>("warnings");
    QTest::addRow("agrees") << joinLines({metadataLine, successLine, failureLine, simSummaryLine}) << false << QString()
                            << QStringList();
    QTest::addRow("no summary") << joinLines({metadataLine, successLine}) << false << QString() << QStringList();
    // A re-delivered transaction: counted once or twice by its writer, both agree.
    QTest::addRow("a duplicate counted twice")
        << joinLines({metadataLine, successLine, failureLine, successLine,
                      R"({"type":"summary","data":{"total":3,"successes":2,"failures":1}})"})
        << true << QString() << QStringList();
    QTest::addRow("a duplicate counted once")
        << joinLines({metadataLine, successLine, failureLine, successLine, simSummaryLine}) << true << QString()
        << QStringList();
    // Told apart from the duplicates the reader dropped.
    QTest::addRow("a duplicate, and a summary that counts neither way")
        << joinLines({metadataLine, successLine, failureLine, successLine,
                      R"({"type":"summary","data":{"total":7,"successes":5,"failures":2}})"})
        << true << u"the summary line counts 7 transactions, the file holds 3 (2 once each)"_s << QStringList();
    QTest::addRow("more transactions than counted")
        << joinLines({metadataLine, successLine, failureLine,
                      R"({"type":"summary","data":{"total":1,"successes":1,"failures":0}})"})
        << false << u"the summary line counts 1 transactions, the file holds 2"_s << QStringList();
    QTest::addRow("fewer") << joinLines({metadataLine, successLine,
                                         R"({"type":"summary","data":{"total":5,"successes":3,"failures":2}})"})
                           << false << u"the summary line counts 5 transactions, the file holds 1"_s << QStringList();
    QTest::addRow("outcomes differ")
        << joinLines({metadataLine, successLine, failureLine,
                      R"({"type":"summary","data":{"total":2,"successes":2,"failures":0}})"})
        << false << u"the summary line counts 2 succeeded and 0 failed, the file holds 1 and 1"_s << QStringList();
    // A summary ends a capture: a transaction after it is read, and named.
    QTest::addRow("a transaction after the summary")
        << joinLines({metadataLine, successLine,
                      R"({"type":"summary","data":{"total":1,"successes":1,"failures":0}})", failureLine})
        << false << u"the summary line counts 1 transactions, the file holds 2"_s
        << QStringList{u"line 4: a transaction after the summary line (a summary ends a capture)"_s};
}

void tst_CaptureReader::summaryDisagreement()
{
    QFETCH(QByteArray, content);
    QFETCH(bool, deduplicate);
    QFETCH(QString, disagreement);
    QFETCH(QStringList, warnings);
    QTemporaryDir dir;
    CaptureReader reader;
    reader.setDeduplicate(deduplicate);
    QVERIFY(reader.open(writeFile(dir, u"s.ndjson"_s, content)));
    QCOMPARE(reader.summaryDisagreement(), QString()); // not before the end
    readAll(reader);
    QCOMPARE(reader.summaryDisagreement(), disagreement);
    QCOMPARE(reader.warnings(), warnings);
    QCOMPARE(reader.fileWarnings(), warnings);
}

void tst_CaptureReader::fileWarningsLeaveOutDamagedLines_data()
{
    QTest::addColumn<bool>("inHalves");
    QTest::addRow("one reader") << false;
    QTest::addRow("split and joined") << true;
}

void tst_CaptureReader::fileWarningsLeaveOutDamagedLines()
{
    // Two captures joined by `cat`, with a damaged line in each: warnings()
    // names all five, fileWarnings() the three about the file as a whole
    // (what `compare` reports beside its count of damaged lines), read by one
    // reader or in two halves as CaptureIndexer does.
    QFETCH(bool, inHalves);
    const QByteArray summary = R"({"type":"summary","data":{"total":1,"successes":1,"failures":0}})";
    const QByteArray first = joinLines({metadataLine, "not json", successLine, summary});
    const QByteArray content = first + joinLines({metadataLine, failureLine, "{\"type\":\"tx\"", summary});
    QTemporaryDir dir;
    CaptureReader reader;
    QVERIFY(reader.open(writeFile(dir, u"joined.ndjson"_s, content)));
    if (inHalves) {
        const std::unique_ptr<CaptureReader> part = reader.splitOff(first.size());
        QVERIFY(part);
        CapturedTransaction tx;
        while (part->readNext(tx)) {
        }
        QCOMPARE(signaturesOf(readAll(reader)), QStringList{successSig});
        QVERIFY(reader.joinPart(*part));
    } else {
        QCOMPARE(signaturesOf(readAll(reader)), (QStringList{successSig, failureSig}));
    }
    QCOMPARE(reader.damagedLines(), 2);
    QCOMPARE(reader.damagedLineNumbers(), (QList<qint64>{2, 7}));
    QCOMPARE(reader.warnings().size(), 5);
    QCOMPARE(reader.fileWarnings(),
             (QStringList{u"line 5: another metadata line, ignored"_s,
                          u"line 6: a transaction after the summary line (a summary ends a capture)"_s,
                          u"line 8: another summary line, replaces the previous one"_s}));
}

void tst_CaptureReader::notACaptureFile_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addRow("text") << QByteArray("hello\nworld\n");
    QTest::addRow("JSON without transactions") << QByteArray(R"({"foo":1})");
    QTest::addRow("JSON array") << QByteArray("[1,2]");
}

void tst_CaptureReader::notACaptureFile()
{
    QFETCH(QByteArray, content);
    QTemporaryDir dir;
    CaptureReader reader;
    const auto r = reader.open(writeFile(dir, u"x.ndjson"_s, content));
    QVERIFY(!r);
    QVERIFY2(r.error().message.contains(u"not a capture file"_s), qPrintable(r.error().message));
    CapturedTransaction tx;
    QVERIFY(!reader.readNext(tx));

    QVERIFY(!reader.open(dir.filePath(u"missing.ndjson"_s)));
}

void tst_CaptureReader::emptyFile()
{
    QTemporaryDir dir;
    CaptureReader reader;
    QVERIFY(reader.open(writeFile(dir, u"e.ndjson"_s, QByteArray())));
    CapturedTransaction tx;
    QVERIFY(!reader.readNext(tx));
    QVERIFY(reader.atEnd());
    QVERIFY(!reader.metadata());
    QCOMPARE(reader.totals(), CaptureSummary{});
}

void tst_CaptureReader::progress()
{
    QTemporaryDir dir;
    QList<QByteArray> lines{metadataLine};
    for (int i = 0; i < 200; ++i)
        lines.append(QByteArray(successLine).replace("4LXpF3MC", "X" + QByteArray::number(i) + "X"));
    const QString path = writeFile(dir, u"big.ndjson"_s, joinLines(lines));
    CaptureReader reader;
    QVERIFY(reader.open(path));
    QCOMPARE(reader.totalBytes(), QFileInfo(path).size());
    qint64 last = reader.bytesRead();
    QCOMPARE(last, metadataLine.size() + 1);
    CapturedTransaction tx;
    int n = 0;
    while (reader.readNext(tx)) {
        ++n;
        QCOMPARE(reader.bytesRead(), tx.offset + lines.at(n).size() + 1);
        QVERIFY(reader.bytesRead() > last);
        last = reader.bytesRead();
    }
    QCOMPARE(n, 200);
    QCOMPARE(reader.bytesRead(), reader.totalBytes());
}

void tst_CaptureReader::detailOptions()
{
    QTemporaryDir dir;
    const QString path = writeFile(dir, u"o.ndjson"_s, joinLines({metadataLine, successLine}));
    CaptureReader reader;
    reader.setIncludeLogs(false);
    reader.setIncludeBalanceChanges(false);
    QVERIFY(reader.open(path));
    auto txs = readAll(reader);
    QCOMPARE(txs.size(), 1);
    QVERIFY(txs[0].logs.isEmpty());
    QVERIFY(txs[0].solChanges.isEmpty());
    QVERIFY(txs[0].tokenChanges.isEmpty());
    QCOMPARE(txs[0].signature, successSig);

    reader.setIncludeLogs(true);
    QVERIFY(reader.open(path));
    txs = readAll(reader);
    QCOMPARE(txs[0].logs.size(), 9);
    QVERIFY(txs[0].solChanges.isEmpty());
}

void tst_CaptureReader::lineLongerThanTheBuffer()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"long.ndjson"_s);
    const QByteArray raw = "{\"blob\":\"" + QByteArray(9 << 20, 'q') + "\"}";
    qint64 offset = -1;
    {
        CaptureWriter writer;
        QVERIFY(writer.open(path, {}));
        TransactionSummary s{.signature = u"first"_s};
        writer.appendTransaction(u"s"_s, s, "{}");
        s.signature = u"long"_s;
        offset = writer.appendTransaction(u"s"_s, s, raw);
        s.signature = u"after"_s;
        writer.appendTransaction(u"s"_s, s, "{}");
        QVERIFY(writer.finish({}));
    }
    CaptureReader reader;
    QVERIFY(reader.open(path));
    const auto txs = readAll(reader);
    QCOMPARE(signaturesOf(txs), (QStringList{u"first"_s, u"long"_s, u"after"_s}));
    QCOMPARE(txs[1].offset, offset);
    QCOMPARE(*CaptureReader::readRawTransaction(path, offset), raw);
}

void tst_CaptureReader::eventsFileDamage()
{
    QTemporaryDir dir;
    const QByteArray content =
        R"({"type":"paused","session_id":"s","at":"2026-05-14T12:17:59.007Z","data":{"slot":5,"batchIndex":1}})" "\r\n"
        "garbage\r\n"
        "\r\n"
        R"({"session_id":"s","at":"2026-05-14T12:17:59.007Z","data":{}})" "\n"
        R"({"type":"error","session_id":null,"at":"2026-05-14T12:18:00.000Z","data":"boom"})" "\n"
        R"({"type":"completed","session_id":"s","at":"2026-05-14T12:18:01.500Z","data":{"rentEpoch":18446744073709551615}})";
    const QString path = writeFile(dir, u"x.events.ndjson"_s, content);
    CaptureEventReader reader;
    QVERIFY(reader.open(path));
    QList<CaptureEvent> events;
    CaptureEvent e;
    while (reader.readNext(e))
        events.append(e);
    QCOMPARE(events.size(), 3);
    QCOMPARE(reader.skippedLines(), 2);
    QCOMPARE(reader.warnings().size(), 2);
    QVERIFY(reader.warnings().at(0).startsWith(u"line 2: "_s));
    QVERIFY(reader.warnings().at(1).startsWith(u"line 4: "_s));
    QCOMPARE(events[0].type, u"paused"_s);
    QCOMPARE(events[0].at, QDateTime::fromMSecsSinceEpoch(1778761079007, Qt::UTC));
    QCOMPARE(events[0].data.value(u"batchIndex").toInt(), 1);
    QCOMPARE(events[1].type, u"error"_s);
    QVERIFY(events[1].sessionId.isEmpty());
    QCOMPARE(events[1].dataJson, QByteArray("\"boom\""));
    QVERIFY(events[1].data.isEmpty());
    QCOMPARE(events[2].dataJson, QByteArray(R"({"rentEpoch":18446744073709551615})"));
    QCOMPARE(events[2].lineNumber, 6);
    QCOMPARE(reader.bytesRead(), reader.totalBytes());

    QVERIFY(!CaptureEventReader::readAll(dir.filePath(u"missing.events.ndjson"_s)));
}

QTEST_GUILESS_MAIN(tst_CaptureReader)
#include "tst_capturereader.moc"
