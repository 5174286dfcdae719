// Comparing runs that differ in known ways (issue 12 item 2, done-when): the
// reference server replays the fixtures (4 copies per slot, unique
// signatures) once as a baseline and again with RefServerConfig::experiment
// aspects on; both runs are captured through SessionEngine, and
// compareCaptures() must report exactly what the experiment changed — each
// section against the set experimentSelects() picks from the baseline's own
// signatures.

#include "capture/capturecomparison.h"
#include "capture/capturereader.h"
#include "engine/sessionengine.h"
#include "refserver/refserver.h"
#include "refserver/transactionplan.h"
#include "support/policies.h"

#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <map>

using namespace SlotScope;
using namespace Qt::StringLiterals;

namespace {

const QString kApiKey = u"experiment-key"_s;
constexpr quint64 kStart = 1000;
constexpr quint64 kEnd = 1099;
constexpr int kPerSlot = 4;

/// Captures one run of a server with `experiment` into `path`.
bool captureRun(const Experiment &experiment, const QString &path)
{
    RefServerConfig serverConfig{.apiKey = kApiKey, .txDir = QString::fromUtf8(SLOTSCOPE_FIXTURES_DIR),
                                 .transactionsPerSlot = kPerSlot, .experiment = experiment};
    RefServer server(serverConfig);
    if (!server.listen())
        return false;
    SessionEngine engine;
    engine.setConnectionPolicy(Testing::refServerPolicy());
    RunConfig run;
    run.target = RunConfig::Target::Url;
    run.url = server.controlUrl().toString();
    run.apiKey = kApiKey;
    run.startSlot = kStart;
    run.endSlot = kEnd;
    run.drive = RunConfig::Drive::RunToEnd;
    run.advanceCount = 25;
    run.capturePath = path;
    QEventLoop loop;
    std::optional<RunOutcome> outcome;
    bool closed = false;
    QObject::connect(&engine, &SessionEngine::runFinished, &loop, [&](const RunOutcome &o) { outcome = o; });
    QObject::connect(&engine, &SessionEngine::sessionClosed, &loop, [&] {
        closed = true;
        loop.quit();
    });
    QTimer::singleShot(60000, &loop, &QEventLoop::quit);
    engine.start(run, server.controlUrl().toString());
    loop.exec();
    return closed && outcome && outcome->succeeded();
}

/// One baseline transaction as the expectations need it.
struct BaselineTx
{
    QString signature;
    quint64 slot = 0;
    bool success = true;
    quint64 fee = 0;
    std::optional<quint64> computeUnits;
    QString feePayer;
    QString tokenAccount;   ///< the account of the first postTokenBalances entry ("" without one)
    QString tokenMint;
};

QList<BaselineTx> readBaseline(const QString &path)
{
    QList<BaselineTx> out;
    const auto all = CaptureReader::readAllTransactions(path);
    if (!all)
        qFatal("baseline: %s", qPrintable(all.error().message));
    for (const CapturedTransaction &tx : *all) {
        BaselineTx b;
        b.signature = tx.signature;
        b.slot = tx.slot;
        b.success = tx.success;
        b.fee = tx.fee.value_or(0);
        b.computeUnits = tx.computeUnitsConsumed;
        b.feePayer = tx.feePayer;
        const auto detail = CaptureReader::readTransactionAt(path, tx.offset);
        const QJsonObject raw = QJsonDocument::fromJson(detail->raw).object();
        const QJsonArray post = raw[u"meta"_s][u"postTokenBalances"_s].toArray();
        if (!post.isEmpty()) {
            QStringList keys;
            for (const QJsonValue &k : raw[u"transaction"_s][u"message"_s][u"accountKeys"_s].toArray())
                keys.append(k.isString() ? k.toString() : k[u"pubkey"_s].toString());
            const QJsonObject loaded = raw[u"meta"_s][u"loadedAddresses"_s].toObject();
            for (const QJsonValue &k : loaded[u"writable"_s].toArray())
                keys.append(k.toString());
            for (const QJsonValue &k : loaded[u"readonly"_s].toArray())
                keys.append(k.toString());
            b.tokenAccount = keys.value(post.first()[u"accountIndex"_s].toInt());
            b.tokenMint = post.first()[u"mint"_s].toString();
        }
        out.append(b);
    }
    return out;
}

/// What the changes experiment makes of one baseline transaction
/// (Experiment's documentation): absent when omitted; otherwise its outcome,
/// and an identical copy when added.
struct ExpectedTx
{
    bool present = true;
    bool success = true;
    quint64 fee = 0;
    std::optional<quint64> computeUnits;
    bool added = false;
};

ExpectedTx expectedOf(const BaselineTx &t, const Experiment &e)
{
    ExpectedTx x;
    x.present = !experimentSelects(ExperimentAspect::Omit, t.signature, e.omitEvery);
    x.success = t.success && !experimentSelects(ExperimentAspect::Fail, t.signature, e.failEvery);
    x.fee = t.fee + (experimentSelects(ExperimentAspect::Fee, t.signature, e.feeEvery) ? quint64(e.feeDelta) : 0);
    x.computeUnits = t.computeUnits;
    if (t.computeUnits && experimentSelects(ExperimentAspect::ComputeUnits, t.signature, e.computeUnitsEvery))
        x.computeUnits = *t.computeUnits + quint64(e.computeUnitsDelta);
    x.added = x.present && experimentSelects(ExperimentAspect::Add, t.signature, e.addEvery);
    return x;
}

qint64 toInt(const SignedAmount &a)
{
    return a.negative ? -qint64(a.magnitude) : qint64(a.magnitude);
}

QSet<QString> signatures(const QList<ComparedTransaction> &list)
{
    QSet<QString> out;
    for (const auto &t : list)
        out.insert(t.signature);
    return out;
}

QSet<QString> signatures(const QList<OneSidedTransaction> &list)
{
    QSet<QString> out;
    for (const auto &t : list)
        out.insert(t.signature);
    return out;
}

QString slotscopeBinary()
{
    return QStringLiteral(SLOTSCOPE_BINARY_DIR) + u"/bin/slotscope"_s;
}

} // namespace

