#include "rundialog.h"

#include "apikeystore.h"
#include "appsettings.h"
#include "capture/capturewriter.h"
#include "capture/outputfile.h"
#include "protocol/availableranges.h"
#include "protocol/urls.h"
#include "slotspinbox.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QProcessEnvironment>
#include <QPushButton>
#include <QRegularExpression>
#include <QRegularExpressionValidator>
#include <QResizeEvent>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTimer>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace SlotScope {

QString defaultCapturePath()
{
    const QString dir = AppSettings().preferences().effectiveCaptureDirectory();
    QDir().mkpath(dir);
    return freshCapturePath(dir + u"/run-"_s + QDateTime::currentDateTime().toString(u"yyyyMMdd-HHmmss"_s)
                            + u".ndjson"_s);
}

QString freshCapturePath(const QString &path)
{
    if (!CaptureWriter::captureExists(path))
        return path;
    const QString suffix = u".ndjson"_s;
    const QString stem = path.endsWith(suffix) ? path.chopped(suffix.size()) : path;
    for (int n = 2;; ++n) {
        const QString candidate = u"%1-%2%3"_s.arg(stem).arg(n).arg(suffix);
        if (!CaptureWriter::captureExists(candidate))
            return candidate;
    }
}

QStringList parseProgramList(const QString &text)
{
    static const QRegularExpression separators(u"[\\s,;]+"_s);
    QStringList programs = text.split(separators, Qt::SkipEmptyParts);
    programs.removeDuplicates();
    return programs;
}

