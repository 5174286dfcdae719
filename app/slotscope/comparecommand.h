#pragma once

#include "capture/capturecomparison.h"
#include "protocol/result.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace SlotScope {

/// What `slotscope compare BASELINE EXPERIMENT [options]` was asked to do
/// (DESIGN.md §5; the `sim compare` job, CAPTURE_FORMAT.md §6.3).
struct CompareOptions
{
    QString baselinePath;
    QString experimentPath;
    QString csvPath;                          ///< empty = no CSV
    bool overwrite = false;                   ///< replace an existing CSV file (else a usage error)
    QList<ComparisonSection> sections;        ///< what to report (and write): all by default
    int rows = 20;                            ///< rows per section on stdout
    bool failOnRegressions = false;           ///< exit 3 when any regression
};

/// Exit codes of `slotscope compare`.
enum class CompareExit : int {
    Success = 0,
    Error = 1,        ///< a capture cannot be read, the CSV cannot be written
    Usage = 2,
    Regressions = 3,  ///< --fail-on-regressions and at least one regression
    Incomplete = 4,   ///< --fail-on-regressions and a capture without its summary line (a run cut short)
};

/// Parses the arguments after the program name (`compare` first). Errors:
/// unknown option, not exactly two files, an unknown section, a bad number,
/// a `--csv` file that exists without `--overwrite` (as `--headless --csv`) —
/// each as one line for stderr.
Result<CompareOptions> parseCompareArguments(const QStringList &arguments);

QString compareUsage();

/// True when argv asks for `slotscope compare …` (decided before any
/// QApplication exists: the command needs no display).
bool wantsCompare(int argc, char **argv);

/// The whole command: parse, compare, print the report to stdout, write the
/// CSV (one section: that section's columns; several: the long table of
/// comparisonCsvAll()), return the exit code.
int runCompare(int argc, char **argv);

} // namespace SlotScope
