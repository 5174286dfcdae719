#include "captureview.h"
#include "protocolconsoleview.h"

#include "accountdiffsview.h"
#include "connectiontimelineview.h"
#include "coordinatorpanel.h"
#include "csvexportjob.h"
#include "exportdialog.h"
#include "model/accountdiffmodel.h"
#include "model/discoverymodel.h"
#include "model/modelroles.h"
#include "model/protocollogmodel.h"
#include "model/sessionmodel.h"
#include "model/transactionfilterproxymodel.h"
#include "model/transactionmodel.h"
#include "progressdelegate.h"
#include "sessionlabels.h"
#include "tablesetup.h"
#include "transactiondetailview.h"
#include "capture/capturewriter.h"
#include "workbench/capturedocument.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDateTime>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace SlotScope {

namespace {

QString grouped(qint64 n)
{
    return QLocale().toString(n);
}

/// "lines 5, 9, 12 and 4 more" for a damaged-lines banner.
QString lineList(const QList<qint64> &numbers, qint64 total)
{
    QStringList shown;
    for (qsizetype i = 0; i < numbers.size() && i < 8; ++i)
        shown.append(QString::number(numbers.at(i)));
    QString text = QCoreApplication::translate("CaptureView", "line(s) %1").arg(shown.join(u", "_s));
    if (total > shown.size())
        text += QCoreApplication::translate("CaptureView", " and %1 more").arg(total - shown.size());
    return text;
}

} // namespace

