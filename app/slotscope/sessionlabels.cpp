#include "sessionlabels.h"

#include "model/sessionmodel.h"

namespace SlotScope {

QString sessionNameIn(const SessionModel *sessions, const QString &sessionId)
{
    if (sessionId.isEmpty())
        return {};
    const QModelIndex index = sessions->indexForSession(sessionId);
    return index.isValid() ? index.siblingAtColumn(SessionModel::NameColumn).data().toString() : QString();
}

} // namespace SlotScope
