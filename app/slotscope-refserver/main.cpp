// slotscope-refserver: command-line wrapper around lib/refserver (DESIGN.md §5).
// Prints the control URL as the first stdout line, logs to stderr, and exits
// cleanly on SIGINT/SIGTERM.

#include "refserver/refserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <functional>
#include <limits>
#include <utility>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

int signalFds[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    // Only async-signal-safe work here; the event loop reads the byte.
    [[maybe_unused]] const auto written = ::write(signalFds[0], &byte, 1);
}

bool installSignalHandlers()
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signalFds) != 0)
        return false;
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    return ::sigaction(SIGINT, &action, nullptr) == 0 && ::sigaction(SIGTERM, &action, nullptr) == 0;
}

/// A whole-number option bound to its RefServerConfig field: the help shows
/// the field's default (from RefServerConfig, never written twice), and a value
/// that is not a number in [min, max] is a usage error "--NAME must be RULE.".
struct NumberOption
{
    QCommandLineOption option;
    std::function<bool(const QString &)> store; ///< false: not a number in range
    QString rule;
};

template<class T>
NumberOption number(const QString &name, const QString &help, const QString &valueName, T &field,
                    T min = 0, T max = std::numeric_limits<T>::max(), QString rule = {})
{
    if (rule.isEmpty())
        rule = u"%1..%2"_s.arg(min).arg(max);
    return {QCommandLineOption(name, help, valueName, QString::number(field)),
            [&field, min, max](const QString &text) {
                using Wide = std::conditional_t<std::is_signed_v<T>, qint64, quint64>;
                bool ok = false;
                Wide value = 0;
                if constexpr (std::is_signed_v<T>)
                    value = text.toLongLong(&ok);
                else
                    value = text.toULongLong(&ok);
                if (!ok || value < Wide(min) || value > Wide(max))
                    return false;
                field = T(value);
                return true;
            },
            rule};
}

/// An int option of a count or a duration: 0..INT_MAX.
NumberOption count(const QString &name, const QString &help, const QString &valueName, int &field)
{
    return number(name, help, valueName, field);
}

/// A signed change (lamports, units): any whole number.
NumberOption delta(const QString &name, const QString &help, const QString &valueName, qint64 &field)
{
    return number(name, help, valueName, field, std::numeric_limits<qint64>::min(),
                  std::numeric_limits<qint64>::max(), u"a whole number (may be negative)"_s);
}

