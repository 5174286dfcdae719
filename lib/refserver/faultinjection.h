#pragma once

// Control-plane fault injection of the reference server (RefServerConfig
// ControlFaults). Internal; RefServer owns one injector shared by every control
// connection, so the server-wide counts and limits hold across reconnects.

#include "refserver/refserverconfig.h"

#include <QByteArray>
#include <QRandomGenerator>

namespace SlotScope::Internal {

/// Decides, deterministically, when a control-plane fault fires. Holds only
/// counters; the connections carry the faults out (ControlConnection).
class ControlFaultInjector
{
public:
    /// What a connection does after writing a frame.
    enum class AfterFrame { Continue, Abort, GoSilent };

    explicit ControlFaultInjector(const ControlFaults &faults);

    const ControlFaults &faults() const { return m_faults; }
    bool isActive() const { return m_faults.isActive(); }

    /// A `/backtest` upgrade with a valid key arrived: true = answer HTTP 503.
    bool refuseUpgrade();
    /// A connection wrote its `framesOnConnection`-th frame.
    AfterFrame afterFrame(int framesOnConnection);
    /// A frame was written somewhere (server-wide count): the garbage frame to
    /// write after it, or an empty array.
    QByteArray garbageAfterFrame();
    /// A step (continue / continueTo) is about to end: true = abort instead of
    /// sending its readyForContinue / paused.
    bool abortAtStepEnd();
    /// What happens to a continue / continueTo that arrived.
    enum class StepRequest {
        Act,
        Lose,           ///< ControlFaults::loseRequests: not acted on, the socket aborted
        ActThenAbort,   ///< ControlFaults::abortAfterActing: acted on, the socket aborted before any of it left
    };
    StepRequest stepRequest();
    /// How long the step request stepRequest() just counted waits before
    /// the server starts it (ControlFaults::slowSteps); 0 = none.
    int stepStartDelayMs() const;

    int abortsDone() const { return m_aborts; }
    int silencesDone() const { return m_silences; }
    int upgradesRefused() const { return m_refused; }
    int garbageSent() const { return m_garbage; }

private:
    bool takeAbort();

    ControlFaults m_faults;
    QRandomGenerator m_random;
    int m_upgrades = 0;
    int m_refused = 0;
    int m_aborts = 0;
    int m_silences = 0;
    qint64 m_framesWritten = 0;
    int m_garbage = 0;
    int m_stepEnds = 0;
    int m_requests = 0;
};

} // namespace SlotScope::Internal
