#include "shortcutsdialog.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QHeaderView>
#include <QLineEdit>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QSet>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace SlotScope {

namespace {

QString plainText(QString text)
{
    // "&New Run…" → "New Run"; "&&" stays a literal ampersand.
    text.replace(u"&&"_s, u"\x01"_s);
    text.remove(u'&');
    text.replace(u'\x01', u'&');
    if (text.endsWith(u'…'))
        text.chop(1);
    if (text.endsWith(u"..."_s))
        text.chop(3);
    return text.trimmed();
}

void collectMenu(const QMenu *menu, const QString &group, QList<ShortcutEntry> &entries, QSet<const QAction *> &seen)
{
    const QList<QAction *> actions = menu->actions();
    for (const QAction *action : actions) {
        if (action->isSeparator() || seen.contains(action))
            continue;
        seen.insert(action);
        if (const QMenu *sub = action->menu()) {
            collectMenu(sub, group + u" ▸ "_s + plainText(sub->title()), entries, seen);
            continue;
        }
        if (!action->shortcuts().isEmpty())
            entries.append({group, plainText(action->text()), action->shortcuts()});
    }
}

constexpr auto HookedProperty = "_slotscope_shortcutToolTip";

void appendShortcut(QAction *action)
{
    if (action->shortcut().isEmpty())
        return;
    const QString keys = action->shortcut().toString(QKeySequence::NativeText);
    const QString tip = action->toolTip();
    if (tip.contains(keys))
        return;
    // Setting the tool tip emits changed() again; the check above ends it.
    action->setToolTip(ShortcutsDialog::tr("%1 (%2)", "tool tip (shortcut)").arg(tip, keys));
}

} // namespace

QList<ShortcutEntry> collectShortcuts(const QMainWindow *window)
{
    QList<ShortcutEntry> entries;
    QSet<const QAction *> seen;
    const QList<QAction *> menus = window->menuBar()->actions();
    for (const QAction *menuAction : menus) {
        if (const QMenu *menu = menuAction->menu())
            collectMenu(menu, plainText(menu->title()), entries, seen);
    }
    const QList<QAction *> all = window->findChildren<QAction *>();
    for (const QAction *action : all) {
        if (seen.contains(action) || action->shortcuts().isEmpty() || action->menu())
            continue;
        seen.insert(action);
        // Name where it works: the dock (or window) of the widget that holds it.
        QString where;
        const QList<QObject *> holders = action->associatedObjects();
        for (const QObject *holder : holders) {
            for (auto *widget = qobject_cast<const QWidget *>(holder); widget && where.isEmpty();
                 widget = widget->parentWidget()) {
                if (qobject_cast<const QDockWidget *>(widget))
                    where = widget->windowTitle();
            }
        }
        const QString text = where.isEmpty() ? plainText(action->text())
                                              : ShortcutsDialog::tr("%1 (in %2)", "action (where it works)")
                                                    .arg(plainText(action->text()), plainText(where));
        entries.append({ShortcutsDialog::tr("Other"), text, action->shortcuts()});
    }
    return entries;
}

void showShortcutsInToolTips(QMainWindow *window)
{
    const QList<QAction *> actions = window->findChildren<QAction *>();
    for (QAction *action : actions) {
        if (action->property(HookedProperty).toBool())
            continue;
        action->setProperty(HookedProperty, true);
        QObject::connect(action, &QAction::changed, action, [action] { appendShortcut(action); });
        appendShortcut(action);
    }
}

ShortcutsDialog::ShortcutsDialog(const QMainWindow *window, QWidget *parent)
    : QDialog(parent)
    , m_filter(new QLineEdit(this))
    , m_tree(new QTreeWidget(this))
{
    setWindowTitle(tr("Keyboard Shortcuts"));
    m_filter->setPlaceholderText(tr("Search actions and keys…"));
    m_filter->setClearButtonEnabled(true);
    m_tree->setColumnCount(2);
    m_tree->setHeaderLabels({tr("Action"), tr("Shortcut")});
    m_tree->setRootIsDecorated(false);
    m_tree->setAlternatingRowColors(true);
    m_tree->setSelectionMode(QAbstractItemView::NoSelection);
    m_tree->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_tree->header()->setStretchLastSection(false);

    QTreeWidgetItem *groupItem = nullptr;
    const QList<ShortcutEntry> entries = collectShortcuts(window);
    for (const ShortcutEntry &entry : entries) {
        if (!groupItem || groupItem->text(0) != entry.group) {
            groupItem = new QTreeWidgetItem(m_tree, {entry.group});
            QFont bold = groupItem->font(0);
            bold.setBold(true);
            groupItem->setFont(0, bold);
            groupItem->setFirstColumnSpanned(true);
            groupItem->setExpanded(true);
        }
        QStringList keys;
        for (const QKeySequence &key : entry.keys)
            keys << key.toString(QKeySequence::NativeText);
        new QTreeWidgetItem(groupItem, {entry.action, keys.join(tr(", ", "between two shortcuts"))});
    }
    m_tree->expandAll();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_filter, &QLineEdit::textChanged, this, &ShortcutsDialog::applyFilter);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_filter);
    layout->addWidget(m_tree, 1);
    layout->addWidget(buttons);
    resize(520, 560);
}

void ShortcutsDialog::setFilterText(const QString &text)
{
    m_filter->setText(text);
}

int ShortcutsDialog::visibleRowCount() const
{
    int rows = 0;
    for (int g = 0; g < m_tree->topLevelItemCount(); ++g) {
        const QTreeWidgetItem *group = m_tree->topLevelItem(g);
        for (int i = 0; i < group->childCount(); ++i)
            rows += group->child(i)->isHidden() ? 0 : 1;
    }
    return rows;
}

void ShortcutsDialog::applyFilter()
{
    const QString needle = m_filter->text().trimmed();
    for (int g = 0; g < m_tree->topLevelItemCount(); ++g) {
        QTreeWidgetItem *group = m_tree->topLevelItem(g);
        bool any = false;
        for (int i = 0; i < group->childCount(); ++i) {
            QTreeWidgetItem *item = group->child(i);
            const bool match = needle.isEmpty() || item->text(0).contains(needle, Qt::CaseInsensitive)
                               || item->text(1).contains(needle, Qt::CaseInsensitive)
                               || group->text(0).contains(needle, Qt::CaseInsensitive);
            item->setHidden(!match);
            any = any || match;
        }
        group->setHidden(!any);
    }
}

} // namespace SlotScope
