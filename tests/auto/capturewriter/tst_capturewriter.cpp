// CaptureWriter: CAPTURE_FORMAT.md §8.1 writer profile, read back through
// CaptureReader, plus the events file and I/O error reporting.

#include "capture/capturereader.h"
#include "capture/capturewriter.h"
#include "capture/outputfile.h"
#include "protocol/jsonencoding.h"
#include "support/capturefiles.h"
#include "support/fixtures.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <tuple>
#include <algorithm>
#include <vector>

#if defined(Q_OS_LINUX)
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>
#endif

using namespace SlotScope;
using namespace SlotScope::Testing;
using namespace Qt::StringLiterals;

namespace {

constexpr quint64 u64Max = std::numeric_limits<quint64>::max();

TransactionSummary successTx()
{
    TransactionSummary s;
    s.slot = 419685246;
    s.signature = u"4LXpF3MCdp69iFmD27Sn812UNpqFPHM4qXH7Y12E964p9GHXvwMe1XEmyasogVT2N4XEctdQQLf1sHY6Gvsa5sFX"_s;
    s.success = true;
    s.fee = 5000;
    s.computeUnitsConsumed = 2408;
    s.blockTime = 1778761079;
    s.version = u"0"_s;
    s.feePayer = u"3V9bd3EN5aNuhE4RiHGbZ1eZakJ1F9cDb8V4YLjCG8cg"_s;
    s.programIds = {u"11111111111111111111111111111111"_s, u"TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"_s};
    s.logs = {u"Program 11111111111111111111111111111111 invoke [1]"_s,
              u"Program log: \"quoted\" back\\slash tab\there nl\nhere \u00e9\u65e5\u672c \U0001F600 ctl\u0001\u001f"_s,
              QString()};
    s.logsPresent = true;
    s.solChanges = {SolChange{u"3V9bd3EN5aNuhE4RiHGbZ1eZakJ1F9cDb8V4YLjCG8cg"_s, u64Max, 401428625200ULL},
                    SolChange{u"Efc6bp3wVC2iQpewxRmKdZM8vzt9DCFFhL7EiHYNGunv"_s, 0, 2039280}};
    s.tokenChanges = {TokenChange{u"2e3Eb9tkT8252WhFR26Xz6SKoiatJScuMW1BHgGqPvvc"_s,
                                  u"EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"_s,
                                  u"3V9bd3EN5aNuhE4RiHGbZ1eZakJ1F9cDb8V4YLjCG8cg"_s, 101903768394ULL,
                                  u64Max - 1, 6},
                      TokenChange{u"Efc6bp3wVC2iQpewxRmKdZM8vzt9DCFFhL7EiHYNGunv"_s,
                                  u"EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"_s, QString(), 11200000, 15000000, 9}};
    s.transactionIndex = 17;
    return s;
}

TransactionSummary failedTx()
{
    TransactionSummary s;
    s.slot = 241043141;
    s.signature = u"7ynjNWxA4yAQGXD5U9gheTn2DGDjoCZ4MB68wm15oJqEeA2MdSze6hMABJiEkC2atJCf4QsUCXBLrYpAdeMzsFG"_s;
    s.success = false;
    s.error = u"Error processing Instruction 3: Program failed to complete"_s;
    s.errorJson = R"({"InstructionError":[3,"ProgramFailedToComplete"]})";
    s.fee = 5000;
    s.feePayer = u"5yKF9m4HwZPA1cibk7JGEVtAGBL2Jx8PxcuB5EbHXRKq"_s;
    s.programIds = {u"GqCHpDuPPsyyMxtaQgYxyLLLWv1kZFyy2DD5z1cMNouR"_s};
    s.logs = {u"Program GqCHpDuPPsyyMxtaQgYxyLLLWv1kZFyy2DD5z1cMNouR invoke [1]"_s};
    s.solChanges = {SolChange{u"5yKF9m4HwZPA1cibk7JGEVtAGBL2Jx8PxcuB5EbHXRKq"_s, 256562880, 256557880}};
    return s;
}

QList<QByteArray> fileLines(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QByteArray all = f.readAll();
    if (all.isEmpty())
        return {};
    if (!all.endsWith('\n'))
        return {"<missing final newline>"};
    all.chop(1);
    return all.split('\n');
}

QJsonObject lineObject(const QByteArray &line)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return {};
    return doc.object();
}

/// A capture cut by a full disk still ends with a complete line: the last
/// byte is a newline, every line is a JSON object, some but not all of the
/// `accepted` transactions are readable, and there is no summary. The
/// writer's transactionCount() is what the file holds (the window's count
/// after a full disk), not what was appended.
void checkCutAtACompleteLine(const QString &path, int accepted, quint64 countedByWriter)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray all = f.readAll();
    QVERIFY(!all.isEmpty());
    QVERIFY2(all.endsWith('\n'), qPrintable(u"ends with a partial line: …%1"_s.arg(QString::fromUtf8(all.right(40)))));
    const QList<QByteArray> lines = all.chopped(1).split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i)
        QVERIFY2(!lineObject(lines.at(i)).isEmpty(), qPrintable(u"line %1 is not an object"_s.arg(i + 1)));
    const CaptureContents contents = readCapture(path);
    QVERIFY(contents.transactions > 0 && contents.transactions < accepted);
    QCOMPARE(countedByWriter, quint64(contents.transactions));
    QCOMPARE(contents.skippedLines, 0);
    QVERIFY(!contents.hasSummary);
}

} // namespace

class tst_CaptureWriter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void eventsPathFor_data();
    void eventsPathFor();
    void jsonString_data();
    void jsonString();
    void isoTimes();
    void roundTrip();
    void fileFollowsWriterProfile();
    void fixtureRawIsKeptVerbatim();
    void rawWithLineBreaksStaysOneLine();
    void singleLineCopy();
    void eventsRoundTrip();
    void aStandardStreamHasNoEventsFile();
    void unfinishedWriterLeavesValidFile();
    void dataReachesTheOsByChunkAndByTime();
    void openFailsOnMissingDirectory();
    void aFolderIsNeverACapture_data();
    void aFolderIsNeverACapture();
    void writeErrorIsReported();
    void aCaptureDeletedUnderTheRunIsAnError();
    void backgroundWritesKeepOffsetsAndFlush();
    void backgroundWriteErrorIsReported();
    void aLongCaptureLeavesThePageCache();
    void existingCaptureIsRefused_data();
    void existingCaptureIsRefused();
    void replacementWaitsForTheFirstData_data();
    void replacementWaitsForTheFirstData();
};

