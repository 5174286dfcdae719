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

private:
    QString m_capturePath;
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
