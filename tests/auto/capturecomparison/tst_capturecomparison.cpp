// compareCaptures(): a baseline and an experiment that differ in known ways
// (written with CaptureWriter, values chosen by hand), one test per section,
// the CSV of each section and the long CSV, and the `sim run` shapes.

#include "capture/capturecomparison.h"
#include "capture/capturereader.h"
#include "capture/capturewriter.h"
#include "protocol/transactionsummary.h"
#include "support/fixtures.h"
#include "workbench/comparisonmodel.h"

#include <QColor>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace SlotScope;
using SlotScope::Testing::signaturesOf;
using namespace Qt::StringLiterals;

namespace {

/// The summary row of `metric` (an empty row when there is none).
SummaryRow summaryRow(const ComparisonResult &result, const QString &metric)
{
    for (const SummaryRow &row : summaryRows(result)) {
        if (row.metric == metric)
            return row;
    }
    return SummaryRow{};
}

// Accounts (base58-looking names keep the CSV readable).
const QString P1 = u"Payer1111111111111111111111111111111111111"_s;
const QString P2 = u"Payer2222222222222222222222222222222222222"_s;
const QString A = u"Acct33333333333333333333333333333333333333"_s;
const QString T1 = u"Tok444444444444444444444444444444444444444"_s;
const QString M = u"Mint55555555555555555555555555555555555555"_s;

struct Tx
{
    QString signature;
    quint64 slot;
    bool success;
    QString error;
    quint64 fee;
    quint64 computeUnits;
    QString payer;
    QList<SolChange> sol;
    QList<TokenChange> tokens;
};

TransactionSummary summaryOf(const Tx &t)
{
    TransactionSummary s{.slot = t.slot, .signature = t.signature, .success = t.success, .error = t.error, .fee = t.fee,
                         .computeUnitsConsumed = t.computeUnits, .feePayer = t.payer, .solChanges = t.sol,
                         .tokenChanges = t.tokens};
    return s;
}

QString writeCapture(const QString &path, const QList<Tx> &txs, quint64 startSlot = 10, quint64 endSlot = 20)
{
    CaptureWriter writer;
    if (!writer.open(path, CaptureMetadata{startSlot, endSlot, {}, 1780023967, {}, {}}))
        qFatal("cannot open %s", qPrintable(path));
    for (const Tx &t : txs)
        writer.appendTransaction(u"session-x"_s, summaryOf(t), {});
    if (!writer.finish({u"session-x"_s}))
        qFatal("cannot finish %s", qPrintable(path));
    return path;
}

// Baseline: six transactions.
QList<Tx> baselineTxs()
{
    return {
        {u"sig1"_s, 10, true, {}, 5000, 1000, P1, {{P1, 1000000, 995000}}, {}},
        {u"sig2"_s, 11, true, {}, 5000, 2000, P1, {{P1, 995000, 985000}, {A, 0, 5000}}, {{T1, M, P1, 100, 50, 6}}},
        {u"sig3"_s, 12, false, u"err X"_s, 5000, 300, P2, {{P2, 2000000, 1995000}}, {}},
        {u"sig4"_s, 13, false, u"err Y"_s, 5000, 400, P2, {{P2, 1995000, 1990000}}, {}},
        {u"sig5"_s, 14, true, {}, 5000, 500, P2, {{P2, 1990000, 1985000}}, {}},
        {u"sig6"_s, 15, true, {}, 5000, 600, P1, {{P1, 985000, 980000}}, {}},
    };
}

// Experiment: sig2 regresses (and uses more CU), sig3 improves, sig4 fails
// differently and pays more, sig5 is gone, sig7 is new.
QList<Tx> experimentTxs()
{
    return {
        {u"sig1"_s, 10, true, {}, 5000, 1000, P1, {{P1, 1000000, 995000}}, {}},
        {u"sig2"_s, 11, false, u"slippage"_s, 5000, 2500, P1, {{P1, 995000, 990000}}, {}},
        {u"sig3"_s, 12, true, {}, 5000, 300, P2, {{P2, 2000000, 1995000}}, {}},
        {u"sig4"_s, 13, false, u"err Z"_s, 7000, 400, P2, {{P2, 1995000, 1988000}}, {}},
        {u"sig6"_s, 15, true, {}, 5000, 600, P1, {{P1, 985000, 980000}}, {}},
        {u"sig7"_s, 16, true, {}, 5000, 100, P1, {{P1, 980000, 975000}}, {}},
    };
}

} // namespace

