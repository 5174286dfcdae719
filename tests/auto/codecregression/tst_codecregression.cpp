// Replays every input under tests/fuzz/regressions/<target>/ (inputs a fuzz
// target once failed on, and hand-made edge cases) through the same checks the
// fuzz targets run (tests/fuzz/fuzzdrivers.cpp), in the normal build. Each
// input that exposed a problem also has a test below that pins the behaviour
// we want for it. The sanitizer side of the same inputs runs in
// scripts/run-fuzz.sh, which loads this directory into every fuzz target.

#include "fuzzdrivers.h"

#include "capture/captureparsing.h"
#include "capture/capturereader.h"
#include "protocol/controlmessages.h"
#include "protocol/dataplane.h"
#include "protocol/transactionsummary.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <limits>

using namespace SlotScope;
using namespace Qt::StringLiterals;

namespace {

const QStringList kTargets{u"controlcodec"_s, u"dataplanecodec"_s, u"capturelines"_s};

QString regressionsDir()
{
    return QStringLiteral(SLOTSCOPE_FUZZ_REGRESSIONS_DIR);
}

QByteArray regression(const QString &target, const QString &name)
{
    QFile file(regressionsDir() + u'/' + target + u'/' + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read regression input %s", qPrintable(file.fileName()));
    return file.readAll();
}

/// The input as one line of an NDJSON file, through simdjson-padded parsing.
Internal::ParsedLine parseCaptureLine(const QByteArray &line)
{
    QByteArray padded = line;
    padded.append(QByteArray(simdjson::SIMDJSON_PADDING, '\0'));
    simdjson::ondemand::parser parser;
    Internal::TxView view;
    Internal::ParsedLine parsed;
    Internal::parseLine(parser, padded.constData(), size_t(line.size()), size_t(padded.size()),
                        Internal::TxLogs | Internal::TxBalanceChanges, view, parsed);
    return parsed;
}

} // namespace

class tst_CodecRegression : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void replay_data();
    void replay();

    void loneSurrogateInErrorText();
    void eventLineWithoutData();
    void feePayerBalanceBeyondInt64();
    void deepNesting();
    void ingestLogsWithoutMeta();
    void errorFieldInCamelCase();
};

void tst_CodecRegression::initTestCase()
{
    for (const QString &target : kTargets) {
        const QDir dir(regressionsDir() + u'/' + target);
        QVERIFY2(dir.exists(), qPrintable(dir.path()));
        QVERIFY2(!dir.entryList(QDir::Files).isEmpty(), qPrintable(dir.path() + u" is empty"_s));
    }
}

void tst_CodecRegression::replay_data()
{
    QTest::addColumn<QString>("path");
    for (const QString &target : kTargets) {
        const QDir dir(regressionsDir() + u'/' + target);
        for (const QString &name : dir.entryList(QDir::Files, QDir::Name))
            QTest::addRow("%s/%s", qPrintable(target), qPrintable(name)) << dir.filePath(name);
    }
}

// Every input goes through every family: the invariants hold for any bytes.
void tst_CodecRegression::replay()
{
    QFETCH(QString, path);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray input = file.readAll();

    QStringList violations;
    violations << Internal::checkControlCodec(input);
    violations << Internal::checkDataPlaneCodec(input);
    violations << Internal::checkCaptureLine(input);
    QVERIFY2(violations.isEmpty(), qPrintable(violations.join(u"; "_s)));
}

// Fuzz finding (controlcodec): "\ud800" decodes to a lone surrogate, which the
// strict encoder cannot write as UTF-8. The first re-encoding must still be a
// valid frame, and from then on encode → decode is exact.
void tst_CodecRegression::loneSurrogateInErrorText()
{
    const QByteArray input = regression(u"controlcodec"_s, u"lone-surrogate-in-error-text"_s);
    const auto frame = decodeControlResponse(input);
    QVERIFY2(frame, qPrintable(frame ? QString() : frame.error().message));
    const auto *error = std::get_if<Responses::Error>(&frame->response);
    QVERIFY(error);
    QCOMPARE(error->error.kind, BacktestErrorKind::InvalidRequest);
    QVERIFY(!error->error.fields.value(u"error"_s).toString().isValidUtf16());

    const QByteArray encoded = encodeControlResponse(frame->response);
    QCOMPARE(QString::fromUtf8(encoded).toUtf8(), encoded); // valid UTF-8
    const auto again = decodeControlResponse(encoded);
    QVERIFY(again);
    QVERIFY(std::get_if<Responses::Error>(&again->response)->error.fields.value(u"error"_s).toString().isValidUtf16());
    const auto third = decodeControlResponse(encodeControlResponse(again->response));
    QVERIFY(third);
    QVERIFY(third->response == again->response);
}