RunDialog::RunDialog(QWidget *parent)
    : QDialog(parent)
    , m_target(new QComboBox(this))
    , m_url(new QLineEdit(this))
    , m_apiKey(new QLineEdit(this))
    , m_rememberKey(new QCheckBox(tr("&Remember the key for this server in the system keyring"), this))
    , m_keyStatus(new QLabel(this))
    , m_keyLookupPause(new QTimer(this))
    , m_name(new QLineEdit(this))
    , m_startSlot(new QLineEdit(this))
    , m_endSlot(new QLineEdit(this))
    , m_ranges(new QComboBox(this))
    , m_fetchRanges(new QPushButton(tr("Fetch ranges"), this))
    , m_rangeStatus(new QLabel(this))
    , m_subscribePrograms(new QLineEdit(this))
    , m_discoverPrograms(new QLineEdit(this))
    , m_pauseAtDiscoveries(new QCheckBox(tr("Run to End stops at every discovered batch, then goes on"), this))
    , m_parallel(new QCheckBox(tr("Parallel batch: the server splits the range into sub-sessions"), this))
    , m_accountDiffs(new QCheckBox(tr("Also capture account diffs (accounts owned by the subscribed programs)"), this))
    , m_zstd(new QCheckBox(tr("Compress the data plane (zstd)"), this))
    , m_advanceCount(new QSpinBox(this))
    , m_disconnectTimeout(new QSpinBox(this))
    , m_capturePath(new QLineEdit(this))
    , m_problem(new QLabel(this))
    , m_network(new QNetworkAccessManager(this))
{
    setWindowTitle(tr("New backtest run"));
    m_target->addItem(tr("Local simulator (demo)"), int(RunConfig::Target::Demo));
    m_target->addItem(tr("Server URL"), int(RunConfig::Target::Url));
    m_url->setPlaceholderText(tr("wss://host/backtest or a host name"));
    m_apiKey->setEchoMode(QLineEdit::Password);
    m_apiKey->setPlaceholderText(tr("default: $SIMULATOR_API_KEY"));
    m_environmentKey = QProcessEnvironment::systemEnvironment().value(u"SIMULATOR_API_KEY"_s);
    m_apiKey->setText(m_environmentKey);
    m_url->setObjectName(u"url"_s);
    m_apiKey->setObjectName(u"apiKey"_s);
    m_target->setObjectName(u"target"_s);
    m_rememberKey->setObjectName(u"rememberKey"_s);
    m_keyStatus->setObjectName(u"keyStatus"_s);
    m_keyStatus->setWordWrap(true);
    m_keyStatus->installEventFilter(this);
    m_keyStatus->setStyleSheet(u"color:#666"_s);
    auto *recentTargets = new QCompleter(AppSettings().recentTargets(), m_url);
    recentTargets->setCaseSensitivity(Qt::CaseInsensitive);
    recentTargets->setCompletionMode(QCompleter::UnfilteredPopupCompletion);
    m_url->setCompleter(recentTargets);
    m_name->setPlaceholderText(tr("optional, e.g. sol-usdc-baseline"));
    m_name->setToolTip(tr("The session's name on the server (a parallel run: the batch's name): "
                          "a–z, 0–9, '.', '_' and '-', at most 100 characters; letters are lower-cased. "
                          "A name another session holds is refused."));
    auto *slotValidator = new QRegularExpressionValidator(QRegularExpression(u"\\d{1,19}"_s), this);
    m_startSlot->setValidator(slotValidator);
    m_endSlot->setValidator(slotValidator);
    m_ranges->setPlaceholderText(tr("available ranges…"));
    m_ranges->setMinimumContentsLength(24);
    m_subscribePrograms->setPlaceholderText(tr("program ids; empty = every transaction"));
    m_discoverPrograms->setPlaceholderText(tr("program ids whose batches to discover"));
    m_advanceCount->setRange(1, 1000000);
    setSlotsSuffix(m_advanceCount);
    m_disconnectTimeout->setRange(0, kMaxDisconnectTimeoutSecs);
    m_disconnectTimeout->setSuffix(tr(" s"));
    m_disconnectTimeout->setToolTip(tr("How long the server keeps the session after the connection drops (≤ %1 s).")
                                        .arg(kMaxDisconnectTimeoutSecs));
    m_problem->setObjectName(u"problem"_s);
    m_problem->setStyleSheet(u"color:#b00020"_s);
    m_problem->setWordWrap(true);
    m_problem->installEventFilter(this);
    m_rangeStatus->setStyleSheet(u"color:#666"_s);
    m_rangeStatus->setObjectName(u"rangeStatus"_s);
    m_ranges->setObjectName(u"ranges"_s);
    m_startSlot->setObjectName(u"startSlot"_s);
    m_endSlot->setObjectName(u"endSlot"_s);
    m_capturePath->setObjectName(u"capturePath"_s);
    m_fetchRanges->setObjectName(u"fetchRanges"_s);
    m_rangeStatus->hide(); // no empty row until there is something to say

    auto *rangeRow = new QHBoxLayout;
    rangeRow->addWidget(m_startSlot);
    rangeRow->addWidget(new QLabel(u"…"_s, this));
    rangeRow->addWidget(m_endSlot);
    auto *pickerRow = new QHBoxLayout;
    pickerRow->addWidget(m_ranges, 1);
    pickerRow->addWidget(m_fetchRanges);
    auto *captureRow = new QHBoxLayout;
    captureRow->addWidget(m_capturePath, 1);
    auto *browse = new QToolButton(this);
    browse->setText(u"…"_s);
    captureRow->addWidget(browse);

    auto *form = new QFormLayout;
    m_form = form;
    form->addRow(tr("&Target:"), m_target);
    form->addRow(tr("&URL:"), m_url);
    form->addRow(tr("API &key:"), m_apiKey);
    form->addRow(QString(), m_rememberKey);
    form->addRow(QString(), m_keyStatus);
    form->addRow(tr("&Name:"), m_name);
    // Rows holding a layout get their label's buddy by hand, else the '&' shows.
    auto *slotsLabel = new QLabel(tr("&Slots:"), this);
    slotsLabel->setBuddy(m_startSlot);
    form->addRow(slotsLabel, rangeRow);
    form->addRow(QString(), pickerRow);
    form->addRow(QString(), m_rangeStatus);
    form->addRow(QString(), m_parallel);
    form->addRow(tr("Su&bscribe to:"), m_subscribePrograms);
    form->addRow(QString(), m_accountDiffs);
    form->addRow(QString(), m_zstd);
    form->addRow(tr("&Discover:"), m_discoverPrograms);
    m_pauseAtDiscoveries->setToolTip(tr("Run to End stops before every discovered batch (a Continue-to, so the "
                                        "capture records the pause) and goes on; Continue steps as asked"));
    form->addRow(QString(), m_pauseAtDiscoveries);
    form->addRow(tr("&Advance:"), m_advanceCount);
    form->addRow(tr("Disconnect &timeout:"), m_disconnectTimeout);
    auto *captureLabel = new QLabel(tr("&Capture file:"), this);
    captureLabel->setBuddy(m_capturePath);
    form->addRow(captureLabel, captureRow);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Start"));
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);

    connect(m_target, &QComboBox::currentIndexChanged, this, &RunDialog::updateTargetFields);
    connect(m_target, &QComboBox::currentIndexChanged, this, &RunDialog::lookUpStoredKey);
    connect(m_url, &QLineEdit::editingFinished, this, &RunDialog::lookUpStoredKey);
    // The user's own tick or untick: a wish (saveOrForgetKeyThenAccept()).
    connect(m_rememberKey, &QCheckBox::clicked, this, [this] { m_keyringHoldsOther = false; });
    // The keyring's key for one URL leaves with the URL, at once: a Start
    // (or Enter) before the next lookup answered sent it to the new server.
    connect(m_url, &QLineEdit::textChanged, this, [this](const QString &text) {
        // The last run's key leaves with its URL too (another server must
        // not get it, nor keep it in its keyring entry).
        if (!m_keyFromConfig.isEmpty() && text.trimmed() != m_keyFromConfigTarget) {
            if (m_apiKey->text() == m_keyFromConfig)
                m_apiKey->clear();
            m_keyFromConfig.clear();
            m_keyFromConfigTarget.clear();
        }
        if (m_keyFromKeyring.isEmpty() || text.trimmed() == m_lookedUpTarget)
            return;
        if (m_apiKey->text() == m_keyFromKeyring)
            m_apiKey->clear();
        m_keyFromKeyring.clear();
        m_lookedUpTarget.clear(); // typed back, the URL's key is read again
    });
    m_keyLookupPause->setSingleShot(true);
    m_keyLookupPause->setInterval(700);
    connect(m_url, &QLineEdit::textEdited, m_keyLookupPause, qOverload<>(&QTimer::start));
    connect(m_keyLookupPause, &QTimer::timeout, this, &RunDialog::lookUpStoredKey);
    connect(this, &QDialog::finished, m_keyLookupPause, &QTimer::stop); // no keyring prompt after it closed
    connect(recentTargets, qOverload<const QString &>(&QCompleter::activated), this, &RunDialog::lookUpStoredKey);
    connect(m_fetchRanges, &QPushButton::clicked, this, &RunDialog::fetchRanges);
    connect(m_ranges, &QComboBox::activated, this, [this](int index) {
        const QVariantList range = m_ranges->itemData(index).toList();
        if (range.size() == 2) {
            m_startSlot->setText(range.at(0).toString());
            m_endSlot->setText(range.at(1).toString());
        }
    });
    connect(browse, &QToolButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Capture file"), m_capturePath->text(),
                                                          tr("NDJSON capture (*.ndjson)"));
        if (!path.isEmpty())
            m_capturePath->setText(path);
    });
    connect(buttons, &QDialogButtonBox::accepted, this, &RunDialog::validateAndAccept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    setConfig(RunConfig{});
}