CaptureView::CaptureView(const QString &path, QWidget *parent)
    : QWidget(parent)
    , m_document(new CaptureDocument(path, this))
    , m_filter(new TransactionFilterProxyModel(this))
    , m_header(new QLabel(this))
    , m_problems(new QLabel(this))
    , m_progressBar(new QWidget(this))
    , m_progress(new QProgressBar(m_progressBar))
    , m_progressText(new QLabel(m_progressBar))
    , m_cancel(new QPushButton(tr("Cancel"), m_progressBar))
    , m_textFilter(new QLineEdit(this))
    , m_statusFilter(new QComboBox(this))
    , m_transactionView(new QTableView(this))
    , m_lower(new QTabWidget(this))
    , m_detail(new TransactionDetailView(this))
    , m_accountDiffs(new AccountDiffsView(this))
    , m_sessionView(new QTreeView(this))
    , m_discoveryView(new QTableView(this))
    , m_protocolConsole(nullptr)
    , m_warnings(new QLabel(this))
    , m_staleBar(new QWidget(this))
    , m_staleText(new QLabel(m_staleBar))
{
    setObjectName(u"captureView"_s);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);

    // An offline capture reads differently from the live run at a glance.
    m_header->setObjectName(u"captureHeader"_s);
    m_header->setStyleSheet(u"QLabel { background:#eef3fb; border:1px solid #c5d5ee; border-radius:3px; padding:6px; }"_s);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_header->setWordWrap(true);
    layout->addWidget(m_header);

    auto *progressLayout = new QHBoxLayout(m_progressBar);
    progressLayout->setContentsMargins(0, 0, 0, 0);
    m_progress->setRange(0, 1000);
    progressLayout->addWidget(m_progress, 1);
    progressLayout->addWidget(m_progressText);
    progressLayout->addWidget(m_cancel);
    layout->addWidget(m_progressBar);
    connect(m_cancel, &QPushButton::clicked, m_document, &CaptureDocument::cancel);

    m_problems->setObjectName(u"captureProblems"_s);
    m_problems->setStyleSheet(u"QLabel { background:#fff4e5; color:#7a4100; border:1px solid #f0c27b;"
                              " border-radius:3px; padding:6px; }"_s);
    m_problems->setWordWrap(true);
    m_problems->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_problems->hide();
    layout->addWidget(m_problems);

    // A capture still being written (a headless run, another window) or
    // replaced since it was read: what is shown is not what is on disk.
    m_staleBar->setObjectName(u"captureStale"_s);
    m_staleBar->setStyleSheet(u"#captureStale { background:#e8f4ff; border:1px solid #9cc7ef; border-radius:3px; }"_s);
    auto *staleLayout = new QHBoxLayout(m_staleBar);
    staleLayout->setContentsMargins(6, 3, 6, 3);
    m_staleText->setWordWrap(true);
    staleLayout->addWidget(m_staleText, 1);
    auto *reload = new QPushButton(tr("Reload"), m_staleBar);
    reload->setObjectName(u"reloadCapture"_s);
    reload->setToolTip(tr("Read the capture again (Ctrl+R)"));
    staleLayout->addWidget(reload);
    connect(reload, &QPushButton::clicked, this, &CaptureView::reloadRequested);
    m_staleBar->hide();
    layout->addWidget(m_staleBar);

    auto *filterBar = new QHBoxLayout;
    m_textFilter->setPlaceholderText(tr("Filter by signature, fee payer or program id…"));
    m_textFilter->setClearButtonEnabled(true);
    m_statusFilter->addItem(tr("All"), int(TransactionFilter::Status::All));
    m_statusFilter->addItem(tr("Succeeded"), int(TransactionFilter::Status::Succeeded));
    m_statusFilter->addItem(tr("Failed"), int(TransactionFilter::Status::Failed));
    m_exportButton = new QPushButton(tr("Export CSV…"), this);
    m_exportButton->setObjectName(u"exportCsv"_s);
    filterBar->addWidget(new QLabel(tr("Transactions"), this));
    filterBar->addWidget(m_textFilter, 1);
    m_sessionScope = new QLabel(this);
    m_sessionScope->setObjectName(u"sessionScope"_s);
    m_sessionScope->hide();
    filterBar->addWidget(m_sessionScope);
    filterBar->addWidget(m_statusFilter);
    filterBar->addWidget(m_exportButton);
    layout->addLayout(filterBar);
    connect(m_textFilter, &QLineEdit::textChanged, m_filter, &TransactionFilterProxyModel::setTextFilter);
    connect(m_statusFilter, &QComboBox::currentIndexChanged, this, [this] {
        m_filter->setStatusFilter(TransactionFilter::Status(m_statusFilter->currentData().toInt()));
    });
    connect(m_exportButton, &QPushButton::clicked, this, [this] { exportCsv(false); });

    auto *splitter = new QSplitter(Qt::Vertical, this);
    m_filter->setSourceModel(m_document->transactions());
    m_transactionView->setObjectName(u"captureTransactions"_s);
    m_transactionView->setModel(m_filter);
    setupDataTable(m_transactionView);
    m_transactionView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_transactionView->setSortingEnabled(true);
    m_transactionView->sortByColumn(-1, Qt::AscendingOrder);
    m_transactionView->setColumnWidth(TransactionModel::SlotColumn, 90);
    m_transactionView->setColumnWidth(TransactionModel::SignatureColumn, 240);
    m_transactionView->setItemDelegateForColumn(TransactionModel::SessionColumn,
                                                new SessionIdDelegate(sessionLabel(), m_transactionView));
    m_transactionView->setColumnWidth(TransactionModel::StatusColumn, 60);
    m_transactionView->setColumnWidth(TransactionModel::ErrorColumn, 200);
    m_transactionView->setColumnWidth(TransactionModel::FeePayerColumn, 200);
    splitter->addWidget(m_transactionView);
    connect(m_transactionView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &CaptureView::showCurrentTransaction);

    m_lower->setObjectName(u"captureTabs"_s);
    m_lower->addTab(m_detail, tr("Transaction"));
    m_accountDiffs->setModel(m_document->accountDiffs());
    m_lower->addTab(m_accountDiffs, tr("Account diffs"));
    connect(m_accountDiffs, &AccountDiffsView::transactionActivated, this, [this](const QString &signature) {
        if (!selectTransaction(signature))
            Q_EMIT statusMessage(tr("Transaction %1 is not in this capture.").arg(signature));
    });
    connect(m_accountDiffs, &AccountDiffsView::exportRequested, this, [this] { exportCsv(true); });

    m_sessionView->setObjectName(u"captureSessions"_s);
    m_sessionView->setModel(m_document->sessions());
    m_sessionView->setItemDelegateForColumn(SessionModel::ProgressColumn, new ProgressDelegate(m_sessionView));
    m_sessionView->setUniformRowHeights(true);
    m_sessionView->setAlternatingRowColors(true);
    m_sessionView->setTextElideMode(Qt::ElideMiddle); // as in the live window: ids differ at their end
    // A batch's sub-sessions in view, whichever comes first: the run row
    // (inserted with them already under it) or they.
    connect(m_document->sessions(), &QAbstractItemModel::rowsInserted, m_sessionView,
            [this](const QModelIndex &parent, int first, int last) {
                m_sessionView->expand(parent);
                for (int row = first; row <= last; ++row)
                    m_sessionView->expand(m_document->sessions()->index(row, 0, parent));
            });
    m_lower->addTab(m_sessionView, tr("Sessions"));

    showSortable(m_discoveryView, m_document->discoveries());
    setupDataTable(m_discoveryView);
    m_discoveryView->setItemDelegateForColumn(DiscoveryModel::SessionColumn,
                                              new SessionIdDelegate(sessionLabel(), m_discoveryView));
    m_discoveryView->setColumnWidth(DiscoveryModel::SessionColumn, SessionIdDelegate::fittingWidth(m_discoveryView));
    m_lower->addTab(m_discoveryView, tr("Discovery batches"));
    auto *timeline = new ConnectionTimelineView(m_document->timeline(), this);
    timeline->setRecorded(true);
    timeline->setSessionLabelProvider(sessionLabel());
    m_lower->addTab(timeline, tr("Connections"));
    // Selection as in the live window: a lane selects its sub-session's row, and back.
    connect(timeline, &ConnectionTimelineView::sessionSelected, this,
            [this](const QString &sessionId) { selectSessionRow(m_sessionView, m_document->sessions(), sessionId); });
    // A sub-session selected (its row, or its timeline lane) narrows the
    // table to it, as in the live window; the run row shows every session.
    connect(m_sessionView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                const bool child = current.isValid() && current.parent().isValid();
                const QString sessionId = child ? current.siblingAtColumn(0).data(SessionIdRole).toString() : QString();
                m_filter->setSessionFilter(sessionId);
                SessionLabels label;
                label.setProvider(sessionLabel());
                m_sessionScope->setText(tr("Sub-session %1 · select the run for all").arg(label(sessionId)));
                m_sessionScope->setToolTip(sessionId);
                m_sessionScope->setVisible(!sessionId.isEmpty());
                m_accountDiffs->showSession(sessionId, label(sessionId));
            });
    connect(m_sessionView->selectionModel(), &QItemSelectionModel::currentRowChanged, timeline,
            [timeline](const QModelIndex &current) {
                if (current.isValid())
                    timeline->setSelectedSession(current.siblingAtColumn(0).data(SessionIdRole).toString());
                else
                    timeline->clearSelection();
            });
    connect(m_document, &CaptureDocument::coordinatorChanged, this, &CaptureView::showCoordinator);
    m_protocolConsole = new ProtocolConsoleView(sessionLabel(), this);
    m_protocolConsole->setModel(m_document->protocol());
    m_lower->addTab(m_protocolConsole, tr("Protocol"));
    m_warnings->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_warnings->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_warnings->setWordWrap(true);
    m_lower->addTab(m_warnings, tr("Warnings"));
    splitter->addWidget(m_lower);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    layout->addWidget(splitter, 1);

    connect(m_document, &CaptureDocument::opened, this, &CaptureView::onOpened);
    connect(m_document, &CaptureDocument::progressChanged, this, &CaptureView::onProgress);
    connect(m_document, &CaptureDocument::finished, this, &CaptureView::onFinished);
    connect(m_detail, &TransactionDetailView::copied, this,
            [this](const QString &text) { Q_EMIT statusMessage(tr("Copied %1").arg(text)); });
    updateHeader();
    m_document->start();
}