class tst_CaptureComparison : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void summary();
    void regressions();
    void improvements();
    void errorChanges();
    void fees();
    void computeUnits();
    void solBalances();
    void tokenBalances();
    void feePayers();
    void oneSided();
    void sectionCsv_data();
    void sectionCsv();
    void longCsv();
    void identicalRunsHaveNoDifferences();
    void simRunFilesWithoutFees();
    void aMissingFeeIsNoZero();
    void onlyStatusesAreRed();
    void oursAgainstASimRunFile();
    void runsOfOtherSlots();
    void capturesThatAreNotWhole_data();
    void capturesThatAreNotWhole();
    void errors();
    void sectionNames();

private:
    QTemporaryDir m_dir;
    ComparisonResult m_result;
};

void tst_CaptureComparison::initTestCase()
{
    const QString baseline = writeCapture(m_dir.filePath(u"baseline.ndjson"_s), baselineTxs());
    const QString experiment = writeCapture(m_dir.filePath(u"experiment.ndjson"_s), experimentTxs());
    QList<std::pair<qint64, qint64>> progress;
    auto result = compareCaptures(baseline, experiment, [&progress](qint64 done, qint64 total) {
        progress.append({done, total});
    });
    QVERIFY2(result, qPrintable(result ? QString() : result.error().message));
    m_result = *result;
    QVERIFY(!progress.isEmpty());
    QCOMPARE(progress.constLast().first, progress.constLast().second);
}

void tst_CaptureComparison::summary()
{
    const ComparisonResult &r = m_result;
    QCOMPARE(r.baseline.transactions, 6u);
    QCOMPARE(r.baseline.failures, 2u);
    QCOMPARE(r.experiment.transactions, 6u);
    QCOMPARE(r.experiment.failures, 2u);
    QCOMPARE(r.joined, 5u);
    QCOMPARE(r.baseline.fees, 30000u);
    QCOMPARE(r.experiment.fees, 32000u);
    QCOMPARE(r.feeDifference, (SignedAmount{2000, false}));
    QCOMPARE(r.computeUnitDifference, (SignedAmount{500, false}));
    QVERIFY(r.baseline.complete && r.experiment.complete);
    QVERIFY(r.warnings.isEmpty());
    const auto find = [&r](const QString &metric) { return summaryRow(r, metric); };
    QCOMPARE(find(u"transactions"_s).delta, u"0"_s);
    QCOMPARE(find(u"fees_lamports"_s).delta, u"+2000"_s);
    QCOMPARE(find(u"compute_units"_s).baseline, u"4800"_s);
    QCOMPARE(find(u"compute_units"_s).experiment, u"4900"_s);
    QCOMPARE(find(u"regressions"_s).experiment, u"1"_s);
    QCOMPARE(find(u"only_in_one_run"_s).baseline, u"1"_s);
    QCOMPARE(r.count(ComparisonSection::Summary), summaryRows(r).size());
}

void tst_CaptureComparison::regressions()
{
    QCOMPARE(signaturesOf(m_result.regressions), QStringList{u"sig2"_s});
    const ComparedTransaction &t = m_result.regressions.constFirst();
    QVERIFY(t.baseline.success);
    QVERIFY(!t.experiment.success);
    QCOMPARE(t.experiment.error, u"slippage"_s);
    QCOMPARE(t.slot, 11u);
    QVERIFY(t.baseline.offset > 0);
    QVERIFY(t.experiment.offset > 0);
    // The offsets read back the same transaction on both sides.
    const auto b = CaptureReader::readTransactionAt(m_result.baseline.path, t.baseline.offset);
    const auto e = CaptureReader::readTransactionAt(m_result.experiment.path, t.experiment.offset);
    QVERIFY(b && e);
    QCOMPARE(b->transaction.signature, u"sig2"_s);
    QCOMPARE(e->transaction.signature, u"sig2"_s);
    QVERIFY(!e->transaction.success);
}

void tst_CaptureComparison::improvements()
{
    QCOMPARE(signaturesOf(m_result.improvements), QStringList{u"sig3"_s});
    QCOMPARE(m_result.improvements.constFirst().baseline.error, u"err X"_s);
    QVERIFY(m_result.improvements.constFirst().experiment.success);
}

void tst_CaptureComparison::errorChanges()
{
    QCOMPARE(signaturesOf(m_result.errorChanges), QStringList{u"sig4"_s});
    QCOMPARE(m_result.errorChanges.constFirst().baseline.error, u"err Y"_s);
    QCOMPARE(m_result.errorChanges.constFirst().experiment.error, u"err Z"_s);
}