void tst_CaptureWriter::eventsPathFor_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("expected");
    QTest::addRow("ndjson") << u"/tmp/run.ndjson"_s << u"/tmp/run.events.ndjson"_s;
    QTest::addRow("other extension") << u"/tmp/run.json"_s << u"/tmp/run.json.events.ndjson"_s;
    QTest::addRow("no extension") << u"run"_s << u"run.events.ndjson"_s;
    QTest::addRow("ndjson inside the name") << u"a.ndjson.bak"_s << u"a.ndjson.bak.events.ndjson"_s;
}

void tst_CaptureWriter::eventsPathFor()
{
    QFETCH(QString, path);
    QFETCH(QString, expected);
    QCOMPARE(CaptureWriter::eventsPathFor(path), expected);
    // And back: the capture an events file belongs to is among its candidates.
    QVERIFY(CaptureWriter::capturePathsForEvents(expected).contains(path));
    QVERIFY(CaptureWriter::capturePathsForEvents(path).isEmpty());
}

void tst_CaptureWriter::jsonString_data()
{
    QTest::addColumn<QString>("text");
    QTest::addRow("empty") << QString();
    QTest::addRow("plain") << u"Program log: hello"_s;
    QTest::addRow("quote and backslash") << u"say \"hi\" C:\\path\\"_s;
    QTest::addRow("named escapes") << u"a\nb\rc\td\be\ff"_s;
    QTest::addRow("other control chars") << QString(u"x\u0001y\u001fz\u0000w"_s);
    QTest::addRow("DEL is not escaped") << u"a\u007fb"_s;
    QTest::addRow("two-byte UTF-8") << u"caf\u00e9 \u00fc"_s;
    QTest::addRow("three-byte UTF-8") << u"\u65e5\u672c\u8a9e \u20ac"_s;
    QTest::addRow("surrogate pair") << u"emoji \U0001F600 end"_s;
    // Long runs go 8 UTF-16 units at a time: every special unit (and a
    // surrogate pair) at every position relative to such a run.
    const QString base = u"Program log: Instruction: Transfer 0123456789abcdef"_s;
    const char16_t specials[] = {u'"', u'\\', u'\n', 0x01, 0x1f, 0x7f, 0x80, 0xe9, 0x7ff, 0x800, 0x20ac, 0xfffd, 0xffff};
    for (const char16_t special : specials) {
        for (int at = 0; at < 18; ++at) {
            QString text = base;
            text.insert(at, QChar(special));
            QTest::addRow("U+%04x at %d of a long run", unsigned(special), at) << text;
        }
    }
    for (int at = 0; at < 18; ++at)
        QTest::addRow("surrogate pair at %d of a long run", at) << QString(base).insert(at, u"\U0001F600"_s);
    // A line's last 16 bytes may be copied as one block overlapping what
    // came before: specials near the end, in lines of 15 to 40 bytes.
    for (const char16_t special : {u'"', u'\\', u'\n', char16_t(0x01), char16_t(0xe9)}) {
        for (int length = 15; length <= 40; length += 5) {
            for (int fromEnd = 0; fromEnd <= 20 && fromEnd <= length; ++fromEnd) {
                QString text = base.left(length);
                text.insert(length - fromEnd, QChar(special));
                QTest::addRow("U+%04x %d from the end of %d", unsigned(special), fromEnd, length) << text;
            }
        }
    }
}

void tst_CaptureWriter::jsonString()
{
    QFETCH(QString, text);
    QByteArray json = "[";
    Internal::appendJsonString(json, text);
    json += "]";
    // No raw control character may survive.
    for (const char c : json)
        QVERIFY2(static_cast<unsigned char>(c) >= 0x20, json.constData());
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(doc.array().at(0).toString(), text);

    // The UTF-8 overload gives the same bytes.
    QByteArray viaUtf8 = "[";
    const QByteArray utf8 = text.toUtf8();
    Internal::appendJsonString(viaUtf8, std::string_view(utf8.constData(), size_t(utf8.size())));
    viaUtf8 += "]";
    QCOMPARE(viaUtf8, json);
}

void tst_CaptureWriter::isoTimes()
{
    QByteArray out;
    Internal::appendIsoUtc(out, 0);
    QCOMPARE(out, "1970-01-01T00:00:00Z");
    out.clear();
    Internal::appendIsoUtc(out, 1704919455);
    QCOMPARE(out, QDateTime::fromSecsSinceEpoch(1704919455, Qt::UTC).toString(Qt::ISODate).toLatin1());
    out.clear();
    Internal::appendIsoUtc(out, 951782400); // 2000-02-29 (leap day)
    QCOMPARE(out, "2000-02-29T00:00:00Z");
    out.clear();
    Internal::appendIsoUtc(out, -1);
    QCOMPARE(out, "1969-12-31T23:59:59Z");
    out.clear();
    Internal::appendIsoUtcMs(out, 1778761079007);
    QCOMPARE(out, "2026-05-14T12:17:59.007Z");
    QCOMPARE(out, QDateTime::fromMSecsSinceEpoch(1778761079007, Qt::UTC).toString(Qt::ISODateWithMs).toLatin1());
}

