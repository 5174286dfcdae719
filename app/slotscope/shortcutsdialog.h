#pragma once

#include <QDialog>
#include <QKeySequence>

class QMainWindow;
class QLineEdit;
class QTreeWidget;

namespace SlotScope {

/// One keyboard shortcut of the window, as Help ▸ Keyboard Shortcuts lists it.
struct ShortcutEntry
{
    QString group;              ///< the menu's title without '&', or "Other" for actions outside menus
    QString action;             ///< the action's text without '&' and '…'
    QList<QKeySequence> keys;   ///< every shortcut of the action, primary first
};

/// Every action of `window` that has a shortcut, generated from the actions
/// themselves (never a hand-kept list): the menu bar's menus in order (nested
/// menus included), then actions that live outside menus (view actions such as
/// the protocol console's Copy). An action in two menus is listed once, under
/// the first.
QList<ShortcutEntry> collectShortcuts(const QMainWindow *window);

/// Makes the tool tip of every action of `window` that has a shortcut end
/// with the shortcut in the platform's words, e.g. "Continue the advance
/// count of slots (F5)", and keeps it so when the tool tip or the shortcut
/// changes later. Tool tips then never carry a hand-typed shortcut.
void showShortcutsInToolTips(QMainWindow *window);

/// Help ▸ Keyboard Shortcuts: collectShortcuts() in a searchable tree.
class ShortcutsDialog : public QDialog
{
    Q_OBJECT

public:
    explicit ShortcutsDialog(const QMainWindow *window, QWidget *parent = nullptr);

    /// Rows currently shown (after the filter), for tests.
    int visibleRowCount() const;
    void setFilterText(const QString &text);

private:
    void applyFilter();

    QLineEdit *m_filter;
    QTreeWidget *m_tree;
};

} // namespace SlotScope
