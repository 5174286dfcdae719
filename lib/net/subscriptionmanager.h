#pragma once

#include "net/websocketconnection.h"
#include "protocol/dataplane.h"
#include "protocol/transactionsummary.h"

#include <QSet>
#include <QStringList>

#include <optional>

namespace SlotScope {

/// One subscription socket on a session's RPC endpoint (resolve the URL with
/// subscriptionWsUrl(), protocol/urls.h; no API key), PROTOCOL.md §5, §6.6,
/// §5.8; DESIGN.md §4.
///
/// * Handshake: `transactionSubscribe` with the program ids (empty = every
///   transaction) and, on a reconnect, `replayFromSlot` = the last slot
///   received (inclusive); Up once the ack arrives (handshake response
///   timeout). An RPC error answer is fatal.
/// * Each `transactionNotification` is summarized (TransactionSummarizer),
///   boundary duplicates of a replay are dropped by signature (and counted),
///   and transactionReceived() is emitted directly, on this thread, with a view
///   of the raw `result` bytes that is valid only during the emission.
/// * A normal close (1000) after markSessionCompleted() is the end of stream:
///   endOfStream(), then finished(); any other close is a loss and reconnects.
///   A normal close that arrives while the control plane has not yet reported
///   `completed` reconnects, and becomes the end of stream if
///   markSessionCompleted() is called before the reconnect succeeds.
///
/// Account-diff subscriptions (§5.6, SubscriptionKind::AccountDiffs) will be a
/// second kind on this class; only transactions are implemented today.
class SubscriptionManager : public WebSocketConnection
{
    Q_OBJECT
public:
    SubscriptionManager(QStringList programIds, ConnectionPolicy policy, QObject *parent = nullptr);

    SubscriptionKind kind() const { return SubscriptionKind::Transactions; }
    QStringList programIds() const { return m_programIds; }
    /// The control plane reported `completed`: the next normal close is the end of stream.
    void markSessionCompleted();
    /// The stream ended normally (endOfStream() was emitted).
    bool hasEnded() const { return m_ended; }
    /// Highest slot of a transaction received (the next replayFromSlot).
    std::optional<quint64> lastSlot() const { return m_lastSlot; }
    qint64 transactionsReceived() const { return m_received; }
    qint64 duplicatesDropped() const { return m_duplicatesDropped; }
    /// Notifications that could not be decoded or summarized (logged, skipped).
    qint64 malformedNotifications() const { return m_malformed; }

Q_SIGNALS:
    /// A new transaction. `rawResult` is the notification's `result` object
    /// (EncodedConfirmedTransactionWithStatusMeta JSON, bytes as received),
    /// valid only during the emission: connect directly and copy what you keep.
    void transactionReceived(const SlotScope::TransactionSummary &summary, QByteArrayView rawResult);
    /// A replayed transaction was dropped as a duplicate.
    void duplicateDropped(const QString &signature, quint64 slot);
    /// The subscription was acknowledged (after every (re)subscribe).
    void subscribed(qint64 subscriptionId, std::optional<quint64> replayFromSlot);
    /// The server ended the stream after the session completed (§5.8).
    void endOfStream();

protected:
    void beginHandshake() override;
    void handleText(QByteArrayView utf8) override;
    bool endsOnLoss(const ConnectionLoss &loss) override;

private:
    void onTransaction(QByteArrayView result);
    bool isDuplicate(quint64 slot, const QString &signature);

    QStringList m_programIds;
    TransactionSummarizer m_summarizer;
    qint64 m_nextRequestId = 0;
    qint64 m_pendingRequestId = -1;
    std::optional<quint64> m_replayFromSlot;
    std::optional<quint64> m_lastSlot;
    bool m_sessionCompleted = false;
    bool m_normalCloseBeforeCompletion = false;
    bool m_ended = false;
    qint64 m_received = 0;
    qint64 m_duplicatesDropped = 0;
    qint64 m_malformed = 0;

    // Signatures of the two most recent slots: a replay from the last slot
    // (inclusive) can only repeat those.
    quint64 m_currentSlot = 0;
    QSet<QString> m_currentSlotSignatures;
    quint64 m_previousSlot = 0;
    QSet<QString> m_previousSlotSignatures;
};

} // namespace SlotScope
