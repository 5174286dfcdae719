#include "mainwindow.h"
#include "protocolconsoleview.h"

#include "aboutdialog.h"
#include "accountdiffsview.h"
#include "preferencesdialog.h"
#include "shortcutsdialog.h"
#include "capture/capturereader.h"
#include "model/accountdiffmodel.h"
#include "batchmonitor.h"
#include "breakpointmodel.h"
#include "capture/capturewriter.h"
#include "capture/csvexporter.h"
#include "csvexportjob.h"
#include "demoserver.h"
#include "documentarea.h"
#include "engine/enginehost.h"
#include "exportdialog.h"
#include "model/connectiontimelinemodel.h"
#include "model/discoverymodel.h"
#include "model/modelroles.h"
#include "model/protocollogmodel.h"
#include "model/sessionmodel.h"
#include "model/transactionfilterproxymodel.h"
#include "model/transactionmodel.h"
#include "progressdelegate.h"
#include "protocol/knownprograms.h"
#include "protocol/runclock.h"
#include "protocol/urls.h"
#include "refserver/refserverconfig.h"
#include "rundialog.h"
#include "sessionlabels.h"
#include "slotspinbox.h"
#include "tablesetup.h"
#include "transactiondetailview.h"

#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QScrollBar>
#include <QRegularExpression>
#include <QSpinBox>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QToolBar>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

#include <atomic>

using namespace Qt::StringLiterals;

namespace SlotScope {

namespace {

constexpr auto JupiterV6 = "JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4";

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_engine(new EngineHost(this, EngineHost::ThreadPriority::BelowCaller))
    , m_sessions(new SessionModel(this))
    , m_transactions(new TransactionModel(this))
    , m_transactionFilter(new TransactionFilterProxyModel(this))
    , m_discoveries(new DiscoveryModel(this))
    , m_protocol(new ProtocolLogModel(this))
    , m_accountDiffs(new AccountDiffModel(this))
    , m_timeline(new ConnectionTimelineModel(this))
{
    setWindowTitle(tr("SlotScope"));
    setWindowIcon(QIcon(u":/icons/slotscope.svg"_s));
    m_transactionFilter->setSourceModel(m_transactions);

    createActions();
    createCentralArea();
    createDocks();
    createStatusBar();
    m_documents = new DocumentArea(this);
    // Quit ends the File menu, where a desktop user looks for it.
    m_documents->fileMenu()->addSeparator();
    m_documents->fileMenu()->addAction(m_quit);

    connect(m_engine, &EngineHost::runStarted, this, [this](const QString &runId, const QString &capturePath) {
        if (runId != m_runId)
            return;
        m_capturePath = capturePath;
        m_documents->setLiveCapturePath(capturePath);
        m_documents->setLiveCaptureWritten(true);
        m_captureFileLabel->setText(QFileInfo(capturePath).fileName());
        m_captureFileLabel->setToolTip(capturePath);
    });
    connect(m_engine, &EngineHost::modelUpdated, this, &MainWindow::applyUpdate);
    // A refused step leaves the session where it was: said where the user
    // looks after clicking (it was only a Protocol Console row and a cut-off
    // Last error cell).
    connect(m_engine, &EngineHost::stepRefused, this,
            [this](const QString &runId, const QString &sessionId, const QString &message) {
                if (runId != m_runId)
                    return;
                const QString text = m_config.parallel
                                         ? tr("The server refused the step of %1: %2").arg(shortSessionId(sessionId), message)
                                         : tr("The server refused the step: %1").arg(message);
                showStepRefusal(text, 15000);
            });
    connect(m_engine, &EngineHost::runFinished, this, &MainWindow::onRunFinished);
    connect(m_transactions, &TransactionModel::evictedCountChanged, this, [this](qint64 evicted) {
        m_evictedLabel->setText(tr("%n row(s) evicted from the view (still in the capture)", nullptr, int(qMin<qint64>(evicted, INT_MAX))));
        m_evictedLabel->setVisible(evicted > 0);
    });
    updateActions();
    resize(1400, 860);
    createSettingsAndHelpMenus();
    restoreSettings();
    showShortcutsInToolTips(this);
}

MainWindow::~MainWindow()
{
    // The client's sessions close first (closeBacktestSession, close frames),
    // then the embedded demo server stops: the other way round the sessions
    // would see their server vanish mid-run.
    delete m_engine;
    m_engine = nullptr;
    m_demo.reset();
}

RunConfig MainWindow::demoRunConfig()
{
    RunConfig config;
    config.target = RunConfig::Target::Demo;
    config.demoTxDir = DemoServer::defaultTransactionsDir();
    config.demoSlotDelayMs = 15;
    config.startSlot = 1000;
    config.endSlot = 1199;
    config.discoverPrograms = {QString::fromLatin1(JupiterV6)};
    config.advanceCount = 10;
    config.drive = RunConfig::Drive::Manual;
    config.capturePath = defaultCapturePath();
    return config;
}

void MainWindow::openCapture(const QString &path)
{
    m_documents->openCapture(path);
}

void MainWindow::setConnectionPolicy(const ConnectionPolicy &policy)
{
    m_engine->setConnectionPolicy(policy);
    m_policySet = true;
}

QString MainWindow::errorBannerText() const
{
    return m_errorBanner->isVisible() ? m_errorMessage : QString();
}

void MainWindow::createActions()
{
    m_newRun = new QAction(QIcon::fromTheme(u"document-new"_s), tr("&New Run…"), this);
    m_newRun->setObjectName(u"newRun"_s);
    m_newRun->setShortcut(QKeySequence::New);
    m_newRun->setToolTip(tr("Start a backtest run"));
    connect(m_newRun, &QAction::triggered, this, &MainWindow::newRun);

    // The run actions act on the live run: triggered from a capture's tab they
    // bring the Live run tab forward first (connected before their handlers,
    // so a question a handler asks comes over the run it is about).
    const auto liveRunAction = [this](const QIcon &icon, const QString &text) {
        auto *action = new QAction(icon, text, this);
        connect(action, &QAction::triggered, this, &MainWindow::showLiveRun);
        // Ahead of the action's own handler: what the status bar said against
        // the step before goes; a refusal of this one shows after.
        connect(action, &QAction::triggered, this, &MainWindow::clearStepRefusal);
        return action;
    };

    m_stop = liveRunAction(QIcon::fromTheme(u"process-stop"_s), tr("&Stop Session"));
    m_stop->setShortcut(Qt::SHIFT | Qt::Key_F5);
    m_stop->setToolTip(tr("Close the session; the capture keeps everything received"));
    connect(m_stop, &QAction::triggered, this, &MainWindow::confirmAndStop);

    m_continue = liveRunAction(QIcon::fromTheme(u"media-playback-start"_s), tr("&Continue"));
    m_continue->setShortcut(Qt::Key_F5);
    m_continue->setToolTip(tr("Continue the advance count of slots"));
    connect(m_continue, &QAction::triggered, this, [this] {
        // A half-typed count ("0", "") shows in the box while value() still
        // holds the last valid one: stepping that would not be what is shown.
        if (!m_advanceCount->hasAcceptableInput()) {
            showStepRefusal(tr("Advance “%1” is no slot count: type %2 to %3.")
                                         .arg(m_advanceCount->cleanText())
                                         .arg(m_advanceCount->minimum())
                                         .arg(QLocale().toString(m_advanceCount->maximum())),
                                     10000);
            m_advanceCount->setFocus();
            m_advanceCount->selectAll();
            return;
        }
        m_engine->continueSession(quint64(m_advanceCount->value()), stepTarget());
    });

    m_continueTo = liveRunAction(QIcon::fromTheme(u"go-jump"_s), tr("Continue &To"));
    m_continueTo->setShortcut(Qt::CTRL | Qt::Key_F10);
    m_continueTo->setToolTip(tr("Continue to the selected discovery batch, or to the slot[/batch] typed beside"));
    connect(m_continueTo, &QAction::triggered, this, [this] { continueToSelection(ContinueToSource::Chosen); });

    m_runToNextDiscovery = liveRunAction(QIcon::fromTheme(u"go-next"_s), tr("Run to &Next Discovery"));
    m_runToNextDiscovery->setShortcut(Qt::Key_F10);
    m_runToNextDiscovery->setToolTip(tr("Continue until just before the next discovered batch a breakpoint pauses at"));
    connect(m_runToNextDiscovery, &QAction::triggered, this, [this] { m_engine->runToNextDiscovery(stepTarget()); });

    m_runToEnd = liveRunAction(QIcon::fromTheme(u"media-seek-forward"_s), tr("Run to &End"));
    m_runToEnd->setShortcut(Qt::CTRL | Qt::Key_F5);
    m_runToEnd->setToolTip(tr("Keep continuing until the session completes"));
    connect(m_runToEnd, &QAction::triggered, this, [this] { m_engine->runToEnd(stepTarget()); });

    // Ends Run to End / Run to Next Discovery without closing anything: the
    // step in flight finishes and the session waits, open, for the next
    // command (Stop closes it on the server).
    m_pause = liveRunAction(QIcon::fromTheme(u"media-playback-pause"_s), tr("&Pause"));
    m_pause->setShortcuts({QKeySequence(Qt::Key_F6), QKeySequence(Qt::Key_Pause)});
    connect(m_pause, &QAction::triggered, this, [this] { m_engine->pauseDriving(stepTarget()); });

    m_export = new QAction(QIcon::fromTheme(u"document-save-as"_s), tr("&Export CSV…"), this);
    m_export->setShortcut(Qt::CTRL | Qt::Key_E);
    m_export->setToolTip(tr("Export the capture to CSV"));
    connect(m_export, &QAction::triggered, this, &MainWindow::exportCsv);
    qApp->installEventFilter(this); // the text fields' Ctrl+E (eventFilter())
    // (Export CSV shows the Live run tab before its dialog opens: exportCsv().)

    m_quit = new QAction(QIcon::fromTheme(u"application-exit"_s), tr("&Quit"), this);
    m_quit->setShortcut(QKeySequence::Quit);
    m_quit->setObjectName(u"quit"_s);
    connect(m_quit, &QAction::triggered, this, [this] {
        if (confirmQuit())
            close();
    });

    m_advanceCount = new QSpinBox(this);
    m_advanceCount->setObjectName(u"advanceCount"_s);
    m_advanceCount->setRange(1, 1000000);
    m_advanceCount->setValue(10);
    setSlotsSuffix(m_advanceCount);
    m_advanceCount->setToolTip(tr("Slots per Continue"));
    m_continueTarget = new QLineEdit(this);
    m_continueTarget->setObjectName(u"continueTarget"_s);
    m_continueTarget->setPlaceholderText(tr("slot[/batch]"));
    m_continueTarget->setMaximumWidth(150);
    m_continueTarget->setToolTip(tr("Target of Continue To when no discovery batch is selected"));
    connect(m_continueTarget, &QLineEdit::returnPressed, this, [this] {
        showLiveRun(); // as Continue To does
        continueToSelection(ContinueToSource::Typed);
    });

    auto *runMenu = menuBar()->addMenu(tr("&Run"));
    runMenu->addAction(m_newRun);
    runMenu->addAction(m_stop);
    runMenu->addSeparator();
    runMenu->addAction(m_export);
    auto *stepMenu = menuBar()->addMenu(tr("&Step"));
    stepMenu->addActions({m_continue, m_continueTo, m_runToNextDiscovery, m_runToEnd, m_pause});

    auto *toolbar = addToolBar(tr("Stepping"));
    toolbar->setObjectName(u"stepping"_s);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->addAction(m_newRun);
    toolbar->addAction(m_stop);
    toolbar->addSeparator();
    toolbar->addWidget(new QLabel(tr(" Advance "), this));
    toolbar->addWidget(m_advanceCount);
    toolbar->addAction(m_continue);
    toolbar->addSeparator();
    toolbar->addWidget(m_continueTarget);
    toolbar->addAction(m_continueTo);
    toolbar->addAction(m_runToNextDiscovery);
    toolbar->addAction(m_runToEnd);
    toolbar->addAction(m_pause);
    toolbar->addSeparator();
    toolbar->addAction(m_export);
}

void MainWindow::createCentralArea()
{
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(4, 4, 4, 4);

    m_errorBanner = new QLabel(central);
    m_errorBanner->setStyleSheet(u"QLabel { background:#fde7e9; color:#8a0014; border:1px solid #f1aeb5;"
                                 " border-radius:3px; padding:6px; }"_s);
    m_errorBanner->setWordWrap(true);
    m_errorBanner->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse
                                           | Qt::LinksAccessibleByKeyboard);
    m_errorBanner->setObjectName(u"errorBanner"_s);
    connect(m_errorBanner, &QLabel::linkActivated, this, &MainWindow::dismissError);
    m_errorBanner->hide();
    layout->addWidget(m_errorBanner);

