// The workbench in the window (issue 12 items 1–4): a run on the embedded demo
// simulator is captured, then opened offline next to the live run — the same
// rows, the sessions / discoveries / account diffs rebuilt, the detail pane
// reading transactions back by offset and rendering them like Solana
// Explorer, account diffs linked to their transaction — plus damaged files,
// drag and drop, the recent list, and a comparison of two runs.
//
// With SLOTSCOPE_SCREENSHOT_DIR set, screenshots of the capture view (detail of
// several fixtures, account diffs) and of the comparison are saved there.

#include "accountdiffsview.h"
#include "appsettings.h"
#include "capture/capturewriter.h"
#include "connectiontimelineview.h"
#include "csvexportjob.h"
#include "coordinatorpanel.h"
#include "captureview.h"
#include "comparerunsdialog.h"
#include "compareview.h"
#include "documentarea.h"
#include "exportdialog.h"
#include "protocolconsoleview.h"
#include "mainwindow.h"
#include "model/accountdiffmodel.h"
#include "model/discoverymodel.h"
#include "model/modelroles.h"
#include "model/protocollogmodel.h"
#include "model/sessionmodel.h"
#include "sessionlabels.h"
#include "model/transactionmodel.h"
#include "net/connectionpolicy.h"
#include "model/transactionfilterproxymodel.h"
#include "protocol/transactionsummary.h"
#include "protocol/transactionfiles.h"
#include "protocol/coordinatorsnapshot.h"
#include "support/capturefiles.h"
#include "support/policies.h"
#include "support/widgettesthelpers.h"
#include "transactiondetailview.h"
#include "workbench/capturedocument.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QDockWidget>
#include <QJsonObject>
#include <QRadioButton>
#include <QProgressDialog>
#include <QFile>
#include <QComboBox>
#include <QLabel>
#include <QRegularExpression>
#include <QTimer>
#include <QMessageBox>
#include <QLineEdit>
#include <QMenu>
#include <QMimeData>
#include <QEventLoop>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QSplitter>
#include <QTabBar>
#include <QTabWidget>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QToolButton>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QTreeView>
#include <QLocale>

using namespace Qt::StringLiterals;
using namespace std::chrono;
using namespace SlotScope;
using SlotScope::Testing::writeFile;
using SlotScope::Testing::writeBatchOfFixtures;

namespace {

constexpr auto JupiterV6 = "JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4";
const QString kUsdc = u"4LXpF3MCdp69iFmD27Sn812UNpqFPHM4qXH7Y12E964p9GHXvwMe1XEmyasogVT2N4XEctdQQLf1sHY6Gvsa5sFX"_s;
const QString kFailed = u"7ynjNWxA4yAQGXD5U9gheTn2DGDjoCZ4MB68wm15oJqEeA2MdSze6hMABJiEkC2atJCf4QsUCXBLrYpAdeMzsFG"_s;
const QString kJupiter = u"2m6e4MBQ2wKiFhtc8d479C6SUKkqEiBzemwxSQVaSdr4zGHdoefxWz28u2rnCtUu7SfcgwWpEBDr3L5NZnEqffnv"_s;

void saveScreenshot(QWidget *widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("SLOTSCOPE_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QCoreApplication::processEvents();
    widget->grab().save(dir + u'/' + name);
}

} // namespace

class tst_CaptureView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void liveRunOpenedOffline();
    void anEventsFileOpensItsCapture();
    void detailLikeExplorer_data();
    void detailLikeExplorer();
    void accountDiffsLinkedToTransactions();
    void damagedCaptureIsReported();
    void aFileThatIsNoCaptureSaysOnlySo();
    void simRunFileHidesUnrecordedColumns();
    void dropAndRecent();
    void compareTwoRuns();
    void compareRunsDialogSaysWhatIsWrong();
    void recordedCoordinator();
    void aStoppedRunIsNotCalledCutShort();
    void aCaptureStillBeingWrittenOffersReload();
    void eventsAppendedWhileIndexingAreNotMissed();
    void aCancelledExportIsNoFailure();
    void aFailedExportShowsNoProgressOverItsMessage();
    void exportFollowsTheTablesFilter();
    void theAccountDiffsPanelExportsWhatItShows();
    void theProtocolConsoleFilters();
    void liveAccountDiffsAreWhatTheCaptureKeeps();
    void aSelectedSubSessionNarrowsTheTable();

private:
    QString largeCapture();
    CaptureView *openAndWait(MainWindow &window, const QString &path);

    QTemporaryDir m_dir;
    QString m_livePath;
    QList<TransactionRecord> m_liveRows;
    QList<AccountDiffRecord> m_liveDiffs; // the live Account diffs dock's rows
    int m_liveDiscoveries = 0;
};

void tst_CaptureView::initTestCase()
{
    // Settings go to a directory of the test's own (AppSettings' file).
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath(u"settings"_s));
    AppSettings().clearRecentCaptures();

    // One real run through the window: the demo simulator over the fixtures,
    // with discoveries and account diffs, run to the end.
    MainWindow window;
    window.setConnectionPolicy(Testing::refServerPolicy());
    window.show();
    RunConfig config = MainWindow::demoRunConfig();
    config.demoTxDir = QString::fromUtf8(SLOTSCOPE_FIXTURES_DIR);
    config.capturePath = m_dir.filePath(u"live.ndjson"_s);
    config.accountDiffs = true;
    config.discoverPrograms = {QString::fromLatin1(JupiterV6)};
    QSignalSpy finished(&window, &MainWindow::runFinished);
    window.startRun(config);
    QTRY_VERIFY_WITH_TIMEOUT(window.runToEndAction()->isEnabled(), 20000);
    window.runToEndAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
    QCOMPARE(window.transactionModel()->rowCount(), 31);
    for (int row = 0; row < window.transactionModel()->rowCount(); ++row)
        m_liveRows.append(window.transactionModel()->record(row));
    m_liveDiscoveries = window.discoveryModel()->rowCount();
    for (int row = 0; row < window.accountDiffModel()->rowCount(); ++row)
        m_liveDiffs.append(window.accountDiffModel()->record(row));
    QVERIFY(m_liveDiscoveries > 0);
    m_livePath = window.capturePath();
    QCOMPARE(m_livePath, config.capturePath);
}

void tst_CaptureView::cleanupTestCase()
{
    AppSettings().clearRecentCaptures();
}

CaptureView *tst_CaptureView::openAndWait(MainWindow &window, const QString &path)
{
    window.openCapture(path);
    auto *view = qobject_cast<CaptureView *>(window.documentArea()->currentWidget());
    if (!view)
        return nullptr;
    if (view->document()->isIndexing() || view->document()->state() == CaptureDocument::State::Idle) {
        QSignalSpy finished(view, &CaptureView::finished);
        if (!finished.wait(30000))
            return nullptr;
    }
    return view;
}

void tst_CaptureView::anEventsFileOpensItsCapture()
{
    // NAME.events.ndjson picked in Open Capture: its capture opens (whose
    // tabs show the events), with a word; not an empty table that calls the
    // events file a capture cut short.
    MainWindow window;
    QVERIFY(TestSupport::showAndWaitExposed(window));
    window.openCapture(CaptureWriter::eventsPathFor(m_livePath));
    QVERIFY2(window.statusBar()->currentMessage().contains(u"is the events file of %1"_s.arg(QFileInfo(m_livePath).fileName())),
             qPrintable(window.statusBar()->currentMessage()));
    CaptureView *view = openAndWait(window, m_livePath); // the same tab
    QVERIFY(view);
    QCOMPARE(QFileInfo(view->path()).absoluteFilePath(), QFileInfo(m_livePath).absoluteFilePath());
    QCOMPARE(view->document()->state(), CaptureDocument::State::Ready);
    QVERIFY(view->document()->result().transactions > 0);
    QCOMPARE(window.documentArea()->count(), 2); // the live run and the capture
}

