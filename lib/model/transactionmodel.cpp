#include "model/transactionmodel.h"
#include "model/logging.h"
#include "protocol/base58.h"

#include <QLocale>

#include <algorithm>
#include <cstring>
#include <string_view>

using namespace Qt::StringLiterals;

namespace SlotScope {

static_assert(TransactionModel::bytesPerRow() <= 150,
              "DESIGN.md §7: a transaction row must stay within 150 bytes");

namespace {

constexpr quint32 kMaxSessionId = 0xFFFF;
constexpr quint32 kMaxErrorId = (1u << 29) - 1;

quint32 storedId(const unsigned char *bytes)
{
    quint32 id = 0;
    std::memcpy(&id, bytes, sizeof id);
    return id;
}

void storeId(unsigned char *bytes, quint32 id)
{
    std::memcpy(bytes, &id, sizeof id);
}

// "0.000005" for 5000 lamports ("0,000005" in German): exact integer
// formatting in the UI locale, trailing zeros trimmed.
QString lamportsToSol(quint64 lamports)
{
    const QLocale locale;
    const quint64 whole = lamports / 1000000000ull;
    const quint64 fraction = lamports % 1000000000ull;
    if (fraction == 0)
        return locale.toString(whole);
    QString digits = u"%1"_s.arg(fraction, 9, 10, QLatin1Char('0'));
    while (digits.endsWith(QLatin1Char('0')))
        digits.chop(1);
    return locale.toString(whole) + locale.decimalPoint() + digits;
}

// Orders two pool strings; equal ids are equal strings.
int compareStrings(const QString &left, const QString &right)
{
    return QString::compare(left, right, Qt::CaseSensitive);
}

} // namespace

bool TransactionFilter::isEmpty() const
{
    return text.isEmpty() && status == Status::All && sessionId.isEmpty() && programId.isEmpty()
            && !minSlot && !maxSlot;
}

TransactionModel::TransactionModel(QObject *parent)
    : WindowedTableModel({tr("Slot"), tr("Signature"), tr("Status"), tr("Error"), tr("Fee (lamports)"), tr("CU"),
                          tr("Fee payer"), tr("Programs"), tr("Session")}, DefaultWindowSize, parent)
{
    Q_ASSERT(columnCount() == ColumnCount); // one title per column
}

TransactionModel::~TransactionModel() = default;

QString TransactionModel::signatureText(const Row &row) const
{
    if (row.signatureInterned)
        return m_pools.fallbackStrings.at(storedId(row.signature));
    return Internal::base58String(row.signature, int(sizeof row.signature));
}

QString TransactionModel::feePayerText(const Row &row) const
{
    if (row.feePayerInterned)
        return m_pools.fallbackStrings.at(storedId(row.feePayer));
    return Internal::base58String(row.feePayer, int(sizeof row.feePayer));
}

QVariant TransactionModel::displayData(const Row &row, int column) const
{
    switch (column) {
    case SlotColumn:
        return QString::number(row.slot);
    case SignatureColumn:
        return signatureText(row);
    case StatusColumn:
        return row.success ? tr("OK") : tr("Failed");
    case ErrorColumn:
        return m_pools.errors.at(row.errorId);
    case FeeColumn:
        return QLocale().toString(row.fee);
    case ComputeUnitsColumn:
        if (row.computeUnits == Row::kNoComputeUnits)
            return QString();
        return QLocale().toString(row.computeUnits);
    case FeePayerColumn:
        return feePayerText(row);
    case ProgramsColumn:
        return m_pools.programLists.joined(row.programListId);
    case SessionColumn:
        return m_pools.sessions.at(row.sessionId);
    }
    return {};
}

QVariant TransactionModel::rawData(const Row &row, int column) const
{
    switch (column) {
    case SlotColumn:
        return QVariant::fromValue<qulonglong>(row.slot);
    case SignatureColumn:
        return signatureText(row);
    case StatusColumn:
        return bool(row.success);
    case ErrorColumn:
        return m_pools.errors.at(row.errorId);
    case FeeColumn:
        return QVariant::fromValue<qulonglong>(row.fee);
    case ComputeUnitsColumn:
        if (row.computeUnits == Row::kNoComputeUnits)
            return {};
        return QVariant::fromValue<qulonglong>(row.computeUnits);
    case FeePayerColumn:
        return feePayerText(row);
    case ProgramsColumn:
        return m_pools.programLists.at(row.programListId);
    case SessionColumn:
        return m_pools.sessions.at(row.sessionId);
    }
    return {};
}

QVariant TransactionModel::data(const QModelIndex &index, int role) const
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
    case Qt::ToolTipRole:
        if (column == FeeColumn)
            return tr("%1 SOL").arg(lamportsToSol(row.fee));
        if ((column == ErrorColumn || column == StatusColumn) && row.errorId != 0)
            return m_pools.errors.at(row.errorId);
        if (column == ProgramsColumn && row.programListId != 0)
            return m_pools.programLists.at(row.programListId).join(QLatin1Char('\n'));
        return {};
    case Qt::TextAlignmentRole:
        if (column == SlotColumn || column == FeeColumn || column == ComputeUnitsColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case SessionIdRole:
        return m_pools.sessions.at(row.sessionId);
    case CaptureOffsetRole:
        if (row.captureOffset == Row::kNoCaptureOffset)
            return {};
        return QVariant::fromValue<qlonglong>(qlonglong(row.captureOffset));
    case SignatureRole:
        return signatureText(row);
    case BlockTimeRole:
        if (row.blockTime == Row::kNoBlockTime)
            return {};
        return QVariant::fromValue<qlonglong>(row.blockTime);
    case SuccessRole:
        return bool(row.success);
    }
    return {};
}