RunDialog::~RunDialog()
{
    // ~QDialog hides a shown dialog, and the focus leaving the URL field then
    // emits editingFinished: to a RunDialog that is gone by then.
    disconnect(m_url, nullptr, this, nullptr);
}

void RunDialog::setConfig(const RunConfig &config)
{
    m_target->setCurrentIndex(config.target == RunConfig::Target::Demo ? 0 : 1);
    m_keyFromConfig.clear(); // not for the URL set next
    m_url->setText(config.url);
    if (!config.apiKey.isEmpty()) {
        m_apiKey->setText(config.apiKey);
        m_keyFromConfig = config.apiKey;
        m_keyFromConfigTarget = config.url.trimmed();
    }
    m_name->setText(config.name);
    m_startSlot->setText(QString::number(config.startSlot));
    m_endSlot->setText(QString::number(config.endSlot));
    m_subscribePrograms->setText(config.subscribePrograms.join(u' '));
    m_discoverPrograms->setText(config.discoverPrograms.join(u' '));
    m_pauseAtDiscoveries->setChecked(config.pauseAtDiscoveries);
    m_breakpoints = config.breakpoints;
    m_accountDiffs->setChecked(config.accountDiffs);
    m_parallel->setChecked(config.parallel);
    m_zstd->setChecked(config.zstd);
    m_advanceCount->setValue(int(qMin<quint64>(config.advanceCount, 1000000)));
    m_disconnectTimeout->setValue(config.disconnectTimeoutSecs);
    m_capturePath->setText(config.capturePath.isEmpty() ? defaultCapturePath() : config.capturePath);
    updateTargetFields();
    lookUpStoredKey();
}

