#include "transactiondetailview.h"

#include "capture/capturetypes.h"
#include "protocol/knownprograms.h"
#include "protocol/transactiondetail.h"
#include "workbench/captureddetail.h"

#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QFontDatabase>
#include <QJsonDocument>
#include <QLocale>
#include <QPlainTextEdit>
#include <QTextBrowser>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace SlotScope {

namespace {

const QString kGreen = u"#0a7d32"_s;
const QString kRed = u"#b00020"_s;
const QString kMuted = u"#666666"_s;
const QString kBlue = u"#1565c0"_s;

QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

QString grouped(quint64 n)
{
    return QLocale().toString(qulonglong(n));
}

/// A value with its copy link (⧉): every key and signature can be copied.
QString copyable(const QString &value, const QString &shown = {})
{
    if (value.isEmpty())
        return QString();
    const QString href = u"copy:"_s + QString::fromLatin1(QUrl::toPercentEncoding(value));
    return u"<code>%1</code>&nbsp;<a href=\"%2\" title=\"%3\" style=\"text-decoration:none; font-size:small\">[%4]</a>"_s
        .arg(esc(shown.isEmpty() ? value : shown), href, TransactionDetailView::tr("Copy to the clipboard"),
             TransactionDetailView::tr("copy", "link beside a value"));
}

QString address(const QString &pubkey)
{
    const QString name = knownProgramName(pubkey);
    if (name.isEmpty())
        return copyable(pubkey);
    return u"%1 <span style=\"color:%2\">(%3)</span>"_s.arg(copyable(pubkey), kMuted, esc(name));
}

QString sol(quint64 lamports)
{
    return u"◎"_s + formatUnits(lamports, 9);
}

QString colored(const SignedAmount &delta, const QString &text)
{
    if (delta.isZero())
        return u"<span style=\"color:%1\">%2</span>"_s.arg(kMuted, esc(text));
    return u"<span style=\"color:%1\">%2</span>"_s.arg(delta.negative ? kRed : kGreen, esc(text));
}

QString badge(const QString &text, const QString &background)
{
    return u"<span style=\"background-color:%1\">&nbsp;%2&nbsp;</span> "_s.arg(background, esc(text));
}

QString row(const QString &label, const QString &value)
{
    return u"<tr><td width=\"22%\" style=\"color:%1; padding-right:14px\">%2</td><td>%3</td></tr>"_s.arg(kMuted, esc(label), value);
}

/// "tokenAmount.uiAmountString" → "Token Amount (Ui Amount String)".
QString fieldLabel(const QString &name)
{
    QStringList parts = name.split(u'.');
    for (QString &part : parts) {
        QString out;
        for (qsizetype i = 0; i < part.size(); ++i) {
            const QChar c = part.at(i);
            if (i == 0)
                out += c.toUpper();
            else if (c.isUpper() && !part.at(i - 1).isUpper())
                out += u' ' + c;
            else
                out += c;
        }
        part = out;
    }
    if (parts.size() == 1)
        return parts.constFirst();
    return parts.constFirst() + u" (" + parts.mid(1).join(u" · "_s) + u')';
}

void renderInstruction(const DetailInstruction &ix, const QString &number, int depth, const TransactionDetail &d,
                       QString &html)
{
    const QString background = ix.failed ? u"#fde7e9"_s : (depth == 0 ? u"#eef3fb"_s : u"#f5f5f5"_s);
    html += u"<table width=\"100%\" cellspacing=\"0\" cellpadding=\"3\" border=\"1\" "
            "style=\"border-color:#d0d7de; margin-left:%1px; margin-top:4px\">"_s.arg(depth * 24);
    QString title = u"<b>%1 %2</b>"_s.arg(esc(number), esc(ix.title()));
    if (ix.failed) {
        title += u" &nbsp;<span style=\"color:%1\"><b>%2</b> %3</span>"_s
                     .arg(kRed, TransactionDetailView::tr("Failed:"), esc(d.instructionError.isEmpty() ? d.error : d.instructionError));
    }
    if (ix.decodedHere)
        title += u" <span style=\"color:%1\">%2</span>"_s.arg(kMuted, TransactionDetailView::tr("(decoded by SlotScope)"));
    html += u"<tr><td colspan=\"2\" style=\"background-color:%1\">%2</td></tr>"_s.arg(background, title);
    html += row(TransactionDetailView::tr("Program"), address(ix.programId));
    for (const InstructionField &f : ix.fields)
        html += row(fieldLabel(f.name), f.isAddress ? address(f.value) : esc(f.value));
    if (ix.parsedType.isEmpty()) {
        for (qsizetype i = 0; i < ix.accounts.size(); ++i)
            html += row(TransactionDetailView::tr("Account #%1").arg(i + 1), address(ix.accounts.at(i)));
        if (!ix.data.isEmpty()) {
            const QString shown = ix.data.size() > 96 ? ix.data.left(96) + u'…' : ix.data;
            html += row(TransactionDetailView::tr("Instruction Data (base58)"), copyable(ix.data, shown));
        }
    }
    html += u"</table>"_s;
    for (qsizetype i = 0; i < ix.inner.size(); ++i)
        renderInstruction(ix.inner.at(i), number + u'.' + QString::number(i + 1), depth + 1, d, html);
}

} // namespace