CaptureView::~CaptureView() = default;

QString CaptureView::path() const
{
    return m_document->path();
}

QString CaptureView::title() const
{
    return QFileInfo(path()).fileName();
}

QString CaptureView::headerText() const
{
    return m_header->text();
}

QString CaptureView::problemsText() const
{
    return m_problems->isVisible() ? m_problems->text() : QString();
}

void CaptureView::setBeingWritten(bool writing)
{
    if (writing == m_beingWritten)
        return;
    m_beingWritten = writing;
    updateHeader();
}

void CaptureView::updateHeader()
{
    const CaptureDocument *doc = m_document;
    QString text = tr("<b>Offline capture</b> (read-only) · <code>%1</code>").arg(path().toHtmlEscaped());
    // A file that is no capture has no format, slots or events file to tell.
    const bool failed = doc->state() == CaptureDocument::State::Failed;
    m_exportButton->setEnabled(!failed);
    if (doc->state() != CaptureDocument::State::Idle && !failed) {
        const CaptureOpenInfo &info = doc->openInfo();
        QStringList facts;
        facts.append(info.format == CaptureReader::Format::Legacy ? tr("sim run single document")
                                                                  : tr("NDJSON"));
        if (info.metadata) {
            facts.append(tr("slots %1..%2").arg(info.metadata->startSlot).arg(info.metadata->endSlot));
            if (info.metadata->ranAtUnixSecs > 0) {
                facts.append(tr("ran %1").arg(QDateTime::fromSecsSinceEpoch(info.metadata->ranAtUnixSecs, Qt::UTC)
                                                  .toString(u"yyyy-MM-dd HH:mm 'UTC'"_s)));
            }
            if (!info.metadata->programIds.isEmpty())
                facts.append(tr("programs %1").arg(info.metadata->programIds.join(u", "_s)));
        }
        facts.append(doc->eventsPath().isEmpty() ? tr("no events file") : tr("with events file"));
        text += u"<br>"_s + facts.join(u" · "_s).toHtmlEscaped();
        if (!doc->isIndexing() && doc->state() != CaptureDocument::State::Failed) {
            const IndexResult &r = doc->result();
            QString totals = tr("%1 transactions (%2 succeeded, %3 failed)")
                                 .arg(grouped(r.transactions))
                                 .arg(grouped(qint64(r.totals.successes)))
                                 .arg(grouped(qint64(r.totals.failures)));
            if (r.summary && !r.summaryDisagreement.isEmpty())
                totals += tr(" · <b>summary line present, but %1</b>").arg(r.summaryDisagreement.toHtmlEscaped());
            else if (r.summary)
                totals += tr(" · summary line present");
            else if (doc->stoppedByUser())
                totals += tr(" · stopped by the user (so no summary line)");
            else if (m_beingWritten)
                totals += tr(" · no summary line yet: the live run is still writing it (Reload for what arrived since)");
            else if (m_stale && QFileInfo(path()).size() > info.totalBytes)
                totals += tr(" · no summary line yet: the file grew since (a run still writing it?)");
            else if (info.totalBytes == 0)
                totals += tr(" · <b>empty file: the run wrote nothing</b>");
            else
                totals += tr(" · <b>no summary line: the run was cut short</b>");
            if (r.sessionIds.size() > 1)
                totals += tr(" · %n session(s)", nullptr, int(r.sessionIds.size()));
            if (doc->state() == CaptureDocument::State::Cancelled)
                totals += tr(" · <b>indexing cancelled</b>: the table holds the rows read so far");
            text += u"<br>"_s + totals;
        }
    }
    m_header->setText(text);
}