void tst_CaptureComparison::fees()
{
    QCOMPARE(signaturesOf(m_result.fees), QStringList{u"sig4"_s});
    QCOMPARE(m_result.fees.constFirst().baseline.fee, std::optional<quint64>(5000));
    QCOMPARE(m_result.fees.constFirst().experiment.fee, std::optional<quint64>(7000));
}

void tst_CaptureComparison::computeUnits()
{
    QCOMPARE(signaturesOf(m_result.computeUnits), QStringList{u"sig2"_s});
    QCOMPARE(m_result.computeUnits.constFirst().baseline.computeUnits, std::optional<quint64>(2000));
    QCOMPARE(m_result.computeUnits.constFirst().experiment.computeUnits, std::optional<quint64>(2500));
}

void tst_CaptureComparison::solBalances()
{
    // P1: −20 000 in both runs (no row). A: +5 000 → 0. P2: −15 000 → −12 000.
    QCOMPARE(m_result.solBalances.size(), 2);
    const BalanceDelta &a = m_result.solBalances.at(0);
    QCOMPARE(a.account, A);
    QCOMPARE(a.baseline, (SignedAmount{5000, false}));
    QCOMPARE(a.experiment, SignedAmount{});
    QCOMPARE(a.difference, (SignedAmount{5000, true}));
    QCOMPARE(a.baselineTransactions, 1u);
    QCOMPARE(a.experimentTransactions, 0u);
    const BalanceDelta &p2 = m_result.solBalances.at(1);
    QCOMPARE(p2.account, P2);
    QCOMPARE(p2.baseline, (SignedAmount{15000, true}));
    QCOMPARE(p2.experiment, (SignedAmount{12000, true}));
    QCOMPARE(p2.difference, (SignedAmount{3000, false}));
    QVERIFY(p2.mint.isEmpty());
}

void tst_CaptureComparison::tokenBalances()
{
    QCOMPARE(m_result.tokenBalances.size(), 1);
    const BalanceDelta &t = m_result.tokenBalances.constFirst();
    QCOMPARE(t.account, T1);
    QCOMPARE(t.mint, M);
    QCOMPARE(t.owner, P1);
    QCOMPARE(t.decimals, 6);
    QCOMPARE(t.baseline, (SignedAmount{50, true}));
    QCOMPARE(t.experiment, SignedAmount{});
    QCOMPARE(t.difference, (SignedAmount{50, false}));
    QCOMPARE(t.difference.toString(t.decimals), u"+0.00005"_s);
}

void tst_CaptureComparison::feePayers()
{
    QCOMPARE(m_result.feePayers.size(), 2);
    const FeePayerDelta &p1 = m_result.feePayers.at(0);
    QCOMPARE(p1.feePayer, P1);
    QCOMPARE(p1.baselineTransactions, 3u);
    QCOMPARE(p1.experimentTransactions, 4u);
    QCOMPARE(p1.baselineFailures, 0u);
    QCOMPARE(p1.experimentFailures, 1u);
    QCOMPARE(p1.baselineFees, 15000u);
    QCOMPARE(p1.experimentFees, 20000u);
    QCOMPARE(p1.baselineSolDelta, (SignedAmount{20000, true}));
    QCOMPARE(p1.experimentSolDelta, (SignedAmount{20000, true}));
    const FeePayerDelta &p2 = m_result.feePayers.at(1);
    QCOMPARE(p2.feePayer, P2);
    QCOMPARE(p2.baselineTransactions, 3u);
    QCOMPARE(p2.experimentTransactions, 2u);
    QCOMPARE(p2.baselineFailures, 2u);
    QCOMPARE(p2.experimentFailures, 1u);
    QCOMPARE(p2.baselineFees, 15000u);
    QCOMPARE(p2.experimentFees, 12000u);
    QCOMPARE(p2.experimentSolDelta, (SignedAmount{12000, true}));
}

void tst_CaptureComparison::oneSided()
{
    QCOMPARE(m_result.onlyBaseline.size(), 1);
    QCOMPARE(m_result.onlyBaseline.constFirst().signature, u"sig5"_s);
    QCOMPARE(m_result.onlyBaseline.constFirst().slot, 14u);
    QCOMPARE(m_result.onlyExperiment.size(), 1);
    QCOMPARE(m_result.onlyExperiment.constFirst().signature, u"sig7"_s);
    QCOMPARE(m_result.onlyExperiment.constFirst().outcome.fee, std::optional<quint64>(5000));
}

