#include "sessionlabels.h"

#include "model/sessionmodel.h"

#include <QAbstractItemView>
#include <QCoreApplication>
#include <QHelpEvent>
#include <QToolTip>
#include <QTreeView>

namespace SlotScope {

QString sessionNameIn(const SessionModel *sessions, const QString &sessionId)
{
    if (sessionId.isEmpty())
        return {};
    const QModelIndex index = sessions->indexForSession(sessionId);
    return index.isValid() ? index.siblingAtColumn(SessionModel::NameColumn).data().toString() : QString();
}

std::function<QString(const QString &sessionId)> sessionNamesIn(const SessionModel *sessions)
{
    return [sessions](const QString &sessionId) { return sessionNameIn(sessions, sessionId); };
}

void selectSessionRow(QTreeView *view, const SessionModel *sessions, const QString &sessionId)
{
    QModelIndex index = sessions->indexForSession(sessionId);
    if (!index.isValid() && sessionId.isEmpty() && sessions->rowCount() > 0)
        index = sessions->index(sessions->rowCount() - 1, 0); // the run's own row
    if (!index.isValid())
        return;
    view->scrollTo(index);
    view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

QModelIndex selectedSessionRow(const QTreeView *view)
{
    const QModelIndexList rows = view->selectionModel()->selectedRows();
    return rows.isEmpty() ? QModelIndex() : rows.constFirst();
}

QString wholeRunLabel(bool batch, bool lowercase)
{
    if (lowercase)
        return batch ? QCoreApplication::translate("SlotScope::SessionLabels", "batch")
                     : QCoreApplication::translate("SlotScope::SessionLabels", "run");
    return batch ? QCoreApplication::translate("SlotScope::SessionLabels", "Batch")
                 : QCoreApplication::translate("SlotScope::SessionLabels", "Run");
}

SessionIdDelegate::SessionIdDelegate(SessionLabels::Provider provider, QObject *parent)
    : QStyledItemDelegate(parent)
{
    m_labels.setProvider(std::move(provider));
}

int SessionIdDelegate::fittingWidth(const QWidget *view)
{
    // Cell margins and the header's sort arrow: a few average characters.
    return view->fontMetrics().horizontalAdvance(shortSessionId(QString(40, u'0')))
           + 3 * view->fontMetrics().averageCharWidth();
}

QString SessionIdDelegate::displayText(const QVariant &value, const QLocale &) const
{
    const QString sessionId = value.toString();
    return sessionId.isEmpty() ? QString() : m_labels(sessionId);
}

bool SessionIdDelegate::helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
                                  const QModelIndex &index)
{
    if (event->type() == QEvent::ToolTip && index.isValid() && !index.data(Qt::ToolTipRole).isValid()) {
        const QString sessionId = index.data().toString();
        if (!sessionId.isEmpty()) {
            QToolTip::showText(event->globalPos(), sessionId, view, view->visualRect(index));
            return true;
        }
    }
    return QStyledItemDelegate::helpEvent(event, view, option, index);
}

} // namespace SlotScope
