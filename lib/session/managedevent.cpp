#include "session/managedevent.h"
#include "session/logging.h"
#include "net/overloaded.h"

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcSession, "slotscope.session")

namespace SlotScope {

std::optional<ManagedEvent> managedEventFromResponse(const ControlResponse &response)
{
    using Result = std::optional<ManagedEvent>;
    return std::visit(Internal::Overloaded{
        [](const Responses::ReadyForContinue &) -> Result { return ManagedEvents::ReadyForContinue{}; },
        [](const Responses::Paused &r) -> Result { return ManagedEvents::Paused{r.event}; },
        [](const Responses::DiscoveryBatch &r) -> Result { return ManagedEvents::DiscoveryBatch{r.event}; },
        [](const Responses::SlotNotification &r) -> Result { return ManagedEvents::Slot{r.slot}; },
        [](const Responses::Status &r) -> Result { return ManagedEvents::Status{r.status}; },
        [](const Responses::Completed &r) -> Result { return ManagedEvents::Completed{r.summary}; },
        [](const Responses::Error &r) -> Result { return ManagedEvents::Error{r.error}; },
        [](const auto &) -> Result { return std::nullopt; },
    }, response);
}

QString managedEventName(const ManagedEvent &event)
{
    return std::visit(Internal::Overloaded{
        [](const ManagedEvents::ReadyForContinue &) { return u"readyForContinue"_s; },
        [](const ManagedEvents::Paused &) { return u"paused"_s; },
        [](const ManagedEvents::DiscoveryBatch &) { return u"discoveryBatch"_s; },
        [](const ManagedEvents::Slot &) { return u"slot"_s; },
        [](const ManagedEvents::Status &) { return u"status"_s; },
        [](const ManagedEvents::Completed &) { return u"completed"_s; },
        [](const ManagedEvents::Error &) { return u"error"_s; },
    }, event);
}

QString managedSessionErrorKindName(ManagedSessionError::Kind kind)
{
    switch (kind) {
    case ManagedSessionError::Kind::Create: return u"create"_s;
    case ManagedSessionError::Kind::ControlFailed: return u"control failed"_s;
    case ManagedSessionError::Kind::SubscriptionFailed: return u"subscription failed"_s;
    case ManagedSessionError::Kind::Cancelled: return u"cancelled"_s;
    case ManagedSessionError::Kind::ContinueSend: return u"continue send"_s;
    case ManagedSessionError::Kind::DrainStalled: return u"drain stalled"_s;
    }
    return u"unknown"_s;
}

} // namespace SlotScope
