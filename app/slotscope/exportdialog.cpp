#include "exportdialog.h"

#include "capture/capturewriter.h"
#include "capture/outputfile.h"
#include "csvexportjob.h"
#include "model/accountdiffmodel.h"
#include "model/modelroles.h"
#include "model/transactionmodel.h"
#include "model/transactionfilterproxymodel.h"
#include "sessionlabels.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QItemSelectionModel>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpressionValidator>
#include <QStandardItemModel>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace SlotScope {

ExportDialog::ExportDialog(const QString &capturePath, const ExportScopes &scopes, QWidget *parent)
    : QDialog(parent)
    , m_capturePath(capturePath)
    , m_csvPath(new QLineEdit(this))
    , m_kind(new QComboBox(this))
    , m_all(new QRadioButton(tr("Everything in the capture"), this))
    , m_session(new QRadioButton(scopes.sessionId.isEmpty() ? tr("One sub-session (select it in Sessions)")
                                                             : tr("Sub-session %1").arg(scopes.sessionLabel),
                                 this))
    , m_filtered(new QRadioButton(scopes.diffRows ? (scopes.filteredRows < 0
                                                         ? tr("Diffs the panel's filter shows (no filter set)")
                                                         : tr("Diffs the panel's filter shows (%n)", nullptr,
                                                              scopes.filteredRows))
                                                  : (scopes.filteredRows < 0
                                                         ? tr("Rows the filter shows (no filter set)")
                                                         : tr("Rows the filter shows (%n)", nullptr, scopes.filteredRows)),
                                  this))
    , m_selected(new QRadioButton(scopes.diffRows ? tr("Selected diffs (%n)", nullptr, scopes.selectedRows)
                                                  : tr("Selected rows (%n)", nullptr, scopes.selectedRows),
                                  this))
    , m_range(new QRadioButton(tr("Slot range"), this))
    , m_fromSlot(new QLineEdit(this))
    , m_toSlot(new QLineEdit(this))
    , m_spreadsheetSafe(new QCheckBox(tr("Spreadsheet-safe cells (prefix = + - @ with ')"), this))
    , m_scopes(scopes)
{
    setWindowTitle(tr("Export CSV"));
    const QFileInfo capture(capturePath);
    m_csvPath->setObjectName(u"csvPath"_s);
    m_csvPath->setText(capture.absolutePath() + u'/' + capture.completeBaseName() + u".csv"_s);
    m_kind->addItem(tr("Transactions"), int(ExportRequest::Kind::Transactions));
    m_kind->addItem(tr("Account diffs"), int(ExportRequest::Kind::AccountDiffs));
    m_kind->addItem(tr("Control events"), int(ExportRequest::Kind::Events));
    // Control events come from NAME.events.ndjson alone (a `sim run` capture
    // has none): not offered to fail.
    if (!QFileInfo::exists(CaptureWriter::eventsPathFor(capturePath))) {
        if (auto *kinds = qobject_cast<QStandardItemModel *>(m_kind->model())) {
            QStandardItem *events = kinds->item(m_kind->findData(int(ExportRequest::Kind::Events)));
            events->setEnabled(false);
            events->setToolTip(tr("No events file beside the capture"));
        }
    }
    // What the table shows now is what an export most likely wants: its
    // sub-session when it is narrowed to one.
    (scopes.sessionId.isEmpty() ? m_all : m_session)->setChecked(true);
    m_range->setObjectName(u"slotRangeScope"_s);
    m_fromSlot->setObjectName(u"fromSlot"_s);
    m_toSlot->setObjectName(u"toSlot"_s);
    m_session->setObjectName(u"subSessionScope"_s);
    m_filtered->setObjectName(u"filteredScope"_s);
    m_selected->setObjectName(u"selectedScope"_s);
    m_session->setToolTip(tr("Every row of the sub-session in the capture, also those no longer in the table"));
    m_filtered->setToolTip(tr("The transactions the table shows now (rows evicted from a long run's table are not "
                              "among them)"));
    connect(m_kind, &QComboBox::currentIndexChanged, this, &ExportDialog::updateScopes);
    updateScopes();
    auto *slotValidator = new QRegularExpressionValidator(QRegularExpression(u"\\d{1,19}"_s), this);
    m_fromSlot->setValidator(slotValidator);
    m_toSlot->setValidator(slotValidator);
    m_fromSlot->setPlaceholderText(tr("first"));
    m_toSlot->setPlaceholderText(tr("last"));
    // A slot typed is a range wanted: never ignored because its button was not pressed.
    for (QLineEdit *slot : {m_fromSlot, m_toSlot})
        connect(slot, &QLineEdit::textEdited, m_range, [this] { m_range->setChecked(true); });

    auto *pathRow = new QHBoxLayout;
    pathRow->addWidget(m_csvPath, 1);
    auto *browse = new QToolButton(this);
    browse->setText(u"…"_s);
    pathRow->addWidget(browse);
    connect(browse, &QToolButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export CSV"), m_csvPath->text(), tr("CSV (*.csv)"));
        if (!path.isEmpty()) {
            m_csvPath->setText(path);
            m_replaceConfirmed = path; // the dialog asked before a replace
        }
    });
    auto *rangeRow = new QHBoxLayout;
    rangeRow->addWidget(m_range);
    rangeRow->addWidget(m_fromSlot);
    rangeRow->addWidget(m_toSlot);

    auto *form = new QFormLayout;
    auto *fileLabel = new QLabel(tr("&File:"), this);
    fileLabel->setBuddy(m_csvPath);
    form->addRow(fileLabel, pathRow);
    form->addRow(tr("&Kind:"), m_kind);
    auto *scope = new QVBoxLayout;
    scope->addWidget(m_all);
    scope->addWidget(m_session);
    scope->addWidget(m_filtered);
    scope->addWidget(m_selected);
    scope->addLayout(rangeRow);
    form->addRow(tr("Scope:"), scope);
    form->addRow(QString(), m_spreadsheetSafe);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Export"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
}