class tst_CompareExperiment : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void regressionsAreTheFailedOnes();
    void improvementsAreTheRegressionsReversed();
    void noErrorChanges();
    void feesAndComputeUnits();
    void omittedAndAdded();
    void solBalancesPerAccount();
    void tokenBalancesPerAccount();
    void feePayers();
    void summary();
    void commandLineReportsTheSameDifferences();

private:
    QTemporaryDir m_dir;
    QString m_baselinePath;
    QString m_changedPath;
    QList<BaselineTx> m_baseline;
    Experiment m_changes;     ///< fail, fee, compute units, omit, add
    Experiment m_balances;    ///< sol and token
    ComparisonResult m_changed;
    ComparisonResult m_balanced;
    ComparisonResult m_reversed;   ///< the changed run as baseline, the baseline as experiment
};

void tst_CompareExperiment::initTestCase()
{
    m_changes.failEvery = 9;
    m_changes.feeEvery = 7;
    m_changes.feeDelta = 3000;
    m_changes.computeUnitsEvery = 6;
    m_changes.computeUnitsDelta = 1234;
    m_changes.omitEvery = 11;
    m_changes.addEvery = 13;
    m_balances.solEvery = 5;
    m_balances.solDelta = 777;
    m_balances.tokenEvery = 4;
    m_balances.tokenDelta = 42;

    m_baselinePath = m_dir.filePath(u"baseline.ndjson"_s);
    m_changedPath = m_dir.filePath(u"changed.ndjson"_s);
    const QString balanced = m_dir.filePath(u"balanced.ndjson"_s);
    QVERIFY(captureRun(Experiment{}, m_baselinePath));
    QVERIFY(captureRun(m_changes, m_changedPath));
    QVERIFY(captureRun(m_balances, balanced));
    m_baseline = readBaseline(m_baselinePath);
    QCOMPARE(m_baseline.size(), qsizetype(kPerSlot) * qsizetype(kEnd - kStart + 1));

    auto a = compareCaptures(m_baselinePath, m_changedPath);
    QVERIFY2(a, qPrintable(a ? QString() : a.error().message));
    m_changed = *a;
    auto b = compareCaptures(m_baselinePath, balanced);
    QVERIFY2(b, qPrintable(b ? QString() : b.error().message));
    m_balanced = *b;
    auto c = compareCaptures(m_changedPath, m_baselinePath);
    QVERIFY2(c, qPrintable(c ? QString() : c.error().message));
    m_reversed = *c;
    QVERIFY2(m_changed.warnings.isEmpty(), qPrintable(m_changed.warnings.join(u" | "_s)));
    QVERIFY(m_balanced.warnings.isEmpty());
}

