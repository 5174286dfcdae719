#pragma once

#include "model/flattablemodel.h"
#include "model/modelroles.h"

#include "protocol/controlmessages.h"
#include "protocol/sessionposition.h"

#include <QHash>

#include <optional>

namespace SlotScope {

/// The Discovery batches panel (DESIGN.md §1): one row per `discoveryBatch`
/// (PROTOCOL.md §4.8) in arrival order, with its state relative to where its
/// session is:
///  * Reached — the session is paused exactly before it (`paused` at the
///    batch's slot and batch index, after a Continue-to);
///  * Passed — the session is beyond it: paused later (a later slot, or the
///    same slot with a larger batch index, or the same slot with no batch
///    index = the whole slot ran), or running with its last slotNotification
///    past the batch's slot, or it was Reached and the session moved on, or
///    the session finished (setSessionFinished);
///  * Ahead — otherwise.
/// States only move forward (sessions do not run backwards). A running
/// session at the batch's own slot keeps it Ahead: the first slotNotification
/// (= startSlot) arrives before anything executed (PROTOCOL.md §4.6, Q6).
class DiscoveryModel : public Internal::FlatTableModel
{
    Q_OBJECT

public:
    enum Column {
        SessionColumn,
        SlotColumn,
        BatchIndexColumn,
        MatchedColumn,       ///< the matched filters, described
        TransactionsColumn,  ///< number of matching transactions
        StateColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum class BatchState { Ahead, Reached, Passed };
    Q_ENUM(BatchState)

    enum Role {
        StateRole = FirstModelSpecificRole, ///< int(BatchState), every column
        SlotRole,                           ///< qulonglong, every column
        BatchIndexRole,                     ///< uint, every column
    };
    Q_ENUM(Role)

    explicit DiscoveryModel(QObject *parent = nullptr);
    ~DiscoveryModel() override;

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    /// Appends a batch unless (session, slot, batch index) is already listed
    /// (a replayed `discoveryBatch` after a reconnect). Returns true if added.
    bool addBatch(const QString &sessionId, const DiscoveryBatchEvent &event);
    /// addBatch() for several, with one insertion; returns how many were added.
    int addBatches(const QString &sessionId, const QList<DiscoveryBatchEvent> &events);

    /// Where `sessionId` is: paused before batch `batchIndex` of `slot`
    /// (nullopt: after the whole slot) when `paused`, else `slot` is the next
    /// slot it executes (a slotNotification(n) while stepping says n ran,
    /// PROTOCOL-0.31.md §4.6: its batches are passed; the one right after
    /// the create says where it starts). Re-evaluates that session's rows
    /// with one dataChanged.
    void setPosition(const QString &sessionId, quint64 slot, std::optional<quint32> batchIndex,
                     bool paused);
    /// The session completed: every batch of it ran, all become Passed.
    void setSessionFinished(const QString &sessionId);
    /// Whether `sessionId` has run past (slot, batchIndex) by its last
    /// position (setPosition()): a Continue To there would be refused
    /// (PROTOCOL-0.31.md §3: the target must be after the last executed
    /// slot). No batch index: the slot as a whole, which has run once the
    /// session is past it. False for a session without a position.
    bool hasRun(const QString &sessionId, quint64 slot, std::optional<quint32> batchIndex) const;
    /// Whether `sessionId` is paused right before (slot, batchIndex): a
    /// Continue To there would not move it (the row reads Reached).
    bool isPausedBefore(const QString &sessionId, quint64 slot, quint32 batchIndex) const;
    void clear();

    /// The event of `row` (for Continue-to: its slot and batchIndex).
    DiscoveryBatchEvent batchAt(int row) const;
    QString sessionIdAt(int row) const;
    BatchState stateAt(int row) const;
    /// Row of (session, slot, batch index), -1 when not listed.
    int rowOf(const QString &sessionId, quint64 slot, quint32 batchIndex) const;

    static QString stateText(BatchState state);

private:
    qsizetype rows() const override { return m_entries.size(); }
    struct Entry
    {
        QString sessionId;
        DiscoveryBatchEvent event;
        QString matchedText;
        BatchState state = BatchState::Ahead;
    };
    struct Position
    {
        quint64 slot = 0;
        std::optional<quint32> batchIndex;
        bool paused = false;
        bool finished = false;
        SessionPosition position() const { return {slot, batchIndex, paused}; }
    };
    struct Key
    {
        QString sessionId;
        quint64 slot;
        quint32 batchIndex;
        bool operator==(const Key &) const = default;
    };
    friend size_t qHash(const Key &key, size_t seed) noexcept
    {
        return qHashMulti(seed, key.sessionId, key.slot, key.batchIndex);
    }

    static BatchState stateFor(const Position *position, quint64 slot, quint32 batchIndex,
                               BatchState previous);
    void reevaluate(const QString &sessionId);

    QList<Entry> m_entries;
    QHash<Key, int> m_rows;
    QHash<QString, QList<int>> m_rowsBySession;
    QHash<QString, Position> m_positions;
};

} // namespace SlotScope
