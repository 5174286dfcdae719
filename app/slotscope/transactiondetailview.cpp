#include "transactiondetailview.h"

#include "protocol/transactionsummary.h"

#include <QDateTime>
#include <QFontDatabase>
#include <QJsonDocument>
#include <QPlainTextEdit>
#include <QTextBrowser>
#include <QTimeZone>

using namespace Qt::StringLiterals;

namespace SlotScope {

namespace {

QString lamportsAsSol(qint64 lamports)
{
    const bool negative = lamports < 0;
    const quint64 magnitude = negative ? quint64(-(lamports + 1)) + 1 : quint64(lamports);
    return u"%1%2.%3 SOL"_s.arg(negative ? u"−"_s : QString())
        .arg(magnitude / 1000000000ULL)
        .arg(magnitude % 1000000000ULL, 9, 10, QLatin1Char('0'));
}

QString tokenAmount(quint64 raw, int decimals)
{
    if (decimals <= 0)
        return QString::number(raw);
    quint64 scale = 1;
    for (int i = 0; i < decimals && i < 19; ++i)
        scale *= 10;
    return u"%1.%2"_s.arg(raw / scale).arg(raw % scale, decimals, 10, QLatin1Char('0'));
}

QString row(const QString &label, const QString &value)
{
    return u"<tr><td style='color:#666;padding-right:12px'>%1</td><td>%2</td></tr>"_s.arg(label, value);
}

QString mono(const QString &text)
{
    return u"<code>%1</code>"_s.arg(text.toHtmlEscaped());
}

} // namespace

TransactionDetailView::TransactionDetailView(QWidget *parent)
    : QTabWidget(parent)
    , m_overview(new QTextBrowser(this))
    , m_logs(new QPlainTextEdit(this))
    , m_raw(new QPlainTextEdit(this))
{
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_logs->setReadOnly(true);
    m_logs->setFont(fixed);
    m_logs->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_raw->setReadOnly(true);
    m_raw->setFont(fixed);
    m_raw->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_overview->setOpenLinks(false);
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
    m_overview->setHtml(u"<p style='color:#666'>%1</p>"_s.arg(message.toHtmlEscaped()));
    m_logs->clear();
    m_raw->clear();
}

QString TransactionDetailView::overviewHtml() const
{
    return m_overview->toHtml();
}

void TransactionDetailView::showTransaction(const QByteArray &rawJson)
{
    TransactionSummarizer summarizer;
    const Result<TransactionSummary> parsed = summarizer.summarize(rawJson);
    const QJsonDocument document = QJsonDocument::fromJson(rawJson);
    m_raw->setPlainText(document.isNull() ? QString::fromUtf8(rawJson)
                                          : QString::fromUtf8(document.toJson(QJsonDocument::Indented)));
    if (!parsed) {
        m_overview->setHtml(u"<p style='color:#b00'>%1</p>"_s.arg(
            tr("Cannot read this transaction: %1").arg(parsed.error().message).toHtmlEscaped()));
        m_logs->clear();
        return;
    }
    const TransactionSummary &t = *parsed;
    QString html = u"<h3 style='margin-bottom:4px'>%1</h3><table>"_s.arg(
        t.success ? u"<span style='color:#0a7d32'>%1</span>"_s.arg(tr("Success"))
                  : u"<span style='color:#b00020'>%1</span>"_s.arg(tr("Failed")));
    html += row(tr("Signature"), mono(t.signature));
    html += row(tr("Slot"), QString::number(t.slot));
    if (t.blockTime)
        html += row(tr("Block time"), QDateTime::fromSecsSinceEpoch(*t.blockTime, Qt::UTC).toString(Qt::ISODate));
    if (!t.success)
        html += row(tr("Error"), u"<span style='color:#b00020'>%1</span><br>%2"_s.arg(t.error.toHtmlEscaped(), mono(QString::fromUtf8(t.errorJson))));
    html += row(tr("Fee"), u"%1 lamports (%2)"_s.arg(t.fee).arg(lamportsAsSol(qint64(t.fee))));
    html += row(tr("Compute units"), t.computeUnitsConsumed ? QString::number(*t.computeUnitsConsumed) : tr("not reported"));
    html += row(tr("Version"), t.version.isEmpty() ? tr("not reported") : t.version);
    html += row(tr("Fee payer"), mono(t.feePayer) + u" (%1)"_s.arg(lamportsAsSol(t.feePayerSolChange)));
    html += u"</table>"_s;

    html += u"<h4>%1</h4><ol>"_s.arg(tr("Programs invoked"));
    for (const QString &program : t.programIds)
        html += u"<li>%1</li>"_s.arg(mono(program));
    html += u"</ol>"_s;

    if (!t.solChanges.isEmpty()) {
        html += u"<h4>%1</h4><table>"_s.arg(tr("SOL balance changes"));
        for (const SolChange &change : t.solChanges) {
            const qint64 delta = qint64(change.postLamports) - qint64(change.preLamports);
            html += row(mono(change.account), u"%1 → %2 (%3)"_s.arg(lamportsAsSol(qint64(change.preLamports)),
                                                                  lamportsAsSol(qint64(change.postLamports)),
                                                                  lamportsAsSol(delta)));
        }
        html += u"</table>"_s;
    }
    if (!t.tokenChanges.isEmpty()) {
        html += u"<h4>%1</h4><table>"_s.arg(tr("Token balance changes"));
        for (const TokenChange &change : t.tokenChanges) {
            html += row(mono(change.account),
                        tr("%1 → %2 of mint %3 (owner %4)")
                            .arg(tokenAmount(change.preAmount, change.decimals),
                                 tokenAmount(change.postAmount, change.decimals),
                                 mono(change.mint), mono(change.owner)));
        }
        html += u"</table>"_s;
    }
    m_overview->setHtml(html);
    m_logs->setPlainText(t.logsPresent ? t.logs.join(u'\n') : tr("(the transaction carries no logs)"));
}

} // namespace SlotScope
