#include "compareview.h"

#include "capture/capturereader.h"
#include "csvexportjob.h"
#include "tablesetup.h"
#include "transactiondetailview.h"
#include "workbench/backgroundwork.h"
#include "workbench/comparisonmodel.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::StringLiterals;

namespace SlotScope {

namespace {

QString sectionTitle(ComparisonSection section)
{
    switch (section) {
    case ComparisonSection::Summary: return CompareView::tr("Summary");
    case ComparisonSection::Regressions: return CompareView::tr("Regressions");
    case ComparisonSection::Improvements: return CompareView::tr("Improvements");
    case ComparisonSection::ErrorChanges: return CompareView::tr("Error changes");
    case ComparisonSection::Fees: return CompareView::tr("Fees");
    case ComparisonSection::ComputeUnits: return CompareView::tr("Compute units");
    case ComparisonSection::SolBalances: return CompareView::tr("SOL balances");
    case ComparisonSection::TokenBalances: return CompareView::tr("Token balances");
    case ComparisonSection::FeePayers: return CompareView::tr("Fee payers");
    case ComparisonSection::OnlyBaseline: return CompareView::tr("Only in baseline");
    case ComparisonSection::OnlyExperiment: return CompareView::tr("Only in experiment");
    }
    return {};
}

} // namespace

CompareView::CompareView(const QString &baselinePath, const QString &experimentPath, QWidget *parent)
    : QWidget(parent)
    , m_baselinePath(baselinePath)
    , m_experimentPath(experimentPath)
    , m_cancel(std::make_shared<std::atomic_bool>(false))
    , m_header(new QLabel(this))
    , m_progressRow(new QWidget(this))
    , m_progress(new QProgressBar(m_progressRow))
    , m_cancelButton(new QPushButton(tr("Cancel"), m_progressRow))
    , m_splitter(new QSplitter(Qt::Vertical, this))
    , m_tabs(new QTabWidget(m_splitter))
    , m_baselineDetail(new TransactionDetailView(this))
    , m_experimentDetail(new TransactionDetailView(this))
{
    setObjectName(u"compareView"_s);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    m_header->setStyleSheet(u"QLabel { background:#f3eefb; border:1px solid #d6c5ee; border-radius:3px; padding:6px; }"_s);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_header->setWordWrap(true);
    m_header->setText(tr("<b>Comparison</b> · baseline <code>%1</code> · experiment <code>%2</code>")
                          .arg(baselinePath.toHtmlEscaped(), experimentPath.toHtmlEscaped()));
    layout->addWidget(m_header);

    auto *progressLayout = new QHBoxLayout(m_progressRow);
    progressLayout->setContentsMargins(0, 0, 0, 0);
    m_progress->setRange(0, 1000);
    progressLayout->addWidget(new QLabel(tr("Comparing…"), m_progressRow));
    progressLayout->addWidget(m_progress, 1);
    progressLayout->addWidget(m_cancelButton);
    layout->addWidget(m_progressRow);
    connect(m_cancelButton, &QPushButton::clicked, this, [this] { m_cancel->store(true); });

    auto *details = new QSplitter(Qt::Horizontal, m_splitter);
    for (auto [view, label] : {std::pair{m_baselineDetail, tr("Baseline")}, std::pair{m_experimentDetail, tr("Experiment")}}) {
        auto *box = new QWidget(details);
        auto *boxLayout = new QVBoxLayout(box);
        boxLayout->setContentsMargins(0, 0, 0, 0);
        boxLayout->addWidget(new QLabel(u"<b>%1</b>"_s.arg(label), box));
        view->setParent(box);
        boxLayout->addWidget(view, 1);
        view->showMessage(tr("Select a transaction to see it in both runs."));
        connect(view, &TransactionDetailView::copied, this,
                [this](const QString &text) { Q_EMIT statusMessage(tr("Copied %1").arg(text)); });
    }
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    // Also the first split: from size hints alone the detail panes took all
    // but three rows of the sections' table.
    m_splitter->setSizes({3000, 2000});
    layout->addWidget(m_splitter, 1);

    const std::shared_ptr<std::atomic_bool> cancel = m_cancel;
    QPointer<QProgressBar> progress = m_progress;
    auto *watcher = new QFutureWatcher<Result<ComparisonResult>>(this);
    connect(watcher, &QFutureWatcher<Result<ComparisonResult>>::finished, this, [this, watcher] {
        watcher->deleteLater();
        onDone(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(backgroundThreadPool(), [baselinePath, experimentPath, cancel, progress] {
        return compareCaptures(baselinePath, experimentPath, [progress](qint64 done, qint64 total) {
            if (total <= 0)
                return;
            const int value = int(1000 * done / total);
            QMetaObject::invokeMethod(progress, [progress, value] {
                if (progress)
                    progress->setValue(value);
            });
        }, cancel.get());
    }));
}

CompareView::~CompareView()
{
    m_cancel->store(true);
    for (auto *watcher : findChildren<QFutureWatcher<Result<ComparisonResult>> *>())
        watcher->waitForFinished();
}

QString CompareView::title() const
{
    return tr("%1 ⇄ %2").arg(QFileInfo(m_baselinePath).completeBaseName(), QFileInfo(m_experimentPath).completeBaseName());
}

QTableView *CompareView::table(ComparisonSection section) const
{
    for (const auto &[s, view] : m_tables) {
        if (s == section)
            return view;
    }
    return nullptr;
}

void CompareView::onDone(const Result<ComparisonResult> &result)
{
    m_progressRow->hide();
    if (!result) {
        m_error = result.error().message;
        m_header->setText(m_header->text() + u"<br><span style=\"color:#b00020\"><b>%1</b> %2</span>"_s
                                                 .arg(tr("The comparison failed:"), m_error.toHtmlEscaped()));
        Q_EMIT finished();
        return;
    }
    m_result = std::make_shared<const ComparisonResult>(*result);
    const ComparisonResult &r = *m_result;
    QString header = m_header->text();
    header += u"<br>"_s + tr("%1 baseline and %2 experiment transactions, %3 joined by signature · "
                             "<b>%4 regressions</b>, %5 improvements, %6 only in the baseline, %7 only in the experiment")
                              .arg(r.baseline.transactions).arg(r.experiment.transactions).arg(r.joined)
                              .arg(r.regressions.size()).arg(r.improvements.size()).arg(r.onlyBaseline.size())
                              .arg(r.onlyExperiment.size());
    for (const QString &w : r.warnings)
        header += u"<br><span style=\"color:#7a4100\">%1</span>"_s.arg(w.toHtmlEscaped());
    m_header->setText(header);

    for (const ComparisonSection section : allSections()) {
        auto *page = new QWidget(m_tabs);
        auto *pageLayout = new QVBoxLayout(page);
        pageLayout->setContentsMargins(0, 0, 0, 0);
        auto *bar = new QHBoxLayout;
        bar->addStretch(1);
        if (section == ComparisonSection::Summary) {
            auto *all = new QPushButton(tr("Export all sections (one CSV)…"), page);
            connect(all, &QPushButton::clicked, this, &CompareView::exportAll);
            bar->addWidget(all);
        }
        auto *exportButton = new QPushButton(tr("Export CSV…"), page);
        connect(exportButton, &QPushButton::clicked, this, [this, section] { exportSection(section); });
        bar->addWidget(exportButton);
        pageLayout->addLayout(bar);
        auto *view = new QTableView(page);
        view->setObjectName(sectionName(section));
        auto *model = new ComparisonSectionModel(m_result, section, view);
        showSortable(view, model);
        setupDataTable(view);
        view->setSortingEnabled(section != ComparisonSection::Summary);
        view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
        view->resizeColumnsToContents();
        pageLayout->addWidget(view, 1);
        connect(view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
                [this](const QModelIndex &current) { showRow(current); });
        m_tables.append({section, view});
        const qsizetype n = r.count(section);
        // "Fees (–)": not compared (a `sim run` side records none), not none differing.
        const int tab = m_tabs->addTab(page, section == ComparisonSection::Summary ? sectionTitle(section)
                                             : u"%1 (%2)"_s.arg(sectionTitle(section),
                                                                r.compared(section) ? QString::number(n) : u"–"_s));
        if (!r.compared(section))
            m_tabs->setTabToolTip(tab, tr("Not compared: see the warnings above (a side records none of these values)"));
    }
    // Open on the first section with something in it.
    for (int i = 1; i < m_tabs->count(); ++i) {
        if (r.count(allSections().at(i)) > 0) {
            m_tabs->setCurrentIndex(i);
            break;
        }
    }
    Q_EMIT statusMessage(tr("Compared: %n regression(s)", nullptr, int(r.regressions.size())));
    Q_EMIT finished();
}

void CompareView::showRow(const QModelIndex &index)
{
    if (!index.isValid())
        return;
    const QString signature = index.data(ComparisonSectionModel::SignatureRole).toString();
    if (signature.isEmpty())
        return;
    const auto show = [&signature](TransactionDetailView *view, const QString &path, const QVariant &offset,
                                   const QString &side) {
        if (!offset.isValid()) {
            view->showMessage(tr("%1 is not in the %2.").arg(signature, side));
            return;
        }
        const Result<CapturedTransactionDetail> detail = CaptureReader::readTransactionAt(path, offset.toLongLong(), signature);
        if (detail)
            view->showCaptured(*detail);
        else
            view->showMessage(tr("Cannot read the transaction: %1").arg(detail.error().message));
    };
    show(m_baselineDetail, m_baselinePath, index.data(ComparisonSectionModel::BaselineOffsetRole), tr("baseline"));
    show(m_experimentDetail, m_experimentPath, index.data(ComparisonSectionModel::ExperimentOffsetRole),
         tr("experiment"));
}

void CompareView::exportSection(ComparisonSection section)
{
    if (!m_result)
        return;
    const QString suggested = QFileInfo(m_experimentPath).dir().filePath(
        u"%1-vs-%2.%3.csv"_s.arg(QFileInfo(m_baselinePath).completeBaseName(),
                                 QFileInfo(m_experimentPath).completeBaseName(), sectionName(section)));
    const QString written = saveCsvAs(this, comparisonCsv(*m_result, section), suggested,
                                      {m_baselinePath, m_experimentPath});
    if (!written.isEmpty())
        Q_EMIT statusMessage(tr("Exported %1").arg(written));
}

void CompareView::exportAll()
{
    if (!m_result)
        return;
    const QString suggested = QFileInfo(m_experimentPath).dir().filePath(
        u"%1-vs-%2.csv"_s.arg(QFileInfo(m_baselinePath).completeBaseName(), QFileInfo(m_experimentPath).completeBaseName()));
    const QString written = saveCsvAs(this, comparisonCsvAll(*m_result), suggested,
                                      {m_baselinePath, m_experimentPath});
    if (!written.isEmpty())
        Q_EMIT statusMessage(tr("Exported %1").arg(written));
}

} // namespace SlotScope
