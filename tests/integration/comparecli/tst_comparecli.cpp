// `slotscope compare BASELINE EXPERIMENT [--csv FILE]` as a process, without
// a display (DESIGN.md §5): the report on stdout, the CSV (every section in
// the long table, or one section's own columns), exit codes.

#include "capture/capturecomparison.h"
#include "capture/capturewriter.h"
#include "protocol/transactionsummary.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace SlotScope;
using namespace Qt::StringLiterals;

namespace {

QString slotscopeBinary()
{
    return QStringLiteral(SLOTSCOPE_BINARY_DIR) + u"/bin/slotscope"_s;
}

TransactionSummary tx(const QString &signature, quint64 slot, bool success, quint64 fee)
{
    TransactionSummary s;
    s.signature = signature;
    s.slot = slot;
    s.success = success;
    s.error = success ? QString() : u"custom program error: 0x1771"_s;
    s.fee = fee;
    s.computeUnitsConsumed = 1000;
    s.feePayer = u"Payer1111111111111111111111111111111111111"_s;
    s.solChanges = {{s.feePayer, 1000000, 1000000 - fee}};
    return s;
}

QString writeCapture(const QString &path, const QList<TransactionSummary> &txs)
{
    CaptureWriter writer;
    if (!writer.open(path, CaptureMetadata{1, 9, {}, 1780023967, {}, {}}))
        qFatal("cannot open %s", qPrintable(path));
    for (const TransactionSummary &s : txs)
        writer.appendTransaction(u"s"_s, s, {});
    if (!writer.finish({u"s"_s}))
        qFatal("cannot finish %s", qPrintable(path));
    return path;
}

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

Run run(const QStringList &arguments)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // No display of any kind: the command must not need one.
    env.remove(u"DISPLAY"_s);
    env.remove(u"WAYLAND_DISPLAY"_s);
    env.remove(u"QT_QPA_PLATFORM"_s);
    process.setProcessEnvironment(env);
    process.start(slotscopeBinary(), QStringList{u"compare"_s} + arguments);
    if (!process.waitForFinished(60000))
        qFatal("slotscope compare did not finish");
    return Run{process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
               QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
}

} // namespace

class tst_CompareCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void reportAndLongCsv();
    void oneSectionCsv();
    void failOnRegressions();
    void usageErrors_data();
    void usageErrors();
    void unreadableCapture();
    void existingCsvIsRefused();

private:
    QTemporaryDir m_dir;
    QString m_baseline;
    QString m_experiment;
};

void tst_CompareCli::initTestCase()
{
    QVERIFY2(QFile::exists(slotscopeBinary()), qPrintable(slotscopeBinary()));
    m_baseline = writeCapture(m_dir.filePath(u"baseline.ndjson"_s),
                              {tx(u"sigA"_s, 1, true, 5000), tx(u"sigB"_s, 2, true, 5000), tx(u"sigC"_s, 3, true, 5000)});
    m_experiment = writeCapture(m_dir.filePath(u"experiment.ndjson"_s),
                                {tx(u"sigA"_s, 1, true, 5000), tx(u"sigB"_s, 2, false, 5000), tx(u"sigC"_s, 3, true, 7000),
                                 tx(u"sigD"_s, 4, true, 5000)});
}

void tst_CompareCli::reportAndLongCsv()
{
    const QString csvPath = m_dir.filePath(u"all.csv"_s);
    const Run r = run({m_baseline, m_experiment, u"--csv"_s, csvPath});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(r.err.isEmpty());
    QVERIFY(r.out.contains(u"== regressions (1)"_s));
    QVERIFY(r.out.contains(u"sigB  slot 2  ok → custom program error: 0x1771"_s));
    QVERIFY(r.out.contains(u"== fees (1)"_s));
    QVERIFY(r.out.contains(u"sigC  slot 3  5000 → 7000 (+2000)"_s));
    QVERIFY(r.out.contains(u"== only_experiment (1)"_s));
    QFile csv(csvPath);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QByteArray content = csv.readAll();
    const auto result = compareCaptures(m_baseline, m_experiment);
    QVERIFY(result);
    QCOMPARE(content, comparisonCsvAll(*result));
    QVERIFY(content.startsWith("section,key,slot,mint,owner,metric,baseline,experiment,delta,baseline_error,experiment_error\r\n"));
    QVERIFY(content.contains("regressions,sigB,2,,,success,true,false,,,custom program error: 0x1771\r\n"));
}

