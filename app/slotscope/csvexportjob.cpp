#include "csvexportjob.h"

#include "capture/capturecomparison.h"
#include "capture/outputfile.h"
#include "workbench/backgroundwork.h"

#include <QCoreApplication>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QMessageBox>
#include <QPointer>
#include <QProgressDialog>
#include <QtConcurrent/QtConcurrentRun>

#include <atomic>
#include <memory>

using namespace Qt::StringLiterals;

namespace SlotScope {

void runCsvExport(QWidget *parent, const ExportRequest &request,
                  const std::function<void(const Result<ExportStats> &)> &done,
                  const std::function<void()> &cancelled)
{
    auto *progress = new QProgressDialog(
        QCoreApplication::translate("CsvExport", "Exporting %1 …").arg(QFileInfo(request.csvPath).fileName()),
        QCoreApplication::translate("CsvExport", "Cancel"), 0, 1000, parent);
    progress->setWindowModality(Qt::WindowModal);
    progress->setMinimumDuration(300);
    progress->setValue(0); // starts the 300 ms (a fresh dialog keeps its 4 s default until a value comes)
    auto cancel = std::make_shared<std::atomic_bool>(false);
    QObject::connect(progress, &QProgressDialog::canceled, progress, [cancel] { cancel->store(true); });
    auto *watcher = new QFutureWatcher<Result<ExportStats>>(progress);
    auto over = std::make_shared<bool>(false); // the export ended: no progress shows the dialog again
    QObject::connect(watcher, &QFutureWatcher<Result<ExportStats>>::finished, progress,
                     [watcher, progress, done, cancelled, cancel, over] {
        const Result<ExportStats> result = watcher->result();
        // Gone before `done` opens its message box: a deferred delete does
        // not run in that box's event loop, and the dialog's minimum-duration
        // timer would show "Exporting …" over the message.
        *over = true;
        progress->reset();
        progress->hide();
        progress->deleteLater();
        // A Cancel that came after the last row leaves a whole CSV: that is done.
        if (!result && cancel->load())
            cancelled();
        else
            done(result);
    });
    QPointer<QProgressDialog> guarded = progress;
    watcher->setFuture(QtConcurrent::run(backgroundThreadPool(), [request, cancel, guarded, over] {
        return CsvExporter::exportCsv(request, [guarded, over](qint64 doneBytes, qint64 total) {
            if (total <= 0)
                return;
            const int value = int(1000 * doneBytes / total);
            QMetaObject::invokeMethod(guarded, [guarded, value, over] {
                if (guarded && !*over && !guarded->wasCanceled())
                    guarded->setValue(value);
            });
        }, cancel.get());
    }));
}

QString exportCancelledMessage(const ExportRequest &request)
{
    return QCoreApplication::translate("CsvExport", "Export cancelled: nothing written to %1").arg(request.csvPath);
}

QString exportedMessage(const ExportRequest &request, const ExportStats &stats)
{
    return QCoreApplication::translate("CsvExport", "Exported to %1: %2").arg(request.csvPath, stats.summary());
}

QString exportIncompleteMessage(const ExportRequest &request, const ExportStats &stats)
{
    if (!stats.incomplete())
        return {};
    return QCoreApplication::translate("CsvExport", "CSV export incomplete: %1: %2").arg(request.csvPath, stats.summary());
}

QString saveCsvAs(QWidget *parent, const QByteArray &csv, const QString &suggestedName,
                  const QStringList &madeFrom)
{
    const QString path = QFileDialog::getSaveFileName(parent, QCoreApplication::translate("CsvExport", "Export CSV"),
                                                      suggestedName,
                                                      QCoreApplication::translate("CsvExport", "CSV files (*.csv)"));
    if (path.isEmpty())
        return {};
    if (const QString input = OutputFile::inputAt(path, madeFrom); !input.isEmpty()) {
        QMessageBox::warning(parent, QCoreApplication::translate("CsvExport", "Export CSV"),
                             QCoreApplication::translate("CsvExport", "%1 is a capture this CSV is made from; it was "
                                                                      "not replaced. Choose another file.")
                                 .arg(input));
        return {};
    }
    if (const Result<void> written = writeCsvFile(path, csv); !written) {
        QMessageBox::warning(parent, QCoreApplication::translate("CsvExport", "Export CSV"), written.error().message);
        return {};
    }
    return path;
}

} // namespace SlotScope
