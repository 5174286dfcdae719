#include "refserver/dataplaneshared.h"

#include <algorithm>

namespace SlotScope::Internal {

DataPlaneShared::DataPlaneShared(const RefServerConfig &config, QObject *parent)
    : QObject(parent)
    , m_faults(config.dataFaults)
    , m_zstd(config.zstd)
    , m_limiter(config.dataFaults.bandwidthBytesPerSecond, this)
{
    const DataFaults &f = config.dataFaults;
    m_preencoded = config.preencodedNotifications && f.dropEveryNotifications <= 0
                   && f.stallAfterNotifications <= 0 && f.bandwidthBytesPerSecond <= 0
                   && f.malformedNotifications <= 0;
}

bool DataPlaneShared::takeDrop()
{
    if (m_faults.dropEveryNotifications <= 0 || (m_faults.maxDrops > 0 && m_drops >= m_faults.maxDrops))
        return false;
    ++m_drops;
    return true;
}

bool DataPlaneShared::takeCompletionDrop()
{
    if (m_completionDrops >= m_faults.dropAtCompletion)
        return false;
    ++m_completionDrops;
    return true;
}

int DataPlaneShared::takeMalformed(qint64 notificationsSent)
{
    const int every = std::max(1, m_faults.malformedEveryNotifications);
    if (m_malformed >= m_faults.malformedNotifications || notificationsSent % every != 0)
        return -1;
    return m_malformed++;
}

QByteArray DataPlaneShared::malformedNotification(MalformedShape shape, qint64 subscription, quint64 slot)
{
    const QByteArray head = R"({"jsonrpc":"2.0","method":"transactionNotification","params":{"subscription":)";
    const QByteArray id = QByteArray::number(subscription);
    switch (shape) {
    case MalformedShape::MissingResult:
        return head + id + "}}";
    case MalformedShape::ResultNotObject:
        return head + id + R"(,"result":"not a transaction"}})";
    case MalformedShape::UndecodableJson:
        return head + id + R"(,"result":{"slot":)" + QByteArray::number(slot) + R"(,"transaction":{"signa)";
    case MalformedShape::ResultWithoutTransaction:
        return head + id + R"(,"result":{"slot":)" + QByteArray::number(slot) + R"(,"blockTime":null}}})";
    case MalformedShape::BadFrame:
        return head + R"({"id":"not-a-subscription"},"result":{"slot":)" + QByteArray::number(slot) + "}}}";
    }
    return {};
}

bool DataPlaneShared::takeStall()
{
    if (m_faults.stallAfterNotifications <= 0 || (m_faults.maxStalls > 0 && m_stalls >= m_faults.maxStalls))
        return false;
    ++m_stalls;
    return true;
}

} // namespace SlotScope::Internal
