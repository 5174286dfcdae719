#pragma once

#include "capture/csvexporter.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QRadioButton;

namespace SlotScope {

/// Options of a CSV export (DESIGN.md §1 "Export"): kind, scope (everything,
/// selected rows, a slot range) and spreadsheet-safe cells.
class ExportDialog : public QDialog
{
    Q_OBJECT

public:
    ExportDialog(const QString &capturePath, int selectedRows, QWidget *parent = nullptr);

    ExportRequest request() const;
    bool selectedOnly() const;
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
    QRadioButton *m_selected;
    QRadioButton *m_range;
    QLineEdit *m_fromSlot;
    QLineEdit *m_toSlot;
    QCheckBox *m_spreadsheetSafe;
};

} // namespace SlotScope
