// CsvExporter: RFC 4180 cells, exact file contents per kind, filters,
// duplicates, cancel and failure leaving no file (DESIGN.md §5, STYLE.md "CSV").

#include "capture/capturereader.h"
#include "capture/capturewriter.h"
#include "protocol/accountdiffrecord.h"
#include "capture/csvexporter.h"
#include "capture/outputfile.h"
#include "protocol/transactionfiles.h"
#include "protocol/transactionsummary.h"
#include "support/capturefiles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <thread>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

using namespace SlotScope;
using namespace SlotScope::Testing;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(std::optional<quint64>)
Q_DECLARE_METATYPE(std::optional<QString>)
Q_DECLARE_METATYPE(std::optional<QSet<QString>>)

namespace {

TransactionSummary tx(quint64 slot, const QString &signature, bool success = true)
{
    TransactionSummary s{.slot = slot, .signature = signature, .success = success, .fee = 5000,
                         .computeUnitsConsumed = 1000 + slot, .blockTime = 1704919455,
                         .feePayer = u"Payer"_s + QString::number(slot), .programIds = {u"ProgA"_s}};
    if (!success)
        s.error = u"Error processing Instruction 0: custom program error: 0x1"_s;
    return s;
}

QByteArray runExport(const ExportRequest &request, ExportStats *stats = nullptr)
{
    const auto r = CsvExporter::exportCsv(request, {}, nullptr);
    if (!r) {
        qWarning("export failed: %s", qPrintable(r.error().message));
        return "<failed>";
    }
    if (stats)
        *stats = *r;
    return fileBytes(request.csvPath);
}

// Records of a CSV file whose cells hold no CRLF.
QList<QByteArray> records(const QByteArray &csv)
{
    QList<QByteArray> list = csv.split('\n');
    if (!list.isEmpty() && list.last().isEmpty())
        list.removeLast();
    for (QByteArray &r : list) {
        if (r.endsWith('\r'))
            r.chop(1);
    }
    return list;
}

QStringList entries(const QString &dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDir::Name);
}

const QByteArray txHeader =
    "session_id,slot,signature,success,error,fee,compute_units_consumed,block_time,fee_payer,program_ids";

} // namespace

class tst_CsvExporter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void quoting_data();
    void quoting();
    void transactionsExport();
    void spreadsheetSafeExport();
    void filters_data();
    void filters();
    void simRunCaptureExport();
    void accountDiffsExport();
    void accountDiffFilters();
    void eventsExport();
    void simRunAccountDiffs();
    void accountDiffsReadLeniently();
    void cancelWhileLookingForDiffs();
    void missingEventsFile();
    void progressReported();
    void cancelLeavesNoFile_data();
    void cancelLeavesNoFile();
    void unwritableTarget_data();
    void unwritableTarget();
    void existingTargetKeptOnFailure();
    void neverWrittenOverItsCapture_data();
    void neverWrittenOverItsCapture();
    void realTransactionsEndToEnd();
    void fullDiskLeavesNoFile_data();
    void fullDiskLeavesNoFile();
    void fifoIsWrittenThrough();
    void deviceIsNeverRenamedOver();
    void checkCanCreate();
    void unreadableLinesAreReported();
    void sessionIdForms_data();
    void sessionIdForms();
};

void tst_CsvExporter::quoting_data()
{
    QTest::addColumn<QByteArray>("cell");
    QTest::addColumn<bool>("safe");
    QTest::addColumn<QByteArray>("expected");

    QTest::addRow("empty") << QByteArray() << false << QByteArray();
    QTest::addRow("empty, safe") << QByteArray() << true << QByteArray();
    QTest::addRow("plain") << QByteArray("abc 123") << false << QByteArray("abc 123");
    QTest::addRow("comma") << QByteArray("a,b") << false << QByteArray("\"a,b\"");
    QTest::addRow("quote") << QByteArray("say \"hi\"") << false << QByteArray("\"say \"\"hi\"\"\"");
    QTest::addRow("only a quote") << QByteArray("\"") << false << QByteArray("\"\"\"\"");
    QTest::addRow("CR") << QByteArray("a\rb") << false << QByteArray("\"a\rb\"");
    QTest::addRow("LF") << QByteArray("a\nb") << false << QByteArray("\"a\nb\"");
    QTest::addRow("CRLF") << QByteArray("a\r\nb") << false << QByteArray("\"a\r\nb\"");
    QTest::addRow("tab inside is fine") << QByteArray("a\tb") << false << QByteArray("a\tb");
    QTest::addRow("semicolon is fine") << QByteArray("a;b") << false << QByteArray("a;b");
    QTest::addRow("non-ASCII") << QByteArray("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac") << false
                               << QByteArray("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac");
    QTest::addRow("non-ASCII, comma") << QByteArray("\xc3\xa9,\xc3\xa9") << false << QByteArray("\"\xc3\xa9,\xc3\xa9\"");
    for (const char lead : {'=', '+', '-', '@'}) {
        const QByteArray cell = QByteArray(1, lead) + "SUM(A1)";
        QTest::addRow("leading %c, not safe", lead) << cell << false << cell;
        QTest::addRow("leading %c, safe", lead) << cell << true << "'" + cell;
    }
    QTest::addRow("leading tab, not safe") << QByteArray("\tx") << false << QByteArray("\tx");
    QTest::addRow("leading tab, safe") << QByteArray("\tx") << true << QByteArray("'\tx");
    QTest::addRow("leading CR, not safe") << QByteArray("\rx") << false << QByteArray("\"\rx\"");
    QTest::addRow("leading CR, safe") << QByteArray("\rx") << true << QByteArray("\"'\rx\"");
    QTest::addRow("formula with comma, safe") << QByteArray("=A1,B1") << true << QByteArray("\"'=A1,B1\"");
    QTest::addRow("formula with quote, safe") << QByteArray("=\"x\"") << true << QByteArray("\"'=\"\"x\"\"\"");
    QTest::addRow("= later is fine, safe") << QByteArray("a=1") << true << QByteArray("a=1");
    QTest::addRow("leading quote, safe") << QByteArray("'x") << true << QByteArray("'x");
    QTest::addRow("leading space then =, safe") << QByteArray(" =1") << true << QByteArray(" =1");
}

void tst_CsvExporter::quoting()
{
    QFETCH(QByteArray, cell);
    QFETCH(bool, safe);
    QFETCH(QByteArray, expected);
    QByteArray out = "x,";
    CsvExporter::appendField(out, cell, safe);
    QCOMPARE(out, "x," + expected);
}

