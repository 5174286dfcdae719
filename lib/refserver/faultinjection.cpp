#include "refserver/faultinjection.h"


namespace SlotScope::Internal {

namespace {

// Frames a client must skip: broken JSON of several shapes (the seed picks one).
constexpr const char *MalformedFrames[] = {
    R"({"method":"status","params":{"status":"decodedTransactions")",
    R"(not json at all)",
    R"([1,2,3])",
    R"({"params":{"status":"bundleReady"}})",
    R"({"method":"slotNotification","params":"not a slot"})",
};

// Methods no version of the protocol has; params of every shape.
constexpr const char *UnknownMethodFrames[] = {
    R"({"method":"sessionTeleported","params":{"session_id":"backtest_x"}})",
    R"({"method":"frobnicate"})",
    R"({"method":"slotNotificationV9","params":12345})",
};

} // namespace

ControlFaultInjector::ControlFaultInjector(const ControlFaults &faults)
    : m_faults(faults)
    , m_random(faults.seed)
{
}

bool ControlFaultInjector::refuseUpgrade()
{
    ++m_upgrades;
    if (m_upgrades > m_faults.refuseUpgrades)
        return false;
    ++m_refused;
    return true;
}

bool ControlFaultInjector::takeAbort()
{
    if (m_faults.maxAborts > 0 && m_aborts >= m_faults.maxAborts)
        return false;
    ++m_aborts;
    return true;
}

ControlFaultInjector::AfterFrame ControlFaultInjector::afterFrame(int framesOnConnection)
{
    if (m_faults.silentAfterFrames > 0 && framesOnConnection == m_faults.silentAfterFrames
        && (m_faults.maxSilences <= 0 || m_silences < m_faults.maxSilences)) {
        ++m_silences;
        return AfterFrame::GoSilent;
    }
    if (m_faults.abortEveryFrames > 0 && framesOnConnection % m_faults.abortEveryFrames == 0 && takeAbort())
        return AfterFrame::Abort;
    return AfterFrame::Continue;
}

QByteArray ControlFaultInjector::garbageAfterFrame()
{
    ++m_framesWritten;
    if (m_faults.garbageEveryFrames <= 0 || m_framesWritten % m_faults.garbageEveryFrames != 0)
        return {};
    const bool malformed = m_garbage % 2 == 0;
    ++m_garbage;
    if (malformed)
        return MalformedFrames[m_random.bounded(int(std::size(MalformedFrames)))];
    return UnknownMethodFrames[m_random.bounded(int(std::size(UnknownMethodFrames)))];
}

bool ControlFaultInjector::abortAtStepEnd()
{
    ++m_stepEnds;
    return m_faults.abortAtStepEnds.contains(m_stepEnds) && takeAbort();
}

ControlFaultInjector::StepRequest ControlFaultInjector::stepRequest()
{
    ++m_requests;
    if (m_faults.loseRequests.contains(m_requests) && takeAbort())
        return StepRequest::Lose;
    if (m_faults.abortAfterActing.contains(m_requests) && takeAbort())
        return StepRequest::ActThenAbort;
    return StepRequest::Act;
}

int ControlFaultInjector::stepStartDelayMs() const
{
    return m_faults.slowSteps.contains(m_requests) ? m_faults.slowStepDelayMs : 0;
}

} // namespace SlotScope::Internal