void ExportDialog::updateScopes()
{
    // Control events belong to no transaction: rows of the table do not pick
    // any; rows of the Account diffs panel pick diffs only.
    const auto kind = ExportRequest::Kind(m_kind->currentData().toInt());
    const bool byRows = m_scopes.diffRows ? kind == ExportRequest::Kind::AccountDiffs
                                          : kind != ExportRequest::Kind::Events;
    m_session->setEnabled(!m_scopes.sessionId.isEmpty());
    m_filtered->setEnabled(byRows && m_scopes.filteredRows > 0);
    m_selected->setEnabled(byRows && m_scopes.selectedRows > 0);
    for (QRadioButton *scope : {m_session, m_filtered, m_selected}) {
        if (scope->isChecked() && !scope->isEnabled())
            m_all->setChecked(true);
    }
}

ExportDialog::Scope ExportDialog::scope() const
{
    if (m_session->isChecked())
        return Scope::SubSession;
    if (m_filtered->isChecked())
        return Scope::Filtered;
    if (m_selected->isChecked())
        return Scope::Selected;
    if (m_range->isChecked())
        return Scope::SlotRange;
    return Scope::Everything;
}

ExportRequest ExportDialog::request() const
{
    ExportRequest request;
    request.capturePath = m_capturePath;
    // A bare name goes beside the capture, not into the folder the app was
    // started from, which the user cannot see.
    const QString typed = m_csvPath->text().trimmed();
    request.csvPath = typed.isEmpty() || QFileInfo(typed).isAbsolute()
                          ? typed
                          : QFileInfo(m_capturePath).absoluteDir().absoluteFilePath(typed);
    request.kind = ExportRequest::Kind(m_kind->currentData().toInt());
    request.spreadsheetSafe = m_spreadsheetSafe->isChecked();
    if (m_session->isChecked())
        request.sessionId = m_scopes.sessionId;
    if (m_range->isChecked()) {
        if (!m_fromSlot->text().isEmpty())
            request.fromSlot = m_fromSlot->text().toULongLong();
        if (!m_toSlot->text().isEmpty())
            request.toSlot = m_toSlot->text().toULongLong();
    }
    return request;
}

void ExportDialog::accept()
{
    if (const ExportRequest wanted = request(); wanted.fromSlot && wanted.toSlot && *wanted.fromSlot > *wanted.toSlot) {
        QMessageBox::information(this, tr("Export CSV"),
                                 tr("The last slot (%L1) is before the first (%L2).")
                                     .arg(*wanted.toSlot)
                                     .arg(*wanted.fromSlot));
        m_toSlot->setFocus(Qt::OtherFocusReason);
        return;
    }
    const QString path = request().csvPath;
    if (path.isEmpty()) {
        QMessageBox::information(this, tr("Export CSV"), tr("Name the CSV file to write."));
        m_csvPath->setFocus(Qt::OtherFocusReason);
        return;
    }
    // The file dialog may have asked "Replace?" already: still no reason to
    // lose the run's capture to a table made from it.
    if (const QString input = OutputFile::inputAt(path, {m_capturePath, CaptureWriter::eventsPathFor(m_capturePath)});
        !input.isEmpty()) {
        QMessageBox::warning(this, tr("Export CSV"),
                             tr("%1 belongs to the capture this CSV is made from. Choose another file.").arg(input));
        m_csvPath->setFocus(Qt::OtherFocusReason);
        return;
    }
    // A folder, a missing or read-only folder, a file that cannot be
    // replaced: said here, with the choices still open, not after the dialog
    // closed.
    if (const Result<void> creatable = OutputFile::checkCanCreate(path); !creatable) {
        QMessageBox::warning(this, tr("Export CSV"), tr("Cannot write %1: %2").arg(path, creatable.error().message));
        m_csvPath->setFocus(Qt::OtherFocusReason);
        return;
    }
    if (path != m_replaceConfirmed && QFileInfo(path).isFile()
        && QMessageBox::question(this, tr("Export CSV"), tr("%1 already exists. Replace it?").arg(path))
               != QMessageBox::Yes)
        return;
    QDialog::accept();
}