void tst_CaptureView::liveRunOpenedOffline()
{
    MainWindow window;
    QVERIFY(TestSupport::showAndWaitExposed(window, {1600, 1000}));
    const QList<QDockWidget *> docks = window.findChildren<QDockWidget *>();
    QVERIFY(!docks.isEmpty());
    QHash<QDockWidget *, QSize> sizes;
    for (QDockWidget *dock : docks) {
        QVERIFY(dock->isVisible());
        // Not a tab behind another (its size is stale until first shown).
        if (dock->objectName() == u"sessions"_s || window.tabifiedDockWidgets(dock).isEmpty())
            sizes.insert(dock, dock->size());
    }
    QVERIFY(!sizes.isEmpty());
    // Which dock of each tabbed group is in front.
    const auto frontTabs = [&window] {
        QStringList fronts;
        for (const QTabBar *bar : window.findChildren<QTabBar *>(Qt::FindDirectChildrenOnly)) {
            if (bar->isVisible())
                fronts << bar->tabText(bar->currentIndex());
        }
        fronts.sort();
        return fronts;
    };
    const QStringList fronts = frontTabs();
    QVERIFY(!fronts.isEmpty());

    CaptureView *view = openAndWait(window, m_livePath);
    QVERIFY(view);
    DocumentArea *area = window.documentArea();
    QCOMPARE(area->count(), 2);
    QCOMPARE(area->tabText(0), u"Live run"_s);
    QCOMPARE(area->tabText(1), u"live.ndjson"_s);
    QVERIFY(view->headerText().contains(u"Offline capture"_s));
    QVERIFY(view->headerText().contains(u"with events file"_s));
    QVERIFY(view->headerText().contains(u"31 transactions (28 succeeded, 3 failed)"_s));
    // The live run's docks step aside while the capture is shown, and come back.
    for (QDockWidget *dock : docks)
        QVERIFY(!dock->isVisible());

    // Exactly the rows the live table showed.
    TransactionModel *model = view->document()->transactions();
    QCOMPARE(model->rowCount(), m_liveRows.size());
    for (int row = 0; row < model->rowCount(); ++row)
        QCOMPARE(model->record(row), m_liveRows.at(row));
    // The run's panels, rebuilt from the events file.
    QCOMPARE(view->document()->discoveries()->rowCount(), m_liveDiscoveries);
    {
        // Arrival order until a header sorts them, by number, not by text.
        QTableView *discoveries = nullptr;
        for (QTableView *table : view->findChildren<QTableView *>()) {
            if (table->model()->columnCount() == DiscoveryModel::ColumnCount
                && table->model()->rowCount() == m_liveDiscoveries)
                discoveries = table;
        }
        QVERIFY(discoveries && discoveries->isSortingEnabled());
        QVERIFY(m_liveDiscoveries > 1);
        const auto slotAt = [&](int row) {
            return discoveries->model()->index(row, 0).data(DiscoveryModel::SlotRole).toULongLong();
        };
        for (int row = 0; row < m_liveDiscoveries; ++row)
            QCOMPARE(slotAt(row), view->document()->discoveries()->batchAt(row).slot);
        discoveries->sortByColumn(DiscoveryModel::SlotColumn, Qt::DescendingOrder);
        for (int row = 1; row < m_liveDiscoveries; ++row)
            QVERIFY(slotAt(row - 1) >= slotAt(row));
        QVERIFY(slotAt(0) > slotAt(m_liveDiscoveries - 1));
    }
    QCOMPARE(view->document()->sessions()->rowCount(), 1);
    QCOMPARE(view->document()->sessions()->index(0, 0).data(SessionModel::StateRole).toInt(),
             int(SessionState::Completed));
    QVERIFY(view->document()->accountDiffs()->rowCount() > 31);
    QVERIFY(view->document()->protocol()->rowCount() > 0);
    QVERIFY(view->problemsText().isEmpty());
    // Its session columns name the session as the live window's docks do.
    {
        const QModelIndex cell = view->transactionView()->model()->index(0, TransactionModel::SessionColumn);
        const auto *delegate =
            qobject_cast<const QStyledItemDelegate *>(view->transactionView()->itemDelegateForIndex(cell));
        QVERIFY(delegate);
        const QString sessionId = cell.data().toString();
        QVERIFY2(sessionId.size() > 22, qPrintable(sessionId));
        QCOMPARE(delegate->displayText(cell.data(), QLocale()), shortSessionId(sessionId));
    }
    // A document page asks for little room: the tab widget is as large as its
    // largest page's minimum, and the live run's docks would give way to it.
    QVERIFY2(area->minimumSizeHint().height() <= 300, qPrintable(QString::number(area->minimumSizeHint().height())));

    area->setCurrentIndex(0);
    for (QDockWidget *dock : docks)
        QVERIFY(dock->isVisible());
    // … with the sizes they had.
    QCoreApplication::processEvents();
    QCOMPARE(frontTabs(), fronts);
    for (QDockWidget *dock : sizes.keys())
        QVERIFY2(dock->size() == sizes.value(dock),
                 qPrintable(u"%1: %2×%3, was %4×%5"_s.arg(dock->objectName()).arg(dock->width()).arg(dock->height())
                                .arg(sizes.value(dock).width()).arg(sizes.value(dock).height())));
    // Opening the same file again shows its tab instead of a second one.
    window.openCapture(m_livePath);
    QCOMPARE(area->count(), 2);
    QCOMPARE(area->currentIndex(), 1);
    // Close Tab (Ctrl+W) closes documents, never the live run, and is
    // disabled while the live run's tab is the current one.
    auto *closeTab = window.findChild<QAction *>(u"closeTab"_s);
    QVERIFY(closeTab);
    QVERIFY(closeTab->isEnabled());
    area->setCurrentIndex(0);
    QVERIFY(!closeTab->isEnabled());
    area->closeDocument(0);
    QCOMPARE(area->count(), 2);
    area->setCurrentIndex(1);
    QVERIFY(closeTab->isEnabled());
    closeTab->trigger();
    QCOMPARE(area->count(), 1);
    QVERIFY(!closeTab->isEnabled());
}

void tst_CaptureView::detailLikeExplorer_data()
{
    QTest::addColumn<QString>("signature");
    QTest::addColumn<QStringList>("expected");
    QTest::addRow("USDC transfer") << kUsdc
        << QStringList{u"Success"_s, u"Account Input(s) (10)"_s, u"Token Program: Transfer Checked"_s,
                       u"Compute Budget Program: Set Compute Unit Limit"_s, u"-3.8"_s, u"+3.8"_s, u"101899.968394"_s,
                       u"◎0.00004837"_s, u"-0.00004837"_s, u"Fee Payer"_s, u"Writable"_s, u"Program"_s};
    QTest::addRow("failed") << kFailed
        << QStringList{u"Error processing Instruction 3: Program failed to complete"_s, u"Failing instruction"_s,
                       u"#4 GqCH…NouR — Program failed to complete"_s, u"Associated Token Program: Create"_s,
                       u"#3.2 System Program: Create Account"_s, u"Account Input(s) (25)"_s};
    QTest::addRow("Jupiter v6 swap") << kJupiter
        << QStringList{u"Jupiter Aggregator v6"_s, u"#4.2.1.2 Token Program: Mint To"_s, u"Address Table Lookup"_s,
                       u"Token Balances (12)"_s, u"-5878.070878"_s, u"+0.003010691"_s, u"Meteora Pools"_s};
}

