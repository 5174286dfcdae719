#include "engine/stepper.h"

#include <QCoreApplication>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace SlotScope {

namespace {

/// PROTOCOL-0.31.md §4.8 "Terminality", as far as stepping is concerned: the
/// one error table of lib/protocol (BacktestErrorClass), as the control
/// managers read it.
Stepper::ErrorEffect effectOf(const BacktestError &error)
{
    switch (error.errorClass()) {
    case BacktestErrorClass::PerTransaction:
        return Stepper::ErrorEffect::Counted;
    case BacktestErrorClass::Terminal:
        return Stepper::ErrorEffect::Terminal;
    case BacktestErrorClass::RequestRejected:
        return Stepper::ErrorEffect::Refused;
    case BacktestErrorClass::CreateFailed:
    case BacktestErrorClass::TransientHandshake:
    case BacktestErrorClass::Unknown:
        break;
    }
    return Stepper::ErrorEffect::Shown;
}

} // namespace

Stepper::Stepper(quint64 startSlot, quint64 endSlot, quint64 advanceCount, DriveMode drive)
    : m_startSlot(startSlot)
    , m_endSlot(endSlot)
    , m_advanceCount(std::max<quint64>(advanceCount, 1))
    , m_drive(drive)
    , m_currentSlot(startSlot)
    , m_nextSlot(startSlot)
{
}

SessionState Stepper::state() const
{
    switch (m_phase) {
    case Phase::Starting: return SessionState::Creating;
    case Phase::Ready: return m_pausedAt ? SessionState::Paused : SessionState::Ready;
    case Phase::Stepping: return SessionState::Running;
    case Phase::PausedWaiting: return SessionState::Paused;
    case Phase::Ended: return m_endState;
    }
    return SessionState::Creating;
}

// ---------------------------------------------------------------------------
// Control events

std::optional<Step> Stepper::onReadyForContinue(bool synthesized)
{
    if (m_phase == Phase::Ended)
        return std::nullopt;
    if (synthesized)
        ++m_synthesizedReadies;
    if (m_phase == Phase::Stepping)
        m_lastError.clear(); // a step completed: an earlier refusal is history
    m_phase = Phase::Ready;
    if (m_held) {
        Step held = *std::exchange(m_held, std::nullopt);
        // Held while a step ran (a double click, a key pressed twice): that
        // step may have run past its target, which the server would refuse.
        if (const auto *to = std::get_if<ContinueToParams>(&held); to && !targetAhead(*to)) {
            m_lastError = u"Continue To %1 not sent: the session passed it while the step before ran"_s.arg(
                to->batchIndex ? u"%1/%2"_s.arg(to->slot).arg(*to->batchIndex) : QString::number(to->slot));
            return std::nullopt;
        }
        return begin(std::move(held));
    }
    return nextDrivenStep();
}

bool Stepper::targetAhead(const ContinueToParams &to) const
{
    // The whole slot: not run as long as the session is before its end.
    return to.batchIndex ? isAhead(to.slot, *to.batchIndex) : !position().hasRunSlot(to.slot);
}

SessionPosition Stepper::position() const
{
    if (m_pausedAt)
        return SessionPosition{m_pausedAt->slot, m_pausedAt->batchIndex, true};
    return SessionPosition{m_nextSlot, std::nullopt, false};
}

void Stepper::onPaused(const PausedEvent &event)
{
    if (m_phase == Phase::Ended)
        return;
    m_pausedAt = event;
    m_currentSlot = event.slot;
    m_nextSlot = event.batchIndex ? event.slot : event.slot + 1;
    m_phase = Phase::PausedWaiting;
}

void Stepper::onSlot(quint64 slot)
{
    if (m_phase == Phase::Ended)
        return;
    m_currentSlot = slot;
    m_nextSlot = m_phase == Phase::Stepping ? slot + 1 : slot;
    m_pausedAt.reset();
}