RunConfig RunDialog::config() const
{
    RunConfig config;
    config.target = RunConfig::Target(m_target->currentData().toInt());
    config.url = m_url->text().trimmed();
    config.apiKey = config.target == RunConfig::Target::Url ? m_apiKey->text() : QString();
    config.name = m_name->text().trimmed();
    config.startSlot = m_startSlot->text().toULongLong();
    config.endSlot = m_endSlot->text().toULongLong();
    config.subscribePrograms = parseProgramList(m_subscribePrograms->text());
    config.discoverPrograms = parseProgramList(m_discoverPrograms->text());
    config.pauseAtDiscoveries = m_pauseAtDiscoveries->isChecked();
    for (const DiscoveryBreakpoint &breakpoint : m_breakpoints) {
        if (config.discoverPrograms.contains(breakpoint.program))
            config.breakpoints.append(breakpoint);
    }
    config.accountDiffs = m_accountDiffs->isChecked();
    config.parallel = m_parallel->isChecked();
    config.zstd = m_zstd->isChecked();
    config.advanceCount = quint64(m_advanceCount->value());
    config.disconnectTimeoutSecs = quint16(m_disconnectTimeout->value());
    config.capturePath = m_capturePath->text().trimmed();
    if (config.capturePath.isEmpty())
        config.capturePath = defaultCapturePath();
    config.drive = RunConfig::Drive::Manual;
    return config;
}

void RunDialog::setDemoHttpBase(const QString &httpBase, const QString &apiKey)
{
    m_demoHttpBase = httpBase;
    m_demoApiKey = apiKey;
}

void RunDialog::updateTargetFields()
{
    const bool url = m_target->currentData().toInt() == int(RunConfig::Target::Url);
    m_url->setEnabled(url);
    m_apiKey->setEnabled(url);
    m_rememberKey->setVisible(url);
    updateKeyStatusRow();
    if (!url && isVisible())
        QTimer::singleShot(0, this, &RunDialog::dropSpareHeight);
}

void RunDialog::dropSpareHeight()
{
    // Rows hidden for the demo target leave their height empty under the
    // buttons: the dialog gives it back (never grows here; shown rows grow
    // it by themselves, and a wrapped note keeps every line).
    QLayout *form = layout();
    form->activate();
    const int needed = qMax(minimumSizeHint().height(),
                            form->hasHeightForWidth() ? form->totalHeightForWidth(width()) : sizeHint().height());
    if (height() > needed)
        resize(width(), needed);
}

