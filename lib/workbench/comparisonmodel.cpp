#include "workbench/comparisonmodel.h"

#include "model/flattablemodel.h"

#include <QColor>
#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace SlotScope {

namespace {

QVariant rawSigned(const SignedAmount &a)
{
    const qint64 m = a.magnitude > quint64(INT64_MAX) ? INT64_MAX : qint64(a.magnitude);
    return QVariant::fromValue<qlonglong>(a.negative ? -m : m);
}

QVariant rawOptional(const std::optional<quint64> &v)
{
    return v ? QVariant::fromValue<qulonglong>(*v) : QVariant();
}

QString optionalText(const std::optional<quint64> &v)
{
    return v ? QString::number(*v) : QString();
}

QString status(const ComparedOutcome &o)
{
    return o.success ? ComparisonSectionModel::tr("OK") : o.error;
}

QStringList headers(ComparisonSection section)
{
    switch (section) {
    case ComparisonSection::Summary:
        return {ComparisonSectionModel::tr("Metric"), ComparisonSectionModel::tr("Baseline"), ComparisonSectionModel::tr("Experiment"), ComparisonSectionModel::tr("Delta")};
    case ComparisonSection::Regressions:
    case ComparisonSection::Improvements:
    case ComparisonSection::ErrorChanges:
        return {ComparisonSectionModel::tr("Slot"), ComparisonSectionModel::tr("Signature"), ComparisonSectionModel::tr("Baseline"), ComparisonSectionModel::tr("Experiment"), ComparisonSectionModel::tr("Baseline fee"), ComparisonSectionModel::tr("Experiment fee"),
                ComparisonSectionModel::tr("Baseline CU"), ComparisonSectionModel::tr("Experiment CU")};
    case ComparisonSection::Fees:
        return {ComparisonSectionModel::tr("Slot"), ComparisonSectionModel::tr("Signature"), ComparisonSectionModel::tr("Baseline fee"), ComparisonSectionModel::tr("Experiment fee"), ComparisonSectionModel::tr("Δ fee (lamports)")};
    case ComparisonSection::ComputeUnits:
        return {ComparisonSectionModel::tr("Slot"), ComparisonSectionModel::tr("Signature"), ComparisonSectionModel::tr("Baseline CU"), ComparisonSectionModel::tr("Experiment CU"), ComparisonSectionModel::tr("Δ CU")};
    case ComparisonSection::SolBalances:
        return {ComparisonSectionModel::tr("Account"), ComparisonSectionModel::tr("Baseline tx"), ComparisonSectionModel::tr("Experiment tx"), ComparisonSectionModel::tr("Baseline Δ (SOL)"), ComparisonSectionModel::tr("Experiment Δ (SOL)"),
                ComparisonSectionModel::tr("Difference (SOL)")};
    case ComparisonSection::TokenBalances:
        return {ComparisonSectionModel::tr("Token account"), ComparisonSectionModel::tr("Mint"), ComparisonSectionModel::tr("Owner"), ComparisonSectionModel::tr("Baseline Δ"), ComparisonSectionModel::tr("Experiment Δ"), ComparisonSectionModel::tr("Difference")};
    case ComparisonSection::FeePayers:
        return {ComparisonSectionModel::tr("Fee payer"), ComparisonSectionModel::tr("Baseline tx"), ComparisonSectionModel::tr("Experiment tx"), ComparisonSectionModel::tr("Baseline failures"), ComparisonSectionModel::tr("Experiment failures"),
                ComparisonSectionModel::tr("Baseline fees"), ComparisonSectionModel::tr("Experiment fees"), ComparisonSectionModel::tr("Baseline SOL Δ"), ComparisonSectionModel::tr("Experiment SOL Δ")};
    case ComparisonSection::OnlyBaseline:
    case ComparisonSection::OnlyExperiment:
        return {ComparisonSectionModel::tr("Slot"), ComparisonSectionModel::tr("Signature"), ComparisonSectionModel::tr("Status"), ComparisonSectionModel::tr("Fee"), ComparisonSectionModel::tr("CU")};
    }
    return {};
}

} // namespace

