#pragma once

#include "model/sessionupdate.h"

#include <QHash>
#include <QList>
#include <QPointF>
#include <QString>

#include <vector>

namespace SlotScope {

/// What the Charts dock plots (DESIGN.md §1 "Charts"): a run's transactions
/// captured and slots done, per sub-session and for the batch, sampled over
/// time, from the engine's SessionUpdates (absolute counters, so a sample is
/// the latest value of each).
///
/// Memory and plotting cost stay bounded however long the run: at most
/// `maxSamples` samples are kept; when full, every other one is dropped and
/// the sampling interval doubles (rates between kept samples stay exact
/// averages, since the counters are cumulative).
class RunRateHistory
{
public:
    /// `intervalMs`: the first sampling interval, milliseconds.
    explicit RunRateHistory(qint64 intervalMs = 1000, int maxSamples = 600);

    void clear();
    /// Takes in the latest counters of the sessions these updates name
    /// (sessions with an empty id, e.g. a batch's own row, are not plotted).
    void observe(const QList<SessionUpdate> &updates);
    /// Whether observe(updates) would change anything plotted: a new session,
    /// its slot range, current slot or transactions (not a state text).
    bool changes(const QList<SessionUpdate> &updates) const;
    /// Records a sample of every session at `timeMs` (ms since the epoch) if
    /// the sampling interval has passed since the last one (or `force`).
    /// Returns whether it did.
    bool sample(qint64 timeMs, bool force = false);

    qint64 intervalMs() const { return m_intervalMs; }
    int sampleCount() const { return int(m_times.size()); }
    int sessionCount() const { return int(m_sessions.size()); }
    QString sessionId(int session) const { return m_sessions[size_t(session)].id; }
    /// Index of `sessionId`, or -1.
    int sessionIndex(const QString &sessionId) const { return m_index.value(sessionId, -1); }
    /// Time of the first sample, ms since the epoch (0 when none).
    qint64 originMs() const { return m_times.empty() ? 0 : m_times.front(); }
    /// Something was sampled since the last takeChanged().
    bool takeChanged();
    /// The last sample's counters differ from the one before (something moved).
    bool lastSampleMoved() const { return m_lastMoved; }

    /// Transactions per second between consecutive samples: x = seconds since
    /// the first sample (the end of each step), y = rate. `session` -1 = the
    /// batch (every session summed).
    QList<QPointF> transactionRate(int session = -1) const;
    /// Slots per second, likewise.
    QList<QPointF> slotRate(int session = -1) const;
    /// Progress of `session` in percent (0–100) at each sample since it
    /// appeared, thinned to at most `maxPoints` points.
    QList<QPointF> progress(int session, int maxPoints = 120) const;
    /// Seconds between samples in which the batch moved (its transactions or
    /// slots done grew): the run's time less its still stretches (paused
    /// between steps, waiting for a runtime). Summed as the samples are
    /// taken, so compaction, which merges a still interval with a moving
    /// neighbour, does not count the pause as moving.
    double movingSeconds() const { return double(m_movingMs) / 1000.0; }
    /// The batch's transactions and slots at the last sample (tests).
    quint64 lastTransactions() const { return m_batchTx.empty() ? 0 : m_batchTx.back(); }
    quint64 lastSlots() const { return m_batchSlots.empty() ? 0 : m_batchSlots.back(); }

private:
    struct Session
    {
        QString id;
        quint64 startSlot = 0;
        quint64 endSlot = 0;
        quint64 currentSlot = 0;
        bool rangeKnown = false;
        bool slotKnown = false;
        quint64 transactions = 0;
        int firstSample = 0;               ///< index of its first sample
        std::vector<quint64> tx;           ///< from firstSample on
        std::vector<quint64> slotsDone;
        std::vector<float> progress;       ///< percent
    };
    quint64 slotsDone(const Session &session) const;
    QList<QPointF> rate(const std::vector<quint64> &values, int firstSample) const;
    void compact();

    qint64 m_baseIntervalMs;
    qint64 m_intervalMs;
    int m_maxSamples;
    std::vector<Session> m_sessions;
    QHash<QString, int> m_index;
    std::vector<qint64> m_times;
    std::vector<quint64> m_batchTx;
    std::vector<quint64> m_batchSlots;
    qint64 m_movingMs = 0; ///< movingSeconds(), in ms
    bool m_changed = false;
    bool m_lastMoved = false;
};

} // namespace SlotScope