    auto *filterBar = new QHBoxLayout;
    m_textFilter = new QLineEdit(central);
    m_textFilter->setPlaceholderText(tr("Filter by signature, fee payer or program id…"));
    m_textFilter->setClearButtonEnabled(true);
    m_statusFilter = new QComboBox(central);
    m_statusFilter->addItem(tr("All"), int(TransactionFilter::Status::All));
    m_statusFilter->addItem(tr("Succeeded"), int(TransactionFilter::Status::Succeeded));
    m_statusFilter->addItem(tr("Failed"), int(TransactionFilter::Status::Failed));
    filterBar->addWidget(new QLabel(tr("Transactions"), central));
    filterBar->addWidget(m_textFilter, 1);
    filterBar->addWidget(m_statusFilter);
    layout->addLayout(filterBar);
    connect(m_textFilter, &QLineEdit::textChanged, m_transactionFilter, &TransactionFilterProxyModel::setTextFilter);
    connect(m_statusFilter, &QComboBox::currentIndexChanged, this, [this] {
        m_transactionFilter->setStatusFilter(TransactionFilter::Status(m_statusFilter->currentData().toInt()));
    });

    auto *splitter = new QSplitter(Qt::Vertical, central);
    m_transactionView = new QTableView(splitter);
    m_transactionView->setObjectName(u"transactions"_s);
    m_transactionView->setModel(m_transactionFilter);
    setupDataTable(m_transactionView);
    m_transactionView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_transactionView->setSortingEnabled(true);
    m_transactionView->sortByColumn(-1, Qt::AscendingOrder);
    m_transactionView->setColumnWidth(TransactionModel::SlotColumn, 90);
    m_transactionView->setColumnWidth(TransactionModel::SignatureColumn, 260);
    // Session columns name a sub-session as the batch docks do.
    m_transactionView->setItemDelegateForColumn(TransactionModel::SessionColumn,
                                                new SessionIdDelegate(sessionNamesIn(m_sessions), m_transactionView));
    m_transactionView->setColumnWidth(TransactionModel::StatusColumn, 70);
    m_transactionView->setColumnWidth(TransactionModel::ErrorColumn, 200);
    m_transactionView->setColumnWidth(TransactionModel::FeeColumn, 105);
    m_transactionView->setColumnWidth(TransactionModel::ComputeUnitsColumn, 80);
    m_transactionView->setColumnWidth(TransactionModel::FeePayerColumn, 200);
    m_transactionView->setColumnWidth(TransactionModel::ProgramsColumn, 260);
    m_detail = new TransactionDetailView(splitter);
    splitter->addWidget(m_transactionView);
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    layout->addWidget(splitter, 1);
    setCentralWidget(central);

