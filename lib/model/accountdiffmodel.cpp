#include "model/accountdiffmodel.h"

#include <QColor>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace SlotScope {

namespace {

constexpr quint64 kAbsent = ~quint64(0);

quint64 stored(const std::optional<quint64> &v)
{
    return v && *v != kAbsent ? *v : kAbsent;
}

std::optional<quint64> loaded(quint64 v)
{
    return v == kAbsent ? std::nullopt : std::optional<quint64>(v);
}

/// post − pre as a signed value, when both are known and the difference fits.
std::optional<qint64> delta(quint64 pre, quint64 post)
{
    if (pre == kAbsent || post == kAbsent)
        return std::nullopt;
    if (post >= pre)
        return post - pre <= quint64(INT64_MAX) ? std::optional<qint64>(qint64(post - pre)) : std::nullopt;
    return pre - post <= quint64(INT64_MAX) ? std::optional<qint64>(-qint64(pre - post)) : std::nullopt;
}

QString signedText(const std::optional<qint64> &v)
{
    if (!v)
        return {};
    if (*v > 0)
        return u"+"_s + QLocale().toString(*v);
    return QLocale().toString(*v);
}

QString numberText(quint64 v)
{
    return v == kAbsent ? QString() : QLocale().toString(v);
}

} // namespace

AccountDiffModel::AccountDiffModel(QObject *parent)
    : FlatTableModel({tr("Slot"), tr("Signature"), tr("Account"), tr("Lamports before"), tr("Lamports after"),
                      tr("Δ lamports"), tr("Owner before"), tr("Owner after"), tr("Data len before"),
                      tr("Data len after"), tr("Δ data len"), tr("Session")}, parent)
{
    Q_ASSERT(columnCount() == ColumnCount); // one title per column
}

AccountDiffModel::~AccountDiffModel() = default;

QVariant AccountDiffModel::rawData(const Row &row, int column) const
{
    const auto number = [](quint64 v) { return v == kAbsent ? QVariant() : QVariant::fromValue<qulonglong>(v); };
    const auto signedNumber = [](const std::optional<qint64> &v) {
        return v ? QVariant::fromValue<qlonglong>(*v) : QVariant();
    };
    switch (column) {
    case SlotColumn: return number(row.slot);
    case SignatureColumn: return text(row, row.signatureId);
    case AccountColumn: return text(row, row.accountId);
    case PreLamportsColumn: return number(row.preLamports);
    case PostLamportsColumn: return number(row.postLamports);
    case LamportsDeltaColumn: return signedNumber(delta(row.preLamports, row.postLamports));
    case PreOwnerColumn: return text(row, row.preOwnerId);
    case PostOwnerColumn: return text(row, row.postOwnerId);
    case PreDataLenColumn: return number(row.preDataLen);
    case PostDataLenColumn: return number(row.postDataLen);
    case DataLenDeltaColumn: return signedNumber(delta(row.preDataLen, row.postDataLen));
    case SessionColumn: return text(row, row.sessionId);
    }
    return {};
}

QVariant AccountDiffModel::displayData(const Row &row, int column) const
{
    switch (column) {
    case SlotColumn: return numberText(row.slot);
    case PreLamportsColumn: return row.preExists ? numberText(row.preLamports) : tr("(created)");
    case PostLamportsColumn: return row.postExists ? numberText(row.postLamports) : tr("(deleted)");
    case LamportsDeltaColumn: return signedText(delta(row.preLamports, row.postLamports));
    case PreDataLenColumn: return numberText(row.preDataLen);
    case PostDataLenColumn: return numberText(row.postDataLen);
    case DataLenDeltaColumn: return signedText(delta(row.preDataLen, row.postDataLen));
    default: return rawData(row, column);
    }
}

QVariant AccountDiffModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[index.row()];
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return displayData(row, column);
    case RawValueRole:
        return rawData(row, column);
    case Qt::TextAlignmentRole:
        if (column != SignatureColumn && column != AccountColumn && column != PreOwnerColumn
            && column != PostOwnerColumn && column != SessionColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ForegroundRole:
        if (column == LamportsDeltaColumn || column == DataLenDeltaColumn) {
            const auto d = column == LamportsDeltaColumn ? delta(row.preLamports, row.postLamports)
                                                         : delta(row.preDataLen, row.postDataLen);
            if (d && *d < 0)
                return QColor(Qt::darkRed);
            if (d && *d > 0)
                return QColor(Qt::darkGreen);
        }
        if ((column == PreOwnerColumn || column == PostOwnerColumn) && row.preOwnerId != row.postOwnerId
            && row.preExists && row.postExists)
            return QColor(Qt::darkMagenta);
        return {};
    case Qt::ToolTipRole:
        if (column == PreOwnerColumn || column == PostOwnerColumn) {
            if (row.preExists && row.postExists && row.preOwnerId != row.postOwnerId)
                return tr("The owner changed");
        }
        return {};
    case SessionIdRole:
        return text(row, row.sessionId);
    case SignatureRole:
        return text(row, row.signatureId);
    case AccountRole:
        return text(row, row.accountId);
    }
    return {};
}