void tst_CsvExporter::transactionsExport()
{
    QTemporaryDir dir;
    const QString capture = dir.filePath(u"run.ndjson"_s);
    {
        CaptureWriter writer;
        QVERIFY(writer.open(capture, CaptureMetadata{100, 200, {}, 1, {}, {}}));
        TransactionSummary a = tx(100, u"sigA"_s);
        a.programIds = {u"ComputeBudget111111111111111111111111111111"_s, u"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"_s};
        writer.appendTransaction(u"sess-1"_s, a, "{}");
        TransactionSummary b = tx(101, u"sigB"_s, false);
        b.error = u"Program log: \"bad\", then\nnewline \u00e9"_s;
        b.computeUnitsConsumed.reset();
        b.blockTime.reset();
        b.programIds.clear();
        writer.appendTransaction(u"sess-2"_s, b, "{}");
        // Re-delivered after a reconnect (other session label, same signature): dropped.
        writer.appendTransaction(u"sess-2"_s, a, "{}");
        TransactionSummary c = tx(102, u"sigC"_s);
        c.fee = std::numeric_limits<quint64>::max();
        c.blockTime = 0;
        c.feePayer = u"=cmd|' /C calc'!A0"_s;
        writer.appendTransaction(QString(), c, "{}");
        QVERIFY(writer.finish({u"sess-1"_s, u"sess-2"_s}));
    }
    ExportRequest request;
    request.capturePath = capture;
    request.csvPath = dir.filePath(u"out.csv"_s);
    ExportStats stats;
    const QByteArray csv = runExport(request, &stats);
    const QByteArray expected =
        txHeader + "\r\n"
        "sess-1,100,sigA,true,,5000,1100,2024-01-10T20:44:15Z,Payer100,"
        "ComputeBudget111111111111111111111111111111;JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4\r\n"
        "sess-2,101,sigB,false,\"Program log: \"\"bad\"\", then\nnewline \xc3\xa9\",5000,,,Payer101,\r\n"
        ",102,sigC,true,,18446744073709551615,1102,1970-01-01T00:00:00Z,=cmd|' /C calc'!A0,ProgA\r\n";
    const QList<QByteArray> actualRecords = csv.split('\r');
    const QList<QByteArray> expectedRecords = expected.split('\r');
    QCOMPARE(actualRecords.size(), expectedRecords.size());
    for (int i = 0; i < expectedRecords.size(); ++i)
        QCOMPARE(actualRecords.at(i), expectedRecords.at(i));
    QCOMPARE(csv, expected);
    QCOMPARE(stats.rowsWritten, 3);
    QCOMPARE(stats.duplicatesDropped, 1);
    QCOMPARE(stats.skippedLines, 0);
    QCOMPARE(stats.bytesWritten, csv.size());
    QCOMPARE(stats.bytesRead, QFileInfo(capture).size());
    QVERIFY(!csv.startsWith("\xEF\xBB\xBF"));
    QCOMPARE(entries(dir.path()), (QStringList{u"out.csv"_s, u"run.events.ndjson"_s, u"run.ndjson"_s}));
}

void tst_CsvExporter::spreadsheetSafeExport()
{
    QTemporaryDir dir;
    const QString capture = dir.filePath(u"run.ndjson"_s);
    {
        CaptureWriter writer;
        QVERIFY(writer.open(capture, {}));
        TransactionSummary a = tx(5, u"+sig"_s, false);
        a.error = u"=HYPERLINK(\"http://x\",\"y\")"_s;
        a.feePayer = u"@payer"_s;
        a.programIds = {u"-prog"_s, u"p2"_s};
        writer.appendTransaction(u"-s"_s, a, "{}");
        QVERIFY(writer.finish({}));
    }
    ExportRequest request;
    request.capturePath = capture;
    request.csvPath = dir.filePath(u"safe.csv"_s);
    request.spreadsheetSafe = true;
    QCOMPARE(records(runExport(request)),
             (QList<QByteArray>{txHeader,
                                "'-s,5,'+sig,false,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",5000,1005,"
                                "2024-01-10T20:44:15Z,'@payer,'-prog;p2"}));
    request.spreadsheetSafe = false;
    QCOMPARE(records(runExport(request)),
             (QList<QByteArray>{txHeader,
                                "-s,5,+sig,false,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",5000,1005,"
                                "2024-01-10T20:44:15Z,@payer,-prog;p2"}));
}

void tst_CsvExporter::filters_data()
{
    QTest::addColumn<std::optional<quint64>>("fromSlot");
    QTest::addColumn<std::optional<quint64>>("toSlot");
    QTest::addColumn<std::optional<QString>>("session");
    QTest::addColumn<std::optional<QSet<QString>>>("signatures");
    QTest::addColumn<QStringList>("expected");

    using Slot = std::optional<quint64>;
    using Session = std::optional<QString>;
    using Sigs = std::optional<QSet<QString>>;
    const QStringList all = {u"s10"_s, u"s11"_s, u"s12"_s, u"s13"_s, u"s14"_s};
    QTest::addRow("no filter") << Slot() << Slot() << Session() << Sigs() << all;
    QTest::addRow("slot range, inclusive") << Slot(11) << Slot(13) << Session() << Sigs()
                                           << QStringList{u"s11"_s, u"s12"_s, u"s13"_s};
    QTest::addRow("from slot only") << Slot(13) << Slot() << Session() << Sigs() << QStringList{u"s13"_s, u"s14"_s};
    QTest::addRow("to slot only") << Slot() << Slot(10) << Session() << Sigs() << QStringList{u"s10"_s};
    QTest::addRow("empty range") << Slot(20) << Slot(30) << Session() << Sigs() << QStringList{};
    QTest::addRow("session") << Slot() << Slot() << Session(u"odd"_s) << Sigs() << QStringList{u"s11"_s, u"s13"_s};
    QTest::addRow("unknown session") << Slot() << Slot() << Session(u"nope"_s) << Sigs() << QStringList{};
    QTest::addRow("selected rows") << Slot() << Slot() << Session() << Sigs(QSet<QString>{u"s14"_s, u"s10"_s, u"zz"_s})
                                   << QStringList{u"s10"_s, u"s14"_s};
    QTest::addRow("no rows selected") << Slot() << Slot() << Session() << Sigs(QSet<QString>{}) << QStringList{};
    QTest::addRow("all filters") << Slot(11) << Slot(14) << Session(u"even"_s)
                                 << Sigs(QSet<QString>{u"s10"_s, u"s12"_s, u"s13"_s, u"s14"_s})
                                 << QStringList{u"s12"_s, u"s14"_s};
}

void tst_CsvExporter::filters()
{
    QFETCH(std::optional<quint64>, fromSlot);
    QFETCH(std::optional<quint64>, toSlot);
    QFETCH(std::optional<QString>, session);
    QFETCH(std::optional<QSet<QString>>, signatures);
    QFETCH(QStringList, expected);

    QTemporaryDir dir;
    const QString capture = dir.filePath(u"run.ndjson"_s);
    {
        CaptureWriter writer;
        QVERIFY(writer.open(capture, {}));
        for (quint64 slot = 10; slot <= 14; ++slot)
            writer.appendTransaction(slot % 2 ? u"odd"_s : u"even"_s, tx(slot, u"s"_s + QString::number(slot)), "{}");
        // Duplicates of s12 and s13 (a replayed boundary), also under another session name.
        writer.appendTransaction(u"even"_s, tx(12, u"s12"_s), "{}");
        writer.appendTransaction(u"even"_s, tx(13, u"s13"_s), "{}");
        QVERIFY(writer.finish({}));
    }
    ExportRequest request;
    request.capturePath = capture;
    request.csvPath = dir.filePath(u"f.csv"_s);
    request.fromSlot = fromSlot;
    request.toSlot = toSlot;
    request.sessionId = session;
    request.signatures = signatures;
    ExportStats stats;
    const QList<QByteArray> rows = records(runExport(request, &stats));
    QVERIFY(!rows.isEmpty());
    QCOMPARE(rows.first(), txHeader);
    QStringList signaturesInCsv;
    for (qsizetype i = 1; i < rows.size(); ++i)
        signaturesInCsv.append(QString::fromUtf8(rows.at(i).split(',').at(2)));
    QCOMPARE(signaturesInCsv, expected);
    QCOMPARE(stats.rowsWritten, expected.size());
    QCOMPARE(stats.duplicatesDropped, 2);
}

