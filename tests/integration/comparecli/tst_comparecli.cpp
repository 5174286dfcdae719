// `slotscope compare BASELINE EXPERIMENT [--csv FILE]` as a process, without
// a display (DESIGN.md §5): the report on stdout, the CSV (every section in
// the long table, or one section's own columns), exit codes.

#include "capture/capturecomparison.h"
#include "capture/capturewriter.h"
#include "protocol/transactionsummary.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <thread>

#include <sys/stat.h>
#include <unistd.h>
#include <sys/sysmacros.h>
#include <unistd.h>

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

Run run(const QStringList &arguments, const QString &stdoutFile = {})
{
    QProcess process;
    if (!stdoutFile.isEmpty())
        process.setStandardOutputFile(stdoutFile);
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
    void aCaptureIsNeverTheCsv();
    void aRunCutShortFailsTheGate();
    void aCaptureMissingLinesFailsTheGate();
    void aLostReportIsAnError();
    void aCsvThatCannotBeCreatedFailsFirst();
    void csvOntoAFullDisk();
    void csvIntoAPipe();
    void csvOnStandardOutputHasItToItself();
    void aPartialTotalIsNotCompared();
    void aSectionNotComparedIsSaid();

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
    // A capture against itself passes, but says why it could not fail.
    const Run itself = run({m_baseline, m_baseline, u"--fail-on-regressions"_s});
    QCOMPARE(itself.exitCode, 0);
    QVERIFY2(itself.err.contains(u"the baseline and the experiment are the same file, %1"_s.arg(m_baseline)),
             qPrintable(itself.err));
    QVERIFY(run({m_baseline, m_experiment}).err.isEmpty());
}

void tst_CompareCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::addRow("one file") << QStringList{u"a.ndjson"_s} << u"expected two captures"_s;
    QTest::addRow("bad section") << QStringList{u"a"_s, u"b"_s, u"--section"_s, u"nope"_s} << u"unknown section nope (one of summary, regressions, improvements,"_s;
    QTest::addRow("unknown option") << QStringList{u"a"_s, u"b"_s, u"--frobnicate"_s} << u"frobnicate"_s;
    QTest::addRow("bad rows") << QStringList{u"a"_s, u"b"_s, u"--rows"_s, u"x"_s} << u"--rows"_s;
    QTest::addRow("overwrite without csv") << QStringList{u"a"_s, u"b"_s, u"--overwrite"_s}
                                           << u"--overwrite needs --csv"_s;
    QTest::addRow("empty csv") << QStringList{u"a"_s, u"b"_s, u"--csv"_s, QString()}
                               << u"--csv: the name is empty (an unset variable?)"_s;
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

void tst_CompareCli::aCaptureIsNeverTheCsv()
{
    // `--csv` naming a capture being compared (by its own name, another
    // spelling or a hard link) is refused even with --overwrite: the capture
    // would be lost to a table made from it.
    const auto bytesOf = [](const QString &path) {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    };
    const QByteArray baseline = bytesOf(m_baseline);
    const QByteArray experiment = bytesOf(m_experiment);
    QVERIFY(!baseline.isEmpty() && !experiment.isEmpty());
    const QString link = m_dir.filePath(u"experiment-link.csv"_s);
    QFile::remove(link);
    QCOMPARE(::link(QFile::encodeName(m_experiment).constData(), QFile::encodeName(link).constData()), 0);
    const QString respelled = QFileInfo(m_baseline).absolutePath() + u"/./"_s + QFileInfo(m_baseline).fileName();
    const QList<std::pair<QString, QString>> targets{{m_baseline, m_baseline}, {respelled, m_baseline},
                                                     {link, m_experiment}};
    for (const auto &[csvPath, capture] : targets) {
        const Run refused = run({m_baseline, m_experiment, u"--csv"_s, csvPath, u"--overwrite"_s});
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(refused.err.contains(u"--csv: %1 is a capture being compared; name the CSV differently"_s.arg(capture)),
                 qPrintable(refused.err));
        QVERIFY(refused.out.isEmpty());
    }
    QCOMPARE(bytesOf(m_baseline), baseline);
    QCOMPARE(bytesOf(m_experiment), experiment);
    QFile::remove(link);
}

