#include "model/runratehistory.h"

#include "model/sessionmodel.h"

namespace SlotScope {

RunRateHistory::RunRateHistory(qint64 intervalMs, int maxSamples)
    : m_baseIntervalMs(qMax<qint64>(1, intervalMs))
    , m_intervalMs(m_baseIntervalMs)
    , m_maxSamples(qMax(4, maxSamples))
{
}

void RunRateHistory::clear()
{
    m_sessions.clear();
    m_index.clear();
    m_times.clear();
    m_batchTx.clear();
    m_batchSlots.clear();
    m_intervalMs = m_baseIntervalMs;
    m_movingMs = 0;
    m_changed = true;
    m_lastMoved = false;
}

void RunRateHistory::observe(const QList<SessionUpdate> &updates)
{
    for (const SessionUpdate &update : updates) {
        if (update.sessionId.isEmpty())
            continue;
        int index = m_index.value(update.sessionId, -1);
        if (index < 0) {
            index = int(m_sessions.size());
            Session session;
            session.id = update.sessionId;
            session.firstSample = int(m_times.size());
            m_sessions.push_back(std::move(session));
            m_index.insert(update.sessionId, index);
        }
        Session &session = m_sessions[size_t(index)];
        if (update.startSlot && update.endSlot) {
            session.startSlot = *update.startSlot;
            session.endSlot = *update.endSlot;
            session.rangeKnown = true;
        }
        if (update.currentSlot) {
            session.currentSlot = *update.currentSlot;
            session.slotKnown = true;
        }
        if (update.transactionsCaptured)
            session.transactions = *update.transactionsCaptured;
    }
}

quint64 RunRateHistory::slotsDone(const Session &session) const
{
    if (!session.rangeKnown || !session.slotKnown || session.currentSlot < session.startSlot)
        return 0;
    return qMin(session.currentSlot, session.endSlot) - session.startSlot;
}

bool RunRateHistory::changes(const QList<SessionUpdate> &updates) const
{
    for (const SessionUpdate &update : updates) {
        if (update.sessionId.isEmpty())
            continue;
        const int index = m_index.value(update.sessionId, -1);
        if (index < 0)
            return true;
        const Session &session = m_sessions[size_t(index)];
        if ((update.startSlot && update.endSlot
             && (!session.rangeKnown || session.startSlot != *update.startSlot || session.endSlot != *update.endSlot))
            || (update.currentSlot && (!session.slotKnown || session.currentSlot != *update.currentSlot))
            || (update.transactionsCaptured && session.transactions != *update.transactionsCaptured))
            return true;
    }
    return false;
}

bool RunRateHistory::sample(qint64 timeMs, bool force)
{
    if (!m_times.empty() && !force && timeMs - m_times.back() < m_intervalMs)
        return false;
    if (!m_times.empty() && timeMs <= m_times.back())
        timeMs = m_times.back() + 1; // strictly increasing, for the rates
    m_times.push_back(timeMs);
    quint64 tx = 0;
    quint64 slotsSum = 0;
    for (Session &session : m_sessions) {
        const quint64 done = slotsDone(session);
        session.tx.push_back(session.transactions);
        session.slotsDone.push_back(done);
        session.progress.push_back(session.rangeKnown && session.slotKnown
                                       ? float(100.0 * SessionModel::progress(session.startSlot, session.endSlot,
                                                                             session.currentSlot))
                                       : 0.0f);
        tx += session.transactions;
        slotsSum += done;
    }
    m_lastMoved = m_batchTx.empty() || tx != m_batchTx.back() || slotsSum != m_batchSlots.back();
    if (!m_batchTx.empty() && m_lastMoved)
        m_movingMs += timeMs - m_times[m_times.size() - 2]; // counted now: compaction merges intervals
    m_batchTx.push_back(tx);
    m_batchSlots.push_back(slotsSum);
    m_changed = true;
    if (int(m_times.size()) > m_maxSamples)
        compact();
    return true;
}

void RunRateHistory::compact()
{
    // Keep every even sample and the last one; the interval doubles.
    const int count = int(m_times.size());
    std::vector<int> kept;
    kept.reserve(size_t(count / 2 + 1));
    for (int i = 0; i < count; i += 2)
        kept.push_back(i);
    if (kept.back() != count - 1)
        kept.push_back(count - 1);
    auto keepGlobal = [&](auto &values) {
        std::remove_reference_t<decltype(values)> out;
        out.reserve(kept.size());
        for (const int i : kept)
            out.push_back(values[size_t(i)]);
        values.swap(out);
    };
    for (Session &session : m_sessions) {
        const int first = session.firstSample;
        int newFirst = int(kept.size());
        decltype(session.tx) tx;
        decltype(session.slotsDone) done;
        decltype(session.progress) progress;
        for (int k = 0; k < int(kept.size()); ++k) {
            if (kept[size_t(k)] < first)
                continue;
            newFirst = qMin(newFirst, k);
            const size_t local = size_t(kept[size_t(k)] - first);
            tx.push_back(session.tx[local]);
            done.push_back(session.slotsDone[local]);
            progress.push_back(session.progress[local]);
        }
        session.firstSample = newFirst;
        session.tx.swap(tx);
        session.slotsDone.swap(done);
        session.progress.swap(progress);
    }
    keepGlobal(m_times);
    keepGlobal(m_batchTx);
    keepGlobal(m_batchSlots);
    m_intervalMs *= 2;
}

bool RunRateHistory::takeChanged()
{
    const bool changed = m_changed;
    m_changed = false;
    return changed;
}

QList<QPointF> RunRateHistory::rate(const std::vector<quint64> &values, int firstSample) const
{
    QList<QPointF> points;
    if (values.size() < 2)
        return points;
    points.reserve(qsizetype(values.size()));
    const qint64 origin = originMs();
    for (size_t i = 1; i < values.size(); ++i) {
        const qint64 t0 = m_times[size_t(firstSample) + i - 1];
        const qint64 t1 = m_times[size_t(firstSample) + i];
        const double seconds = double(t1 - t0) / 1000.0;
        const double delta = values[i] >= values[i - 1] ? double(values[i] - values[i - 1]) : 0.0;
        points.append(QPointF(double(t1 - origin) / 1000.0, seconds > 0 ? delta / seconds : 0.0));
    }
    return points;
}

QList<QPointF> RunRateHistory::transactionRate(int session) const
{
    if (session < 0)
        return rate(m_batchTx, 0);
    const Session &s = m_sessions[size_t(session)];
    return rate(s.tx, s.firstSample);
}

QList<QPointF> RunRateHistory::slotRate(int session) const
{
    if (session < 0)
        return rate(m_batchSlots, 0);
    const Session &s = m_sessions[size_t(session)];
    return rate(s.slotsDone, s.firstSample);
}

QList<QPointF> RunRateHistory::progress(int session, int maxPoints) const
{
    const Session &s = m_sessions[size_t(session)];
    QList<QPointF> points;
    const size_t count = s.progress.size();
    if (count == 0)
        return points;
    const qint64 origin = originMs();
    const size_t step = qMax<size_t>(1, (count + size_t(maxPoints) - 1) / size_t(qMax(2, maxPoints)));
    points.reserve(qsizetype(count / step + 2));
    for (size_t i = 0; i < count; i += step)
        points.append(QPointF(double(m_times[size_t(s.firstSample) + i] - origin) / 1000.0, s.progress[i]));
    if ((count - 1) % step != 0)
        points.append(QPointF(double(m_times[size_t(s.firstSample) + count - 1] - origin) / 1000.0, s.progress.back()));
    return points;
}

} // namespace SlotScope