QVariant TransactionModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::ToolTipRole && section == ComputeUnitsColumn)
        return tr("Compute units consumed");
    return FlatTableModel::headerData(section, orientation, role);
}

QHash<int, QByteArray> TransactionModel::roleNames() const
{
    return withSharedRoleNames(QAbstractTableModel::roleNames(),
                               {{CaptureOffsetRole, "captureOffset"}, {SignatureRole, "signature"},
                                {BlockTimeRole, "blockTime"}, {SuccessRole, "success"}});
}

TransactionModel::Row TransactionModel::compact(const TransactionRecord &record, Internal::TransactionRowPools &pools)
{
    Row row;
    row.slot = record.slot;
    row.fee = record.fee;
    row.feePayerSolChange = record.feePayerSolChange;

    if (record.captureOffset >= 0 && quint64(record.captureOffset) < Row::kNoCaptureOffset)
        row.captureOffset = quint64(record.captureOffset);
    else if (record.captureOffset >= 0)
        qCWarning(lcModel) << "capture offset" << record.captureOffset << "does not fit; dropped";

    quint32 sessionId = pools.sessions.intern(record.sessionId);
    if (sessionId > kMaxSessionId) {
        // 65 535 distinct sessions in one model before a clear(): not a real run.
        qCWarning(lcModel) << "too many sessions in the transaction model; id not kept for"
                           << record.sessionId;
        sessionId = 0;
    }
    row.sessionId = sessionId;

    if (record.blockTime) {
        if (*record.blockTime >= 0 && *record.blockTime < qint64(Row::kNoBlockTime))
            row.blockTime = quint32(*record.blockTime);
        else
            qCWarning(lcModel) << "block time" << *record.blockTime << "out of range; dropped";
    }
    if (record.computeUnitsConsumed)
        row.computeUnits = quint32(qMin<quint64>(*record.computeUnitsConsumed, Row::kNoComputeUnits - 1));

    row.programListId = pools.programLists.intern(record.programIds);
    if (!record.success || !record.error.isEmpty()) {
        const quint32 errorId = pools.errors.intern(record.error);
        row.errorId = qMin(errorId, kMaxErrorId);
    }
    row.success = record.success ? 1 : 0;

    if (!Internal::decodeBase58(record.signature, row.signature, int(sizeof row.signature))) {
        row.signatureInterned = 1;
        storeId(row.signature, pools.fallbackStrings.intern(record.signature));
    }
    if (!Internal::decodeBase58(record.feePayer, row.feePayer, int(sizeof row.feePayer))) {
        row.feePayerInterned = 1;
        storeId(row.feePayer, pools.fallbackStrings.intern(record.feePayer));
    }
    return row;
}

TransactionRecord TransactionModel::record(int row) const
{
    if (row < 0 || row >= m_rows.size())
        return {};
    const Row &r = m_rows[row];
    TransactionRecord record;
    record.sessionId = m_pools.sessions.at(r.sessionId);
    record.slot = r.slot;
    record.signature = signatureText(r);
    record.success = r.success;
    record.error = m_pools.errors.at(r.errorId);
    record.fee = r.fee;
    if (r.computeUnits != Row::kNoComputeUnits)
        record.computeUnitsConsumed = r.computeUnits;
    if (r.blockTime != Row::kNoBlockTime)
        record.blockTime = qint64(r.blockTime);
    record.feePayer = feePayerText(r);
    record.programIds = m_pools.programLists.at(r.programListId);
    record.feePayerSolChange = r.feePayerSolChange;
    record.captureOffset = r.captureOffset == Row::kNoCaptureOffset ? -1 : qint64(r.captureOffset);
    return record;
}