void ExportDialog::setKind(ExportRequest::Kind kind)
{
    m_kind->setCurrentIndex(m_kind->findData(int(kind)));
}

ExportScopes exportScopesOf(const ExportOrigin &origin)
{
    ExportScopes scopes;
    TransactionFilter filter = origin.table->filter();
    scopes.sessionId = filter.sessionId;
    scopes.sessionLabel = shortSessionId(filter.sessionId);
    if (origin.diffs) {
        scopes.sessionId = origin.diffs->sessionFilter();
        scopes.sessionLabel = shortSessionId(scopes.sessionId);
        scopes.diffRows = true;
        scopes.selectedRows = origin.diffSelection ? int(origin.diffSelection->selectedRows().size()) : 0;
        scopes.filteredRows = origin.diffs->isFiltering() ? origin.diffs->rowCount() : -1;
        return scopes;
    }
    scopes.selectedRows = origin.tableSelection ? int(origin.tableSelection->selectedRows().size()) : 0;
    filter.sessionId.clear();
    scopes.filteredRows = filter.isEmpty() ? -1 : origin.table->rowCount();
    return scopes;
}

void applyScope(ExportRequest &request, ExportDialog::Scope scope, const ExportOrigin &origin)
{
    if (scope != ExportDialog::Scope::Selected && scope != ExportDialog::Scope::Filtered)
        return;
    if (origin.diffs) {
        if (scope == ExportDialog::Scope::Filtered) {
            // The rows the panel shows: of its sub-session too.
            if (const QString sessionId = origin.diffs->sessionFilter(); !sessionId.isEmpty())
                request.sessionId = sessionId;
            if (const QString account = origin.diffs->accountFilter(); !account.isEmpty())
                request.accountFilter = account;
            if (const QString signature = origin.diffs->signatureFilter(); !signature.isEmpty())
                request.signatures = QSet<QString>{signature};
        } else if (origin.diffSelection) {
            QSet<QString> keys;
            for (const QModelIndex &index : origin.diffSelection->selectedRows()) {
                const QVariant slot = index.siblingAtColumn(AccountDiffModel::SlotColumn).data(RawValueRole);
                keys.insert(accountDiffKey(slot.isValid() ? std::optional<quint64>(slot.toULongLong()) : std::nullopt,
                                           index.data(AccountDiffModel::SignatureRole).toString(),
                                           index.data(AccountDiffModel::AccountRole).toString()));
            }
            request.accountDiffKeys = std::move(keys);
        }
        return;
    }
    QSet<QString> signatures;
    if (scope == ExportDialog::Scope::Selected) {
        if (origin.tableSelection) {
            for (const QModelIndex &index : origin.tableSelection->selectedRows())
                signatures.insert(index.data(TransactionModel::SignatureRole).toString());
        }
    } else {
        const int rows = origin.table->rowCount();
        signatures.reserve(rows);
        for (int row = 0; row < rows; ++row)
            signatures.insert(origin.table->index(row, 0).data(TransactionModel::SignatureRole).toString());
    }
    request.signatures = std::move(signatures);
}

void exportCsvFrom(QWidget *parent, const QString &capturePath, ExportRequest::Kind kind, const ExportOrigin &origin,
                   const std::function<void(const ExportRequest &, const Result<ExportStats> &)> &done,
                   const std::function<void(const ExportRequest &)> &cancelled)
{
    ExportDialog dialog(capturePath, exportScopesOf(origin), parent);
    dialog.setKind(kind);
    if (dialog.exec() != QDialog::Accepted)
        return;
    ExportRequest request = dialog.request();
    applyScope(request, dialog.scope(), origin);
    runCsvExport(parent, request, [request, done](const Result<ExportStats> &result) { done(request, result); },
                 [request, cancelled] { cancelled(request); });
}

} // namespace SlotScope