void tst_CaptureWriter::roundTrip()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"run.ndjson"_s);
    const CaptureMetadata metadata{419685240, 419685250, {u"TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"_s}, 1780023967,
                                   {}, {}};

    const QList<TransactionSummary> txs = {successTx(), failedTx(), successTx()};
    QList<QByteArray> raws = {R"({"slot":419685246,"meta":{"fee":5000,"rentEpoch":18446744073709551615},"note":"a\"b"})",
                              R"({"slot":241043141,"meta":{"err":{"InstructionError":[3,"ProgramFailedToComplete"]}}})",
                              QByteArray()};
    QList<TransactionSummary> written = txs;
    written[2].signature = u"3rdSignatureXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"_s;
    written[2].computeUnitsConsumed.reset();
    written[2].blockTime.reset();
    written[2].transactionIndex.reset();
    written[2].solChanges.clear();
    written[2].tokenChanges.clear();
    written[2].logs.clear();
    written[2].programIds.clear();

    QList<qint64> offsets;
    {
        CaptureWriter writer;
        QVERIFY(writer.open(path, metadata));
        QVERIFY(writer.isOpen());
        QCOMPARE(writer.eventsPath(), dir.filePath(u"run.events.ndjson"_s));
        const QStringList sessions = {u"sess-a"_s, u"sess-b"_s, u"sess-a"_s};
        for (int i = 0; i < written.size(); ++i)
            offsets.append(writer.appendTransaction(sessions.at(i), written.at(i), raws.at(i)));
        QCOMPARE(writer.transactionCount(), 3u);
        QCOMPARE(writer.successCount(), 2u);
        QCOMPARE(writer.failureCount(), 1u);
        QVERIFY(writer.finish({u"sess-a"_s, u"sess-b"_s}));
        QVERIFY(!writer.isOpen());
        QVERIFY(writer.lastError().isEmpty());
    }

    // Offsets point at the lines.
    const QList<QByteArray> lines = fileLines(path);
    QCOMPARE(lines.size(), 5);
    qint64 pos = 0;
    QList<qint64> lineStarts;
    for (const QByteArray &line : lines) {
        lineStarts.append(pos);
        pos += line.size() + 1;
    }
    QCOMPARE(offsets, (QList<qint64>{lineStarts[1], lineStarts[2], lineStarts[3]}));

    CaptureReader reader;
    QVERIFY(reader.open(path));
    QCOMPARE(reader.format(), CaptureReader::Format::Ndjson);
    QVERIFY(reader.metadata());
    QCOMPARE(*reader.metadata(), metadata);

    QList<CapturedTransaction> read;
    CapturedTransaction tx;
    while (reader.readNext(tx))
        read.append(tx);
    QVERIFY(reader.errorString().isEmpty());
    QCOMPARE(reader.skippedLines(), 0);
    QCOMPARE(read.size(), 3);
    const QStringList sessions = {u"sess-a"_s, u"sess-b"_s, u"sess-a"_s};
    for (int i = 0; i < 3; ++i) {
        const TransactionSummary &w = written.at(i);
        const CapturedTransaction &r = read.at(i);
        QCOMPARE(r.sessionId, sessions.at(i));
        QCOMPARE(r.slot, w.slot);
        QCOMPARE(r.signature, w.signature);
        QCOMPARE(r.success, w.success);
        QCOMPARE(r.error, w.success ? QString() : w.error);
        QCOMPARE(r.fee, std::optional<quint64>(w.fee));
        QCOMPARE(r.computeUnitsConsumed, w.computeUnitsConsumed);
        QCOMPARE(r.blockTime, w.blockTime);
        QCOMPARE(r.transactionIndex, w.transactionIndex);
        QCOMPARE(r.feePayer, w.feePayer);
        QCOMPARE(r.programIds, w.programIds);
        QCOMPARE(r.logs, w.logs);
        QCOMPARE(r.solChanges, w.solChanges);
        QCOMPARE(r.tokenChanges, w.tokenChanges);
        QCOMPARE(r.offset, offsets.at(i));
        QCOMPARE(r.lineNumber, i + 2);
    }
    QCOMPARE(read[0].solChanges[0].preLamports, u64Max);
    QCOMPARE(read[0].tokenChanges[0].postAmount, u64Max - 1);

    QVERIFY(reader.summary());
    QCOMPARE(*reader.summary(), (CaptureSummary{3, 2, 1, {u"sess-a"_s, u"sess-b"_s}}));
    QCOMPARE(reader.sessionIds(), (QStringList{u"sess-a"_s, u"sess-b"_s}));

    // readRawTransaction gives back the exact raw bytes; an empty raw was written as null.
    for (int i = 0; i < 2; ++i) {
        const auto raw = CaptureReader::readRawTransaction(path, offsets.at(i));
        QVERIFY2(raw, raw ? "" : qPrintable(raw.error().message));
        QCOMPARE(*raw, raws.at(i));
    }
    QVERIFY(!CaptureReader::readRawTransaction(path, offsets.at(2)));
    QVERIFY(!CaptureReader::readRawTransaction(path, 0));                 // metadata line
    QVERIFY(!CaptureReader::readRawTransaction(path, offsets.at(1) + 1)); // not a line start
    QVERIFY(!CaptureReader::readRawTransaction(path, -1));
    QVERIFY(!CaptureReader::readRawTransaction(dir.filePath(u"missing.ndjson"_s), 0));
}

void tst_CaptureWriter::fileFollowsWriterProfile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"profile.ndjson"_s);
    {
        CaptureWriter writer;
        QVERIFY(writer.open(path, CaptureMetadata{10, 20, {}, 1780023967, {u"./p.so"_s}, {u"never-written"_s}}));
        writer.appendTransaction(u"s1"_s, successTx(), "{}");
        writer.appendTransaction(u"s1"_s, failedTx(), "{}");
        QVERIFY(writer.finish({u"s1"_s}));
    }
    const QList<QByteArray> lines = fileLines(path);
    QCOMPARE(lines.size(), 4);
    QList<QJsonObject> objects;
    for (const QByteArray &line : lines) {
        QVERIFY2(!line.trimmed().isEmpty(), "blank line");
        QVERIFY2(!line.contains('\r'), line.constData());
        const QJsonObject o = lineObject(line);
        QVERIFY2(!o.isEmpty(), line.constData());
        QVERIFY(o.value(u"type").isString());
        QVERIFY(o.value(u"data").isObject());
        objects.append(o);
    }
    QVERIFY(!lines.first().startsWith("\xEF\xBB\xBF"));

    // Metadata first: verified fields only, no session_ids, empty program_ids left out.
    QCOMPARE(objects[0].value(u"type").toString(), u"metadata"_s);
    const QJsonObject meta = objects[0].value(u"data").toObject();
    QCOMPARE(meta.keys(), (QStringList{u"end_slot"_s, u"program_so"_s, u"ran_at_unix_secs"_s, u"start_slot"_s}));
    QCOMPARE(meta.value(u"start_slot").toInteger(), 10);
    QCOMPARE(meta.value(u"end_slot").toInteger(), 20);
    QCOMPARE(meta.value(u"ran_at_unix_secs").toInteger(), 1780023967);
    QVERIFY(lines[0].startsWith(R"({"type":"metadata","data":{"start_slot":10,)"));

    // tx lines: required keys, error only when failed, both key spellings.
    for (int i : {1, 2}) {
        QCOMPARE(objects[i].value(u"type").toString(), u"tx"_s);
        QVERIFY(lines[i].startsWith(R"({"type":"tx","data":{)"));
        const QJsonObject tx = objects[i].value(u"data").toObject();
        for (const QString &key : {u"slot"_s, u"signature"_s, u"success"_s, u"logs"_s, u"sol_changes"_s,
                                   u"token_changes"_s, u"session_id"_s, u"fee"_s, u"fee_payer"_s,
                                   u"program_ids"_s, u"raw"_s})
            QVERIFY2(tx.contains(key), qPrintable(key));
        QVERIFY(tx.value(u"logs").isArray());
        QVERIFY(tx.value(u"sol_changes").isArray());
        QVERIFY(tx.value(u"token_changes").isArray());
        QVERIFY(!tx.contains(u"account_diffs"));
        const bool success = tx.value(u"success").toBool();
        QCOMPARE(tx.contains(u"error"), !success);
        QCOMPARE(tx.contains(u"timestamp"), success);
        QCOMPARE(tx.contains(u"block_time"), success);
        QCOMPARE(tx.contains(u"compute_units_consumed"), success);
        QCOMPARE(tx.contains(u"transaction_index"), success);
        for (const QJsonValue &v : tx.value(u"sol_changes").toArray()) {
            const QJsonObject c = v.toObject();
            QCOMPARE(c.keys(), (QStringList{u"account"_s, u"post_lamports"_s, u"pre_lamports"_s, u"pubkey"_s}));
            QCOMPARE(c.value(u"account"), c.value(u"pubkey"));
        }
    }
    const QJsonObject ok = objects[1].value(u"data").toObject();
    QCOMPARE(ok.value(u"timestamp").toInteger(), 1778761079);
    QCOMPARE(ok.value(u"block_time").toInteger(), 1778761079);
    const QJsonArray tokens = ok.value(u"token_changes").toArray();
    QCOMPARE(tokens.size(), 2);
    QCOMPARE(tokens[0].toObject().keys(), (QStringList{u"account"_s, u"decimals"_s, u"mint"_s, u"owner"_s,
                                                       u"post_amount"_s, u"pre_amount"_s, u"pubkey"_s}));
    QCOMPARE(tokens[1].toObject().value(u"owner").toString(), QString());
    QCOMPARE(tokens[0].toObject().value(u"decimals").toInteger(), 6);
    // u64 values are written as exact integers (QJsonDocument cannot hold them; check the text).
    QVERIFY(lines[1].contains(R"("pre_lamports":18446744073709551615,"post_lamports":401428625200})"));
    QVERIFY(lines[1].contains(R"("pre_amount":101903768394,"post_amount":18446744073709551614,"decimals":6})"));
    QVERIFY(!lines[1].contains("e+"));
    QCOMPARE(objects[2].value(u"data").toObject().value(u"error").toString(),
             u"Error processing Instruction 3: Program failed to complete"_s);

    // Summary last, valid for both candidate layouts (§4.5, §7.6).
    QCOMPARE(objects[3].value(u"type").toString(), u"summary"_s);
    QCOMPARE(lines[3], R"({"type":"summary","data":{"total":2,"successes":1,"failures":1,"session_ids":["s1"],)"
                       R"("summary":{"total":2,"successes":1,"failures":1}}})");

    // Events file exists (empty: nothing was appended).
    QVERIFY(QFileInfo::exists(dir.filePath(u"profile.events.ndjson"_s)));
    QCOMPARE(QFileInfo(dir.filePath(u"profile.events.ndjson"_s)).size(), 0);
}

