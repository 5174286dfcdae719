#pragma once

#include "capture/csvexporter.h"
#include "protocol/result.h"

#include <QByteArray>
#include <QString>

#include <functional>

class QWidget;

namespace SlotScope {

/// Runs CsvExporter::exportCsv on a worker thread behind a window-modal
/// progress dialog with Cancel (DESIGN.md §1 "Export": background job with
/// progress and cancel); `done` runs on the GUI thread with the outcome, and
/// `cancelled` instead when the user pressed Cancel before it was done
/// (nothing written: CsvExporter leaves no file, an existing one untouched).
void runCsvExport(QWidget *parent, const ExportRequest &request,
                  const std::function<void(const Result<ExportStats> &)> &done,
                  const std::function<void()> &cancelled);

/// The status line of an export the user cancelled.
QString exportCancelledMessage(const ExportRequest &request);

/// The status line of a finished export: "Exported to PATH: 31 rows
/// exported", or with its unreadable lines ("29 of 31 rows exported, 2 lines
/// unreadable (line 5: …)", ExportStats::summary()).
QString exportedMessage(const ExportRequest &request, const ExportStats &stats);
/// What a person must not miss about a finished export: "CSV export
/// incomplete: PATH: …" when lines of the capture could not be read; "" when
/// the CSV has every line.
QString exportIncompleteMessage(const ExportRequest &request, const ExportStats &stats);

/// Asks where to save `csv` (a CSV made in memory, e.g. a comparison section,
/// suggested as `suggestedName`) and writes it through QSaveFile. Returns the
/// path written, "" when the user cancelled; shows a message box on error,
/// and refuses a path that is one of `madeFrom` (the captures compared: the
/// file dialog's "Replace?" is no reason to lose one).
QString saveCsvAs(QWidget *parent, const QByteArray &csv, const QString &suggestedName,
                  const QStringList &madeFrom);

} // namespace SlotScope
