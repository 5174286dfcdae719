// Widget tests of the main window against the embedded demo simulator
// (real fixtures): Continue advances the slot, Continue-to pauses before a
// discovered batch, the detail pane reads the capture, a failing run shows its
// error on the session row and leaves the window usable.
//
// With SLOTSCOPE_SCREENSHOT_DIR set, the window mid-run is saved there as
// mainwindow.png (QWidget::grab), for the README and for looking at it.

#include "mainwindow.h"
#include "model/discoverymodel.h"
#include "model/sessionmodel.h"
#include "model/transactionmodel.h"
#include "net/connectionpolicy.h"
#include "transactiondetailview.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QSignalSpy>
#include <QTest>
#include <QTextBrowser>
#include <QToolBar>
#include <QToolButton>

using namespace Qt::StringLiterals;
using namespace std::chrono;
using namespace SlotScope;

namespace {

constexpr auto JupiterV6 = "JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4";

ConnectionPolicy fastPolicy()
{
    ConnectionPolicy policy;
    policy.connectTimeout = milliseconds{2000};
    policy.handshakeResponseTimeout = milliseconds{3000};
    policy.initialBackoff = milliseconds{10};
    policy.maxBackoff = milliseconds{40};
    policy.jitter = 0.0;
    policy.maxAttempts = 3;
    policy.maxTotal = milliseconds{5000};
    policy.drainIdleTimeout = milliseconds{5000};
    return policy;
}

QVariant sessionCell(const MainWindow &window, int column, int role = Qt::DisplayRole)
{
    // Runs accumulate in the tree; the newest one is the last row.
    const SessionModel *model = window.sessionModel();
    if (model->rowCount() == 0)
        return {};
    return model->index(model->rowCount() - 1, column).data(role);
}

quint64 currentSlot(const MainWindow &window)
{
    return sessionCell(window, SessionModel::CurrentSlotColumn).toULongLong();
}

SessionState sessionState(const MainWindow &window)
{
    const QVariant state = sessionCell(window, SessionModel::StateColumn, SessionModel::StateRole);
    return state.isValid() ? SessionState(state.toInt()) : SessionState::Creating;
}

QToolButton *toolButtonFor(MainWindow &window, QAction *action)
{
    for (QToolBar *toolbar : window.findChildren<QToolBar *>()) {
        if (auto *button = qobject_cast<QToolButton *>(toolbar->widgetForAction(action)))
            return button;
    }
    return nullptr;
}

} // namespace

class tst_MainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void continueAdvancesTheSlot();
    void continueToPausesBeforeTheSelectedDiscovery();
    void detailPaneShowsTheSelectedTransaction();
    void failedRunShowsOnTheSessionRow();

private:
    RunConfig demoConfig() const;
    void waitUntilSteppable(MainWindow &window);

    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_MainWindow::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void tst_MainWindow::cleanup()
{
    m_dir.reset();
}

RunConfig tst_MainWindow::demoConfig() const
{
    RunConfig config = MainWindow::demoRunConfig();
    config.demoTxDir = QString::fromUtf8(SLOTSCOPE_FIXTURES_DIR);
    config.capturePath = m_dir->filePath(u"run.ndjson"_s);
    return config;
}

void tst_MainWindow::waitUntilSteppable(MainWindow &window)
{
    QTRY_VERIFY_WITH_TIMEOUT(window.continueAction()->isEnabled(), 20000);
}

