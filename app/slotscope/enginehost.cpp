#include "enginehost.h"

#include "engine/sessionengine.h"

using namespace Qt::StringLiterals;

namespace SlotScope {

EngineHost::EngineHost(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<SlotScope::ModelUpdate>();
    qRegisterMetaType<SlotScope::RunOutcome>();
    m_thread.setObjectName(u"engine"_s);
    m_engine = new SessionEngine;
    m_engine->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_engine, &QObject::deleteLater);
    connect(m_engine, &SessionEngine::runStarted, this, &EngineHost::runStarted);
    connect(m_engine, &SessionEngine::modelUpdated, this, &EngineHost::modelUpdated);
    connect(m_engine, &SessionEngine::runFinished, this, &EngineHost::runFinished);
    m_thread.start();
}

EngineHost::~EngineHost()
{
    // Stop the run on its own thread (graceful close), then let the thread's
    // event loop finish the close frames before it ends.
    QMetaObject::invokeMethod(m_engine, [engine = m_engine] { engine->stop(); },
                              Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void EngineHost::setConnectionPolicy(const ConnectionPolicy &policy)
{
    QMetaObject::invokeMethod(m_engine, [engine = m_engine, policy] { engine->setConnectionPolicy(policy); });
}

void EngineHost::start(const RunConfig &config, const QString &controlUrl)
{
    QMetaObject::invokeMethod(m_engine, [engine = m_engine, config, controlUrl] { engine->start(config, controlUrl); });
}

void EngineHost::continueSession(quint64 advanceCount)
{
    QMetaObject::invokeMethod(m_engine, [engine = m_engine, advanceCount] { engine->continueSession(advanceCount); });
}

void EngineHost::continueTo(quint64 slot, qint64 batchIndex)
{
    QMetaObject::invokeMethod(m_engine, [engine = m_engine, slot, batchIndex] { engine->continueTo(slot, batchIndex); });
}

void EngineHost::runToEnd()
{
    QMetaObject::invokeMethod(m_engine, [engine = m_engine] { engine->runToEnd(); });
}

void EngineHost::runToNextDiscovery()
{
    QMetaObject::invokeMethod(m_engine, [engine = m_engine] { engine->runToNextDiscovery(); });
}

void EngineHost::stop()
{
    QMetaObject::invokeMethod(m_engine, [engine = m_engine] { engine->stop(); });
}

} // namespace SlotScope
