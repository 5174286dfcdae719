#pragma once

// Which transaction the reference server executes at which (slot, batch index)
// of a session, and the exact JSON it delivers for it. Internal.

#include "protocol/result.h"
#include "refserver/accountdiffs.h"
#include "refserver/refserverconfig.h"
#include "refserver/synthetictransactions.h"

#include <QByteArray>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include <compare>
#include <memory>
#include <optional>

namespace SlotScope::Internal {

/// A point in a session's execution order: batch `batch` of `slot`. Within a
/// slot every transaction is its own batch, so batch = position in the slot.
struct Position
{
    quint64 slot = 0;
    quint32 batch = 0;

    auto operator<=>(const Position &) const = default;
    bool operator==(const Position &) const = default;
};

/// One transaction loaded from the transaction directory and summarized once.
struct CatalogTransaction
{
    QByteArray json;            ///< compact EncodedConfirmedTransactionWithStatusMeta, as loaded
    QString signature;
    bool success = true;
    QStringList programIds;     ///< TransactionSummary::programIds
    QSet<QString> keys;         ///< account keys ∪ program ids (subscription filters)
    /// Byte span of the top-level "slot" value in `json` ([-1,-1) when absent).
    qsizetype slotBegin = -1;
    qsizetype slotEnd = -1;
    /// Offsets of every `"<signature>"` occurrence in `json` (quote included).
    QList<qsizetype> signatureOffsets;
    /// deriveAccountDeltas() of `json`, computed once at load (empty when it failed).
    QList<AccountDelta> deltas;
};

/// The transactions a server replays: loaded real ones, or the synthetic
/// generator. Immutable after construction; shared by every session.
class TransactionCatalog
{
public:
    /// Load and summarize every transaction below `dir` (loadTransactionDirectory
    /// order: slot, source, position). Errors: nothing loadable, a transaction
    /// the summarizer rejects.
    static Result<std::shared_ptr<const TransactionCatalog>> load(const QString &dir);
    /// The deterministic synthetic generator with `seed`.
    static std::shared_ptr<const TransactionCatalog> synthetic(quint32 seed);

    bool isSynthetic() const { return m_synthetic.has_value(); }
    const QList<CatalogTransaction> &transactions() const { return m_transactions; }
    const SyntheticTransactions &generator() const { return *m_synthetic; }

private:
    QList<CatalogTransaction> m_transactions;
    std::optional<SyntheticTransactions> m_synthetic;
};

/// What the server executes at one position.
struct PlannedTransaction
{
    Position position;
    QByteArray json;            ///< the notification `result`, slot rewritten to position.slot
    QString signature;
    bool success = true;
    QStringList programIds;
    QSet<QString> keys;         ///< account keys ∪ program ids
    /// Account diffs (PROTOCOL.md §5.6); only filled when asked for (transactionAt()).
    QList<AccountDelta> deltas;
    /// Experiment::omitEvery: the position executes nothing; nothing is delivered.
    bool omitted = false;
    /// Experiment::addEvery: a copy delivered right after this one (same
    /// position, own signature, deltas when asked for).
    std::shared_ptr<const PlannedTransaction> extra;
};

/// The deterministic mapping of a catalog onto the slots [startSlot, endSlot] of
/// one session. With transactionsPerSlot = 0 a loaded catalog of N transactions
/// puts transaction i at slot start + floor(i × (end − start + 1) / N) (several
/// per slot when the range is shorter than N; most slots empty when it is
/// longer); the synthetic generator yields 2–5 per slot. With K > 0 every slot
/// holds K transactions cycling through the catalog, each copy with a unique
/// signature derived from (original signature, slot, batch index).
///
/// Only the `slot` value (and, for K > 0 copies of loaded transactions, the
/// signature) is rewritten, textually; every other byte stays as loaded.
class TransactionPlan
{
public:
    /// `experiment` (default: none) changes the transactions as Experiment describes.
    TransactionPlan(std::shared_ptr<const TransactionCatalog> catalog, quint64 startSlot, quint64 endSlot,
                    int transactionsPerSlot, Experiment experiment = {});

