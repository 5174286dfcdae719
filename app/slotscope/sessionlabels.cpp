#include "sessionlabels.h"

#include "model/sessionmodel.h"

#include <QCoreApplication>

namespace SlotScope {

QString sessionNameIn(const SessionModel *sessions, const QString &sessionId)
{
    if (sessionId.isEmpty())
        return {};
    const QModelIndex index = sessions->indexForSession(sessionId);
    return index.isValid() ? index.siblingAtColumn(SessionModel::NameColumn).data().toString() : QString();
}

QString wholeRunLabel(bool batch, bool lowercase)
{
    if (lowercase)
        return batch ? QCoreApplication::translate("SlotScope::SessionLabels", "batch")
                     : QCoreApplication::translate("SlotScope::SessionLabels", "run");
    return batch ? QCoreApplication::translate("SlotScope::SessionLabels", "Batch")
                 : QCoreApplication::translate("SlotScope::SessionLabels", "Run");
}

} // namespace SlotScope