SessionLabels::Provider CaptureView::sessionLabel() const
{
    return sessionNamesIn(m_document->sessions());
}

void CaptureView::showCoordinator()
{
    if (!m_coordinator) {
        // After the Connections tab: the figures of the same reconnects.
        m_coordinator = new CoordinatorPanel(m_document->timeline(), this);
        m_coordinator->setObjectName(u"captureCoordinator"_s);
        m_coordinator->setLive(false);
        m_coordinator->setSessionLabelProvider(sessionLabel());
        connect(m_coordinator, &CoordinatorPanel::sessionSelected, this,
                [this](const QString &sessionId) { selectSessionRow(m_sessionView, m_document->sessions(), sessionId); });
        m_lower->insertTab(m_lower->indexOf(m_protocolConsole), m_coordinator, tr("Reconnect Coordinator"));
    }
    m_coordinator->setSnapshot(*m_document->coordinator());
}

void CaptureView::onOpened()
{
    updateHeader();
}

void CaptureView::onProgress()
{
    const IndexProgress &p = m_document->progress();
    if (p.totalBytes > 0)
        m_progress->setValue(int(1000 * p.bytesRead / p.totalBytes));
    m_progressText->setText(tr("Indexing… %1 transactions").arg(grouped(p.transactions)));
}

