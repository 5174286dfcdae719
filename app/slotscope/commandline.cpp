#include "commandline.h"

#include "capture/capturewriter.h"
#include "capture/outputfile.h"
#include "protocol/base58.h"
#include "protocol/sessionids.h"
#include "protocol/urls.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>

#include <algorithm>
#include <cstring>
#include <limits>

using namespace Qt::StringLiterals;

namespace SlotScope {

/// The translation context of the headless command line. Its texts are
/// written CommandLine::tr() so that lupdate files them under the context
/// the lookup uses (a free CommandLine::tr() helper is filed under the enclosing scope).
class CommandLine
{
    Q_DECLARE_TR_FUNCTIONS(SlotScope::CommandLine)
};

namespace {

struct Options
{
    QCommandLineOption headless{u"headless"_s, CommandLine::tr("Run without a window.")};
    QCommandLineOption demo{u"demo"_s, CommandLine::tr("Use the embedded demo simulator.")};
    QCommandLineOption txDir{u"tx-dir"_s, CommandLine::tr("Demo: replay the transactions in DIR."), u"DIR"_s};
    QCommandLineOption url{u"url"_s, CommandLine::tr("Simulator URL or host."), u"URL"_s};
    QCommandLineOption apiKey{u"api-key"_s, CommandLine::tr("API key (default: $SIMULATOR_API_KEY, which other users cannot read in the process list as they can this option)."), u"KEY"_s};
    QCommandLineOption startSlot{u"start-slot"_s, CommandLine::tr("First slot, inclusive."), u"N"_s};
    QCommandLineOption endSlot{u"end-slot"_s, CommandLine::tr("Last slot, inclusive."), u"N"_s};
    QCommandLineOption name{u"name"_s, CommandLine::tr("Name the session (a parallel batch: the whole batch); a-z, 0-9, '.', '_', '-'."), u"NAME"_s};
    QCommandLineOption parallel{u"parallel"_s, CommandLine::tr("Run as a parallel batch of sub-sessions.")};
    QCommandLineOption subscribeProgram{u"subscribe-program"_s, CommandLine::tr("Capture transactions of this program (repeatable; default: all)."), u"ID"_s};
    QCommandLineOption accountDiffs{u"account-diffs"_s, CommandLine::tr("Also capture account diffs (accounts owned by each --subscribe-program; without any: the token and system programs).")};
    QCommandLineOption noZstd{u"no-zstd"_s, CommandLine::tr("Do not ask for zstd-compressed notifications.")};
    QCommandLineOption discoverProgram{u"discover-program"_s, CommandLine::tr("Discover batches executing this program (repeatable)."), u"ID"_s};
    QCommandLineOption pauseAtDiscoveries{u"pause-at-discoveries"_s, CommandLine::tr("Pause before every discovered batch, then go on.")};
    QCommandLineOption breakpoint{u"breakpoint"_s, CommandLine::tr("Breakpoint options of a discovery program: ID[,skip=N][,log][,slots=A-B][,off] (repeatable; also discovers ID)."), u"SPEC"_s};
    QCommandLineOption advanceCount{u"advance-count"_s, CommandLine::tr("Slots per Continue (default 1)."), u"N"_s, u"1"_s};
    QCommandLineOption capacityWait{u"capacity-wait"_s, CommandLine::tr("Seconds a busy server may keep the create waiting for capacity (default %1; 0: fail at once).").arg(kDefaultCapacityWaitSecs), u"SECS"_s, QString::number(kDefaultCapacityWaitSecs)};
    QCommandLineOption disconnectTimeout{u"disconnect-timeout"_s, CommandLine::tr("Seconds the server keeps the session after a drop (default %1).").arg(kMaxDisconnectTimeoutSecs), u"SECS"_s, QString::number(kMaxDisconnectTimeoutSecs)};
    QCommandLineOption capture{u"capture"_s, CommandLine::tr("Capture file (NAME.ndjson; events go to NAME.events.ndjson; - for standard output)."), u"FILE"_s};
    QCommandLineOption overwrite{u"overwrite"_s, CommandLine::tr("Replace an existing --capture file once the new run has data, and an existing --csv file (without it, either is an error).")};
    QCommandLineOption yes{u"yes"_s, CommandLine::tr("Start a range larger than --range-limit slots without asking.")};
    QCommandLineOption rangeLimit{u"range-limit"_s, CommandLine::tr("Slots a run may span without --yes (default %1).").arg(RunConfig::defaultLargeRangeSlots), u"N"_s, QString::number(RunConfig::defaultLargeRangeSlots)};
    QCommandLineOption csv{u"csv"_s, CommandLine::tr("Export the capture to this CSV file at the end (- for standard output)."), u"FILE"_s};
    QCommandLineOption csvKind{u"csv-kind"_s, CommandLine::tr("transactions (default), account-diffs or events."), u"KIND"_s, u"transactions"_s};
    QCommandLineOption verbose{u"verbose"_s, CommandLine::tr("Also print the connection and protocol log to stderr.")};