void tst_CompareCli::aRunCutShortFailsTheGate()
{
    // An experiment that failed at its start leaves its metadata line only:
    // without a regression to see, the gate once passed on it.
    const QString cut = m_dir.filePath(u"cut.ndjson"_s);
    {
        CaptureWriter writer;
        QVERIFY(writer.open(cut, CaptureMetadata{1, 9, {}, 1780023967, {}, {}}));
        QVERIFY(writer.appendTransaction(u"s"_s, tx(u"sigA"_s, 1, true, 5000), {}) >= 0);
        QVERIFY(writer.flush());
        writer.close();
    }
    const Run r = run({m_baseline, cut, u"--fail-on-regressions"_s});
    QCOMPARE(r.exitCode, 4);
    QCOMPARE(r.err, u"slotscope compare: the experiment may lack transactions: no summary line (a run cut short or "
                    "failed)\nslotscope compare: regressions cannot be ruled out\n"_s);
    QVERIFY(r.out.contains(u"warning: experiment: no summary line (a run cut short)"_s));
    // (After the note that both are the same file.)
    QVERIFY(run({cut, cut, u"--fail-on-regressions"_s})
                .err.endsWith(u"\nslotscope compare: the baseline may lack transactions: no summary line (a run cut "
                              "short or failed)\nslotscope compare: the experiment may lack transactions: no summary "
                              "line (a run cut short or failed)\nslotscope compare: regressions cannot be ruled out\n"_s));
    // Regressions still say so first; without the gate a cut run compares.
    QCOMPARE(run({m_baseline, m_experiment, u"--fail-on-regressions"_s}).exitCode, 3);
    QCOMPARE(run({m_baseline, cut}).exitCode, 0);
    // Regressions in a run cut short: exit 3, and what it may lack is said too.
    QFile whole(m_experiment);
    QVERIFY(whole.open(QIODevice::ReadOnly));
    QByteArray withoutSummary;
    for (const QByteArray &line : whole.readAll().split('\n')) {
        if (!line.isEmpty() && !line.startsWith(R"({"type":"summary")"))
            withoutSummary += line + '\n';
    }
    const QString cutExperiment = m_dir.filePath(u"cut-experiment.ndjson"_s);
    QFile out(cutExperiment);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(withoutSummary);
    out.close();
    const Run both = run({m_baseline, cutExperiment, u"--fail-on-regressions"_s});
    QCOMPARE(both.exitCode, 3);
    QVERIFY2(both.err.contains(u"the experiment may lack transactions: no summary line"_s), qPrintable(both.err));
}

void tst_CompareCli::aCaptureMissingLinesFailsTheGate()
{
    // Whole-looking captures that still lack transactions: a damaged line
    // (here sigB's, which regressed), a summary that counts more than the
    // file holds. The gate once passed on both; a summary line alone was
    // compared as an empty capture and passed too.
    QFile file(m_experiment);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().split('\n');
    file.close();
    QByteArray damaged, miscounted, summaryOnly;
    for (const QByteArray &line : lines) {
        if (line.isEmpty())
            continue;
        const bool isSigB = line.contains(R"("sigB")");
        damaged += (isSigB ? line.left(line.size() / 2) : line) + '\n';
        if (!isSigB)
            miscounted += line + '\n';
        if (line.startsWith(R"({"type":"summary")"))
            summaryOnly += line + '\n';
    }
    QVERIFY(!summaryOnly.isEmpty());
    const auto write = [this](const QString &name, const QByteArray &bytes) {
        const QString path = m_dir.filePath(name);
        QFile out(path);
        return out.open(QIODevice::WriteOnly) && out.write(bytes) == bytes.size() ? path : QString();
    };
    const Run hidden = run({m_baseline, write(u"damaged.ndjson"_s, damaged), u"--fail-on-regressions"_s});
    QCOMPARE(hidden.exitCode, 4);
    QCOMPARE(hidden.err, u"slotscope compare: the experiment may lack transactions: 1 damaged line(s) skipped; the "
                         "summary line counts 4 transactions, the file holds 3\n"
                         "slotscope compare: regressions cannot be ruled out\n"_s);
    const Run short_ = run({m_baseline, write(u"miscounted.ndjson"_s, miscounted), u"--fail-on-regressions"_s});
    QCOMPARE(short_.exitCode, 4);
    QCOMPARE(short_.err, u"slotscope compare: the experiment may lack transactions: the summary line counts 4 "
                         "transactions, the file holds 3\nslotscope compare: regressions cannot be ruled out\n"_s);
    const QString onlySummary = write(u"summary-only.ndjson"_s, summaryOnly);
    const Run none = run({m_baseline, onlySummary, u"--fail-on-regressions"_s});
    QCOMPARE(none.exitCode, 1);
    QVERIFY2(none.err.contains(u"The experiment %1 holds no capture (no metadata line, no transactions)"_s.arg(onlySummary)),
             qPrintable(none.err));
    // Without the gate the damaged side still compares, with its warning.
    const Run compared = run({m_baseline, m_dir.filePath(u"damaged.ndjson"_s)});
    QCOMPARE(compared.exitCode, 0);
    QVERIFY2(compared.out.contains(u"warning: experiment: 1 damaged line(s) skipped"_s), qPrintable(compared.out));
}