/// An option read only when given (no default); the caller copies its value
/// into the config when parser.isSet().
NumberOption whenGiven(NumberOption option)
{
    option.option.setDefaultValues({});
    return option;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"slotscope-refserver"_s);
    QCoreApplication::setApplicationVersion(u"0.1.0"_s);

    SlotScope::RefServerConfig config;
    SlotScope::DataFaults &data = config.dataFaults;
    SlotScope::ControlFaults &faults = config.controlFaults;
    SlotScope::Experiment &experiment = config.experiment;
    quint16 port = config.port;
    quint64 cutAtSlot = 0;
    int closedLingerMs = 0;

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Reference Termina backtest simulator: replays Solana transactions over the simulator wire protocol."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption apiKeyOption(u"api-key"_s, u"API key clients must send (default: $SIMULATOR_API_KEY)."_s,
                                          u"KEY"_s);
    const QCommandLineOption txDirOption(u"tx-dir"_s,
                                         u"Directory of Solana transaction JSON (default: synthetic transactions)."_s,
                                         u"DIR"_s);
    const QCommandLineOption hostOption(u"host"_s, u"Address to listen on."_s, u"ADDR"_s, u"127.0.0.1"_s);
    const QCommandLineOption omitRangesOption(
        u"omit-parallel-ranges"_s, u"Act as an old server: sessionsCreatedV2 without start_slots/end_slots."_s);
    // Data plane (PROTOCOL.md §5.4, data faults of issue 4).
    const QCommandLineOption noZstdOption(u"no-zstd"_s,
                                          u"Ignore compression:\"zstd\" on subscriptions (Text frames only)."_s);
    // Control plane faults (RefServerConfig::controlFaults, issue 3).
    const QCommandLineOption abortAtStepEndOption(
        u"abort-at-step-end"_s,
        u"Abort instead of sending the readyForContinue/paused that ends these steps (1-based, comma-separated)."_s,
        u"K[,K...]"_s);
    const QCommandLineOption loseRequestOption(
        u"lose-request"_s,
        u"Never act on these continue/continueTo requests (1-based, comma-separated); abort instead."_s,
        u"K[,K...]"_s);
    const QCommandLineOption abortAfterActingOption(
        u"abort-after-acting"_s,
        u"Act on these continue/continueTo requests (1-based, comma-separated), then abort before any frame of "
        u"the step is sent."_s,
        u"K[,K...]"_s);
    const QCommandLineOption slowStepOption(
        u"slow-step"_s,
        u"Take these continue/continueTo requests (1-based, comma-separated) at once but send nothing of them for "
        u"--slow-step-ms; a step sent meanwhile is refused."_s,
        u"K[,K...]"_s);
    const QCommandLineOption replayAfterHandshakeOption(
        u"replay-after-handshake"_s,
        u"On a re-attach, answer the handshake first and replay after it (sessionAttached, success to the "
        u"resume, then the replay; parallelSessionAttachedV2, then the replay)."_s);
    // Wire generation and session behaviour (PROTOCOL-0.31.md; issue 8).
    const QCommandLineOption wireOption(
        u"wire"_s, u"Protocol generation: 0.28 (PROTOCOL.md) or 0.31 (PROTOCOL-0.31.md: paused then "
                   u"readyForContinue, repeated startingRuntime, simple ids, …)."_s,
        u"0.28|0.31"_s, QString::fromLatin1(SlotScope::wireVersionName(config.wire)));
    parser.addOptions({apiKeyOption, txDirOption, hostOption, omitRangesOption, noZstdOption, abortAtStepEndOption,
                       loseRequestOption, abortAfterActingOption, slowStepOption, replayAfterHandshakeOption,
                       wireOption});

    const NumberOption numbers[] = {
        number(u"port"_s, u"TCP port to listen on (0 = any free port)."_s, u"N"_s, port),
        number(u"slot-delay-ms"_s, u"Pacing: a slot starts N ms after the previous one started."_s, u"N"_s, config.slotDelayMs, 0, 3600000),
        number(u"tx-per-slot"_s, u"K > 0: K transactions per slot with unique signatures (0 = each once)."_s, u"K"_s,
               config.transactionsPerSlot, 0, 1000000),
        number(u"seed"_s, u"Seed of the synthetic generator."_s, u"N"_s, config.seed),
        number(u"bundle-size"_s, u"Slots per bundle; a parallel create is split at these boundaries."_s, u"N"_s,
               config.bundleSize, quint64(1), quint64(1000000000)),
        // Data plane faults (PROTOCOL.md §5.4, issues 4, 8 and 9).
        count(u"drop-subscription-every"_s,
              u"Abort a subscription socket (no close frame) after every N notifications it sent (0 = never)."_s,
              u"N"_s, data.dropEveryNotifications),
        count(u"max-subscription-drops"_s, u"At most M subscription drops per server (0 = unlimited)."_s, u"M"_s,
              data.maxDrops),
        count(u"stall-subscription-after"_s,
              u"Stop sending on a subscription socket after its N-th notification, socket kept open (0 = never)."_s,
              u"N"_s, data.stallAfterNotifications),
        count(u"stall-ms"_s, u"How long a stall lasts (0 = forever)."_s, u"MS"_s, data.stallMs),
        count(u"max-stalls"_s, u"At most M stalls per server (0 = unlimited)."_s, u"M"_s, data.maxStalls),
        number(u"bandwidth-cap"_s,
               u"Bytes per second shared by all subscription sockets, one constrained link (0 = no cap)."_s,
               u"BYTES_PER_SEC"_s, data.bandwidthBytesPerSecond, qint64(0), std::numeric_limits<qint64>::max(),
               u"a non-negative number of bytes per second"_s),
        count(u"malformed-notifications"_s,
              u"Send N malformed transactionNotifications in all (missing/invalid fields, undecodable JSON, bad zstd "
              u"frame, in turn; 0 = none)."_s,
              u"N"_s, data.malformedNotifications),
        number(u"malformed-every"_s, u"One malformed notification after every K-th real one of a socket."_s, u"K"_s,
               data.malformedEveryNotifications, 1, std::numeric_limits<int>::max(), u"at least 1"_s),
        count(u"drop-at-completion"_s,
              u"Abort the data sockets of the first N sessions to complete instead of closing them normally."_s,
              u"N"_s, data.dropAtCompletion),
        count(u"drop-at-completion-delay-ms"_s, u"How long after completed that abort comes."_s, u"MS"_s,
              data.dropAtCompletionDelayMs),
        number(u"drop-subscriptions-at-slot"_s,
               u"Abort every subscription socket of each session as it starts this slot, quiet or busy (0 = never)."_s,
               u"SLOT"_s, data.dropAtSlot, quint64(0), std::numeric_limits<quint64>::max(), u"a slot number"_s),
        // Control plane faults (RefServerConfig::controlFaults, issue 3).
        count(u"abort-every"_s,
              u"Abort a control socket (no close frame) after every N frames it sent (0 = never)."_s, u"N"_s,
              faults.abortEveryFrames),
        count(u"max-aborts"_s, u"At most M control aborts per server, of every kind (0 = unlimited)."_s, u"M"_s,
              faults.maxAborts),
        count(u"refuse-upgrades"_s, u"Answer the first K /backtest upgrades with HTTP 503."_s, u"K"_s,
              faults.refuseUpgrades),
        count(u"frame-delay-ms"_s, u"Delay every control frame by D ms."_s, u"D"_s, faults.frameDelayMs),
        count(u"slow-step-ms"_s, u"How long each --slow-step waits before it starts."_s, u"MS"_s,
              faults.slowStepDelayMs),
        count(u"garbage-every"_s,
              u"After every N control frames send a malformed or an unknown-method frame, alternating (0 = never)."_s,
              u"N"_s, faults.garbageEveryFrames),
        count(u"silent-after"_s,
              u"A control connection goes silent (no frames, no pongs) after its N-th frame (0 = never)."_s, u"N"_s,
              faults.silentAfterFrames),
        count(u"max-silences"_s, u"At most M silent connections per server (0 = unlimited)."_s, u"M"_s,
              faults.maxSilences),
        number(u"fault-seed"_s, u"Seed of the injected malformed frames."_s, u"N"_s, faults.seed),
        // Session behaviour (PROTOCOL-0.31.md; issue 8).
        count(u"startup-delay-ms"_s, u"A created session (or batch) waits this long for capacity before it runs."_s,
              u"MS"_s, config.startupDelayMs),
        count(u"capacity-shortfall-ms"_s,
              u"No capacity for this long after a create: a create whose capacityWaitTimeoutSecs is shorter "
              "(absent or 0: no wait) gets error clerkError when its wait ends."_s,
              u"MS"_s, config.capacityShortfallMs),
        count(u"starting-runtime-interval-ms"_s,
              u"0.31: repeat status startingRuntime this often while a session starts (0 = once)."_s, u"MS"_s,
              config.startingRuntimeIntervalMs),
        count(u"ready-after-paused-ms"_s,
              u"0.31: readyForContinue follows paused after this long; a step sent in between is refused."_s,
              u"MS"_s, config.readyAfterPausedMs),
        count(u"simulation-error-every"_s,
              u"Send error simulationError after every N-th executed transaction of a session (0 = never)."_s,
              u"N"_s, config.simulationErrorEvery),
        whenGiven(number(
            u"cut-at-slot"_s, u"Send error cut {slot} when a session reaches this slot; the session stops for good."_s,
            u"SLOT"_s, cutAtSlot, quint64(0), std::numeric_limits<quint64>::max(), u"a slot number"_s)),
        whenGiven(count(u"closed-linger-ms"_s,
                             u"A completed sub-session of a closed batch keeps its data plane this long (default: "
                             u"60000 in 0.28, 0 in 0.31)."_s,
                             u"MS"_s, closedLingerMs)),
        // Experiment run (issue 12): a run that differs from a baseline in known ways.
        count(u"experiment-fail-every"_s, u"About one in N succeeded transactions fails (Custom 6001)."_s, u"N"_s,
              experiment.failEvery),
        count(u"experiment-fee-every"_s,
              u"About one in N transactions has its fee changed by --experiment-fee-delta."_s, u"N"_s,
              experiment.feeEvery),
        delta(u"experiment-fee-delta"_s, u"Lamports added to the fee."_s, u"LAMPORTS"_s, experiment.feeDelta),
        count(u"experiment-cu-every"_s,
              u"About one in N transactions has its compute units changed by --experiment-cu-delta."_s, u"N"_s,
              experiment.computeUnitsEvery),
        delta(u"experiment-cu-delta"_s, u"Compute units added."_s, u"UNITS"_s, experiment.computeUnitsDelta),
        count(u"experiment-sol-every"_s,
              u"About one in N transactions has the fee payer's post balance changed by --experiment-sol-delta."_s,
              u"N"_s, experiment.solEvery),
        delta(u"experiment-sol-delta"_s, u"Lamports added to the fee payer."_s, u"LAMPORTS"_s, experiment.solDelta),
        count(u"experiment-token-every"_s,
              u"About one in N transactions has its first post token balance changed by --experiment-token-delta."_s,
              u"N"_s, experiment.tokenEvery),
        delta(u"experiment-token-delta"_s, u"Raw token units added."_s, u"AMOUNT"_s, experiment.tokenDelta),
        count(u"experiment-omit-every"_s, u"About one in N transactions is left out."_s, u"N"_s,
              experiment.omitEvery),
        count(u"experiment-add-every"_s, u"About one in N transactions is followed by a copy with a new signature."_s,
              u"N"_s, experiment.addEvery),
        number(u"experiment-salt"_s, u"Changes which transactions are selected."_s, u"N"_s, experiment.salt),
    };
    for (const NumberOption &entry : numbers)
        parser.addOption(entry.option);
    parser.process(app);

    const auto fail = [&parser](const QString &message) {
        std::fprintf(stderr, "slotscope-refserver: %s\n\n%s", qPrintable(message), qPrintable(parser.helpText()));
        return 2;
    };

    config.apiKey = parser.isSet(apiKeyOption) ? parser.value(apiKeyOption)
                                               : qEnvironmentVariable("SIMULATOR_API_KEY");
    if (config.apiKey.isEmpty())
        return fail(u"--api-key is required (or set SIMULATOR_API_KEY)."_s);
    for (const NumberOption &entry : numbers) {
        const bool hasDefault = !entry.option.defaultValues().isEmpty();
        if ((hasDefault || parser.isSet(entry.option)) && !entry.store(parser.value(entry.option)))
            return fail(u"--%1 must be %2."_s.arg(entry.option.names().constFirst(), entry.rule));
    }
    config.port = port;
    if (parser.isSet(u"cut-at-slot"_s))
        config.cutAtSlot = cutAtSlot;
    if (parser.isSet(u"closed-linger-ms"_s))
        config.closedLingerMs = closedLingerMs;
    if (!config.host.setAddress(parser.value(hostOption)))
        return fail(u"--host must be an IP address."_s);
    config.txDir = parser.value(txDirOption);
    config.omitParallelRanges = parser.isSet(omitRangesOption);
    config.zstd = !parser.isSet(noZstdOption);
    for (const auto &[option, list] : {std::pair{&abortAtStepEndOption, &faults.abortAtStepEnds},
                                       std::pair{&loseRequestOption, &faults.loseRequests},
                                       std::pair{&abortAfterActingOption, &faults.abortAfterActing},
                                       std::pair{&slowStepOption, &faults.slowSteps}}) {
        if (!parser.isSet(*option))
            continue;
        for (const QString &item : parser.value(*option).split(u',')) {
            bool ok = false;
            const int step = item.trimmed().toInt(&ok);
            if (!ok || step <= 0)
                return fail(u"--%1 takes 1-based numbers separated by commas."_s.arg(option->names().constFirst()));
            list->append(step);
        }
    }
    faults.replayAfterHandshake = parser.isSet(replayAfterHandshakeOption);
    const QString wire = parser.value(wireOption);
    if (wire == "0.28"_L1)
        config.wire = SlotScope::WireVersion::V0_28;
    else if (wire == "0.31"_L1)
        config.wire = SlotScope::WireVersion::V0_31;
    else
        return fail(u"--wire must be 0.28 or 0.31."_s);

    if (!installSignalHandlers()) {
        std::fprintf(stderr, "slotscope-refserver: cannot install signal handlers\n");
        return 1;
    }
    QSocketNotifier signalNotifier(signalFds[1], QSocketNotifier::Read);
    QObject::connect(&signalNotifier, &QSocketNotifier::activated, &app, [] {
        char byte = 0;
        [[maybe_unused]] const auto read = ::read(signalFds[1], &byte, 1);
        QCoreApplication::quit();
    });

    SlotScope::RefServer server(config);
    if (auto listening = server.listen(); !listening) {
        std::fprintf(stderr, "slotscope-refserver: %s\n", qPrintable(listening.error().message));
        return 1;
    }
    std::fprintf(stdout, "%s\n", qPrintable(server.controlUrl().toString()));
    std::fflush(stdout);

    const int code = QCoreApplication::exec();
    server.close();
    return code;
}