void CaptureView::onFinished()
{
    m_progressBar->hide();
    updateHeader();
    const CaptureDocument *doc = m_document;
    const IndexResult &r = doc->result();
    QStringList problems;
    if (doc->state() == CaptureDocument::State::Failed)
        problems.append(tr("<b>Cannot open this capture:</b> %1").arg(doc->errorString().toHtmlEscaped()));
    else if (!doc->errorString().isEmpty())
        problems.append(tr("<b>Reading stopped early:</b> %1").arg(doc->errorString().toHtmlEscaped()));
    if (r.damagedLines > 0) {
        problems.append(tr("<b>%n damaged line(s) skipped</b>", nullptr, int(qMin<qint64>(r.damagedLines, INT_MAX)))
                        + u" ("_s + lineList(r.damagedLineNumbers, r.damagedLines) + u')');
    }
    if (r.skippedLines > r.damagedLines)
        problems.append(tr("%n line(s) of an unknown type skipped", nullptr, int(r.skippedLines - r.damagedLines)));
    if (r.duplicatesDropped > 0)
        problems.append(tr("%n duplicate transaction(s) dropped", nullptr, int(r.duplicatesDropped)));
    if (doc->skippedEvents() > 0)
        problems.append(tr("%n event(s) of the events file could not be read", nullptr, int(doc->skippedEvents())));
    // What the run itself never received: the capture is not the whole stream.
    const QStringList replayGaps = doc->replayGaps();
    if (!replayGaps.isEmpty()) {
        problems.append(tr("<b>Incomplete recording:</b> %n replay gap(s), notifications missing (see Warnings)",
                           nullptr, int(replayGaps.size())));
    }
    if (const quint64 dropped = doc->framesDroppedWhileRecording(); dropped > 0) {
        problems.append(tr("<b>Incomplete recording:</b> %n unreadable frame(s) dropped while recording",
                           nullptr, int(qMin<quint64>(dropped, INT_MAX))));
    }
    m_problems->setText(problems.join(u" · "_s));
    m_problems->setVisible(!problems.isEmpty());

    QStringList warnings = r.warnings;
    warnings += doc->eventWarnings();
    warnings += replayGaps;
    m_warnings->setText(warnings.isEmpty() ? tr("No warnings: every line was read.")
                                           : warnings.join(u'\n').toHtmlEscaped().replace(u'\n', u"<br>"_s));
    m_lower->setTabText(m_lower->indexOf(m_warnings), warnings.isEmpty() ? tr("Warnings")
                                                                         : tr("Warnings (%1)").arg(warnings.size()));

    // `sim run` files record no fee, compute units or fee payer: hide the
    // columns rather than show zeros.
    const bool noFees = r.transactions > 0 && r.rowsWithFee == 0;
    for (const int column : {int(TransactionModel::FeeColumn), int(TransactionModel::ComputeUnitsColumn),
                             int(TransactionModel::FeePayerColumn)})
        m_transactionView->setColumnHidden(column, noFees);
    Q_EMIT statusMessage(tr("%1: %2 transactions indexed in %3 s").arg(title(), grouped(r.transactions))
                             .arg(double(doc->msToFinished()) / 1000.0, 0, 'f', 1));

    // From here on the files are watched: what was read is what is shown.
    if (doc->state() != CaptureDocument::State::Failed && !m_watcher) {
        // What the rows come from: a file still being written may have grown
        // while it was read, and those lines were read too.
        m_readBytes = qMax(doc->openInfo().totalBytes, doc->result().bytesIndexed);
        m_readModified = QFileInfo(path()).lastModified();
        const QFileInfo events(CaptureWriter::eventsPathFor(path()));
        // As the document read it (it may have finished long before the
        // transactions): what was appended since is not shown.
        m_readEventsBytes = doc->eventsBytesRead();
        m_readEventsModified = doc->eventsModifiedWhenRead();
        m_watcher = new QFileSystemWatcher(this);
        m_watcher->addPath(path());
        if (events.isFile())
            m_watcher->addPath(events.filePath());
        // Files that appear, vanish or are renamed over show in their folder.
        m_watcher->addPath(QFileInfo(path()).absolutePath());
        // A run appends thousands of lines a second: one look per 250 ms.
        auto *coalesce = new QTimer(this);
        coalesce->setSingleShot(true);
        coalesce->setInterval(250);
        connect(coalesce, &QTimer::timeout, this, &CaptureView::checkStale);
        const auto look = [coalesce] {
            if (!coalesce->isActive())
                coalesce->start();
        };
        connect(m_watcher, &QFileSystemWatcher::fileChanged, coalesce, look);
        connect(m_watcher, &QFileSystemWatcher::directoryChanged, coalesce, look);
        checkStale();
    }
    Q_EMIT finished();
}

