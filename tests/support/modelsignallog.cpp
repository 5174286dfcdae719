#include "support/modelsignallog.h"

namespace SlotScope::Testing {

ModelSignalLog::ModelSignalLog(QAbstractItemModel *model)
    : ModelSignalLog(model, Options{})
{
}

ModelSignalLog::ModelSignalLog(QAbstractItemModel *model, Options options)
    : m_options(std::move(options))
{
    connect(model, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &parent, int first, int last) {
        events << QStringLiteral("insert %1%2,%3").arg(where(parent)).arg(first).arg(last);
    });
    connect(model, &QAbstractItemModel::rowsRemoved, this, [this](const QModelIndex &parent, int first, int last) {
        events << QStringLiteral("remove %1%2,%3").arg(where(parent)).arg(first).arg(last);
    });
    connect(model, &QAbstractItemModel::modelReset, this, [this] { events << QStringLiteral("reset"); });
    if (m_options.layout)
        connect(model, &QAbstractItemModel::layoutChanged, this, [this] { events << QStringLiteral("layout"); });
    if (!m_options.dataChanged)
        return;
    connect(model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles) {
                QStringList names;
                for (int r : roles)
                    names << role(r);
                events << QStringLiteral("changed %1%2-%3 c%4-%5 %6")
                              .arg(where(topLeft.parent()))
                              .arg(topLeft.row())
                              .arg(bottomRight.row())
                              .arg(topLeft.column())
                              .arg(bottomRight.column())
                              .arg(names.join(QLatin1Char(',')));
            });
}

QStringList ModelSignalLog::take()
{
    return std::exchange(events, {});
}

QString ModelSignalLog::where(const QModelIndex &parent) const
{
    if (!m_options.parents)
        return {};
    return (parent.isValid() ? QString::number(parent.row()) : QStringLiteral("root")) + QLatin1Char(' ');
}

QString ModelSignalLog::role(int role) const
{
    return m_options.roleName ? m_options.roleName(role) : QString::number(role);
}

} // namespace SlotScope::Testing
