#include "demoserver.h"

#include "refserver/refserver.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace SlotScope {

DemoServer::DemoServer()
{
    m_thread.setObjectName(u"demo-simulator"_s);
}

DemoServer::~DemoServer()
{
    stop();
}

Result<QString> DemoServer::start(RefServerConfig config)
{
    stop();
    m_apiKey = QUuid::createUuid().toString(QUuid::WithoutBraces);
    config.apiKey = m_apiKey;
    config.host = QHostAddress(QHostAddress::LocalHost);

    m_thread.start();
    m_context = new QObject;
    m_context->moveToThread(&m_thread);

    Result<void> listening;
    QMetaObject::invokeMethod(m_context, [&] {
        m_server = new RefServer(config);
        listening = m_server->listen();
        if (listening)
            m_controlUrl = m_server->controlUrl().toString();
    }, Qt::BlockingQueuedConnection);

    if (!listening) {
        const QString message = listening.error().message;
        stop();
        return makeError(message);
    }
    return m_controlUrl;
}

void DemoServer::stop()
{
    if (!m_thread.isRunning())
        return;
    QMetaObject::invokeMethod(m_context, [this] {
        delete m_server;
        m_server = nullptr;
        delete m_context;
        m_context = nullptr;
    }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    m_controlUrl.clear();
}

QString DemoServer::defaultTransactionsDir()
{
    // Installed next to a source checkout: <repo>/build/bin/slotscope → <repo>/../shared.
    const QStringList candidates{
        QString::fromUtf8(SLOTSCOPE_FIXTURES_DIR),
        QCoreApplication::applicationDirPath() + u"/../../../shared/fixtures/solana"_s,
    };
    for (const QString &candidate : candidates) {
        if (QFileInfo(candidate).isDir())
            return QDir(candidate).canonicalPath();
    }
    return {};
}

} // namespace SlotScope