    connect(m_transactionView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &MainWindow::showSelectedTransaction);
    // Follow new rows only while the user is at the bottom (DESIGN.md §1).
    connect(m_transactionFilter, &QAbstractItemModel::rowsAboutToBeInserted, this, [this] {
        const QScrollBar *bar = m_transactionView->verticalScrollBar();
        m_followTail = bar->value() >= bar->maximum() - 2;
    });
    connect(m_transactionFilter, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_followTail)
            m_transactionView->scrollToBottom();
    });
}

void MainWindow::createDocks()
{
    setDockNestingEnabled(true);

    m_sessionView = new QTreeView(this);
    m_sessionView->setObjectName(u"sessions"_s);
    m_sessionView->setModel(m_sessions);
    m_sessionView->setItemDelegateForColumn(SessionModel::ProgressColumn, new ProgressDelegate(m_sessionView));
    m_sessionView->setRootIsDecorated(true);
    m_sessionView->setUniformRowHeights(true);
    m_sessionView->setAlternatingRowColors(true);
    // Session ids of a batch share their beginning (time-ordered): cut in the
    // middle, the end that tells them apart stays, as the batch docks show it.
    m_sessionView->setTextElideMode(Qt::ElideMiddle);
    m_sessionView->header()->setStretchLastSection(true);
    m_sessionView->setColumnWidth(SessionModel::SessionColumn, 330);
    m_sessionView->setColumnWidth(SessionModel::SlotRangeColumn, 110);
    m_sessionView->setColumnWidth(SessionModel::CurrentSlotColumn, 80);
    m_sessionView->setColumnWidth(SessionModel::ProgressColumn, 140);
    m_sessionView->setColumnWidth(SessionModel::StateColumn, 230); // "Paused (waiting for readyForContinue)"
    m_sessionView->setColumnWidth(SessionModel::ControlColumn, 90);
    m_sessionView->setColumnWidth(SessionModel::DataPlaneColumn, 140); // "Parked (attempt 6)", "Down (7/256 up)"
    m_sessionView->setColumnWidth(SessionModel::NameColumn, 140);
    // The model appends the 0.31 columns; show them beside their kin.
    QHeaderView *sessionHeader = m_sessionView->header();
    sessionHeader->moveSection(sessionHeader->visualIndex(SessionModel::NameColumn),
                               sessionHeader->visualIndex(SessionModel::SessionColumn) + 1);
    sessionHeader->moveSection(sessionHeader->visualIndex(SessionModel::SimulationErrorsColumn),
                               sessionHeader->visualIndex(SessionModel::DuplicatesColumn) + 1);
    sessionHeader->moveSection(sessionHeader->visualIndex(SessionModel::FramesDroppedColumn),
                               sessionHeader->visualIndex(SessionModel::DuplicatesColumn) + 1);
    // Selecting a sub-session scopes the stepping actions and the transaction
    // table to it; the run row (or nothing) means every session. The
    // selection (selectedSessionRow()): a current row the view set when it
    // took the focus made an earlier run's row the scope and greyed out
    // every step unasked.
    connect(m_sessionView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] {
                const QModelIndex current = selectedSessionRow(m_sessionView);
                const bool child = current.isValid() && current.parent().isValid();
                m_selectedRun = current.isValid() ? current.siblingAtColumn(0).data(SessionModel::RunIdRole).toString()
                                                  : QString();
                selectSession(child ? current.siblingAtColumn(0).data(SessionIdRole).toString() : QString());
            });
    // New runs open to show their sub-sessions; expanding only what was
    // inserted keeps 30 updates a second of a 64-row batch cheap.
    connect(m_sessions, &QAbstractItemModel::rowsInserted, m_sessionView,
            [this](const QModelIndex &parent, int first, int last) {
                if (!parent.isValid()) {
                    for (int row = first; row <= last; ++row)
                        m_sessionView->expand(m_sessions->index(row, 0));
                } else {
                    m_sessionView->expand(parent);
                }
            });
    auto *sessionsDock = new QDockWidget(tr("Sessions"), this);
    sessionsDock->setObjectName(u"sessions"_s);
    sessionsDock->setWidget(m_sessionView);
    addDockWidget(Qt::TopDockWidgetArea, sessionsDock);

    auto *discoveryPanel = new QWidget(this);
    auto *discoveryLayout = new QVBoxLayout(discoveryPanel);
    discoveryLayout->setContentsMargins(0, 0, 0, 0);
    // The batches of the sub-session selected in the Sessions tree, as the
    // live table shows its transactions (all of them with the run selected);
    // a header click sorts, arrival order until then.
    m_discoveryScope = new QLabel(discoveryPanel);
    m_discoveryScope->setObjectName(u"discoveryScope"_s);
    m_discoveryScope->setStyleSheet(u"color:#666"_s);
    m_discoveryScope->hide();
    m_discoveryView = new QTableView(discoveryPanel);
    m_discoveryView->setObjectName(u"discoveries"_s);
    m_discoveryFilter = showSortable(m_discoveryView, m_discoveries);
    m_discoveryFilter->setFilterRole(SessionIdRole);
    setupDataTable(m_discoveryView);
    m_discoveryView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_discoveryView->setItemDelegateForColumn(DiscoveryModel::SessionColumn,
                                              new SessionIdDelegate(sessionNamesIn(m_sessions), m_discoveryView));
    m_discoveryView->setColumnHidden(DiscoveryModel::SessionColumn, true); // shown for a batch (startRun)
    m_discoveryView->setColumnWidth(DiscoveryModel::SlotColumn, 70);
    m_discoveryView->setColumnWidth(DiscoveryModel::BatchIndexColumn, 45);
    m_discoveryView->setColumnWidth(DiscoveryModel::MatchedColumn, 150);
    // As wide as its header ("Transactions" was cut to "nsacti"), after the
    // batch's state, which the dock's default width then still shows.
    m_discoveryView->setColumnWidth(DiscoveryModel::TransactionsColumn,
                                    m_discoveryView->horizontalHeader()->sectionSizeHint(DiscoveryModel::TransactionsColumn));
    m_discoveryView->setColumnWidth(DiscoveryModel::StateColumn, 70);
    m_discoveryView->horizontalHeader()->moveSection(
        m_discoveryView->horizontalHeader()->visualIndex(DiscoveryModel::StateColumn),
        m_discoveryView->horizontalHeader()->visualIndex(DiscoveryModel::TransactionsColumn));
    auto *continueToButton = new QToolButton(discoveryPanel);
    continueToButton->setDefaultAction(m_continueTo);
    continueToButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    discoveryLayout->addWidget(m_discoveryScope);
    discoveryLayout->addWidget(m_discoveryView, 1);
    discoveryLayout->addWidget(continueToButton, 0, Qt::AlignRight);
    connect(m_discoveryView, &QAbstractItemView::doubleClicked, this,
            [this] { continueToSelection(ContinueToSource::Selected); });
    connect(m_discoveryView->selectionModel(), &QItemSelectionModel::selectionChanged, this, &MainWindow::updateActions);
    auto *discoveryDock = new QDockWidget(tr("Discovery Batches"), this);
    discoveryDock->setObjectName(u"discoveries"_s);
    discoveryDock->setWidget(discoveryPanel);
    addDockWidget(Qt::RightDockWidgetArea, discoveryDock);

    // Breakpoints (issue 12 item 5): one row per discovery filter, edited in
    // place; edits go to the running engine and into the saved run configuration.
    m_breakpoints = new BreakpointModel(this);
    auto *breakpointView = new QTableView(this);
    breakpointView->setObjectName(u"breakpoints"_s);
    breakpointView->setModel(m_breakpoints);
    setupDataTable(breakpointView);
    breakpointView->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed
                                    | QAbstractItemView::AnyKeyPressed);
    breakpointView->setColumnWidth(BreakpointModel::ProgramColumn, 170);
    for (const int column : {int(BreakpointModel::SkipColumn), int(BreakpointModel::LogOnlyColumn),
                             int(BreakpointModel::HitsColumn)})
        breakpointView->setColumnWidth(column, 55);
    connect(m_breakpoints, &BreakpointModel::breakpointsEdited, this, [this](const QList<DiscoveryBreakpoint> &list) {
        m_config.breakpoints = list;
        if (m_running)
            m_engine->setBreakpoints(list);
        AppSettings().setLastRunConfig(m_config);
    });
    auto *breakpointDock = new QDockWidget(tr("Breakpoints"), this);
    breakpointDock->setObjectName(u"breakpoints"_s);
    breakpointDock->setWidget(breakpointView);
    addDockWidget(Qt::RightDockWidgetArea, breakpointDock);
    tabifyDockWidget(discoveryDock, breakpointDock);
    discoveryDock->raise();

    m_protocolConsole = new ProtocolConsoleView(sessionNamesIn(m_sessions), this);
    m_protocolConsole->table()->setObjectName(u"protocol"_s);
    m_protocolConsole->setModel(m_protocol);
    auto *protocolDock = new QDockWidget(tr("Protocol Console"), this);
    protocolDock->setObjectName(u"protocol"_s);
    protocolDock->setWidget(m_protocolConsole);
    addDockWidget(Qt::BottomDockWidgetArea, protocolDock);

    // Connections timeline, reconnect coordinator and charts (BatchMonitor).
    m_monitor = new BatchMonitor(this, m_engine, m_sessions, m_timeline, m_sessionView);
    m_monitor->setStepActions({m_continue, m_runToNextDiscovery, m_runToEnd, m_pause});
    QDockWidget *timelineDock = m_monitor->timelineDock();
    addDockWidget(Qt::BottomDockWidgetArea, timelineDock);
    tabifyDockWidget(protocolDock, timelineDock);
    addDockWidget(Qt::BottomDockWidgetArea, m_monitor->chartsDock());
    tabifyDockWidget(timelineDock, m_monitor->chartsDock());
    // Account diffs as they arrive (a run with account diffs on): narrowed to
    // the selected transaction, Enter on a row selects its transaction.
    m_accountDiffsView = new AccountDiffsView(this);
    m_accountDiffsView->setObjectName(u"liveAccountDiffs"_s);
    m_accountDiffsView->setModel(m_accountDiffs);
    auto *diffsDock = new QDockWidget(tr("Account Diffs"), this);
    diffsDock->setObjectName(u"accountDiffs"_s);
    diffsDock->setWidget(m_accountDiffsView);
    addDockWidget(Qt::BottomDockWidgetArea, diffsDock);
    tabifyDockWidget(m_monitor->chartsDock(), diffsDock);
    connect(m_accountDiffsView, &AccountDiffsView::transactionActivated, this, [this](const QString &signature) {
        if (!selectLiveTransaction(signature))
            statusBar()->showMessage(tr("Transaction %1 is not in the table (filtered out, or evicted from it; the "
                                        "capture has it).").arg(signature), 10000);
    });
    connect(m_accountDiffsView, &AccountDiffsView::exportRequested, this,
            [this] { exportCsvOf(ExportRequest::Kind::AccountDiffs, true); });
    addDockWidget(Qt::RightDockWidgetArea, m_monitor->coordinatorDock());
    splitDockWidget(discoveryDock, m_monitor->coordinatorDock(), Qt::Vertical);
    protocolDock->raise();

    auto *viewMenu = menuBar()->addMenu(tr("&View"));
    viewMenu->addActions({sessionsDock->toggleViewAction(), discoveryDock->toggleViewAction(),
                          breakpointDock->toggleViewAction(),
                          protocolDock->toggleViewAction(), timelineDock->toggleViewAction(),
                          m_monitor->coordinatorDock()->toggleViewAction(), m_monitor->chartsDock()->toggleViewAction(),
                          diffsDock->toggleViewAction()});
    resizeDocks({sessionsDock}, {150}, Qt::Vertical);
    // Wide enough for the Reconnect coordinator's parked queue (tabbed with
    // the discoveries) to show its every column: #, sub-session, socket,
    // parked for, slots behind.
    resizeDocks({discoveryDock}, {460}, Qt::Horizontal);
    resizeDocks({protocolDock}, {170}, Qt::Vertical);
}

