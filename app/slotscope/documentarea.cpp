#include "documentarea.h"

#include "appsettings.h"
#include "capture/capturewriter.h"
#include "captureview.h"
#include "comparerunsdialog.h"
#include "compareview.h"
#include "workbench/capturedocument.h"

#include <QAction>
#include <QDialog>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QMimeData>
#include <QStatusBar>
#include <QStyle>
#include <QTabBar>

using namespace Qt::StringLiterals;

namespace SlotScope {

namespace {

QList<QString> localFiles(const QMimeData *mime)
{
    QList<QString> files;
    if (!mime || !mime->hasUrls())
        return files;
    for (const QUrl &url : mime->urls()) {
        if (url.isLocalFile() && QFileInfo(url.toLocalFile()).isFile())
            files.append(url.toLocalFile());
    }
    return files;
}

} // namespace

DocumentArea::DocumentArea(QMainWindow *window)
    : QTabWidget(window)
    , m_window(window)
{
    setObjectName(u"documents"_s);
    setDocumentMode(true);
    setTabsClosable(true);
    setMovable(false);
    QWidget *live = window->centralWidget();
    window->takeCentralWidget();
    addTab(live, style()->standardIcon(QStyle::SP_MediaPlay), tr("Live run"));
    setTabToolTip(0, tr("The run in progress (or the last one)"));
    // The live run cannot be closed.
    tabBar()->setTabButton(0, QTabBar::RightSide, nullptr);
    tabBar()->setTabButton(0, QTabBar::LeftSide, nullptr);
    window->setCentralWidget(this);
    connect(this, &QTabWidget::tabCloseRequested, this, &DocumentArea::closeDocument);
    connect(this, &QTabWidget::currentChanged, this, &DocumentArea::onCurrentChanged);

    auto *open = new QAction(QIcon::fromTheme(u"document-open"_s), tr("&Open Capture…"), this);
    open->setShortcut(QKeySequence::Open);
    open->setToolTip(tr("Open a capture offline: SlotScope captures and sim run outputs (Ctrl+O)"));
    connect(open, &QAction::triggered, this, &DocumentArea::openWithDialog);
    auto *compareAction = new QAction(tr("&Compare Runs…"), this);
    compareAction->setShortcut(Qt::CTRL | Qt::SHIFT | Qt::Key_C);
    compareAction->setToolTip(tr("Compare a baseline run with an experiment, joined by signature (Ctrl+Shift+C)"));
    connect(compareAction, &QAction::triggered, this, &DocumentArea::compareWithDialog);
    auto *close = new QAction(tr("&Close Tab"), this);
    close->setObjectName(u"closeTab"_s);
    close->setShortcut(QKeySequence::Close);
    close->setEnabled(false); // the live run's tab, which stays
    connect(close, &QAction::triggered, this, [this] { closeDocument(currentIndex()); });
    connect(this, &QTabWidget::currentChanged, close, [close](int index) { close->setEnabled(index > 0); });
    auto *reload = new QAction(tr("&Reload Capture"), this);
    reload->setObjectName(u"reloadCaptureAction"_s);
    reload->setShortcut(Qt::CTRL | Qt::Key_R);
    reload->setToolTip(tr("Read the open capture again, as it is on disk now (Ctrl+R)"));
    reload->setEnabled(false); // a capture tab's
    connect(reload, &QAction::triggered, this, [this] {
        if (auto *view = qobject_cast<CaptureView *>(currentWidget()))
            reloadCapture(view);
    });
    connect(this, &QTabWidget::currentChanged, reload,
            [this, reload](int index) { reload->setEnabled(qobject_cast<CaptureView *>(widget(index)) != nullptr); });

    m_fileMenu = new QMenu(tr("&File"), window);
    m_fileMenu->setObjectName(u"fileMenu"_s);
    m_fileMenu->addAction(open);
    m_recentMenu = m_fileMenu->addMenu(tr("Open &Recent"));
    m_recentMenu->setObjectName(u"recentMenu"_s);
    connect(m_recentMenu, &QMenu::aboutToShow, this, &DocumentArea::rebuildRecentMenu);
    m_fileMenu->addAction(compareAction);
    m_fileMenu->addAction(reload);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(close);
    QMenuBar *bar = window->menuBar();
    const QList<QAction *> existing = bar->actions();
    bar->insertMenu(existing.isEmpty() ? nullptr : existing.constFirst(), m_fileMenu);
    rebuildRecentMenu();

    window->setAcceptDrops(true);
    window->installEventFilter(this);
}

void DocumentArea::keepSmall(QWidget *document)
{
    // A tab widget is as large as its largest page's minimum, shown or not:
    // a document's full minimum (header, filter bar, table, detail tabs)
    // would squeeze the live run's docks around it (the Sessions dock came
    // back 1.5 rows high). While a document is shown the docks step aside,
    // so it has the window.
    document->setMinimumSize(200, 150);
}

void DocumentArea::onCurrentChanged(int index)
{
    if (index == 0) {
        for (QWidget *dock : std::as_const(m_hiddenDocks))
            dock->show();
        m_hiddenDocks.clear();
        if (!m_liveLayout.isEmpty())
            m_window->restoreState(m_liveLayout);
        m_liveLayout.clear();
        return;
    }
    if (!m_hiddenDocks.isEmpty())
        return;
    m_liveLayout = m_window->saveState();
    for (QDockWidget *dock : m_window->findChildren<QDockWidget *>(Qt::FindDirectChildrenOnly)) {
        if (dock->isVisible()) {
            m_hiddenDocks.append(dock);
            dock->hide();
        }
    }
}

void DocumentArea::showStatus(const QString &message)
{
    m_window->statusBar()->showMessage(message, 8000);
}

CaptureView *DocumentArea::openCapture(const QString &path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    // A capture's events file is read with its capture (the Sessions,
    // Connections and Protocol tabs): opened on its own it holds no
    // transactions, so its capture is opened instead.
    for (const QString &capture : CaptureWriter::capturePathsForEvents(absolute)) {
        if (QFileInfo(capture).isFile()) {
            CaptureView *view = openCapture(capture);
            showStatus(tr("%1 is the events file of %2: opened that capture, whose tabs show its events.")
                           .arg(QFileInfo(absolute).fileName(), QFileInfo(capture).fileName()));
            return view;
        }
    }
    for (CaptureView *view : captureViews()) {
        if (QFileInfo(view->path()).absoluteFilePath() == absolute) {
            setCurrentWidget(view);
            return view;
        }
    }
    return addCaptureView(absolute, count());
}

CaptureView *DocumentArea::reloadCapture(CaptureView *view)
{
    const int index = indexOf(view);
    if (index <= 0)
        return nullptr;
    // Reading a file that is gone would empty the tab: what it shows is all
    // that is left of it.
    if (!QFileInfo(view->path()).isFile()) {
        showStatus(tr("%1 no longer exists: the tab keeps what it read").arg(view->path()));
        return view;
    }
    // The new tab first, then the old one goes: the live run's tab is never
    // current in between (its docks would come back for a moment).
    CaptureView *fresh = addCaptureView(view->path(), index);
    closeDocument(index + 1);
    showStatus(tr("Reading %1 again").arg(fresh->title()));
    return fresh;
}

QString DocumentArea::captureBeingWritten() const
{
    return m_liveWriting && !m_livePath.isEmpty() ? QFileInfo(m_livePath).absoluteFilePath() : QString();
}

void DocumentArea::setLiveCaptureWritten(bool writing)
{
    m_liveWriting = writing;
    const QString live = captureBeingWritten();
    for (CaptureView *view : captureViews())
        view->setBeingWritten(!live.isEmpty() && view->path() == live);
}

CaptureView *DocumentArea::addCaptureView(const QString &absolute, int at)
{
    auto *view = new CaptureView(absolute, this);
    view->setBeingWritten(captureBeingWritten() == absolute);
    keepSmall(view);
    const int index = insertTab(at, view, style()->standardIcon(QStyle::SP_FileIcon), view->title());
    setTabToolTip(index, tr("Offline capture: %1").arg(absolute));
    setCurrentIndex(index);
    connect(view, &CaptureView::statusMessage, this, &DocumentArea::showStatus);
    connect(view, &CaptureView::reloadRequested, this, [this, view] { reloadCapture(view); });
    // Offered again from Open Recent once it opened: a file that is no
    // capture (its tab says why) is not, nor one that holds none (empty, or
    // no metadata line and no transaction, a summary line or not: what
    // `compare` refuses too).
    connect(
        view, &CaptureView::finished, this,
        [this, view, absolute] {
            const CaptureDocument *doc = view->document();
            if (doc->state() == CaptureDocument::State::Failed)
                return;
            if (!doc->openInfo().metadata && doc->result().transactions == 0)
                return;
            addRecentCapture(absolute);
            rebuildRecentMenu();
        },
        Qt::SingleShotConnection);
    return view;
}

CompareView *DocumentArea::compare(const QString &baselinePath, const QString &experimentPath)
{
    auto *view = new CompareView(QFileInfo(baselinePath).absoluteFilePath(),
                                 QFileInfo(experimentPath).absoluteFilePath(), this);
    keepSmall(view);
    const int index = addTab(view, style()->standardIcon(QStyle::SP_FileDialogContentsView), view->title());
    setTabToolTip(index, tr("Baseline %1\nExperiment %2").arg(baselinePath, experimentPath));
    setCurrentIndex(index);
    connect(view, &CompareView::statusMessage, this, &DocumentArea::showStatus);
    // Offered again from Open Recent once compared, as openCapture() does:
    // a comparison refuses a file that holds no capture.
    connect(
        view, &CompareView::finished, this,
        [this, view] {
            if (!view->result())
                return;
            addRecentCapture(view->baselinePath());
            addRecentCapture(view->experimentPath());
            rebuildRecentMenu();
        },
        Qt::SingleShotConnection);
    return view;
}

QString DocumentArea::captureFileFilter()
{
    return tr("Captures (*.ndjson *.json);;All files (*)");
}

QList<CaptureView *> DocumentArea::captureViews() const
{
    QList<CaptureView *> views;
    for (int i = 0; i < count(); ++i) {
        if (auto *view = qobject_cast<CaptureView *>(widget(i)))
            views.append(view);
    }
    return views;
}

void DocumentArea::openWithDialog()
{
    const QStringList recent = recentCaptures();
    const QString start = recent.isEmpty() ? QString() : QFileInfo(recent.constFirst()).absolutePath();
    const QStringList paths = QFileDialog::getOpenFileNames(this, tr("Open Capture"), start, captureFileFilter());
    for (const QString &path : paths)
        openCapture(path);
}

QStringList DocumentArea::knownCaptures() const
{
    QStringList known;
    if (!m_livePath.isEmpty())
        known.append(m_livePath);
    const QList<CaptureView *> views = captureViews();
    for (auto view = views.crbegin(); view != views.crend(); ++view)
        known.append((*view)->path());
    known.append(recentCaptures());
    // The live capture may be open in a tab too, and its path may be relative
    // (typed so, or --capture): one entry, never the default baseline against itself.
    for (QString &path : known)
        path = QFileInfo(path).absoluteFilePath();
    known.removeDuplicates();
    return known;
}

void DocumentArea::compareWithDialog()
{
    CompareRunsDialog dialog(knownCaptures(), this);
    dialog.setCaptureBeingWritten(captureBeingWritten());
    if (dialog.exec() == QDialog::Accepted)
        compare(dialog.baselinePath(), dialog.experimentPath());
}

void DocumentArea::closeDocument(int index)
{
    if (index <= 0 || index >= count())
        return;
    QWidget *page = widget(index);
    removeTab(index);
    page->deleteLater();
}

QStringList DocumentArea::recentCaptures()
{
    return AppSettings().recentCaptures();
}

void DocumentArea::addRecentCapture(const QString &path)
{
    AppSettings().addRecentCapture(path);
}

void DocumentArea::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = recentCaptures();
    int shown = 0;
    for (const QString &path : recent) {
        QAction *action = m_recentMenu->addAction(u"&%1 %2"_s.arg(++shown % 10).arg(QFileInfo(path).fileName()));
        action->setToolTip(path);
        action->setStatusTip(path);
        const bool exists = QFileInfo(path).isFile();
        action->setEnabled(exists);
        if (!exists)
            action->setText(action->text() + tr(" (missing)"));
        connect(action, &QAction::triggered, this, [this, path] { openCapture(path); });
    }
    if (recent.isEmpty()) {
        m_recentMenu->addAction(tr("(none)"))->setEnabled(false);
        return;
    }
    m_recentMenu->addSeparator();
    connect(m_recentMenu->addAction(tr("Clear List")), &QAction::triggered, this, [this] {
        AppSettings().clearRecentCaptures();
        rebuildRecentMenu();
    });
}

bool DocumentArea::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_window) {
        if (event->type() == QEvent::Close) {
            // The layout saved at close is the live run's, with its docks.
            setCurrentIndex(0);
        } else if (event->type() == QEvent::DragEnter) {
            auto *drag = static_cast<QDragEnterEvent *>(event);
            if (!localFiles(drag->mimeData()).isEmpty()) {
                drag->acceptProposedAction();
                return true;
            }
        } else if (event->type() == QEvent::Drop) {
            auto *drop = static_cast<QDropEvent *>(event);
            const QList<QString> files = localFiles(drop->mimeData());
            if (!files.isEmpty()) {
                for (const QString &file : files)
                    openCapture(file);
                drop->acceptProposedAction();
                return true;
            }
        }
    }
    return QTabWidget::eventFilter(watched, event);
}

} // namespace SlotScope
