#include "net/subscriptionmanager.h"
#include "net/logging.h"
#include "net/overloaded.h"

using namespace Qt::StringLiterals;

namespace SlotScope {

SubscriptionSpec SubscriptionSpec::transactions(QStringList programIds, bool zstd)
{
    SubscriptionSpec spec(std::move(programIds));
    spec.zstd = zstd;
    return spec;
}

SubscriptionSpec SubscriptionSpec::accountDiffs(QString address, bool programOwner, bool zstd)
{
    SubscriptionSpec spec;
    spec.kind = SubscriptionKind::AccountDiffs;
    spec.address = std::move(address);
    spec.programOwner = programOwner;
    spec.zstd = zstd;
    return spec;
}

SubscriptionManager::SubscriptionManager(SubscriptionSpec spec, ConnectionPolicy policy, QObject *parent)
    : WebSocketConnection(policy, parent)
    , m_spec(std::move(spec))
{
    // Summaries go to the capture and the model only (issue 11: engine CPU per transaction).
    m_summarizer.setDetail(TransactionSummarizer::Detail::Ingest);
}

void SubscriptionManager::beginHandshake()
{
    // Every connection starts a fresh compressed stream (§5.4).
    m_zstd.reset();
    m_streamBroken = false;
    m_pendingPings.clear();
    m_lastAnsweredPingSlot.reset();
    // A resubscribed socket carries the replay, which may begin past what
    // was lost: its pongs vouch for nothing until that is settled.
    if (m_subscribesSent > 0)
        m_pingsVouch = false;
    m_pendingRequestId = ++m_nextRequestId;
    ++m_subscribesSent;
    m_replayFromSlotSent = m_lastSlot;
    m_checkingReplayStart = m_replayFromSlotSent.has_value();
    if (m_spec.kind == SubscriptionKind::AccountDiffs) {
        AccountDiffSubscribeParams params;
        params.address = m_spec.address;
        params.programOwner = m_spec.programOwner;
        params.replayFromSlot = m_lastSlot;
        params.zstd = m_spec.zstd;
        sendText(encodeAccountDiffSubscribe(m_pendingRequestId, params));
        return;
    }
    TransactionSubscribeParams params;
    params.accountInclude = m_spec.programIds;
    params.replayFromSlot = m_lastSlot;
    params.zstd = m_spec.zstd;
    sendText(encodeTransactionSubscribe(m_pendingRequestId, params));
}

void SubscriptionManager::handleBinary(const QByteArray &frame)
{
    if (m_streamBroken)
        return; // the rest of a connection that is being dropped
    // A zstd stream starts with the frame magic 28 B5 2F FD; a server that
    // ignored the request may still send plain JSON as Binary.
    const bool plainJson = m_zstd.framesDecoded() == 0 && frame.startsWith('{');
    if (!m_spec.zstd || plainJson) {
        WebSocketConnection::handleBinary(frame);
        return;
    }
    Result<QByteArray> message = m_zstd.decode(frame);
    if (!message) {
        ++m_corruptFrames;
        m_streamBroken = true;
        dropFrame(tr("undecodable compressed frame (%1); reconnecting with replayFromSlot")
                      .arg(message.error().message),
                  frame);
        dropConnection(tr("corrupt compressed frame: %1").arg(message.error().message));
        return;
    }
    ++m_compressedFrames;
    handleText(*message);
}

void SubscriptionManager::handleText(QByteArrayView utf8)
{
    // The result's end from the frame's tail: the summarizer's parse checks it
    // (issue 11: a bracket search over every notification cost ~2 µs).
    Result<DataPlaneMessage> decoded = decodeDataPlaneMessage(utf8, ResultEnd::Assumed);
    if (!decoded) {
        ++m_malformed;
        dropFrame(decoded.error().message, utf8);
        return;
    }
    std::visit(Internal::Overloaded{
        [this](const DataPlane::SubscribeAck &ack) {
            if (phase() != Phase::Handshaking || ack.requestId != m_pendingRequestId) {
                qCDebug(lcNet) << "ignoring an unexpected subscribe ack" << ack.requestId;
                return;
            }
            m_normalCloseBeforeCompletion = false;
            handshakeSucceeded();
        },
        [this](const DataPlane::RpcError &error) {
            if (phase() == Phase::Handshaking
                && (error.requestId == m_pendingRequestId || error.requestId == -1)) {
                handshakeFailed(HandshakeError::fatal(
                    tr("subscribe rejected: %1 (code %2)").arg(error.message).arg(error.code)));
                return;
            }
            qCWarning(lcNet) << "data-plane error" << error.code << error.message;
        },
        // A socket carries one subscription: a notification it cannot file
        // (another kind, a method the spec does not name: PROTOCOL.md §5.5
        // only proposes `transactionNotification`) may be this stream's data
        // under another name, so it is counted and shown, never ignored.
        [this, utf8](const DataPlane::TransactionNotification &notification) {
            if (m_spec.kind != SubscriptionKind::Transactions) {
                ++m_unfiledNotifications;
                dropFrame(tr("a transactionNotification on an account-diff subscription"), utf8);
                return;
            }
            onTransaction(notification, utf8);
        },
        [this, utf8](const DataPlane::AccountDiffNotification &diff) {
            if (m_spec.kind != SubscriptionKind::AccountDiffs) {
                ++m_unfiledNotifications;
                dropFrame(tr("an accountDiffNotification on a transaction subscription"), utf8);
                return;
            }
            onAccountDiff(diff);
        },
        [this, utf8](const DataPlane::OtherNotification &other) {
            if (!other.carriesData) {
                qCDebug(lcNet) << "ignoring a" << other.method << "notification without a subscription's result";
                return;
            }
            ++m_unfiledNotifications;
            dropFrame(tr("an unknown notification method \"%1\"").arg(other.method), utf8);
        },
    }, *decoded);
}

void SubscriptionManager::checkReplayStart(quint64 slot)
{
    m_pingsVouch = true; // where the replay began is known now (replayStartedAfter() said it)
    if (!m_checkingReplayStart)
        return;
    m_checkingReplayStart = false;
    if (slot > *m_replayFromSlotSent)
        Q_EMIT replayStartedAfter(*m_replayFromSlotSent, slot);
}

void SubscriptionManager::settleReplay()
{
    m_pingsVouch = true;
}

void SubscriptionManager::noteSessionSlot(quint64 slot)
{
    if (!m_sessionSlot || slot > *m_sessionSlot)
        m_sessionSlot = slot;
}

void SubscriptionManager::keepalivePingSent(quint64 serial)
{
    // Unanswered pings are bounded by the keepalive deadline; the cap only
    // guards against a peer that never answers any.
    constexpr std::size_t kMaxPendingPings = 64;
    if (m_pendingPings.size() == kMaxPendingPings)
        m_pendingPings.pop_front();
    m_pendingPings.emplace_back(serial, m_pingsVouch ? m_sessionSlot : std::nullopt);
}

void SubscriptionManager::keepalivePongReceived(quint64 serial)
{
    // The ping before `serial` on this socket: answered already
    // (m_lastAnsweredPingSlot) or, when its pong is still to come or lost,
    // queued ahead of it. The server read it too, one interval before.
    std::optional<quint64> previous = m_lastAnsweredPingSlot;
    while (!m_pendingPings.empty() && m_pendingPings.front().first < serial) {
        previous = m_pendingPings.front().second;
        m_pendingPings.pop_front();
    }
    if (m_pendingPings.empty() || m_pendingPings.front().first != serial)
        return; // answered before (a duplicate pong)
    m_lastAnsweredPingSlot = m_pendingPings.front().second;
    m_pendingPings.pop_front();
    if (previous && (!m_deliveredThrough || *previous > *m_deliveredThrough))
        m_deliveredThrough = previous;
}

void SubscriptionManager::noteSlot(quint64 slot)
{
    if (!m_lastSlot || slot > *m_lastSlot)
        m_lastSlot = slot;
}

void SubscriptionManager::onTransaction(const DataPlane::TransactionNotification &notification, QByteArrayView frame)
{
    QByteArrayView result = notification.result;
    Result<TransactionSummary> summary = m_summarizer.summarizeInPlace(result);
    if (!summary && notification.resultEndAssumed) {
        // Not the documented layout after all, or not JSON: find the end by
        // the result's brackets (ResultEnd::Exact), and drop only what that
        // decode or the summary of its span refuses.
        Result<DataPlaneMessage> exact = decodeDataPlaneMessage(frame, ResultEnd::Exact);
        if (!exact) {
            ++m_malformed;
            dropFrame(exact.error().message, frame);
            return;
        }
        const auto *checked = std::get_if<DataPlane::TransactionNotification>(&*exact);
        if (checked && (checked->result.data() != result.data() || checked->result.size() != result.size())) {
            result = checked->result;
            summary = m_summarizer.summarizeInPlace(result);
        }
    }
    if (!summary) {
        ++m_malformed;
        dropFrame(tr("transactionNotification: %1").arg(summary.error().message), result);
        return;
    }
    checkReplayStart(summary->slot); // duplicates too: a replay starts with what arrived before
    if (!m_duplicates.admit(summary->slot, summary->signature)) {
        ++m_duplicatesDropped;
        Q_EMIT duplicateDropped(summary->signature, QString(), summary->slot);
        return;
    }
    noteSlot(summary->slot);
    ++m_received;
    Q_EMIT transactionReceived(*summary, result);
}

void SubscriptionManager::onAccountDiff(const DataPlane::AccountDiffNotification &diff)
{
    checkReplayStart(diff.slot);
    const QString key = DuplicateFilter::accountDiffKey(diff.signature, diff.account, diff.result);
    if (!m_duplicates.admit(diff.slot, key)) {
        ++m_duplicatesDropped;
        Q_EMIT duplicateDropped(diff.signature, diff.account, diff.slot);
        return;
    }
    noteSlot(diff.slot);
    ++m_received;
    Q_EMIT accountDiffReceived(diff.slot, diff.signature, diff.account, diff.result);
}

bool SubscriptionManager::endsOnLoss(const ConnectionLoss &loss)
{
    const bool normalClose = loss.peerClosed && loss.closeCode == QWebSocketProtocol::CloseCodeNormal;
    if (!normalClose)
        return false;
    if (!m_sessionCompleted) {
        // The close may have overtaken the control plane's `completed`
        // (different sockets); reconnect, but remember it (see markSessionCompleted).
        m_normalCloseBeforeCompletion = true;
        return false;
    }
    m_ended = true;
    leaveCoordinator(); // a batch that completes with this stream sees no socket of it left
    Q_EMIT endOfStream();
    return true;
}

std::optional<QString> SubscriptionManager::endpointGone(int httpStatus) const
{
    if (!m_sessionCompleted || httpStatus != 502)
        return std::nullopt;
    return tr("the session has completed and its endpoint serves nothing after that; what the stream carried "
              "after its drop cannot be replayed");
}

void SubscriptionManager::markSessionCompleted()
{
    m_sessionCompleted = true;
    if (m_ended || !m_normalCloseBeforeCompletion || (isRunning() && phase() == Phase::Up))
        return;
    m_ended = true;
    leaveCoordinator(); // down since that close, it waits for no reconnect any more
    Q_EMIT endOfStream();
    if (isRunning())
        finish(tr("end of stream"));
}

} // namespace SlotScope
