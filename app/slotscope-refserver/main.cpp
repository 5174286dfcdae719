// slotscope-refserver: command-line wrapper around lib/refserver (DESIGN.md §5).
// Prints the control URL as the first stdout line, logs to stderr, and exits
// cleanly on SIGINT/SIGTERM.

#include "refserver/refserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
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

bool parseNumber(const QString &text, quint64 max, quint64 *out)
{
    bool ok = false;
    const quint64 value = text.toULongLong(&ok);
    if (!ok || value > max)
        return false;
    *out = value;
    return true;
}

bool parseSigned(const QString &text, qint64 *out)
{
    bool ok = false;
    const qint64 value = text.toLongLong(&ok);
    if (ok)
        *out = value;
    return ok;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"slotscope-refserver"_s);
    QCoreApplication::setApplicationVersion(u"0.1.0"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Reference Termina backtest simulator: replays Solana transactions over the simulator wire protocol."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption portOption(u"port"_s, u"TCP port to listen on (0 = any free port)."_s, u"N"_s, u"0"_s);
    const QCommandLineOption apiKeyOption(u"api-key"_s, u"API key clients must send (default: $SIMULATOR_API_KEY)."_s,
                                          u"KEY"_s);
    const QCommandLineOption txDirOption(u"tx-dir"_s,
                                         u"Directory of Solana transaction JSON (default: synthetic transactions)."_s,
                                         u"DIR"_s);
    const QCommandLineOption slotDelayOption(u"slot-delay-ms"_s, u"Pause after each executed slot."_s, u"N"_s,
                                             u"0"_s);
    const QCommandLineOption txPerSlotOption(
        u"tx-per-slot"_s, u"K > 0: K transactions per slot with unique signatures (0 = each once)."_s, u"K"_s, u"0"_s);
    const QCommandLineOption hostOption(u"host"_s, u"Address to listen on."_s, u"ADDR"_s, u"127.0.0.1"_s);
    const QCommandLineOption seedOption(u"seed"_s, u"Seed of the synthetic generator."_s, u"N"_s, u"1"_s);
    const QCommandLineOption bundleSizeOption(
        u"bundle-size"_s, u"Slots per bundle; a parallel create is split at these boundaries."_s, u"N"_s, u"100"_s);
    const QCommandLineOption omitRangesOption(
        u"omit-parallel-ranges"_s, u"Act as an old server: sessionsCreatedV2 without start_slots/end_slots."_s);
    parser.addOptions({portOption, apiKeyOption, txDirOption, slotDelayOption, txPerSlotOption, hostOption,
                       seedOption});
    parser.addOptions({bundleSizeOption, omitRangesOption});
    // Data plane (PROTOCOL.md §5.4, data faults of issue 4).
    const QCommandLineOption noZstdOption(u"no-zstd"_s,
                                          u"Ignore compression:\"zstd\" on subscriptions (Text frames only)."_s);
    const QCommandLineOption dropEveryOption(
        u"drop-subscription-every"_s,
        u"Abort a subscription socket (no close frame) after every N notifications it sent (0 = never)."_s, u"N"_s,
        u"0"_s);
    const QCommandLineOption maxDropsOption(u"max-subscription-drops"_s,
                                            u"At most M subscription drops per server (0 = unlimited)."_s, u"M"_s,
                                            u"0"_s);
    const QCommandLineOption stallAfterOption(
        u"stall-subscription-after"_s,
        u"Stop sending on a subscription socket after its N-th notification, socket kept open (0 = never)."_s,
        u"N"_s, u"0"_s);
    const QCommandLineOption stallMsOption(u"stall-ms"_s, u"How long a stall lasts (0 = forever)."_s, u"MS"_s,
                                           u"0"_s);
    const QCommandLineOption maxStallsOption(u"max-stalls"_s, u"At most M stalls per server (0 = unlimited)."_s,
                                             u"M"_s, u"1"_s);
    const QCommandLineOption bandwidthOption(
        u"bandwidth-cap"_s,
        u"Bytes per second shared by all subscription sockets, one constrained link (0 = no cap)."_s,
        u"BYTES_PER_SEC"_s, u"0"_s);
    parser.addOptions({noZstdOption, dropEveryOption, maxDropsOption, stallAfterOption, stallMsOption,
                       maxStallsOption, bandwidthOption});
    // Control plane faults (RefServerConfig::controlFaults, issue 3).
    const QCommandLineOption abortEveryOption(
        u"abort-every"_s, u"Abort a control socket (no close frame) after every N frames it sent (0 = never)."_s,
        u"N"_s, u"0"_s);
    const QCommandLineOption maxAbortsOption(u"max-aborts"_s,
                                             u"At most M control aborts per server, of every kind (0 = unlimited)."_s,
                                             u"M"_s, u"0"_s);
    const QCommandLineOption refuseUpgradesOption(
        u"refuse-upgrades"_s, u"Answer the first K /backtest upgrades with HTTP 503."_s, u"K"_s, u"0"_s);
    const QCommandLineOption frameDelayOption(u"frame-delay-ms"_s, u"Delay every control frame by D ms."_s,
                                              u"D"_s, u"0"_s);
    const QCommandLineOption garbageEveryOption(
        u"garbage-every"_s,
        u"After every N control frames send a malformed or an unknown-method frame, alternating (0 = never)."_s,
        u"N"_s, u"0"_s);
    const QCommandLineOption silentAfterOption(
        u"silent-after"_s,
        u"A control connection goes silent (no frames, no pongs) after its N-th frame (0 = never)."_s, u"N"_s,
        u"0"_s);
    const QCommandLineOption maxSilencesOption(u"max-silences"_s,
                                               u"At most M silent connections per server (0 = unlimited)."_s, u"M"_s,
                                               u"1"_s);
    const QCommandLineOption abortAtStepEndOption(
        u"abort-at-step-end"_s,
        u"Abort instead of sending the readyForContinue/paused that ends these steps (1-based, comma-separated)."_s,
        u"K[,K...]"_s);
    const QCommandLineOption loseRequestOption(
        u"lose-request"_s,
        u"Never act on these continue/continueTo requests (1-based, comma-separated); abort instead."_s,
        u"K[,K...]"_s);
    const QCommandLineOption faultSeedOption(u"fault-seed"_s, u"Seed of the injected malformed frames."_s,
                                             u"N"_s, u"1"_s);
    parser.addOptions({abortEveryOption, maxAbortsOption, refuseUpgradesOption, frameDelayOption,
                       garbageEveryOption, silentAfterOption, maxSilencesOption, abortAtStepEndOption,
                       loseRequestOption, faultSeedOption});
    // Wire generation and session behaviour (PROTOCOL-0.31.md; issue 8).
    const QString defaultWire = QString::fromLatin1(SlotScope::wireVersionName(SlotScope::RefServerConfig{}.wire));
    const QCommandLineOption wireOption(
        u"wire"_s, u"Protocol generation: 0.28 (PROTOCOL.md) or 0.31 (PROTOCOL-0.31.md: paused then "
                   u"readyForContinue, repeated startingRuntime, simple ids, …)."_s,
        u"0.28|0.31"_s, defaultWire);
    const QCommandLineOption startupDelayOption(
        u"startup-delay-ms"_s, u"A created session (or batch) waits this long for capacity before it runs."_s,
        u"MS"_s, u"0"_s);
    const QCommandLineOption startingIntervalOption(
        u"starting-runtime-interval-ms"_s,
        u"0.31: repeat status startingRuntime this often while a session starts (0 = once)."_s, u"MS"_s,
        u"10000"_s);
    const QCommandLineOption readyAfterPausedOption(
        u"ready-after-paused-ms"_s,
        u"0.31: readyForContinue follows paused after this long; a step sent in between is refused."_s, u"MS"_s,
        u"0"_s);
    const QCommandLineOption simulationErrorOption(
        u"simulation-error-every"_s,
        u"Send error simulationError after every N-th executed transaction of a session (0 = never)."_s, u"N"_s,
        u"0"_s);
    const QCommandLineOption cutAtSlotOption(
        u"cut-at-slot"_s, u"Send error cut {slot} when a session reaches this slot; the session stops for good."_s,
        u"SLOT"_s);
    const QCommandLineOption closedLingerOption(
        u"closed-linger-ms"_s,
        u"A completed sub-session of a closed batch keeps its data plane this long (default: 60000 in 0.28, "
        u"0 in 0.31)."_s,
        u"MS"_s);
    parser.addOptions({wireOption, startupDelayOption, startingIntervalOption, readyAfterPausedOption,
                       simulationErrorOption, cutAtSlotOption, closedLingerOption});
    // More data faults (issues 8 and 9).
    const QCommandLineOption malformedOption(
        u"malformed-notifications"_s,
        u"Send N malformed transactionNotifications in all (missing/invalid fields, undecodable JSON, bad zstd "
        u"frame, in turn; 0 = none)."_s,
        u"N"_s, u"0"_s);
    const QCommandLineOption malformedEveryOption(
        u"malformed-every"_s, u"One malformed notification after every K-th real one of a socket."_s, u"K"_s,
        u"1"_s);
    const QCommandLineOption dropAtCompletionOption(
        u"drop-at-completion"_s,
        u"Abort the data sockets of the first N sessions to complete instead of closing them normally."_s, u"N"_s,
        u"0"_s);
    const QCommandLineOption dropAtCompletionDelayOption(
        u"drop-at-completion-delay-ms"_s, u"How long after completed that abort comes."_s, u"MS"_s, u"0"_s);
    parser.addOptions({malformedOption, malformedEveryOption, dropAtCompletionOption, dropAtCompletionDelayOption});
    // Experiment run (issue 12): a run that differs from a baseline in known ways.
    const QCommandLineOption failEveryOption(u"experiment-fail-every"_s,
                                             u"About one in N succeeded transactions fails (Custom 6001)."_s, u"N"_s,
                                             u"0"_s);
    const QCommandLineOption feeEveryOption(u"experiment-fee-every"_s,
                                            u"About one in N transactions has its fee changed by --experiment-fee-delta."_s,
                                            u"N"_s, u"0"_s);
    const QCommandLineOption feeDeltaOption(u"experiment-fee-delta"_s, u"Lamports added to the fee."_s,
                                            u"LAMPORTS"_s, u"0"_s);
    const QCommandLineOption unitsEveryOption(
        u"experiment-cu-every"_s,
        u"About one in N transactions has its compute units changed by --experiment-cu-delta."_s, u"N"_s, u"0"_s);
    const QCommandLineOption unitsDeltaOption(u"experiment-cu-delta"_s, u"Compute units added."_s, u"UNITS"_s,
                                              u"0"_s);
    const QCommandLineOption solEveryOption(
        u"experiment-sol-every"_s,
        u"About one in N transactions has the fee payer's post balance changed by --experiment-sol-delta."_s,
        u"N"_s, u"0"_s);
    const QCommandLineOption solDeltaOption(u"experiment-sol-delta"_s, u"Lamports added to the fee payer."_s,
                                            u"LAMPORTS"_s, u"0"_s);
    const QCommandLineOption tokenEveryOption(
        u"experiment-token-every"_s,
        u"About one in N transactions has its first post token balance changed by --experiment-token-delta."_s,
        u"N"_s, u"0"_s);
    const QCommandLineOption tokenDeltaOption(u"experiment-token-delta"_s, u"Raw token units added."_s,
                                              u"AMOUNT"_s, u"0"_s);
    const QCommandLineOption omitEveryOption(u"experiment-omit-every"_s,
                                             u"About one in N transactions is left out."_s, u"N"_s, u"0"_s);
    const QCommandLineOption addEveryOption(u"experiment-add-every"_s,
                                            u"About one in N transactions is followed by a copy with a new signature."_s,
                                            u"N"_s, u"0"_s);
    const QCommandLineOption saltOption(u"experiment-salt"_s, u"Changes which transactions are selected."_s,
                                        u"N"_s, u"0"_s);
    parser.addOptions({failEveryOption, feeEveryOption, feeDeltaOption, unitsEveryOption, unitsDeltaOption,
                       solEveryOption, solDeltaOption, tokenEveryOption, tokenDeltaOption, omitEveryOption,
                       addEveryOption, saltOption});
    parser.process(app);

    const auto fail = [&parser](const QString &message) {
        std::fprintf(stderr, "slotscope-refserver: %s\n\n%s", qPrintable(message), qPrintable(parser.helpText()));
        return 2;
    };

    SlotScope::RefServerConfig config;
    config.apiKey = parser.isSet(apiKeyOption) ? parser.value(apiKeyOption)
                                               : qEnvironmentVariable("SIMULATOR_API_KEY");
    if (config.apiKey.isEmpty())
        return fail(u"--api-key is required (or set SIMULATOR_API_KEY)."_s);
    quint64 number = 0;
    if (!parseNumber(parser.value(portOption), 65535, &number))
        return fail(u"--port must be 0..65535."_s);
    config.port = quint16(number);
    if (!config.host.setAddress(parser.value(hostOption)))
        return fail(u"--host must be an IP address."_s);
    config.txDir = parser.value(txDirOption);
    if (!parseNumber(parser.value(slotDelayOption), 3600000, &number))
        return fail(u"--slot-delay-ms must be a non-negative number."_s);
    config.slotDelayMs = int(number);
    if (!parseNumber(parser.value(txPerSlotOption), 1000000, &number))
        return fail(u"--tx-per-slot must be 0..1000000."_s);
    config.transactionsPerSlot = int(number);
    if (!parseNumber(parser.value(seedOption), 0xffffffffULL, &number))
        return fail(u"--seed must be 0..4294967295."_s);
    config.seed = quint32(number);
    if (!parseNumber(parser.value(bundleSizeOption), 1000000000ULL, &number) || number == 0)
        return fail(u"--bundle-size must be 1..1000000000."_s);
    config.bundleSize = number;
    config.omitParallelRanges = parser.isSet(omitRangesOption);
    config.zstd = !parser.isSet(noZstdOption);
    if (!parseNumber(parser.value(bandwidthOption), 0x7fffffffffffffffULL, &number))
        return fail(u"--bandwidth-cap must be a non-negative number of bytes per second."_s);
    config.dataFaults.bandwidthBytesPerSecond = qint64(number);

    SlotScope::ControlFaults &faults = config.controlFaults;
    SlotScope::Experiment &experiment = config.experiment;
    // Every option that takes a count or a duration: 0..INT_MAX.
    const std::pair<const QCommandLineOption *, int *> counts[] = {
        {&dropEveryOption, &config.dataFaults.dropEveryNotifications},
        {&maxDropsOption, &config.dataFaults.maxDrops},
        {&stallAfterOption, &config.dataFaults.stallAfterNotifications},
        {&stallMsOption, &config.dataFaults.stallMs},
        {&maxStallsOption, &config.dataFaults.maxStalls},
        {&malformedOption, &config.dataFaults.malformedNotifications},
        {&malformedEveryOption, &config.dataFaults.malformedEveryNotifications},
        {&dropAtCompletionOption, &config.dataFaults.dropAtCompletion},
        {&dropAtCompletionDelayOption, &config.dataFaults.dropAtCompletionDelayMs},
        {&abortEveryOption, &faults.abortEveryFrames},
        {&maxAbortsOption, &faults.maxAborts},
        {&refuseUpgradesOption, &faults.refuseUpgrades},
        {&frameDelayOption, &faults.frameDelayMs},
        {&garbageEveryOption, &faults.garbageEveryFrames},
        {&silentAfterOption, &faults.silentAfterFrames},
        {&maxSilencesOption, &faults.maxSilences},
        {&startupDelayOption, &config.startupDelayMs},
        {&startingIntervalOption, &config.startingRuntimeIntervalMs},
        {&readyAfterPausedOption, &config.readyAfterPausedMs},
        {&simulationErrorOption, &config.simulationErrorEvery},
        {&failEveryOption, &experiment.failEvery},
        {&feeEveryOption, &experiment.feeEvery},
        {&unitsEveryOption, &experiment.computeUnitsEvery},
        {&solEveryOption, &experiment.solEvery},
        {&tokenEveryOption, &experiment.tokenEvery},
        {&omitEveryOption, &experiment.omitEvery},
        {&addEveryOption, &experiment.addEvery},
    };
    for (const auto &[option, field] : counts) {
        if (!parseNumber(parser.value(*option), 0x7fffffffULL, &number))
            return fail(u"--%1 must be 0..2147483647."_s.arg(option->names().constFirst()));
        *field = int(number);
    }
    const std::pair<const QCommandLineOption *, QList<int> *> faultLists[] = {
        {&abortAtStepEndOption, &faults.abortAtStepEnds},
        {&loseRequestOption, &faults.loseRequests},
    };
    for (const auto &[option, list] : faultLists) {
        if (!parser.isSet(*option))
            continue;
        for (const QString &item : parser.value(*option).split(u',')) {
            if (!parseNumber(item.trimmed(), 0x7fffffffULL, &number) || number == 0)
                return fail(u"--%1 takes 1-based numbers separated by commas."_s.arg(option->names().constFirst()));
            list->append(int(number));
        }
    }
    if (!parseNumber(parser.value(faultSeedOption), 0xffffffffULL, &number))
        return fail(u"--fault-seed must be 0..4294967295."_s);
    faults.seed = quint32(number);

    const QString wire = parser.value(wireOption);
    if (wire == "0.28"_L1)
        config.wire = SlotScope::WireVersion::V0_28;
    else if (wire == "0.31"_L1)
        config.wire = SlotScope::WireVersion::V0_31;
    else
        return fail(u"--wire must be 0.28 or 0.31."_s);
    if (config.dataFaults.malformedEveryNotifications == 0)
        return fail(u"--malformed-every must be at least 1."_s);
    const std::pair<const QCommandLineOption *, qint64 *> deltas[] = {
        {&feeDeltaOption, &experiment.feeDelta},
        {&unitsDeltaOption, &experiment.computeUnitsDelta},
        {&solDeltaOption, &experiment.solDelta},
        {&tokenDeltaOption, &experiment.tokenDelta},
    };
    for (const auto &[option, field] : deltas) {
        if (!parseSigned(parser.value(*option), field))
            return fail(u"--%1 must be a whole number (may be negative)."_s.arg(option->names().constFirst()));
    }
    if (!parseNumber(parser.value(saltOption), 0xffffffffULL, &number))
        return fail(u"--experiment-salt must be 0..4294967295."_s);
    experiment.salt = quint32(number);
    if (parser.isSet(cutAtSlotOption)) {
        if (!parseNumber(parser.value(cutAtSlotOption), ~quint64(0), &number))
            return fail(u"--cut-at-slot must be a slot number."_s);
        config.cutAtSlot = number;
    }
    if (parser.isSet(closedLingerOption)) {
        if (!parseNumber(parser.value(closedLingerOption), 0x7fffffffULL, &number))
            return fail(u"--closed-linger-ms must be 0..2147483647."_s);
        config.closedLingerMs = int(number);
    }

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
