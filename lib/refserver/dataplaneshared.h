#pragma once

// What every data-plane socket of one reference server shares: the data-fault
// plan with its server-wide counters, the zstd accept flag and the bandwidth
// limiter. Internal; RefServer owns one.

#include "refserver/bandwidthlimiter.h"
#include "refserver/refserverconfig.h"

#include <QObject>

namespace SlotScope::Internal {

class DataPlaneShared : public QObject
{
    Q_OBJECT
public:
    explicit DataPlaneShared(const RefServerConfig &config, QObject *parent = nullptr);

    const DataFaults &faults() const { return m_faults; }
    /// config.zstd: honour compression:"zstd" (PROTOCOL.md §5.4).
    bool zstdAccepted() const { return m_zstd; }
    /// config.preencodedNotifications, and no data fault that acts per notification.
    bool preencodes() const { return m_preencoded; }
    BandwidthLimiter *limiter() { return &m_limiter; }

    /// A socket reached a drop point: true (and counted) while maxDrops allows one more.
    bool takeDrop();
    /// A socket reached its stall point: true (and counted) while maxStalls allows one more.
    bool takeStall();
    /// A session completed with open subscription sockets: true (and counted)
    /// while DataFaults::dropAtCompletion allows one more.
    bool takeCompletionDrop();
    /// A transaction subscription socket sent its `notificationsSent`-th real
    /// notification: the index (0-based, server-wide) of the malformed
    /// notification to send now, or -1 (DataFaults::malformedNotifications).
    int takeMalformed(qint64 notificationsSent);
    int dropsInjected() const { return m_drops; }
    int stallsInjected() const { return m_stalls; }
    int completionDropsInjected() const { return m_completionDrops; }
    int malformedInjected() const { return m_malformed; }

    /// The shapes of DataFaults::malformedNotifications, in cycle order.
    enum class MalformedShape { MissingResult, ResultNotObject, UndecodableJson, ResultWithoutTransaction, BadFrame };
    static constexpr int MalformedShapeCount = 5;
    static MalformedShape malformedShape(int index) { return MalformedShape(index % MalformedShapeCount); }
    /// The text of a malformed notification of `shape` on `subscription`
    /// (BadFrame: a `subscription` that is no id, an object — a string or any
    /// integer is one; the zstd form is the connection's business).
    static QByteArray malformedNotification(MalformedShape shape, qint64 subscription, quint64 slot);

private:
    DataFaults m_faults;
    bool m_zstd = true;
    bool m_preencoded = false;
    BandwidthLimiter m_limiter;
    int m_drops = 0;
    int m_stalls = 0;
    int m_completionDrops = 0;
    int m_malformed = 0;
};

} // namespace SlotScope::Internal
