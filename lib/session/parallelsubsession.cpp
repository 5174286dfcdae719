#include "session/parallelsubsession.h"

using namespace Qt::StringLiterals;

namespace SlotScope {

ParallelSubSession::ParallelSubSession(ParallelSubSessionInfo info, QString controlUrl,
                                       ParallelControlManager *control, ReconnectCoordinator *coordinator,
                                       ConnectionPolicy policy, QObject *parent)
    : SessionCore(std::move(controlUrl), policy, u"sub-session %1"_s.arg(info.info.sessionId), parent)
    , m_info(std::move(info))
    , m_channel(control, m_info.info.sessionId)
{
    setChannel(&m_channel);
    setReconnectCoordinator(coordinator);
}

void ParallelSubSession::handleControlEvent(const SessionEventKind &event)
{
    SessionCore::handleControlEvent(std::visit([](const auto &e) { return ControlResponse{e}; }, event));
}

} // namespace SlotScope
