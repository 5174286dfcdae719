#include "demoserver.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace SlotScope {

Result<QString> DemoServer::start(RefServerConfig config)
{
    m_apiKey = QUuid::createUuid().toString(QUuid::WithoutBraces);
    config.apiKey = m_apiKey;
    config.host = QHostAddress(QHostAddress::LocalHost);
    return m_thread.start(config);
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
