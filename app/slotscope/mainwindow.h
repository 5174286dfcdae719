#pragma once

#include "capture/csvexporter.h"

#include "appsettings.h"
#include "engine/modelupdate.h"
#include "engine/runconfig.h"
#include "model/sessionstate.h"
#include "net/connectionpolicy.h"
#include "refserver/refserverconfig.h"

#include <QMainWindow>

#include <memory>
#include <optional>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QSpinBox;
class QTableView;
class QToolButton;
class QTreeView;

namespace SlotScope {

class AccountDiffModel;
class AccountDiffsView;
class BatchMonitor;
class BreakpointModel;
class DemoServer;
class DiscoveryModel;
class DocumentArea;
class EngineHost;
class ConnectionTimelineModel;
class ProtocolLogModel;
class ProtocolConsoleView;
class SessionModel;
class TransactionDetailView;
class TransactionFilterProxyModel;
class TransactionModel;

/// SlotScope's one window (DESIGN.md §1): a stepping toolbar, the live
/// transactions with a detail pane, and docks for sessions, discovery batches
/// and the protocol console. Holds no protocol logic: it wires views to the
/// models and the engine (DESIGN.md §2).
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Starts a run (the demo simulator is started on first use). Asks first
    /// when the capture file exists (unless config.overwriteCapture: the old
    /// capture is then replaced once the new run has data) and when the range
    /// spans more than largeRangeSlots(). False when the user declined (or
    /// the demo simulator did not start): nothing was started.
    bool startRun(const RunConfig &config);
    /// The demo run a new user sees: real fixtures over slots 1000..1199,
    /// Jupiter v6 discovery, manual stepping.
    void startDemoRun();
    /// The config startDemoRun() uses.
    static RunConfig demoRunConfig();

    /// Opens a capture offline in a new tab (File ▸ Open, `slotscope FILE`).
    void openCapture(const QString &path);
    /// The tabs: the live run, opened captures, comparisons.
    DocumentArea *documentArea() const { return m_documents; }

    /// Connection timings for the runs this window starts (tests).
    void setConnectionPolicy(const ConnectionPolicy &policy);
    /// Ranges spanning more slots than this ask before they start (default:
    /// Preferences::largeRangeSlots, read when a run starts; tests override it).
    void setLargeRangeSlots(quint64 limit) { m_largeRangeSlots = limit; }
    quint64 largeRangeSlots() const;
    /// The demo simulator's configuration (faults, bundle size, pacing) for
    /// benchmarks and screenshots; its transactions directory and API key are
    /// still the run's. Takes effect when the demo server next starts.
    void setDemoServerConfig(const RefServerConfig &config);

