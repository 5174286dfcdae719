#pragma once

#include <QHostAddress>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace SlotScope {

/// The protocol generation the reference server speaks.
///  - V0_28: PROTOCOL.md (simulator-api 0.23 – 0.28): `paused` alone ends a
///    continueTo; startup statuses preparingBundle, bundleReady, startingRuntime
///    once; every frame of a sequenced session carries seqId; hyphenated ids;
///    an absent disconnectTimeoutSecs means 0.
///  - V0_31: PROTOCOL-0.31.md: `paused` then `readyForContinue` (§3.2), a step
///    before that readyForContinue is refused; startingRuntime on accept and
///    then every startingRuntimeIntervalMs while the session starts (§4.5);
///    startup statuses, sessionCreated, sessionAttached, success and errors
///    before the session runs carry no seqId, an absent disconnectTimeoutSecs
///    means 30 s (§2.2); per-continue statuses in the order of §4.5; ids
///    `backtest_<32 hex>` (§5.1); `kind` in /available-ranges (§5.6); a
///    closed session's data sockets end with a normal close "session closed"
///    and a closed batch is torn down at once; session names (§3.1.2, §5.2):
///    `session_name` / `control_session_name` echoed, a name a live session
///    or batch holds answered `sessionNameTaken` unless the create carries the
///    token that took it (a resent create: it reclaims the name and the
///    abandoned session goes), an invalid name `invalidRequest`. 0.28 ignores
///    names.
enum class WireVersion { V0_28, V0_31 };

/// "0.28" / "0.31".
inline const char *wireVersionName(WireVersion wire)
{
    return wire == WireVersion::V0_31 ? "0.31" : "0.28";
}

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
    /// Malformed transactionNotifications the server sends in all (issue 9,
    /// "every drop is counted"); 0 = none. One goes out on a transaction
    /// subscription socket right after each malformedEveryNotifications-th real
    /// notification of that socket, until the server-wide total is reached.
    /// The shapes cycle in this order (DataPlaneShared::malformedShape()):
    /// 0 `result` missing, 1 `result` not an object, 2 undecodable JSON
    /// (truncated text), 3 `result` without `transaction`/`meta`, 4 on a zstd
    /// socket a Binary frame that is no zstd continuation (the client's stream
    /// is broken from then on: it has to reconnect), on a Text socket a
    /// `subscription` that is not a number. Shapes 0–3 are compressed into the
    /// stream on a zstd socket like any notification. Never replayed.
    int malformedNotifications = 0;
    int malformedEveryNotifications = 1;
    /// The first N sessions to send `completed` (server-wide, in completion
    /// order) get every subscription socket aborted (no close frame)
    /// dropAtCompletionDelayMs after that `completed` instead of the normal
    /// close; notifications still queued behind the bandwidth cap are
    /// discarded, so the client must resubscribe with replayFromSlot to get
    /// its tail (issue 8, "a data socket dropped after the last completed").
    /// A socket that resubscribes afterwards is served and closed normally.
    /// 0 = never.
    int dropAtCompletion = 0;
    int dropAtCompletionDelayMs = 0;
    /// Every session aborts each of its subscription sockets (no close frame)
    /// as it starts executing this slot, busy or quiet — a link that fails
    /// whatever the socket carries; 0 = never. A socket that resubscribes is
    /// served as usual.
    quint64 dropAtSlot = 0;
};

/// An experiment run (issue 12, "compare two runs"): a second run over the same
/// transactions that differs from a run without it in known, deterministic
/// ways. Each aspect selects the transactions whose signature `s` satisfies
/// experimentSelects(aspect, s, every, salt) — a hash of (salt, aspect,
/// signature) modulo `every` is 0, so about one in `every`, independent of the
/// slot range, of parallel splitting and of the other aspects — and changes
/// them (TransactionPlan applies it; 0 = aspect off):
///  - fail: a transaction that succeeded fails with
///    `{"InstructionError":[<last top-level instruction>,{"Custom":6001}]}`
///    (meta.err and meta.status), commits nothing but its fee (postBalances =
///    preBalances with the fee payer charged meta.fee, postTokenBalances =
///    preTokenBalances) and logs the failure; one that failed already is left alone;
///  - fee: meta.fee += feeDelta and the fee payer's post balance −= feeDelta;
///  - computeUnits: meta.computeUnitsConsumed += computeUnitsDelta;
///  - sol: the fee payer's post balance += solDelta (lamports; may be negative);
///  - token: the first postTokenBalances entry's amount += tokenDelta (raw
///    units; uiAmount and uiAmountString follow); no change without one;
///  - omit: the transaction is not executed (not delivered, not counted in the summary);
///  - add: right after it, a copy with the signature
///    copySignature(signature, slot, 0xffffffff) is delivered (same slot;
///    not counted in the summary).
/// Numbers never go below 0. Applied in the order fail, fee, computeUnits, sol, token.
struct Experiment
{
    int failEvery = 0;
    int feeEvery = 0;
    qint64 feeDelta = 0;
    int computeUnitsEvery = 0;
    qint64 computeUnitsDelta = 0;
    int solEvery = 0;
    qint64 solDelta = 0;
    int tokenEvery = 0;
    qint64 tokenDelta = 0;
    int omitEvery = 0;
    int addEvery = 0;
    quint32 salt = 0;

    bool isActive() const
    {
        return failEvery > 0 || feeEvery > 0 || computeUnitsEvery > 0 || solEvery > 0 || tokenEvery > 0
               || omitEvery > 0 || addEvery > 0;
    }
};