void tst_CsvExporter::simRunCaptureExport()
{
    QTemporaryDir dir;
    const QByteArray content =
        R"({"type":"metadata","data":{"start_slot":419685240,"end_slot":419685250,"ran_at_unix_secs":1780023967}})" "\n"
        R"({"type":"session_started","data":{"session_id":"8c1f"}})" "\n"
        R"({"type":"tx","data":{"slot":241043141,"timestamp":1704919455,"signature":"7ynj","success":false,"error":"Error processing Instruction 3: Program failed to complete","logs":[],"sol_changes":[],"token_changes":[]}})" "\n"
        "garbage line\n"
        R"({"type":"tx","data":{"slot":419685246,"signature":"4LXp","success":true,"logs":[],"sol_changes":[],"token_changes":[]}})" "\n"
        R"({"type":"tx","data":{"slot":419685246,"signature":"4LXp","success":true,"logs":[],"sol_changes":[],"token_changes":[]}})" "\n";
    ExportRequest request;
    request.capturePath = writeFile(dir.filePath(u"sim.ndjson"_s), content);
    request.csvPath = dir.filePath(u"sim.csv"_s);
    ExportStats stats;
    QCOMPARE(records(runExport(request, &stats)),
             (QList<QByteArray>{txHeader,
                                "8c1f,241043141,7ynj,false,Error processing Instruction 3: Program failed to complete,,,"
                                "2024-01-10T20:44:15Z,,",
                                "8c1f,419685246,4LXp,true,,,,,,"}));
    QCOMPARE(stats.skippedLines, 1);
    QCOMPARE(stats.duplicatesDropped, 1);
    QCOMPARE(stats.warnings.size(), 1);
    QVERIFY(stats.warnings.at(0).startsWith(u"line 4:"_s));
}

void tst_CsvExporter::accountDiffsExport()
{
    QTemporaryDir dir;
    const QString capture = dir.filePath(u"run.ndjson"_s);
    {
        CaptureWriter writer;
        QVERIFY(writer.open(capture, {}));
        // Notification results as the server sends them (PROTOCOL.md §5.6).
        writer.appendEvent(u"account_diff"_s, u"s1"_s, QByteArrayView(
            R"({"context":{"slot":399834993},"account":"3eF3","signature":"2kHb",)"
            R"("pre":{"lamports":998075353,"owner":"11111111111111111111111111111111","data":["","base64"],"executable":false,"space":0},)"
            R"("post":{"lamports":1022997471,"owner":"11111111111111111111111111111111","data":["","base64"],"executable":false,"space":0}})"));
        writer.appendEvent(u"slot"_s, u"s1"_s, QJsonObject{{u"slot"_s, 399834993}});
        // A created account: no pre; data length from base64 (no space key); u64 max lamports.
        writer.appendEvent(u"account_diff"_s, u"s1"_s, QByteArrayView(
            R"({"context":{"slot":399834993},"account":"New,Acc","signature":"2kHb","pre":null,)"
            R"("post":{"lamports":18446744073709551615,"owner":"Tokenkeg","data":["AAECAwQ=","base64"]}})"));
        // The first diff again (replayed slot): dropped.
        writer.appendEvent(u"account_diff"_s, u"s1"_s, QByteArrayView(
            R"({"context":{"slot":399834993},"account":"3eF3","signature":"2kHb","pre":{"lamports":1},"post":{"lamports":2}})"));
        // Flattened variant with pre_state/post_state and a top-level slot; deleted account.
        writer.appendEvent(u"account_diff"_s, u"s2"_s, QByteArrayView(
            R"({"slot":399834994,"account":"Gone","signature":"9xyz","pre_state":{"lamports":5,"owner":"=evil","data":["AAAAAAAAAAA=","base64"]}})"));
        // The other spelling of the account key; base64 without its padding
        // (2 and 5 bytes: "AAA", "AAAAAAA").
        writer.appendEvent(u"account_diff"_s, u"s2"_s, QByteArrayView(
            R"({"slot":399834995,"pubkey":"Pk1","signature":"9xyz","pre":{"lamports":1,"data":["AAA","base64"]},)"
            R"("post":{"lamports":1,"data":["AAAAAAA","base64"]}})"));
        QVERIFY(writer.finish({}));
    }
    ExportRequest request;
    request.kind = ExportRequest::Kind::AccountDiffs;
    request.capturePath = capture;
    request.csvPath = dir.filePath(u"diffs.csv"_s);
    ExportStats stats;
    const QByteArray csv = runExport(request, &stats);
    QCOMPARE(records(csv),
             (QList<QByteArray>{
                 "session_id,slot,signature,account,pre_lamports,post_lamports,pre_owner,post_owner,pre_data_len,post_data_len",
                 "s1,399834993,2kHb,3eF3,998075353,1022997471,11111111111111111111111111111111,11111111111111111111111111111111,0,0",
                 "s1,399834993,2kHb,\"New,Acc\",,18446744073709551615,,Tokenkeg,,5",
                 "s2,399834994,9xyz,Gone,5,,=evil,,8,",
                 "s2,399834995,9xyz,Pk1,1,1,,,2,5"}));
    QVERIFY(csv.endsWith("\r\n"));
    QCOMPARE(stats.rowsWritten, 4);
    QCOMPARE(stats.duplicatesDropped, 1);

    request.spreadsheetSafe = true;
    QCOMPARE(records(runExport(request)).at(3), QByteArray("s2,399834994,9xyz,Gone,5,,'=evil,,8,"));
}

void tst_CsvExporter::accountDiffFilters()
{
    QTemporaryDir dir;
    const QString capture = dir.filePath(u"run.ndjson"_s);
    {
        CaptureWriter writer;
        QVERIFY(writer.open(capture, {}));
        for (int i = 0; i < 6; ++i) {
            const QByteArray json = R"({"context":{"slot":)" + QByteArray::number(50 + i) + R"(},"account":"acc)"
                + QByteArray::number(i) + R"(","signature":"sig)" + QByteArray::number(i % 3) + R"(","post":{"lamports":1}})";
            writer.appendEvent(u"account_diff"_s, i < 3 ? u"A"_s : u"B"_s, QByteArrayView(json));
        }
        QVERIFY(writer.finish({}));
    }
    ExportRequest request;
    request.kind = ExportRequest::Kind::AccountDiffs;
    request.capturePath = capture;
    request.csvPath = dir.filePath(u"d.csv"_s);
    auto accounts = [&] {
        QStringList list;
        const auto rows = records(runExport(request));
        for (qsizetype i = 1; i < rows.size(); ++i)
            list.append(QString::fromUtf8(rows.at(i).split(',').at(3)));
        return list;
    };
    QCOMPARE(accounts(), (QStringList{u"acc0"_s, u"acc1"_s, u"acc2"_s, u"acc3"_s, u"acc4"_s, u"acc5"_s}));
    request.fromSlot = 51;
    request.toSlot = 54;
    QCOMPARE(accounts(), (QStringList{u"acc1"_s, u"acc2"_s, u"acc3"_s, u"acc4"_s}));
    request.sessionId = u"B"_s;
    QCOMPARE(accounts(), (QStringList{u"acc3"_s, u"acc4"_s}));
    request.signatures = QSet<QString>{u"sig1"_s};
    QCOMPARE(accounts(), (QStringList{u"acc4"_s}));

    // The Account diffs panel's own scopes: its account filter, its selected rows.
    request = ExportRequest{.capturePath = capture, .csvPath = dir.filePath(u"d.csv"_s),
                            .kind = ExportRequest::Kind::AccountDiffs};
    request.accountFilter = u"c1"_s;
    QCOMPARE(accounts(), (QStringList{u"acc1"_s}));
    request.accountFilter = u"ACC"_s; // case-sensitive, as the panel
    QCOMPARE(accounts(), QStringList());
    request.accountFilter.reset();
    request.accountDiffKeys = QSet<QString>{accountDiffKey(52, u"sig2", u"acc2"), accountDiffKey(55, u"sig2", u"acc5"),
                                            accountDiffKey(53, u"sig2", u"acc3")}; // the last: no such diff
    QCOMPARE(accounts(), (QStringList{u"acc2"_s, u"acc5"_s}));
}