void MainWindow::createStatusBar()
{
    m_connectionLabel = new QLabel(tr("Not connected"), this);
    m_connectionLabel->setObjectName(u"connectionStatus"_s);
    m_capturedLabel = new QLabel(this);
    m_capturedLabel->setObjectName(u"capturedStatus"_s);
    m_captureFileLabel = new QLabel(this);
    m_captureFileLabel->setObjectName(u"captureFile"_s);
    m_evictedLabel = new QLabel(this);
    m_evictedLabel->hide();
    statusBar()->addWidget(m_connectionLabel);
    statusBar()->addPermanentWidget(m_evictedLabel);
    statusBar()->addPermanentWidget(m_capturedLabel);
    statusBar()->addPermanentWidget(m_captureFileLabel);
}

QString MainWindow::connectionSummary(const QString &control, const QString &data)
{
    return data.isEmpty() ? tr("Control: %1").arg(control) : tr("Control: %1").arg(control) + tr(" · Data: %1").arg(data);
}

bool MainWindow::canStep(const QModelIndex &targetRow) const
{
    if (!m_running)
        return false;
    const auto waiting = [](SessionState state) { return state == SessionState::Ready || state == SessionState::Paused; };
    const auto waitingAt = [&](const QModelIndex &index) {
        return waiting(SessionState(index.data(SessionModel::StateRole).toInt()));
    };
    const QModelIndex run = m_sessions->indexForRun(m_runId);
    if (!m_config.parallel || !run.isValid())
        return waiting(m_state);
    // A parallel run: the selected sub-session, else any of them (the engine
    // steps every waiting sub-session when none of this run is selected).
    if (targetRow.isValid())
        return waitingAt(targetRow);
    for (int row = 0; row < m_sessions->rowCount(run); ++row) {
        if (waitingAt(m_sessions->index(row, 0, run)))
            return true;
    }
    return false;
}

