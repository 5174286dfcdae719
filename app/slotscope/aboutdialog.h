#pragma once

#include <QDialog>

namespace SlotScope {

/// Help ▸ About SlotScope: version, build, the Qt it runs on, the licence and
/// where the settings file and the captures are (DESIGN.md §1; issue 13).
class AboutDialog : public QDialog
{
    Q_OBJECT

public:
    explicit AboutDialog(QWidget *parent = nullptr);

    /// The dialog's facts as "label: value" lines (what "Copy" puts on the clipboard).
    QString plainText() const;

private:
    QList<std::pair<QString, QString>> m_facts;
};

} // namespace SlotScope