bool Stepper::onDiscovery(const DiscoveryBatchEvent &batch)
{
    const bool known = std::any_of(m_discoveries.cbegin(), m_discoveries.cend(), [&](const DiscoveryBatchEvent &d) {
        return d.slot == batch.slot && d.batchIndex == batch.batchIndex;
    });
    if (known)
        return false;
    m_lastHits = m_judged ? m_breakpoints.evaluate(batch) : QList<BreakpointHit>{};
    m_discoveries.append(batch);
    m_batchHits.append(m_lastHits);
    return true;
}

QList<Stepper::LateHits> Stepper::setBreakpoints(const QList<DiscoveryBreakpoint> &breakpoints)
{
    m_judged = true;
    m_breakpoints.setBreakpoints(breakpoints);
    QList<LateHits> late;
    if (m_phase == Phase::Ended)
        return late;
    for (qsizetype i = 0; i < m_discoveries.size(); ++i) {
        const DiscoveryBatchEvent &batch = m_discoveries.at(i);
        if (!isAhead(batch.slot, batch.batchIndex))
            continue;
        QStringList counted;
        for (const BreakpointHit &hit : std::as_const(m_batchHits.at(i)))
            counted.append(hit.program);
        const QList<BreakpointHit> hits = m_breakpoints.evaluate(batch, counted);
        if (hits.isEmpty())
            continue;
        m_batchHits[i] += hits;
        late.append({batch, hits});
    }
    // Driving to the next discovery with the Continue To of a batch in
    // flight that was no stop when sent: it is one now, so driving ends there.
    if (m_phase == Phase::Stepping && m_drive == DriveMode::ToNextDiscovery && m_inFlight) {
        if (const auto *to = std::get_if<ContinueToParams>(&*m_inFlight);
            to && to->batchIndex && pausesBefore(to->slot, *to->batchIndex))
            m_drive = DriveMode::Manual;
    }
    return late;
}

bool Stepper::pausesBefore(quint64 slot, quint32 batchIndex) const
{
    if (!m_judged)
        return true;
    for (qsizetype i = 0; i < m_discoveries.size(); ++i) {
        if (m_discoveries.at(i).slot != slot || m_discoveries.at(i).batchIndex != batchIndex)
            continue;
        // The verdict under the breakpoints' current options.
        for (const BreakpointHit &hit : m_batchHits.at(i)) {
            for (const DiscoveryBreakpoint &b : m_breakpoints.breakpoints()) {
                if (b.program == hit.program && b.enabled && !b.logOnly && hit.hit > b.skipHits && b.coversSlot(slot))
                    return true;
            }
        }
        return false;
    }
    return false;
}

Stepper::ErrorEffect Stepper::onError(const BacktestError &error)
{
    const ErrorEffect effect = effectOf(error);
    switch (effect) {
    case ErrorEffect::Counted:
        ++m_simulationErrors;
        return effect;
    case ErrorEffect::Terminal:
        m_lastError = error.message();
        m_held.reset();
        dropDriving(m_lastError);
        if (m_phase != Phase::Ended) {
            m_phase = Phase::Ended;
            m_endState = SessionState::Failed;
        }
        return effect;
    case ErrorEffect::Refused:
        m_lastError = error.message();
        if (m_phase != Phase::Stepping)
            return ErrorEffect::Shown; // nothing in flight to refuse
        // The session did not move (PROTOCOL-0.31.md §3.2): steppable again;
        // a command held behind the refused step is the user's to resend.
        m_phase = Phase::Ready;
        m_held.reset();
        dropDriving(m_lastError);
        return effect;
    case ErrorEffect::Shown:
        m_lastError = error.message();
        return effect;
    }
    return effect;
}

void Stepper::onEnded(SessionState state)
{
    m_held.reset();
    if (m_phase == Phase::Ended && m_endState == SessionState::Failed)
        return; // a terminal error already ended it
    m_phase = Phase::Ended;
    m_endState = state;
    if (state == SessionState::Completed) {
        // The session replayed its last slot (PROTOCOL-0.31.md §4.6).
        m_currentSlot = m_endSlot;
        m_pausedAt.reset();
    }
}