QModelIndex MainWindow::stepTargetRow() const
{
    if (m_selectedSession.isEmpty())
        return {};
    const QModelIndex selected = m_sessions->indexForSession(m_selectedSession);
    return selected.isValid() && selected.parent().isValid() && selected.parent() == m_sessions->indexForRun(m_runId)
               ? selected
               : QModelIndex();
}

QString MainWindow::stepTarget() const
{
    return stepTargetRow().isValid() ? m_selectedSession : QString();
}

bool MainWindow::earlierRunSelected() const
{
    return !m_selectedRun.isEmpty() && m_selectedRun != m_runId;
}

void MainWindow::updateActions()
{
    const QModelIndex targetRow = stepTargetRow(); // looked up once per update
    const QString target = targetRow.isValid() ? m_selectedSession : QString();
    // A row of an earlier run selected: nothing of it steps, and the actions
    // must not act on the live run instead of what the user picked.
    const bool elsewhere = earlierRunSelected();
    const bool steppable = !elsewhere && canStep(targetRow);
    if (target != m_toolTipTarget) {
        // Only when the target changes: this runs with every model update
        // (30 a second), and each new tool tip re-renders the toolbar button.
        m_toolTipTarget = target;
        m_continue->setToolTip(target.isEmpty() ? tr("Continue the advance count of slots on every session")
                                                : tr("Continue the advance count of slots on %1").arg(target));
        m_pause->setToolTip(target.isEmpty()
                                ? tr("Stop driving after the step in flight; the sessions stay open for the next Continue")
                                : tr("Stop driving %1 after the step in flight; it stays open for the next Continue")
                                      .arg(target));
    }
    m_continue->setEnabled(steppable);
    m_continueTo->setEnabled(steppable);
    m_runToNextDiscovery->setEnabled(steppable);
    // (A selected sub-session of this run that has ended has nothing to run.)
    const bool targetEnded
        = targetRow.isValid() && isTerminalState(SessionState(targetRow.data(SessionModel::StateRole).toInt()));
    // What drives the target (the selected sub-session, else the run row:
    // a single session, or every live sub-session of a batch).
    const QModelIndex scope = targetRow.isValid() ? targetRow : m_sessions->indexForRun(m_runId);
    const bool allRunToEnd
        = scope.isValid() && DriveMode(scope.data(SessionModel::DriveRole).toInt()) == DriveMode::RunToEnd;
    const bool anyDriven = scope.isValid() && scope.data(SessionModel::AnyDrivenRole).toBool();
    m_runToEnd->setEnabled(m_running && !elsewhere && !isTerminalState(m_state) && !targetEnded && !allRunToEnd);
    m_pause->setEnabled(m_running && !elsewhere && anyDriven);
    m_stop->setEnabled(m_running);
    m_export->setEnabled(!m_capturePath.isEmpty());
    m_accountDiffsView->setExportEnabled(m_export->isEnabled());
}

void MainWindow::newRun()
{
    RunDialog dialog(this);
    RunConfig suggested = suggestedRunConfig();
    dialog.setConfig(suggested);
    if (m_demo && m_demo->isRunning())
        dialog.setDemoHttpBase(httpBaseFromWsUrl(m_demo->controlUrl()), m_demo->apiKey());
    else if (ensureDemoServer(suggested.demoTxDir))
        dialog.setDemoHttpBase(httpBaseFromWsUrl(m_demo->controlUrl()), m_demo->apiKey());
    // A question answered No (replace the capture? run this huge range?)
    // returns to the dialog with everything as entered.
    while (dialog.exec() == QDialog::Accepted) {
        RunConfig config = dialog.config();
        config.demoTxDir = suggested.demoTxDir;
        config.demoSlotDelayMs = suggested.demoSlotDelayMs;
        if (startRun(config))
            return;
    }
}

quint64 MainWindow::largeRangeSlots() const
{
    return m_largeRangeSlots ? *m_largeRangeSlots : quint64(AppSettings().preferences().largeRangeSlots);
}

