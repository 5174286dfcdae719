#include "model/sessionupdate.h"
#include "protocol/dataplane.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QStringList>

#include <algorithm>

namespace SlotScope {

namespace {

// "4 s", "1.5 s", "250 ms"
QString delayText(qint64 ms)
{
    if (ms < 1000)
        return QCoreApplication::translate("SlotScope::LinkState", "%1 ms").arg(ms);
    if (ms % 1000 == 0)
        return QCoreApplication::translate("SlotScope::LinkState", "%1 s").arg(ms / 1000);
    return QCoreApplication::translate("SlotScope::LinkState", "%1 s")
            .arg(double(ms) / 1000.0, 0, 'f', 1);
}

} // namespace

QString connectionStatusText(ConnectionStatus status)
{
    switch (status) {
    case ConnectionStatus::Up:
        return QCoreApplication::translate("SlotScope::LinkState", "Up");
    case ConnectionStatus::Down:
        return QCoreApplication::translate("SlotScope::LinkState", "Down");
    case ConnectionStatus::Parked:
        return QCoreApplication::translate("SlotScope::LinkState", "Parked");
    case ConnectionStatus::Failed:
        return QCoreApplication::translate("SlotScope::LinkState", "Failed");
    }
    return QString();
}

QString describeLink(const LinkState &link)
{
    if (link.ended && link.status == ConnectionStatus::Down)
        return QCoreApplication::translate("SlotScope::LinkState", "Closed");
    switch (link.status) {
    case ConnectionStatus::Up:
        return connectionStatusText(link.status);
    case ConnectionStatus::Down:
    case ConnectionStatus::Parked: {
        const QString name = connectionStatusText(link.status);
        QStringList details;
        if (link.attempt > 0)
            details << QCoreApplication::translate("SlotScope::LinkState", "attempt %1").arg(link.attempt);
        if (link.retryInMs && link.retryAtMs) {
            // A text that stays on screen: the delay alone would read the same
            // long after the retry was made.
            details << QCoreApplication::translate("SlotScope::LinkState", "retry at %1, a %2 wait")
                               .arg(QDateTime::fromMSecsSinceEpoch(*link.retryAtMs).toString(u"HH:mm:ss"),
                                    delayText(*link.retryInMs));
        } else if (link.retryInMs) {
            details << QCoreApplication::translate("SlotScope::LinkState", "retry in %1")
                               .arg(delayText(*link.retryInMs));
        }
        if (details.isEmpty())
            return name;
        return QCoreApplication::translate("SlotScope::LinkState", "%1 (%2)")
                .arg(name, details.join(QStringLiteral(", ")));
    }
    case ConnectionStatus::Failed:
        if (link.reason.isEmpty())
            return connectionStatusText(link.status);
        return QCoreApplication::translate("SlotScope::LinkState", "Failed: %1").arg(link.reason);
    }
    return QString();
}

QString describeLinkWithReason(const LinkState &link)
{
    const QString text = describeLink(link);
    // (Not "Closed — closed".)
    if (link.reason.isEmpty() || link.status == ConnectionStatus::Failed
        || link.reason.compare(text, Qt::CaseInsensitive) == 0)
        return text;
    return text + QStringLiteral(" — ") + link.reason;
}

QString describeReplayGap(const QString &socket, quint64 firstSlot, quint64 lastSlot, quint64 newestSlot)
{
    const QString range = firstSlot == lastSlot
        ? QCoreApplication::translate("SlotScope::LinkState", "slot %1").arg(firstSlot)
        : QCoreApplication::translate("SlotScope::LinkState", "slots %1–%2").arg(firstSlot).arg(lastSlot);
    return QCoreApplication::translate("SlotScope::LinkState",
                                       "%1: %2 had left the server's %3-slot replay window when it resumed at "
                                       "slot %4; their notifications are missing")
        .arg(socket, range)
        .arg(kServerReplaySlots)
        .arg(newestSlot);
}

QString describeDuration(std::chrono::milliseconds elapsed)
{
    const qint64 secs = std::max<qint64>(0, elapsed.count() / 1000);
    if (secs < 60)
        return QCoreApplication::translate("SlotScope::LinkState", "%1 s").arg(secs);
    if (secs < 3600)
        return QCoreApplication::translate("SlotScope::LinkState", "%1 min %2 s").arg(secs / 60).arg(secs % 60);
    return QCoreApplication::translate("SlotScope::LinkState", "%1 h %2 min").arg(secs / 3600).arg(secs % 3600 / 60);
}

} // namespace SlotScope
