#pragma once

// Comparing two runs (the `sim compare` job, CAPTURE_FORMAT.md §6.3; issue 12
// item 2): a baseline capture and an experiment capture joined by signature.

#include "protocol/result.h"
#include "protocol/transactiondetail.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <optional>

namespace SlotScope {

/// One side's values of a transaction (lamports, compute units).
struct ComparedOutcome
{
    bool success = true;
    QString error;
    std::optional<quint64> fee;
    std::optional<quint64> computeUnits;
    qint64 offset = -1;          ///< of the transaction in that side's capture (detail pane)
};

/// A transaction present in both runs whose status or a number differs.
struct ComparedTransaction
{
    QString signature;
    quint64 slot = 0;            ///< the experiment's slot
    ComparedOutcome baseline;
    ComparedOutcome experiment;
};

/// A transaction present in one run only.
struct OneSidedTransaction
{
    QString signature;
    quint64 slot = 0;
    ComparedOutcome outcome;
};

/// An account's balance change summed over a whole run (post − pre of every
/// transaction that changed it), baseline against experiment. SOL rows:
/// lamports, `mint` empty; token rows: raw base units of `mint` in the token
/// account `account` (owner and decimals for display).
struct BalanceDelta
{
    QString account;
    QString mint;
    QString owner;
    int decimals = 9;
    quint64 baselineTransactions = 0;   ///< transactions that changed it
    quint64 experimentTransactions = 0;
    SignedAmount baseline;
    SignedAmount experiment;
    SignedAmount difference;            ///< experiment − baseline
};

/// A fee payer's transactions in both runs.
struct FeePayerDelta
{
    QString feePayer;
    quint64 baselineTransactions = 0;
    quint64 experimentTransactions = 0;
    quint64 baselineFailures = 0;
    quint64 experimentFailures = 0;
    quint64 baselineFees = 0;           ///< lamports, transactions with a known fee
    quint64 experimentFees = 0;
    SignedAmount baselineSolDelta;      ///< the payer's own SOL change in the transactions it paid
    SignedAmount experimentSolDelta;
    /// Every transaction of the payer on both sides has a known fee: only
    /// then do the two sums compare (a missing fee is no fee of 0).
    bool feesCompared = true;
};

/// Totals of one run.
struct ComparedRun
{
    QString path;
    quint64 transactions = 0;
    quint64 successes = 0;
    quint64 failures = 0;
    quint64 feesKnown = 0;              ///< transactions with a fee
    quint64 fees = 0;                   ///< lamports
    quint64 computeUnitsKnown = 0;
    quint64 computeUnits = 0;
    quint64 feePayersKnown = 0;         ///< transactions naming their fee payer
    qint64 damagedLines = 0;
    qint64 duplicatesDropped = 0;
    bool complete = false;              ///< the capture ends with its summary line
    /// Why this side may lack transactions, empty when it is whole: "no
    /// summary line (a run cut short or failed)", "2 damaged line(s)
    /// skipped", the summary line's disagreement with the file.
    QStringList gaps;
};

/// The sections of a comparison, in report order; sectionName() gives the
/// snake_case name used on the command line and in CSV.
enum class ComparisonSection {
    Summary,
    Regressions,       ///< succeeded in the baseline, failed in the experiment
    Improvements,      ///< failed in the baseline, succeeded in the experiment
    ErrorChanges,      ///< failed in both, with a different error
    Fees,              ///< joined, both fees known and different
    ComputeUnits,      ///< joined, both known and different
    SolBalances,       ///< per account, summed SOL change differs
    TokenBalances,     ///< per token account and mint, summed change differs
    FeePayers,         ///< per fee payer, counts / fees / SOL change differ
    OnlyBaseline,
    OnlyExperiment,
};

QString sectionName(ComparisonSection section);
std::optional<ComparisonSection> sectionFromName(const QString &name);
QList<ComparisonSection> allSections();

struct ComparisonResult
{
    ComparedRun baseline;
    ComparedRun experiment;
    quint64 joined = 0;                          ///< signatures in both
    QList<ComparedTransaction> regressions;      ///< ordered by slot, then signature
    QList<ComparedTransaction> improvements;
    QList<ComparedTransaction> errorChanges;
    QList<ComparedTransaction> fees;
    QList<ComparedTransaction> computeUnits;
    QList<BalanceDelta> solBalances;             ///< ordered by |difference| descending, then account
    QList<BalanceDelta> tokenBalances;
    QList<FeePayerDelta> feePayers;              ///< ordered by fee payer
    QList<OneSidedTransaction> onlyBaseline;     ///< in file order
    QList<OneSidedTransaction> onlyExperiment;
    SignedAmount feeDifference;                  ///< Σ experiment fee − Σ baseline fee over joined transactions with both known
    SignedAmount computeUnitDifference;
    quint64 feesCompared = 0;                    ///< joined transactions with both fees known
    quint64 computeUnitsCompared = 0;            ///< joined transactions with both compute units known
    /// Joined transactions that record the value in one run only: the runs'
    /// totals then differ by what the files hold, and are not set against
    /// each other (summaryRows() leaves their delta empty; a warning says so).
    quint64 feesOneSided = 0;
    quint64 computeUnitsOneSided = 0;
    /// false when a side names no fee payer at all (a `sim run` capture):
    /// feePayers is then empty, not "no differences".
    bool feePayersCompared = true;
    QStringList warnings;

    /// Rows of a section (Summary: the metrics of summaryRows()).
    qsizetype count(ComparisonSection section) const;
    /// False for a section whose values neither side's joined transactions
    /// both record (fees, compute units, fee payers of a `sim run` capture):
    /// its empty list means "not compared", not "no difference".
    bool compared(ComparisonSection section) const;
};

/// One metric of the summary.
struct SummaryRow
{
    QString metric;        ///< snake_case, e.g. "transactions", "fees_lamports"
    QString baseline;
    QString experiment;
    QString delta;
};
QList<SummaryRow> summaryRows(const ComparisonResult &result);

/// Joins two captures (any format CaptureReader reads; duplicates dropped)
/// by signature and fills every section. Reads each file once, streaming; the
/// baseline's transactions are kept compactly in memory for the join.
/// `progress(done, total)` in bytes over both files; `cancel` is polled.
/// Errors: a capture cannot be opened or read, cancelled.
Result<ComparisonResult> compareCaptures(const QString &baselinePath, const QString &experimentPath,
                                         const std::function<void(qint64, qint64)> &progress = {},
                                         const std::atomic_bool *cancel = nullptr);

/// CSV of one section (RFC 4180, CRLF, snake_case header; STYLE.md "CSV").
QByteArray comparisonCsv(const ComparisonResult &result, ComparisonSection section);
/// Every section (of `sections`) in one "long" CSV: section,key,slot,mint,
/// owner,metric,baseline,experiment,delta,baseline_error,experiment_error —
/// one row per transaction / account / metric that differs.
QByteArray comparisonCsvAll(const ComparisonResult &result, const QList<ComparisonSection> &sections = allSections());
/// Writes `csv` as OutputFile does (a file atomically, a device or FIFO
/// straight through, never renamed over). Errors: cannot create, a short
/// write (disk full) or a failed commit, naming the path and the reason.
Result<void> writeCsvFile(const QString &path, const QByteArray &csv);

/// The plain-text report `slotscope compare` prints: the summary, then each
/// non-empty section with up to `rowsPerSection` rows.
QString comparisonReport(const ComparisonResult &result, const QList<ComparisonSection> &sections,
                         int rowsPerSection = 20);

} // namespace SlotScope