void tst_CsvExporter::eventsExport()
{
    QTemporaryDir dir;
    const QString capture = dir.filePath(u"run.ndjson"_s);
    writeFile(capture, QByteArray());
    writeFile(CaptureWriter::eventsPathFor(capture),
              R"({"type":"session_created","session_id":"s1","at":"2026-05-14T12:17:59.007Z","data":{ "rpc_endpoint" : "ws://h/x?a=1,b=2" , "n" : 18446744073709551615 }})" "\n"
              R"({"type":"paused","session_id":"s1","at":"2026-05-14T12:18:00.000Z","data":{"slot":5,"batchIndex":2}})" "\n"
              "not an event\n"
              R"({"type":"slot","session_id":"s2","at":"2026-05-14T12:18:01.250Z","data":{"slot":50}})" "\r\n"
              R"({"type":"error","session_id":"","at":"2026-05-14T12:18:02.000Z","data":"=boom"})" "\n");
    ExportRequest request;
    request.kind = ExportRequest::Kind::Events;
    request.capturePath = capture;
    request.csvPath = dir.filePath(u"events.csv"_s);
    ExportStats stats;
    QCOMPARE(records(runExport(request, &stats)),
             (QList<QByteArray>{"at,session_id,type,data",
                                "2026-05-14T12:17:59.007Z,s1,session_created,"
                                "\"{\"\"rpc_endpoint\"\":\"\"ws://h/x?a=1,b=2\"\",\"\"n\"\":18446744073709551615}\"",
                                "2026-05-14T12:18:00.000Z,s1,paused,\"{\"\"slot\"\":5,\"\"batchIndex\"\":2}\"",
                                "2026-05-14T12:18:01.250Z,s2,slot,\"{\"\"slot\"\":50}\"",
                                "2026-05-14T12:18:02.000Z,,error,\"\"\"=boom\"\"\""}));
    QCOMPARE(stats.rowsWritten, 4);
    QCOMPARE(stats.skippedLines, 1);

    // Slot range: events with a slot outside are dropped, events without one are kept.
    request.fromSlot = 10;
    QCOMPARE(records(runExport(request)).size(), 4);
    request.sessionId = u"s1"_s;
    QCOMPARE(records(runExport(request)),
             (QList<QByteArray>{"at,session_id,type,data",
                                "2026-05-14T12:17:59.007Z,s1,session_created,"
                                "\"{\"\"rpc_endpoint\"\":\"\"ws://h/x?a=1,b=2\"\",\"\"n\"\":18446744073709551615}\""}));
}

void tst_CsvExporter::simRunAccountDiffs()
{
    // A `sim run` capture has no events file: its own diff lines (§4.4, the
    // §7.5 example, flattened; one nested under "diff"; one again: dropped)
    // and a transaction's inline account_diffs (§4.3.3) are its diffs.
    QTemporaryDir dir;
    const QByteArray content =
        R"({"type":"metadata","data":{"start_slot":419685240,"end_slot":419685250}})" "\n"
        R"({"type":"session_started","data":{"session_id":"8c1f"}})" "\n"
        R"({"type":"tx","data":{"slot":419685246,"signature":"4LXp","success":true,"logs":["diff"],"sol_changes":[],"token_changes":[]}})" "\n"
        R"({"type":"diff","data":{"signature":"4LXp","slot":419685246,"tx_index":17,"block_time":1778761079,"account":"2e3E",)"
        R"("pre_state":{"lamports":2039468,"owner":"Tokenkeg","data":["<base64 165 bytes>","base64"],"space":165},)"
        R"("post_state":{"lamports":2039469,"owner":"Tokenkeg","space":165},"pre_lamports":2039468,"post_lamports":2039469}})" "\n"
        R"({"type":"diff","data":{"signature":"4LXp","slot":419685246,"diff":{"account":"Nest","pre_state":{"lamports":1},"post_state":{"lamports":3}}}})" "\n"
        R"({"type":"diff","data":{"signature":"4LXp","slot":419685246,"account":"2e3E","pre_state":{"lamports":2039468},"post_state":{"lamports":2039469}}})" "\n"
        R"({"type":"tx","data":{"slot":419685247,"signature":"7ynj","success":false,"error":"x","logs":[],"sol_changes":[],"token_changes":[],)"
        R"("account_diffs":[{"account":"5yKF","pre_state":{"lamports":256562880},"post_state":{"lamports":256557880}}]}})" "\n";
    ExportRequest request;
    request.kind = ExportRequest::Kind::AccountDiffs;
    request.capturePath = writeFile(dir.filePath(u"sim.ndjson"_s), content);
    request.csvPath = dir.filePath(u"diffs.csv"_s);
    ExportStats stats;
    QCOMPARE(records(runExport(request, &stats)),
             (QList<QByteArray>{
                 "session_id,slot,signature,account,pre_lamports,post_lamports,pre_owner,post_owner,pre_data_len,post_data_len",
                 "8c1f,419685246,4LXp,2e3E,2039468,2039469,Tokenkeg,Tokenkeg,165,165",
                 "8c1f,419685246,4LXp,Nest,1,3,,,,",
                 "8c1f,419685247,7ynj,5yKF,256562880,256557880,,,,"}));
    QCOMPARE(stats.duplicatesDropped, 1);
    QCOMPARE(stats.skippedLines, 0);

    // A legacy single document: its transactions' account_diffs.
    request.capturePath = writeFile(dir.filePath(u"legacy.json"_s), R"({
  "metadata": {"start_slot": 1, "end_slot": 9, "session_ids": ["8c1f"]},
  "transactions": [
    {"slot": 5, "signature": "7ynj", "success": false, "logs": [], "sol_changes": [], "token_changes": [],
     "account_diffs": [{"account": "5yKF", "pre_state": {"lamports": 7}, "post_state": {"lamports": 6}}]}
  ],
  "summary": {"total": 1, "successes": 0, "failures": 1}
}
)");
    QCOMPARE(records(runExport(request)),
             (QList<QByteArray>{
                 "session_id,slot,signature,account,pre_lamports,post_lamports,pre_owner,post_owner,pre_data_len,post_data_len",
                 "8c1f,5,7ynj,5yKF,7,6,,,,"}));
}

