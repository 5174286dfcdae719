#pragma once

#include "net/duplicatefilter.h"
#include "net/websocketconnection.h"
#include "net/zstdstreamdecoder.h"
#include "protocol/dataplane.h"
#include "protocol/transactionsummary.h"

#include <QStringList>

#include <deque>
#include <optional>

namespace SlotScope {

/// What one subscription socket subscribes to (PROTOCOL.md §5.5, §5.6).
struct SubscriptionSpec
{
    SubscriptionKind kind = SubscriptionKind::Transactions;
    /// Transactions: the `accountInclude` filter (empty = every transaction).
    QStringList programIds;
    /// Account diffs: the account, or the owner program with programOwner.
    QString address;
    /// Account diffs: every account owned by `address` (`address_type: "program"`).
    bool programOwner = false;
    /// Ask for `compression: "zstd"` (§5.4): Binary frames from one streaming
    /// compressor per connection. A server that ignores it sends Text, which
    /// is handled as usual.
    bool zstd = false;

    SubscriptionSpec() = default;
    /// A transaction subscription for `programIds` (kept implicit so a plain
    /// program list still makes a SubscriptionManager).
    SubscriptionSpec(QStringList programIds) : programIds(std::move(programIds)) {}

    static SubscriptionSpec transactions(QStringList programIds, bool zstd = false);
    static SubscriptionSpec accountDiffs(QString address, bool programOwner, bool zstd = false);

    bool operator==(const SubscriptionSpec &) const = default;
};

/// One subscription socket on a session's RPC endpoint (resolve the URL with
/// subscriptionWsUrl(), protocol/urls.h; no API key), PROTOCOL.md §5, §6.6,
/// §5.8; DESIGN.md §4; seed subscription managers.
///
/// * Handshake: `transactionSubscribe` (program ids) or `accountDiffSubscribe`
///   (an account or an owner program), with `compression:"zstd"` when asked,
///   and on a reconnect `replayFromSlot` = the last slot received (inclusive);
///   Up once the ack arrives (handshake response timeout, 120 s by default).
///   An RPC error answer is fatal.
/// * zstd: Binary frames go through one ZstdStreamDecoder per connection,
///   reset on every (re)connect, and are then handled as text. A frame that
///   does not decode is logged, counted (corruptFrames()) and drops the
///   connection: the context is unusable, so the resubscribe + replay recovers
///   what it held. Text frames (a server that ignored the request) are handled
///   as before.
/// * Each `transactionNotification` is summarized (TransactionSummarizer);
///   each `accountDiffNotification` carries slot, signature and account.
///   Boundary duplicates of a replay are dropped (transactions by signature,
///   account diffs by slot + signature + account) and counted; new ones are
///   emitted directly, on this thread, with a view of the raw `result` bytes
///   that is valid only during the emission.
/// * A normal close (1000) after markSessionCompleted() is the end of stream:
///   endOfStream(), then finished(); any other close is a loss and reconnects.
///   A normal close that arrives while the control plane has not yet reported
///   `completed` reconnects, and becomes the end of stream if
///   markSessionCompleted() is called before the reconnect succeeds, or after
///   it failed (the server may refuse a stream it already ended).
class SubscriptionManager : public WebSocketConnection
{
    Q_OBJECT
public:
    SubscriptionManager(SubscriptionSpec spec, ConnectionPolicy policy, QObject *parent = nullptr);

