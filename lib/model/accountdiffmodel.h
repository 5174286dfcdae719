#pragma once

#include "model/flattablemodel.h"
#include "model/modelroles.h"
#include "model/rowbuffer.h"
#include "model/stringpool.h"
#include "protocol/accountdiffrecord.h"

#include <QList>
#include <QMetaType>
#include <QSortFilterProxyModel>
#include <QString>

#include <climits>
#include <deque>
#include <optional>

namespace SlotScope {

/// The Account diffs panel (DESIGN.md §1): one row per account and
/// transaction, lamports / owner / data length before and after with the
/// deltas. Rows are appended in batches (one insertion per batch) and never
/// change. Strings (signature, account, owners, session) are interned: a
/// transaction's diffs share its signature, and accounts repeat across
/// transactions, so a row is ~64 bytes plus the distinct strings.
/// Unbounded by default (a capture reopened offline); a live run's panel
/// sets a window (setWindowSize()): the oldest rows go when a batch would
/// overflow it, counted in evictedCount() (they stay in the events file),
/// and the strings only they used go with them: strings are interned in
/// generations of one window's rows each, and a generation's pool is
/// dropped whole once its last row is evicted (no pass over the rows kept).
///
/// Every column answers DisplayRole, RawValueRole (lamports and lengths as
/// qulonglong, deltas as qlonglong, text as QString; invalid when absent),
/// SessionIdRole, SignatureRole and AccountRole.
class AccountDiffModel : public Internal::FlatTableModel
{
    Q_OBJECT

public:
    enum Column {
        SlotColumn,
        SignatureColumn,
        AccountColumn,
        PreLamportsColumn,
        PostLamportsColumn,
        LamportsDeltaColumn,   ///< post − pre, lamports
        PreOwnerColumn,
        PostOwnerColumn,
        PreDataLenColumn,
        PostDataLenColumn,
        DataLenDeltaColumn,    ///< post − pre, bytes
        SessionColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        SignatureRole = FirstModelSpecificRole, ///< QString, every column
        AccountRole,                            ///< QString, every column
    };
    Q_ENUM(Role)

    explicit AccountDiffModel(QObject *parent = nullptr);
    ~AccountDiffModel() override;

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    /// Appends a batch in order, as one insertion (after one removal of the
    /// oldest rows when the window would overflow).
    void appendRows(const QList<AccountDiffRecord> &batch);
    /// Rows kept at most (≥ 1); takes effect at the next appendRows().
    void setWindowSize(int rows) { m_windowSize = qMax(1, rows); }
    int windowSize() const { return m_windowSize; }
    /// Rows dropped from the front since the last clear().
    qint64 evictedCount() const { return m_evicted; }
    /// Estimated heap bytes: the rows and the strings they use.
    size_t memoryBytes() const;
    void clear();
    AccountDiffRecord record(int row) const;

private:
    qsizetype rows() const override { return m_rows.size(); }
    struct Row
    {
        static constexpr quint64 kAbsent = ~quint64(0);
        quint64 slot = kAbsent;
        quint64 preLamports = kAbsent;
        quint64 postLamports = kAbsent;
        quint64 preDataLen = kAbsent;
        quint64 postDataLen = kAbsent;
        quint32 sessionId = 0;
        quint32 signatureId = 0;
        quint32 accountId = 0;
        quint32 preOwnerId = 0;
        quint32 postOwnerId = 0;
        quint32 generation = 0;  ///< whose pool the ids are of (m_pools)
        bool preExists = false;
        bool postExists = false;
    };

    QVariant rawData(const Row &row, int column) const;
    const QString &text(const Row &row, quint32 id) const
    {
        return m_pools[size_t(row.generation - m_firstGeneration)].at(id);
    }
    QVariant displayData(const Row &row, int column) const;

    void evictFront(qsizetype count);

    Internal::RowBuffer<Row, 2048> m_rows;
    std::deque<Internal::StringPool> m_pools{1};  ///< generation m_firstGeneration first
    quint32 m_firstGeneration = 0;
    qsizetype m_rowsInNewestPool = 0;
    int m_windowSize = INT_MAX;
    qint64 m_evicted = 0;
};

/// Filter of the Account diffs panel: account (case-sensitive substring),
/// transaction (exact signature) and sub-session (exact id, the one selected
/// in the Sessions tree); each empty = no constraint. Sorts on RawValueRole.
class AccountDiffFilterProxyModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit AccountDiffFilterProxyModel(QObject *parent = nullptr);

    void setAccountFilter(const QString &text);
    void setSignatureFilter(const QString &signature);
    void setSessionFilter(const QString &sessionId);
    QString accountFilter() const { return m_account; }
    QString signatureFilter() const { return m_signature; }
    QString sessionFilter() const { return m_sessionId; }
    /// The account or the transaction filter is set (the sub-session is a
    /// scope of its own: an export offers it as "Sub-session").
    bool isFiltering() const { return !m_account.isEmpty() || !m_signature.isEmpty(); }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_account;
    QString m_signature;
    QString m_sessionId;
};

} // namespace SlotScope