void tst_CompareExperiment::regressionsAreTheFailedOnes()
{
    QSet<QString> expected;
    for (const BaselineTx &t : m_baseline) {
        const ExpectedTx x = expectedOf(t, m_changes);
        if (x.present && t.success && !x.success)
            expected.insert(t.signature);
    }
    QVERIFY(expected.size() > 10);
    QCOMPARE(signatures(m_changed.regressions), expected);
    for (const ComparedTransaction &t : m_changed.regressions) {
        QVERIFY(t.baseline.success);
        QVERIFY(!t.experiment.success);
        QVERIFY2(t.experiment.error.contains(u"custom program error: 0x1771"_s), qPrintable(t.experiment.error));
    }
    QCOMPARE(m_changed.baseline.transactions, quint64(m_baseline.size()));
    QVERIFY(m_changed.improvements.isEmpty());
}

void tst_CompareExperiment::improvementsAreTheRegressionsReversed()
{
    // The same two captures the other way round: every regression is an
    // improvement, the omitted ones are the experiment's own, the added ones the baseline's.
    QVERIFY(m_reversed.regressions.isEmpty());
    QCOMPARE(signatures(m_reversed.improvements), signatures(m_changed.regressions));
    for (const ComparedTransaction &t : m_reversed.improvements) {
        QVERIFY(!t.baseline.success);
        QVERIFY(t.experiment.success);
        QVERIFY(t.experiment.error.isEmpty());
    }
    QCOMPARE(signatures(m_reversed.onlyBaseline), signatures(m_changed.onlyExperiment));
    QCOMPARE(signatures(m_reversed.onlyExperiment), signatures(m_changed.onlyBaseline));
    QCOMPARE(signatures(m_reversed.fees), signatures(m_changed.fees));
    QCOMPARE(m_reversed.feeDifference, (SignedAmount{m_changed.feeDifference.magnitude, true}));
    QCOMPARE(m_reversed.computeUnitDifference, (SignedAmount{m_changed.computeUnitDifference.magnitude, true}));
}

void tst_CompareExperiment::noErrorChanges()
{
    // A failed transaction stays as it failed; the balances run changes no outcome and no number.
    QVERIFY(m_changed.errorChanges.isEmpty());
    for (const ComparisonSection s : {ComparisonSection::Regressions, ComparisonSection::Improvements,
                                      ComparisonSection::ErrorChanges, ComparisonSection::Fees,
                                      ComparisonSection::ComputeUnits, ComparisonSection::OnlyBaseline,
                                      ComparisonSection::OnlyExperiment})
        QCOMPARE(m_balanced.count(s), 0);
}

void tst_CompareExperiment::feesAndComputeUnits()
{
    QSet<QString> fees;
    QSet<QString> units;
    qint64 unitDelta = 0;
    for (const BaselineTx &t : m_baseline) {
        const ExpectedTx x = expectedOf(t, m_changes);
        if (!x.present)
            continue;
        if (x.fee != t.fee)
            fees.insert(t.signature);
        if (x.computeUnits != t.computeUnits) {
            units.insert(t.signature);
            unitDelta += qint64(*x.computeUnits - *t.computeUnits);
        }
    }
    QVERIFY(!fees.isEmpty() && !units.isEmpty());
    QCOMPARE(signatures(m_changed.fees), fees);
    for (const ComparedTransaction &t : m_changed.fees)
        QCOMPARE(*t.experiment.fee, *t.baseline.fee + 3000);
    QCOMPARE(signatures(m_changed.computeUnits), units);
    for (const ComparedTransaction &t : m_changed.computeUnits)
        QCOMPARE(*t.experiment.computeUnits, *t.baseline.computeUnits + 1234);
    QCOMPARE(m_changed.feeDifference, (SignedAmount{3000 * quint64(fees.size()), false}));
    QCOMPARE(toInt(m_changed.computeUnitDifference), unitDelta);
}