ComparisonSectionModel::ComparisonSectionModel(std::shared_ptr<const ComparisonResult> result,
                                               ComparisonSection section, QObject *parent)
    : QAbstractTableModel(parent)
    , m_result(std::move(result))
    , m_section(section)
{
    if (m_section == ComparisonSection::Summary)
        m_summary = summaryRows(*m_result);
}

int ComparisonSectionModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid())
        return 0;
    return m_section == ComparisonSection::Summary ? int(m_summary.size()) : int(m_result->count(m_section));
}

int ComparisonSectionModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(headers(m_section).size());
}

QVariant ComparisonSectionModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    return Internal::columnTitle(headers(m_section), section, orientation, role);
}

QVariant ComparisonSectionModel::cell(int row, int column, bool raw) const
{
    const ComparisonResult &r = *m_result;
    const auto slot = [raw](quint64 s) { return raw ? QVariant::fromValue<qulonglong>(s) : QVariant(QString::number(s)); };
    const auto number = [raw](quint64 n) { return raw ? QVariant::fromValue<qulonglong>(n) : QVariant(QString::number(n)); };
    const auto optional = [raw](const std::optional<quint64> &v) { return raw ? rawOptional(v) : QVariant(optionalText(v)); };
    const auto amount = [raw](const SignedAmount &a, int decimals) {
        return raw ? rawSigned(a) : QVariant(a.toString(decimals));
    };
    switch (m_section) {
    case ComparisonSection::Summary: {
        const SummaryRow &s = m_summary.at(row);
        return QStringList{s.metric, s.baseline, s.experiment, s.delta}.value(column);
    }
    case ComparisonSection::Regressions:
    case ComparisonSection::Improvements:
    case ComparisonSection::ErrorChanges: {
        const QList<ComparedTransaction> &list = m_section == ComparisonSection::Regressions ? r.regressions
                : m_section == ComparisonSection::Improvements                                ? r.improvements
                                                                                              : r.errorChanges;
        const ComparedTransaction &t = list.at(row);
        switch (column) {
        case 0: return slot(t.slot);
        case 1: return t.signature;
        case 2: return status(t.baseline);
        case 3: return status(t.experiment);
        case 4: return optional(t.baseline.fee);
        case 5: return optional(t.experiment.fee);
        case 6: return optional(t.baseline.computeUnits);
        case 7: return optional(t.experiment.computeUnits);
        }
        return {};
    }
    case ComparisonSection::Fees:
    case ComparisonSection::ComputeUnits: {
        const bool fees = m_section == ComparisonSection::Fees;
        const ComparedTransaction &t = (fees ? r.fees : r.computeUnits).at(row);
        const auto &b = fees ? t.baseline.fee : t.baseline.computeUnits;
        const auto &e = fees ? t.experiment.fee : t.experiment.computeUnits;
        switch (column) {
        case 0: return slot(t.slot);
        case 1: return t.signature;
        case 2: return optional(b);
        case 3: return optional(e);
        case 4: return b && e ? amount(SignedAmount::difference(*e, *b), 0) : QVariant();
        }
        return {};
    }
    case ComparisonSection::SolBalances: {
        const BalanceDelta &b = r.solBalances.at(row);
        switch (column) {
        case 0: return b.account;
        case 1: return number(b.baselineTransactions);
        case 2: return number(b.experimentTransactions);
        case 3: return amount(b.baseline, 9);
        case 4: return amount(b.experiment, 9);
        case 5: return amount(b.difference, 9);
        }
        return {};
    }
    case ComparisonSection::TokenBalances: {
        const BalanceDelta &b = r.tokenBalances.at(row);
        switch (column) {
        case 0: return b.account;
        case 1: return b.mint;
        case 2: return b.owner;
        case 3: return amount(b.baseline, b.decimals);
        case 4: return amount(b.experiment, b.decimals);
        case 5: return amount(b.difference, b.decimals);
        }
        return {};
    }
    case ComparisonSection::FeePayers: {
        const FeePayerDelta &p = r.feePayers.at(row);
        switch (column) {
        case 0: return p.feePayer;
        case 1: return number(p.baselineTransactions);
        case 2: return number(p.experimentTransactions);
        case 3: return number(p.baselineFailures);
        case 4: return number(p.experimentFailures);
        // A fee missing on either side: no sum to compare (not 0).
        case 5: return p.feesCompared ? number(p.baselineFees) : raw ? QVariant() : QVariant(tr("not known"));
        case 6: return p.feesCompared ? number(p.experimentFees) : raw ? QVariant() : QVariant(tr("not known"));
        case 7: return amount(p.baselineSolDelta, 9);
        case 8: return amount(p.experimentSolDelta, 9);
        }
        return {};
    }
    case ComparisonSection::OnlyBaseline:
    case ComparisonSection::OnlyExperiment: {
        const OneSidedTransaction &t = (m_section == ComparisonSection::OnlyBaseline ? r.onlyBaseline : r.onlyExperiment).at(row);
        switch (column) {
        case 0: return slot(t.slot);
        case 1: return t.signature;
        case 2: return status(t.outcome);
        case 3: return optional(t.outcome.fee);
        case 4: return optional(t.outcome.computeUnits);
        }
        return {};
    }
    }
    return {};
}