void tst_CaptureWriter::fixtureRawIsKeptVerbatim()
{
    const QByteArray raw = fixtureResult(
        u"jup-ag-instruction-parser/tx-5SnGKXqNQ6zYGfNHQwHWwRtbxnYHUHLbANXgpvCLuXD1LA5paStRBcuXwu2T5eM9xsVWFQTzeUNwPWx6UAQhUb2t.json"_s);
    QVERIFY(raw.size() > 10000);
    QTemporaryDir dir;
    const QString path = dir.filePath(u"fixture.ndjson"_s);
    CaptureWriter writer;
    QVERIFY(writer.open(path, {}));
    TransactionSummary s;
    s.slot = 277138295;
    s.signature = u"5SnGKXqNQ6zYGfNHQwHWwRtbxnYHUHLbANXgpvCLuXD1LA5paStRBcuXwu2T5eM9xsVWFQTzeUNwPWx6UAQhUb2t"_s;
    const qint64 first = writer.appendTransaction(u"s"_s, s, raw);
    s.signature = u"other"_s;
    const qint64 second = writer.appendTransaction(u"s"_s, s, "  " + raw + "\n");
    QVERIFY(writer.finish({}));
    QVERIFY(second > first + raw.size());
    QCOMPARE(*CaptureReader::readRawTransaction(path, first), raw);
    QCOMPARE(*CaptureReader::readRawTransaction(path, second), raw);
}

void tst_CaptureWriter::rawWithLineBreaksStaysOneLine()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"pretty.ndjson"_s);
    CaptureWriter writer;
    QVERIFY(writer.open(path, {}));
    const QByteArray pretty = "{\r\n  \"a\": 1,\n  \"b\": [\n    2\n  ]\n}";
    const qint64 offset = writer.appendTransaction(u"s"_s, successTx(), pretty);
    QVERIFY(writer.finish({}));
    QCOMPARE(fileLines(path).size(), 3);
    const auto raw = CaptureReader::readRawTransaction(path, offset);
    QVERIFY(raw);
    QCOMPARE(*raw, QByteArray("{    \"a\": 1,   \"b\": [     2   ] }"));
}

void tst_CaptureWriter::singleLineCopy()
{
    // appendSingleLine copies 16 bytes at a time: a line break in any lane of
    // a block, or in the tail after the last whole block, must turn into a
    // space; everything else (tabs, UTF-8) stays byte for byte.
    const QByteArray prefix = "prefix:";
    for (qsizetype length = 0; length <= 50; ++length) {
        QByteArray text;
        for (qsizetype i = 0; i < length; ++i)
            text.append(char(i % 3 == 0 ? '\xc3' : i % 3 == 1 ? '\xa9' : 'a' + i % 26)); // "é" and letters
        QByteArray out = prefix;
        Internal::appendSingleLine(out, text);
        QCOMPARE(out, prefix + text);
        for (qsizetype at = 0; at < length; ++at) {
            for (const char control : {'\n', '\r', '\t'}) {
                QByteArray broken = text;
                broken[at] = control;
                QByteArray expected = prefix + broken;
                if (control != '\t')
                    expected[prefix.size() + at] = ' ';
                out = prefix;
                Internal::appendSingleLine(out, broken);
                QCOMPARE(out, expected);
            }
        }
    }
}

