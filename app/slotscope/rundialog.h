#pragma once

#include "engine/runconfig.h"
#include "protocol/result.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QNetworkAccessManager;
class QPushButton;
class QSpinBox;
class QTimer;

namespace SlotScope {

/// The Run panel's dialog (DESIGN.md §1): target (Local simulator (demo) or
/// a server URL — recent ones offered — + API key: SIMULATOR_API_KEY when set,
/// else the one remembered for the URL in the system keyring), slot range with a
/// picker fed by GET /available-ranges, programs to subscribe, discovery
/// programs, stepping and capture options.
class RunDialog : public QDialog
{
    Q_OBJECT

public:
    explicit RunDialog(QWidget *parent = nullptr);
    /// Destroyed while shown (its window closed under it), the URL field's
    /// focus-out looks nothing up in a half-destroyed dialog.
    ~RunDialog() override;

    void setConfig(const RunConfig &config);
    /// The config as entered (capturePath filled with a default when empty).
    RunConfig config() const;

    /// Where `/available-ranges` is asked for the demo target.
    void setDemoHttpBase(const QString &httpBase, const QString &apiKey);

    /// The window's check of a capture path, before a run starts and before
    /// a live run is stopped for it: OutputFile::checkCanCreate(), and a
    /// regular file there if anything — the window reads each transaction's
    /// details back from its capture by offset, which a device, FIFO or
    /// socket cannot give (a headless run writes straight into those).
    static Result<void> checkCapturePath(const QString &path);

protected:
    /// Refits the wrapped notes when their width changes or they are shown.
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void updateTargetFields();
    void dropSpareHeight();
    /// The API key's note has a row only on a server target and with something to say.
    void updateKeyStatusRow();
    void fetchRanges();
    /// The line under the range picker: hidden while it has nothing to say.
    void showRangeStatus(const QString &text);
    /// Sets a wrapped note (`m_keyStatus`, `m_problem`) and grows the shown
    /// dialog to every line of it: the form layout leaves out the label's
    /// height-for-width, so a note that wrapped after show() was cut.
    void showNote(QLabel *note, const QString &text);
    /// The note's minimum height for its text at its current width (0 when hidden or empty).
    void fitNote(QLabel *note);
    void validateAndAccept();
    // API key in the system keyring (apikeystore.h): looked up per URL, saved on Start when "remember" is ticked.
    void lookUpStoredKey();
    void saveOrForgetKeyThenAccept(const RunConfig &config);

    QComboBox *m_target;
    QLineEdit *m_url;
    QLineEdit *m_apiKey;
    QCheckBox *m_rememberKey;
    QLabel *m_keyStatus;
    QFormLayout *m_form = nullptr;
    /// The breakpoint options of the configuration set last (edited in the
    /// Breakpoints panel); kept for the programs still discovered.
    QList<DiscoveryBreakpoint> m_breakpoints;
    QString m_environmentKey;   ///< SIMULATOR_API_KEY: wins over the keyring when set
    QString m_lookedUpTarget;   ///< the URL the key field was last filled for from the keyring
    /// The key the keyring put in the key field (for m_lookedUpTarget): taken
    /// out again as soon as the URL changes (the new URL's lookup fills its
    /// own), so one server's key never goes to another; a key the user typed
    /// is left alone.
    QString m_keyFromKeyring;
    /// The key setConfig() put in the key field (the last run's) and the URL
    /// it was used with: it leaves the field when the URL changes, as the
    /// keyring's does, and is never written to another server's entry.
    QString m_keyFromConfig;
    QString m_keyFromConfigTarget;
    /// The keyring holds another key for the URL than the field: "Remember"
    /// was unticked for the user, and Start then leaves the keyring alone
    /// (untouched, the box is no wish to forget the key); cleared when the
    /// user clicks the box or the URL changes.
    bool m_keyringHoldsOther = false;
    /// A pause in typing the URL looks its key up: the note about it is there
    /// before the key field is reached, not pushing the fields below down
    /// while the key is typed.
    QTimer *m_keyLookupPause;
    QLineEdit *m_name;
    QLineEdit *m_startSlot;
    QLineEdit *m_endSlot;
    QComboBox *m_ranges;
    QPushButton *m_fetchRanges;
    QLabel *m_rangeStatus;
    QLineEdit *m_subscribePrograms;
    QLineEdit *m_discoverPrograms;
    QCheckBox *m_pauseAtDiscoveries;
    QCheckBox *m_parallel;
    QCheckBox *m_accountDiffs;
    QCheckBox *m_zstd;
    QSpinBox *m_advanceCount;
    QSpinBox *m_disconnectTimeout;
    QLineEdit *m_capturePath;
    QLabel *m_problem;
    QNetworkAccessManager *m_network;
    QString m_demoHttpBase;
    QString m_demoApiKey;
};

/// A fresh capture path in the capture directory of Preferences (default
/// …/captures/run-YYYYMMDD-HHMMSS.ndjson under the user's data directory, with
/// -2, -3, … appended when a capture of that name exists already).
QString defaultCapturePath();

/// `path` when no capture (NAME.ndjson or NAME.events.ndjson) is there, else
/// the first free NAME-2.ndjson, NAME-3.ndjson, …
QString freshCapturePath(const QString &path);

/// Program ids from free text (spaces, commas, semicolons or new lines).
QStringList parseProgramList(const QString &text);

} // namespace SlotScope