void TransactionModel::appendRows(const QList<TransactionRecord> &batch)
{
    TransactionRowBatch rows;
    rows.reserve(batch.size());
    for (const TransactionRecord &record : batch)
        rows.append(record);
    appendRowBatch(rows);
}

void TransactionModel::appendRowBatch(const TransactionRowBatch &batch)
{
    if (batch.isEmpty())
        return;
    // Each of the batch's pooled values, looked up once.
    const auto mapStrings = [](const Internal::StringPool &from, Internal::StringPool &to) {
        QList<quint32> ids(from.size());
        for (qsizetype i = 0; i < from.size(); ++i)
            ids[i] = to.intern(from.at(quint32(i)));
        return ids;
    };
    QList<quint32> sessionIds = mapStrings(batch.m_pools.sessions, m_pools.sessions);
    const QList<quint32> errorIds = mapStrings(batch.m_pools.errors, m_pools.errors);
    const QList<quint32> keyIds = mapStrings(batch.m_pools.fallbackStrings, m_pools.fallbackStrings);
    QList<quint32> programListIds(batch.m_pools.programLists.size());
    for (qsizetype i = 0; i < programListIds.size(); ++i)
        programListIds[i] = m_pools.programLists.intern(batch.m_pools.programLists.at(quint32(i)));
    for (quint32 &id : sessionIds) {
        if (id > kMaxSessionId) {
            qCWarning(lcModel) << "too many sessions in the transaction model; id not kept";
            id = 0;
        }
    }

    appendWindowed(batch.size(), [&](qsizetype i) {
        Row row = batch.m_rows[size_t(i)];
        row.sessionId = sessionIds.at(row.sessionId);
        row.programListId = programListIds.at(row.programListId);
        row.errorId = qMin(errorIds.at(row.errorId), kMaxErrorId);
        if (row.signatureInterned)
            storeId(row.signature, keyIds.at(storedId(row.signature)));
        if (row.feePayerInterned)
            storeId(row.feePayer, keyIds.at(storedId(row.feePayer)));
        m_rows.append(row);
    });
}

void TransactionModel::reserveRows(qsizetype rows)
{
    m_rows.reserve(qMin<qsizetype>(rows, qsizetype(windowSize()) - m_rows.size()));
}

void TransactionRowBatch::append(const TransactionRecord &record)
{
    m_rows.push_back(TransactionModel::compact(record, m_pools));
}

void TransactionRowBatch::keepRows(const std::vector<bool> &keep)
{
    size_t to = 0;
    for (size_t i = 0; i < m_rows.size(); ++i) {
        if (keep[i])
            m_rows[to++] = m_rows[i];
    }
    m_rows.resize(to);
}

void TransactionModel::clear()
{
    resetWindow([this] {
        m_rows.clear();
        m_pools.sessions.clear();
        m_pools.errors.clear();
        m_pools.fallbackStrings.clear();
        m_pools.programLists.clear();
        m_filterCache = {};
    });
}

size_t TransactionModel::memoryBytes() const
{
    return m_rows.memoryBytes() + m_pools.sessions.memoryBytes() + m_pools.errors.memoryBytes()
            + m_pools.fallbackStrings.memoryBytes() + m_pools.programLists.memoryBytes();
}

void TransactionModel::prepareFilterCache(const TransactionFilter &filter) const
{
    FilterCache &cache = m_filterCache;
    if (!cache.valid || !(cache.filter == filter)) {
        cache = {};
        cache.filter = filter;
        cache.valid = true;
        cache.sessionId = m_pools.sessions.find(filter.sessionId);
        cache.textIsAscii = std::all_of(filter.text.cbegin(), filter.text.cend(),
                                        [](QChar c) { return c.unicode() < 0x80; });
        if (cache.textIsAscii)
            cache.textLatin1 = filter.text.toLatin1();
    }
    // A session filter typed before the session's first row: look again.
    if (cache.sessionId == Internal::StringPool::notFound)
        cache.sessionId = m_pools.sessions.find(filter.sessionId);
    if (cache.programListHasProgram.size() < m_pools.programLists.size()) {
        cache.programListHasProgram.resize(m_pools.programLists.size(), qint8(-1));
        cache.programListHasText.resize(m_pools.programLists.size(), qint8(-1));
    }
}

int TransactionModel::rowOfSignature(const QString &signature) const
{
    unsigned char bytes[64];
    if (Internal::decodeBase58(signature, bytes, int(sizeof bytes))) {
        for (qsizetype i = 0; i < m_rows.size(); ++i) {
            const Row &row = m_rows[i];
            if (!row.signatureInterned && std::memcmp(row.signature, bytes, sizeof bytes) == 0)
                return int(i);
        }
        return -1;
    }
    const quint32 id = m_pools.fallbackStrings.find(signature);
    if (id == Internal::StringPool::notFound)
        return -1;
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        const Row &row = m_rows[i];
        if (row.signatureInterned && storedId(row.signature) == id)
            return int(i);
    }
    return -1;
}