    const SubscriptionSpec &spec() const { return m_spec; }
    SubscriptionKind kind() const { return m_spec.kind; }
    QStringList programIds() const { return m_spec.programIds; }
    /// The control plane reported `completed`: the next normal close is the end of stream.
    void markSessionCompleted();
    /// The stream ended normally (endOfStream() was emitted). Not
    /// WebSocketConnection::hasEnded(), which is true however the loop ended
    /// (stopped, failed, end of stream).
    bool hasStreamEnded() const { return m_ended; }
    /// The last close was a normal close (1000) that came before
    /// markSessionCompleted(): most likely the end of stream overtaking
    /// `completed` on the control socket (PROTOCOL.md §5.8).
    bool closedNormallyBeforeCompletion() const { return m_normalCloseBeforeCompletion && !m_sessionCompleted; }
    /// Highest slot of a notification received (the next replayFromSlot).
    std::optional<quint64> lastSlot() const { return m_lastSlot; }
    /// The control plane reported that the session executed `slot` (its
    /// slotNotification); older slots are ignored. Marks the keepalive pings
    /// that follow, for deliveredThrough().
    void noteSessionSlot(quint64 slot);
    /// The newest slot whose notifications this subscription has received,
    /// quiet or not, as far as keepalives tell: the session's slot when an
    /// earlier keepalive ping of the same socket went out, once a later ping
    /// of it was answered. A heuristic with one stated assumption: the server
    /// writes a slot's notifications to the socket no later than one
    /// keepalive interval (15 s) after it reports the slot on the control
    /// plane — PROTOCOL-0.31.md §8 gives no order across the two, a pong
    /// answers only after what was written before its ping, and the mark is
    /// one interval older than that ping. Pings of a resubscribed socket vouch
    /// for nothing until its replay is settled (its first notification, or
    /// settleReplay()). A sparse subscription (an account touched once in a
    /// while) receives nothing for long stretches, so lastSlot() alone would
    /// make every slot since its last notification look missing after a
    /// resubscribe (SessionCore's replay gap check). nullopt until two pings
    /// of one socket went out and the second was answered.
    std::optional<quint64> deliveredThrough() const { return m_deliveredThrough; }
    /// The resubscribe's replay is settled without a notification: the
    /// session's newest slot was current when it came back, and whatever the
    /// replay window could not give was reported (SessionCore::checkReplayWindow()).
    void settleReplay();
    /// Subscribe requests sent over the manager's life: 1 on the first
    /// connection, one more for every resubscribe.
    int subscribesSent() const { return m_subscribesSent; }
    /// `replayFromSlot` of the last subscribe sent (nullopt: it had none,
    /// nothing having been received before it).
    std::optional<quint64> replayFromSlotSent() const { return m_replayFromSlotSent; }
    /// New notifications delivered (transactions or account diffs).
    qint64 transactionsReceived() const { return m_received; }
    qint64 duplicatesDropped() const { return m_duplicatesDropped; }
    /// Notifications that could not be decoded or summarized (logged, skipped).
    qint64 malformedNotifications() const { return m_malformed; }
    /// Notifications of another kind than the subscription's, or of a method
    /// the data plane does not know that carry a subscription's result (each
    /// also a frameDropped()); an unknown method without one is ignored.
    qint64 unfiledNotifications() const { return m_unfiledNotifications; }
    /// Binary frames that did not decompress (each dropped the connection).
    qint64 corruptFrames() const { return m_corruptFrames; }
    /// Binary frames decompressed over the lifetime of the manager.
    qint64 compressedFrames() const { return m_compressedFrames; }

Q_SIGNALS:
    /// A new transaction. `rawResult` is the notification's `result` object
    /// (EncodedConfirmedTransactionWithStatusMeta JSON, bytes as received),
    /// valid only during the emission: connect directly and copy what you keep.
    void transactionReceived(const SlotScope::TransactionSummary &summary, QByteArrayView rawResult);
    /// A new account diff (§5.6). `rawResult` is the notification's `result`
    /// object ({context:{slot}, account, signature, pre, post}), valid only
    /// during the emission. Empty signature / account when null.
    void accountDiffReceived(quint64 slot, const QString &signature, const QString &account,
                             QByteArrayView rawResult);
    /// A replayed notification was dropped as a duplicate: its signature,
    /// the account of an account diff ("" for a transaction) and its slot.
    void duplicateDropped(const QString &signature, const QString &account, quint64 slot);
    /// The server ended the stream after the session completed (§5.8).
    void endOfStream();
    /// The first notification after a resubscribe with `replayFromSlot` =
    /// `resumeSlot` was of `firstReplayedSlot` > `resumeSlot`: the server,
    /// which replays that slot inclusive while it holds it (§5.8), no longer
    /// did (see replayStartedLate()). Emitted before that notification.
    void replayStartedAfter(quint64 resumeSlot, quint64 firstReplayedSlot);

protected:
    void beginHandshake() override;
    void handleText(QByteArrayView utf8) override;
    void handleBinary(const QByteArray &frame) override;
    bool endsOnLoss(const ConnectionLoss &loss) override;
    /// HTTP 502 once the session has completed: its endpoint serves nothing
    /// after `completed` (PROTOCOL-0.31.md §1 item 13), so the stream cut
    /// before its end cannot be resumed.
    std::optional<QString> endpointGone(int httpStatus) const override;
    void keepalivePingSent(quint64 serial) override;
    void keepalivePongReceived(quint64 serial) override;

private:
    void onTransaction(const DataPlane::TransactionNotification &notification, QByteArrayView frame);
    void onAccountDiff(const DataPlane::AccountDiffNotification &diff);
    void noteSlot(quint64 slot);
    /// The first notification after a resubscribe: replayStartedAfter() when
    /// its slot is past the replayFromSlot sent.
    void checkReplayStart(quint64 slot);

    SubscriptionSpec m_spec;
    TransactionSummarizer m_summarizer;
    ZstdStreamDecoder m_zstd;
    bool m_streamBroken = false;   // a corrupt frame: ignore the rest of this connection
    qint64 m_nextRequestId = 0;
    qint64 m_pendingRequestId = -1;
    std::optional<quint64> m_lastSlot;
    std::optional<quint64> m_sessionSlot;       ///< newest slot the control plane reported
    /// Pings of the current socket not yet answered: serial, m_sessionSlot when sent.
    std::deque<std::pair<quint64, std::optional<quint64>>> m_pendingPings;
    std::optional<quint64> m_lastAnsweredPingSlot; ///< m_sessionSlot when the last answered ping of this socket went out
    std::optional<quint64> m_deliveredThrough;
    bool m_pingsVouch = true; ///< pings now mark slots for deliveredThrough() (see settleReplay())
    int m_subscribesSent = 0;
    std::optional<quint64> m_replayFromSlotSent;
    bool m_checkingReplayStart = false; ///< resubscribed with replayFromSlot; no notification since
    bool m_sessionCompleted = false;
    bool m_normalCloseBeforeCompletion = false;
    bool m_ended = false;
    qint64 m_received = 0;
    qint64 m_duplicatesDropped = 0;
    qint64 m_malformed = 0;
    qint64 m_unfiledNotifications = 0;
    qint64 m_corruptFrames = 0;
    qint64 m_compressedFrames = 0;
    DuplicateFilter m_duplicates;
};

} // namespace SlotScope
