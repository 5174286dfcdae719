#pragma once

#include "protocol/result.h"
#include "refserver/refserverconfig.h"
#include "refserver/refserverthread.h"

#include <QString>

namespace SlotScope {

/// The embedded "Local simulator (demo)": a lib/refserver RefServer on its own
/// thread, so replaying transactions never competes with the client's event
/// loop. Listens on 127.0.0.1 with an OS-chosen port and a random API key.
class DemoServer
{
public:
    /// Starts the server (apiKey in `config` is replaced by a random one) and
    /// returns its control URL. Errors: the transactions directory cannot be
    /// loaded, no port to listen on.
    Result<QString> start(RefServerConfig config);
    void stop() { m_thread.stop(); }
    bool isRunning() const { return m_thread.isRunning(); }
    QString controlUrl() const { return m_thread.controlUrl(); }
    QString apiKey() const { return m_apiKey; }

    /// The shared real-transaction fixtures when they are beside the
    /// repository (../shared/fixtures/solana), else empty (synthetic demo).
    static QString defaultTransactionsDir();

private:
    RefServerThread m_thread{QStringLiteral("demo-simulator")};
    QString m_apiKey;
};

} // namespace SlotScope