void tst_CaptureWriter::eventsRoundTrip()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"ev.ndjson"_s);
    const QDateTime before = QDateTime::currentDateTimeUtc().addMSecs(-1);
    CaptureWriter writer;
    QVERIFY(writer.open(path, {}));
    writer.appendEvent(u"paused"_s, u"sess-1"_s, QJsonObject{{u"slot"_s, 419685246}, {u"batchIndex"_s, 3}});
    writer.appendEvent(u"connection"_s, QString(),
                       QJsonObject{{u"socket"_s, u"control"_s}, {u"status"_s, u"Down"_s},
                                   {u"reason"_s, u"remote closed \"x\"\n\u00e9"_s}, {u"attempt"_s, 2},
                                   {u"delay"_s, 1500}});
    const QByteArray diff = R"({"context":{"slot":399834993},"account":"3eF3iBQqi2DmDLS7o9y8gG7necF5VBbwYy5gqF7sh899",)"
                            R"("signature":"2kHb","pre":{"lamports":998075353,"rentEpoch":18446744073709551615},"post":null})";
    writer.appendEvent(u"account_diff"_s, u"sess-1"_s, QByteArrayView(diff));
    writer.appendEvent(u"completed"_s, u"sess-1"_s, QByteArrayView());
    QVERIFY(writer.finish({u"sess-1"_s}));
    const QDateTime after = QDateTime::currentDateTimeUtc().addMSecs(1);

    const QList<QByteArray> lines = fileLines(writer.eventsPath());
    QCOMPARE(lines.size(), 4);
    static const QRegularExpression atPattern(uR"("at":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")"_s);
    for (const QByteArray &line : lines) {
        QVERIFY(!lineObject(line).isEmpty());
        QVERIFY2(atPattern.match(QString::fromUtf8(line)).hasMatch(), line.constData());
    }
    QVERIFY(lines[0].startsWith(R"({"type":"paused","session_id":"sess-1","at":")"));

    const auto events = CaptureEventReader::readAll(writer.eventsPath());
    QVERIFY(events);
    QCOMPARE(events->size(), 4);
    const QStringList types = {u"paused"_s, u"connection"_s, u"account_diff"_s, u"completed"_s};
    const QStringList sessions = {u"sess-1"_s, QString(), u"sess-1"_s, u"sess-1"_s};
    for (int i = 0; i < 4; ++i) {
        const CaptureEvent &e = events->at(i);
        QCOMPARE(e.type, types.at(i));
        QCOMPARE(e.sessionId, sessions.at(i));
        QVERIFY(e.at.isValid());
        QCOMPARE(e.at.timeSpec(), Qt::UTC);
        QVERIFY2(e.at >= before && e.at <= after, qPrintable(e.at.toString(Qt::ISODateWithMs)));
        QCOMPARE(e.lineNumber, i + 1);
    }
    QCOMPARE(events->at(0).data, (QJsonObject{{u"slot"_s, 419685246}, {u"batchIndex"_s, 3}}));
    QCOMPARE(events->at(1).data.value(u"reason").toString(), u"remote closed \"x\"\n\u00e9"_s);
    QCOMPARE(events->at(1).data.value(u"delay").toInt(), 1500);
    QCOMPARE(events->at(2).dataJson, diff); // exact, u64 max included
    QCOMPARE(events->at(2).data.value(u"account").toString(), u"3eF3iBQqi2DmDLS7o9y8gG7necF5VBbwYy5gqF7sh899"_s);
    QCOMPARE(events->at(3).dataJson, QByteArray("{}"));
    QVERIFY(events->at(3).data.isEmpty());
}

void tst_CaptureWriter::aStandardStreamHasNoEventsFile()
{
    // `--capture /dev/stdout > run.ndjson`: a file reached through a file
    // descriptor is written where the descriptor points, not refused as an
    // existing capture nor replaced by a temporary renamed over /dev/stdout,
    // and its events file is not put beside /dev/stdout (in /dev, as root).
    QTemporaryDir dir;
    const QString shellFile = dir.filePath(u"run.ndjson"_s);
    QFile held(shellFile);
    QVERIFY(held.open(QIODevice::WriteOnly)); // what the shell's `>` opened
    const QString viaDescriptor = u"/dev/fd/%1"_s.arg(held.handle());
    QCOMPARE(outputTargetAt(shellFile), OutputTarget::RegularFile);
    QCOMPARE(outputTargetAt(viaDescriptor), OutputTarget::Stream);
    QCOMPARE(outputTargetAt(u"/proc/self/fd/%1"_s.arg(held.handle())), OutputTarget::Stream);
    QCOMPARE(outputTargetAt(u"/dev/null"_s), OutputTarget::Stream);

    QCOMPARE(CaptureWriter::eventsFileWritten(viaDescriptor), QString());
    QCOMPARE(CaptureWriter::eventsFileWritten(u"/dev/null"_s), QString());
    QCOMPARE(CaptureWriter::eventsFileWritten(shellFile), dir.filePath(u"run.events.ndjson"_s));
    // A named pipe of the user's keeps its events file beside it.
    const QString fifo = dir.filePath(u"pipe.ndjson"_s);
    QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
    QCOMPARE(CaptureWriter::eventsFileWritten(fifo), dir.filePath(u"pipe.events.ndjson"_s));
    QVERIFY(!CaptureWriter::captureExists(viaDescriptor));

    CaptureWriter writer;
    const Result<void> opened = writer.open(viaDescriptor, {});
    QVERIFY2(opened, opened ? "" : qPrintable(opened.error().message));
    QCOMPARE(writer.eventsPath(), QString());
    QVERIFY(writer.appendTransaction(u"sess-1"_s, successTx(), {}) >= 0);
    writer.appendEvent(u"paused"_s, u"sess-1"_s, QJsonObject{{u"slot"_s, 419685246}});
    QVERIFY(writer.finish({u"sess-1"_s}));
    held.close();

    const QList<QByteArray> lines = fileLines(shellFile);
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lineObject(lines[1]).value(u"type"_s).toString(), u"tx"_s);
    QCOMPARE(lineObject(lines[2]).value(u"type"_s).toString(), u"summary"_s);
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::System | QDir::NoDotAndDotDot),
             (QStringList{u"pipe.ndjson"_s, u"run.ndjson"_s}));
}

void tst_CaptureWriter::unfinishedWriterLeavesValidFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"cut.ndjson"_s);
    {
        CaptureWriter writer;
        QVERIFY(writer.open(path, CaptureMetadata{1, 2, {}, 3, {}, {}}));
        writer.appendTransaction(u"s1"_s, successTx(), "{}");
        writer.appendTransaction(u"s2"_s, failedTx(), "{}");
        // destroyed without finish(): an interrupted run
    }
    const QList<QByteArray> lines = fileLines(path);
    QCOMPARE(lines.size(), 3);
    for (const QByteArray &line : lines)
        QVERIFY(!lineObject(line).isEmpty());
    QVERIFY(!lines.last().contains("\"summary\""));

    CaptureReader reader;
    QVERIFY(reader.open(path));
    CapturedTransaction tx;
    int n = 0;
    while (reader.readNext(tx))
        ++n;
    QCOMPARE(n, 2);
    QVERIFY(!reader.summary());
    QCOMPARE(reader.totals(), (CaptureSummary{2, 1, 1, {u"s1"_s, u"s2"_s}}));

    // close() also leaves no summary (the capture above is replaced: asked for).
    CaptureWriter writer;
    QVERIFY(writer.open(path, {}, CaptureWriter::Existing::ReplaceOnFirstData));
    writer.appendTransaction(u"s1"_s, successTx(), "{}");
    writer.close();
    QVERIFY(!writer.isOpen());
    QCOMPARE(fileLines(path).size(), 2);
    QVERIFY(!writer.finish({}));
    QCOMPARE(writer.appendTransaction(u"s1"_s, successTx(), "{}"), -1);
}

