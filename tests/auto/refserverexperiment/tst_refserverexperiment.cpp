// The reference server's experiment runs (RefServerConfig::experiment, issue
// 12): which transactions each aspect selects, what it changes in their JSON
// (checked field by field on the real fixtures), omit and add through the
// plan, and a baseline run against an experiment run over real sockets that
// differ in exactly the configured ways.

#include "protocol/base58.h"
#include "protocol/transactionfiles.h"
#include "protocol/transactionsummary.h"
#include "rawclients.h"
#include "refserver/experiment.h"
#include "refserver/refserver.h"
#include "refserver/transactionplan.h"

#include <QRandomGenerator>

#include <memory>

using namespace Qt::StringLiterals;
using namespace SlotScope;
using namespace SlotScope::Internal;
using namespace RefServerTest;

Q_DECLARE_METATYPE(SlotScope::ExperimentAspect)

namespace {

QJsonObject parse(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

/// The bytes of top-level member `key` of `json`.
QByteArray memberText(const QByteArray &json, QByteArrayView key)
{
    const auto span = topLevelMemberSpan(json, key);
    return span ? json.mid(span->first, span->second - span->first) : QByteArray();
}

QJsonObject firstPostToken(const QByteArray &json)
{
    return parse(json)
        .value(u"meta"_s)
        .toObject()
        .value(u"postTokenBalances"_s)
        .toArray()
        .first()
        .toObject()
        .value(u"uiTokenAmount"_s)
        .toObject();
}

/// Every transactionNotification of a run over [start, end] on `server`, by
/// signature (arrival order kept in `order`), and the `completed` summary.
struct Run
{
    QMap<QString, QByteArray> bySignature;
    QStringList order;
    QJsonObject summary;
};

Run runToEnd(RefServer &server, quint64 start, quint64 end)
{
    Run run;
    ControlClient control;
    const QString id =
        createSession(control, server.controlUrl(), start, end, {{u"sendSummary"_s, true}}, {u"readyForContinue"_s});
    DataClient data;
    if (id.isEmpty() || !data.open(server.controlUrl(), id))
        return run;
    const qint64 subscription = data.subscribe(1, {});
    control.send(continueRequest(end - start + 1));
    if (!control.waitForEnd(0, {u"completed"_s}) || !spinUntil([&] { return data.disconnected; }))
        return run;
    run.summary =
        control.first(u"completed"_s)->value(u"params"_s).toObject().value(u"summary"_s).toObject();
    const QStringList signatures = data.signatures(subscription);
    const QList<QByteArray> results = data.results(subscription);
    for (qsizetype i = 0; i < signatures.size(); ++i) {
        run.bySignature.insert(signatures.at(i), results.at(i));
        run.order.append(signatures.at(i));
    }
    return run;
}

} // namespace

class tst_RefServerExperiment : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void selection();
    void selectionIsPinned();
    void aspectEdits_data();
    void aspectEdits();
    void noSelectionNoChange();
    void omitAndAddThroughThePlan();
    void experimentRunDiffersExactly();

private:
    QList<LoadedTransaction> m_loaded;
    std::shared_ptr<const TransactionCatalog> m_catalog;
};

void tst_RefServerExperiment::initTestCase()
{
    auto loaded = loadTransactionDirectory(fixturesDir());
    QVERIFY(loaded.ok());
    m_loaded = *loaded;
    QCOMPARE(m_loaded.size(), 31);
    auto catalog = TransactionCatalog::load(fixturesDir());
    QVERIFY(catalog.ok());
    m_catalog = *catalog;
}