void tst_CaptureComparison::sectionCsv_data()
{
    QTest::addColumn<int>("section");
    QTest::addColumn<QByteArray>("expected");
    QTest::addRow("regressions") << int(ComparisonSection::Regressions)
        << QByteArray("signature,slot,baseline_success,experiment_success,baseline_error,experiment_error,baseline_fee,"
                      "experiment_fee,baseline_compute_units,experiment_compute_units\r\n"
                      "sig2,11,true,false,,slippage,5000,5000,2000,2500\r\n");
    QTest::addRow("fees") << int(ComparisonSection::Fees)
        << QByteArray("signature,slot,baseline_fee,experiment_fee,fee_delta\r\nsig4,13,5000,7000,2000\r\n");
    QTest::addRow("compute_units") << int(ComparisonSection::ComputeUnits)
        << QByteArray("signature,slot,baseline_compute_units,experiment_compute_units,compute_units_delta\r\n"
                      "sig2,11,2000,2500,500\r\n");
    QTest::addRow("sol_balances") << int(ComparisonSection::SolBalances)
        << (u"account,baseline_transactions,experiment_transactions,baseline_delta_lamports,experiment_delta_lamports,"
            "difference_lamports\r\n%1,1,0,5000,0,-5000\r\n%2,3,2,-15000,-12000,3000\r\n"_s.arg(A, P2)).toUtf8();
    QTest::addRow("token_balances") << int(ComparisonSection::TokenBalances)
        << (u"token_account,mint,owner,decimals,baseline_transactions,experiment_transactions,baseline_delta,"
            "experiment_delta,difference\r\n%1,%2,%3,6,1,0,-50,0,50\r\n"_s.arg(T1, M, P1)).toUtf8();
    QTest::addRow("only_experiment") << int(ComparisonSection::OnlyExperiment)
        << QByteArray("signature,slot,success,error,fee,compute_units\r\nsig7,16,true,,5000,100\r\n");
    QTest::addRow("error_changes") << int(ComparisonSection::ErrorChanges)
        << QByteArray("signature,slot,baseline_success,experiment_success,baseline_error,experiment_error,baseline_fee,"
                      "experiment_fee,baseline_compute_units,experiment_compute_units\r\n"
                      "sig4,13,false,false,err Y,err Z,5000,7000,400,400\r\n");
}

void tst_CaptureComparison::sectionCsv()
{
    QFETCH(int, section);
    QFETCH(QByteArray, expected);
    QCOMPARE(comparisonCsv(m_result, ComparisonSection(section)), expected);
}

void tst_CaptureComparison::longCsv()
{
    const QByteArray csv = comparisonCsvAll(m_result);
    const QList<QByteArray> lines = csv.split('\n');
    QCOMPARE(lines.constFirst(), QByteArray("section,key,slot,mint,owner,metric,baseline,experiment,delta,baseline_error,"
                                            "experiment_error\r"));
    QVERIFY(csv.contains("regressions,sig2,11,,,success,true,false,,,slippage\r\n"));
    // Numbers as every per-section CSV writes them: no '+'.
    QVERIFY(csv.contains("fees,sig4,13,,,fee,5000,7000,2000,,\r\n"));
    QVERIFY(csv.contains(u"token_balances,%1,,%2,%3,raw_amount_delta,-50,0,50,,\r\n"_s.arg(T1, M, P1).toUtf8()));
    QVERIFY(csv.contains(u"fee_payers,%1,,,,failures,0,1,1,,\r\n"_s.arg(P1).toUtf8()));
    QVERIFY(!csv.contains(",+"));
    QVERIFY(!csv.contains(u"fee_payers,%1,,,,sol_delta_lamports"_s.arg(P1).toUtf8())); // equal in both runs
    QVERIFY(csv.contains("only_baseline,sig5,14,,,success,true,,,,\r\n"));
    // One data row per difference (plus the summary's metrics).
    const qsizetype expectedRows = summaryRows(m_result).size() + 1 + 1 + 1 + 1 + 1 + 2 + 1
        + 3 /* P1: transactions, failures, fees */ + 4 /* P2 */ + 1 + 1;
    QCOMPARE(lines.size() - 2, expectedRows); // header, trailing empty
}

void tst_CaptureComparison::identicalRunsHaveNoDifferences()
{
    const auto r = compareCaptures(m_result.baseline.path, m_result.baseline.path);
    QVERIFY(r);
    for (const ComparisonSection s : allSections()) {
        if (s != ComparisonSection::Summary)
            QCOMPARE(r->count(s), 0);
    }
    QCOMPARE(r->joined, 6u);
}