void tst_CompareCli::aLostReportIsAnError()
{
    // stdout on a full disk: the report is lost, and the exit code says so.
    const Run r = run({m_baseline, m_experiment}, u"/dev/full"_s);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.startsWith(u"slotscope compare: cannot write the report to stdout: "_s), qPrintable(r.err));
    QVERIFY2(r.err.contains(qt_error_string(ENOSPC)), qPrintable(r.err));
}

void tst_CompareCli::aCsvThatCannotBeCreatedFailsFirst()
{
    // A folder, or a folder that does not exist: said before the comparison,
    // with no report on stdout that a script would take as done.
    for (const QString &csv : {m_dir.path(), m_dir.filePath(u"no-such-folder/x.csv"_s)}) {
        const Run r = run({m_baseline, m_experiment, u"--csv"_s, csv});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.out, QString());
        QVERIFY2(r.err.startsWith(u"slotscope compare: --csv: "_s), qPrintable(r.err));
        QVERIFY2(r.err.contains(m_dir.path()), qPrintable(r.err)); // where it is
    }
}

void tst_CompareCli::csvOntoAFullDisk()
{
    // A device is written straight through (never renamed over: as root
    // that once replaced /dev/full by a regular file) and its error reported.
    // Root uses a /dev/full twin made here rather than risk the real one.
    QString full = u"/dev/full"_s;
    if (::geteuid() == 0) {
        full = m_dir.filePath(u"full"_s);
        if (::mknod(QFile::encodeName(full).constData(), S_IFCHR | 0666, makedev(1, 7)) != 0)
            QSKIP("cannot create a device node here");
    }
    const Run r = run({m_baseline, m_experiment, u"--csv"_s, full, u"--overwrite"_s});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(u"Cannot write %1: "_s.arg(full)) && r.err.contains(qt_error_string(ENOSPC)),
             qPrintable(r.err));
    struct stat status {};
    QCOMPARE(::stat(QFile::encodeName(full).constData(), &status), 0);
    QVERIFY(S_ISCHR(status.st_mode));
}

void tst_CompareCli::csvIntoAPipe()
{
    // A named pipe gets the CSV and stays a pipe.
    const QString fifo = m_dir.filePath(u"diff.fifo"_s);
    QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
    QByteArray received;
    std::thread reader([&] {
        QFile pipe(fifo);
        if (pipe.open(QIODevice::ReadOnly))
            received = pipe.readAll();
    });
    const Run r = run({m_baseline, m_experiment, u"--section"_s, u"fees"_s, u"--csv"_s, fifo, u"--overwrite"_s});
    reader.join();
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(received, QByteArray("signature,slot,baseline_fee,experiment_fee,fee_delta\r\nsigC,3,5000,7000,2000\r\n"));
    struct stat status {};
    QCOMPARE(::stat(QFile::encodeName(fifo).constData(), &status), 0);
    QVERIFY(S_ISFIFO(status.st_mode));
}

