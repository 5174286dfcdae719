#include "protocol/coordinatorsnapshot.h"

#include <QJsonArray>

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
    if (!readInt64(json, key, wide))
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
    return socket;
}

} // namespace

QJsonObject CoordinatorSnapshot::toJson() const
{
    QJsonArray queue;
    for (const Socket &socket : parked)
        queue.append(socketJson(socket));
    QJsonObject json{{u"at"_s, atMs},
                     {u"holder"_s, holder ? QJsonValue(socketJson(*holder)) : QJsonValue(QJsonValue::Null)},
                     {u"parked"_s, queue},
                     {u"streaming"_s, streaming},
                     {u"participants"_s, participants},
                     {u"ungated_attempts"_s, ungatedAttempts},
                     {u"reconnects"_s, qint64(reconnects)},
                     {u"parks"_s, qint64(parks)},
                     {u"longest_park_ms"_s, longestParkMs},
                     {u"total_parked_ms"_s, totalParkedMs},
                     {u"storms"_s, storms},
                     {u"last_storm_ms"_s, lastStormMs},
                     {u"longest_storm_ms"_s, longestStormMs},
                     {u"storm_since"_s, stormSinceMs ? QJsonValue(*stormSinceMs) : QJsonValue(QJsonValue::Null)}};
    return json;
}

Result<CoordinatorSnapshot> CoordinatorSnapshot::fromJson(const QJsonObject &json)
{
    CoordinatorSnapshot snapshot;
    const auto wrong = [](const char *key) {
        return makeError(u"coordinator: \"%1\" has the wrong type"_s.arg(QLatin1StringView(key)));
    };
    if (!readInt64(json, "at"_L1, snapshot.atMs))
        return wrong("at");
    if (const QJsonValue holder = json.value("holder"_L1); !holder.isNull() && !holder.isUndefined()) {
        snapshot.holder = readSocket(holder);
        if (!snapshot.holder)
            return wrong("holder");
    }
    if (const QJsonValue parked = json.value("parked"_L1); !parked.isUndefined() && !parked.isNull()) {
        if (!parked.isArray())
            return wrong("parked");
        for (const QJsonValue &entry : parked.toArray()) {
            const std::optional<Socket> socket = readSocket(entry);
            if (!socket)
                return wrong("parked");
            snapshot.parked.append(*socket);
        }
    }
    if (!readInt(json, "streaming"_L1, snapshot.streaming))
        return wrong("streaming");
    if (!readInt(json, "participants"_L1, snapshot.participants))
        return wrong("participants");
    if (!readInt(json, "ungated_attempts"_L1, snapshot.ungatedAttempts))
        return wrong("ungated_attempts");
    if (!readInt(json, "reconnects"_L1, snapshot.reconnects))
        return wrong("reconnects");
    if (!readInt(json, "parks"_L1, snapshot.parks))
        return wrong("parks");
    if (!readInt64(json, "longest_park_ms"_L1, snapshot.longestParkMs))
        return wrong("longest_park_ms");
    if (!readInt64(json, "total_parked_ms"_L1, snapshot.totalParkedMs))
        return wrong("total_parked_ms");
    if (!readInt(json, "storms"_L1, snapshot.storms))
        return wrong("storms");
    if (!readInt64(json, "last_storm_ms"_L1, snapshot.lastStormMs))
        return wrong("last_storm_ms");
    if (!readInt64(json, "longest_storm_ms"_L1, snapshot.longestStormMs))
        return wrong("longest_storm_ms");
    if (const QJsonValue since = json.value("storm_since"_L1); !since.isNull() && !since.isUndefined()) {
        if (!since.isDouble())
            return wrong("storm_since");
        snapshot.stormSinceMs = since.toInteger();
    }
    return snapshot;
}

} // namespace SlotScope
