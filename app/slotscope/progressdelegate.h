#pragma once

#include <QStyledItemDelegate>

namespace SlotScope {

/// Draws SessionModel::ProgressRole (0..1) as a progress bar, tinted by the
/// row's state (failed red, completed green).
class ProgressDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace SlotScope