// ---------------------------------------------------------------------------
// Commands

std::optional<Step> Stepper::continueBy(quint64 advanceCount)
{
    ContinueParams params;
    params.advanceCount = advanceCount == 0 ? m_advanceCount : advanceCount;
    return command(params);
}

std::optional<Step> Stepper::continueTo(quint64 slot, std::optional<quint32> batchIndex)
{
    ContinueToParams params;
    params.slot = slot;
    params.batchIndex = batchIndex;
    return command(params);
}

std::optional<Step> Stepper::drive(DriveMode mode)
{
    if (m_phase == Phase::Ended)
        return std::nullopt;
    m_drive = mode;
    m_drivingStopped.clear();
    m_held.reset(); // driving again supersedes a command held for the ready
    return m_phase == Phase::Ready ? nextDrivenStep() : std::nullopt;
}

void Stepper::stopDriving()
{
    if (m_phase == Phase::Ended)
        return;
    if (m_drive != DriveMode::Manual)
        m_held.reset(); // (a Continue the user queued on an undriven session is theirs: it stays)
    m_drive = DriveMode::Manual;
    m_drivingStopped.clear();
}

void Stepper::stepNotSent(const QString &reason)
{
    if (m_phase != Phase::Stepping)
        return;
    m_phase = Phase::Ready;
    m_lastError = reason;
    dropDriving(reason);
}

std::optional<Step> Stepper::command(Step step)
{
    if (m_phase == Phase::Ended)
        return std::nullopt;
    m_drive = DriveMode::Manual;
    m_drivingStopped.clear();
    switch (m_phase) {
    case Phase::Ready:
        return begin(std::move(step));
    case Phase::Starting:
    case Phase::PausedWaiting:
    case Phase::Stepping:
        // Sent on the readyForContinue: one step in flight at most. (A target
        // typed while Run to End drives takes over from it, never dropped.)
        m_held = std::move(step);
        return std::nullopt;
    case Phase::Ended:
        return std::nullopt;
    }
    return std::nullopt;
}

// ---------------------------------------------------------------------------
// Driving

std::optional<Step> Stepper::nextDrivenStep()
{
    if (m_phase != Phase::Ready)
        return std::nullopt;
    ContinueParams advance;
    advance.advanceCount = m_advanceCount;
    switch (m_drive) {
    case DriveMode::Manual:
        return std::nullopt;
    case DriveMode::RunToEnd:
        return begin(advance);
    case DriveMode::PauseAtDiscoveries:
    case DriveMode::ToNextDiscovery:
        if (const std::optional<DiscoveryBatchEvent> next = nextDiscoveryAhead()) {
            if (m_drive == DriveMode::ToNextDiscovery && pausesBefore(next->slot, next->batchIndex))
                m_drive = DriveMode::Manual; // stop once paused before it
            ContinueToParams to;
            to.slot = next->slot;
            to.batchIndex = next->batchIndex;
            return begin(to);
        }
        return begin(advance);
    }
    return std::nullopt;
}

std::optional<Step> Stepper::begin(Step step)
{
    m_phase = Phase::Stepping;
    if (std::holds_alternative<ContinueParams>(step))
        m_pausedAt.reset();
    m_inFlight = step;
    return step;
}

void Stepper::dropDriving(const QString &reason)
{
    if (m_drive != DriveMode::Manual)
        m_drivingStopped = reason;
    m_drive = DriveMode::Manual;
}

bool Stepper::isAhead(quint64 slot, quint32 batchIndex) const
{
    return position().isAhead(slot, batchIndex);
}

std::optional<DiscoveryBatchEvent> Stepper::nextDiscoveryAhead() const
{
    std::optional<DiscoveryBatchEvent> best;
    for (const DiscoveryBatchEvent &batch : m_discoveries) {
        if (!isAhead(batch.slot, batch.batchIndex))
            continue;
        if (!best || batch.slot < best->slot || (batch.slot == best->slot && batch.batchIndex < best->batchIndex))
            best = batch;
    }
    return best;
}

} // namespace SlotScope
