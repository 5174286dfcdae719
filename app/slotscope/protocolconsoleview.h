#pragma once

#include "sessionlabels.h"

#include <QSortFilterProxyModel>
#include <QWidget>

class QLabel;
class QLineEdit;
class QTableView;

namespace SlotScope {

/// Rows of a ProtocolLogModel whose session, method or summary contains a
/// text (case-insensitive); an empty text passes every row.
class ProtocolFilterProxyModel : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setText(const QString &text);
    QString text() const { return m_text; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_text;
};

/// The Protocol console (DESIGN.md §1: every control frame decoded, with
/// filter and copy): a filter bar ("Filter by session, method or text…",
/// with the shown and total counts), the frame table (Copy: Ctrl+C and the
/// context menu, tab-separated cells of the selected rows), following the
/// newest frame while scrolled to the bottom. Shared by the live window and
/// a capture tab. With no filter the table shows the log model itself (no
/// proxy in a high-rate run's path).
class ProtocolConsoleView : public QWidget
{
    Q_OBJECT
public:
    explicit ProtocolConsoleView(SessionLabels::Provider sessionLabels, QWidget *parent = nullptr);

    /// The ProtocolLogModel to show (not owned).
    void setModel(QAbstractItemModel *log);
    QTableView *table() const { return m_table; }
    void setFilterText(const QString &text);
    /// The rows the filter shows now (all when none is set).
    int shownRows() const;

private:
    void applyFilter(const QString &text);
    void showModel(QAbstractItemModel *model);
    void updateCount();

    QAbstractItemModel *m_log = nullptr;
    ProtocolFilterProxyModel *m_proxy;
    QLineEdit *m_filter;
    QLabel *m_count;
    QTableView *m_table;
};

} // namespace SlotScope