void tst_CaptureView::detailLikeExplorer()
{
    QFETCH(QString, signature);
    QFETCH(QStringList, expected);
    MainWindow window;
    window.resize(1600, 1000);
    window.show();
    CaptureView *view = openAndWait(window, m_livePath);
    QVERIFY(view);
    QVERIFY(view->selectTransaction(signature));
    TransactionDetailView *detail = view->detailView();
    const QString html = detail->findChild<QTextBrowser *>(u"overview"_s)->toPlainText();
    QVERIFY2(html.contains(signature), qPrintable(html.left(300)));
    for (const QString &text : expected)
        QVERIFY2(html.contains(text), qPrintable(u"missing: "_s + text));
    // Logs are nested and coloured; the failing program's line is there.
    if (signature == kFailed) {
        QVERIFY(detail->logsHtml().contains(u"failed: Could not create program address"_s));
        QVERIFY(detail->logsHtml().contains(u"#b00020"_s));
    }
    // Copy links put the value on the clipboard.
    QSignalSpy copied(detail, &TransactionDetailView::copied);
    auto *browser = detail->findChild<QTextBrowser *>(u"overview"_s);
    Q_EMIT browser->anchorClicked(QUrl(u"copy:"_s + signature));
    QCOMPARE(copied.size(), 1);
    QCOMPARE(QApplication::clipboard()->text(), signature);
    const QString tag = QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'-');
    if (auto *splitter = view->findChild<QSplitter *>())
        splitter->setSizes({200, 800}); // room for the detail in the screenshots
    saveScreenshot(&window, u"detail-%1.png"_s.arg(tag));
    for (const QString &anchor : {u"accounts"_s, u"tokens"_s, u"instructions"_s}) {
        browser->scrollToAnchor(anchor);
        saveScreenshot(&window, u"detail-%1-%2.png"_s.arg(tag, anchor));
    }
    detail->setCurrentIndex(1);
    saveScreenshot(&window, u"logs-%1.png"_s.arg(tag));
}

void tst_CaptureView::accountDiffsLinkedToTransactions()
{
    MainWindow window;
    window.resize(1600, 1000);
    window.show();
    CaptureView *view = openAndWait(window, m_livePath);
    QVERIFY(view);
    AccountDiffsView *diffs = view->accountDiffsView();
    AccountDiffModel *model = view->document()->accountDiffs();
    const int total = model->rowCount();

    // Selecting a transaction narrows the diffs to it.
    QVERIFY(view->selectTransaction(kUsdc));
    int usdcDiffs = 0;
    for (int row = 0; row < total; ++row)
        usdcDiffs += model->record(row).signature == kUsdc;
    QVERIFY(usdcDiffs > 0);
    QCOMPARE(diffs->proxy()->rowCount(), usdcDiffs);
    for (int row = 0; row < diffs->proxy()->rowCount(); ++row)
        QCOMPARE(diffs->proxy()->index(row, 0).data(AccountDiffModel::SignatureRole).toString(), kUsdc);
    // The fee payer's lamports before / after and delta, as in the transaction.
    const QString payer = u"3V9bd3EN5aNuhE4RiHGbZ1eZakJ1F9cDb8V4YLjCG8cg"_s;
    diffs->setAccountFilter(payer);
    QCOMPARE(diffs->proxy()->rowCount(), 1);
    QCOMPARE(diffs->proxy()->index(0, AccountDiffModel::PreLamportsColumn).data(RawValueRole).toULongLong(), 401428673570u);
    QCOMPARE(diffs->proxy()->index(0, AccountDiffModel::PostLamportsColumn).data(RawValueRole).toULongLong(), 401428625200u);
    QCOMPARE(diffs->proxy()->index(0, AccountDiffModel::LamportsDeltaColumn).data().toString(), QLocale().toString(-48370));
    saveScreenshot(&window, u"account-diffs.png"_s);

    // Filter by account across all transactions, then jump to a transaction.
    diffs->showTransaction({});
    QVERIFY(diffs->proxy()->rowCount() >= 1);
    diffs->setAccountFilter(QString());
    QCOMPARE(diffs->proxy()->rowCount(), total);
    int failedRow = -1;
    for (int row = 0; row < diffs->proxy()->rowCount(); ++row) {
        if (diffs->proxy()->index(row, 0).data(AccountDiffModel::SignatureRole).toString() == kFailed)
            failedRow = row;
    }
    QVERIFY(failedRow >= 0);
    Q_EMIT diffs->table()->activated(diffs->proxy()->index(failedRow, 0));
    const QModelIndex current = view->transactionView()->currentIndex();
    QCOMPARE(current.data(TransactionModel::SignatureRole).toString(), kFailed);
}

void tst_CaptureView::damagedCaptureIsReported()
{
    QFile live(m_livePath);
    QVERIFY(live.open(QIODevice::ReadOnly));
    QList<QByteArray> lines = live.readAll().split('\n');
    lines[2] = lines[2].left(lines[2].size() / 2);    // cut short
    lines[5] = "\x7f garbage";
    const QString path = writeFile(m_dir.filePath(u"damaged.ndjson"_s), lines.join('\n'));
    MainWindow window;
    window.show();
    CaptureView *view = openAndWait(window, path);
    QVERIFY(view);
    QCOMPARE(view->document()->state(), CaptureDocument::State::Ready);
    QCOMPARE(view->document()->transactions()->rowCount(), 29);
    QVERIFY2(view->problemsText().contains(u"2 damaged line(s) skipped"_s), qPrintable(view->problemsText()));
    QVERIFY(view->problemsText().contains(u"line(s) 3, 6"_s));

    // The header counts what the table holds (the summary line still counts
    // the two damaged transactions).
    const TransactionModel *model = view->document()->transactions();
    int failed = 0;
    for (int row = 0; row < model->rowCount(); ++row)
        failed += model->record(row).success ? 0 : 1;
    const QString counted = u"29 transactions (%1 succeeded, %2 failed)"_s.arg(29 - failed).arg(failed);
    QVERIFY2(view->headerText().contains(counted), qPrintable(view->headerText() + u" ≠ "_s + counted));

    // Its CSV lacks those lines: the export says so where it cannot be
    // missed, as a live run's does (it once said only "Exported 29 rows").
    const QString csv = m_dir.filePath(u"damaged.csv"_s);
    QStringList warnings;
    QTimer answer;
    answer.setInterval(20);
    connect(&answer, &QTimer::timeout, this, [&] {
        QWidget *modal = QApplication::activeModalWidget();
        if (auto *dialog = qobject_cast<ExportDialog *>(modal)) {
            dialog->findChild<QLineEdit *>(u"csvPath"_s)->setText(csv);
            dialog->accept();
        } else if (auto *box = qobject_cast<QMessageBox *>(modal)) {
            warnings.append(box->text());
            box->accept();
        }
    });
    answer.start();
    view->findChild<QPushButton *>(u"exportCsv"_s)->click();
    QTRY_COMPARE_WITH_TIMEOUT(warnings.size(), 1, 10000);
    QVERIFY2(warnings.first().startsWith(u"CSV export incomplete: %1: 29 of 31 rows exported, 2 lines unreadable"_s
                                             .arg(csv)),
             qPrintable(warnings.first()));
}

void tst_CaptureView::aFileThatIsNoCaptureSaysOnlySo()
{
    // Not a capture at all: the banner says so; the header claims no format
    // or events file for it, and there is nothing to export.
    const QString path = writeFile(m_dir.filePath(u"notes.ndjson"_s), "garbage\n{\"type\":\n");
    MainWindow window;
    window.show();
    CaptureView *view = openAndWait(window, path);
    QVERIFY(view);
    QCOMPARE(view->document()->state(), CaptureDocument::State::Failed);
    QVERIFY2(view->problemsText().contains(u"Cannot open this capture"_s), qPrintable(view->problemsText()));
    QVERIFY2(view->problemsText().contains(u"not a capture file"_s), qPrintable(view->problemsText()));
    QVERIFY2(!view->headerText().contains(u"NDJSON"_s), qPrintable(view->headerText()));
    QVERIFY2(!view->headerText().contains(u"events file"_s), qPrintable(view->headerText()));
    auto *exportButton = view->findChild<QPushButton *>(u"exportCsv"_s);
    QVERIFY(exportButton);
    QVERIFY(!exportButton->isEnabled());
}

