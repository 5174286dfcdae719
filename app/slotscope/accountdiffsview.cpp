#include "accountdiffsview.h"

#include "model/accountdiffmodel.h"
#include "sessionlabels.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace SlotScope {

AccountDiffsView::AccountDiffsView(QWidget *parent)
    : QWidget(parent)
    , m_proxy(new AccountDiffFilterProxyModel(this))
    , m_accountFilter(new QLineEdit(this))
    , m_transactionFilter(new QToolButton(this))
    , m_count(new QLabel(this))
    , m_sessionScope(new QLabel(this))
    , m_table(new QTableView(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *bar = new QHBoxLayout;
    m_accountFilter->setPlaceholderText(tr("Filter by account…"));
    m_accountFilter->setClearButtonEnabled(true);
    m_transactionFilter->setCheckable(true);
    m_transactionFilter->setToolTip(tr("Show only the selected transaction's diffs"));
    m_transactionFilter->hide();
    m_exportButton = new QToolButton(this);
    auto *exportButton = m_exportButton;
    exportButton->setText(tr("Export CSV…"));
    exportButton->setToolTip(tr("Export the account diffs of the capture to CSV"));
    bar->addWidget(m_accountFilter, 1);
    bar->addWidget(m_transactionFilter);
    bar->addWidget(m_count);
    bar->addWidget(exportButton);
    layout->addLayout(bar);
    m_sessionScope->setObjectName(u"accountDiffsScope"_s);
    m_sessionScope->setStyleSheet(u"color:#666"_s);
    m_sessionScope->hide();
    layout->addWidget(m_sessionScope);
    layout->addWidget(m_table, 1);

    m_table->setObjectName(u"accountDiffs"_s);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->setVisible(false);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);

    connect(m_accountFilter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_proxy->setAccountFilter(text.trimmed());
        updateCount();
    });
    connect(m_transactionFilter, &QToolButton::toggled, this, [this](bool on) {
        if (!on) {
            m_proxy->setSignatureFilter({});
            m_transactionFilter->hide();
            updateCount();
        }
    });
    connect(m_table, &QAbstractItemView::activated, this, [this](const QModelIndex &index) {
        Q_EMIT transactionActivated(index.data(AccountDiffModel::SignatureRole).toString());
    });
    connect(exportButton, &QToolButton::clicked, this, &AccountDiffsView::exportRequested);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &AccountDiffsView::updateCount);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &AccountDiffsView::updateCount);
    updateCount();
}

void AccountDiffsView::setModel(AccountDiffModel *model)
{
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    m_proxy->setSourceModel(model);
    // The total counts rows a filter hides too: they add no proxy rows.
    if (model) {
        connect(model, &QAbstractItemModel::rowsInserted, this, &AccountDiffsView::updateCount);
        connect(model, &QAbstractItemModel::rowsRemoved, this, &AccountDiffsView::updateCount);
        connect(model, &QAbstractItemModel::modelReset, this, &AccountDiffsView::updateCount);
    }
    m_table->setColumnWidth(AccountDiffModel::SlotColumn, 90);
    m_table->setColumnWidth(AccountDiffModel::SignatureColumn, 180);
    m_table->setColumnWidth(AccountDiffModel::AccountColumn, 180);
    m_table->setColumnWidth(AccountDiffModel::PreOwnerColumn, 150);
    m_table->setColumnWidth(AccountDiffModel::PostOwnerColumn, 150);
    updateCount();
}

void AccountDiffsView::showTransaction(const QString &signature)
{
    m_proxy->setSignatureFilter(signature);
    m_transactionFilter->setVisible(!signature.isEmpty());
    m_transactionFilter->setChecked(!signature.isEmpty());
    m_transactionFilter->setText(signature.isEmpty() ? QString() : tr("Transaction %1… ✕").arg(signature.left(8)));
    updateCount();
}

void AccountDiffsView::showSession(const QString &sessionId, const QString &label)
{
    m_proxy->setSessionFilter(sessionId);
    m_sessionScope->setText(
        tr("Diffs of %1 · select the run for all").arg(label.isEmpty() ? shortSessionId(sessionId) : label));
    m_sessionScope->setToolTip(sessionId);
    m_sessionScope->setVisible(!sessionId.isEmpty());
    updateCount();
}

void AccountDiffsView::setExportEnabled(bool enabled)
{
    m_exportButton->setEnabled(enabled);
}

void AccountDiffsView::setEmptyNote(const QString &note)
{
    m_emptyNote = note;
    updateCount();
}

void AccountDiffsView::setAccountFilter(const QString &text)
{
    m_accountFilter->setText(text);
}

void AccountDiffsView::updateCount()
{
    const int total = m_model ? m_model->rowCount() : 0;
    const int shown = m_proxy->rowCount();
    QString text = shown == total ? tr("%n diff(s)", nullptr, total) : tr("%1 of %2 diffs").arg(shown).arg(total);
    if (total == 0 && !m_emptyNote.isEmpty())
        text += u" · "_s + m_emptyNote;
    // A live run's window: the older ones are in the events file.
    if (const qint64 evicted = m_model ? m_model->evictedCount() : 0; evicted > 0)
        text += tr(" · %n older evicted (in the events file)", nullptr, int(qMin<qint64>(evicted, INT_MAX)));
    m_count->setText(text);
}

} // namespace SlotScope