void RunDialog::updateKeyStatusRow()
{
    // (An empty note takes no row: no gap under "Remember the key".)
    const bool url = m_target->currentData().toInt() == int(RunConfig::Target::Url);
    m_form->setRowVisible(m_keyStatus, url && !m_keyStatus->text().isEmpty());
}

void RunDialog::showRangeStatus(const QString &text)
{
    m_rangeStatus->setText(text);
    m_rangeStatus->setVisible(!text.isEmpty());
}

void RunDialog::showNote(QLabel *note, const QString &text)
{
    note->setText(text);
    if (note == m_keyStatus)
        updateKeyStatusRow();
    fitNote(note);
}

void RunDialog::fitNote(QLabel *note)
{
    // Its lines at the width it has now; the dialog grows to the new minimum.
    // Again whenever its width changes or it is shown (eventFilter()).
    const int lines = note->text().isEmpty() || !note->isVisible() ? 0 : note->heightForWidth(note->width());
    note->setMinimumHeight(qMax(0, lines));
}

bool RunDialog::eventFilter(QObject *watched, QEvent *event)
{
    if ((watched == m_keyStatus || watched == m_problem)
        && (event->type() == QEvent::Resize || event->type() == QEvent::Show)) {
        auto *note = static_cast<QLabel *>(watched);
        if (event->type() == QEvent::Show || static_cast<QResizeEvent *>(event)->oldSize().width() != note->width())
            fitNote(note);
    }
    return QDialog::eventFilter(watched, event);
}

void RunDialog::fetchRanges()
{
    const bool demo = m_target->currentData().toInt() == int(RunConfig::Target::Demo);
    const QString base = demo ? m_demoHttpBase : httpBaseFromWsUrl(backtestWsUrl(m_url->text().trimmed()));
    if (base.isEmpty()) {
        showRangeStatus(tr("No server to ask: enter a URL first."));
        return;
    }
    QNetworkRequest request(QUrl(base + u"/available-ranges"_s));
    const QString key = demo ? m_demoApiKey : m_apiKey->text();
    if (!key.isEmpty())
        request.setRawHeader("X-API-Key", key.toUtf8());
    // Qt's default policy follows a redirect to any host with the headers
    // copied: the key would go to wherever the server points.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::SameOriginRedirectPolicy);
    request.setTransferTimeout(15000);
    m_fetchRanges->setEnabled(false);
    // Where the focus went when the button was disabled: the picker takes
    // it over only if the user has not moved on (typed a slot meanwhile).
    const QPointer<QWidget> focusWhileAsking = focusWidget();
    showRangeStatus(tr("Asking %1 …").arg(redactedUrl(base)));
    QNetworkReply *reply = m_network->get(request);
    connect(reply, &QNetworkReply::finished, this, [this, reply, focusWhileAsking] {
        reply->deleteLater();
        m_fetchRanges->setEnabled(true);
        if (reply->error() != QNetworkReply::NoError) {
            // Qt's text may quote the URL, user info and query included.
            showRangeStatus(tr("Could not fetch ranges: %1").arg(redactedUrlsIn(reply->errorString())));
            return;
        }
        const Result<QList<AvailableRange>> ranges = parseAvailableRanges(reply->readAll());
        m_ranges->clear();
        if (!ranges) {
            showRangeStatus(tr("Could not read the ranges: %1").arg(ranges.error().message));
            return;
        }
        // Sessions replay blocks: account-state ranges are no session's
        // range (said, not listed).
        int otherKinds = 0;
        for (const AvailableRange &range : *ranges) {
            if (!range.isBlocks()) {
                ++otherKinds;
                continue;
            }
            const quint64 start = range.bundleStartSlot;
            const quint64 end = qMax(start, range.maxBundleEndSlot.value_or(start));
            QString label = u"%1 … %2"_s.arg(start).arg(end);
            if (!range.bundleStartSlotUtc.isEmpty())
                label += u"  (%1)"_s.arg(range.bundleStartSlotUtc);
            m_ranges->addItem(label, QVariantList{start, end});
        }
        QString status = m_ranges->count() > 0 ? tr("%n range(s) available.", nullptr, m_ranges->count())
                         : otherKinds > 0        ? tr("The server lists no ranges of blocks.")
                                                 : tr("The server lists no ranges.");
        if (otherKinds > 0)
            status += u" "_s + tr("(%n range(s) of another kind, e.g. account state, not listed.)", nullptr, otherKinds);
        showRangeStatus(status);
        // The picker takes the focus (Alt+Down opens it), but no popup
        // opens by itself: it would swallow the next click, e.g. on Start.
        if (m_ranges->count() > 0 && focusWidget() == focusWhileAsking)
            m_ranges->setFocus(Qt::OtherFocusReason);
    });
}