// Fuzz finding (capturelines): an events line without `data` (here even with a
// stray closing brace) is read as an event whose data is empty, not rejected
// and not a crash; the same line in the transaction stream is malformed.
void tst_CodecRegression::eventLineWithoutData()
{
    const QByteArray line = regression(u"capturelines"_s, u"event-line-without-data"_s);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile file(dir.filePath(u"run.events.ndjson"_s));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(line + '\n');
    file.close();

    const auto events = CaptureEventReader::readAll(file.fileName());
    QVERIFY2(events, qPrintable(events ? QString() : events.error().message));
    QCOMPARE(events->size(), 1);
    QCOMPARE(events->at(0).type, u"tx"_s);
    QCOMPARE(events->at(0).dataJson, QByteArray());
    QVERIFY(events->at(0).data.isEmpty());

    const Internal::ParsedLine parsed = parseCaptureLine(line);
    QCOMPARE(parsed.kind, Internal::LineKind::Malformed);
    QVERIFY2(parsed.problem.starts_with("trailing characters after the JSON object"), parsed.problem.c_str());
}

// Found by feeding the dataplanecodec target a hand-made input (UBSan: signed
// overflow in TransactionSummarizer's fee payer SOL change). Balances are u64;
// the change is their difference modulo 2^64 as a signed number.
void tst_CodecRegression::feePayerBalanceBeyondInt64()
{
    const QByteArray input = regression(u"dataplanecodec"_s, u"fee-payer-balance-beyond-int64"_s);
    TransactionSummarizer summarizer;
    const auto summary = summarizer.summarize(input);
    QVERIFY2(summary, qPrintable(summary ? QString() : summary.error().message));
    QCOMPARE(summary->feePayerSolChange, std::numeric_limits<qint64>::max());
    QCOMPARE(summary->solChanges.size(), 1);
    QCOMPARE(summary->solChanges.at(0), (SolChange{u"A"_s, 1, quint64(1) << 63}));
}

// 5000 levels of nesting: the iterative scanner spans it, the DOM decoders
// refuse it with an error instead of recursing off the stack.
void tst_CodecRegression::deepNesting()
{
    const QByteArray arrays = regression(u"dataplanecodec"_s, u"deep-nesting"_s);
    const auto span = jsonValueSpan(arrays, 0);
    QVERIFY(span);
    QCOMPARE(span->first, 0);
    QCOMPARE(span->second, arrays.size());
    QVERIFY(!decodeDataPlaneMessage(arrays));
    QVERIFY(!decodeSubscribeRequest(arrays));
    TransactionSummarizer summarizer;
    QVERIFY(!summarizer.summarize(arrays));

    const QByteArray request = regression(u"controlcodec"_s, u"deep-nesting-in-params"_s);
    QVERIFY(!decodeControlRequest(request));
    QVERIFY(!decodeControlResponse(request));

    const QByteArray line = regression(u"capturelines"_s, u"deep-nesting-in-data"_s);
    QCOMPARE(parseCaptureLine(line).kind, Internal::LineKind::Malformed);
}

// Found by the dataplanecodec target (its Ingest-vs-Full invariant): a
// transaction whose meta is null has no logs, and the live ingest path must
// still hand the capture an empty JSON array, not nothing.
void tst_CodecRegression::ingestLogsWithoutMeta()
{
    const QByteArray input = regression(u"dataplanecodec"_s, u"ingest-logs-without-meta"_s);
    TransactionSummarizer summarizer;
    summarizer.setDetail(TransactionSummarizer::Detail::Ingest);
    const auto summary = summarizer.summarize(input);
    QVERIFY2(summary, qPrintable(summary ? QString() : summary.error().message));
    QVERIFY(!summary->logsPresent);
    QCOMPARE(summary->logsJson, QByteArray("[]"));
}

// Fuzz finding (controlcodec): a declared error field in camelCase
// ("endSlot") was kept as received but written back snake_case, so
// encode → decode changed the value. Decoding keeps it under its wire name;
// both casings decode to the same error, and extra fields stay as received.
void tst_CodecRegression::errorFieldInCamelCase()
{
    const QByteArray input = regression(u"controlcodec"_s, u"error-field-in-camel-case"_s);
    const auto frame = decodeControlResponse(input);
    QVERIFY2(frame, qPrintable(frame ? QString() : frame.error().message));
    const auto *error = std::get_if<Responses::Error>(&frame->response);
    QVERIFY(error);
    QCOMPARE(error->error.kind, BacktestErrorKind::BundleNotFound);
    QCOMPARE(error->error.fields.value(u"end_slot"_s).toInteger(), 5);
    QVERIFY(!error->error.fields.contains(u"endSlot"_s));
    QCOMPARE(error->error.fields.value(u"sendSummary"_s).toBool(), true); // not declared: as received
    QCOMPARE(error->error.message(), u"bundle not found for slots ..5"_s);

    const auto snake = decodeControlResponse(
        R"({"method":"error","params":{"bundleNotFound":{"start_slot":2,"end_slot":5}}})");
    const auto camel = decodeControlResponse(
        R"({"method":"error","params":{"bundleNotFound":{"startSlot":2,"endSlot":5}}})");
    QVERIFY(snake && camel);
    QVERIFY(snake->response == camel->response);

    const auto again = decodeControlResponse(encodeControlResponse(frame->response));
    QVERIFY(again);
    QVERIFY(again->response == frame->response);
}

QTEST_GUILESS_MAIN(tst_CodecRegression)
#include "tst_codecregression.moc"
