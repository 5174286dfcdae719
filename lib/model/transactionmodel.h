#pragma once

#include "model/modelroles.h"
#include "model/rowbuffer.h"
#include "model/stringpool.h"
#include "model/transactionrecord.h"
#include "model/windowedtablemodel.h"
#include "protocol/largearray.h"

#include <optional>
#include <vector>

namespace SlotScope {

namespace Internal {

/// One transaction row as the live table keeps it: 144 bytes, no heap
/// (DESIGN.md §7: ≤ 150 bytes per row; the raw JSON stays in the capture).
/// Signature and fee payer are kept decoded (64 and 32 bytes); a value that is
/// not valid base58 of that length is interned instead and the row stores its
/// pool id in the first 4 bytes. Strings that repeat (session id, error text,
/// program list) are pool ids.
struct CompactTransactionRow
{
    static constexpr quint64 kNoCaptureOffset = (quint64(1) << 48) - 1;
    static constexpr quint32 kNoComputeUnits = 0xFFFFFFFFu;
    static constexpr quint32 kNoBlockTime = 0xFFFFFFFFu;

    quint64 slot = 0;
    quint64 fee = 0;                        ///< lamports
    qint64 feePayerSolChange = 0;           ///< lamports
    quint64 captureOffset : 48 = kNoCaptureOffset; ///< 256 TiB of capture is plenty
    quint64 sessionId : 16 = 0;             ///< StringPool id
    quint32 blockTime = kNoBlockTime;       ///< Unix seconds (fits until 2106)
    quint32 computeUnits = kNoComputeUnits; ///< a transaction is capped at 1.4 M
    quint32 programListId = 0;              ///< ProgramListPool id
    quint32 errorId : 29 = 0;               ///< StringPool id, 0 = no text
    quint32 success : 1 = 1;
    quint32 signatureInterned : 1 = 0;
    quint32 feePayerInterned : 1 = 0;
    unsigned char signature[64] = {};
    unsigned char feePayer[32] = {};
};

/// The pools a CompactTransactionRow's ids point into.
struct TransactionRowPools
{
    StringPool sessions;
    StringPool errors;
    StringPool fallbackStrings; ///< signatures / fee payers that are not base58
    ProgramListPool programLists;
};

} // namespace Internal

/// Transaction rows compacted away from the GUI thread (the engine's
/// ModelUpdate, CaptureIndexer): the base58 keys are decoded where the batch
/// is built, and the rows' pool ids point into the batch's own pools, which
/// TransactionModel::appendRowBatch() maps to its own once per distinct value.
class TransactionRowBatch
{
public:
    void append(const TransactionRecord &record);
    void reserve(qsizetype rows) { m_rows.reserve(rows); }
    qsizetype size() const { return m_rows.size(); }
    bool isEmpty() const { return m_rows.empty(); }
    /// Keeps only the rows whose flag in `keep` (one per row) is set.
    void keepRows(const std::vector<bool> &keep);

private:
    friend class TransactionModel;
    // A batch of the indexer's second half holds 50 000 rows (7 MB).
    std::vector<Internal::CompactTransactionRow, LargeArrayAllocator<Internal::CompactTransactionRow>> m_rows;
    Internal::TransactionRowPools m_pools;
};

/// Criteria of TransactionFilterProxyModel. Empty / unset members match
/// everything; all set members must match.
struct TransactionFilter
{
    enum class Status { All, Succeeded, Failed };

    /// Case-sensitive substring of the signature, the fee payer or any program
    /// id (base58 is case-sensitive).
    QString text;
    Status status = Status::All;
    QString sessionId;                   ///< exact session id
    QString programId;                   ///< exact id among the invoked programs
    std::optional<quint64> minSlot;      ///< inclusive
    std::optional<quint64> maxSlot;      ///< inclusive

