#pragma once

#include "capture/csvexporter.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QItemSelectionModel;
class QLineEdit;
class QRadioButton;

namespace SlotScope {

class TransactionFilterProxyModel;

/// What the table the export starts from offers as a scope besides the
/// whole capture and a slot range.
struct ExportScopes
{
    int selectedRows = 0;
    int filteredRows = -1;  ///< rows the table's filter bar lets through; -1: no filter set
    QString sessionId;      ///< the sub-session the table is narrowed to; "" none
    QString sessionLabel;   ///< its name as the Sessions tree shows it
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

/// The scopes a transaction table offers: its selection, what its filter bar
/// lets through (a narrowing to one sub-session is that scope, not a filter).
ExportScopes exportScopesOf(const TransactionFilterProxyModel *table, const QItemSelectionModel *selection);
/// Completes `request` for the scope the dialog chose: the signatures of the
/// rows the table's filter shows, or of its selected rows.
void applyTableScope(ExportRequest &request, ExportDialog::Scope scope, const TransactionFilterProxyModel *table,
                     const QItemSelectionModel *selection);

} // namespace SlotScope
