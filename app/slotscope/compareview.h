#pragma once

#include "capture/capturecomparison.h"

#include <QWidget>

#include <atomic>
#include <memory>

class QLabel;
class QModelIndex;
class QProgressBar;
class QPushButton;
class QSplitter;
class QTabWidget;
class QTableView;

namespace SlotScope {

class TransactionDetailView;

/// Baseline against experiment (issue 12 item 2; `sim compare` in the
/// window): compares the two captures in the background (progress, Cancel),
/// then shows the summary and one sortable table per section — regressions,
/// improvements, error changes, fee and compute-unit deltas, SOL and token
/// balance deltas per account, fee payers, transactions on one side only —
/// each with its CSV export. Selecting a transaction row shows its detail on
/// both sides, baseline left and experiment right.
class CompareView : public QWidget
{
    Q_OBJECT

public:
    CompareView(const QString &baselinePath, const QString &experimentPath, QWidget *parent = nullptr);
    ~CompareView() override;

    QString title() const;
    QString baselinePath() const { return m_baselinePath; }
    QString experimentPath() const { return m_experimentPath; }
    /// The comparison once done (nullptr before, or when it failed).
    const ComparisonResult *result() const { return m_result.get(); }
    QString errorString() const { return m_error; }
    QTabWidget *sections() const { return m_tabs; }
    /// The table of `section` (nullptr before the comparison is done).
    QTableView *table(ComparisonSection section) const;
    TransactionDetailView *baselineDetail() const { return m_baselineDetail; }
    TransactionDetailView *experimentDetail() const { return m_experimentDetail; }

Q_SIGNALS:
    void finished();
    void statusMessage(const QString &message);

private:
    void onDone(const Result<ComparisonResult> &result);
    void showRow(const QModelIndex &index);
    void exportSection(ComparisonSection section);
    void exportAll();

    QString m_baselinePath;
    QString m_experimentPath;
    std::shared_ptr<const ComparisonResult> m_result;
    QString m_error;
    std::shared_ptr<std::atomic_bool> m_cancel;
    QLabel *m_header;
    QWidget *m_progressRow;
    QProgressBar *m_progress;
    QPushButton *m_cancelButton;
    QSplitter *m_splitter;
    QTabWidget *m_tabs;
    QList<std::pair<ComparisonSection, QTableView *>> m_tables;
    TransactionDetailView *m_baselineDetail;
    TransactionDetailView *m_experimentDetail;
};

} // namespace SlotScope
