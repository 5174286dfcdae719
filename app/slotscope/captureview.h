#pragma once

#include "sessionlabels.h"

#include <QDateTime>
#include <QWidget>

class QComboBox;
class QFileSystemWatcher;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QTableView;
class QTreeView;

namespace SlotScope {

class AccountDiffsView;
class CaptureDocument;
class CoordinatorPanel;
class ProtocolConsoleView;
class TransactionDetailView;
class TransactionFilterProxyModel;

/// One capture opened offline (issue 12 item 1), shown as a tab beside the
/// live run: a header naming the file and what it holds (clearly an offline
/// capture), indexing progress with Cancel, a banner for damaged lines, the
/// transaction table with its filter bar, and below it the detail pane,
/// account diffs, sessions, discovery batches, connections timeline, protocol
/// console and the reader's warnings — all rebuilt from the files.
///
/// Owns its CaptureDocument and starts indexing at once.
class CaptureView : public QWidget
{
    Q_OBJECT

public:
    explicit CaptureView(const QString &path, QWidget *parent = nullptr);
    ~CaptureView() override;

    CaptureDocument *document() const { return m_document; }
    QString path() const;
    /// "run.ndjson" — the tab's title.
    QString title() const;
    QTableView *transactionView() const { return m_transactionView; }
    TransactionDetailView *detailView() const { return m_detail; }
    AccountDiffsView *accountDiffsView() const { return m_accountDiffs; }
    /// The recorded reconnect coordinator of a parallel batch: created with
    /// its tab at the capture's first `coordinator` event, null before.
    CoordinatorPanel *coordinatorPanel() const { return m_coordinator; }
    QTabWidget *lowerTabs() const { return m_lower; }
    /// The live run of this window is still writing the capture: its header
    /// says so rather than "cut short" for the summary line not there yet.
    void setBeingWritten(bool writing);
    /// Header / status texts (tests).
    QString headerText() const;
    QString problemsText() const;

    /// Selects the row of `signature` and shows its detail; false when absent.
    bool selectTransaction(const QString &signature);
    /// The capture or its events file changed on disk since it was read (a
    /// run still writing it, or a new run over it): the banner says so and
    /// offers Reload (DocumentArea::reloadCapture()). Watched from the end of
    /// indexing on.
    bool isStale() const { return m_stale; }
    QString staleText() const;

Q_SIGNALS:
    /// Indexing finished (or was cancelled / failed).
    void finished();
    void statusMessage(const QString &message);
    /// The user asked to read the capture again (the stale banner's Reload).
    void reloadRequested();

private:
    void onOpened();
    void onProgress();
    void onFinished();
    void showCurrentTransaction();
    void exportCsv(bool accountDiffs);
    void updateHeader();
    void showCoordinator();
    /// Compares the files with what was read; shows the stale banner.
    void checkStale();
    /// How the batch views name a session here: its name in this capture's Sessions.
    SessionLabels::Provider sessionLabel() const;

    CaptureDocument *m_document;
    TransactionFilterProxyModel *m_filter;
    QLabel *m_header;
    QLabel *m_problems;
    QWidget *m_progressBar;
    QProgressBar *m_progress;
    QLabel *m_progressText;
    QPushButton *m_cancel;
    QPushButton *m_exportButton = nullptr; ///< off while the capture could not be opened
    QLineEdit *m_textFilter;
    QComboBox *m_statusFilter;
    QLabel *m_sessionScope;  ///< "Sub-session …": the table narrowed to the selected Sessions row
    QTableView *m_transactionView;
    QTabWidget *m_lower;
    TransactionDetailView *m_detail;
    AccountDiffsView *m_accountDiffs;
    QTreeView *m_sessionView;
    QTableView *m_discoveryView;
    ProtocolConsoleView *m_protocolConsole;
    QLabel *m_warnings;
    CoordinatorPanel *m_coordinator = nullptr;
    QWidget *m_staleBar;
    QLabel *m_staleText;
    QFileSystemWatcher *m_watcher = nullptr;
    qint64 m_readBytes = -1;        ///< NAME.ndjson's size when it was opened
    qint64 m_readEventsBytes = -1;  ///< NAME.events.ndjson's size at the end of indexing; -1 absent
    QDateTime m_readModified;       ///< NAME.ndjson's modification time at the end of indexing
    QDateTime m_readEventsModified;
    bool m_stale = false;
    bool m_beingWritten = false;
};

} // namespace SlotScope
