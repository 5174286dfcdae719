#include "comparerunsdialog.h"

#include "capture/capturecomparison.h"
#include "capture/outputfile.h"
#include "documentarea.h"

#include <QComboBox>
#include <QCompleter>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

using namespace Qt::StringLiterals;

namespace SlotScope {

namespace {

QComboBox *capturePicker(const QStringList &known, const QString &current, QWidget *parent, QLayout **row)
{
    auto *combo = new QComboBox(parent);
    combo->setEditable(true);
    combo->setInsertPolicy(QComboBox::NoInsert);
    // Suggestions in a popup, never typed in: inline completion turned a typed
    // `run.json` into a known `run.json.ndjson`, and that is what was compared.
    combo->completer()->setCompletionMode(QCompleter::PopupCompletion);
    combo->addItems(known);
    combo->setCurrentText(current);
    combo->setMinimumContentsLength(50);
    auto *browse = new QPushButton(CompareRunsDialog::tr("Browse…"), parent);
    QObject::connect(browse, &QPushButton::clicked, combo, [combo] {
        const QString path = QFileDialog::getOpenFileName(combo, CompareRunsDialog::tr("Capture"),
                                                          combo->currentText().trimmed(),
                                                          DocumentArea::captureFileFilter());
        if (!path.isEmpty())
            combo->setCurrentText(path);
    });
    auto *layout = new QHBoxLayout;
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(combo, 1);
    layout->addWidget(browse);
    *row = layout;
    return combo;
}

enum class Side { Baseline, Experiment };

/// What keeps `path` from being one side of a comparison; `error` when the
/// path names something that is not a file (an empty path is only not yet
/// chosen).
struct PathProblem
{
    QString text;
    bool error = false;
};

PathProblem pathProblem(Side side, const QString &path)
{
    const bool baseline = side == Side::Baseline;
    if (path.isEmpty())
        return {baseline ? CompareRunsDialog::tr("Choose the baseline's capture.")
                         : CompareRunsDialog::tr("Choose the experiment's capture."),
                false};
    const QFileInfo info(path);
    const QString shown = QDir::toNativeSeparators(path);
    if (!info.exists())
        return {(baseline ? CompareRunsDialog::tr("No baseline capture at %1.")
                          : CompareRunsDialog::tr("No experiment capture at %1."))
                    .arg(shown),
                true};
    if (!info.isFile())
        return {(baseline ? CompareRunsDialog::tr("The baseline %1 is not a file.")
                          : CompareRunsDialog::tr("The experiment %1 is not a file."))
                    .arg(shown),
                true};
    return {};
}

} // namespace

CompareRunsDialog::CompareRunsDialog(const QStringList &known, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Compare Runs"));
    QLayout *baselineRow = nullptr;
    QLayout *experimentRow = nullptr;
    m_baseline = capturePicker(known, known.value(1), this, &baselineRow);
    m_baseline->setObjectName(u"baseline"_s);
    m_experiment = capturePicker(known, known.value(0), this, &experimentRow);
    m_experiment->setObjectName(u"experiment"_s);
    m_note = new QLabel(this);
    m_note->setObjectName(u"compareNote"_s);
    m_note->setWordWrap(true);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_compare = buttons->button(QDialogButtonBox::Ok);
    m_compare->setText(tr("Compare"));
    // Which run is the baseline decides what reads as a regression.
    QPushButton *swap = buttons->addButton(tr("S&wap"), QDialogButtonBox::ActionRole);
    swap->setObjectName(u"swapSides"_s);
    swap->setToolTip(tr("Exchange the baseline and the experiment"));
    connect(swap, &QPushButton::clicked, this, [this] {
        const QString baseline = baselinePath();
        setBaselinePath(experimentPath());
        setExperimentPath(baseline);
    });

    auto *baselineLabel = new QLabel(tr("&Baseline:"), this);
    baselineLabel->setBuddy(m_baseline);
    auto *experimentLabel = new QLabel(tr("&Experiment:"), this);
    experimentLabel->setBuddy(m_experiment);
    auto *form = new QFormLayout(this);
    form->addRow(baselineLabel, baselineRow);
    form->addRow(experimentLabel, experimentRow);
    form->addRow(m_note);
    form->addRow(buttons);

    connect(m_baseline, &QComboBox::currentTextChanged, this, &CompareRunsDialog::validate);
    connect(m_experiment, &QComboBox::currentTextChanged, this, &CompareRunsDialog::validate);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (canCompare())
            accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    validate();
    // An empty side is the one to fill in first.
    (baselinePath().isEmpty() || !experimentPath().isEmpty() ? m_baseline : m_experiment)->setFocus();
}

QString CompareRunsDialog::baselinePath() const
{
    return m_baseline->currentText().trimmed();
}

QString CompareRunsDialog::experimentPath() const
{
    return m_experiment->currentText().trimmed();
}

void CompareRunsDialog::setBaselinePath(const QString &path)
{
    m_baseline->setCurrentText(path);
}

void CompareRunsDialog::setExperimentPath(const QString &path)
{
    m_experiment->setCurrentText(path);
}

void CompareRunsDialog::setCaptureBeingWritten(const QString &path)
{
    m_beingWritten = path;
    validate();
}

QString CompareRunsDialog::note() const
{
    return m_note->text();
}

bool CompareRunsDialog::canCompare() const
{
    return m_compare->isEnabled();
}

void CompareRunsDialog::validate()
{
    PathProblem problem = pathProblem(Side::Baseline, baselinePath());
    if (problem.text.isEmpty())
        problem = pathProblem(Side::Experiment, experimentPath());
    m_compare->setEnabled(problem.text.isEmpty());
    // (A link, `./` or a hard link does not hide it.)
    if (problem.text.isEmpty() && isSameFile(baselinePath(), experimentPath())) {
        problem.text = tr("Baseline and experiment are the same file: the comparison will find no differences.");
    } else if (problem.text.isEmpty() && !m_beingWritten.isEmpty()
               && (isSameFile(baselinePath(), m_beingWritten) || isSameFile(experimentPath(), m_beingWritten))) {
        // Allowed (a look mid-run), but the transactions still to come will
        // read as missing from it, and its summary line is not there yet.
        problem.text = tr("The live run is still writing %1: the comparison sees what it holds now; compare "
                          "again once the run has ended for the whole run.")
                           .arg(QFileInfo(m_beingWritten).fileName());
    }
    m_note->setText(problem.text);
    m_note->setStyleSheet(problem.error ? u"color:#b00020"_s : u"color:#666"_s);
    m_note->setVisible(!problem.text.isEmpty());
}

} // namespace SlotScope