    /// The options that take one value (given twice: which one?).
    QList<const QCommandLineOption *> singleValued() const
    {
        return {&txDir, &url, &apiKey, &startSlot, &endSlot, &name, &advanceCount, &capacityWait,
                &disconnectTimeout, &capture, &rangeLimit, &csv, &csvKind};
    }
    /// Every option that takes a value: the single-valued and the repeatable ones.
    QList<const QCommandLineOption *> valued() const
    {
        return singleValued() + QList<const QCommandLineOption *>{&subscribeProgram, &discoverProgram, &breakpoint};
    }

    void addTo(QCommandLineParser &parser)
    {
        parser.addOptions({headless, demo, txDir, url, apiKey, startSlot, endSlot, name, parallel,
                           subscribeProgram, accountDiffs, noZstd, discoverProgram, pauseAtDiscoveries,
                           breakpoint, advanceCount, disconnectTimeout, capacityWait, capture, overwrite, yes, rangeLimit, csv, csvKind, verbose});
    }
};

std::optional<quint64> parseUnsigned(const QString &text)
{
    bool ok = false;
    const quint64 value = text.trimmed().toULongLong(&ok);
    if (!ok)
        return std::nullopt;
    return value;
}

} // namespace

QString headlessUsage()
{
    QCommandLineParser parser;
    Options options;
    options.addTo(parser);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.setApplicationDescription(CommandLine::tr("SlotScope: step, watch and capture Solana backtests."));
    return usageFor(parser.helpText(), u"slotscope --headless"_s);
}

QString usageFor(QString helpText, const QString &command)
{
    // "Usage: /path/to/slotscope [options]" → "Usage: slotscope --headless [options]":
    // what to type, whatever path this binary was started by.
    const QString usage = u"Usage: "_s;
    if (helpText.startsWith(usage)) {
        const qsizetype end = helpText.indexOf(u' ', usage.size());
        helpText.replace(usage.size(), (end < 0 ? helpText.size() : end) - usage.size(), command);
    }
    return helpText;
}

Result<void> refuseEmptyPaths(const QCommandLineParser &parser,
                              const QList<const QCommandLineOption *> &options)
{
    for (const QCommandLineOption *option : options) {
        const QStringList values = parser.values(*option);
        if (!values.isEmpty() && values.contains(QString()))
            return makeError(CommandLine::tr("--%1: the name is empty (an unset variable?)").arg(option->names().constFirst()));
    }
    return {};
}

Result<void> refuseOptionsAsValues(const QCommandLineParser &parser,
                                   const QList<const QCommandLineOption *> &options)
{
    for (const QCommandLineOption *option : options) {
        for (const QString &value : parser.values(*option)) {
            if (value.startsWith(u"--"_s))
                return makeError(CommandLine::tr("--%1: missing value (the next argument, %2, is an option; an unset "
                                                 "variable?)")
                                     .arg(option->names().constFirst(), value));
        }
    }
    return {};
}

bool givesOption(const QStringList &arguments, QStringView name)
{
    return std::any_of(arguments.cbegin() + qMin<qsizetype>(1, arguments.size()), arguments.cend(),
                       [name](const QString &argument) {
                           QStringView rest(argument);
                           if (rest.startsWith(u"--"))
                               rest = rest.sliced(2);
                           else if (rest.startsWith(u'-'))
                               rest = rest.sliced(1);
                           else
                               return false;
                           return rest == name || (rest.startsWith(name) && rest.sliced(name.size()).startsWith(u'='));
                       });
}

Result<void> refuseRepeated(const QCommandLineParser &parser,
                            const QList<const QCommandLineOption *> &options)
{
    for (const QCommandLineOption *option : options) {
        QStringList values = parser.values(*option);
        values.removeDuplicates();
        if (values.size() > 1)
            return makeError(CommandLine::tr("--%1: given more than once (%2); which one?")
                                 .arg(option->names().constFirst(), values.join(u", "_s)));
    }
    return {};
}

bool wantsHelp(const QStringList &arguments)
{
    // What QCommandLineParser::addHelpOption() lists (and --help-all, which it also lists).
    return std::any_of(arguments.cbegin() + qMin<qsizetype>(1, arguments.size()), arguments.cend(),
                       [](const QString &argument) {
                           return argument == u"--help"_s || argument == u"-h"_s || argument == u"-?"_s
                                  || argument == u"--help-all"_s;
                       });
}

bool wantsHeadless(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--headless") == 0)
            return true;
    }
    return false;
}

