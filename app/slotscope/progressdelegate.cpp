#include "progressdelegate.h"

#include "model/sessionmodel.h"
#include "model/sessionstate.h"

#include <QApplication>
#include <QPainter>
#include <QStyleOptionProgressBar>

namespace SlotScope {

void ProgressDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QVariant progress = index.data(SessionModel::ProgressRole);
    if (!progress.isValid()) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    if (option.state & QStyle::State_Selected)
        painter->fillRect(option.rect, option.palette.highlight());

    QStyleOptionProgressBar bar;
    bar.rect = option.rect.adjusted(2, 2, -2, -2);
    bar.minimum = 0;
    bar.maximum = 1000;
    bar.progress = int(qBound(0.0, progress.toDouble(), 1.0) * 1000);
    bar.text = index.data(Qt::DisplayRole).toString();
    bar.textVisible = true;
    bar.textAlignment = Qt::AlignCenter;
    bar.state = option.state | QStyle::State_Horizontal;
    const auto state = SessionState(index.data(SessionModel::StateRole).toInt());
    if (state == SessionState::Failed)
        bar.palette.setColor(QPalette::Highlight, QColor(0xc6, 0x28, 0x28));
    else if (state == SessionState::Completed)
        bar.palette.setColor(QPalette::Highlight, QColor(0x2e, 0x7d, 0x32));
    QApplication::style()->drawControl(QStyle::CE_ProgressBar, &bar, painter);
}

} // namespace SlotScope
