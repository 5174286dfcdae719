#pragma once

#include <QString>
#include <QStyledItemDelegate>

class QTreeView;

#include <functional>

namespace SlotScope {

/// A session id cut to its first 9 and last 8 characters around "…"
/// (backtest_0199d2c4-5b7e-… → "backtest_…3f9a1c00"); ids of up to 22
/// characters stay whole.
inline QString shortSessionId(const QString &sessionId)
{
    using namespace Qt::StringLiterals;
    return sessionId.size() <= 22 ? sessionId : sessionId.left(9) + u"…"_s + sessionId.right(8);
}

class SessionModel;

/// What the batch docks call a run as a whole: "Batch" (a parallel run of
/// sub-sessions) or "Run" (a single session); `lowercase` for a chart legend.
QString wholeRunLabel(bool batch, bool lowercase = false);

/// The name `sessions` shows for `sessionId` (the server-given name of a
/// sub-session, SessionModel::NameColumn), "" when the row or its name is
/// missing: the provider the batch docks use, live and in an opened capture.
QString sessionNameIn(const SessionModel *sessions, const QString &sessionId);

/// A label provider (SessionLabels::Provider) answering sessionNameIn(`sessions`, id).
std::function<QString(const QString &sessionId)> sessionNamesIn(const SessionModel *sessions);

/// Selects and scrolls to `sessionId`'s row of `sessions` in `view`, or the
/// last run's own row for "" (what a whole-batch lane names); nothing when
/// there is no such row. How a timeline lane or the coordinator selects its
/// sub-session in a Sessions tree, live (BatchMonitor) and in an opened capture.
void selectSessionRow(QTreeView *view, const SessionModel *sessions, const QString &sessionId);

/// The row selected in a Sessions tree (column 0), invalid when none: what
/// the step actions, the tables and the batch docks are scoped to. Not the
/// current row, which the view makes one, unselected, when it takes the
/// focus (a click on empty space, Tab).
QModelIndex selectedSessionRow(const QTreeView *view);

/// How the batch docks name a session: the provider's answer (BatchMonitor
/// gives the server-given name), or shortSessionId() when it has none.
class SessionLabels
{
public:
    using Provider = std::function<QString(const QString &sessionId)>;

    void setProvider(Provider provider) { m_provider = std::move(provider); }
    QString operator()(const QString &sessionId) const
    {
        const QString label = m_provider ? m_provider(sessionId) : QString();
        return label.isEmpty() ? shortSessionId(sessionId) : label;
    }

private:
    Provider m_provider;
};

/// Shows a table's session id column as the batch docks name the session
/// (SessionLabels: its name, else "backtest_…3f9a1c00"), the id in full on
/// hover. Sub-session ids share their first 20-odd characters, so a column
/// elided at the right showed every row alike.
class SessionIdDelegate : public QStyledItemDelegate
{
public:
    SessionIdDelegate(SessionLabels::Provider provider, QObject *parent);

    /// A column width in `view`'s font that shows a shortened id whole.
    static int fittingWidth(const QWidget *view);

    QString displayText(const QVariant &value, const QLocale &locale) const override;
    bool helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
                   const QModelIndex &index) override;

private:
    SessionLabels m_labels;
};

} // namespace SlotScope
