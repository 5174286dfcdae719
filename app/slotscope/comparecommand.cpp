#include "comparecommand.h"

#include "capture/outputfile.h"
#include "commandline.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QLoggingCategory>

#include <cerrno>
#include <cstdio>
#include <cstring>

using namespace Qt::StringLiterals;

namespace SlotScope {

/// The translation context of `slotscope compare`. Its texts are written
/// CompareCommand::tr() so that lupdate files them under the context the
/// lookup uses (a free CompareCommand::tr() helper is filed under the enclosing scope).
class CompareCommand
{
    Q_DECLARE_TR_FUNCTIONS(SlotScope::CompareCommand)
};

namespace {

struct Options
{
    QCommandLineOption csv{u"csv"_s, CompareCommand::tr("Write the differences to FILE (CSV; - for standard output, the report then goes to stderr)."), u"FILE"_s};
    QCommandLineOption section{u"section"_s,
                               CompareCommand::tr("Report only this section (repeatable): summary, regressions, improvements, "
                                  "error_changes, fees, compute_units, sol_balances, token_balances, fee_payers, "
                                  "only_baseline, only_experiment."),
                               u"NAME"_s};
    QCommandLineOption rows{u"rows"_s, CompareCommand::tr("Rows per section printed (default 20; the CSV has all)."), u"N"_s, u"20"_s};
    QCommandLineOption failOnRegressions{u"fail-on-regressions"_s, CompareCommand::tr("Exit with 3 when any transaction regressed, with 4 when a capture may lack transactions (no summary line, damaged lines, a summary that counts others).")};
    QCommandLineOption overwrite{u"overwrite"_s, CompareCommand::tr("Replace an existing --csv file (without it, that is an error).")};

    void addTo(QCommandLineParser &parser)
    {
        parser.addOptions({csv, section, rows, failOnRegressions, overwrite});
        parser.addPositionalArgument(u"BASELINE"_s, CompareCommand::tr("The baseline capture."));
        parser.addPositionalArgument(u"EXPERIMENT"_s, CompareCommand::tr("The experiment capture."));
    }
};

/// Writes `text` to `stream`; false, with errno kept, when any of it could
/// not be written (stdout on a full disk: the report is lost, not printed).
bool print(FILE *stream, const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    errno = 0;
    const bool written = std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream) == size_t(bytes.size());
    return std::fflush(stream) == 0 && written && !std::ferror(stream);
}

} // namespace

QString compareUsage()
{
    QCommandLineParser parser;
    Options options;
    options.addTo(parser);
    parser.addHelpOption();
    parser.setApplicationDescription(
        CompareCommand::tr("slotscope compare: join a baseline and an experiment capture by signature and report regressions, "
           "improvements, fee / compute-unit / balance differences and transactions on one side only."));
    return usageFor(parser.helpText(), u"slotscope compare"_s);
}

bool wantsCompare(int argc, char **argv)
{
    return argc >= 2 && std::strcmp(argv[1], "compare") == 0;
}

Result<CompareOptions> parseCompareArguments(const QStringList &arguments)
{
    QStringList args = arguments;
    if (args.value(1) == u"compare")
        args.removeAt(1);
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    Options o;
    o.addTo(parser);
    if (!parser.parse(args))
        return makeError(parser.errorText());
    const QStringList files = parser.positionalArguments();
    if (files.size() != 2)
        return makeError(CompareCommand::tr("expected two captures, BASELINE and EXPERIMENT; got %n", nullptr, int(files.size())));
    if (Result<void> named = refuseEmptyPaths(parser, {&o.csv}); !named)
        return named.error();
    if (Result<void> once = refuseRepeated(parser, {&o.csv}); !once)
        return once.error();
    CompareOptions options;
    options.baselinePath = files.at(0);
    options.experimentPath = files.at(1);
    options.csvPath = OutputFile::fromArgument(parser.value(o.csv)); // "-": stdout, as the run's --csv
    options.overwrite = parser.isSet(o.overwrite);
    if (options.overwrite && options.csvPath.isEmpty())
        return makeError(CompareCommand::tr("--overwrite needs --csv"));
    // Nothing is lost unasked: the headless run and the window refuse too.
    if (!options.csvPath.isEmpty()) {
        if (Result<void> writable = OutputFile::checkOverwrite(u"--csv"_s, options.csvPath, options.overwrite); !writable)
            return writable.error();
    }
    // Not even with --overwrite: a compare that replaces a capture it read
    // is a mistyped argument, not a wish.
    if (const QString input = OutputFile::inputAt(options.csvPath, {options.baselinePath, options.experimentPath});
        !input.isEmpty()) {
        return makeError(CompareCommand::tr("--csv: %1 is a capture being compared; name the CSV differently").arg(input));
    }
    for (const QString &name : parser.values(o.section)) {
        const auto section = sectionFromName(name);
        if (!section) {
            QStringList known;
            for (const ComparisonSection each : allSections())
                known.append(sectionName(each));
            return makeError(CompareCommand::tr("--section: unknown section %1 (one of %2)")
                                 .arg(name, known.join(u", "_s)));
        }
        if (!options.sections.contains(*section))
            options.sections.append(*section);
    }
    if (options.sections.isEmpty())
        options.sections = allSections();
    bool ok = false;
    options.rows = parser.value(o.rows).toInt(&ok);
    if (!ok || options.rows < 0)
        return makeError(CompareCommand::tr("--rows: expected a number, got %1").arg(parser.value(o.rows)));
    options.failOnRegressions = parser.isSet(o.failOnRegressions);
    return options;
}