TransactionDetailView::TransactionDetailView(QWidget *parent)
    : QTabWidget(parent)
    , m_overview(new QTextBrowser(this))
    , m_logs(new QTextBrowser(this))
    , m_raw(new QPlainTextEdit(this))
{
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_logs->setFont(fixed);
    m_logs->setLineWrapMode(QTextEdit::NoWrap);
    m_raw->setReadOnly(true);
    m_raw->setFont(fixed);
    m_raw->setLineWrapMode(QPlainTextEdit::NoWrap);
    for (QTextBrowser *browser : {m_overview, m_logs}) {
        browser->setOpenLinks(false);
        browser->setOpenExternalLinks(false);
        connect(browser, &QTextBrowser::anchorClicked, this, &TransactionDetailView::onAnchorClicked);
    }
    m_overview->setObjectName(u"overview"_s);
    m_logs->setObjectName(u"logs"_s);
    addTab(m_overview, tr("Overview"));
    addTab(m_logs, tr("Logs"));
    addTab(m_raw, tr("Raw JSON"));
    clear();
}

void TransactionDetailView::clear()
{
    showMessage(tr("Select a transaction to see its details."));
}

void TransactionDetailView::showMessage(const QString &message)
{
    m_overview->setHtml(u"<p style=\"color:%1\">%2</p>"_s.arg(kMuted, esc(message)));
    m_logs->clear();
    m_raw->clear();
}

QString TransactionDetailView::overviewHtml() const
{
    return m_overview->toHtml();
}

QString TransactionDetailView::logsHtml() const
{
    return m_logs->toHtml();
}

void TransactionDetailView::onAnchorClicked(const QUrl &url)
{
    if (url.scheme() != u"copy")
        return;
    const QString text = QUrl::fromPercentEncoding(url.path().toLatin1());
    QApplication::clipboard()->setText(text);
    Q_EMIT copied(text);
}

void TransactionDetailView::showRaw(const QByteArray &json)
{
    const QJsonDocument document = QJsonDocument::fromJson(json);
    // QJsonDocument turns integers beyond 2^53 into doubles: show the bytes as
    // captured when re-indenting would change a number.
    m_raw->setPlainText(document.isNull() || json.size() > (4 << 20)
                            ? QString::fromUtf8(json)
                            : QString::fromUtf8(document.toJson(QJsonDocument::Indented)));
}

void TransactionDetailView::showTransaction(const QByteArray &rawJson)
{
    CapturedTransactionDetail captured;
    captured.raw = rawJson;
    showCaptured(captured);
}

void TransactionDetailView::showCaptured(const CapturedTransactionDetail &captured)
{
    const Result<CapturedDetail> parsed = detailOfCaptured(captured);
    if (!captured.raw.isEmpty())
        showRaw(captured.raw);
    else
        m_raw->setPlainText(tr("(this capture keeps no transaction JSON: it was written by `sim run`)"));
    if (!parsed) {
        m_overview->setHtml(u"<p style=\"color:%1\">%2</p>"_s.arg(
            kRed, esc(tr("Cannot read this transaction: %1").arg(parsed.error().message))));
        m_logs->clear();
        return;
    }
    QString overview = renderOverview(parsed->detail);
    if (!parsed->fromRaw) {
        overview.prepend(u"<p style=\"color:%1\">%2</p>"_s.arg(
            kMuted, esc(tr("This capture was written by `sim run` and keeps no transaction JSON: shown are the "
                           "capture's own fields (status, balance changes, logs); instructions and account flags "
                           "are not recorded."))));
    }
    m_overview->setHtml(overview);
    m_logs->setHtml(renderLogs(parsed->detail));
}

