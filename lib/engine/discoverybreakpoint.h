#pragma once

// Discovery breakpoints (issue 12 item 5; the debugger anchors: Qt Creator's
// and JetBrains' breakpoint lists): what a driven session does when the
// server announces a discovered batch.

#include "protocol/controlmessages.h"
#include "protocol/result.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace SlotScope {

/// What a breakpoint did with one discovered batch it counted as a hit.
enum class BreakpointAction {
    Pause, ///< driving stops before the batch (Run to Next Discovery ends there)
    Log,   ///< reported (events file, window, stderr), driving goes on
    Skip,  ///< one of the first `skipHits` hits: counted, driving goes on
};

/// "pause", "log", "skip" (the events file's `breakpoint` action).
QString breakpointActionName(BreakpointAction action);

/// A breakpoint on one discovery filter, `{"programExecuted": program}`
/// (PROTOCOL.md §4.8). A discovered batch whose `matched` holds the filter is
/// a *hit* of the breakpoint when the breakpoint is enabled and the batch's
/// slot lies in [fromSlot, toSlot] (either end open when unset); disabled or
/// out of range, the batch is not counted. Hits are numbered from 1 per
/// session in the order the server announces them, which is slot order
/// (the server announces the next match ahead of execution, after each
/// step). Hit n ≤ skipHits is skipped, a later hit is logged when `logOnly`,
/// else the session pauses before the batch.
struct DiscoveryBreakpoint
{
    QString program;
    bool enabled = true;
    quint64 skipHits = 0;
    bool logOnly = false;
    std::optional<quint64> fromSlot;   ///< inclusive
    std::optional<quint64> toSlot;     ///< inclusive

    /// A breakpoint of `program` with every option at its default (pause at every hit).
    static DiscoveryBreakpoint forProgram(const QString &program);
    /// Enabled, no skip, pauses, no range.
    bool isPlain() const;
    bool coversSlot(quint64 slot) const;
    bool matches(const DiscoveryBatchEvent &batch) const;

    /// The command-line and settings form, `PROGRAM[,skip=N][,log][,slots=A-B][,off]`
    /// (`slots=A-` and `slots=-B` leave one end open); options in that order.
    QString toSpec() const;
    /// Parses toSpec()'s form; options in any order. Errors: no program, an
    /// unknown option, a count or slot that is not a number, an inverted range.
    static Result<DiscoveryBreakpoint> fromSpec(const QString &spec);

    bool operator==(const DiscoveryBreakpoint &) const = default;
};

/// One breakpoint's verdict on a discovered batch.
struct BreakpointHit
{
    QString program;
    quint64 hit = 0;         ///< this breakpoint's hits in the session so far, this one included
    BreakpointAction action = BreakpointAction::Pause;

    bool operator==(const BreakpointHit &) const = default;
};

/// The breakpoints of one session with their hit counts (pure; the Stepper
/// owns one).
class BreakpointList
{
public:
    /// The breakpoints for the run's discovery programs: each program's own
    /// entry from `configured` (matched by program), a plain one without.
    static QList<DiscoveryBreakpoint> effective(const QStringList &discoverPrograms,
                                                const QList<DiscoveryBreakpoint> &configured);

    /// Replaces the breakpoints; a program kept keeps its hit count.
    void setBreakpoints(const QList<DiscoveryBreakpoint> &breakpoints);
    const QList<DiscoveryBreakpoint> &breakpoints() const { return m_breakpoints; }
    /// Counts the hits of a newly announced batch and says what each did;
    /// empty when no breakpoint counted it. The breakpoints of the programs
    /// in `alreadyCounted` are left out (a batch judged again: Stepper::
    /// setBreakpoints()).
    QList<BreakpointHit> evaluate(const DiscoveryBatchEvent &batch, const QStringList &alreadyCounted = {});
    /// Hits of `program`'s breakpoint so far (0 without one).
    quint64 hits(const QString &program) const;

private:
    QList<DiscoveryBreakpoint> m_breakpoints;
    QList<quint64> m_hits;   ///< parallel to m_breakpoints
};

} // namespace SlotScope