void tst_CaptureView::simRunFileHidesUnrecordedColumns()
{
    const QByteArray content =
        R"({"type":"metadata","data":{"start_slot":1,"end_slot":9,"ran_at_unix_secs":1780023967}})"
        "\n"
        R"({"type":"tx","data":{"slot":3,"signature":"4LXpF3MCdp69iFmD27Sn812UNpqFPHM4qXH7Y12E964p9GHXvwMe1XEmyasogVT2N4XEctdQQLf1sHY6Gvsa5sFX","success":false,"error":"boom","logs":["Program 11111111111111111111111111111111 invoke [1]","Program 11111111111111111111111111111111 failed: boom"],"sol_changes":[{"account":"X1","pre_lamports":10,"post_lamports":5}],"token_changes":[]}})"
        "\n";
    MainWindow window;
    window.show();
    CaptureView *view = openAndWait(window, writeFile(m_dir.filePath(u"sim.ndjson"_s), content));
    QVERIFY(view);
    QVERIFY(view->transactionView()->isColumnHidden(TransactionModel::FeeColumn));
    QVERIFY(view->transactionView()->isColumnHidden(TransactionModel::FeePayerColumn));
    QVERIFY(view->headerText().contains(u"no summary line"_s));
    QVERIFY(view->selectTransaction(kUsdc));
    const QString overview = view->detailView()->findChild<QTextBrowser *>(u"overview"_s)->toPlainText();
    QVERIFY(overview.contains(u"written by `sim run`"_s));
    QVERIFY(overview.contains(u"boom"_s));
    QVERIFY(overview.contains(u"-0.000000005"_s));
    // No fee recorded: not "◎0 (0 lamports)".
    QVERIFY2(overview.contains(QRegularExpression(u"Fee \\(SOL\\)\\s+not reported"_s)), qPrintable(overview));
    QVERIFY(view->detailView()->logsHtml().contains(u"Program invoked: System Program"_s));
}