void tst_CaptureWriter::dataReachesTheOsByChunkAndByTime()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"flush.ndjson"_s);
    CaptureWriter writer;
    writer.setFlushPolicy(64 << 10, std::chrono::hours(1));
    QVERIFY(writer.open(path, {}));
    const qint64 metadataSize = QFileInfo(path).size();
    QVERIFY(metadataSize > 0); // the metadata line is written at once

    // Below the chunk size and before the interval: still buffered.
    writer.appendTransaction(u"s"_s, successTx(), "{}");
    QCOMPARE(QFileInfo(path).size(), metadataSize);
    QVERIFY(writer.bytesWritten() > metadataSize);
    // flush() hands everything to the OS.
    QVERIFY(writer.flush());
    QCOMPARE(QFileInfo(path).size(), writer.bytesWritten());

    // Reaching the chunk size writes without flush().
    const QByteArray raw = "{\"pad\":\"" + QByteArray(70 << 10, 'x') + "\"}";
    writer.appendTransaction(u"s"_s, successTx(), raw);
    QCOMPARE(QFileInfo(path).size(), writer.bytesWritten());

    // With a short interval, continued activity writes the buffer out.
    writer.setFlushPolicy(64 << 10, std::chrono::milliseconds(20));
    QVERIFY(writer.flush());
    const qint64 eventsBefore = QFileInfo(writer.eventsPath()).size();
    QCOMPARE(eventsBefore, 0);
    writer.appendEvent(u"slot"_s, u"s"_s, QJsonObject{{u"slot"_s, 1}});
    QCOMPARE(QFileInfo(writer.eventsPath()).size(), 0);
    QTRY_VERIFY_WITH_TIMEOUT((writer.appendEvent(u"slot"_s, u"s"_s, QJsonObject{{u"slot"_s, 2}}),
                              QFileInfo(writer.eventsPath()).size() > 0),
                             5000);
    QVERIFY(writer.finish({}));
}

void tst_CaptureWriter::openFailsOnMissingDirectory()
{
    QTemporaryDir dir;
    CaptureWriter writer;
    const auto r = writer.open(dir.filePath(u"no/such/dir/run.ndjson"_s), {});
    QVERIFY(!r);
    QVERIFY(r.error().message.contains(u"no/such/dir/run.ndjson"_s));
    QVERIFY(!writer.isOpen());
    QCOMPARE(writer.appendTransaction(u"s"_s, successTx(), "{}"), -1);
}

void tst_CaptureWriter::aFolderIsNeverACapture_data()
{
    QTest::addColumn<QString>("folder"); // the name a folder takes
    QTest::addColumn<int>("existing");
    for (const auto &[existing, name] : {std::pair{CaptureWriter::Existing::Refuse, "refuse"},
                                         std::pair{CaptureWriter::Existing::ReplaceOnFirstData, "replace"}}) {
        QTest::addRow("the capture, %s", name) << u"run.ndjson"_s << int(existing);
        QTest::addRow("the events file, %s", name) << u"run.events.ndjson"_s << int(existing);
    }
}

void tst_CaptureWriter::aFolderIsNeverACapture()
{
    // Replacing a folder once failed only at the first data (rename over a
    // folder), a run's transactions lost by then and a stray temporary left
    // beside it: refused at open, nothing created.
    QFETCH(QString, folder);
    QFETCH(int, existing);
    QTemporaryDir dir;
    QVERIFY(QDir(dir.path()).mkdir(folder));
    const QStringList before = QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot);
    CaptureWriter writer;
    const auto r = writer.open(dir.filePath(u"run.ndjson"_s), {}, CaptureWriter::Existing(existing));
    QVERIFY(!r);
    QVERIFY2(r.error().message.endsWith(dir.filePath(folder) + u": it is a folder"_s), qPrintable(r.error().message));
    QVERIFY(!writer.isOpen());
    QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot), before);
}

void tst_CaptureWriter::aCaptureDeletedUnderTheRunIsAnError()
{
    // The capture's folder removed mid-run: writes into the deleted files
    // still succeed and keep nothing. The next flush a second on says so,
    // as a full disk is said; nothing claims a capture that is not there.
    QTemporaryDir dir;
    const QString folder = dir.filePath(u"run"_s);
    QVERIFY(QDir().mkpath(folder));
    const QString path = QDir(folder).filePath(u"gone.ndjson"_s);
    CaptureWriter writer;
    QVERIFY(writer.open(path, {}));
    QVERIFY(writer.appendTransaction(u"s"_s, successTx(), "{}") >= 0);
    QVERIFY(writer.flush());
    QVERIFY(QDir(folder).removeRecursively());
    QVERIFY(writer.appendTransaction(u"s"_s, failedTx(), "{}") >= 0 || !writer.lastError().isEmpty());
    QTest::qWait(1100);
    const auto flushed = writer.flush();
    QVERIFY(!flushed);
    QVERIFY2(flushed.error().message.contains(u"was deleted while the run wrote it"_s),
             qPrintable(flushed.error().message));
    QVERIFY(!writer.finish({u"s"_s}));
}

void tst_CaptureWriter::writeErrorIsReported()
{
    // Simulate a full disk with a file size limit (EFBIG instead of ENOSPC).
    QTemporaryDir dir;
    const QString path = dir.filePath(u"full.ndjson"_s);
    auto limited = std::make_unique<FileSizeLimit>(256 << 10);
    QVERIFY(limited->ok());

    CaptureWriter writer;
    writer.setFlushPolicy(32 << 10, std::chrono::hours(1));
    const auto opened = writer.open(path, {});
    const QByteArray raw = "{\"pad\":\"" + QByteArray(20 << 10, 'x') + "\"}";
    int accepted = 0;
    for (int i = 0; i < 40; ++i) {
        if (writer.appendTransaction(u"s"_s, successTx(), raw) >= 0)
            ++accepted;
    }
    const auto flushed = writer.flush();
    const auto finished = writer.finish({u"s"_s});
    const QString lastError = writer.lastError();

    limited.reset();

    QVERIFY(opened);
    QVERIFY(!flushed);
    QVERIFY(!finished);
    QVERIFY(!lastError.isEmpty());
    QCOMPARE(flushed.error().message, lastError);
    QVERIFY(lastError.contains(path));
    QVERIFY(accepted > 0 && accepted < 40); // appends stop once the error is known
    QVERIFY(QFileInfo(path).size() <= (256 << 10));

    // What did reach the disk is readable to its end: the chunk that did not
    // fit was cut off again, so the file ends with its last complete line.
    checkCutAtACompleteLine(path, accepted, writer.transactionCount());
}

