#pragma once

#include "engine/discoverybreakpoint.h"
#include "protocol/controlmessages.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace SlotScope {

/// Everything one backtest run needs, shared by the window and the headless
/// command line (DESIGN.md §5: "The same RunConfig drives the GUI and the
/// headless run").
struct RunConfig
{
    /// Where the simulator is: the embedded demo server, or a hosted URL.
    enum class Target { Demo, Url };

    /// How the engine steps the session without the user.
    enum class Drive {
        Manual,             ///< wait for Continue / Continue-to from the user (the window)
        RunToEnd,           ///< Continue `advanceCount` slots until completed (headless)
        PauseAtDiscoveries, ///< Continue-to every discovered batch, else Continue (headless)
    };

    Target target = Target::Demo;
    QString url;                ///< control URL or bare host (normalised with backtestWsUrl)
    QString apiKey;             ///< never logged
    QString demoTxDir;          ///< demo: transactions directory (empty = synthetic)
    int demoSlotDelayMs = 0;    ///< demo: pace per executed slot

    /// Optional session name (PROTOCOL-0.31.md §3.1.2): sent with the create
    /// (the whole batch's name for a parallel run); the server lower-cases it.
    /// Empty = unnamed.
    QString name;

    quint64 startSlot = 0;      ///< inclusive
    quint64 endSlot = 0;        ///< inclusive
    bool parallel = false;

    QStringList subscribePrograms;  ///< empty = every transaction
    /// Also capture account diffs (PROTOCOL.md §5.6) as `account_diff` events:
    /// every account owned by each subscribe program, or, without programs, by
    /// the token program and the system program (SessionEngine::accountDiffOwners()).
    bool accountDiffs = false;
    /// Ask for zstd-compressed notifications (PROTOCOL.md §5.4) on the run's
    /// subscriptions; a server that ignores the request sends text anyway.
    bool zstd = true;
    QStringList discoverPrograms;   ///< discovery filters {"programExecuted": id}
    bool pauseAtDiscoveries = false;
    /// Options of the discovery filters' breakpoints (skip, log, slot range,
    /// off), at most one per program of discoverPrograms; a program without
    /// one pauses at every hit (BreakpointList::effective()).
    QList<DiscoveryBreakpoint> breakpoints;
    quint64 advanceCount = 1;       ///< slots per Continue
    quint16 disconnectTimeoutSecs = kMaxDisconnectTimeoutSecs;
    /// Seconds the server may keep the create waiting while it lacks capacity
    /// (PROTOCOL.md §3.1 `capacityWaitTimeoutSecs`: 0 fails the create at once,
    /// which is what omitting it asks for; the documented examples use 900).
    quint16 capacityWaitTimeoutSecs = kDefaultCapacityWaitSecs;

    QString capturePath;        ///< NAME.ndjson; NAME.events.ndjson beside it
    /// An existing capture at capturePath may be replaced — only once the new
    /// run has produced data (CaptureWriter::Existing::ReplaceOnFirstData);
    /// false: the run refuses to start over an existing capture.
    bool overwriteCapture = false;
    Drive drive = Drive::Manual;
    /// No person will step this run (headless, DESIGN.md §5): when driving
    /// cannot go on (a refused step, a step that cannot be sent) the session
    /// fails instead of waiting for a Continue that never comes.
    bool unattended = false;

    /// Empty when usable, else one line saying what is wrong.
    QString validate() const;

    /// Ranges spanning more slots than this are started only after the user
    /// agreed (the window asks; headless needs --yes): 100 000 slots is about
    /// eleven hours of mainnet, far more than a backtest usually replays.
    static constexpr quint64 defaultLargeRangeSlots = 100'000;
    /// Slots in startSlot..endSlot (inclusive; 0 for an inverted range, which
    /// the server rejects).
    static quint64 rangeSlots(quint64 startSlot, quint64 endSlot)
    {
        return endSlot < startSlot ? 0 : (endSlot - startSlot == ~quint64(0) ? endSlot - startSlot : endSlot - startSlot + 1);
    }
    quint64 rangeSlots() const { return rangeSlots(startSlot, endSlot); }
};

} // namespace SlotScope
