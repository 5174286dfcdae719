#include "aboutdialog.h"

#include "appinfo.h"
#include "appsettings.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QDir>
#include <QFormLayout>
#include <QIcon>
#include <QLabel>
#include <QPushButton>
#include <QUrl>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace SlotScope {

namespace {

QString fileLink(const QString &path)
{
    return u"<a href=\"%1\">%2</a>"_s.arg(QUrl::fromLocalFile(path).toString(QUrl::FullyEncoded).toHtmlEscaped(),
                                        QDir::toNativeSeparators(path).toHtmlEscaped());
}

} // namespace

AboutDialog::AboutDialog(QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("About SlotScope"));
    const AppSettings settings;
    const QString captureDir = settings.preferences().effectiveCaptureDirectory();
    const QString settingsFile = settings.fileName();
    m_facts = {
        {tr("Version"), AppInfo::version()},
        {tr("Build"), AppInfo::buildDescription()},
        {tr("Qt"), tr("%1 (built with %2)").arg(QString::fromLatin1(qVersion()), QStringLiteral(QT_VERSION_STR))},
        {tr("Licence"), AppInfo::licence()},
        {tr("Settings file"), settingsFile},
        {tr("Capture directory"), captureDir},
    };

    auto *icon = new QLabel(this);
    icon->setPixmap(QIcon(u":/icons/slotscope.svg"_s).pixmap(64, 64));
    auto *title = new QLabel(tr("<h2>SlotScope %1</h2>"
                                "<p>Step through, watch and capture Solana backtests on the "
                                "Termina (nitro-svm) simulator.</p>").arg(AppInfo::version().toHtmlEscaped()), this);
    title->setWordWrap(true);
    auto *header = new QHBoxLayout;
    header->addWidget(icon, 0, Qt::AlignTop);
    header->addWidget(title, 1);

    auto *form = new QFormLayout;
    for (const auto &[label, value] : std::as_const(m_facts)) {
        auto *valueLabel = new QLabel(this);
        if (value == settingsFile || value == captureDir) {
            valueLabel->setText(fileLink(value));
            valueLabel->setOpenExternalLinks(true);
        } else {
            valueLabel->setText(value.toHtmlEscaped());
        }
        valueLabel->setTextInteractionFlags(Qt::TextBrowserInteraction);
        valueLabel->setWordWrap(true);
        form->addRow(tr("%1:").arg(label), valueLabel);
    }
    if (const QString homepage = AppInfo::homepage(); !homepage.isEmpty()) {
        auto *link = new QLabel(u"<a href=\"%1\">%1</a>"_s.arg(homepage.toHtmlEscaped()), this);
        link->setOpenExternalLinks(true);
        form->addRow(tr("Home page:"), link);
    }

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *copy = buttons->addButton(tr("&Copy"), QDialogButtonBox::ActionRole);
    copy->setToolTip(tr("Copy these facts, e.g. for a bug report"));
    connect(copy, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(plainText()); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addLayout(form);
    layout->addWidget(buttons);
    setMinimumWidth(560);
}

QString AboutDialog::plainText() const
{
    QStringList lines{u"SlotScope %1"_s.arg(AppInfo::version())};
    for (const auto &[label, value] : m_facts)
        lines << u"%1: %2"_s.arg(label, value);
    return lines.join(u'\n');
}

} // namespace SlotScope