void tst_CaptureWriter::backgroundWritesKeepOffsetsAndFlush()
{
    // The default 1 MiB chunks go to the writer thread: offsets are known at
    // once, and after flush() every appended line is in the file (the GUI reads
    // a transaction back by offset right after the engine's flush).
    QTemporaryDir dir;
    const QString path = dir.filePath(u"background.ndjson"_s);
    CaptureWriter writer;
    QVERIFY(writer.open(path, {}));
    QList<qint64> offsets;
    QList<QByteArray> raws;
    for (int i = 0; i < 300; ++i) { // ~6 MiB: several chunks through the queue
        raws.append("{\"i\":" + QByteArray::number(i) + ",\"pad\":\"" + QByteArray(20 << 10, char('a' + i % 26)) + "\"}");
        const qint64 offset = writer.appendTransaction(u"s"_s, successTx(), raws.last());
        QVERIFY(offset > 0);
        QVERIFY(offsets.isEmpty() || offset > offsets.last());
        QCOMPARE(writer.bytesWritten() > offset, true);
        offsets.append(offset);
        if (i % 97 == 0) {
            writer.appendEvent(u"slot"_s, u"s"_s, QJsonObject{{u"slot"_s, i}});
            QVERIFY(writer.flush());
            QCOMPARE(QFileInfo(path).size(), writer.bytesWritten());
            QCOMPARE(*CaptureReader::readRawTransaction(path, offset), raws.last());
        }
    }
    QVERIFY(writer.flush());
    QCOMPARE(QFileInfo(path).size(), writer.bytesWritten());
    for (qsizetype i = 0; i < offsets.size(); i += 37)
        QCOMPARE(*CaptureReader::readRawTransaction(path, offsets.at(i)), raws.at(i));
    QVERIFY(writer.finish({u"s"_s}));
    QVERIFY(writer.lastError().isEmpty());

    const auto all = CaptureReader::readAllTransactions(path);
    QVERIFY(all.ok());
    QCOMPARE(all->size(), 300);
    const auto events = CaptureEventReader::readAll(writer.eventsPath());
    QVERIFY(events.ok());
    QCOMPARE(events->size(), 4);
}

void tst_CaptureWriter::aLongCaptureLeavesThePageCache()
{
#if !defined(Q_OS_LINUX)
    QSKIP("sync_file_range and mincore are Linux's");
#else
    // 160 MiB through the writer thread, 8 MiB at a time and no faster than
    // a slow disk takes it: what lies behind the last windows was written
    // back and dropped from the page cache (without write-behind all of it
    // stays), and every line still reads back.
    QTemporaryDir dir;
    struct statfs fs{};
    QCOMPARE(::statfs(QFile::encodeName(dir.path()).constData(), &fs), 0);
    // ext2/3/4, XFS, Btrfs: local file systems whose cached pages fadvise drops
    // (tmpfs cannot; an overlay may not pass the advice on).
    const auto type = quint64(fs.f_type);
    if (type != 0xEF53 && type != 0x58465342 && type != 0x9123683E)
        QSKIP("the temporary directory is not on ext4, XFS or Btrfs");
    // Twice with one writer, as the engine runs one capture after another.
    CaptureWriter writer;
    const QByteArray pad(64 << 10, 'x');
    for (const QString &name : {u"long.ndjson"_s, u"next.ndjson"_s}) {
        const QString path = dir.filePath(name);
        QVERIFY(writer.open(path, {}));
        QList<qint64> offsets;
        for (int i = 0; i < 2560; ++i) {
            offsets.append(writer.appendTransaction(u"s"_s, successTx(),
                                                    "{\"i\":" + QByteArray::number(i) + ",\"pad\":\"" + pad + "\"}"));
            if (i % 128 == 127) {
                QVERIFY(writer.flush());
                QTest::qWait(40); // ≤ 200 MB/s
            }
        }
        QVERIFY(writer.flush());
        const qint64 size = QFileInfo(path).size();
        QVERIFY(size > 160 << 20);

        // Pages of the file in the page cache, counted with mincore() over a map of it.
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        void *map = ::mmap(nullptr, size_t(size), PROT_READ, MAP_SHARED, file.handle(), 0);
        QVERIFY(map != MAP_FAILED);
        const long page = ::sysconf(_SC_PAGESIZE);
        std::vector<unsigned char> resident(size_t((size + page - 1) / page));
        QCOMPARE(::mincore(map, size_t(size), resident.data()), 0);
        const auto cached = std::count_if(resident.cbegin(), resident.cend(), [](unsigned char r) { return r & 1; });
        ::munmap(map, size_t(size));
        const qint64 cachedBytes = qint64(cached) * page;
        QVERIFY2(cachedBytes <= size / 2, qPrintable(u"%1: %2 of %3 MiB still cached"_s.arg(name)
                                                         .arg(cachedBytes >> 20).arg(size >> 20)));

        QVERIFY(writer.finish({u"s"_s}));
        for (qsizetype i = 0; i < offsets.size(); i += 499)
            QVERIFY(CaptureReader::readRawTransaction(path, offsets.at(i))->startsWith("{\"i\":" + QByteArray::number(i) + ","));
    }
#endif
}

void tst_CaptureWriter::backgroundWriteErrorIsReported()
{
    // As writeErrorIsReported, with the default chunk size: the error happens
    // on the writer thread and surfaces from flush()/finish()/lastError().
    QTemporaryDir dir;
    const QString path = dir.filePath(u"full-background.ndjson"_s);
    auto limited = std::make_unique<FileSizeLimit>(3 << 20);
    QVERIFY(limited->ok());

    CaptureWriter writer;
    const auto opened = writer.open(path, {});
    const QByteArray raw = "{\"pad\":\"" + QByteArray(20 << 10, 'x') + "\"}";
    int accepted = 0;
    for (int i = 0; i < 1000; ++i) { // ~20 MiB, below the queue bound: no waiting needed
        if (writer.appendTransaction(u"s"_s, successTx(), raw) >= 0)
            ++accepted;
    }
    const auto flushed = writer.flush();
    const QString errorAfterFlush = writer.lastError();
    const qint64 rejected = writer.appendTransaction(u"s"_s, successTx(), raw);
    const auto finished = writer.finish({u"s"_s});

    limited.reset();

    QVERIFY(opened);
    QVERIFY(accepted > 0);
    QVERIFY(!flushed);
    QVERIFY(!finished);
    QVERIFY(!errorAfterFlush.isEmpty());
    QCOMPARE(flushed.error().message, errorAfterFlush);
    QCOMPARE(finished.error().message, errorAfterFlush);
    QVERIFY(errorAfterFlush.contains(path));
    QVERIFY2(errorAfterFlush.contains(u"over the file-size limit (ulimit -f)?"_s), qPrintable(errorAfterFlush));
    QCOMPARE(rejected, qint64(-1));
    QVERIFY(QFileInfo(path).size() <= (3 << 20));

    checkCutAtACompleteLine(path, accepted, writer.transactionCount());
}

