#pragma once

#include <QHostAddress>
#include <QList>
#include <QString>
#include <QStringList>

namespace SlotScope {

/// Data-plane faults of the reference server (issue "Data plane that never
/// loses a transaction"). Every fault is a deterministic count — no random
/// draw — so a run with the same flags fails at the same notifications; the
/// limits (maxDrops, maxStalls) count over the whole server. A notification
/// counts as sent once it was handed to the socket.
struct DataFaults
{
    /// Abort a subscription socket (TCP close, no WebSocket close frame) right
    /// after its N-th, 2N-th, … notification reached the kernel; 0 = never.
    /// Replay re-sends the boundary slot, so N must exceed the notifications of
    /// the largest slot, or a resubscribe never gets past it (maxDrops bounds that).
    int dropEveryNotifications = 0;
    int maxDrops = 0;                  ///< drops per server; 0 = unlimited
    /// Stop sending on a subscription socket after its N-th notification (the
    /// socket stays open, notifications queue); 0 = never.
    int stallAfterNotifications = 0;
    int stallMs = 0;                   ///< how long a stall lasts, ms; 0 = forever
    int maxStalls = 1;                 ///< stalls per server; 0 = unlimited
    /// Bytes per second (WebSocket message payload, after compression) that ALL
    /// data-plane sockets of the server share — one constrained link; 0 = no cap.
    qint64 bandwidthBytesPerSecond = 0;
};

/// Control-plane faults of the reference server (issue "Control plane that
/// survives drops"; Internal::ControlFaultInjector). Deterministic: counts, no
/// clock; `seed` only picks the shape of each injected malformed frame. "Frames"
/// are the frames the server wrote on one control connection (sequenced
/// responses, sessionAttached, errors; injected garbage not counted); "steps"
/// and "requests" count over the whole server, 1-based. 0 / empty = off.
struct ControlFaults
{
    /// Abort the control socket (TCP close, no WebSocket close frame) right
    /// after its N-th frame, once every byte of it reached the client's kernel.
    /// Frames the session produces afterwards stay in its replay buffer.
    int abortEveryFrames = 0;
    int maxAborts = 0;              ///< aborts per server (every kind); 0 = unlimited
    /// Answer the first K `/backtest` upgrades with HTTP 503.
    int refuseUpgrades = 0;
    /// Every control frame leaves this many ms after it was produced (order kept).
    int frameDelayMs = 0;
    /// After every N-th frame (server-wide) inject one frame that is not a
    /// valid response — malformed JSON and an unknown method, alternating; no
    /// seqId, never replayed.
    int garbageEveryFrames = 0;
    /// After its N-th frame a control connection goes silent: nothing is
    /// written and nothing is read any more (so no pong answers a ping) until
    /// the client closes it. Its session counts as attached until then.
    int silentAfterFrames = 0;
    int maxSilences = 1;            ///< silent connections per server; 0 = unlimited
    /// Steps (continue / continueTo) whose ending readyForContinue / paused is
    /// only buffered for replay: the socket is aborted instead of sending it.
    QList<int> abortAtStepEnds;
    /// continue / continueTo requests the server never acts on: the socket is
    /// aborted instead (the request stays in the transcript).
    QList<int> loseRequests;
    quint32 seed = 1;

    bool isActive() const
    {
        return abortEveryFrames > 0 || refuseUpgrades > 0 || frameDelayMs > 0 || garbageEveryFrames > 0
               || silentAfterFrames > 0 || !abortAtStepEnds.isEmpty() || !loseRequests.isEmpty();
    }
};

/// Configuration of the reference simulator server (lib/refserver). One plain
/// struct so later features (fault injection, parallel batches, zstd) add
/// fields here instead of growing constructor arguments.
struct RefServerConfig
{
    /// Key every control WebSocket upgrade must carry in `X-API-Key`
    /// (PROTOCOL.md §1.1, §8.1). Never logged.
    QString apiKey;
    /// Further accepted keys, each a different owner (attach by another key →
    /// error sessionOwnerMismatch, PROTOCOL.md §8.6).
    QStringList additionalApiKeys;
    QHostAddress host = QHostAddress(QHostAddress::LocalHost);
    quint16 port = 0;                  ///< 0 = let the OS choose
    /// Directory of real transactions (loadTransactionDirectory(); any fixture
    /// shape). Empty = the deterministic synthetic generator.
    QString txDir;
    /// Pause after each executed slot, in milliseconds (paces the demo).
    int slotDelayMs = 0;
    /// 0: each loaded transaction exactly once, spread over the requested range.
    /// K > 0: K transactions per slot, cycling through the loaded (or synthetic)
    /// transactions, each copy with a unique deterministic signature (benchmarks).
    int transactionsPerSlot = 0;
    /// The one range advertised by GET /available-ranges (PROTOCOL.md §1.3);
    /// sessions must lie inside it (else error bundleNotFound). Inclusive slots.
    quint64 availableStart = 0;
    quint64 availableEnd = 999999999;
    quint64 maxBundleSize = 100000;    ///< advertised as `maxBundleSize`
    /// Slots per bundle: a parallel create is split at multiples of this,
    /// counted from availableStart (PROTOCOL.md §8.7; ParallelBatch).
    quint64 bundleSize = 100;
    /// Behave like an old server: `sessionsCreatedV2` without `start_slots` /
    /// `end_slots` (a current client must fail the run, PROTOCOL.md §4.3).
    bool omitParallelRanges = false;
    quint32 seed = 1;                  ///< synthetic generator seed
    /// Honour `compression:"zstd"` on subscriptions (PROTOCOL.md §5.4); false =
    /// ignore the request and keep Text frames (a client must cope).
    bool zstd = true;
    DataFaults dataFaults;
    ControlFaults controlFaults;
};

} // namespace SlotScope