void tst_CaptureView::dropAndRecent()
{
    AppSettings().clearRecentCaptures();
    MainWindow window;
    window.show();
    QVERIFY(window.acceptDrops());
    auto *mime = new QMimeData;
    mime->setUrls({QUrl::fromLocalFile(m_livePath)});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &drop);
    delete mime;
    QCOMPARE(window.documentArea()->captureViews().size(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(DocumentArea::recentCaptures(), QStringList{m_livePath}, 30000); // once it opened
    // A file that is no capture gets a tab that says so, and no place in the list.
    const QString notACapture = writeFile(m_dir.filePath(u"picture.png"_s), QByteArray("\x89PNG\r\n\x1a\n\0\0"));
    CaptureView *refused = openAndWait(window, notACapture);
    QVERIFY(refused);
    QCOMPARE(refused->document()->state(), CaptureDocument::State::Failed);
    QCOMPARE(DocumentArea::recentCaptures(), QStringList{m_livePath});
    // Nor does an empty file (a run that died before writing anything: it
    // opens, says so, and holds nothing to open again).
    CaptureView *empty = openAndWait(window, writeFile(m_dir.filePath(u"empty.ndjson"_s), QByteArray()));
    QVERIFY(empty);
    QCOMPARE(empty->document()->state(), CaptureDocument::State::Ready);
    QCOMPARE(DocumentArea::recentCaptures(), QStringList{m_livePath});

    // The recent list keeps the newest first, without repeats, at most ten.
    for (int i = 0; i < 12; ++i)
        DocumentArea::addRecentCapture(m_dir.filePath(u"r%1.ndjson"_s.arg(i)));
    DocumentArea::addRecentCapture(m_livePath);
    const QStringList recent = DocumentArea::recentCaptures();
    QCOMPARE(recent.size(), DocumentArea::maxRecent);
    QCOMPARE(recent.constFirst(), m_livePath);
    QCOMPARE(recent.at(1), m_dir.filePath(u"r11.ndjson"_s));
    // File ▸ Open Recent lists them; missing files are shown disabled.
    QMenu *menu = window.documentArea()->recentMenu();
    Q_EMIT menu->aboutToShow();
    QVERIFY(menu->actions().constFirst()->isEnabled());
    QVERIFY(!menu->actions().at(1)->isEnabled());
    QVERIFY(menu->actions().at(1)->text().endsWith(u"(missing)"_s));
    QCOMPARE(window.documentArea()->fileMenu()->actions().constFirst()->shortcut(), QKeySequence(QKeySequence::Open));
}

void tst_CaptureView::compareTwoRuns()
{
    // The experiment: the live capture with one transaction failing instead.
    QFile live(m_livePath);
    QVERIFY(live.open(QIODevice::ReadOnly));
    QByteArray content = live.readAll();
    const qsizetype at = content.indexOf(kUsdc.toLatin1());
    QVERIFY(at > 0);
    const qsizetype lineStart = content.lastIndexOf('\n', at) + 1;
    const qsizetype success = content.indexOf("\"success\":true", lineStart);
    QVERIFY(success > 0 && success < content.indexOf('\n', lineStart));
    content.replace(success, qsizetype(strlen("\"success\":true")), "\"success\":false,\"error\":\"slippage\"");
    const QString experiment = writeFile(m_dir.filePath(u"experiment.ndjson"_s), content);

    MainWindow window;
    window.resize(1600, 1000);
    window.show();
    // A file that holds no capture fails the comparison and stays out of Open Recent.
    const QString notACapture = writeFile(m_dir.filePath(u"notes.ndjson"_s), QByteArray());
    CompareView *failed = window.documentArea()->compare(notACapture, experiment);
    QSignalSpy failedFinished(failed, &CompareView::finished);
    QVERIFY(failedFinished.wait(30000));
    QVERIFY(!failed->result());
    QVERIFY(!DocumentArea::recentCaptures().contains(notACapture));
    QVERIFY(!DocumentArea::recentCaptures().contains(experiment));

    CompareView *view = window.documentArea()->compare(m_livePath, experiment);
    QSignalSpy finished(view, &CompareView::finished);
    QVERIFY(finished.wait(30000));
    QVERIFY(view->result());
    QVERIFY(DocumentArea::recentCaptures().contains(experiment));
    QVERIFY(DocumentArea::recentCaptures().contains(m_livePath));

    // Compare Runs offers each capture once, the live one given by a relative
    // path too (it was offered twice, and so the default baseline against itself).
    window.documentArea()->setLiveCapturePath(QDir::current().relativeFilePath(m_livePath));
    window.documentArea()->openCapture(m_livePath);
    QStringList known = window.documentArea()->knownCaptures();
    QCOMPARE(known.count(m_livePath), 1);
    QCOMPARE(known.constFirst(), m_livePath);
    QCOMPARE(known.count(experiment), 1);
    // Without a live run, the tab opened last is the suggested experiment
    // and the one before it the baseline (`slotscope a b`: b against a).
    window.documentArea()->setLiveCapturePath({});
    window.documentArea()->openCapture(experiment);
    known = window.documentArea()->knownCaptures();
    QCOMPARE(known.mid(0, 2), (QStringList{experiment, m_livePath}));
    QCOMPARE(view->result()->regressions.size(), 1);
    QCOMPARE(view->result()->joined, 31u);
    QTableView *regressions = view->table(ComparisonSection::Regressions);
    QVERIFY(regressions);
    QCOMPARE(regressions->model()->rowCount(), 1);
    regressions->setCurrentIndex(regressions->model()->index(0, 0));
    const QString left = view->baselineDetail()->findChild<QTextBrowser *>(u"overview"_s)->toPlainText();
    const QString right = view->experimentDetail()->findChild<QTextBrowser *>(u"overview"_s)->toPlainText();
    QVERIFY(left.contains(kUsdc));
    QVERIFY(right.contains(kUsdc));
    QVERIFY(left.contains(u"Success"_s));
    // The experiment's line says failed (its raw JSON still reads success):
    // the capture row's status is what the comparison used.
    QCOMPARE(regressions->model()->index(0, 3).data().toString(), u"slippage"_s);
    // The sections' tables get the larger share of the height (3 : 2), not
    // the three rows the detail panes' size hints once left them.
    QTRY_VERIFY(regressions->height() > view->baselineDetail()->height());
    saveScreenshot(&window, u"compare.png"_s);
}

void tst_CaptureView::aCaptureStillBeingWrittenOffersReload()
{
    // The live run's capture, as a run still writing it would leave it: its
    // first half read, the rest appended after. The tab says it no longer
    // shows the file; Reload (Ctrl+R) reads it again in its place.
    QFile live(m_livePath);
    QVERIFY(live.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = live.readAll().split('\n');
    QVERIFY(lines.size() > 20);
    const QString growing = m_dir.filePath(u"growing.ndjson"_s);
    const qsizetype half = lines.size() / 2;
    writeFile(growing, lines.mid(0, half).join('\n') + '\n');

    MainWindow window;
    window.show();
    CaptureView *view = openAndWait(window, growing);
    QVERIFY(view);
    const int firstRows = view->document()->transactions()->rowCount();
    QVERIFY(firstRows > 0 && firstRows < m_liveRows.size());
    QTest::qWait(400); // what the watcher would say by now: nothing
    QVERIFY(!view->isStale());
    QVERIFY(!view->findChild<QWidget *>(u"captureStale"_s)->isVisible());
    QAction *reload = window.findChild<QAction *>(u"reloadCaptureAction"_s);
    QVERIFY(reload && reload->isEnabled());
    // The window's own live run writing it: its header says so, not "cut
    // short" (it did before the file grew); once the run ended it is a cut.
    window.documentArea()->setLiveCapturePath(growing);
    window.documentArea()->setLiveCaptureWritten(true);
    QVERIFY2(view->headerText().contains(u"the live run is still writing it"_s), qPrintable(view->headerText()));
    QVERIFY(!view->headerText().contains(u"cut short"_s));
    window.documentArea()->setLiveCaptureWritten(false);
    QVERIFY2(view->headerText().contains(u"cut short"_s), qPrintable(view->headerText()));
    window.documentArea()->setLiveCapturePath({});

    QFile append(growing);
    QVERIFY(append.open(QIODevice::Append));
    const QByteArray rest = lines.mid(half).join('\n');
    QVERIFY(append.write(rest) == rest.size());
    append.close();
    QTRY_VERIFY_WITH_TIMEOUT(view->isStale(), 5000);
    QVERIFY2(view->staleText().contains(u"has grown by"_s), qPrintable(view->staleText()));
    QVERIFY2(view->headerText().contains(u"no summary line yet"_s), qPrintable(view->headerText()));
    QVERIFY(!view->headerText().contains(u"cut short"_s));
    QVERIFY(view->findChild<QWidget *>(u"captureStale"_s)->isVisible());

    // Ctrl+R: the same tab index, the whole file, nothing stale.
    DocumentArea *area = window.documentArea();
    const int index = area->indexOf(view);
    const int tabs = area->count();
    QPointer<CaptureView> old = view;
    reload->trigger();
    auto *fresh = qobject_cast<CaptureView *>(area->currentWidget());
    QVERIFY(fresh && fresh != view);
    QCOMPARE(area->indexOf(fresh), index);
    QCOMPARE(area->count(), tabs);
    QTRY_VERIFY_WITH_TIMEOUT(!old, 2000);
    if (fresh->document()->isIndexing() || fresh->document()->state() == CaptureDocument::State::Idle) {
        QSignalSpy finished(fresh, &CaptureView::finished);
        QVERIFY(finished.wait(30000));
    }
    QCOMPARE(fresh->document()->transactions()->rowCount(), m_liveRows.size());
    QVERIFY(!fresh->isStale());

    // The banner's own button does the same; a file replaced by a smaller one says so.
    writeFile(growing, lines.mid(0, half).join('\n') + '\n');
    QTRY_VERIFY_WITH_TIMEOUT(fresh->isStale(), 5000);
    QVERIFY2(fresh->staleText().contains(u"was replaced"_s), qPrintable(fresh->staleText()));
    fresh->findChild<QPushButton *>(u"reloadCapture"_s)->click();
    auto *third = qobject_cast<CaptureView *>(area->currentWidget());
    QVERIFY(third && third != fresh);
    QSignalSpy finished(third, &CaptureView::finished);
    QVERIFY(third->document()->state() == CaptureDocument::State::Ready || finished.wait(30000));
    QCOMPARE(third->document()->transactions()->rowCount(), firstRows);

    // Gone from the disk: Reload keeps the tab and what it read.
    QVERIFY(QFile::remove(growing));
    QTRY_VERIFY_WITH_TIMEOUT(third->staleText().contains(u"is gone"_s), 5000);
    reload->trigger();
    QCOMPARE(area->currentWidget(), third);
    QCOMPARE(third->document()->transactions()->rowCount(), firstRows);
    QVERIFY2(window.statusBar()->currentMessage().contains(u"no longer exists"_s),
             qPrintable(window.statusBar()->currentMessage()));
}

QString tst_CaptureView::largeCapture()
{
    // The live run's transactions repeated (duplicates to the reader) up to
    // 48 MiB: a capture that takes a while to index or export.
    const QString path = m_dir.filePath(u"big.ndjson"_s);
    if (QFileInfo(path).size() >= 48 * 1024 * 1024)
        return path;
    QFile live(m_livePath);
    if (!live.open(QIODevice::ReadOnly))
        return {};
    const QList<QByteArray> lines = live.readAll().split('\n');
    QByteArray transactions;
    for (const QByteArray &line : lines) {
        if (line.startsWith(R"({"type":"tx")"))
            transactions += line + '\n';
    }
    if (transactions.isEmpty())
        return {};
    QByteArray content = lines.constFirst() + '\n';
    while (content.size() < 48 * 1024 * 1024)
        content += transactions;
    return writeFile(path, content);
}

void tst_CaptureView::aCancelledExportIsNoFailure()
{
    // Cancel in the progress dialog: no error box, no file, a status line.
    const QString big = largeCapture();
    QVERIFY(!big.isEmpty());
    QWidget parent;
    parent.show();
    ExportRequest request;
    request.capturePath = big;
    request.csvPath = m_dir.filePath(u"cancelled.csv"_s);
    bool done = false;
    bool cancelled = false;
    runCsvExport(&parent, request, [&](const Result<ExportStats> &) { done = true; }, [&] { cancelled = true; });
    auto *progress = parent.findChild<QProgressDialog *>();
    QVERIFY(progress);
    auto *cancel = progress->findChild<QPushButton *>();
    QVERIFY(cancel);
    cancel->click();
    QTRY_VERIFY_WITH_TIMEOUT(done || cancelled, 30000);
    QVERIFY2(cancelled, "the export of 48 MiB was done before Cancel reached it");
    QVERIFY(!QFile::exists(request.csvPath));
    QCOMPARE(exportCancelledMessage(request), u"Export cancelled: nothing written to %1"_s.arg(request.csvPath));
}

void tst_CaptureView::aFailedExportShowsNoProgressOverItsMessage()
{
    // The export fails at once; `done` opens a message box, an event loop of
    // its own in which no deferred delete runs. The progress dialog must be
    // gone by then, not shown by its minimum-duration timer over the message.
    QWidget parent;
    parent.show();
    ExportRequest request;
    request.capturePath = m_dir.filePath(u"no-such-capture.ndjson"_s);
    request.csvPath = m_dir.filePath(u"failed.csv"_s);
    request.kind = ExportRequest::Events;
    QPointer<QProgressDialog> progress;
    bool failed = false;
    bool shownOverTheMessage = true;
    runCsvExport(&parent, request, [&](const Result<ExportStats> &result) {
        failed = !result;
        QEventLoop messageBox;
        QTimer::singleShot(1000, &messageBox, &QEventLoop::quit);
        messageBox.exec();
        shownOverTheMessage = progress && progress->isVisible();
    }, [] {});
    progress = parent.findChild<QProgressDialog *>();
    QVERIFY(progress);
    QTRY_VERIFY_WITH_TIMEOUT(failed, 10000);
    QVERIFY(!shownOverTheMessage);
    QVERIFY(!QFile::exists(request.csvPath));
}

void tst_CaptureView::aSelectedSubSessionNarrowsTheTable()
{
    // A parallel batch's capture: selecting a sub-session in the Sessions tab
    // narrows the table to its transactions (said beside the filter), and
    // Export offers that sub-session; the run row shows them all again.
    const QString path = m_dir.filePath(u"batch.ndjson"_s);
    QFile::remove(path);
    QFile::remove(CaptureWriter::eventsPathFor(path));
    const QStringList subs{u"sub-a"_s, u"sub-b"_s};
    qsizetype written = 0;
    {
        CaptureWriter writer;
        QVERIFY(writer.open(path, CaptureMetadata{.startSlot = 1000, .endSlot = 1199}));
        written = writeBatchOfFixtures(writer, subs);
        QVERIFY(writer.finish(subs));
    }
    MainWindow window;
    window.show();
    CaptureView *view = openAndWait(window, path);
    QVERIFY(view);
    auto *sessions = view->findChild<QTreeView *>(u"captureSessions"_s);
    auto *table = view->findChild<QTableView *>(u"captureTransactions"_s);
    auto *scope = view->findChild<QLabel *>(u"sessionScope"_s);
    QVERIFY(sessions && table && scope);
    const int all = table->model()->rowCount();
    QCOMPARE(all, int(written));
    const QModelIndex run = sessions->model()->index(0, 0);
    QCOMPARE(sessions->model()->rowCount(run), 2);
    QVERIFY(sessions->isExpanded(run)); // the way to a sub-session in view
    sessions->setCurrentIndex(sessions->model()->index(1, 0, run));
    QCOMPARE(table->model()->rowCount(), int(written / 2)); // sub-b: every second one
    for (int row = 0; row < table->model()->rowCount(); ++row)
        QCOMPARE(table->model()->index(row, 0).data(SessionIdRole).toString(), u"sub-b"_s);
    QVERIFY(!scope->isHidden());
    QVERIFY2(scope->text().contains(u"sub-b"_s), qPrintable(scope->text()));
    // The Account diffs panel follows the selection, and says so.
    AccountDiffsView *diffs = view->accountDiffsView();
    auto *diffsScope = diffs->findChild<QLabel *>(u"accountDiffsScope"_s);
    QVERIFY(diffsScope);
    QCOMPARE(diffs->proxy()->sessionFilter(), u"sub-b"_s);
    QVERIFY(!diffsScope->isHidden());
    QVERIFY2(diffsScope->text().contains(u"sub-b"_s), qPrintable(diffsScope->text()));
    const ExportScopes offered = exportScopesOf(
        ExportOrigin{.table = qobject_cast<TransactionFilterProxyModel *>(table->model()),
                     .tableSelection = table->selectionModel()});
    QCOMPARE(offered.sessionId, u"sub-b"_s);
    QCOMPARE(offered.filteredRows, -1); // narrowed to a sub-session, not filtered
    {
        // The dialog starts on what the table shows: that sub-session. A slot
        // typed chooses the slot range, never ignored for its unpressed button.
        ExportDialog dialog(path, offered);
        QCOMPARE(dialog.scope(), ExportDialog::Scope::SubSession);
        QTest::keyClicks(dialog.findChild<QLineEdit *>(u"fromSlot"_s), u"1000"_s);
        QCOMPARE(dialog.scope(), ExportDialog::Scope::SlotRange);
        QCOMPARE(dialog.request().fromSlot, std::optional<quint64>(1000));
    }
    sessions->setCurrentIndex(run);
    QCOMPARE(table->model()->rowCount(), all);
    QVERIFY(scope->isHidden());
    QCOMPARE(diffs->proxy()->sessionFilter(), QString());
    QVERIFY(diffsScope->isHidden());
}

void tst_CaptureView::liveAccountDiffsAreWhatTheCaptureKeeps()
{
    // The live run's Account diffs dock showed, row for row, what its capture
    // shows when reopened (the events file's account_diff events).
    QVERIFY(m_liveDiffs.size() > 10);
    MainWindow window;
    window.show();
    CaptureView *view = openAndWait(window, m_livePath);
    QVERIFY(view);
    const AccountDiffModel *reopened = view->document()->accountDiffs();
    QCOMPARE(reopened->rowCount(), m_liveDiffs.size());
    for (int row = 0; row < reopened->rowCount(); ++row)
        QCOMPARE(reopened->record(row), m_liveDiffs.at(row));
}

void tst_CaptureView::exportFollowsTheTablesFilter()
{
    // The filter bar narrows the table to the failed transactions; Export
    // offers those rows as its scope (not for control events, which belong
    // to no transaction), and the CSV holds them and no other.
    MainWindow window;
    window.show();
    CaptureView *view = openAndWait(window, m_livePath);
    QVERIFY(view);
    QComboBox *status = nullptr;
    for (QComboBox *box : view->findChildren<QComboBox *>()) {
        if (box->findText(u"Failed"_s) >= 0)
            status = box;
    }
    QVERIFY(status);
    status->setCurrentIndex(status->findText(u"Failed"_s));
    int failed = 0;
    for (const TransactionRecord &record : std::as_const(m_liveRows))
        failed += record.success ? 0 : 1;
    QVERIFY(failed > 0 && failed < m_liveRows.size());

    const QString csv = u"failed.csv"_s; // a bare name: beside the capture
    const QString written = QFileInfo(m_livePath).absoluteDir().filePath(csv);
    QFile::remove(written);
    QStringList seen;
    QTimer answer;
    answer.setInterval(20);
    connect(&answer, &QTimer::timeout, this, [&] {
        auto *dialog = qobject_cast<ExportDialog *>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        answer.stop();
        auto *filtered = dialog->findChild<QRadioButton *>(u"filteredScope"_s);
        auto *kind = dialog->findChild<QComboBox *>();
        seen.append(filtered->text());
        kind->setCurrentIndex(kind->findText(u"Control events"_s));
        seen.append(filtered->isEnabled() ? u"enabled for events"_s : u"disabled for events"_s);
        kind->setCurrentIndex(kind->findText(u"Transactions"_s));
        filtered->setChecked(true);
        dialog->findChild<QLineEdit *>(u"csvPath"_s)->setText(csv);
        dialog->accept();
    });
    answer.start();
    view->findChild<QPushButton *>(u"exportCsv"_s)->click();
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(written), 10000);
    QCOMPARE(seen, (QStringList{u"Rows the filter shows (%1)"_s.arg(failed), u"disabled for events"_s}));
    QFile file(written);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QList<QByteArray> rows = file.readAll().split('\n');
    QCOMPARE(rows.takeLast(), QByteArray()); // the CRLF after the last row
    QCOMPARE(rows.size(), 1 + failed);
    for (const QByteArray &row : rows.mid(1))
        QVERIFY2(row.split(',').value(3) == "false", row.constData());
}

void tst_CaptureView::theAccountDiffsPanelExportsWhatItShows()
{
    // The Account diffs panel's Export: "the filter shows" and "selected" are
    // the panel's diffs (its account filter, its selected rows), offered for
    // account diffs only, and the CSV holds exactly those.
    QVERIFY(m_liveDiffs.size() > 10);
    MainWindow window;
    window.show();
    CaptureView *view = openAndWait(window, m_livePath);
    QVERIFY(view);
    auto *panel = view->findChild<AccountDiffsView *>();
    QVERIFY(panel);
    const QString account = m_liveDiffs.at(3).account;
    const QString filterText = account.left(3);
    int matching = 0;
    for (const AccountDiffRecord &diff : std::as_const(m_liveDiffs))
        matching += diff.account.contains(filterText) ? 1 : 0;
    QVERIFY(matching > 0 && matching < m_liveDiffs.size());
    panel->setAccountFilter(filterText);
    QCOMPARE(panel->proxy()->rowCount(), matching);

    const QString written = QFileInfo(m_livePath).absoluteDir().filePath(u"panel-diffs.csv"_s);
    const auto exportWith = [&](const char *scopeName, QStringList &seen) {
        QFile::remove(written);
        QTimer answer;
        answer.setInterval(20);
        connect(&answer, &QTimer::timeout, this, [&] {
            auto *dialog = qobject_cast<ExportDialog *>(QApplication::activeModalWidget());
            if (!dialog)
                return;
            answer.stop();
            auto *scope = dialog->findChild<QRadioButton *>(QString::fromLatin1(scopeName));
            auto *kind = dialog->findChild<QComboBox *>();
            seen.append(scope->text());
            kind->setCurrentIndex(kind->findText(u"Transactions"_s));
            seen.append(scope->isEnabled() ? u"enabled for transactions"_s : u"disabled for transactions"_s);
            kind->setCurrentIndex(kind->findText(u"Account diffs"_s));
            scope->setChecked(true);
            dialog->findChild<QLineEdit *>(u"csvPath"_s)->setText(written);
            dialog->accept();
        });
        answer.start();
        QToolButton *button = nullptr;
        for (QToolButton *candidate : panel->findChildren<QToolButton *>()) {
            if (candidate->text() == u"Export CSV…"_s)
                button = candidate;
        }
        QVERIFY(button);
        button->click();
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(written), 10000);
    };
    const auto accounts = [&] {
        QFile file(written);
        QStringList list;
        if (!file.open(QIODevice::ReadOnly))
            return list;
        QList<QByteArray> rows = file.readAll().split('\n');
        rows.removeLast(); // after the last CRLF
        for (const QByteArray &row : rows.mid(1))
            list.append(QString::fromUtf8(row.split(',').value(3)));
        return list;
    };

    QStringList seen;
    exportWith("filteredScope", seen);
    QCOMPARE(seen, (QStringList{u"Diffs the panel's filter shows (%1)"_s.arg(matching), u"disabled for transactions"_s}));
    const QStringList filtered = accounts();
    QCOMPARE(filtered.size(), matching);
    for (const QString &exported : filtered)
        QVERIFY2(exported.contains(filterText), qPrintable(exported));

    panel->setAccountFilter({});
    QTableView *table = panel->table();
    table->selectionModel()->select(table->model()->index(1, 0),
                                    QItemSelectionModel::Select | QItemSelectionModel::Rows);
    table->selectionModel()->select(table->model()->index(4, 0),
                                    QItemSelectionModel::Select | QItemSelectionModel::Rows);
    const QStringList selected{table->model()->index(1, 0).data(AccountDiffModel::AccountRole).toString(),
                               table->model()->index(4, 0).data(AccountDiffModel::AccountRole).toString()};
    seen.clear();
    exportWith("selectedScope", seen);
    QCOMPARE(seen, (QStringList{u"Selected diffs (2)"_s, u"disabled for transactions"_s}));
    QCOMPARE(accounts(), selected);
    QFile::remove(written);
}