void tst_CompareExperiment::omittedAndAdded()
{
    QSet<QString> omitted;
    QSet<QString> added;
    for (const BaselineTx &t : m_baseline) {
        const ExpectedTx x = expectedOf(t, m_changes);
        if (!x.present)
            omitted.insert(t.signature);
        if (x.added)
            added.insert(Internal::copySignature(t.signature, t.slot, 0xffffffffu));
    }
    QVERIFY(!omitted.isEmpty() && !added.isEmpty());
    QCOMPARE(signatures(m_changed.onlyBaseline), omitted);
    QCOMPARE(signatures(m_changed.onlyExperiment), added);
    QCOMPARE(m_changed.joined, quint64(m_baseline.size() - omitted.size()));
    QCOMPARE(m_changed.experiment.transactions, quint64(m_baseline.size() - omitted.size() + added.size()));
}

void tst_CompareExperiment::solBalancesPerAccount()
{
    // Only the fee payers of the selected transactions differ: +777 each time.
    std::map<QString, qint64> expected;
    for (const BaselineTx &t : m_baseline) {
        if (experimentSelects(ExperimentAspect::Sol, t.signature, m_balances.solEvery))
            expected[t.feePayer] += 777;
    }
    QVERIFY(!expected.empty());
    std::map<QString, qint64> got;
    for (const BalanceDelta &b : m_balanced.solBalances) {
        QVERIFY(b.mint.isEmpty());
        QCOMPARE(b.baselineTransactions, b.experimentTransactions);
        QCOMPARE(toInt(b.experiment) - toInt(b.baseline), toInt(b.difference));
        got[b.account] = toInt(b.difference);
    }
    QCOMPARE(got, expected);
}

void tst_CompareExperiment::tokenBalancesPerAccount()
{
    // The first post token balance of each selected transaction: +42 raw units.
    std::map<std::pair<QString, QString>, qint64> expected;
    for (const BaselineTx &t : m_baseline) {
        if (!t.tokenAccount.isEmpty() && experimentSelects(ExperimentAspect::Token, t.signature, m_balances.tokenEvery))
            expected[{t.tokenAccount, t.tokenMint}] += 42;
    }
    QVERIFY(!expected.empty());
    std::map<std::pair<QString, QString>, qint64> got;
    for (const BalanceDelta &b : m_balanced.tokenBalances)
        got[{b.account, b.mint}] = toInt(b.difference);
    QCOMPARE(got, expected);
}

void tst_CompareExperiment::feePayers()
{
    // Balances run: counts and fees equal, each payer's SOL change +777 per selection.
    std::map<QString, qint64> solByPayer;
    for (const BaselineTx &t : m_baseline) {
        if (experimentSelects(ExperimentAspect::Sol, t.signature, m_balances.solEvery))
            solByPayer[t.feePayer] += 777;
    }
    QCOMPARE(m_balanced.feePayers.size(), qsizetype(solByPayer.size()));
    for (const FeePayerDelta &p : m_balanced.feePayers) {
        QCOMPARE(p.baselineTransactions, p.experimentTransactions);
        QCOMPARE(p.baselineFees, p.experimentFees);
        QCOMPARE(toInt(p.experimentSolDelta) - toInt(p.baselineSolDelta), solByPayer.at(p.feePayer));
    }

    // Changes run: each payer's transactions, failures and fees on both sides.
    struct Counts
    {
        quint64 transactions = 0;
        quint64 failures = 0;
        quint64 fees = 0;
        bool operator==(const Counts &) const = default;
    };
    std::map<QString, std::pair<Counts, Counts>> expected;   // baseline, experiment
    for (const BaselineTx &t : m_baseline) {
        auto &[before, after] = expected[t.feePayer];
        ++before.transactions;
        before.failures += t.success ? 0 : 1;
        before.fees += t.fee;
        const ExpectedTx x = expectedOf(t, m_changes);
        const int copies = !x.present ? 0 : x.added ? 2 : 1;
        after.transactions += quint64(copies);
        after.failures += x.success ? 0 : quint64(copies);
        after.fees += x.fee * quint64(copies);
    }
    QSet<QString> differing;
    for (const auto &[payer, sides] : expected) {
        if (!(sides.first == sides.second))
            differing.insert(payer);
    }
    QVERIFY(!differing.isEmpty());
    QSet<QString> listed;
    for (const FeePayerDelta &p : m_changed.feePayers) {
        listed.insert(p.feePayer);
        const auto &[before, after] = expected.at(p.feePayer);
        QCOMPARE((Counts{p.baselineTransactions, p.baselineFailures, p.baselineFees}), before);
        QCOMPARE((Counts{p.experimentTransactions, p.experimentFailures, p.experimentFees}), after);
    }
    // Listed: every payer whose counts or fees moved (and those whose SOL change alone did).
    QVERIFY(listed.contains(differing));
}