void tst_CsvExporter::accountDiffsReadLeniently()
{
    // What a reader must accept (CAPTURE_FORMAT.md §2, §8.2; PROTOCOL-0.31.md
    // §2.3): a number no parser holds in a key nobody reads, or in a field
    // (that field is absent, the rest stays); camelCase keys; data lengths
    // of every encoding the RPC uses. A diff that is no object is counted.
    QTemporaryDir dir;
    const QByteArray content =
        R"({"type":"metadata","data":{"start_slot":1,"end_slot":9}})" "\n"
        R"({"type":"session_started","data":{"session_id":"s"}})" "\n"
        R"({"type":"diff","data":{"slot":2,"signature":"A","account":"big-extra","extra":123456789012345678901234567890,)"
        R"("pre_state":{"lamports":5,"rentEpoch":1e400,"note":"1e400 \"99999999999999999999999\""},"post_state":{"lamports":6}}})" "\n"
        R"({"type":"diff","data":{"slot":2,"signature":"A","account":"big-lamports",)"
        R"("pre_state":{"lamports":18446744073709551616,"owner":"O"},"post_state":{"lamports":6,"owner":"O"}}})" "\n"
        R"({"type":"diff","data":{"slot":2,"signature":"A","account":"camel","preState":{"lamports":1},"postState":{"lamports":2}}})" "\n"
        R"({"type":"diff","data":{"slot":3,"signature":"B","account":"encodings",)"
        R"("pre_state":{"lamports":1,"data":["3yZe7d","base58"]},)"
        R"("post_state":{"lamports":1,"data":{"program":"spl-token","parsed":{},"space":165}}}})" "\n"
        R"({"type":"diff","data":{"slot":3,"signature":"B","account":"bare58",)"
        R"("pre_state":{"lamports":1,"data":""},"post_state":{"lamports":1,"data":"3yZe7d"}}})" "\n"
        R"({"type":"diff","data":{"slot":3,"signature":"B","account":"part","diff":{"pre_state":{"lamports":8},"post_state":{"lamports":9}}}})" "\n"
        R"({"type":"diff","data":"oops"})" "\n"
        R"({"type":"tx","data":{"slot":4,"signature":"C","success":true,"logs":[],)"
        R"("accountDiffs":[{"account":"inline-camel","preState":{"lamports":3},"postState":{"lamports":4}},7]}})" "\n";
    ExportRequest request;
    request.kind = ExportRequest::Kind::AccountDiffs;
    request.capturePath = writeFile(dir.filePath(u"sim.ndjson"_s), content);
    request.csvPath = dir.filePath(u"diffs.csv"_s);
    ExportStats stats;
    QCOMPARE(records(runExport(request, &stats)),
             (QList<QByteArray>{
                 "session_id,slot,signature,account,pre_lamports,post_lamports,pre_owner,post_owner,pre_data_len,post_data_len",
                 "s,2,A,big-extra,5,6,,,,",
                 "s,2,A,big-lamports,,6,O,O,,",
                 "s,2,A,camel,1,2,,,,",
                 "s,3,B,encodings,1,1,,,4,165",
                 "s,3,B,bare58,1,1,,,0,4",
                 "s,3,B,part,8,9,,,,",
                 "s,4,C,inline-camel,3,4,,,,"}));
    QCOMPARE(stats.skippedLines, 2); // "oops" and the 7 in accountDiffs
    QVERIFY2(stats.summary().contains(u"2 account diffs that are no JSON object"_s), qPrintable(stats.summary()));

    // A legacy document with such a number: its diffs all the same.
    request.capturePath = writeFile(dir.filePath(u"legacy.json"_s), R"({
  "metadata": {"start_slot": 1, "end_slot": 9, "session_ids": ["s"]},
  "future_u128": 340282366920938463463374607431768211455,
  "transactions": [
    {"slot": 5, "signature": "7ynj", "success": false, "logs": [], "sol_changes": [], "token_changes": [],
     "account_diffs": [{"account": "5yKF", "pre_state": {"lamports": 7}, "post_state": {"lamports": 6}}]}
  ]
}
)");
    QCOMPARE(records(runExport(request)),
             (QList<QByteArray>{
                 "session_id,slot,signature,account,pre_lamports,post_lamports,pre_owner,post_owner,pre_data_len,post_data_len",
                 "s,5,7ynj,5yKF,7,6,,,,"}));

    // The events file's account_diff events (the live run's own) read the same way.
    const QString capture = dir.filePath(u"run.ndjson"_s);
    {
        CaptureWriter writer;
        QVERIFY(writer.open(capture, {}));
        writer.appendEvent(u"account_diff"_s, u"s"_s,
                           QByteArrayView(R"({"context":{"slot":9,"apiVersion":99999999999999999999999},"account":"X","signature":"S",)"
                                          R"("pre":{"lamports":1},"post":{"lamports":2}})"));
        QVERIFY(writer.finish({}));
    }
    request.capturePath = capture;
    stats = {};
    QCOMPARE(records(runExport(request, &stats)),
             (QList<QByteArray>{
                 "session_id,slot,signature,account,pre_lamports,post_lamports,pre_owner,post_owner,pre_data_len,post_data_len",
                 "s,9,S,X,1,2,,,,"}));
    QCOMPARE(stats.skippedLines, 0);
}

void tst_CsvExporter::cancelWhileLookingForDiffs()
{
    // A sim capture without a diff is read to its end looking for one: a
    // cancel is seen at once all the same.
    QTemporaryDir dir;
    QByteArray content = R"({"type":"metadata","data":{"start_slot":1,"end_slot":9}})" "\n";
    for (int i = 0; i < 20000; ++i)
        content += R"({"type":"tx","data":{"slot":2,"signature":"s)" + QByteArray::number(i)
                   + R"(","success":true,"logs":[],"sol_changes":[],"token_changes":[]}})" "\n";
    ExportRequest request;
    request.kind = ExportRequest::Kind::AccountDiffs;
    request.capturePath = writeFile(dir.filePath(u"nodiffs.ndjson"_s), content);
    request.csvPath = dir.filePath(u"d.csv"_s);
    std::atomic_bool cancel{true};
    qint64 progressCalls = 0;
    const auto r = CsvExporter::exportCsv(request, [&](qint64, qint64) { ++progressCalls; }, &cancel);
    QVERIFY(!r);
    QCOMPARE(r.error().message, u"Export cancelled"_s);
    QVERIFY(!QFileInfo::exists(request.csvPath));
    // Not cancelled: read to its end with progress, then "none".
    cancel = false;
    const auto none = CsvExporter::exportCsv(request, [&](qint64, qint64) { ++progressCalls; }, &cancel);
    QVERIFY(!none);
    QVERIFY2(none.error().message.contains(u"the capture carries none"_s), qPrintable(none.error().message));
    QVERIFY(progressCalls > 0);
}

void tst_CsvExporter::missingEventsFile()
{
    QTemporaryDir dir;
    ExportRequest request;
    request.kind = ExportRequest::Kind::AccountDiffs;
    request.capturePath = writeFile(dir.filePath(u"sim.ndjson"_s), QByteArray());
    request.csvPath = dir.filePath(u"d.csv"_s);
    const auto r = CsvExporter::exportCsv(request, {}, nullptr);
    QVERIFY(!r);
    QVERIFY2(r.error().message.contains(u"sim.events.ndjson"_s), qPrintable(r.error().message));
    QVERIFY(!QFileInfo::exists(request.csvPath));
}