int runCompare(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"SlotScope"_s);
    // Results go to stdout; the library's log stays quiet unless asked for.
    // (The readers' per-line notes too: the report sums them up.)
    QLoggingCategory::setFilterRules(u"slotscope.*.info=false\nslotscope.*.debug=false"_s);
    const QStringList arguments = QCoreApplication::arguments();
    if (wantsHelp(arguments)) {
        print(stdout, compareUsage());
        return int(CompareExit::Success);
    }
    const Result<CompareOptions> options = parseCompareArguments(arguments);
    if (!options) {
        print(stderr, u"slotscope compare: %1\n"_s.arg(options.error().message));
        return int(CompareExit::Usage);
    }
    // Allowed (a capture against itself finds nothing), but most likely a
    // mistyped script: said on stderr, where a gate's log shows it.
    if (QFileInfo(options->baselinePath).isFile() && isSameFile(options->baselinePath, options->experimentPath)) {
        print(stderr, u"slotscope compare: note: the baseline and the experiment are the same file, %1: "
                      "nothing can differ\n"_s.arg(options->baselinePath));
    }
    // A CSV that cannot be written fails before the comparison (a large pair
    // takes a while) and before a report that a script would take as done.
    if (!options->csvPath.isEmpty()) {
        if (const Result<void> creatable = OutputFile::checkCanCreate(options->csvPath);
            !creatable) {
            print(stderr, u"slotscope compare: --csv: %1\n"_s.arg(creatable.error().message));
            return int(CompareExit::Error);
        }
    }
    const Result<ComparisonResult> result = compareCaptures(options->baselinePath, options->experimentPath);
    if (!result) {
        print(stderr, u"slotscope compare: %1\n"_s.arg(result.error().message));
        return int(CompareExit::Error);
    }
    // A CSV on standard output (--csv - or /dev/stdout > diff.csv) gets it to
    // itself: the report goes to stderr instead.
    FILE *reportTo = !options->csvPath.isEmpty() && isSameFile(options->csvPath, u"/dev/stdout"_s) ? stderr : stdout;
    if (!print(reportTo, comparisonReport(*result, options->sections, options->rows))) {
        const int savedErrno = errno;
        print(stderr, u"slotscope compare: cannot write the report to %1: %2\n"_s.arg(
                          reportTo == stdout ? u"stdout"_s : u"stderr"_s,
                          savedErrno ? qt_error_string(savedErrno) : u"write failed"_s));
        return int(CompareExit::Error);
    }
    if (!options->csvPath.isEmpty()) {
        const QByteArray csv = options->sections.size() == 1 ? comparisonCsv(*result, options->sections.constFirst())
                                                             : comparisonCsvAll(*result, options->sections);
        if (const Result<void> written = writeCsvFile(options->csvPath, csv); !written) {
            print(stderr, u"slotscope compare: %1\n"_s.arg(written.error().message));
            return int(CompareExit::Error);
        }
        // A section neither file can fill (fees of a `sim run` capture)
        // leaves no rows: said where a script's log shows it, so an empty
        // table is not read as "no difference".
        for (const ComparisonSection section : options->sections) {
            if (!result->compared(section)) {
                print(stderr, u"slotscope compare: note: %1 not compared (see the report's warnings): "
                              "the CSV holds no rows for it\n"_s.arg(sectionName(section)));
            }
        }
    }
    if (!options->failOnRegressions)
        return int(CompareExit::Success);
    // A run cut short (or that failed at its start), a damaged line or a
    // summary that counts other transactions than the file holds: what is
    // missing may have regressed, so no gate passes on it. Said with the
    // regressions too, where a gate's log shows it (exit 3 hid it).
    const bool incomplete = !(result->baseline.gaps.isEmpty() && result->experiment.gaps.isEmpty());
    if (incomplete) {
        for (const auto &[side, run] : {std::pair{u"baseline"_s, &result->baseline},
                                        std::pair{u"experiment"_s, &result->experiment}}) {
            if (!run->gaps.isEmpty())
                print(stderr, u"slotscope compare: the %1 may lack transactions: %2\n"_s.arg(side, run->gaps.join(u"; "_s)));
        }
    }
    if (!result->regressions.isEmpty())
        return int(CompareExit::Regressions);
    if (incomplete) {
        print(stderr, u"slotscope compare: regressions cannot be ruled out\n"_s);
        return int(CompareExit::Incomplete);
    }
    return int(CompareExit::Success);
}

} // namespace SlotScope
