#pragma once

#include "appsettings.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;

namespace SlotScope {

/// Settings ▸ Preferences (issue 13): the defaults a user tunes — capture
/// directory, live-table window, the reconnect values of ConnectionPolicy, the
/// language — and what SlotScope remembers: the API keys kept in the system
/// keyring (forget one), the recent captures (clear), the window layout (reset).
/// Accepting writes the Preferences to AppSettings; the window applies them.
class PreferencesDialog : public QDialog
{
    Q_OBJECT

public:
    explicit PreferencesDialog(QWidget *parent = nullptr);

    void setPreferences(const Preferences &preferences);
    Preferences preferences() const;

Q_SIGNALS:
    /// The user pressed "Reset Layout": the window goes back to its default layout now.
    void resetLayoutRequested();

private:
    void accepted();
    /// The first retry's maximum: the longest retry delay (never above 60 s).
    void limitFirstRetry();
    void forgetSelectedKey();
    void refreshRemembered();

    QLineEdit *m_captureDirectory;
    QSpinBox *m_liveTableWindow;
    QSpinBox *m_largeRangeSlots;
    QComboBox *m_language;
    QSpinBox *m_connectTimeout;
    QSpinBox *m_initialBackoff;
    QSpinBox *m_maxBackoff;
    QSpinBox *m_maxAttempts;
    QSpinBox *m_maxTotal;
    QListWidget *m_keys;
    QPushButton *m_forgetKey;
    QLabel *m_keyStatus;
    QListWidget *m_captures;
    QPushButton *m_clearCaptures;
};

} // namespace SlotScope