namespace {

// A capture of `count` transactions of ~14 KB each (the size of a real notification).
QString bigCapture(const QTemporaryDir &dir, int count)
{
    const QString capture = dir.filePath(u"big.ndjson"_s);
    CaptureWriter writer;
    if (!writer.open(capture, {}))
        return {};
    const QByteArray raw = "{\"pad\":\"" + QByteArray(14 << 10, 'r') + "\"}";
    for (int i = 0; i < count; ++i)
        writer.appendTransaction(u"s"_s, tx(quint64(i), u"sig"_s + QString::number(i)), raw);
    if (!writer.finish({u"s"_s}))
        return {};
    return capture;
}

} // namespace

void tst_CsvExporter::progressReported()
{
    QTemporaryDir dir;
    ExportRequest request;
    request.capturePath = bigCapture(dir, 400);
    request.csvPath = dir.filePath(u"p.csv"_s);
    const qint64 size = QFileInfo(request.capturePath).size();
    QList<std::pair<qint64, qint64>> calls;
    const auto r = CsvExporter::exportCsv(request, [&](qint64 done, qint64 total) { calls.append({done, total}); },
                                          nullptr);
    QVERIFY(r);
    QCOMPARE(r->rowsWritten, 400);
    QVERIFY(calls.size() >= 4); // about one per MiB of a ~5.6 MiB file, plus the end
    for (qsizetype i = 0; i < calls.size(); ++i) {
        QCOMPARE(calls[i].second, size);
        if (i > 0)
            QVERIFY(calls[i].first > calls[i - 1].first);
    }
    QCOMPARE(calls.last().first, size);

    // Progress also moves while a filter drops every row.
    calls.clear();
    request.kind = ExportRequest::Transactions;
    request.fromSlot = 1000000;
    const auto none = CsvExporter::exportCsv(request, [&](qint64 done, qint64 total) { calls.append({done, total}); },
                                             nullptr);
    QVERIFY(none);
    QCOMPARE(none->rowsWritten, 0);
    QVERIFY(calls.size() >= 4);
    QCOMPARE(calls.last(), std::make_pair(size, size));
}

void tst_CsvExporter::cancelLeavesNoFile_data()
{
    QTest::addColumn<bool>("beforeStart");
    QTest::addRow("cancelled before the start") << true;
    QTest::addRow("cancelled while running") << false;
}

void tst_CsvExporter::cancelLeavesNoFile()
{
    QFETCH(bool, beforeStart);
    QTemporaryDir dir;
    ExportRequest request;
    request.capturePath = bigCapture(dir, 400);
    request.csvPath = dir.filePath(u"c.csv"_s);
    const QStringList before = entries(dir.path());
    std::atomic_bool cancel = beforeStart;
    int progressCalls = 0;
    const auto r = CsvExporter::exportCsv(request,
                                          [&](qint64, qint64) {
                                              ++progressCalls;
                                              cancel = true;
                                          },
                                          &cancel);
    QVERIFY(!r);
    QCOMPARE(r.error().message, u"Export cancelled"_s);
    QCOMPARE(progressCalls, beforeStart ? 0 : 1);
    QVERIFY(!QFileInfo::exists(request.csvPath));
    QCOMPARE(entries(dir.path()), before); // no temporary file left behind
}

void tst_CsvExporter::unwritableTarget_data()
{
    QTest::addColumn<QString>("target");
    QTest::addRow("missing directory") << u"no/such/dir/out.csv"_s;
    QTest::addRow("target is a directory") << u"subdir"_s;
}

void tst_CsvExporter::unwritableTarget()
{
    QFETCH(QString, target);
    QTemporaryDir dir;
    QVERIFY(QDir(dir.path()).mkdir(u"subdir"_s));
    ExportRequest request;
    request.capturePath = bigCapture(dir, 3);
    request.csvPath = dir.filePath(target);
    const QStringList before = entries(dir.path());
    const auto r = CsvExporter::exportCsv(request, {}, nullptr);
    QVERIFY(!r);
    QVERIFY2(r.error().message.contains(target), qPrintable(r.error().message));
    QCOMPARE(entries(dir.path()), before);
    QVERIFY(QFileInfo(request.csvPath).isDir() || !QFileInfo::exists(request.csvPath));
}

void tst_CsvExporter::existingTargetKeptOnFailure()
{
    QTemporaryDir dir;
    const QString target = writeFile(dir.filePath(u"keep.csv"_s), "old content\n");
    ExportRequest request{.csvPath = target};

    // Unreadable capture.
    request.capturePath = dir.filePath(u"missing.ndjson"_s);
    QVERIFY(!CsvExporter::exportCsv(request, {}, nullptr));
    QCOMPARE(fileBytes(target), QByteArray("old content\n"));

    // Not a capture file.
    request.capturePath = writeFile(dir.filePath(u"junk.ndjson"_s), "junk\n");
    QVERIFY(!CsvExporter::exportCsv(request, {}, nullptr));
    QCOMPARE(fileBytes(target), QByteArray("old content\n"));

    // Cancelled half-way.
    request.capturePath = bigCapture(dir, 300);
    std::atomic_bool cancel = false;
    QVERIFY(!CsvExporter::exportCsv(request, [&](qint64, qint64) { cancel = true; }, &cancel));
    QCOMPARE(fileBytes(target), QByteArray("old content\n"));
    QCOMPARE(entries(dir.path()), (QStringList{u"big.events.ndjson"_s, u"big.ndjson"_s, u"junk.ndjson"_s, u"keep.csv"_s}));

    // Success replaces it.
    QVERIFY(CsvExporter::exportCsv(request, {}, nullptr));
    QVERIFY(fileBytes(target).startsWith(txHeader + "\r\n"));
    QCOMPARE(records(fileBytes(target)).size(), 301);
}

void tst_CsvExporter::neverWrittenOverItsCapture_data()
{
    QTest::addColumn<bool>("eventsFile");
    QTest::addRow("the capture") << false;
    QTest::addRow("its events file") << true;
}

void tst_CsvExporter::neverWrittenOverItsCapture()
{
    // A CSV path that is a link to the capture (made after the path was
    // checked, or before the capture existed) is refused as the file opens,
    // for every kind; the capture stays as it was.
    QFETCH(bool, eventsFile);
    QTemporaryDir dir;
    const QString capture = bigCapture(dir, 10);
    const QString victim = eventsFile ? CaptureWriter::eventsPathFor(capture) : capture;
    const QByteArray before = fileBytes(victim);
    const QString link = dir.filePath(u"link.csv"_s);
    QVERIFY(QFile::link(victim, link));
    for (const ExportRequest::Kind kind :
         {ExportRequest::Transactions, ExportRequest::AccountDiffs, ExportRequest::Events}) {
        const ExportRequest request{.capturePath = capture, .csvPath = link, .kind = kind};
        const Result<ExportStats> exported = CsvExporter::exportCsv(request, {}, nullptr);
        QVERIFY(!exported);
        QVERIFY2(exported.error().message.contains(u"it was not replaced"_s), qPrintable(exported.error().message));
        QCOMPARE(fileBytes(victim), before);
    }
}