void tst_CompareExperiment::summary()
{
    quint64 transactions = 0, failures = 0, fees = 0, units = 0;
    quint64 baseFailures = 0, baseFees = 0, baseUnits = 0;
    for (const BaselineTx &t : m_baseline) {
        baseFailures += t.success ? 0 : 1;
        baseFees += t.fee;
        baseUnits += t.computeUnits.value_or(0);
        const ExpectedTx x = expectedOf(t, m_changes);
        const quint64 copies = !x.present ? 0 : x.added ? 2 : 1;
        transactions += copies;
        failures += x.success ? 0 : copies;
        fees += x.fee * copies;
        units += x.computeUnits.value_or(0) * copies;
    }
    const auto n = [](quint64 v) { return QString::number(v); };
    const auto d = [](quint64 b, quint64 e) {
        return e >= b ? (e == b ? u"0"_s : u"+"_s + QString::number(e - b)) : u"-"_s + QString::number(b - e);
    };
    const quint64 base = quint64(m_baseline.size());
    const std::map<QString, SummaryRow> expected{
        {u"transactions"_s, {u"transactions"_s, n(base), n(transactions), d(base, transactions)}},
        {u"failures"_s, {u"failures"_s, n(baseFailures), n(failures), d(baseFailures, failures)}},
        {u"successes"_s, {u"successes"_s, n(base - baseFailures), n(transactions - failures),
                          d(base - baseFailures, transactions - failures)}},
        {u"regressions"_s, {u"regressions"_s, {}, n(quint64(m_changed.regressions.size())), {}}},
        {u"only_in_one_run"_s, {u"only_in_one_run"_s, n(quint64(m_changed.onlyBaseline.size())),
                                n(quint64(m_changed.onlyExperiment.size())), {}}},
        {u"fees_lamports"_s, {u"fees_lamports"_s, n(baseFees), n(fees), d(baseFees, fees)}},
        {u"compute_units"_s, {u"compute_units"_s, n(baseUnits), n(units), d(baseUnits, units)}},
        {u"fee_changes"_s, {u"fee_changes"_s, {}, n(quint64(m_changed.fees.size())), {}}},
        {u"damaged_lines"_s, {u"damaged_lines"_s, u"0"_s, u"0"_s, {}}},
    };
    int checked = 0;
    for (const SummaryRow &row : summaryRows(m_changed)) {
        const auto it = expected.find(row.metric);
        if (it == expected.end())
            continue;
        ++checked;
        QCOMPARE(row.baseline, it->second.baseline);
        QCOMPARE(row.experiment, it->second.experiment);
        QCOMPARE(row.delta, it->second.delta);
    }
    QCOMPARE(checked, int(expected.size()));
    QVERIFY(m_changed.baseline.complete && m_changed.experiment.complete);
}

void tst_CompareExperiment::commandLineReportsTheSameDifferences()
{
    // `slotscope compare` as a process: its CSV is the library's, and its
    // report names each section with the count checked above.
    QVERIFY2(QFile::exists(slotscopeBinary()), qPrintable(slotscopeBinary()));
    const QString csvPath = m_dir.filePath(u"changed.csv"_s);
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(u"DISPLAY"_s);
    env.remove(u"QT_QPA_PLATFORM"_s);
    process.setProcessEnvironment(env);
    process.start(slotscopeBinary(), {u"compare"_s, m_baselinePath, m_changedPath, u"--csv"_s, csvPath});
    QVERIFY(process.waitForFinished(60000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    const QString out = QString::fromUtf8(process.readAllStandardOutput());
    QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
    for (const ComparisonSection s : allSections()) {
        const QString header = u"== %1 (%2)"_s.arg(sectionName(s)).arg(m_changed.count(s));
        QVERIFY2(out.contains(header), qPrintable(header));
    }
    QFile csv(csvPath);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QByteArray content = csv.readAll();
    QCOMPARE(content, comparisonCsvAll(m_changed));
    // One row per regressed signature, in the long table.
    for (const ComparedTransaction &t : m_changed.regressions)
        QVERIFY(content.contains("\r\nregressions," + t.signature.toUtf8() + ','));
}

QTEST_GUILESS_MAIN(tst_CompareExperiment)
#include "tst_compareexperiment.moc"
