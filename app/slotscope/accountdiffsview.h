#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QTableView;
class QToolButton;

namespace SlotScope {

class AccountDiffFilterProxyModel;
class AccountDiffModel;

/// The Account diffs view (DESIGN.md §1; issue 12 item 4): per transaction
/// and account, lamports / owner / data length before and after with the
/// deltas, sortable, filterable by account, and linked to the transaction:
/// activating a row emits transactionActivated() (the owner selects that
/// transaction), and showTransaction() narrows the view to one transaction.
/// Export writes the account-diffs CSV of the capture (CsvExporter reads the
/// events file, not this view).
class AccountDiffsView : public QWidget
{
    Q_OBJECT

public:
    explicit AccountDiffsView(QWidget *parent = nullptr);

    void setModel(AccountDiffModel *model);
    AccountDiffFilterProxyModel *proxy() const { return m_proxy; }
    QTableView *table() const { return m_table; }

    /// Shows only `signature`'s diffs ("" = every transaction).
    void showTransaction(const QString &signature);
    /// Shows only the diffs of one sub-session ("" = the whole run), the one
    /// selected in the Sessions tree; said above the table as `label`
    /// (shortSessionId() when empty).
    void showSession(const QString &sessionId, const QString &label = {});
    void setAccountFilter(const QString &text);
    /// Said beside "0 diffs" while there are none (why a live run has none).
    void setEmptyNote(const QString &note);
    /// Export CSV… off while there is no capture to export from.
    void setExportEnabled(bool enabled);

Q_SIGNALS:
    /// A row was activated (double-click / Enter): its transaction.
    void transactionActivated(const QString &signature);
    /// The user asked for the account-diffs CSV.
    void exportRequested();

private:
    void updateCount();

    AccountDiffModel *m_model = nullptr;
    AccountDiffFilterProxyModel *m_proxy;
    QLineEdit *m_accountFilter;
    QToolButton *m_transactionFilter;
    QLabel *m_count;
    QLabel *m_sessionScope;
    QToolButton *m_exportButton;
    QString m_emptyNote;
    QTableView *m_table;
};

} // namespace SlotScope