void tst_RefServerExperiment::selection()
{
    for (const QString &signature : {u"2kHbPUGz"_s, u"x"_s, QString()}) {
        QVERIFY(!experimentSelects(ExperimentAspect::Fail, signature, 0));
        QVERIFY(!experimentSelects(ExperimentAspect::Fail, signature, -3));
        QVERIFY(experimentSelects(ExperimentAspect::Fail, signature, 1));
    }
    // About one in `every`, each aspect independent of the others and of the salt.
    QRandomGenerator random(42);
    constexpr int Count = 20000;
    int fail = 0, fee = 0, both = 0, agreeAcrossSalts = 0;
    for (int i = 0; i < Count; ++i) {
        QByteArray bytes(64, Qt::Uninitialized);
        for (char &byte : bytes)
            byte = char(random.bounded(256));
        const QString signature = QString::fromLatin1(base58Encode(bytes));
        const bool f = experimentSelects(ExperimentAspect::Fail, signature, 5);
        const bool g = experimentSelects(ExperimentAspect::Fee, signature, 5);
        fail += f;
        fee += g;
        both += f && g;
        agreeAcrossSalts += f == experimentSelects(ExperimentAspect::Fail, signature, 5, 99);
        QCOMPARE(experimentSelects(ExperimentAspect::Fail, signature, 5), f); // a pure function
    }
    QVERIFY2(fail > Count * 0.18 && fail < Count * 0.22, qPrintable(QString::number(fail)));
    QVERIFY2(fee > Count * 0.18 && fee < Count * 0.22, qPrintable(QString::number(fee)));
    QVERIFY2(both > Count * 0.03 && both < Count * 0.05, qPrintable(QString::number(both))); // ≈ 1/25
    QVERIFY2(agreeAcrossSalts > Count * 0.64 && agreeAcrossSalts < Count * 0.72,
             qPrintable(QString::number(agreeAcrossSalts))); // ≈ 0.8² + 0.2²
}

void tst_RefServerExperiment::selectionIsPinned()
{
    // Two runs (and two builds) must select the same transactions, or a
    // baseline captured yesterday no longer compares: the fixture indices each
    // aspect selects with every = 5, salt 0, are fixed here.
    const QList<std::pair<ExperimentAspect, QList<int>>> expected{
        {ExperimentAspect::Fail, {4, 9, 11, 13, 25}},
        {ExperimentAspect::Fee, {3, 6, 7, 9, 11, 12, 17, 18, 19, 23, 29}},
        {ExperimentAspect::ComputeUnits, {5, 7, 9, 11, 12, 14, 21, 29}},
        {ExperimentAspect::Sol, {3, 9, 21}},
        {ExperimentAspect::Token, {2, 4, 8, 24, 25}},
        {ExperimentAspect::Omit, {1, 2, 11, 12, 21, 25}},
        {ExperimentAspect::Add, {2, 7, 8, 18, 19}},
    };
    QList<std::pair<ExperimentAspect, QList<int>>> actual;
    for (const auto &[aspect, indices] : expected) {
        QList<int> selected;
        for (int i = 0; i < m_loaded.size(); ++i) {
            if (experimentSelects(aspect, m_loaded.at(i).signature, 5))
                selected.append(i);
        }
        actual.append({aspect, selected});
    }
    for (qsizetype i = 0; i < actual.size(); ++i)
        QCOMPARE(actual.at(i).second, expected.at(i).second);
}

void tst_RefServerExperiment::aspectEdits_data()
{
    QTest::addColumn<ExperimentAspect>("aspect");
    QTest::addRow("fail") << ExperimentAspect::Fail;
    QTest::addRow("fee") << ExperimentAspect::Fee;
    QTest::addRow("compute units") << ExperimentAspect::ComputeUnits;
    QTest::addRow("sol") << ExperimentAspect::Sol;
    QTest::addRow("token") << ExperimentAspect::Token;
}