QVariant ComparisonSectionModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    const ComparisonResult &r = *m_result;
    const ComparedTransaction *joined = nullptr;
    const OneSidedTransaction *oneSided = nullptr;
    switch (m_section) {
    case ComparisonSection::Regressions: joined = &r.regressions.at(row); break;
    case ComparisonSection::Improvements: joined = &r.improvements.at(row); break;
    case ComparisonSection::ErrorChanges: joined = &r.errorChanges.at(row); break;
    case ComparisonSection::Fees: joined = &r.fees.at(row); break;
    case ComparisonSection::ComputeUnits: joined = &r.computeUnits.at(row); break;
    case ComparisonSection::OnlyBaseline:
    case ComparisonSection::OnlyExperiment:
        oneSided = &(m_section == ComparisonSection::OnlyBaseline ? r.onlyBaseline : r.onlyExperiment).at(row);
        break;
    default: break;
    }
    switch (role) {
    case Qt::DisplayRole:
        return cell(row, index.column(), false);
    case RawValueRole:
        return cell(row, index.column(), true);
    case Qt::ToolTipRole:
        return cell(row, index.column(), false);
    case Qt::ForegroundRole: {
        // A failed transaction's status column (only the status sections
        // have one there: in Fees and Compute units columns 2 and 3 are the
        // numbers, which red would read as "worse").
        const bool statusSection = m_section == ComparisonSection::Regressions
                                   || m_section == ComparisonSection::Improvements
                                   || m_section == ComparisonSection::ErrorChanges;
        if (statusSection && joined && index.column() == 3 && !joined->experiment.success)
            return QColor(Qt::darkRed);
        if (statusSection && joined && index.column() == 2 && !joined->baseline.success)
            return QColor(Qt::darkRed);
        if (oneSided && index.column() == 2 && !oneSided->outcome.success)
            return QColor(Qt::darkRed);
        return {};
    }
    case SignatureRole:
        return joined ? joined->signature : oneSided ? oneSided->signature : QVariant();
    case BaselineOffsetRole:
        if (joined)
            return QVariant::fromValue<qlonglong>(joined->baseline.offset);
        if (oneSided && m_section == ComparisonSection::OnlyBaseline)
            return QVariant::fromValue<qlonglong>(oneSided->outcome.offset);
        return {};
    case ExperimentOffsetRole:
        if (joined)
            return QVariant::fromValue<qlonglong>(joined->experiment.offset);
        if (oneSided && m_section == ComparisonSection::OnlyExperiment)
            return QVariant::fromValue<qlonglong>(oneSided->outcome.offset);
        return {};
    case KeyRole:
        if (joined)
            return joined->signature;
        if (oneSided)
            return oneSided->signature;
        return cell(row, 0, false);
    }
    return {};
}

} // namespace SlotScope
