#pragma once

#include <QFontMetrics>
#include <QHeaderView>
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

} // namespace SlotScope