void tst_CompareCli::oneSectionCsv()
{
    const QString csvPath = m_dir.filePath(u"fees.csv"_s);
    const Run r = run({m_baseline, m_experiment, u"--section"_s, u"fees"_s, u"--csv"_s, csvPath});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains(u"== fees (1)"_s));
    QVERIFY(!r.out.contains(u"== regressions"_s));
    QFile csv(csvPath);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    QCOMPARE(csv.readAll(), QByteArray("signature,slot,baseline_fee,experiment_fee,fee_delta\r\nsigC,3,5000,7000,2000\r\n"));
}

void tst_CompareCli::failOnRegressions()
{
    QCOMPARE(run({m_baseline, m_experiment, u"--fail-on-regressions"_s}).exitCode, 3);
    QCOMPARE(run({m_baseline, m_baseline, u"--fail-on-regressions"_s}).exitCode, 0);
}

void tst_CompareCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::addRow("one file") << QStringList{u"a.ndjson"_s} << u"expected two captures"_s;
    QTest::addRow("bad section") << QStringList{u"a"_s, u"b"_s, u"--section"_s, u"nope"_s} << u"unknown section nope"_s;
    QTest::addRow("unknown option") << QStringList{u"a"_s, u"b"_s, u"--frobnicate"_s} << u"frobnicate"_s;
    QTest::addRow("bad rows") << QStringList{u"a"_s, u"b"_s, u"--rows"_s, u"x"_s} << u"--rows"_s;
    QTest::addRow("overwrite without csv") << QStringList{u"a"_s, u"b"_s, u"--overwrite"_s}
                                           << u"--overwrite needs --csv"_s;
}

void tst_CompareCli::usageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    const Run r = run(arguments);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.startsWith(u"slotscope compare: "_s), qPrintable(r.err));
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
    QCOMPARE(r.err.count(u'\n'), 1);
}

void tst_CompareCli::existingCsvIsRefused()
{
    // As `--headless --csv` and the window: an existing file is replaced only
    // when asked, and refusing it happens before any work.
    const QString csvPath = m_dir.filePath(u"keep.csv"_s);
    const QByteArray earlier = "an earlier comparison\n";
    {
        QFile file(csvPath);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(earlier);
    }
    const Run refused = run({m_baseline, m_experiment, u"--section"_s, u"fees"_s, u"--csv"_s, csvPath});
    QCOMPARE(refused.exitCode, 2);
    QVERIFY2(refused.err.contains(u"--csv: %1 already exists; pass --overwrite to replace it"_s.arg(csvPath)),
             qPrintable(refused.err));
    QVERIFY(refused.out.isEmpty());
    QFile kept(csvPath);
    QVERIFY(kept.open(QIODevice::ReadOnly));
    QCOMPARE(kept.readAll(), earlier);
    kept.close();

    const Run replaced =
        run({m_baseline, m_experiment, u"--section"_s, u"fees"_s, u"--csv"_s, csvPath, u"--overwrite"_s});
    QCOMPARE(replaced.exitCode, 0);
    QFile csv(csvPath);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    QCOMPARE(csv.readAll(), QByteArray("signature,slot,baseline_fee,experiment_fee,fee_delta\r\nsigC,3,5000,7000,2000\r\n"));
}

void tst_CompareCli::unreadableCapture()
{
    const Run r = run({m_dir.filePath(u"missing.ndjson"_s), m_experiment});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.err.contains(u"Baseline: "_s));
    const Run help = run({u"--help"_s});
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.out.contains(u"slotscope compare"_s));
    QVERIFY(help.out.contains(u"--fail-on-regressions"_s));
}

QTEST_GUILESS_MAIN(tst_CompareCli)
#include "tst_comparecli.moc"