void tst_CaptureView::theProtocolConsoleFilters()
{
    // DESIGN.md §1: the Protocol console filters (session, method, text) and
    // copies what it shows.
    MainWindow window;
    window.show();
    CaptureView *view = openAndWait(window, m_livePath);
    QVERIFY(view);
    auto *console = view->findChild<ProtocolConsoleView *>();
    QVERIFY(console);
    QAbstractItemModel *log = console->table()->model();
    const int all = log->rowCount();
    int slotFrames = 0;
    for (int row = 0; row < all; ++row)
        slotFrames += log->index(row, ProtocolLogModel::MethodColumn).data().toString() == u"slotNotification"_s ? 1 : 0;
    QVERIFY(slotFrames > 0 && slotFrames < all);
    console->setFilterText(u"SLOTnotification"_s); // any case
    QCOMPARE(console->shownRows(), slotFrames);
    QAbstractItemModel *shown = console->table()->model();
    for (int row = 0; row < shown->rowCount(); ++row)
        QCOMPARE(shown->index(row, ProtocolLogModel::MethodColumn).data().toString(), u"slotNotification"_s);
    console->table()->selectRow(0);
    QCOMPARE(console->table()->actions().size(), 1);
    console->table()->actions().constFirst()->trigger(); // Copy
    QVERIFY2(QApplication::clipboard()->text().contains(u"slotNotification"_s), qPrintable(QApplication::clipboard()->text()));
    console->setFilterText(QString());
    QCOMPARE(console->shownRows(), all);
    QCOMPARE(console->table()->model(), log); // no proxy without a filter
}