void AccountDiffModel::appendRows(const QList<AccountDiffRecord> &batch)
{
    if (batch.isEmpty())
        return;
    // A batch larger than the window keeps its newest rows only.
    const qsizetype kept = qMin<qsizetype>(batch.size(), m_windowSize);
    if (kept < batch.size())
        m_evicted += batch.size() - kept;
    if (const qsizetype overflow = m_rows.size() + kept - m_windowSize; overflow > 0)
        evictFront(overflow);
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(kept) - 1);
    for (const AccountDiffRecord &r : batch.last(kept)) {
        // A new generation every window's worth of rows (see evictFront()).
        if (m_windowSize != INT_MAX && m_rowsInNewestPool >= m_windowSize) {
            m_pools.emplace_back();
            m_rowsInNewestPool = 0;
        }
        ++m_rowsInNewestPool;
        Internal::StringPool &strings = m_pools.back();
        Row row;
        row.slot = stored(r.slot);
        row.preLamports = stored(r.preLamports);
        row.postLamports = stored(r.postLamports);
        row.preDataLen = stored(r.preDataLen);
        row.postDataLen = stored(r.postDataLen);
        row.sessionId = strings.intern(r.sessionId);
        row.signatureId = strings.intern(r.signature);
        row.accountId = strings.intern(r.account);
        row.preOwnerId = strings.intern(r.preOwner);
        row.postOwnerId = strings.intern(r.postOwner);
        row.generation = m_firstGeneration + quint32(m_pools.size() - 1);
        row.preExists = r.preExists;
        row.postExists = r.postExists;
        m_rows.append(row);
    }
    endInsertRows();
}

void AccountDiffModel::evictFront(qsizetype count)
{
    count = qMin(count, m_rows.size());
    if (count <= 0)
        return;
    beginRemoveRows({}, 0, int(count) - 1);
    m_rows.removeFirst(count);
    m_evicted += count;
    endRemoveRows();
    // A generation whose rows are all gone takes its strings with it.
    const quint32 oldest = m_rows.isEmpty() ? m_firstGeneration + quint32(m_pools.size() - 1)
                                            : m_rows[0].generation;
    while (m_firstGeneration < oldest) {
        m_pools.pop_front();
        ++m_firstGeneration;
    }
}

void AccountDiffModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_pools.clear();
    m_pools.emplace_back();
    m_firstGeneration = 0;
    m_rowsInNewestPool = 0;
    m_evicted = 0;
    endResetModel();
}

size_t AccountDiffModel::memoryBytes() const
{
    size_t bytes = m_rows.memoryBytes();
    for (const Internal::StringPool &pool : m_pools)
        bytes += pool.memoryBytes();
    return bytes;
}

AccountDiffRecord AccountDiffModel::record(int row) const
{
    if (row < 0 || row >= m_rows.size())
        return {};
    const Row &r = m_rows[row];
    AccountDiffRecord out;
    out.sessionId = text(r, r.sessionId);
    out.slot = loaded(r.slot);
    out.signature = text(r, r.signatureId);
    out.account = text(r, r.accountId);
    out.preExists = r.preExists;
    out.postExists = r.postExists;
    out.preLamports = loaded(r.preLamports);
    out.postLamports = loaded(r.postLamports);
    out.preOwner = text(r, r.preOwnerId);
    out.postOwner = text(r, r.postOwnerId);
    out.preDataLen = loaded(r.preDataLen);
    out.postDataLen = loaded(r.postDataLen);
    return out;
}

AccountDiffFilterProxyModel::AccountDiffFilterProxyModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(RawValueRole);
}

void AccountDiffFilterProxyModel::setAccountFilter(const QString &text)
{
    if (text == m_account)
        return;
    m_account = text;
    invalidateRowsFilter();
}

void AccountDiffFilterProxyModel::setSignatureFilter(const QString &signature)
{
    if (signature == m_signature)
        return;
    m_signature = signature;
    invalidateRowsFilter();
}

void AccountDiffFilterProxyModel::setSessionFilter(const QString &sessionId)
{
    if (sessionId == m_sessionId)
        return;
    m_sessionId = sessionId;
    invalidateRowsFilter();
}

bool AccountDiffFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (!m_sessionId.isEmpty() && index.data(SessionIdRole).toString() != m_sessionId)
        return false;
    if (!m_signature.isEmpty() && index.data(AccountDiffModel::SignatureRole).toString() != m_signature)
        return false;
    if (!m_account.isEmpty() && !accountFilterAccepts(index.data(AccountDiffModel::AccountRole).toString(), m_account))
        return false;
    return true;
}

} // namespace SlotScope