bool TransactionModel::rowMatches(int row, const TransactionFilter &filter) const
{
    if (row < 0 || row >= m_rows.size())
        return false;
    const Row &r = m_rows[row];
    if (filter.minSlot && r.slot < *filter.minSlot)
        return false;
    if (filter.maxSlot && r.slot > *filter.maxSlot)
        return false;
    if (filter.status == TransactionFilter::Status::Succeeded && !r.success)
        return false;
    if (filter.status == TransactionFilter::Status::Failed && r.success)
        return false;
    if (filter.sessionId.isEmpty() && filter.programId.isEmpty() && filter.text.isEmpty())
        return true;

    prepareFilterCache(filter);
    FilterCache &cache = m_filterCache;
    if (!filter.sessionId.isEmpty() && r.sessionId != cache.sessionId)
        return false;

    if (!filter.programId.isEmpty()) {
        qint8 &hit = cache.programListHasProgram[r.programListId];
        if (hit < 0)
            hit = m_pools.programLists.at(r.programListId).contains(filter.programId) ? 1 : 0;
        if (!hit)
            return false;
    }

    if (filter.text.isEmpty())
        return true;
    qint8 &programHit = cache.programListHasText[r.programListId];
    if (programHit < 0) {
        const QStringList &programs = m_pools.programLists.at(r.programListId);
        programHit = std::any_of(programs.cbegin(), programs.cend(), [&](const QString &program) {
            return program.contains(filter.text);
        }) ? 1 : 0;
    }
    if (programHit)
        return true;

    const auto contains = [&](const unsigned char *bytes, int size, bool interned) {
        if (interned)
            return m_pools.fallbackStrings.at(storedId(bytes)).contains(filter.text);
        if (!cache.textIsAscii)
            return false;
        char text[96];
        const int length = Internal::encodeBase58(bytes, size, text);
        return std::string_view(text, size_t(length))
                       .find(std::string_view(cache.textLatin1.constData(),
                                              size_t(cache.textLatin1.size())))
                != std::string_view::npos;
    };
    return contains(r.feePayer, int(sizeof r.feePayer), r.feePayerInterned)
            || contains(r.signature, int(sizeof r.signature), r.signatureInterned);
}

bool TransactionModel::rawLessThan(int column, int leftRow, int rightRow) const
{
    const Row &l = m_rows[leftRow];
    const Row &r = m_rows[rightRow];
    // Signature and fee payer: decoded bytes (big-endian numbers), rows whose
    // text was not base58 after all the others, by text.
    const auto lessKey = [&](const unsigned char *lb, bool li, const unsigned char *rb, bool ri,
                             size_t size) {
        if (li != ri)
            return !li;
        if (!li)
            return std::memcmp(lb, rb, size) < 0;
        return compareStrings(m_pools.fallbackStrings.at(storedId(lb)),
                              m_pools.fallbackStrings.at(storedId(rb))) < 0;
    };
    switch (column) {
    case SlotColumn:
        return l.slot < r.slot;
    case SignatureColumn:
        return lessKey(l.signature, l.signatureInterned, r.signature, r.signatureInterned,
                       sizeof l.signature);
    case StatusColumn:
        return l.success < r.success;
    case ErrorColumn:
        return l.errorId != r.errorId && compareStrings(m_pools.errors.at(l.errorId), m_pools.errors.at(r.errorId)) < 0;
    case FeeColumn:
        return l.fee < r.fee;
    case ComputeUnitsColumn: {
        // Absent sorts before 0.
        const qint64 left = l.computeUnits == Row::kNoComputeUnits ? -1 : qint64(l.computeUnits);
        const qint64 right = r.computeUnits == Row::kNoComputeUnits ? -1 : qint64(r.computeUnits);
        return left < right;
    }
    case FeePayerColumn:
        return lessKey(l.feePayer, l.feePayerInterned, r.feePayer, r.feePayerInterned,
                       sizeof l.feePayer);
    case ProgramsColumn:
        return l.programListId != r.programListId
                && compareStrings(m_pools.programLists.joined(l.programListId),
                                  m_pools.programLists.joined(r.programListId)) < 0;
    case SessionColumn:
        return l.sessionId != r.sessionId
                && compareStrings(m_pools.sessions.at(l.sessionId), m_pools.sessions.at(r.sessionId)) < 0;
    }
    return false;
}

} // namespace SlotScope
