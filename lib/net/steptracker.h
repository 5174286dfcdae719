#pragma once

#include "protocol/controlmessages.h"

#include <optional>
#include <variant>

namespace SlotScope {

/// One session's Continue / Continue-to on its control connection, the
/// bookkeeping ControlManager keeps for its session and
/// ParallelControlManager for each sub-session: the step awaiting its
/// answer, whether anything since showed the server acted on it (after a
/// re-attach, PROTOCOL.md §6.4–6.5, only a step nothing answered is sent
/// again), and which connection it last went out on.
///
/// It also keeps the late-ready rule. A `paused` is followed by its own
/// `readyForContinue`; when a step goes out before that ready came
/// (SessionCore stood in for a slow 0.31 server's ready, PROTOCOL-0.31.md
/// §3.2, or a 0.28 server sends none), a ready that arrives before anything
/// of the step is the pause's, not the step's answer: the step stays in
/// flight. A refusal of the step ends the pairing, as SessionCore forgets
/// its stand-in on one.
class StepTracker
{
public:
    /// The step awaiting its answer (or, with connection() < 0, waiting to
    /// be sent after a re-attach); nullptr when none.
    const ControlRequest *step() const { return m_step ? &*m_step : nullptr; }
    bool hasStep() const { return m_step.has_value(); }
    /// Something of the session after the step showed the server acted on it.
    bool isActedOn() const { return m_actedOn; }
    /// The caller's number of the connection the step last went out on; -1
    /// while it waits to be sent.
    int connection() const { return m_connection; }

    /// `request` went out on `connection` (-1: it waits for a re-attach);
    /// it follows a pause whose ready is still due when one is.
    void stepSent(const ControlRequest &request, int connection = 0)
    {
        m_step = request;
        m_actedOn = false;
        m_copySent = false;
        m_connection = connection;
        m_afterPause = m_pauseAwaitsReady;
    }
    /// The step in flight went out again on `connection`.
    void stepResent(int connection) { m_connection = connection; }
    /// The step in flight went out again on `connection` after a re-attach
    /// because nothing showed the server acted on it: a copy, should the
    /// first have reached the server after all.
    void copySent(int connection)
    {
        m_connection = connection;
        m_copySent = true;
    }
    /// A refusal arriving now may answer the copy rather than the step: a
    /// copy went out and nothing showed the server acted on either
    /// (ConnectionPolicy::duplicateRefusalHold).
    bool refusalMayAnswerCopy() const { return m_step && m_copySent && !m_actedOn; }
    /// A refusal arriving now answers the copy: a copy went out and the step
    /// already showed itself under way (a refusal answers its request at
    /// once, so the running step cannot be the refused one).
    bool refusalAnswersCopy() const { return m_step && m_copySent && m_actedOn; }
    /// The copy's refusal came (after refusalAnswersCopy()); a further one
    /// is the step's own again.
    void copyRefused() { m_copySent = false; }

    /// `event` (a ControlResponse or SessionEventKind) is the late
    /// `readyForContinue` of the pause the step in flight followed.
    template<class Event>
    bool isReadyOfEarlierPause(const Event &event) const
    {
        return m_step && m_afterPause && !m_actedOn && std::holds_alternative<Responses::ReadyForContinue>(event);
    }
    /// `event` (a ControlResponse or SessionEventKind) is something the
    /// server only sends while executing or answering a step: a status, a
    /// slot, a ready, a pause, a completion or an error. A discovery batch
    /// (a background scan, PROTOCOL.md §4.8) or a `success` says nothing
    /// about the step.
    template<class Event>
    static bool showsStepActedOn(const Event &event)
    {
        return std::holds_alternative<Responses::Status>(event)
               || std::holds_alternative<Responses::SlotNotification>(event)
               || std::holds_alternative<Responses::ReadyForContinue>(event)
               || std::holds_alternative<Responses::Paused>(event)
               || std::holds_alternative<Responses::Completed>(event)
               || std::holds_alternative<Responses::Error>(event);
    }
    /// A new (not replayed twice) frame of the session: marks the step acted
    /// on when it shows so (showsStepActedOn()), unless it is the pause's
    /// late ready or a refusal that may answer the copy.
    template<class Event>
    void noteActivity(const Event &event)
    {
        if (m_step && showsStepActedOn(event) && !isReadyOfEarlierPause(event)
            && !(refusalMayAnswerCopy() && isRefusal(event)))
            m_actedOn = true;
    }
    /// A refusal of a step: the request rejected, the session unchanged
    /// (PROTOCOL-0.31.md §4.8, BacktestErrorClass::RequestRejected).
    static bool isRefusal(const BacktestError &error)
    {
        return error.errorClass() == BacktestErrorClass::RequestRejected;
    }
    template<class Event>
    static bool isRefusal(const Event &event)
    {
        const auto *error = std::get_if<Responses::Error>(&event);
        return error && isRefusal(error->error);
    }

    /// A `readyForContinue`: answers the step, or, when it is the pause's
    /// late ready, leaves the step in flight with the pairing over.
    void readyArrived()
    {
        if (m_step && m_afterPause && !m_actedOn)
            m_afterPause = false;
        else
            m_step.reset();
        m_pauseAwaitsReady = false;
    }
    /// A `paused`: answers the step; its own ready is still due.
    void pausedArrived()
    {
        m_step.reset();
        m_pauseAwaitsReady = true;
    }
    /// The step was refused (ControlConnection::rejectsStep()): answered,
    /// and a late ready now answers whatever is sent next.
    void stepRefused()
    {
        m_step.reset();
        m_pauseAwaitsReady = false;
    }
    /// The session completed or was closed: no step any more.
    void clearStep() { m_step.reset(); }

private:
    std::optional<ControlRequest> m_step;
    bool m_actedOn = false;
    bool m_copySent = false;          // copySent() since stepSent()
    bool m_afterPause = false;       // the step went out while a pause's ready was due
    bool m_pauseAwaitsReady = false; // a `paused` came, its `readyForContinue` not yet
    int m_connection = 0;
};

} // namespace SlotScope