void tst_CaptureView::eventsAppendedWhileIndexingAreNotMissed()
{
    // The events file is read long before a large capture's transactions;
    // a line appended in between is not in the tab, and the banner says so
    // (the tab once took the file as it stood when the transactions were done).
    const QString big = largeCapture();
    QVERIFY(!big.isEmpty());
    const QString events = CaptureWriter::eventsPathFor(big);
    QFile::remove(events);
    QVERIFY(QFile::copy(CaptureWriter::eventsPathFor(m_livePath), events));

    MainWindow window;
    window.show();
    window.openCapture(big);
    auto *view = qobject_cast<CaptureView *>(window.documentArea()->currentWidget());
    QVERIFY(view);
    QSignalSpy finished(view, &CaptureView::finished);
    CaptureDocument *doc = view->document();
    QTRY_VERIFY_WITH_TIMEOUT(doc->eventsBytesRead() >= 0 || !doc->isIndexing(), 30000);
    QVERIFY2(doc->isIndexing(), "the transactions were indexed before the events were read: a larger capture needed");
    QCOMPARE(doc->eventsBytesRead(), QFileInfo(events).size());
    QFile append(events);
    QVERIFY(append.open(QIODevice::Append));
    QVERIFY(append.write(R"({"type":"stopped","data":{}})" "\n") > 0);
    append.close();
    QVERIFY(finished.wait(60000));
    QVERIFY(!doc->stoppedByUser()); // not read
    QTRY_VERIFY_WITH_TIMEOUT(view->isStale(), 5000);
    QVERIFY2(view->staleText().contains(u"events file changed"_s), qPrintable(view->staleText()));
}

void tst_CaptureView::aStoppedRunIsNotCalledCutShort()
{
    // Stop leaves no summary line by design; the events file's `stopped`
    // says so, and the header does not call it a run cut short (a crash).
    QTemporaryDir dir;
    const QString stopped = dir.filePath(u"stopped.ndjson"_s);
    const QString killed = dir.filePath(u"killed.ndjson"_s);
    for (const QString &path : {stopped, killed}) {
        CaptureWriter writer;
        QVERIFY(writer.open(path, CaptureMetadata{.startSlot = 1000, .endSlot = 1199}));
        writer.appendEvent(u"session_created"_s, u"backtest_s"_s, QJsonObject{{u"session_id"_s, u"backtest_s"_s}});
        if (path == stopped)
            writer.appendEvent(u"stopped"_s, QString(), QJsonObject{});
        writer.close();
    }
    MainWindow window;
    window.show();
    CaptureView *view = openAndWait(window, stopped);
    QVERIFY(view);
    QVERIFY2(view->headerText().contains(u"stopped by the user"_s), qPrintable(view->headerText()));
    QVERIFY2(!view->headerText().contains(u"cut short"_s), qPrintable(view->headerText()));
    view = openAndWait(window, killed);
    QVERIFY(view);
    QVERIFY2(view->headerText().contains(u"no summary line: the run was cut short"_s), qPrintable(view->headerText()));
    // A run that died before writing anything (sim's NDJSON too) leaves an
    // empty file: said as such, not as a run cut short after its header.
    const QString empty = dir.filePath(u"empty.ndjson"_s);
    QFile emptyFile(empty);
    QVERIFY(emptyFile.open(QIODevice::WriteOnly));
    emptyFile.close();
    view = openAndWait(window, empty);
    QVERIFY(view);
    QVERIFY2(view->headerText().contains(u"empty file: the run wrote nothing"_s)
                 && !view->headerText().contains(u"cut short"_s),
             qPrintable(view->headerText()));
}