Result<HeadlessOptions> parseHeadlessArguments(const QStringList &arguments,
                                               const QProcessEnvironment &env)
{
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    Options o;
    o.addTo(parser);
    if (!parser.parse(arguments))
        return makeError(parser.errorText());
    if (!parser.positionalArguments().isEmpty())
        return makeError(CommandLine::tr("unexpected argument: %1").arg(parser.positionalArguments().constFirst()));
    if (Result<void> named = refuseEmptyPaths(parser, {&o.txDir, &o.capture, &o.csv}); !named)
        return named.error();
    if (Result<void> values = refuseOptionsAsValues(parser, o.valued()); !values)
        return values.error();
    if (Result<void> once = refuseRepeated(parser, o.singleValued()); !once)
        return once.error();

    HeadlessOptions result;
    RunConfig &config = result.config;

    const bool demo = parser.isSet(o.demo);
    const bool url = parser.isSet(o.url);
    if (demo == url)
        return makeError(CommandLine::tr("give exactly one of --demo and --url"));
    if (demo) {
        if (parser.isSet(o.apiKey))
            return makeError(CommandLine::tr("--api-key only applies to --url (the demo simulator makes its own)"));
        config.target = RunConfig::Target::Demo;
        config.demoTxDir = parser.value(o.txDir);
        if (!config.demoTxDir.isEmpty() && QFileInfo(config.demoTxDir).isFile())
            return makeError(CommandLine::tr("--tx-dir: %1 is a file, not a directory").arg(config.demoTxDir));
        if (!config.demoTxDir.isEmpty() && !QDir(config.demoTxDir).exists())
            return makeError(CommandLine::tr("--tx-dir: no such directory: %1").arg(config.demoTxDir));
    } else {
        if (parser.isSet(o.txDir))
            return makeError(CommandLine::tr("--tx-dir only applies to --demo"));
        config.target = RunConfig::Target::Url;
        config.url = parser.value(o.url);
        config.apiKey = parser.isSet(o.apiKey) ? parser.value(o.apiKey)
                                               : env.value(u"SIMULATOR_API_KEY"_s);
        if (config.apiKey.isEmpty())
            return makeError(CommandLine::tr("no API key: pass --api-key or set SIMULATOR_API_KEY"));
        if (const Result<void> key = validateApiKey(config.apiKey); !key) {
            return makeError((parser.isSet(o.apiKey) ? u"--api-key: "_s : u"SIMULATOR_API_KEY: "_s)
                             + key.error().message);
        }
        // Before anything connects: a mistyped URL is a usage error.
        if (const Result<QString> valid = controlWsUrl(config.url); !valid)
            return makeError(u"--url: "_s + valid.error().message);
    }

    if (!parser.isSet(o.startSlot) || !parser.isSet(o.endSlot))
        return makeError(CommandLine::tr("--start-slot and --end-slot are required"));
    const auto start = parseUnsigned(parser.value(o.startSlot));
    const auto end = parseUnsigned(parser.value(o.endSlot));
    if (!start)
        return makeError(CommandLine::tr("--start-slot: not a slot number: %1").arg(parser.value(o.startSlot)));
    if (!end)
        return makeError(CommandLine::tr("--end-slot: not a slot number: %1").arg(parser.value(o.endSlot)));
    config.startSlot = *start;
    config.endSlot = *end;

    config.name = parser.value(o.name).trimmed();
    if (parser.isSet(o.name) && config.name.isEmpty())
        return makeError(CommandLine::tr("--name: the name is empty"));
    // Checked before anything starts (the demo simulator, a connection).
    if (!config.name.isEmpty()) {
        if (const Result<QString> valid = validateSessionName(config.name); !valid)
            return makeError(u"--name: %1"_s.arg(valid.error().message));
    }
    config.parallel = parser.isSet(o.parallel);
    config.subscribePrograms = parser.values(o.subscribeProgram);
    config.accountDiffs = parser.isSet(o.accountDiffs);
    config.zstd = !parser.isSet(o.noZstd);
    config.discoverPrograms = parser.values(o.discoverProgram);
    for (const QString &spec : parser.values(o.breakpoint)) {
        Result<DiscoveryBreakpoint> breakpoint = DiscoveryBreakpoint::fromSpec(spec);
        if (!breakpoint)
            return makeError(u"--breakpoint: "_s + breakpoint.error().message);
        for (const DiscoveryBreakpoint &earlier : std::as_const(config.breakpoints)) {
            if (earlier.program == breakpoint->program)
                return makeError(CommandLine::tr("--breakpoint: %1 has two breakpoints").arg(earlier.program));
        }
        if (!config.discoverPrograms.contains(breakpoint->program))
            config.discoverPrograms.append(breakpoint->program);
        config.breakpoints.append(*breakpoint);
    }
    config.pauseAtDiscoveries = parser.isSet(o.pauseAtDiscoveries);
    // Before anything connects: a mistyped program id captures nothing.
    for (const auto &[option, programs] : {std::pair{&o.subscribeProgram, &config.subscribePrograms},
                                          std::pair{&o.discoverProgram, &config.discoverPrograms}}) {
        for (QString &program : *programs) {
            const Result<QString> valid = validateProgramId(program);
            if (!valid)
                return makeError(u"--%1: %2"_s.arg(option->names().constFirst(), valid.error().message));
            program = *valid;
        }
    }
    if (config.pauseAtDiscoveries && config.discoverPrograms.isEmpty())
        return makeError(CommandLine::tr("--pause-at-discoveries needs at least one --discover-program"));
    config.drive = config.pauseAtDiscoveries ? RunConfig::Drive::PauseAtDiscoveries
                                             : RunConfig::Drive::RunToEnd;
    config.unattended = true; // nobody presses Continue: a run that cannot go on exits

    const auto advance = parseUnsigned(parser.value(o.advanceCount));
    if (!advance || *advance == 0)
        return makeError(CommandLine::tr("--advance-count: expected a positive number, got %1").arg(parser.value(o.advanceCount)));
    config.advanceCount = *advance;
    const auto timeout = parseUnsigned(parser.value(o.disconnectTimeout));
    if (!timeout || *timeout > kMaxDisconnectTimeoutSecs)
        return makeError(CommandLine::tr("--disconnect-timeout: expected 0 to %1 seconds, got %2")
                             .arg(kMaxDisconnectTimeoutSecs)
                             .arg(parser.value(o.disconnectTimeout)));
    config.disconnectTimeoutSecs = quint16(*timeout);
    const auto capacityWait = parseUnsigned(parser.value(o.capacityWait));
    if (!capacityWait || *capacityWait > std::numeric_limits<quint16>::max())
        return makeError(CommandLine::tr("--capacity-wait: expected 0 to %1 seconds, got %2")
                             .arg(std::numeric_limits<quint16>::max())
                             .arg(parser.value(o.capacityWait)));
    config.capacityWaitTimeoutSecs = quint16(*capacityWait);

    const auto limit = parseUnsigned(parser.value(o.rangeLimit));
    if (!limit)
        return makeError(CommandLine::tr("--range-limit: not a number of slots: %1").arg(parser.value(o.rangeLimit)));
    if (RunConfig::rangeSlots(config.startSlot, config.endSlot) > *limit && !parser.isSet(o.yes)) {
        return makeError(CommandLine::tr("the range %1..%2 spans %3 slots, more than %4: pass --yes to run it anyway")
                             .arg(config.startSlot).arg(config.endSlot)
                             .arg(RunConfig::rangeSlots(config.startSlot, config.endSlot)).arg(*limit));
    }

    // "-" is standard output (progress lines go to stderr).
    config.capturePath = OutputFile::fromArgument(parser.value(o.capture));
    const bool overwrite = parser.isSet(o.overwrite);
    if (overwrite && config.capturePath.isEmpty() && parser.value(o.csv).isEmpty())
        return makeError(CommandLine::tr("--overwrite needs --capture or --csv"));
    config.overwriteCapture = overwrite && !config.capturePath.isEmpty();
    // A folder is no capture or CSV to replace: said now, with the option,
    // not "pass --overwrite" or an export that "failed" after the run.
    const auto folderGiven = [](const QString &option, const QString &path) -> std::optional<Error> {
        if (!QFileInfo(path).isDir())
            return std::nullopt;
        const Result<void> creatable = OutputFile::checkCanCreate(path);
        return creatable ? std::nullopt : std::optional<Error>(makeError(u"%1: %2"_s.arg(option, creatable.error().message)));
    };
    if (const std::optional<Error> folder = folderGiven(u"--capture"_s, config.capturePath))
        return *folder;
    if (const QString existing = config.capturePath.isEmpty() || config.overwriteCapture
                                     ? QString()
                                     : CaptureWriter::existingCaptureFile(config.capturePath);
        !existing.isEmpty()) {
        return makeError(CommandLine::tr("--capture: %1 already exists; pass --overwrite to replace it (the old capture is kept until the new run has data)")
                             .arg(existing));
    }
    // Account diffs are kept in the events file beside the capture; a capture
    // to a device or a standard stream has none, so every diff would be lost.
    if (config.accountDiffs && !config.capturePath.isEmpty()
        && CaptureWriter::eventsFileWritten(config.capturePath).isEmpty()) {
        return makeError(CommandLine::tr("--account-diffs: the diffs go to the events file beside the capture, which a "
                                         "capture to %1 does not have: capture into a file")
                             .arg(config.capturePath));
    }
    result.csvPath = OutputFile::fromArgument(parser.value(o.csv));
    // As the window asks before it replaces a CSV: nothing is lost unasked.
    // A device or a FIFO (/dev/stdout, a pipe) is a destination, not a file.
    if (!result.csvPath.isEmpty()) {
        if (const std::optional<Error> folder = folderGiven(u"--csv"_s, result.csvPath))
            return *folder;
        if (Result<void> writable = OutputFile::checkOverwrite(u"--csv"_s, result.csvPath, overwrite); !writable)
            return writable.error();
    }
    // Written after the run from the capture: over the capture (or its events
    // file) it would replace the run's only record with a table of it.
    if (!config.capturePath.isEmpty()) {
        const QStringList capture{config.capturePath, CaptureWriter::eventsPathFor(config.capturePath)};
        if (const QString input = OutputFile::inputAt(result.csvPath, capture); !input.isEmpty()) {
            return makeError((input == config.capturePath
                                  ? CommandLine::tr("--csv: %1 is the capture the CSV is made from; name the CSV differently")
                                  : CommandLine::tr("--csv: %1 is the events file of the capture the CSV is made from; "
                                                    "name the CSV differently"))
                                 .arg(input));
        }
    }
    // The CSV is read back from the capture after the run: a device or a
    // named pipe has given its lines away by then (reading a FIFO back would
    // wait for a writer that never comes).
    if (!result.csvPath.isEmpty() && !config.capturePath.isEmpty()
        && outputTargetAt(config.capturePath) == OutputTarget::Stream) {
        return makeError(CommandLine::tr("--csv is made from the capture, which %1 (a device or named pipe) cannot give back: "
                                         "capture into a file, or leave out --capture")
                             .arg(config.capturePath));
    }
    const QString kind = parser.value(o.csvKind);
    if (kind == u"transactions")
        result.csvKind = HeadlessOptions::CsvKind::Transactions;
    else if (kind == u"account-diffs")
        result.csvKind = HeadlessOptions::CsvKind::AccountDiffs;
    else if (kind == u"events")
        result.csvKind = HeadlessOptions::CsvKind::Events;
    else
        return makeError(CommandLine::tr("--csv-kind: expected transactions, account-diffs or events, got %1").arg(kind));
    if (parser.isSet(o.csvKind) && result.csvPath.isEmpty())
        return makeError(CommandLine::tr("--csv-kind needs --csv"));
    // Nothing would be captured to export: an empty CSV and exit 0 otherwise.
    if (result.csvKind == HeadlessOptions::CsvKind::AccountDiffs && !config.accountDiffs)
        return makeError(CommandLine::tr("--csv-kind account-diffs needs --account-diffs"));
    result.verbose = parser.isSet(o.verbose);
    if (config.capturePath.isEmpty())
        result.temporaryCapture = true; // the engine captures anyway: the CSV is read from it
    return result;
}

} // namespace SlotScope
