#pragma once

#include "engine/runconfig.h"
#include "protocol/result.h"

#include <QList>
#include <QProcessEnvironment>
#include <QStringList>

class QCommandLineOption;
class QCommandLineParser;

namespace SlotScope {

/// What `slotscope --headless …` was asked to do (DESIGN.md §5).
struct HeadlessOptions
{
    enum class CsvKind { Transactions, AccountDiffs, Events };

    RunConfig config;            ///< drive = RunToEnd or PauseAtDiscoveries
    QString csvPath;             ///< empty = no CSV
    CsvKind csvKind = CsvKind::Transactions;
    bool temporaryCapture = false; ///< no --capture: capture to a temp file, removed at exit
    bool verbose = false;          ///< --verbose: keep the library log on stderr
};

/// Parse the headless command line (arguments include the program name).
/// `env` supplies SIMULATOR_API_KEY when --api-key is absent. Errors: unknown
/// option, missing value, a number that does not parse, --demo together with
/// --url, neither given, features a later version adds (--parallel) — each as
/// one line for stderr. --account-diffs sets RunConfig::accountDiffs,
/// --no-zstd clears RunConfig::zstd.
Result<HeadlessOptions> parseHeadlessArguments(const QStringList &arguments,
                                               const QProcessEnvironment &env);

/// The usage text printed by --help.
QString headlessUsage();

/// `helpText` of a QCommandLineParser with its "Usage: <program path>" made
/// "Usage: <command>" ("slotscope --headless", "slotscope compare").
QString usageFor(QString helpText, const QString &command);

/// Refuses an empty value given to a file or folder option (`--csv ""`, a
/// script's unset variable): "--csv: the name is empty (an unset
/// variable?)". It would
/// otherwise read as the option left out, and the run end without its file.
Result<void> refuseEmptyPaths(const QCommandLineParser &parser,
                              const QList<const QCommandLineOption *> &options);

/// Refuses an option whose value is another option (`--capture --overwrite`:
/// a script's unset, unquoted variable), which QCommandLineParser takes as
/// the value: "--capture: missing value (the next argument, --overwrite, is
/// an option)". Every option of `options` takes a value; `-` alone is a value.
Result<void> refuseOptionsAsValues(const QCommandLineParser &parser,
                                   const QList<const QCommandLineOption *> &options);

/// Whether `arguments` give the option `name` in any form the parser takes:
/// `--name`, `--name=VALUE`, `-name` or `-name=VALUE` (ParseAsLongOptions).
bool givesOption(const QStringList &arguments, QStringView name);

/// Refuses a single-valued option given twice with different values
/// (`--csv a.csv --csv b.csv`: "--csv: given more than once (a.csv,
/// b.csv); which one?"), which would otherwise keep the last unsaid.
Result<void> refuseRepeated(const QCommandLineParser &parser,
                            const QList<const QCommandLineOption *> &options);

/// `arguments` (argv, the program first) ask for help: --help, -h, -? or
/// --help-all, the options the usage text lists.
bool wantsHelp(const QStringList &arguments);

/// True when the arguments ask for the headless mode (decided before any
/// QApplication exists, so no display is needed).
bool wantsHeadless(int argc, char **argv);

} // namespace SlotScope