bool MainWindow::confirmStart(RunConfig &config)
{
    // Before the live run is stopped for it (RunDialog says so as it is typed).
    if (!config.capturePath.isEmpty()) {
        if (const Result<void> capture = RunDialog::checkCapturePath(config.capturePath); !capture) {
            QMessageBox::warning(this, tr("Capture file"),
                                 tr("The run cannot start: %1.%2")
                                     .arg(capture.error().message,
                                          m_running ? tr("\n\nThe current run goes on.") : QString()));
            return false;
        }
    }
    if (m_running) {
        const auto answer = QMessageBox::question(
            this, tr("Stop the current run?"),
            tr("A run is in progress.\n\nStop it and start the new one? %1; its capture keeps everything "
               "that arrived.")
                .arg(liveSessionsClosedText()),
            QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
        if (answer != QMessageBox::Yes)
            return false;
    }
    if (!config.capturePath.isEmpty() && !config.overwriteCapture && CaptureWriter::captureExists(config.capturePath)) {
        const auto answer = QMessageBox::question(
            this, tr("Replace capture?"),
            tr("A capture named %1 exists already.\n\nReplace it? The old capture is kept until the new run "
               "has data; a run that fails before that leaves it untouched.")
                .arg(QFileInfo(config.capturePath).fileName()),
            QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
        if (answer != QMessageBox::Yes)
            return false;
        config.overwriteCapture = true;
    }
    if (const quint64 limit = largeRangeSlots(); config.rangeSlots() > limit) {
        const auto answer = QMessageBox::question(
            this, tr("Large slot range"),
            tr("The range %1 … %2 spans %L3 slots, more than %L4.\n\nStart it anyway?")
                .arg(config.startSlot).arg(config.endSlot).arg(config.rangeSlots()).arg(limit),
            QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
        if (answer != QMessageBox::Yes)
            return false;
    }
    return true;
}

void MainWindow::setDemoServerConfig(const RefServerConfig &config)
{
    m_demoConfig = config;
    m_demoConfigSet = true;
    m_demo.reset(); // restarted with the new configuration on the next demo run
}

bool MainWindow::ensureDemoServer(const QString &txDir)
{
    if (m_demo && m_demo->isRunning() && m_demoTxDir == txDir)
        return true;
    m_demo = std::make_unique<DemoServer>();
    RefServerConfig config = m_demoConfig;
    config.txDir = txDir;
    if (!m_demoConfigSet)
        config.slotDelayMs = demoRunConfig().demoSlotDelayMs;
    const Result<QString> started = m_demo->start(config);
    if (!started) {
        showError(tr("The demo simulator did not start: %1").arg(started.error().message));
        m_demo.reset();
        return false;
    }
    m_demoTxDir = txDir;
    return true;
}

bool MainWindow::startRun(const RunConfig &requested)
{
    RunConfig config = requested;
    if (!confirmStart(config))
        return false;
    QString controlUrl;
    if (config.target == RunConfig::Target::Demo) {
        if (!ensureDemoServer(config.demoTxDir))
            return false;
        controlUrl = m_demo->controlUrl();
        config.apiKey = m_demo->apiKey();
    } else {
        controlUrl = backtestWsUrl(config.url);
    }
    m_config = config;
    {
        // The user's last run (without its API key) and target, for next time.
        AppSettings settings;
        settings.setLastRunConfig(config);
        if (config.target == RunConfig::Target::Url)
            settings.addRecentTarget(config.url);
    }
    m_errorBanner->hide();
    m_transactions->clear();
    m_discoveries->clear();
    showDiscoverySessions(config.parallel);
    m_breakpoints->setBreakpoints(BreakpointList::effective(config.discoverPrograms, config.breakpoints));
    m_protocol->clear();
    m_accountDiffs->clear();
    m_accountDiffsView->showTransaction({});
    m_accountDiffsView->setEmptyNote(config.accountDiffs ? QString()
                                                         : tr("this run captures none (New Run: Also capture account diffs)"));
    m_timeline->clear();
    m_monitor->startRun(config.parallel);
    m_detail->clear();
    m_advanceCount->setValue(int(qMin<quint64>(config.advanceCount, 1000000)));
    m_running = true;
    m_state = SessionState::Creating;
    // A row of the run before is no target of this one's steps: nothing selected.
    m_sessionView->selectionModel()->clear();
    m_selectedRun.clear();
    selectSession({});
    // The run before's capture is not this run's: named again once this
    // run's capture is open (runStarted), never if it fails before.
    m_capturePath.clear();
    m_documents->setLiveCapturePath({});
    m_captureFileLabel->clear();
    m_captureFileLabel->setToolTip({});
    m_connectionLabel->setToolTip({});
    m_connectionLabel->setText(tr("Connecting to %1 …").arg(config.target == RunConfig::Target::Demo
                                                                 ? tr("the demo simulator") : redactedUrl(controlUrl)));
    updateActions();
    // A run in progress is stopped by the engine first (its session closed on
    // the server); its last reports carry its own id and are set aside.
    showLiveRun(); // a run started from a capture's tab is shown, not left behind it
    m_runId = m_engine->start(config, controlUrl);
    m_monitor->setLiveRun(m_runId);
    return true;
}

void MainWindow::startDemoRun()
{
    startRun(demoRunConfig());
}

void MainWindow::applyUpdate(const ModelUpdate &update)
{
    if (update.runId != m_runId) {
        // A run stopped for a new one: its own rows in the Sessions tree take
        // their last states; nothing of it reaches the current run's views.
        m_sessions->applyUpdates(update.sessions);
        return;
    }
    if (!update.sessions.isEmpty()) {
        m_sessions->applyUpdates(update.sessions);
        for (const SessionUpdate &session : update.sessions) {
            // The run's state: a parallel run's is its batch row's (a
            // sub-session that completes does not end the batch).
            if (session.state && (!m_config.parallel || session.sessionId.isEmpty()))
                m_state = *session.state;
            if (session.control && !m_config.parallel) {
                // With the reason of a Down or Parked socket (a retry says why, issue 9).
                const bool data = session.subscriptions && !session.subscriptions->isEmpty();
                m_connectionLabel->setText(connectionSummary(
                    describeLinkWithReason(*session.control),
                    data ? describeLinkWithReason(session.subscriptions->constFirst()) : QString()));
            }
        }
        if (m_config.parallel) {
            // A batch: its control socket and its sub-sessions' data plane
            // as the run row shows them ("Up (255/256 up)").
            const QModelIndex run = m_sessions->indexForRun(m_runId);
            const QString control = run.siblingAtColumn(SessionModel::ControlColumn).data().toString();
            const QString data = run.siblingAtColumn(SessionModel::DataPlaneColumn).data().toString();
            if (!control.isEmpty())
                m_connectionLabel->setText(connectionSummary(control, data));
        }
    }
    if (!update.transactions.isEmpty())
        m_transactions->appendRowBatch(update.transactions);
    for (const DiscoveryUpdate &discovery : update.discoveries) {
        m_discoveries->addBatch(discovery.sessionId, discovery.event);
        m_breakpoints->addHits(discovery.event, discovery.breakpointHits);
        for (const BreakpointHit &hit : discovery.breakpointHits) {
            if (hit.action == BreakpointAction::Log)
                statusBar()->showMessage(tr("Breakpoint %1 hit %2 at batch %3/%4 (log only)")
                                             .arg(programDisplayName(hit.program))
                                             .arg(hit.hit)
                                             .arg(discovery.event.slot)
                                             .arg(discovery.event.batchIndex),
                                         10000);
        }
    }
    for (const PositionUpdate &position : update.positions) {
        if (position.finished)
            m_discoveries->setSessionFinished(position.sessionId);
        else
            m_discoveries->setPosition(position.sessionId, position.slot, position.batchIndex, position.paused);
    }
    if (!update.protocol.isEmpty())
        m_protocol->appendEntries(update.protocol);
    if (!update.accountDiffs.isEmpty()) {
        const bool first = m_accountDiffs->rowCount() == 0;
        m_accountDiffs->appendRows(update.accountDiffs);
        if (first)
            followSelectionInAccountDiffs(); // a transaction selected before any diff came
    }
    if (!update.connections.isEmpty())
        m_timeline->appendEvents(update.connections);
    m_monitor->applyUpdate(update);
    m_capturedLabel->setText(tr("%n transaction(s) captured", nullptr, int(qMin<quint64>(update.capturedTotal, INT_MAX)))
                             + (update.duplicatesDropped ? tr(", %1 duplicates dropped").arg(update.duplicatesDropped) : QString())
                             + (update.framesDropped ? tr(", unreadable frames dropped: %1").arg(update.framesDropped)
                                                     : QString()));
    updateActions();
}

void MainWindow::onRunFinished(const RunOutcome &outcome)
{
    if (outcome.runId != m_runId) {
        // A run stopped for a new one (its row already says Stopped); a
        // session the server was not told about still holds it: said.
        if (outcome.serverNotTold)
            statusBar()->showMessage(tr("The run before: %1").arg(outcome.message), 30000);
        return;
    }
    m_running = false;
    m_documents->setLiveCaptureWritten(false);
    m_timeline->closeAll(runClockMs());
    m_monitor->finishRun();
    // The run's capture is one to open again (File ▸ Open Recent), as an
    // opened one is; not a device or stream, nor a file that got nothing.
    if (const QFileInfo capture(m_capturePath); capture.isFile() && capture.size() > 0)
        DocumentArea::addRecentCapture(capture.absoluteFilePath());
    if (outcome.kind == RunOutcome::Kind::Failed) {
        m_state = SessionState::Failed;
        showError(outcome.message);
        // Stays after the banner is dismissed and the status message left.
        m_connectionLabel->setText(tr("Run failed"));
        m_connectionLabel->setToolTip(outcome.message);
        if (outcome.category == RunOutcome::Category::Capture) {
            // What the file holds: the chunk the disk refused is not in it.
            m_capturedLabel->setText(
                tr("%n transaction(s) captured", nullptr, int(qMin<quint64>(outcome.transactions, INT_MAX))));
        }
    } else if (outcome.kind == RunOutcome::Kind::Stopped) {
        m_state = SessionState::Stopped;
        m_connectionLabel->setText(tr("Stopped · the capture keeps %n transaction(s)", nullptr, int(outcome.transactions)));
        if (outcome.serverNotTold) {
            // The session lingers on the server (capacity, its name): said where it is seen.
            m_connectionLabel->setText(m_connectionLabel->text()
                                       + tr(" · the server was not told: it keeps the session until its "
                                            "disconnect timeout"));
            m_connectionLabel->setToolTip(outcome.message);
        }
    } else {
        m_state = SessionState::Completed;
        m_connectionLabel->setText(tr("Completed · %n transaction(s) captured", nullptr, int(outcome.transactions)));
    }
    if (outcome.framesDropped > 0) {
        // Not a complete capture: say so where the run's end is read.
        m_connectionLabel->setText(m_connectionLabel->text()
                                   + tr(" · unreadable frames dropped: %1 (frame_dropped in the events file)")
                                         .arg(outcome.framesDropped));
    }
    if (outcome.replayGaps > 0) {
        m_connectionLabel->setText(m_connectionLabel->text()
                                   + tr(" · %n replay gap(s), %1 slot(s) missed (replay_gap in the events file)",
                                        nullptr, int(qMin<quint64>(outcome.replayGaps, INT_MAX)))
                                         .arg(outcome.missedSlots));
    }
    updateActions();
    Q_EMIT runFinished(outcome);
}

void MainWindow::showStepRefusal(const QString &text, int timeoutMs)
{
    m_stepRefusal = text;
    statusBar()->showMessage(text, timeoutMs);
}

void MainWindow::clearStepRefusal()
{
    if (!m_stepRefusal.isEmpty() && statusBar()->currentMessage() == m_stepRefusal)
        statusBar()->clearMessage();
    m_stepRefusal.clear();
}

void MainWindow::continueToSelection(ContinueToSource source)
{
    clearStepRefusal(); // Enter in the target box, a double-clicked batch: no action ran
    // (Enter in the target box and a double-clicked batch come here without
    // the action, which updateActions() disables for such a selection.)
    if (earlierRunSelected()) {
        showStepRefusal(tr("The selected row is of an earlier run, which steps no more: select the live "
                                    "run to step it."),
                                 10000);
        return;
    }
    if (!m_running) {
        // (Enter in the target box still works once the run has ended: it
        // once offered to run a completed session "to its end".)
        showStepRefusal(tr("No run is live, so there is nothing to step: start one with New Run (Ctrl+N)."),
                                 10000);
        return;
    }
    const QModelIndexList selected = m_discoveryView->selectionModel()->selectedRows();
    if (source == ContinueToSource::Chosen) {
        // What the user just typed beats a batch selected earlier; otherwise
        // the selected batch, and without one the typed target.
        const bool typing = m_continueTarget->hasFocus() && !m_continueTarget->text().trimmed().isEmpty();
        source = typing || selected.isEmpty() ? ContinueToSource::Typed : ContinueToSource::Selected;
    }
    if (source == ContinueToSource::Selected) {
        if (selected.isEmpty())
            return;
        const DiscoveryBatchEvent batch
            = m_discoveries->batchAt(m_discoveryFilter->mapToSource(selected.constFirst()).row());
        const QString sessionId = selected.constFirst().data(SessionIdRole).toString();
        switch (DiscoveryModel::BatchState(selected.constFirst().data(DiscoveryModel::StateRole).toInt())) {
        case DiscoveryModel::BatchState::Ahead:
            m_engine->continueTo(batch.slot, batch.batchIndex, sessionId);
            return;
        case DiscoveryModel::BatchState::Reached:
            showStepRefusal(tr("The session is already paused before batch %1/%2: Continue to go past it, "
                                        "or select a batch ahead.")
                                         .arg(batch.slot)
                                         .arg(batch.batchIndex),
                                     10000);
            return;
        case DiscoveryModel::BatchState::Passed:
            showStepRefusal(tr("Batch %1/%2 is behind the session: a backtest only goes forward.")
                                         .arg(batch.slot)
                                         .arg(batch.batchIndex),
                                     10000);
            return;
        }
        return;
    }
    const QString target = m_continueTarget->text().trimmed();
    const QStringList parts = target.split(u'/');
    bool slotOk = false;
    const quint64 slot = parts.value(0).toULongLong(&slotOk);
    bool batchOk = true;
    const qint64 batch = parts.size() > 1 ? parts.value(1).toLongLong(&batchOk) : -1;
    if (!slotOk || !batchOk || parts.size() > 2) {
        showStepRefusal(
            target.isEmpty()
                ? tr("Select a discovery batch, or type a target as slot or slot/batch.")
                : tr("“%1” is no target: type a slot (e.g. 1083) or slot/batch (1083/0), or select a discovery batch.")
                      .arg(target),
            8000);
        m_continueTarget->setFocus();
        m_continueTarget->selectAll(); // typing replaces the typo
        return;
    }
    // A typed slot outside what is left of the session is most likely a typo:
    // a backtest only goes forward, and running it past its end cannot be
    // undone. (A parallel run without a selected sub-session: the engine finds
    // the sub-session whose range covers the slot, checked here the same way,
    // or says none does.)
    const QString stepping = stepTarget();
    const QString sessionId = stepping.isEmpty() ? m_sessions->sessionForSlot(m_runId, slot) : stepping;
    if (sessionId.isEmpty() && m_config.parallel) {
        // No running sub-session covers it: once said nowhere, nothing sent.
        showStepRefusal(tr("No running sub-session covers slot %1 (the batch runs slots %2..%3): select a "
                           "sub-session in Sessions, or type a slot within a running one.")
                            .arg(slot)
                            .arg(m_config.startSlot)
                            .arg(m_config.endSlot),
                        10000);
        m_continueTarget->setFocus();
        m_continueTarget->selectAll();
        return;
    }
    if (const std::optional<SessionModel::SlotPosition> at = m_sessions->slotPosition(sessionId)) {
        const quint64 from = at->currentSlot.value_or(at->startSlot);
        const std::optional<quint32> typedBatch = batch >= 0 ? std::optional<quint32>(quint32(batch)) : std::nullopt;
        const bool pausedThere = typedBatch && m_discoveries->isPausedBefore(sessionId, slot, *typedBatch);
        if (slot < from || pausedThere || m_discoveries->hasRun(sessionId, slot, typedBatch)) {
            // (The slot a step just ran is the session's current slot: run,
            // so the server would refuse it. Paused right before the batch
            // typed: as for its row, nothing to go to.)
            showStepRefusal(slot < from ? tr("Slot %1 is behind the session, which is at slot %2: a backtest only "
                                             "goes forward.").arg(slot).arg(from)
                            : pausedThere
                                ? tr("The session is already paused before batch %1/%2: Continue to go past it, "
                                     "or select a batch ahead.").arg(slot).arg(*typedBatch)
                                : tr("Slot %1 has run already (the session is at slot %2): a backtest only goes "
                                     "forward.").arg(target).arg(from),
                            10000);
            m_continueTarget->setFocus();
            m_continueTarget->selectAll();
            return;
        }
        if (slot > at->endSlot) {
            const auto answer = QMessageBox::question(
                this, tr("Past the last slot"),
                tr("Slot %1 is past the session's last slot %2.\n\nRun the session to its end?")
                    .arg(slot).arg(at->endSlot),
                QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
            if (answer == QMessageBox::Yes) {
                m_engine->runToEnd(stepping);
            } else {
                m_continueTarget->setFocus();
                m_continueTarget->selectAll();
            }
            return;
        }
    }
    m_engine->continueTo(slot, batch, stepping);
}

void MainWindow::followSelectionInAccountDiffs()
{
    // The selected transaction's diffs (every diff with none selected, or
    // while there are none: no filter claims to narrow an empty table).
    const QModelIndex current = m_transactionView->currentIndex();
    m_accountDiffsView->showTransaction(
        current.isValid() && m_accountDiffs->rowCount() > 0
            ? current.siblingAtColumn(0).data(TransactionModel::SignatureRole).toString()
            : QString());
}

bool MainWindow::selectLiveTransaction(const QString &signature)
{
    showLiveRun();
    for (int row = 0; row < m_transactionFilter->rowCount(); ++row) {
        const QModelIndex index = m_transactionFilter->index(row, 0);
        if (index.data(TransactionModel::SignatureRole).toString() == signature) {
            m_transactionView->setCurrentIndex(index);
            m_transactionView->scrollTo(index);
            return true;
        }
    }
    return false;
}

void MainWindow::showSelectedTransaction()
{
    const QModelIndex current = m_transactionView->currentIndex();
    followSelectionInAccountDiffs();
    if (!current.isValid()) {
        m_detail->clear();
        return;
    }
    const QVariant offset = current.siblingAtColumn(0).data(TransactionModel::CaptureOffsetRole);
    if (!offset.isValid() || m_capturePath.isEmpty()) {
        m_detail->showMessage(tr("This transaction is not in a capture file."));
        return;
    }
    const Result<QByteArray> raw = CaptureReader::readRawTransaction(m_capturePath, offset.toLongLong());
    if (!raw) {
        m_detail->showMessage(tr("Cannot read the transaction from the capture: %1").arg(raw.error().message));
        return;
    }
    m_detail->showTransaction(*raw);
}

bool MainWindow::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::ShortcutOverride && watched->isWidgetType() && m_export->isEnabled()
        && QKeySequence(static_cast<QKeyEvent *>(event)->keyCombination()) == m_export->shortcut()) {
        // A field of this window's (a spin box gets the override for its line
        // edit), in a floating toolbar too, whose shortcuts are this window's;
        // not a table's cell editor, where the export would end the edit.
        const auto *widget = static_cast<QWidget *>(watched);
        QWidget *top = widget->window();
        while (top->windowType() == Qt::Tool && top->parentWidget())
            top = top->parentWidget()->window();
        bool inCellEditor = false;
        for (const QWidget *w = widget; w && !inCellEditor; w = w->parentWidget())
            inCellEditor = qobject_cast<const QAbstractItemView *>(w) != nullptr;
        if (top == this && !inCellEditor) {
            event->ignore(); // not overridden: the shortcut fires
            return true;
        }
    }
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::showLiveRun()
{
    if (m_documents)
        m_documents->setCurrentIndex(0);
}

void MainWindow::exportCsv()
{
    exportCsvOf(ExportRequest::Kind::Transactions);
}

void MainWindow::exportCsvOf(ExportRequest::Kind kind, bool fromAccountDiffs)
{
    if (m_capturePath.isEmpty())
        return;
    showLiveRun();
    ExportOrigin origin{.table = m_transactionFilter, .tableSelection = m_transactionView->selectionModel()};
    if (fromAccountDiffs) {
        origin.diffs = m_accountDiffsView->proxy();
        origin.diffSelection = m_accountDiffsView->table()->selectionModel();
    }
    exportCsvFrom(this, m_capturePath, kind, origin, [this](const ExportRequest &request, const Result<ExportStats> &result) {
        if (!result) {
            showError(tr("CSV export failed: %1").arg(result.error().message), ErrorSource::Export);
            return;
        }
        // An earlier export's failure is answered by this one's success.
        if (m_errorSource == ErrorSource::Export && m_errorBanner->isVisible())
            dismissError();
        // Lines of the capture that could not be read are missing from the
        // CSV: say so where it cannot be missed.
        if (const QString incomplete = exportIncompleteMessage(request, *result); !incomplete.isEmpty())
            showError(incomplete, ErrorSource::Export);
        statusBar()->showMessage(exportedMessage(request, *result), 10000);
    }, [this](const ExportRequest &request) { statusBar()->showMessage(exportCancelledMessage(request), 10000); });
}

void MainWindow::showError(const QString &message, ErrorSource source)
{
    m_errorMessage = message;
    m_errorSource = source;
    m_errorBanner->setText(tr("<b>Error:</b> %1 &nbsp; <a href=\"dismiss\">Dismiss</a>").arg(message.toHtmlEscaped()));
    m_errorBanner->show();
    statusBar()->showMessage(message, 10000);
}

void MainWindow::dismissError()
{
    m_errorBanner->hide();
    m_errorMessage.clear();
}

void MainWindow::selectSession(const QString &sessionId)
{
    m_selectedSession = sessionId;
    m_transactionFilter->setSessionFilter(sessionId);
    m_discoveryFilter->setFilterRegularExpression(
        sessionId.isEmpty() ? QString() : QRegularExpression::anchoredPattern(QRegularExpression::escape(sessionId)));
    m_discoveryScope->setText(tr("Batches of %1 · select the run for all").arg(shortSessionId(sessionId)));
    m_discoveryScope->setToolTip(sessionId);
    m_discoveryScope->setVisible(!sessionId.isEmpty());
    m_accountDiffsView->showSession(sessionId);
    updateActions();
}

void MainWindow::showDiscoverySessions(bool batch)
{
    // Which sub-session a discovery belongs to (Continue To steps that one),
    // wide enough for a shortened id ("backtest_…3f9a1c00"). The run decides,
    // not a restored layout (the last session's header state).
    m_discoveryView->setColumnHidden(DiscoveryModel::SessionColumn, !batch);
    const int sessionWidth = SessionIdDelegate::fittingWidth(m_discoveryView);
    if (batch && m_discoveryView->columnWidth(DiscoveryModel::SessionColumn) < sessionWidth)
        m_discoveryView->setColumnWidth(DiscoveryModel::SessionColumn, sessionWidth);
}

QString MainWindow::liveSessionsClosedText() const
{
    // A parallel run's row has a child per sub-session; a single run's none
    // (and a run not shown yet no row at all).
    const QModelIndex run = m_sessions->indexForRun(m_runId);
    const int subSessions = run.isValid() ? m_sessions->rowCount(run) : 0;
    if (subSessions == 0)
        return tr("Its session is closed on the server");
    int live = 0;
    for (int row = 0; row < subSessions; ++row)
        live += !isTerminalState(SessionState(m_sessions->index(row, 0, run).data(SessionModel::StateRole).toInt()));
    return tr("Its %n sessions are closed on the server", nullptr, live);
}

void MainWindow::confirmAndStop()
{
    // Shift+F5 is one key from Continue (F5) and Run to End (Ctrl+F5), and
    // a closed session cannot be resumed: asked, as Quit and New Run ask.
    if (!m_running)
        return;
    const auto answer = QMessageBox::question(
        this, tr("Stop the run?"),
        tr("%1 and cannot be resumed; the capture keeps everything that arrived.\n\nStop the run now?")
            .arg(liveSessionsClosedText()),
        QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
    if (answer == QMessageBox::Yes && m_running)
        m_engine->stop();
}

bool MainWindow::confirmQuit()
{
    if (!m_running)
        return true;
    const auto answer = QMessageBox::question(
        this, tr("Quit during a run?"),
        tr("A run is in progress.\n\nStop it and quit? %1 and cannot be resumed; its capture keeps "
           "everything that arrived.")
            .arg(liveSessionsClosedText()),
        QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
    return answer == QMessageBox::Yes;
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    // The window manager's close (the title bar, Alt+F4) asks like Quit does;
    // a close() of the program's own (SIGINT, SIGTERM) does not.
    if (event->spontaneous() && !confirmQuit()) {
        event->ignore();
        return;
    }
    if (m_running)
        m_engine->stop();
    // The live run's layout is the one to remember, not a document's.
    if (m_documents)
        m_documents->setCurrentIndex(0);
    saveSettings();
    event->accept();
}

} // namespace SlotScope