void tst_CsvExporter::realTransactionsEndToEnd()
{
    // The shared mainnet fixtures, summarised by lib/protocol, captured and exported.
    const auto loaded = loadTransactionDirectory(QStringLiteral(SLOTSCOPE_FIXTURES_DIR));
    QVERIFY2(loaded, loaded ? "" : qPrintable(loaded.error().message));
    QVERIFY(loaded->size() >= 20);
    QTemporaryDir dir;
    const QString capture = dir.filePath(u"real.ndjson"_s);
    TransactionSummarizer summarizer;
    QList<TransactionSummary> summaries;
    QList<qint64> offsets;
    {
        CaptureWriter writer;
        QVERIFY(writer.open(capture, CaptureMetadata{100000000, 419685246, {}, 1780023967, {}, {}}));
        for (const LoadedTransaction &t : *loaded) {
            auto s = summarizer.summarize(t.json);
            QVERIFY2(s, qPrintable(t.sourceFile));
            summaries.append(*s);
            offsets.append(writer.appendTransaction(u"real"_s, *s, t.json));
        }
        QVERIFY(writer.finish({u"real"_s}));
    }
    for (int i = 0; i < loaded->size(); ++i)
        QCOMPARE(*CaptureReader::readRawTransaction(capture, offsets[i]), loaded->at(i).json);

    ExportRequest request;
    request.capturePath = capture;
    request.csvPath = dir.filePath(u"real.csv"_s);
    ExportStats stats;
    const QList<QByteArray> rows = records(runExport(request, &stats));
    QCOMPARE(stats.rowsWritten, summaries.size());
    QCOMPARE(rows.size(), summaries.size() + 1);
    for (int i = 0; i < summaries.size(); ++i) {
        const TransactionSummary &s = summaries[i];
        QByteArray expected = "real," + QByteArray::number(s.slot) + ',' + s.signature.toLatin1() + ','
            + (s.success ? "true" : "false") + ',';
        CsvExporter::appendField(expected, s.success ? QByteArray() : s.error.toUtf8(), false);
        expected += ',' + QByteArray::number(s.fee) + ','
            + (s.computeUnitsConsumed ? QByteArray::number(*s.computeUnitsConsumed) : QByteArray()) + ','
            + (s.blockTime ? QDateTime::fromSecsSinceEpoch(*s.blockTime, Qt::UTC).toString(Qt::ISODate).toLatin1()
                           : QByteArray())
            + ',' + s.feePayer.toLatin1() + ',' + s.programIds.join(u';').toLatin1();
        QCOMPARE(rows[i + 1], expected);
    }
}

void tst_CsvExporter::fullDiskLeavesNoFile_data()
{
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("limit");
    QTest::addColumn<bool>("existingTarget");
    // 31 rows fit in Qt's own 16 KiB write buffer: the failure only shows in
    // the final flush, which QSaveFile::commit() does not check.
    QTest::addRow("small export, new file") << 31 << 1024 << false;
    QTest::addRow("small export over an existing file") << 31 << 1024 << true;
    QTest::addRow("large export, new file") << 400 << 16384 << false;
}

void tst_CsvExporter::fullDiskLeavesNoFile()
{
    // Issue 9 item 2: a short write is an error, and no file that looks
    // complete is left (neither a cut one nor an empty one).
    QFETCH(int, rows);
    QFETCH(int, limit);
    QFETCH(bool, existingTarget);
    QTemporaryDir dir;
    ExportRequest request{.capturePath = bigCapture(dir, rows)};
    QVERIFY(!request.capturePath.isEmpty());
    request.csvPath = dir.filePath(u"full.csv"_s);
    if (existingTarget)
        writeFile(request.csvPath, "old content\n");
    const QStringList before = entries(dir.path());

    Result<ExportStats> r = makeError(QString());
    {
        FileSizeLimit limited{rlim_t(limit)};
        QVERIFY(limited.ok());
        r = CsvExporter::exportCsv(request, {}, nullptr);
    }
    QVERIFY2(!r, r ? qPrintable(u"exported %1 rows"_s.arg(r->rowsWritten)) : "");
    QVERIFY2(r.error().message.contains(u"full.csv"_s), qPrintable(r.error().message));
    QVERIFY2(r.error().message.contains(u"bytes written"_s), qPrintable(r.error().message));
    QCOMPARE(entries(dir.path()), before); // no temporary, no cut file
    if (existingTarget)
        QCOMPARE(fileBytes(request.csvPath), QByteArray("old content\n"));
    else
        QVERIFY(!QFileInfo::exists(request.csvPath));
}

void tst_CsvExporter::fifoIsWrittenThrough()
{
    // A named pipe is written straight through: the reader gets the CSV, and
    // the pipe is still a pipe afterwards (not replaced by a renamed file).
    QTemporaryDir dir;
    ExportRequest request;
    request.capturePath = bigCapture(dir, 31);
    request.csvPath = dir.filePath(u"regular.csv"_s);
    const QByteArray expected = runExport(request);
    QVERIFY(expected.startsWith(txHeader));

    const QString fifo = dir.filePath(u"pipe.csv"_s);
    QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
    auto received = std::make_shared<QByteArray>();
    std::thread reader([fifo, received] {
        QFile f(fifo);
        if (f.open(QIODevice::ReadOnly))
            *received = f.readAll();
    });
    request.csvPath = fifo;
    const auto r = CsvExporter::exportCsv(request, {}, nullptr);
    if (fileNodeAt(fifo).type != S_IFIFO) {
        reader.detach(); // blocked on a pipe nobody will open any more
        QFAIL("the named pipe was replaced by a file");
    }
    reader.join();
    QVERIFY2(r, r ? "" : qPrintable(r.error().message));
    QCOMPARE(r->rowsWritten, 31);
    QCOMPARE(*received, expected);
}

void tst_CsvExporter::checkCanCreate()
{
    // What a run checks of its capture path before it stops a live run for
    // the new one: the folder must be there and writable; an existing file,
    // a device or a FIFO is for the overwrite rules to decide.
    QTemporaryDir dir;
    const auto problem = [](const QString &path) {
        const Result<void> r = OutputFile::checkCanCreate(path);
        return r ? QString() : r.error().message;
    };
    QCOMPARE(problem(dir.filePath(u"new.ndjson"_s)), QString());
    QCOMPARE(problem(u"relative-in-the-working-directory.ndjson"_s), QString());
    QCOMPARE(problem(u"/dev/null"_s), QString());
    QFile existing(dir.filePath(u"existing.ndjson"_s));
    QVERIFY(existing.open(QIODevice::WriteOnly));
    existing.close();
    QCOMPARE(problem(existing.fileName()), QString());
    QCOMPARE(problem(dir.path()), u"%1 is a folder, not a file"_s.arg(dir.path()));
    QCOMPARE(problem(dir.filePath(u"missing/run.ndjson"_s)),
             u"The folder %1 does not exist"_s.arg(dir.filePath(u"missing"_s)));
    QCOMPARE(problem(existing.fileName() + u"/run.ndjson"_s), u"%1 is not a folder"_s.arg(existing.fileName()));
    if (::geteuid() == 0)
        return; // root writes into a folder without write permission
    const QString readOnly = dir.filePath(u"read-only"_s);
    QVERIFY(QDir(dir.path()).mkdir(u"read-only"_s));
    QVERIFY(QFile::setPermissions(readOnly, QFileDevice::ReadOwner | QFileDevice::ExeOwner));
    QCOMPARE(problem(readOnly + u"/run.ndjson"_s), u"The folder %1 is not writable"_s.arg(readOnly));
    // A file already there that cannot be replaced: said before the work, not after it.
    QVERIFY(QFile::setPermissions(existing.fileName(), QFileDevice::ReadOwner));
    QCOMPARE(problem(existing.fileName()), u"The file %1 is not writable"_s.arg(existing.fileName()));
}