void RunDialog::validateAndAccept()
{
    const RunConfig candidate = config();
    // What the dialog itself can point at is said in its own words, with the
    // field to fix focused; RunConfig::validate() words the rest (shared with
    // the command line, whose wording names its options).
    const auto refuse = [this](QWidget *field, const QString &problem) {
        showNote(m_problem, problem);
        field->setFocus(Qt::OtherFocusReason);
    };
    if (candidate.target == RunConfig::Target::Url && candidate.url.isEmpty())
        return refuse(m_url, tr("Enter the simulator's URL or host name."));
    if (candidate.target == RunConfig::Target::Url) {
        // Checked here, not by the connection after the dialog closed.
        if (const Result<QString> url = controlWsUrl(candidate.url); !url)
            return refuse(m_url, url.error().message);
    }
    if (candidate.target == RunConfig::Target::Url && candidate.apiKey.isEmpty())
        return refuse(m_apiKey, tr("Enter the API key for this server (or start SlotScope with "
                                   "SIMULATOR_API_KEY set)."));
    if (m_startSlot->text().isEmpty() || m_endSlot->text().isEmpty())
        return refuse(m_startSlot->text().isEmpty() ? m_startSlot : m_endSlot, tr("Enter the first and last slot."));
    // Refused here, not by the server after a live run was stopped for it.
    if (candidate.startSlot > candidate.endSlot)
        return refuse(m_endSlot, tr("The last slot (%L1) is before the first (%L2).")
                                     .arg(candidate.endSlot)
                                     .arg(candidate.startSlot));
    if (const QString problem = candidate.validate(); !problem.isEmpty()) {
        showNote(m_problem, problem);
        return;
    }
    // Refused here, not after a live run was stopped for a run that fails at once.
    if (const Result<void> capture = checkCapturePath(candidate.capturePath); !capture)
        return refuse(m_capturePath, tr("Capture file: %1.").arg(capture.error().message));
    if (candidate.pauseAtDiscoveries && candidate.discoverPrograms.isEmpty()) {
        showNote(m_problem, tr("Pausing at discoveries needs at least one program to discover."));
        return;
    }
    showNote(m_problem, {});
    saveOrForgetKeyThenAccept(candidate);
}

Result<void> RunDialog::checkCapturePath(const QString &path)
{
    if (Result<void> creatable = OutputFile::checkCanCreate(path); !creatable)
        return creatable;
    if (outputTargetAt(path) == OutputTarget::Stream) {
        return makeError(tr("%1 is a device, FIFO or socket, not a file: the window reads each transaction "
                            "back from its capture")
                             .arg(QDir::toNativeSeparators(path)));
    }
    return {};
}

