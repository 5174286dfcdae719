#pragma once

#include "capture/csvexporter.h"

#include <QDialog>

#include <functional>

class QCheckBox;
class QComboBox;
class QItemSelectionModel;
class QLineEdit;
class QRadioButton;

namespace SlotScope {

class AccountDiffFilterProxyModel;
class TransactionFilterProxyModel;

/// What the table the export starts from offers as a scope besides the
/// whole capture and a slot range.
struct ExportScopes
{
    int selectedRows = 0;
    int filteredRows = -1;  ///< rows the table's filter bar lets through; -1: no filter set
    QString sessionId;      ///< the sub-session the table is narrowed to; "" none
    QString sessionLabel;   ///< its name as the Sessions tree shows it
    /// The filtered and selected rows are account diffs (the Account diffs
    /// panel's Export), not transactions: those scopes apply to that kind only.
    bool diffRows = false;
};

/// Where an export starts: the transaction table (its filter, its narrowing
/// to a sub-session, its selection) and, for the Account diffs panel's
/// Export, that panel's filter and selection, whose rows the Filtered and
/// Selected scopes then mean.
struct ExportOrigin
{
    const TransactionFilterProxyModel *table = nullptr;
    const QItemSelectionModel *tableSelection = nullptr;
    const AccountDiffFilterProxyModel *diffs = nullptr; ///< set: started from the Account diffs panel
    const QItemSelectionModel *diffSelection = nullptr;
};

/// Options of a CSV export (DESIGN.md §1 "Export"): kind, scope (everything,
/// one sub-session, the rows the filter shows, the selected rows, a slot
/// range) and spreadsheet-safe cells. A path typed without a folder is taken
/// beside the capture; an empty one is refused.
class ExportDialog : public QDialog
{
    Q_OBJECT

public:
    enum class Scope { Everything, SubSession, Filtered, Selected, SlotRange };

    ExportDialog(const QString &capturePath, const ExportScopes &scopes, QWidget *parent = nullptr);

    /// The request for the chosen scope, but for the signatures of the
    /// Filtered and Selected scopes, which the caller holds.
    ExportRequest request() const;
    Scope scope() const;
    /// Preselects what to export (e.g. account diffs from the Account diffs view).
    void setKind(ExportRequest::Kind kind);

    /// Closes with Export, after asking whether to replace the CSV file when
    /// one exists at the path (unless the file dialog already asked).
    void accept() override;

private:
    QString m_capturePath;
    QString m_replaceConfirmed; ///< the path the file dialog asked about
    QLineEdit *m_csvPath;
    QComboBox *m_kind;
    QRadioButton *m_all;
    QRadioButton *m_session;
    QRadioButton *m_filtered;
    QRadioButton *m_selected;
    QRadioButton *m_range;
    QLineEdit *m_fromSlot;
    QLineEdit *m_toSlot;
    QCheckBox *m_spreadsheetSafe;
    ExportScopes m_scopes;
    void updateScopes();
};

/// The scopes an export's origin offers: the selection and what the filter
/// lets through of the transaction table or, from the Account diffs panel,
/// of that panel; the table's narrowing to one sub-session is the
/// sub-session scope, not a filter.
ExportScopes exportScopesOf(const ExportOrigin &origin);
/// Completes `request` for the scope the dialog chose: the signatures of the
/// rows the table's filter shows or of its selected rows; from the Account
/// diffs panel, its account and transaction filter or its selected diffs.
void applyScope(ExportRequest &request, ExportDialog::Scope scope, const ExportOrigin &origin);
/// Asks for the options (ExportDialog, `kind` preselected) and runs the
/// export (runCsvExport) from `origin`; `done` / `cancelled` as there.
/// Nothing happens when the dialog is cancelled.
void exportCsvFrom(QWidget *parent, const QString &capturePath, ExportRequest::Kind kind, const ExportOrigin &origin,
                   const std::function<void(const ExportRequest &, const Result<ExportStats> &)> &done,
                   const std::function<void(const ExportRequest &)> &cancelled);

} // namespace SlotScope