QString TransactionDetailView::renderOverview(const TransactionDetail &d)
{
    QString html;
    html += u"<h3 style=\"margin-bottom:4px\">%1</h3><table cellpadding=\"2\">"_s.arg(tr("Overview"));
    html += row(tr("Signature"), copyable(d.signature));
    if (d.success) {
        html += row(tr("Result"), u"<span style=\"color:%1\"><b>%2</b></span>"_s.arg(kGreen, tr("Success")));
    } else {
        QString result = u"<span style=\"color:%1\"><b>%2</b></span> &nbsp;%3"_s.arg(kRed, tr("Error"), esc(d.error));
        if (!d.errorJson.isEmpty())
            result += u"<br><code style=\"color:%1\">%2</code>"_s.arg(kMuted, esc(QString::fromUtf8(d.errorJson)));
        html += row(tr("Result"), result);
        if (d.failedInstruction) {
            const int index = *d.failedInstruction;
            const QString program = index < d.instructions.size() ? d.instructions.at(index).programName : QString();
            html += row(tr("Failing instruction"),
                        u"<span style=\"color:%1\">#%2 %3 — %4</span>"_s.arg(kRed).arg(index + 1)
                            .arg(esc(program), esc(d.instructionError)));
        }
    }
    if (d.blockTime) {
        html += row(tr("Timestamp"), esc(QDateTime::fromSecsSinceEpoch(*d.blockTime, Qt::UTC)
                                             .toString(u"yyyy-MM-dd HH:mm:ss 'UTC'"_s)));
    }
    html += row(tr("Slot"), grouped(d.slot));
    if (d.transactionIndex)
        html += row(tr("Index in block"), QString::number(*d.transactionIndex));
    if (d.feeRecorded)
        html += row(tr("Fee (SOL)"), esc(sol(d.fee)) + u" <span style=\"color:%1\">(%2 lamports)</span>"_s.arg(kMuted, grouped(d.fee)));
    else
        html += row(tr("Fee (SOL)"), u"<span style=\"color:%1\">%2</span>"_s.arg(kMuted, tr("not reported")));
    if (d.computeUnitsConsumed) {
        QString units = grouped(*d.computeUnitsConsumed);
        if (d.computeUnitLimit)
            units += tr(" of %1 requested").arg(grouped(*d.computeUnitLimit));
        html += row(tr("Compute units consumed"), units);
    } else {
        html += row(tr("Compute units consumed"), u"<span style=\"color:%1\">%2</span>"_s.arg(kMuted, tr("not reported")));
    }
    if (d.costUnits)
        html += row(tr("Cost units"), grouped(*d.costUnits));
    if (d.computeUnitPriceMicroLamports) {
        // Without SetComputeUnitLimit: 200 000 per instruction that is not a
        // Compute Budget one, at most 1 400 000 (compute budget defaults).
        quint64 budgeted = 0;
        for (const DetailInstruction &ix : d.instructions)
            budgeted += ix.programId != QStringView(ProgramIds::ComputeBudget);
        const quint64 limit = d.computeUnitLimit.value_or(qMin<quint64>(200000ull * budgeted, 1400000ull));
        // Priority fee = ceil(limit × price / 10^6) lamports (compute budget rules).
        const quint64 microLamports = limit * *d.computeUnitPriceMicroLamports;
        const quint64 lamports = (microLamports + 999999) / 1000000;
        html += row(tr("Compute unit price"),
                    tr("%1 micro-lamports per CU (priority fee ◎%2)")
                        .arg(grouped(*d.computeUnitPriceMicroLamports), formatUnits(lamports, 9)));
    }
    if (!d.version.isEmpty())
        html += row(tr("Transaction version"), esc(d.version));
    if (!d.recentBlockhash.isEmpty())
        html += row(tr("Recent blockhash"), copyable(d.recentBlockhash));
    for (const DetailAccount &a : d.accounts) {
        if (a.feePayer) {
            html += row(tr("Fee payer"), copyable(a.pubkey) + u" &nbsp;"_s
                                             + colored(a.delta(), a.delta().toString(9) + u" SOL"_s));
            break;
        }
    }
    if (d.signatures.size() > 1) {
        QStringList list;
        for (qsizetype i = 1; i < d.signatures.size(); ++i)
            list.append(copyable(d.signatures.at(i)));
        html += row(tr("Other signatures"), list.join(u"<br>"_s));
    }
    if (!d.returnData.isEmpty()) {
        html += row(tr("Return data"), address(d.returnDataProgramId) + u"<br><code>"_s
                                          + esc(QString::fromLatin1(d.returnData.toHex(' '))) + u"</code>"_s);
    }
    html += u"</table>"_s;

    // Account Input(s)
    if (!d.accounts.isEmpty()) {
        html += u"<a name=\"accounts\"></a><h4>%1</h4>"_s.arg(tr("Account Input(s) (%1)").arg(d.accounts.size()));
        html += u"<table width=\"100%\" cellspacing=\"0\" cellpadding=\"3\" border=\"1\" style=\"border-color:#d0d7de\">"_s;
        html += u"<tr style=\"background-color:#f0f0f0\"><th>#</th><th>%1</th><th>%2</th><th>%3</th><th>%4</th></tr>"_s
                    .arg(tr("Address"), tr("Change (SOL)"), tr("Post Balance (SOL)"), tr("Details"));
        for (qsizetype i = 0; i < d.accounts.size(); ++i) {
            const DetailAccount &a = d.accounts.at(i);
            QString details;
            if (a.feePayer)
                details += badge(tr("Fee Payer"), u"#d6eaff"_s);
            if (a.signer)
                details += badge(tr("Signer"), u"#d6eaff"_s);
            if (a.writable)
                details += badge(tr("Writable"), u"#ffd8d8"_s);
            if (a.program)
                details += badge(tr("Program"), u"#fff0c2"_s);
            if (a.fromLookupTable)
                details += badge(tr("Address Table Lookup"), u"#e6e6e6"_s);
            html += u"<tr><td>%1</td><td>%2</td><td align=\"right\">%3</td><td align=\"right\">%4</td><td>%5</td></tr>"_s
                        .arg(i + 1)
                        .arg(address(a.pubkey),
                             a.preLamports && a.postLamports ? colored(a.delta(), a.delta().toString(9)) : QString(),
                             a.postLamports ? esc(sol(*a.postLamports)) : QString(), details);
        }
        html += u"</table>"_s;
    }

    // Token Balances
    if (!d.tokenBalances.isEmpty()) {
        html += u"<a name=\"tokens\"></a><h4>%1</h4>"_s.arg(tr("Token Balances (%1)").arg(d.tokenBalances.size()));
        html += u"<table width=\"100%\" cellspacing=\"0\" cellpadding=\"3\" border=\"1\" style=\"border-color:#d0d7de\">"_s;
        html += u"<tr style=\"background-color:#f0f0f0\"><th>%1</th><th>%2</th><th>%3</th><th>%4</th><th>%5</th></tr>"_s
                    .arg(tr("Address"), tr("Token (mint)"), tr("Owner"), tr("Change"), tr("Post Balance"));
        for (const DetailTokenBalance &b : d.tokenBalances) {
            html += u"<tr><td>%1</td><td>%2</td><td>%3</td><td align=\"right\">%4</td><td align=\"right\">%5</td></tr>"_s
                        .arg(copyable(b.account), copyable(b.mint), copyable(b.owner),
                             colored(b.delta(), b.delta().toString(b.decimals)),
                             b.postAmount ? esc(formatUnits(*b.postAmount, b.decimals)) : QString());
        }
        html += u"</table>"_s;
    }

    // Instructions
    if (!d.instructions.isEmpty()) {
        html += u"<a name=\"instructions\"></a><h4>%1</h4>"_s.arg(tr("Instructions (%1 top-level, %2 in all)").arg(d.instructions.size())
                                       .arg(d.instructionCount()));
        for (qsizetype i = 0; i < d.instructions.size(); ++i)
            renderInstruction(d.instructions.at(i), u"#"_s + QString::number(i + 1), 0, d, html);
    }
    return html;
}