void tst_CaptureWriter::existingCaptureIsRefused_data()
{
    QTest::addColumn<bool>("captureExists");
    QTest::addColumn<bool>("eventsExist");
    QTest::addRow("capture and events") << true << true;
    QTest::addRow("capture alone") << true << false;
    QTest::addRow("events file alone") << false << true;
}

void tst_CaptureWriter::existingCaptureIsRefused()
{
    // An existing capture is never truncated by accident (issue 9 item 1).
    QFETCH(bool, captureExists);
    QFETCH(bool, eventsExist);
    QTemporaryDir dir;
    const QString path = dir.filePath(u"keep.ndjson"_s);
    const QString events = CaptureWriter::eventsPathFor(path);
    const QByteArray oldCapture = "{\"type\":\"metadata\",\"data\":{\"start_slot\":1,\"end_slot\":2}}\n";
    const QByteArray oldEvents = "{\"type\":\"completed\",\"session_id\":\"s\",\"at\":\"x\",\"data\":{}}\n";
    for (const auto &[exists, file, bytes] : {std::tuple{captureExists, path, oldCapture},
                                              std::tuple{eventsExist, events, oldEvents}}) {
        if (!exists)
            continue;
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QCOMPARE(f.write(bytes), bytes.size());
    }
    QVERIFY(CaptureWriter::captureExists(path));

    CaptureWriter writer;
    const auto opened = writer.open(path, CaptureMetadata{5, 6, {}, 7, {}, {}});
    QVERIFY(!opened);
    QVERIFY2(opened.error().message.contains(u"already exists"_s), qPrintable(opened.error().message));
    QVERIFY(!writer.isOpen());
    QCOMPARE(fileBytes(path), captureExists ? oldCapture : QByteArray("<missing>"));
    QCOMPARE(fileBytes(events), eventsExist ? oldEvents : QByteArray("<missing>"));
}

void tst_CaptureWriter::replacementWaitsForTheFirstData_data()
{
    QTest::addColumn<QString>("firstData"); // "" = none: the run ends before it had data
    QTest::addColumn<bool>("finished");
    QTest::addRow("failed before any session") << QString() << false;
    QTest::addRow("finished without data") << QString() << true;
    QTest::addRow("session_created") << u"session_created"_s << false;
    QTest::addRow("session_attached") << u"session_attached"_s << false;
    QTest::addRow("a transaction") << u"tx"_s << false;
}

void tst_CaptureWriter::replacementWaitsForTheFirstData()
{
    // With Existing::ReplaceOnFirstData the old capture stays byte for byte
    // until the new run has data: connection events and errors of a run the
    // server never accepted (wrong API key, unreachable) do not replace it.
    QFETCH(QString, firstData);
    QFETCH(bool, finished);
    QTemporaryDir dir;
    const QString path = dir.filePath(u"keep.ndjson"_s);
    {
        CaptureWriter old;
        QVERIFY(old.open(path, CaptureMetadata{1, 2, {}, 3, {}, {}}));
        old.appendEvent(u"session_created"_s, u"old"_s, QJsonObject{{u"session_id"_s, u"old"_s}});
        for (int i = 0; i < 50; ++i)
            QVERIFY(old.appendTransaction(u"old"_s, successTx(), "{\"old\":true}") > 0);
        QVERIFY(old.finish({u"old"_s}));
    }
    const QByteArray oldCapture = fileBytes(path);
    const QByteArray oldEvents = fileBytes(CaptureWriter::eventsPathFor(path));
    QVERIFY(oldCapture.size() > 1000);

    CaptureWriter writer;
    QVERIFY(writer.open(path, CaptureMetadata{10, 20, {}, 30, {}, {}}, CaptureWriter::Existing::ReplaceOnFirstData));
    QCOMPARE(writer.path(), path);
    QVERIFY(writer.isReplacementPending());
    writer.appendEvent(u"connection"_s, {}, QJsonObject{{u"socket"_s, u"control"_s}, {u"status"_s, u"Down"_s}});
    writer.appendEvent(u"error"_s, {}, QJsonObject{{u"message"_s, u"API key rejected"_s}});
    QVERIFY(writer.flush());
    // Not yet: the old files are untouched while the new run has no data.
    QCOMPARE(fileBytes(path), oldCapture);
    QCOMPARE(fileBytes(CaptureWriter::eventsPathFor(path)), oldEvents);

    if (firstData == u"tx")
        QVERIFY(writer.appendTransaction(u"new"_s, failedTx(), "{\"new\":true}") > 0);
    else if (!firstData.isEmpty())
        writer.appendEvent(firstData, u"new"_s, QJsonObject{{u"session_id"_s, u"new"_s}});
    const bool replaced = !firstData.isEmpty() || finished;
    QCOMPARE(writer.isReplacementPending(), firstData.isEmpty()); // finish() replaces below
    if (finished)
        QVERIFY(writer.finish({}));
    else
        writer.close();
    QVERIFY(writer.lastError().isEmpty());

    // Either the old capture byte for byte, or wholly the new one; never a
    // temporary file left beside it.
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files),
             (QStringList{u"keep.events.ndjson"_s, u"keep.ndjson"_s}));
    if (!replaced) {
        QCOMPARE(fileBytes(path), oldCapture);
        QCOMPARE(fileBytes(CaptureWriter::eventsPathFor(path)), oldEvents);
        return;
    }
    const QList<QByteArray> lines = fileLines(path);
    QVERIFY(!lines.isEmpty());
    QCOMPARE(lineObject(lines.first()).value(u"data"_s).toObject().value(u"start_slot"_s).toInteger(), 10);
    QCOMPARE(readCapture(path).transactions, firstData == u"tx" ? 1 : 0);
    const auto events = CaptureEventReader::readAll(CaptureWriter::eventsPathFor(path));
    QVERIFY(events.ok());
    QStringList types;
    for (const CaptureEvent &event : *events)
        types.append(event.type);
    QStringList expected{u"connection"_s, u"error"_s};
    if (firstData.startsWith(u"session_"))
        expected.append(firstData);
    QCOMPARE(types, expected);
}

QTEST_GUILESS_MAIN(tst_CaptureWriter)
#include "tst_capturewriter.moc"
