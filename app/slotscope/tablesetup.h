#pragma once

#include "model/modelroles.h"

#include <QFontMetrics>
#include <QHeaderView>
#include <QSortFilterProxyModel>
#include <QTableView>

namespace SlotScope {

/// The look of every data table in the window: whole-row selection, fixed
/// row height and no ResizeToContents (STYLE.md "Models for high-rate
/// streams"), interactive columns with the last one stretched.
inline void setupDataTable(QTableView *view)
{
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    view->verticalHeader()->setVisible(false);
    view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    view->horizontalHeader()->setStretchLastSection(true);
}

/// Shows `model` in `view` through a sorting proxy (owned by `view`): rows in
/// the model's own order until a header click sorts by that column's
/// RawValueRole (numbers as numbers). Returns the proxy, to map selected rows
/// back to the model or to filter.
inline QSortFilterProxyModel *showSortable(QTableView *view, QAbstractItemModel *model)
{
    auto *proxy = new QSortFilterProxyModel(view);
    proxy->setSourceModel(model);
    proxy->setSortRole(RawValueRole);
    view->setModel(proxy);
    view->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    view->setSortingEnabled(true);
    return proxy;
}

} // namespace SlotScope