void tst_CaptureView::compareRunsDialogSaysWhatIsWrong()
{
    const auto note = [](const CompareRunsDialog &dialog) {
        return dialog.findChild<QLabel *>(u"compareNote"_s);
    };
    // One capture at hand: it is the experiment, and the baseline is left to
    // choose (comparing a run with itself is never the default).
    CompareRunsDialog dialog({m_livePath});
    dialog.show();
    QCOMPARE(dialog.experimentPath(), m_livePath);
    QCOMPARE(dialog.baselinePath(), QString());
    QVERIFY(!dialog.canCompare());
    QCOMPARE(dialog.note(), u"Choose the baseline's capture."_s);
    QVERIFY(note(dialog)->isVisible());
    QVERIFY(!note(dialog)->styleSheet().contains(u"#b00020"_s)); // not an error yet

    // A path to nothing, and a folder: said in the dialog, Compare off.
    const QString missing = m_dir.filePath(u"no-such-run.ndjson"_s);
    dialog.setBaselinePath(missing);
    QVERIFY(!dialog.canCompare());
    QVERIFY(dialog.note().contains(QDir::toNativeSeparators(missing)));
    QVERIFY(dialog.note().startsWith(u"No baseline capture"_s));
    QVERIFY(note(dialog)->styleSheet().contains(u"#b00020"_s));
    dialog.setBaselinePath(m_dir.path());
    QVERIFY(!dialog.canCompare());
    QVERIFY(dialog.note().endsWith(u"is not a file."_s));
    // Compare (Enter) does nothing while it is off.
    QTest::keyClick(&dialog, Qt::Key_Return);
    QVERIFY(dialog.isVisible());

    // The same file on both sides: allowed, but noted.
    dialog.setBaselinePath(u"  "_s + m_livePath + u" "_s); // typed with spaces around
    QVERIFY(dialog.canCompare());
    QVERIFY(dialog.note().startsWith(u"Baseline and experiment are the same file"_s));

    // Two captures: nothing to say; the experiment can be wrong too.
    const QString other = writeFile(m_dir.filePath(u"other-run.ndjson"_s), QByteArray("{}\n"));
    dialog.setBaselinePath(other);
    QVERIFY(dialog.canCompare());
    QCOMPARE(dialog.note(), QString());
    QVERIFY(!note(dialog)->isVisible());
    dialog.setExperimentPath(missing);
    QVERIFY(!dialog.canCompare());
    QVERIFY(dialog.note().startsWith(u"No experiment capture"_s));
    dialog.setExperimentPath(m_livePath);
    // The capture a live run still writes: allowed, and said.
    dialog.setCaptureBeingWritten(m_livePath);
    QVERIFY(dialog.canCompare());
    QVERIFY2(dialog.note().startsWith(u"The live run is still writing "_s), qPrintable(dialog.note()));
    dialog.setCaptureBeingWritten({});
    QCOMPARE(dialog.note(), QString());
    // Swap exchanges the sides (which one is the baseline decides what
    // reads as a regression), and back.
    auto *swap = dialog.findChild<QPushButton *>(u"swapSides"_s);
    QVERIFY(swap);
    swap->click();
    QCOMPARE(dialog.baselinePath(), m_livePath);
    QCOMPARE(dialog.experimentPath(), other);
    swap->click();
    QTest::keyClick(&dialog, Qt::Key_Return);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(dialog.baselinePath(), other);

    // A typed path that is the start of a known one stays what was typed
    // (inline completion once made it the known one on Enter).
    const QString typed = writeFile(m_dir.filePath(u"legacy.json"_s), "{}");
    CompareRunsDialog completing({typed + u".ndjson"_s, m_livePath});
    completing.show();
    QVERIFY(QTest::qWaitForWindowExposed(&completing));
    auto *baseline = completing.findChildren<QComboBox *>().value(0);
    QVERIFY(baseline && baseline->lineEdit());
    baseline->lineEdit()->clear();
    baseline->lineEdit()->setFocus();
    QTest::keyClicks(baseline->lineEdit(), typed);
    QTest::keyClick(baseline->lineEdit(), Qt::Key_Return);
    QCOMPARE(completing.baselinePath(), typed);
}

void tst_CaptureView::recordedCoordinator()
{
    // A parallel batch's capture cut short mid-storm (the app was killed):
    // its reconnect coordinator comes back as recorded, durations ending at
    // the last state, the timeline ending at the last event, nothing to
    // reconnect.
    QTemporaryDir dir;
    const QString path = dir.filePath(u"storm.ndjson"_s);
    CaptureWriter writer;
    QVERIFY(writer.open(path, CaptureMetadata{.startSlot = 1000, .endSlot = 1199}));
    const qint64 at = QDateTime::currentMSecsSinceEpoch() - 3'600'000;
    writer.appendEvent(u"session_created"_s, QString(), QJsonObject{{u"control_session_id"_s, u"ctl-1"_s}, {u"sub_sessions"_s, 2}});
    for (const QString &sub : {u"sub-a"_s, u"sub-b"_s}) {
        writer.appendEvent(u"session_created"_s, sub, QJsonObject{{u"session_id"_s, sub}});
        writer.appendEvent(u"connection"_s, sub,
                           QJsonObject{{u"socket"_s, u"transactions"_s}, {u"status"_s, u"Parked"_s},
                                       {u"reason"_s, u"waiting for the handshake slot"_s}, {u"attempt"_s, 6}});
    }
    CoordinatorSnapshot storm;
    storm.atMs = at;
    storm.holder = CoordinatorSnapshot::Socket{u"sub-a"_s, u"transactions"_s, at - 2500, 6, false, std::nullopt};
    storm.parked = {{u"sub-b"_s, u"transactions"_s, at - 4000, 6, false, std::nullopt}};
    storm.participants = 2;
    storm.reconnects = 3;
    storm.parks = 2;
    storm.longestParkMs = 4000;   // as ReconnectCoordinator::snapshot() counts them: with
    storm.totalParkedMs = 5000;   // the parks going on (sub-b's 4 s) up to atMs
    storm.stormSinceMs = at - 5000;
    writer.appendEvent(u"coordinator"_s, QString(), storm.toJson());
    writer.close(); // no summary line: cut short

    MainWindow window;
    QVERIFY(TestSupport::showAndWaitExposed(window, {1600, 1000}));
    CaptureView *view = openAndWait(window, path);
    QVERIFY(view);
    CoordinatorPanel *panel = view->coordinatorPanel();
    QVERIFY(panel);
    QVERIFY(!panel->isLive());
    QTabWidget *tabs = view->lowerTabs();
    const int tab = tabs->indexOf(panel);
    QCOMPARE(tabs->tabText(tab), u"Reconnect Coordinator"_s);
    tabs->setCurrentIndex(tab);
    QTRY_VERIFY(panel->headline().contains(u"held by"_s));
    QVERIFY2(panel->headline().contains(u"sub-a · transactions (attempt 6) for 2.5 s"_s), qPrintable(panel->headline()));
    // Longest park: sub-b's 4.0 s at the snapshot, not an hour and counting.
    QVERIFY2(panel->figuresText().contains(u"Longest park 4.0 s"_s), qPrintable(panel->figuresText()));
    QVERIFY2(panel->figuresText().contains(u"Total parked 5.0 s"_s), qPrintable(panel->figuresText()));
    QCOMPARE(panel->queueView()->model()->index(0, 3).data().toString(), u"4.0 s"_s);
    saveScreenshot(&window, u"recorded-coordinator.png"_s);

    auto *timeline = view->findChild<ConnectionTimelineView *>();
    QVERIFY(timeline);
    QVERIFY(timeline->isRecorded());
    QMenu menu;
    timeline->addReconnectActions(&menu, {0, 1});
    QVERIFY(menu.actions().isEmpty());

    // Selection as in the live window: a lane (or the coordinator's "Select")
    // selects its sub-session's row in Sessions, and a row its lanes.
    auto *sessions = view->findChild<QTreeView *>(u"captureSessions"_s);
    QVERIFY(sessions);
    Q_EMIT timeline->sessionSelected(u"sub-b"_s);
    QCOMPARE(sessions->currentIndex().siblingAtColumn(0).data(SessionIdRole).toString(), u"sub-b"_s);
    Q_EMIT panel->sessionSelected(u"sub-a"_s);
    QCOMPARE(sessions->currentIndex().siblingAtColumn(0).data(SessionIdRole).toString(), u"sub-a"_s);
    QCOMPARE(timeline->selectedSession(), u"sub-a"_s);
}

QTEST_MAIN(tst_CaptureView)
#include "tst_captureview.moc"
