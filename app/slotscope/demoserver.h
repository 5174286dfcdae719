#pragma once

#include "protocol/result.h"
#include "refserver/refserverconfig.h"

#include <QString>
#include <QThread>

namespace SlotScope {

class RefServer;

/// The embedded "Local simulator (demo)": a lib/refserver RefServer on its own
/// thread, so replaying transactions never competes with the client's event
/// loop. Listens on 127.0.0.1 with an OS-chosen port and a random API key.
class DemoServer
{
public:
    DemoServer();
    ~DemoServer();
    DemoServer(const DemoServer &) = delete;
    DemoServer &operator=(const DemoServer &) = delete;

    /// Starts the server (apiKey in `config` is replaced by a random one) and
    /// returns its control URL. Errors: the transactions directory cannot be
    /// loaded, no port to listen on.
    Result<QString> start(RefServerConfig config);
    void stop();
    bool isRunning() const { return m_server != nullptr; }
    QString controlUrl() const { return m_controlUrl; }
    QString apiKey() const { return m_apiKey; }

    /// The shared real-transaction fixtures when they are beside the
    /// repository (../shared/fixtures/solana), else empty (synthetic demo).
    static QString defaultTransactionsDir();

private:
    QThread m_thread;
    QObject *m_context = nullptr;
    RefServer *m_server = nullptr;
    QString m_controlUrl;
    QString m_apiKey;
};

} // namespace SlotScope