    SessionModel *sessionModel() const { return m_sessions; }
    TransactionModel *transactionModel() const { return m_transactions; }
    DiscoveryModel *discoveryModel() const { return m_discoveries; }
    /// The Breakpoints panel: the run's discovery breakpoints and their hits.
    BreakpointModel *breakpointModel() const { return m_breakpoints; }
    ProtocolLogModel *protocolLogModel() const { return m_protocol; }
    /// The live run's Account diffs dock (accountDiffSubscribe; a window as
    /// the live table's, the rest in the events file).
    AccountDiffModel *accountDiffModel() const { return m_accountDiffs; }
    AccountDiffsView *accountDiffsView() const { return m_accountDiffsView; }
    /// The Connections timeline, Reconnect coordinator and Charts docks.
    BatchMonitor *batchMonitor() const { return m_monitor; }
    QAction *continueAction() const { return m_continue; }
    QAction *continueToAction() const { return m_continueTo; }
    QAction *runToEndAction() const { return m_runToEnd; }
    /// Pause (F6): stops Run to End / Run to Next Discovery after the step in flight.
    QAction *pauseAction() const { return m_pause; }
    QAction *stopAction() const { return m_stop; }
    QAction *exportAction() const { return m_export; }
    QString capturePath() const { return m_capturePath; }
    bool isRunning() const { return m_running; }
    /// Text of the error banner ("" when hidden).
    QString errorBannerText() const;

Q_SIGNALS:
    void runFinished(const SlotScope::RunOutcome &outcome);

protected:
    void closeEvent(QCloseEvent *event) override;
    /// Lets the window's Export CSV shortcut (Ctrl+E) through its text fields
    /// (line edits, spin boxes), which would take it as X11's Emacs-style
    /// "end of line" (End does that).
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    /// The run's actions act on the live run: triggered from a capture's
    /// tab they bring the Live run tab (and its docks) forward, so what they
    /// do is seen (connected to each in createActions(); Export CSV calls it
    /// before its dialog opens).
    void showLiveRun();
    void createActions();
    void createCentralArea();
    void createDocks();
    void createStatusBar();
    /// The step target and what the live table and Discovery Batches show:
    /// `sessionId`'s rows only, or every session's for "".
    void selectSession(const QString &sessionId);
    /// The Discovery Batches' session column: shown for a batch, hidden otherwise.
    void showDiscoverySessions(bool batch);
    /// "Its session is closed on the server", or for a parallel run "Its 255
    /// sessions …", counting the sub-sessions that have not ended yet.
    QString liveSessionsClosedText() const;
    /// Quit, or the window closed by the window manager, during a run: asks
    /// first (No is the default). True when there is no run or the answer is Yes.
    bool confirmQuit();
    /// Continue, Continue To and Run to Next Discovery can go out: the run's
    /// session (a parallel run: `targetRow`, the stepTargetRow(), else any of
    /// its sub-sessions) is Ready or Paused.
    bool canStep(const QModelIndex &targetRow) const;
    /// The session a step or Run to End goes to: the selected sub-session
    /// when it belongs to the current run, else "" (every session of it; a
    /// row of an earlier run is no target); its row (invalid for "").
    QString stepTarget() const;
    /// The Sessions tree's selected row belongs to a run other than the live one.
    bool earlierRunSelected() const;
    QModelIndex stepTargetRow() const;
    /// The status bar's "Control: Up · Data: Up (4/4 up)"; no data part when `data` is "".
    static QString connectionSummary(const QString &control, const QString &data);
    void updateActions();
    void newRun();
    void applyUpdate(const ModelUpdate &update);
    void onRunFinished(const RunOutcome &outcome);
    /// Where Continue To takes its target from: the slot[/batch] typed in the
    /// toolbar, the selected discovery batch, or (Chosen: the action) the
    /// typed one while its field has the focus, else the selected batch, else
    /// the typed one. A target behind the session is refused with a word.
    enum class ContinueToSource { Chosen, Typed, Selected };
    void continueToSelection(ContinueToSource source);
    /// Says in the status bar why a step was not taken (or the server
    /// refused it), until the next step is asked for (clearStepRefusal()).
    void showStepRefusal(const QString &text, int timeoutMs);
    void clearStepRefusal();
    void showSelectedTransaction();
    void exportCsv();
    /// Stop Session: asks first (a closed session cannot be resumed), then stops the live run.
    void confirmAndStop();
    /// Export CSV with `kind` chosen in the dialog; `fromAccountDiffs`: the
    /// Account diffs dock's Export, whose filter and selection are the
    /// Filtered and Selected scopes.
    void exportCsvOf(ExportRequest::Kind kind, bool fromAccountDiffs = false);
    /// Makes the live table's row of `signature` current; false when the
    /// table does not show it (filtered out, evicted).
    bool selectLiveTransaction(const QString &signature);
    /// Narrows the Account Diffs dock to the selected transaction.
    void followSelectionInAccountDiffs();
    /// What put the error banner up: a later success of the same kind takes it down.
    enum class ErrorSource { Run, Export };
    /// The red banner above the table (with a Dismiss link) and the status bar.
    void showError(const QString &message, ErrorSource source = ErrorSource::Run);
    void dismissError();
    bool ensureDemoServer(const QString &txDir);
    /// The questions before a run starts (existing capture, large range);
    /// sets config.overwriteCapture when the user agreed to replace.
    bool confirmStart(RunConfig &config);
    // Settings and Help (issue 13): appsettings.h, preferencesdialog.h, aboutdialog.h, shortcutsdialog.h.
    void createSettingsAndHelpMenus();
    void restoreSettings();
    void saveSettings();
    void applyPreferences(const Preferences &preferences);
    void showPreferences();
    void resetLayout();
    RunConfig suggestedRunConfig() const;

