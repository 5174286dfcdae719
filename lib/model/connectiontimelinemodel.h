#pragma once

#include "protocol/connectionstatus.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace SlotScope {

/// One status change of one socket (control or a subscription), as the
/// engine reports it (DESIGN.md §1 "Connections timeline").
struct ConnectionEvent
{
    qint64 timeMs = 0;        ///< milliseconds since the Unix epoch (UTC)
    QString sessionId;        ///< "" before the session exists
    QString socket;           ///< "control", "transactions", "account diffs", …
    ConnectionStatus status = ConnectionStatus::Down;
    QString reason;           ///< why Down / Parked / Failed
    int attempt = 0;          ///< reconnect attempt of the socket's budget

    bool operator==(const ConnectionEvent &) const = default;
};

/// The Connections timeline (DESIGN.md §1): one lane per socket, and on each
/// lane the intervals it spent Up / Down / Parked / Failed, with reconnect
/// markers (a return to Up after the first). One row per interval, in the
/// order intervals began; the last interval of a lane is open (endMs empty)
/// until the socket changes again or the run ends (closeAll()).
///
/// Fed in batches by the engine (appendEvents); a repeated status on a lane
/// only updates the reason / attempt of its open interval.
class ConnectionTimelineModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { LaneColumn, StatusColumn, StartColumn, EndColumn, AttemptColumn, ReasonColumn, ColumnCount };
    Q_ENUM(Column)

    enum Role {
        LaneIndexRole = Qt::UserRole + 32, ///< int, every column: the lane of the row
        StatusRole,                        ///< int(ConnectionStatus)
        StartMsRole,                       ///< qlonglong, ms since epoch
        EndMsRole,                         ///< qlonglong, invalid while open
        ReconnectRole,                     ///< bool: this Up interval is a reconnect
    };
    Q_ENUM(Role)

    struct Interval
    {
        int lane = 0;
        ConnectionStatus status = ConnectionStatus::Down;
        qint64 startMs = 0;
        std::optional<qint64> endMs;
        QString reason;
        int attempt = 0;
        bool reconnect = false;   ///< an Up that followed an earlier Up on the lane
    };

    explicit ConnectionTimelineModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Applies events in order (one insertion for the new intervals of the
    /// batch, one dataChanged for the intervals they closed).
    void appendEvents(const QList<ConnectionEvent> &events);
    /// Ends every open interval at `timeMs` (the run finished).
    void closeAll(qint64 timeMs);
    void clear();

    /// "session · socket" names of the lanes, in order of first appearance.
    QStringList lanes() const { return m_laneNames; }
    const QList<Interval> &intervals() const { return m_intervals; }
    /// Times of the reconnect markers (returns to Up) of `lane`.
    QList<qint64> reconnectTimes(int lane) const;
    /// Earliest event time, or 0 when empty.
    qint64 originMs() const { return m_originMs; }

Q_SIGNALS:
    void lanesChanged();

private:
    int laneFor(const ConnectionEvent &event);

    QList<Interval> m_intervals;
    QStringList m_laneNames;
    QHash<QString, int> m_laneIndex;        ///< lane key → lane
    QHash<int, qsizetype> m_openInterval;   ///< lane → row of its open interval
    QHash<int, bool> m_laneWasUp;
    qint64 m_originMs = 0;
};

} // namespace SlotScope

Q_DECLARE_METATYPE(SlotScope::ConnectionEvent)
