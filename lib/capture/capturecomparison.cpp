#include "capture/capturecomparison.h"

#include "capture/capturereader.h"
#include "capture/capturewriter.h"
#include "capture/captureparsing.h"
#include "capture/csvexporter.h"
#include "capture/logging.h"
#include "capture/outputfile.h"
#include "protocol/jsonencoding.h"

#include <QFileInfo>
#include <QHash>

#include <algorithm>
#include <limits>
#include <map>
#include <vector>

using namespace Qt::StringLiterals;

namespace SlotScope {

using namespace Internal;

namespace {

using Int128 = __int128;

SignedAmount toSigned(Int128 v)
{
    const bool negative = v < 0;
    const unsigned __int128 m = negative ? (unsigned __int128)(-(v + 1)) + 1 : (unsigned __int128)v;
    const quint64 max = ~quint64(0);
    return SignedAmount{m > max ? max : quint64(m), negative};
}

Int128 toInt128(const SignedAmount &a)
{
    return a.negative ? -Int128(a.magnitude) : Int128(a.magnitude);
}

struct BalanceAgg
{
    Int128 sum = 0;
    quint64 transactions = 0;
    QString owner;
    int decimals = 9;
};

struct PayerAgg
{
    quint64 transactions = 0;
    quint64 failures = 0;
    quint64 fees = 0;          ///< of the transactions with a known fee
    quint64 feesUnknown = 0;   ///< transactions without one
    Int128 sol = 0;
};

/// What one run contributes to the per-account sections.
struct SideAggregates
{
    QHash<QString, BalanceAgg> sol;
    std::map<std::pair<QString, QString>, BalanceAgg> tokens;   // (token account, mint)
    QHash<QString, PayerAgg> payers;