void RunDialog::lookUpStoredKey()
{
    const QString target = m_url->text().trimmed();
    if (m_target->currentData().toInt() != int(RunConfig::Target::Url) || target.isEmpty())
        return;
    if (!m_environmentKey.isEmpty()) {
        m_rememberKey->setChecked(false);
        m_rememberKey->setEnabled(false);
        showNote(m_keyStatus, tr("Using $SIMULATOR_API_KEY, which wins over a key in the keyring."));
        return;
    }
    if (target == m_lookedUpTarget)
        return;
    m_lookedUpTarget = target;
    m_keyringHoldsOther = false;
    if (carriesCredential(target)) {
        // Its keyring entry would be named by the URL, and the list of
        // remembered targets is plain text: the credential would leak there.
        m_rememberKey->setChecked(false);
        m_rememberKey->setEnabled(false);
        showNote(m_keyStatus, tr("This URL carries a credential of its own: its key is not remembered."));
        return;
    }
    m_rememberKey->setChecked(AppSettings().isKeyRemembered(target));
    ApiKeyStore::read(target, this, [this, target](const KeyringResult &result) {
        if (m_url->text().trimmed() != target)
            return; // the user moved on to another server
        // A key the keyring gave for another URL is not this server's.
        const bool keyIsTheKeyrings = !m_keyFromKeyring.isEmpty() && m_apiKey->text() == m_keyFromKeyring;
        if (keyIsTheKeyrings)
            m_apiKey->clear();
        m_keyFromKeyring.clear();
        switch (result.status) {
        case KeyringResult::Status::Ok:
            m_rememberKey->setEnabled(true);
            if (m_apiKey->text().isEmpty()) {
                m_apiKey->setText(result.key);
                m_keyFromKeyring = result.key;
            } else if (m_apiKey->text() != result.key) {
                // The last run's (or a typed) key wins; Start with "Remember"
                // unticked leaves the keyring's as it is.
                m_rememberKey->setChecked(false);
                m_keyringHoldsOther = true;
                showNote(m_keyStatus, tr("The system keyring holds another key for this server; the one in the "
                                        "field is used. Tick Remember to replace the keyring's."));
                break;
            }
            m_rememberKey->setChecked(true);
            showNote(m_keyStatus, tr("Key read from the system keyring."));
            break;
        case KeyringResult::Status::NotFound:
            m_rememberKey->setEnabled(true);
            showNote(m_keyStatus, tr("No key for this server in the system keyring."));
            break;
        case KeyringResult::Status::Unavailable:
        case KeyringResult::Status::Failed:
            m_rememberKey->setChecked(false);
            m_rememberKey->setEnabled(false);
            showNote(m_keyStatus, tr("The system keyring is not available (%1): the key cannot be remembered, "
                                    "enter it or set SIMULATOR_API_KEY.").arg(result.message));
            break;
        }
    });
}

void RunDialog::saveOrForgetKeyThenAccept(const RunConfig &config)
{
    const bool remembered = AppSettings().isKeyRemembered(config.url);
    const bool remember = m_rememberKey->isChecked();
    if (!remember && m_keyringHoldsOther) {
        accept(); // unticked by the dialog, not by the user: the keyring's key stays
        return;
    }
    // A disabled box means SIMULATOR_API_KEY is in use or the keyring is not available.
    if (config.target != RunConfig::Target::Url || !m_rememberKey->isEnabled() || (!remember && !remembered)) {
        accept();
        return;
    }
    setEnabled(false);
    showNote(m_keyStatus, remember ? tr("Saving the key in the system keyring …")
                                  : tr("Removing the key from the system keyring …"));
    auto finished = [this, url = config.url, remember](const KeyringResult &result) {
        setEnabled(true);
        if (result.status == KeyringResult::Status::Ok || (!remember && result.status == KeyringResult::Status::NotFound)) {
            AppSettings().setKeyRemembered(url, remember);
            accept();
            return;
        }
        // Say so and let the user start without it: the run does not depend on the keyring.
        m_rememberKey->setChecked(false);
        m_rememberKey->setEnabled(false);
        showNote(m_keyStatus, tr("The system keyring did not keep the key (%1). Start again to run without "
                                "remembering it.").arg(result.message));
    };
    if (remember)
        ApiKeyStore::write(config.url, config.apiKey, this, finished);
    else
        ApiKeyStore::remove(config.url, this, finished);
}

} // namespace SlotScope
