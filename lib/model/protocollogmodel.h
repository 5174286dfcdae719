#pragma once

#include "model/modelroles.h"
#include "model/protocollogentry.h"
#include "model/rowbuffer.h"
#include "model/windowedtablemodel.h"

namespace SlotScope {

/// The Protocol console (DESIGN.md §1): every control frame sent or received,
/// decoded. A bounded window (default 100 000 entries) fed in batches like
/// TransactionModel: one beginInsertRows per batch, and when a batch overflows
/// the window one beginRemoveRows(0, k − 1) first, counted in evictedCount().
/// Replayed duplicates the client dropped are listed, marked "dropped".
class ProtocolLogModel : public Internal::WindowedTableModel
{
    Q_OBJECT

public:
    enum Column {
        TimeColumn,       ///< local time hh:mm:ss.zzz
        SessionColumn,
        DirectionColumn,  ///< "in" / "out", "in (dropped)"
        MethodColumn,
        SeqIdColumn,      ///< empty when the frame had none
        SummaryColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        DroppedRole = FirstModelSpecificRole, ///< bool, every column
        DirectionRole,                        ///< int(ProtocolLogEntry::Direction), every column
        TimeRole,                             ///< qlonglong ms since epoch, every column
    };
    Q_ENUM(Role)

    static constexpr int DefaultWindowSize = 100000;

    explicit ProtocolLogModel(QObject *parent = nullptr);
    ~ProtocolLogModel() override;

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    /// Appends one batch as one insertion (see the class comment for eviction).
    void appendEntries(const QList<ProtocolLogEntry> &batch);
    void clear();


    ProtocolLogEntry entry(int row) const;

private:
    qsizetype rows() const override { return m_entries.size(); }
    void removeOldestRows(qsizetype count) override { m_entries.removeFirst(count); }

    Internal::RowBuffer<ProtocolLogEntry, 1024> m_entries;
};

} // namespace SlotScope