    std::unique_ptr<DemoServer> m_demo;
    QString m_demoTxDir;
    RefServerConfig m_demoConfig;
    bool m_demoConfigSet = false;
    bool m_policySet = false;       ///< setConnectionPolicy() was called: Preferences leave the policy alone
    WindowLayout m_defaultLayout;   ///< what Reset Layout goes back to
    EngineHost *m_engine;
    DocumentArea *m_documents = nullptr;
    SessionModel *m_sessions;
    TransactionModel *m_transactions;
    TransactionFilterProxyModel *m_transactionFilter;
    DiscoveryModel *m_discoveries;
    QSortFilterProxyModel *m_discoveryFilter = nullptr; ///< the selected sub-session's batches, sortable
    BreakpointModel *m_breakpoints = nullptr;
    ProtocolLogModel *m_protocol;
    AccountDiffModel *m_accountDiffs;
    AccountDiffsView *m_accountDiffsView = nullptr;
    ConnectionTimelineModel *m_timeline;
    BatchMonitor *m_monitor = nullptr;

    QAction *m_newRun = nullptr;
    QAction *m_stop = nullptr;
    QAction *m_continue = nullptr;
    QAction *m_continueTo = nullptr;
    QAction *m_runToNextDiscovery = nullptr;
    QAction *m_runToEnd = nullptr;
    QAction *m_pause = nullptr;
    QAction *m_export = nullptr;
    QAction *m_quit = nullptr;
    QSpinBox *m_advanceCount = nullptr;
    QLineEdit *m_continueTarget = nullptr;

    QTableView *m_transactionView = nullptr;
    TransactionDetailView *m_detail = nullptr;
    QLineEdit *m_textFilter = nullptr;
    QComboBox *m_statusFilter = nullptr;
    QTreeView *m_sessionView = nullptr;
    QString m_selectedRun; // the run of the Sessions tree's current row ("" for none)
    QTableView *m_discoveryView = nullptr;
    QLabel *m_discoveryScope = nullptr; ///< whose batches the table shows, when not the whole run's
    ProtocolConsoleView *m_protocolConsole = nullptr;
    QLabel *m_errorBanner = nullptr;
    QLabel *m_connectionLabel = nullptr;
    QLabel *m_capturedLabel = nullptr;
    QLabel *m_captureFileLabel = nullptr;
    QLabel *m_evictedLabel = nullptr;

    QString m_selectedSession;  ///< "" = every session of the run
    QString m_errorMessage;   ///< the banner's text, unformatted
    QString m_stepRefusal;    ///< the status bar's last showStepRefusal() text
    ErrorSource m_errorSource = ErrorSource::Run;
    RunConfig m_config;
    QString m_capturePath;
    /// The run the window shows and drives (EngineHost::start()'s id): the
    /// reports of a run it stopped for a new one are not its business.
    QString m_runId;
    bool m_running = false;
    SessionState m_state = SessionState::Creating;
    bool m_followTail = true;
    std::optional<QString> m_toolTipTarget; ///< the step target the action tool tips name
    std::optional<quint64> m_largeRangeSlots; ///< set by setLargeRangeSlots(), else the preference
};

} // namespace SlotScope
