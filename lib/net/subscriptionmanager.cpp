#include "net/subscriptionmanager.h"
#include "net/logging.h"
#include "net/overloaded.h"

using namespace Qt::StringLiterals;

namespace SlotScope {

SubscriptionManager::SubscriptionManager(QStringList programIds, ConnectionPolicy policy,
                                         QObject *parent)
    : WebSocketConnection(policy, parent)
    , m_programIds(std::move(programIds))
{
}

void SubscriptionManager::beginHandshake()
{
    m_pendingRequestId = ++m_nextRequestId;
    m_replayFromSlot = m_lastSlot;
    TransactionSubscribeParams params;
    params.accountInclude = m_programIds;
    params.replayFromSlot = m_lastSlot;
    sendText(encodeTransactionSubscribe(m_pendingRequestId, params));
}

void SubscriptionManager::handleText(QByteArrayView utf8)
{
    Result<DataPlaneMessage> decoded = decodeDataPlaneMessage(utf8);
    if (!decoded) {
        ++m_malformed;
        qCWarning(lcNet).nospace() << "skipping a data-plane frame: " << decoded.error().message
                                   << " (" << utf8.first(std::min<qsizetype>(utf8.size(), 200)).toByteArray() << ")";
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
            if (isRunning())
                Q_EMIT subscribed(ack.subscription, m_replayFromSlot);
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
        [this](const DataPlane::TransactionNotification &notification) {
            onTransaction(notification.result);
        },
        [](const DataPlane::AccountDiffNotification &) {
            qCDebug(lcNet) << "ignoring an accountDiffNotification on a transaction subscription";
        },
        [](const DataPlane::OtherNotification &other) {
            qCDebug(lcNet) << "ignoring a" << other.method << "notification";
        },
    }, *decoded);
}

bool SubscriptionManager::isDuplicate(quint64 slot, const QString &signature)
{
    if (slot > m_currentSlot) {
        m_previousSlot = m_currentSlot;
        m_previousSlotSignatures = std::exchange(m_currentSlotSignatures, {});
        m_currentSlot = slot;
    }
    if (slot == m_currentSlot) {
        if (m_currentSlotSignatures.contains(signature))
            return true;
        m_currentSlotSignatures.insert(signature);
        return false;
    }
    if (slot == m_previousSlot) {
        if (m_previousSlotSignatures.contains(signature))
            return true;
        m_previousSlotSignatures.insert(signature);
        return false;
    }
    return false; // older than anything a replay can repeat
}

void SubscriptionManager::onTransaction(QByteArrayView result)
{
    Result<TransactionSummary> summary = m_summarizer.summarize(result);
    if (!summary) {
        ++m_malformed;
        qCWarning(lcNet) << "skipping a transaction notification:" << summary.error().message;
        return;
    }
    if (isDuplicate(summary->slot, summary->signature)) {
        ++m_duplicatesDropped;
        Q_EMIT duplicateDropped(summary->signature, summary->slot);
        return;
    }
    if (!m_lastSlot || summary->slot > *m_lastSlot)
        m_lastSlot = summary->slot;
    ++m_received;
    Q_EMIT transactionReceived(*summary, result);
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
    Q_EMIT endOfStream();
    return true;
}

void SubscriptionManager::markSessionCompleted()
{
    m_sessionCompleted = true;
    if (m_ended || !m_normalCloseBeforeCompletion || !isRunning() || phase() == Phase::Up)
        return;
    m_ended = true;
    Q_EMIT endOfStream();
    finish(tr("end of stream"));
}

} // namespace SlotScope
