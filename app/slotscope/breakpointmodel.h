#pragma once

#include "engine/discoverybreakpoint.h"
#include "model/flattablemodel.h"

#include <QList>

namespace SlotScope {

/// The Breakpoints panel's rows (issue 12 item 5): one per discovery filter of
/// the run, its options editable in place (Enabled and Log only as check
/// boxes, Skip a count, From / To slots where empty = open), and the hits the
/// engine reported (DiscoveryUpdate::breakpointHits, summed over the run's
/// sessions) with the last one's batch and verdict. Every edit is announced
/// with breakpointsEdited(); the window hands it to the engine and saves it
/// with the run configuration.
class BreakpointModel : public Internal::FlatTableModel
{
    Q_OBJECT

public:
    enum Column { ProgramColumn, SkipColumn, LogOnlyColumn, FromColumn, ToColumn, HitsColumn, LastHitColumn, ColumnCount };

    explicit BreakpointModel(QObject *parent = nullptr);

    /// A new run's breakpoints; hit counts start at 0.
    void setBreakpoints(const QList<DiscoveryBreakpoint> &breakpoints);
    QList<DiscoveryBreakpoint> breakpoints() const;
    /// The verdicts of the breakpoints on one discovered batch.
    void addHits(const DiscoveryBatchEvent &batch, const QList<BreakpointHit> &hits);
    /// Hits of `program`'s breakpoint so far (0 without one).
    quint64 hits(const QString &program) const;

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;

Q_SIGNALS:
    void breakpointsEdited(const QList<SlotScope::DiscoveryBreakpoint> &breakpoints);

private:
    qsizetype rows() const override { return m_rows.size(); }
    struct Row
    {
        DiscoveryBreakpoint breakpoint;
        quint64 hits = 0;
        QString lastHit;   ///< "1012/2 pause"
    };
    QList<Row> m_rows;
};

} // namespace SlotScope
