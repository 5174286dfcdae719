#include "protocolconsoleview.h"

#include "model/protocollogmodel.h"
#include "tablesetup.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QScrollBar>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace SlotScope {

void ProtocolFilterProxyModel::setText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    invalidateRowsFilter();
}

bool ProtocolFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_text.isEmpty())
        return true;
    for (const int column : {int(ProtocolLogModel::SessionColumn), int(ProtocolLogModel::MethodColumn),
                             int(ProtocolLogModel::SummaryColumn)}) {
        if (sourceModel()->index(sourceRow, column, sourceParent).data().toString().contains(m_text, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

ProtocolConsoleView::ProtocolConsoleView(SessionLabels::Provider sessionLabels, QWidget *parent)
    : QWidget(parent)
    , m_proxy(new ProtocolFilterProxyModel(this))
    , m_filter(new QLineEdit(this))
    , m_count(new QLabel(this))
    , m_table(new QTableView(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *bar = new QHBoxLayout;
    m_filter->setObjectName(u"protocolFilter"_s);
    m_filter->setPlaceholderText(tr("Filter by session, method or text…"));
    m_filter->setClearButtonEnabled(true);
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_count);
    layout->addLayout(bar);
    layout->addWidget(m_table, 1);

    setupDataTable(m_table);
    m_table->setItemDelegateForColumn(ProtocolLogModel::SessionColumn,
                                      new SessionIdDelegate(std::move(sessionLabels), m_table));
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto *copy = new QAction(tr("Copy"), m_table);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetShortcut);
    connect(copy, &QAction::triggered, this, [this] {
        QStringList lines;
        const QAbstractItemModel *shown = m_table->model();
        for (const QModelIndex &rowIndex : m_table->selectionModel()->selectedRows()) {
            QStringList cells;
            for (int column = 0; column < shown->columnCount(); ++column)
                cells << shown->index(rowIndex.row(), column).data().toString();
            lines << cells.join(u'\t');
        }
        QApplication::clipboard()->setText(lines.join(u'\n'));
    });
    m_table->addAction(copy);
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) { applyFilter(text.trimmed()); });
    updateCount();
}

void ProtocolConsoleView::setModel(QAbstractItemModel *log)
{
    if (m_log)
        disconnect(m_log, nullptr, this, nullptr);
    m_log = log;
    m_proxy->setSourceModel(log);
    showModel(m_proxy->text().isEmpty() ? log : static_cast<QAbstractItemModel *>(m_proxy));
    if (log) {
        // Follow the newest frame while the view is at the bottom.
        connect(log, &QAbstractItemModel::rowsInserted, this, [this] {
            const QScrollBar *bar = m_table->verticalScrollBar();
            if (bar->value() >= bar->maximum() - 40)
                m_table->scrollToBottom();
            updateCount();
        });
        connect(log, &QAbstractItemModel::rowsRemoved, this, &ProtocolConsoleView::updateCount);
        connect(log, &QAbstractItemModel::modelReset, this, &ProtocolConsoleView::updateCount);
    }
    updateCount();
}

void ProtocolConsoleView::setFilterText(const QString &text)
{
    m_filter->setText(text);
}

void ProtocolConsoleView::applyFilter(const QString &text)
{
    m_proxy->setText(text);
    QAbstractItemModel *wanted = text.isEmpty() ? m_log : static_cast<QAbstractItemModel *>(m_proxy);
    if (m_table->model() != wanted)
        showModel(wanted);
    updateCount();
}

void ProtocolConsoleView::showModel(QAbstractItemModel *model)
{
    // (A new model gives the header new sections: the widths go with it.)
    const int sessionWidth = m_table->model() ? m_table->columnWidth(ProtocolLogModel::SessionColumn) : 0;
    m_table->setModel(model);
    m_table->setColumnWidth(ProtocolLogModel::SessionColumn,
                            sessionWidth > 0 ? sessionWidth : SessionIdDelegate::fittingWidth(m_table));
}

int ProtocolConsoleView::shownRows() const
{
    return m_table->model() ? m_table->model()->rowCount() : 0;
}

void ProtocolConsoleView::updateCount()
{
    const int total = m_log ? m_log->rowCount() : 0;
    m_count->setText(m_proxy->text().isEmpty() ? tr("%n frame(s)", nullptr, total)
                                               : tr("%1 of %2 frames").arg(shownRows()).arg(total));
}

} // namespace SlotScope