void tst_RefServerExperiment::aspectEdits()
{
    QFETCH(ExperimentAspect, aspect);
    Experiment experiment{.feeDelta = 1000, .computeUnitsDelta = 700, .solDelta = -12345, .tokenDelta = 5};
    switch (aspect) {
    case ExperimentAspect::Fail: experiment.failEvery = 1; break;
    case ExperimentAspect::Fee: experiment.feeEvery = 1; break;
    case ExperimentAspect::ComputeUnits: experiment.computeUnitsEvery = 1; break;
    case ExperimentAspect::Sol: experiment.solEvery = 1; break;
    case ExperimentAspect::Token: experiment.tokenEvery = 1; break;
    case ExperimentAspect::Omit:
    case ExperimentAspect::Add: QFAIL("not an edit"); break;
    }

    TransactionSummarizer summarizer;
    int changed = 0;
    for (const LoadedTransaction &loaded : std::as_const(m_loaded)) {
        const QByteArray &json = loaded.json;
        const TransactionSummary before = *summarizer.summarize(json);
        const ExperimentChange change = applyExperiment(experiment, loaded.signature, json, before.success);
        const auto afterSummary = summarizer.summarize(change.json);
        QVERIFY2(afterSummary.ok(), qPrintable(loaded.signature));
        const TransactionSummary after = *afterSummary;
        QVERIFY(!QJsonDocument::fromJson(change.json).isNull());
        // What the experiment never touches.
        QCOMPARE(memberText(change.json, "transaction"), memberText(json, "transaction"));
        QCOMPARE(memberText(change.json, "slot"), memberText(json, "slot"));
        QCOMPARE(after.signature, before.signature);
        QCOMPARE(change.success, after.success);
        changed += change.changed;

        switch (aspect) {
        case ExperimentAspect::Fail: {
            if (!before.success) {
                QCOMPARE(change.json, json); // already failed: left alone
                break;
            }
            QVERIFY(!after.success);
            const qsizetype instructions = parse(json)
                                               .value(u"transaction"_s)
                                               .toObject()
                                               .value(u"message"_s)
                                               .toObject()
                                               .value(u"instructions"_s)
                                               .toArray()
                                               .size();
            QCOMPARE(after.errorJson, R"({"InstructionError":[)" + QByteArray::number(instructions - 1)
                                          + R"(,{"Custom":6001}]})");
            QCOMPARE(parse(change.json).value(u"meta"_s).toObject().value(u"status"_s).toObject().keys(),
                     QStringList{u"Err"_s});
            QCOMPARE(after.fee, before.fee);
            QCOMPARE(after.feePayerSolChange, -qint64(before.fee)); // it pays the fee, nothing else
            QVERIFY(after.tokenChanges.isEmpty());
            for (const SolChange &sol : after.solChanges)
                QCOMPARE(sol.account, before.feePayer);
            if (before.logsPresent) { // a null logMessages stays null
                QCOMPARE(after.logs.size(), before.logs.size() + 1);
                QVERIFY2(after.logs.last().endsWith(u"failed: custom program error: 0x1771"_s),
                         qPrintable(after.logs.last()));
            } else {
                QVERIFY(!after.logsPresent);
            }
            QCOMPARE(after.computeUnitsConsumed, before.computeUnitsConsumed);
            break;
        }
        case ExperimentAspect::Fee:
            QCOMPARE(after.fee, before.fee + 1000);
            QCOMPARE(after.feePayerSolChange, before.feePayerSolChange - 1000);
            QCOMPARE(after.success, before.success);
            QCOMPARE(after.tokenChanges, before.tokenChanges);
            break;
        case ExperimentAspect::ComputeUnits:
            if (before.computeUnitsConsumed) // absent stays absent
                QCOMPARE(*after.computeUnitsConsumed, *before.computeUnitsConsumed + 700);
            else
                QVERIFY(!after.computeUnitsConsumed);
            QCOMPARE(after.fee, before.fee);
            QCOMPARE(after.feePayerSolChange, before.feePayerSolChange);
            break;
        case ExperimentAspect::Sol:
            QCOMPARE(after.feePayerSolChange, before.feePayerSolChange - 12345);
            QCOMPARE(after.fee, before.fee);
            QCOMPARE(after.tokenChanges, before.tokenChanges);
            break;
        case ExperimentAspect::Token: {
            const QJsonObject beforeToken = firstPostToken(json);
            const QJsonObject afterToken = firstPostToken(change.json);
            if (beforeToken.isEmpty()) {
                QCOMPARE(change.json, json); // nothing to change
                break;
            }
            const quint64 amount = beforeToken.value(u"amount"_s).toString().toULongLong() + 5;
            const int decimals = beforeToken.value(u"decimals"_s).toInt();
            QCOMPARE(afterToken.value(u"amount"_s).toString(), QString::number(amount));
            QCOMPARE(afterToken.value(u"decimals"_s).toInt(), decimals);
            QCOMPARE(afterToken.value(u"uiAmountString"_s).toString(), uiAmountString(amount, decimals));
            double scale = 1;
            for (int i = 0; i < decimals; ++i)
                scale *= 10;
            QCOMPARE(afterToken.value(u"uiAmount"_s).toDouble(), double(amount) / scale);
            QCOMPARE(after.fee, before.fee);
            QCOMPARE(after.feePayerSolChange, before.feePayerSolChange);
            // Every other entry as it was.
            const QJsonArray beforeAll = parse(json).value(u"meta"_s).toObject().value(u"postTokenBalances"_s).toArray();
            const QJsonArray afterAll =
                parse(change.json).value(u"meta"_s).toObject().value(u"postTokenBalances"_s).toArray();
            QCOMPARE(afterAll.size(), beforeAll.size());
            for (qsizetype i = 1; i < afterAll.size(); ++i)
                QCOMPARE(afterAll.at(i), beforeAll.at(i));
            break;
        }
        case ExperimentAspect::Omit:
        case ExperimentAspect::Add:
            break;
        }
    }
    QVERIFY(changed >= 10); // the fixtures exercise each aspect
}

