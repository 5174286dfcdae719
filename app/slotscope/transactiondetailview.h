#pragma once

#include <QTabWidget>

class QPlainTextEdit;
class QTextBrowser;

namespace SlotScope {

struct TransactionSummary;

/// Explorer-style detail of one transaction (DESIGN.md §1 "Live
/// transactions"): status, fee, compute units, fee payer, SOL and token
/// balance changes, programs, logs and the raw JSON as captured.
class TransactionDetailView : public QTabWidget
{
    Q_OBJECT

public:
    explicit TransactionDetailView(QWidget *parent = nullptr);

    /// Shows the captured getTransaction-shaped JSON (read back from the capture file).
    void showTransaction(const QByteArray &rawJson);
    /// Shows why nothing can be shown (e.g. the capture cannot be read).
    void showMessage(const QString &message);
    void clear();

    /// The overview as HTML (for tests).
    QString overviewHtml() const;

private:
    QTextBrowser *m_overview;
    QPlainTextEdit *m_logs;
    QPlainTextEdit *m_raw;
};

} // namespace SlotScope
