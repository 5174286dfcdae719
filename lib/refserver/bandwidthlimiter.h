#pragma once

// One constrained link for every data-plane socket of a reference server
// (issue "Data plane that never loses a transaction", fault "bandwidth cap"). Internal.

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QTimer>

namespace SlotScope::Internal {

/// Something with queued messages that the limiter paces.
class BandwidthClient
{
public:
    virtual ~BandwidthClient() = default;
    /// Whether a message is queued and may go now (not stalled, not closing).
    virtual bool readyToSend() const = 0;
    /// Send the next queued message; returns its bytes (0 = nothing was sent).
    virtual qint64 sendQueued() = 0;
};

/// A token bucket of `bytesPerSecond` shared by every client: refilled
/// continuously, holding at most 100 ms worth of bytes (so a timer that fires
/// late under load loses no budget), and allowed to go into debt by one
/// message, so the long-run rate is exactly the cap whatever the message sizes. Waiting clients are served round-robin, one
/// message each, so sockets share the link fairly. A client asks with
/// request() whenever it has something to send; the limiter calls back
/// sendQueued() now or when the budget allows. Clients call forget() before
/// they go away.
class BandwidthLimiter : public QObject
{
    Q_OBJECT
public:
    /// `bytesPerSecond` 0 = unlimited (isLimited() false; nobody should call request()).
    explicit BandwidthLimiter(qint64 bytesPerSecond, QObject *parent = nullptr);

    bool isLimited() const { return m_rate > 0; }
    qint64 bytesPerSecond() const { return m_rate; }

    void request(BandwidthClient *client);
    void forget(BandwidthClient *client);

private:
    void serve();
    void refill();

    qint64 m_rate = 0;
    qint64 m_burst = 0;
    double m_tokens = 0;
    QElapsedTimer m_clock;
    qint64 m_lastRefillNs = 0;
    QList<BandwidthClient *> m_waiting;
    QTimer m_timer;
    bool m_serving = false;
};

} // namespace SlotScope::Internal