void tst_CsvExporter::deviceIsNeverRenamedOver()
{
    // Exporting to a device writes to the device; a full one (ENOSPC) is an
    // error; the node itself is never replaced. As root a rename over it
    // would succeed, so root uses a /dev/full twin made in the temporary
    // directory rather than risk the real one.
    QTemporaryDir dir;
    ExportRequest request{.capturePath = bigCapture(dir, 31)};
    QString full = u"/dev/full"_s;
    if (::geteuid() == 0) {
        full = dir.filePath(u"full"_s);
        if (::mknod(QFile::encodeName(full).constData(), S_IFCHR | 0666, makedev(1, 7)) != 0)
            QSKIP("cannot create a device node here");
    }
    const FileNode device = fileNodeAt(full);
    QCOMPARE(device.type, mode_t(S_IFCHR));
    const QStringList before = entries(dir.path());

    request.csvPath = full;
    const auto r = CsvExporter::exportCsv(request, {}, nullptr);
    QVERIFY(!r);
    QVERIFY2(r.error().message.contains(full), qPrintable(r.error().message));
    QVERIFY2(r.error().message.contains(qt_error_string(ENOSPC)), qPrintable(r.error().message));
    QCOMPARE(fileNodeAt(full), device);
    QCOMPARE(entries(dir.path()), before);

    request.csvPath = u"/dev/null"_s;
    const FileNode null = fileNodeAt(request.csvPath);
    const auto ok = CsvExporter::exportCsv(request, {}, nullptr);
    QVERIFY2(ok, ok ? "" : qPrintable(ok.error().message));
    QCOMPARE(ok->rowsWritten, 31);
    QCOMPARE(fileNodeAt(request.csvPath), null);
}

void tst_CsvExporter::unreadableLinesAreReported()
{
    // Issue 9 item 3: lines of the capture that cannot be read are counted
    // and named, never a plain "31 rows exported".
    QTemporaryDir dir;
    ExportRequest request;
    request.capturePath = bigCapture(dir, 31);
    request.csvPath = dir.filePath(u"all.csv"_s);
    ExportStats stats;
    runExport(request, &stats);
    QCOMPARE(stats.rowsWritten, 31);
    QVERIFY(!stats.incomplete());
    QCOMPARE(stats.summary(), u"31 rows exported"_s);

    // Damage two transaction lines (the 5th and the 20th line of the file).
    QList<QByteArray> lines = fileBytes(request.capturePath).split('\n');
    QVERIFY(lines.size() > 21);
    lines[4] = lines[4].left(200);            // cut mid-object
    lines[19] = "{\"type\":\"tx\",\"data\":"; // an object never closed
    writeFile(request.capturePath, lines.join('\n'));
    request.csvPath = dir.filePath(u"damaged.csv"_s);
    runExport(request, &stats);
    QCOMPARE(stats.rowsWritten, 29);
    QCOMPARE(stats.skippedLines, 2);
    QVERIFY(stats.incomplete());
    QVERIFY2(stats.summary().startsWith(u"29 of 31 rows exported, 2 lines unreadable (line 5: "_s),
             qPrintable(stats.summary()));
    QCOMPARE(records(fileBytes(request.csvPath)).size(), 30);

    // A line of a type a newer writer added is skipped with a warning
    // (CAPTURE_FORMAT §8.2), not counted as a row the CSV lacks.
    QTemporaryDir another;
    lines = fileBytes(bigCapture(another, 31)).split('\n');
    QVERIFY(lines.size() > 4);
    lines.insert(3, R"({"type":"benchmark_result","data":{"x":1}})");
    writeFile(request.capturePath, lines.join('\n'));
    request.csvPath = dir.filePath(u"unknown.csv"_s);
    runExport(request, &stats);
    QCOMPARE(stats.rowsWritten, 31);
    QCOMPARE(stats.skippedLines, 0);
    QVERIFY(!stats.incomplete());
    QCOMPARE(stats.summary(), u"31 rows exported"_s);
    QVERIFY2(stats.warnings.join(u'\n').contains(u"unknown type \"benchmark_result\""_s),
             qPrintable(stats.warnings.join(u'\n')));
}

void tst_CsvExporter::sessionIdForms_data()
{
    // PROTOCOL-0.31.md §5.1: 0.31 servers send `backtest_` + 32 hex digits,
    // older ones the hyphenated UUID. Ids are kept exactly as the capture has
    // them; a session filter in either form picks the same session.
    QTest::addColumn<QString>("written");
    QTest::addColumn<QString>("filter");
    QTest::addColumn<bool>("matches");
    const QString simple = u"backtest_0199d2c45b7e7a319c1e2f4b8d6a1c00"_s;
    const QString hyphenated = u"backtest_0199d2c4-5b7e-7a31-9c1e-2f4b8d6a1c00"_s;
    QTest::addRow("0.31 simple form") << simple << simple << true;
    QTest::addRow("hyphenated form") << hyphenated << hyphenated << true;
    QTest::addRow("simple in the capture, hyphenated filter") << simple << hyphenated << true;
    QTest::addRow("hyphenated in the capture, simple filter") << hyphenated << simple << true;
    QTest::addRow("bare uuid filter") << simple << u"0199D2C4-5B7E-7A31-9C1E-2F4B8D6A1C00"_s << true;
    QTest::addRow("another session") << simple << u"backtest_0199d2c45b7e7a319c1e2f4b8d6a1c01"_s << false;
}

void tst_CsvExporter::sessionIdForms()
{
    QFETCH(QString, written);
    QFETCH(QString, filter);
    QFETCH(bool, matches);
    const QString other = u"backtest_01a2438101f70009f46b795acedd178f"_s;
    QTemporaryDir dir;
    const QString capture = dir.filePath(u"ids.ndjson"_s);
    {
        CaptureWriter writer;
        QVERIFY(writer.open(capture, {}));
        writer.appendTransaction(written, tx(10, u"s10"_s), "{}");
        writer.appendTransaction(other, tx(11, u"s11"_s), "{}");
        QVERIFY(writer.finish({}));
    }
    // The capture gives the ids back verbatim.
    CaptureReader reader;
    QVERIFY(reader.open(capture).ok());
    CapturedTransaction read;
    QStringList ids;
    while (reader.readNext(read))
        ids.append(read.sessionId);
    QCOMPARE(ids, (QStringList{written, other}));

    ExportRequest request;
    request.capturePath = capture;
    request.csvPath = dir.filePath(u"ids.csv"_s);
    const QList<QByteArray> all = records(runExport(request));
    QCOMPARE(all, (QList<QByteArray>{txHeader, written.toUtf8() + ",10,s10,true,,5000,1010,2024-01-10T20:44:15Z,Payer10,ProgA",
                                     other.toUtf8() + ",11,s11,true,,5000,1011,2024-01-10T20:44:15Z,Payer11,ProgA"}));
    request.sessionId = filter;
    const QList<QByteArray> filtered = records(runExport(request));
    QCOMPARE(filtered, matches ? all.first(2) : all.first(1));
}

QTEST_GUILESS_MAIN(tst_CsvExporter)
#include "tst_csvexporter.moc"