    /// The slots this plan executes: [startSlot, endSlot] of the constructor,
    /// or of window().
    quint64 startSlot() const { return m_windowStart; }
    quint64 endSlot() const { return m_windowEnd; }
    /// The same mapping restricted to [startSlot, endSlot] (clamped to this
    /// plan's range): a parallel sub-session executes exactly the transactions
    /// the batch-wide plan puts into its sub-range.
    TransactionPlan window(quint64 startSlot, quint64 endSlot) const;

    /// Number of transactions (batches) in `slot`; 0 outside the range.
    quint32 batchCount(quint64 slot) const;
    /// First position at or after `from` that holds a transaction, or nullopt
    /// when none is left in the range. Cheap even over sparse huge ranges.
    std::optional<Position> nextTransaction(Position from) const;
    /// Programs the transaction at `at` invokes (no JSON built). `at` must hold one.
    QStringList programIdsAt(Position at) const;
    /// Whether the transaction at `at` succeeded (meta.err null, after the
    /// experiment), without JSON for loaded transactions.
    bool successAt(Position at) const;
    /// Signature of the transaction at `at` (before any experiment `add` copy).
    QString signatureAt(Position at) const;
    /// Whether the experiment omits the transaction at `at` (false without one).
    bool omittedAt(Position at) const;
    /// The transaction at `at` with its rewritten JSON. `at` must hold one.
    /// `withDeltas`: also fill `deltas` (cached for loaded transactions, derived
    /// from the JSON for synthetic ones).
    PlannedTransaction transactionAt(Position at, bool withDeltas = false) const;
    /// False when no transaction of this plan can invoke `program` (so a
    /// discovery scan can stop at once).
    bool mayInvoke(const QString &program) const;

private:
    quint64 firstIndexOfSlot(quint64 slot) const; // loaded, K = 0: ceil((slot − start) × N / len)
    quint64 slotOfIndex(quint64 index) const;     // loaded, K = 0
    qsizetype catalogIndexAt(Position at) const;
    PlannedTransaction baseTransactionAt(Position at, bool withDeltas) const; // before the experiment

    std::shared_ptr<const TransactionCatalog> m_catalog;
    quint64 m_start = 0;
    quint64 m_end = 0;
    quint64 m_length = 0;     // end − start + 1
    quint64 m_perSlot = 0;    // K
    quint64 m_count = 0;      // N (loaded catalog)
    quint64 m_windowStart = 0; // executed slots (window()); the mapping uses m_start / m_length
    quint64 m_windowEnd = 0;
    Experiment m_experiment;
};

/// One textual replacement of the bytes [begin, end) of a JSON text.
struct JsonEdit
{
    qsizetype begin = 0;
    qsizetype end = 0;
    QByteArray replacement;
};

/// `json` with every edit applied (edits must not overlap; any order).
QByteArray applyJsonEdits(QByteArrayView json, QList<JsonEdit> edits);

/// Base58 of SHA-512(original signature, slot, batch index): the unique,
/// deterministic signature of a K > 0 copy.
QString copySignature(const QString &original, quint64 slot, quint32 batch);

/// `json` with its top-level "slot" value replaced by `slot` (inserted after the
/// opening brace when absent); `slotBegin`/`slotEnd` as in CatalogTransaction.
QByteArray rewriteSlot(const QByteArray &json, qsizetype slotBegin, qsizetype slotEnd, quint64 slot);

/// Byte span of the value of top-level member `key` of the JSON object `json`,
/// or nullopt when absent or not an object.
std::optional<std::pair<qsizetype, qsizetype>> topLevelMemberSpan(QByteArrayView json, QByteArrayView key);

} // namespace SlotScope::Internal