    bool isEmpty() const;
    bool operator==(const TransactionFilter &) const = default;
};

/// The live transaction table (DESIGN.md §1 "Live transactions", §3).
///
/// Fed on the GUI thread by appendRowBatch() with the engine's batches, rows
/// already compacted on the engine thread (≤ 30 per second): one
/// beginInsertRows per batch. The model is a bounded window
/// (default 500 000 rows): when a batch would overflow it, the oldest rows go
/// with one beginRemoveRows(0, k − 1) before the insert and are counted in
/// evictedCount() (they stay in the capture file). Rows are stored compactly
/// (bytesPerRow(), 144 bytes); display text is formatted on demand. The pools
/// of repeated strings (session ids, error texts, program-id lists) only grow
/// until clear(); they hold distinct values, a few thousand in a real run.
///
/// Every column answers DisplayRole (text), RawValueRole (sort/export value),
/// SessionIdRole, SignatureRole and CaptureOffsetRole; Fee and Error add a
/// ToolTipRole (the fee in SOL, the full error text).
class TransactionModel : public Internal::WindowedTableModel
{
    Q_OBJECT

public:
    enum Column {
        SlotColumn,
        SignatureColumn,
        StatusColumn,
        ErrorColumn,
        FeeColumn,           ///< lamports
        ComputeUnitsColumn,
        FeePayerColumn,
        ProgramsColumn,
        SessionColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        /// qlonglong byte offset of the row's `tx` line in the capture file,
        /// invalid when the row has none.
        CaptureOffsetRole = FirstModelSpecificRole,
        SignatureRole,     ///< QString, base58
        BlockTimeRole,     ///< qlonglong Unix seconds, invalid when absent
        SuccessRole,       ///< bool
    };
    Q_ENUM(Role)

    static constexpr int DefaultWindowSize = 500000;

    explicit TransactionModel(QObject *parent = nullptr);
    ~TransactionModel() override;

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    /// Appends one batch (in order) as one insertion; evicts first when the
    /// window would overflow. A batch larger than the window keeps its last
    /// windowSize() rows; the ones before are counted as evicted.
    void appendRows(const QList<TransactionRecord> &batch);
    /// The same for rows compacted elsewhere (the engine thread, a capture's
    /// indexer); only the batch's distinct pooled values are looked up here.
    void appendRowBatch(const TransactionRowBatch &batch);
    /// Sets storage aside for `rows` more rows at once, for a model about to
    /// take a large offline capture: their memory then faults in 2 MiB at a
    /// time (RowBuffer::reserve()). Memory never written costs nothing.
    void reserveRows(qsizetype rows);
    /// Removes every row and resets evictedCount() to 0 (a new run).
    void clear();

    /// The row as a record (what appendRows() received), for the detail pane.
    TransactionRecord record(int row) const;
    /// The first row holding `signature`, -1 when none (compares the decoded
    /// 64 bytes: a scan of a million rows takes milliseconds).
    int rowOfSignature(const QString &signature) const;

    /// Size of one stored row in bytes (the pools of repeated strings come on
    /// top, see memoryBytes()).
    static constexpr size_t bytesPerRow() { return sizeof(Internal::CompactTransactionRow); }
    /// Estimated heap bytes held by the model: row storage plus string pools.
    size_t memoryBytes() const;

    // Fast paths for TransactionFilterProxyModel: they read the compact row
    // directly instead of building a QVariant per cell.
    /// True when `row` passes `filter`.
    bool rowMatches(int row, const TransactionFilter &filter) const;
    /// Orders two rows by the raw value of `column` (what RawValueRole holds;
    /// absent compute units first, signatures by their decoded bytes).
    bool rawLessThan(int column, int leftRow, int rightRow) const;

private:
    using Row = Internal::CompactTransactionRow;

    friend class TransactionRowBatch;
    /// `record` as a row whose ids point into `pools`.
    static Row compact(const TransactionRecord &record, Internal::TransactionRowPools &pools);
    QString signatureText(const Row &row) const;
    QString feePayerText(const Row &row) const;
    QVariant displayData(const Row &row, int column) const;
    QVariant rawData(const Row &row, int column) const;
    qsizetype rows() const override { return m_rows.size(); }
    void removeOldestRows(qsizetype count) override { m_rows.removeFirst(count); }
    void prepareFilterCache(const TransactionFilter &filter) const;

    Internal::RowBuffer<Row, 512> m_rows; // 74 KB chunks: little slack at any window size
    Internal::TransactionRowPools m_pools;

    // Per-filter results that only depend on pooled values, so a filter pass
    // over the window does the string work once per distinct value.
    struct FilterCache
    {
        TransactionFilter filter;
        bool valid = false;
        quint32 sessionId = 0;             // StringPool::notFound when unknown
        QByteArray textLatin1;             // filter.text, when it is ASCII
        bool textIsAscii = false;
        // Per program-list id: -1 not computed yet, 0 no, 1 yes.
        QList<qint8> programListHasProgram;
        QList<qint8> programListHasText;
    };
    mutable FilterCache m_filterCache;
};

} // namespace SlotScope