    void add(const TxView &v)
    {
        for (const SolChangeView &c : v.solChanges) {
            BalanceAgg &a = sol[toQString(c.account)];
            a.sum += Int128(c.post) - Int128(c.pre);
            ++a.transactions;
        }
        for (const TokenChangeView &c : v.tokenChanges) {
            BalanceAgg &a = tokens[{toQString(c.account), toQString(c.mint)}];
            a.sum += Int128(c.post) - Int128(c.pre);
            ++a.transactions;
            if (a.owner.isEmpty())
                a.owner = toQString(c.owner);
            a.decimals = c.decimals;
        }
        if (!v.feePayer.empty()) {
            PayerAgg &p = payers[toQString(v.feePayer)];
            ++p.transactions;
            p.failures += !v.success;
            p.fees += v.fee.value_or(0);
            p.feesUnknown += v.fee ? 0 : 1;
            for (const SolChangeView &c : v.solChanges) {
                if (c.account == v.feePayer) {
                    p.sol += Int128(c.post) - Int128(c.pre);
                    break;
                }
            }
        }
    }
};

struct BaselineTx
{
    quint64 slot = 0;
    qint64 offset = -1;
    qsizetype order = 0;
    quint64 fee = 0;
    quint64 computeUnits = 0;
    quint32 errorId = 0;
    bool success = true;
    bool hasFee = false;
    bool hasComputeUnits = false;
    bool matched = false;
};

ComparedOutcome outcomeOf(const TxView &v, qint64 offset)
{
    ComparedOutcome o;
    o.success = v.success;
    if (!v.success)
        o.error = toQString(v.error);
    o.fee = v.fee;
    o.computeUnits = v.computeUnitsConsumed;
    o.offset = offset;
    return o;
}

void count(ComparedRun &run, const TxView &v)
{
    ++run.transactions;
    if (v.success)
        ++run.successes;
    else
        ++run.failures;
    // Saturating: a nonsense value near 2^64 must not wrap a total round to a small one.
    const auto add = [](quint64 &total, quint64 value) {
        if (__builtin_add_overflow(total, value, &total))
            total = std::numeric_limits<quint64>::max();
    };
    if (v.fee) {
        ++run.feesKnown;
        add(run.fees, *v.fee);
    }
    if (v.computeUnitsConsumed) {
        ++run.computeUnitsKnown;
        add(run.computeUnits, *v.computeUnitsConsumed);
    }
    if (!v.feePayer.empty())
        ++run.feePayersKnown;
}

Result<void> openReader(CaptureReader &reader, const QString &path)
{
    reader.setDeduplicate(true);
    reader.setIncludeLogs(false);
    reader.setIncludeBalanceChanges(true);
    return reader.open(path);
}

/// Counts and warnings of a side read to its end. Errors: the file holds no
/// capture at all (empty, blank, or nothing but damaged lines): a comparison
/// against it would report every transaction of the other side as one-sided
/// and no regression (CAPTURE_FORMAT.md §2: a capture starts with its
/// metadata line).
Result<void> finishRun(ComparedRun &run, const CaptureReader &reader, const QString &name, QStringList &warnings)
{
    run.damagedLines = reader.damagedLines();
    run.duplicatesDropped = reader.duplicatesDropped();
    run.complete = reader.summary().has_value();
    // A summary line alone is no capture either: it vouches for
    // transactions nobody can compare.
    if (run.transactions == 0 && !reader.metadata()) {
        // A capture's events file, given by mistake: name the capture to compare.
        QString hint;
        for (const QString &capture : CaptureWriter::capturePathsForEvents(run.path)) {
            if (QFileInfo(capture).isFile()) {
                hint = u"; it is the events file of %1: compare that"_s.arg(capture);
                break;
            }
        }
        return makeError(u"The %1 %2 holds no capture (no metadata line, no transactions%3)%4"_s.arg(
            name, run.path,
            run.damagedLines > 0 ? u", %1 damaged line(s)"_s.arg(run.damagedLines) : QString(), hint));
    }
    if (!reader.metadata())
        warnings.append(u"%1: no metadata line (CAPTURE_FORMAT.md §2): not a whole capture"_s.arg(name));
    if (run.damagedLines > 0) {
        warnings.append(u"%1: %2 damaged line(s) skipped"_s.arg(name).arg(run.damagedLines));
        run.gaps.append(u"%1 damaged line(s) skipped"_s.arg(run.damagedLines));
    }
    if (!run.complete) {
        warnings.append(u"%1: no summary line (a run cut short)"_s.arg(name));
        run.gaps.append(u"no summary line (a run cut short or failed)"_s);
    } else if (const QString disagreement = reader.summaryDisagreement(); !disagreement.isEmpty()) {
        warnings.append(u"%1: %2"_s.arg(name, disagreement));
        run.gaps.append(disagreement);
    }
    // What is odd about the file as a whole (two captures joined, a
    // transaction after the summary, …), the first few; damaged lines are
    // counted above, the capture view lists every warning.
    const QStringList fileWarnings = reader.fileWarnings();
    constexpr qsizetype fileWarningsShown = 5;
    for (qsizetype i = 0; i < std::min(fileWarnings.size(), fileWarningsShown); ++i)
        warnings.append(u"%1: %2"_s.arg(name, fileWarnings.at(i)));
    if (fileWarnings.size() > fileWarningsShown) {
        warnings.append(u"%1: %2 more warning(s) about the file; open it in SlotScope to see them all"_s.arg(name).arg(
            fileWarnings.size() - fileWarningsShown));
    }
    if (run.transactions > 0 && run.feesKnown == 0)
        warnings.append(u"%1: no fees recorded (sim run captures record none): fee totals not compared"_s.arg(name));
    if (run.transactions > 0 && run.computeUnitsKnown == 0)
        warnings.append(u"%1: no compute units recorded: compute-unit totals not compared"_s.arg(name));
    if (run.transactions > 0 && run.feePayersKnown == 0)
        warnings.append(u"%1: no fee payers recorded (sim run captures record none): fee payers not compared"_s.arg(name));
    return {};
}

bool bySlot(const ComparedTransaction &a, const ComparedTransaction &b)
{
    return a.slot != b.slot ? a.slot < b.slot : a.signature < b.signature;
}

QList<BalanceDelta> balanceRows(const std::map<std::pair<QString, QString>, std::pair<const BalanceAgg *, const BalanceAgg *>> &joined)
{
    QList<BalanceDelta> rows;
    for (const auto &[key, sides] : joined) {
        const Int128 b = sides.first ? sides.first->sum : 0;
        const Int128 e = sides.second ? sides.second->sum : 0;
        if (b == e)
            continue;
        const BalanceAgg &info = sides.second ? *sides.second : *sides.first;
        BalanceDelta row;
        row.account = key.first;
        row.mint = key.second;
        row.owner = info.owner.isEmpty() && sides.first ? sides.first->owner : info.owner;
        row.decimals = info.decimals;
        row.baselineTransactions = sides.first ? sides.first->transactions : 0;
        row.experimentTransactions = sides.second ? sides.second->transactions : 0;
        row.baseline = toSigned(b);
        row.experiment = toSigned(e);
        row.difference = toSigned(e - b);
        rows.append(row);
    }
    std::stable_sort(rows.begin(), rows.end(), [](const BalanceDelta &a, const BalanceDelta &b) {
        if (a.difference.magnitude != b.difference.magnitude)
            return a.difference.magnitude > b.difference.magnitude;
        return a.account != b.account ? a.account < b.account : a.mint < b.mint;
    });
    return rows;
}

// ---------------------------------------------------------------------------
// CSV

class Csv
{
public:
    explicit Csv(QByteArrayView header) { m_out.append(header.data(), header.size()).append("\r\n"); }
    Csv &field(const QString &text)
    {
        sep();
        CsvExporter::appendField(m_out, text.toUtf8(), false);
        return *this;
    }
    Csv &number(quint64 v)
    {
        sep();
        appendUInt(m_out, v);
        return *this;
    }
    Csv &optional(const std::optional<quint64> &v)
    {
        sep();
        if (v)
            appendUInt(m_out, *v);
        return *this;
    }
    Csv &boolean(bool b)
    {
        sep();
        m_out.append(b ? "true" : "false");
        return *this;
    }
    Csv &amount(const SignedAmount &a)
    {
        sep();
        if (a.negative && a.magnitude)
            m_out.append('-');
        appendUInt(m_out, a.magnitude);
        return *this;
    }
    Csv &empty()
    {
        sep();
        return *this;
    }
    void endRow()
    {
        m_out.append("\r\n");
        m_first = true;
    }
    QByteArray take() { return std::move(m_out); }

private:
    void sep()
    {
        if (!m_first)
            m_out.append(',');
        m_first = false;
    }
    QByteArray m_out;
    bool m_first = true;
};

SignedAmount optionalDelta(const std::optional<quint64> &b, const std::optional<quint64> &e)
{
    if (!b || !e)
        return {};
    return SignedAmount::difference(*e, *b);
}

QString signedText(const SignedAmount &a)
{
    if (a.magnitude == 0)
        return u"0"_s;
    return (a.negative ? u"-"_s : u"+"_s) + QString::number(a.magnitude);
}

/// A signedText() as every CSV writes numbers: plain, a '-' only (README).
QString csvNumber(const QString &text)
{
    return text.startsWith(u'+') ? text.mid(1) : text;
}

QString optionalText(const std::optional<quint64> &v)
{
    return v ? QString::number(*v) : QString();
}

} // namespace

QString sectionName(ComparisonSection section)
{
    switch (section) {
    case ComparisonSection::Summary: return u"summary"_s;
    case ComparisonSection::Regressions: return u"regressions"_s;
    case ComparisonSection::Improvements: return u"improvements"_s;
    case ComparisonSection::ErrorChanges: return u"error_changes"_s;
    case ComparisonSection::Fees: return u"fees"_s;
    case ComparisonSection::ComputeUnits: return u"compute_units"_s;
    case ComparisonSection::SolBalances: return u"sol_balances"_s;
    case ComparisonSection::TokenBalances: return u"token_balances"_s;
    case ComparisonSection::FeePayers: return u"fee_payers"_s;
    case ComparisonSection::OnlyBaseline: return u"only_baseline"_s;
    case ComparisonSection::OnlyExperiment: return u"only_experiment"_s;
    }
    return {};
}

QList<ComparisonSection> allSections()
{
    return {ComparisonSection::Summary,      ComparisonSection::Regressions,   ComparisonSection::Improvements,
            ComparisonSection::ErrorChanges, ComparisonSection::Fees,          ComparisonSection::ComputeUnits,
            ComparisonSection::SolBalances,  ComparisonSection::TokenBalances, ComparisonSection::FeePayers,
            ComparisonSection::OnlyBaseline, ComparisonSection::OnlyExperiment};
}

std::optional<ComparisonSection> sectionFromName(const QString &name)
{
    for (const ComparisonSection s : allSections()) {
        if (sectionName(s) == name || sectionName(s).replace(u'_', u'-') == name)
            return s;
    }
    return std::nullopt;
}

qsizetype ComparisonResult::count(ComparisonSection section) const
{
    switch (section) {
    case ComparisonSection::Summary: return summaryRows(*this).size();
    case ComparisonSection::Regressions: return regressions.size();
    case ComparisonSection::Improvements: return improvements.size();
    case ComparisonSection::ErrorChanges: return errorChanges.size();
    case ComparisonSection::Fees: return fees.size();
    case ComparisonSection::ComputeUnits: return computeUnits.size();
    case ComparisonSection::SolBalances: return solBalances.size();
    case ComparisonSection::TokenBalances: return tokenBalances.size();
    case ComparisonSection::FeePayers: return feePayers.size();
    case ComparisonSection::OnlyBaseline: return onlyBaseline.size();
    case ComparisonSection::OnlyExperiment: return onlyExperiment.size();
    }
    return 0;
}

bool ComparisonResult::compared(ComparisonSection section) const
{
    switch (section) {
    case ComparisonSection::Fees: return feesCompared > 0 || joined == 0;
    case ComparisonSection::ComputeUnits: return computeUnitsCompared > 0 || joined == 0;
    case ComparisonSection::FeePayers: return feePayersCompared;
    default: return true;
    }
}

Result<ComparisonResult> compareCaptures(const QString &baselinePath, const QString &experimentPath,
                                         const std::function<void(qint64, qint64)> &progress,
                                         const std::atomic_bool *cancel)
{
    ComparisonResult result;
    result.baseline.path = baselinePath;
    result.experiment.path = experimentPath;
    CaptureReader baselineReader;
    CaptureReader experimentReader;
    if (auto r = openReader(baselineReader, baselinePath); !r)
        return makeError(u"Baseline: %1"_s.arg(r.error().message));
    if (auto r = openReader(experimentReader, experimentPath); !r)
        return makeError(u"Experiment: %1"_s.arg(r.error().message));
    const qint64 total = baselineReader.totalBytes() + experimentReader.totalBytes();
    const auto cancelled = [cancel] { return cancel && cancel->load(std::memory_order_relaxed); };
    qint64 lastProgress = 0;
    const auto report = [&](qint64 done) {
        if (progress && done - lastProgress >= (qint64(1) << 20)) {
            lastProgress = done;
            progress(done, total);
        }
    };

    // 1. The baseline, kept compactly for the join.
    QHash<QByteArray, BaselineTx> baseline;
    QStringList errors{QString()};
    QHash<QString, quint32> errorIds;
    SideAggregates baselineAgg;
    SideAggregates experimentAgg;
    qint64 offset = -1;
    qsizetype order = 0;
    while (const TxView *v = readNextTransactionView(baselineReader, &offset)) {
        if (cancelled())
            return makeError(u"Comparison cancelled"_s);
        report(baselineReader.bytesRead());
        count(result.baseline, *v);
        baselineAgg.add(*v);
        BaselineTx tx;
        tx.slot = v->slot;
        tx.offset = offset;
        tx.order = order++;
        tx.success = v->success;
        tx.hasFee = v->fee.has_value();
        tx.fee = v->fee.value_or(0);
        tx.hasComputeUnits = v->computeUnitsConsumed.has_value();
        tx.computeUnits = v->computeUnitsConsumed.value_or(0);
        if (!v->success) {
            const QString error = toQString(v->error);
            auto it = errorIds.constFind(error);
            if (it == errorIds.cend()) {
                it = errorIds.insert(error, quint32(errors.size()));
                errors.append(error);
            }
            tx.errorId = *it;
        }
        baseline.insert(QByteArray(v->signature.data(), qsizetype(v->signature.size())), tx);
    }
    if (!baselineReader.errorString().isEmpty())
        return makeError(u"Baseline: %1"_s.arg(baselineReader.errorString()));
    if (auto finished = finishRun(result.baseline, baselineReader, u"baseline"_s, result.warnings); !finished)
        return makeError(finished.error().message);

    // 2. The experiment, joined as it streams.
    quint64 movedSlots = 0; // joined at another slot than the baseline's
    QString firstMoved;
    Int128 feeDifference = 0;
    Int128 computeUnitDifference = 0;
    QByteArray key;
    while (const TxView *v = readNextTransactionView(experimentReader, &offset)) {
        if (cancelled())
            return makeError(u"Comparison cancelled"_s);
        report(baselineReader.totalBytes() + experimentReader.bytesRead());
        count(result.experiment, *v);
        experimentAgg.add(*v);
        key.setRawData(v->signature.data(), qsizetype(v->signature.size()));
        const auto it = baseline.find(key);
        if (it == baseline.end()) {
            result.onlyExperiment.append(OneSidedTransaction{toQString(v->signature), v->slot, outcomeOf(*v, offset)});
            continue;
        }
        BaselineTx &b = *it;
        b.matched = true;
        ++result.joined;
        if (b.slot != v->slot && movedSlots++ == 0)
            firstMoved = u"%1: slot %2 → %3"_s.arg(toQString(v->signature)).arg(b.slot).arg(v->slot);
        ComparedTransaction row;
        row.signature = toQString(v->signature);
        row.slot = v->slot;
        row.baseline.success = b.success;
        row.baseline.error = errors.at(b.errorId);
        row.baseline.fee = b.hasFee ? std::optional<quint64>(b.fee) : std::nullopt;
        row.baseline.computeUnits = b.hasComputeUnits ? std::optional<quint64>(b.computeUnits) : std::nullopt;
        row.baseline.offset = b.offset;
        row.experiment = outcomeOf(*v, offset);
        if (b.success && !v->success)
            result.regressions.append(row);
        else if (!b.success && v->success)
            result.improvements.append(row);
        else if (!b.success && !v->success && row.baseline.error != row.experiment.error)
            result.errorChanges.append(row);
        result.feesOneSided += row.baseline.fee.has_value() != row.experiment.fee.has_value();
        result.computeUnitsOneSided += row.baseline.computeUnits.has_value() != row.experiment.computeUnits.has_value();
        if (row.baseline.fee && row.experiment.fee) {
            ++result.feesCompared;
            feeDifference += Int128(*row.experiment.fee) - Int128(*row.baseline.fee);
            if (*row.baseline.fee != *row.experiment.fee)
                result.fees.append(row);
        }
        if (row.baseline.computeUnits && row.experiment.computeUnits) {
            ++result.computeUnitsCompared;
            computeUnitDifference += Int128(*row.experiment.computeUnits) - Int128(*row.baseline.computeUnits);
            if (*row.baseline.computeUnits != *row.experiment.computeUnits)
                result.computeUnits.append(row);
        }
    }
    key.clear();
    if (!experimentReader.errorString().isEmpty())
        return makeError(u"Experiment: %1"_s.arg(experimentReader.errorString()));
    if (auto finished = finishRun(result.experiment, experimentReader, u"experiment"_s, result.warnings); !finished)
        return makeError(finished.error().message);
    // Rows carry the experiment's slot: said when the baseline's differs, and
    // when the runs covered different slots at all.
    if (movedSlots > 0) {
        result.warnings.append(u"%1 joined transaction(s) at another slot than in the baseline (first: %2); rows show "
                               "the experiment's slot"_s.arg(movedSlots).arg(firstMoved));
    }
    if (const auto b = baselineReader.metadata(), e = experimentReader.metadata();
        b && e && (b->startSlot != e->startSlot || b->endSlot != e->endSlot)) {
        result.warnings.append(u"the runs cover different slots: baseline %1..%2, experiment %3..%4"_s.arg(b->startSlot)
                                   .arg(b->endSlot).arg(e->startSlot).arg(e->endSlot));
    }
    result.feeDifference = toSigned(feeDifference);
    result.computeUnitDifference = toSigned(computeUnitDifference);
    // A transaction of both runs whose value one file lacks: the totals would
    // differ by what the files hold, not by what the runs did.
    // (A side that records none of them is warned about above.)
    const auto oneSided = [&result](const QString &what, quint64 count, quint64 compared, quint64 baselineKnown,
                                    quint64 experimentKnown) {
        if (count > 0 && baselineKnown > 0 && experimentKnown > 0) {
            result.warnings.append(u"%1 joined transaction(s) record %2 in one run only: the %2 totals are not set "
                                   "against each other; the joined delta compares %3 pair(s)"_s.arg(count).arg(what)
                                       .arg(compared));
        }
    };
    oneSided(u"fees"_s, result.feesOneSided, result.feesCompared, result.baseline.feesKnown,
             result.experiment.feesKnown);
    oneSided(u"compute units"_s, result.computeUnitsOneSided, result.computeUnitsCompared,
             result.baseline.computeUnitsKnown, result.experiment.computeUnitsKnown);

    // 3. What the experiment did not have, in baseline file order.
    std::vector<std::pair<qsizetype, QHash<QByteArray, BaselineTx>::const_iterator>> missing;
    for (auto it = baseline.cbegin(); it != baseline.cend(); ++it) {
        if (!it->matched)
            missing.emplace_back(it->order, it);
    }
    std::sort(missing.begin(), missing.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    for (const auto &[index, it] : missing) {
        ComparedOutcome o;
        o.success = it->success;
        o.error = errors.at(it->errorId);
        o.fee = it->hasFee ? std::optional<quint64>(it->fee) : std::nullopt;
        o.computeUnits = it->hasComputeUnits ? std::optional<quint64>(it->computeUnits) : std::nullopt;
        o.offset = it->offset;
        result.onlyBaseline.append(OneSidedTransaction{QString::fromLatin1(it.key()), it->slot, o});
    }

    for (auto *list : {&result.regressions, &result.improvements, &result.errorChanges, &result.fees,
                       &result.computeUnits})
        std::stable_sort(list->begin(), list->end(), bySlot);

    // 4. Per account, per token account, per fee payer.
    std::map<std::pair<QString, QString>, std::pair<const BalanceAgg *, const BalanceAgg *>> sol;
    for (auto it = baselineAgg.sol.cbegin(); it != baselineAgg.sol.cend(); ++it)
        sol[{it.key(), QString()}].first = &it.value();
    for (auto it = experimentAgg.sol.cbegin(); it != experimentAgg.sol.cend(); ++it)
        sol[{it.key(), QString()}].second = &it.value();
    result.solBalances = balanceRows(sol);
    std::map<std::pair<QString, QString>, std::pair<const BalanceAgg *, const BalanceAgg *>> tokens;
    for (const auto &[k, a] : baselineAgg.tokens)
        tokens[k].first = &a;
    for (const auto &[k, a] : experimentAgg.tokens)
        tokens[k].second = &a;
    result.tokenBalances = balanceRows(tokens);

    // A side that names no fee payer (a `sim run` capture) is not compared
    // per fee payer: every payer of the other side would differ.
    result.feePayersCompared = (result.baseline.transactions == 0 || result.baseline.feePayersKnown > 0)
        && (result.experiment.transactions == 0 || result.experiment.feePayersKnown > 0);
    if (!result.feePayersCompared) {
        baselineAgg.payers.clear();
        experimentAgg.payers.clear();
    }
    std::map<QString, std::pair<PayerAgg, PayerAgg>> payers;
    for (auto it = baselineAgg.payers.cbegin(); it != baselineAgg.payers.cend(); ++it)
        payers[it.key()].first = it.value();
    for (auto it = experimentAgg.payers.cbegin(); it != experimentAgg.payers.cend(); ++it)
        payers[it.key()].second = it.value();
    for (const auto &[payer, sides] : payers) {
        const PayerAgg &b = sides.first;
        const PayerAgg &e = sides.second;
        const bool feesCompared = b.feesUnknown == 0 && e.feesUnknown == 0;
        if (b.transactions == e.transactions && b.failures == e.failures && (b.fees == e.fees || !feesCompared)
            && b.sol == e.sol)
            continue;
        result.feePayers.append(FeePayerDelta{payer, b.transactions, e.transactions, b.failures, e.failures, b.fees,
                                              e.fees, toSigned(b.sol), toSigned(e.sol), feesCompared});
    }
    if (progress)
        progress(total, total);
    qCInfo(lcCapture, "Compared %s (%llu tx) with %s (%llu tx): %llu joined, %lld regressions, %lld improvements",
           qPrintable(baselinePath), static_cast<unsigned long long>(result.baseline.transactions),
           qPrintable(experimentPath), static_cast<unsigned long long>(result.experiment.transactions),
           static_cast<unsigned long long>(result.joined), static_cast<long long>(result.regressions.size()),
           static_cast<long long>(result.improvements.size()));
    return result;
}

QList<SummaryRow> summaryRows(const ComparisonResult &r)
{
    const auto diff = [](quint64 b, quint64 e) { return signedText(SignedAmount::difference(e, b)); };
    const auto n = [](quint64 v) { return QString::number(v); };
    QList<SummaryRow> rows;
    rows.append({u"transactions"_s, n(r.baseline.transactions), n(r.experiment.transactions),
                 diff(r.baseline.transactions, r.experiment.transactions)});
    rows.append({u"successes"_s, n(r.baseline.successes), n(r.experiment.successes),
                 diff(r.baseline.successes, r.experiment.successes)});
    rows.append({u"failures"_s, n(r.baseline.failures), n(r.experiment.failures),
                 diff(r.baseline.failures, r.experiment.failures)});
    rows.append({u"joined_by_signature"_s, n(r.joined), n(r.joined), u"0"_s});
    rows.append({u"only_in_one_run"_s, n(quint64(r.onlyBaseline.size())), n(quint64(r.onlyExperiment.size())), {}});
    rows.append({u"regressions"_s, {}, n(quint64(r.regressions.size())), {}});
    rows.append({u"improvements"_s, {}, n(quint64(r.improvements.size())), {}});
    rows.append({u"error_changes"_s, {}, n(quint64(r.errorChanges.size())), {}});
    // Not compared (a `sim run` capture records no fees): unknown, not "0 changes".
    const auto changes = [&](ComparisonSection section) {
        return r.compared(section) ? n(quint64(r.count(section))) : QString();
    };
    rows.append({u"fee_changes"_s, {}, changes(ComparisonSection::Fees), {}});
    rows.append({u"compute_unit_changes"_s, {}, changes(ComparisonSection::ComputeUnits), {}});
    // A total over a side that records none of the values is unknown, not
    // zero (a `sim run` capture has no fees): left empty, and so is its delta.
    const auto total = [&n](quint64 sum, quint64 known, quint64 transactions) {
        return known > 0 || transactions == 0 ? n(sum) : QString();
    };
    const auto totalRow = [&](const QString &metric, quint64 baseline, quint64 baselineKnown, quint64 experiment,
                              quint64 experimentKnown, quint64 oneSided) {
        SummaryRow row{metric, total(baseline, baselineKnown, r.baseline.transactions),
                       total(experiment, experimentKnown, r.experiment.transactions), {}};
        // Not when a joined transaction records it on one side only (compareCaptures() warns).
        if (oneSided == 0 && !row.baseline.isEmpty() && !row.experiment.isEmpty())
            row.delta = diff(baseline, experiment);
        rows.append(row);
    };
    totalRow(u"fees_lamports"_s, r.baseline.fees, r.baseline.feesKnown, r.experiment.fees, r.experiment.feesKnown,
             r.feesOneSided);
    rows.append({u"fees_lamports_joined_delta"_s, {}, {}, r.feesCompared > 0 ? signedText(r.feeDifference) : QString()});
    totalRow(u"compute_units"_s, r.baseline.computeUnits, r.baseline.computeUnitsKnown, r.experiment.computeUnits,
             r.experiment.computeUnitsKnown, r.computeUnitsOneSided);
    rows.append({u"compute_units_joined_delta"_s, {}, {},
                 r.computeUnitsCompared > 0 ? signedText(r.computeUnitDifference) : QString()});
    rows.append({u"sol_accounts_differing"_s, {}, n(quint64(r.solBalances.size())), {}});
    rows.append({u"token_accounts_differing"_s, {}, n(quint64(r.tokenBalances.size())), {}});
    rows.append({u"fee_payers_differing"_s, {}, changes(ComparisonSection::FeePayers), {}});
    rows.append({u"damaged_lines"_s, n(quint64(r.baseline.damagedLines)), n(quint64(r.experiment.damagedLines)), {}});
    rows.append({u"duplicates_dropped"_s, n(quint64(r.baseline.duplicatesDropped)),
                 n(quint64(r.experiment.duplicatesDropped)), {}});
    rows.append({u"complete"_s, r.baseline.complete ? u"true"_s : u"false"_s,
                 r.experiment.complete ? u"true"_s : u"false"_s, {}});
    return rows;
}

QByteArray comparisonCsv(const ComparisonResult &r, ComparisonSection section)
{
    const auto transactions = [](const QList<ComparedTransaction> &list) {
        Csv csv("signature,slot,baseline_success,experiment_success,baseline_error,experiment_error,"
                "baseline_fee,experiment_fee,baseline_compute_units,experiment_compute_units");
        for (const ComparedTransaction &t : list) {
            csv.field(t.signature).number(t.slot).boolean(t.baseline.success).boolean(t.experiment.success)
                .field(t.baseline.error).field(t.experiment.error).optional(t.baseline.fee).optional(t.experiment.fee)
                .optional(t.baseline.computeUnits).optional(t.experiment.computeUnits).endRow();
        }
        return csv.take();
    };
    const auto oneSided = [](const QList<OneSidedTransaction> &list) {
        Csv csv("signature,slot,success,error,fee,compute_units");
        for (const OneSidedTransaction &t : list) {
            csv.field(t.signature).number(t.slot).boolean(t.outcome.success).field(t.outcome.error)
                .optional(t.outcome.fee).optional(t.outcome.computeUnits).endRow();
        }
        return csv.take();
    };
    switch (section) {
    case ComparisonSection::Summary: {
        Csv csv("metric,baseline,experiment,delta");
        for (const SummaryRow &row : summaryRows(r))
            csv.field(row.metric).field(row.baseline).field(row.experiment).field(csvNumber(row.delta)).endRow();
        return csv.take();
    }
    case ComparisonSection::Regressions: return transactions(r.regressions);
    case ComparisonSection::Improvements: return transactions(r.improvements);
    case ComparisonSection::ErrorChanges: return transactions(r.errorChanges);
    case ComparisonSection::Fees: {
        Csv csv("signature,slot,baseline_fee,experiment_fee,fee_delta");
        for (const ComparedTransaction &t : r.fees) {
            csv.field(t.signature).number(t.slot).optional(t.baseline.fee).optional(t.experiment.fee)
                .amount(optionalDelta(t.baseline.fee, t.experiment.fee)).endRow();
        }
        return csv.take();
    }
    case ComparisonSection::ComputeUnits: {
        Csv csv("signature,slot,baseline_compute_units,experiment_compute_units,compute_units_delta");
        for (const ComparedTransaction &t : r.computeUnits) {
            csv.field(t.signature).number(t.slot).optional(t.baseline.computeUnits).optional(t.experiment.computeUnits)
                .amount(optionalDelta(t.baseline.computeUnits, t.experiment.computeUnits)).endRow();
        }
        return csv.take();
    }
    case ComparisonSection::SolBalances: {
        Csv csv("account,baseline_transactions,experiment_transactions,baseline_delta_lamports,"
                "experiment_delta_lamports,difference_lamports");
        for (const BalanceDelta &b : r.solBalances) {
            csv.field(b.account).number(b.baselineTransactions).number(b.experimentTransactions).amount(b.baseline)
                .amount(b.experiment).amount(b.difference).endRow();
        }
        return csv.take();
    }
    case ComparisonSection::TokenBalances: {
        Csv csv("token_account,mint,owner,decimals,baseline_transactions,experiment_transactions,"
                "baseline_delta,experiment_delta,difference");
        for (const BalanceDelta &b : r.tokenBalances) {
            csv.field(b.account).field(b.mint).field(b.owner).number(quint64(qMax(0, b.decimals)))
                .number(b.baselineTransactions).number(b.experimentTransactions).amount(b.baseline)
                .amount(b.experiment).amount(b.difference).endRow();
        }
        return csv.take();
    }
    case ComparisonSection::FeePayers: {
        Csv csv("fee_payer,baseline_transactions,experiment_transactions,baseline_failures,experiment_failures,"
                "baseline_fees,experiment_fees,baseline_sol_delta,experiment_sol_delta");
        for (const FeePayerDelta &p : r.feePayers) {
            csv.field(p.feePayer).number(p.baselineTransactions).number(p.experimentTransactions)
                .number(p.baselineFailures).number(p.experimentFailures);
            if (p.feesCompared)
                csv.number(p.baselineFees).number(p.experimentFees);
            else
                csv.field(QString()).field(QString()); // a fee missing: no sum to give
            csv.amount(p.baselineSolDelta).amount(p.experimentSolDelta).endRow();
        }
        return csv.take();
    }
    case ComparisonSection::OnlyBaseline: return oneSided(r.onlyBaseline);
    case ComparisonSection::OnlyExperiment: return oneSided(r.onlyExperiment);
    }
    return {};
}

QByteArray comparisonCsvAll(const ComparisonResult &r, const QList<ComparisonSection> &sections)
{
    Csv csv("section,key,slot,mint,owner,metric,baseline,experiment,delta,baseline_error,experiment_error");
    const auto row = [&csv, &sections](ComparisonSection s, const QString &key, std::optional<quint64> slot, const QString &mint,
                            const QString &owner, const QString &metric, const QString &b, const QString &e,
                            const QString &delta, const QString &be = {}, const QString &ee = {}) {
        if (!sections.contains(s))
            return;
        csv.field(sectionName(s)).field(key).optional(slot).field(mint).field(owner).field(metric)
            .field(csvNumber(b)).field(csvNumber(e)).field(csvNumber(delta)).field(be).field(ee).endRow();
    };
    const auto text = [](bool b) { return b ? u"true"_s : u"false"_s; };
    for (const SummaryRow &s : summaryRows(r))
        row(ComparisonSection::Summary, s.metric, std::nullopt, {}, {}, s.metric, s.baseline, s.experiment, s.delta);
    for (const auto &[section, list] : {std::pair{ComparisonSection::Regressions, &r.regressions},
                                        std::pair{ComparisonSection::Improvements, &r.improvements},
                                        std::pair{ComparisonSection::ErrorChanges, &r.errorChanges}}) {
        for (const ComparedTransaction &t : *list) {
            row(section, t.signature, t.slot, {}, {}, u"success"_s, text(t.baseline.success), text(t.experiment.success),
                {}, t.baseline.error, t.experiment.error);
        }
    }
    for (const ComparedTransaction &t : r.fees) {
        row(ComparisonSection::Fees, t.signature, t.slot, {}, {}, u"fee"_s, optionalText(t.baseline.fee),
            optionalText(t.experiment.fee), signedText(optionalDelta(t.baseline.fee, t.experiment.fee)));
    }
    for (const ComparedTransaction &t : r.computeUnits) {
        row(ComparisonSection::ComputeUnits, t.signature, t.slot, {}, {}, u"compute_units"_s,
            optionalText(t.baseline.computeUnits), optionalText(t.experiment.computeUnits),
            signedText(optionalDelta(t.baseline.computeUnits, t.experiment.computeUnits)));
    }
    for (const BalanceDelta &b : r.solBalances) {
        row(ComparisonSection::SolBalances, b.account, std::nullopt, {}, {}, u"lamports_delta"_s, signedText(b.baseline),
            signedText(b.experiment), signedText(b.difference));
    }
    for (const BalanceDelta &b : r.tokenBalances) {
        row(ComparisonSection::TokenBalances, b.account, std::nullopt, b.mint, b.owner, u"raw_amount_delta"_s,
            signedText(b.baseline), signedText(b.experiment), signedText(b.difference));
    }
    for (const FeePayerDelta &p : r.feePayers) {
        const auto metric = [&](const QString &name, quint64 b, quint64 e) {
            if (b != e)
                row(ComparisonSection::FeePayers, p.feePayer, std::nullopt, {}, {}, name, QString::number(b),
                    QString::number(e), signedText(SignedAmount::difference(e, b)));
        };
        metric(u"transactions"_s, p.baselineTransactions, p.experimentTransactions);
        metric(u"failures"_s, p.baselineFailures, p.experimentFailures);
        if (p.feesCompared)
            metric(u"fees"_s, p.baselineFees, p.experimentFees);
        if (!(p.baselineSolDelta == p.experimentSolDelta)) {
            row(ComparisonSection::FeePayers, p.feePayer, std::nullopt, {}, {}, u"sol_delta_lamports"_s,
                signedText(p.baselineSolDelta), signedText(p.experimentSolDelta),
                signedText(toSigned(toInt128(p.experimentSolDelta) - toInt128(p.baselineSolDelta))));
        }
    }
    for (const OneSidedTransaction &t : r.onlyBaseline) {
        row(ComparisonSection::OnlyBaseline, t.signature, t.slot, {}, {}, u"success"_s, text(t.outcome.success), {}, {},
            t.outcome.error, {});
    }
    for (const OneSidedTransaction &t : r.onlyExperiment) {
        row(ComparisonSection::OnlyExperiment, t.signature, t.slot, {}, {}, u"success"_s, {}, text(t.outcome.success),
            {}, {}, t.outcome.error);
    }
    return csv.take();
}

Result<void> writeCsvFile(const QString &path, const QByteArray &csv)
{
    OutputFile file(path);
    if (Result<void> opened = file.open(); !opened)
        return opened;
    if (Result<void> written = file.write(csv); !written)
        return written;
    return file.commit();
}

QString comparisonReport(const ComparisonResult &r, const QList<ComparisonSection> &sections, int rowsPerSection)
{
    QString out;
    // One report line per row: a line break inside a field (an error text)
    // would start a line that belongs to no row.
    const auto line = [&out](QString text) {
        out += text.replace(u"\r\n"_s, u" "_s).replace(u'\n', u' ').replace(u'\r', u' ') + u'\n';
    };
    const auto pad = [](const QString &s, int width) { return s.leftJustified(width, u' '); };
    const auto more = [&](qsizetype n) {
        if (n > rowsPerSection)
            line(u"  … %1 more (--rows shows more, --csv writes every row)"_s.arg(n - rowsPerSection));
    };
    line(u"Baseline:   %1"_s.arg(r.baseline.path));
    line(u"Experiment: %1"_s.arg(r.experiment.path));
    for (const QString &w : r.warnings)
        line(u"warning: %1"_s.arg(w));
    for (const ComparisonSection section : sections) {
        const qsizetype n = r.count(section);
        line(QString());
        line(r.compared(section) ? u"== %1 (%2)"_s.arg(sectionName(section)).arg(n)
                                 : u"== %1 (not compared: see the warnings)"_s.arg(sectionName(section)));
        switch (section) {
        case ComparisonSection::Summary:
            line(pad(u"metric"_s, 28) + pad(u"baseline"_s, 16) + pad(u"experiment"_s, 16) + u"delta"_s);
            for (const SummaryRow &s : summaryRows(r))
                line(pad(s.metric, 28) + pad(s.baseline, 16) + pad(s.experiment, 16) + s.delta);
            break;
        case ComparisonSection::Regressions:
        case ComparisonSection::Improvements:
        case ComparisonSection::ErrorChanges: {
            const QList<ComparedTransaction> &list = section == ComparisonSection::Regressions ? r.regressions
                    : section == ComparisonSection::Improvements                                ? r.improvements
                                                                                                : r.errorChanges;
            for (const ComparedTransaction &t : list.first(qMin<qsizetype>(list.size(), rowsPerSection))) {
                line(u"  %1  slot %2  %3 → %4"_s.arg(t.signature).arg(t.slot)
                         .arg(t.baseline.success ? u"ok"_s : t.baseline.error,
                              t.experiment.success ? u"ok"_s : t.experiment.error));
            }
            more(list.size());
            break;
        }
        case ComparisonSection::Fees:
        case ComparisonSection::ComputeUnits: {
            const bool fees = section == ComparisonSection::Fees;
            const QList<ComparedTransaction> &list = fees ? r.fees : r.computeUnits;
            for (const ComparedTransaction &t : list.first(qMin<qsizetype>(list.size(), rowsPerSection))) {
                const auto &b = fees ? t.baseline.fee : t.baseline.computeUnits;
                const auto &e = fees ? t.experiment.fee : t.experiment.computeUnits;
                line(u"  %1  slot %2  %3 → %4 (%5)"_s.arg(t.signature).arg(t.slot)
                         .arg(optionalText(b), optionalText(e), signedText(optionalDelta(b, e))));
            }
            more(list.size());
            break;
        }
        case ComparisonSection::SolBalances:
        case ComparisonSection::TokenBalances: {
            const bool sol = section == ComparisonSection::SolBalances;
            const QList<BalanceDelta> &list = sol ? r.solBalances : r.tokenBalances;
            for (const BalanceDelta &b : list.first(qMin<qsizetype>(list.size(), rowsPerSection))) {
                const QString what = sol ? b.account : u"%1 (mint %2, owner %3)"_s.arg(b.account, b.mint, b.owner);
                line(u"  %1  %2 → %3 (difference %4)"_s.arg(what, b.baseline.toString(b.decimals),
                                                            b.experiment.toString(b.decimals),
                                                            b.difference.toString(b.decimals)));
            }
            more(list.size());
            break;
        }
        case ComparisonSection::FeePayers:
            for (const FeePayerDelta &p : r.feePayers.first(qMin<qsizetype>(r.feePayers.size(), rowsPerSection))) {
                line(u"  %1  tx %2 → %3, failures %4 → %5, fees %6 → %7, SOL %8 → %9"_s.arg(p.feePayer)
                         .arg(p.baselineTransactions).arg(p.experimentTransactions).arg(p.baselineFailures)
                         .arg(p.experimentFailures)
                         .arg(p.feesCompared ? QString::number(p.baselineFees) : u"?"_s,
                              p.feesCompared ? QString::number(p.experimentFees) : u"?"_s)
                         .arg(p.baselineSolDelta.toString(9), p.experimentSolDelta.toString(9)));
            }
            more(r.feePayers.size());
            break;
        case ComparisonSection::OnlyBaseline:
        case ComparisonSection::OnlyExperiment: {
            const QList<OneSidedTransaction> &list = section == ComparisonSection::OnlyBaseline ? r.onlyBaseline
                                                                                               : r.onlyExperiment;
            for (const OneSidedTransaction &t : list.first(qMin<qsizetype>(list.size(), rowsPerSection)))
                line(u"  %1  slot %2  %3"_s.arg(t.signature).arg(t.slot).arg(t.outcome.success ? u"ok"_s : t.outcome.error));
            more(list.size());
            break;
        }
        }
    }
    return out;
}

} // namespace SlotScope