void tst_CompareCli::csvOnStandardOutputHasItToItself()
{
    // `--csv -` (or /dev/stdout redirected to a file): the CSV alone on
    // stdout, the report on stderr; the Summary section's deltas are plain
    // signed numbers like every per-section CSV's.
    const Run dash = run({m_baseline, m_experiment, u"--section"_s, u"summary"_s, u"--csv"_s, u"-"_s});
    QVERIFY2(dash.exitCode == 0, qPrintable(dash.err));
    QVERIFY2(dash.out.startsWith(u"metric,baseline,experiment,delta\r\n"_s), qPrintable(dash.out));
    QVERIFY(dash.out.contains(u"transactions,3,4,1\r\n"_s));
    QVERIFY(!dash.out.contains(u",+"_s));
    QVERIFY(dash.err.contains(u"== summary"_s));
    QVERIFY(!QFile::exists(u"-"_s));

    const QString redirected = m_dir.filePath(u"redirected.csv"_s);
    const Run file = run({m_baseline, m_experiment, u"--section"_s, u"fees"_s, u"--csv"_s, u"/dev/stdout"_s}, redirected);
    QVERIFY2(file.exitCode == 0, qPrintable(file.err));
    QVERIFY(file.err.contains(u"== fees (1)"_s));
    QFile csv(redirected);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    QCOMPARE(csv.readAll(), QByteArray("signature,slot,baseline_fee,experiment_fee,fee_delta\r\nsigC,3,5000,7000,2000\r\n"));
}

void tst_CompareCli::aPartialTotalIsNotCompared()
{
    // The experiment records compute units for two of its three
    // transactions: its total counts those only, so it is not set against
    // the baseline's (a delta of -1000 would be a difference of the files,
    // not of the runs), and the report says why.
    TransactionSummary unknown = tx(u"sigC"_s, 3, true, 5000);
    unknown.computeUnitsConsumed.reset();
    const QString partial = writeCapture(m_dir.filePath(u"partial.ndjson"_s),
                                         {tx(u"sigA"_s, 1, true, 5000), tx(u"sigB"_s, 2, true, 5000), unknown});
    const QString csvPath = m_dir.filePath(u"partial.csv"_s);
    const Run r = run({m_baseline, partial, u"--section"_s, u"summary"_s, u"--csv"_s, csvPath});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains(u"1 joined transaction(s) record compute units in one run only"_s), qPrintable(r.out));
    QFile csv(csvPath);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QByteArray content = csv.readAll();
    QVERIFY2(content.contains("compute_units,3000,2000,\r\n"), content.constData());
    QVERIFY(content.contains("fees_lamports,15000,15000,0\r\n"));
}

void tst_CompareCli::aSectionNotComparedIsSaid()
{
    // A `sim run` capture records no fee: its fee section stays empty, and
    // a script that only reads the CSV is told why on stderr.
    const QString simRun = m_dir.filePath(u"simrun.ndjson"_s);
    QFile file(simRun);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"type":"metadata","data":{"start_slot":1,"end_slot":9,"created_at":1780023967}})"
               "\n"
               R"({"type":"tx","data":{"slot":2,"signature":"sigB","success":true,"logs":[],"sol_changes":[],"token_changes":[]}})"
               "\n");
    file.close();
    const QString csvPath = m_dir.filePath(u"notcompared.csv"_s);
    const Run r = run({m_baseline, simRun, u"--section"_s, u"fees"_s, u"--csv"_s, csvPath});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains(u"== fees (not compared: see the warnings)"_s), qPrintable(r.out));
    QVERIFY2(r.err.contains(u"note: fees not compared (see the report's warnings): the CSV holds no rows for it"_s),
             qPrintable(r.err));
    // A section that was compared gets no such note.
    const Run compared = run({m_baseline, simRun, u"--section"_s, u"regressions"_s, u"--csv"_s, csvPath,
                              u"--overwrite"_s});
    QVERIFY2(compared.exitCode == 0, qPrintable(compared.err));
    QVERIFY2(!compared.err.contains(u"not compared"_s), qPrintable(compared.err));
}

void tst_CompareCli::unreadableCapture()
{
    const Run r = run({m_dir.filePath(u"missing.ndjson"_s), m_experiment});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.err.contains(u"Baseline: "_s));
    // A capture's events file given by mistake: one line that names the capture.
    const QString events = CaptureWriter::eventsPathFor(m_experiment);
    QVERIFY(QFile::exists(events));
    const Run mistaken = run({m_baseline, events});
    QCOMPARE(mistaken.exitCode, 1);
    QCOMPARE(mistaken.err, u"slotscope compare: The experiment %1 holds no capture (no metadata line, no transactions); "
                           "it is the events file of %2: compare that\n"_s.arg(events, m_experiment));
    const Run help = run({u"--help"_s});
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.out.contains(u"slotscope compare"_s));
    QVERIFY(help.out.contains(u"--fail-on-regressions"_s));
}

QTEST_GUILESS_MAIN(tst_CompareCli)
#include "tst_comparecli.moc"