void CaptureView::checkStale()
{
    const QFileInfo capture(path());
    const QFileInfo events(CaptureWriter::eventsPathFor(path()));
    const qint64 captureBytes = capture.isFile() ? capture.size() : -1;
    const qint64 eventsBytes = events.isFile() ? events.size() : -1;
    // A file replaced by a rename leaves the watch: watch its successor.
    for (const QFileInfo &file : {capture, events}) {
        if (file.isFile() && !m_watcher->files().contains(file.filePath()))
            m_watcher->addPath(file.filePath());
    }
    const QDateTime captureModified = capture.isFile() ? capture.lastModified() : QDateTime();
    const QDateTime eventsModified = events.isFile() ? events.lastModified() : QDateTime();
    if (captureBytes == m_readBytes && eventsBytes == m_readEventsBytes && captureModified == m_readModified
        && eventsModified == m_readEventsModified)
        return;
    m_stale = true;
    QString text;
    if (captureBytes < 0) {
        text = tr("<b>%1 is gone</b> since it was read; this tab shows what it held then.").arg(title().toHtmlEscaped());
    } else if (captureBytes < m_readBytes) {
        text = tr("<b>%1 was replaced</b> since it was read (now %2); this tab shows the old one.")
                   .arg(title().toHtmlEscaped(), QLocale().formattedDataSize(captureBytes));
    } else if (captureBytes == m_readBytes && captureModified != m_readModified) {
        text = tr("<b>%1 was rewritten</b> since it was read; this tab shows what it held then.").arg(title().toHtmlEscaped());
    } else if (captureBytes > m_readBytes) {
        text = tr("<b>%1 has grown by %2</b> since it was read (a run still writing it?); this tab shows what it "
                  "held then.")
                   .arg(title().toHtmlEscaped(), QLocale().formattedDataSize(captureBytes - m_readBytes));
    } else {
        text = tr("<b>Its events file changed</b> since it was read; the Sessions, Connections and Protocol tabs "
                  "show what it held then.");
    }
    m_staleText->setText(text);
    m_staleBar->show();
    updateHeader(); // a file that grows was not cut short
}

QString CaptureView::staleText() const
{
    return m_stale ? m_staleText->text() : QString();
}

void CaptureView::showCurrentTransaction()
{
    const QModelIndex current = m_transactionView->currentIndex();
    if (!current.isValid()) {
        m_detail->clear();
        return;
    }
    const QVariant offset = current.siblingAtColumn(0).data(TransactionModel::CaptureOffsetRole);
    const QString signature = current.siblingAtColumn(0).data(TransactionModel::SignatureRole).toString();
    m_accountDiffs->showTransaction(m_document->accountDiffs()->rowCount() > 0 ? signature : QString());
    if (!offset.isValid()) {
        m_detail->showMessage(tr("This transaction's position in the file is not known."));
        return;
    }
    const Result<CapturedTransactionDetail> detail = m_document->readTransaction(offset.toLongLong(), signature);
    if (!detail) {
        m_detail->showMessage(tr("Cannot read the transaction from the capture: %1").arg(detail.error().message));
        return;
    }
    m_detail->showCaptured(*detail);
}

bool CaptureView::selectTransaction(const QString &signature)
{
    const int sourceRow = m_document->transactions()->rowOfSignature(signature);
    if (sourceRow < 0)
        return false;
    QModelIndex index = m_filter->mapFromSource(m_document->transactions()->index(sourceRow, 0));
    if (!index.isValid()) {
        // Hidden by the filter: clear it so the row shows.
        m_textFilter->clear();
        m_statusFilter->setCurrentIndex(0);
        index = m_filter->mapFromSource(m_document->transactions()->index(sourceRow, 0));
    }
    if (!index.isValid())
        return false;
    m_transactionView->setCurrentIndex(index);
    m_transactionView->scrollTo(index);
    m_lower->setCurrentWidget(m_detail);
    return true;
}

void CaptureView::exportCsv(bool accountDiffs)
{
    ExportOrigin origin{.table = m_filter, .tableSelection = m_transactionView->selectionModel()};
    if (accountDiffs) {
        origin.diffs = m_accountDiffs->proxy();
        origin.diffSelection = m_accountDiffs->table()->selectionModel();
    }
    exportCsvFrom(this, path(), accountDiffs ? ExportRequest::Kind::AccountDiffs : ExportRequest::Kind::Transactions,
                  origin, [this](const ExportRequest &request, const Result<ExportStats> &result) {
        if (!result) {
            QMessageBox::warning(this, tr("Export CSV"), tr("CSV export failed: %1").arg(result.error().message));
            return;
        }
        // Lines of the capture that could not be read are missing from the
        // CSV: said where it cannot be missed, as for a live run's export.
        if (const QString incomplete = exportIncompleteMessage(request, *result); !incomplete.isEmpty())
            QMessageBox::warning(this, tr("Export CSV"), incomplete);
        Q_EMIT statusMessage(exportedMessage(request, *result));
    }, [this](const ExportRequest &request) { Q_EMIT statusMessage(exportCancelledMessage(request)); });
}

} // namespace SlotScope
