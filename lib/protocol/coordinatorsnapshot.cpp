#include "protocol/coordinatorsnapshot.h"

#include <QJsonArray>

#include <utility>

using namespace Qt::StringLiterals;

namespace SlotScope {

namespace {

QJsonObject socketJson(const CoordinatorSnapshot::Socket &socket)
{
    QJsonObject json{{u"session_id"_s, socket.sessionId},
                     {u"socket"_s, socket.socket},
                     {u"since"_s, socket.sinceMs},
                     {u"attempt"_s, socket.attempt}};
    if (socket.expedited)
        json.insert(u"expedited"_s, true);
    if (socket.slotsBehind)
        json.insert(u"slots_behind"_s, qint64(*socket.slotsBehind));
    return json;
}

// Reads `key` of `json` into `out` when present; false when it has the wrong type.
bool readInt64(const QJsonObject &json, QLatin1StringView key, qint64 &out)
{
    const QJsonValue value = json.value(key);
    if (value.isUndefined() || value.isNull())
        return true;
    if (!value.isDouble())
        return false;
    out = value.toInteger();
    return true;
}

template<typename Int>
bool readInt(const QJsonObject &json, QLatin1StringView key, Int &out)
{
    qint64 wide = qint64(out);
    // A count below zero or past its type is damage, not a figure to wrap.
    if (!readInt64(json, key, wide) || !std::in_range<Int>(wide))
        return false;
    out = Int(wide);
    return true;
}

std::optional<CoordinatorSnapshot::Socket> readSocket(const QJsonValue &value)
{
    if (!value.isObject())
        return std::nullopt;
    const QJsonObject json = value.toObject();
    CoordinatorSnapshot::Socket socket;
    socket.sessionId = json.value("session_id"_L1).toString();
    socket.socket = json.value("socket"_L1).toString();
    socket.expedited = json.value("expedited"_L1).toBool();
    if (!readInt64(json, "since"_L1, socket.sinceMs) || !readInt(json, "attempt"_L1, socket.attempt))
        return std::nullopt;
    if (const QJsonValue behind = json.value("slots_behind"_L1); !behind.isUndefined() && !behind.isNull()) {
        if (!behind.isDouble() || behind.toInteger() < 0)
            return std::nullopt;
        socket.slotsBehind = quint64(behind.toInteger());
    }
    return socket;
}

/// The plain counters of a snapshot with their keys, in the order toJson()
/// writes and fromJson() checks them: `f(key, member)`.
template<class Snapshot, class F>
void forEachCounter(Snapshot &s, F f)
{
    f("streaming"_L1, s.streaming);
    f("participants"_L1, s.participants);
    f("ungated_attempts"_L1, s.ungatedAttempts);
    f("reconnects"_L1, s.reconnects);
    f("parks"_L1, s.parks);
    f("longest_park_ms"_L1, s.longestParkMs);
    f("total_parked_ms"_L1, s.totalParkedMs);
    f("storms"_L1, s.storms);
    f("last_storm_ms"_L1, s.lastStormMs);
    f("longest_storm_ms"_L1, s.longestStormMs);
    f("unrecovered_storm_ms"_L1, s.unrecoveredStormMs);
}

QJsonArray socketsJson(const QList<CoordinatorSnapshot::Socket> &sockets)
{
    QJsonArray array;
    for (const CoordinatorSnapshot::Socket &socket : sockets)
        array.append(socketJson(socket));
    return array;
}

/// Reads the array `key` of `json` (absent or null: empty) into `out`; false
/// when it or one of its entries has the wrong type.
bool readSockets(const QJsonObject &json, QLatin1StringView key, QList<CoordinatorSnapshot::Socket> &out)
{
    const QJsonValue value = json.value(key);
    if (value.isUndefined() || value.isNull())
        return true;
    if (!value.isArray())
        return false;
    for (const QJsonValue &entry : value.toArray()) {
        const std::optional<CoordinatorSnapshot::Socket> socket = readSocket(entry);
        if (!socket)
            return false;
        out.append(*socket);
    }
    return true;
}

} // namespace

QJsonObject CoordinatorSnapshot::toJson() const
{
    QJsonObject json{{u"at"_s, atMs},
                     {u"holder"_s, holder ? QJsonValue(socketJson(*holder)) : QJsonValue(QJsonValue::Null)},
                     {u"parked"_s, socketsJson(parked)},
                     {u"storm_since"_s, stormSinceMs ? QJsonValue(*stormSinceMs) : QJsonValue(QJsonValue::Null)}};
    if (!waitedFor.isEmpty())
        json.insert(u"waited_for"_s, socketsJson(waitedFor));
    forEachCounter(*this, [&json](QLatin1StringView key, auto value) { json.insert(key, qint64(value)); });
    return json;
}

Result<CoordinatorSnapshot> CoordinatorSnapshot::fromJson(const QJsonObject &json)
{
    CoordinatorSnapshot snapshot;
    const auto wrong = [](QLatin1StringView key) {
        return makeError(u"coordinator: \"%1\" has the wrong type"_s.arg(key));
    };
    if (!readInt64(json, "at"_L1, snapshot.atMs))
        return wrong("at"_L1);
    if (const QJsonValue holder = json.value("holder"_L1); !holder.isNull() && !holder.isUndefined()) {
        snapshot.holder = readSocket(holder);
        if (!snapshot.holder)
            return wrong("holder"_L1);
    }
    if (!readSockets(json, "parked"_L1, snapshot.parked))
        return wrong("parked"_L1);
    if (!readSockets(json, "waited_for"_L1, snapshot.waitedFor))
        return wrong("waited_for"_L1);
    QLatin1StringView wrongCounter;
    forEachCounter(snapshot, [&](QLatin1StringView key, auto &value) {
        if (wrongCounter.isNull() && !readInt(json, key, value))
            wrongCounter = key;
    });
    if (!wrongCounter.isNull())
        return wrong(wrongCounter);
    if (const QJsonValue since = json.value("storm_since"_L1); !since.isNull() && !since.isUndefined()) {
        if (!since.isDouble())
            return wrong("storm_since"_L1);
        snapshot.stormSinceMs = since.toInteger();
    }
    return snapshot;
}

void ParkedQueuePace::observe(const CoordinatorSnapshot &snapshot)
{
    const int parked = int(snapshot.parked.size());
    if (snapshot.stormSinceMs != m_stormSinceMs || parked >= m_peak) {
        // A new storm (or none), or the queue at a new height: count from here.
        m_stormSinceMs = snapshot.stormSinceMs;
        m_peak = parked;
        m_peakAtMs = snapshot.atMs;
    }
    m_parked = parked;
    m_atMs = snapshot.atMs;
}

std::optional<double> ParkedQueuePace::perMinute() const
{
    const int served = m_peak - m_parked;
    const qint64 span = m_atMs - m_peakAtMs;
    if (!m_stormSinceMs || served < kMinServed || span < kMinSpanMs)
        return std::nullopt;
    return double(served) * 60000.0 / double(span);
}

std::optional<qint64> ParkedQueuePace::remainingMs() const
{
    const std::optional<double> pace = perMinute();
    if (!pace || m_parked == 0)
        return std::nullopt;
    return qint64(double(m_parked) * 60000.0 / *pace);
}

} // namespace SlotScope