void tst_MainWindow::continueAdvancesTheSlot()
{
    MainWindow window;
    window.setConnectionPolicy(fastPolicy());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    RunConfig config = demoConfig();
    config.advanceCount = 10;
    window.startRun(config);
    waitUntilSteppable(window);
    QCOMPARE(sessionState(window), SessionState::Ready);
    QCOMPARE(currentSlot(window), quint64(1000));

    QToolButton *continueButton = toolButtonFor(window, window.continueAction());
    QVERIFY(continueButton);
    QTest::mouseClick(continueButton, Qt::LeftButton);
    // Ten slots executed: 1000..1009, the last one reported is 1009.
    QTRY_COMPARE_WITH_TIMEOUT(currentSlot(window), quint64(1009), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(sessionState(window), SessionState::Ready, 20000);

    // F5 is the keyboard path to the same action.
    QTest::keyClick(&window, Qt::Key_F5);
    QTRY_COMPARE_WITH_TIMEOUT(currentSlot(window), quint64(1019), 20000);
    QVERIFY(window.transactionModel()->rowCount() > 0);

    if (const QString dir = qEnvironmentVariable("SLOTSCOPE_SCREENSHOT_DIR"); !dir.isEmpty()) {
        // Mid-run picture: select a Jupiter discovery and a transaction first.
        QTRY_VERIFY_WITH_TIMEOUT(window.discoveryModel()->rowCount() > 0, 20000);
        window.runToEndAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(currentSlot(window) > 1120, 30000);
        window.stopAction()->trigger();
        auto *table = window.findChild<QTableView *>(u"transactions"_s);
        QVERIFY(table);
        table->selectRow(std::min(5, table->model()->rowCount() - 1));
        QTest::qWait(300);
        QVERIFY(window.grab().save(QDir(dir).filePath(u"mainwindow.png"_s)));
        auto *timeline = window.findChild<QWidget *>(u"timeline"_s);
        QVERIFY(timeline);
        if (auto *dock = qobject_cast<QDockWidget *>(timeline->parentWidget()))
            dock->raise();
        QTest::qWait(400);
        QVERIFY(window.grab().save(QDir(dir).filePath(u"timeline.png"_s)));
    }
}

void tst_MainWindow::continueToPausesBeforeTheSelectedDiscovery()
{
    MainWindow window;
    window.setConnectionPolicy(fastPolicy());
    window.show();
    window.startRun(demoConfig());
    waitUntilSteppable(window);
    QTRY_VERIFY_WITH_TIMEOUT(window.discoveryModel()->rowCount() > 0, 20000);

    const DiscoveryBatchEvent batch = window.discoveryModel()->batchAt(0);
    QVERIFY(!batch.matched.isEmpty());
    QCOMPARE(batch.matched.first().program, QString::fromLatin1(JupiterV6));
    auto *discoveryView = window.findChild<QTableView *>(u"discoveries"_s);
    QVERIFY(discoveryView);
    discoveryView->selectRow(0);
    QTest::keyClick(&window, Qt::Key_F10, Qt::ControlModifier);

    QTRY_COMPARE_WITH_TIMEOUT(sessionState(window), SessionState::Paused, 20000);
    QCOMPARE(currentSlot(window), batch.slot);
    QTRY_COMPARE_WITH_TIMEOUT(window.discoveryModel()->stateAt(0), DiscoveryModel::BatchState::Reached, 5000);
}

void tst_MainWindow::detailPaneShowsTheSelectedTransaction()
{
    MainWindow window;
    window.setConnectionPolicy(fastPolicy());
    window.show();
    window.startRun(demoConfig());
    waitUntilSteppable(window);
    window.runToEndAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(sessionState(window), SessionState::Completed, 30000);
    QCOMPARE(window.transactionModel()->rowCount(), 31);

    auto *table = window.findChild<QTableView *>(u"transactions"_s);
    QVERIFY(table);
    table->setCurrentIndex(table->model()->index(0, 0));
    const QString signature = table->model()->index(0, TransactionModel::SignatureColumn)
                                  .data(TransactionModel::SignatureRole).toString();
    QVERIFY(!signature.isEmpty());
    auto *detail = window.findChild<TransactionDetailView *>();
    QVERIFY(detail);
    QTRY_VERIFY_WITH_TIMEOUT(detail->overviewHtml().contains(signature), 5000);
    QVERIFY(detail->overviewHtml().contains(u"Fee"_s));
}

void tst_MainWindow::failedRunShowsOnTheSessionRow()
{
    MainWindow window;
    window.setConnectionPolicy(fastPolicy());
    window.show();
    QSignalSpy finished(&window, &MainWindow::runFinished);

    // The demo server rejects an inverted range; the error lands on the row.
    RunConfig config = demoConfig();
    config.startSlot = 1100;
    config.endSlot = 1000;
    window.startRun(config);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(sessionState(window), SessionState::Failed, 5000);
    QVERIFY2(sessionCell(window, SessionModel::LastErrorColumn).toString().contains(u"startSlot must be <= endSlot"_s),
             qPrintable(sessionCell(window, SessionModel::LastErrorColumn).toString()));
    QVERIFY(window.errorBannerText().contains(u"startSlot must be <= endSlot"_s));
    QVERIFY(!window.continueAction()->isEnabled());

    // An unreachable server: the window stays usable and a new run works.
    RunConfig unreachable = demoConfig();
    unreachable.target = RunConfig::Target::Url;
    unreachable.url = u"ws://127.0.0.1:9/backtest"_s;
    unreachable.apiKey = u"key"_s;
    unreachable.capturePath = m_dir->filePath(u"unreachable.ndjson"_s);
    window.startRun(unreachable);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 20000);
    QCOMPARE(window.sessionModel()->rowCount(), 2);
    QTRY_COMPARE_WITH_TIMEOUT(sessionState(window), SessionState::Failed, 5000);
    QVERIFY2(sessionCell(window, SessionModel::LastErrorColumn).toString().contains(u"cannot connect"_s),
             qPrintable(sessionCell(window, SessionModel::LastErrorColumn).toString()));

    RunConfig again = demoConfig();
    again.capturePath = m_dir->filePath(u"again.ndjson"_s);
    window.startRun(again);
    waitUntilSteppable(window);
    QCOMPARE(sessionState(window), SessionState::Ready);
}

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