void tst_CaptureComparison::onlyStatusesAreRed()
{
    // The window's tables: a failed side's status is dark red; the fee and
    // compute-unit numbers of a failed transaction are not (red read "worse").
    const auto result = std::make_shared<const ComparisonResult>(m_result);
    ComparisonSectionModel regressions(result, ComparisonSection::Regressions);
    QVERIFY(regressions.rowCount() > 0);
    QCOMPARE(regressions.index(0, 3).data(Qt::ForegroundRole).value<QColor>(), QColor(Qt::darkRed));
    for (const ComparisonSection section : {ComparisonSection::Fees, ComparisonSection::ComputeUnits}) {
        ComparisonSectionModel numbers(result, section);
        QVERIFY(numbers.rowCount() > 0);
        for (int row = 0; row < numbers.rowCount(); ++row) {
            for (int column = 0; column < numbers.columnCount(); ++column)
                QVERIFY(!numbers.index(row, column).data(Qt::ForegroundRole).isValid());
        }
    }
}

void tst_CaptureComparison::aMissingFeeIsNoZero()
{
    // One of a payer's transactions lost its fee in the experiment: its sum
    // is no smaller for it (it was counted as 0, an invented 5000-lamport
    // drop); the payer's fees are not compared, and the rest still is.
    const QByteArray meta = R"({"type":"metadata","data":{"start_slot":1,"end_slot":9,"ran_at_unix_secs":1}})";
    const auto tx = [](const char *signature, bool withFee, bool success) {
        return QByteArray(R"({"type":"tx","data":{"slot":3,"signature":")") + signature + R"(","success":)"
               + (success ? "true" : "false,\"error\":\"boom\"") + R"(,"logs":[],"sol_changes":[],"token_changes":[],)"
               + (withFee ? R"("fee":5000,)" : "") + R"("fee_payer":"Payer1"}})";
    };
    const auto write = [this](const QString &name, const QList<QByteArray> &lines) {
        QFile f(m_dir.filePath(name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        for (const QByteArray &line : lines)
            f.write(line + '\n');
    };
    write(u"fee-a.ndjson"_s, {meta, tx("a1", true, true), tx("a2", true, true)});
    write(u"fee-b.ndjson"_s, {meta, tx("a1", true, true), tx("a2", false, true)});
    auto r = compareCaptures(m_dir.filePath(u"fee-a.ndjson"_s), m_dir.filePath(u"fee-b.ndjson"_s));
    QVERIFY(r);
    QVERIFY2(r->feePayers.isEmpty(), qPrintable(r->feePayers.value(0).feePayer)); // nothing else differs
    // A failure more: the payer differs, its fees are still not compared.
    write(u"fee-c.ndjson"_s, {meta, tx("a1", true, false), tx("a2", false, true)});
    r = compareCaptures(m_dir.filePath(u"fee-a.ndjson"_s), m_dir.filePath(u"fee-c.ndjson"_s));
    QVERIFY(r);
    QCOMPARE(r->feePayers.size(), 1);
    QVERIFY(!r->feePayers.constFirst().feesCompared);
    QCOMPARE(r->feePayers.constFirst().experimentFailures, 1u);
    const QByteArray csv = comparisonCsv(*r, ComparisonSection::FeePayers);
    QVERIFY2(csv.contains("Payer1,2,2,0,1,,,"), csv.constData()); // no sums, not 10000 against 5000
    QVERIFY(!comparisonCsvAll(*r, {ComparisonSection::FeePayers}).contains("fees"));
}

void tst_CaptureComparison::simRunFilesWithoutFees()
{
    // `sim run` lines carry no fee, no CU and no fee payer: those sections stay
    // empty; status and balances still compare.
    const QByteArray meta = R"({"type":"metadata","data":{"start_slot":1,"end_slot":9,"ran_at_unix_secs":1}})";
    const QByteArray ok = R"({"type":"tx","data":{"slot":3,"signature":"s1","success":true,"logs":[],"sol_changes":[{"account":"X","pre_lamports":10,"post_lamports":5}],"token_changes":[]}})";
    const QByteArray bad = R"({"type":"tx","data":{"slot":3,"signature":"s1","success":false,"error":"boom","logs":[],"sol_changes":[{"account":"X","pre_lamports":10,"post_lamports":9}],"token_changes":[]}})";
    const auto write = [this](const QString &name, const QByteArray &content) {
        QFile f(m_dir.filePath(name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
    };
    write(u"sim-a.ndjson"_s, meta + '\n' + ok + '\n');
    write(u"sim-b.ndjson"_s, meta + '\n' + bad + '\n' + bad + '\n'); // a duplicate, dropped
    const auto r = compareCaptures(m_dir.filePath(u"sim-a.ndjson"_s), m_dir.filePath(u"sim-b.ndjson"_s));
    QVERIFY(r);
    QCOMPARE(signaturesOf(r->regressions), QStringList{u"s1"_s});
    QVERIFY(r->fees.isEmpty());
    QVERIFY(r->feePayers.isEmpty());
    QCOMPARE(r->solBalances.size(), 1);
    QCOMPARE(r->solBalances.constFirst().difference, (SignedAmount{4, false}));
    QCOMPARE(r->experiment.duplicatesDropped, 1);
    QCOMPARE(r->experiment.transactions, 1u);
    QVERIFY(!r->feePayersCompared);
    QCOMPARE(r->warnings,
             (QStringList{u"baseline: no summary line (a run cut short)"_s,
                          u"baseline: no fees recorded (sim run captures record none): fee totals not compared"_s,
                          u"baseline: no compute units recorded: compute-unit totals not compared"_s,
                          u"baseline: no fee payers recorded (sim run captures record none): fee payers not compared"_s,
                          u"experiment: no summary line (a run cut short)"_s,
                          u"experiment: no fees recorded (sim run captures record none): fee totals not compared"_s,
                          u"experiment: no compute units recorded: compute-unit totals not compared"_s,
                          u"experiment: no fee payers recorded (sim run captures record none): fee payers not compared"_s}));
}

void tst_CaptureComparison::oursAgainstASimRunFile()
{
    // The same transactions, one side with SlotScope's fee, compute units and
    // fee payer, the other a `sim run` file without them: unknown is not
    // zero, so no fee total delta and no fee payer "differs".
    const QByteArray meta = R"({"type":"metadata","data":{"start_slot":1,"end_slot":9,"ran_at_unix_secs":1}})";
    const QByteArray summary = R"({"type":"summary","data":{"total":2,"successes":2,"failures":0}})";
    const auto tx = [](const char *signature, bool ours) {
        QByteArray line = R"({"type":"tx","data":{"slot":3,"signature":")" + QByteArray(signature) + R"(","success":true)";
        if (ours)
            line += R"(,"fee":5000,"compute_units_consumed":1200,"fee_payer":"P")";
        return line + R"(,"logs":[],"sol_changes":[{"account":"P","pre_lamports":10000,"post_lamports":5000}],"token_changes":[]}})";
    };
    const auto write = [this](const QString &name, const QByteArray &content) {
        QFile f(m_dir.filePath(name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
    };
    write(u"ours.ndjson"_s, meta + '\n' + tx("a", true) + '\n' + tx("b", true) + '\n' + summary + '\n');
    write(u"sim.ndjson"_s, meta + '\n' + tx("a", false) + '\n' + tx("b", false) + '\n' + summary + '\n');
    const auto r = compareCaptures(m_dir.filePath(u"ours.ndjson"_s), m_dir.filePath(u"sim.ndjson"_s));
    QVERIFY(r);
    QCOMPARE(r->joined, 2u);
    QVERIFY(r->fees.isEmpty());
    QVERIFY(r->computeUnits.isEmpty());
    QVERIFY(!r->feePayersCompared);
    QVERIFY(r->feePayers.isEmpty());
    QVERIFY(r->solBalances.isEmpty());
    const auto row = [&r](const QString &metric) { return summaryRow(*r, metric); };
    QCOMPARE(row(u"fees_lamports"_s).baseline, u"10000"_s);
    QCOMPARE(row(u"fees_lamports"_s).experiment, QString());
    QCOMPARE(row(u"fees_lamports"_s).delta, QString());
    QCOMPARE(row(u"compute_units"_s).baseline, u"2400"_s);
    QCOMPARE(row(u"compute_units"_s).experiment, QString());
    QCOMPARE(row(u"compute_units"_s).delta, QString());
    QCOMPARE(row(u"fee_payers_differing"_s).experiment, QString());
    QCOMPARE(row(u"fee_changes"_s).experiment, QString()); // not compared, not "0 changes"
    QCOMPARE(row(u"compute_unit_changes"_s).experiment, QString());
    QVERIFY(!r->compared(ComparisonSection::Fees) && !r->compared(ComparisonSection::ComputeUnits));
    QVERIFY(!r->compared(ComparisonSection::FeePayers) && r->compared(ComparisonSection::SolBalances));
    QCOMPARE(row(u"fees_lamports_joined_delta"_s).delta, QString()); // no pair to compare, not "0"
    QCOMPARE(row(u"compute_units_joined_delta"_s).delta, QString());
    QCOMPARE(r->warnings,
             (QStringList{u"experiment: no fees recorded (sim run captures record none): fee totals not compared"_s,
                          u"experiment: no compute units recorded: compute-unit totals not compared"_s,
                          u"experiment: no fee payers recorded (sim run captures record none): fee payers not compared"_s}));
    // The report says so, not "0".
    const QString report = comparisonReport(*r, {ComparisonSection::Summary});
    QVERIFY(report.contains(u"warning: experiment: no fees recorded"_s));
    const QString sections = comparisonReport(*r, {ComparisonSection::Fees, ComparisonSection::SolBalances});
    QVERIFY2(sections.contains(u"\n== fees (not compared: see the warnings)\n"_s), qPrintable(sections));
    QVERIFY2(sections.contains(u"\n== sol_balances (0)\n"_s), qPrintable(sections));
}

void tst_CaptureComparison::runsOfOtherSlots()
{
    // The same transactions replayed over another range: every signature
    // joins, and each row shows the experiment's slot only, so the report
    // says both that the ranges differ and that joined slots moved.
    QList<Tx> moved = baselineTxs();
    for (Tx &t : moved)
        t.slot += 1000;
    const QString later = writeCapture(m_dir.filePath(u"later.ndjson"_s), moved, 1010, 1020);
    const auto r = compareCaptures(m_result.baseline.path, later);
    QVERIFY(r);
    QCOMPARE(r->joined, 6u);
    QCOMPARE(r->warnings, (QStringList{u"6 joined transaction(s) at another slot than in the baseline (first: sig1: "
                                       u"slot 10 → 1010); rows show the experiment's slot"_s,
                                       u"the runs cover different slots: baseline 10..20, experiment 1010..1020"_s}));
    // The same slots: no such warning (identicalRunsHaveNoDifferences has none either).
    const auto same = compareCaptures(m_result.baseline.path, m_result.baseline.path);
    QVERIFY(same);
    QVERIFY2(same->warnings.isEmpty(), qPrintable(same->warnings.join(u'\n')));
}

void tst_CaptureComparison::capturesThatAreNotWhole_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("error");     // of the comparison, "" when it runs
    QTest::addColumn<QStringList>("warnings"); // the baseline's, when it runs
    const QByteArray meta = R"({"type":"metadata","data":{"start_slot":1,"end_slot":9,"ran_at_unix_secs":1}})";
    const QByteArray tx = R"({"type":"tx","data":{"slot":3,"signature":"s1","success":true,"fee":5000,"compute_units_consumed":1,"fee_payer":"P","logs":[],"sol_changes":[],"token_changes":[]}})";
    const QByteArray tx2 = R"({"type":"tx","data":{"slot":4,"signature":"s2","success":true,"fee":5000,"compute_units_consumed":1,"fee_payer":"P","logs":[],"sol_changes":[],"token_changes":[]}})";
    const QByteArray summary = R"({"type":"summary","data":{"total":1,"successes":1,"failures":0}})";
    QTest::addRow("empty") << QByteArray() << u" holds no capture (no metadata line, no transactions)"_s << QStringList();
    QTest::addRow("blank lines") << QByteArray("\n\n  \n") << u" holds no capture (no metadata line, no transactions)"_s
                                 << QStringList();
    QTest::addRow("only damaged lines") << QByteArray("not json\n{\"type\n") << u" is not a capture file"_s << QStringList();
    QTest::addRow("an unknown line and a damaged one")
        << QByteArray("{\"type\":\"probe\",\"data\":{}}\n{\"type\":\"tx\",\"data\":{}}\n")
        << u" holds no capture (no metadata line, no transactions, 1 damaged line(s))"_s << QStringList();
    // A summary line vouches for transactions nobody can compare.
    QTest::addRow("only a summary line") << QByteArray(summary + '\n')
                                         << u" holds no capture (no metadata line, no transactions)"_s << QStringList();
    QTest::addRow("no metadata line") << QByteArray(tx + '\n' + summary + '\n') << QString()
                                      << QStringList{u"baseline: no metadata line (CAPTURE_FORMAT.md §2): not a whole capture"_s,
                                                     u"baseline: line 1: the file does not start with a metadata line"_s};
    QTest::addRow("metadata only") << QByteArray(meta + '\n') << QString()
                                   << QStringList{u"baseline: no summary line (a run cut short)"_s};
    QTest::addRow("a summary that counts otherwise")
        << QByteArray(meta + '\n' + tx + '\n' + tx2 + '\n' + summary + '\n') << QString()
        << QStringList{u"baseline: the summary line counts 1 transactions, the file holds 2"_s};
    // `cat a.ndjson b.ndjson`: compared as one run, so the report says so.
    QTest::addRow("two captures joined")
        << QByteArray(meta + '\n' + tx + '\n' + summary + '\n' + meta + '\n' + tx2 + '\n' + summary + '\n') << QString()
        << QStringList{u"baseline: the summary line counts 1 transactions, the file holds 2"_s,
                       u"baseline: line 4: another metadata line, ignored"_s,
                       u"baseline: line 5: a transaction after the summary line (a summary ends a capture)"_s,
                       u"baseline: line 6: another summary line, replaces the previous one"_s};
    QString unknownTypes;
    for (int i = 0; i < 7; ++i)
        unknownTypes += uR"({"type":"probe%1","data":{}})"_s.arg(i) + u'\n';
    QTest::addRow("many unknown lines, a damaged one")
        << QByteArray(meta + '\n' + unknownTypes.toUtf8() + "not json\n" + tx + '\n' + summary + '\n') << QString()
        << QStringList{u"baseline: 1 damaged line(s) skipped"_s,
                       u"baseline: line 2: unknown type \"probe0\", skipped"_s,
                       u"baseline: line 3: unknown type \"probe1\", skipped"_s,
                       u"baseline: line 4: unknown type \"probe2\", skipped"_s,
                       u"baseline: line 5: unknown type \"probe3\", skipped"_s,
                       u"baseline: line 6: unknown type \"probe4\", skipped"_s,
                       u"baseline: 2 more warning(s) about the file; open it in SlotScope to see them all"_s};
    QTest::addRow("a summary that counts failures otherwise")
        << QByteArray(meta + '\n' + tx + '\n' + R"({"type":"summary","data":{"total":1,"successes":0,"failures":1}})" + '\n')
        << QString()
        << QStringList{u"baseline: the summary line counts 0 succeeded and 1 failed, the file holds 1 and 0"_s};
}

void tst_CaptureComparison::capturesThatAreNotWhole()
{
    // A comparison against an empty file once reported every transaction of
    // the other side as one-sided, and no regression: `--fail-on-regressions`
    // passed against a broken baseline.
    QFETCH(QByteArray, content);
    QFETCH(QString, error);
    QFETCH(QStringList, warnings);
    const QString path = m_dir.filePath(u"not-whole.ndjson"_s);
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(content);
    }
    const auto r = compareCaptures(path, m_result.experiment.path);
    if (!error.isEmpty()) {
        QVERIFY(!r);
        QVERIFY2(r.error().message.contains(path + error), qPrintable(r.error().message));
        return;
    }
    QVERIFY2(r, qPrintable(r ? QString() : r.error().message));
    QStringList baselineWarnings;
    for (const QString &w : r->warnings) {
        if (w.startsWith(u"baseline: "_s))
            baselineWarnings.append(w);
    }
    QCOMPARE(baselineWarnings, warnings);
}

void tst_CaptureComparison::errors()
{
    const auto missing = compareCaptures(m_dir.filePath(u"missing.ndjson"_s), m_result.experiment.path);
    QVERIFY(!missing);
    QVERIFY(missing.error().message.startsWith(u"Baseline: "_s));
    std::atomic_bool cancel{true};
    const auto cancelled = compareCaptures(m_result.baseline.path, m_result.experiment.path, {}, &cancel);
    QVERIFY(!cancelled);
    QCOMPARE(cancelled.error().message, u"Comparison cancelled"_s);
}

void tst_CaptureComparison::sectionNames()
{
    for (const ComparisonSection s : allSections())
        QCOMPARE(sectionFromName(sectionName(s)), std::optional<ComparisonSection>(s));
    QCOMPARE(sectionFromName(u"sol-balances"_s), std::optional<ComparisonSection>(ComparisonSection::SolBalances));
    QVERIFY(!sectionFromName(u"nonsense"_s));
    const QString report = comparisonReport(m_result, allSections(), 1);
    QVERIFY(report.contains(u"== regressions (1)"_s));
    QVERIFY(report.contains(u"sig2  slot 11  ok → slippage"_s));
    QVERIFY(report.contains(u"… 1 more (--rows shows more, --csv writes every row)"_s)); // sol_balances has 2 rows

    // An error text with line breaks stays on its row's line.
    ComparisonResult broken = m_result;
    QVERIFY(!broken.regressions.isEmpty());
    broken.regressions.first().experiment.error = u"first line\nsecond line\r\nthird"_s;
    const QString lines = comparisonReport(broken, {ComparisonSection::Regressions});
    QVERIFY2(lines.contains(u"sig2  slot 11  ok → first line second line third\n"_s), qPrintable(lines));
}

QTEST_GUILESS_MAIN(tst_CaptureComparison)
#include "tst_capturecomparison.moc"