void tst_RefServerExperiment::noSelectionNoChange()
{
    Experiment experiment; // every aspect off
    experiment.feeDelta = 1000;
    for (const LoadedTransaction &loaded : std::as_const(m_loaded)) {
        const ExperimentChange change = applyExperiment(experiment, loaded.signature, loaded.json, true);
        QVERIFY(!change.changed);
        QCOMPARE(change.json, loaded.json);
    }
}

void tst_RefServerExperiment::omitAndAddThroughThePlan()
{
    Experiment experiment;
    experiment.omitEvery = 4;
    experiment.addEvery = 3;
    experiment.failEvery = 2;
    const TransactionPlan plan(m_catalog, 1000, 1199, 0, experiment);
    const TransactionPlan baseline(m_catalog, 1000, 1199, 0);
    int omitted = 0, added = 0, failed = 0;
    for (auto at = plan.nextTransaction({1000, 0}); at; at = plan.nextTransaction({at->slot, at->batch + 1})) {
        const PlannedTransaction transaction = plan.transactionAt(*at, true);
        const PlannedTransaction original = baseline.transactionAt(*at, true);
        QCOMPARE(transaction.signature, original.signature);
        QCOMPARE(plan.signatureAt(*at), original.signature);
        const bool omit = experimentSelects(ExperimentAspect::Omit, original.signature, 4);
        QCOMPARE(transaction.omitted, omit);
        QCOMPARE(plan.omittedAt(*at), omit);
        if (omit) {
            ++omitted;
            continue;
        }
        QCOMPARE(plan.successAt(*at), transaction.success);
        const bool fails = original.success && experimentSelects(ExperimentAspect::Fail, original.signature, 2);
        QCOMPARE(transaction.success, original.success && !fails);
        failed += fails;
        if (!fails)
            QCOMPARE(transaction.json, original.json);
        const bool add = experimentSelects(ExperimentAspect::Add, original.signature, 3);
        QCOMPARE(bool(transaction.extra), add);
        if (!add)
            continue;
        ++added;
        const PlannedTransaction &extra = *transaction.extra;
        QCOMPARE(extra.signature, copySignature(original.signature, at->slot, 0xffffffffu));
        QVERIFY(!extra.json.contains(original.signature.toLatin1()));
        QCOMPARE(QString::fromUtf8(extra.json).replace(extra.signature, original.signature).toUtf8(),
                 transaction.json);
        QCOMPARE(extra.deltas.size(), transaction.deltas.size());
        QCOMPARE(extra.position, transaction.position);
    }
    QVERIFY(omitted > 0);
    QVERIFY(added > 0);
    QVERIFY(failed > 0);
}

