#pragma once

#include <QTabWidget>

class QPlainTextEdit;
class QTextBrowser;
class QUrl;

namespace SlotScope {

struct CapturedTransactionDetail;
struct TransactionDetail;

/// Explorer-style detail of one transaction (DESIGN.md §1 "Transaction
/// detail"; Solana Explorer's transaction page is the anchor): an Overview
/// page with the status and error (naming the failing instruction), fee,
/// compute units and priority fee, the account list with Fee Payer / Signer /
/// Writable / Program / Address Table Lookup flags and SOL balances with
/// deltas, the token balances with deltas, and the instructions (inner ones
/// nested, programs named, parsed fields shown); a Logs page with the program
/// logs nested by invoke depth (success green, failure red); and the raw JSON.
/// Every address and signature has a [copy] link. The Overview page has
/// anchors `accounts`, `tokens` and `instructions`. Parsing lives in
/// lib/protocol (parseTransactionDetail); this widget only renders.
///
/// Captures written by `sim run` keep no transaction JSON: for them the
/// capture line's own fields are shown (status, error, SOL and token balance
/// changes, logs).
class TransactionDetailView : public QTabWidget
{
    Q_OBJECT

public:
    explicit TransactionDetailView(QWidget *parent = nullptr);

    /// Shows the captured getTransaction-shaped JSON (read back from the capture file).
    void showTransaction(const QByteArray &rawJson);
    /// Shows a transaction read back from a capture (raw JSON when the line has it).
    void showCaptured(const CapturedTransactionDetail &detail);
    /// Shows why nothing can be shown (e.g. the capture cannot be read).
    void showMessage(const QString &message);
    void clear();

    /// The Overview page as HTML (for tests).
    QString overviewHtml() const;
    /// The Logs page as HTML (for tests).
    QString logsHtml() const;

    /// The Overview page's HTML for a parsed transaction (pure; for tests).
    static QString renderOverview(const TransactionDetail &detail);
    /// The Logs page's HTML (pure; for tests).
    static QString renderLogs(const TransactionDetail &detail);

Q_SIGNALS:
    /// A copy link put `text` on the clipboard.
    void copied(const QString &text);

private:
    void onAnchorClicked(const QUrl &url);
    void showRaw(const QByteArray &json);

    QTextBrowser *m_overview;
    QTextBrowser *m_logs;
    QPlainTextEdit *m_raw;
};

} // namespace SlotScope
