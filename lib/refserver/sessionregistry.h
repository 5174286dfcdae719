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
    void dropSession(const QString &sessionId, const QString &reason);
    void dropAll(const QString &reason);

    BacktestSession *session(const QString &sessionId) const { return m_sessions.value(sessionId); }
    QStringList sessionIds() const { return m_sessions.keys(); }
    int sessionCount() const { return int(m_sessions.size()); }

    qint64 nextSubscriptionId() { return m_nextSubscriptionId++; }
    void record(int connectionId, TranscriptEntry::Kind kind, const QString &sessionId, const QString &text);
    const QList<TranscriptEntry> &transcript() const { return m_transcript; }

    /// `backtest_<uuid v7>` (PROTOCOL.md §1.4): hyphenated lower-case UUID whose
    /// first 48 bits are the Unix time in milliseconds.
    static QString newSessionId();

Q_SIGNALS:
    void sessionCreated(const QString &sessionId);
    void sessionCompleted(const QString &sessionId);
    void clientFrameReceived(const SlotScope::TranscriptEntry &entry);

private:
    RefServerConfig m_config;
    std::shared_ptr<const TransactionCatalog> m_catalog;
    QHash<QString, BacktestSession *> m_sessions;
    QList<TranscriptEntry> m_transcript;
    qint64 m_nextSubscriptionId = 1;
};

} // namespace SlotScope::Internal