void tst_RefServerExperiment::experimentRunDiffersExactly()
{
    // What `slotscope compare` must find between these two runs is exactly
    // what the experiment's selections say.
    RefServerConfig config{.apiKey = ApiKey, .txDir = fixturesDir()};
    RefServer baselineServer(config);
    QVERIFY(baselineServer.listen().ok());
    config.experiment.failEvery = 5;
    config.experiment.feeEvery = 4;
    config.experiment.feeDelta = 2500;
    config.experiment.computeUnitsEvery = 3;
    config.experiment.computeUnitsDelta = 1000;
    config.experiment.solEvery = 6;
    config.experiment.solDelta = -50000;
    config.experiment.tokenEvery = 2;
    config.experiment.tokenDelta = 7;
    config.experiment.omitEvery = 7;
    config.experiment.addEvery = 8;
    RefServer experimentServer(config);
    QVERIFY(experimentServer.listen().ok());

    const Run baseline = runToEnd(baselineServer, 1000, 1199);
    const Run experiment = runToEnd(experimentServer, 1000, 1199);
    QCOMPARE(baseline.order.size(), 31);
    TransactionSummarizer summarizer;
    const Experiment &e = config.experiment;
    QStringList expectedOrder;
    quint64 correct = 0, errors = 0;
    int omitted = 0, added = 0, regressions = 0, feeChanges = 0, unitChanges = 0, solChanges = 0, tokenChanges = 0;
    for (const QString &signature : baseline.order) {
        const TransactionSummary before = *summarizer.summarize(baseline.bySignature.value(signature));
        if (experimentSelects(ExperimentAspect::Omit, signature, e.omitEvery)) {
            QVERIFY(!experiment.bySignature.contains(signature));
            ++omitted;
            continue;
        }
        expectedOrder.append(signature);
        QVERIFY(experiment.bySignature.contains(signature));
        const TransactionSummary after = *summarizer.summarize(experiment.bySignature.value(signature));
        const bool fails = before.success && experimentSelects(ExperimentAspect::Fail, signature, e.failEvery);
        const bool fee = experimentSelects(ExperimentAspect::Fee, signature, e.feeEvery);
        const bool units = experimentSelects(ExperimentAspect::ComputeUnits, signature, e.computeUnitsEvery)
                           && before.computeUnitsConsumed.has_value();
        const bool sol = experimentSelects(ExperimentAspect::Sol, signature, e.solEvery);
        const bool token = experimentSelects(ExperimentAspect::Token, signature, e.tokenEvery)
                           && !firstPostToken(baseline.bySignature.value(signature)).isEmpty();
        regressions += fails;
        feeChanges += fee;
        unitChanges += units;
        solChanges += sol;
        tokenChanges += token;
        QCOMPARE(after.success, before.success && !fails);
        QCOMPARE(after.fee, before.fee + (fee ? 2500 : 0));
        QCOMPARE(after.computeUnitsConsumed.value_or(0), before.computeUnitsConsumed.value_or(0) + (units ? 1000 : 0));
        const qint64 expectedSol = (fails ? -qint64(before.fee) : before.feePayerSolChange) - (fee ? 2500 : 0)
                                   + (sol ? -50000 : 0);
        QCOMPARE(after.feePayerSolChange, expectedSol);
        if (!fails && !fee && !units && !sol && !token)
            QCOMPARE(experiment.bySignature.value(signature), baseline.bySignature.value(signature));
        (after.success ? correct : errors) += 1;
        if (experimentSelects(ExperimentAspect::Add, signature, e.addEvery)) {
            const QString copy = copySignature(signature, after.slot, 0xffffffffu);
            expectedOrder.append(copy);
            QVERIFY(experiment.bySignature.contains(copy));
            ++added;
        }
    }
    QCOMPARE(experiment.order, expectedOrder); // the copies right after their originals
    // Each aspect really changed something in this run.
    QVERIFY(omitted > 0 && added > 0 && regressions > 0 && feeChanges > 0 && unitChanges > 0 && solChanges > 0
            && tokenChanges > 0);
    // The summary counts what executed: omitted ones and copies are not in it.
    QCOMPARE(quint64(experiment.summary.value(u"correctSimulation"_s).toInteger()), correct);
    QCOMPARE(quint64(experiment.summary.value(u"executionErrors"_s).toInteger()), errors);
    QCOMPARE(baseline.summary.value(u"correctSimulation"_s).toInteger()
                 + baseline.summary.value(u"executionErrors"_s).toInteger(),
             qint64(31));
}

QTEST_GUILESS_MAIN(tst_RefServerExperiment)
#include "tst_refserverexperiment.moc"
