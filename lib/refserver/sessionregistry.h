#pragma once

// The sessions of one reference server and what every connection shares:
// configuration, the transaction catalog, id counters and the transcript.
// Internal; RefServer owns one.

#include "protocol/controlmessages.h"
#include "refserver/refserverconfig.h"
#include "refserver/transactionplan.h"
#include "refserver/transcript.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QWebSocketProtocol>

#include <memory>
#include <optional>

namespace SlotScope::Internal {

class BacktestSession;
class ControlConnection;

class SessionRegistry : public QObject
{
    Q_OBJECT
public:
    SessionRegistry(const RefServerConfig &config, std::shared_ptr<const TransactionCatalog> catalog,
                    QObject *parent = nullptr);
    ~SessionRegistry() override;

    const RefServerConfig &config() const { return m_config; }
    /// The transactions every session replays (parallel batches plan from it).
    const std::shared_ptr<const TransactionCatalog> &catalog() const { return m_catalog; }

    /// `createBacktestSession` on `connection` (PROTOCOL.md §3.1, §8.3): validates
    /// the range (error invalidRequest "startSlot must be <= endSlot", error
    /// bundleNotFound outside the available range), then creates, binds and
    /// starts the session. Errors go back on the connection.
    void createSession(ControlConnection *connection, const CreateSessionParams &params);
    /// Session names (0.31, PROTOCOL-0.31.md §3.1.2, §5.2) of live sessions and
    /// parallel batches. The error a create with `params` must be answered
    /// with, or nothing: an invalid name → invalidRequest; a name another live
    /// session or batch holds → sessionNameTaken, unless the create carries the
    /// token that took it — a create resent after a drop before its answer:
    /// it reclaims the name, and the abandoned session or batch is dropped.
    /// Always nothing in 0.28 (names are ignored there).
    std::optional<BacktestError> checkName(const CreateSessionParams &params);
    /// `ownerId` (a session id or a control session id) holds the name of
    /// `params` until releaseName(ownerId). No-op without a name or in 0.28.
    void holdName(const CreateSessionParams &params, const QString &ownerId);
    void releaseName(const QString &ownerId);
    /// `attachBacktestSession` (PROTOCOL.md §6.4, §8.6).
    void attachSession(ControlConnection *connection, const QString &sessionId,
                       std::optional<quint64> lastSequence);
    /// The control socket of `connection` closed (PROTOCOL.md §1.1, §8.5).
    void controlClosed(ControlConnection *connection);
    /// Drop a session: it stops, its data-plane sockets close, it is forgotten.
    /// Register a session created elsewhere (a parallel sub-session, parented to
    /// this registry) so its data plane `/backtest/<id>` resolves, dropSession()
    /// reaches it and sessionCreated / sessionCompleted are emitted for it.
    void adoptSession(BacktestSession *session);
    /// Data sockets close with `closeCode` and `reason`.
    void dropSession(const QString &sessionId, const QString &reason,
                     QWebSocketProtocol::CloseCode closeCode = QWebSocketProtocol::CloseCodeGoingAway);
    void dropAll(const QString &reason);
    /// Close code of the data sockets of a session its client closed: 1000 in
    /// 0.31 (the data socket's "session closed"), 1001 in 0.28.
    QWebSocketProtocol::CloseCode closedByClientCode() const;

    /// The session `sessionId` names in any spelling (the simple or the
    /// hyphenated form, with or without its prefix: PROTOCOL-0.31.md §5.1).
    BacktestSession *session(const QString &sessionId) const { return m_sessions.value(canonicalId(sessionId)); }
    /// The id as this registry spells it, for any spelling of a known session;
    /// `sessionId` itself when none is known.
    QString canonicalId(const QString &sessionId) const;
    QStringList sessionIds() const { return m_sessions.keys(); }
    int sessionCount() const { return int(m_sessions.size()); }

    qint64 nextSubscriptionId() { return m_nextSubscriptionId++; }
    void record(int connectionId, TranscriptEntry::Kind kind, const QString &sessionId, const QString &text);
    const QList<TranscriptEntry> &transcript() const { return m_transcript; }

    /// `backtest_<uuid v7>`: simple form (32 lower-case hex digits,
    /// PROTOCOL-0.31.md §5.1) in 0.31, hyphenated in 0.28 (PROTOCOL.md §1.4).
    /// The first 48 bits are the Unix time in milliseconds and the next 12 a
    /// counter, so ids of one process sort in creation order (RFC 9562 §6.2).
    QString newSessionId() const;
    /// The same with `prefix` (`parallel_` for a control session id).
    QString newId(const QString &prefix) const;

Q_SIGNALS:
    void sessionCreated(const QString &sessionId);
    void sessionCompleted(const QString &sessionId);
    void clientFrameReceived(const SlotScope::TranscriptEntry &entry);

private:
    RefServerConfig m_config;
    std::shared_ptr<const TransactionCatalog> m_catalog;
    QHash<QString, BacktestSession *> m_sessions;
    struct NameHolder
    {
        QString ownerId;
        std::optional<QString> createToken;
    };
    QHash<QString, NameHolder> m_names;   // lower-cased name → holder
    QList<TranscriptEntry> m_transcript;
    qint64 m_nextSubscriptionId = 1;
};

} // namespace SlotScope::Internal