QString TransactionDetailView::renderLogs(const TransactionDetail &d)
{
    if (!d.logsPresent)
        return u"<p style=\"color:%1\">%2</p>"_s.arg(kMuted, esc(tr("This transaction carries no logs.")));
    QString html;
    int instruction = -2;
    for (const DetailLogLine &line : d.logs) {
        if (line.instruction != instruction) {
            instruction = line.instruction;
            if (instruction >= 0) {
                QString title = tr("#%1 instruction").arg(instruction + 1);
                if (instruction < d.instructions.size())
                    title = u"#%1 %2"_s.arg(instruction + 1).arg(d.instructions.at(instruction).title());
                html += u"<p style=\"margin-top:8px; margin-bottom:2px\"><b>%1</b></p>"_s.arg(esc(title));
            }
        }
        QString color = kMuted;
        QString text = line.text;
        switch (line.kind) {
        case DetailLogLine::Kind::Invoke:
            color = kBlue;
            text = tr("Program invoked: %1").arg(programDisplayName(line.programId));
            break;
        case DetailLogLine::Kind::Success:
            color = kGreen;
            text = tr("Program returned success");
            break;
        case DetailLogLine::Kind::Failed:
            color = kRed;
            break;
        case DetailLogLine::Kind::Truncated:
            color = kRed;
            break;
        case DetailLogLine::Kind::Log:
        case DetailLogLine::Kind::Data:
        case DetailLogLine::Kind::Return:
        case DetailLogLine::Kind::Consumed:
            color = u"#444444"_s;
            break;
        case DetailLogLine::Kind::Other:
            color = QString();
            break;
        }
        const QString style = color.isEmpty() ? QString() : u"color:%1;"_s.arg(color);
        html += u"<div style=\"margin-left:%1px; %2 white-space:pre\">&gt; %3</div>"_s
                    .arg((qMax(1, line.depth) - 1) * 20)
                    .arg(style, line.kind == DetailLogLine::Kind::Failed ? u"<b>"_s + esc(text) + u"</b>"_s : esc(text));
    }
    return html;
}

} // namespace SlotScope