/// The aspects of an Experiment.
enum class ExperimentAspect { Fail, Fee, ComputeUnits, Sol, Token, Omit, Add };

/// Whether the experiment aspect with period `every` selects the transaction
/// with `signature` (see Experiment). `every` <= 0: never; 1: always.
bool experimentSelects(ExperimentAspect aspect, const QString &signature, int every, quint32 salt = 0);

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
    /// continue / continueTo requests the server acts on, its socket aborted
    /// before any frame of the step leaves (they wait in the replay buffer).
    QList<int> abortAfterActing;
    /// continue / continueTo requests the server is slow to start: it takes
    /// them at once (a step sent meanwhile is refused as premature, `error
    /// {invalidRequest}`), but the step's first frame leaves slowStepDelayMs
    /// later — a server loading blocks before it reports anything.
    QList<int> slowSteps;
    int slowStepDelayMs = 0;
    /// Re-attach in the other order PROTOCOL-0.31.md §6.3 step 2 allows: the
    /// handshake's answer first (`sessionAttached`, then `success` to
    /// resumeAttachedSession; `parallelSessionAttachedV2`), the replay and the
    /// live frames after it. A single session streams nothing on the new
    /// socket until the client resumes.
    bool replayAfterHandshake = false;
    quint32 seed = 1;

    bool isActive() const
    {
        return abortEveryFrames > 0 || refuseUpgrades > 0 || frameDelayMs > 0 || garbageEveryFrames > 0
               || silentAfterFrames > 0 || !abortAtStepEnds.isEmpty() || !loseRequests.isEmpty()
               || !abortAfterActing.isEmpty() || (!slowSteps.isEmpty() && slowStepDelayMs > 0)
               || replayAfterHandshake;
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
    /// Pacing, in milliseconds: a slot starts this long after the previous
    /// one started (or at once, when that one took longer). Paces the demo and
    /// sets bench_window's rate. 0 = as fast as the clients take them.
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
    /// Benchmark mode (tests/bench/bench_ingest): when a data-plane socket
    /// subscribes to every transaction (no filter, no replay, no data faults),
    /// encode all of its session's remaining notifications at once — JSON,
    /// zstd when asked, WebSocket frame — and write those bytes as the session
    /// executes, so serving costs no per-notification JSON work and the
    /// client's receive is not paced by the server. Memory: the whole stream.
    bool preencodedNotifications = false;
    DataFaults dataFaults;
    ControlFaults controlFaults;

    // --- Wire generation and session behaviour (PROTOCOL-0.31.md) -----------
    /// The protocol generation (see WireVersion): 0.31, the hosted service as
    /// PROTOCOL-0.31.md describes it, unless a test or `--wire 0.28` asks for
    /// the older behaviour (the `--wire` default of slotscope-refserver follows).
    WireVersion wire = WireVersion::V0_31;
    /// A created session "waits for capacity" this long before it runs (ms):
    /// no sessionCreated until then; in 0.31 startingRuntime statuses keep
    /// coming meanwhile. A parallel batch waits once, before its sub-sessions.
    int startupDelayMs = 0;
    /// The server lacks capacity this long after a create (ms; 0: never).
    /// A create that may wait at least as long (its capacityWaitTimeoutSecs;
    /// absent or 0: no wait, PROTOCOL.md §3.1) waits it out as startupDelayMs;
    /// one that may not gets `error {clerkError}` (unsequenced, no session)
    /// once its wait is over: at once with none.
    int capacityShortfallMs = 0;
    /// 0.31: interval of the repeated startingRuntime status while a session
    /// starts (ms, §4.5 "about every 10 s"); <= 0 = sent once.
    int startingRuntimeIntervalMs = 10000;
    /// 0.31: time between `paused` and its `readyForContinue` (ms); a step the
    /// client sends in between is refused with error invalidRequest and the
    /// session does not move. 0 = back to back.
    int readyAfterPausedMs = 0;
    /// After every N-th executed transaction of a session, the session sends
    /// `error {"simulationError":{"error":…}}` (§4.7) and keeps running (the
    /// step still ends with its readyForContinue / paused / completed). 0 = never.
    int simulationErrorEvery = 0;
    /// When a session is about to execute this slot it sends
    /// `error {"cut":{"slot":S}}` (§4.8) instead and stops for good: no
    /// readyForContinue, paused or completed follows, further steps are
    /// refused (invalidRequest); its data plane stays up (replay works) until
    /// the session is closed or expires. A continueTo target is not needed to
    /// reach it. Empty = never.
    std::optional<quint64> cutAtSlot;
    /// How long a completed sub-session of a batch closed by
    /// closeBacktestSession / closeSessionV1 keeps serving its data plane (ms);
    /// -1 = by wire: 60000 in 0.28, 0 in 0.31 (torn down at once: resubscribes
    /// get HTTP 404 and open data sockets are closed, which exposes a client
    /// that closes before its data planes drained). A single session is
    /// always torn down at once by its closeBacktestSession.
    int closedLingerMs = -1;
    /// Differences of an experiment run (issue 12); off by default.
    Experiment experiment;

    /// closedLingerMs resolved against the wire.
    int effectiveClosedLingerMs() const
    {
        if (closedLingerMs >= 0)
            return closedLingerMs;
        return wire == WireVersion::V0_31 ? 0 : 60000;
    }
};

} // namespace SlotScope
