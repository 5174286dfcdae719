#pragma once

#include <QDialog>

class QComboBox;
class QLabel;
class QPushButton;

namespace SlotScope {

/// File ▸ Compare Runs (issue 12 item 2): asks for a baseline and an
/// experiment capture, each an editable list of the captures at hand (the
/// live run's first, then the open tabs', then the recent ones) with Browse.
/// Compare is offered only for two paths that name files; what is wrong with
/// a path is said in the dialog itself, beside the fields, not in a status
/// bar behind it. Two paths naming the same file are allowed but noted
/// (isSameFile()): the comparison can find no difference.
class CompareRunsDialog : public QDialog
{
    Q_OBJECT

public:
    /// `known`: the captures to offer, most relevant first. The experiment
    /// starts as the first, the baseline as the second (empty when there is
    /// only one: comparing a run with itself is never the default).
    explicit CompareRunsDialog(const QStringList &known, QWidget *parent = nullptr);

    /// The paths as entered, trimmed.
    QString baselinePath() const;
    QString experimentPath() const;
    /// Puts a path in a field, as if typed (the note follows).
    void setBaselinePath(const QString &path);
    void setExperimentPath(const QString &path);

    /// The note under the fields: a problem that keeps Compare off, or a
    /// remark that does not; empty when there is nothing to say.
    QString note() const;
    /// Whether Compare is offered: both paths name files.
    bool canCompare() const;
    /// The capture a live run is still writing ("" when none): chosen on a
    /// side, the note says the comparison sees only what it holds so far.
    void setCaptureBeingWritten(const QString &path);

private:
    void validate();

    QString m_beingWritten;
    QComboBox *m_baseline;
    QComboBox *m_experiment;
    QLabel *m_note;
    QPushButton *m_compare;
};

} // namespace SlotScope
